#pragma once
// Options shared by the similarity commands (similar, dedup, sign, index).
#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

#include "similar/canonical.h"
#include "similar/features.h"
#include "similar/verify.h"

namespace unspin::cli {

struct SimilarityOptions {
  similar::Params params;
  std::string channel = "canonical";
  size_t max_class_size = 8;
  std::vector<std::string> lexicons;  // empty: lexicons/*.tsv of the source tree
  bool no_lexicons = false;
  bool no_lemma = false;
  bool no_synonyms = false;
  similar::Thresholds thresholds;

  void add(CLI::App* cmd, bool lsh) {
    cmd->add_option("--raw-shingle", params.raw_shingle, "Words per raw-channel shingle")->capture_default_str();
    cmd->add_option("--canonical-shingle", params.canonical_shingle, "Canonical ids per canonical-channel shingle")
        ->capture_default_str();
    cmd->add_option("--max-class-size", max_class_size, "Largest thesaurus synonym class")->capture_default_str();
    cmd->add_option("--lexicon", lexicons, "Spin lexicon TSV(s) for the phrase map (default: lexicons/*.tsv)");
    cmd->add_flag("--no-lexicon", no_lexicons, "Use no spin lexicon");
    cmd->add_flag("--no-lemma", no_lemma, "Canonical channel without Hunspell lemmas");
    cmd->add_flag("--no-synonyms", no_synonyms, "Canonical channel without thesaurus classes");
    cmd->add_option("--copy-score", thresholds.copy_score, "Score at which a pair is a spun copy (and clusters)")
        ->capture_default_str();
    if (lsh) {
      cmd->add_option("-k,--num-hashes", params.num_hashes, "MinHash signature size (OPH bins)")->capture_default_str();
      cmd->add_option("-b,--bands", params.bands, "LSH bands")->capture_default_str();
      cmd->add_option("-r,--rows", params.rows, "LSH rows per band")->capture_default_str();
      cmd->add_option("--seed", params.seed, "Hash seed")->capture_default_str();
      cmd->add_option("--channel", channel, "Channel whose signature feeds LSH: raw or canonical")
          ->check(CLI::IsMember({"raw", "canonical"}))
          ->capture_default_str();
    }
  }

  // Validates the parameters and builds the canonicalizer when a channel needs it.
  std::unique_ptr<similar::Canonicalizer> make_canonicalizer(bool needed) {
    params.lsh_channel = similar::parse_channel(channel);
    params.validate();
    if (!needed) return nullptr;
    similar::CanonicalOptions o;
    o.max_class_size = max_class_size;
    o.lemma = !no_lemma;
    o.synonyms = !no_synonyms;
    if (!no_lexicons) o.phrase_files = lexicons.empty() ? similar::default_phrase_files() : lexicons;
    return std::make_unique<similar::Canonicalizer>(o);
  }

  nlohmann::json metadata(const similar::Canonicalizer* canon) const {
    nlohmann::json j = params.to_json();
    if (canon) j["canonical"] = canon->describe();
    j["copy_score"] = thresholds.copy_score;
    return j;
  }
};

}  // namespace unspin::cli
