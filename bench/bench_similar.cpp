// Similarity throughput on generated news-sized documents (about 4 KB each):
//   raw-channel signature (tokenize + 5-shingles + OPH + band keys), target >= 200 MB/s/core;
//   canonical-channel signature (+ phrase map, lemma, synonym class), target >= 30 MB/s/core;
//   features for verification, and one verification.
// Documents are made from the seed texts (seeds/) by shuffling their sentences and swapping
// words, so the vocabulary is real English with a Zipfian tail.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "similar/canonical.h"
#include "similar/features.h"
#include "similar/verify.h"

using namespace unspin::similar;

namespace {

std::vector<std::string> seed_sentences() {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(UNSPIN_SEEDS_DIR)) {
    std::ifstream in(e.path());
    std::string text((std::istreambuf_iterator<char>(in)), {});
    size_t start = 0;
    for (size_t i = 0; i < text.size(); ++i)
      if (text[i] == '.' && (i + 1 == text.size() || text[i + 1] == ' ' || text[i + 1] == '\n')) {
        out.push_back(text.substr(start, i + 1 - start));
        start = i + 2;
      }
  }
  return out;
}

// n documents of about `bytes` bytes: shuffled seed sentences with some words replaced by
// random made-up words (names, numbers), so that documents differ.
const std::vector<std::string>& documents(size_t n = 2000, size_t bytes = 4096) {
  static std::vector<std::string> docs = [&] {
    const auto sentences = seed_sentences();
    std::mt19937_64 rng(42);
    std::vector<std::string> out;
    for (size_t d = 0; d < n; ++d) {
      std::string doc;
      while (doc.size() < bytes) {
        std::string s = sentences[rng() % sentences.size()];
        for (char& c : s)
          if (c == ' ' && rng() % 9 == 0) c = '\n';
        doc += s;
        doc += ' ';
        if (rng() % 3 == 0) doc += "Ref" + std::to_string(rng() % 100000) + " ";
      }
      out.push_back(std::move(doc));
    }
    return out;
  }();
  return docs;
}

const Canonicalizer& canon() {
  static const Canonicalizer c([] {
    CanonicalOptions o;
    o.phrase_files = default_phrase_files();
    return o;
  }());
  return c;
}

void run(benchmark::State& state, Channel channel) {
  Params p;
  p.lsh_channel = channel;
  const FeatureExtractor ex(p, channel == Channel::Canonical ? &canon() : nullptr);
  const auto& docs = documents();
  std::vector<uint64_t> keys;
  // Warm the per-thread caches once (as any long run does).
  for (const auto& d : docs) ex.band_keys(d, keys);
  size_t bytes = 0, i = 0;
  for (auto _ : state) {
    const auto& d = docs[i++ % docs.size()];
    ex.band_keys(d, keys);
    benchmark::DoNotOptimize(keys.data());
    bytes += d.size();
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.SetItemsProcessed(state.iterations());
}

void BM_RawSignature(benchmark::State& state) { run(state, Channel::Raw); }
void BM_CanonicalSignature(benchmark::State& state) { run(state, Channel::Canonical); }

void BM_Features(benchmark::State& state) {
  const FeatureExtractor ex(Params{}, &canon());
  const auto& docs = documents();
  size_t bytes = 0, i = 0;
  for (auto _ : state) {
    const auto& d = docs[i++ % docs.size()];
    benchmark::DoNotOptimize(ex.extract(d));
    bytes += d.size();
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}

void BM_Verify(benchmark::State& state) {
  const FeatureExtractor ex(Params{}, &canon());
  const auto& docs = documents();
  const Features a = ex.extract(docs[0]), b = ex.extract(docs[0].substr(200) + docs[1].substr(0, 800));
  for (auto _ : state) benchmark::DoNotOptimize(compare(a, b));
}

}  // namespace

BENCHMARK(BM_RawSignature)->Unit(benchmark::kMicrosecond)->MinTime(2.0);
BENCHMARK(BM_CanonicalSignature)->Unit(benchmark::kMicrosecond)->MinTime(2.0);
BENCHMARK(BM_Features)->Unit(benchmark::kMicrosecond)->MinTime(1.0);
BENCHMARK(BM_Verify)->Unit(benchmark::kMicrosecond)->MinTime(1.0);
