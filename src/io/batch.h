#pragma once
// Ordered parallel processing of a document stream.
//
// Documents are read in batches (bounded by count and bytes), processed on N threads while the
// next batch is read, and handed to `emit` strictly in input order, so output never depends on
// the thread count. Memory: at most two batches at a time.
#include <algorithm>
#include <atomic>
#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "io/input.h"

namespace unspin::io {

struct BatchLimits {
  size_t max_docs = 512;
  size_t max_bytes = 32u << 20;
};

template <class Result>
struct BatchCallbacks {
  std::function<Result(const InputDoc&)> work;       // runs on worker threads
  std::function<void(const InputDoc&, Result&)> emit;  // runs on the calling thread, in order
  std::function<void(const std::string&)> error;       // input or work errors, in order
  std::function<void(size_t docs, size_t bytes)> progress;  // after each batch (may be empty)
};

// Runs fn(i) for i in [0, n) on up to `threads` threads (the caller's thread is one of them).
template <class Fn>
void parallel_for(size_t n, int threads, Fn&& fn) {
  if (n == 0) return;
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i; (i = next.fetch_add(1)) < n;) fn(i);
  };
  const int t = static_cast<int>(std::min<size_t>(std::max(1, threads), n));
  std::vector<std::thread> pool;
  for (int k = 1; k < t; ++k) pool.emplace_back(worker);
  worker();
  for (auto& th : pool) th.join();
}

// Reads the next batch while the current one is processed (reading and JSON parsing overlap the
// work); results are emitted strictly in input order, whatever the thread count.
template <class Result>
void process_in_order(InputReader& reader, int threads, const BatchCallbacks<Result>& cb,
                      BatchLimits limits = {}) {
  auto read_batch = [&](std::vector<InputItem>& items) {
    items.clear();
    size_t bytes = 0;
    while (items.size() < limits.max_docs && bytes < limits.max_bytes) {
      std::optional<InputItem> item = reader.next();
      if (!item) return false;
      if (item->doc) bytes += item->doc->text.size();
      items.push_back(std::move(*item));
    }
    return true;
  };
  std::vector<InputItem> current, next;
  bool more = read_batch(current);
  size_t done = 0;
  while (!current.empty()) {
    std::thread prefetch;
    bool next_more = false;
    if (more) prefetch = std::thread([&] { next_more = read_batch(next); });
    std::vector<std::optional<Result>> results(current.size());
    std::vector<std::string> failures(current.size());
    parallel_for(current.size(), threads, [&](size_t i) {
      if (!current[i].doc) return;
      try {
        results[i].emplace(cb.work(*current[i].doc));
      } catch (const std::exception& e) {
        failures[i] = current[i].doc->id + ": " + e.what();
      }
    });
    if (prefetch.joinable()) prefetch.join();
    for (size_t i = 0; i < current.size(); ++i) {
      if (!current[i].doc)
        cb.error(current[i].error);
      else if (results[i])
        cb.emit(*current[i].doc, *results[i]);
      else
        cb.error(failures[i]);
    }
    done += current.size();
    if (cb.progress) cb.progress(done, reader.bytes_read());
    current.swap(next);
    next.clear();
    more = more && next_more;
  }
}

}  // namespace unspin::io
