#include "lexicon/vocabulary.h"

namespace unspin::lexicon {

TermId Vocabulary::intern(std::string_view key) {
  if (auto it = ids_.find(key); it != ids_.end()) return it->second;
  const auto id = static_cast<TermId>(keys_.size());
  keys_.emplace_back(key);
  ids_.emplace(std::string(key), id);
  return id;
}

TermId Vocabulary::find(std::string_view key) const {
  auto it = ids_.find(key);
  return it == ids_.end() ? kNoTerm : it->second;
}

std::vector<TermId> Vocabulary::lookup(const text::Document& doc) const {
  std::vector<TermId> ids(doc.size());
  for (size_t i = 0; i < doc.size(); ++i) ids[i] = find(doc.key(i));
  return ids;
}

}  // namespace unspin::lexicon
