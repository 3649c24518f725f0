#include "similar/index_store.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "common/error.h"

namespace unspin::similar {

namespace {

constexpr const char* kFormat = "unspin-index";
constexpr const char* kSchemaVersion = "1";

struct Stmt {
  sqlite3_stmt* s = nullptr;
  Stmt(sqlite3* db, const char* sql) {
    if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) != SQLITE_OK)
      throw Error(std::string("index: ") + sqlite3_errmsg(db));
  }
  ~Stmt() { sqlite3_finalize(s); }
  operator sqlite3_stmt*() { return s; }
};

void put_vec(std::string& out, const std::vector<uint64_t>& v) {
  const uint32_t n = static_cast<uint32_t>(v.size());
  out.append(reinterpret_cast<const char*>(&n), sizeof n);
  out.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(uint64_t));
}

bool get_vec(const char*& p, const char* end, std::vector<uint64_t>& v) {
  uint32_t n;
  if (end - p < static_cast<long>(sizeof n)) return false;
  std::memcpy(&n, p, sizeof n);
  p += sizeof n;
  if (static_cast<size_t>(end - p) < n * sizeof(uint64_t)) return false;
  v.resize(n);
  std::memcpy(v.data(), p, n * sizeof(uint64_t));
  p += n * sizeof(uint64_t);
  return true;
}

}  // namespace

std::string IndexStore::serialize(const Features& f) {
  std::string out;
  out.append(reinterpret_cast<const char*>(&f.words), sizeof f.words);
  put_vec(out, f.raw);
  put_vec(out, f.canonical);
  put_vec(out, f.canonical_seq);
  put_vec(out, f.immutables);
  put_vec(out, f.canonical_ids);
  return out;
}

Features IndexStore::deserialize(const void* data, size_t size) {
  Features f;
  const char* p = static_cast<const char*>(data);
  const char* end = p + size;
  if (size < sizeof f.words) throw Error("index: damaged features record");
  std::memcpy(&f.words, p, sizeof f.words);
  p += sizeof f.words;
  if (!get_vec(p, end, f.raw) || !get_vec(p, end, f.canonical) || !get_vec(p, end, f.canonical_seq) ||
      !get_vec(p, end, f.immutables) || !get_vec(p, end, f.canonical_ids))
    throw Error("index: damaged features record");
  return f;
}

void IndexStore::fail(const std::string& what) {
  throw Error(path_ + ": " + what + ": " + (db_ ? sqlite3_errmsg(db_) : "cannot open"));
}

void IndexStore::exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string m = err ? err : "error";
    sqlite3_free(err);
    throw Error(path_ + ": " + m);
  }
}

IndexStore::IndexStore(const std::string& path, const std::string& params_json, bool create) : path_(path) {
  std::error_code ec;
  const bool exists = std::filesystem::exists(path, ec);
  if (!exists && !create) throw Error(path + ": no such index (create it with `unspin index add`)");
  const int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
  if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) fail("cannot open index");
  sqlite3_busy_timeout(db_, 10000);
  // Is it an unspin index? A non-SQLite file fails on the first read.
  bool has_meta = false, has_tables = false;
  {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db_, "SELECT name FROM sqlite_master WHERE type='table'", -1, &s, nullptr) != SQLITE_OK) {
      sqlite3_close(db_);
      db_ = nullptr;
      throw Error(path + ": not an unspin index (not an SQLite database)");
    }
    while (sqlite3_step(s) == SQLITE_ROW) {
      has_tables = true;
      if (std::strcmp(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)), "meta") == 0) has_meta = true;
    }
    sqlite3_finalize(s);
  }
  auto not_index = [&](const std::string& why) {
    sqlite3_close(db_);
    db_ = nullptr;
    throw Error(path + ": not an unspin index (" + why + ")");
  };
  if (has_tables && !has_meta) not_index("an SQLite database without unspin's meta table");
  exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
  if (!has_tables) {
    exec("BEGIN IMMEDIATE;"
         "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
         "CREATE TABLE docs(doc INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, date TEXT NOT NULL, features BLOB NOT NULL);"
         "CREATE INDEX docs_date ON docs(date);"
         "CREATE TABLE bands(key INTEGER NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY(key, doc)) WITHOUT ROWID;"
         "CREATE INDEX bands_doc ON bands(doc);");
    Stmt ins(db_, "INSERT INTO meta(key, value) VALUES (?, ?)");
    const std::pair<const char*, std::string> rows[] = {
        {"format", kFormat}, {"schema", kSchemaVersion}, {"params", params_json}};
    for (const auto& [k, v] : rows) {
      sqlite3_bind_text(ins, 1, k, -1, SQLITE_STATIC);
      sqlite3_bind_text(ins, 2, v.c_str(), -1, SQLITE_TRANSIENT);
      if (sqlite3_step(ins) != SQLITE_DONE) fail("cannot write meta");
      sqlite3_reset(ins);
    }
    exec("COMMIT;");
    return;
  }
  std::string format, schema, params;
  {
    Stmt q(db_, "SELECT key, value FROM meta");
    while (sqlite3_step(q) == SQLITE_ROW) {
      const std::string k = reinterpret_cast<const char*>(sqlite3_column_text(q, 0));
      const std::string v = reinterpret_cast<const char*>(sqlite3_column_text(q, 1));
      if (k == "format") format = v;
      if (k == "schema") schema = v;
      if (k == "params") params = v;
    }
  }
  if (format != kFormat) not_index("its meta table has no unspin format marker");
  if (schema != kSchemaVersion) not_index("schema version " + schema + ", this unspin reads " + kSchemaVersion);
  if (params != params_json) {
    sqlite3_close(db_);
    db_ = nullptr;
    throw Error(path + ": this index was built with other parameters: " + params + "; asked for: " + params_json +
                " (use the same options, or a new index)");
  }
}

IndexStore::~IndexStore() {
  if (db_) sqlite3_close(db_);
}

void IndexStore::begin() { exec("BEGIN IMMEDIATE"); }
void IndexStore::commit() { exec("COMMIT"); }
void IndexStore::rollback() { exec("ROLLBACK"); }

std::string IndexStore::stored_params() {
  Stmt q(db_, "SELECT value FROM meta WHERE key='params'");
  return sqlite3_step(q) == SQLITE_ROW ? reinterpret_cast<const char*>(sqlite3_column_text(q, 0)) : "";
}

void IndexStore::add(const std::string& id, const std::string& date, const Features& f,
                     const std::vector<uint64_t>& band_keys) {
  {
    Stmt old(db_, "SELECT doc FROM docs WHERE id = ?");
    sqlite3_bind_text(old, 1, id.c_str(), -1, SQLITE_TRANSIENT);
    if (sqlite3_step(old) == SQLITE_ROW) {
      const sqlite3_int64 doc = sqlite3_column_int64(old, 0);
      Stmt d1(db_, "DELETE FROM bands WHERE doc = ?");
      sqlite3_bind_int64(d1, 1, doc);
      sqlite3_step(d1);
      Stmt d2(db_, "DELETE FROM docs WHERE doc = ?");
      sqlite3_bind_int64(d2, 1, doc);
      sqlite3_step(d2);
    }
  }
  Stmt ins(db_, "INSERT INTO docs(id, date, features) VALUES (?, ?, ?)");
  const std::string blob = serialize(f);
  sqlite3_bind_text(ins, 1, id.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(ins, 2, date.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_blob(ins, 3, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT);
  if (sqlite3_step(ins) != SQLITE_DONE) fail("cannot add " + id);
  const sqlite3_int64 doc = sqlite3_last_insert_rowid(db_);
  Stmt band(db_, "INSERT OR IGNORE INTO bands(key, doc) VALUES (?, ?)");
  for (size_t b = 0; b < band_keys.size(); ++b) {
    const uint64_t key = (static_cast<uint64_t>(b) << 32) | static_cast<uint32_t>(band_keys[b]);
    sqlite3_bind_int64(band, 1, static_cast<sqlite3_int64>(key));
    sqlite3_bind_int64(band, 2, doc);
    if (sqlite3_step(band) != SQLITE_DONE) fail("cannot add " + id);
    sqlite3_reset(band);
  }
}

std::vector<IndexMatch> IndexStore::query(const Features& f, const std::vector<uint64_t>& band_keys,
                                          const Thresholds& t, const std::string& exclude_id) {
  std::vector<sqlite3_int64> docs;
  {
    Stmt q(db_, "SELECT doc FROM bands WHERE key = ?");
    for (size_t b = 0; b < band_keys.size(); ++b) {
      const uint64_t key = (static_cast<uint64_t>(b) << 32) | static_cast<uint32_t>(band_keys[b]);
      sqlite3_bind_int64(q, 1, static_cast<sqlite3_int64>(key));
      while (sqlite3_step(q) == SQLITE_ROW) docs.push_back(sqlite3_column_int64(q, 0));
      sqlite3_reset(q);
    }
  }
  std::sort(docs.begin(), docs.end());
  docs.erase(std::unique(docs.begin(), docs.end()), docs.end());
  std::vector<IndexMatch> out;
  Stmt get(db_, "SELECT id, date, features FROM docs WHERE doc = ?");
  for (auto d : docs) {
    sqlite3_bind_int64(get, 1, d);
    if (sqlite3_step(get) == SQLITE_ROW) {
      IndexMatch m;
      m.id = reinterpret_cast<const char*>(sqlite3_column_text(get, 0));
      m.date = reinterpret_cast<const char*>(sqlite3_column_text(get, 1));
      if (m.id != exclude_id) {
        const Features g = deserialize(sqlite3_column_blob(get, 2), static_cast<size_t>(sqlite3_column_bytes(get, 2)));
        m.score = compare(f, g, t);
        if (m.score.verdict != Verdict::Unrelated) out.push_back(std::move(m));
      }
    }
    sqlite3_reset(get);
  }
  std::sort(out.begin(), out.end(), [](const IndexMatch& a, const IndexMatch& b) {
    if (same_cluster(a.score.verdict) != same_cluster(b.score.verdict)) return same_cluster(a.score.verdict);
    if (a.score.score != b.score.score) return a.score.score > b.score.score;
    return a.id < b.id;
  });
  return out;
}

size_t IndexStore::expire_before(const std::string& date) {
  begin();
  try {
    Stmt d1(db_, "DELETE FROM bands WHERE doc IN (SELECT doc FROM docs WHERE date < ?)");
    sqlite3_bind_text(d1, 1, date.c_str(), -1, SQLITE_TRANSIENT);
    if (sqlite3_step(d1) != SQLITE_DONE) fail("cannot expire");
    Stmt d2(db_, "DELETE FROM docs WHERE date < ?");
    sqlite3_bind_text(d2, 1, date.c_str(), -1, SQLITE_TRANSIENT);
    if (sqlite3_step(d2) != SQLITE_DONE) fail("cannot expire");
    const size_t n = static_cast<size_t>(sqlite3_changes(db_));
    commit();
    return n;
  } catch (...) {
    rollback();
    throw;
  }
}

size_t IndexStore::size() {
  Stmt q(db_, "SELECT COUNT(*) FROM docs");
  return sqlite3_step(q) == SQLITE_ROW ? static_cast<size_t>(sqlite3_column_int64(q, 0)) : 0;
}

}  // namespace unspin::similar
