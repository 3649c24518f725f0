#pragma once
// One function per command; each lives in its own cmd_<name>.cpp and adds a CLI11 subcommand
// whose callback stores the command's exit code in `rc`.
#include <CLI/CLI.hpp>

namespace unspin::cli {

void register_segment(CLI::App& app, int& rc);
void register_detect(CLI::App& app, int& rc);
void register_restore(CLI::App& app, int& rc);
void register_mine(CLI::App& app, int& rc);
void register_eval(CLI::App& app, int& rc);
void register_similar(CLI::App& app, int& rc);
void register_dedup(CLI::App& app, int& rc);
void register_sign(CLI::App& app, int& rc);
void register_index(CLI::App& app, int& rc);
void register_clean(CLI::App& app, int& rc);

// For a command whose part is not built yet: it is listed in --help and says so plainly.
void register_not_built(CLI::App& app, int& rc, const char* name, const char* summary);

}  // namespace unspin::cli
