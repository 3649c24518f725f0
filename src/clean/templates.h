#pragma once
// Batch template detection: a line that appears on many pages of one batch (one site) is part of
// the site's template (menus, footers, teasers), not of any article.
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace unspin::clean {

// The form lines are compared in: case-folded (ASCII), digits as '0', white space collapsed.
std::string template_key(std::string_view line);
uint64_t template_hash(std::string_view line);

struct TemplateOptions {
  size_t min_pages = 3;      // a line must appear on at least this many documents ...
  double min_share = 0.3;    // ... and on at least this share of the batch
  size_t max_words = 15;     // longer lines are never template (they are handled by the lexicon)
};

class TemplateSet {
 public:
  // Count every distinct line of one document (call once per document of the batch).
  void add_document(std::string_view text);
  // Decide which lines are template; call after all documents are added.
  void finish(const TemplateOptions& options = {});

  bool is_template(std::string_view line) const;
  size_t pages(std::string_view line) const;  // documents the line appeared on
  size_t documents() const { return documents_; }
  size_t size() const { return template_.size(); }
  const TemplateOptions& options() const { return options_; }

 private:
  std::unordered_map<uint64_t, uint32_t> counts_;
  std::unordered_set<uint64_t> template_;
  size_t documents_ = 0;
  TemplateOptions options_;
};

}  // namespace unspin::clean
