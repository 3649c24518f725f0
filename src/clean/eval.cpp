#include "clean/eval.h"

#include "common/error.h"
#include "text/document.h"

namespace unspin::clean {

namespace {
// At most `max` bytes of s, cut at a character boundary.
std::string preview_of(std::string_view s, size_t max = 60) {
  size_t n = std::min(max, s.size());
  while (n > 0 && n < s.size() && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  std::string out;
  out.reserve(n + 5);
  out.push_back('\'');
  out.append(s.data(), n);
  if (n < s.size()) out.append("...");
  out.push_back('\'');
  return out;
}
}  // namespace

LabelledDoc parse_labelled(std::string_view tsv, const std::string& name) {
  LabelledDoc doc;
  doc.name = name;
  size_t start = 0, line_no = 0;
  std::string errors;
  while (start < tsv.size()) {
    size_t nl = tsv.find('\n', start);
    if (nl == std::string_view::npos) nl = tsv.size();
    std::string_view row = tsv.substr(start, nl - start);
    start = nl + 1;
    ++line_no;
    if (!row.empty() && row[0] == '#') continue;
    const size_t tab = row.find('\t');
    const std::string where = name + ":" + std::to_string(line_no) + ": ";
    if (tab == std::string_view::npos) {
      errors += where + "no tab between label and text\n";
      continue;
    }
    const std::string label(row.substr(0, tab));
    const std::string_view text = row.substr(tab + 1);
    std::string squeezed(text);  // blank: nothing but spaces, tabs, CR and no-break spaces
    for (size_t k; (k = squeezed.find("\xC2\xA0")) != std::string::npos;) squeezed.erase(k, 2);
    const bool blank = squeezed.find_first_not_of(" \t\r") == std::string::npos;
    if (label != "body" && label != "residue" && label != "caption" && label != "-") {
      errors += where + "unknown label '" + label + "' (body, residue, caption, -)\n";
      continue;
    }
    if ((label == "-") != blank) {
      errors += where + (blank ? "blank line must be labelled '-'\n" : "'-' is for blank lines\n");
      continue;
    }
    doc.text.append(text);
    doc.text.push_back('\n');
    doc.labels.push_back(label);
  }
  if (!errors.empty()) {
    errors.pop_back();
    throw Error(errors);
  }
  return doc;
}

void EvalCounts::add(const EvalCounts& o) {
  residue_lines += o.residue_lines;
  removed_lines += o.removed_lines;
  removed_residue += o.removed_residue;
  body_lines += o.body_lines;
  body_lines_kept += o.body_lines_kept;
  body_sentences += o.body_sentences;
  body_sentences_kept += o.body_sentences_kept;
  captions += o.captions;
  captions_marked += o.captions_marked;
}

nlohmann::json EvalCounts::to_json() const {
  return {{"residue_lines", residue_lines},
          {"removed_lines", removed_lines},
          {"removed_residue", removed_residue},
          {"residue_precision", precision()},
          {"residue_recall", recall()},
          {"body_lines", body_lines},
          {"body_lines_kept", body_lines_kept},
          {"body_sentences", body_sentences},
          {"body_sentences_kept", body_sentences_kept},
          {"body_sentences_kept_share", body_kept()},
          {"captions", captions},
          {"captions_marked", captions_marked}};
}

EvalResult evaluate(const LabelledDoc& doc, const CleanOptions& options) {
  EvalResult res;
  res.name = doc.name;
  const CleanResult cr = clean_text(doc.text, options);
  const std::string& t = doc.text;
  std::vector<char> removed(t.size(), 0), marked(t.size(), 0);
  std::vector<std::string> reason_at(t.size());
  for (const auto& b : cr.removed)
    for (uint32_t k = b.start; k < b.end; ++k) removed[k] = 1;
  for (const auto& b : cr.marked)
    for (uint32_t k = b.start; k < b.end; ++k) marked[k] = 1;
  auto is_space = [&](size_t k) { return t[k] == ' ' || t[k] == '\t' || t[k] == '\r'; };
  // A line or sentence counts as removed when any of its non-space bytes is removed (a partly
  // removed body line is a loss); a residue line counts as removed only when all its bytes are.
  auto any_removed = [&](size_t a, size_t b) {
    for (size_t k = a; k < b; ++k)
      if (!is_space(k) && t[k] != '\n' && removed[k]) return true;
    return false;
  };
  auto all_removed = [&](size_t a, size_t b) {
    for (size_t k = a; k < b; ++k)
      if (!is_space(k) && !removed[k]) return false;
    return true;
  };
  const text::Document seg = text::Segmenter().segment(t);
  const auto& sents = seg.sentences();
  size_t start = 0;
  for (size_t i = 0; i < doc.labels.size(); ++i) {
    const size_t end = t.find('\n', start);
    const std::string& label = doc.labels[i];
    const std::string preview = preview_of(std::string_view(t).substr(start, end - start));
    auto who = [&](size_t k) {
      for (const auto& b : cr.removed)
        if (b.start <= k && k < b.end) return b.reason;
      return std::string("?");
    };
    if (label == "residue") {
      ++res.counts.residue_lines;
      if (all_removed(start, end)) {
        ++res.counts.removed_lines;
        ++res.counts.removed_residue;
      } else {
        res.mistakes.push_back("line " + std::to_string(i + 1) + ": residue kept: " + preview);
      }
    } else if (label == "body" || label == "caption") {
      const bool lost = any_removed(start, end);
      if (lost && all_removed(start, end)) ++res.counts.removed_lines;
      ++res.counts.body_lines;
      if (!lost) ++res.counts.body_lines_kept;
      else {
        size_t k = start;
        while (k < end && !removed[k]) ++k;
        res.mistakes.push_back("line " + std::to_string(i + 1) + ": " + label + " removed (" +
                               who(k) + "): " + preview);
      }
      for (const auto& s : sents) {
        if (s.begin < start || s.begin >= end) continue;
        bool words = false;
        for (size_t k = s.begin; k < std::min<size_t>(s.end, end) && !words; ++k)
          words = !is_space(k) && t[k] != '\n';
        if (!words) continue;
        ++res.counts.body_sentences;
        if (!any_removed(s.begin, std::min<size_t>(s.end, end))) ++res.counts.body_sentences_kept;
      }
      if (label == "caption") {
        ++res.counts.captions;
        bool m = false;
        for (size_t k = start; k < end && !m; ++k) m = marked[k] != 0;
        if (m) ++res.counts.captions_marked;
        else res.mistakes.push_back("line " + std::to_string(i + 1) + ": caption not marked: " + preview);
      }
    }
    start = end + 1;
  }
  return res;
}

}  // namespace unspin::clean
