#include "restore/casing.h"

#include <unicode/unistr.h>

#include <array>

namespace unspin::restore {

namespace {

bool starts_with_any(std::string_view w, std::initializer_list<std::string_view> prefixes) {
  for (std::string_view p : prefixes)
    if (w.substr(0, p.size()) == p) return true;
  return false;
}

std::string to_upper(std::string_view s) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), s.size()));
  std::string out;
  u.toUpper().toUTF8String(out);
  return out;
}

}  // namespace

std::string transfer_case(std::string_view original, std::string_view replacement) {
  size_t letters = 0, upper = 0;
  bool first_upper = false, first_seen = false;
  for (char c : original) {
    const bool is_upper = c >= 'A' && c <= 'Z';
    const bool is_lower = c >= 'a' && c <= 'z';
    if (!is_upper && !is_lower) continue;
    if (!first_seen) first_upper = is_upper, first_seen = true;
    ++letters;
    upper += is_upper;
  }
  if (letters >= 2 && upper == letters) return to_upper(replacement);
  std::string out(replacement);
  if (first_upper && !out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 32);
  return out;
}

std::string_view article_for(std::string_view next) {
  std::string w;
  for (char c : next) w += (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  if (w.empty()) return "a";
  // Initialisms said letter by letter: "an MRI", "an FBI", "a UN".
  bool all_caps = next.size() >= 2;
  for (char c : next) all_caps &= (c >= 'A' && c <= 'Z');
  if (all_caps) return std::string_view("aefhilmnorsx").find(w[0]) != std::string_view::npos ? "an" : "a";
  if (starts_with_any(w, {"hour", "honest", "honour", "honor", "heir"})) return "an";
  if (starts_with_any(w, {"uni", "use", "usu", "uti", "eu", "one", "once", "ubi", "ura", "uro"}))
    return "a";
  return std::string_view("aeiou").find(w[0]) != std::string_view::npos ? "an" : "a";
}

}  // namespace unspin::restore
