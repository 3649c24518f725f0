// unspin: detect, restore, compare and clean spun text. A thin layer over libunspin.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/commands.h"
#include "cli/common.h"
#include "common/error.h"

int main(int argc, char** argv) {
  using namespace unspin::cli;
  CLI::App app{"unspin: detect, restore, compare and clean spun (synonym-swapped) text"};
  app.set_version_flag("--version", std::string("unspin ") + UNSPIN_VERSION);
  app.require_subcommand(1);
  int rc = kExitOk;
  register_segment(app, rc);
  register_detect(app, rc);
  register_restore(app, rc);
  register_mine(app, rc);
  register_eval(app, rc);
  register_similar(app, rc);
  register_dedup(app, rc);
  register_sign(app, rc);
  register_index(app, rc);
  register_clean(app, rc);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  } catch (const unspin::Error& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "unspin: %s\n", e.what());
    return kExitRuntime;
  } catch (const std::exception& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "unspin: internal error: %s\n", e.what());
    return kExitRuntime;
  }
  return rc;
}
