#pragma once
// An open-addressing hash table from 64-bit keys to small values: the n-gram tables, the
// lexicon trie's edges and the vocabularies (keyed by a 64-bit hash of the word).
//
// Why this shape (KenLM's "probing" model): keys and values live in two flat arrays (no nodes,
// no pointers: 12 bytes a bigram, 10 a trigram), the table stays at most 2/3 full, and a lookup
// is a multiply, one or two adjacent probes and a compare: usually one cache miss, where
// std::unordered_map costs a bucket read and a node read. Keys must not be kEmpty.
#include <xxhash.h>

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <vector>

namespace unspin {

template <typename Value>
class ProbeTable {
 public:
  static constexpr uint64_t kEmpty = UINT64_MAX;

  ProbeTable() : keys_(16, kEmpty), values_(16) {}
  // Builds the table from parallel arrays of keys and values (a repeated key keeps its last value).
  ProbeTable(const std::vector<uint64_t>& keys, const std::vector<Value>& values)
      : keys_(std::max<size_t>(keys.size() + keys.size() / 2, 16), kEmpty), values_(keys_.size()) {
    // Each insert lands somewhere random in a table far larger than the cache; fetching the slot
    // of an insert a few steps ahead overlaps those memory waits (loading is 3x faster).
    constexpr size_t kAhead = 16;
    for (size_t k = 0; k < keys.size(); ++k) {
      if (k + kAhead < keys.size()) prefetch(keys[k + kAhead]);
      place(keys[k], values[k]);
    }
  }

  // Inserts or overwrites; the table doubles when it would pass 1/2 full. Tables built this way
  // are the small ones (the lexicon's), where most lookups are misses (a text's words that no
  // entry has), and a miss walks every occupied slot up to an empty one: about 5 slots at 2/3
  // full, 2.5 at 1/2.
  void insert(uint64_t key, Value value) {
    if ((size_ + 1) * 2 > keys_.size()) grow();
    place(key, value);
  }

  const Value* find(uint64_t key) const {
    for (size_t i = slot(key);; i = next(i)) {
      if (keys_[i] == key) return &values_[i];
      if (keys_[i] == kEmpty) return nullptr;
    }
  }

  // Starts loading the key's slot into the cache, for a find() a little later.
  void prefetch(uint64_t key) const { __builtin_prefetch(&keys_[slot(key)]); }

  size_t size() const { return size_; }
  size_t memory_bytes() const { return keys_.size() * (sizeof(uint64_t) + sizeof(Value)); }

 private:
  // The key's bits are mixed (murmur3 finaliser) and mapped onto [0, size) by multiplication,
  // so the size need not be a power of two.
  size_t slot(uint64_t key) const {
    key ^= key >> 33;
    key *= 0xff51afd7ed558ccdULL;
    key ^= key >> 33;
    key *= 0xc4ceb9fe1a85ec53ULL;
    key ^= key >> 33;
    return static_cast<size_t>((static_cast<unsigned __int128>(key) * keys_.size()) >> 64);
  }
  size_t next(size_t i) const { return i + 1 == keys_.size() ? 0 : i + 1; }

  void place(uint64_t key, Value value) {
    size_t i = slot(key);
    while (keys_[i] != kEmpty && keys_[i] != key) i = next(i);
    size_ += keys_[i] == kEmpty;
    keys_[i] = key;
    values_[i] = value;
  }

  void grow() {
    std::vector<uint64_t> keys(keys_.size() * 2, kEmpty);
    std::vector<Value> values(keys.size());
    keys.swap(keys_);
    values.swap(values_);
    size_ = 0;
    for (size_t i = 0; i < keys.size(); ++i)
      if (keys[i] != kEmpty) place(keys[i], values[i]);
  }

  std::vector<uint64_t> keys_;
  std::vector<Value> values_;
  size_t size_ = 0;
};

// The key under which a string is stored: its XXH3 hash (never kEmpty).
inline uint64_t string_key(std::string_view s) {
  const uint64_t h = XXH3_64bits(s.data(), s.size());
  return h == ProbeTable<uint32_t>::kEmpty ? 0 : h;
}

}  // namespace unspin
