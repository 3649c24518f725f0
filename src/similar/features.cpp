#include "similar/features.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>

#include "common/error.h"
#include "similar/minhash.h"
#include "similar/words.h"

namespace unspin::similar {

constexpr size_t kMaxOrderIds = 4000;

const char* channel_name(Channel c) { return c == Channel::Raw ? "raw" : "canonical"; }

Channel parse_channel(const std::string& name) {
  if (name == "raw") return Channel::Raw;
  if (name == "canonical") return Channel::Canonical;
  throw Error("unknown channel '" + name + "' (raw or canonical)");
}

void Params::validate() const {
  if (raw_shingle < 1 || raw_shingle > 16 || canonical_shingle < 1 || canonical_shingle > 16)
    throw Error("shingle size must be 1..16");
  if (num_hashes < 1 || num_hashes > 4096) throw Error("num_hashes must be 1..4096");
  if (bands < 1 || rows < 1 || static_cast<uint64_t>(bands) * rows > num_hashes)
    throw Error("bands x rows (" + std::to_string(bands) + " x " + std::to_string(rows) +
                ") must be at most num_hashes (" + std::to_string(num_hashes) + ")");
}

nlohmann::json Params::to_json() const {
  char seed_hex[32];
  std::snprintf(seed_hex, sizeof seed_hex, "0x%016llx", static_cast<unsigned long long>(seed));
  return {{"k", num_hashes},
          {"bands", bands},
          {"rows", rows},
          {"raw_shingle", raw_shingle},
          {"canonical_shingle", canonical_shingle},
          {"seed", seed_hex},
          {"lsh_channel", channel_name(lsh_channel)},
          {"hash", "word keys: splitmix (<= 8 bytes) / xxh3-64; shingles: rolling polynomial; bands: xxh3-64"},
          {"minhash", "one-permutation hashing + optimal densification"}};
}

void sort_unique(std::vector<uint64_t>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

namespace {

// Shingle hashes of a word-hash stream, one word at a time: a polynomial over the window's word
// hashes, rolled in O(1) per word (s' = (s - w_out * P^(k-1)) * P + w_in); MinHash remixes it
// with the seed. No word or shingle vector is needed.
class ShingleRoller {
 public:
  static constexpr size_t kMaxWidth = 16;  // Params::validate bounds shingle sizes
  explicit ShingleRoller(uint32_t k) : k_(k) {
    for (uint32_t j = 1; j < k_; ++j) p_k_ *= kP;
  }
  // Adds a word; true when it completes a window of k words, whose hash is then value().
  bool push(uint64_t word) {
    s_ -= ring_[slot_] * p_k_;  // the word leaving the window (0 while the first fills)
    s_ = s_ * kP + word;
    ring_[slot_] = word;
    slot_ = slot_ + 1 == k_ ? 0 : slot_ + 1;
    return ++count_ >= k_;
  }
  uint64_t value() const { return s_; }
  // A text of fewer than k words still gives one shingle: value() over all its words.
  bool short_text() const { return count_ > 0 && count_ < k_; }

 private:
  static constexpr uint64_t kP = 0x9E3779B97F4A7C15ULL;
  uint32_t k_;
  uint64_t p_k_ = 1;  // P^(k-1)
  uint64_t s_ = 0;
  uint64_t ring_[kMaxWidth] = {};
  uint32_t slot_ = 0;
  size_t count_ = 0;
};

}  // namespace

// One shingle per window of k; a single one for shorter non-empty sequences.
void shingle(const std::vector<uint64_t>& words, uint32_t k, std::vector<uint64_t>& out) {
  out.clear();
  ShingleRoller roll(k);
  for (uint64_t w : words)
    if (roll.push(w)) out.push_back(roll.value());
  if (roll.short_text()) out.push_back(roll.value());
}

FeatureExtractor::FeatureExtractor(Params params, const Canonicalizer* canon)
    : params_(params), canon_(canon) {
  params_.validate();
}

void FeatureExtractor::canonical_words(std::string_view text, std::vector<uint64_t>& ids) const {
  if (!canon_) throw Error("the canonical channel needs a canonicalizer");
  // Keys live only during the tokenizer's callback: lower-cased or folded ones are copied to an
  // arena, the others (most) are views of the text and stay valid.
  struct KeySpan {
    uint32_t offset, size;
    bool in_text;
  };
  thread_local std::string arena;
  thread_local std::vector<KeySpan> spans;
  thread_local std::vector<std::string_view> keys;
  thread_local std::vector<uint64_t> hashes;
  arena.clear();
  spans.clear();
  hashes.clear();
  const auto text_begin = reinterpret_cast<uintptr_t>(text.data());
  for_each_word(text, [&](std::string_view key, const WordInfo& info) {
    const auto at = reinterpret_cast<uintptr_t>(key.data());
    const auto size = static_cast<uint32_t>(key.size());
    if (at >= text_begin && at < text_begin + text.size()) {
      spans.push_back({static_cast<uint32_t>(at - text_begin), size, true});
    } else {
      spans.push_back({static_cast<uint32_t>(arena.size()), size, false});
      arena.append(key);
    }
    hashes.push_back(info.hash);
  });
  keys.clear();
  for (const KeySpan& k : spans) keys.emplace_back((k.in_text ? text.data() : arena.data()) + k.offset, k.size);
  canon_->canonicalize(keys, hashes, ids);
}

Features FeatureExtractor::extract(std::string_view text) const {
  Features f;
  std::vector<uint64_t> words;
  for_each_word(text, [&](std::string_view key, const WordInfo& info) {
    const uint64_t h = info.hash;
    words.push_back(h);
    const bool name = info.capitalized && !info.sentence_start && !(canon_ && canon_->is_stop_word(key));
    if ((info.number && key.size() >= 2) || name) f.immutables.push_back(h);
  });
  f.words = static_cast<uint32_t>(words.size());
  shingle(words, params_.raw_shingle, f.raw);
  sort_unique(f.raw);
  sort_unique(f.immutables);
  if (canon_) {
    std::vector<uint64_t> ids;
    canonical_words(text, ids);
    f.canonical_ids.assign(ids.begin(), ids.begin() + static_cast<long>(std::min<size_t>(ids.size(), kMaxOrderIds)));
    shingle(ids, params_.canonical_shingle, f.canonical_seq);
    f.canonical = f.canonical_seq;
    sort_unique(f.canonical);
  }
  return f;
}

// MinHash of the k-shingles of a word-hash sequence.
void FeatureExtractor::sketch_shingles(const std::vector<uint64_t>& words, uint32_t k,
                                       std::vector<uint32_t>& sig) const {
  OphSketch sketch(params_.num_hashes, params_.seed);
  ShingleRoller roll(k);
  for (uint64_t w : words)
    if (roll.push(w)) sketch.add(roll.value());
  if (roll.short_text()) sketch.add(roll.value());
  sketch.finish(sig);
}

// The raw channel's hot path: words are shingled and sketched as the tokenizer finds them.
void FeatureExtractor::raw_signature(std::string_view text, std::vector<uint32_t>& sig) const {
  OphSketch sketch(params_.num_hashes, params_.seed);
  ShingleRoller roll(params_.raw_shingle);
  for_each_word(text, [&](std::string_view, const WordInfo& w) {
    if (roll.push(w.hash)) sketch.add(roll.value());
  });
  if (roll.short_text()) sketch.add(roll.value());
  sketch.finish(sig);
}

void FeatureExtractor::canonical_signature(std::string_view text, std::vector<uint32_t>& sig) const {
  thread_local std::vector<uint64_t> ids;
  canonical_words(text, ids);
  sketch_shingles(ids, params_.canonical_shingle, sig);
}

void FeatureExtractor::signature(std::string_view text, std::vector<uint32_t>& sig) const {
  if (params_.lsh_channel == Channel::Raw)
    raw_signature(text, sig);
  else
    canonical_signature(text, sig);
}

void FeatureExtractor::band_keys(std::string_view text, std::vector<uint64_t>& keys) const {
  thread_local std::vector<uint32_t> sig;
  signature(text, sig);
  similar::band_keys(sig, params_.bands, params_.rows, params_.seed, keys);
}

}  // namespace unspin::similar
