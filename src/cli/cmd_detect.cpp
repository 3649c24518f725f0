#include "cli/commands.h"

namespace unspin::cli {

void register_detect(CLI::App& app, int& rc) {
  register_not_built(app, rc, "detect", "Score documents for spinning and list the flagged spans");
}

}  // namespace unspin::cli
