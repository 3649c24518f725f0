#include "lm/language_model.h"

#include <sphinxbase/err.h>
#include <sphinxbase/logmath.h>
#include <sphinxbase/ngram_model.h>

#include <filesystem>
#include <mutex>

#include "common/error.h"

namespace unspin::lm {

namespace {
// sphinxbase scores are integer logarithms in base 1.0001; log10(1.0001) converts them.
constexpr double kLogBase = 1.0001;
constexpr double kLog10OfBase = 4.3427276862669e-05;
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
}

LanguageModel::~LanguageModel() {
  for (ngram_model_t* m : impl_->all) ngram_model_free(m);
}

std::string LanguageModel::default_path() {
  if (const char* env = std::getenv("UNSPIN_LM"); env && *env) return env;
  return "/usr/share/pocketsphinx/model/en-us/en-us.lm.bin";
}

WordId LanguageModel::id(std::string_view word) const {
  // Reading the vocabulary does not touch the scoring caches, so any instance will do.
  const int32_t wid = ngram_wid(impl_->all.front(), std::string(word).c_str());
  return wid == impl_->unknown || wid < 0 ? kUnknownWord : wid;
}

double LanguageModel::score(std::span<const WordId> words, size_t from, size_t to) const {
  ngram_model_t* m = impl_->acquire();
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
      history[n_hist++] = w == kSentenceStart ? impl_->sentence_start : w;
      if (w == kSentenceStart) break;
    }
    int32_t used = 0;
    const int32_t logp = ngram_ng_prob(m, words[i], history, n_hist, &used);
    total += logp * kLog10OfBase;
  }
  impl_->release(m);
  return total;
}

}  // namespace unspin::lm
