// unspin mine: candidate lexicon lines from aligned spun/original pairs.
#include <algorithm>
#include <cstdio>
#include <map>

#include "cli/commands.h"
#include "cli/common.h"
#include "common/error.h"
#include "eval/manifest.h"
#include "io/input.h"
#include "lexicon/miner.h"

namespace unspin::cli {

namespace {

int run_mine(const std::vector<std::string>& files, const std::string& manifest,
             const std::string& family, size_t min_pairs) {
  std::vector<std::pair<std::string, std::string>> pairs;
  if (!manifest.empty())
    for (const auto& row : eval::read_manifest(manifest))
      if (row.kind == "spun" && !row.pair_of.empty()) pairs.emplace_back(row.file, row.pair_of);
  if (files.size() % 2) throw Error("mine takes SPUN ORIGINAL pairs: got an odd number of files");
  for (size_t i = 0; i + 1 < files.size(); i += 2) pairs.emplace_back(files[i], files[i + 1]);
  if (pairs.empty()) throw Error("nothing to mine: give SPUN ORIGINAL files or --manifest");
  const text::Segmenter segmenter;
  std::map<lexicon::Substitution, lexicon::MinedPair> found;
  for (const auto& [spun, orig] : pairs)
    lexicon::mine_pair(segmenter.segment(io::read_text_file(spun)),
                       segmenter.segment(io::read_text_file(orig)), found);
  std::vector<std::pair<lexicon::Substitution, lexicon::MinedPair>> rows(found.begin(), found.end());
  std::stable_sort(rows.begin(), rows.end(), [](auto& x, auto& y) { return x.second.pairs > y.second.pairs; });
  std::printf("# unspin mine: %zu aligned pair(s); candidates for review, not a lexicon as is\n", pairs.size());
  std::printf("spun\tcanonical\tfamily\tprior\tcontext\tevidence\n");
  for (const auto& [s, m] : rows)
    if (m.pairs >= min_pairs)
      std::printf("%s\t%s\t%s\t0.5\t\tpairs=%zu occurrences=%zu\n", s.spun.c_str(), s.canonical.c_str(),
                  family.c_str(), m.pairs, m.occurrences);
  return kExitOk;
}

}  // namespace

void register_mine(CLI::App& app, int& rc) {
  static std::vector<std::string> files;
  static std::string manifest, family = "unknown";
  static size_t min_pairs = 1;
  CLI::App* cmd = app.add_subcommand("mine", "Align spun texts with their originals and print candidate lexicon lines");
  cmd->add_option("files", files, "SPUN ORIGINAL [SPUN ORIGINAL ...]");
  cmd->add_option("--manifest", manifest, "Mine every spun page of a manifest that names its original");
  cmd->add_option("--family", family, "Family tag for the printed lines")->capture_default_str();
  cmd->add_option("--min-pairs", min_pairs, "Print substitutions seen in at least this many pairs")->capture_default_str();
  cmd->callback([&rc] { rc = run_mine(files, manifest, family, min_pairs); });
}

}  // namespace unspin::cli
