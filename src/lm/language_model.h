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

  // log10 P(words[from..to) | words[0..from)), each word conditioned on up to two previous ones.
  // kUnknownWord scores unknown_log10() and resets the context; kSentenceStart resets it to <s>.
  double score(std::span<const WordId> words, size_t from, size_t to) const;

  static constexpr double unknown_log10() { return -5.0; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace unspin::lm
