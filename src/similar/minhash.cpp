#include "similar/minhash.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <limits>

namespace unspin::similar {

constexpr uint32_t kEmpty = std::numeric_limits<uint32_t>::max();

OphSketch::OphSketch(uint32_t bins, uint64_t seed) : bins_(bins), seed_(seed), mins_(bins, kEmpty) {}

void OphSketch::reset() { std::fill(mins_.begin(), mins_.end(), kEmpty); }

bool OphSketch::empty() const {
  return std::all_of(mins_.begin(), mins_.end(), [](uint32_t v) { return v == kEmpty; });
}

void OphSketch::finish(std::vector<uint32_t>& signature) const {
  signature.clear();
  if (empty()) return;
  // A value of exactly kEmpty in a real bin is possible (prob. 2^-32) and merely makes that
  // bin borrow from another one: still deterministic and the same for equal sets.
  signature.assign(mins_.begin(), mins_.end());
  for (uint32_t i = 0; i < bins_; ++i) {
    if (mins_[i] != kEmpty) continue;
    for (uint64_t attempt = 1;; ++attempt) {
      const uint64_t h = mix64(seed_ ^ (static_cast<uint64_t>(i) << 32) ^ attempt);
      const uint32_t j = static_cast<uint32_t>((static_cast<unsigned __int128>(h) * bins_) >> 64);
      if (mins_[j] != kEmpty) {
        signature[i] = mins_[j];
        break;
      }
    }
  }
}

std::vector<uint32_t> oph_signature(std::span<const uint64_t> hashes, uint32_t bins, uint64_t seed) {
  OphSketch sketch(bins, seed);
  for (uint64_t h : hashes) sketch.add(h);
  std::vector<uint32_t> sig;
  sketch.finish(sig);
  return sig;
}

void band_keys(std::span<const uint32_t> signature, uint32_t bands, uint32_t rows, uint64_t seed,
               std::vector<uint64_t>& keys) {
  keys.clear();
  if (signature.size() < static_cast<size_t>(bands) * rows) return;
  for (uint32_t b = 0; b < bands; ++b)
    keys.push_back(XXH3_64bits_withSeed(signature.data() + static_cast<size_t>(b) * rows,
                                        rows * sizeof(uint32_t), seed + b));
}

double estimate_jaccard(std::span<const uint32_t> a, std::span<const uint32_t> b) {
  if (a.empty() || a.size() != b.size()) return 0.0;
  size_t eq = 0;
  for (size_t i = 0; i < a.size(); ++i) eq += a[i] == b[i];
  return static_cast<double>(eq) / a.size();
}

}  // namespace unspin::similar
