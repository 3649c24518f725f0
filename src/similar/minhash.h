#pragma once
// MinHash signatures by one-permutation hashing (OPH) with optimal densification, and LSH band
// keys. Cost O(d + K) for d shingles and K bins (classic MinHash is O(d K)).
//
// Each shingle hash is remixed with the seed; its top bits pick one of K bins and the bin keeps
// the smallest value. Empty bins borrow the value of a non-empty bin chosen by a seeded probe
// sequence (Shrivastava 2017), which keeps P[sig_a[i] == sig_b[i]] = Jaccard(a, b).
#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

namespace unspin::similar {

inline uint64_t mix64(uint64_t x) {  // splitmix64 / murmur finaliser
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

class OphSketch {
 public:
  OphSketch(uint32_t bins, uint64_t seed);
  void reset();
  void add(uint64_t shingle_hash) {
    const uint64_t h = mix64(shingle_hash ^ seed_);
    const uint32_t bin = static_cast<uint32_t>((static_cast<unsigned __int128>(h) * bins_) >> 64);
    const uint32_t v = static_cast<uint32_t>(h);
    if (v < mins_[bin]) mins_[bin] = v;
  }
  bool empty() const;
  // The densified signature (K values). An empty sketch gives an empty signature.
  void finish(std::vector<uint32_t>& signature) const;

 private:
  uint32_t bins_;
  uint64_t seed_;
  std::vector<uint32_t> mins_;
};

// Signature of a set given as a sequence of hashes (duplicates allowed).
std::vector<uint32_t> oph_signature(std::span<const uint64_t> hashes, uint32_t bins, uint64_t seed);

// One key per band: band b hashes sig[b*rows .. b*rows+rows) with the band number and seed.
void band_keys(std::span<const uint32_t> signature, uint32_t bands, uint32_t rows, uint64_t seed,
               std::vector<uint64_t>& keys);

// dedup's compact LSH index: one 24-bit *band word* per band, the band's `rows` signature values
// cut to their low 24/rows bits and packed side by side (rows <= 24). Equal words are the band's
// candidates (as equal band keys would be), and comparing two documents' words value by value
// estimates their Jaccard similarity (b-bit minwise hashing, Li & Koenig 2010) without the
// documents: the cheap check before exact verification. 3 bytes per band and document.
inline constexpr uint32_t kBandWordBits = 24;
inline constexpr uint32_t kBandWordBytes = kBandWordBits / 8;

// Appends the signature's band words (kBandWordBytes each, little-endian) to `out`.
void append_band_words(std::span<const uint32_t> signature, uint32_t bands, uint32_t rows,
                       std::vector<uint8_t>& out);
inline uint32_t band_word(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 | static_cast<uint32_t>(p[2]) << 16;
}

// Compares two documents' band words (each `bands` words, as append_band_words lays them out).
class BandWordCompare {
 public:
  BandWordCompare(uint32_t bands, uint32_t rows);  // throws unspin::Error for rows > 24
  // How many of the bands * rows packed values are equal.
  uint32_t equal_values(const uint8_t* a, const uint8_t* b) const;
  // The Jaccard estimate, corrected for values equal by chance (2^-bits each).
  double similarity(const uint8_t* a, const uint8_t* b) const;
  // The fewest equal values whose estimate reaches `similarity`.
  uint32_t min_equal_for(double similarity) const;

 private:
  uint32_t bands_, rows_, bits_;
  uint64_t high_ = 0, low_ = 0;  // each value's top bit; its other bits (for two band words)
  uint32_t chunk_;               // word pairs summed before a value's count could overflow
  double chance_;
};

// Fraction of equal positions: the MinHash estimate of Jaccard similarity.
double estimate_jaccard(std::span<const uint32_t> a, std::span<const uint32_t> b);

// P(two sets of Jaccard s share at least one band key) = 1 - (1 - s^r)^b.
inline double lsh_probability(double s, uint32_t bands, uint32_t rows) {
  return 1.0 - std::pow(1.0 - std::pow(s, rows), bands);
}

}  // namespace unspin::similar
