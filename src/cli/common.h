#pragma once
// What every unspin command shares: input options, output format, threads, error reporting.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "io/batch.h"
#include "io/input.h"

namespace unspin::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitRuntime = 1;  // unreadable file, invalid input
inline constexpr int kExitUsage = 2;

struct CommonOptions {
  io::InputOptions input;
  std::string format = "text";
  int threads = 0;  // 0 = all cores
};

// Adds [FILE|DIR|-]..., --jsonl, --max-bytes, --threads and --format (one of `formats`).
void add_common_options(CLI::App* cmd, CommonOptions& opts,
                        const std::vector<std::string>& formats = {"text", "json"});

int thread_count(const CommonOptions& opts);

// {"file": path} or {"id": id}, as the input named the document.
void put_id(nlohmann::json& j, const io::InputDoc& doc);
std::string dump_line(const nlohmann::json& j);

// Progress on stderr for batches that last over a second, only when stderr is a terminal.
class Progress {
 public:
  explicit Progress(std::string what);
  ~Progress();
  void update(size_t docs, size_t bytes);

 private:
  std::string what_;
  bool enabled_;
  double start_;
  bool shown_ = false;
};

// Streams every input document through `work` (on worker threads) and `emit` (in input order).
// Errors go to stderr as "unspin: <message>"; returns 1 if any occurred, else 0.
template <class Result>
int run_documents(const CommonOptions& opts, const std::string& command,
                  std::function<Result(const io::InputDoc&)> work,
                  std::function<void(const io::InputDoc&, Result&)> emit) {
  io::InputReader reader(opts.input);
  Progress progress(command);
  int rc = kExitOk;
  io::BatchCallbacks<Result> cb;
  cb.work = std::move(work);
  cb.emit = std::move(emit);
  cb.error = [&](const std::string& message) {
    std::fflush(stdout);
    std::fprintf(stderr, "unspin %s: %s\n", command.c_str(), message.c_str());
    rc = kExitRuntime;
  };
  cb.progress = [&](size_t docs, size_t bytes) { progress.update(docs, bytes); };
  io::process_in_order(reader, thread_count(opts), cb);
  return rc;
}

}  // namespace unspin::cli
