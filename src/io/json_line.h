#pragma once
// A fast reader for the common JSONL record: one flat object whose "id", "text" and "date" are
// strings and whose other values are strings, numbers, true, false or null.
//
// JSON parsing was a quarter of `unspin dedup`'s CPU time: nlohmann's parser builds a DOM and
// appends the text one character at a time. This reader copies runs between escapes instead.
// It never decides an error: anything it does not handle exactly as nlohmann::json::parse
// would (nested values, a non-string id, duplicate keys, invalid UTF-8, a lone surrogate, any
// syntax error) makes it return false, and the caller parses the line with nlohmann.
#include <string>
#include <string_view>

namespace unspin::io {

struct JsonLineFields {
  std::string text, id, date;
  bool has_id = false, has_date = false;
};

// True when `line` is such a record and `out` holds its fields as nlohmann would give them.
bool read_flat_json_line(std::string_view line, JsonLineFields& out);

}  // namespace unspin::io
