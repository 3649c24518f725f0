// unspin dedup INPUT...: cluster duplicates and spun copies (MinHash/LSH, exact verification,
// clusters around the earliest document without chaining).
#include <cmath>
#include <cstdio>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/similar_options.h"
#include "cli/spool.h"
#include "similar/dedup.h"
#include "similar/minhash.h"

namespace unspin::cli {

namespace {

double round4(double x) { return std::round(x * 10000) / 10000; }

nlohmann::json stats_json(const similar::DedupStats& s) {
  return {{"documents", s.documents},
          {"candidates", s.all_pairs ? "all pairs (small collection)" : "lsh"},
          {"bytes", s.bytes},
          {"candidate_pairs", s.candidate_pairs},
          {"linked_pairs", s.linked_pairs},
          {"bucket_pairs", s.bucket_pairs},
          {"sketch_rejected", s.sketch_rejected},
          {"capped_buckets", s.capped_buckets},
          {"largest_bucket", s.largest_bucket},
          {"index_bytes_per_doc", s.documents ? round4(static_cast<double>(s.index_bytes) / s.documents) : 0},
          {"peak_open_features", s.peak_open_features},
          {"seconds", {{"signatures", round4(s.seconds_signatures)},
                       {"candidates", round4(s.seconds_candidates)},
                       {"verify", round4(s.seconds_verify)},
                       {"cluster", round4(s.seconds_cluster)}}}};
}

}  // namespace

void register_dedup(CLI::App& app, int& rc) {
  static CommonOptions opts;
  static SimilarityOptions sim;
  static uint32_t max_bucket = 64;
  static double min_sketch = similar::DedupOptions{}.min_sketch_similarity;
  static bool stats = false;
  static uint32_t all_pairs_below = 1000;
  CLI::App* cmd = app.add_subcommand("dedup", "Cluster duplicates and spun copies with MinHash/LSH and exact verification");
  add_common_options(cmd, opts);
  sim.add(cmd, /*lsh=*/true);
  cmd->add_option("--max-bucket", max_bucket, "Pair a document with at most this many earliest members of an LSH bucket")
      ->capture_default_str();
  cmd->add_option("--min-sketch", min_sketch,
                  "Verify an LSH candidate pair only if its band words estimate at least this Jaccard "
                  "similarity (0 = all)")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  cmd->add_option("--all-pairs-below", all_pairs_below,
                  "Verify every pair (no LSH) when there are fewer documents than this; 0 = always LSH")
      ->capture_default_str();
  cmd->add_flag("--stats", stats, "Print timings and counts to stderr");
  cmd->callback([&rc] {
    const auto canon = sim.make_canonicalizer(true);
    const similar::FeatureExtractor extractor(sim.params, canon.get());
    io::InputOptions input = opts.input;
    Spool spool(input.paths);
    similar::DedupOptions o;
    o.thresholds = sim.thresholds;
    o.threads = thread_count(opts);
    o.max_bucket = max_bucket;
    o.min_sketch_similarity = min_sketch;
    o.all_pairs_below = all_pairs_below;
    int status = kExitOk;
    const auto result = similar::dedup(input, extractor, o, [&](const std::string& message) {
      std::fprintf(stderr, "unspin dedup: %s\n", message.c_str());
      status = kExitRuntime;
    });
    const size_t n = result.ids.size();
    std::vector<size_t> members(n, 0);
    for (size_t d = 0; d < n; ++d)
      if (result.assignment[d].rep != d) ++members[result.assignment[d].rep];
    size_t clusters = 0;
    for (size_t d = 0; d < n; ++d) clusters += result.assignment[d].rep == d;
    nlohmann::json header = {{"unspin", "dedup"},
                             {"version", UNSPIN_VERSION},
                             {"params", sim.metadata(canon.get())},
                             {"max_bucket", max_bucket},
                             {"min_sketch", min_sketch},
                             {"all_pairs_below", all_pairs_below},
                             {"clusters", clusters},
                             {"stats", stats_json(result.stats)}};
    // dedup's buckets are band words, not the band keys of `unspin sign` and `unspin index`.
    header["params"]["bands_by"] = "band words: each band's rows signature values, low " +
                                   std::to_string(similar::kBandWordBits / sim.params.rows) + " bits each";
    header["params"]["lsh_probability"] = {
        {"s=0.2", round4(similar::lsh_probability(0.2, sim.params.bands, sim.params.rows))},
        {"s=0.4", round4(similar::lsh_probability(0.4, sim.params.bands, sim.params.rows))},
        {"s=0.6", round4(similar::lsh_probability(0.6, sim.params.bands, sim.params.rows))},
        {"s=0.8", round4(similar::lsh_probability(0.8, sim.params.bands, sim.params.rows))}};
    if (opts.format == "json")
      std::printf("%s\n", dump_line(header).c_str());
    else
      std::printf("# %s\n", dump_line(header).c_str());
    for (size_t d = 0; d < n; ++d) {
      const auto& a = result.assignment[d];
      const bool rep = a.rep == d;
      const char* verdict = rep ? (members[d] ? "representative" : "unique") : similar::verdict_name(a.verdict);
      const double score = rep ? 1.0 : round4(a.score);
      if (opts.format == "json") {
        nlohmann::json j;
        j[result.from_jsonl[d] ? "id" : "file"] = result.ids[d];
        j["cluster"] = result.ids[a.rep];
        j["score"] = score;
        j["verdict"] = verdict;
        if (rep && members[d]) j["members"] = members[d];
        std::printf("%s\n", dump_line(j).c_str());
      } else {
        std::printf("%s\t%s\t%.4f\t%s\n", result.ids[d].c_str(), result.ids[a.rep].c_str(), score, verdict);
      }
    }
    if (stats) std::fprintf(stderr, "unspin dedup: %s\n", dump_line(stats_json(result.stats)).c_str());
    rc = status;
  });
}

}  // namespace unspin::cli
