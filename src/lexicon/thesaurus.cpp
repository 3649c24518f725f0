#include "lexicon/thesaurus.h"

#include <algorithm>
#include <cstdlib>
#include <sstream>

#include "common/error.h"
#include "io/input.h"

namespace unspin::lexicon {

namespace {

// Plain lowercase words only: no names, phrases, or annotated hypernyms ("city (generic term)").
bool plain_word(std::string_view w) {
  if (w.size() < 3) return false;
  return std::all_of(w.begin(), w.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

}  // namespace

std::string Thesaurus::default_path() {
  if (const char* env = std::getenv("UNSPIN_THESAURUS"); env && *env) return env;
  return "/usr/share/mythes/th_en_US_v2.dat";
}

Thesaurus::Thesaurus(const std::string& path, size_t max_candidates) {
  const std::string text = io::read_text_file(path);
  std::istringstream in(text);
  std::string line;
  size_t line_no = 1;
  std::getline(in, line);  // the encoding line
  while (std::getline(in, line)) {
    ++line_no;
    const size_t bar = line.find('|');
    if (bar == std::string::npos) throw Error(path + ":" + std::to_string(line_no) + ": expected 'word|count'");
    const std::string head = line.substr(0, bar);
    const int meanings = std::atoi(line.c_str() + bar + 1);
    for (int k = 0; k < meanings && std::getline(in, line); ++k) {
      ++line_no;
      if (!plain_word(head)) continue;
      std::string_view rest(line);
      rest.remove_prefix(std::min(rest.size(), rest.find('|') + 1));  // "(noun)|"
      while (!rest.empty()) {
        const size_t end = std::min(rest.size(), rest.find('|'));
        const std::string_view syn = rest.substr(0, end);
        rest.remove_prefix(std::min(rest.size(), end + 1));
        if (syn == head || !plain_word(syn)) continue;
        auto& heads = reverse_[std::string(syn)];
        if (heads.size() < max_candidates && std::find(heads.begin(), heads.end(), head) == heads.end())
          heads.push_back(head);
      }
    }
  }
}

const std::vector<std::string>& Thesaurus::originals_of(std::string_view word) const {
  auto it = reverse_.find(word);
  return it == reverse_.end() ? none_ : it->second;
}

}  // namespace unspin::lexicon
