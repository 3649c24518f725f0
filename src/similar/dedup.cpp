#include "similar/dedup.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <thread>
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

}  // namespace

std::vector<std::pair<uint32_t, uint32_t>> candidate_pairs(const std::vector<uint32_t>& keys,
                                                           const std::vector<bool>& has_keys, uint32_t bands,
                                                           const std::vector<uint64_t>& rank, uint32_t max_bucket,
                                                           size_t* capped) {
  const uint32_t n = static_cast<uint32_t>(has_keys.size());
  std::vector<uint64_t> packed;
  packed.reserve(n);
  std::vector<uint64_t> pairs;  // (a << 32) | b with a < b
  std::vector<uint32_t> run;
  auto earlier = [&](uint32_t x, uint32_t y) { return rank[x] != rank[y] ? rank[x] < rank[y] : x < y; };
  size_t capped_count = 0;
  for (uint32_t band = 0; band < bands; ++band) {
    packed.clear();
    for (uint32_t d = 0; d < n; ++d)
      if (has_keys[d]) packed.push_back(static_cast<uint64_t>(keys[static_cast<size_t>(d) * bands + band]) << 32 | d);
    std::sort(packed.begin(), packed.end());
    for (size_t i = 0; i < packed.size();) {
      size_t j = i + 1;
      while (j < packed.size() && (packed[j] >> 32) == (packed[i] >> 32)) ++j;
      if (j - i > 1) {
        run.clear();
        for (size_t k = i; k < j; ++k) run.push_back(static_cast<uint32_t>(packed[k]));
        if (run.size() > max_bucket) {
          ++capped_count;
          std::sort(run.begin(), run.end(), earlier);
        }
        const size_t limit = std::min<size_t>(run.size(), max_bucket);
        for (size_t x = 0; x < run.size(); ++x)
          for (size_t y = 0; y < std::min(x, limit); ++y) {
            const uint32_t a = std::min(run[x], run[y]), b = std::max(run[x], run[y]);
            pairs.push_back(static_cast<uint64_t>(a) << 32 | b);
          }
      }
      i = j;
    }
    // Keep the pair list compact as bands accumulate.
    if (pairs.size() > (1u << 22)) {
      std::sort(pairs.begin(), pairs.end());
      pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
    }
  }
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  if (capped) *capped = capped_count;
  std::vector<std::pair<uint32_t, uint32_t>> out;
  out.reserve(pairs.size());
  for (uint64_t p : pairs) out.emplace_back(static_cast<uint32_t>(p >> 32), static_cast<uint32_t>(p));
  return out;
}

DedupResult dedup(const io::InputOptions& input, const FeatureExtractor& extractor, const DedupOptions& options,
                  const std::function<void(const std::string&)>& error) {
  DedupResult result;
  DedupStats& st = result.stats;
  const uint32_t bands = extractor.params().bands;
  const int threads = std::max(1, options.threads);

  // Pass 1: band keys.
  double t0 = now();
  std::vector<uint32_t> keys;
  std::vector<bool> has_keys;
  std::vector<uint64_t> rank;
  {
    io::InputReader reader(input);
    io::BatchCallbacks<std::vector<uint64_t>> cb;
    cb.work = [&](const io::InputDoc& doc) {
      std::vector<uint64_t> k;
      extractor.band_keys(doc.text, k);
      return k;
    };
    cb.emit = [&](const io::InputDoc& doc, std::vector<uint64_t>& k) {
      if (doc.index != result.ids.size()) throw Error("internal: document numbering out of order");
      result.ids.push_back(doc.id);
      result.from_jsonl.push_back(doc.from_jsonl);
      rank.push_back(date_rank(doc.date));
      has_keys.push_back(!k.empty());
      for (uint32_t b = 0; b < bands; ++b) keys.push_back(k.empty() ? 0 : static_cast<uint32_t>(k[b]));
      st.bytes += doc.text.size();
    };
    cb.error = error;
    io::process_in_order(reader, threads, cb);
  }
  const uint32_t n = static_cast<uint32_t>(result.ids.size());
  st.documents = n;
  st.index_bytes = keys.size() * sizeof(uint32_t) + rank.size() * sizeof(uint64_t) + n / 8 + n * sizeof(uint64_t);
  double t1 = now();
  st.seconds_signatures = t1 - t0;

  // Candidates.
  std::vector<std::pair<uint32_t, uint32_t>> cands;
  if (n < options.all_pairs_below) {
    st.all_pairs = true;
    for (uint32_t b = 1; b < n; ++b)
      for (uint32_t a = 0; a < b; ++a) cands.emplace_back(a, b);
  } else {
    cands = candidate_pairs(keys, has_keys, bands, rank, options.max_bucket, &st.capped_buckets);
  }
  std::vector<uint32_t>().swap(keys);
  st.candidate_pairs = cands.size();
  double t2 = now();
  st.seconds_candidates = t2 - t1;

  // Pass 2: verification. For each document, its earlier partners (CSR by the later document).
  std::vector<uint32_t> offset(static_cast<size_t>(n) + 1, 0), last_partner(n, 0);
  std::vector<bool> needed(n, false);
  for (auto [a, b] : cands) {
    ++offset[b + 1];
    needed[a] = needed[b] = true;
    last_partner[a] = std::max(last_partner[a], b);
  }
  for (uint32_t d = 0; d < n; ++d) offset[d + 1] += offset[d];
  std::vector<uint32_t> earlier_partner(cands.size());
  {
    std::vector<uint32_t> fill(offset.begin(), offset.end() - 1);
    for (auto [a, b] : cands) earlier_partner[fill[b]++] = a;
  }
  result.pairs.reserve(cands.size());
  if (!cands.empty()) {
    std::unordered_map<uint32_t, std::shared_ptr<const Features>> open;
    std::vector<std::pair<uint32_t, uint32_t>> ready;
    uint32_t seen = 0;
    io::InputReader reader(input);
    io::BatchCallbacks<std::shared_ptr<const Features>> cb;
    cb.work = [&](const io::InputDoc& doc) -> std::shared_ptr<const Features> {
      if (doc.index >= n || !needed[doc.index]) return nullptr;
      return std::make_shared<const Features>(extractor.extract(doc.text));
    };
    cb.emit = [&](const io::InputDoc& doc, std::shared_ptr<const Features>& f) {
      if (doc.index >= n || doc.index != seen) throw Error("the input changed between the two passes");
      ++seen;
      if (!f) return;
      open.emplace(static_cast<uint32_t>(doc.index), f);
      for (uint32_t k = offset[doc.index]; k < offset[doc.index + 1]; ++k)
        ready.emplace_back(earlier_partner[k], static_cast<uint32_t>(doc.index));
    };
    cb.error = [](const std::string&) {};  // reported in pass 1
    cb.progress = [&](size_t, size_t) {
      st.peak_open_features = std::max(st.peak_open_features, open.size());
      std::vector<ScoredPair> scored(ready.size());
      io::parallel_for(ready.size(), threads, [&](size_t i) {
        const auto [a, b] = ready[i];
        const PairScore s = compare(*open.at(a), *open.at(b), options.thresholds);
        scored[i] = {a, b, static_cast<float>(s.score), s.verdict};
      });
      result.pairs.insert(result.pairs.end(), scored.begin(), scored.end());
      ready.clear();
      for (auto it = open.begin(); it != open.end();)
        it = last_partner[it->first] < seen ? open.erase(it) : std::next(it);
    };
    io::process_in_order(reader, threads, cb);
    if (seen != n) throw Error("the input changed between the two passes");
  }
  std::sort(result.pairs.begin(), result.pairs.end(),
            [](const ScoredPair& x, const ScoredPair& y) { return x.a != y.a ? x.a < y.a : x.b < y.b; });
  for (const auto& p : result.pairs) st.linked_pairs += same_cluster(p.verdict);
  double t3 = now();
  st.seconds_verify = t3 - t2;

  result.assignment = cluster(rank, result.pairs);
  st.seconds_cluster = now() - t3;
  return result;
}

}  // namespace unspin::similar
