#pragma once
// Encoding repair for scraped text: mojibake (UTF-8 read as Windows-1252 or Latin-1), HTML
// entities, control and invisible characters, white space. Every change is reported with the
// byte span it replaced in the input, and a SpanMap carries any later span on the repaired text
// back to the input.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace unspin::clean {

// Where each byte of a rewritten text came from. Output byte i was produced from input bytes
// [begin[i], end[i]); a byte copied unchanged has end = begin + 1, bytes produced by one
// replacement all carry the replaced input span.
struct SpanMap {
  std::vector<uint32_t> begin, end;
  uint32_t input_size = 0;

  static SpanMap identity(size_t n);
  size_t size() const { return begin.size(); }
  // Input span of output bytes [a, b). An empty span maps to the input position of byte a.
  std::pair<uint32_t, uint32_t> to_input(size_t a, size_t b) const;
  // this: C -> B, inner: B -> A; result: C -> A.
  SpanMap compose(const SpanMap& inner) const;
};

struct Repair {
  uint32_t start = 0, end = 0;  // input byte span replaced
  std::string kind;             // mojibake | html_entity | control_char | whitespace
  std::string before, after;    // input bytes, and what replaced them
};

struct RepairOptions {
  bool mojibake = true;
  bool entities = true;
  bool controls = true;
  bool whitespace = true;
};

struct Repaired {
  std::string text;
  SpanMap map;                  // text -> input
  std::vector<Repair> repairs;  // in input order
  size_t replacement_chars = 0; // U+FFFD left in the text: bytes lost before unspin saw them
};

// Repairs valid UTF-8 text. Entities and mojibake are repaired until nothing changes (so
// "&amp;amp;" and double mojibake come out in one call and repair(repair(x)) == repair(x)).
Repaired repair(std::string_view input, const RepairOptions& options = {});

// The single passes, exposed for tests. Each returns the rewritten text, its map and its repairs
// with spans relative to `input`.
Repaired fix_mojibake(std::string_view input);
Repaired decode_entities(std::string_view input);
Repaired remove_controls(std::string_view input);
Repaired normalize_whitespace(std::string_view input);

}  // namespace unspin::clean
