#pragma once
// Commands that read their input twice (dedup, index) first copy standard input to a temporary
// file, removed when the Spool goes out of scope.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "common/error.h"

namespace unspin::cli {

class Spool {
 public:
  // Replaces "-" (or an empty list) in `paths` with a temporary copy of standard input.
  explicit Spool(std::vector<std::string>& paths) {
    bool uses_stdin = paths.empty();
    for (const auto& p : paths) uses_stdin |= p == "-";
    if (!uses_stdin) return;
    const char* dir = std::getenv("TMPDIR");
    std::string tmpl = std::string(dir && *dir ? dir : "/tmp") + "/unspin-stdin-XXXXXX";
    std::vector<char> name(tmpl.begin(), tmpl.end());
    name.push_back('\0');
    const int fd = mkstemp(name.data());
    if (fd < 0) throw Error("cannot create a temporary file for standard input: " + std::string(std::strerror(errno)));
    path_ = name.data();
    std::FILE* out = fdopen(fd, "wb");
    char buf[1 << 16];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, stdin)) > 0)
      if (std::fwrite(buf, 1, n, out) != n) {
        std::fclose(out);
        throw Error(path_ + ": write error while spooling standard input");
      }
    std::fclose(out);
    if (paths.empty()) paths.push_back("-");
    for (auto& p : paths)
      if (p == "-") p = path_;
  }
  ~Spool() {
    if (!path_.empty()) std::remove(path_.c_str());
  }
  Spool(const Spool&) = delete;
  Spool& operator=(const Spool&) = delete;

 private:
  std::string path_;
};

}  // namespace unspin::cli
