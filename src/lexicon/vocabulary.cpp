#include "lexicon/vocabulary.h"

#include "common/error.h"

namespace unspin::lexicon {

TermId Vocabulary::intern(std::string_view key) {
  const uint64_t h = string_key(key);
  if (const TermId* id = ids_.find(h)) {
    if (keys_[*id] != key)
      throw Error("vocabulary: '" + std::string(key) + "' and '" + keys_[*id] + "' have the same 64-bit hash");
    return *id;
  }
  const auto id = static_cast<TermId>(keys_.size());
  keys_.emplace_back(key);
  ids_.insert(h, id);
  return id;
}

TermId Vocabulary::find(std::string_view key) const {
  const TermId* id = ids_.find(string_key(key));
  return id ? *id : kNoTerm;
}

std::vector<TermId> Vocabulary::lookup(const text::Document& doc) const {
  std::vector<TermId> ids(doc.size());
  for (size_t i = 0; i < doc.size(); ++i) ids[i] = find(doc.key(i));
  return ids;
}

}  // namespace unspin::lexicon
