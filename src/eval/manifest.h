#pragma once
// The evaluation manifest: TSV with columns file, kind, url, pair_of, notes (see
// ../shared/corpora/dev/README.md). kind is spun | orig | clean | topicpair; for spun pages the
// notes start with family=<tag>.
#include <string>
#include <vector>

namespace unspin::eval {

struct ManifestRow {
  std::string file;     // path, resolved against the manifest's folder
  std::string name;     // as written in the manifest
  std::string kind;
  std::string pair_of;  // resolved path, or empty
  std::string family;   // from notes "family=<tag>", spun pages only
  bool partial = false; // notes say the original is PARTIAL
};

// Throws unspin::Error naming manifest:line for malformed rows.
std::vector<ManifestRow> read_manifest(const std::string& path);

}  // namespace unspin::eval
