#!/usr/bin/env bash
# Scale run of `unspin dedup` on generated news-sized documents, with wall time, peak RSS and
# the index bytes per document, plus the accuracy on the planted copies.
#   scripts/bench_dedup.sh [N=1000000] [BUILD=build] [WORKDIR=/tmp/unspin-bench] [dedup options...]
set -euo pipefail
N=${1:-1000000}
BUILD=${2:-build}
WORK=${3:-/tmp/unspin-bench}
shift $(( $# < 3 ? $# : 3 ))  # the rest are options for unspin dedup
cd "$(dirname "$0")/.."
mkdir -p "$WORK"
CORPUS="$WORK/news-$N.jsonl"
[ -s "$CORPUS" ] || "$BUILD/bench/gen_news_corpus" "$N" 4096 0.02 0.02 1 > "$CORPUS"
echo "corpus: $CORPUS, $(stat -c %s "$CORPUS") bytes, $N documents; machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -f "wall %e s, user %U s, sys %S s, peak RSS %M KB" \
  "$BUILD/unspin" dedup --stats --jsonl -f json "$@" "$CORPUS" > "$WORK/dedup-$N.jsonl" 2> "$WORK/dedup-$N.err" || true
cat "$WORK/dedup-$N.err"
python3 - "$WORK/dedup-$N.jsonl" <<'PY'
import json, re, sys
found = {'dupof': [0, 0], 'spunof': [0, 0]}  # planted copy in its source's cluster: [yes, no]
wrong = 0
with open(sys.argv[1]) as f:
    header = json.loads(next(f))
    for line in f:
        r = json.loads(line)
        m = re.match(r'(dupof|spunof)-(\d+)-\d+', r['id'])
        if m:
            found[m.group(1)][r['cluster'] != 'doc-' + m.group(2)] += 1
        elif r['cluster'] != r['id']:
            wrong += 1
for kind, name in (('dupof', 're-posts'), ('spunof', 'spun copies')):
    yes, no = found[kind]
    print('planted %s found %d of %d (recall %.4f)' % (name, yes, yes + no, yes / max(1, yes + no)))
print('other documents merged wrongly: %d' % wrong)
print('index bytes per document: %s' % header['stats']['index_bytes_per_doc'])
PY
