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
  uint64_t word_id(uint64_t key_hash, std::string_view key) const;
  void build_classes();

  CanonicalOptions options_;
  uint64_t instance_id_;
  std::unordered_map<std::string, std::string> class_rep_;  // lemma -> class representative
  size_t class_count_ = 0;
  size_t largest_class_ = 0;
  // Phrases by the hash of their first word; each is the word-key hashes and the replacement.
  struct Phrase {
    std::vector<uint64_t> words;
    std::vector<std::string> replacement;
  };
  std::unordered_map<uint64_t, std::vector<Phrase>> phrases_;
  size_t phrases_count_ = 0;
};

// 64-bit hash of a word key: short keys (<= 8 bytes, most words) by one multiply-xorshift mix,
// longer ones by XXH3. Never 0.
uint64_t hash_long_key(std::string_view key);
inline uint64_t hash_key(std::string_view key) {
  if (key.size() > 8) return hash_long_key(key);
  uint64_t v = 0;
  const unsigned char* p = reinterpret_cast<const unsigned char*>(key.data());
  for (size_t i = 0; i < key.size(); ++i) v |= static_cast<uint64_t>(p[i]) << (8 * i);
  v ^= static_cast<uint64_t>(key.size()) << 59;
  v *= 0x9E3779B97F4A7C15ULL;
  v ^= v >> 29;
  v *= 0xbf58476d1ce4e5b9ULL;
  v ^= v >> 32;
  return v ? v : 1;
}

}  // namespace unspin::similar
