// Where documents come from: files, directories, JSONL, and the bad input each can hold.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "common/error.h"
#include "io/batch.h"
#include "io/input.h"
#include "io/json_line.h"

#include "temp_dir.h"

namespace fs = std::filesystem;
using unspin::io::InputItem;
using unspin::io::InputOptions;
using unspin::io::InputReader;

namespace {


std::vector<InputItem> read_all(InputOptions options) {
  InputReader reader(std::move(options));
  std::vector<InputItem> items;
  while (auto item = reader.next()) items.push_back(std::move(*item));
  return items;
}

// One line per item: "doc <id> <text>" or "error <message>".
std::vector<std::string> describe(const std::vector<InputItem>& items) {
  std::vector<std::string> out;
  for (const auto& it : items)
    out.push_back(it.doc ? "doc " + it.doc->id + " " + it.doc->text : "error " + it.error);
  return out;
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("files are read whole, in argument order", "[input]") {
  TempDir t;
  const auto b = t.write("b.txt", "second\nfile");
  const auto a = t.write("a.txt", "first file é");
  const auto items = read_all({.paths = {b, a}});
  REQUIRE(items.size() == 2);
  REQUIRE(items[0].doc);
  CHECK(items[0].doc->id == b);
  CHECK(items[0].doc->text == "second\nfile");
  CHECK(items[0].doc->index == 0);
  CHECK_FALSE(items[0].doc->from_jsonl);
  REQUIRE(items[1].doc);
  CHECK(items[1].doc->id == a);
  CHECK(items[1].doc->text == "first file é");
  CHECK(items[1].doc->index == 1);
}

TEST_CASE("an empty file is an empty document", "[input]") {
  TempDir t;
  const auto e = t.write("empty.txt", "");
  const auto items = read_all({.paths = {e}});
  REQUIRE(items.size() == 1);
  REQUIRE(items[0].doc);
  CHECK(items[0].doc->text.empty());
}

TEST_CASE("directories are read recursively, *.txt only, sorted by path", "[input]") {
  TempDir t;
  t.write("dir/b.txt", "B");
  t.write("dir/a.txt", "A");
  t.write("dir/sub/z/d.txt", "D");
  t.write("dir/sub/c.txt", "C");
  t.write("dir/A.txt", "upper A");
  t.write("dir/notes.md", "not text");
  t.write("dir/data.jsonl", "{\"text\": \"x\"}");
  t.write("dir/txt", "no extension");
  fs::create_directories(t.path / "dir" / "empty.txt");  // a directory named *.txt is skipped
  const auto before = t.write("0.txt", "before");
  const auto after = t.write("z.txt", "after");
  const auto items = read_all({.paths = {after, t / "dir", before}});
  const std::string d = t / "dir";
  CHECK(describe(items) == std::vector<std::string>{
                               "doc " + after + " after", "doc " + d + "/A.txt upper A",
                               "doc " + d + "/a.txt A", "doc " + d + "/b.txt B",
                               "doc " + d + "/sub/c.txt C", "doc " + d + "/sub/z/d.txt D",
                               "doc " + before + " before"});
  for (size_t i = 0; i < items.size(); ++i) CHECK(items[i].doc->index == i);
}

TEST_CASE("a missing file is an error naming it; the rest is read", "[input]") {
  TempDir t;
  const auto a = t.write("a.txt", "A");
  const auto items = read_all({.paths = {t / "missing.txt", a}});
  REQUIRE(items.size() == 2);
  CHECK_FALSE(items[0].doc);
  CHECK(contains(items[0].error, t / "missing.txt"));
  CHECK(contains(items[0].error, "cannot open"));
  REQUIRE(items[1].doc);
  CHECK(items[1].doc->index == 0);  // errors take no index
}

TEST_CASE("a dangling symlink in a directory is an error; the others are read", "[input]") {
  TempDir t;
  t.write("dir/a.txt", "A");
  t.write("dir/c.txt", "C");
  fs::create_symlink(t.path / "nowhere.txt", t.path / "dir" / "b.txt");
  const auto items = read_all({.paths = {t / "dir"}});
  REQUIRE(items.size() == 3);
  CHECK(describe({items[0]}) == std::vector<std::string>{"doc " + t / "dir/a.txt" + " A"});
  CHECK_FALSE(items[1].doc);
  CHECK(contains(items[1].error, t / "dir/b.txt"));
  CHECK(describe({items[2]}) == std::vector<std::string>{"doc " + t / "dir/c.txt" + " C"});
}

TEST_CASE("unreadable files and directories are errors, never silently skipped", "[input]") {
  if (geteuid() == 0) {
    WARN("running as root: permissions do not apply, test skipped");
    return;
  }
  TempDir t;
  t.write("dir/a.txt", "A");
  const auto locked = t.write("dir/b.txt", "B");
  t.write("dir/sub/c.txt", "C");
  t.write("dir/z.txt", "Z");
  fs::permissions(locked, fs::perms::none);
  fs::permissions(t.path / "dir" / "sub", fs::perms::none);
  const auto items = read_all({.paths = {t / "dir"}});
  fs::permissions(t.path / "dir" / "sub", fs::perms::owner_all);
  size_t docs = 0, errors = 0;
  bool named_file = false, named_dir = false;
  for (const auto& it : items) {
    if (it.doc) {
      ++docs;
    } else {
      ++errors;
      named_file |= contains(it.error, locked);
      named_dir |= contains(it.error, t / "dir/sub");
    }
  }
  CHECK(docs == 2);
  CHECK(errors == 2);
  CHECK(named_file);
  CHECK(named_dir);
}

TEST_CASE("binary files and invalid UTF-8 are errors naming the file and byte", "[input]") {
  TempDir t;
  const auto bin = t.write("bin.txt", std::string("abc\0def", 7));
  const auto bad = t.write("bad.txt", "Hello \xC3\x28 world");
  const auto good = t.write("good.txt", "fine");
  const auto items = read_all({.paths = {bin, bad, good}});
  REQUIRE(items.size() == 3);
  CHECK_FALSE(items[0].doc);
  CHECK(contains(items[0].error, bin));
  CHECK(contains(items[0].error, "NUL byte at byte 3"));
  CHECK_FALSE(items[1].doc);
  CHECK(contains(items[1].error, bad));
  CHECK(contains(items[1].error, "invalid UTF-8 at byte 6"));
  REQUIRE(items[2].doc);
  CHECK(items[2].doc->text == "fine");
}

TEST_CASE("documents over the size limit are refused, never cut", "[input]") {
  TempDir t;
  const auto big = t.write("big.txt", std::string(101, 'x'));
  const auto exact = t.write("exact.txt", std::string(100, 'y'));
  const auto items = read_all({.paths = {big, exact}, .max_doc_bytes = 100});
  REQUIRE(items.size() == 2);
  CHECK_FALSE(items[0].doc);
  CHECK(contains(items[0].error, big));
  CHECK(contains(items[0].error, "larger than"));
  CHECK(contains(items[0].error, "100"));
  REQUIRE(items[1].doc);
  CHECK(items[1].doc->text == std::string(100, 'y'));
}

TEST_CASE("JSONL: good lines are read, bad lines are errors naming file:line", "[input][jsonl]") {
  TempDir t;
  const auto f = t.write("batch.jsonl",
                         "{\"id\": \"one\", \"text\": \"First text.\", \"date\": \"2024-01-02\"}\n"
                         "{\"id\": \"two\", \"text\": \"unterminated\n"
                         "{\"id\": \"three\", \"text\": \"Third.\"}\r\n"
                         "{\"id\": \"four\"}\n"
                         "\n"
                         "   \n"
                         "{\"id\": 5, \"text\": \"numeric id\"}\n"
                         "{\"text\": \"no id\"}\n"
                         "{\"id\": \"seven\", \"text\": 42}\n"
                         "[\"not\", \"an object\"]\n"
                         "{\"id\": {\"a\": 1}, \"text\": \"object id\"}\n"
                         "{\"id\": \"nul\", \"text\": \"a\\u0000b\"}\n"
                         "{\"id\": \"last\", \"text\": \"no newline at the end\"}");
  const auto items = read_all({.paths = {f}, .jsonl = true});
  const auto d = describe(items);
  REQUIRE(d.size() == 11);
  CHECK(d[0] == "doc one First text.");
  CHECK(items[0].doc->date == "2024-01-02");
  CHECK(items[0].doc->from_jsonl);
  CHECK(d[1] == "error " + f + ":2: malformed JSON");
  CHECK(d[2] == "doc three Third.");
  CHECK(items[2].doc->date.empty());
  CHECK(d[3].rfind("error " + f + ":4: ", 0) == 0);  // no "text"
  CHECK(contains(d[3], "\"text\""));
  CHECK(d[4] == "doc 5 numeric id");  // a non-string id is kept as its JSON
  CHECK(d[5] == "doc " + f + ":8 no id");
  CHECK(d[6].rfind("error " + f + ":9: ", 0) == 0);  // "text" not a string
  CHECK(d[7].rfind("error " + f + ":10: ", 0) == 0);  // not an object
  CHECK(d[8] == "doc {\"a\":1} object id");
  CHECK(d[9].rfind("error " + f + ":12: ", 0) == 0);  // NUL in the text
  CHECK(contains(d[9], "NUL"));
  CHECK(d[10] == "doc last no newline at the end");
  // Indices count documents only, in order.
  std::vector<size_t> indices;
  for (const auto& it : items)
    if (it.doc) indices.push_back(it.doc->index);
  CHECK(indices == std::vector<size_t>{0, 1, 2, 3, 4, 5});
}

TEST_CASE("JSONL: a line over the limit is consumed and refused; the next is read", "[input][jsonl]") {
  TempDir t;
  const std::string huge = "{\"id\": \"huge\", \"text\": \"" + std::string(5000, 'x') + "\"}";
  const auto f = t.write("big.jsonl", huge + "\n{\"id\": \"small\", \"text\": \"ok\"}\n" + huge);
  const auto items = read_all({.paths = {f}, .jsonl = true, .max_doc_bytes = 1000});
  const auto d = describe(items);
  REQUIRE(d.size() == 3);
  CHECK(d[0].rfind("error " + f + ":1: ", 0) == 0);
  CHECK(contains(d[0], "larger than"));
  CHECK(d[1] == "doc small ok");
  CHECK(d[2].rfind("error " + f + ":3: ", 0) == 0);
}

TEST_CASE("JSONL: directories give their *.jsonl files; files follow each other", "[input][jsonl]") {
  TempDir t;
  t.write("d/b.jsonl", "{\"id\": \"b1\", \"text\": \"B1\"}\n");
  t.write("d/a.jsonl", "{\"id\": \"a1\", \"text\": \"A1\"}\n{\"id\": \"a2\", \"text\": \"A2\"}\n");
  t.write("d/ignored.txt", "plain");
  const auto missing = t / "missing.jsonl";
  const auto items = read_all({.paths = {t / "d", missing}, .jsonl = true});
  const auto d = describe(items);
  REQUIRE(d.size() == 4);
  CHECK(d[0] == "doc a1 A1");
  CHECK(d[1] == "doc a2 A2");
  CHECK(d[2] == "doc b1 B1");
  CHECK(d[3].rfind("error " + missing + ": cannot open", 0) == 0);
}

TEST_CASE("a second pass skips unwanted documents unparsed and keeps every number", "[input][jsonl]") {
  TempDir t;
  const auto f = t.write("batch.jsonl",
                         "{\"id\": \"d0\", \"text\": \"zero\"}\n"
                         "{\"id\": \"broken\", \"text\": \n"
                         "\n"
                         "{\"id\": \"d1\", \"text\": \"one\"}\n"
                         "{\"id\": \"d2\", \"text\": \"two\"}\n"
                         "{\"id\": \"nul\", \"text\": \"a\\u0000b\"}\n"
                         "{\"id\": \"d3\", \"text\": \"three\"}\n");
  const auto missing = t / "missing.txt";
  const auto g = t.write("g.txt", "file four");
  // First pass: where the errors are among all items.
  std::vector<size_t> error_items;
  size_t item = 0;
  for (const auto& it : read_all({.paths = {f}, .jsonl = true})) {
    if (!it.doc) error_items.push_back(item);
    ++item;
  }
  CHECK(error_items == std::vector<size_t>{1, 4});
  InputReader reader({.paths = {f}, .jsonl = true});
  reader.skip_unwanted([](size_t d) { return d == 1 || d == 3; }, error_items);
  std::vector<std::string> got;
  while (auto it = reader.next()) got.push_back(it->doc ? it->doc->id + "@" + std::to_string(it->doc->index) : "error");
  CHECK(got == std::vector<std::string>{"error", "d1@1", "error", "d3@3"});
  CHECK(reader.documents_counted() == 4);
  // Files: an unwanted file is not read; an error stays an error.
  InputReader files({.paths = {missing, g, g}});
  files.skip_unwanted([](size_t d) { return d == 1; }, {0});
  got.clear();
  while (auto it = files.next()) got.push_back(it->doc ? it->doc->text + "@" + std::to_string(it->doc->index) : "error");
  CHECK(got == std::vector<std::string>{"error", "file four@1"});
  CHECK(files.documents_counted() == 2);
}

TEST_CASE("JSONL fast reader: the fields nlohmann gives, or no answer", "[input][jsonl]") {
  // Whenever the fast reader answers, nlohmann must accept the line and give the same fields;
  // every line the fast reader declines still goes through nlohmann (the reader's fallback).
  auto check = [](const std::string& line) {
    unspin::io::JsonLineFields f;
    const bool fast = unspin::io::read_flat_json_line(line, f);
    const nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    const bool valid = !j.is_discarded() && j.is_object() && j.contains("text") && j["text"].is_string();
    INFO("line: " << line);
    if (!fast) return false;
    REQUIRE(valid);
    CHECK(f.text == j["text"].get<std::string>());
    CHECK(f.has_id == (j.contains("id") && j["id"].is_string()));
    if (f.has_id) CHECK(f.id == j["id"].get<std::string>());
    CHECK_FALSE((j.contains("id") && !j["id"].is_string()));  // those are nlohmann's to format
    const bool date = j.contains("date") && j["date"].is_string();
    CHECK(f.has_date == date);
    if (date) CHECK(f.date == j["date"].get<std::string>());
    return true;
  };
  const std::vector<std::string> taken = {
      R"({"id": "a", "text": "plain"})",
      R"(  {"text":"esc \" \\ \/ \b \f \n \r \t","id":"x"}  )",
      R"({"id": "u", "text": "\u00e9\u4e2d\ud83d\ude00 \u0000", "date": "2024-05-01", "n": -12.5, "ok": true, "z": null})",
      "{\"id\": \"raw\", \"text\": \"caf\xC3\xA9 \xE2\x80\x99\"}\r",
      R"({"text": "", "date": 7})",
      R"({"\u0069d": "escaped key", "text": "t"})",
      R"({"text": "dup other keys", "k": 1, "k": 2})",
  };
  for (const auto& line : taken) CHECK(check(line));
  const std::vector<std::string> declined = {
      R"({"id": 5, "text": "numeric id"})", R"({"id": null, "text": "x"})", R"({"text": "a", "text": "b"})",
      R"({"text": "x", "meta": {"a": 1}})", R"({"text": "x", "list": [1]})", R"({"text": 42})", R"({"id": "x"})",
      R"({"text": "x"} trailing)", R"({"text": "x",})", R"({"text": "bad \x escape"})", R"({"text": "lone \ud800"})",
      R"({"text": "lone \udc00 low"})", R"({"text": "x", "n": 01})", R"({"text": "x", "n": 1e5})",
      R"({"text": "x", "n": 1234567890123456789})", R"([1, 2])", R"({"text": "unterminated)", "{\"text\": \"tab\there\"}",
      "{\"text\": \"bad \xC3\x28 utf8\"}", "\xEF\xBB\xBF{\"text\": \"bom\"}", R"({"text": "x", "t": tru})", ""};
  for (const auto& line : declined) CHECK_FALSE(check(line));
  // Random damage to good lines: the fast reader may decline, but never disagrees.
  std::mt19937_64 rng(3);
  const std::string alphabet = "{}[]\":,\\/ntu0123456789abcdefABCDEF.-+eE \t\xC3\xA9\x01";
  for (int t = 0; t < 20000; ++t) {
    std::string line = taken[rng() % taken.size()];
    for (int k = rng() % 4; k >= 0; --k) {
      const size_t at = rng() % (line.size() + 1);
      switch (rng() % 3) {
        case 0: line.insert(at, 1, alphabet[rng() % alphabet.size()]); break;
        case 1: if (at < line.size()) line.erase(at, 1); break;
        default: if (at < line.size()) line[at] = alphabet[rng() % alphabet.size()]; break;
      }
    }
    check(line);
  }
}

TEST_CASE("read_text_file", "[input]") {
  TempDir t;
  const auto ok = t.write("ok.txt", "héllo");
  const auto bad = t.write("bad.txt", "ab\xFF");
  CHECK(unspin::io::read_text_file(ok) == "héllo");
  REQUIRE_THROWS_AS(unspin::io::read_text_file(bad), unspin::Error);
  REQUIRE_THROWS_WITH(unspin::io::read_text_file(bad), Catch::Contains(bad) && Catch::Contains("byte 2"));
  REQUIRE_THROWS_WITH(unspin::io::read_text_file(ok, 3), Catch::Contains(ok) && Catch::Contains("larger"));
  REQUIRE_THROWS_WITH(unspin::io::read_text_file(t / "nope.txt"), Catch::Contains("nope.txt"));
}

TEST_CASE("process_in_order emits in input order for any thread count", "[input][batch]") {
  TempDir t;
  std::vector<std::string> paths;
  for (int i = 0; i < 40; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "d/%02d.txt", i);
    // Documents of very different sizes so that workers finish out of order.
    t.write(name, std::string(i % 7 == 0 ? 200000 : 10, 'a' + i % 26));
  }
  t.write("d/15.txt", "bad \xFF");  // an input error in the middle
  auto run = [&](int threads) {
    InputReader reader({.paths = {t / "d"}});
    std::vector<std::string> log;
    unspin::io::BatchCallbacks<std::string> cb;
    cb.work = [](const unspin::io::InputDoc& doc) {
      if (fs::path(doc.id).filename() == "22.txt") throw std::runtime_error("boom");
      return fs::path(doc.id).filename().string() + ":" + std::to_string(doc.text.size());
    };
    cb.emit = [&](const unspin::io::InputDoc&, std::string& r) { log.push_back(r); };
    cb.error = [&](const std::string& e) { log.push_back("error " + e); };
    size_t last_docs = 0;
    cb.progress = [&](size_t docs, size_t) {
      CHECK(docs > last_docs);
      last_docs = docs;
    };
    unspin::io::process_in_order(reader, threads, cb, {.max_docs = 3, .max_bytes = 1 << 20});
    CHECK(last_docs == 40);
    return log;
  };
  const auto one = run(1);
  REQUIRE(one.size() == 40);
  CHECK(one[0] == "00.txt:200000");
  CHECK(one[1] == "01.txt:10");
  CHECK(one[15].rfind("error ", 0) == 0);
  CHECK(contains(one[15], "15.txt"));
  CHECK(contains(one[15], "byte 4"));
  CHECK(one[22].rfind("error ", 0) == 0);  // the work threw
  CHECK(contains(one[22], "22.txt: boom"));
  CHECK(run(2) == one);
  CHECK(run(4) == one);
}
