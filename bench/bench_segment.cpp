// Segmentation throughput (MB/s, one core) on the seeds repeated to at least 50 MB, both as many
// documents of seed size and as one big text.
//
//   build-found/bench/bench_segment                     (5 repetitions, medians reported)
//   build-found/bench/bench_segment --benchmark_filter=Docs
//
// Benchmarks:
//   Segment{Docs,Big}/fast      the default Segmenter (ASCII fast path, ICU for the rest)
//   Segment{Docs,Big}/icu       ICU's word break iterator only ({.ascii_fast_path = false})
//   Both include the matching keys (NFC + case fold + apostrophes): segment() computes them.
//   SegmentSentencesDocs        segment() and then sentences() (ICU's sentence iterator)
//   SentencesOnlyDocs           sentences() alone, on freshly segmented documents
//   MatchKeyTokens              match_key() on every token's text, by itself
// "MB/s" is decimal megabytes of input per second; Google Benchmark's own bytes_per_second
// column is in MiB/s.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "text/document.h"

namespace fs = std::filesystem;
using unspin::text::Document;
using unspin::text::Segmenter;

namespace {

constexpr size_t kTargetBytes = 50'000'000;

std::vector<std::string> load_seeds() {
  std::vector<fs::path> paths;
  for (const auto& e : fs::directory_iterator(UNSPIN_SEEDS_DIR))
    if (e.path().extension() == ".txt") paths.push_back(e.path());
  std::sort(paths.begin(), paths.end());
  std::vector<std::string> texts;
  for (const auto& p : paths) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    texts.push_back(ss.str());
  }
  if (texts.empty()) {
    std::fprintf(stderr, "bench_segment: no seeds in %s\n", UNSPIN_SEEDS_DIR);
    std::exit(1);
  }
  return texts;
}

// The seeds as documents, repeated until they hold at least 50 MB.
const std::vector<std::string>& docs() {
  static const std::vector<std::string> d = [] {
    const auto seeds = load_seeds();
    std::vector<std::string> out;
    size_t total = 0;
    while (total < kTargetBytes)
      for (const auto& s : seeds) {
        out.push_back(s);
        total += s.size();
      }
    return out;
  }();
  return d;
}

// The same bytes as one text (documents separated by a blank line).
const std::string& big() {
  static const std::string b = [] {
    std::string out;
    for (const auto& d : docs()) {
      out += d;
      out += "\n\n";
    }
    return out;
  }();
  return b;
}

size_t docs_bytes() {
  size_t n = 0;
  for (const auto& d : docs()) n += d.size();
  return n;
}

void set_rate(benchmark::State& state, size_t bytes_per_iteration) {
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes_per_iteration));
  state.counters["MB/s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * bytes_per_iteration) / 1e6, benchmark::Counter::kIsRate);
}

void SegmentDocs(benchmark::State& state, bool fast_path) {
  const Segmenter seg({.ascii_fast_path = fast_path});
  const auto& d = docs();
  size_t tokens = 0;
  for (auto _ : state)
    for (const auto& text : d) {
      const Document doc = seg.segment(text);
      tokens += doc.size();
      benchmark::DoNotOptimize(doc.tokens().data());
    }
  set_rate(state, docs_bytes());
  state.counters["tokens"] = static_cast<double>(tokens / state.iterations());
}

void SegmentBig(benchmark::State& state, bool fast_path) {
  const Segmenter seg({.ascii_fast_path = fast_path});
  const auto& b = big();
  for (auto _ : state) {
    const Document doc = seg.segment(b);
    benchmark::DoNotOptimize(doc.tokens().data());
  }
  set_rate(state, b.size());
}

void SegmentSentencesDocs(benchmark::State& state) {
  const Segmenter seg;
  const auto& d = docs();
  for (auto _ : state)
    for (const auto& text : d) {
      const Document doc = seg.segment(text);
      benchmark::DoNotOptimize(doc.sentences().data());
    }
  set_rate(state, docs_bytes());
}

void SentencesOnlyDocs(benchmark::State& state) {
  const Segmenter seg;
  const auto& d = docs();
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<Document> segmented;
    segmented.reserve(d.size());
    for (const auto& text : d) segmented.push_back(seg.segment(text));
    state.ResumeTiming();
    for (const auto& doc : segmented) benchmark::DoNotOptimize(doc.sentences().data());
    state.PauseTiming();
    segmented.clear();
    state.ResumeTiming();
  }
  set_rate(state, docs_bytes());
}

void MatchKeyTokens(benchmark::State& state) {
  // The seeds' tokens, repeated like the documents, so the rate is per byte of input text.
  const Segmenter seg;
  std::vector<std::string> tokens;
  for (const auto& text : load_seeds()) {
    const Document doc = seg.segment(text);
    for (size_t i = 0; i < doc.size(); ++i) tokens.emplace_back(doc.original(i));
  }
  const size_t rounds = docs().size() / load_seeds().size();
  size_t token_bytes = 0;
  for (const auto& t : tokens) token_bytes += t.size();
  for (auto _ : state)
    for (size_t r = 0; r < rounds; ++r)
      for (const auto& t : tokens) benchmark::DoNotOptimize(unspin::text::match_key(t));
  set_rate(state, docs_bytes());
  state.counters["token_bytes"] = static_cast<double>(token_bytes * rounds);
}

void configure(benchmark::internal::Benchmark* b) {
  b->Unit(benchmark::kMillisecond)->Iterations(1)->Repetitions(5)->ReportAggregatesOnly(true);
}

}  // namespace

BENCHMARK_CAPTURE(SegmentDocs, fast, true)->Apply(configure);
BENCHMARK_CAPTURE(SegmentDocs, icu, false)->Apply(configure);
BENCHMARK_CAPTURE(SegmentBig, fast, true)->Apply(configure);
BENCHMARK_CAPTURE(SegmentBig, icu, false)->Apply(configure);
BENCHMARK(SegmentSentencesDocs)->Apply(configure);
BENCHMARK(SentencesOnlyDocs)->Apply(configure);
BENCHMARK(MatchKeyTokens)->Apply(configure);

// main() is the shared BENCHMARK_MAIN() that bench/CMakeLists.txt links into every benchmark.
