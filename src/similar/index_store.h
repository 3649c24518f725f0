#pragma once
// A persistent near-duplicate index in SQLite: a daily feed is checked against the documents of
// the last N days without recomputing them.
//
// Tables: meta (format marker, schema version, parameters), docs (id, date, features blob) and
// bands (band key -> doc, indexed). Every add is one transaction: a crash mid-write leaves the
// index as it was before (SQLite's journal), never half-written. Opening a file that is not an
// unspin index, or one built with other parameters, is an error that says so.
#include <cstdint>
#include <string>
#include <vector>

#include "similar/features.h"
#include "similar/verify.h"

struct sqlite3;

namespace unspin::similar {

struct IndexMatch {
  std::string id;
  std::string date;
  PairScore score;
};

class IndexStore {
 public:
  // Opens (create = make it when missing) the index at `path`; `params_json` is the canonical
  // description of the parameters (Params::to_json plus canonicalizer), checked against the file.
  IndexStore(const std::string& path, const std::string& params_json, bool create);
  ~IndexStore();
  IndexStore(const IndexStore&) = delete;
  IndexStore& operator=(const IndexStore&) = delete;

  void begin();
  void commit();
  void rollback();

  // Adds (or replaces, by id) one document. Call between begin() and commit().
  void add(const std::string& id, const std::string& date, const Features& f, const std::vector<uint64_t>& band_keys);
  // Candidates sharing a band key, verified; sorted by score, best first; only those with a
  // verdict other than unrelated.
  std::vector<IndexMatch> query(const Features& f, const std::vector<uint64_t>& band_keys, const Thresholds& t,
                                const std::string& exclude_id = "");
  // Removes documents dated before `date` (string comparison of ISO 8601 dates); returns count.
  size_t expire_before(const std::string& date);
  size_t size();
  std::string stored_params();

  static std::string serialize(const Features& f);
  static Features deserialize(const void* data, size_t size);

 private:
  void exec(const char* sql);
  [[noreturn]] void fail(const std::string& what);
  sqlite3* db_ = nullptr;
  std::string path_;
};

}  // namespace unspin::similar
