#include "io/input.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "io/json_line.h"
#include "text/utf8.h"

namespace fs = std::filesystem;

namespace unspin::io {

namespace {

InputItem error_item(std::string message) {
  InputItem item;
  item.error = std::move(message);
  return item;
}

std::string display_name(const std::string& path) { return path == "-" ? "<stdin>" : path; }

// Reads up to limit+1 bytes so that "too large" can be told apart without reading everything.
bool read_stream(std::FILE* f, size_t limit, std::string& out) {
  char buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) {
    out.append(buf, n);
    if (out.size() > limit) return false;
  }
  return true;
}

}  // namespace

InputReader::InputReader(InputOptions options) : options_(std::move(options)) {
  if (options_.paths.empty()) options_.paths.push_back("-");
  for (const auto& p : options_.paths) pending_.push_back(p);
}

InputReader::~InputReader() {
  if (jsonl_file_ && jsonl_file_ != stdin) std::fclose(jsonl_file_);
}

namespace {

// Collects the files under dir whose names end in ext, recursively. Directory symlinks are not
// followed (no loops); an unreadable directory is an error naming it, and the walk goes on with
// its siblings, so nothing is skipped silently.
void walk(const fs::path& dir, const std::string& ext, std::vector<std::string>& files,
          std::vector<InputItem>& errors) {
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) {
    errors.push_back(error_item(dir.string() + ": cannot read directory: " + ec.message()));
    return;
  }
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) {
      errors.push_back(error_item(dir.string() + ": cannot read directory: " + ec.message()));
      return;
    }
    const fs::directory_entry& entry = *it;
    std::error_code link_ec, dir_ec;
    const bool link = entry.is_symlink(link_ec);
    const bool directory = entry.is_directory(dir_ec);  // follows symlinks; false if dangling
    if (directory && !link)
      walk(entry.path(), ext, files, errors);
    else if (!directory && entry.path().extension() == ext)
      files.push_back(entry.path().string());  // a dangling link fails when opened, by name
  }
}

}  // namespace

void InputReader::expand(const std::string& path) {
  std::vector<std::string> files;
  walk(path, options_.jsonl ? ".jsonl" : ".txt", files, queued_errors_);
  std::sort(files.begin(), files.end());
  for (auto f = files.rbegin(); f != files.rend(); ++f) pending_.push_front(*f);
}

InputItem InputReader::check_text(InputDoc doc, const std::string& where) {
  if (const size_t nul = text::find_nul(doc.text); nul != text::kValid)
    return error_item(where + ": binary data (NUL byte at byte " + std::to_string(nul) + ")");
  if (const size_t bad = text::find_invalid_utf8(doc.text); bad != text::kValid)
    return error_item(where + ": invalid UTF-8 at byte " + std::to_string(bad));
  doc.index = next_index_++;
  InputItem item;
  item.doc = std::move(doc);
  return item;
}

InputItem InputReader::read_whole(const std::string& path) {
  const std::string name = display_name(path);
  std::FILE* f = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
  if (!f) return error_item(name + ": cannot open: " + std::strerror(errno));
  InputDoc doc;
  doc.id = name;
  const bool fits = read_stream(f, options_.max_doc_bytes, doc.text);
  const bool failed = std::ferror(f) != 0;
  const int err = errno;
  if (f != stdin) std::fclose(f);
  if (failed) return error_item(name + ": read error: " + std::strerror(err));
  if (!fits)
    return error_item(name + ": larger than the document limit of " +
                      std::to_string(options_.max_doc_bytes) + " bytes (see --max-bytes)");
  bytes_read_ += doc.text.size();
  return check_text(std::move(doc), name);
}

// Reads one line (without its '\n'); refuses lines longer than the document limit but still
// consumes them, so one oversized record costs no memory and the next line is read normally.
// Returns false at end of file.
bool InputReader::read_jsonl_line(std::string& line, bool& too_long) {
  constexpr size_t kBlock = 1u << 20;
  line.clear();
  too_long = false;
  bool any = false;
  for (;;) {
    if (jsonl_pos_ == jsonl_end_) {
      jsonl_buffer_.resize(kBlock);
      jsonl_pos_ = 0;
      jsonl_end_ = std::fread(jsonl_buffer_.data(), 1, kBlock, jsonl_file_);
      if (jsonl_end_ == 0) return any;
    }
    any = true;
    const char* start = jsonl_buffer_.data() + jsonl_pos_;
    const void* newline = std::memchr(start, '\n', jsonl_end_ - jsonl_pos_);
    const size_t n = newline ? static_cast<const char*>(newline) - start : jsonl_end_ - jsonl_pos_;
    if (!too_long) {
      line.append(start, n);
      if (line.size() > options_.max_doc_bytes) {
        too_long = true;
        line.clear();
        line.shrink_to_fit();
      }
    }
    jsonl_pos_ += n + (newline ? 1 : 0);
    if (newline) return true;
  }
}

std::optional<InputItem> InputReader::next_jsonl_line() {
  std::string line;
  bool too_long = false;
  while (read_jsonl_line(line, too_long)) {
    ++jsonl_line_;
    const std::string where = jsonl_name_ + ":" + std::to_string(jsonl_line_);
    if (too_long)
      return error_item(where + ": line larger than the document limit of " +
                        std::to_string(options_.max_doc_bytes) + " bytes (see --max-bytes)");
    bytes_read_ += line.size() + 1;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    if (skip_next_document()) continue;
    if (read_flat_json_line(line, fields_)) {  // the common record, without building a DOM
      InputDoc doc;
      doc.from_jsonl = true;
      doc.id = fields_.has_id ? std::move(fields_.id) : where;
      doc.text = std::move(fields_.text);
      if (fields_.has_date) doc.date = std::move(fields_.date);
      return check_text(std::move(doc), where);
    }
    nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) return error_item(where + ": malformed JSON");
    if (!j.is_object() || !j.contains("text") || !j["text"].is_string())
      return error_item(where + ": expected an object with a \"text\" string");
    InputDoc doc;
    doc.from_jsonl = true;
    const auto& id = j.contains("id") ? j["id"] : nlohmann::json();
    doc.id = id.is_string() ? id.get<std::string>() : id.is_null() ? where : id.dump();
    doc.text = j["text"].get<std::string>();
    if (j.contains("date") && j["date"].is_string()) doc.date = j["date"].get<std::string>();
    return check_text(std::move(doc), where);
  }
  if (jsonl_file_ != stdin) std::fclose(jsonl_file_);
  jsonl_file_ = nullptr;
  return std::nullopt;
}

void InputReader::skip_unwanted(std::function<bool(size_t index)> wanted, std::vector<size_t> error_items) {
  wanted_ = std::move(wanted);
  error_items_ = std::move(error_items);
  std::sort(error_items_.begin(), error_items_.end());
  next_error_ = 0;
}

// Under skip_unwanted: is the next item a document that is not wanted? Then it is counted.
bool InputReader::skip_next_document() {
  if (!wanted_) return false;
  while (next_error_ < error_items_.size() && error_items_[next_error_] < items_) ++next_error_;
  if (next_error_ < error_items_.size() && error_items_[next_error_] == items_) return false;
  if (wanted_(next_index_)) return false;
  ++items_;
  ++next_index_;
  return true;
}

std::optional<InputItem> InputReader::next() {
  std::optional<InputItem> item = next_item();
  if (item) ++items_;
  return item;
}

std::optional<InputItem> InputReader::next_item() {
  for (;;) {
    if (!queued_errors_.empty()) {
      InputItem e = std::move(queued_errors_.front());
      queued_errors_.erase(queued_errors_.begin());
      return e;
    }
    if (jsonl_file_) {
      if (auto item = next_jsonl_line()) return item;
      continue;
    }
    if (pending_.empty()) return std::nullopt;
    const std::string path = pending_.front();
    pending_.pop_front();
    std::error_code ec;
    if (path != "-" && fs::is_directory(path, ec)) {
      expand(path);
      continue;
    }
    if (!options_.jsonl) {
      if (skip_next_document()) continue;
      return read_whole(path);
    }
    jsonl_name_ = display_name(path);
    jsonl_line_ = 0;
    jsonl_pos_ = jsonl_end_ = 0;
    jsonl_file_ = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
    if (!jsonl_file_) return error_item(jsonl_name_ + ": cannot open: " + std::strerror(errno));
  }
}

std::string read_text_file(const std::string& path, size_t max_bytes) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw Error(path + ": cannot open: " + std::strerror(errno));
  std::string text;
  const bool fits = read_stream(f, max_bytes, text);
  std::fclose(f);
  if (!fits) throw Error(path + ": larger than " + std::to_string(max_bytes) + " bytes");
  if (const size_t bad = text::find_invalid_utf8(text); bad != text::kValid)
    throw Error(path + ": invalid UTF-8 at byte " + std::to_string(bad));
  return text;
}

}  // namespace unspin::io
