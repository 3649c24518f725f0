#pragma once
// Reader for sphinxbase's binary "trie" language-model file (what pocketsphinx-en-us ships).
//
// The file is KenLM's quantised trie as ported to sphinxbase, order 3: a header with the n-gram
// counts, 16-bit quantisation tables, a unigram array {prob, backoff, first child}, then two
// bit-packed arrays. The trie is keyed by the predicted word first: a unigram's children are the
// bigrams ending in it (each stores the word before), a bigram's children the trigrams ending in
// it (each stores the word two before). Values are logarithms in base 1.0001 (sphinxbase's
// logmath), kept as the file has them so that scores match sphinxbase's to the last bit.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace unspin::lm {

// Bigram "previous word": visit(word, previous, prob_bin, backoff_bin).
using BigramVisitor = std::function<void(uint32_t, uint32_t, uint16_t, uint16_t)>;
// Trigram "before previous word": visit(word, previous, before, prob_bin).
using TrigramVisitor = std::function<void(uint32_t, uint32_t, uint32_t, uint16_t)>;

class TrieFile {
 public:
  // Reads and checks the file. Throws unspin::Error naming the path and what is wrong (not a
  // trie model, truncated, another order, corrupt index).
  explicit TrieFile(const std::string& path);

  std::vector<std::string> words;  // by word id
  std::vector<float> unigram_prob, unigram_backoff;
  std::vector<float> bigram_prob_bins, bigram_backoff_bins, trigram_prob_bins;  // 65536 each
  uint32_t bigram_count = 0, trigram_count = 0;

  // Calls the visitors once per stored n-gram, bigrams and their trigrams in file order.
  void visit(const BigramVisitor& bigram, const TrigramVisitor& trigram) const;

 private:
  uint32_t bigram_bits() const;   // record widths of the bit-packed arrays
  uint32_t trigram_bits() const;
  std::string path_;
  std::string bytes_;
  std::vector<uint32_t> first_child_;  // per unigram, and one past the last
  size_t bigrams_at_ = 0, trigrams_at_ = 0;  // byte offsets of the bit-packed arrays
};

}  // namespace unspin::lm
