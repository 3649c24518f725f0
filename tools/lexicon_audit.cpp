// lexicon_audit: lists lexicon entries whose spun phrase the language model knows as a common
// English collocation, so that a curator can lower their prior (lexicons/README.md, "Checking").
//
// A spinner's coinage ("most cancers", "counterfeit consciousness") is a sequence the model has
// rarely seen; a genuine phrase ("end of the week", "bear in mind") is one whose words it finds far
// more often together than apart. For each multi-word entry with prior >= --min-prior whose
// words the model all knows, this prints
//   association = mean over words 2..n of log10 P(word | previous words) - log10 P(word)
//   fluency     = mean over words 2..n of log10 P(word | previous words)
// and keeps the rows above both thresholds, most fluent first. It changes nothing.
//
// Usage: build/tools/lexicon_audit [--lexicons DIR] [--min-prior P] [--association A] [--fluency F]
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "lexicon/lexicon.h"
#include "lm/language_model.h"
#include "text/document.h"

namespace {

struct Options {
  std::string lexicons = unspin::lexicon::default_lexicon_dir();
  double min_prior = 0.3, association = 0.8, fluency = -1.3;
};

struct Finding {
  double association, fluency;
  const unspin::lexicon::Entry* entry;
};

// Model ids of the phrase's words, keyed as the engine keys the text it scores (the project's
// segmenter), or empty if the model lacks one of them.
std::vector<unspin::lm::WordId> model_words(const unspin::lm::LanguageModel& lm, const std::string& phrase) {
  const unspin::text::Document doc = unspin::text::Segmenter().segment(phrase);
  std::vector<unspin::lm::WordId> ids;
  for (size_t i = 0; i < doc.size(); ++i) {
    const auto id = lm.id(doc.key(i));
    if (id == unspin::lm::kUnknownWord) return {};
    ids.push_back(id);
  }
  return ids;
}

}  // namespace

int main(int argc, char** argv) try {
  Options opt;
  CLI::App app{"List high-prior lexicon entries whose spun phrase is a genuine English collocation"};
  app.add_option("--lexicons", opt.lexicons, "Directory of lexicon *.tsv files")->capture_default_str();
  app.add_option("--min-prior", opt.min_prior, "Only entries with at least this prior")->capture_default_str();
  app.add_option("--association", opt.association, "Minimum association (log10)")->capture_default_str();
  app.add_option("--fluency", opt.fluency, "Minimum fluency (log10)")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  unspin::lexicon::Lexicon lexicon;
  lexicon.load_directory(opt.lexicons);
  const unspin::lm::LanguageModel lm;
  std::vector<Finding> found;
  for (uint32_t id = 0; id < lexicon.size(); ++id) {
    const auto& e = lexicon.entry(id);
    if (e.protect() || e.prior < opt.min_prior) continue;
    const auto ids = model_words(lm, e.spun);
    if (ids.size() < 2) continue;
    double conditional = 0, unigram = 0;
    for (size_t i = 1; i < ids.size(); ++i) {
      std::vector<unspin::lm::WordId> history;  // most recent first, at most two
      for (size_t k = i; k > 0 && history.size() < 2; --k) history.push_back(ids[k - 1]);
      conditional += lm.log10_prob(ids[i], history);
      unigram += lm.log10_prob(ids[i], {});
    }
    const double n = static_cast<double>(ids.size() - 1);
    const Finding f{(conditional - unigram) / n, conditional / n, &e};
    if (f.association > opt.association && f.fluency > opt.fluency) found.push_back(f);
  }
  std::sort(found.begin(), found.end(), [](const Finding& a, const Finding& b) { return a.fluency > b.fluency; });
  std::printf("association\tfluency\tentry\tspun\tcanonical\tprior\n");
  for (const auto& f : found)
    std::printf("%.2f\t%.2f\t%s\t%s\t%s\t%.2f\n", f.association, f.fluency, f.entry->origin.c_str(),
                f.entry->spun.c_str(), f.entry->canonical.empty() ? "" : f.entry->canonical[0].c_str(),
                f.entry->prior);
  std::fprintf(stderr, "lexicon_audit: %zu entries look like genuine collocations\n", found.size());
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "lexicon_audit: %s\n", e.what());
  return 1;
}
