"""Claim and speaker lookups that stay fast on a large store (used by the REST routes and pages).

Same results and shapes as :mod:`kb.queries` (which they call where it is fast), shaped for scale:

* "Claims of a speaker in a date range" goes through the SQLite side index (:mod:`kb.index`,
  kept in step by the Ingestor) when it is there and fresh, else ``kb.queries.list_claims``.
* The newest claims (no filter but ``until``) pick the page from the claims' dates alone, in a
  recent window first (sorting every claim record is what costs on a large store).
* Speakers: names, kinds, Wikidata links and roles come from ``SELECT DISTINCT`` over single
  patterns and claim counts from the claims graph. (These shapes date from when every article
  graph repeated its speakers' type and label, which multiplied joins under the union default
  graph; each fact is stored once now, docs/MODEL.md "Each fact once".)
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from typing import Any

from rdflib import Literal, URIRef

from kb import queries
from kb.queries import ClaimFilter, _local, decode_cursor
from kb.store.sparql_text import iri
from kb.vocab import Q, QUOTE_TYPES

log = logging.getLogger(__name__)


# ---------------------------------------------------------------------------------------------
# claims
def _plain_list(store: Any, f: ClaimFilter, limit: int, cursor: str | None) -> dict[str, Any]:
    return queries.list_claims(store, f, limit=limit, cursor=cursor)


DATE_RANGE = "SELECT (MIN(?d) AS ?lo) (MAX(?d) AS ?hi) WHERE {{ GRAPH {g} {{ ?c q:dateSaid ?d }} }}"


RECENT_IDS = """SELECT ?claim ?date WHERE {{ GRAPH {g} {{ ?claim q:dateSaid ?date }} {filters} }}
ORDER BY DESC(?date) STR(?claim) LIMIT {n}"""
FETCH = """SELECT ?claim ?speaker ?date ?text ?qtype WHERE {{ VALUES ?claim {{ {values} }}
  GRAPH {g} {{ ?claim q:speaker ?speaker ; q:dateSaid ?date ; q:text ?text ; q:quoteType ?qtype }} }}"""


def _recent(store: Any, f: ClaimFilter, limit: int, cursor: str | None, span: tuple[Any, Any]) -> dict[str, Any]:
    """The newest claims (optionally up to ``until``), without sorting every claim record.

    Sorting all claims is what costs on a large store (seconds at 100k on disk), so the page's
    claim IRIs are picked from the dates alone — in a recent window first, widened ×8 until it
    holds a full page or covers every date — and only the page's rows are fetched. Same page and
    cursor as ``kb.queries.list_claims`` (newest first, ties by IRI).
    """
    from kb.graph import Iris
    from kb.queries import _claim_row, date_literal, encode_cursor, speaker_labels

    lo, hi = span
    if lo is None or hi is None:
        return queries.list_claims(store, f, limit=limit, cursor=cursor)
    g = iri(str(Iris(store.base_iri).claims_graph))
    b: dict[str, Any] = {}
    conds = []
    top = hi
    if f.until:
        b["until"] = date_literal(f.until)
        conds.append("?date <= ?until")
        top = min(top, f.until)
    if cursor:
        cdate, cclaim = decode_cursor(cursor)
        b["cdate"], b["cclaim"] = date_literal(cdate), Literal(cclaim)
        conds.append("(?date < ?cdate || (?date = ?cdate && STR(?claim) > ?cclaim))")
        top = min(top, cdate)
    days = 31
    while True:
        since = top - dt.timedelta(days=days)
        cs = list(conds)
        bb = dict(b)
        if since > lo:
            bb["since"] = date_literal(since)
            cs.append("?date >= ?since")
        filters = f"FILTER({' && '.join(cs)})" if cs else ""
        rows = store.select(RECENT_IDS.format(g=g, filters=filters, n=limit + 1), bb or None)
        if len(rows) > limit or since <= lo:
            break
        days *= 8
    page = [str(r["claim"]) for r in rows[:limit]]
    if not page:
        return {"items": [], "next_cursor": None}
    by_claim: dict[str, Any] = {}
    for r in store.select(FETCH.format(g=g, values=" ".join(iri(c) for c in page))):
        by_claim.setdefault(str(r["claim"]), r)
    labels = speaker_labels(store, {str(r["speaker"]) for r in by_claim.values()})
    items = [_claim_row(by_claim[c], labels) for c in page if c in by_claim]
    nxt = encode_cursor(items[-1]["date_said"], items[-1]["claim"]) if len(rows) > limit and items else None
    return {"items": items, "next_cursor": nxt}


class ClaimLister:
    """``list_claims`` with the side index where it helps (embedded store, speaker filter)."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.index: Any = None
        self.index_ok = False
        self._rebuilding = threading.Lock()
        try:
            from kb.index import ClaimIndex

            self.index = ClaimIndex.for_store(store)
        except Exception as e:  # noqa: BLE001 - no index module, remote store, …: plain SPARQL
            log.info("claim side index not used: %s", e)
            self.index = None

    def refresh_index(self, lock: threading.Lock | None = None) -> None:
        """Rebuild the side index in the background if it is stale (plain SPARQL meanwhile).

        Writes through :class:`kb.ingest.Ingestor` (given this index) keep it in step; whatever
        happens, ``kb.index.list_claims`` checks its generation on each call and falls back to
        SPARQL when it is behind, so a stale index is never used."""
        if self.index is None:
            return

        def run() -> None:
            with self._rebuilding:
                try:
                    with lock if lock is not None else threading.Lock():
                        if not self.index.is_fresh(self.store):
                            self.index.rebuild(self.store)
                    self.index_ok = True
                except Exception as e:  # noqa: BLE001
                    log.warning("claim side index rebuild failed: %s", e)

        threading.Thread(target=run, daemon=True, name="quoth-index").start()

    def mark_dirty(self) -> None:
        """A write happened: recompute the cached date span."""
        self._span = None

    _span: tuple[Any, Any] | None = None

    @property
    def index_state(self) -> str:
        """"none" (no side index here), "building" or "ready"."""
        if self.index is None:
            return "none"
        return "ready" if self.index_ok else "building"


    def date_span(self) -> tuple[Any, Any]:
        """Earliest and latest date said of any claim (cached until the next write)."""
        if self._span is None:
            from kb.graph import Iris

            rows = self.store.select(DATE_RANGE.format(g=iri(str(Iris(self.store.base_iri).claims_graph))))
            r = rows[0] if rows else {}
            conv = [dt.date.fromisoformat(str(r[k])[:10]) if r.get(k) is not None else None for k in ("lo", "hi")]
            self._span = (conv[0], conv[1])
        return self._span

    def list(self, f: ClaimFilter, limit: int = 50, cursor: str | None = None) -> dict[str, Any]:
        if f.type is not None and f.type not in QUOTE_TYPES:
            raise ValueError(f"type must be one of {', '.join(QUOTE_TYPES)}")
        limit = max(1, min(limit, queries.MAX_PAGE))
        from kb.index import covers

        if self.index is not None and self.index_ok and covers(f, self.index):
            try:
                from kb.index import list_claims as indexed

                return indexed(self.store, f, limit=limit, cursor=cursor, index=self.index)
            except ValueError:
                raise
            except Exception as e:  # noqa: BLE001 - never fail a lookup because of the index
                log.warning("claim side index failed, using SPARQL: %s", e)
        if not (f.speaker or f.since or f.article or f.text or f.language or f.type or f.publisher):
            return _recent(self.store, f, limit, cursor, self.date_span())
        return _plain_list(self.store, f, limit, cursor)


# ---------------------------------------------------------------------------------------------
# speakers
SPEAKER_KINDS = ("SELECT DISTINCT ?speaker ?kind WHERE {{ VALUES ?speaker {{ {values} }} ?speaker a ?kind . "
                 "FILTER(?kind IN (q:Person, q:Organization)) }}")
SPEAKER_NAMES = ("SELECT DISTINCT ?speaker ?name ?pref WHERE {{ VALUES ?speaker {{ {values} }} "
                 "{{ ?speaker skos:prefLabel ?name BIND(true AS ?pref) }} UNION "
                 "{{ ?speaker skos:altLabel ?name BIND(false AS ?pref) }} }}")
SPEAKER_WD = "SELECT DISTINCT ?speaker ?wd WHERE {{ VALUES ?speaker {{ {values} }} ?speaker owl:sameAs ?wd }}"
SPEAKER_COUNTS = ("SELECT ?speaker (COUNT(DISTINCT ?c) AS ?n) WHERE {{ VALUES ?speaker {{ {values} }} "
                  "GRAPH {g} {{ ?c q:speaker ?speaker }} }} GROUP BY ?speaker")
NAME_HITS = ("SELECT DISTINCT ?speaker WHERE { { ?speaker skos:prefLabel ?name } UNION "
             "{ ?speaker skos:altLabel ?name } FILTER(CONTAINS(LCASE(STR(?name)), ?needle)) }")
TOP_SPEAKERS = ("SELECT ?speaker (COUNT(DISTINCT ?c) AS ?n) WHERE {{ GRAPH {g} {{ ?c q:speaker ?speaker }} }} "
                "GROUP BY ?speaker ORDER BY DESC(?n) LIMIT {n}")
ROLES = """
SELECT DISTINCT ?label ?start ?end WHERE {
  ?speaker q:holdsRole ?r . ?r q:roleLabel ?label .
  OPTIONAL { ?r q:roleStart ?start } OPTIONAL { ?r q:roleEnd ?end }
} ORDER BY ?start ?label
"""


def _speaker_facts(store: Any, speakers: list[str], index: Any = None) -> dict[str, dict[str, Any]]:
    """Kinds, names, Wikidata links and claim counts of speakers (counts from the side index
    when ``index`` is fresh: counting a busy speaker's claims by SPARQL groups all of them)."""
    values = " ".join(iri(s) for s in speakers)
    facts: dict[str, dict[str, Any]] = {}
    for r in store.select(SPEAKER_KINDS.format(values=values)):
        facts.setdefault(str(r["speaker"]), {"kinds": set(), "pref": set(), "alt": set(), "wd": set(), "claims": 0})
        facts[str(r["speaker"])]["kinds"].add(_local(r["kind"]).lower())
    if not facts:
        return facts
    values = " ".join(iri(s) for s in facts)
    for r in store.select(SPEAKER_NAMES.format(values=values)):
        f = facts[str(r["speaker"])]
        f["pref" if r["pref"].toPython() else "alt"].add(str(r["name"]))
    for r in store.select(SPEAKER_WD.format(values=values)):
        facts[str(r["speaker"])]["wd"].add(str(r["wd"]))
    from kb import index_listings
    from kb.graph import Iris

    idx = index_listings.fresh(index, store)
    if idx is not None:
        for s, n in index_listings.claim_counts(idx, list(facts)).items():
            facts[s]["claims"] = n
        return facts
    g = iri(str(Iris(store.base_iri).claims_graph))
    for r in store.select(SPEAKER_COUNTS.format(values=values, g=g)):
        facts[str(r["speaker"])]["claims"] = int(r["n"])
    return facts


def _summary(s: str, f: dict[str, Any]) -> dict[str, Any]:
    name = min(f["pref"]) if f["pref"] else (min(f["alt"]) if f["alt"] else s)
    kind = "person" if "person" in f["kinds"] else sorted(f["kinds"])[0]
    return {"iri": s, "name": name, "kind": kind, "wikidata": min(f["wd"]) if f["wd"] else None,
            "claims": f["claims"], "aliases": sorted((f["pref"] | f["alt"]) - {name})}


def search_speakers(store: Any, name: str | None = None, limit: int = 50, index: Any = None) -> list[dict[str, Any]]:
    """Speakers whose name or alias contains ``name`` (case-insensitive), most claims first
    (ranked and counted from the side index when ``index`` is given and fresh)."""
    from kb import index_listings

    idx = index_listings.fresh(index, store)
    if name:
        hits = [str(r["speaker"]) for r in store.select(NAME_HITS, {"needle": Literal(name.lower())})]
        if len(hits) > 5000:
            hits = hits[:5000]
    elif idx is not None:
        hits = [s for s, _ in index_listings.top_speakers(idx, max(limit * 2, 50))]
    else:
        from kb.graph import Iris

        g = iri(str(Iris(store.base_iri).claims_graph))
        hits = [str(r["speaker"]) for r in store.select(TOP_SPEAKERS.format(g=g, n=max(limit * 2, 50)))]
    if not hits:
        return []
    facts = _speaker_facts(store, hits, idx)
    out = [_summary(s, f) for s, f in facts.items()]
    if name:  # LCASE is not casefold: check again in Python (e.g. ß)
        needle = name.casefold()
        out = [s for s in out if any(needle in n.casefold() for n in [s["name"], *s["aliases"]])] or out
    out.sort(key=lambda s: (-s["claims"], s["name"], s["iri"]))
    return out[:limit]


def get_speaker(store: Any, speaker: str, index: Any = None) -> dict[str, Any] | None:
    """A speaker with names, Wikidata links, roles over time and claim count; None if absent."""
    facts = _speaker_facts(store, [speaker], index)
    f = facts.get(speaker)
    if f is None:
        return None
    s = _summary(speaker, f)
    roles = [{"role": str(r["label"]), "language": getattr(r["label"], "language", None),
              "start": str(r["start"]) if r.get("start") else None,
              "end": str(r["end"]) if r.get("end") else None}
             for r in store.select(ROLES, {"speaker": URIRef(speaker)})]
    return {"iri": speaker, "name": s["name"], "kind": s["kind"], "aliases": s["aliases"],
            "wikidata": sorted(f["wd"]), "roles": roles, "claims": s["claims"]}


# ---------------------------------------------------------------------------------------------
# articles
ARTICLE = ("SELECT ?date ?lang ?title ?url ?publisher ?body "
           "(GROUP_CONCAT(DISTINCT ?author; separator=\"; \") AS ?authors) WHERE { "
           "?a a q:Article ; schema:datePublished ?date ; schema:inLanguage ?lang . "
           "OPTIONAL { ?a schema:headline ?title } OPTIONAL { ?a schema:url ?url } "
           "OPTIONAL { ?a schema:publisher ?publisher } OPTIONAL { ?a schema:author ?author } "
           "OPTIONAL { ?a schema:articleBody ?body } } GROUP BY ?date ?lang ?title ?url ?publisher ?body LIMIT 1")


def get_article(store: Any, iris: Any, lister: ClaimLister, article_id: str) -> dict[str, Any] | None:
    """One article with its metadata, text and the claims it yields; None if absent."""
    try:
        a = iris.article(article_id)
        rows = store.select(ARTICLE, {"a": a})
    except ValueError:  # not a valid IRI
        return None
    if not rows:
        return None
    r = rows[0]
    claims = lister.list(ClaimFilter(article=article_id), limit=queries.MAX_PAGE)["items"]
    return {"iri": str(a), "id": article_id, "date": str(r["date"]), "language": str(r["lang"]),
            "title": str(r["title"]) if r.get("title") else None, "url": str(r["url"]) if r.get("url") else None,
            "publisher": str(r["publisher"]) if r.get("publisher") else None,
            "authors": [n for n in str(r.get("authors") or "").split("; ") if n],
            "text": str(r["body"]) if r.get("body") else None, "claims": claims}
