// Tests for src/clean: encoding repairs, residue kinds, marks, templates, idempotence, and that
// the body bytes that are kept come out unchanged.
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "clean/cleaner.h"
#include "clean/eval.h"
#include "common/error.h"

using namespace unspin::clean;

namespace {

const BoilerplateLexicon& lexicon() {
  static const BoilerplateLexicon lex = BoilerplateLexicon::load(BoilerplateLexicon::default_path());
  return lex;
}

CleanResult run(const std::string& text, bool drop_captions = false,
                const TemplateSet* templates = nullptr) {
  CleanOptions o;
  o.lexicon = &lexicon();
  o.drop_captions = drop_captions;
  o.templates = templates;
  return clean_text(text, o);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The reason of the removed block that covers `needle` in the input, or "" when it is kept.
std::string removed_reason(const CleanResult& r, const std::string& input, const std::string& needle) {
  const size_t at = input.find(needle);
  REQUIRE(at != std::string::npos);
  for (const auto& b : r.removed)
    if (b.start <= at && at + needle.size() <= b.end) return b.reason;
  return "";
}

const std::string kBody1 =
    "The council voted on Tuesday to keep ferry fares unchanged until the end of next year.";
const std::string kBody2 =
    "Opponents said the freeze would delay repairs to the older boats, which are now forty years old.";

// A page: body sentences around one residue line.
std::string page(const std::string& residue) {
  return kBody1 + "\n" + residue + "\n" + kBody2 + "\n";
}

}  // namespace

TEST_CASE("mojibake from Windows-1252 and Latin-1 is repaired and reported", "[clean][repair]") {
  const std::string in = "It\xC3\xA2\xE2\x82\xAC\xE2\x84\xA2s caf\xC3\x83\xC2\xA9 time";  // Itâ€™s cafÃ©
  const Repaired r = repair(in);
  CHECK(r.text == "It\xE2\x80\x99s caf\xC3\xA9 time");
  REQUIRE(r.repairs.size() == 2);
  CHECK(r.repairs[0].kind == "mojibake");
  CHECK(r.repairs[0].start == 2);
  CHECK(r.repairs[0].before == "\xC3\xA2\xE2\x82\xAC\xE2\x84\xA2");
  CHECK(r.repairs[0].after == "\xE2\x80\x99");
  CHECK(in.substr(r.repairs[1].start, r.repairs[1].end - r.repairs[1].start) == "\xC3\x83\xC2\xA9");
  // Undefined cp1252 byte 0x9D kept as a C1 control: â€\x9d is a closing quote.
  CHECK(repair("\xC3\xA2\xE2\x82\xAC\xC2\x9D").text == "\xE2\x80\x9D");
  // Double mojibake is undone in one call.
  CHECK(repair("\xC3\x83\xC6\x92\xC3\x82\xC2\xA9").text == "\xC3\xA9");
}

TEST_CASE("real accented text is not taken for mojibake", "[clean][repair]") {
  for (const std::string s : {"JOS\xC3\x89\xE2\x80\x99S", "caf\xC3\xA9\xE2\x80\x9D here",
                              "\xC3\x89cole normale", "na\xC3\xAFve r\xC3\xA9sum\xC3\xA9"}) {
    const Repaired r = repair(s);
    CHECK(r.text == s);
    CHECK(r.repairs.empty());
  }
}

TEST_CASE("HTML entities are decoded, including double-encoded ones", "[clean][repair]") {
  const Repaired r = repair("Tom &amp; Jerry&#8217;s &#x2014; &quot;ok&quot; &amp;amp; &bogus; & x");
  CHECK(r.text == "Tom & Jerry\xE2\x80\x99s \xE2\x80\x94 \"ok\" & &bogus; & x");
  REQUIRE(!r.repairs.empty());
  CHECK(r.repairs[0].kind == "html_entity");
  CHECK(r.repairs[0].before == "&amp;");
  // &#150; means what Windows-1252 byte 0x96 means (an en dash), as in browsers.
  CHECK(repair("1990&#150;1995").text == "1990\xE2\x80\x93" "1995");
}

TEST_CASE("control and invisible characters are removed", "[clean][repair]") {
  const std::string in = std::string("a\x01" "b\x7F" "c\xE2\x80\x8B" "d\xEF\xBB\xBF" "e\xC2\x85" "f");
  const Repaired r = repair(in);
  CHECK(r.text == "abcdef");
  REQUIRE(r.repairs.size() == 5);
  for (const auto& rep : r.repairs) CHECK(rep.kind == "control_char");
  CHECK(r.repairs[2].before == "\xE2\x80\x8B");
}

TEST_CASE("white space is normalised line by line", "[clean][repair]") {
  const Repaired r = repair("  one\xC2\xA0two  three \r\nfour\rfive\t\n");
  CHECK(r.text == "one two three\nfour\nfive\n");
  for (const auto& rep : r.repairs) CHECK(rep.kind == "whitespace");
  // The map carries output spans back to the input.
  const size_t three = r.text.find("three");
  auto [b, e] = r.map.to_input(three, three + 5);
  CHECK(std::string("  one\xC2\xA0two  three \r\nfour").substr(b, e - b) == "three");
  // Repairing repaired text changes nothing.
  CHECK(repair(r.text).repairs.empty());
}

TEST_CASE("each residue kind is removed with its reason", "[clean][residue]") {
  struct Case {
    std::string line, reason;
  };
  const std::vector<Case> cases = {
      {"Skip to content", "navigation"},
      {"Recommended stories", "related_links"},
      {"list of 3 itemsend of list", "related_links"},
      {"Share this article", "share"},
      {"Sign up for our newsletter", "subscribe"},
      {"Donate Here", "donate"},
      {"Comments are closed.", "comments"},
      {"We use cookies to give you the best experience. By continuing to use this site you accept.",
       "cookie_notice"},
      {"Advertisement", "advert"},
      {"\xC2\xA9 2024 Example Media. All rights reserved.", "copyright"},
      {"Last Updated on 3 years by admin", "metadata"},
      {"var slot = window.adSlots || []; slot.push({id: 1});", "script"},
      {"Account for international payments: NO15 0530 2294 668", "payment"},
      {"Vipps: #557320", "payment"},
      {"35", "counter"},
      {"\xD8\xAF\xD8\xB9\xD9\x88\xD8\xAA \xD9\x85\xDB\x8C\xDA\x89\xDB\x8C\xD8\xA7", "other_language"},
      {"Log in", "login"},
  };
  for (const auto& c : cases) {
    INFO(c.line);
    const std::string in = page(c.line);
    const CleanResult r = run(in);
    CHECK(removed_reason(r, in, c.line) == c.reason);
    CHECK(r.clean == kBody1 + "\n" + kBody2 + "\n");
    CHECK(!r.removed.at(0).evidence.empty());
  }
}

TEST_CASE("a title printed twice loses its second copy", "[clean][residue]") {
  const std::string title = "Ferry fares frozen for a second year";
  const std::string in = title + "\n\n" + title + "\n" + kBody1 + "\n";
  const CleanResult r = run(in);
  REQUIRE(r.removed.size() == 1);
  CHECK(r.removed[0].reason == "repeated_title");
  CHECK(r.removed[0].start == title.size() + 2);  // the second copy, not the first
  CHECK(r.clean == title + "\n\n" + kBody1 + "\n");
}

TEST_CASE("short lines among residue after the article are residue", "[clean][residue]") {
  const std::string in = kBody1 + "\n" + kBody2 + "\nHarbour Media Group\nDonate Here\nNews\n";
  const CleanResult r = run(in);
  CHECK(r.clean == kBody1 + "\n" + kBody2 + "\n");
  // Without residue after the article, a closing short line is body.
  const std::string in2 = kBody1 + "\n" + kBody2 + "\nHarbour Media Group\n";
  CHECK(run(in2).clean == in2);
}

TEST_CASE("menus: runs of short lines that are mostly residue", "[clean][residue]") {
  const std::string in = "Menu\nHome\nWorld\nBusiness\nSearch\n\n" + kBody1 + "\n";
  const CleanResult r = run(in);
  CHECK(r.clean == kBody1 + "\n");
  // A list of short items without residue is kept.
  const std::string list = kBody1 + "\nSingle tickets\nMonthly passes\nStudent cards\n" + kBody2 + "\n";
  CHECK(run(list).clean == list);
}

TEST_CASE("body sentences that mention boilerplate words are kept", "[clean][precision]") {
  const std::vector<std::string> bodies = {
      "The charity publishes a monthly newsletter and accepts donations at three points in town.",
      "Share prices of the operator fell 2% after the vote, traders said.",
      "The council said its website would stop using tracking cookies later this year.",
      "He declined to comment.",
      "Five things to check before you buy a second-hand bicycle",
      "What the freeze covers",
  };
  for (const auto& b : bodies) {
    INFO(b);
    const std::string in = kBody1 + "\n" + b + "\n" + kBody2 + "\n";
    CHECK(run(in).removed.empty());
  }
}

TEST_CASE("captions and credits are marked, and dropped on request", "[clean][marks]") {
  const std::string caption = "Negotiators meet in Abu Dhabi for a second round of talks.";
  const std::string credit = "WAM/Handout via Xinhua";
  const std::string in = kBody1 + "\n" + caption + "\n" + credit + "\n" + kBody2 + "\n";
  const CleanResult kept = run(in);
  CHECK(kept.clean == in);
  REQUIRE(kept.marked.size() == 2);
  CHECK(kept.marked[0].reason == "caption");
  CHECK(in.substr(kept.marked[0].start, kept.marked[0].end - kept.marked[0].start) == caption);
  CHECK(kept.marked[1].reason == "credit");
  const CleanResult dropped = run(in, true);
  CHECK(dropped.clean == kBody1 + "\n" + kBody2 + "\n");
  // Inline credits and bylines.
  const CleanResult inline_credit = run(kBody1 + "\nTraders on the floor. Credit: Bloomberg\n");
  REQUIRE(inline_credit.marked.size() == 1);
  CHECK(inline_credit.marked[0].reason == "caption");
  const CleanResult byline = run("By Ben Aris in Berlin February 6, 2025\n" + kBody1 + "\n", true);
  REQUIRE(byline.marked.size() == 1);
  CHECK(byline.marked[0].reason == "byline");
  CHECK(byline.clean.find("By Ben Aris") == 0);  // bylines are kept even with drop_captions
}

TEST_CASE("a prefix rule removes only the glued-on bytes", "[clean][residue]") {
  const std::string in = " date 2021-12-14 " + kBody1 + "\n";
  const CleanResult r = run(in);
  CHECK(r.clean == kBody1 + "\n");
  REQUIRE(r.removed.size() == 1);
  CHECK(r.removed[0].reason == "metadata");
  CHECK(r.removed[0].start == 0);
  CHECK(r.removed[0].end == 17);
}

TEST_CASE("lines repeated across a batch are template", "[clean][templates]") {
  TemplateSet set;
  for (int i = 0; i < 4; ++i)
    set.add_document("Porthaven Daily: local news every day\nArticle number " +
                     std::to_string(i) + " has its own text, unlike the others.\n");
  set.add_document("An unrelated page.\n");
  set.finish({});
  CHECK(set.is_template("Porthaven Daily: local news every day"));
  CHECK(set.pages("porthaven daily:  local news every day") == 4);
  // Digits are folded, but a long sentence is never template: only short lines are removed.
  const std::string in = "Porthaven Daily: local news every day\n" + kBody1 + "\n";
  const CleanResult r = run(in, false, &set);
  REQUIRE(r.removed.size() == 1);
  CHECK(r.removed[0].reason == "template");
  CHECK(r.clean == kBody1 + "\n");
  TemplateSet few;  // below min_pages nothing is template
  few.add_document("Porthaven Daily\n");
  few.add_document("Porthaven Daily\n");
  few.finish({});
  CHECK(!few.is_template("Porthaven Daily"));
}

TEST_CASE("removed and repaired spans refer to the input", "[clean][spans]") {
  const std::string in = "Skip to content\n  It&#8217;s " + kBody1 + "\nShare this article\n";
  const CleanResult r = run(in);
  REQUIRE(r.removed.size() == 2);
  for (const auto& b : r.removed) CHECK(in.substr(b.start, b.end - b.start) == b.text);
  CHECK(r.removed[0].text == "Skip to content");
  CHECK(r.removed[1].text == "Share this article");
  bool entity = false;
  for (const auto& p : r.repairs) {
    CHECK(in.substr(p.start, p.end - p.start) == p.before);
    entity |= p.kind == "html_entity" && p.before == "&#8217;";
  }
  CHECK(entity);
}

TEST_CASE("the seeds: kept body lines are byte-identical and cleaning is idempotent",
          "[clean][seeds]") {
  const std::string dir = std::string(UNSPIN_SOURCE_DIR) + "/seeds";
  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    const std::string in = read_file(e.path().string());
    INFO(e.path().string());
    const CleanResult r = run(in);
    ++files;
    // Every kept line of the output is a line of the input, byte for byte, unless it was repaired.
    std::istringstream lines(r.clean);
    for (std::string line; std::getline(lines, line);) {
      if (line.empty()) continue;
      bool repaired = false;
      const size_t at = in.find(line);
      if (at == std::string::npos)
        for (const auto& p : r.repairs) repaired |= !p.after.empty() && line.find(p.after) != std::string::npos;
      CHECK((at != std::string::npos || repaired));
    }
    const CleanResult twice = run(r.clean);
    CHECK(twice.clean == r.clean);
    CHECK(twice.removed.empty());
    CHECK(twice.repairs.empty());
  }
  CHECK(files == 5);
}

TEST_CASE("cleaning is idempotent on the dev corpus", "[clean][idempotence]") {
  const std::string dir = std::string(UNSPIN_SHARED_DIR) + "/corpora/dev";
  if (!std::filesystem::exists(dir)) return;  // the shared corpus is optional
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() != ".txt") continue;
    INFO(e.path().string());
    const std::string in = read_file(e.path().string());
    const CleanResult once = run(in);
    const CleanResult twice = run(once.clean);
    CHECK(twice.clean == once.clean);
    CHECK(twice.removed.empty());
  }
}

TEST_CASE("quality report: non-words, sentences, removed share, spin hook", "[clean][quality]") {
  const std::string in = "Skip to content\nThe cat sat on the mat. The dgo barked at Zelenskiy in 2024.\n";
  CleanOptions o;
  o.lexicon = &lexicon();
  o.spin_score = [](std::string_view) { return std::optional<double>(0.25); };
  const CleanResult r = clean_text(in, o);
  const Quality& q = r.quality;
  if (q.spell_checked) {
    CHECK(q.non_words == 1);  // "dgo"; the name and the number are excluded
    CHECK(q.checked_words == 9);
  }
  CHECK(q.sentences == 2);
  CHECK(q.removed_bytes == 15);
  CHECK(q.removed_share > 0.19);
  CHECK(q.spin_score == Approx(0.25));
  CHECK(run(in).quality.spin_score == std::nullopt);  // no detector wired
}

TEST_CASE("malformed lexicon lines are reported as file:line: reason", "[clean][lexicon]") {
  const std::string good = "# c\nscope\treason\tpattern\tnote\nline\tnavigation\tmenu\tx\n";
  CHECK(BoilerplateLexicon::parse(good, "t.tsv").size() == 1);
  const std::string bad =
      "scope\treason\tpattern\tnote\n"
      "line\tnavigation\tmenu\n"         // 3 columns
      "wide\tnavigation\tmenu\tx\n"      // bad scope
      "line\tnonsense\tmenu\tx\n"        // bad reason
      "any\tshare\t(unclosed\tx\n"       // bad regex
      "any\tshare\ta*\tx\n";             // matches the empty string
  try {
    BoilerplateLexicon::parse(bad, "b.tsv");
    FAIL("no error");
  } catch (const unspin::Error& e) {
    const std::string msg = e.what();
    CHECK(msg.find("b.tsv:2: expected 4") != std::string::npos);
    CHECK(msg.find("b.tsv:3: unknown scope") != std::string::npos);
    CHECK(msg.find("b.tsv:4: unknown reason") != std::string::npos);
    CHECK(msg.find("b.tsv:5: bad pattern") != std::string::npos);
    CHECK(msg.find("b.tsv:6: pattern matches the empty string") != std::string::npos);
  }
}

TEST_CASE("evaluation on the labelled set meets the goals", "[clean][eval]") {
  const std::string dir = std::string(UNSPIN_SOURCE_DIR) + "/corpora/clean-labels";
  CleanOptions o;
  o.lexicon = &lexicon();
  o.quality = false;
  EvalCounts total;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() != ".tsv") continue;
    total.add(evaluate(parse_labelled(read_file(e.path().string()), e.path().string()), o).counts);
  }
  CHECK(total.residue_lines >= 50);
  CHECK(total.body_kept() >= 0.995);
  CHECK(total.recall() >= 0.90);
  CHECK(total.precision() >= 0.95);
  // The evaluator itself: a removed body line counts against us.
  const LabelledDoc doc = parse_labelled("body\tSkip to content\nbody\t" + kBody1 + "\n", "x");
  const EvalResult r = evaluate(doc, o);
  CHECK(r.counts.body_sentences_kept == 1);
  CHECK(r.counts.body_sentences == 2);
  CHECK(r.counts.precision() == 0);
}
