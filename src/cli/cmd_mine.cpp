#include "cli/commands.h"

namespace unspin::cli {

void register_mine(CLI::App& app, int& rc) {
  register_not_built(app, rc, "mine", "Align a spun text with its original and print candidate lexicon lines");
}

}  // namespace unspin::cli
