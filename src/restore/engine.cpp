#include "restore/engine.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "restore/casing.h"

namespace unspin::restore {

namespace {

// The model prefers fewer words ("he was a teacher" over a genuine "he used to be a teacher"),
// so each word of a phrase earns this much log10 probability back before phrases are compared.
constexpr double kLengthBonus = 1.0;
// Confidence model (logistic): logit(prior) + kGainWeight * LM gain + kDocWeight * doc evidence.
constexpr double kGainWeight = 0.9;
constexpr double kMaxGain = 4.0;
constexpr double kMaxGainUnknown = 0.5;
constexpr double kDocWeight = 1.5;
// Spin score calibration: P(spun) = sigmoid(kSlope * (ln(density + kFloor) - ln(kMidDensity))),
// density = spin evidence per 100 words. Fitted on the dev corpus (docs/detection.md).
constexpr double kSlope = 3.0;
constexpr double kMidDensity = 0.8;
constexpr double kFloor = 0.01;
constexpr double kMinWords = 100;  // short texts are not judged on a handful of words

double sigmoid(double z) { return 1 / (1 + std::exp(-z)); }
double logit(double p) {
  p = std::clamp(p, 1e-4, 1 - 1e-4);
  return std::log(p / (1 - p));
}

bool ends_sentence(std::string_view key) {
  return key == "." || key == "!" || key == "?" || key == ";" || key == ":" || key == "\"" ||
         key == "“" || key == "”" || key == "(" || key == ")";
}

// The document as the language model sees it: one id per word, sentence ends as resets.
struct LmView {
  std::vector<lm::WordId> seq;
  std::vector<uint32_t> pos;  // token index -> index in seq of its word (or of the next word)
};

LmView build_view(const text::Document& doc, const lm::LanguageModel& lm) {
  LmView v;
  v.pos.resize(doc.size() + 1);
  v.seq.push_back(lm::kSentenceStart);
  for (size_t i = 0; i < doc.size(); ++i) {
    v.pos[i] = static_cast<uint32_t>(v.seq.size());
    const auto kind = doc[i].kind;
    if (kind == text::TokenKind::Word || kind == text::TokenKind::Number)
      v.seq.push_back(lm.id(doc.key(i)));
    else if (ends_sentence(doc.key(i)) || doc.gap_before(i).find('\n') != std::string_view::npos)
      v.seq.push_back(lm::kSentenceStart);
  }
  v.pos[doc.size()] = static_cast<uint32_t>(v.seq.size());
  return v;
}

std::vector<lm::WordId> phrase_ids(std::string_view phrase, const lm::LanguageModel& lm) {
  std::vector<lm::WordId> ids;
  std::string word;
  auto flush = [&] {
    if (!word.empty()) ids.push_back(lm.id(text::match_key(word)));
    word.clear();
  };
  for (char c : phrase) {
    if (c == ' ' || c == '-')
      flush();
    else
      word += c;
  }
  flush();
  return ids;
}

// log10 score of the words [pb, pe) of the view replaced by `middle`, with two words of context
// either side, plus the length bonus.
double score_in_context(const LmView& v, uint32_t pb, uint32_t pe,
                        const std::vector<lm::WordId>& middle, const lm::LanguageModel& lm) {
  uint32_t left = pb;
  for (int k = 0; k < 2 && left > 0; ++k)
    if (v.seq[--left] == lm::kSentenceStart) break;
  const uint32_t right = std::min<uint32_t>(static_cast<uint32_t>(v.seq.size()), pe + 2);
  std::vector<lm::WordId> w(v.seq.begin() + left, v.seq.begin() + pb);
  w.insert(w.end(), middle.begin(), middle.end());
  w.insert(w.end(), v.seq.begin() + pe, v.seq.begin() + right);
  return lm.score(w, pb - left, w.size()) + kLengthBonus * static_cast<double>(middle.size());
}

struct Candidate {
  const lexicon::Match* match = nullptr;
  double local_z = 0;       // evidence from the entry and the model, without the document
  double confidence = 0;
  std::string replacement;  // best alternative, as in the lexicon (not yet cased)
};

// Greedy choice of non-overlapping candidates, most confident first.
std::vector<const Candidate*> select(const std::vector<Candidate>& cands,
                                     const std::vector<bool>& protect) {
  std::vector<const Candidate*> order;
  for (const auto& c : cands) order.push_back(&c);
  std::stable_sort(order.begin(), order.end(), [](const Candidate* a, const Candidate* b) {
    if (a->confidence != b->confidence) return a->confidence > b->confidence;
    return a->match->end - a->match->begin > b->match->end - b->match->begin;
  });
  std::vector<bool> taken(protect);
  std::vector<const Candidate*> chosen;
  for (const Candidate* c : order) {
    bool free = true;
    for (uint32_t t = c->match->begin; t < c->match->end && free; ++t) free = !taken[t];
    if (!free) continue;
    for (uint32_t t = c->match->begin; t < c->match->end; ++t) taken[t] = true;
    chosen.push_back(c);
  }
  return chosen;
}

// How much one candidate says about the whole document: confident ones count fully, ambiguous
// ones (which clean text is full of: "stated", "notably") not at all.
double evidence_weight(double confidence) { return std::clamp((confidence - 0.4) / 0.5, 0.0, 1.0); }

bool has_unknown(const std::vector<lm::WordId>& ids) {
  return std::find(ids.begin(), ids.end(), lm::kUnknownWord) != ids.end();
}

// An acronym in the text ("EU", "US", "AI") is never taken for a spinner's lowercase word.
bool acronym_clash(const text::Document& doc, const lexicon::Match& m, const lexicon::Entry& e) {
  for (char c : e.spun)
    if (c >= 'A' && c <= 'Z') return false;
  for (uint32_t t = m.begin; t < m.end; ++t) {
    const std::string_view w = doc.original(t);
    size_t upper = 0;
    for (char c : w) upper += c >= 'A' && c <= 'Z';
    if (upper >= 2 && upper == w.size()) return true;
  }
  return false;
}

size_t count_words(const text::Document& doc) {
  size_t n = 0;
  for (size_t i = 0; i < doc.size(); ++i) n += doc.is_word(i);
  return n;
}

std::string family_label(const std::string& family) {
  return family == "pps" ? "spinbot-tortured" : family;
}

}  // namespace

Engine::Engine(const lexicon::Lexicon& lexicon, const lm::LanguageModel& lm, Options options)
    : lexicon_(lexicon), lm_(lm), options_(options) {}

Analysis Engine::analyze(const text::Document& doc) const {
  Analysis out;
  out.words = count_words(doc);
  const std::vector<lexicon::Match> matches = lexicon_.match(doc);
  const LmView view = build_view(doc, lm_);

  std::vector<bool> protect(doc.size(), false);
  std::vector<Candidate> cands;
  for (const auto& m : matches) {
    const lexicon::Entry& e = lexicon_.entry(m.entry);
    if (e.protect()) {
      std::fill(protect.begin() + m.begin, protect.begin() + m.end, true);
      continue;
    }
    if (acronym_clash(doc, m, e)) continue;
    Candidate c;
    c.match = &m;
    double gain = 0;
    if (!m.gapped && !m.replacements.empty()) {
      const uint32_t pb = view.pos[m.begin], pe = view.pos[m.end];
      const std::vector<lm::WordId> orig(view.seq.begin() + pb, view.seq.begin() + pe);
      const double base = score_in_context(view, pb, pe, orig, lm_);
      double best = -1e300;
      bool unknown = has_unknown(orig);
      for (const std::string& r : m.replacements) {
        const std::vector<lm::WordId> ids = phrase_ids(r, lm_);
        const double s = score_in_context(view, pb, pe, ids, lm_);
        if (s > best) best = s, c.replacement = r, unknown = has_unknown(orig) || has_unknown(ids);
      }
      // A word the model does not know (a digit, a name, a spinner's coinage) has no real
      // probability: the comparison then says little either way.
      const double cap = unknown ? kMaxGainUnknown : kMaxGain;
      gain = std::clamp(best - base, -cap, cap);
    }
    c.local_z = logit(e.prior) + kGainWeight * gain;
    c.confidence = sigmoid(c.local_z);
    cands.push_back(std::move(c));
  }

  // Document evidence: how much confident spin there is per 100 words.
  double evidence = 0;
  for (const Candidate* c : select(cands, protect)) {
    evidence += evidence_weight(c->confidence);
  }
  out.density = 100.0 * evidence / std::max<double>(kMinWords, static_cast<double>(out.words));
  out.spin_score = sigmoid(kSlope * (std::log(out.density + kFloor) - std::log(kMidDensity)));
  out.spun = out.spin_score >= options_.spun_threshold;

  // A clearly spun document lowers the bar for an ambiguous span; a clean one raises it.
  for (Candidate& c : cands) c.confidence = sigmoid(c.local_z + kDocWeight * (2 * out.spin_score - 1));

  std::map<std::string, double> by_family;
  for (const Candidate* c : select(cands, protect)) {
    if (c->confidence < options_.suggest_floor) continue;
    const lexicon::Match& m = *c->match;
    const lexicon::Entry& e = lexicon_.entry(m.entry);
    Edit edit;
    edit.start = doc[m.begin].begin;
    edit.end = doc[m.end - 1].end;
    edit.original = std::string(doc.text().substr(edit.start, edit.end - edit.start));
    if (!c->replacement.empty()) edit.replacement = transfer_case(edit.original, c->replacement);
    edit.confidence = c->confidence;
    edit.source = e.origin;
    edit.family = family_label(e.family);
    edit.applied = !edit.replacement.empty() && c->confidence >= options_.apply_threshold;
    if (c->confidence >= 0.5) by_family[edit.family] += c->confidence;
    // Keep "a"/"an" right for the new word: "an enormous" -> "a massive".
    if (edit.applied && m.begin > 0) {
      const std::string_view article = doc.key(m.begin - 1);
      if (article == "a" || article == "an") {
        const std::string_view want = article_for(edit.replacement);
        if (want != article) {
          Edit fix;
          fix.start = doc[m.begin - 1].begin;
          fix.end = doc[m.begin - 1].end;
          fix.original = std::string(doc.original(m.begin - 1));
          fix.replacement = transfer_case(fix.original, want);
          fix.confidence = edit.confidence;
          fix.source = "a/an";
          fix.family = edit.family;
          fix.applied = true;
          out.edits.push_back(std::move(fix));
        }
      }
    }
    out.edits.push_back(std::move(edit));
  }
  std::sort(out.edits.begin(), out.edits.end(),
            [](const Edit& a, const Edit& b) { return a.start < b.start; });
  out.family = "none";
  double best = 0;
  for (const auto& [family, weight] : by_family)
    if (weight > best) best = weight, out.family = family;
  return out;
}

std::string apply_edits(std::string_view text, const std::vector<Edit>& edits, bool only_applied) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  uint32_t at = 0;
  for (const Edit& e : edits) {
    if ((only_applied && !e.applied) || e.replacement.empty() || e.start < at) continue;
    out.append(text.substr(at, e.start - at));
    out.append(e.replacement);
    at = e.end;
  }
  out.append(text.substr(at));
  return out;
}

}  // namespace unspin::restore
