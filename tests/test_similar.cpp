// Similarity: shingling, signatures, LSH banding, verification, clustering, dedup, index.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <random>
#include <sqlite3.h>
#include <thread>

#include "common/error.h"
#include "similar/canonical.h"
#include "similar/cluster.h"
#include "similar/dedup.h"
#include "similar/features.h"
#include "similar/index_store.h"
#include "similar/minhash.h"
#include "similar/verify.h"
#include "similar/words.h"
#include "text/document.h"

using namespace unspin::similar;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> out;
  for_each_word(text, [&](std::string_view k, const WordInfo&) { out.emplace_back(k); });
  return out;
}

// A light canonicalizer (no thesaurus: fast to build) with a small phrase map.
const Canonicalizer& test_canon() {
  static Canonicalizer c([] {
    CanonicalOptions o;
    o.synonyms = false;
    return o;
  }());
  static const bool init = [] {
    c.add_phrase("used to be", "was");
    c.add_phrase("international locations", "countries");
    c.add_phrase("struggle", "war");
    c.add_phrase("well being", "health");
    c.add_phrase("12 months", "year");
    return true;
  }();
  (void)init;
  return c;
}

// Deterministic pseudo-English: words drawn from a vocabulary by a seeded generator.
std::string random_text(uint64_t seed, size_t words, size_t vocab = 5000) {
  std::mt19937_64 rng(seed);
  std::string out;
  for (size_t i = 0; i < words; ++i) {
    const uint64_t w = rng() % vocab;
    out += "w" + std::to_string(w);
    out += (i % 17 == 16) ? ". " : " ";
  }
  return out;
}

fs::path temp_dir(const std::string& name) {
  fs::path p = fs::temp_directory_path() / ("unspin-test-" + name + "-" + std::to_string(getpid()));
  fs::remove_all(p);
  fs::create_directories(p);
  return p;
}

std::string read_seed(int i) {
  for (const auto& e : fs::directory_iterator(std::string(UNSPIN_SOURCE_DIR) + "/seeds")) {
    if (e.path().filename().string().rfind("00" + std::to_string(i) + "_", 0) == 0) {
      std::ifstream in(e.path());
      return std::string(std::istreambuf_iterator<char>(in), {});
    }
  }
  return {};
}

}  // namespace

TEST_CASE("word tokenizer: keys, joiners, case and sentences", "[similar][shingle]") {
  CHECK(words_of("Don't stop: 1,000.5 U.S. state-of-the-art") ==
        std::vector<std::string>{"don't", "stop", "1,000.5", "u", "s", "state", "of", "the", "art"});
  CHECK(words_of("Ukraine\u2019s “war” — Éire ÉIRE") ==
        std::vector<std::string>{"ukraine's", "war", "éire", "éire"});
  std::vector<WordInfo> infos;
  for_each_word("The Fed met. Then Paris said 42", [&](std::string_view, const WordInfo& i) { infos.push_back(i); });
  REQUIRE(infos.size() == 7);
  CHECK(infos[0].sentence_start);
  CHECK(infos[1].capitalized);
  CHECK_FALSE(infos[1].sentence_start);
  CHECK(infos[3].sentence_start);
  CHECK(infos[6].number);
}

namespace {
// The tokenizer's meaning, byte by byte (the scan as it was before the 64-byte fast path):
// the fast path must give exactly these words, keys and flags.
struct RefWord {
  std::string key;
  bool number, capitalized, sentence_start;
  bool operator==(const RefWord&) const = default;
};
std::vector<RefWord> reference_words(std::string_view text) {
  using namespace unspin::similar::detail;
  std::vector<RefWord> out;
  const size_t n = text.size();
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  bool sentence_start = true;
  size_t i = 0;
  while (i < n) {
    const unsigned char cls = kBytes.c[s[i]];
    if (cls == 0 || cls == 5) {
      sentence_start |= cls == 5;
      ++i;
      continue;
    }
    if (cls == 4) {
      size_t j = i;
      if (!non_ascii_word_char(text, j)) {
        i = j;
        continue;
      }
    }
    const size_t begin = i;
    bool ascii = true, digits_only = true;
    for (;;) {
      while (i < n && ascii_alnum(s[i])) digits_only &= kBytes.c[s[i++]] == 2;
      if (i >= n) break;
      const unsigned char d = s[i];
      if (d < 0x80) {
        if (i + 1 < n) {
          const unsigned char e = s[i + 1];
          if (d == '\'' && ascii_alnum(e) && i > begin) { digits_only = false; ++i; continue; }
          if ((d == '.' || d == ',') && e >= '0' && e <= '9' && s[i - 1] >= '0' && s[i - 1] <= '9') { ++i; continue; }
        }
        break;
      }
      if (d == 0xE2 && i + 3 < n && s[i + 1] == 0x80 && s[i + 2] == 0x99 &&
          (ascii_alnum(s[i + 3]) || s[i + 3] >= 0x80)) {
        ascii = digits_only = false;
        i += 3;
        continue;
      }
      size_t j = i;
      if (!non_ascii_word_char(text, j)) break;
      ascii = digits_only = false;
      i = j;
    }
    const std::string_view word = text.substr(begin, i - begin);
    RefWord w{std::string(word), digits_only, false, sentence_start};
    sentence_start = false;
    if (ascii) {
      for (char& c : w.key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      w.capitalized = s[begin] >= 'A' && s[begin] <= 'Z';
    } else {
      w.key = unspin::text::match_key(word);
      w.capitalized = s[begin] < 0x80 ? (s[begin] >= 'A' && s[begin] <= 'Z') : non_ascii_upper(text, begin);
    }
    out.push_back(std::move(w));
  }
  return out;
}
}  // namespace

TEST_CASE("word tokenizer: the 64-byte fast path means what the byte scan means", "[similar][shingle]") {
  const std::vector<std::string> pieces = {
      "a", "b", "Z", "Q", "word", "Word", "WORD", "x1", "42", "7", "3.5", "1,000", "don't", "'", "'s", ".", ",", "!",
      "?", "\n", " ", "  ", "-", "\t", "\xC3\xA9", "caf\xC3\xA9", "\xC3\x89IRE", "\xE2\x80\x99", "Ukraine\xE2\x80\x99s", "DON\xE2\x80\x99T", "caf\xC3\xA9\xE2\x80\x99s",
      "\xE2\x80\x9C", "\xE4\xB8\xAD\xE6\x96\x87", "\xCC\x81", "internationalisation", "Internationally",
      "ABCDEFGHIJ", "abcdefgh", "ABCDEFGH", "abcdefghi", "\x01", "(", ")", "1.", ".5", "a'", "'b", "1,a",
      std::string(70, 'x'), std::string(63, 'y'), "Name12345", "e.g.", "U.S."};
  std::mt19937_64 rng(11);
  for (int t = 0; t < 3000; ++t) {
    std::string text;
    const size_t parts = rng() % (t % 2 ? 400 : 120);
    for (size_t k = 0; k < parts; ++k) {
      if (t % 2) {  // single characters: joiners right next to letters and digits
        static const std::string chars = "aZk9'.,!? \n-";
        text += chars[rng() % chars.size()];
        if (rng() % 40 == 0) text += "\xE2\x80\x99";
        continue;
      }
      text += pieces[rng() % pieces.size()];
      if (rng() % 3) text += ' ';
    }
    std::vector<RefWord> got;
    bool hashes_ok = true;
    for_each_word(text, [&](std::string_view k, const WordInfo& i) {
      got.push_back({std::string(k), i.number, i.capitalized, i.sentence_start});
      hashes_ok &= i.hash == hash_key(k);
    });
    const auto want = reference_words(text);
    INFO("text: " << text);
    REQUIRE(got.size() == want.size());
    for (size_t k = 0; k < got.size(); ++k) {
      INFO("word " << k << ": " << got[k].key << " vs " << want[k].key);
      CHECK(got[k] == want[k]);
    }
    CHECK(hashes_ok);
  }
}

TEST_CASE("shingling: one shingle per window, order matters, short texts", "[similar][shingle]") {
  std::vector<uint64_t> w = {1, 2, 3, 4, 5, 6, 7};
  std::vector<uint64_t> s;
  shingle(w, 3, s);
  CHECK(s.size() == 5);
  std::vector<uint64_t> w2 = {3, 2, 1, 4, 5, 6, 7};
  std::vector<uint64_t> s2;
  shingle(w2, 3, s2);
  CHECK(s[0] != s2[0]);
  CHECK(s.back() == s2.back());  // the same last window
  shingle({1, 2}, 5, s);
  CHECK(s.size() == 1);  // shorter than k: one shingle
  shingle({}, 5, s);
  CHECK(s.empty());

  Params p;
  const FeatureExtractor ex(p, &test_canon());
  const Features f = ex.extract("one two three four five six seven eight");
  CHECK(f.words == 8);
  CHECK(f.raw.size() == 4);  // 8 - 5 + 1
  CHECK(std::is_sorted(f.raw.begin(), f.raw.end()));
  // Case and punctuation do not change raw shingles.
  CHECK(ex.extract("One, two; THREE four five six seven eight!").raw == f.raw);
}

TEST_CASE("canonical channel: phrase map, stop words, lemmas meet", "[similar][canonical]") {
  Params p;
  const FeatureExtractor ex(p, &test_canon());
  const Features a = ex.extract("The struggle in international locations used to be long and costly for farmers");
  const Features b = ex.extract("The war in countries was long and costly for the farmer");
  CHECK(a.canonical == b.canonical);
  CHECK(a.raw != b.raw);
  CHECK(test_canon().canonical_word("the").empty());
  CHECK(test_canon().lemma_of("countries") == "country");
}

TEST_CASE("canonical channel: thesaurus classes are bounded", "[similar][canonical]") {
  CanonicalOptions o;
  o.max_class_size = 4;
  const Canonicalizer c(o);
  CHECK(c.class_count() > 1000);
  CHECK(c.largest_class() <= 4);
  CHECK(c.largest_class() >= 2);
  CHECK(c.class_of("car") == c.class_of("automobile"));
  CHECK(c.class_of("car") != c.class_of("war"));
  CHECK(c.canonical_word("automobiles") == c.canonical_word("car"));
}

TEST_CASE("signatures are deterministic and seed dependent", "[similar][minhash]") {
  Params p;
  const FeatureExtractor ex(p, &test_canon());
  const std::string text = read_seed(1);
  REQUIRE(text.size() > 1000);
  std::vector<uint32_t> s1, s2, s3;
  ex.raw_signature(text, s1);
  ex.raw_signature(text, s2);
  CHECK(s1 == s2);
  CHECK(s1.size() == p.num_hashes);
  // The same from another thread.
  std::thread t([&] { ex.raw_signature(text, s3); });
  t.join();
  CHECK(s1 == s3);
  Params q = p;
  q.seed = 7;
  const FeatureExtractor ex2(q, &test_canon());
  ex2.raw_signature(text, s3);
  CHECK(s1 != s3);
  // Canonical signatures too, and band keys follow.
  std::vector<uint64_t> k1, k2;
  ex.band_keys(text, k1);
  ex.band_keys(text, k2);
  CHECK(k1 == k2);
  CHECK(k1.size() == p.bands);
  ex.raw_signature("", s1);
  CHECK(s1.empty());
}

TEST_CASE("OPH estimates Jaccard", "[similar][minhash]") {
  // Sets with Jaccard 0.5: A = [0, 3000), B = [1000, 4000) -> 2000 / 4000.
  std::vector<uint64_t> a, b;
  for (uint64_t i = 0; i < 3000; ++i) a.push_back(mix64(i));
  for (uint64_t i = 1000; i < 4000; ++i) b.push_back(mix64(i));
  double sum = 0;
  for (uint64_t seed = 0; seed < 20; ++seed)
    sum += estimate_jaccard(oph_signature(a, 256, seed), oph_signature(b, 256, seed));
  CHECK(std::abs(sum / 20 - 0.5) < 0.03);
  // Tiny sets (most bins empty, densified): identical sets still give identical signatures.
  std::vector<uint64_t> tiny = {1, 2, 3};
  CHECK(oph_signature(tiny, 128, 1) == oph_signature(tiny, 128, 1));
  const std::vector<uint64_t> other = {4, 5, 6};
  CHECK(estimate_jaccard(oph_signature(tiny, 128, 1), oph_signature(other, 128, 1)) < 0.5);
}

TEST_CASE("banding: candidate probability follows 1 - (1 - s^r)^b", "[similar][lsh]") {
  const uint32_t bands = 16, rows = 4;
  for (double s : {0.3, 0.5, 0.7}) {
    // |A n B| / |A u B| = s with |A u B| = 1000.
    const uint64_t common = static_cast<uint64_t>(std::lround(1000 * s));
    const uint64_t only = (1000 - common) / 2;
    int hits = 0;
    const int trials = 400;
    for (int t = 0; t < trials; ++t) {
      std::vector<uint64_t> a, b;
      const uint64_t base = static_cast<uint64_t>(t) << 20;
      for (uint64_t i = 0; i < common; ++i) { a.push_back(base + i); b.push_back(base + i); }
      for (uint64_t i = 0; i < only; ++i) { a.push_back(base + 100000 + i); b.push_back(base + 200000 + i); }
      std::vector<uint64_t> ka, kb;
      band_keys(oph_signature(a, bands * rows, 99), bands, rows, 99, ka);
      band_keys(oph_signature(b, bands * rows, 99), bands, rows, 99, kb);
      bool hit = false;
      for (uint32_t i = 0; i < bands; ++i) hit |= ka[i] == kb[i];
      hits += hit;
    }
    const double observed = static_cast<double>(hits) / trials;
    const double real_s = static_cast<double>(common) / (common + 2 * only);
    const double expected = lsh_probability(real_s, bands, rows);
    INFO("s=" << real_s << " observed " << observed << " expected " << expected);
    CHECK(std::abs(observed - expected) < 0.08);
  }
  CHECK(lsh_probability(0.8, 16, 8) == Approx(0.947).epsilon(0.01));
  CHECK(lsh_probability(0.5, 16, 8) == Approx(0.061).epsilon(0.03));
}

TEST_CASE("verification: duplicate, spun copy, quotation, unrelated", "[similar][verify]") {
  Params p;
  const FeatureExtractor ex(p, &test_canon());
  const std::string original = read_seed(2);
  REQUIRE(original.size() > 1000);
  // A spun copy: every third content word replaced by a word the canonical channel cannot map.
  std::string spun;
  int i = 0;
  for_each_word(original, [&](std::string_view k, const WordInfo&) {
    spun += (++i % 3 == 0 && k.size() > 3) ? "zq" + std::string(k.substr(1)) : std::string(k);
    spun += ' ';
  });
  const Features fo = ex.extract(original), fs_ = ex.extract(spun), fu = ex.extract(read_seed(3));
  const PairScore dup = compare(fo, ex.extract(original + " Share this article."));
  CHECK(dup.verdict == Verdict::Duplicate);
  const PairScore copy = compare(fo, fs_);
  INFO("jaccard " << copy.jaccard << " order " << copy.order << " chance " << copy.order_chance);
  CHECK(copy.jaccard < 0.3);  // shingles mostly destroyed
  CHECK(copy.verdict == Verdict::SpunCopy);
  const PairScore unrelated = compare(fo, fu);
  CHECK(unrelated.verdict != Verdict::SpunCopy);
  CHECK(unrelated.verdict != Verdict::Duplicate);
  CHECK(unrelated.score < 0.15);
  // Two different texts sharing one long quotation (about a third of the shorter) are not copies.
  const std::string quote = original.substr(0, original.size() / 3);
  const std::string a = random_text(1, 400) + " " + quote + " " + random_text(2, 400);
  const std::string b = random_text(3, 300) + " " + quote + " " + random_text(4, 300);
  const PairScore q = compare(ex.extract(a), ex.extract(b));
  INFO("containment " << q.containment << " spread " << q.spread << " score " << q.score);
  CHECK(q.containment > 0.2);
  CHECK_FALSE(same_cluster(q.verdict));
  // Symmetric.
  CHECK(compare(fs_, fo).score == Approx(copy.score));
}

TEST_CASE("clustering around the earliest document does not chain", "[similar][cluster]") {
  // 0 ~ 1 and 1 ~ 2, but 0 !~ 2: 2 must not join 0's cluster through 1.
  const std::vector<uint64_t> rank = {0, 0, 0, 0};
  std::vector<ScoredPair> pairs = {{0, 1, 0.5f, Verdict::SpunCopy}, {1, 2, 0.9f, Verdict::Duplicate}};
  auto a = cluster(rank, pairs);
  CHECK(a[0].rep == 0);
  CHECK(a[1].rep == 0);
  CHECK(a[2].rep == 2);  // its only link is to a member
  CHECK(a[3].rep == 3);
  // Best representative wins; related pairs do not link.
  pairs = {{0, 2, 0.3f, Verdict::SpunCopy}, {1, 2, 0.8f, Verdict::SpunCopy}, {0, 3, 0.9f, Verdict::Related}};
  a = cluster(rank, pairs);
  CHECK(a[2].rep == 1);
  CHECK(a[2].score == Approx(0.8));
  CHECK(a[3].rep == 3);
  // Dates decide who is earliest, not input order.
  const std::vector<uint64_t> dated = {date_rank("2024-03-02"), date_rank("2024-03-01T08:00")};
  a = cluster(dated, {{0, 1, 0.9f, Verdict::Duplicate}});
  CHECK(a[0].rep == 1);
  CHECK(a[1].rep == 1);
  CHECK(date_rank("2024-03-01") < date_rank("2024-03-01T00:01"));
}

namespace {
// A store of documents with one 24-bit band word per (document, band) as given.
BandWordStore store_of(const std::vector<uint32_t>& words, uint32_t bands, uint32_t rows,
                       const std::vector<bool>& has_words = {}) {
  BandWordStore store(bands, rows);
  for (size_t d = 0; d * bands < words.size(); ++d) {
    if (!has_words.empty() && !has_words[d]) {
      store.add(std::span<const uint32_t>());
      continue;
    }
    std::vector<uint8_t> bytes;
    for (uint32_t b = 0; b < bands; ++b)
      for (uint32_t byte = 0; byte < kBandWordBytes; ++byte)
        bytes.push_back(static_cast<uint8_t>(words[d * bands + b] >> (8 * byte)));
    store.add_words(bytes);
  }
  return store;
}
}  // namespace

TEST_CASE("candidate pairs from band words, with capped buckets and the sketch check", "[similar][lsh]") {
  // 4 docs, 2 bands: 0 and 2 share band 0; 1 and 3 share band 1; 0 and 2 also share band 1.
  const std::vector<uint32_t> words = {10, 20, 11, 21, 10, 20, 12, 21};
  const std::vector<uint32_t> order = {0, 1, 2, 3};
  auto pairs = candidate_pairs(store_of(words, 2, 1), order, CandidateOptions{64, 0.0});
  CHECK(pairs == std::vector<std::pair<uint32_t, uint32_t>>{{0, 2}, {1, 3}});
  // The sketch check: 0-2 agree on both values, 1-3 on one of two (estimate ~0.5).
  DedupStats st;
  pairs = candidate_pairs(store_of(words, 2, 1), order, CandidateOptions{64, 0.75}, &st);
  CHECK(pairs == std::vector<std::pair<uint32_t, uint32_t>>{{0, 2}});
  CHECK(st.bucket_pairs == 3);  // 0-2 twice, 1-3 once
  CHECK(st.sketch_rejected == 1);
  // A document without words is in no pair.
  pairs = candidate_pairs(store_of(words, 2, 1, {true, true, false, true}), order, CandidateOptions{64, 0.0});
  CHECK(pairs == std::vector<std::pair<uint32_t, uint32_t>>{{1, 3}});
  // One bucket of 10 with a cap of 3: each pairs only with the 3 earliest.
  st = {};
  std::vector<uint32_t> later_first(10);
  for (uint32_t i = 0; i < 10; ++i) later_first[i] = 9 - i;
  pairs = candidate_pairs(store_of(std::vector<uint32_t>(10, 5), 1, 1), later_first, CandidateOptions{3, 0.0}, &st);
  CHECK(st.capped_buckets == 1);
  CHECK(st.largest_bucket == 10);
  CHECK(pairs.size() == 3 + 7 * 3);
  for (auto [a, b] : pairs) CHECK(b >= 7);  // the earliest are the last three documents
  // More documents than one block of the store.
  std::vector<uint32_t> many(10000);
  for (uint32_t d = 0; d < many.size(); ++d) many[d] = d % 5000;  // d and d + 5000 share their word
  std::vector<uint32_t> identity(many.size());
  std::iota(identity.begin(), identity.end(), 0u);
  pairs = candidate_pairs(store_of(many, 1, 1), identity, CandidateOptions{64, 0.0});
  REQUIRE(pairs.size() == 5000);
  CHECK(pairs[4999] == std::pair<uint32_t, uint32_t>{4999, 9999});
  // Any thread count: the same pairs and counts.
  for (uint32_t d = 0; d < many.size(); ++d) many[d] = d % 37 == 0 ? 7 : d % 3000;  // one big bucket
  DedupStats one, three;
  const auto p1 = candidate_pairs(store_of(many, 2, 2), identity, CandidateOptions{64, 0.5, 1}, &one);
  const auto p3 = candidate_pairs(store_of(many, 2, 2), identity, CandidateOptions{64, 0.5, 3}, &three);
  CHECK(p1 == p3);
  CHECK(one.bucket_pairs == three.bucket_pairs);
  CHECK(one.sketch_rejected == three.sketch_rejected);
  CHECK(one.capped_buckets == three.capped_buckets);
  CHECK(one.largest_bucket == three.largest_bucket);
  CHECK(one.capped_buckets > 0);
}

TEST_CASE("band words: values packed, equal values estimate Jaccard", "[similar][lsh]") {
  // Two rows of 12 bits each per 24-bit word.
  std::vector<uint8_t> w;
  append_band_words(std::vector<uint32_t>{0xABC123, 0x456789}, 1, 2, w);
  REQUIRE(w.size() == kBandWordBytes);
  CHECK(band_word(w.data()) == (0x123u | 0x789u << 12));
  // Signatures of sets with Jaccard 0.5 agree on about half their values, whatever the rows.
  std::vector<uint64_t> a, b;
  for (uint64_t i = 0; i < 3000; ++i) a.push_back(mix64(i));
  for (uint64_t i = 1000; i < 4000; ++i) b.push_back(mix64(i));
  for (uint32_t rows : {1u, 2u, 3u, 4u, 8u}) {
    const uint32_t bands = 240 / rows;
    std::vector<uint8_t> wa, wb;
    append_band_words(oph_signature(a, bands * rows, 5), bands, rows, wa);
    append_band_words(oph_signature(b, bands * rows, 5), bands, rows, wb);
    const BandWordCompare cmp(bands, rows);
    INFO("rows " << rows);
    CHECK(std::abs(cmp.similarity(wa.data(), wb.data()) - 0.5) < 0.1);
    CHECK(cmp.similarity(wa.data(), wa.data()) == Approx(1.0));
    CHECK(cmp.equal_values(wa.data(), wa.data()) == bands * rows);
  }
  // Against a value-by-value count, for odd and even band counts and partly equal words.
  std::mt19937_64 rng(8);
  for (uint32_t rows : {1u, 2u, 3u, 5u, 6u, 24u}) {
    for (uint32_t bands : {1u, 2u, 7u, 80u, 301u}) {
      const uint32_t bits = kBandWordBits / rows;
      std::vector<uint32_t> sa(bands * rows), sb(bands * rows);
      uint32_t expected = 0;
      for (size_t i = 0; i < sa.size(); ++i) {
        sa[i] = static_cast<uint32_t>(rng());
        sb[i] = rng() % 3 ? static_cast<uint32_t>(rng()) : sa[i] ^ (static_cast<uint32_t>(rng()) << bits);
        expected += ((sa[i] ^ sb[i]) & ((1u << bits) - 1)) == 0;
      }
      std::vector<uint8_t> wa, wb;
      append_band_words(sa, bands, rows, wa);
      append_band_words(sb, bands, rows, wb);
      INFO("bands " << bands << " rows " << rows);
      CHECK(BandWordCompare(bands, rows).equal_values(wa.data(), wb.data()) == expected);
    }
  }
  CHECK(BandWordCompare(100, 2).min_equal_for(0.1) == 21);  // 200 values: 10% + chance
  CHECK_THROWS(BandWordCompare(1, 25));
}

TEST_CASE("dedup: spun copies cluster, bad JSONL lines reported, thread count irrelevant", "[similar][dedup]") {
  const fs::path dir = temp_dir("dedup");
  const std::string original = read_seed(0);
  std::string spun;
  for_each_word(original, [&](std::string_view k, const WordInfo&) {
    spun += k == "was" ? "used to be" : k == "war" ? "struggle" : std::string(k);
    spun += ' ';
  });
  {
    std::ofstream out(dir / "in.jsonl");
    nlohmann::json j;
    j = {{"id", "orig"}, {"text", original}, {"date", "2024-01-02"}};
    out << j.dump() << "\n";
    out << "{\"id\": \"broken\", \"text\": \n";  // malformed: line 2
    for (int i = 0; i < 30; ++i) {
      j = {{"id", "other" + std::to_string(i)}, {"text", random_text(100 + i, 300)}};
      out << j.dump() << "\n";
    }
    j = {{"id", "copy"}, {"text", spun}, {"date", "2024-01-05"}};
    out << j.dump() << "\n";
    j = {{"id", "exact"}, {"text", original}, {"date", "2024-01-01"}};  // dated earliest
    out << j.dump() << "\n";
  }
  unspin::io::InputOptions in;
  in.paths = {(dir / "in.jsonl").string()};
  in.jsonl = true;
  Params p;
  const FeatureExtractor ex(p, &test_canon());
  std::vector<std::string> errors;
  DedupOptions o;
  o.threads = 1;
  o.all_pairs_below = 0;  // through LSH
  const DedupResult r1 = dedup(in, ex, o, [&](const std::string& e) { errors.push_back(e); });
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].find("in.jsonl:2:") != std::string::npos);
  REQUIRE(r1.ids.size() == 33);  // every other line processed
  auto idx = [&](const std::string& id) { return std::find(r1.ids.begin(), r1.ids.end(), id) - r1.ids.begin(); };
  const auto exact = idx("exact"), orig = idx("orig"), copy = idx("copy");
  CHECK(r1.assignment[exact].rep == exact);  // earliest by date
  CHECK(r1.assignment[orig].rep == exact);
  CHECK(r1.assignment[orig].verdict == Verdict::Duplicate);
  CHECK(r1.assignment[copy].rep == exact);
  for (int i = 0; i < 30; ++i) CHECK(r1.assignment[idx("other" + std::to_string(i))].rep == idx("other" + std::to_string(i)));
  CHECK_FALSE(r1.stats.all_pairs);
  for (int threads : {3, 1}) {
    o.threads = threads;
    o.all_pairs_below = threads == 1 ? 1000 : 0;  // all pairs finds the same clusters here
    const DedupResult r3 = dedup(in, ex, o, [](const std::string&) {});
    CHECK(r3.stats.all_pairs == (threads == 1));
    REQUIRE(r3.assignment.size() == r1.assignment.size());
    for (size_t i = 0; i < r1.assignment.size(); ++i) {
      CHECK(r3.assignment[i].rep == r1.assignment[i].rep);
      CHECK(r3.assignment[i].score == r1.assignment[i].score);
    }
  }
  CHECK(r1.stats.index_bytes / r1.stats.documents <= 256);
  fs::remove_all(dir);
}

TEST_CASE("index: add, query, expire, parameters, not an index", "[similar][index]") {
  const fs::path dir = temp_dir("index");
  const std::string db = (dir / "feed.db").string();
  Params p;
  const FeatureExtractor ex(p, &test_canon());
  const std::string params = p.to_json().dump();
  auto keys = [&](const std::string& t) {
    std::vector<uint64_t> k;
    ex.band_keys(t, k);
    return k;
  };
  const std::string a = read_seed(1), b = read_seed(2);
  {
    IndexStore s(db, params, true);
    s.begin();
    s.add("a", "2024-01-01", ex.extract(a), keys(a));
    s.add("b", "2024-02-01", ex.extract(b), keys(b));
    s.commit();
    CHECK(s.size() == 2);
    auto m = s.query(ex.extract(a + " Read more."), keys(a + " Read more."), {});
    REQUIRE(!m.empty());
    CHECK(m[0].id == "a");
    CHECK(m[0].score.verdict == Verdict::Duplicate);
    CHECK(s.query(ex.extract(random_text(5, 300)), keys(random_text(5, 300)), {}).empty());
    CHECK(s.expire_before("2024-01-15") == 1);
    CHECK(s.size() == 1);
    for (const auto& m : s.query(ex.extract(a), keys(a), {})) CHECK(m.id != "a");
  }
  // Other parameters, or not an index at all: clear errors.
  Params q = p;
  q.bands = 16;
  CHECK_THROWS_WITH(IndexStore(db, q.to_json().dump(), false), Catch::Contains("other parameters"));
  const std::string text_file = (dir / "notes.txt").string();
  std::ofstream(text_file) << "just some text, not a database\n";
  CHECK_THROWS_WITH(IndexStore(text_file, params, false), Catch::Contains("not an unspin index"));
  const std::string other_db = (dir / "other.db").string();
  {
    sqlite3* h = nullptr;
    sqlite3_open(other_db.c_str(), &h);
    sqlite3_exec(h, "CREATE TABLE t(x)", nullptr, nullptr, nullptr);
    sqlite3_close(h);
  }
  CHECK_THROWS_WITH(IndexStore(other_db, params, false), Catch::Contains("not an unspin index"));
  CHECK_THROWS_WITH(IndexStore((dir / "missing.db").string(), params, false), Catch::Contains("no such index"));
  fs::remove_all(dir);
}

TEST_CASE("index: a crash in the middle of an add leaves the index as it was", "[similar][index]") {
  const fs::path dir = temp_dir("crash");
  const std::string db = (dir / "feed.db").string();
  Params p;
  const FeatureExtractor ex(p, &test_canon());
  const std::string params = p.to_json().dump();
  const std::string a = read_seed(1);
  std::vector<uint64_t> ka;
  ex.band_keys(a, ka);
  {
    IndexStore s(db, params, true);
    s.begin();
    s.add("a", "2024-01-01", ex.extract(a), ka);
    s.commit();
  }
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    // The child adds many documents in one transaction and dies without committing.
    try {
      IndexStore s(db, params, false);
      s.begin();
      for (int i = 0; i < 200; ++i) {
        const std::string t = random_text(1000 + i, 200);
        std::vector<uint64_t> k;
        ex.band_keys(t, k);
        s.add("x" + std::to_string(i), "2024-01-02", ex.extract(t), k);
      }
    } catch (...) {
    }
    _exit(3);  // no commit, no destructor: a crash
  }
  int status = 0;
  waitpid(child, &status, 0);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 3);
  IndexStore s(db, params, false);
  CHECK(s.size() == 1);
  auto m = s.query(ex.extract(a), ka, {});
  REQUIRE(m.size() == 1);
  CHECK(m[0].id == "a");
  sqlite3* h = nullptr;
  REQUIRE(sqlite3_open(db.c_str(), &h) == SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &st, nullptr);
  REQUIRE(sqlite3_step(st) == SQLITE_ROW);
  CHECK(std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, 0))) == "ok");
  sqlite3_finalize(st);
  sqlite3_close(h);
  fs::remove_all(dir);
}

#include <sys/resource.h>

TEST_CASE("dedup streams its input: memory does not grow with the bytes read", "[similar][dedup][memory]") {
  // Two generated JSONL streams of 20 KB documents, 40 MB and 120 MB. The first run pays the
  // fixed costs (dictionaries, batch buffers); the second reads 80 MB more but may only add the
  // per-document index (a few hundred bytes each) to the peak RSS, not the bytes it read. The
  // bound leaves room for what malloc keeps in its worker-thread arenas between batches (up to
  // about 8 MB here, varying from run to run); holding the input would add 80 MB.
  const fs::path dir = temp_dir("stream");
  auto make = [&](const fs::path& file, int docs) {
    std::ofstream out(file);
    std::mt19937_64 rng(5);
    std::string text;
    for (int i = 0; i < docs; ++i) {
      text.clear();
      while (text.size() < 20000) text += "w" + std::to_string(rng() % 200000) + (rng() % 15 ? " " : ". ");
      out << "{\"id\":\"d" << i << "\",\"text\":\"" << text << "\"}\n";
    }
  };
  make(dir / "small.jsonl", 2000);
  make(dir / "big.jsonl", 6000);
  Params p;
  const FeatureExtractor ex(p, &test_canon());
  DedupOptions o;
  o.threads = 2;
  auto run = [&](const fs::path& file) {
    unspin::io::InputOptions in;
    in.paths = {file.string()};
    in.jsonl = true;
    return dedup(in, ex, o, [](const std::string&) {}).ids.size();
  };
  auto peak_mb = [] {
    rusage r{};
    getrusage(RUSAGE_SELF, &r);
    return r.ru_maxrss / 1024.0;  // ru_maxrss is in KB
  };
  CHECK(run(dir / "small.jsonl") == 2000);
  const double after_small = peak_mb();
  CHECK(run(dir / "big.jsonl") == 6000);
  const double after_big = peak_mb();
  const double extra_input_mb = (fs::file_size(dir / "big.jsonl") - fs::file_size(dir / "small.jsonl")) / 1e6;
  INFO("extra input " << extra_input_mb << " MB, extra peak RSS " << after_big - after_small << " MB");
  CHECK(after_big - after_small < 0.25 * extra_input_mb);
  fs::remove_all(dir);
}

TEST_CASE("bit-parallel LCS agrees with the dynamic programme", "[similar][verify]") {
  std::mt19937_64 rng(11);
  for (int t = 0; t < 200; ++t) {
    const size_t na = 1 + rng() % 150, nb = 1 + rng() % 150, alphabet = 2 + rng() % 20;
    std::vector<uint64_t> a(na), b(nb);
    for (auto& x : a) x = rng() % alphabet;
    for (auto& x : b) x = rng() % alphabet;
    const auto& x = na <= nb ? a : b;
    const auto& y = na <= nb ? b : a;
    std::vector<std::vector<size_t>> dp(x.size() + 1, std::vector<size_t>(y.size() + 1, 0));
    for (size_t i = 1; i <= x.size(); ++i)
      for (size_t j = 1; j <= y.size(); ++j)
        dp[i][j] = x[i - 1] == y[j - 1] ? dp[i - 1][j - 1] + 1 : std::max(dp[i - 1][j], dp[i][j - 1]);
    CHECK(lcs_ratio(a, b) == Approx(static_cast<double>(dp[x.size()][y.size()]) / x.size()));
  }
}
