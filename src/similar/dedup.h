#pragma once
// Streaming near-duplicate clustering of a document collection, in two passes over the input:
//
//  1. signatures: every document's LSH band words (minhash.h: 3 bytes per band, `bands` per
//     document) and its date; nothing else of the document is kept;
//  2. candidates: per band, documents are grouped by band word; equal words give candidate pairs
//     (a bucket of more than max_bucket documents pairs each member with its max_bucket
//     earliest only), and a pair goes on only if the two documents' band words agree on enough
//     values (the sketch estimate of their Jaccard similarity, min_sketch_similarity): chance
//     collisions through common shingles end here, without touching the documents;
//  3. verification: the input is read again; the features of a document in a candidate pair
//     are kept only until its last partner has been read, every candidate pair is compared
//     exactly (similar::compare);
//  4. clustering around the earliest document, without chaining (similar::cluster).
//
// Memory: 3 * bands bytes of band words + 12 bytes per document (+ ids), plus the candidate
// pairs and the features of documents whose partner is still to come; never the texts.
// The result does not depend on the thread count.
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "io/input.h"
#include "similar/cluster.h"
#include "similar/features.h"
#include "similar/minhash.h"
#include "similar/verify.h"

namespace unspin::similar {

struct DedupOptions {
  Thresholds thresholds;
  int threads = 1;
  uint32_t max_bucket = 64;
  // Candidate pairs whose band words estimate a Jaccard similarity below this are not verified.
  double min_sketch_similarity = 0.06;
  // Collections this small skip LSH: every pair is a candidate (exact, and cheap at this size).
  uint32_t all_pairs_below = 1000;
};

struct DedupStats {
  size_t documents = 0;
  size_t bytes = 0;
  size_t candidate_pairs = 0;    // verified exactly
  bool all_pairs = false;        // small collection: every pair verified, no LSH
  size_t linked_pairs = 0;       // verified as duplicate or spun-copy
  size_t bucket_pairs = 0;       // pairs drawn from LSH buckets (a pair once per shared band)
  size_t sketch_rejected = 0;    // of those, below min_sketch_similarity: never verified
  size_t capped_buckets = 0;     // buckets larger than max_bucket
  size_t largest_bucket = 0;
  size_t index_bytes = 0;        // band words + sort buffer + dates and order (the LSH index)
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

// The band words of every document (minhash.h), in blocks of 4096 documents: the store grows
// without the copies, and the transient double size, of one vector's reallocations.
class BandWordStore {
 public:
  BandWordStore(uint32_t bands, uint32_t rows)
      : bands_(bands), rows_(rows), doc_bytes_(size_t{bands} * kBandWordBytes) {}
  // Adds a document; an empty signature (a text without words) gives a document without words.
  void add(std::span<const uint32_t> signature);
  // Adds a document from its band words, laid out as append_band_words does.
  void add_words(std::span<const uint8_t> words);
  uint32_t documents() const { return static_cast<uint32_t>(has_words_.size()); }
  uint32_t bands() const { return bands_; }
  uint32_t rows() const { return rows_; }
  bool has_words(uint32_t d) const { return has_words_[d]; }
  const uint8_t* words(uint32_t d) const { return blocks_[d / kBlockDocs].data() + (d % kBlockDocs) * doc_bytes_; }
  uint32_t word(uint32_t d, uint32_t band) const { return band_word(words(d) + band * kBandWordBytes); }
  size_t bytes() const { return documents() * doc_bytes_ + documents() / 8; }

 private:
  static constexpr uint32_t kBlockDocs = 4096;
  uint8_t* next_slot();
  uint32_t bands_, rows_;
  size_t doc_bytes_;
  std::vector<std::vector<uint8_t>> blocks_;
  std::vector<bool> has_words_;
  std::vector<uint8_t> packed_;  // add()'s buffer
};

struct CandidateOptions {
  uint32_t max_bucket = 64;
  double min_sketch_similarity = 0;
  int threads = 1;  // the pairs are the same for any count
};

// Candidate pairs (a < b, sorted, unique) from the documents' band words; documents without
// words are in none. order[d] is d's position in earliest-first order.
std::vector<std::pair<uint32_t, uint32_t>> candidate_pairs(const BandWordStore& words,
                                                           const std::vector<uint32_t>& order,
                                                           const CandidateOptions& options,
                                                           DedupStats* stats = nullptr);

// Each document's position when sorted by (rank, input position).
std::vector<uint32_t> earliest_first_order(std::vector<uint64_t> rank);

}  // namespace unspin::similar
