#include "similar/dedup.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <numeric>
#include <unordered_map>

#include "common/error.h"
#include "io/batch.h"
#include "similar/minhash.h"

namespace unspin::similar {

namespace {

double now() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

// One band's (word << 32 | doc) entries in ascending order, documents without words left out.
// A counting pass on the word's top bits (up to 16, fewer for small collections so that the
// tables stay below 2 bytes per document), then a sort of each small group: a full sort of a
// million entries per band costs several times more. Its buffers live across bands.
class BandSorter {
 public:
  explicit BandSorter(uint32_t documents) {
    while (group_bits_ < 16 && (size_t{4} << group_bits_) <= documents) ++group_bits_;
  }
  size_t table_bytes() const { return 2 * ((size_t{1} << group_bits_) + 1) * sizeof(uint32_t); }

  const std::vector<uint64_t>& sort(const BandWordStore& words, uint32_t band) {
    const uint32_t n = words.documents();
    starts_.assign((size_t{1} << group_bits_) + 1, 0);
    for (uint32_t d = 0; d < n; ++d)
      if (words.has_words(d)) ++starts_[group(words.word(d, band)) + 1];
    std::partial_sum(starts_.begin(), starts_.end(), starts_.begin());
    entries_.resize(starts_.back());
    fill_.assign(starts_.begin(), starts_.end() - 1);
    for (uint32_t d = 0; d < n; ++d)
      if (words.has_words(d)) {
        const uint32_t w = words.word(d, band);
        entries_[fill_[group(w)]++] = static_cast<uint64_t>(w) << 32 | d;
      }
    for (size_t g = 0; g + 1 < starts_.size(); ++g)
      if (starts_[g + 1] - starts_[g] > 1) std::sort(entries_.begin() + starts_[g], entries_.begin() + starts_[g + 1]);
    return entries_;
  }

 private:
  uint32_t group(uint32_t word) const { return word >> (kBandWordBits - group_bits_); }
  uint32_t group_bits_ = 0;
  std::vector<uint64_t> entries_;
  std::vector<uint32_t> starts_, fill_;
};

// Pairs from the buckets of a band (runs of documents with one band word): each member with its
// max_bucket earliest fellow members, kept when the two documents' band words agree on at least
// `min_equal` values. One scanner per slice of a band, so that slices run in parallel.
class BucketScanner {
 public:
  BucketScanner(const BandWordStore& words, const std::vector<uint32_t>& order, const BandWordCompare& compare,
                uint32_t max_bucket, uint32_t min_equal)
      : words_(words), order_(order), compare_(compare), max_bucket_(max_bucket), min_equal_(min_equal) {}

  // The buckets in entries[begin, end) (which starts and ends at bucket boundaries).
  void scan(const std::vector<uint64_t>& entries, size_t begin, size_t end) {
    for (size_t i = begin; i < end;) {
      size_t j = i + 1;
      while (j < end && (entries[j] >> 32) == (entries[i] >> 32)) ++j;
      if (j - i > 1) {
        run_.clear();
        for (size_t k = i; k < j; ++k) run_.push_back(static_cast<uint32_t>(entries[k]));
        add_bucket();
      }
      i = j;
    }
    if (pairs.size() > (1u << 22)) sort_unique(pairs);  // a pair recurs once per shared band
  }

  std::vector<uint64_t> pairs;  // (a << 32) | b with a < b
  DedupStats stats;             // bucket_pairs, sketch_rejected, capped_buckets, largest_bucket

 private:
  void add_bucket() {
    stats.largest_bucket = std::max(stats.largest_bucket, run_.size());
    if (run_.size() > max_bucket_) {
      ++stats.capped_buckets;
      std::sort(run_.begin(), run_.end(), [&](uint32_t x, uint32_t y) { return order_[x] < order_[y]; });
    }
    const size_t limit = std::min<size_t>(run_.size(), max_bucket_);
    for (size_t x = 1; x < run_.size(); ++x)
      for (size_t y = 0; y < std::min(x, limit); ++y) {
        const uint32_t a = std::min(run_[x], run_[y]), b = std::max(run_[x], run_[y]);
        ++stats.bucket_pairs;
        if (min_equal_ && compare_.equal_values(words_.words(a), words_.words(b)) < min_equal_) {
          ++stats.sketch_rejected;
          continue;
        }
        pairs.push_back(static_cast<uint64_t>(a) << 32 | b);
      }
  }

  const BandWordStore& words_;
  const std::vector<uint32_t>& order_;
  const BandWordCompare& compare_;
  uint32_t max_bucket_, min_equal_;
  std::vector<uint32_t> run_;
};

// Cuts entries into `parts` slices of about equal size, each starting at a bucket boundary.
std::vector<size_t> bucket_slices(const std::vector<uint64_t>& entries, size_t parts) {
  std::vector<size_t> cuts = {0};
  for (size_t p = 1; p < parts; ++p) {
    size_t at = std::max(cuts.back(), entries.size() * p / parts);
    while (at > cuts.back() && at < entries.size() && (entries[at] >> 32) == (entries[at - 1] >> 32)) ++at;
    cuts.push_back(at);
  }
  cuts.push_back(entries.size());
  return cuts;
}

}  // namespace

void BandWordStore::add(std::span<const uint32_t> signature) {
  has_words_.push_back(!signature.empty());
  uint8_t* slot = next_slot();
  if (signature.empty()) return;  // zeros, never read
  packed_.clear();
  append_band_words(signature, bands_, rows_, packed_);
  std::copy(packed_.begin(), packed_.end(), slot);
}

void BandWordStore::add_words(std::span<const uint8_t> words) {
  if (words.size() != doc_bytes_) throw Error("internal: band words of the wrong size");
  has_words_.push_back(true);
  std::copy(words.begin(), words.end(), next_slot());
}

uint8_t* BandWordStore::next_slot() {
  const uint32_t d = documents() - 1;  // the document just counted
  if (d % kBlockDocs == 0) {
    blocks_.emplace_back();
    blocks_.back().reserve(kBlockDocs * doc_bytes_);
  }
  std::vector<uint8_t>& block = blocks_.back();
  block.resize(block.size() + doc_bytes_);
  return block.data() + block.size() - doc_bytes_;
}

// The positions are written over the ranks before narrowing, so that at most 12 bytes per
// document are held at once (this runs beside the band words).
std::vector<uint32_t> earliest_first_order(std::vector<uint64_t> rank) {
  const uint32_t n = static_cast<uint32_t>(rank.size());
  {
    std::vector<uint32_t> by_time(n);
    std::iota(by_time.begin(), by_time.end(), 0u);
    std::stable_sort(by_time.begin(), by_time.end(), [&](uint32_t x, uint32_t y) { return rank[x] < rank[y]; });
    for (uint32_t i = 0; i < n; ++i) rank[by_time[i]] = i;
  }
  return std::vector<uint32_t>(rank.begin(), rank.end());
}

std::vector<std::pair<uint32_t, uint32_t>> candidate_pairs(const BandWordStore& words,
                                                           const std::vector<uint32_t>& order,
                                                           const CandidateOptions& options, DedupStats* stats) {
  const BandWordCompare compare(words.bands(), words.rows());
  const uint32_t min_equal = compare.min_equal_for(options.min_sketch_similarity);
  // More slices than threads, so that a slice of large buckets does not hold the others up.
  const size_t slices = options.threads > 1 ? 4 * static_cast<size_t>(options.threads) : 1;
  std::vector<BucketScanner> scanners(slices, BucketScanner(words, order, compare, options.max_bucket, min_equal));
  io::WorkerPool pool(options.threads);
  BandSorter sorter(words.documents());
  for (uint32_t band = 0; band < words.bands(); ++band) {
    const std::vector<uint64_t>& entries = sorter.sort(words, band);
    const std::vector<size_t> cuts = bucket_slices(entries, slices);
    pool.run(slices, [&](size_t k) { scanners[k].scan(entries, cuts[k], cuts[k + 1]); });
  }
  std::vector<uint64_t> pairs;
  for (auto& scanner : scanners) {
    pairs.insert(pairs.end(), scanner.pairs.begin(), scanner.pairs.end());
    if (!stats) continue;
    stats->bucket_pairs += scanner.stats.bucket_pairs;
    stats->sketch_rejected += scanner.stats.sketch_rejected;
    stats->capped_buckets += scanner.stats.capped_buckets;
    stats->largest_bucket = std::max(stats->largest_bucket, scanner.stats.largest_bucket);
  }
  sort_unique(pairs);
  std::vector<std::pair<uint32_t, uint32_t>> out;
  out.reserve(pairs.size());
  for (uint64_t p : pairs) out.emplace_back(static_cast<uint32_t>(p >> 32), static_cast<uint32_t>(p));
  return out;
}

namespace {

// Pass 1's product: what the LSH stage needs of every document.
struct SignedCollection {
  BandWordStore words;
  std::vector<uint64_t> rank;  // date_rank of each document
  std::vector<size_t> error_items;  // positions of input errors among all items (InputReader)
};

SignedCollection sign_all(const io::InputOptions& input, const FeatureExtractor& extractor, int threads,
                          DedupResult& result, const std::function<void(const std::string&)>& error) {
  const Params& p = extractor.params();
  SignedCollection c{BandWordStore(p.bands, p.rows), {}, {}};
  io::InputReader reader(input);
  io::BatchCallbacks<std::vector<uint32_t>> cb;
  cb.work = [&](const io::InputDoc& doc) {
    std::vector<uint32_t> sig;
    extractor.signature(doc.text, sig);
    return sig;
  };
  cb.emit = [&](const io::InputDoc& doc, std::vector<uint32_t>& sig) {
    if (doc.index != result.ids.size()) throw Error("internal: document numbering out of order");
    result.ids.push_back(doc.id);
    result.from_jsonl.push_back(doc.from_jsonl);
    c.rank.push_back(date_rank(doc.date));
    c.words.add(sig);
    result.stats.bytes += doc.text.size();
  };
  cb.error = [&](const std::string& message) {
    c.error_items.push_back(result.ids.size() + c.error_items.size());
    error(message);
  };
  io::process_in_order(reader, threads, cb);
  return c;
}

// The candidate pairs by their later document: each document's earlier partners (CSR) and its
// last partner, and whether it is in any pair.
struct Partners {
  std::vector<uint32_t> offset, earlier, last;
  std::vector<bool> needed;

  Partners(uint32_t n, const std::vector<std::pair<uint32_t, uint32_t>>& cands)
      : offset(static_cast<size_t>(n) + 1, 0), earlier(cands.size()), last(n, 0), needed(n, false) {
    for (auto [a, b] : cands) {
      ++offset[b + 1];
      needed[a] = needed[b] = true;
      last[a] = std::max(last[a], b);
    }
    std::partial_sum(offset.begin(), offset.end(), offset.begin());
    std::vector<uint32_t> fill(offset.begin(), offset.end() - 1);
    for (auto [a, b] : cands) earlier[fill[b]++] = a;
  }
};

// Pass 2: reads the input again, extracts the features of documents in a candidate pair and
// compares each pair once its later document has been read. A document's features are dropped
// after its last partner; documents in no pair are skipped unparsed.
std::vector<ScoredPair> verify_all(const io::InputOptions& input, const std::vector<size_t>& error_items,
                                   const FeatureExtractor& extractor, const DedupOptions& options, uint32_t n,
                                   const std::vector<std::pair<uint32_t, uint32_t>>& cands, DedupStats& st) {
  std::vector<ScoredPair> out;
  if (cands.empty()) return out;
  const Partners partners(n, cands);
  out.reserve(cands.size());
  std::unordered_map<uint32_t, std::shared_ptr<const Features>> open;
  std::vector<std::pair<uint32_t, uint32_t>> ready;
  uint32_t seen = 0;  // documents before this one have been read or skipped
  io::InputReader reader(input);
  reader.skip_unwanted([&](size_t d) { return d >= n || partners.needed[d]; }, error_items);
  io::BatchCallbacks<std::shared_ptr<const Features>> cb;
  cb.work = [&](const io::InputDoc& doc) -> std::shared_ptr<const Features> {
    if (doc.index >= n || !partners.needed[doc.index]) return nullptr;
    return std::make_shared<const Features>(extractor.extract(doc.text));
  };
  cb.emit = [&](const io::InputDoc& doc, std::shared_ptr<const Features>& f) {
    if (doc.index >= n || doc.index < seen || !f) throw Error("the input changed between the two passes");
    seen = static_cast<uint32_t>(doc.index) + 1;
    open.emplace(static_cast<uint32_t>(doc.index), f);
    for (uint32_t k = partners.offset[doc.index]; k < partners.offset[doc.index + 1]; ++k)
      ready.emplace_back(partners.earlier[k], static_cast<uint32_t>(doc.index));
  };
  cb.error = [](const std::string&) {};  // reported in pass 1
  cb.progress = [&](size_t, size_t) {
    st.peak_open_features = std::max(st.peak_open_features, open.size());
    std::vector<ScoredPair> scored(ready.size());
    io::parallel_for(ready.size(), options.threads, [&](size_t i) {
      const auto [a, b] = ready[i];
      const PairScore s = compare(*open.at(a), *open.at(b), options.thresholds);
      scored[i] = {a, b, static_cast<float>(s.score), s.verdict};
    });
    out.insert(out.end(), scored.begin(), scored.end());
    ready.clear();
    for (auto it = open.begin(); it != open.end();)
      it = partners.last[it->first] < seen ? open.erase(it) : std::next(it);
  };
  io::process_in_order(reader, options.threads, cb);
  if (reader.documents_counted() != n) throw Error("the input changed between the two passes");
  std::sort(out.begin(), out.end(),
            [](const ScoredPair& x, const ScoredPair& y) { return x.a != y.a ? x.a < y.a : x.b < y.b; });
  return out;
}

std::vector<std::pair<uint32_t, uint32_t>> all_pairs(uint32_t n) {
  std::vector<std::pair<uint32_t, uint32_t>> cands;
  for (uint32_t b = 1; b < n; ++b)
    for (uint32_t a = 0; a < b; ++a) cands.emplace_back(a, b);
  return cands;
}

}  // namespace

DedupResult dedup(const io::InputOptions& input, const FeatureExtractor& extractor, const DedupOptions& options,
                  const std::function<void(const std::string&)>& error) {
  DedupResult result;
  DedupStats& st = result.stats;
  const Params& p = extractor.params();
  const BandWordCompare check_rows(p.bands, p.rows);  // fails early on rows the band words cannot hold
  DedupOptions o = options;
  o.threads = std::max(1, options.threads);

  double t0 = now();
  SignedCollection signed_docs = sign_all(input, extractor, o.threads, result, error);
  const uint32_t n = static_cast<uint32_t>(result.ids.size());
  st.documents = n;
  // The LSH index at its largest: band words, 12 bytes per document (the dates, then the
  // earliest-first order, and the sort buffer of one band), the has-words bits, the sorter's tables.
  st.index_bytes = signed_docs.words.bytes() + 12 * static_cast<size_t>(n) + BandSorter(n).table_bytes();
  const std::vector<uint32_t> order = earliest_first_order(std::move(signed_docs.rank));
  double t1 = now();
  st.seconds_signatures = t1 - t0;

  std::vector<std::pair<uint32_t, uint32_t>> cands;
  if (n < o.all_pairs_below) {
    st.all_pairs = true;
    cands = all_pairs(n);
  } else {
    cands = candidate_pairs(signed_docs.words, order, {o.max_bucket, o.min_sketch_similarity, o.threads}, &st);
  }
  signed_docs.words = BandWordStore(p.bands, p.rows);
  st.candidate_pairs = cands.size();
  double t2 = now();
  st.seconds_candidates = t2 - t1;

  result.pairs = verify_all(input, signed_docs.error_items, extractor, o, n, cands, st);
  for (const auto& pr : result.pairs) st.linked_pairs += same_cluster(pr.verdict);
  double t3 = now();
  st.seconds_verify = t3 - t2;

  result.assignment = cluster(std::vector<uint64_t>(order.begin(), order.end()), result.pairs);
  st.seconds_cluster = now() - t3;
  return result;
}

}  // namespace unspin::similar
