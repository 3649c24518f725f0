#!/usr/bin/env bash
# Configures and builds unspin (Release) in ./build with the machine's cores.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release > build.log 2>&1 || { cat build.log; exit 1; }
cmake --build build -j"$(nproc)" >> build.log 2>&1 || { grep -E "error|Error" -A3 build.log | head -60; exit 1; }
echo "unspin build: ok (log in build.log)"
