#include "similar/verify.h"

#include <algorithm>

namespace unspin::similar {

const char* verdict_name(Verdict v) {
  switch (v) {
    case Verdict::Duplicate: return "duplicate";
    case Verdict::SpunCopy: return "spun-copy";
    case Verdict::Related: return "related";
    case Verdict::Unrelated: return "unrelated";
  }
  return "?";
}

size_t intersection_size(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  size_t i = 0, j = 0, n = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] < b[j]) ++i;
    else if (b[j] < a[i]) ++j;
    else { ++n; ++i; ++j; }
  }
  return n;
}

double spread(const std::vector<uint64_t>& seq, const std::vector<uint64_t>& other) {
  constexpr size_t kStretches = 10;
  if (seq.empty() || other.empty()) return 0;
  const size_t n = seq.size();
  const size_t parts = std::min(kStretches, n);
  size_t covered = 0;
  for (size_t p = 0; p < parts; ++p) {
    const size_t begin = p * n / parts, end = (p + 1) * n / parts;
    size_t hits = 0;
    for (size_t i = begin; i < end; ++i) hits += std::binary_search(other.begin(), other.end(), seq[i]);
    if (hits * 4 >= end - begin) ++covered;
  }
  return static_cast<double>(covered) / parts;
}

namespace {
// Length of the longest common subsequence of x and y, bit-parallel (Hyyro 2004): one bit per
// position of x, one pass of ceil(|x| / 64) word operations per symbol of y that occurs in x.
size_t lcs_length(const uint64_t* x, size_t nx, const std::vector<uint64_t>& y) {
  if (nx == 0 || y.empty()) return 0;
  const size_t words = (nx + 63) / 64;
  // Match masks: for each distinct symbol of x, the positions where it occurs.
  thread_local std::vector<std::pair<uint64_t, uint32_t>> symbols;  // (symbol, position)
  thread_local std::vector<uint64_t> masks, v;
  symbols.clear();
  for (size_t i = 0; i < nx; ++i) symbols.emplace_back(x[i], static_cast<uint32_t>(i));
  std::sort(symbols.begin(), symbols.end());
  std::vector<uint64_t> keys;
  masks.clear();
  for (size_t i = 0; i < symbols.size();) {
    keys.push_back(symbols[i].first);
    masks.resize(masks.size() + words, 0);
    uint64_t* m = masks.data() + masks.size() - words;
    size_t j = i;
    for (; j < symbols.size() && symbols[j].first == symbols[i].first; ++j)
      m[symbols[j].second / 64] |= uint64_t{1} << (symbols[j].second % 64);
    i = j;
  }
  v.assign(words, ~uint64_t{0});
  for (uint64_t yv : y) {
    const auto it = std::lower_bound(keys.begin(), keys.end(), yv);
    if (it == keys.end() || *it != yv) continue;  // U = 0 leaves V unchanged
    const uint64_t* m = masks.data() + static_cast<size_t>(it - keys.begin()) * words;
    bool carry = false, borrow = false;
    for (size_t w = 0; w < words; ++w) {
      const uint64_t vw = v[w], u = vw & m[w];
      uint64_t sum, diff;
      bool c1 = __builtin_add_overflow(vw, u, &sum);
      bool c2 = __builtin_add_overflow(sum, static_cast<uint64_t>(carry), &sum);
      bool b1 = __builtin_sub_overflow(vw, u, &diff);
      bool b2 = __builtin_sub_overflow(diff, static_cast<uint64_t>(borrow), &diff);
      carry = c1 || c2;
      borrow = b1 || b2;
      v[w] = sum | diff;
    }
  }
  size_t zeros = 0;
  for (size_t w = 0; w < words; ++w) {
    const size_t bits = std::min<size_t>(64, nx - w * 64);
    const uint64_t mask = bits == 64 ? ~uint64_t{0} : ((uint64_t{1} << bits) - 1);
    zeros += static_cast<size_t>(__builtin_popcountll(~v[w] & mask));
  }
  return zeros;
}
}  // namespace

double lcs_ratio(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  const std::vector<uint64_t>& x = a.size() <= b.size() ? a : b;
  const std::vector<uint64_t>& y = a.size() <= b.size() ? b : a;
  if (x.empty()) return 0;
  return static_cast<double>(lcs_length(x.data(), x.size(), y)) / static_cast<double>(x.size());
}

namespace {
void set_measures(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b, double& jac, double& cont) {
  if (a.empty() || b.empty()) { jac = cont = 0; return; }
  const size_t inter = intersection_size(a, b);
  jac = static_cast<double>(inter) / static_cast<double>(a.size() + b.size() - inter);
  cont = static_cast<double>(inter) / static_cast<double>(std::min(a.size(), b.size()));
}
}  // namespace

PairScore compare(const Features& a, const Features& b, const Thresholds& t) {
  PairScore s;
  set_measures(a.raw, b.raw, s.jaccard, s.containment);
  set_measures(a.canonical, b.canonical, s.canonical_jaccard, s.canonical_containment);
  double unused;
  set_measures(a.immutables, b.immutables, unused, s.immutables);
  const bool a_smaller = a.canonical.size() <= b.canonical.size();
  s.spread = a_smaller ? spread(a.canonical_seq, b.canonical) : spread(b.canonical_seq, a.canonical);
  // Copy evidence: canonical words in the same order beyond what shared vocabulary gives
  // (order - order_chance), or verbatim shingles (raw Jaccard).
  // Word order (two LCS runs) only where the cheap set measures leave copying possible.
  const bool long_enough = std::min(a.canonical_ids.size(), b.canonical_ids.size()) >= t.min_order_words &&
                           (s.canonical_containment >= t.min_overlap || s.containment >= t.min_overlap);
  if (long_enough) {
    s.order = lcs_ratio(a.canonical_ids, b.canonical_ids);
    const std::vector<uint64_t> reversed(b.canonical_ids.rbegin(), b.canonical_ids.rend());
    s.order_chance = lcs_ratio(a.canonical_ids, reversed);
  }
  const double order_excess = long_enough ? std::max(0.0, s.order - s.order_chance) : 0.0;
  s.score = std::max(s.jaccard, order_excess);
  const double size_ratio = a.raw.empty() || b.raw.empty()
      ? 0 : static_cast<double>(std::min(a.raw.size(), b.raw.size())) / std::max(a.raw.size(), b.raw.size());
  // A verbatim block (a shared quotation) also puts words in order: then the shared canonical
  // shingles must run through the text, not sit in one place.
  const bool block_only = s.containment >= t.quote_containment && s.spread < t.min_spread;
  if (s.jaccard >= t.duplicate_jaccard || (s.containment >= t.duplicate_containment && size_ratio >= 0.8))
    s.verdict = Verdict::Duplicate;
  else if (s.score >= t.copy_score && !block_only)
    s.verdict = Verdict::SpunCopy;
  else if (s.score >= t.related_score || s.containment >= t.related_score ||
           s.canonical_containment >= t.related_score)
    s.verdict = Verdict::Related;
  return s;
}

}  // namespace unspin::similar
