#pragma once
// Clusters around the earliest document, without chaining.
//
// Documents are visited in rank order (date, then input position). A document joins the
// cluster of the best-scoring earlier *representative* it was verified against (ties: the
// earliest); otherwise it becomes a representative itself. A member never recruits: if B copies A
// and C copies B but not A, C does not join A's cluster through B.
#include <cstdint>
#include <string>
#include <vector>

#include "similar/verify.h"

namespace unspin::similar {

struct ScoredPair {
  uint32_t a = 0, b = 0;  // document numbers (input positions)
  float score = 0;
  Verdict verdict = Verdict::Unrelated;
};

struct Assignment {
  uint32_t rep = 0;  // representative's document number (itself for a representative)
  float score = 1;   // score against the representative (1 for a representative)
  Verdict verdict = Verdict::Duplicate;
};

// rank[i] orders document i (smaller = earlier); equal ranks fall back to i.
// Only pairs whose verdict is same_cluster() link documents.
std::vector<Assignment> cluster(const std::vector<uint64_t>& rank, std::vector<ScoredPair> pairs);

// A sortable key from a date string: its digits (ISO 8601 "2024-05-01T10:00" ->
// 202405011000), right-padded to 14 digits; undated documents get 0 (earliest).
uint64_t date_rank(const std::string& date);

}  // namespace unspin::similar
