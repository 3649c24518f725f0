#pragma once
// The text pipeline's output: a document's original bytes, its tokens and sentence spans.
//
// This is the one place text enters unspin. Every later stage (lexicon matching, the language
// model, restoration, similarity, cleaning) works on a Document and reports byte offsets into
// the original input, which is kept untouched.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace unspin::text {

enum class TokenKind : uint8_t {
  Word,    // contains a letter or an ideograph: "war", "Ukraine’s", "2d", "U.S", "北京"
  Number,  // digits and number punctuation only: "4", "1,000", "0.9"
  Punct,   // Unicode punctuation: "." "“" "–"
  Symbol,  // other symbols: "€" "$" "+"
  Emoji,   // Extended_Pictographic, flags, keycaps: "😀" "👍🏽" "🇺🇦" "1️⃣"
};

struct Span {
  uint32_t begin = 0;  // byte offset into the original input
  uint32_t end = 0;    // one past the last byte
  uint32_t size() const { return end - begin; }
  bool operator==(const Span&) const = default;
};

// 20 bytes a token. Keys live in the document's key arena unless the key is the original
// text itself (lowercase ASCII, the common case), which saves a copy per token.
struct Token {
  uint32_t begin = 0, end = 0;         // byte span in the original input
  uint32_t key_begin = 0, key_len = 0; // where the matching key lives (see key_in_text)
  TokenKind kind = TokenKind::Word;
  bool key_in_text = false;            // key bytes are text[key_begin, key_begin + key_len)
  bool operator==(const Token&) const = default;
};

class Document {
 public:
  Document() = default;
  Document(std::string text, std::vector<Token> tokens, std::string keys);

  std::string_view text() const { return text_; }
  const std::vector<Token>& tokens() const { return tokens_; }
  size_t size() const { return tokens_.size(); }
  const Token& operator[](size_t i) const { return tokens_[i]; }

  // The token's bytes exactly as in the input.
  std::string_view original(size_t i) const {
    return std::string_view(text_).substr(tokens_[i].begin, tokens_[i].end - tokens_[i].begin);
  }
  // The matching key: NFC, case-folded, apostrophes (’ ‘ ʼ) as ', hyphens (‐ ‑) as -.
  std::string_view key(size_t i) const {
    const Token& t = tokens_[i];
    const std::string& arena = t.key_in_text ? text_ : keys_;
    return std::string_view(arena).substr(t.key_begin, t.key_len);
  }
  bool is_word(size_t i) const { return tokens_[i].kind == TokenKind::Word; }
  // The bytes between token i-1 and token i (white space; empty when they touch).
  std::string_view gap_before(size_t i) const;

  // Sentence spans from ICU's sentence break rules, computed on first use.
  const std::vector<Span>& sentences() const;
  // Index of the first token of each sentence, parallel to sentences().
  std::vector<size_t> sentence_starts() const;

 private:
  std::string text_;
  std::vector<Token> tokens_;
  std::string keys_;
  mutable std::vector<Span> sentences_;
  mutable bool sentences_done_ = false;
};

struct SegmenterOptions {
  // Segment ASCII text, and the common typographic characters of English (’ ‘ “ ” – — • … € £
  // « » ° and the no-break space), with a hand-written copy of ICU's word rules (about 6x
  // faster); anything else goes to ICU a white-space-delimited chunk at a time. The tests check
  // it gives the same tokens as ICU. One deliberate difference: a combining mark, format
  // character or ZWJ right after white space is a token of its own here, where whole-text ICU
  // glues it to the white space before it.
  bool ascii_fast_path = true;
};

// Turns valid UTF-8 into a Document. Thread-safe: ICU iterators are kept per thread.
class Segmenter {
 public:
  explicit Segmenter(SegmenterOptions options = {}) : options_(options) {}
  // Throws unspin::Error naming the byte offset when text is not valid UTF-8.
  Document segment(std::string text) const;

 private:
  SegmenterOptions options_;
};

// The key for an arbitrary piece of text (as Document::key gives for one token).
std::string match_key(std::string_view text);

}  // namespace unspin::text
