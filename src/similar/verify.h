#pragma once
// Exact verification of a candidate pair from its channels, and the verdict.
#include <cstdint>
#include <string>

#include "similar/features.h"

namespace unspin::similar {

enum class Verdict { Unrelated, Related, SpunCopy, Duplicate };
const char* verdict_name(Verdict v);

struct PairScore {
  double jaccard = 0;                // raw shingles: |A n B| / |A u B|
  double containment = 0;            // raw shingles: |A n B| / min(|A|, |B|)
  double canonical_jaccard = 0;      // canonical shingles
  double canonical_containment = 0;  // canonical shingles, over the smaller document
  double spread = 0;                 // share of the smaller document's stretches that are shared
  double order = 0;                  // canonical words in the same order: LCS / shorter length
  double order_chance = 0;           // the same against one text reversed: what shared words alone give
  double immutables = 0;             // names and numbers: |A n B| / min(|A|, |B|)
  double score = 0;                  // the combined evidence of copying, 0..1
  Verdict verdict = Verdict::Unrelated;
};

struct Thresholds {
  double duplicate_jaccard = 0.8;      // raw Jaccard for "duplicate"
  double duplicate_containment = 0.9;  // or raw containment with near-equal sizes
  double copy_score = 0.15;            // score for "spun-copy" (and cluster membership)
  double related_score = 0.08;         // score for "related"
  double quote_containment = 0.2;      // raw containment that signals a shared verbatim block...
  double min_spread = 0.6;             // ...which then needs canonical shingles this spread out
  double min_overlap = 0.04;           // below this canonical and raw containment, no order check
  size_t min_order_words = 12;         // word order counts only when both texts have this many
};

size_t intersection_size(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b);
// Longest common subsequence of two id sequences over the shorter one's length.
double lcs_ratio(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b);
// Fraction of the 10 equal stretches of `seq` in which at least a quarter of the shingles are
// also in the sorted set `other`: copying is spread through a text, a shared quotation is not.
double spread(const std::vector<uint64_t>& seq, const std::vector<uint64_t>& other);

PairScore compare(const Features& a, const Features& b, const Thresholds& t = {});

// Does the verdict put the pair in one cluster?
inline bool same_cluster(Verdict v) { return v == Verdict::Duplicate || v == Verdict::SpunCopy; }

}  // namespace unspin::similar
