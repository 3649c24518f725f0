#include "cli/commands.h"

namespace unspin::cli {

void register_restore(CLI::App& app, int& rc) {
  register_not_built(app, rc, "restore", "Restore spun text to its most likely original words");
}

}  // namespace unspin::cli
