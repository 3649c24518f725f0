#pragma once
// Evaluation of `clean` on a line-labelled set (corpora/clean-labels/*.tsv).
//
// Label file: UTF-8, one row per line of the document, "label<TAB>line text"; rows starting with
// '#' are comments. Labels: body, residue, caption (a caption or credit: kept, should be marked),
// '-' for a blank line. The document is the rows' texts joined by '\n' (plus a final '\n').
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "clean/cleaner.h"

namespace unspin::clean {

struct LabelledDoc {
  std::string name;
  std::string text;
  std::vector<std::string> labels;  // one per line of text
};

// Throws unspin::Error naming "name:line: reason" for malformed rows.
LabelledDoc parse_labelled(std::string_view tsv, const std::string& name);

struct EvalCounts {
  size_t residue_lines = 0, removed_lines = 0, removed_residue = 0;
  size_t body_lines = 0, body_lines_kept = 0;
  size_t body_sentences = 0, body_sentences_kept = 0;
  size_t captions = 0, captions_marked = 0;
  void add(const EvalCounts& o);
  double precision() const { return removed_lines ? double(removed_residue) / removed_lines : 1; }
  double recall() const { return residue_lines ? double(removed_residue) / residue_lines : 1; }
  double body_kept() const {
    return body_sentences ? double(body_sentences_kept) / body_sentences : 1;
  }
  nlohmann::json to_json() const;
};

struct EvalResult {
  std::string name;
  EvalCounts counts;
  std::vector<std::string> mistakes;  // "line 12: residue kept: '...'"
};

EvalResult evaluate(const LabelledDoc& doc, const CleanOptions& options);

}  // namespace unspin::clean
