#include "cli/commands.h"

namespace unspin::cli {

void register_similar(CLI::App& app, int& rc) {
  register_not_built(app, rc, "similar", "Compare documents pairwise: raw, canonical and immutable-word similarity");
}

}  // namespace unspin::cli
