#pragma once
// A fixed-size open-addressing hash table from 64-bit keys to small values, for n-gram lookup.
//
// Why this shape (KenLM's "probing" model): the n-grams are known at load time and never change,
// so the table is sized once at 1.5 slots per entry and never rehashed; keys and values live in
// two flat arrays (12 bytes a bigram, 10 a trigram, no pointers), and a lookup is a multiply,
// one or two adjacent probes and a compare. Keys must not be kEmpty.
#include <algorithm>
#include <cstdint>
#include <vector>

namespace unspin::lm {

template <typename Value>
class ProbeTable {
 public:
  static constexpr uint64_t kEmpty = UINT64_MAX;

  ProbeTable() = default;
  // Builds the table from parallel arrays of keys and values (a repeated key keeps its last value).
  ProbeTable(const std::vector<uint64_t>& keys, const std::vector<Value>& values)
      : keys_(std::max<size_t>(keys.size() + keys.size() / 2, 16), kEmpty), values_(keys_.size()) {
    // Each insert lands somewhere random in a table far larger than the cache; fetching the slot
    // of an insert a few steps ahead overlaps those memory waits (loading is 3x faster).
    constexpr size_t kAhead = 16;
    for (size_t k = 0; k < keys.size(); ++k) {
      if (k + kAhead < keys.size()) __builtin_prefetch(&keys_[slot(keys[k + kAhead])], 1);
      insert(keys[k], values[k]);
    }
  }

  const Value* find(uint64_t key) const {
    for (size_t i = slot(key);; i = next(i)) {
      if (keys_[i] == key) return &values_[i];
      if (keys_[i] == kEmpty) return nullptr;
    }
  }

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
  void insert(uint64_t key, Value value) {
    size_t i = slot(key);
    while (keys_[i] != kEmpty && keys_[i] != key) i = next(i);
    keys_[i] = key;
    values_[i] = value;
  }

  std::vector<uint64_t> keys_;
  std::vector<Value> values_;
};

}  // namespace unspin::lm
