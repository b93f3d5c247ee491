"""The claim-text table of the side index (kb/index.py): FTS5 trigram rows keyed by date said.

A text search answers newest first (``ORDER BY date DESC, iri``). Ranking every match of a common
word by the ``claim`` table's date cost 200 ms for 14k matches and 1.9 s for 268k at 1M claims:
each match was joined to its claim row and the whole set sorted. Here a text row's rowid is

    day said (proleptic ordinal) << DAY_BITS | a sequence number within that day

so FTS5 itself walks the matches newest day first (``ORDER BY rowid DESC``, which it reads
backwards from its doclists and stops at the LIMIT: ≈ 1–7 ms for the same words). A page takes
the newest matching rows and then *all* matches of the oldest day among them; only those are
joined to ``claim``, filtered exactly by its date and sorted — the day in the rowid is an access
path, the ``claim`` row stays the truth. When a claim's date changes, its text row moves
(:func:`move_texts`).

Schema (created by kb/index.py)::

    claim_text_id(id INTEGER PRIMARY KEY, iri TEXT UNIQUE)        -- id = the text row's rowid
    claim_text USING fts5(text, tokenize = 'trigram')
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable

#: bits of a text rowid below the day: 16.7M claims said on one day
DAY_BITS = 24
_PER_DAY = 1 << DAY_BITS
#: the first day after every date a claim can have
_END_DAY = dt.date.max.toordinal() + 1


def day_of(date: str | dt.date | None) -> int:
    """The proleptic ordinal of an ISO date (``'2025-08-15'``); 0 for none or an unreadable one."""
    if isinstance(date, dt.date):
        return date.toordinal()
    try:
        return dt.date.fromisoformat(str(date)[:10]).toordinal()
    except (TypeError, ValueError):
        return 0


def fts_phrase(text: str) -> str:
    """A text filter as one FTS5 phrase: with the trigram tokenizer, a case-insensitive substring."""
    return '"' + text.replace('"', '""') + '"'


def _insert(db: sqlite3.Connection, rows: Iterable[tuple[str, str, str]]) -> None:
    """Insert ``(claim, date, text)`` rows whose claims have no text row."""
    by_day: dict[int, list[tuple[str, str]]] = {}
    for c, d, t in rows:
        by_day.setdefault(day_of(d), []).append((c, t))
    for day, items in by_day.items():
        lo = day << DAY_BITS
        top = db.execute("SELECT max(id) FROM claim_text_id WHERE id >= ? AND id < ?",
                         (lo, lo + _PER_DAY)).fetchone()[0]
        start = lo if top is None else top + 1
        if start + len(items) > lo + _PER_DAY:
            raise OverflowError(f"more than {_PER_DAY} claim texts said on day {dt.date.fromordinal(max(day, 1))}")
        db.executemany("INSERT INTO claim_text_id(id, iri) VALUES (?, ?)",
                       [(start + i, c) for i, (c, _) in enumerate(items)])
        db.executemany("INSERT INTO claim_text(rowid, text) VALUES (?, ?)",
                       [(start + i, t) for i, (_, t) in enumerate(items)])


def put_texts(db: sqlite3.Connection, rows: list[tuple[str, str, str]], replace: bool = True) -> None:
    """Insert (or with ``replace``, replace) ``(claim, date said, text)`` rows."""
    if not rows:
        return
    rows = list({c: (c, d, t) for c, d, t in rows}.values())  # a claim given twice: once, the last
    if replace:
        drop_texts(db, [c for c, _, _ in rows])
    _insert(db, rows)


def drop_texts(db: sqlite3.Connection, claims: list[str]) -> None:
    """Delete the text rows of ``claims`` (those without one are skipped)."""
    for c in claims:
        row = db.execute("SELECT id FROM claim_text_id WHERE iri = ?", (c,)).fetchone()
        if row is not None:
            db.execute("DELETE FROM claim_text WHERE rowid = ?", (row[0],))
            db.execute("DELETE FROM claim_text_id WHERE id = ?", (row[0],))


def move_texts(db: sqlite3.Connection, dates: Iterable[tuple[str, str]]) -> None:
    """Re-key the text rows of re-dated claims: ``(claim, new date said)`` pairs."""
    moved: list[tuple[str, str, str]] = []
    for c, d in dates:
        row = db.execute("SELECT x.id, t.text FROM claim_text_id x JOIN claim_text t ON t.rowid = x.id "
                         "WHERE x.iri = ?", (c,)).fetchone()
        if row is not None and row[0] >> DAY_BITS != day_of(d):
            moved.append((c, d, row[1]))
    put_texts(db, moved)


def _newest_matches(db: sqlite3.Connection, needle: str, lo: int, hi: int, limit: int) -> tuple[list[int], bool]:
    """Rowids of matches in ``[lo, hi)``, newest day first: at least the ``limit`` newest, plus
    every match of the oldest day among them. The flag says whether older matches may remain."""
    ids = [r[0] for r in db.execute(
        "SELECT rowid FROM claim_text WHERE claim_text MATCH ? AND rowid >= ? AND rowid < ? "
        "ORDER BY rowid DESC LIMIT ?", (needle, lo, hi, limit))]
    if len(ids) < limit:
        return ids, False
    oldest = ids[-1] >> DAY_BITS
    day_lo = max(lo, oldest << DAY_BITS)
    day_hi = min(hi, (oldest + 1) << DAY_BITS)
    # newest first here too: FTS5 seeks to a rowid bound when it reads a doclist backwards; read
    # forwards from a lower bound it walked the whole doclist (150 ms for a common word at 1M)
    rest = [r[0] for r in db.execute(
        "SELECT rowid FROM claim_text WHERE claim_text MATCH ? AND rowid >= ? AND rowid < ? ORDER BY rowid DESC",
        (needle, day_lo, day_hi))]
    return [i for i in ids if i >> DAY_BITS > oldest] + rest, day_lo > lo


def text_page(db: sqlite3.Connection, text: str, speaker_id: int | None, since: str, until: str,
              limit: int, after: tuple[str, str] | None = None) -> list[tuple[str, str, str]]:
    """``(claim IRI, date, speaker IRI)`` of claims whose text contains ``text``, optionally of one
    speaker, dated in ``[since, until]`` (ISO), after the cursor ``(date, claim)``; newest first,
    ties by IRI. Reads whole days of matches, newest first, in growing chunks, until the page is full."""
    needle = fts_phrase(text)
    top = until if after is None else min(until, after[0])
    lo = day_of(since) << DAY_BITS
    hi = (min(day_of(top), _END_DAY - 1) + 1) << DAY_BITS
    out: list[tuple[str, str, str]] = []
    chunk = limit
    while hi > lo:
        ids, more = _newest_matches(db, needle, lo, hi, chunk)
        if not ids:
            break
        for c, d, s, sid in db.execute(
                "SELECT c.iri, c.date, s.iri, c.speaker FROM claim_text_id x JOIN claim c ON c.iri = x.iri "
                "JOIN speaker s ON s.id = c.speaker WHERE x.id IN (SELECT value FROM json_each(?))",
                (json.dumps(ids),)):
            if speaker_id is not None and sid != speaker_id or not since <= d <= until:
                continue
            if after is not None and not (d < after[0] or (d == after[0] and c > after[1])):
                continue
            out.append((c, d, s))
        if len(out) >= limit or not more:
            break
        hi = (min(ids) >> DAY_BITS) << DAY_BITS
        chunk *= 4  # a rare speaker among a common word's matches: few rounds, not one per page
    out.sort(key=lambda r: r[0])
    out.sort(key=lambda r: r[1], reverse=True)
    return out[:limit]
