#pragma once
// Lexicon mining: align a spun text with its original and collect the substitutions, so that the
// curated lexicons grow from evidence (unspin mine prints them as candidate lexicon lines).
#include <map>
#include <string>
#include <utility>

#include "text/document.h"

namespace unspin::lexicon {

struct Substitution {
  std::string spun;       // matching keys, space-separated
  std::string canonical;
  bool operator<(const Substitution& o) const {
    return std::tie(spun, canonical) < std::tie(o.spun, o.canonical);
  }
};

struct MinedPair {
  size_t pairs = 0;        // in how many aligned text pairs it was seen
  size_t occurrences = 0;
};

// Adds the substitutions of one aligned pair: replaced runs of at most `max_tokens` tokens on each
// side, between unchanged text; longer differences are revisions or cuts, not swaps.
void mine_pair(const text::Document& spun, const text::Document& original,
               std::map<Substitution, MinedPair>& found, size_t max_tokens = 4);

}  // namespace unspin::lexicon
