#pragma once
// The canonical channel's word map: spun phrase -> canonical phrase, lemma, synonym class.
//
//   words --(phrase map: lexicons, longest match)--> words --(stop words dropped)-->
//   lemma (Hunspell stem) --(synonym class rep, thesaurus, bounded size)--> canonical id
//
// Everything is built once; per-word results are cached per thread (word types are Zipfian),
// so the steady-state cost per token is one hash lookup. Thread-safe: each thread gets its
// own Hunspell instance and cache.
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "similar/words.h"  // hash_key

namespace unspin::similar {

struct CanonicalOptions {
  std::string hunspell_aff = "/usr/share/hunspell/en_US.aff";
  std::string hunspell_dic = "/usr/share/hunspell/en_US.dic";
  std::string thesaurus = "/usr/share/mythes/th_en_US_v2.dat";
  size_t max_class_size = 8;             // synonym classes never grow past this many words
  std::vector<std::string> phrase_files; // lexicon TSVs: first two columns spun, canonical
  bool lemma = true;
  bool synonyms = true;
};

// A spun phrase and what it replaced (from a lexicon; the first canonical alternative).
struct PhraseEntry {
  std::string spun;
  std::string canonical;
};

// The spun -> first canonical pairs of a lexicon TSV (docs/lexicon-format.md), parsed by
// lexicon::Lexicon; protect, proximity and detection-only entries are left out. Throws
// unspin::Error naming file:line for malformed lines.
std::vector<PhraseEntry> read_phrase_tsv(const std::string& path);

// The lexicons/*.tsv files of the source tree (lexicon::default_lexicon_dir(): $UNSPIN_LEXICONS overrides), sorted, without
// the cleaner's boilerplate*.tsv.
std::vector<std::string> default_phrase_files();

class Canonicalizer {
 public:
  explicit Canonicalizer(CanonicalOptions options);
  ~Canonicalizer();
  Canonicalizer(const Canonicalizer&) = delete;
  Canonicalizer& operator=(const Canonicalizer&) = delete;

  // Built lazily once with default options and the default phrase files.
  static const Canonicalizer& shared();

  void add_phrase(std::string_view spun, std::string_view canonical);
  void add_phrases(const std::vector<PhraseEntry>& entries);

  // Canonical ids (hash of the canonical word; stop words dropped) for a sequence of word keys.
  // `keys` are word keys as for_each_word gives them.
  void canonicalize(const std::vector<std::string_view>& keys, std::vector<uint64_t>& out) const;
  // The same with the keys' hashes (hash_key) already known, as for_each_word gives them.
  void canonicalize(const std::vector<std::string_view>& keys, const std::vector<uint64_t>& hashes,
                    std::vector<uint64_t>& out) const;

  // Uncached, for tests and explanations: the canonical word of one key ("" for a stop word).
  std::string canonical_word(std::string_view key) const;
  // Its synonym class representative (the word itself when it has no class).
  std::string_view class_of(std::string_view lemma) const;
  std::string lemma_of(std::string_view key) const;
  bool is_stop_word(std::string_view key) const;

  size_t class_count() const { return class_count_; }
  size_t largest_class() const { return largest_class_; }
  size_t phrase_count() const { return phrases_count_; }
  const CanonicalOptions& options() const { return options_; }
  // A short fingerprint of the configuration (class size, phrase count, flags) for metadata.
  std::string describe() const;

 private:
  struct ThreadState;
  ThreadState& state() const;
  uint64_t word_id(ThreadState& state, uint64_t key_hash, std::string_view key) const;
  void build_classes();

  CanonicalOptions options_;
  uint64_t instance_id_;
  std::unordered_map<std::string, std::string> class_rep_;  // lemma -> class representative
  size_t class_count_ = 0;
  size_t largest_class_ = 0;
  // A phrase: its word-key hashes and the replacement.
  struct Phrase {
    std::vector<uint64_t> words;
    std::vector<std::string> replacement;
  };
  const Phrase* match_phrase(const std::vector<uint64_t>& h, size_t i) const;
  static uint64_t pair_key(uint64_t first, uint64_t second) {
    return first * 0x9E3779B97F4A7C15ULL + (second ^ (second >> 31));
  }
  // Phrases of two or more words by their first two words (longest first, then in the order
  // added), one-word phrases by their word. Bit filters over both keys skip the lookups for
  // almost every word: "the" alone starts 140 phrases, and function words are half the tokens.
  std::unordered_map<uint64_t, std::vector<Phrase>> phrases_by_pair_;
  std::unordered_map<uint64_t, Phrase> single_words_;
  struct BitFilter {
    static constexpr size_t kBits = size_t{1} << 18;  // 32 KB: a few % false positives
    std::vector<uint64_t> words = std::vector<uint64_t>(kBits / 64, 0);
    void add(uint64_t key) { words[(key >> 6) & (kBits / 64 - 1)] |= uint64_t{1} << (key & 63); }
    bool may_contain(uint64_t key) const { return words[(key >> 6) & (kBits / 64 - 1)] >> (key & 63) & 1; }
  };
  BitFilter pair_filter_, single_filter_;
  size_t phrases_count_ = 0;
};

}  // namespace unspin::similar
