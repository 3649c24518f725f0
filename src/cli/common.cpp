#include "cli/common.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <thread>

namespace unspin::cli {

namespace {
double now_seconds() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}
}  // namespace

void add_common_options(CLI::App* cmd, CommonOptions& opts, const std::vector<std::string>& formats) {
  cmd->add_option("inputs", opts.input.paths,
                  "Files, directories (recursively, *.txt; *.jsonl with --jsonl) or - for stdin; "
                  "none reads stdin");
  cmd->add_flag("--jsonl", opts.input.jsonl,
                "Inputs hold one JSON object per line: {\"id\": ..., \"text\": ...}");
  cmd->add_option("--max-bytes", opts.input.max_doc_bytes,
                  "Refuse documents larger than this many bytes")
      ->capture_default_str();
  cmd->add_option("-j,--threads", opts.threads, "Worker threads (0 = all cores); output is the same for any count")
      ->check(CLI::Range(0, 256));
  cmd->add_option("-f,--format", opts.format, "Output format")
      ->check(CLI::IsMember(formats))
      ->capture_default_str();
}

int thread_count(const CommonOptions& opts) {
  if (opts.threads > 0) return opts.threads;
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

void put_id(nlohmann::json& j, const io::InputDoc& doc) {
  j[doc.from_jsonl ? "id" : "file"] = doc.id;
}

std::string dump_line(const nlohmann::json& j) {
  // Text is valid UTF-8 by the time it gets here, but file names need not be: a name with a
  // stray byte gets U+FFFD rather than an exception that would stop the whole run.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Progress::Progress(std::string what)
    : what_(std::move(what)), enabled_(isatty(STDERR_FILENO) == 1), start_(now_seconds()) {}

Progress::~Progress() {
  if (shown_) std::fprintf(stderr, "\n");
}

void Progress::update(size_t docs, size_t bytes) {
  if (!enabled_) return;
  const double elapsed = now_seconds() - start_;
  if (elapsed < 1.0) return;
  shown_ = true;
  std::fprintf(stderr, "\r\033[Kunspin %s: %zu documents, %.1f MB, %.1f MB/s", what_.c_str(), docs,
               bytes / 1e6, bytes / 1e6 / elapsed);
  std::fflush(stderr);
}

}  // namespace unspin::cli
