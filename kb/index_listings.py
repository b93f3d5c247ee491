"""The browsing listings read from the side index (kb.index) instead of SPARQL scans.

At 1M claims the SPARQL forms of these listings group or sort everything: the article index
sorts every article by date (18 s), the speaker index and a speaker's claim count group every
claim of the speakers involved (150 ms for the busiest). The side index keeps what they need:
``speaker_claims`` (claims per speaker, kept by triggers), ``article`` (IRI, identifier, date,
publisher; written with each article) and ``claim`` (speaker, date) for a speaker's dates.

Each function takes the index only when it is fresh (:func:`fresh`); callers fall back to the
SPARQL form otherwise, and both give the same rows (tests/test_index_listings.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .index import ClaimIndex, store_generation
from .store import Store


def fresh(index: ClaimIndex | None, store: Store) -> ClaimIndex | None:
    """``index`` if it reflects the store's current generation, else None (use SPARQL)."""
    if index is None:
        return None
    try:
        return index if index.generation == store_generation(store) else None
    except Exception:  # noqa: BLE001 - a closed or broken index: plain SPARQL
        return None


def top_speakers(index: ClaimIndex, limit: int) -> list[tuple[str, int]]:
    """``(speaker IRI, claims)`` of the speakers with the most claims, most first."""
    return index.read("SELECT s.iri, c.n FROM speaker_claims c JOIN speaker s ON s.id = c.speaker "
                      "WHERE c.n > 0 ORDER BY c.n DESC, s.iri LIMIT ?", [int(limit)])


def claim_counts(index: ClaimIndex, speakers: list[str]) -> dict[str, int]:
    """Claims per speaker IRI (0 for a speaker with none)."""
    out = {s: 0 for s in speakers}
    for i in range(0, len(speakers), 500):
        part = speakers[i:i + 500]
        marks = ",".join("?" * len(part))
        for s, n in index.read(f"SELECT s.iri, c.n FROM speaker s JOIN speaker_claims c ON c.speaker = s.id "
                               f"WHERE s.iri IN ({marks})", part):
            out[s] = n
    return out


def claim_dates(index: ClaimIndex, speaker: str) -> list[tuple[dt.date, int]]:
    """How many of the speaker's claims were said on each date, oldest first."""
    rows = index.read("SELECT c.date, COUNT(*) FROM claim c JOIN speaker s ON s.id = c.speaker "
                      "WHERE s.iri = ? GROUP BY c.date ORDER BY c.date", [speaker])
    out = []
    for d, n in rows:
        try:
            out.append((dt.date.fromisoformat(d[:10]), n))
        except ValueError:
            continue
    return out


def article_page(index: ClaimIndex, limit: int, offset: int, publisher: str | None = None) -> list[dict[str, Any]]:
    """``{"art", "aid", "date"}`` of articles newest first (ties by identifier), ``limit`` from
    ``offset``; ``publisher``: case-insensitive substring of the publisher."""
    sql = "SELECT iri, aid, date FROM article"
    args: list[Any] = []
    if publisher:
        sql += " WHERE publisher IS NOT NULL AND instr(quoth_lower(publisher), ?) > 0"
        args.append(publisher.lower())
    sql += " ORDER BY date DESC, aid LIMIT ? OFFSET ?"
    args += [int(limit), int(offset)]
    return [{"art": a, "aid": aid, "date": d} for a, aid, d in index.read(sql, args)]
