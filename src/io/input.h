#pragma once
// Where documents come from: files, directories (recursively, *.txt), standard input, or JSONL
// batches of {"id": ..., "text": ...}. Documents are streamed one at a time in a deterministic
// order (arguments as given, directory entries sorted by path), so memory stays bounded.
#include <cstddef>
#include <cstdio>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "io/json_line.h"

namespace unspin::io {

struct InputOptions {
  std::vector<std::string> paths;  // files, directories or "-"; empty means standard input
  bool jsonl = false;              // each file (or stdin) holds one JSON object per line
  // Larger documents are refused with an error, never cut. 32 MiB keeps the peak memory of one
  // document under 1 GB (restore of a 59 MB document peaked at 0.97 GB, of a 29 MB one at 0.55 GB).
  size_t max_doc_bytes = 32u << 20;
};

struct InputDoc {
  std::string id;         // file path, or the JSONL "id" (or "<file>:<line>" when it has none)
  bool from_jsonl = false;  // output says "id" rather than "file"
  std::string text;       // valid UTF-8, no NUL byte
  std::string date;       // JSONL "date" field when present (dedup orders by it)
  size_t index = 0;       // position in the input stream, from 0
};

// One step of reading: a document, or an error that names the file and the place.
struct InputItem {
  std::optional<InputDoc> doc;
  std::string error;  // "path: invalid UTF-8 at byte 17"; empty when doc is set
};

class InputReader {
 public:
  explicit InputReader(InputOptions options);
  ~InputReader();
  InputReader(const InputReader&) = delete;
  InputReader& operator=(const InputReader&) = delete;

  // The next document or error; std::nullopt at the end of all inputs.
  std::optional<InputItem> next();
  size_t bytes_read() const { return bytes_read_; }

  // For a second pass over an input read once before: documents that `wanted` rejects keep
  // their numbers but are neither parsed (JSONL lines) nor read (files), so a pass that needs a
  // few documents costs little more than finding line ends. `error_items` are the positions
  // (documents and errors counted together, from 0) of the errors the first pass met: those
  // items are read again as usual, which is how an unparsed line is known to be a document.
  void skip_unwanted(std::function<bool(size_t index)> wanted, std::vector<size_t> error_items);
  // Documents numbered so far, read or skipped.
  size_t documents_counted() const { return next_index_; }

 private:
  std::optional<InputItem> next_item();
  bool skip_next_document();
  std::optional<InputItem> next_jsonl_line();
  void expand(const std::string& path);
  InputItem read_whole(const std::string& path);
  InputItem check_text(InputDoc doc, const std::string& where);

  InputOptions options_;
  std::deque<std::string> pending_;  // paths still to read, in order
  std::FILE* jsonl_file_ = nullptr;  // the JSONL stream being read, in 1 MiB blocks (memchr for
  std::vector<char> jsonl_buffer_;   // line ends rather than a call per byte)
  size_t jsonl_pos_ = 0, jsonl_end_ = 0;
  bool read_jsonl_line(std::string& line, bool& too_long);
  JsonLineFields fields_;  // read_flat_json_line's output, reused line after line
  std::string jsonl_name_;
  size_t jsonl_line_ = 0;
  size_t next_index_ = 0;
  size_t items_ = 0;  // documents and errors so far (skipped documents included)
  size_t bytes_read_ = 0;
  std::function<bool(size_t)> wanted_;  // set by skip_unwanted
  std::vector<size_t> error_items_;
  size_t next_error_ = 0;
  std::vector<InputItem> queued_errors_;  // errors met while expanding directories
};

// Reads a whole file for a command that takes exactly one text (e.g. a lexicon or a reference).
// Throws unspin::Error naming the path when it cannot be read or is not valid UTF-8.
std::string read_text_file(const std::string& path, size_t max_bytes = 1u << 30);

}  // namespace unspin::io
