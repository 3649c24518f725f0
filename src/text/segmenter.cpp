#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utext.h>

#include <algorithm>
#include <array>
#include <memory>

#include "common/error.h"
#include "text/document.h"
#include "text/utf8.h"

namespace unspin::text {

namespace {

bool is_ascii_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

// --- token kinds -------------------------------------------------------------------------------

struct CodePointClass {
  bool letter, digit, emoji, punct;
};

CodePointClass classify_code_point(UChar32 c) {
  return {u_isalpha(c) != 0 || u_hasBinaryProperty(c, UCHAR_IDEOGRAPHIC) != 0, u_isdigit(c) != 0,
          c >= 0x80 && u_hasBinaryProperty(c, UCHAR_EXTENDED_PICTOGRAPHIC) != 0, u_ispunct(c) != 0};
}

// ASCII classes come from the same ICU calls, once, so both paths agree by construction.
const std::array<CodePointClass, 128>& ascii_classes() {
  static const std::array<CodePointClass, 128> table = [] {
    std::array<CodePointClass, 128> t{};
    for (int c = 0; c < 128; ++c) t[c] = classify_code_point(c);
    return t;
  }();
  return table;
}

TokenKind token_kind(std::string_view s) {
  bool letter = false, digit = false, emoji = false, punct = false;
  const auto& ascii = ascii_classes();
  for (size_t i = 0; i < s.size();) {
    const auto byte = static_cast<unsigned char>(s[i]);
    const CodePointClass k = byte < 0x80 ? ascii[s[i++]] : classify_code_point(next_code_point(s, i));
    letter |= k.letter;
    digit |= k.digit;
    emoji |= k.emoji;
    punct |= k.punct;
  }
  if (letter) return TokenKind::Word;
  if (digit) return TokenKind::Number;
  if (emoji) return TokenKind::Emoji;
  return punct ? TokenKind::Punct : TokenKind::Symbol;
}

// --- keys ----------------------------------------------------------------------------------------

void fold_non_ascii(std::string_view s, std::string& out) {
  UErrorCode status = U_ZERO_ERROR;
  static const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), s.size()));
  if (!nfc->isNormalized(u, status)) u = nfc->normalize(u, status);
  u.foldCase();
  for (int32_t i = 0; i < u.length(); ++i) {
    switch (u[i]) {
      case 0x2019: case 0x2018: case 0x02BC: case 0xFF07: u.setCharAt(i, u'\''); break;
      case 0x2010: case 0x2011: u.setCharAt(i, u'-'); break;
      default: break;
    }
  }
  u.toUTF8String(out);
}

// Appends the key of text[begin,end) to the token; stores it in `keys` only if it differs.
void set_key(std::string_view text, Token& t, std::string& keys) {
  const std::string_view s = text.substr(t.begin, t.end - t.begin);
  bool ascii = true, upper = false;
  for (char c : s) {
    ascii &= static_cast<unsigned char>(c) < 0x80;
    upper |= c >= 'A' && c <= 'Z';
  }
  if (ascii && !upper) {
    t.key_in_text = true;
    t.key_begin = t.begin;
    t.key_len = t.end - t.begin;
    return;
  }
  t.key_in_text = false;
  t.key_begin = static_cast<uint32_t>(keys.size());
  if (ascii) {
    for (char c : s) keys += (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  } else {
    fold_non_ascii(s, keys);
  }
  t.key_len = static_cast<uint32_t>(keys.size()) - t.key_begin;
}

// --- segmentation --------------------------------------------------------------------------------

struct Sink {
  std::string_view text;
  std::vector<Token>& tokens;
  std::string& keys;
  void add(size_t begin, size_t end) {
    Token t;
    t.begin = static_cast<uint32_t>(begin);
    t.end = static_cast<uint32_t>(end);
    t.kind = token_kind(text.substr(begin, end - begin));
    set_key(text, t, keys);
    tokens.push_back(t);
  }
};

// ASCII word-break classes (UAX #29 as ICU 72 tailors it: ICU drops ':' from MidLetter, and
// since ICU 72 '@' is ALetter, so that "a@b.com" stays one token; checked empirically by the
// tests, which compare this path with ICU on every short string over these classes).
enum class Wb : uint8_t { Other, ALetter, Numeric, ExtendNumLet, MidNumLet, MidNum };

constexpr Wb ascii_wb(unsigned char c) {
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return Wb::ALetter;
  if (c == '@') return Wb::ALetter;
  if (c >= '0' && c <= '9') return Wb::Numeric;
  if (c == '_') return Wb::ExtendNumLet;
  if (c == '.' || c == '\'') return Wb::MidNumLet;  // FULL STOP is MidNumLet, APOSTROPHE Single_Quote
  if (c == ',' || c == ';') return Wb::MidNum;
  return Wb::Other;
}

bool joins_word(Wb c) { return c == Wb::ALetter || c == Wb::Numeric || c == Wb::ExtendNumLet; }

// WB6/7 and WB11/12: a middle character joins two letters or two digits.
bool joins_across(Wb before, Wb mid, Wb after) {
  if (before == Wb::ALetter && after == Wb::ALetter) return mid == Wb::MidNumLet;
  if (before == Wb::Numeric && after == Wb::Numeric) return mid == Wb::MidNumLet || mid == Wb::MidNum;
  return false;
}

// Segments an ASCII chunk with no white space, as ICU's word rules would.
void segment_ascii_chunk(std::string_view text, size_t begin, size_t end, Sink& sink) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  size_t i = begin;
  while (i < end) {
    size_t j = i + 1;
    if (joins_word(ascii_wb(p[i]))) {
      while (j < end) {
        const Wb c = ascii_wb(p[j]);
        if (joins_word(c)) {
          ++j;
        } else if (j + 1 < end && joins_across(ascii_wb(p[j - 1]), c, ascii_wb(p[j + 1]))) {
          j += 2;
        } else {
          break;
        }
      }
    }
    sink.add(i, j);
    i = j;
  }
}

bool all_white_space(std::string_view s) {
  for (size_t i = 0; i < s.size();)
    if (!u_isUWhiteSpace(next_code_point(s, i))) return false;
  return true;
}

icu::BreakIterator& thread_word_iterator() {
  thread_local std::unique_ptr<icu::BreakIterator> it = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> bi(
        icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
    if (U_FAILURE(status)) throw Error(std::string("ICU word iterator: ") + u_errorName(status));
    return bi;
  }();
  return *it;
}

// ICU word segmentation of text[begin,end); white-space segments are gaps, not tokens.
void segment_icu(std::string_view text, size_t begin, size_t end, Sink& sink) {
  UErrorCode status = U_ZERO_ERROR;
  UText ut = UTEXT_INITIALIZER;
  utext_openUTF8(&ut, text.data() + begin, static_cast<int64_t>(end - begin), &status);
  icu::BreakIterator& bi = thread_word_iterator();
  bi.setText(&ut, status);
  if (U_FAILURE(status)) throw Error(std::string("ICU segmentation: ") + u_errorName(status));
  int32_t from = bi.first();
  for (int32_t to = bi.next(); to != icu::BreakIterator::DONE; from = to, to = bi.next()) {
    const std::string_view piece = text.substr(begin + from, to - from);
    if (!all_white_space(piece)) sink.add(begin + from, begin + to);
  }
  utext_close(&ut);
}

// The fast path: split at ASCII white space; ASCII chunks by hand, the rest by ICU.
// Differs from whole-text ICU only where a combining mark or ZWJ follows white space (ICU
// glues it to the space; here it becomes a token of its own, so it is never hidden in a gap).
void segment_chunked(std::string_view text, Sink& sink) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    while (i < n && is_ascii_space(p[i])) ++i;
    if (i == n) break;
    size_t j = i;
    bool ascii = true;
    while (j < n && !is_ascii_space(p[j])) ascii &= p[j++] < 0x80;
    if (ascii)
      segment_ascii_chunk(text, i, j, sink);
    else
      segment_icu(text, i, j, sink);
    i = j;
  }
}

}  // namespace

Document::Document(std::string text, std::vector<Token> tokens, std::string keys)
    : text_(std::move(text)), tokens_(std::move(tokens)), keys_(std::move(keys)) {}

std::string_view Document::gap_before(size_t i) const {
  const uint32_t from = i == 0 ? 0 : tokens_[i - 1].end;
  const uint32_t to = i < tokens_.size() ? tokens_[i].begin : static_cast<uint32_t>(text_.size());
  return std::string_view(text_).substr(from, to - from);
}

const std::vector<Span>& Document::sentences() const {
  if (sentences_done_) return sentences_;
  thread_local std::unique_ptr<icu::BreakIterator> it;
  UErrorCode status = U_ZERO_ERROR;
  if (!it) it.reset(icu::BreakIterator::createSentenceInstance(icu::Locale::getUS(), status));
  UText ut = UTEXT_INITIALIZER;
  utext_openUTF8(&ut, text_.data(), static_cast<int64_t>(text_.size()), &status);
  it->setText(&ut, status);
  if (U_FAILURE(status)) throw Error(std::string("ICU sentence segmentation: ") + u_errorName(status));
  int32_t from = it->first();
  for (int32_t to = it->next(); to != icu::BreakIterator::DONE; from = to, to = it->next()) {
    uint32_t b = from, e = to;
    while (b < e && is_ascii_space(text_[b])) ++b;
    while (e > b && is_ascii_space(text_[e - 1])) --e;
    if (b < e) sentences_.push_back({b, e});
  }
  utext_close(&ut);
  sentences_done_ = true;
  return sentences_;
}

std::vector<size_t> Document::sentence_starts() const {
  std::vector<size_t> starts;
  for (const Span& s : sentences()) {
    auto it = std::lower_bound(tokens_.begin(), tokens_.end(), s.begin,
                               [](const Token& t, uint32_t pos) { return t.begin < pos; });
    starts.push_back(static_cast<size_t>(it - tokens_.begin()));
  }
  return starts;
}

Document Segmenter::segment(std::string text) const {
  if (const size_t bad = find_invalid_utf8(text); bad != kValid)
    throw Error("invalid UTF-8 at byte " + std::to_string(bad));
  if (text.size() >= UINT32_MAX) throw Error("document larger than 4 GiB");
  std::vector<Token> tokens;
  tokens.reserve(text.size() / 5);
  std::string keys;
  Sink sink{text, tokens, keys};
  if (options_.ascii_fast_path)
    segment_chunked(text, sink);
  else
    segment_icu(text, 0, text.size(), sink);
  return Document(std::move(text), std::move(tokens), std::move(keys));
}

std::string match_key(std::string_view text) {
  std::string key;
  if (is_ascii(text)) {
    for (char c : text) key += (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  } else {
    fold_non_ascii(text, key);
  }
  return key;
}

}  // namespace unspin::text
