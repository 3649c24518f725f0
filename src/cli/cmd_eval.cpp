#include "cli/commands.h"

namespace unspin::cli {

void register_eval(CLI::App& app, int& rc) {
  register_not_built(app, rc, "eval", "Evaluate detection and restoration over a manifest");
}

}  // namespace unspin::cli
