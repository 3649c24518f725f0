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

// Shingle hash: a polynomial over the words' 64-bit hashes, rolled in O(1) per window
// (s' = (s - w_out * P^(k-1)) * P + w_in); MinHash remixes it with the seed.
void shingle(const std::vector<uint64_t>& words, uint32_t k, std::vector<uint64_t>& out) {
  constexpr uint64_t P = 0x9E3779B97F4A7C15ULL;
  out.clear();
  if (words.empty()) return;
  const size_t n = words.size();
  const size_t width = std::min<size_t>(k, n);
  uint64_t pk = 1;  // P^(width-1)
  for (size_t j = 1; j < width; ++j) pk *= P;
  uint64_t s = 0;
  for (size_t j = 0; j < width; ++j) s = s * P + words[j];
  out.reserve(n - width + 1);
  out.push_back(s);
  for (size_t i = width; i < n; ++i) {
    s = (s - words[i - width] * pk) * P + words[i];
    out.push_back(s);
  }
}

FeatureExtractor::FeatureExtractor(Params params, const Canonicalizer* canon)
    : params_(params), canon_(canon) {
  params_.validate();
}

void FeatureExtractor::raw_words(std::string_view text, std::vector<uint64_t>& hashes) const {
  hashes.clear();
  for_each_word(text, [&](std::string_view key, const WordInfo&) { hashes.push_back(hash_key(key)); });
}

void FeatureExtractor::canonical_words(std::string_view text, std::vector<uint64_t>& ids) const {
  if (!canon_) throw Error("the canonical channel needs a canonicalizer");
  thread_local std::string arena;
  thread_local std::vector<std::pair<uint32_t, uint32_t>> spans;
  thread_local std::vector<std::string_view> keys;
  arena.clear();
  spans.clear();
  for_each_word(text, [&](std::string_view key, const WordInfo&) {
    spans.emplace_back(static_cast<uint32_t>(arena.size()), static_cast<uint32_t>(key.size()));
    arena.append(key);
  });
  keys.clear();
  for (auto [b, n] : spans) keys.emplace_back(arena.data() + b, n);
  canon_->canonicalize(keys, ids);
}

Features FeatureExtractor::extract(std::string_view text) const {
  Features f;
  std::vector<uint64_t> words;
  for_each_word(text, [&](std::string_view key, const WordInfo& info) {
    const uint64_t h = hash_key(key);
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

// MinHash of the k-shingles of a word-hash sequence. Buffers are per thread: this runs per document.
void FeatureExtractor::sketch_shingles(const std::vector<uint64_t>& words, uint32_t k,
                                       std::vector<uint32_t>& sig) const {
  thread_local std::vector<uint64_t> shingles;
  shingle(words, k, shingles);
  OphSketch sketch(params_.num_hashes, params_.seed);
  for (uint64_t s : shingles) sketch.add(s);
  sketch.finish(sig);
}

void FeatureExtractor::raw_signature(std::string_view text, std::vector<uint32_t>& sig) const {
  thread_local std::vector<uint64_t> words;
  raw_words(text, words);
  sketch_shingles(words, params_.raw_shingle, sig);
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
