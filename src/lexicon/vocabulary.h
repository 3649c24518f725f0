#pragma once
// Interned token keys: every word a lexicon mentions gets a dense id, so phrases are matched as
// integer sequences rather than strings. Lookups take a string_view (no allocation per token).
//
// Looked up by a 64-bit XXH3 hash of the key alone, as KenLM's vocabulary does: one probe of a
// flat table per token, no string compare. Two different keys with one hash would be merged;
// intern() checks for that (with ~10^4 keys the chance is about 10^-11), and a token outside the
// vocabulary is mistaken for a word only if its hash equals one (about 10^-15 per token).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/probe_table.h"
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
  ProbeTable<TermId> ids_;  // XXH3 of the key -> id
  std::vector<std::string> keys_;
};

}  // namespace unspin::lexicon
