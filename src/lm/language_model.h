#pragma once
// An n-gram language model for judging candidate restorations in context.
//
// Data: Debian's pocketsphinx-en-us 3-gram model (72k words, 2.1M bigrams, 1.7M trigrams), a
// sphinxbase "trie" binary file. unspin reads that file itself (trie_model.h) and keeps the
// n-grams in flat probing hash tables, so a lookup is one or two cache misses instead of a walk
// down bit-packed arrays, and one immutable model serves every thread without locks. Scores are
// exactly those sphinxbase computes (same quantised values, same backoff arithmetic); a test
// checks this against libsphinxbase.
//
// Words outside the vocabulary (recent names, digits) get a fixed score and break the context, so
// they neither help nor hurt a candidate. The model is lowercase; callers pass matching keys.
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace unspin::lm {

using WordId = int32_t;
inline constexpr WordId kUnknownWord = -1;
inline constexpr WordId kSentenceStart = -2;  // a context reset at a sentence boundary

class LanguageModel {
 public:
  // Loads the model; throws unspin::Error naming the path (and the offset) if it cannot.
  explicit LanguageModel(const std::string& path = default_path());
  ~LanguageModel();
  LanguageModel(const LanguageModel&) = delete;
  LanguageModel& operator=(const LanguageModel&) = delete;

  static std::string default_path();  // $UNSPIN_LM or pocketsphinx-en-us's en-us.lm.bin

  WordId id(std::string_view word) const;  // kUnknownWord if the model does not know it
  size_t vocabulary_size() const;

  static constexpr double unknown_log10() { return -5.0; }

  // Recent n-gram scores, for one thread. The candidates of a document share most of their
  // contexts, and each fresh lookup in the model's tables (60 MB) is a trip to memory; a repeat
  // found here is not. Entries are exact scores of the model that wrote them, so a cache can be
  // kept from one document to the next (no clearing per document, which cost more than scoring
  // a short page); used with another model, it empties itself first. Any cache, or none, gives
  // the same scores.
  class Cache {
   public:
    Cache() : slots_(kSlots) {}

   private:
    friend class LanguageModel;
    uint64_t model_serial_ = 0;  // whose scores the slots hold (a model's serial, never reused)
    static constexpr int kBits = 12;
    static constexpr size_t kSlots = size_t{1} << kBits;  // 64 KB: stays in L2
    struct Slot {
      uint64_t key = UINT64_MAX;
      float log10 = 0;
    };
    std::vector<Slot> slots_;
  };

  // log10 P(words[from..to) | words[0..from)), each word conditioned on up to two previous
  // ones. kUnknownWord scores unknown_log10() and resets the context; kSentenceStart resets it
  // to <s>. Thread-safe; the cache, if given, must not be shared between threads.
  double score(std::span<const WordId> words, size_t from, size_t to, Cache* cache = nullptr) const;

  // log10 P(word | history), history most recent first (at most two used), as sphinxbase's
  // ngram_ng_prob would give it. Ids must be known words.
  double log10_prob(WordId word, std::span<const WordId> history) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  uint64_t serial_;  // unique per model loaded in this process, for Cache
};

}  // namespace unspin::lm
