// The text pipeline: UTF-8 checks, segmentation offsets and keys, the round-trip property, the
// ASCII fast path against ICU, sentences.
#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/utext.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "common/error.h"
#include "text/document.h"
#include "text/utf8.h"

namespace fs = std::filesystem;
using unspin::text::Document;
using unspin::text::Segmenter;
using unspin::text::TokenKind;

namespace {

const Segmenter& fast() {
  static const Segmenter s;
  return s;
}
const Segmenter& icu_only() {
  static const Segmenter s({.ascii_fast_path = false});
  return s;
}

struct Tok {
  uint32_t begin, end;
  std::string text, key;
  TokenKind kind;
  bool operator==(const Tok&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Tok& t) {
  return os << "[" << t.begin << "," << t.end << ") '" << t.text << "' key '" << t.key
            << "' kind " << static_cast<int>(t.kind);
}

std::vector<Tok> toks(const Document& d) {
  std::vector<Tok> out;
  for (size_t i = 0; i < d.size(); ++i)
    out.push_back({d[i].begin, d[i].end, std::string(d.original(i)), std::string(d.key(i)),
                   d[i].kind});
  return out;
}

std::vector<std::string> originals(const Document& d) {
  std::vector<std::string> out;
  for (size_t i = 0; i < d.size(); ++i) out.emplace_back(d.original(i));
  return out;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Every *.txt under dir, sorted; empty when dir does not exist.
std::vector<fs::path> text_files(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file() && e.path().extension() == ".txt") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<fs::path> seed_files() { return text_files(fs::path(UNSPIN_SOURCE_DIR) / "seeds"); }
std::vector<fs::path> dev_files() {
  return text_files(fs::path(UNSPIN_SHARED_DIR) / "corpora" / "dev");
}

bool all_white(std::string_view s) {
  for (size_t i = 0; i < s.size();)
    if (!u_isUWhiteSpace(unspin::text::next_code_point(s, i))) return false;
  return true;
}

// The round-trip property plus the structural invariants every Document keeps.
void check_document(const Document& d, std::string_view input) {
  REQUIRE(d.text() == input);
  std::string rebuilt;
  for (size_t i = 0; i < d.size(); ++i) {
    INFO("token " << i << " '" << d.original(i) << "'");
    REQUIRE(d[i].begin < d[i].end);
    REQUIRE(d[i].end <= input.size());
    if (i > 0) REQUIRE(d[i - 1].end <= d[i].begin);
    REQUIRE(all_white(d.gap_before(i)));   // gaps hold white space only: no text is lost
    REQUIRE_FALSE(all_white(d.original(i)));  // tokens are never pure white space
    REQUIRE(d.key(i) == unspin::text::match_key(d.original(i)));
    rebuilt += d.gap_before(i);
    rebuilt += d.original(i);
  }
  REQUIRE(all_white(d.gap_before(d.size())));
  rebuilt += d.gap_before(d.size());
  REQUIRE(rebuilt == input);
}

// Random text mixing ASCII letters, digits, punctuation, white space and multi-byte characters.
std::string random_text(std::mt19937& rng, size_t len, bool ascii_only) {
  static const std::vector<std::string> ascii_pieces = {
      "a", "b", "Z", "x", "E", "0", "1", "9", ".", ",", "'", ":", ";", "_", "-", "@", "#",
      "$", "%", "&", "!", "?", "\"", "(", ")", "/", "\\", "+", "=", "*", "<", ">", "~", "`",
      "^", "|", "{", "}", "[", "]", " ", " ", "  ", "\t", "\n", "\r\n", "\x01", "\x1f", "\x7f",
      "\v", "\f", "word", "U.S.", "1,000.5", "don't", "e.g.", "a@b.com"};
  static const std::vector<std::string> other_pieces = {
      "é", "e\u0301", "’", "‘", "“", "”", "–", "—", "€", "£", "😀", "👍🏽", "👨‍👩‍👧", "🇺🇦",
      "❤️", "北京", "欢迎你", "。", "مرحبا", "٣٤", "שלום", "צה\"ל", "\u00a0", "\u3000",
      "\u2028", "\u0085", "ß", "İ", "Å", "Ω", "\u200b", "\u00ad", "\u200d", "\u0301", "ー",
      "•", "…", "«", "»", "°", "’s", "‘", "–", "\u00a0\u00a0", "©", "™", "ʼ", "\u2024",
      "カタカナ", "ひらがな", "ไทย", "한국어", "𝔘", "\U0010FFFD", "\uFEFF", "²", "½"};
  std::string out;
  std::uniform_int_distribution<int> coin(0, 3);
  while (out.size() < len) {
    const auto& pool = (ascii_only || coin(rng) != 0) ? ascii_pieces : other_pieces;
    out += pool[std::uniform_int_distribution<size_t>(0, pool.size() - 1)(rng)];
  }
  return out;
}

// Where the fast path deliberately differs from whole-text ICU: a combining mark, format
// character or ZWJ right after white space. ICU's rule WB4 glues it to the white space before it
// (and WB3d glues runs of spaces such as "  \u3000" together), giving a token that starts with
// white space; the fast path splits at ASCII white space first, so the mark becomes a token of
// its own (or the start of one) and no visible character hides in a gap.
bool has_mark_after_space(std::string_view s) {
  bool after_space = false;
  for (size_t i = 0; i < s.size();) {
    const char32_t c = unspin::text::next_code_point(s, i);
    const int wb = u_getIntPropertyValue(c, UCHAR_WORD_BREAK);
    if (after_space && (wb == U_WB_EXTEND || wb == U_WB_FORMAT || wb == U_WB_ZWJ)) return true;
    after_space = u_isUWhiteSpace(c);
  }
  return false;
}

void check_fast_equals_icu(const std::string& text) {
  INFO("text: '" << text << "'");
  const Document a = fast().segment(text);
  const Document b = icu_only().segment(text);
  REQUIRE(toks(a) == toks(b));
}

std::string nfd(const std::string& s) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFDInstance(status);
  std::string out;
  n->normalize(icu::UnicodeString::fromUTF8(s), status).toUTF8String(out);
  REQUIRE(U_SUCCESS(status));
  return out;
}

}  // namespace

// --- UTF-8 ---------------------------------------------------------------------------------------

TEST_CASE("find_invalid_utf8 finds the first ill-formed byte", "[utf8]") {
  using unspin::text::find_invalid_utf8;
  using unspin::text::kValid;
  CHECK(find_invalid_utf8("") == kValid);
  CHECK(find_invalid_utf8("plain ascii text, longer than eight bytes") == kValid);
  CHECK(find_invalid_utf8("é€😀\U0010FFFF\uD7FF\uE000") == kValid);
  CHECK(find_invalid_utf8("\xC0\xAF") == 0);              // overlong '/'
  CHECK(find_invalid_utf8("ab\xC1\xBF") == 2);            // overlong
  CHECK(find_invalid_utf8("abc\xE0\x80\xAF") == 3);       // overlong 3-byte
  CHECK(find_invalid_utf8("abcd\xF0\x80\x80\xAF") == 4);  // overlong 4-byte
  CHECK(find_invalid_utf8("x\xED\xA0\x80") == 1);         // surrogate U+D800
  CHECK(find_invalid_utf8("x\xED\xBF\xBF") == 1);         // surrogate U+DFFF
  CHECK(find_invalid_utf8("\xF4\x90\x80\x80") == 0);      // U+110000
  CHECK(find_invalid_utf8("ok \xF5\x80\x80\x80") == 3);   // lead byte above F4
  CHECK(find_invalid_utf8("ok \xFF") == 3);
  CHECK(find_invalid_utf8("abc\xE2\x82") == 3);  // truncated at the end
  CHECK(find_invalid_utf8("abc\xE2\x82x") == 3);  // truncated in the middle
  CHECK(find_invalid_utf8("\x80") == 0);          // stray continuation
  CHECK(find_invalid_utf8("é\xA9") == 2);
  // Past the 8-byte ASCII fast loop, and inside an 8-byte window.
  CHECK(find_invalid_utf8("abcdefghij\x80") == 10);
  CHECK(find_invalid_utf8("abcdefg\x80xyzxyzxyz") == 7);
  CHECK(find_invalid_utf8(std::string(1000, 'a') + "\xC3") == 1000);
}

namespace {
// A reference decoder with different logic: decode any lead byte generically, then check the
// result is the shortest form, not a surrogate and not above U+10FFFF.
size_t reference_invalid(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  for (size_t i = 0; i < s.size();) {
    const unsigned c = p[i];
    size_t len;
    char32_t cp;
    if (c < 0x80) { i++; continue; }
    if ((c & 0xE0) == 0xC0) len = 2, cp = c & 0x1F;
    else if ((c & 0xF0) == 0xE0) len = 3, cp = c & 0x0F;
    else if ((c & 0xF8) == 0xF0) len = 4, cp = c & 0x07;
    else return i;
    if (i + len > s.size()) return i;
    for (size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    const char32_t min = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += len;
  }
  return unspin::text::kValid;
}
}  // namespace

TEST_CASE("find_invalid_utf8 agrees with a reference decoder on random bytes", "[utf8]") {
  std::mt19937 rng(12345);
  // Bytes biased towards the interesting boundaries.
  const std::vector<unsigned char> bytes = {'a', ' ', 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF,
                                            0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE,
                                            0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF};
  for (int n = 0; n < 200000; ++n) {
    std::string s(std::uniform_int_distribution<int>(0, 12)(rng), 'a');
    for (char& c : s) c = bytes[std::uniform_int_distribution<size_t>(0, bytes.size() - 1)(rng)];
    INFO("bytes: " << Catch::Detail::stringify(s));
    REQUIRE(unspin::text::find_invalid_utf8(s) == reference_invalid(s));
  }
}

TEST_CASE("every code point round-trips through append_utf8 and next_code_point", "[utf8]") {
  for (char32_t c = 0; c <= 0x10FFFF; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) continue;
    std::string s;
    unspin::text::append_utf8(s, c);
    REQUIRE(unspin::text::find_invalid_utf8(s) == unspin::text::kValid);
    size_t i = 0;
    REQUIRE(unspin::text::next_code_point(s, i) == c);
    REQUIRE(i == s.size());
  }
}

TEST_CASE("find_nul and is_ascii", "[utf8]") {
  using namespace std::string_literals;
  CHECK(unspin::text::find_nul("abc") == unspin::text::kValid);
  CHECK(unspin::text::find_nul("abc\0def"s) == 3);
  CHECK(unspin::text::is_ascii("plain text that is long enough"));
  CHECK_FALSE(unspin::text::is_ascii("plain text that is long enough é"));
  CHECK_FALSE(unspin::text::is_ascii("é"));
  CHECK(unspin::text::is_ascii(""));
}

TEST_CASE("segment rejects invalid UTF-8 naming the byte offset", "[segment][utf8]") {
  const std::vector<std::pair<std::string, size_t>> cases = {
      {"Hello \xC0\xAF world", 6},      {"abc\xE0\x80\xAF", 3}, {"x\xED\xA0\x80y", 1},
      {"truncated \xE2\x82", 10},       {"\x80stray", 0},        {"big \xF4\x90\x80\x80", 4},
      {"long ascii prefix here \xFE", 23}};
  for (const auto& [text, offset] : cases) {
    for (const Segmenter* s : {&fast(), &icu_only()}) {
      INFO("text: " << Catch::Detail::stringify(text));
      REQUIRE_THROWS_AS(s->segment(text), unspin::Error);
      REQUIRE_THROWS_WITH(s->segment(text), Catch::Contains("byte " + std::to_string(offset)));
    }
  }
}

// --- segmentation --------------------------------------------------------------------------------

TEST_CASE("empty and white-space input give zero tokens", "[segment]") {
  for (const Segmenter* s : {&fast(), &icu_only()}) {
    const Document empty = s->segment("");
    CHECK(empty.size() == 0);
    CHECK(empty.gap_before(0).empty());
    CHECK(empty.sentences().empty());
    CHECK(empty.sentence_starts().empty());
    const std::string ws = " \t\r\n\u00a0\u3000 ";
    const Document blank = s->segment(ws);
    CHECK(blank.size() == 0);
    CHECK(blank.gap_before(0) == ws);
    CHECK(blank.sentences().empty());
  }
}

TEST_CASE("offsets, keys and kinds on tricky input", "[segment]") {
  struct Expect {
    std::string text, key;
    TokenKind kind;
  };
  using K = TokenKind;
  const std::vector<std::pair<std::string, std::vector<Expect>>> cases = {
      {"“Hello,” she said. ‘Yes’",
       {{"“", "“", K::Punct}, {"Hello", "hello", K::Word}, {",", ",", K::Punct},
        {"”", "”", K::Punct}, {"she", "she", K::Word}, {"said", "said", K::Word},
        {".", ".", K::Punct}, {"‘", "'", K::Punct}, {"Yes", "yes", K::Word},
        {"’", "'", K::Punct}}},
      {"war–peace — end",
       {{"war", "war", K::Word}, {"–", "–", K::Punct}, {"peace", "peace", K::Word},
        {"—", "—", K::Punct}, {"end", "end", K::Word}}},
      {"well-known co‐author",  // ASCII hyphen-minus, then U+2010 HYPHEN (key: '-')
       {{"well", "well", K::Word}, {"-", "-", K::Punct}, {"known", "known", K::Word},
        {"co", "co", K::Word}, {"‐", "-", K::Punct}, {"author", "author", K::Word}}},
      {"The U.S. met for a 2d time, paying €90 or $4.",
       {{"The", "the", K::Word}, {"U.S", "u.s", K::Word}, {".", ".", K::Punct},
        {"met", "met", K::Word}, {"for", "for", K::Word}, {"a", "a", K::Word},
        {"2d", "2d", K::Word}, {"time", "time", K::Word}, {",", ",", K::Punct},
        {"paying", "paying", K::Word}, {"€", "€", K::Symbol}, {"90", "90", K::Number},
        {"or", "or", K::Word}, {"$", "$", K::Symbol}, {"4", "4", K::Number},
        {".", ".", K::Punct}}},
      {"1,000.5 and 0.9; 3.a 1'000",
       {{"1,000.5", "1,000.5", K::Number}, {"and", "and", K::Word}, {"0.9", "0.9", K::Number},
        {";", ";", K::Punct}, {"3", "3", K::Number}, {".", ".", K::Punct},
        {"a", "a", K::Word}, {"1'000", "1'000", K::Number}}},
      {"Ukraine’s Ukraine's UKRAINE’S",
       {{"Ukraine’s", "ukraine's", K::Word}, {"Ukraine's", "ukraine's", K::Word},
        {"UKRAINE’S", "ukraine's", K::Word}}},
      {"I ❤️ it 👍🏽 👨‍👩‍👧 🇺🇦🇺🇦! 1️⃣ #️⃣",  // ZWJ sequence, skin tone, flags, keycaps
       {{"I", "i", K::Word}, {"❤️", "❤️", K::Emoji}, {"it", "it", K::Word},
        {"👍🏽", "👍🏽", K::Emoji}, {"👨‍👩‍👧", "👨‍👩‍👧", K::Emoji}, {"🇺🇦", "🇺🇦", K::Emoji},
        {"🇺🇦", "🇺🇦", K::Emoji}, {"!", "!", K::Punct}, {"1️⃣", "1️⃣", K::Emoji},
        {"#️⃣", "#️⃣", K::Emoji}}},
      {"café cafe\u0301 CAFE\u0301 Å \u212B",  // precomposed, decomposed, upper, Angstrom sign
       {{"café", "café", K::Word}, {"cafe\u0301", "café", K::Word},
        {"CAFE\u0301", "café", K::Word}, {"Å", "å", K::Word}, {"\u212B", "å", K::Word}}},
      {"Straße STRASSE", {{"Straße", "strasse", K::Word}, {"STRASSE", "strasse", K::Word}}},
      {"مرحبا بالعالم، ٣٤٥.", 
       {{"مرحبا", "مرحبا", K::Word}, {"بالعالم", "بالعالم", K::Word}, {"،", "،", K::Punct},
        {"٣٤٥", "٣٤٥", K::Number}, {".", ".", K::Punct}}},
      {"שלום עולם, צה\"ל",
       {{"שלום", "שלום", K::Word}, {"עולם", "עולם", K::Word}, {",", ",", K::Punct},
        {"צה\"ל", "צה\"ל", K::Word}}},
      {"北京欢迎你。",
       {{"北京", "北京", K::Word}, {"欢迎", "欢迎", K::Word}, {"你", "你", K::Word},
        {"。", "。", K::Punct}}},
      {"mail a@b.com now", 
       {{"mail", "mail", K::Word}, {"a@b.com", "a@b.com", K::Word}, {"now", "now", K::Word}}},
  };
  for (const auto& [input, expected] : cases) {
    for (const Segmenter* s : {&fast(), &icu_only()}) {
      INFO("input: " << input << (s == &fast() ? " (fast path)" : " (ICU only)"));
      const Document d = s->segment(input);
      check_document(d, input);
      REQUIRE(d.size() == expected.size());
      size_t from = 0;
      for (size_t i = 0; i < d.size(); ++i) {
        INFO("token " << i);
        CHECK(d.original(i) == expected[i].text);
        CHECK(d.key(i) == expected[i].key);
        CHECK(static_cast<int>(d[i].kind) == static_cast<int>(expected[i].kind));
        // The span is where the token's text first occurs after the previous token.
        const size_t at = input.find(expected[i].text, from);
        CHECK(d[i].begin == at);
        CHECK(d[i].end == at + expected[i].text.size());
        from = d[i].end;
      }
    }
  }
}

TEST_CASE("keys: NFC, case folding and apostrophes match alike", "[segment][key]") {
  using unspin::text::match_key;
  CHECK(match_key("Ukraine’s") == match_key("Ukraine's"));
  CHECK(match_key("UKRAINE\u02BCS") == "ukraine's");
  CHECK(match_key("e\u0301") == "é");
  CHECK(match_key("É") == "é");
  CHECK(match_key("E\u0301") == "é");
  CHECK(match_key("ǅ") == match_key("ǆ"));
  CHECK(match_key("ΣΊΣΥΦΟΣ") == match_key("σίσυφος"));
  CHECK(match_key("Hello World") == "hello world");
  CHECK(match_key("").empty());
  // Keys are invariant under NFD for every token of the seeds.
  for (const auto& p : seed_files()) {
    const Document d = fast().segment(slurp(p));
    for (size_t i = 0; i < d.size(); ++i) {
      INFO(p << " token " << i << " '" << d.original(i) << "'");
      REQUIRE(match_key(nfd(std::string(d.original(i)))) == d.key(i));
    }
  }
}

TEST_CASE("the seeds are present and segment sensibly", "[segment][seeds]") {
  const auto files = seed_files();
  REQUIRE(files.size() == 5);
  for (const auto& p : files) {
    const std::string text = slurp(p);
    const Document d = fast().segment(text);
    check_document(d, text);
    size_t words = 0;
    for (size_t i = 0; i < d.size(); ++i) words += d.is_word(i);
    CHECK(words > text.size() / 10);  // English prose: a word every few bytes
    CHECK(d.sentences().size() > 3);
  }
}

// --- round trip ----------------------------------------------------------------------------------

TEST_CASE("round trip: gaps and tokens give the input back (seeds, dev corpus)", "[segment][roundtrip]") {
  auto files = seed_files();
  const auto dev = dev_files();
  if (dev.empty()) WARN("dev corpus missing at " UNSPIN_SHARED_DIR "/corpora/dev: skipped");
  files.insert(files.end(), dev.begin(), dev.end());
  REQUIRE(!files.empty());
  for (const auto& p : files) {
    INFO(p);
    const std::string text = slurp(p);
    check_document(fast().segment(text), text);
    check_document(icu_only().segment(text), text);
  }
}

TEST_CASE("round trip on random mixed text", "[segment][roundtrip]") {
  std::mt19937 rng(2024);
  for (int n = 0; n < 3000; ++n) {
    const std::string text = random_text(rng, std::uniform_int_distribution<size_t>(0, 80)(rng),
                                         /*ascii_only=*/n % 3 == 0);
    INFO("text: " << Catch::Detail::stringify(text));
    check_document(fast().segment(text), text);
    check_document(icu_only().segment(text), text);
  }
}

// --- the ASCII fast path against ICU -------------------------------------------------------------

TEST_CASE("fast path == ICU on the seeds and the dev corpus", "[segment][fastpath]") {
  auto files = seed_files();
  const auto dev = dev_files();
  files.insert(files.end(), dev.begin(), dev.end());
  REQUIRE(!files.empty());
  for (const auto& p : files) {
    INFO(p);
    const std::string text = slurp(p);
    REQUIRE_FALSE(has_mark_after_space(text));
    check_fast_equals_icu(text);
  }
}

TEST_CASE("fast path == ICU on every short ASCII string over a class alphabet", "[segment][fastpath]") {
  // One or two members of every ASCII word-break class and of every class the fast path treats
  // alike; all strings of up to 4 characters (about 200,000).
  // The non-ASCII ones are characters the fast path handles itself (’ “ € no-break space) and
  // one it leaves to ICU (é).
  const std::vector<std::string> alphabet = {"a", "Z", "1", ".", "_", "'", ",", ":", ";", "@", "-",
                                             "#", " ", "\n", "\"", "!", "’", "“", "€", "\u00a0", "é"};
  std::vector<std::string> layer = {""};
  for (int len = 1; len <= 4; ++len) {
    std::vector<std::string> next;
    for (const auto& s : layer)
      for (const auto& c : alphabet) next.push_back(s + c);
    for (const auto& s : next) check_fast_equals_icu(s);
    layer = std::move(next);
  }
}

TEST_CASE("fast path == ICU for every ASCII character in word contexts", "[segment][fastpath]") {
  const std::vector<std::string> contexts = {"a%b",  "1%2",  "a%1",  "1%a",   "%a",   "a%",
                                             "%%",   "a%%b", "1%%2", "_%a",   "a%_",  "@%a",
                                             "a.%b", "x%.y", "%",    "a’%b",  "a%’b", "1’%",
                                             "%’1",  "“%”",  "%\u00a0a", "a\u00a0%", "%é", "é%"};
  for (int c = 1; c < 128; ++c) {
    for (const auto& ctx : contexts) {
      std::string s;
      for (char k : ctx) s += k == '%' ? static_cast<char>(c) : k;
      check_fast_equals_icu(s);
    }
  }
}

TEST_CASE("fast path == ICU on random ASCII strings", "[segment][fastpath]") {
  std::mt19937 rng(7);
  for (int n = 0; n < 20000; ++n)
    check_fast_equals_icu(random_text(rng, std::uniform_int_distribution<size_t>(0, 60)(rng), true));
}

TEST_CASE("fast path == ICU on random mixed strings (no mark after a space)", "[segment][fastpath]") {
  std::mt19937 rng(99);
  int compared = 0;
  for (int n = 0; n < 20000; ++n) {
    const std::string text =
        random_text(rng, std::uniform_int_distribution<size_t>(0, 60)(rng), false);
    if (has_mark_after_space(text)) continue;
    check_fast_equals_icu(text);
    ++compared;
  }
  CHECK(compared > 10000);
}

TEST_CASE("the one deliberate difference: a mark right after white space", "[segment][fastpath]") {
  // ICU (rule WB4) glues a combining mark to the space before it, so whole-text ICU gives a token
  // " \u0301" that starts with a space; the fast path gives the mark alone, as its own token.
  const std::string text = "a \u0301b";
  const Document f = fast().segment(text);
  const Document i = icu_only().segment(text);
  check_document(f, text);
  check_document(i, text);
  CHECK(originals(f) == std::vector<std::string>{"a", "\u0301", "b"});
  CHECK(originals(i) == std::vector<std::string>{"a", " \u0301", "b"});
  CHECK(has_mark_after_space(text));
  CHECK_FALSE(has_mark_after_space("a\u0301 b \nx\u0301"));
  // The same with a run of spaces that ICU glues together: "  \u3000\u00ad" is one ICU token.
  const std::string run = "x  \u3000\u00ad y";
  CHECK(originals(fast().segment(run)) == std::vector<std::string>{"x", "\u3000\u00ad", "y"});
  CHECK(originals(icu_only().segment(run)) == std::vector<std::string>{"x", "  \u3000\u00ad", "y"});
}

TEST_CASE("segmentation is the same on several threads", "[segment][threads]") {
  std::vector<std::string> texts;
  for (const auto& p : seed_files()) texts.push_back(slurp(p));
  texts.push_back("北京欢迎你。 مرحبا 😀 U.S. €90");
  std::vector<std::vector<Tok>> expected;
  for (const auto& t : texts) expected.push_back(toks(fast().segment(t)));
  std::vector<int> ok(4, 1);
  std::vector<std::thread> pool;
  for (int t = 0; t < 4; ++t)
    pool.emplace_back([&, t] {
      for (int rep = 0; rep < 20; ++rep)
        for (size_t k = 0; k < texts.size(); ++k) {
          const Segmenter& s = (rep + t) % 2 ? fast() : icu_only();
          const Document d = s.segment(texts[k]);
          if (toks(d) != expected[k]) ok[t] = 0;
          d.sentences();
        }
    });
  for (auto& th : pool) th.join();
  CHECK(ok == std::vector<int>(4, 1));
}

// --- sentences -----------------------------------------------------------------------------------

namespace {
std::vector<std::string> sentence_texts(const Document& d) {
  std::vector<std::string> out;
  for (const auto& s : d.sentences()) out.emplace_back(d.text().substr(s.begin, s.size()));
  return out;
}
}  // namespace

namespace {
// Sentence spans straight from ICU's iterator over the UTF-8 bytes, trimmed of white space.
std::vector<unspin::text::Span> reference_sentences(const std::string& text) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> it(
      icu::BreakIterator::createSentenceInstance(icu::Locale::getUS(), status));
  UText ut = UTEXT_INITIALIZER;
  utext_openUTF8(&ut, text.data(), static_cast<int64_t>(text.size()), &status);
  it->setText(&ut, status);
  REQUIRE(U_SUCCESS(status));
  std::vector<unspin::text::Span> out;
  int32_t from = it->first();
  for (int32_t to = it->next(); to != icu::BreakIterator::DONE; from = to, to = it->next()) {
    std::vector<std::pair<size_t, char32_t>> cps;  // (offset, code point)
    for (size_t i = from; i < static_cast<size_t>(to);) {
      const size_t at = i;
      cps.emplace_back(at, unspin::text::next_code_point(text, i));
    }
    size_t b = 0, e = cps.size();
    while (b < e && u_isUWhiteSpace(cps[b].second)) ++b;
    while (e > b && u_isUWhiteSpace(cps[e - 1].second)) --e;
    if (b < e) {
      const size_t end = e < cps.size() ? cps[e].first : static_cast<size_t>(to);
      out.push_back({static_cast<uint32_t>(cps[b].first), static_cast<uint32_t>(end)});
    }
  }
  utext_close(&ut);
  return out;
}
}  // namespace

TEST_CASE("sentences match ICU's sentence iterator on UTF-8 exactly", "[segment][sentences]") {
  std::vector<std::string> texts;
  for (const auto& p : seed_files()) texts.push_back(slurp(p));
  for (const auto& p : dev_files()) texts.push_back(slurp(p));
  std::mt19937 rng(5);
  for (int n = 0; n < 2000; ++n)
    texts.push_back(random_text(rng, std::uniform_int_distribution<size_t>(0, 120)(rng), n % 4 == 0));
  texts.push_back("Emoji 😀. Astral 𝔘𝔫𝔦. Done! 北京。你好？ Yes.\u00a0 \u3000");
  for (const auto& text : texts) {
    INFO("text: " << Catch::Detail::stringify(text));
    const auto expected = reference_sentences(text);
    const Document d = fast().segment(text);
    const auto& got = d.sentences();
    REQUIRE(got.size() == expected.size());
    for (size_t k = 0; k < got.size(); ++k) {
      REQUIRE(got[k].begin == expected[k].begin);
      REQUIRE(got[k].end == expected[k].end);
    }
  }
}

TEST_CASE("sentences", "[segment][sentences]") {
  {
    const Document d = fast().segment("Hello world. How are you?  Fine!\n");
    CHECK(sentence_texts(d) == std::vector<std::string>{"Hello world.", "How are you?", "Fine!"});
    // tokens: Hello world . How are you ? Fine !
    CHECK(d.sentence_starts() == std::vector<size_t>{0, 3, 7});
  }
  {
    const Document d = fast().segment("The U.S. officials met on Feb. 3 in Abu Dhabi. They agreed.");
    const auto s = sentence_texts(d);
    REQUIRE(s.size() >= 2);
    CHECK(s.front().rfind("The U.S. officials", 0) == 0);
    CHECK(s.back() == "They agreed.");
  }
  {
    const Document d = fast().segment("“Is it over?” she asked.\r\n\r\nNo. 北京欢迎你。你好！");
    const auto s = sentence_texts(d);
    REQUIRE(s.size() >= 3);
    for (const auto& t : s) {  // trimmed of white space
      CHECK(t.front() != ' ');
      CHECK(t.back() != '\n');
      CHECK(t.back() != '\r');
    }
    CHECK(s.back() == "你好！");
  }
  // On the seeds: sentences are ordered, disjoint, inside the text and start on a token.
  for (const auto& p : seed_files()) {
    const Document d = fast().segment(slurp(p));
    const auto& spans = d.sentences();
    const auto starts = d.sentence_starts();
    REQUIRE(starts.size() == spans.size());
    for (size_t k = 0; k < spans.size(); ++k) {
      CHECK(spans[k].begin < spans[k].end);
      CHECK(spans[k].end <= d.text().size());
      if (k > 0) CHECK(spans[k - 1].end <= spans[k].begin);
      REQUIRE(starts[k] < d.size());
      CHECK(d[starts[k]].begin == spans[k].begin);
    }
  }
}
