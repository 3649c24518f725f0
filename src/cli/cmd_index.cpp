// unspin index add|query|expire DB ...: a persistent near-duplicate index (SQLite).
#include <cmath>
#include <cstdio>
#include <ctime>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/similar_options.h"
#include "similar/index_store.h"

namespace unspin::cli {

namespace {

struct Prepared {
  similar::Features features;
  std::vector<uint64_t> keys;
};

std::string today_utc(int days_ago = 0) {
  std::time_t t = std::time(nullptr) - static_cast<std::time_t>(days_ago) * 86400;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

double round4(double x) { return std::round(x * 10000) / 10000; }

}  // namespace

void register_index(CLI::App& app, int& rc) {
  static CommonOptions add_opts, query_opts;
  static SimilarityOptions sim;
  static std::string db;
  static std::string date, before;
  static int keep_days = -1;
  static size_t limit = 5;
  CLI::App* cmd = app.add_subcommand("index", "Persistent near-duplicate index (SQLite): add, query, expire");
  cmd->require_subcommand(1);

  CLI::App* add = cmd->add_subcommand("add", "Add documents (one transaction; an id already present is replaced)");
  add->add_option("db", db, "Index file (created when missing)")->required();
  add_common_options(add, add_opts);
  sim.add(add, /*lsh=*/true);
  add->add_option("--date", date, "Date for documents without a JSONL \"date\" (default: today, UTC)");

  CLI::App* query = cmd->add_subcommand("query", "Find each document's duplicates and spun copies in the index");
  query->add_option("db", db, "Index file")->required();
  add_common_options(query, query_opts);
  sim.add(query, /*lsh=*/true);
  query->add_option("--limit", limit, "Matches per document")->capture_default_str();

  CLI::App* expire = cmd->add_subcommand("expire", "Remove documents dated before a day");
  expire->add_option("db", db, "Index file")->required();
  sim.add(expire, /*lsh=*/true);
  auto* b = expire->add_option("--before", before, "Remove documents dated before this (ISO 8601, e.g. 2025-06-01)");
  expire->add_option("--keep-days", keep_days, "Remove documents older than this many days")->excludes(b);

  auto prepare = [](const similar::FeatureExtractor& ex, const io::InputDoc& in) {
    Prepared p;
    p.features = ex.extract(in.text);
    ex.band_keys(in.text, p.keys);
    return p;
  };

  add->callback([&rc, prepare] {
    const auto canon = sim.make_canonicalizer(true);
    const similar::FeatureExtractor ex(sim.params, canon.get());
    similar::IndexStore store(db, dump_line(sim.metadata(canon.get())), /*create=*/true);
    const std::string default_date = date.empty() ? today_utc() : date;
    size_t added = 0;
    store.begin();
    try {
      rc = run_documents<Prepared>(
          add_opts, "index add", [&](const io::InputDoc& in) { return prepare(ex, in); },
          [&](const io::InputDoc& in, Prepared& p) {
            store.add(in.id, in.date.empty() ? default_date : in.date, p.features, p.keys);
            ++added;
          });
      store.commit();
    } catch (...) {
      store.rollback();
      throw;
    }
    std::fprintf(stderr, "unspin index add: %zu documents added, %zu in %s\n", added, store.size(), db.c_str());
  });

  query->callback([&rc, prepare] {
    const auto canon = sim.make_canonicalizer(true);
    const similar::FeatureExtractor ex(sim.params, canon.get());
    similar::IndexStore store(db, dump_line(sim.metadata(canon.get())), /*create=*/false);
    rc = run_documents<Prepared>(
        query_opts, "index query", [&](const io::InputDoc& in) { return prepare(ex, in); },
        [&](const io::InputDoc& in, Prepared& p) {
          auto matches = store.query(p.features, p.keys, sim.thresholds);
          if (matches.size() > limit) matches.resize(limit);
          if (query_opts.format == "json") {
            nlohmann::json j;
            put_id(j, in);
            auto& arr = j["matches"] = nlohmann::json::array();
            for (const auto& m : matches)
              arr.push_back({{"id", m.id}, {"date", m.date}, {"score", round4(m.score.score)},
                             {"jaccard", round4(m.score.jaccard)},
                             {"canonical_jaccard", round4(m.score.canonical_jaccard)},
                             {"verdict", similar::verdict_name(m.score.verdict)}});
            j["verdict"] = matches.empty() ? "new" : similar::verdict_name(matches[0].score.verdict);
            std::printf("%s\n", dump_line(j).c_str());
          } else {
            std::printf("%s", in.id.c_str());
            if (matches.empty()) std::printf("\tnew");
            for (const auto& m : matches)
              std::printf("\t%s %.4f %s", m.id.c_str(), m.score.score, similar::verdict_name(m.score.verdict));
            std::printf("\n");
          }
        });
  });

  expire->callback([&rc] {
    if (before.empty() && keep_days < 0) throw CLI::ValidationError("expire", "give --before DATE or --keep-days N");
    const auto canon = sim.make_canonicalizer(true);
    similar::IndexStore store(db, dump_line(sim.metadata(canon.get())), /*create=*/false);
    const std::string cutoff = before.empty() ? today_utc(keep_days) : before;
    const size_t n = store.expire_before(cutoff);
    std::fprintf(stderr, "unspin index expire: %zu documents dated before %s removed, %zu left\n", n, cutoff.c_str(),
                 store.size());
    rc = kExitOk;
  });
}

}  // namespace unspin::cli
