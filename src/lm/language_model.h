#pragma once
// An n-gram language model for judging candidate restorations in context.
//
// Backed by Debian's pocketsphinx-en-us 3-gram model (72k words, read through libsphinxbase).
// Words outside its vocabulary (recent names, digits) get a fixed score and break the context, so
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
  // Loads the model; throws unspin::Error naming the path if it cannot.
  explicit LanguageModel(const std::string& path = default_path());
  ~LanguageModel();
  LanguageModel(const LanguageModel&) = delete;
  LanguageModel& operator=(const LanguageModel&) = delete;

  static std::string default_path();

  WordId id(std::string_view word) const;  // kUnknownWord if the model does not know it

  static constexpr double unknown_log10() { return -5.0; }

  // Scoring for one thread and one document: holds one model instance for its lifetime (no
  // locking per call) and remembers recent n-gram scores, since candidates of one document share
  // most of their contexts. Cheap to create; not to be shared between threads.
  class Session {
   public:
    explicit Session(const LanguageModel& lm);
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;
    // log10 P(words[from..to) | words[0..from)), each word conditioned on up to two previous
    // ones. kUnknownWord scores unknown_log10() and resets the context; kSentenceStart resets it
    // to <s>.
    double score(std::span<const WordId> words, size_t from, size_t to);

   private:
    struct Slot {
      uint64_t key = UINT64_MAX;
      float log10 = 0;
    };
    const LanguageModel& lm_;
    void* model_;                      // the ngram_model_t this session holds
    std::vector<Slot> cache_;          // direct-mapped: a slot per hash, newest wins
  };

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  friend class Session;
};

}  // namespace unspin::lm
