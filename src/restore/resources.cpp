#include "restore/resources.h"

namespace unspin::restore {

std::unique_ptr<Resources> Resources::load(const std::string& lexicon_dir, const std::string& lm_path) {
  auto r = std::make_unique<Resources>();
  r->lexicon.load_directory(lexicon_dir);
  r->lm = std::make_unique<lm::LanguageModel>(lm_path);
  r->thesaurus = std::make_unique<lexicon::Thesaurus>();
  return r;
}

}  // namespace unspin::restore
