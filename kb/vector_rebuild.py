"""``quoth reindex`` for the claim embeddings: every claim of the store embedded again, with
progress, in parts saved as they are done, so that an interrupted run resumes where it stopped.

The rows to embed are the store's claims as :func:`kb.vectors.iter_claims` gives them (a claim's
text, and its context when it has one). Encoding dominates (the multilingual encoder runs at a few
hundred texts per second on two cores), so:

* rows go to the encoder in parts of :data:`PART_ROWS`; each part is saved under
  ``vectors/rebuilding/`` (float16, with each row's key and a digest of its text) before the next
  one starts, while the encoder already works on the next part (a second thread);
* a run that finds parts of an earlier run (same model, same context version) keeps every row
  whose key and text are unchanged and encodes only the rest;
* the finished index replaces the old files atomically (:meth:`VectorIndex.save`) and the parts
  are removed; an interrupted run leaves the old index as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from . import vectors
from .vectors import CONTEXT_VERSION, CTX, DIM, MODEL_NAME

PARTS_DIR = "rebuilding"
#: rows per saved part (about 16 MB of float16 vectors)
PART_ROWS = 16_384

Row = tuple[str, str, str]  # (key: claim IRI or IRI + CTX, text to embed, speaker IRI)


def rows_of(items: list[tuple[str, str, str | None, str]]) -> list[Row]:
    """The index rows of ``iter_claims`` items: the claim's text, and its context when it has one
    (the same expansion as :meth:`VectorIndex.add_texts`)."""
    out: list[Row] = []
    for claim, text, ctx, speaker in items:
        out.append((claim, text, speaker or ""))
        if ctx:
            out.append((claim + CTX, ctx if text in ctx else f"{ctx} {text}", speaker or ""))
    return out


def _digest(key: str, text: str) -> str:
    return hashlib.sha1(f"{key}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()[:20]


class _Parts:
    """The saved parts of a rebuild in progress (``vectors/rebuilding/part-NNNNN.npz``)."""

    def __init__(self, directory: Path | None):
        self.dir = directory
        self.vecs: list[np.ndarray] = []
        self.digests: list[list[str]] = []

    def _meta_ok(self) -> bool:
        meta = self.dir / "meta.json"
        try:
            info = json.loads(meta.read_text())
        except (OSError, ValueError):
            return False
        return info == {"model": MODEL_NAME, "dim": DIM, "context": CONTEXT_VERSION}

    def load(self) -> int:
        """Read the parts an interrupted run left (none if they belong to another model or
        context version); returns the rows read."""
        if self.dir is None or not self.dir.exists():
            return 0
        if not self._meta_ok():
            shutil.rmtree(self.dir, ignore_errors=True)
            return 0
        for f in sorted(self.dir.glob("part-*.npz")):
            try:
                with np.load(f) as z:
                    vecs, digests = z["vecs"], [str(d) for d in z["digests"]]
            except (OSError, ValueError, KeyError):
                continue  # a part cut short by the interruption: encoded again
            if vecs.shape == (len(digests), DIM):
                self.vecs.append(vecs)
                self.digests.append(digests)
        return sum(len(d) for d in self.digests)

    def start(self) -> None:
        if self.dir is None:
            return
        self.dir.mkdir(parents=True, exist_ok=True)
        (self.dir / "meta.json").write_text(json.dumps({"model": MODEL_NAME, "dim": DIM,
                                                        "context": CONTEXT_VERSION}))

    def add(self, vecs: np.ndarray, digests: list[str]) -> None:
        """Keep a part and save it (atomically: a temporary file, then rename)."""
        half = vecs.astype(np.float16)
        self.vecs.append(half)
        self.digests.append(digests)
        if self.dir is None:
            return
        f = self.dir / f"part-{len(self.vecs):05d}.npz"
        tmp = f.with_suffix(".tmp.npz")
        np.savez(tmp, vecs=half, digests=np.asarray(digests))
        os.replace(tmp, f)

    def lookup(self) -> dict[str, tuple[int, int]]:
        return {d: (p, i) for p, ds in enumerate(self.digests) for i, d in enumerate(ds)}

    def remove(self) -> None:
        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)


def rebuild(index: Any, store: Any, progress: Callable[[int, int], None] | None = None,
            part_rows: int = PART_ROWS) -> tuple[int, int]:
    """Embed every claim of ``store`` into ``index`` (a :class:`kb.vectors.VectorIndex`) and save
    it. ``progress(done, total)`` is called after each part. Returns ``(claims, rows reused from
    an interrupted run)``."""
    items = vectors.iter_claims(store)
    rows = rows_of(items)
    digests = [_digest(k, t) for k, t, _ in rows]
    parts = _Parts(index.directory / PARTS_DIR if index.directory is not None else None)
    parts.load()
    have = parts.lookup()
    todo = [i for i, d in enumerate(digests) if d not in have]
    reused = len(rows) - len(todo)
    parts.start()
    if progress:
        progress(reused, len(rows))
    chunks = [todo[i:i + part_rows] for i in range(0, len(todo), part_rows)]
    done = reused
    with ThreadPoolExecutor(max_workers=1) as pool:  # the next part encodes while this one is saved
        pending = pool.submit(vectors.encode, [rows[i][1] for i in chunks[0]]) if chunks else None
        for n, chunk in enumerate(chunks):
            vecs = pending.result()
            if n + 1 < len(chunks):
                pending = pool.submit(vectors.encode, [rows[i][1] for i in chunks[n + 1]])
            parts.add(vecs, [digests[i] for i in chunk])
            done += len(chunk)
            if progress:
                progress(done, len(rows))
    where = parts.lookup()
    mat = np.zeros((len(rows), DIM), dtype=np.float32)
    for j, d in enumerate(digests):
        p, i = where[d]
        mat[j] = parts.vecs[p][i]
    index.replace_all([k for k, _, _ in rows], mat, [s for _, _, s in rows])
    index.save()
    parts.remove()
    return len(items), reused
