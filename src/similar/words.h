#pragma once
// The similarity channels' word tokenizer: a fast, allocation-free scan for word tokens.
//
// It agrees with the text pipeline on what a word key is (lowercase; NFC + case folding via
// text::match_key for non-ASCII words) but skips everything the channels do not need (spans of
// punctuation, sentence spans), so the raw channel runs at hundreds of MB/s. A word is a run of
// letters/digits/marks; an apostrophe (' or U+2019) between two word characters joins ("don't"),
// as do '.' and ',' between digits ("3.5", "1,000"). Hyphens and other punctuation split.
#include <cstdint>
#include <string>
#include <string_view>

namespace unspin::similar {

struct WordInfo {
  bool number = false;          // digits (and . ,) only
  bool capitalized = false;     // first character is upper case in the input
  bool sentence_start = false;  // first word of the text, or after . ! ? or a line break
};

// Calls fn(std::string_view key, const WordInfo&) for every word, in order. The key view is
// valid only during the call.
template <class Fn>
void for_each_word(std::string_view text, Fn&& fn);

namespace detail {
// Non-ASCII slow path: is the code point at text[i] a word character? Advances i past it.
bool non_ascii_word_char(std::string_view text, size_t& i);
void fold_key(std::string_view word, std::string& out);  // match_key into out
bool non_ascii_upper(std::string_view text, size_t i);
// Byte classes: 0 other, 1 lower-case letter, 2 digit, 3 upper-case letter, 4 non-ASCII byte,
// 5 sentence end (. ! ? newline).
struct ByteClasses {
  unsigned char c[256] = {};
  constexpr ByteClasses() {
    for (int i = 'a'; i <= 'z'; ++i) c[i] = 1;
    for (int i = '0'; i <= '9'; ++i) c[i] = 2;
    for (int i = 'A'; i <= 'Z'; ++i) c[i] = 3;
    for (int i = 0x80; i < 0x100; ++i) c[i] = 4;
    c[static_cast<unsigned char>('.')] = c[static_cast<unsigned char>('!')] = 5;
    c[static_cast<unsigned char>('?')] = c[static_cast<unsigned char>('\n')] = 5;
  }
};
inline constexpr ByteClasses kBytes{};
inline bool ascii_alnum(unsigned char c) { return kBytes.c[c] >= 1 && kBytes.c[c] <= 3; }
}  // namespace detail

template <class Fn>
void for_each_word(std::string_view text, Fn&& fn) {
  const size_t n = text.size();
  const unsigned char* s = reinterpret_cast<const unsigned char*>(text.data());
  std::string buf;
  buf.reserve(64);
  bool sentence_start = true;
  size_t i = 0;
  while (i < n) {
    const unsigned char c = s[i];
    const unsigned char cls = detail::kBytes.c[c];
    if (cls == 0 || cls == 5) {
      sentence_start |= cls == 5;
      ++i;
      continue;
    }
    if (cls == 4) {
      size_t j = i;
      if (!detail::non_ascii_word_char(text, j)) {
        i = j;
        continue;
      }
    }
    // A word starts at i.
    const size_t begin = i;
    bool ascii = true, digits_only = true;
    bool upper = false;
    for (;;) {
      // The common case: a run of ASCII letters and digits.
      unsigned char cls;
      while (i < n && (cls = detail::kBytes.c[s[i]]) >= 1 && cls <= 3) {
        digits_only &= cls == 2;
        upper |= cls == 3;
        ++i;
      }
      if (i >= n) break;
      const unsigned char d = s[i];
      if (d < 0x80) {
        // Joiners: ' between word chars; . , between digits.
        if (i + 1 < n) {
          const unsigned char e = s[i + 1];
          if (d == '\'' && detail::ascii_alnum(e) && i > begin) {
            digits_only = false;
            i += 1;
            continue;
          }
          if ((d == '.' || d == ',') && e >= '0' && e <= '9' && s[i - 1] >= '0' && s[i - 1] <= '9') {
            i += 1;
            continue;
          }
        }
        break;
      }
      // U+2019 right single quotation mark as an apostrophe.
      if (d == 0xE2 && i + 3 < n && s[i + 1] == 0x80 && s[i + 2] == 0x99 &&
          (detail::ascii_alnum(s[i + 3]) || s[i + 3] >= 0x80)) {
        ascii = false;
        digits_only = false;
        i += 3;
        continue;
      }
      size_t j = i;
      if (!detail::non_ascii_word_char(text, j)) break;
      ascii = false;
      digits_only = false;
      i = j;
    }
    const std::string_view word(text.data() + begin, i - begin);
    WordInfo info;
    info.number = digits_only;
    info.sentence_start = sentence_start;
    sentence_start = false;
    if (ascii) {
      const unsigned char f = s[begin];
      info.capitalized = f >= 'A' && f <= 'Z';
      if (!upper) {
        fn(word, info);
      } else {
        buf.assign(word);
        for (char& ch : buf)
          if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch + 32);
        fn(std::string_view(buf), info);
      }
    } else {
      info.capitalized = s[begin] < 0x80 ? (s[begin] >= 'A' && s[begin] <= 'Z')
                                         : detail::non_ascii_upper(text, begin);
      detail::fold_key(word, buf);
      fn(std::string_view(buf), info);
    }
  }
}

}  // namespace unspin::similar
