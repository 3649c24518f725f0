// Detection + restoration throughput on English news (the seeds), start-up time and memory.
//   build/bench/bench_spin --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <filesystem>

#include "io/input.h"
#include "restore/engine.h"
#include "restore/resources.h"
#include "text/document.h"

using namespace unspin;

namespace {

std::vector<std::string> seeds() {
  std::vector<std::string> docs;
  for (const auto& f : std::filesystem::directory_iterator(UNSPIN_SEEDS_DIR))
    docs.push_back(io::read_text_file(f.path().string()));
  std::sort(docs.begin(), docs.end());
  return docs;
}

const restore::Resources& resources() {
  static auto res = restore::Resources::load();
  return *res;
}

double peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024.0;
}

// Loading every lexicon and the language model, as each command does at start.
void BM_StartUp(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(restore::Resources::load());
}
BENCHMARK(BM_StartUp)->Unit(benchmark::kMillisecond)->Iterations(3);

// Segment + match + score + restore, one document at a time, on one core. Arg 0: all five seeds
// (one of them heavily spun, which costs most); arg 1: only those the engine judges not spun,
// like most of a feed.
void BM_DetectRestore(benchmark::State& state) {
  auto docs = seeds();
  const restore::Engine engine(resources().lexicon, *resources().lm, {}, resources().thesaurus.get());
  const text::Segmenter segmenter;
  if (state.range(0) == 1)
    docs.erase(std::remove_if(docs.begin(), docs.end(),
                              [&](const std::string& d) { return engine.analyze(segmenter.segment(d)).spun; }),
               docs.end());
  size_t bytes = 0;
  for (auto _ : state) {
    for (const auto& d : docs) {
      const auto a = engine.analyze(segmenter.segment(d));
      benchmark::DoNotOptimize(restore::apply_edits(d, a.edits, true));
      bytes += d.size();
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["peak_rss_MB"] = peak_rss_mb();
}
BENCHMARK(BM_DetectRestore)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace

