#include "clean/cleaner.h"

#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include <algorithm>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "common/error.h"
#include "text/utf8.h"

namespace unspin::clean {

const char* kind_name(LineKind k) {
  switch (k) {
    case LineKind::Blank: return "blank";
    case LineKind::Body: return "body";
    case LineKind::Residue: return "residue";
    case LineKind::Caption: return "caption";
    case LineKind::Credit: return "credit";
    case LineKind::Byline: return "byline";
  }
  return "?";
}

namespace {

const std::unordered_set<std::string_view>& stop_words() {
  static const std::unordered_set<std::string_view> s = {
      "a",     "an",    "the",   "and",   "or",    "but",   "of",    "to",    "in",    "on",
      "at",    "by",    "for",   "with",  "from",  "as",    "is",    "are",   "was",   "were",
      "be",    "been",  "being", "has",   "have",  "had",   "do",    "does",  "did",   "it",
      "its",   "this",  "that",  "these", "those", "he",    "she",   "they",  "we",    "you",
      "i",     "his",   "her",   "their", "our",   "your",  "not",   "no",    "will",  "would",
      "can",   "could", "should", "may",  "might", "there", "than",  "then",  "which", "who",
      "what",  "when",  "where", "while", "if",    "so",    "also",  "into",  "over",  "after",
      "about", "more",  "said",  "says",  "all",   "any",   "some",  "such",  "only",  "up",
      "out",   "them",  "him",   "me",    "my",    "one",   "two",   "other", "how",   "why"};
  return s;
}

struct Features {
  size_t words = 0;
  size_t stop = 0;
  size_t letters = 0;
  bool terminal = false;  // ends like a sentence: . ! ? … possibly inside closing quotes
  std::map<int, size_t> scripts;  // letters by script (Common and Inherited left out)
};

bool is_closing(char32_t c) {
  return c == '"' || c == '\'' || c == ')' || c == ']' || c == 0x201D || c == 0x2019 ||
         c == 0xBB;
}

Features features(std::string_view line) {
  Features f;
  std::string word;
  bool has_alnum = false;
  auto flush = [&] {
    if (has_alnum) {
      ++f.words;
      std::string w;
      for (char ch : word)
        if (std::isalpha(static_cast<unsigned char>(ch)) || ch == '\'')
          w.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
      if (stop_words().count(w)) ++f.stop;
    }
    word.clear();
    has_alnum = false;
  };
  size_t i = 0;
  char32_t last = 0, before_closing = 0;
  while (i < line.size()) {
    const size_t at = i;
    const char32_t c = text::next_code_point(line, i);
    if (c == ' ' || c == '\t') {
      flush();
      continue;
    }
    word.append(line.substr(at, i - at));
    if (u_isalnum(c)) has_alnum = true;
    if (u_isalpha(c)) {
      ++f.letters;
      UErrorCode st = U_ZERO_ERROR;
      const UScriptCode sc = uscript_getScript(static_cast<UChar32>(c), &st);
      if (U_SUCCESS(st) && sc != USCRIPT_COMMON && sc != USCRIPT_INHERITED) ++f.scripts[sc];
    }
    if (!is_closing(c)) before_closing = c;
    last = c;
  }
  flush();
  (void)last;
  f.terminal = before_closing == '.' || before_closing == '!' || before_closing == '?' ||
               before_closing == 0x2026;
  return f;
}

int dominant_script(const std::map<int, size_t>& scripts, size_t* count = nullptr,
                    size_t* total = nullptr) {
  int best = -1;
  size_t n = 0, sum = 0;
  for (const auto& [sc, c] : scripts) {
    sum += c;
    if (c > n) {
      n = c;
      best = sc;
    }
  }
  if (count) *count = n;
  if (total) *total = sum;
  return best;
}

// "35", "1,204", "12K", "3 comments", "48 shares": page counters.
bool is_counter(std::string_view s) {
  size_t i = 0, digits = 0;
  while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == ',' ||
                          s[i] == '.')) {
    digits += std::isdigit(static_cast<unsigned char>(s[i])) != 0;
    ++i;
  }
  if (digits == 0 || digits > 7) return false;
  std::string_view rest = s.substr(i);
  if (rest.empty()) return true;
  if (rest == "k" || rest == "K" || rest == "m" || rest == "M") return true;
  if (rest.front() != ' ') return false;
  rest.remove_prefix(1);
  static const std::vector<std::string_view> units = {
      "comment", "comments", "share", "shares", "view", "views", "like", "likes",
      "reaction", "reactions", "reply", "replies", "Comments", "Shares", "Views", "Likes"};
  return std::find(units.begin(), units.end(), rest) != units.end();
}

struct Work {
  LineDecision d;
  std::string_view line;  // the line after any prefix cut
  Features f;
  size_t weak_hits = 0;
  std::string weak_reason, weak_evidence;
  bool credit_hit = false, caption_hit = false, byline_hit = false;
  std::string mark_evidence;
};

std::string quote(std::string_view s, size_t max = 40) {
  std::string out(s.substr(0, max));
  while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
  if (!out.empty() && static_cast<unsigned char>(out.back()) >= 0xC0) out.pop_back();
  return "'" + out + (s.size() > max ? "...'" : "'");
}

void set_residue(Work& w, std::string reason, std::string evidence) {
  w.d.kind = LineKind::Residue;
  w.d.reason = std::move(reason);
  w.d.evidence = std::move(evidence);
}

}  // namespace

std::vector<LineDecision> classify_lines(std::string_view text, const ClassifyOptions& options) {
  if (!options.lexicon) throw Error("clean: no boilerplate lexicon");
  const BoilerplateLexicon& lex = *options.lexicon;
  std::vector<Work> lines;
  for (size_t start = 0; start <= text.size();) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    if (!(start == text.size() && nl == start && !lines.empty())) {
      Work w;
      w.d.begin = start;
      w.d.end = nl;
      lines.push_back(std::move(w));
    }
    start = nl + 1;
  }

  // Line-local evidence.
  std::map<int, size_t> doc_scripts;
  for (auto& w : lines) {
    std::string_view line = text.substr(w.d.begin, w.d.end - w.d.begin);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (line.empty()) {
      w.d.kind = LineKind::Blank;
      continue;
    }
    w.d.kind = LineKind::Body;
    // Prefix residue glued to the start of a paragraph.
    for (const auto& h : lex.find(line, Scope::Prefix)) {
      const auto& e = lex.entry(h.entry);
      w.d.cut = (line.data() - (text.data() + w.d.begin)) + h.end;
      w.d.cut_reason = e.reason;
      w.d.cut_evidence = "lexicon " + e.where + " prefix " + quote(line.substr(0, h.end));
      line.remove_prefix(h.end);
      while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
      break;
    }
    w.line = line;
    if (line.empty()) {  // the whole line was the prefix
      set_residue(w, w.d.cut_reason, w.d.cut_evidence);
      w.d.cut = 0;
      continue;
    }
    w.f = features(line);
    for (const auto& [sc, n] : w.f.scripts) doc_scripts[sc] += n;
  }
  const int doc_script = dominant_script(doc_scripts);

  std::unordered_map<std::string, size_t> first_seen;  // template_key -> line index
  size_t nonblank_seen = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    Work& w = lines[i];
    if (w.d.kind != LineKind::Body) continue;
    const size_t ordinal = nonblank_seen++;
    const std::string_view line = w.line;
    const Features& f = w.f;

    // Lexicon: whole-line labels, short-line phrases, specific phrases anywhere.
    std::vector<std::pair<const BoilerplateEntry*, BoilerplateHit>> strong;
    for (const auto& h : lex.find(trim_for_line_match(line), Scope::Line))
      strong.push_back({&lex.entry(h.entry), h});
    if (f.words <= kShortWords)
      for (const auto& h : lex.find(line, Scope::Short)) strong.push_back({&lex.entry(h.entry), h});
    for (const auto& h : lex.find(line, Scope::Any)) strong.push_back({&lex.entry(h.entry), h});
    for (const auto& [e, h] : strong) {
      const std::string ev = "lexicon " + e->where + " (" +
                             (e->scope == Scope::Line ? "line" : e->scope == Scope::Short ? "short" : "any") +
                             ") matched " + quote(e->scope == Scope::Line ? trim_for_line_match(line) : line.substr(h.begin, h.end - h.begin));
      if (e->reason == "credit") {
        w.credit_hit = true;
        w.mark_evidence = ev;
      } else if (e->reason == "caption") {
        w.caption_hit = true;
        w.mark_evidence = ev;
      } else if (e->reason == "byline") {
        w.byline_hit = true;
        w.mark_evidence = ev;
      } else if (w.d.kind != LineKind::Residue) {
        set_residue(w, e->reason, ev);
      }
    }
    if (w.d.kind == LineKind::Residue) continue;

    if (f.words <= 3 && is_counter(line)) {
      set_residue(w, "counter", "a number alone on its line: " + quote(line));
      continue;
    }
    {
      size_t n = 0, total = 0;
      const int sc = dominant_script(f.scripts, &n, &total);
      if (doc_script >= 0 && sc >= 0 && sc != doc_script && total >= 3 && n * 10 >= total * 6) {
        set_residue(w, "other_language",
                    std::string("line is in ") + uscript_getName(static_cast<UScriptCode>(sc)) +
                        " script, the document in " +
                        uscript_getName(static_cast<UScriptCode>(doc_script)));
        continue;
      }
    }
    if (options.templates && f.words <= options.templates->options().max_words &&
        options.templates->is_template(line)) {
      set_residue(w, "template",
                  "line appears on " + std::to_string(options.templates->pages(line)) + " of " +
                      std::to_string(options.templates->documents()) + " pages of the batch");
      continue;
    }
    {
      std::string key = template_key(line);
      auto it = first_seen.find(key);
      if (it != first_seen.end()) {
        const size_t j = it->second;
        size_t first_ordinal = 0;
        for (size_t k = 0; k < j; ++k) first_ordinal += lines[k].d.kind != LineKind::Blank;
        if (first_ordinal < 3 && ordinal < 6) {
          set_residue(w, "repeated_title",
                      "same text as line " + std::to_string(j + 1) + " at the top of the page");
          continue;
        }
        if (f.words >= 4) {
          set_residue(w, "repeated_line", "same text as line " + std::to_string(j + 1));
          continue;
        }
      } else {
        first_seen.emplace(std::move(key), i);
      }
    }
    // Weak evidence: two different weak entries in one line.
    std::vector<size_t> weak_entries;
    for (const auto& h : lex.find(line, Scope::Weak)) {
      if (std::find(weak_entries.begin(), weak_entries.end(), h.entry) != weak_entries.end())
        continue;
      weak_entries.push_back(h.entry);
      if (w.weak_reason.empty()) w.weak_reason = lex.entry(h.entry).reason;
      w.weak_evidence += (w.weak_evidence.empty() ? "" : ", ") + lex.entry(h.entry).where + " " +
                         quote(line.substr(h.begin, h.end - h.begin));
    }
    w.weak_hits = weak_entries.size();
    // Two weak hits remove a line only when it is not a sentence: body sentences may well talk
    // about newsletters and donations.
    if (w.weak_hits >= 2 && (!f.terminal || f.words <= 8)) {
      set_residue(w, w.weak_reason, "weak lexicon hits: " + w.weak_evidence);
      continue;
    }
  }

  // Runs of very short lines (menus): a run of consecutive non-blank lines of at most 3 words
  // without sentence ends, at least half of them (and at least 2) already residue, is residue.
  for (size_t i = 0; i < lines.size();) {
    auto menu_like = [&](const Work& w) {
      return w.d.kind == LineKind::Residue ||
             (w.d.kind == LineKind::Body && w.f.words <= 3 && !w.f.terminal && !w.credit_hit &&
              !w.caption_hit && !w.byline_hit);
    };
    if (!menu_like(lines[i])) {
      ++i;
      continue;
    }
    size_t j = i, residue = 0;
    while (j < lines.size() && menu_like(lines[j])) residue += lines[j++].d.kind == LineKind::Residue;
    const size_t n = j - i;
    if (residue >= 2 && residue * 2 >= n)
      for (size_t k = i; k < j; ++k)
        if (lines[k].d.kind == LineKind::Body)
          set_residue(lines[k], "navigation",
                      "short line in a run of " + std::to_string(n) + " short lines (lines " +
                          std::to_string(i + 1) + "-" + std::to_string(j) + "), " +
                          std::to_string(residue) + " of them residue");
    i = j;
  }

  // The block after the article: once the last sentence is over, a page shows its furniture.
  // When that block holds residue, its short non-sentence lines are residue too.
  size_t last_body = lines.size();
  for (size_t i = lines.size(); i-- > 0;) {
    const Work& w = lines[i];
    if (w.d.kind == LineKind::Body && ((w.f.terminal && w.f.words >= 4) || w.f.words >= 25)) {
      last_body = i;
      break;
    }
  }
  if (last_body < lines.size()) {
    bool residue_after = false;
    for (size_t i = last_body + 1; i < lines.size(); ++i)
      residue_after |= lines[i].d.kind == LineKind::Residue;
    if (residue_after)
      for (size_t i = last_body + 1; i < lines.size(); ++i) {
        Work& w = lines[i];
        if (w.d.kind != LineKind::Body || w.credit_hit || w.caption_hit || w.byline_hit) continue;
        if (w.weak_hits >= 1 && w.f.words <= 40)
          set_residue(w, w.weak_reason,
                      "weak lexicon hit after the article's last sentence (line " +
                          std::to_string(last_body + 1) + "): " + w.weak_evidence);
        else if (w.f.words <= 10 && !w.f.terminal)
          set_residue(w, "tail_block",
                      "short line (" + std::to_string(w.f.words) +
                          " words, no sentence end) among residue after the article's last "
                          "sentence (line " + std::to_string(last_body + 1) + ")");
      }
  }

  // Marks: credits, the caption line just before a credit, inline-credit captions, bylines.
  for (size_t i = 0; i < lines.size(); ++i) {
    Work& w = lines[i];
    if (w.d.kind != LineKind::Body) continue;
    if (w.credit_hit) {
      w.d.kind = LineKind::Credit;
      w.d.reason = "credit";
      w.d.evidence = w.mark_evidence;
      size_t j = i;
      while (j > 0 && lines[j - 1].d.kind == LineKind::Blank && i - j < 1) --j;
      if (j > 0) {
        Work& c = lines[j - 1];
        if (c.d.kind == LineKind::Body && c.f.words <= 60 && !c.byline_hit) {
          c.d.kind = LineKind::Caption;
          c.d.reason = "caption";
          c.d.evidence = "line before the credit on line " + std::to_string(i + 1);
        }
      }
    } else if (w.caption_hit) {
      w.d.kind = LineKind::Caption;
      w.d.reason = "caption";
      w.d.evidence = w.mark_evidence;
    } else if (w.byline_hit) {
      w.d.kind = LineKind::Byline;
      w.d.reason = "byline";
      w.d.evidence = w.mark_evidence;
    }
  }

  std::vector<LineDecision> out;
  out.reserve(lines.size());
  for (auto& w : lines) out.push_back(std::move(w.d));
  return out;
}

CleanResult clean_text(std::string_view input, const CleanOptions& options) {
  CleanResult r;
  r.repaired = repair(input, options.repair);
  const std::string& t = r.repaired.text;
  ClassifyOptions co;
  co.lexicon = options.lexicon;
  co.templates = options.templates;
  r.lines = classify_lines(t, co);

  const SpanMap& map = r.repaired.map;
  auto input_span = [&](size_t a, size_t b) {
    auto [s, e] = map.to_input(a, b);
    return std::pair<uint32_t, uint32_t>(s, e);
  };
  // The whole input line of a repaired line, white space the repair dropped included:
  // from just after the previous newline to the next newline.
  auto line_start = [&](size_t a) -> uint32_t { return a == 0 ? 0 : map.end[a - 1]; };
  auto line_end = [&](size_t b) -> uint32_t { return b < map.size() ? map.begin[b] : map.input_size; };
  auto add_block = [&](std::vector<Block>& blocks, uint32_t s, uint32_t e,
                       const std::string& reason, const std::string& evidence, bool merge) {
    if (merge && !blocks.empty() && blocks.back().reason == reason) {
      // Merge with the previous block when only blank lines lie between them.
      const Block& prev = blocks.back();
      bool only_blank = true;
      for (uint32_t k = prev.end; k < s && only_blank; ++k)
        only_blank = input[k] == '\n' || input[k] == '\r' || input[k] == ' ' || input[k] == '\t';
      if (only_blank) {
        blocks.back().end = e;
        blocks.back().text = std::string(input.substr(blocks.back().start, e - blocks.back().start));
        return;
      }
    }
    blocks.push_back(Block{s, e, reason, std::string(input.substr(s, e - s)), evidence});
  };

  std::string out;
  bool pending_blank = false;
  size_t removed_bytes = 0, nonblank_bytes = 0;
  for (const auto& d : r.lines) {
    if (d.kind == LineKind::Blank) {
      pending_blank = !out.empty();
      continue;
    }
    nonblank_bytes += line_end(d.end) - line_start(d.begin);
    const bool marked = d.kind == LineKind::Caption || d.kind == LineKind::Credit ||
                        d.kind == LineKind::Byline;
    if (d.kind == LineKind::Residue) {
      const uint32_t s = line_start(d.begin), e = line_end(d.end);
      removed_bytes += e - s;
      add_block(r.removed, s, e, d.reason, d.evidence, true);
      continue;
    }
    if (d.cut > 0) {
      const uint32_t s = line_start(d.begin), e = input_span(d.begin, d.begin + d.cut).second;
      removed_bytes += e - s;
      add_block(r.removed, s, e, d.cut_reason, d.cut_evidence, false);
    }
    size_t from = d.begin + d.cut;
    while (from < d.end && t[from] == ' ') ++from;
    if (marked) {
      const bool drop = options.drop_captions && d.kind != LineKind::Byline;
      const auto [s, e] = input_span(from, d.end);
      add_block(r.marked, s, e, d.reason, d.evidence + (drop ? " (dropped)" : ""), false);
      if (drop) continue;
    }
    if (!out.empty()) out += pending_blank ? "\n\n" : "\n";
    pending_blank = false;
    out.append(t, from, d.end - from);
  }
  if (!out.empty()) out += '\n';
  r.clean = std::move(out);
  r.repairs = r.repaired.repairs;

  Quality& q = r.quality;
  q.input_bytes = input.size();
  q.removed_bytes = removed_bytes;
  q.removed_share = nonblank_bytes ? static_cast<double>(removed_bytes) / nonblank_bytes : 0;
  q.removed_blocks = r.removed.size();
  q.marked = r.marked.size();
  q.repairs = r.repairs.size();
  q.replacement_chars = r.repaired.replacement_chars;
  if (options.quality) measure_text(r.clean, q, options.dictionary);
  if (options.spin_score) q.spin_score = options.spin_score(r.clean);
  return r;
}

}  // namespace unspin::clean
