#pragma once
// The data detection and restoration need, loaded once: lexicons and the language model.
#include <memory>
#include <string>

#include "lexicon/lexicon.h"
#include "lexicon/thesaurus.h"
#include "lm/language_model.h"

namespace unspin::restore {

struct Resources {
  lexicon::Lexicon lexicon;
  std::unique_ptr<lm::LanguageModel> lm;
  std::unique_ptr<lexicon::Thesaurus> thesaurus;  // candidate originals beyond the lexicons

  // Throws unspin::Error naming the file and line of any problem.
  static std::unique_ptr<Resources> load(const std::string& lexicon_dir = lexicon::default_lexicon_dir(),
                                         const std::string& lm_path = lm::LanguageModel::default_path());
};

}  // namespace unspin::restore
