#include "cli/commands.h"

namespace unspin::cli {

void register_index(CLI::App& app, int& rc) {
  register_not_built(app, rc, "index", "A persistent duplicate index: add, query, expire");
}

}  // namespace unspin::cli
