#!/usr/bin/env bash
# Side-by-side: `unspin dedup` against Debian's `simhash` (bottom-k byte-shingle sketches, all
# pairs matched) and `ssdeep` (context-triggered piecewise hashes, all pairs matched) on the same
# N generated news-sized documents, one file each. Prints seconds and documents per second, and
# the ratio. scripts/setup.sh installs the peers.
#   scripts/bench_peers.sh [N=5000] [BUILD=build] [WORKDIR=/tmp/unspin-peers]
set -euo pipefail
N=${1:-5000}
BUILD=${2:-build}
WORK=${3:-/tmp/unspin-peers}
cd "$(dirname "$0")/.."
command -v simhash >/dev/null && command -v ssdeep >/dev/null || { echo "needs simhash and ssdeep: run scripts/setup.sh"; exit 1; }
rm -rf "$WORK/docs" && mkdir -p "$WORK/docs"
"$BUILD/bench/gen_news_corpus" "$N" 4096 0.02 0.02 7 > "$WORK/corpus.jsonl"
python3 - "$WORK/corpus.jsonl" "$WORK/docs" <<'PY'
import json, sys
for i, line in enumerate(open(sys.argv[1])):
    d = json.loads(line)
    with open("%s/%06d_%s.txt" % (sys.argv[2], i, d["id"]), "w") as f:
        f.write(d["text"])
PY
echo "$N documents, $(du -sb "$WORK/docs" | cut -f1) bytes; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
run() {  # name command...
  local name=$1; shift
  local t0 t1
  t0=$(date +%s.%N)
  "$@" > "$WORK/$name.out" 2> "$WORK/$name.err" || true
  t1=$(date +%s.%N)
  python3 -c "import sys; t=float(sys.argv[2])-float(sys.argv[1]); print('%-28s %8.2f s %10.0f docs/s' % (sys.argv[3], t, int(sys.argv[4])/t))" "$t0" "$t1" "$name" "$N" | tee -a "$WORK/times.txt"
}
: > "$WORK/times.txt"
run "unspin-dedup(canonical)" "$BUILD/unspin" dedup -j2 -f json "$WORK/docs"
run "unspin-dedup(raw)" "$BUILD/unspin" dedup -j2 --channel raw -f json "$WORK/docs"
run "simhash-m" simhash -m "$WORK"/docs/*.txt
run "ssdeep-r-d" ssdeep -s -r -d "$WORK/docs"
python3 - "$WORK/times.txt" <<'PY'
import re, sys
t = {l.split()[0]: float(l.split()[1]) for l in open(sys.argv[1])}
u = t["unspin-dedup(canonical)"]
for k, v in t.items():
    if not k.startswith("unspin"):
        print("ratio: unspin dedup (canonical, verified) is %.1fx the speed of %s" % (v / u, k))
PY
# Accuracy on the planted copies (unspin only; the peers print raw pair lists).
python3 - "$WORK/unspin-dedup(canonical).out" <<'PY'
import json, os, re, sys
tp = fn = fp = 0
for line in open(sys.argv[1]):
    r = json.loads(line)
    if "unspin" in r: continue
    me, rep = os.path.basename(r["file"])[7:-4], os.path.basename(r["cluster"])[7:-4]
    m = re.match(r"(dupof|spunof)-(\d+)-\d+", me)
    if m: tp += rep == "doc-" + m.group(2); fn += rep != "doc-" + m.group(2)
    elif rep != me: fp += 1
print("unspin: planted copies found %d, missed %d, wrong merges %d" % (tp, fn, fp))
PY
