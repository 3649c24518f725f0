#include "restore/resources.h"

#include <future>

namespace unspin::restore {

std::unique_ptr<Resources> Resources::load(const std::string& lexicon_dir, const std::string& lm_path) {
  auto r = std::make_unique<Resources>();
  // The three loads are independent and each takes a noticeable part of start-up: the model and
  // the thesaurus load on their own threads while the lexicons load here. Errors surface from get().
  auto lm = std::async(std::launch::async, [&] { return std::make_unique<lm::LanguageModel>(lm_path); });
  auto thesaurus = std::async(std::launch::async, [] { return std::make_unique<lexicon::Thesaurus>(); });
  r->lexicon.load_directory(lexicon_dir);
  r->lm = lm.get();
  r->thesaurus = thesaurus.get();
  return r;
}

}  // namespace unspin::restore
