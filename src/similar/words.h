#pragma once
// The similarity channels' word tokenizer: a fast, allocation-free scan for word tokens, each
// handed over with its key hash.
//
// It agrees with the text pipeline on what a word key is (lowercase; NFC + case folding via
// text::match_key for non-ASCII words) but skips everything the channels do not need (spans of
// punctuation, sentence spans), so the raw channel runs at hundreds of MB/s. A word is a run of
// letters/digits/marks; an apostrophe (' or U+2019) between two word characters joins ("don't"),
// as do '.' and ',' between digits ("3.5", "1,000"). Hyphens and other punctuation split.
//
// Two paths with one meaning. The fast path classifies 64 bytes at a time into bit masks (SSE2
// where available) and takes ASCII words straight from them: word = run of (alphanumeric |
// joiner), where a joiner is ' between alphanumerics or . , between digits; short keys are
// loaded, lower-cased and hashed 8 bytes at a time. Whatever it cannot decide inside its window
// (a non-ASCII byte, a word running to the window's end) goes to the byte-by-byte slow path, one
// word at a time. tests/test_similar.cpp checks both against a reference tokenizer.
#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace unspin::similar {

// 64-bit hash of a word key: short keys (<= 8 bytes, most words) by one multiply-xorshift mix
// of their bytes read as a little-endian integer, longer ones by XXH3. Never 0.
uint64_t hash_long_key(std::string_view key);
inline uint64_t mix_short_key(uint64_t bytes, size_t size) {
  uint64_t v = bytes ^ static_cast<uint64_t>(size) << 59;
  v *= 0x9E3779B97F4A7C15ULL;
  v ^= v >> 29;
  v *= 0xbf58476d1ce4e5b9ULL;
  v ^= v >> 32;
  return v ? v : 1;
}
inline uint64_t hash_key(std::string_view key) {
  if (key.size() > 8) return hash_long_key(key);
  uint64_t v = 0;
  const unsigned char* p = reinterpret_cast<const unsigned char*>(key.data());
  for (size_t i = 0; i < key.size(); ++i) v |= static_cast<uint64_t>(p[i]) << (8 * i);
  return mix_short_key(v, key.size());
}

struct WordInfo {
  bool number = false;          // digits (and . ,) only
  bool capitalized = false;     // first character is upper case in the input
  bool sentence_start = false;  // first word of the text, or after . ! ? or a line break
  uint64_t hash = 0;            // hash_key(key)
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

// Bit j of each mask describes byte j of a 64-byte window.
struct ByteMasks {
  uint64_t alnum = 0, digit = 0, upper = 0, non_ascii = 0;
  uint64_t apostrophe = 0, point = 0;  // ' and . ,
  uint64_t sentence_end = 0;           // . ! ? newline
};

#if defined(__SSE2__)
inline ByteMasks classify(const unsigned char* p) {
  auto bits = [](__m128i m) { return static_cast<uint64_t>(static_cast<uint32_t>(_mm_movemask_epi8(m))); };
  auto in = [](__m128i x, char lo, char hi) {  // signed compares: bytes >= 0x80 are never in range
    return _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8(static_cast<char>(lo - 1))),
                         _mm_cmplt_epi8(x, _mm_set1_epi8(static_cast<char>(hi + 1))));
  };
  auto eq = [](__m128i x, char c) { return _mm_cmpeq_epi8(x, _mm_set1_epi8(c)); };
  ByteMasks m;
  for (int k = 0; k < 4; ++k) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
    const __m128i digit = in(x, '0', '9');
    const __m128i upper = in(x, 'A', 'Z');
    const __m128i letter = in(_mm_or_si128(x, _mm_set1_epi8(0x20)), 'a', 'z');
    const __m128i dot = eq(x, '.');
    const int shift = 16 * k;
    m.alnum |= bits(_mm_or_si128(letter, digit)) << shift;
    m.digit |= bits(digit) << shift;
    m.upper |= bits(upper) << shift;
    m.non_ascii |= bits(x) << shift;
    m.apostrophe |= bits(eq(x, '\'')) << shift;
    m.point |= bits(_mm_or_si128(dot, eq(x, ','))) << shift;
    m.sentence_end |= bits(_mm_or_si128(_mm_or_si128(dot, eq(x, '!')), _mm_or_si128(eq(x, '?'), eq(x, '\n')))) << shift;
  }
  return m;
}
#else
inline ByteMasks classify(const unsigned char* p) {
  ByteMasks m;
  for (int j = 0; j < 64; ++j) {
    const unsigned char c = p[j], cls = kBytes.c[c];
    const uint64_t bit = uint64_t{1} << j;
    if (cls >= 1 && cls <= 3) m.alnum |= bit;
    if (cls == 2) m.digit |= bit;
    if (cls == 3) m.upper |= bit;
    if (cls == 4) m.non_ascii |= bit;
    if (c == '\'') m.apostrophe |= bit;
    if (c == '.' || c == ',') m.point |= bit;
    if (cls == 5) m.sentence_end |= bit;
  }
  return m;
}
#endif

inline uint64_t load_le64(const unsigned char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
  return v;
}

// ASCII A-Z to a-z in 8 bytes at once (every byte below 0x80).
inline uint64_t ascii_lower8(uint64_t v) {
  constexpr uint64_t ones = 0x0101010101010101ULL;
  const uint64_t at_least_a = v + ones * (0x80 - 'A');
  const uint64_t above_z = v + ones * (0x80 - 'Z' - 1);
  return v | ((at_least_a & ~above_z & ones * 0x80) >> 2);
}

inline uint64_t bits_below(unsigned n) { return (uint64_t{1} << n) - 1; }  // n < 64
inline uint64_t bit_run(unsigned begin, unsigned size) { return ~uint64_t{0} >> (64 - size) << begin; }  // size >= 1

inline void store_le64(char* p, uint64_t v) {
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
  std::memcpy(p, &v, 8);
}

class WordScanner {
 public:
  explicit WordScanner(std::string_view text)
      : text_(text), s_(reinterpret_cast<const unsigned char*>(text.data())) {}

  template <class Fn>
  void run(Fn& fn) {
    const size_t n = text_.size();
    while (pos_ < n) {
      const size_t before = pos_;
      scan_window(fn);
      if (pos_ == before) scan_one_word(fn);
    }
  }

 private:
  // Bytes a window reads: 64 classified, and 8-byte key loads starting at any of its first 63.
  static constexpr size_t kWindow = 64, kReach = 63 + 8;

  // Emits the words that lie wholly inside the window at pos_ and whose ends are decided there,
  // and advances pos_ past them (and past the separators after them, up to the first byte it
  // cannot decide). Near the end of the text the window is a zero-padded copy: a zero byte is
  // a separator, as the end of the text is.
  template <class Fn>
  void scan_window(Fn& fn) {
    const size_t avail = text_.size() - pos_;
    const unsigned char* w = s_ + pos_;
    if (avail < kReach) {
      std::memset(pad_, 0, sizeof pad_);
      std::memcpy(pad_, w, avail);
      w = pad_;
    }
    const ByteMasks m = classify(w);
    // Joiners: ' between alphanumerics, . , between digits (bit 0's left neighbour ended the
    // previous word, so bit 0 never joins).
    const uint64_t joined_apostrophe = m.apostrophe & (m.alnum << 1) & (m.alnum >> 1);
    const uint64_t joined_point = m.point & (m.digit << 1) & (m.digit >> 1);
    const uint64_t word = m.alnum | joined_apostrophe | joined_point;
    const uint64_t not_number = (m.alnum & ~m.digit) | joined_apostrophe;
    const uint64_t sentence_end = m.sentence_end & ~word;
    // Decided bytes: before the first non-ASCII byte and before bit 63 (whose right neighbour,
    // which decides a joiner, is outside the window).
    const unsigned limit = std::min<unsigned>(std::countr_zero(m.non_ascii), kWindow - 1);
    uint64_t rest = word & bits_below(limit);
    unsigned cursor = 0;
    while (rest) {
      const unsigned begin = std::countr_zero(rest);
      const unsigned end = begin + std::countr_one(rest >> begin);
      if (end >= limit) {  // may go on past what the window decides
        note_separators(sentence_end, cursor, begin);
        pos_ += begin;
        return;
      }
      note_separators(sentence_end, cursor, begin);
      const uint64_t span = bit_run(begin, end - begin);
      WordInfo info;
      info.number = !(not_number & span);
      info.capitalized = (m.upper >> begin) & 1;
      info.sentence_start = sentence_start_;
      sentence_start_ = false;
      emit_ascii(w + begin, end - begin, (m.upper & span) != 0, info, fn);
      rest &= ~bits_below(end);
      cursor = end;
    }
    const unsigned stop = static_cast<unsigned>(std::min<size_t>(limit, avail));
    note_separators(sentence_end, cursor, stop);
    pos_ += stop;
  }

  void note_separators(uint64_t sentence_end, unsigned from, unsigned to) {
    if (sentence_end & bits_below(to) & ~bits_below(from)) sentence_start_ = true;
  }

  // An ASCII word of `size` bytes at p (p + 8 readable). Keys of up to 8 bytes are lower-cased
  // and hashed from one 8-byte load.
  template <class Fn>
  void emit_ascii(const unsigned char* p, size_t size, bool upper, WordInfo& info, Fn& fn) {
    const char* chars = reinterpret_cast<const char*>(p);
    if (size <= 8) {
      uint64_t v = load_le64(p) & bit_run(0, static_cast<unsigned>(8 * size));
      if (upper) {
        v = ascii_lower8(v);
        store_le64(key_buf_, v);
        chars = key_buf_;
      }
      info.hash = mix_short_key(v, size);
      fn(std::string_view(chars, size), info);
      return;
    }
    if (upper) {
      buf_.assign(chars, size);
      for (char& ch : buf_)
        if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch + 32);
      info.hash = hash_long_key(buf_);
      fn(std::string_view(buf_), info);
      return;
    }
    const std::string_view key(chars, size);
    info.hash = hash_long_key(key);
    fn(key, info);
  }

  // The byte-by-byte path: skips separators from pos_, then reads one word (any script).
  template <class Fn>
  void scan_one_word(Fn& fn) {
    const size_t n = text_.size();
    const unsigned char* s = s_;
    size_t i = pos_;
    for (;;) {
      if (i >= n) {
        pos_ = n;
        return;
      }
      const unsigned char cls = kBytes.c[s[i]];
      if (cls == 0 || cls == 5) {
        sentence_start_ |= cls == 5;
        ++i;
        continue;
      }
      if (cls == 4) {
        size_t j = i;
        if (!non_ascii_word_char(text_, j)) {
          i = j;
          continue;
        }
      }
      break;
    }
    // A word starts at i.
    const size_t begin = i;
    bool ascii = true, digits_only = true;
    bool upper = false;
    for (;;) {
      // The common case: a run of ASCII letters and digits.
      unsigned char cls;
      while (i < n && (cls = kBytes.c[s[i]]) >= 1 && cls <= 3) {
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
          if (d == '\'' && ascii_alnum(e) && i > begin) {
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
          (ascii_alnum(s[i + 3]) || s[i + 3] >= 0x80)) {
        ascii = false;
        digits_only = false;
        i += 3;
        continue;
      }
      size_t j = i;
      if (!non_ascii_word_char(text_, j)) break;
      ascii = false;
      digits_only = false;
      i = j;
    }
    pos_ = i;
    const std::string_view word(text_.data() + begin, i - begin);
    WordInfo info;
    info.number = digits_only;
    info.sentence_start = sentence_start_;
    sentence_start_ = false;
    if (ascii) {
      info.capitalized = s[begin] >= 'A' && s[begin] <= 'Z';
      if (upper) {
        buf_.assign(word);
        for (char& ch : buf_)
          if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch + 32);
      }
      const std::string_view key = upper ? std::string_view(buf_) : word;
      info.hash = hash_key(key);
      fn(key, info);
      return;
    }
    info.capitalized = s[begin] < 0x80 ? (s[begin] >= 'A' && s[begin] <= 'Z') : non_ascii_upper(text_, begin);
    fold_key(word, buf_);
    info.hash = hash_key(buf_);
    fn(std::string_view(buf_), info);
  }

  std::string_view text_;
  const unsigned char* s_;
  size_t pos_ = 0;
  bool sentence_start_ = true;
  unsigned char pad_[kReach + 8] = {};
  char key_buf_[8] = {};
  std::string buf_;
};

}  // namespace detail

template <class Fn>
void for_each_word(std::string_view text, Fn&& fn) {
  detail::WordScanner scanner(text);
  scanner.run(fn);
}

}  // namespace unspin::similar
