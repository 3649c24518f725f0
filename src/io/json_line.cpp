#include "io/json_line.h"

#include <array>
#include <cstdint>

#include "text/utf8.h"

namespace unspin::io {

namespace {

// Bytes that end a run of plain string characters: the closing quote, an escape, a control
// character (not allowed raw in a JSON string).
constexpr std::array<bool, 256> kStringStop = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = true;
  t['"'] = t['\\'] = true;
  return t;
}();

class FlatObjectReader {
 public:
  explicit FlatObjectReader(std::string_view s) : s_(s) {}

  bool read(JsonLineFields& out) {
    bool has_text = false;
    skip_space();
    if (!take('{')) return false;
    skip_space();
    if (!take('}')) {
      for (;;) {
        skip_space();
        if (!read_string(key_)) return false;
        skip_space();
        if (!take(':')) return false;
        skip_space();
        if (!read_member(out, has_text)) return false;
        skip_space();
        if (take(',')) continue;
        if (take('}')) break;
        return false;
      }
    }
    skip_space();
    return i_ == s_.size() && has_text;
  }

 private:
  // The value of the member named key_. "text" and "id" must be strings (otherwise nlohmann
  // reports the error or formats the id); a repeated known key is left to nlohmann's rule.
  bool read_member(JsonLineFields& out, bool& has_text) {
    std::string* target = nullptr;
    bool* seen = nullptr;
    if (key_ == "text") target = &out.text, seen = &has_text;
    else if (key_ == "id") target = &out.id, seen = &out.has_id;
    else if (key_ == "date") target = &out.date, seen = &out.has_date;
    if (seen && *seen) return false;
    if (i_ < s_.size() && s_[i_] == '"') {
      if (!read_string(target ? *target : ignored_)) return false;
      if (seen) *seen = true;
      return true;
    }
    if (key_ == "text" || key_ == "id") return false;
    return skip_scalar();
  }

  void skip_space() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\r' || s_[i_] == '\n')) ++i_;
  }
  bool take(char c) {
    if (i_ >= s_.size() || s_[i_] != c) return false;
    ++i_;
    return true;
  }

  bool read_string(std::string& out) {
    if (!take('"')) return false;
    out.clear();
    for (;;) {
      size_t j = i_;
      while (j < s_.size() && !kStringStop[static_cast<unsigned char>(s_[j])]) ++j;
      out.append(s_.data() + i_, j - i_);
      i_ = j;
      if (i_ >= s_.size() || static_cast<unsigned char>(s_[i_]) < 0x20) return false;
      if (s_[i_++] == '"') return true;
      if (!read_escape(out)) return false;
    }
  }

  bool read_escape(std::string& out) {
    if (i_ >= s_.size()) return false;
    switch (s_[i_++]) {
      case '"': out += '"'; return true;
      case '\\': out += '\\'; return true;
      case '/': out += '/'; return true;
      case 'b': out += '\b'; return true;
      case 'f': out += '\f'; return true;
      case 'n': out += '\n'; return true;
      case 'r': out += '\r'; return true;
      case 't': out += '\t'; return true;
      case 'u': break;
      default: return false;
    }
    uint32_t cp;
    if (!hex4(cp)) return false;
    if (cp >= 0xDC00 && cp <= 0xDFFF) return false;  // a lone low surrogate
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      uint32_t low;
      if (!take('\\') || !take('u') || !hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    }
    text::append_utf8(out, static_cast<char32_t>(cp));
    return true;
  }

  bool hex4(uint32_t& v) {
    if (i_ + 4 > s_.size()) return false;
    v = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = s_[i_++];
      const int d = c >= '0' && c <= '9'   ? c - '0'
                    : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                           : -1;
      if (d < 0) return false;
      v = v * 16 + static_cast<uint32_t>(d);
    }
    return true;
  }

  // true, false, null, or a plain number (at most 15 digits, no exponent: nothing whose
  // conversion could differ from nlohmann's).
  bool skip_scalar() {
    for (std::string_view literal : {"true", "false", "null"})
      if (s_.substr(i_, literal.size()) == literal) {
        i_ += literal.size();
        return true;
      }
    size_t j = i_, digits = 0;
    auto digit = [&](size_t k) { return k < s_.size() && s_[k] >= '0' && s_[k] <= '9'; };
    if (j < s_.size() && s_[j] == '-') ++j;
    if (!digit(j)) return false;
    if (s_[j] == '0' && digit(j + 1)) return false;  // no leading zeros
    while (digit(j)) ++j, ++digits;
    if (j < s_.size() && s_[j] == '.') {
      if (!digit(++j)) return false;
      while (digit(j)) ++j, ++digits;
    }
    if (digits > 15 || (j < s_.size() && (s_[j] == 'e' || s_[j] == 'E'))) return false;
    i_ = j;
    return true;
  }

  std::string_view s_;
  size_t i_ = 0;
  std::string key_, ignored_;
};

}  // namespace

bool read_flat_json_line(std::string_view line, JsonLineFields& out) {
  // nlohmann rejects invalid UTF-8 anywhere in a string; outside strings any non-ASCII byte is a
  // syntax error, which the reader below finds.
  if (text::find_invalid_utf8(line) != text::kValid) return false;
  out.has_id = out.has_date = false;
  out.id.clear();
  out.date.clear();
  return FlatObjectReader(line).read(out);
}

}  // namespace unspin::io
