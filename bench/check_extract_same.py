#!/usr/bin/env python
"""Behaviour check for extraction refactors: the previous and the current extractor must agree.

    python bench/check_extract_same.py PATH_TO_SHARED_DATA [--rev main] [--limit N]
    python bench/check_extract_same.py PATH_TO_SHARED_DATA --hash-seeds 1 2   # determinism
    ... [--texts DIR]   # also a folder of English *.txt articles (e.g. PolNeAR train texts)

``--rev`` (a git revision, default ``main``) is exported with ``git archive`` into a temporary
directory; each extractor runs in its own subprocess (same Python) over the Wikinews train and
dev splits (with the dataset's conventions, as bench/eval_extract.py scores them) and the gold
set (default conventions). Every article whose output differs is listed with the first
differing quote; the exit status is 1 when anything differs.

``--hash-seeds A B`` instead runs the current extractor twice, with ``PYTHONHASHSEED=A`` and
``PYTHONHASHSEED=B``: the output must not depend on the iteration order of sets and dicts of
strings (which the hash seed changes between processes), or the rev comparison means nothing.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import gzip
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _texts(folder: Path, limit: int | None) -> list[dict]:
    """Plain-text English articles (``*.txt``; the date is the first YYYY-MM-DD in the name)."""
    arts = []
    for path in sorted(folder.glob("*.txt"))[:limit]:
        m = re.search(r"\d{4}-\d{2}-\d{2}", path.name)
        arts.append({"id": path.stem, "text": path.read_text(encoding="utf-8"),
                     "date": m.group(0) if m else "2020-01-01", "language": "en"})
    return arts


def _corpora(data: Path, limit: int | None, texts: Path | None = None):
    """(name, conventions, articles as dicts) for each corpus checked."""
    for split in ("train", "dev"):
        path = data / "wikinews-de-quotes" / f"{split}.jsonl.gz"
        arts = [json.loads(line) for line in gzip.open(path, "rt", encoding="utf-8")]
        yield f"wikinews-{split}", "wikinews", arts[:limit]
    gold = data / "gold" / "articles.jsonl"
    arts = [json.loads(line) for line in gold.open(encoding="utf-8") if line.strip()]
    yield "gold", "default", arts[:limit]
    if texts is not None:
        yield "texts-en", "default", _texts(texts, limit)


def _dump(data: Path, limit: int | None, texts: Path | None = None) -> None:
    """Child mode: print one JSON line per article (corpus, id, quotes) from the kb on sys.path."""
    from kb.extract import Extractor
    from kb.model import Article

    import kb.extract

    print(f"extractor from {kb.extract.__file__}", file=sys.stderr)
    overlay = Path(sys.path[0]) / "bench" / "wikinews_conventions.py"
    if overlay.exists():  # the dataset's conventions live in bench/ (earlier revisions: a string)
        sys.path.insert(0, str(overlay.parent))
        from wikinews_conventions import conventions
    else:
        def conventions(name):
            return name
    exs: dict[str, Extractor] = {}
    for name, conv, arts in _corpora(data, limit, texts):
        ex = exs.setdefault(conv, Extractor(conventions=conventions(conv)))
        for a in arts:
            art = Article(id=str(a["id"]), text=a["text"], date=dt.date.fromisoformat(a["date"]),
                          language=a.get("language") or "de")
            quotes = [dataclasses.asdict(q) for q in ex.extract(art)]
            print(json.dumps({"corpus": name, "id": art.id, "quotes": quotes}, default=str, ensure_ascii=False))


def _run(src: Path, data: Path, limit: int | None, hash_seed: str | None = None,
         texts: Path | None = None) -> dict[tuple[str, str], list]:
    cmd = [sys.executable, str(Path(__file__).resolve()), str(data), "--dump", "--src", str(src)]
    if limit:
        cmd += ["--limit", str(limit)]
    if texts is not None:
        cmd += ["--texts", str(texts)]
    env = dict(os.environ)
    if hash_seed is not None:
        env["PYTHONHASHSEED"] = hash_seed
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True, env=env).stdout
    rows = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    return {(r["corpus"], r["id"]): r["quotes"] for r in rows}


def _export(rev: str, into: Path) -> None:
    tar = subprocess.run(["git", "-C", str(ROOT), "archive", rev], check=True, capture_output=True).stdout
    tmp = into / "rev.tar"
    tmp.write_bytes(tar)
    with tarfile.open(tmp) as tf:
        tf.extractall(into, filter="data")


def _first_diff(old: list, new: list) -> str:
    for i in range(max(len(old), len(new))):
        a = old[i] if i < len(old) else None
        b = new[i] if i < len(new) else None
        if a != b:
            return f"quote {i}:\n      old {json.dumps(a, ensure_ascii=False)[:400]}\n      new {json.dumps(b, ensure_ascii=False)[:400]}"
    return "same"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data", type=Path)
    ap.add_argument("--rev", default="main")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--texts", type=Path,
                    help="also a folder of plain-text English articles (*.txt), default conventions")
    ap.add_argument("--hash-seeds", nargs=2, metavar=("A", "B"),
                    help="compare the current extractor with itself under two PYTHONHASHSEED values")
    ap.add_argument("--dump", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--src", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.dump:
        sys.path.insert(0, str(args.src))
        _dump(args.data, args.limit, args.texts)
        return 0
    if args.hash_seeds:
        label = f"PYTHONHASHSEED={args.hash_seeds[0]}"
        old = _run(ROOT, args.data, args.limit, args.hash_seeds[0], args.texts)
        new = _run(ROOT, args.data, args.limit, args.hash_seeds[1], args.texts)
    else:
        label = args.rev
        with tempfile.TemporaryDirectory() as td:
            _export(args.rev, Path(td))
            old = _run(Path(td), args.data, args.limit, texts=args.texts)
        new = _run(ROOT, args.data, args.limit, texts=args.texts)
    diffs = [k for k in sorted(set(old) | set(new)) if old.get(k) != new.get(k)]
    per: dict[str, list[int]] = {}
    for (corpus, _), quotes in new.items():
        per.setdefault(corpus, [0, 0])
        per[corpus][0] += 1
        per[corpus][1] += len(quotes)
    for corpus, (n_art, n_q) in per.items():
        n_diff = sum(1 for k in diffs if k[0] == corpus)
        print(f"{corpus:16s} {n_art:4d} articles  {n_q:5d} quotes (new)  {n_diff} articles differ")
    for k in diffs:
        print(f"  {k[0]} {k[1]}: {_first_diff(old.get(k, []), new.get(k, []))}")
    print("no difference" if not diffs else f"{len(diffs)} articles differ from {label}")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
