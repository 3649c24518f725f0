#include "cli/commands.h"

namespace unspin::cli {

void register_clean(CLI::App& app, int& rc) {
  register_not_built(app, rc, "clean", "Remove scraping residue, repair encodings, report quality");
}

}  // namespace unspin::cli
