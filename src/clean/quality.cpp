#include "clean/quality.h"

#include <unicode/uchar.h>

#include <filesystem>
#include <map>
#include <memory>

#include "common/speller.h"
#include "text/document.h"
#include "text/utf8.h"

namespace unspin::clean {

nlohmann::json Quality::to_json() const {
  nlohmann::json j;
  j["words"] = words;
  j["sentences"] = sentences;
  j["mean_sentence_words"] = mean_sentence_words;
  j["max_sentence_words"] = max_sentence_words;
  j["long_sentences"] = long_sentences;
  j["short_sentences"] = short_sentences;
  if (spell_checked) {
    j["checked_words"] = checked_words;
    j["non_words"] = non_words;
    j["non_word_rate"] = non_word_rate;
  } else {
    j["non_word_rate"] = nullptr;
  }
  j["input_bytes"] = input_bytes;
  j["removed_bytes"] = removed_bytes;
  j["removed_share"] = removed_share;
  j["removed_blocks"] = removed_blocks;
  j["marked"] = marked;
  j["repairs"] = repairs;
  j["replacement_chars"] = replacement_chars;
  j["spin_score"] = spin_score ? nlohmann::json(*spin_score) : nlohmann::json(nullptr);
  return j;
}

namespace {

Hunspell* speller(const std::string& dictionary) {
  thread_local std::map<std::string, Speller> cache;
  auto it = cache.find(dictionary);
  if (it != cache.end()) return it->second.get();
  Speller h;
  const std::string aff = dictionary + ".aff", dic = dictionary + ".dic";
  if (std::filesystem::exists(aff) && std::filesystem::exists(dic)) h = make_speller(aff, dic);
  return cache.emplace(dictionary, std::move(h)).first->second.get();
}

// The word as Hunspell should see it, or "" when it is excluded (name, number, acronym, ...).
std::string checkable(std::string_view w) {
  std::string out;
  size_t i = 0;
  bool first = true;
  while (i < w.size()) {
    const char32_t c = text::next_code_point(w, i);
    if (c == 0x2019 || c == 0x2018 || c == 0x02BC) {
      out.push_back('\'');
      first = false;
      continue;
    }
    if (first && u_isupper(c)) return "";  // names (and sentence-initial words)
    first = false;
    if (u_isdigit(c) || u_isupper(c)) return "";  // numbers, acronyms, mixed case
    if (c >= 0x80 && !u_isalpha(c)) return "";
    if (c >= 0x250) return "";  // other scripts: not an English dictionary's business
    text::append_utf8(out, c);
  }
  // Possessive 's and trailing apostrophes are not part of the word.
  if (out.size() > 2 && out.compare(out.size() - 2, 2, "'s") == 0) out.resize(out.size() - 2);
  while (!out.empty() && out.back() == '\'') out.pop_back();
  return out.size() >= 2 ? out : "";
}

}  // namespace

void measure_text(std::string_view clean_text, Quality& q, const std::string& dictionary) {
  const text::Document doc = text::Segmenter().segment(std::string(clean_text));
  Hunspell* h = speller(dictionary);
  q.spell_checked = h != nullptr;
  q.words = q.sentences = q.max_sentence_words = q.long_sentences = q.short_sentences = 0;
  q.checked_words = q.non_words = 0;
  const auto& sents = doc.sentences();
  size_t t = 0;
  for (const auto& s : sents) {
    size_t words = 0;
    while (t < doc.size() && doc[t].end <= s.end) {
      if (doc[t].begin >= s.begin && (doc.is_word(t) || doc[t].kind == text::TokenKind::Number))
        ++words;
      ++t;
    }
    if (words == 0) continue;
    ++q.sentences;
    q.max_sentence_words = std::max(q.max_sentence_words, words);
    if (words > 50) ++q.long_sentences;
    if (words <= 3) ++q.short_sentences;
  }
  for (size_t i = 0; i < doc.size(); ++i) {
    if (!doc.is_word(i)) continue;
    ++q.words;
    if (!h) continue;
    // Hyphenated compounds are checked part by part.
    const std::string_view w = doc.original(i);
    size_t start = 0;
    while (start <= w.size()) {
      size_t dash = w.find('-', start);
      if (dash == std::string_view::npos) dash = w.size();
      const std::string part = checkable(w.substr(start, dash - start));
      if (!part.empty()) {
        ++q.checked_words;
        if (!h->spell(part)) ++q.non_words;
      }
      start = dash + 1;
    }
  }
  q.mean_sentence_words = q.sentences ? static_cast<double>(q.words) / q.sentences : 0;
  q.non_word_rate = q.checked_words ? static_cast<double>(q.non_words) / q.checked_words : 0;
}

}  // namespace unspin::clean
