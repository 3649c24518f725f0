#!/usr/bin/env python3
"""Checks an `unspin dedup --format json` clustering of the dev corpus against its manifest.

usage: unspin dedup --format json DIR | scripts/check_dedup.py DIR/manifest.tsv
       scripts/check_dedup.py MANIFEST DEDUP.jsonl

Requirements (issue 4): every spun page with its original (pair_of) and every pair of spins of
one source in the same cluster; no topic pair and no two clean pages in one cluster. Prints one
PASS/FAIL line per requirement and exits 1 if any fails.
"""
import collections
import itertools
import json
import os
import sys


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    manifest = sys.argv[1]
    stream = open(sys.argv[2]) if len(sys.argv) > 2 else sys.stdin
    rows = {}
    with open(manifest) as f:
        header = f.readline().rstrip('\n').split('\t')
        for line in f:
            cols = dict(zip(header, line.rstrip('\n').split('\t')))
            rows[cols['file']] = cols
    cluster = {}
    params = None
    for line in stream:
        j = json.loads(line)
        if 'unspin' in j:
            params = j
            continue
        name = os.path.basename(j.get('file') or j.get('id'))
        cluster[name] = os.path.basename(j['cluster'])
    missing = [f for f in rows if f not in cluster]
    if missing:
        print('FAIL  documents missing from the output: ' + ', '.join(sorted(missing)))

    def family(f):
        notes = rows[f].get('notes', '')
        return notes.split()[0][len('family='):] if notes.startswith('family=') else ''

    def same(a, b):
        return a in cluster and b in cluster and cluster[a] == cluster[b]

    checks = []  # (requirement, pair, family, ok)
    for f, r in sorted(rows.items()):
        if r['kind'] == 'spun' and r.get('pair_of'):
            checks.append(('spun page with its original', (f, r['pair_of']), family(f), same(f, r['pair_of'])))
    # Spins sharing a source: "same source as spun_NNN" / "second spin of the spun_NNN source" in notes.
    by_source = collections.defaultdict(set)
    for f, r in rows.items():
        notes = r.get('notes', '')
        for other in rows:
            if other != f and other.startswith('spun_') and f.startswith('spun_') and other[:-4] in notes and \
                    ('same source' in notes or 'spin of the' in notes or 'near-duplicate of' in notes):
                by_source[min(f, other)].add(max(f, other))
    for a, bs in sorted(by_source.items()):
        for b in sorted(bs):
            checks.append(('spins of one source together', (a, b), family(a), same(a, b)))
    for f, r in sorted(rows.items()):
        if r['kind'] == 'topicpair' and r.get('pair_of') and f < r['pair_of']:
            checks.append(('topic pair kept apart', (f, r['pair_of']), '', not same(f, r['pair_of'])))
    cleans = sorted(f for f, r in rows.items() if r['kind'] == 'clean')
    merged_clean = [(a, b) for a, b in itertools.combinations(cleans, 2) if same(a, b)]
    for (a, b) in merged_clean:
        checks.append(('clean pages kept apart', (a, b), '', False))

    failed = 0
    for req, (a, b), fam, ok in checks:
        failed += not ok
        print('%s  %-30s %s ~ %s %s' % ('PASS' if ok else 'FAIL', req, a, b, ('[' + fam + ']') if fam else ''))
    if not merged_clean:
        print('PASS  clean pages kept apart       (%d clean pages, none merged)' % len(cleans))
    clusters = collections.defaultdict(list)
    for f, c in cluster.items():
        clusters[c].append(f)
    print('clusters with more than one page:')
    for c, fs in sorted(clusters.items()):
        if len(fs) > 1:
            print('  %s: %s' % (c, ' '.join(sorted(fs))))
    total = len(checks) + (0 if merged_clean else 1)
    print('%d passed, %d failed' % (total - failed, failed))
    sys.exit(1 if failed or missing else 0)


if __name__ == '__main__':
    main()
