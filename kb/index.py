"""A side index beside the embedded store: the access path "claims of one speaker by date".

Oxigraph's generic triple indexes answer "claims of speaker S between two dates, newest
first, 50 per page" by reading *every* claim of S, joining its date and sorting (21 ms at
100k claims on disk, seconds at 1M for prolific speakers; DESIGN.md §4). This module keeps
one SQLite table beside the store::

    speaker(id INTEGER PRIMARY KEY, iri TEXT UNIQUE)
    claim(iri TEXT PRIMARY KEY, speaker INTEGER, date TEXT 'YYYY-MM-DD')  -- WITHOUT ROWID
    INDEX claim_by_speaker_date ON claim(speaker, date DESC, iri)

(and beside it the claim texts in an FTS5 table, claims per speaker, and the articles'
identifier, date and publisher for the listings of kb/index_listings.py),
whose composite index returns a page's claim IRIs already in the product's order
(``ORDER BY DESC(?date) STR(?claim)``) by a range scan, in tens of microseconds; the rows
themselves are then fetched from the store by SPARQL with the IRIs bound in ``VALUES``.

The index is derived data: :meth:`ClaimIndex.rebuild` recreates it from the claims graph
at any time. Staleness is detected with a *generation* number kept in two places:

* in the store, in the claims graph: ``<B graph/claims> q:indexGeneration N`` — every write
  that changes claim records appends :func:`generation_update` to its SPARQL Update, so the
  bump commits (or not) atomically with the records;
* in the index (table ``meta``), set together with the rows of that write.

After a committed write the writer calls :meth:`ClaimIndex.add_claims` /
:meth:`ClaimIndex.remove_claims` with ``expect=`` the generation it read before the write;
when the index was not at that generation (another writer, a crash between the two
commits) the rows are *not* applied and the index stays behind the store, i.e. stale.
Readers (:func:`list_claims`) compare the two numbers on every call (one quad lookup,
~20 µs) and fall back to plain SPARQL while the index is stale or absent. The results
are the same either way; only the time differs.

Typical use::

    idx = ClaimIndex.for_store(store)          # None for a remote or in-memory store
    if idx and not idx.is_fresh(store):
        idx.rebuild(store)
    page = list_claims(store, ClaimFilter(speaker=..., since=..., until=...), index=idx)
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from . import index_text
from .store import Store
from .store.sparql_text import iri
from .vocab import Q

log = logging.getLogger(__name__)

INDEX_FILE = "quoth-index.sqlite"
SCHEMA_VERSION = 4  # 2: the claim-text full-text table; 3: claim counts per speaker, the article table;
#                    4: text rows keyed by day said (kb/index_text.py)
GENERATION = Q.indexGeneration

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS speaker (id INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS claim (
    iri TEXT PRIMARY KEY,
    speaker INTEGER NOT NULL REFERENCES speaker(id),
    date TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS claim_by_speaker_date ON claim(speaker, date DESC, iri);
CREATE INDEX IF NOT EXISTS claim_by_date ON claim(date DESC, iri);
CREATE TABLE IF NOT EXISTS claim_text_id (id INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE);
CREATE VIRTUAL TABLE IF NOT EXISTS claim_text USING fts5(text, tokenize = 'trigram');
CREATE TABLE IF NOT EXISTS speaker_claims (speaker INTEGER PRIMARY KEY, n INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS speaker_by_claims ON speaker_claims(n DESC, speaker);
CREATE TABLE IF NOT EXISTS article (
    iri TEXT PRIMARY KEY,
    aid TEXT NOT NULL,
    date TEXT NOT NULL,
    publisher TEXT
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS article_by_date ON article(date DESC, aid);
"""

#: keep ``speaker_claims`` equal to the claims per speaker on every change of ``claim``
#: (claim rows are upserted, never REPLACEd: REPLACE would not fire the delete trigger)
_COUNT_TRIGGERS = (
    """CREATE TRIGGER IF NOT EXISTS claim_counted AFTER INSERT ON claim BEGIN
         INSERT INTO speaker_claims(speaker, n) VALUES (NEW.speaker, 1)
           ON CONFLICT(speaker) DO UPDATE SET n = n + 1; END""",
    """CREATE TRIGGER IF NOT EXISTS claim_uncounted AFTER DELETE ON claim BEGIN
         UPDATE speaker_claims SET n = n - 1 WHERE speaker = OLD.speaker; END""",
    """CREATE TRIGGER IF NOT EXISTS claim_recounted AFTER UPDATE OF speaker ON claim
         WHEN OLD.speaker IS NOT NEW.speaker BEGIN
         UPDATE speaker_claims SET n = n - 1 WHERE speaker = OLD.speaker;
         INSERT INTO speaker_claims(speaker, n) VALUES (NEW.speaker, 1)
           ON CONFLICT(speaker) DO UPDATE SET n = n + 1; END""",
)
_UPSERT_CLAIM = ("INSERT INTO claim(iri, speaker, date) VALUES (?, ?, ?) "
                 "ON CONFLICT(iri) DO UPDATE SET speaker = excluded.speaker, date = excluded.date")
_UPSERT_ARTICLE = ("INSERT INTO article(iri, aid, date, publisher) VALUES (?, ?, ?, ?) ON CONFLICT(iri) "
                   "DO UPDATE SET aid = excluded.aid, date = excluded.date, publisher = excluded.publisher")

#: the shortest text filter the trigram index can answer (shorter ones go to SPARQL)
MIN_TEXT = 3
#: a text search within a speaker of at most this many claims tests their texts, newest first,
#: instead of walking the word's matches (a rare speaker among a common word's 100k matches)
SCAN_SPEAKER = 5_000

_PAGE = ("SELECT c.iri, c.date FROM claim c WHERE c.speaker = ? AND c.date >= ? AND c.date <= ?{cursor} "
         "ORDER BY c.date DESC, c.iri ASC LIMIT ?")
_CURSOR = " AND (c.date < ? OR (c.date = ? AND c.iri > ?))"

_MIN_DATE, _MAX_DATE = "0000-01-01", "9999-12-31"


def claims_graph(store: Store) -> URIRef:
    from .graph import Iris

    return Iris(store.base_iri).claims_graph


# -- the generation number in the store ----------------------------------------------------
def store_generation(store: Store) -> int:
    """The store's claim-records generation (0 when never bumped)."""
    g = claims_graph(store)
    native = store.native
    if native is not None:
        import pyoxigraph as ox

        node = ox.NamedNode(str(g))
        # the largest value: an insert-only write (generation_quad) adds a new one beside the old
        return max((int(q.object.value) for q in
                    native.quads_for_pattern(node, ox.NamedNode(str(GENERATION)), None, node)), default=0)
    rows = store.select("SELECT (MAX(?n) AS ?m) WHERE { GRAPH ?g { ?g q:indexGeneration ?n } }", {"g": g})
    return int(rows[0]["m"]) if rows and rows[0].get("m") is not None else 0


def generation_update(store: Store, new: int) -> str:
    """SPARQL Update operations that set the store's generation to ``new``.

    Append them (joined with ``" ;\\n"``) to the write that changes claim records, so the
    bump commits atomically with them.
    """
    g = iri(str(claims_graph(store)))
    p = iri(str(GENERATION))
    return (f"DELETE WHERE {{ GRAPH {g} {{ {g} {p} ?n }} }} ;\n"
            f"INSERT DATA {{ GRAPH {g} {{ {g} {p} \"{int(new)}\"^^<{XSD.integer}> }} }}")


def generation_triple(store: Store, new: int) -> tuple[URIRef, URIRef, Literal]:
    """The triple (in the claims graph) of generation ``new`` for an insert-only write.

    Older values stay beside it until the next :func:`generation_update` clears them;
    :func:`store_generation` reads the largest.
    """
    g = claims_graph(store)
    return g, GENERATION, Literal(int(new), datatype=XSD.integer)


def bump_generation(store: Store) -> int:
    """Bump the store's generation on its own (after a write that did not include the bump)."""
    new = store_generation(store) + 1
    store.update(generation_update(store, new))
    return new


# -- the index -------------------------------------------------------------------------------
class ClaimIndex:
    """SQLite side index of (speaker, date said, claim) in the store directory."""

    def __init__(self, path: str | Path, read_only: bool = False, immutable: bool = False):
        self.path = Path(path)
        self.read_only = read_only or immutable
        if self.read_only:
            # immutable: on a read-only medium, where SQLite cannot make its WAL lock files
            mode = "ro&immutable=1" if immutable else "ro"
            self._db = sqlite3.connect(f"file:{self.path}?mode={mode}", uri=True, check_same_thread=False)
            self._db.execute("SELECT 1 FROM meta LIMIT 1")  # sqlite3.Error now, not on first use
            # an older layout cannot be upgraded read-only: it counts as never built
            self._old_layout = self._meta("schema") != str(SCHEMA_VERSION)
        else:
            self._db = sqlite3.connect(str(self.path), check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._old_layout = False
            self._db.executescript(_SCHEMA)
            for trigger in _COUNT_TRIGGERS:
                self._db.execute(trigger)
            if self._meta("schema") != str(SCHEMA_VERSION):
                with self._db:  # new or older layout: unbuilt until the next rebuild
                    self._db.execute("DELETE FROM meta WHERE key = 'generation'")
                    self._set_meta("schema", str(SCHEMA_VERSION))
        # the SPARQL listing's LCASE, for text filters too short for the trigram index
        self._db.create_function("quoth_lower", 1, lambda s: s.lower() if isinstance(s, str) else s,
                                 deterministic=True)
        # one connection serves every thread (reads and the small hook writes, under this lock);
        # rebuild() writes through its own connection, so readers never see its uncommitted rows
        self._lock = threading.RLock()
        self._speaker_ids: dict[str, int] = {}
        self._labels: dict[str, dict[str, str]] = {}
        self._labels_gen: int | None = None

    @classmethod
    def for_store(cls, store: Store, read_only: bool = False) -> ClaimIndex | None:
        """The index beside an embedded on-disk store (None for remote or in-memory stores)."""
        path = store.path
        if path is None or store.native is None:
            return None
        f = Path(path) / INDEX_FILE
        fixed = store.read_only  # a read-only mount: nothing changes it
        if (read_only or fixed) and not f.exists():
            return None
        try:
            return cls(f, read_only=read_only, immutable=fixed)
        except sqlite3.Error as e:
            if not (read_only or fixed):
                raise
            log.warning("claim side index %s not readable (%s): plain SPARQL", f, e)
            return None

    # -- meta ------------------------------------------------------------------------------
    def _meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def _set_meta(self, key: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    @property
    def generation(self) -> int | None:
        """The store generation the index reflects; None if it was never built."""
        if self._old_layout:
            return None
        with self._lock:
            v = self._meta("generation")
        return int(v) if v is not None else None

    def is_fresh(self, store: Store) -> bool:
        """True when the index reflects exactly the store's current claim records."""
        gen = self.generation
        return gen is not None and gen == store_generation(store)

    def __len__(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM claim").fetchone()[0]

    # -- writing ---------------------------------------------------------------------------
    def _speaker_id(self, speaker: str, db: sqlite3.Connection | None = None) -> int:
        """The id of a speaker IRI (ids are never reassigned, so the cache stays valid)."""
        sid = self._speaker_ids.get(speaker)
        if sid is None:
            db = db or self._db
            row = db.execute("SELECT id FROM speaker WHERE iri = ?", (speaker,)).fetchone()
            if row is None:
                sid = db.execute("INSERT INTO speaker(iri) VALUES (?)", (speaker,)).lastrowid
            else:
                sid = row[0]
            if db is self._db:
                self._speaker_ids[speaker] = sid
        return sid

    def rebuild(self, store: Store) -> int:
        """Recreate the index from the store's claims graph; returns the number of claims.

        Reads the generation before and after the scan and retries if a write came between.
        Writes through a second connection in one transaction: readers keep the old rows
        (and its old generation, so a stale index stays unused) until it commits.
        """
        if self.read_only:
            raise sqlite3.OperationalError("the index is open read-only")
        for _ in range(5):
            gen = store_generation(store)
            rows = list(_scan_claims(store))
            articles = list(_scan_articles(store))
            if store_generation(store) == gen:
                break
        else:  # pragma: no cover - a store under constant writes
            raise RuntimeError("the store kept changing during the index rebuild")
        db = sqlite3.connect(str(self.path), timeout=60)
        try:
            with db:
                ids = dict(db.execute("SELECT iri, id FROM speaker"))
                for s in {s for _, s, _, _ in rows} - set(ids):
                    ids[s] = db.execute("INSERT INTO speaker(iri) VALUES (?)", (s,)).lastrowid
                # counted once at the end, not row by row by the triggers
                for name in ("claim_counted", "claim_uncounted", "claim_recounted"):
                    db.execute(f"DROP TRIGGER IF EXISTS {name}")
                db.execute("DELETE FROM claim")
                db.executemany(_UPSERT_CLAIM, ((c, ids[s], d) for c, s, d, _ in rows))
                db.execute("DELETE FROM speaker_claims")
                db.execute("INSERT INTO speaker_claims(speaker, n) SELECT speaker, COUNT(*) FROM claim GROUP BY speaker")
                for trigger in _COUNT_TRIGGERS:
                    db.execute(trigger)
                db.execute("DELETE FROM article")
                db.executemany(_UPSERT_ARTICLE, articles)
                db.execute("DELETE FROM claim_text")
                db.execute("DELETE FROM claim_text_id")
                index_text.put_texts(db, [(c, d, t) for c, _, d, t in rows], replace=False)
                db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('text_complete', '1')")
                db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('generation', ?)", (str(gen),))
                db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('rebuilt', ?)",
                           (dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),))
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            db.close()
        return len(rows)

    def _upsert(self, rows: list[tuple[str, str, str, str | None]]) -> None:
        self._db.executemany(_UPSERT_CLAIM, [(c, self._speaker_id(s), d) for c, s, d, _ in rows])
        index_text.put_texts(self._db, [(c, d, t) for c, _, d, t in rows if t is not None])
        index_text.move_texts(self._db, [(c, d) for c, _, d, t in rows if t is None])
        if any(t is None for *_, t in rows):  # rows given without their text: text search via SPARQL
            self._set_meta("text_complete", "0")

    def _delete(self, claims: list[str]) -> None:
        self._db.executemany("DELETE FROM claim WHERE iri = ?", [(c,) for c in claims])
        index_text.drop_texts(self._db, claims)

    def _redate(self, rows: list[tuple[str, str]]) -> None:
        """``(date, claim)`` pairs: the claim rows' dates, and their text rows re-keyed."""
        self._db.executemany("UPDATE claim SET date = ? WHERE iri = ?", rows)
        index_text.move_texts(self._db, [(c, d) for d, c in rows])

    @property
    def text_complete(self) -> bool:
        """True when every indexed claim's text is in the full-text table."""
        with self._lock:
            return self._meta("text_complete") == "1"

    def _apply(self, expect: int | None, new: int | None, fn) -> bool:
        with self._lock, self._db:
            if expect is not None and self.generation != expect:
                return False  # the index is behind (or ahead): leave it stale, rebuild later
            fn()
            if new is not None:
                self._set_meta("generation", str(new))
        return True

    def add_claims(self, records: Iterable[Any], expect: int | None = None, new: int | None = None) -> bool:
        """Insert or update claims after a committed write.

        ``records``: :class:`kb.graph.ClaimRecord` objects or ``(claim, speaker, date)`` tuples.
        With ``expect``/``new`` (the store generation before / after the write) the rows are
        applied only if the index was at ``expect``, and the index moves to ``new``;
        returns False (nothing applied, index stale) otherwise.
        """
        rows = [_row(r) for r in records]
        return self._apply(expect, new, lambda: self._upsert(rows))

    def remove_claims(self, claims: Iterable[str], expect: int | None = None, new: int | None = None) -> bool:
        """Delete claims (records removed from the store); same ``expect``/``new`` rule."""
        keys = [str(c) for c in claims]
        return self._apply(expect, new, lambda: self._delete(keys))

    def redate_claims(self, dates: Mapping[str, dt.date | str], expect: int | None = None,
                      new: int | None = None) -> bool:
        """Set the date said of claims whose record was re-dated."""
        rows = [(_iso(d), str(c)) for c, d in dates.items()]
        return self._apply(expect, new, lambda: self._redate(rows))

    def after_write(self, expect: int, new: int, upserted: Iterable[Any] = (), removed: Iterable[str] = (),
                    redated: Mapping[str, dt.date | str] | None = None,
                    articles: Iterable[ArticleRow] = (), removed_articles: Iterable[str] = ()) -> bool:
        """All index changes of one committed store write, in one SQLite transaction:
        claim records upserted, removed and re-dated; articles written (``(iri, id, date,
        publisher)``) and deleted (IRIs)."""
        rows = [_row(r) for r in upserted]
        keys = [str(c) for c in removed]
        dates = [(_iso(d), str(c)) for c, d in (redated or {}).items()]
        arts = [(str(a), str(aid), _iso(d), pub) for a, aid, d, pub in articles]
        gone = [(str(a),) for a in removed_articles]

        def fn() -> None:
            if gone:
                self._db.executemany("DELETE FROM article WHERE iri = ?", gone)
            if arts:
                self._db.executemany(_UPSERT_ARTICLE, arts)
            if keys:
                self._delete(keys)
            if rows:
                self._upsert(rows)
            if dates:
                self._redate(dates)

        return self._apply(expect, new, fn)

    # -- reading ---------------------------------------------------------------------------
    def read(self, sql: str, args: Iterable[Any] = ()) -> list[tuple]:
        """Rows of one read-only SQL statement over the index tables (kb.index_listings)."""
        with self._lock:
            return self._db.execute(sql, list(args)).fetchall()

    def page(self, speaker: str, since: dt.date | None = None, until: dt.date | None = None,
             limit: int = 50, after: tuple[dt.date | str, str] | None = None) -> list[tuple[str, str]]:
        """``(claim IRI, date)`` of one speaker's claims in ``[since, until]``, newest first.

        Ties by claim IRI (code point order, as SPARQL ``STR(?claim)``). ``after`` is the
        last ``(date, claim)`` of the previous page (cursor).
        """
        # under the lock: one connection serves all threads, and a rebuild's uncommitted rows
        # would be visible to reads on the same connection
        with self._lock:
            sid = self._speaker_ids.get(speaker)
            if sid is None:
                row = self._db.execute("SELECT id FROM speaker WHERE iri = ?", (speaker,)).fetchone()
                if row is None:
                    return []
                sid = row[0]
            args: list[Any] = [sid, _iso(since) if since else _MIN_DATE, _iso(until) if until else _MAX_DATE]
            sql = _PAGE.format(cursor=_CURSOR if after else "")
            if after:
                d = _iso(after[0])
                args += [d, d, str(after[1])]
            args.append(int(limit))
            return self._db.execute(sql, args).fetchall()

    def text_page(self, text: str, speaker: str | None = None, since: dt.date | None = None,
                  until: dt.date | None = None, limit: int = 50,
                  after: tuple[dt.date | str, str] | None = None) -> list[tuple[str, str, str]]:
        """``(claim IRI, date, speaker IRI)`` of claims whose text contains ``text`` (any case),
        optionally of one speaker, in ``[since, until]``, newest first (ties by IRI), as
        :meth:`page`. Texts of :data:`MIN_TEXT` or more characters are looked up in the trigram
        index, newest day first (kb/index_text.py); shorter ones test the claims' texts newest
        first (fast when they are common)."""
        lo, hi = _iso(since) if since else _MIN_DATE, _iso(until) if until else _MAX_DATE
        with self._lock:
            sid = None
            if speaker is not None:
                row = self._db.execute("SELECT id FROM speaker WHERE iri = ?", (speaker,)).fetchone()
                if row is None:
                    return []
                sid = row[0]
            few = sid is not None and self._claims_of(sid) <= SCAN_SPEAKER
            if len(text) >= MIN_TEXT and not few:  # the trigram index finds the matches
                cursor = (_iso(after[0]), str(after[1])) if after else None
                return index_text.text_page(self._db, text, sid, lo, hi, int(limit), cursor)
            # too short for trigrams, or a speaker with few claims: their claims newest first,
            # each text tested, until the page is full
            by = "claim_by_speaker_date" if sid is not None else "claim_by_date"
            sql = (f"SELECT c.iri, c.date, s.iri FROM claim c INDEXED BY {by} "
                   "JOIN claim_text_id x ON x.iri = c.iri JOIN claim_text t ON t.rowid = x.id "
                   "JOIN speaker s ON s.id = c.speaker "
                   "WHERE instr(quoth_lower(t.text), ?) > 0 AND c.date >= ? AND c.date <= ?")
            args: list[Any] = [text.lower(), lo, hi]
            if sid is not None:
                sql += " AND c.speaker = ?"
                args.append(sid)
            if after:
                d = _iso(after[0])
                sql += _CURSOR
                args += [d, d, str(after[1])]
            sql += " ORDER BY c.date DESC, c.iri ASC LIMIT ?"
            args.append(int(limit))
            return self._db.execute(sql, args).fetchall()

    def _claims_of(self, sid: int) -> int:
        row = self._db.execute("SELECT n FROM speaker_claims WHERE speaker = ?", (sid,)).fetchone()
        return row[0] if row else 0

    def speaker_labels(self, store: Store, generation: int, speaker: str) -> dict[str, str]:
        """``kb.queries.speaker_labels(store, {speaker})``, memoized while the store generation holds.

        The label is stated once per article graph naming the speaker and the union default graph
        keeps every copy, so the MIN over them costs ~10 ms for a speaker named in 6,000 articles.
        """
        from . import queries

        with self._lock:
            if self._labels_gen != generation:
                self._labels, self._labels_gen = {}, generation
            hit = self._labels.get(speaker)
        if hit is None:
            hit = queries.speaker_labels(store, {speaker})
            with self._lock:
                if self._labels_gen == generation:
                    if len(self._labels) > 100_000:
                        self._labels.clear()
                    self._labels[speaker] = hit
        return hit

    def count(self, speaker: str) -> int:
        with self._lock:
            row = self._db.execute("SELECT COUNT(*) FROM claim c JOIN speaker s ON s.id = c.speaker "
                                   "WHERE s.iri = ?", (speaker,)).fetchone()
        return row[0]

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> ClaimIndex:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


#: an article as the index keeps it: (IRI, identifier, date published, publisher or None)
ArticleRow = tuple[str, str, "dt.date | str", "str | None"]


def _iso(d: dt.date | str) -> str:
    return d.isoformat() if isinstance(d, dt.date) else str(d)


def _row(r: Any) -> tuple[str, str, str, str | None]:
    """(claim, speaker, date, text or None) of a ClaimRecord or a 3- or 4-tuple."""
    if isinstance(r, tuple):
        c, s, d, t = r if len(r) == 4 else (*r, None)
    else:
        c, s, d, t = r.iri, r.speaker, r.date_said, r.text
    return str(c), str(s), _iso(d), (None if t is None else str(t))


def _scan_claims(store: Store) -> Iterable[tuple[str, str, str, str]]:
    """Every claim record's (claim, speaker, date said, text) from the claims graph."""
    g = claims_graph(store)
    native = store.native
    q = (f"SELECT ?c ?s ?d ?t WHERE {{ GRAPH {iri(str(g))} {{ ?c <{Q.speaker}> ?s ; <{Q.dateSaid}> ?d ; "
         f"<{Q.text}> ?t }} }}")
    if native is not None:
        for sol in native.query(q):
            yield sol[0].value, sol[1].value, sol[2].value, sol[3].value
        return
    for r in store.select(q):
        yield str(r["c"]), str(r["s"]), str(r["d"]), str(r["t"])


def _scan_articles(store: Store) -> Iterable[tuple[str, str, str, str | None]]:
    """Every article's (IRI, identifier, date published, publisher or None)."""
    q = (f"SELECT ?a ?id ?d ?p WHERE {{ ?a a <{Q.Article}> ; <http://purl.org/dc/terms/identifier> ?id ; "
         f"<http://schema.org/datePublished> ?d OPTIONAL {{ ?a <http://schema.org/publisher> ?p }} }}")
    seen: set[str] = set()
    for r in store.select(q):
        a = str(r["a"])
        if a not in seen:  # one row per article (a second publisher would repeat it)
            seen.add(a)
            yield a, str(r["id"]), str(r["d"])[:10], (str(r["p"]) if r.get("p") is not None else None)


# -- the product's listing through the index ---------------------------------------------------
_FETCH = """SELECT ?claim ?speaker ?date ?text ?qtype WHERE {{
  VALUES ?claim {{ {values} }}
  GRAPH {graph} {{ ?claim q:speaker ?speaker ; q:dateSaid ?date ; q:text ?text ; q:quoteType ?qtype . }}
}}"""


_ROW_KEYS = {str(Q.speaker): "speaker", str(Q.dateSaid): "date", str(Q.text): "text", str(Q.quoteType): "qtype"}


def _fetch_native(store: Store, claims: list[str]) -> dict[str, dict] | None:
    """The rows of ``_FETCH`` read straight from the claims graph: one index range per claim.

    ~40 µs per claim on disk, where the same through SPARQL (VALUES + four patterns) costs
    ~0.2 ms per claim. The first value per key is kept, as the SPARQL path keeps the first row.
    """
    import pyoxigraph as ox

    from .store import to_rdflib

    native = store.native
    g = ox.NamedNode(str(claims_graph(store)))
    out: dict[str, dict] = {}
    for c in claims:
        row: dict[str, Any] = {"claim": URIRef(c)}
        for q in native.quads_for_pattern(ox.NamedNode(c), None, None, g):
            key = _ROW_KEYS.get(q.predicate.value)
            if key is not None and key not in row:
                row[key] = to_rdflib(q.object)
        if len(row) == 5:
            out[c] = row
    return out


def covers(f: Any, index: ClaimIndex | None = None) -> bool:
    """True when the index alone can select the claims of filter ``f`` (kb.queries.ClaimFilter):
    a speaker and/or a text (when the index has every claim's text), with dates; not language,
    type, article or publisher."""
    if f.language or f.type or f.article or getattr(f, "publisher", None):
        return False
    if f.text:
        return index is None or index.text_complete
    return bool(f.speaker)


def list_claims(store: Store, f: Any, limit: int = 50, cursor: str | None = None,
                index: ClaimIndex | None = None) -> dict[str, Any]:
    """:func:`kb.queries.list_claims` through the index when it applies and is fresh.

    Same arguments, same result (``items``, ``next_cursor``, ``sparql``, ``bindings``);
    falls back to the plain SPARQL listing when there is no index, it is stale, or the
    filter has parts the index does not cover (language, type, text, article).
    """
    from . import queries

    if index is None or not covers(f, index):
        return queries.list_claims(store, f, limit=limit, cursor=cursor)
    gen = store_generation(store)
    if index.generation != gen:  # stale (or never built): plain SPARQL gives the same page
        return queries.list_claims(store, f, limit=limit, cursor=cursor)
    limit = max(1, min(limit, queries.MAX_PAGE))
    after = queries.decode_cursor(cursor) if cursor else None
    if f.text:
        found = index.text_page(f.text, f.speaker, f.since, f.until, limit + 1, after)
        hits = [(c, d) for c, d, _ in found]
        speakers = {s for _, _, s in found[:limit]}
    else:
        hits = index.page(f.speaker, f.since, f.until, limit + 1, after)
        speakers = {f.speaker}
    page = hits[:limit]
    items: list[dict[str, Any]] = []
    sparql = ""
    if page:
        values = " ".join(iri(c) for c, _ in page)
        sparql = _FETCH.format(values=values, graph=iri(str(claims_graph(store))))
        by_claim = _fetch_native(store, [c for c, _ in page]) if store.native is not None \
            else None
        if by_claim is None:
            by_claim = {}
            for r in store.select(sparql):
                by_claim.setdefault(str(r["claim"]), r)
        labels: dict[str, str] = {}
        for s in speakers:
            labels.update(index.speaker_labels(store, gen, s))
        for c, _ in page:
            r = by_claim.get(c)
            if r is None:  # in the index but not in the store: stale despite the generation
                return queries.list_claims(store, f, limit=limit, cursor=cursor)
            items.append(queries._claim_row(r, labels))
    nxt = queries.encode_cursor(items[-1]["date_said"], items[-1]["claim"]) if len(hits) > limit and items else None
    b = {"speaker": f.speaker} if f.speaker else {}
    if f.text:
        b["text"] = f.text
    if f.since:
        b["since"] = f.since.isoformat()
    if f.until:
        b["until"] = f.until.isoformat()
    if cursor:
        cdate, cclaim = after
        b["cdate"], b["cclaim"] = cdate.isoformat(), cclaim
    return {"items": items, "next_cursor": nxt, "sparql": sparql, "bindings": b, "via": "index"}


__all__ = ["ClaimIndex", "INDEX_FILE", "GENERATION", "store_generation", "generation_update",
           "bump_generation", "covers", "list_claims"]
