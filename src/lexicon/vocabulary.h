#pragma once
// Interned token keys: every word a lexicon mentions gets a dense id, so phrases are matched as
// integer sequences rather than strings. Lookups take a string_view (no allocation per token).
#include <cstdint>
#include <string>
#include <string_view>
#include "common/string_map.h"
#include <vector>

#include "text/document.h"

namespace unspin::lexicon {

using TermId = uint32_t;
inline constexpr TermId kNoTerm = UINT32_MAX;

class Vocabulary {
 public:
  TermId intern(std::string_view key);
  TermId find(std::string_view key) const;
  std::string_view key(TermId id) const { return keys_[id]; }
  size_t size() const { return keys_.size(); }
  // The id of every token of the document (kNoTerm for keys no lexicon mentions).
  std::vector<TermId> lookup(const text::Document& doc) const;

 private:
  StringMap<TermId> ids_;
  std::vector<std::string> keys_;
};

}  // namespace unspin::lexicon
