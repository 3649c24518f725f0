#!/usr/bin/env bash
# Installs everything unspin needs from Debian 12's apt. Idempotent; run as root on a fresh machine.
set -euo pipefail
PACKAGES=(
  build-essential cmake pkg-config git python3
  libicu-dev                      # Unicode: UTF-8, normalisation, word and sentence segmentation
  libhunspell-dev hunspell-en-us  # spelling, stems (canonical channel, quality report)
  libxxhash-dev                   # XXH3 for shingle and MinHash hashing
  libcli11-dev nlohmann-json3-dev # command line, JSON
  libsqlite3-dev                  # the persistent dedup index
  libsphinxbase-dev pocketsphinx-en-us  # the 3-gram English language model and its reader
  mythes-en-us                    # thesaurus (built from WordNet): candidate originals
  catch2 libbenchmark-dev         # tests and micro-benchmarks
  simhash ssdeep                  # peers that scripts/bench_peers.sh compares dedup against
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
echo "unspin setup: all ${#PACKAGES[@]} packages installed"
