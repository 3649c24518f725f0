#include "similar/minhash.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "common/error.h"

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

void append_band_words(std::span<const uint32_t> signature, uint32_t bands, uint32_t rows,
                       std::vector<uint8_t>& out) {
  const uint32_t bits = kBandWordBits / rows;
  const uint32_t mask = (1u << bits) - 1;
  for (uint32_t b = 0; b < bands; ++b) {
    uint32_t word = 0;
    for (uint32_t r = 0; r < rows; ++r) word |= (signature[static_cast<size_t>(b) * rows + r] & mask) << (r * bits);
    for (uint32_t byte = 0; byte < kBandWordBytes; ++byte) out.push_back(static_cast<uint8_t>(word >> (8 * byte)));
  }
}

BandWordCompare::BandWordCompare(uint32_t bands, uint32_t rows)
    : bands_(bands), rows_(rows), bits_(kBandWordBits / std::max(1u, rows)) {
  if (rows < 1 || rows > kBandWordBits)
    throw Error("dedup's band words hold 1.." + std::to_string(kBandWordBits) + " rows per band");
  for (uint32_t r = 0; r < rows_; ++r) {
    const uint64_t top = uint64_t{1} << (r * bits_ + bits_ - 1);
    high_ |= top | top << kBandWordBits;  // two band words side by side
    low_ |= (top - (uint64_t{1} << (r * bits_))) * ((uint64_t{1} << kBandWordBits) + 1);
  }
  chunk_ = std::max(1u, std::min(bands_, (1u << bits_) - 1));
  chance_ = std::ldexp(1.0, -static_cast<int>(bits_));
}

namespace {

// Two consecutive band words (6 bytes, little-endian) in the low 48 bits.
uint64_t load_word_pair(const uint8_t* p) {
  uint64_t v = 0;
  for (int k = 0; k < 2 * static_cast<int>(kBandWordBytes); ++k) v |= static_cast<uint64_t>(p[k]) << (8 * k);
  return v;
}

}  // namespace

// SWAR over two band words at a time: per value, ((x & low) + low) sets its top bit when any
// lower bit of x is set, `| x` adds x's own top bit; the top bits, shifted to each value's
// bottom, count the differing values per position. Summing at most `chunk_` pairs before the
// counts are read keeps every count below its field's capacity.
uint32_t BandWordCompare::equal_values(const uint8_t* a, const uint8_t* b) const {
  const uint64_t field = (uint64_t{1} << bits_) - 1;
  auto differing_in = [&](uint64_t counts) {
    uint32_t sum = 0;
    for (uint32_t half = 0; half < 2; ++half)
      for (uint32_t r = 0; r < rows_; ++r)
        sum += static_cast<uint32_t>((counts >> (half * kBandWordBits + r * bits_)) & field);
    return sum;
  };
  const uint32_t pairs = bands_ / 2;
  constexpr size_t kPairBytes = 2 * kBandWordBytes;
  uint32_t differing = 0;
  for (uint32_t i = 0; i < pairs; i += chunk_) {
    const uint32_t end = std::min(pairs, i + chunk_);
    uint64_t counts = 0;
    for (uint32_t j = i; j < end; ++j) {
      const uint64_t x = load_word_pair(a + j * kPairBytes) ^ load_word_pair(b + j * kPairBytes);
      counts += ((((x & low_) + low_) | x) & high_) >> (bits_ - 1);
    }
    differing += differing_in(counts);
  }
  if (bands_ % 2) {  // the last, unpaired word (the upper half of the masks stays unused)
    const uint64_t x = band_word(a + pairs * kPairBytes) ^ band_word(b + pairs * kPairBytes);
    differing += differing_in(((((x & low_) + low_) | x) & high_) >> (bits_ - 1));
  }
  return bands_ * rows_ - differing;
}

double BandWordCompare::similarity(const uint8_t* a, const uint8_t* b) const {
  const double share = static_cast<double>(equal_values(a, b)) / (bands_ * rows_);
  return std::max(0.0, (share - chance_) / (1.0 - chance_));
}

uint32_t BandWordCompare::min_equal_for(double similarity) const {
  if (similarity <= 0) return 0;
  const double share = chance_ + similarity * (1.0 - chance_);
  return static_cast<uint32_t>(std::ceil(share * (bands_ * rows_) - 1e-9));
}

double estimate_jaccard(std::span<const uint32_t> a, std::span<const uint32_t> b) {
  if (a.empty() || a.size() != b.size()) return 0.0;
  size_t eq = 0;
  for (size_t i = 0; i < a.size(); ++i) eq += a[i] == b[i];
  return static_cast<double>(eq) / a.size();
}

}  // namespace unspin::similar
