#!/usr/bin/env bash
# The "held-out proxy" figures of the README: `unspin eval` on the dev corpus with every lexicon
# row whose only evidence is a dev page (evidence `dev=N pages=0`, N > 0) removed, an estimate of
# what pages the lexicons never saw get. Extra arguments go to `unspin eval` (e.g. -v, -f json).
# Usage: scripts/eval_heldout_proxy.sh [eval options]
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
lexdir="$(mktemp -d)"
trap 'rm -rf "$lexdir"' EXIT
for f in "$repo"/lexicons/*.tsv; do
  awk -F'\t' '!($6 ~ /(^| )dev=[1-9][0-9]* pages=0( |$)/)' "$f" > "$lexdir/$(basename "$f")"
done
"$repo/build/unspin" eval --lexicons "$lexdir" "$@" "$repo/../shared/corpora/dev/manifest.tsv"
