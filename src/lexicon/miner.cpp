#include "lexicon/miner.h"

#include <set>
#include <unordered_map>

#include "eval/restore_metrics.h"

namespace unspin::lexicon {

namespace {

std::string join_keys(const text::Document& d, size_t from, size_t to) {
  std::string out;
  for (size_t i = from; i < to; ++i) {
    if (i > from) out += ' ';
    out += d.key(i);
  }
  return out;
}

bool has_word(const text::Document& d, size_t from, size_t to) {
  for (size_t i = from; i < to; ++i)
    if (d.is_word(i)) return true;
  return false;
}

}  // namespace

void mine_pair(const text::Document& spun, const text::Document& original,
               std::map<Substitution, MinedPair>& found, size_t max_tokens) {
  std::unordered_map<std::string_view, int> ids;
  auto intern = [&](const text::Document& d) {
    std::vector<int> v;
    for (size_t i = 0; i < d.size(); ++i)
      v.push_back(ids.emplace(d.key(i), static_cast<int>(ids.size())).first->second);
    return v;
  };
  const std::vector<int> a = intern(spun), b = intern(original);
  std::set<Substitution> seen_here;
  for (const eval::Opcode& op : eval::diff_opcodes(a, b)) {
    if (op.tag != 'r' || op.i2 - op.i1 > max_tokens || op.j2 - op.j1 > max_tokens) continue;
    if (!has_word(spun, op.i1, op.i2) || !has_word(original, op.j1, op.j2)) continue;
    Substitution s{join_keys(spun, op.i1, op.i2), join_keys(original, op.j1, op.j2)};
    MinedPair& m = found[s];
    ++m.occurrences;
    if (seen_here.insert(s).second) ++m.pairs;
  }
}

}  // namespace unspin::lexicon
