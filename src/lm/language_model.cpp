#include "lm/language_model.h"

#include <sphinxbase/err.h>
#include <sphinxbase/logmath.h>
#include <sphinxbase/ngram_model.h>

#include <filesystem>
#include <mutex>
#include <unordered_map>

#include "common/error.h"

namespace unspin::lm {

namespace {
// sphinxbase scores are integer logarithms in base 1.0001; log10(1.0001) converts them.
constexpr double kLogBase = 1.0001;
constexpr double kLog10OfBase = 4.3427276862669e-05;
constexpr int kCacheBits = 12;
constexpr size_t kCacheSlots = size_t{1} << kCacheBits;
}  // namespace

// sphinxbase caches history inside the model while scoring, so one model object must not be
// used by two threads at once. A small pool hands each caller its own instance (38 MB each).
struct LanguageModel::Impl {
  std::string path;
  std::mutex mutex;
  std::vector<ngram_model_t*> all;
  std::vector<ngram_model_t*> idle;
  int32_t sentence_start = 0;
  int32_t unknown = 0;
  // The vocabulary as a hash map over string_view: ngram_wid() would need a NUL-terminated copy.
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, WordId, Hash, std::equal_to<>> vocabulary;

  ngram_model_t* load() const {
    // The model takes ownership of lmath.
    logmath_t* lmath = logmath_init(kLogBase, 0, 0);
    ngram_model_t* m = ngram_model_read(nullptr, path.c_str(), NGRAM_AUTO, lmath);
    if (!m) throw Error(path + ": cannot read the language model");
    return m;
  }
  ngram_model_t* acquire() {
    {
      std::lock_guard lock(mutex);
      if (!idle.empty()) {
        ngram_model_t* m = idle.back();
        idle.pop_back();
        return m;
      }
    }
    ngram_model_t* m = load();
    std::lock_guard lock(mutex);
    all.push_back(m);
    return m;
  }
  void release(ngram_model_t* m) {
    std::lock_guard lock(mutex);
    idle.push_back(m);
  }
};

LanguageModel::LanguageModel(const std::string& path) : impl_(std::make_unique<Impl>()) {
  err_set_logfp(nullptr);  // sphinxbase logs to stderr by default; unspin stays quiet
  impl_->path = path;
  if (!std::filesystem::exists(path))
    throw Error(path + ": language model not found (install pocketsphinx-en-us)");
  ngram_model_t* m = impl_->load();
  impl_->all.push_back(m);
  impl_->idle.push_back(m);
  impl_->sentence_start = ngram_wid(m, "<s>");
  impl_->unknown = ngram_unknown_wid(m);
  const uint32_t unigrams = ngram_model_get_counts(m)[0];
  impl_->vocabulary.reserve(unigrams);
  for (uint32_t wid = 0; wid < unigrams; ++wid)
    if (const char* w = ngram_word(m, static_cast<int32_t>(wid)); w && static_cast<int32_t>(wid) != impl_->unknown)
      impl_->vocabulary.emplace(w, static_cast<WordId>(wid));
}

LanguageModel::~LanguageModel() {
  for (ngram_model_t* m : impl_->all) ngram_model_free(m);
}

std::string LanguageModel::default_path() {
  if (const char* env = std::getenv("UNSPIN_LM"); env && *env) return env;
  return "/usr/share/pocketsphinx/model/en-us/en-us.lm.bin";
}

WordId LanguageModel::id(std::string_view word) const {
  auto it = impl_->vocabulary.find(word);
  return it == impl_->vocabulary.end() ? kUnknownWord : it->second;
}

LanguageModel::Session::Session(const LanguageModel& lm)
    : lm_(lm), model_(lm.impl_->acquire()), cache_(kCacheSlots) {}

LanguageModel::Session::~Session() { lm_.impl_->release(static_cast<ngram_model_t*>(model_)); }

double LanguageModel::Session::score(std::span<const WordId> words, size_t from, size_t to) {
  ngram_model_t* m = static_cast<ngram_model_t*>(model_);
  double total = 0;
  for (size_t i = from; i < to; ++i) {
    if (words[i] == kSentenceStart) continue;
    if (words[i] == kUnknownWord) {
      total += unknown_log10();
      continue;
    }
    int32_t history[2];
    int32_t n_hist = 0;
    for (size_t k = i; k > 0 && n_hist < 2; --k) {
      const WordId w = words[k - 1];
      if (w == kUnknownWord) break;
      history[n_hist++] = w == kSentenceStart ? lm_.impl_->sentence_start : w;
      if (w == kSentenceStart) break;
    }
    // Ids are below 2^20: word, two history words and the history length fit one key.
    const uint64_t key = (uint64_t(words[i]) << 42) | (uint64_t(n_hist > 0 ? history[0] : 0) << 22) |
                         (uint64_t(n_hist > 1 ? history[1] : 0) << 2) | uint64_t(n_hist);
    Slot& slot = cache_[(key * 0x9E3779B97F4A7C15ULL) >> (64 - kCacheBits)];
    if (slot.key != key) {
      int32_t used = 0;
      slot.key = key;
      slot.log10 = static_cast<float>(ngram_ng_prob(m, words[i], history, n_hist, &used) * kLog10OfBase);
    }
    total += slot.log10;
  }
  return total;
}

}  // namespace unspin::lm
