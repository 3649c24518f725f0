#pragma once
// The reverse thesaurus: for a word in the text, the words whose synonym lists contain it. A
// spinner that replaced X by its synonym Y leaves Y; the headwords listing Y are the candidate
// originals. Built from Debian's mythes-en-us (WordNet-derived), single words only, with the
// class size bounded so that very common words do not drag in hundreds of candidates.
#include <string>
#include <string_view>
#include "common/string_map.h"
#include <vector>

namespace unspin::lexicon {

class Thesaurus {
 public:
  static std::string default_path();  // $UNSPIN_THESAURUS or /usr/share/mythes/th_en_US_v2.dat
  // Throws unspin::Error naming the file and line when it cannot be read or parsed.
  explicit Thesaurus(const std::string& path = default_path(), size_t max_candidates = 40);

  // Candidate originals for a lowercase word (empty when it is in no synonym list).
  const std::vector<std::string>& originals_of(std::string_view word) const;
  size_t size() const { return reverse_.size(); }

 private:
  StringMap<std::vector<std::string>> reverse_;
  std::vector<std::string> none_;
};

}  // namespace unspin::lexicon
