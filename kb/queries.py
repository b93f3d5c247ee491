"""The SPARQL the product asks, parameterised: shared by the CLI, the REST API and ``ask``.

Every value from a user is *bound* (``Store.select(query, bindings)``), never pasted into
query text. Query text is assembled only from the fixed fragments below. Lists are
ordered stably (newest first, then by IRI) and paged with opaque cursors.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from .graph import Iris
from .store import Store
from .store.sparql_text import iri
from .vocab import Q, QUOTE_TYPES

MAX_PAGE = 500


def date_literal(d: dt.date) -> Literal:
    return Literal(d.isoformat(), datatype=XSD.date)


def _local(term: Node | None) -> str | None:
    return str(term).rsplit("#", 1)[-1] if term is not None else None


@dataclass
class ClaimFilter:
    """What a claims listing may be narrowed by (all optional)."""

    speaker: str | None = None          # speaker IRI
    since: dt.date | None = None
    until: dt.date | None = None
    language: str | None = None
    type: str | None = None             # one of QUOTE_TYPES
    text: str | None = None             # substring, case-insensitive
    article: str | None = None          # article id
    publisher: str | None = None        # substring of the publisher of an article mentioning it


def encode_cursor(date: str, claim: str) -> str:
    return base64.urlsafe_b64encode(json.dumps([date, claim]).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[dt.date, str]:
    """Parse a cursor from :func:`encode_cursor`; ValueError if it is not one."""
    try:
        pad = "=" * (-len(cursor) % 4)
        date, claim = json.loads(base64.urlsafe_b64decode(cursor + pad))
        return dt.date.fromisoformat(date), str(claim)
    except Exception as e:  # noqa: BLE001 - any garbage is a bad cursor
        raise ValueError("invalid cursor") from e


def list_claims(store: Store, f: ClaimFilter, limit: int = 50, cursor: str | None = None) -> dict[str, Any]:
    """Claims matching ``f``, newest first (ties by IRI), ``limit`` per page, with a next cursor.

    Claim records are read from the claims graph alone (one record per claim; the union of all
    graphs would repeat nodes named in several article graphs); speaker labels are fetched for
    the page's speakers only, after paging.
    """
    if f.type is not None and f.type not in QUOTE_TYPES:
        raise ValueError(f"type must be one of {', '.join(QUOTE_TYPES)}")
    limit = max(1, min(limit, MAX_PAGE))
    b: dict[str, Node] = {}
    claims_g = iri(str(Iris(store.base_iri).claims_graph))
    where = [f"GRAPH {claims_g} {{ ?claim q:speaker ?speaker ; q:dateSaid ?date ; q:text ?text ; q:quoteType ?qtype }}"]
    filters = []
    if f.speaker:
        b["speaker"] = URIRef(f.speaker)
    if f.since:
        b["since"] = date_literal(f.since)
        filters.append("?date >= ?since")
    if f.until:
        b["until"] = date_literal(f.until)
        filters.append("?date <= ?until")
    if f.language:
        b["lang"] = Literal(f.language.lower())
        filters.append("LANGMATCHES(LANG(?text), ?lang)")
    if f.type:
        b["qtype"] = Q[f.type]
    if f.text:
        b["needle"] = Literal(f.text.lower())
        filters.append("CONTAINS(LCASE(STR(?text)), ?needle)")
    if f.article:
        b["aid"] = Literal(f.article)
        where.append("?m q:mentionOf ?claim ; q:inArticle ?art . ?art dct:identifier ?aid .")
    if f.publisher:
        b["publisher"] = Literal(f.publisher.lower())
        # the publisher's articles first, then their claims (not every claim's articles)
        where.insert(0, "?part schema:publisher ?pub . ?pm q:inArticle ?part ; q:mentionOf ?claim .")
        filters.append("CONTAINS(LCASE(STR(?pub)), ?publisher)")
    if cursor:
        cdate, cclaim = decode_cursor(cursor)
        b["cdate"], b["cclaim"] = date_literal(cdate), Literal(cclaim)
        filters.append("(?date < ?cdate || (?date = ?cdate && STR(?claim) > ?cclaim))")
    q = ("SELECT DISTINCT ?claim ?speaker ?date ?text ?qtype WHERE {\n  "
         + "\n  ".join(where)
         + ("\n  FILTER(" + " && ".join(filters) + ")" if filters else "")
         + f"\n}} ORDER BY DESC(?date) STR(?claim) LIMIT {limit + 1}")
    rows = store.select(q, b)
    labels = speaker_labels(store, {str(r["speaker"]) for r in rows[:limit]})
    items = [_claim_row(r, labels) for r in rows[:limit]]
    nxt = encode_cursor(items[-1]["date_said"], items[-1]["claim"]) if len(rows) > limit and items else None
    return {"items": items, "next_cursor": nxt, "sparql": q, "bindings": {k: str(v) for k, v in b.items()}}


def speaker_labels(store: Store, speakers: set[str]) -> dict[str, str]:
    """One preferred label per speaker IRI (the first in code-point order, for stability)."""
    if not speakers:
        return {}
    values = " ".join(iri(s) for s in sorted(speakers))
    rows = store.select(f"SELECT ?s (MIN(STR(?l)) AS ?label) WHERE {{ VALUES ?s {{ {values} }} "
                        f"?s skos:prefLabel ?l }} GROUP BY ?s")
    return {str(r["s"]): str(r["label"]) for r in rows if r.get("label") is not None}


def _claim_row(r: dict[str, Node], labels: dict[str, str]) -> dict[str, Any]:
    text = r["text"]
    return {
        "claim": str(r["claim"]),
        "speaker": {"iri": str(r["speaker"]), "name": labels.get(str(r["speaker"]))},
        "text": str(text),
        "language": getattr(text, "language", None),
        "date_said": str(r["date"]),
        "type": _local(r["qtype"]),
    }


CLAIM_DETAIL = """
SELECT ?speaker ?label ?date ?text ?qtype ?cert ?ctx WHERE {
  ?claim q:speaker ?speaker ; q:dateSaid ?date ; q:text ?text ; q:quoteType ?qtype .
  OPTIONAL { ?claim q:certainty ?cert }
  OPTIONAL { ?claim q:context ?ctx }
  OPTIONAL { ?speaker skos:prefLabel ?label }
} LIMIT 1
"""

MENTIONS = """
SELECT DISTINCT ?m ?aid ?adate ?atitle ?aurl ?begin ?end ?anchor ?cue ?smention ?conf ?mtype ?mdate ?relay WHERE {
  ?m q:mentionOf ?claim ; q:inArticle ?art ; q:confidence ?conf ; q:quoteType ?mtype ; q:dateSaid ?mdate .
  ?art <http://purl.org/dc/terms/identifier> ?aid ; schema:datePublished ?adate .
  OPTIONAL { ?art schema:headline ?atitle }
  OPTIONAL { ?art schema:url ?aurl }
  OPTIONAL { ?m nif:beginIndex ?begin ; nif:endIndex ?end }
  OPTIONAL { ?m nif:anchorOf ?anchor }
  OPTIONAL { ?m q:cueText ?cue }
  OPTIONAL { ?m q:speakerMention ?smention }
  OPTIONAL { ?m q:relayedBy ?r . ?r skos:prefLabel ?relay }
} ORDER BY ?adate ?aid ?begin
"""

RELATED = """
SELECT ?rel ?other ?otext ?ospeaker ?dir WHERE {
  { ?claim ?rel ?other BIND("out" AS ?dir) } UNION { ?other ?rel ?claim BIND("in" AS ?dir) }
  FILTER(?rel IN (q:respondsTo, q:contradicts, q:sameClaimAs))
  ?other q:text ?otext ; q:speaker ?s . OPTIONAL { ?s skos:prefLabel ?ospeaker }
}
"""


def get_claim(store: Store, claim: str) -> dict[str, Any] | None:
    """A claim with every mention (article, date, exact span) and related claims; None if absent."""
    c = URIRef(claim)
    rows = store.select(CLAIM_DETAIL, {"claim": c})
    if not rows:
        return None
    r = rows[0]
    out = {
        "claim": claim,
        "speaker": {"iri": str(r["speaker"]), "name": str(r.get("label", "")) or None},
        "text": str(r["text"]), "language": getattr(r["text"], "language", None),
        "date_said": str(r["date"]), "type": _local(r["qtype"]),
        "hedged": _local(r.get("cert")) == "Hedged",
        "context": str(r["ctx"]) if r.get("ctx") else None,
        "sources": mentions_of(store, [claim]).get(claim, []),
        "related": [],
    }
    for rel in store.select(RELATED, {"claim": c}):
        out["related"].append({"relation": _local(rel["rel"]), "claim": str(rel["other"]),
                               "text": str(rel["otext"]), "speaker": str(rel.get("ospeaker", "")) or None,
                               "direction": str(rel["dir"])})
    return out


def mentions_of(store: Store, claims: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Sources of several claims at once: ``{claim IRI: [mention, …]}``."""
    out: dict[str, list[dict[str, Any]]] = {c: [] for c in claims}
    for c in claims:
        for r in store.select(MENTIONS, {"claim": URIRef(c)}):
            out[c].append({
                "mention": str(r["m"]), "article": str(r["aid"]), "date": str(r["adate"]),
                "title": str(r["atitle"]) if r.get("atitle") else None,
                "url": str(r["aurl"]) if r.get("aurl") else None,
                "quote": str(r.get("anchor", "")),
                "start": int(r["begin"]) if r.get("begin") is not None else None,
                "end": int(r["end"]) if r.get("end") is not None else None,
                "cue": str(r["cue"]) if r.get("cue") else None,
                "speaker_mention": str(r["smention"]) if r.get("smention") else None,
                "relayed_by": str(r["relay"]) if r.get("relay") else None,
                "confidence": float(r["conf"]), "type": _local(r["mtype"]), "date_said": str(r["mdate"]),
            })
    return out


def _speaker_graphs(store: Store) -> str:
    """VALUES for the two graphs that describe speakers: the gazetteer and the claims graph
    (for the speakers the gazetteer does not know; docs/MODEL.md "Each fact once")."""
    iris = Iris(store.base_iri)
    return f"VALUES ?sg {{ {iri(str(iris.claims_graph))} {iri(str(iris.speakers_graph))} }}"


SPEAKER_NAMES = """
SELECT DISTINCT ?speaker ?name WHERE {
  %s
  GRAPH ?sg { ?speaker a ?kind . FILTER(?kind IN (q:Person, q:Organization))
              { ?speaker skos:prefLabel ?name } UNION { ?speaker skos:altLabel ?name } }
}
"""


def speaker_names(store: Store) -> dict[str, set[str]]:
    """Every label and alias of every speaker: ``{speaker IRI: {names}}``."""
    out: dict[str, set[str]] = {}
    for r in store.select(SPEAKER_NAMES % _speaker_graphs(store)):
        out.setdefault(str(r["speaker"]), set()).add(str(r["name"]))
    return out


def claim_counts(store: Store) -> dict[str, int]:
    """Number of claims per speaker (from the claim records)."""
    g = iri(str(Iris(store.base_iri).claims_graph))
    rows = store.select(f"SELECT ?s (COUNT(?c) AS ?n) WHERE {{ GRAPH {g} {{ ?c q:speaker ?s }} }} GROUP BY ?s")
    return {str(r["s"]): int(r["n"]) for r in rows}


def search_speakers(store: Store, name: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
    """Speakers whose name or alias contains ``name`` (case-insensitive), most claims first."""
    names = speaker_names(store)
    needle = (name or "").casefold()
    hits = [s for s, ns in names.items() if not needle or any(needle in n.casefold() for n in ns)]
    counts = claim_counts(store)
    hits.sort(key=lambda s: (-counts.get(s, 0), s))
    return [summary for s in hits[:limit] if (summary := get_speaker(store, s, names, counts))]


ROLES = """
SELECT DISTINCT ?label ?start ?end WHERE {
  ?speaker q:holdsRole ?r . ?r q:roleLabel ?label .
  OPTIONAL { ?r q:roleStart ?start } OPTIONAL { ?r q:roleEnd ?end }
} ORDER BY ?start ?label
"""


def get_speaker(store: Store, speaker: str, names: dict[str, set[str]] | None = None,
                counts: dict[str, int] | None = None) -> dict[str, Any] | None:
    """A speaker with names, Wikidata link, roles over time and claim count; None if absent."""
    s = URIRef(speaker)
    rows = store.select("SELECT ?kind (MIN(STR(?l)) AS ?label) WHERE { %s GRAPH ?sg { ?speaker a ?kind ; "
                        "skos:prefLabel ?l FILTER(?kind IN (q:Person, q:Organization)) } } GROUP BY ?kind"
                        % _speaker_graphs(store), {"speaker": s})
    if not rows:
        return None
    own = (names if names is not None else speaker_names(store)).get(speaker, set())
    wd = store.select("SELECT DISTINCT ?wd WHERE { %s GRAPH ?sg { ?speaker owl:sameAs ?wd } }"
                      % _speaker_graphs(store), {"speaker": s})
    if counts is not None:
        n = counts.get(speaker, 0)
    else:
        g = iri(str(Iris(store.base_iri).claims_graph))
        n = int(store.select(f"SELECT (COUNT(?c) AS ?n) WHERE {{ GRAPH {g} {{ ?c q:speaker ?speaker }} }}",
                             {"speaker": s})[0]["n"])
    roles = [{"role": str(r["label"]), "language": getattr(r["label"], "language", None),
              "start": str(r["start"]) if r.get("start") else None,
              "end": str(r["end"]) if r.get("end") else None}
             for r in store.select(ROLES, {"speaker": s})]
    label = str(rows[0]["label"])
    return {"iri": speaker, "name": label, "kind": _local(rows[0]["kind"]).lower(),
            "aliases": sorted(own - {label}), "wikidata": [str(r["wd"]) for r in wd],
            "roles": roles, "claims": n}


ARTICLES = """
SELECT ?art ?aid ?date ?lang ?title ?url (COUNT(DISTINCT ?m) AS ?mentions) WHERE {
  ?art a q:Article ; <http://purl.org/dc/terms/identifier> ?aid ; schema:datePublished ?date ; schema:inLanguage ?lang .
  OPTIONAL { ?art schema:headline ?title } OPTIONAL { ?art schema:url ?url }
  OPTIONAL { ?m q:inArticle ?art }
} GROUP BY ?art ?aid ?date ?lang ?title ?url ORDER BY DESC(?date) ?aid LIMIT %d OFFSET %d
"""


def list_articles(store: Store, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    """Articles, newest first, with the number of statement mentions each yielded."""
    q = ARTICLES % (max(1, min(limit, MAX_PAGE)), max(0, int(offset)))
    return [{"iri": str(r["art"]), "id": str(r["aid"]), "date": str(r["date"]), "language": str(r["lang"]),
             "title": str(r["title"]) if r.get("title") else None, "url": str(r["url"]) if r.get("url") else None,
             "mentions": int(r["mentions"])} for r in store.select(q)]


def get_article(store: Store, iris: Iris, article_id: str) -> dict[str, Any] | None:
    """One article with its metadata, text and the claims it yields; None if absent."""
    a = iris.article(article_id)
    rows = store.select("SELECT ?date ?lang ?title ?url ?body WHERE { ?a a q:Article ; schema:datePublished ?date ; "
                        "schema:inLanguage ?lang . OPTIONAL { ?a schema:headline ?title } "
                        "OPTIONAL { ?a schema:url ?url } OPTIONAL { ?a schema:articleBody ?body } } LIMIT 1", {"a": a})
    if not rows:
        return None
    r = rows[0]
    claims = list_claims(store, ClaimFilter(article=article_id), limit=MAX_PAGE)["items"]
    return {"iri": str(a), "id": article_id, "date": str(r["date"]), "language": str(r["lang"]),
            "title": str(r["title"]) if r.get("title") else None, "url": str(r["url"]) if r.get("url") else None,
            "text": str(r["body"]) if r.get("body") else None, "claims": claims}


STATS = {
    "claims": "SELECT (COUNT(?x) AS ?n) WHERE { ?x a q:Claim }",
    "mentions": "SELECT (COUNT(?x) AS ?n) WHERE { ?x a q:Mention }",
    "articles": "SELECT (COUNT(?x) AS ?n) WHERE { ?x a q:Article }",
    "speakers": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?c q:speaker ?x }",
}


def stats(store: Store) -> dict[str, Any]:
    """Counts of claims, mentions, articles, speakers with claims, per quote type, and quads."""
    out: dict[str, Any] = {k: int(store.select(q)[0]["n"]) for k, q in STATS.items()}
    out["by_type"] = {_local(r["t"]): int(r["n"]) for r in store.select(
        "SELECT ?t (COUNT(?c) AS ?n) WHERE { ?c a q:Claim ; q:quoteType ?t } GROUP BY ?t ORDER BY ?t")}
    out["quads"] = store.triple_count()
    return out
