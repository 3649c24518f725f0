#include "clean/templates.h"

#include <xxhash.h>

#include <cmath>

namespace unspin::clean {

std::string template_key(std::string_view line) {
  std::string key;
  key.reserve(line.size());
  bool space = false;
  for (char ch : line) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (c == ' ' || c == '\t' || c == '\r') {
      space = !key.empty();
      continue;
    }
    if (space) key.push_back(' ');
    space = false;
    if (c >= '0' && c <= '9') c = '0';
    else if (c >= 'A' && c <= 'Z') c = static_cast<unsigned char>(c - 'A' + 'a');
    key.push_back(static_cast<char>(c));
  }
  return key;
}

uint64_t template_hash(std::string_view line) {
  const std::string key = template_key(line);
  return XXH3_64bits(key.data(), key.size());
}

void TemplateSet::add_document(std::string_view text) {
  std::unordered_set<uint64_t> seen;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    const std::string key = template_key(text.substr(start, nl - start));
    if (!key.empty()) seen.insert(XXH3_64bits(key.data(), key.size()));
    start = nl + 1;
  }
  for (uint64_t h : seen) ++counts_[h];
  ++documents_;
}

void TemplateSet::finish(const TemplateOptions& options) {
  options_ = options;
  template_.clear();
  const double need = std::max<double>(static_cast<double>(options.min_pages),
                                       std::ceil(options.min_share * static_cast<double>(documents_)));
  for (const auto& [h, n] : counts_)
    if (n >= need) template_.insert(h);
}

bool TemplateSet::is_template(std::string_view line) const {
  return !template_.empty() && template_.count(template_hash(line)) > 0;
}

size_t TemplateSet::pages(std::string_view line) const {
  auto it = counts_.find(template_hash(line));
  return it == counts_.end() ? 0 : it->second;
}

}  // namespace unspin::clean
