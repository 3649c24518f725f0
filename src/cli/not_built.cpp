#include <cstdio>

#include "cli/commands.h"
#include "cli/common.h"

namespace unspin::cli {

void register_not_built(CLI::App& app, int& rc, const char* name, const char* summary) {
  CLI::App* cmd = app.add_subcommand(name, std::string(summary) + " (not built yet)");
  cmd->allow_extras();
  cmd->callback([&rc, name] {
    std::fprintf(stderr, "unspin %s: not built yet\n", name);
    rc = kExitRuntime;
  });
}

}  // namespace unspin::cli
