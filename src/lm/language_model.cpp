#include "lm/language_model.h"

#include <atomic>
#include <filesystem>
#include <vector>

#include "common/error.h"
#include "common/probe_table.h"
#include "lm/trie_file.h"

namespace unspin::lm {

namespace {
// Model values are logarithms in base 1.0001; log10(1.0001) converts them.
constexpr double kLog10OfBase = 4.3427276862669e-05;

// Word ids are below 2^21 (the model has 72k words), so two or three fit one 64-bit key.
uint64_t bigram_key(uint32_t word, uint32_t previous) { return (uint64_t{word} << 21) | previous; }
uint64_t trigram_key(uint32_t word, uint32_t previous, uint32_t before) {
  return (uint64_t{word} << 42) | (uint64_t{previous} << 21) | before;
}
}  // namespace

struct LanguageModel::Impl {
  std::vector<float> unigram_prob, unigram_backoff;  // by word id
  std::vector<float> bigram_prob_bins, bigram_backoff_bins, trigram_prob_bins;
  ProbeTable<uint32_t> bigrams;   // (word, previous) -> prob bin << 16 | backoff bin
  ProbeTable<uint16_t> trigrams;  // (word, previous, before) -> prob bin
  WordId sentence_start = kUnknownWord;
  ProbeTable<WordId> vocabulary;  // XXH3 of the word -> id (see lexicon/vocabulary.h)

  void prefetch(WordId word, const WordId* history, int n_history) const;
  float bigram_prob(uint32_t v) const { return bigram_prob_bins[v >> 16]; }
  float bigram_backoff(uint32_t v) const { return bigram_backoff_bins[v & 0xffff]; }

  // The backoff of the context "before previous", 0 when the model does not have that bigram.
  float context_backoff(uint32_t previous, uint32_t before) const {
    const uint32_t* b = bigrams.find(bigram_key(previous, before));
    return b ? bigram_backoff(*b) : 0.0f;
  }

  // log P(word | history) in model units, with sphinxbase's backoff arithmetic (in float, in
  // this order) so that results are identical to ngram_ng_prob's.
  float log_prob(uint32_t word, const int32_t* history, int n_history) const {
    const float unigram = unigram_prob[word];
    if (n_history == 0) return unigram;
    const uint32_t previous = static_cast<uint32_t>(history[0]);
    if (n_history == 1) {
      const uint32_t* bigram = bigrams.find(bigram_key(word, previous));
      return bigram ? bigram_prob(*bigram) : unigram + unigram_backoff[previous];
    }
    // A stored trigram implies its bigram (the trie nests them), so it is looked up first: one
    // memory access when it is there.
    const uint32_t before = static_cast<uint32_t>(history[1]);
    if (const uint16_t* trigram = trigrams.find(trigram_key(word, previous, before)))
      return trigram_prob_bins[*trigram];
    const uint32_t* bigram = bigrams.find(bigram_key(word, previous));
    if (!bigram) return unigram + unigram_backoff[previous] + context_backoff(previous, before);
    return bigram_prob(*bigram) + context_backoff(previous, before);
  }
};

namespace {
std::atomic<uint64_t> next_serial{1};
}  // namespace

LanguageModel::LanguageModel(const std::string& path) : impl_(std::make_unique<Impl>()), serial_(next_serial++) {
  if (!std::filesystem::exists(path))
    throw Error(path + ": language model not found (install pocketsphinx-en-us)");
  TrieFile file(path);
  Impl& m = *impl_;
  std::vector<uint64_t> bigram_keys, trigram_keys;
  std::vector<uint32_t> bigram_values;
  std::vector<uint16_t> trigram_values;
  bigram_keys.reserve(file.bigram_count);
  bigram_values.reserve(file.bigram_count);
  trigram_keys.reserve(file.trigram_count);
  trigram_values.reserve(file.trigram_count);
  file.visit(
      [&](uint32_t w, uint32_t prev, uint16_t prob, uint16_t backoff) {
        bigram_keys.push_back(bigram_key(w, prev));
        bigram_values.push_back((uint32_t{prob} << 16) | backoff);
      },
      [&](uint32_t w, uint32_t prev, uint32_t before, uint16_t prob) {
        trigram_keys.push_back(trigram_key(w, prev, before));
        trigram_values.push_back(prob);
      });
  m.bigrams = ProbeTable<uint32_t>(bigram_keys, bigram_values);
  m.trigrams = ProbeTable<uint16_t>(trigram_keys, trigram_values);
  m.unigram_prob = std::move(file.unigram_prob);
  m.unigram_backoff = std::move(file.unigram_backoff);
  m.bigram_prob_bins = std::move(file.bigram_prob_bins);
  m.bigram_backoff_bins = std::move(file.bigram_backoff_bins);
  m.trigram_prob_bins = std::move(file.trigram_prob_bins);
  for (size_t w = 0; w < file.words.size(); ++w) {
    const std::string& word = file.words[w];
    if (word == "<s>") m.sentence_start = static_cast<WordId>(w);
    if (word == "<UNK>" || word == "<s>" || word == "</s>") continue;
    if (m.vocabulary.find(string_key(word)))
      throw Error(path + ": two words of the model have the same 64-bit hash ('" + word + "')");
    m.vocabulary.insert(string_key(word), static_cast<WordId>(w));
  }
  if (m.sentence_start == kUnknownWord) throw Error(path + ": the language model has no <s>");
}

LanguageModel::~LanguageModel() = default;

std::string LanguageModel::default_path() {
  if (const char* env = std::getenv("UNSPIN_LM"); env && *env) return env;
  return "/usr/share/pocketsphinx/model/en-us/en-us.lm.bin";
}

WordId LanguageModel::id(std::string_view word) const {
  const WordId* id = impl_->vocabulary.find(string_key(word));
  return id ? *id : kUnknownWord;
}

size_t LanguageModel::vocabulary_size() const { return impl_->vocabulary.size(); }

double LanguageModel::log10_prob(WordId word, std::span<const WordId> history) const {
  int32_t h[2];
  const int n = static_cast<int>(std::min<size_t>(history.size(), 2));
  for (int k = 0; k < n; ++k) h[k] = history[k] == kSentenceStart ? impl_->sentence_start : history[k];
  // sphinxbase returns whole model units (it truncates), which the scores below keep.
  return static_cast<int32_t>(impl_->log_prob(static_cast<uint32_t>(word), h, n)) * kLog10OfBase;
}

namespace {
// One word to score: the word, its history (most recent first, <s> as kSentenceStart) and the
// cache key. Ids are below 2^20: word, two history words and the history length fit one key.
struct Query {
  WordId word;
  WordId history[2];
  uint8_t n_history = 0;
  uint64_t key = 0;
};

Query query_at(std::span<const WordId> words, size_t i) {
  Query q{words[i], {0, 0}};
  for (size_t k = i; k > 0 && q.n_history < 2; --k) {
    const WordId w = words[k - 1];
    if (w == kUnknownWord) break;
    q.history[q.n_history++] = w;
    if (w == kSentenceStart) break;
  }
  q.key = (uint64_t(q.word) << 42) | (uint64_t(q.n_history > 0 ? q.history[0] & 0xfffff : 0) << 22) |
          (uint64_t(q.n_history > 1 ? q.history[1] & 0xfffff : 0) << 2) | q.n_history;
  return q;
}
}  // namespace

void LanguageModel::Impl::prefetch(WordId word, const WordId* history, int n_history) const {
  if (n_history == 0) return;
  const uint32_t w = static_cast<uint32_t>(word);
  const uint32_t previous = static_cast<uint32_t>(history[0] == kSentenceStart ? sentence_start : history[0]);
  bigrams.prefetch(bigram_key(w, previous));
  if (n_history == 2 && history[0] != kSentenceStart) {
    const uint32_t before = static_cast<uint32_t>(history[1] == kSentenceStart ? sentence_start : history[1]);
    trigrams.prefetch(trigram_key(w, previous, before));
    bigrams.prefetch(bigram_key(previous, before));  // the context's backoff, if no trigram
  }
}

double LanguageModel::score(std::span<const WordId> words, size_t from, size_t to, Cache* cache) const {
  // In blocks: first each word's history is worked out and the table slots of those not in the
  // cache start loading, so that their memory waits overlap; then the scores are added up.
  constexpr size_t kBlock = 16;
  if (cache && cache->model_serial_ != serial_) {
    std::fill(cache->slots_.begin(), cache->slots_.end(), Cache::Slot{});
    cache->model_serial_ = serial_;
  }
  double total = 0;
  for (size_t begin = from; begin < to; begin += kBlock) {
    const size_t end = std::min(to, begin + kBlock);
    Query queries[kBlock];
    Cache::Slot* slots[kBlock] = {};
    for (size_t i = begin; i < end; ++i) {
      if (words[i] < 0) continue;  // <s> is not scored, an unknown word has a fixed score
      Query& q = queries[i - begin] = query_at(words, i);
      if (cache) {
        slots[i - begin] = &cache->slots_[(q.key * 0x9E3779B97F4A7C15ULL) >> (64 - Cache::kBits)];
        if (slots[i - begin]->key == q.key) continue;
      }
      impl_->prefetch(q.word, q.history, q.n_history);
    }
    for (size_t i = begin; i < end; ++i) {
      if (words[i] == kSentenceStart) continue;
      if (words[i] == kUnknownWord) {
        total += unknown_log10();
        continue;
      }
      const Query& q = queries[i - begin];
      Cache::Slot* slot = slots[i - begin];
      if (slot && slot->key == q.key) {
        total += slot->log10;
        continue;
      }
      const auto log10 = static_cast<float>(log10_prob(q.word, std::span(q.history, q.n_history)));
      if (slot) *slot = {q.key, log10};
      total += log10;
    }
  }
  return total;
}

}  // namespace unspin::lm
