#include "cli/commands.h"

namespace unspin::cli {

void register_sign(CLI::App& app, int& rc) {
  register_not_built(app, rc, "sign", "Emit LSH band keys per document for external grouping");
}

}  // namespace unspin::cli
