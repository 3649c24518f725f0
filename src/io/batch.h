#pragma once
// Ordered parallel processing of a document stream.
//
// Documents are read in batches (bounded by count and bytes), processed on N threads, and
// handed to `emit` strictly in input order, so output never depends on the thread count.
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

template <class Result>
void process_in_order(InputReader& reader, int threads, const BatchCallbacks<Result>& cb,
                      BatchLimits limits = {}) {
  threads = std::max(1, threads);
  size_t docs_done = 0;
  bool more = true;
  while (more) {
    std::vector<InputItem> items;
    size_t bytes = 0;
    while (items.size() < limits.max_docs && bytes < limits.max_bytes) {
      std::optional<InputItem> item = reader.next();
      if (!item) {
        more = false;
        break;
      }
      if (item->doc) bytes += item->doc->text.size();
      items.push_back(std::move(*item));
    }
    std::vector<std::optional<Result>> results(items.size());
    std::vector<std::string> failures(items.size());
    std::atomic<size_t> next{0};
    auto worker = [&] {
      for (size_t i; (i = next.fetch_add(1)) < items.size();) {
        if (!items[i].doc) continue;
        try {
          results[i].emplace(cb.work(*items[i].doc));
        } catch (const std::exception& e) {
          failures[i] = items[i].doc->id + ": " + e.what();
        }
      }
    };
    const int n = static_cast<int>(std::min<size_t>(threads, items.size()));
    std::vector<std::thread> pool;
    for (int t = 1; t < n; ++t) pool.emplace_back(worker);
    worker();
    for (auto& t : pool) t.join();
    for (size_t i = 0; i < items.size(); ++i) {
      if (!items[i].doc)
        cb.error(items[i].error);
      else if (results[i])
        cb.emit(*items[i].doc, *results[i]);
      else
        cb.error(failures[i]);
    }
    docs_done += items.size();
    if (cb.progress) cb.progress(docs_done, reader.bytes_read());
  }
}

}  // namespace unspin::io
