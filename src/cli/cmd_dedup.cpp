#include "cli/commands.h"

namespace unspin::cli {

void register_dedup(CLI::App& app, int& rc) {
  register_not_built(app, rc, "dedup", "Cluster duplicates and spun copies with MinHash/LSH");
}

}  // namespace unspin::cli
