"""Crash-resume check (issue 18 items 2 and 3): kill -9 an import, re-run it, compare with a clean one.

    python bench/bench_crash_resume.py [--statements 20000] [--articles FILE.jsonl[.gz] --n-articles 300]
                                       [--trials 3] [--seed 0]

For each path (structured statements from bench/synth.py; articles from a JSON Lines file, e.g.
the Wikinews dev split, through the extractor):

1. a clean ``quoth ingest`` into a fresh store: its duration, ``quoth validate``, and the digest
   of its sorted N-Quads (``kb.digest.store_digest``: every quad but the write counter);
2. ``--trials`` times: the same import into a fresh store, ``kill -9`` after a random share
   (20-80 %) of the clean duration; then whether every process it started is gone within 20 s
   (validation workers, resource tracker), the re-run, ``quoth validate``, and whether the
   digest equals the clean one.

Prints one line per trial and a verdict.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from proctree import alive, children, wait_for  # noqa: E402

QUOTH = [sys.executable, "-m", "kb.cli"]


def ingest_args(store: Path, kind: str, src: Path) -> list[str]:
    what = ["--statements", str(src)] if kind == "statements" else [str(src)]
    return [*QUOTH, "--store", str(store), "ingest", "-q", "--no-vectors", *what]


def digest(store: Path) -> str:
    from kb.digest import store_digest
    from kb.store.oxigraph import OxigraphStore

    s = OxigraphStore(store, read_only=True)
    try:
        return store_digest(s)
    finally:
        s.close()


def validate(store: Path) -> bool:
    return subprocess.run([*QUOTH, "--store", str(store), "validate"], capture_output=True).returncode == 0


def articles_file(src: str, n: int, out: Path) -> Path:
    """The first ``n`` articles of ``src`` (id, date, title, text only) as JSON Lines."""
    opener = gzip.open if src.endswith(".gz") else open
    with opener(src, "rt", encoding="utf-8") as fh, out.open("w", encoding="utf-8") as w:
        for i, line in enumerate(fh):
            if i >= n:
                break
            a = json.loads(line)
            w.write(json.dumps({k: a[k] for k in ("id", "date", "title", "text", "language") if k in a}) + "\n")
    return out


def run_path(kind: str, src: Path, root: Path, trials: int, rng: random.Random) -> bool:
    clean = root / f"{kind}-clean"
    t0 = time.perf_counter()
    r = subprocess.run(ingest_args(clean, kind, src), capture_output=True, text=True)
    took = time.perf_counter() - t0
    want = digest(clean)
    print(f"{kind}: clean import {took:.1f} s (exit {r.returncode}), quoth validate "
          f"{'passes' if validate(clean) else 'FAILS'}, digest {want[:16]}")
    all_ok = True
    for t in range(trials):
        store = root / f"{kind}-trial{t}"
        after = took * rng.uniform(0.2, 0.8)
        proc = subprocess.Popen(ingest_args(store, kind, src), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(after)
        kids = children(proc.pid)
        finished = proc.poll() is not None
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        gone = wait_for(lambda: not any(alive(k) for k in kids), 20)
        left = [k for k in kids if alive(k)]
        for k in left:  # do not leave them behind for the next trial
            os.kill(k, signal.SIGKILL)
        r2 = subprocess.run(ingest_args(store, kind, src), capture_output=True, text=True)
        same = digest(store) == want
        valid = validate(store)
        ok = gone and same and valid and r2.returncode == r.returncode
        all_ok &= ok
        print(f"  trial {t + 1}: kill -9 after {after:.1f} s{' (had finished)' if finished else ''}, "
              f"{len(kids)} child process(es), {'all gone' if gone else f'ORPHANS {left}'} within 20 s; "
              f"re-run exit {r2.returncode}; digest {'equal' if same else 'DIFFERENT'}; "
              f"validate {'passes' if valid else 'FAILS'}")
        shutil.rmtree(store, ignore_errors=True)
    return all_ok


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--statements", type=int, default=20_000, help="synthetic statements (0: skip)")
    ap.add_argument("--articles", help="articles JSON Lines (.gz) for the article path")
    ap.add_argument("--n-articles", type=int, default=300)
    ap.add_argument("--trials", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)
    root = Path(tempfile.mkdtemp(prefix="quoth-crash-"))
    ok = True
    try:
        if args.statements:
            from synth import write_jsonl

            src = root / "statements.jsonl"
            write_jsonl(src, args.statements, seed=args.seed)
            ok &= run_path("statements", src, root, args.trials, rng)
        if args.articles:
            src = articles_file(args.articles, args.n_articles, root / "articles.jsonl")
            ok &= run_path("articles", src, root, args.trials, rng)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print("verdict:", "every trial ended equal to the clean import, valid, without orphans" if ok
          else "SOME TRIALS FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
