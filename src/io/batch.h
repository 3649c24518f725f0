#pragma once
// Ordered parallel processing of a document stream.
//
// Documents are read in batches (bounded by count and bytes), processed on N threads while the
// next batch is read, and handed to `emit` strictly in input order, so output never depends on
// the thread count. Memory: at most two batches at a time.
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
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

// Worker threads that live as long as the pool: per-thread state the work builds lazily (a
// canonicalizer's word cache, its Hunspell instance) is built once per run, not once per batch,
// as it would be with threads started for every batch.
class WorkerPool {
 public:
  explicit WorkerPool(int threads) {
    for (int k = 1; k < std::max(1, threads); ++k) helpers_.emplace_back([this] { serve(); });
  }
  ~WorkerPool() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    for (auto& t : helpers_) t.join();
  }
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Runs fn(i) for i in [0, n) on the helpers and the calling thread; returns when all are done.
  // fn must not throw.
  void run(size_t n, const std::function<void(size_t)>& fn) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      job_ = &fn;
      size_ = n;
      next_ = 0;
      busy_ = helpers_.size();
      ++round_;
    }
    wake_.notify_all();
    work();
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [&] { return busy_ == 0; });
    job_ = nullptr;
  }

 private:
  void work() {
    for (size_t i; (i = next_.fetch_add(1)) < size_;) (*job_)(i);
  }
  void serve() {
    size_t seen_round = 0;
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return stop_ || round_ != seen_round; });
        if (stop_) return;
        seen_round = round_;
      }
      work();
      std::lock_guard<std::mutex> lock(mutex_);
      if (--busy_ == 0) done_.notify_one();
    }
  }

  std::vector<std::thread> helpers_;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  const std::function<void(size_t)>* job_ = nullptr;
  size_t size_ = 0, busy_ = 0, round_ = 0;
  std::atomic<size_t> next_{0};
  bool stop_ = false;
};

// Reads the next batch while the current one is processed (reading and JSON parsing overlap the
// work); results are emitted strictly in input order, whatever the thread count.
template <class Result>
void process_in_order(InputReader& reader, int threads, const BatchCallbacks<Result>& cb,
                      BatchLimits limits = {}) {
  WorkerPool pool(threads);
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
    pool.run(current.size(), [&](size_t i) {
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
