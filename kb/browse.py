"""Read-only lookups behind the browsing pages: the article index, a speaker's claim dates and
role terms. Values from a request are bound (VALUES blocks), never pasted into query text."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from rdflib import Literal, URIRef

from kb.graph import Iris
from kb.queries import MAX_PAGE
from kb.store.sparql_text import iri

ARTICLE_PAGE = """
SELECT DISTINCT ?art ?aid ?date WHERE {
  ?art a q:Article ; dct:identifier ?aid ; schema:datePublished ?date .
  %s
} ORDER BY DESC(?date) ?aid LIMIT %d OFFSET %d
"""
ARTICLE_FACTS = """
SELECT ?art ?lang ?title ?url ?publisher ?lead WHERE {{ VALUES ?art {{ {values} }}
  ?art schema:inLanguage ?lang .
  OPTIONAL {{ ?art schema:headline ?title }} OPTIONAL {{ ?art schema:url ?url }}
  OPTIONAL {{ ?art schema:publisher ?publisher }}
  OPTIONAL {{ ?art schema:articleBody ?body BIND(SUBSTR(STR(?body), 1, 120) AS ?lead) }}
}}
"""
ARTICLE_COUNTS = """
SELECT ?art (COUNT(DISTINCT ?claim) AS ?claims) (COUNT(DISTINCT ?m) AS ?mentions) WHERE {{
  VALUES ?art {{ {values} }} ?m q:inArticle ?art ; q:mentionOf ?claim .
}} GROUP BY ?art
"""


def lead(text: Any, words: int = 9) -> str | None:
    """The first words of an article's text, to name an article that has no headline."""
    if not text:
        return None
    parts = str(text).split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "") if parts else None


def list_articles(store: Any, limit: int = 50, offset: int = 0, publisher: str | None = None,
                  index: Any = None) -> dict[str, Any]:
    """Articles, newest first, with title, date, publisher and claim count; ``next_offset`` when
    there are more. ``publisher``: case-insensitive substring of the publisher.

    The page is picked from identifiers and dates alone — from the side index's article table
    when ``index`` (kb.index.ClaimIndex) is given and fresh, else by SPARQL; titles, texts and
    counts are read for the page's articles only (sorting or grouping every article is what
    costs on a large store)."""
    from kb.index_listings import article_page, fresh

    limit = max(1, min(int(limit), MAX_PAGE))
    offset = max(0, int(offset))
    idx = fresh(index, store)
    if idx is not None:
        rows: list[Any] = article_page(idx, limit + 1, offset, publisher)
    else:
        b: dict[str, Any] = {}
        flt = ""
        if publisher:
            b["needle"] = Literal(publisher.lower())
            flt = "?art schema:publisher ?publisher . FILTER(CONTAINS(LCASE(STR(?publisher)), ?needle))"
        rows = store.select(ARTICLE_PAGE % (flt, limit + 1, offset), b or None)
    page = rows[:limit]
    if not page:
        return {"items": [], "next_offset": None}
    values = " ".join(iri(str(r["art"])) for r in page)
    facts: dict[str, Any] = {}
    for r in store.select(ARTICLE_FACTS.format(values=values)):
        facts.setdefault(str(r["art"]), r)
    counts = {str(r["art"]): r for r in store.select(ARTICLE_COUNTS.format(values=values))}
    items = []
    for r in page:
        a, f, n = str(r["art"]), facts.get(str(r["art"]), {}), counts.get(str(r["art"]), {})
        items.append({"iri": a, "id": str(r["aid"]), "date": str(r["date"]),
                      "language": str(f["lang"]) if f.get("lang") is not None else "",
                      "title": str(f["title"]) if f.get("title") else None,
                      "url": str(f["url"]) if f.get("url") else None,
                      "publisher": str(f["publisher"]) if f.get("publisher") else None,
                      "lead": lead(f.get("lead")),
                      "claims": int(n["claims"]) if n.get("claims") is not None else 0,
                      "mentions": int(n["mentions"]) if n.get("mentions") is not None else 0})
    return {"items": items, "next_offset": offset + limit if len(rows) > limit else None}


CLAIM_DATES = """SELECT ?date (COUNT(DISTINCT ?c) AS ?n) WHERE {{ GRAPH {g} {{ ?c q:speaker ?speaker ;
  q:dateSaid ?date }} }} GROUP BY ?date ORDER BY ?date"""


def claim_dates(store: Any, speaker: str, index: Any = None) -> list[tuple[dt.date, int]]:
    """How many of the speaker's claims were said on each date, oldest first (from the side
    index when ``index`` is given and fresh)."""
    from kb import index_listings

    idx = index_listings.fresh(index, store)
    if idx is not None:
        return index_listings.claim_dates(idx, speaker)
    g = iri(str(Iris(store.base_iri).claims_graph))
    out = []
    for r in store.select(CLAIM_DATES.format(g=g), {"speaker": URIRef(speaker)}):
        try:
            out.append((dt.date.fromisoformat(str(r["date"])[:10]), int(r["n"])))
        except ValueError:
            continue
    return out


def _display_label(labels: list[tuple[str, str | None]], prefer: str) -> str:
    """The label to show for a term: in the preferred language if any, the most frequent
    (case-folded) wording, then the longest, then code-point order — stable for the same data."""
    pool = [l for l, lang in labels if (lang or "").lower().startswith(prefer)] or [l for l, _ in labels]
    counts = Counter(l.casefold() for l in pool)
    return sorted(pool, key=lambda l: (-counts[l.casefold()], -len(l), l))[0]


def role_terms(roles: list[dict[str, Any]], prefer: str = "en") -> list[dict[str, Any]]:
    """One row per role and term: the role spans of a speaker grouped by (start, end), each with
    one label to show and the other wordings (label variants in any language) beside it.

    Spans of one term that share no wording are still one row: the gazetteer gives a term's
    labels without saying which name the same office; a term is the unit a reader dates by."""
    groups: dict[tuple[str | None, str | None], list[tuple[str, str | None]]] = {}
    for r in roles:
        groups.setdefault((r.get("start"), r.get("end")), []).append((r["role"], r.get("language")))
    rows = []
    for (start, end), labels in groups.items():
        label = _display_label(labels, prefer)
        variants = sorted({l for l, _ in labels if l.casefold() != label.casefold()}, key=str.casefold)
        rows.append({"role": label, "start": start, "end": end, "variants": variants})
    rows.sort(key=lambda r: (r["start"] or "", r["end"] or "9999", r["role"]))
    return rows


FIRST_SOURCES = """SELECT ?claim ?aid ?title ?publisher ?adate ?lead WHERE {{ VALUES ?claim {{ {values} }}
  ?m q:mentionOf ?claim ; q:inArticle ?art . ?art dct:identifier ?aid ; schema:datePublished ?adate .
  OPTIONAL {{ ?art schema:headline ?title }} OPTIONAL {{ ?art schema:publisher ?publisher }}
  OPTIONAL {{ ?art schema:articleBody ?body BIND(SUBSTR(STR(?body), 1, 120) AS ?lead) }}
}} ORDER BY ?adate ?aid"""


def claim_sources(store: Any, claims: list[str]) -> dict[str, dict[str, Any]]:
    """For a page of claims: the first article reporting each (id, title, publisher, date) and
    how many articles report it."""
    if not claims:
        return {}
    out: dict[str, dict[str, Any]] = {}
    for i in range(0, len(claims), 200):
        values = " ".join(iri(c) for c in claims[i:i + 200])
        for r in store.select(FIRST_SOURCES.format(values=values)):
            c = str(r["claim"])
            if c in out:
                if str(r["aid"]) not in out[c]["_ids"]:
                    out[c]["_ids"].add(str(r["aid"]))
                    out[c]["articles"] += 1
                continue
            out[c] = {"article": str(r["aid"]), "title": str(r["title"]) if r.get("title") else None,
                      "lead": lead(r.get("lead")),
                      "publisher": str(r["publisher"]) if r.get("publisher") else None,
                      "date": str(r["adate"]), "articles": 1, "_ids": {str(r["aid"])}}
    for v in out.values():
        v.pop("_ids")
    return out
