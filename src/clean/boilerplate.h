#pragma once
// The boilerplate lexicon (lexicons/boilerplate.tsv): phrase patterns that mark a line as page
// residue (or as a caption, credit or byline), each with a reason. The file format is documented
// in its header comment and in docs/clean.md.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace unspin::clean {

// How far a pattern's evidence reaches.
enum class Scope {
  Line,    // the pattern matches the whole line (bullets, | and end punctuation trimmed)
  Short,   // found anywhere in a line of at most kShortWords words
  Any,     // found anywhere in a line of any length: specific phrases only
  Weak,    // evidence only: two weak hits in one line, or one in the block after the article
  Prefix,  // matched at the start of a line; only the matched bytes are removed
};
inline constexpr size_t kShortWords = 12;

struct BoilerplateHit {
  size_t entry = 0;         // index in the lexicon
  size_t begin = 0, end = 0;  // byte span of the match in the line
};

struct BoilerplateEntry {
  Scope scope = Scope::Any;
  std::string reason;   // navigation, related_links, share, ... (see kLexiconReasons)
  std::string pattern;  // ICU regular expression, case-insensitive
  std::string where;    // "file:line", for evidence
};

// Reasons a lexicon line may give. caption / credit / byline mark a line (it is kept);
// every other reason removes it.
extern const std::vector<std::string> kLexiconReasons;
bool is_marking_reason(std::string_view reason);

class BoilerplateLexicon {
 public:
  BoilerplateLexicon();
  ~BoilerplateLexicon();
  BoilerplateLexicon(BoilerplateLexicon&&) noexcept;
  BoilerplateLexicon& operator=(BoilerplateLexicon&&) noexcept;

  // Throws unspin::Error listing every malformed line as "name:line: reason".
  static BoilerplateLexicon parse(std::string_view text, const std::string& name);
  static BoilerplateLexicon load(const std::string& path);
  // lexicons/boilerplate.tsv of the source tree this binary was built from.
  static std::string default_path();

  size_t size() const { return entries_.size(); }
  const BoilerplateEntry& entry(size_t i) const { return entries_[i]; }

  // All hits of entries with the given scope in `line` (valid UTF-8, no newline). For
  // Scope::Line, `line` should already be trimmed (see trim_for_line_match).
  std::vector<BoilerplateHit> find(std::string_view line, Scope scope) const;

 private:
  struct Compiled;
  std::vector<BoilerplateEntry> entries_;
  std::vector<std::unique_ptr<Compiled>> compiled_;
};

// The line without leading bullets, pipes and dashes or trailing punctuation and arrows, as
// Scope::Line entries see it ("• Share this article:" -> "Share this article").
std::string_view trim_for_line_match(std::string_view line);

}  // namespace unspin::clean
