#pragma once
// The quality report of a cleaned document: how much of it is real words, its sentences, how much
// residue was removed, and (when a detector is wired in) its spin score.
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace unspin::clean {

// Hook for the spin detector: given the cleaned text, its spin score (or nullopt). Left empty by
// `clean` itself; whoever owns detection fills it in (see CleanOptions::spin_score).
using SpinScoreHook = std::function<std::optional<double>(std::string_view clean_text)>;

struct Quality {
  size_t words = 0;              // word tokens in the cleaned text
  size_t sentences = 0;          // ICU sentences in the cleaned text
  double mean_sentence_words = 0;
  size_t max_sentence_words = 0;
  size_t long_sentences = 0;     // sentences over 50 words
  size_t short_sentences = 0;    // sentences of 1-3 words (headings, list items, debris)
  // Hunspell: lower-case alphabetic words checked (names, i.e. capitalised words, numbers, words
  // with digits and all-caps words are excluded) and how many are not in the dictionary.
  bool spell_checked = false;    // false when no dictionary could be loaded
  size_t checked_words = 0;
  size_t non_words = 0;
  double non_word_rate = 0;
  // What cleaning removed.
  size_t input_bytes = 0;
  size_t removed_bytes = 0;      // bytes of input lines removed as residue
  double removed_share = 0;      // removed_bytes / non-blank input bytes
  size_t removed_blocks = 0;
  size_t marked = 0;
  size_t repairs = 0;
  size_t replacement_chars = 0;  // U+FFFD in the input: bytes lost before unspin saw them
  std::optional<double> spin_score;  // from SpinScoreHook; null when no detector is wired

  nlohmann::json to_json() const;
};

// Fills the text statistics of `q` (words, sentences, spelling) from the cleaned text.
// Hunspell instances are loaded once per thread from `dictionary` (path without .aff/.dic).
void measure_text(std::string_view clean_text, Quality& q,
                  const std::string& dictionary = "/usr/share/hunspell/en_US");

}  // namespace unspin::clean
