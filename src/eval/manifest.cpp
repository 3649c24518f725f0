#include "eval/manifest.h"

#include <filesystem>
#include <sstream>

#include "common/error.h"
#include "io/input.h"

namespace unspin::eval {

std::vector<ManifestRow> read_manifest(const std::string& path) {
  const std::string text = io::read_text_file(path);
  const std::filesystem::path dir = std::filesystem::path(path).parent_path();
  std::vector<ManifestRow> rows;
  std::istringstream in(text);
  std::string line;
  size_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> cols;
    std::stringstream ss(line);
    for (std::string col; std::getline(ss, col, '\t');) cols.push_back(col);
    if (line_no == 1 && !cols.empty() && cols[0] == "file") continue;  // header
    if (cols.size() < 2)
      throw Error(path + ":" + std::to_string(line_no) + ": expected file<TAB>kind<TAB>...");
    ManifestRow r;
    r.name = cols[0];
    r.file = (dir / cols[0]).string();
    r.kind = cols[1];
    if (cols.size() > 3 && !cols[3].empty()) r.pair_of = (dir / cols[3]).string();
    const std::string notes = cols.size() > 4 ? cols[4] : "";
    if (const size_t at = notes.find("family="); at != std::string::npos) {
      size_t end = notes.find_first_of(" ;[", at);
      r.family = notes.substr(at + 7, end == std::string::npos ? std::string::npos : end - at - 7);
    }
    r.partial = notes.find("PARTIAL") != std::string::npos;
    rows.push_back(std::move(r));
  }
  return rows;
}

}  // namespace unspin::eval
