#pragma once
// Streaming near-duplicate clustering of a document collection, in two passes over the input:
//
//  1. signatures: every document's LSH band keys (32-bit each, `bands` per document) and its id;
//     nothing else of the document is kept;
//  2. candidates: per band, the (key, doc) pairs are sorted and equal keys give candidate pairs
//     (a bucket of more than max_bucket documents pairs each member with its max_bucket
//     earliest only);
//  3. verification: the input is read again; the features of a document in a candidate pair
//     are kept only until its last partner has been read, every candidate pair is compared
//     exactly (similar::compare);
//  4. clustering around the earliest document, without chaining (similar::cluster).
//
// Memory: 4 * bands bytes of keys + ~12 bytes per document (+ ids), plus the candidate pairs and
// the features of documents whose partner is still to come; never the texts.
// The result does not depend on the thread count.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "io/input.h"
#include "similar/cluster.h"
#include "similar/features.h"
#include "similar/verify.h"

namespace unspin::similar {

struct DedupOptions {
  Thresholds thresholds;
  int threads = 1;
  uint32_t max_bucket = 64;
  // Collections this small skip LSH: every pair is a candidate (exact, and cheap at this size).
  uint32_t all_pairs_below = 1000;
};

struct DedupStats {
  size_t documents = 0;
  size_t bytes = 0;
  size_t candidate_pairs = 0;
  bool all_pairs = false;        // small collection: every pair verified, no LSH
  size_t linked_pairs = 0;       // verified as duplicate or spun-copy
  size_t capped_buckets = 0;     // buckets larger than max_bucket
  size_t index_bytes = 0;        // band keys + sort buffer + ranks (the LSH index)
  size_t peak_open_features = 0; // most documents' features held at once in verification
  double seconds_signatures = 0, seconds_candidates = 0, seconds_verify = 0, seconds_cluster = 0;
};

struct DedupResult {
  std::vector<std::string> ids;       // by document number (input order)
  std::vector<bool> from_jsonl;
  std::vector<Assignment> assignment; // by document number
  std::vector<ScoredPair> pairs;      // every verified candidate pair
  DedupStats stats;
};

// Errors (unreadable file, malformed JSONL line with its line number) go to `error` once each,
// in input order; the other documents are processed. Standard input must be spooled to a file
// by the caller (the input is read twice).
DedupResult dedup(const io::InputOptions& input, const FeatureExtractor& extractor, const DedupOptions& options,
                  const std::function<void(const std::string&)>& error);

// Candidate pairs (a < b, sorted, unique) from per-document band keys: keys[d * bands + i].
// Documents with no keys (empty texts) have has_keys[d] == false.
std::vector<std::pair<uint32_t, uint32_t>> candidate_pairs(const std::vector<uint32_t>& keys,
                                                           const std::vector<bool>& has_keys, uint32_t bands,
                                                           const std::vector<uint64_t>& rank, uint32_t max_bucket,
                                                           size_t* capped = nullptr);

}  // namespace unspin::similar
