#pragma once
// `unspin clean`: from a scraped page's text to the article body.
//
// 1. repair() fixes the encoding (mojibake, entities, control characters, white space).
// 2. classify_lines() decides, line by line, body / residue / caption / credit / byline, each
//    decision with a reason and the evidence behind it.
// 3. clean_text() assembles the kept lines, reports removed and marked blocks with byte spans in
//    the INPUT, and measures quality.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "clean/boilerplate.h"
#include "clean/quality.h"
#include "clean/repair.h"
#include "clean/templates.h"

namespace unspin::clean {

enum class LineKind { Blank, Body, Residue, Caption, Credit, Byline };
const char* kind_name(LineKind k);

struct LineDecision {
  size_t begin = 0, end = 0;  // the line in the repaired text (no newline)
  LineKind kind = LineKind::Blank;
  std::string reason;         // residue: navigation, counter, ...; marked: caption, credit, byline
  std::string evidence;       // what a reviewer can check: rule, lexicon file:line, numbers
  size_t cut = 0;             // Body lines: bytes [begin, begin + cut) are removed (prefix rule)
  std::string cut_reason, cut_evidence;
};

struct ClassifyOptions {
  const BoilerplateLexicon* lexicon = nullptr;  // required
  const TemplateSet* templates = nullptr;       // optional: batch template lines
};

// Classifies the lines of repaired text (lines split on '\n').
std::vector<LineDecision> classify_lines(std::string_view text, const ClassifyOptions& options);

struct CleanOptions {
  RepairOptions repair;
  const BoilerplateLexicon* lexicon = nullptr;  // required
  const TemplateSet* templates = nullptr;
  bool drop_captions = false;  // drop captions and credits instead of marking them
  bool quality = true;         // compute the quality report (Hunspell, sentences)
  std::string dictionary = "/usr/share/hunspell/en_US";
  SpinScoreHook spin_score;    // optional: filled by whoever wires detection in
};

struct Block {
  uint32_t start = 0, end = 0;  // byte span in the INPUT
  std::string reason;           // removed: residue reason; marked: caption | credit | byline
  std::string text;             // the input bytes of the span
  std::string evidence;
};

struct CleanResult {
  std::string clean;              // the article body, lines joined by '\n', ending in '\n'
  std::vector<Block> removed;     // residue, consecutive lines with one reason merged
  std::vector<Block> marked;      // captions, credits, bylines (kept unless drop_captions)
  std::vector<Repair> repairs;    // spans in the input
  Quality quality;
  Repaired repaired;              // the repaired text and its map to the input
  std::vector<LineDecision> lines;  // decisions on repaired-text lines
};

CleanResult clean_text(std::string_view input, const CleanOptions& options);

}  // namespace unspin::clean
