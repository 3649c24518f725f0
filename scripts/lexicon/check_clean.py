#!/usr/bin/env python3
"""Validate lexicons/*.tsv and show which entries fire on clean and spun pages (stdlib only).

1. Strict format check (docs/lexicon-format.md): header, 6 columns, non-empty spun and family,
   prior a number in (0,1], context syntax (+p, -p, +p@N, -p@N, ~N; ';'-separated), no empty
   '|' alternatives. Errors are printed as file:line: reason; exit status 1 if any.
2. Crude matching (lowercase word tokens, curly apostrophes straightened, the last and first
   word may take a regular inflection -s/-es/-ed/-d/-ing/-ies) honouring context conditions.
3. Reports entries firing on CLEAN texts (dev clean_*, orig_*, topicpair_*, seeds 001-004).
   Project rule: an entry with prior >= 0.5 that fires on a clean page needs a context condition,
   a prior below 0.5, or removal. With --strict the exit status is 2 if any such hit remains.
4. Coverage: distinct entries firing on each spun dev page, by family.

Usage: python3 scripts/lexicon/check_clean.py [--strict] [--verbose] [--lexdir DIR]
"""
import argparse
import collections
import glob
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, '..', '..'))
SHARED = os.path.abspath(os.path.join(REPO, '..', 'shared'))
HEADER = ['spun', 'canonical', 'family', 'prior', 'context', 'evidence']
CTX_RE = re.compile(r'^(?:[+-][^;@~]*[^;@~\s][^;@~]*(?:@\d+)?|~\d+)$')
TOK_RE = re.compile(r"[a-z0-9\u00c0-\u024f]+(?:[-'.][a-z0-9\u00c0-\u024f]+)*")


def tokenize(text):
    text = text.lower().replace('\u2019', "'").replace('\u2018', "'").replace('\u2013', '-')
    return TOK_RE.findall(text)


def forms(w):
    f = {w, w + 's', w + 'es', w + 'ed', w + 'd', w + 'ing'}
    if w.endswith('e'):
        f.add(w[:-1] + 'ing')
    if w.endswith('y') and len(w) > 2:
        f.add(w[:-1] + 'ies')
        f.add(w[:-1] + 'ied')
    return f


class Entry:
    __slots__ = ('file', 'line', 'spun', 'toks', 'canon', 'family', 'prior', 'ctx', 'gap', 'evidence')


def load(lexdir):
    entries, errors = [], []
    for path in sorted(glob.glob(os.path.join(lexdir, '*.tsv'))):
        name = os.path.basename(path)
        if name.startswith('boilerplate'):
            continue  # another format (scope/reason/pattern/note) owned by `unspin clean`
        header_seen = False
        with open(path, encoding='utf-8') as f:
            for ln, raw in enumerate(f, 1):
                line = raw.rstrip('\n').rstrip('\r')
                if not line.strip() or line.startswith('#'):
                    continue
                cols = line.split('\t')
                if not header_seen:
                    if cols != HEADER:
                        errors.append('%s:%d: header must be exactly %s' % (name, ln, '<TAB>'.join(HEADER)))
                    header_seen = True
                    continue
                if len(cols) != 6:
                    errors.append('%s:%d: expected 6 columns, got %d' % (name, ln, len(cols)))
                    continue
                spun, canon, fam, prior, ctx, ev = cols
                if not spun.strip():
                    errors.append('%s:%d: empty spun' % (name, ln))
                    continue
                if not fam.strip():
                    errors.append('%s:%d: empty family' % (name, ln))
                    continue
                try:
                    p = float(prior)
                    if not (0.0 < p <= 1.0):
                        raise ValueError
                except ValueError:
                    errors.append('%s:%d: prior %r is not a number in (0,1]' % (name, ln, prior))
                    continue
                if canon and any(not a.strip() for a in canon.split('|')):
                    errors.append('%s:%d: empty alternative in canonical %r' % (name, ln, canon))
                    continue
                bad = False
                conds, gap = [], 0
                if ctx.strip():
                    for part in ctx.split(';'):
                        part = part.strip()
                        if not CTX_RE.match(part):
                            errors.append('%s:%d: bad context condition %r' % (name, ln, part))
                            bad = True
                            break
                        if part.startswith('~'):
                            gap = int(part[1:])
                            continue
                        m = re.match(r'^([+-])(.*?)(?:@(\d+))?$', part)
                        conds.append((m.group(1), tokenize(m.group(2)), int(m.group(3)) if m.group(3) else None))
                        if not conds[-1][1]:
                            errors.append('%s:%d: context phrase has no words %r' % (name, ln, part))
                            bad = True
                            break
                if bad:
                    continue
                toks = tokenize(spun)
                if not toks:
                    errors.append('%s:%d: spun has no word tokens' % (name, ln))
                    continue
                e = Entry()
                e.file, e.line, e.spun, e.toks, e.canon = name, ln, spun, toks, canon
                e.family, e.prior, e.ctx, e.gap, e.evidence = fam, p, conds, gap, ev
                entries.append(e)
        if not header_seen:
            errors.append('%s:0: no header line' % name)
    return entries, errors


def find_phrase(doc, phrase, inflect=False):
    """positions (start, end) where token list `phrase` occurs in doc tokens"""
    n = len(phrase)
    out = []
    if n == 0:
        return out
    first = forms(phrase[0]) if inflect else {phrase[0]}
    for i in range(len(doc) - n + 1):
        if doc[i] not in first:
            continue
        ok = True
        for k in range(1, n):
            t = doc[i + k]
            if t == phrase[k] or (inflect and k == n - 1 and t in forms(phrase[k])):
                continue
            ok = False
            break
        if ok:
            out.append((i, i + n))
    return out


def find_gapped(doc, phrase, gap):
    out = []
    for i, t in enumerate(doc):
        if t != phrase[0]:
            continue
        j, ok = i, True
        for w in phrase[1:]:
            for k in range(j + 1, min(len(doc), j + 2 + gap)):
                if doc[k] == w:
                    j = k
                    break
            else:
                ok = False
                break
        if ok:
            out.append((i, j + 1))
    return out


def fires(e, doc, docset_cache):
    spans = find_gapped(doc, e.toks, e.gap) if e.gap else find_phrase(doc, e.toks, inflect=True)
    hits = []
    for s, t in spans:
        ok = True
        for sign, ph, win in e.ctx:
            if win is None:
                key = ' '.join(ph)
                if key not in docset_cache:
                    docset_cache[key] = bool(find_phrase(doc, ph))
                present = docset_cache[key]
            else:
                lo, hi = max(0, s - win), min(len(doc), t + win)
                present = bool(find_phrase(doc[lo:hi], ph))
            if (sign == '+') != present:
                ok = False
                break
        if ok:
            hits.append((s, t))
    return hits


def clean_files():
    d = os.path.join(SHARED, 'corpora', 'dev')
    files = []
    for pat in ('clean_*.txt', 'orig_*.txt', 'topicpair_*.txt'):
        files += sorted(glob.glob(os.path.join(d, pat)))
    files += sorted(glob.glob(os.path.join(SHARED, 'seeds', '00[1-4]*.txt')))
    return files


def spun_families():
    fams = {}
    with open(os.path.join(SHARED, 'corpora', 'dev', 'manifest.tsv'), encoding='utf-8') as f:
        for line in f:
            c = line.rstrip('\n').split('\t')
            if len(c) >= 5 and c[1] == 'spun':
                m = re.match(r'family=([\w-]+)', c[4])
                fams[c[0]] = m.group(1) if m else '?'
    return fams


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--strict', action='store_true')
    ap.add_argument('--verbose', action='store_true')
    ap.add_argument('--lexdir', default=os.path.join(REPO, 'lexicons'))
    a = ap.parse_args()
    entries, errors = load(a.lexdir)
    for err in errors:
        print(err)
    counts = collections.Counter(e.file for e in entries)
    print('== loaded %d entries from %d files, %d malformed lines' % (len(entries), len(counts), len(errors)))
    for fn, n in sorted(counts.items()):
        print('   %-26s %6d' % (fn, n))
    # index entries by first token (with inflected forms) for speed
    index = collections.defaultdict(list)
    for e in entries:
        for f in forms(e.toks[0]):
            index[f].append(e)

    def run(path):
        doc = tokenize(open(path, encoding='utf-8', errors='replace').read())
        cache, fired = {}, {}
        cand = set()
        for t in set(doc):
            for e in index.get(t, ()):
                cand.add(id(e))
        prot = []
        for e in entries:
            if e.family == 'protect' and id(e) in cand:
                prot += fires(e, doc, cache)
        for e in entries:
            if id(e) not in cand or e.family == 'protect':
                continue
            h = fires(e, doc, cache)
            if prot:  # a hit inside a protected phrase does not count
                h = [(s, t) for s, t in h if not any(s < pt and ps < t for ps, pt in prot)]
            if h:
                fired[id(e)] = (e, len(h), ' '.join(doc[h[0][0]:h[0][1]]))
        return fired

    if not os.path.isfile(os.path.join(SHARED, 'corpora', 'dev', 'manifest.tsv')):
        print('== %s/corpora/dev not found: only the lines were checked' % SHARED)
        sys.exit(1 if errors else 77)  # 77: ctest's SKIP_RETURN_CODE
    print('\n== hits on CLEAN pages (%d files)' % len(clean_files()))
    high = collections.defaultdict(list)
    low = collections.Counter()
    for path in clean_files():
        for e, n, txt in run(path).values():
            if e.family == 'protect':
                continue
            if e.prior >= 0.5:
                high[id(e)].append((os.path.basename(path), n, txt, e))
            else:
                low[e.file] += n
    print('low-prior (<0.5) hits on clean pages, by file (the language model must confirm these):')
    for fn, n in sorted(low.items()):
        print('   %-26s %6d' % (fn, n))
    print('HIGH-prior (>=0.5) entries firing on clean pages: %d' % len(high))
    for k, lst in sorted(high.items(), key=lambda kv: (kv[1][0][3].file, kv[1][0][3].line)):
        e = lst[0][3]
        where = ', '.join('%s x%d' % (f, n) for f, n, _, _ in lst)
        print('   %s:%d: %r -> %r prior=%.2f ctx=%s :: %s [%s]'
              % (e.file, e.line, e.spun, e.canon, e.prior,
                 ';'.join('%s%s%s' % (s, ' '.join(p), '@%d' % w if w else '') for s, p, w in e.ctx) or '-',
                 where, lst[0][2]))

    print('\n== coverage on SPUN dev pages (distinct entries firing; by lexicon family)')
    fams = spun_families()
    d = os.path.join(SHARED, 'corpora', 'dev')
    fams['seed 000'] = 'usedtobe'
    spun_paths = sorted(glob.glob(os.path.join(d, 'spun_*.txt'))) + \
        sorted(glob.glob(os.path.join(SHARED, 'seeds', '000_*.txt')))
    for path in spun_paths:
        name = os.path.basename(path)
        if name.startswith('000_'):
            name = 'seed 000'
        fired = run(path)
        byfam = collections.Counter(e.family for e, _, _ in fired.values() if e.family != 'protect')
        hi = sum(1 for e, _, _ in fired.values() if e.prior >= 0.5 and e.family != 'protect')
        own = byfam.get(fams.get(name, '?'), 0)
        print('   %-14s %-17s total=%3d high=%3d own-family=%3d  %s'
              % (name, fams.get(name, '?'), sum(byfam.values()), hi, own,
                 ' '.join('%s:%d' % kv for kv in sorted(byfam.items()))))
        if a.verbose:
            for e, n, txt in sorted(fired.values(), key=lambda x: -x[0].prior)[:15]:
                print('        %.2f %s %r -> %r' % (e.prior, e.family, txt, e.canon))
    rc = 1 if errors else 0
    if a.strict and high and not rc:
        rc = 2
    sys.exit(rc)


if __name__ == '__main__':
    main()
