#include "clean/repair.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <optional>
#include <utility>

#include "text/utf8.h"

namespace unspin::clean {

SpanMap SpanMap::identity(size_t n) {
  SpanMap m;
  m.begin.resize(n);
  m.end.resize(n);
  for (size_t i = 0; i < n; ++i) {
    m.begin[i] = static_cast<uint32_t>(i);
    m.end[i] = static_cast<uint32_t>(i + 1);
  }
  m.input_size = static_cast<uint32_t>(n);
  return m;
}

std::pair<uint32_t, uint32_t> SpanMap::to_input(size_t a, size_t b) const {
  if (a >= size()) return {input_size, input_size};
  if (b <= a) return {begin[a], begin[a]};
  return {begin[a], end[std::min(b, size()) - 1]};
}

SpanMap SpanMap::compose(const SpanMap& inner) const {
  SpanMap m;
  m.begin.resize(size());
  m.end.resize(size());
  m.input_size = inner.input_size;
  for (size_t i = 0; i < size(); ++i) {
    auto [b, e] = inner.to_input(begin[i], end[i]);
    m.begin[i] = b;
    m.end[i] = e;
  }
  return m;
}

namespace {

// Builds a rewritten text and its map, one piece at a time.
class Rewriter {
 public:
  explicit Rewriter(std::string_view input) : in_(input) {
    out_.text.reserve(input.size());
    out_.map.begin.reserve(input.size());
    out_.map.end.reserve(input.size());
    out_.map.input_size = static_cast<uint32_t>(input.size());
  }
  void copy(size_t from, size_t to) {
    out_.text.append(in_.substr(from, to - from));
    for (size_t i = from; i < to; ++i) {
      out_.map.begin.push_back(static_cast<uint32_t>(i));
      out_.map.end.push_back(static_cast<uint32_t>(i + 1));
    }
  }
  void replace(size_t from, size_t to, std::string_view with, const char* kind) {
    out_.text.append(with);
    for (size_t i = 0; i < with.size(); ++i) {
      out_.map.begin.push_back(static_cast<uint32_t>(from));
      out_.map.end.push_back(static_cast<uint32_t>(to));
    }
    out_.repairs.push_back(Repair{static_cast<uint32_t>(from), static_cast<uint32_t>(to), kind,
                                  std::string(in_.substr(from, to - from)), std::string(with)});
  }
  Repaired finish() { return std::move(out_); }

 private:
  std::string_view in_;
  Repaired out_;
};

// Windows-1252 bytes 0x80-0x9F (0 where the code page leaves the byte undefined).
constexpr std::array<char16_t, 32> kCp1252High = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

// The byte a character stands for when UTF-8 was misread as Windows-1252 or Latin-1.
std::optional<uint8_t> misread_byte(char32_t c) {
  if (c >= 0x80 && c <= 0xFF) return static_cast<uint8_t>(c);  // Latin-1 (and C1 controls)
  for (size_t i = 0; i < kCp1252High.size(); ++i)
    if (kCp1252High[i] != 0 && kCp1252High[i] == c) return static_cast<uint8_t>(0x80 + i);
  return std::nullopt;
}

// Code points that mojibake plausibly hides. Narrow on purpose: a real "É" followed by a
// closing quote would decode to U+0252 and must be left alone.
bool plausible(char32_t c, size_t bytes) {
  if (bytes == 2)
    return (c >= 0xA0 && c <= 0x17F) || (c >= 0x386 && c <= 0x3CE) || (c >= 0x400 && c <= 0x45F);
  if (bytes == 3)
    return (c >= 0x2010 && c <= 0x2027) || (c >= 0x2030 && c <= 0x203A) || c == 0x20AC ||
           c == 0x2122 || c == 0x2026 || (c >= 0x2190 && c <= 0x21FF) ||
           (c >= 0x2600 && c <= 0x27BF) || (c >= 0x3000 && c <= 0x30FF) ||
           (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7AF);
  return c >= 0x1F000 && c <= 0x1FAFF;  // emoji
}

}  // namespace

Repaired fix_mojibake(std::string_view in) {
  Rewriter w(in);
  size_t copied = 0, i = 0;
  while (i < in.size()) {
    const size_t start = i;
    const char32_t c = text::next_code_point(in, i);
    auto lead = misread_byte(c);
    if (!lead || *lead < 0xC2 || *lead > 0xF4) continue;
    const size_t need = *lead < 0xE0 ? 1 : *lead < 0xF0 ? 2 : 3;
    std::string bytes(1, static_cast<char>(*lead));
    size_t j = i;
    bool ok = true;
    for (size_t k = 0; k < need && ok; ++k) {
      if (j >= in.size()) {
        ok = false;
        break;
      }
      const char32_t d = text::next_code_point(in, j);
      auto cont = misread_byte(d);
      ok = cont && *cont >= 0x80 && *cont <= 0xBF;
      if (ok) bytes.push_back(static_cast<char>(*cont));
    }
    if (!ok || text::find_invalid_utf8(bytes) != text::kValid) continue;
    size_t p = 0;
    const char32_t decoded = text::next_code_point(bytes, p);
    if (!plausible(decoded, bytes.size())) continue;
    w.copy(copied, start);
    w.replace(start, j, bytes, "mojibake");
    copied = i = j;
  }
  w.copy(copied, in.size());
  return w.finish();
}

namespace {

struct NamedEntity {
  const char* name;
  char32_t cp;
};
constexpr NamedEntity kEntities[] = {
    {"amp", '&'},       {"lt", '<'},        {"gt", '>'},        {"quot", '"'},
    {"apos", '\''},     {"nbsp", 0xA0},     {"ndash", 0x2013},  {"mdash", 0x2014},
    {"lsquo", 0x2018},  {"rsquo", 0x2019},  {"sbquo", 0x201A},  {"ldquo", 0x201C},
    {"rdquo", 0x201D},  {"bdquo", 0x201E},  {"hellip", 0x2026}, {"bull", 0x2022},
    {"middot", 0xB7},   {"copy", 0xA9},     {"reg", 0xAE},      {"trade", 0x2122},
    {"euro", 0x20AC},   {"pound", 0xA3},    {"yen", 0xA5},      {"cent", 0xA2},
    {"sect", 0xA7},     {"para", 0xB6},     {"deg", 0xB0},      {"plusmn", 0xB1},
    {"times", 0xD7},    {"divide", 0xF7},   {"frac12", 0xBD},   {"frac14", 0xBC},
    {"frac34", 0xBE},   {"laquo", 0xAB},    {"raquo", 0xBB},    {"lsaquo", 0x2039},
    {"rsaquo", 0x203A}, {"shy", 0xAD},      {"thinsp", 0x2009}, {"ensp", 0x2002},
    {"emsp", 0x2003},   {"zwnj", 0x200C},   {"zwj", 0x200D},    {"iexcl", 0xA1},
    {"iquest", 0xBF},   {"aacute", 0xE1},   {"eacute", 0xE9},   {"iacute", 0xED},
    {"oacute", 0xF3},   {"uacute", 0xFA},   {"agrave", 0xE0},   {"egrave", 0xE8},
    {"acirc", 0xE2},    {"ecirc", 0xEA},    {"ocirc", 0xF4},    {"auml", 0xE4},
    {"euml", 0xEB},     {"iuml", 0xEF},     {"ouml", 0xF6},     {"uuml", 0xFC},
    {"ccedil", 0xE7},   {"ntilde", 0xF1},   {"szlig", 0xDF},    {"Eacute", 0xC9},
    {"Auml", 0xC4},     {"Ouml", 0xD6},     {"Uuml", 0xDC},     {"oslash", 0xF8},
    {"aring", 0xE5},    {"Aring", 0xC5},    {"aelig", 0xE6},    {"prime", 0x2032},
    {"Prime", 0x2033},  {"minus", 0x2212},  {"larr", 0x2190},   {"rarr", 0x2192},
};

bool is_hex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// Parses an entity at in[i] == '&'; returns its code point and sets `len`.
std::optional<char32_t> parse_entity(std::string_view in, size_t i, size_t& len) {
  size_t j = i + 1;
  if (j < in.size() && in[j] == '#') {
    ++j;
    const bool hex = j < in.size() && (in[j] == 'x' || in[j] == 'X');
    if (hex) ++j;
    const size_t digits = j;
    uint64_t v = 0;
    while (j < in.size() && (hex ? is_hex(in[j]) : is_digit(in[j])) && j - digits < 8) {
      v = v * (hex ? 16 : 10) + (is_digit(in[j]) ? in[j] - '0' : (std::tolower(in[j]) - 'a' + 10));
      ++j;
    }
    if (j == digits || j >= in.size() || in[j] != ';') return std::nullopt;
    len = j + 1 - i;
    if (v >= 0x80 && v <= 0x9F) {  // what browsers do: these numbers mean Windows-1252
      const char16_t c = kCp1252High[v - 0x80];
      return c ? std::optional<char32_t>(c) : std::nullopt;
    }
    if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return std::nullopt;
    return static_cast<char32_t>(v);
  }
  while (j < in.size() && is_alnum(in[j]) && j - i <= 8) ++j;
  if (j >= in.size() || in[j] != ';' || j == i + 1) return std::nullopt;
  const std::string_view name = in.substr(i + 1, j - i - 1);
  for (const auto& e : kEntities)
    if (name == e.name) {
      len = j + 1 - i;
      return e.cp;
    }
  return std::nullopt;
}

}  // namespace

Repaired decode_entities(std::string_view in) {
  Rewriter w(in);
  size_t copied = 0;
  for (size_t i = in.find('&'); i != std::string_view::npos; i = in.find('&', i)) {
    size_t len = 0;
    auto cp = parse_entity(in, i, len);
    if (!cp) {
      ++i;
      continue;
    }
    std::string utf8;
    text::append_utf8(utf8, *cp);
    w.copy(copied, i);
    w.replace(i, i + len, utf8, "html_entity");
    copied = i = i + len;
  }
  w.copy(copied, in.size());
  return w.finish();
}

namespace {

bool removable_control(char32_t c) {
  if (c < 0x20) return c != '\t' && c != '\n' && c != '\r';
  return c == 0x7F || (c >= 0x80 && c <= 0x9F) || c == 0x200B || c == 0xFEFF || c == 0x00AD ||
         c == 0x2060;
}

bool inline_space(char32_t c) {
  return c == ' ' || c == '\t' || c == 0xA0 || (c >= 0x2000 && c <= 0x200A) || c == 0x202F ||
         c == 0x205F || c == 0x3000 || c == 0x0B || c == 0x0C;
}

}  // namespace

Repaired remove_controls(std::string_view in) {
  Rewriter w(in);
  size_t copied = 0, i = 0;
  while (i < in.size()) {
    const size_t start = i;
    const char32_t c = text::next_code_point(in, i);
    if (!removable_control(c)) continue;
    // A run of removable characters is one repair.
    size_t j = i;
    while (j < in.size()) {
      size_t k = j;
      if (!removable_control(text::next_code_point(in, k))) break;
      j = k;
    }
    w.copy(copied, start);
    w.replace(start, j, "", "control_char");
    copied = i = j;
  }
  w.copy(copied, in.size());
  return w.finish();
}

Repaired normalize_whitespace(std::string_view in) {
  Rewriter w(in);
  size_t copied = 0;
  size_t line_start = 0;
  while (line_start <= in.size()) {
    // Find the end of the line and its terminator (\n, \r\n, \r, U+2028, U+2029).
    size_t i = line_start, term = in.size(), next = in.size() + 1;
    while (i < in.size()) {
      const size_t at = i;
      const char32_t c = text::next_code_point(in, i);
      if (c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029) {
        term = at;
        next = (c == '\r' && i < in.size() && in[i] == '\n') ? i + 1 : i;
        break;
      }
    }
    // Inside the line: strip leading/trailing space, one ASCII space between words.
    size_t p = line_start;
    bool leading = true;
    while (p < term) {
      size_t q = p;
      const char32_t c = text::next_code_point(in, q);
      if (!inline_space(c)) {
        leading = false;
        p = q;
        continue;
      }
      size_t run_end = q;
      bool plain = (c == ' ');
      size_t n = 1;
      while (run_end < term) {
        size_t r = run_end;
        const char32_t d = text::next_code_point(in, r);
        if (!inline_space(d)) break;
        plain = plain && d == ' ';
        ++n;
        run_end = r;
      }
      const bool trailing = run_end == term;
      const char* want = (leading || trailing) ? "" : " ";
      if (!(plain && n == 1 && !leading && !trailing)) {
        w.copy(copied, p);
        w.replace(p, run_end, want, "whitespace");
        copied = run_end;
      }
      p = run_end;
    }
    if (term == in.size()) break;
    const size_t term_len = next - term;
    if (!(term_len == 1 && in[term] == '\n')) {
      w.copy(copied, term);
      w.replace(term, next, "\n", "whitespace");
      copied = next;
    }
    line_start = next;
  }
  w.copy(copied, in.size());
  return w.finish();
}

namespace {

// Applies one pass to `cur` (which maps to the input through `cur.map`) and folds the result in.
bool apply(Repaired& cur, std::string_view input, Repaired (*pass)(std::string_view)) {
  Repaired step = pass(cur.text);
  if (step.repairs.empty()) return false;
  for (auto& r : step.repairs) {
    auto [b, e] = cur.map.to_input(r.start, r.end);
    if (r.end == r.start) e = b;
    r.start = b;
    r.end = e;
    r.before = std::string(input.substr(b, e - b));
    cur.repairs.push_back(std::move(r));
  }
  cur.map = step.map.compose(cur.map);
  cur.text = std::move(step.text);
  return true;
}

}  // namespace

Repaired repair(std::string_view input, const RepairOptions& options) {
  Repaired cur;
  cur.text = std::string(input);
  cur.map = SpanMap::identity(input.size());
  for (int round = 0; round < 4; ++round) {
    bool changed = false;
    if (options.entities) changed |= apply(cur, input, decode_entities);
    if (options.mojibake) changed |= apply(cur, input, fix_mojibake);
    if (!changed) break;
  }
  if (options.controls) apply(cur, input, remove_controls);
  if (options.whitespace) apply(cur, input, normalize_whitespace);
  // Later passes may repair what an earlier one produced: keep one record per input span,
  // the outermost, with its final replacement.
  std::stable_sort(cur.repairs.begin(), cur.repairs.end(), [](const Repair& a, const Repair& b) {
    return a.start != b.start ? a.start < b.start : a.end > b.end;
  });
  std::vector<Repair> merged;
  for (auto& r : cur.repairs) {
    if (!merged.empty() && r.start < merged.back().end) {
      Repair& m = merged.back();
      m.end = std::max(m.end, r.end);
      m.before = std::string(input.substr(m.start, m.end - m.start));
      if (m.kind.find(r.kind) == std::string::npos) m.kind += "+" + r.kind;
      continue;
    }
    merged.push_back(std::move(r));
  }
  // The final replacement text of each merged record: the output bytes mapped to its span.
  size_t o = 0;
  for (auto& m : merged) {
    while (o < cur.map.size() && cur.map.begin[o] < m.start) ++o;
    size_t e = o;
    while (e < cur.map.size() && cur.map.begin[e] < m.end) ++e;
    m.after = cur.text.substr(o, e - o);
  }
  cur.repairs = std::move(merged);
  for (size_t i = 0; (i = cur.text.find("\xEF\xBF\xBD", i)) != std::string::npos; i += 3)
    ++cur.replacement_chars;
  return cur;
}

}  // namespace unspin::clean
