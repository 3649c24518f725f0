#include "lm/trie_file.h"

#include <cstring>
#include <fstream>
#include <string_view>

#include "common/error.h"

namespace unspin::lm {

namespace {

constexpr std::string_view kHeader = "Trie Language Model";
constexpr uint32_t kBins = 1u << 16;   // 16-bit quantisation: probabilities and backoffs
constexpr uint8_t kMiddleQuantBits = 32;  // backoff (low 16 bits), then probability
constexpr uint8_t kLongestQuantBits = 16;

uint8_t required_bits(uint32_t max_value) {
  uint8_t bits = 0;
  while (max_value) ++bits, max_value >>= 1;
  return bits;
}

// Sequential reads over the file's bytes, every one bounds-checked.
class Cursor {
 public:
  Cursor(const std::string& bytes, const std::string& path) : bytes_(bytes), path_(path) {}
  size_t offset() const { return at_; }
  const char* take(size_t n, const char* what) {
    if (bytes_.size() - at_ < n)
      throw Error(path_ + ": truncated language model (" + what + " at byte " + std::to_string(at_) + ")");
    const char* p = bytes_.data() + at_;
    at_ += n;
    return p;
  }
  template <typename T>
  T value(const char* what) {
    T v;
    std::memcpy(&v, take(sizeof v, what), sizeof v);
    return v;
  }
  template <typename T>
  std::vector<T> array(size_t n, const char* what) {
    std::vector<T> v(n);
    std::memcpy(v.data(), take(n * sizeof(T), what), n * sizeof(T));
    return v;
  }

 private:
  const std::string& bytes_;
  const std::string& path_;
  size_t at_ = 0;
};

// An array of fixed-width records packed bit to bit, little-endian (sphinxbase's bitarr).
struct BitArray {
  const char* base;
  uint32_t record_bits;
  uint32_t read(uint64_t record, uint32_t field_offset, uint8_t bits) const {
    const uint64_t bit = record * record_bits + field_offset;
    uint64_t word;
    std::memcpy(&word, base + (bit >> 3), sizeof word);
    return static_cast<uint32_t>((word >> (bit & 7)) & ((uint64_t{1} << bits) - 1));
  }
  // sphinxbase sizes each array with one spare record and 8 bytes of slack for unaligned reads.
  static size_t bytes(uint32_t records, uint32_t record_bits) {
    return ((uint64_t{1} + records) * record_bits + 7) / 8 + sizeof(uint64_t);
  }
};

struct Unigram {
  float prob, backoff;
  uint32_t first_child;
};
static_assert(sizeof(Unigram) == 12);

}  // namespace

TrieFile::TrieFile(const std::string& path) : path_(path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) throw Error(path + ": cannot open the language model");
  bytes_.resize(static_cast<size_t>(in.tellg()));
  in.seekg(0);
  if (!in.read(bytes_.data(), static_cast<std::streamsize>(bytes_.size())))
    throw Error(path + ": cannot read the language model");
  Cursor c(bytes_, path);
  if (std::string_view(c.take(kHeader.size(), "header"), kHeader.size()) != kHeader)
    throw Error(path + ": not a sphinxbase trie language model (convert ARPA models with sphinx_lm_convert)");
  if (const auto order = c.value<uint8_t>("order"); order != 3)
    throw Error(path + ": a " + std::to_string(order) + "-gram model; unspin reads 3-gram models");
  const auto counts = c.array<uint32_t>(3, "n-gram counts");
  if (counts[0] == 0) throw Error(path + ": the language model has no words");
  bigram_count = counts[1];
  trigram_count = counts[2];
  c.value<int32_t>("quantiser header");
  bigram_prob_bins = c.array<float>(kBins, "bigram probabilities");
  bigram_backoff_bins = c.array<float>(kBins, "bigram backoffs");
  trigram_prob_bins = c.array<float>(kBins, "trigram probabilities");
  const auto unigrams = c.array<Unigram>(counts[0] + 1, "unigrams");
  for (const Unigram& u : unigrams) {
    unigram_prob.push_back(u.prob);
    unigram_backoff.push_back(u.backoff);
    first_child_.push_back(u.first_child);
  }
  unigram_prob.pop_back();  // the last record only ends the previous one's children
  unigram_backoff.pop_back();
  bigrams_at_ = c.offset();
  c.take(BitArray::bytes(counts[1], bigram_bits()), "bigrams");
  trigrams_at_ = c.offset();
  c.take(BitArray::bytes(counts[2], trigram_bits()), "trigrams");

  const auto text_bytes = c.value<int32_t>("vocabulary size");
  if (text_bytes < 0) throw Error(path + ": bad vocabulary size");
  const char* text = c.take(static_cast<size_t>(text_bytes), "vocabulary");
  for (const char *p = text, *end = text + text_bytes; p < end && words.size() < counts[0];) {
    const size_t n = strnlen(p, static_cast<size_t>(end - p));
    words.emplace_back(p, n);
    p += n + 1;
  }
  if (words.size() != counts[0]) throw Error(path + ": the vocabulary does not match the unigram count");
}

void TrieFile::visit(const BigramVisitor& bigram, const TrigramVisitor& trigram) const {
  const uint8_t word_bits = required_bits(static_cast<uint32_t>(words.size()));
  const uint8_t child_bits = required_bits(trigram_count);
  const uint32_t child_at = word_bits + kMiddleQuantBits;
  const BitArray bigrams{bytes_.data() + bigrams_at_, bigram_bits()};
  const BitArray trigrams{bytes_.data() + trigrams_at_, trigram_bits()};
  for (uint32_t w = 0; w < words.size(); ++w) {
    const uint32_t begin = first_child_[w], end = first_child_[w + 1];
    if (begin > end || end > bigram_count) throw Error(path_ + ": corrupt bigram index at word " + std::to_string(w));
    for (uint32_t b = begin; b < end; ++b) {
      const uint32_t previous = bigrams.read(b, 0, word_bits);
      const auto backoff_bin = static_cast<uint16_t>(bigrams.read(b, word_bits, 16));
      const auto prob_bin = static_cast<uint16_t>(bigrams.read(b, word_bits + 16u, 16));
      bigram(w, previous, prob_bin, backoff_bin);
      const uint32_t t_begin = bigrams.read(b, child_at, child_bits), t_end = bigrams.read(b + 1, child_at, child_bits);
      if (t_begin > t_end || t_end > trigram_count)
        throw Error(path_ + ": corrupt trigram index at bigram " + std::to_string(b));
      for (uint32_t t = t_begin; t < t_end; ++t)
        trigram(w, previous, trigrams.read(t, 0, word_bits), static_cast<uint16_t>(trigrams.read(t, word_bits, 16)));
    }
  }
}

uint32_t TrieFile::bigram_bits() const {
  return required_bits(static_cast<uint32_t>(first_child_.size() - 1)) + kMiddleQuantBits + required_bits(trigram_count);
}

uint32_t TrieFile::trigram_bits() const {
  return required_bits(static_cast<uint32_t>(first_child_.size() - 1)) + kLongestQuantBits;
}

}  // namespace unspin::lm
