#include "similar/cluster.h"

#include <algorithm>
#include <numeric>

namespace unspin::similar {

uint64_t date_rank(const std::string& date) {
  uint64_t v = 0;
  int digits = 0;
  for (char c : date) {
    if (c < '0' || c > '9') continue;
    if (digits == 14) break;
    v = v * 10 + static_cast<uint64_t>(c - '0');
    ++digits;
  }
  if (digits == 0) return 0;
  for (; digits < 14; ++digits) v *= 10;
  return v;
}

std::vector<Assignment> cluster(const std::vector<uint64_t>& rank, std::vector<ScoredPair> pairs) {
  const uint32_t n = static_cast<uint32_t>(rank.size());
  auto earlier = [&](uint32_t x, uint32_t y) { return rank[x] != rank[y] ? rank[x] < rank[y] : x < y; };
  // Orient each linking pair as (later, earlier) and group by the later document.
  std::vector<ScoredPair> links;
  for (auto p : pairs) {
    if (!same_cluster(p.verdict) || p.a == p.b || p.a >= n || p.b >= n) continue;
    if (earlier(p.a, p.b)) std::swap(p.a, p.b);
    links.push_back(p);
  }
  std::sort(links.begin(), links.end(), [](const ScoredPair& x, const ScoredPair& y) {
    return x.a != y.a ? x.a < y.a : x.b < y.b;
  });
  std::vector<uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), earlier);
  std::vector<Assignment> out(n);
  for (uint32_t i = 0; i < n; ++i) out[i].rep = i;
  for (uint32_t d : order) {
    auto lo = std::lower_bound(links.begin(), links.end(), d, [](const ScoredPair& p, uint32_t v) { return p.a < v; });
    const ScoredPair* best = nullptr;
    for (auto it = lo; it != links.end() && it->a == d; ++it) {
      const uint32_t c = it->b;
      if (out[c].rep != c) continue;  // a member: never a cluster centre
      if (!best || it->score > best->score || (it->score == best->score && earlier(c, best->b))) best = &*it;
    }
    if (best) out[d] = {best->b, best->score, best->verdict};
  }
  return out;
}

}  // namespace unspin::similar
