#pragma once
// A document's similarity channels, each with its own shingles:
//   raw        k-word shingles of the word keys (verbatim and syndicated copies)
//   canonical  k-word shingles over canonical ids (phrase map, stop words dropped, lemma,
//              synonym class: spun copies)
//   immutables names, acronyms and numbers a spinner cannot change (a supporting signal)
// Shingle hashes mix the words' 64-bit key hashes (XXH3); no shingle string is ever built.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "similar/canonical.h"

namespace unspin::similar {

enum class Channel { Raw, Canonical };
const char* channel_name(Channel c);
Channel parse_channel(const std::string& name);  // throws unspin::Error

struct Params {
  uint32_t raw_shingle = 5;        // words per raw shingle
  uint32_t canonical_shingle = 2;  // canonical ids per canonical shingle
  uint32_t num_hashes = 160;       // K: OPH bins of a signature
  uint32_t bands = 80;             // LSH bands
  uint32_t rows = 2;               // rows (signature values) per band; bands*rows <= num_hashes
  uint64_t seed = 0x756e7370696e0001ULL;
  Channel lsh_channel = Channel::Canonical;

  void validate() const;           // throws unspin::Error
  nlohmann::json to_json() const;  // every parameter, for output headers and index metadata
};

struct Features {
  std::vector<uint64_t> raw;            // sorted, unique
  std::vector<uint64_t> canonical;      // sorted, unique
  std::vector<uint64_t> canonical_seq;  // canonical shingles in text order (for spread)
  std::vector<uint64_t> immutables;     // sorted, unique
  std::vector<uint64_t> canonical_ids;  // canonical word ids in text order (capped, for order)
  uint32_t words = 0;
};

// Shingles of a sequence of word hashes: one per window of k; a single one for shorter
// non-empty sequences.
void shingle(const std::vector<uint64_t>& words, uint32_t k, std::vector<uint64_t>& out);
void sort_unique(std::vector<uint64_t>& v);

class FeatureExtractor {
 public:
  // `canon` may be null when only the raw channel is used.
  FeatureExtractor(Params params, const Canonicalizer* canon);
  const Params& params() const { return params_; }

  Features extract(std::string_view text) const;
  // The LSH channel's signature (empty for a text without words).
  void signature(std::string_view text, std::vector<uint32_t>& sig) const;
  void raw_signature(std::string_view text, std::vector<uint32_t>& sig) const;
  void canonical_signature(std::string_view text, std::vector<uint32_t>& sig) const;
  // The LSH channel's band keys (empty for a text without words).
  void band_keys(std::string_view text, std::vector<uint64_t>& keys) const;

 private:
  void canonical_words(std::string_view text, std::vector<uint64_t>& ids) const;
  void sketch_shingles(const std::vector<uint64_t>& words, uint32_t k, std::vector<uint32_t>& sig) const;

  Params params_;
  const Canonicalizer* canon_;
};

}  // namespace unspin::similar
