// The language model reads sphinxbase's trie file itself; its scores must be sphinxbase's.
#include <sphinxbase/err.h>
#include <sphinxbase/logmath.h>
#include <sphinxbase/ngram_model.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <random>

#include "common/error.h"
#include "lm/language_model.h"
#include "temp_dir.h"
#include "text/document.h"

using namespace unspin;

namespace {

const lm::LanguageModel& model() {
  static lm::LanguageModel lm;
  return lm;
}

struct Sphinx {
  ngram_model_t* m;
  Sphinx() {
    err_set_logfp(nullptr);
    m = ngram_model_read(nullptr, lm::LanguageModel::default_path().c_str(), NGRAM_AUTO,
                         logmath_init(1.0001, 0, 0));
  }
  ~Sphinx() { ngram_model_free(m); }
  int32_t id(const std::string& w) const { return ngram_wid(m, w.c_str()); }
  double log10_prob(int32_t w, std::vector<int32_t> history) const {
    int32_t used = 0;
    return ngram_ng_prob(m, w, history.data(), static_cast<int32_t>(history.size()), &used) *
           4.3427276862669e-05;
  }
};

std::vector<lm::WordId> words_of(const std::string& path) {
  std::ifstream in(path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto doc = text::Segmenter().segment(text);
  std::vector<lm::WordId> ids;
  for (size_t i = 0; i < doc.size(); ++i)
    if (doc.is_word(i))
      if (const auto id = model().id(doc.key(i)); id >= 0) ids.push_back(id);
  return ids;
}

}  // namespace

TEST_CASE("language model scores equal sphinxbase's ngram_ng_prob", "[lm]") {
  const Sphinx sphinx;
  REQUIRE(sphinx.m);
  REQUIRE(model().vocabulary_size() > 70000);
  REQUIRE(model().id("the") == sphinx.id("the"));
  REQUIRE(model().id("zzzqqq") == lm::kUnknownWord);

  // Real text: most trigrams and bigrams exist, so every branch of the backoff is taken.
  const auto text = words_of(std::string(UNSPIN_SOURCE_DIR) + "/seeds/001_55eaebadb46f2d73.txt");
  REQUIRE(text.size() > 300);
  size_t compared = 0;
  for (size_t i = 2; i < text.size(); ++i) {
    for (size_t n = 0; n <= 2; ++n) {
      std::vector<int32_t> history;
      for (size_t k = 1; k <= n; ++k) history.push_back(text[i - k]);
      REQUIRE(model().log10_prob(text[i], history) == Approx(sphinx.log10_prob(text[i], history)).margin(1e-9));
      ++compared;
    }
  }
  // Random word triples: mostly unseen, so mostly backoffs.
  std::mt19937 rng(7);
  std::uniform_int_distribution<int32_t> word(0, static_cast<int32_t>(model().vocabulary_size()) - 1);
  for (int k = 0; k < 20000; ++k) {
    const int32_t w = word(rng), h0 = word(rng), h1 = word(rng);
    REQUIRE(model().log10_prob(w, std::vector<int32_t>{h0, h1}) == Approx(sphinx.log10_prob(w, {h0, h1})).margin(1e-9));
    REQUIRE(model().log10_prob(w, std::vector<int32_t>{h0}) == Approx(sphinx.log10_prob(w, {h0})).margin(1e-9));
  }
  CHECK(compared > 900);
}

TEST_CASE("language model: sentence start and unknown words reset the context", "[lm]") {
  const auto& m = model();
  const lm::WordId the = m.id("the"), house = m.id("house"), white = m.id("white");
  const std::vector<lm::WordId> plain{white, house}, reset{white, lm::kSentenceStart, house},
      unknown{white, lm::kUnknownWord, house};
  CHECK(m.score(plain, 1, 2) > m.score(reset, 2, 3));  // "white house" beats "<s> house"
  CHECK(m.score(unknown, 1, 2) == lm::LanguageModel::unknown_log10());
  CHECK(m.score(unknown, 2, 3) == Approx(m.log10_prob(house, {})));
  CHECK(m.score(std::vector<lm::WordId>{the}, 0, 1) == Approx(m.log10_prob(the, {})));
}

TEST_CASE("language model: a file that is not a trie model is refused with its name", "[lm]") {
  TempDir dir;
  const std::string bad = dir.write("bad.lm.bin", "This is an ARPA-format language model\n");
  const std::string truncated = dir.write("short.lm.bin", std::string("Trie Language Model\x03", 20));
  CHECK_THROWS_WITH(lm::LanguageModel(bad), Catch::Contains("bad.lm.bin") && Catch::Contains("not a sphinxbase trie"));
  CHECK_THROWS_WITH(lm::LanguageModel(truncated), Catch::Contains("short.lm.bin") && Catch::Contains("truncated"));
  CHECK_THROWS_WITH(lm::LanguageModel(dir / "missing.lm.bin"), Catch::Contains("missing.lm.bin"));
}
