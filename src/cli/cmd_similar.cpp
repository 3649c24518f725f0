// unspin similar A B [C...]: every pair's channel scores and verdict.
#include <cstdio>
#include <fstream>
#include <unordered_map>
#include <unordered_set>

#include "common/error.h"

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/similar_options.h"
#include "similar/features.h"
#include "similar/verify.h"

namespace unspin::cli {

namespace {

struct Item {
  std::string id;
  bool from_jsonl = false;
  similar::Features features;
};

nlohmann::json pair_json(const Item& a, const Item& b, const similar::PairScore& s) {
  auto r = [](double x) { return std::round(x * 10000) / 10000; };
  nlohmann::json j;
  j["a"] = a.id;
  j["b"] = b.id;
  j["jaccard"] = r(s.jaccard);
  j["containment"] = r(s.containment);
  j["canonical_jaccard"] = r(s.canonical_jaccard);
  j["canonical_containment"] = r(s.canonical_containment);
  j["spread"] = r(s.spread);
  j["immutables"] = r(s.immutables);
  j["order"] = r(s.order);
  j["order_chance"] = r(s.order_chance);
  j["score"] = r(s.score);
  j["verdict"] = similar::verdict_name(s.verdict);
  return j;
}

}  // namespace

void register_similar(CLI::App& app, int& rc) {
  static CommonOptions opts;
  static SimilarityOptions sim;
  static std::string pairs_file;
  CLI::App* cmd = app.add_subcommand(
      "similar", "Compare documents pairwise: raw, canonical and immutable-word similarity, score and verdict");
  add_common_options(cmd, opts);
  sim.add(cmd, /*lsh=*/false);
  cmd->add_option("--pairs", pairs_file,
                  "Verify only these pairs: a file of 'ID_A<TAB>ID_B' lines (e.g. candidate pairs from an external "
                  "grouping of `unspin sign` keys); only the documents named are kept in memory");
  cmd->callback([&rc] {
    std::vector<std::pair<std::string, std::string>> wanted;
    std::unordered_set<std::string> wanted_ids;
    if (!pairs_file.empty()) {
      std::ifstream in(pairs_file);
      if (!in) throw Error(pairs_file + ": cannot open");
      std::string line;
      size_t lineno = 0;
      while (std::getline(in, line)) {
        ++lineno;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line[0] == '#') continue;
        const size_t tab = line.find('\t');
        if (tab == std::string::npos)
          throw Error(pairs_file + ":" + std::to_string(lineno) + ": expected two tab-separated ids");
        wanted.emplace_back(line.substr(0, tab), line.substr(tab + 1));
        wanted_ids.insert(wanted.back().first);
        wanted_ids.insert(wanted.back().second);
      }
    }
    const auto canon = sim.make_canonicalizer(true);
    const similar::FeatureExtractor extractor(sim.params, canon.get());
    std::vector<Item> items;
    rc = run_documents<similar::Features>(
        opts, "similar", [&](const io::InputDoc& in) { return extractor.extract(in.text); },
        [&](const io::InputDoc& in, similar::Features& f) {
          if (pairs_file.empty() || wanted_ids.count(in.id)) items.push_back({in.id, in.from_jsonl, std::move(f)});
        });
    if (opts.format == "json") {
      nlohmann::json header = {{"unspin", "similar"}, {"params", sim.metadata(canon.get())}};
      std::printf("%s\n", dump_line(header).c_str());
    }
    auto report = [&](const Item& a, const Item& b) {
        const auto s = similar::compare(a.features, b.features, sim.thresholds);
        if (opts.format == "json") {
          std::printf("%s\n", dump_line(pair_json(a, b, s)).c_str());
        } else {
          std::printf("%s\t%s\tjaccard=%.3f containment=%.3f canonical_jaccard=%.3f spread=%.2f score=%.3f\t%s\n",
                      a.id.c_str(), b.id.c_str(), s.jaccard, s.containment, s.canonical_jaccard,
                      s.spread, s.score, similar::verdict_name(s.verdict));
        }
    };
    if (pairs_file.empty()) {
      for (size_t i = 0; i < items.size(); ++i)
        for (size_t j = i + 1; j < items.size(); ++j) report(items[i], items[j]);
      return;
    }
    std::unordered_map<std::string, size_t> by_id;
    for (size_t i = 0; i < items.size(); ++i) by_id.emplace(items[i].id, i);
    for (const auto& [a, b] : wanted) {
      auto ia = by_id.find(a), ib = by_id.find(b);
      if (ia == by_id.end() || ib == by_id.end()) {
        std::fprintf(stderr, "unspin similar: pair %s / %s: %s not in the input\n", a.c_str(), b.c_str(),
                     ia == by_id.end() ? a.c_str() : b.c_str());
        rc = kExitRuntime;
        continue;
      }
      report(items[ia->second], items[ib->second]);
    }
  });
}

}  // namespace unspin::cli
