"""The data behind every view, free of HTTP: one function per view returning plain data, which
:mod:`api.rest` renders as JSON and :mod:`api.pages` / :mod:`api.linked_data` as HTML (the way
datasette's views work). A bad request raises :class:`ViewError` with its HTTP status; nothing
here imports FastAPI, so neither rendering depends on the other.

Corrections (:mod:`kb.corrections`) are applied here, so JSON, HTML and CSV show the same thing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, unquote

from kb import browse, corrections, queries
from kb.queries import ClaimFilter

from . import lookups


class ViewError(Exception):
    """A request the view cannot answer: ``status`` is the HTTP status to give."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def local_id(iri: str, kind: str, base: str) -> str:
    """The local id of an IRI ``{base}{kind}/{id}`` (the IRI itself when it is elsewhere)."""
    prefix = f"{base}{kind}/"
    return unquote(iri[len(prefix):]) if iri.startswith(prefix) else iri


def speaker_key_iri(state: Any, speaker: str) -> str:
    """A speaker key (``donald-trump``) or full IRI -> the IRI (not checked against the store)."""
    if speaker.startswith(("http://", "https://")):
        return speaker
    return str(state.iris.speaker(speaker))


def speaker_iri(state: Any, speaker: str) -> str:
    """A speaker key (``donald-trump``), full IRI, name or alias (``Trump``) -> the IRI.

    A name or alias must pick one speaker: an exact name/alias match first, else a single speaker
    whose names contain it. Otherwise :class:`ViewError` 400 names the candidates' keys.
    """
    key_iri = speaker_key_iri(state, speaker)
    if key_iri == speaker:
        return speaker
    if lookups.get_speaker(state.store, key_iri, index=side_index(state)) is not None:
        return key_iri
    found = lookups.search_speakers(state.store, speaker, limit=6, index=side_index(state))
    needle = speaker.casefold().strip()
    exact = [s for s in found if needle in {n.casefold() for n in [s["name"], *s.get("aliases", [])]}]
    if len(exact) == 1:
        return str(exact[0]["iri"])
    if len(found) == 1:
        return str(found[0]["iri"])
    keys = [local_id(s["iri"], "speaker", state.base_iri) for s in (exact or found)[:5]]
    if keys:
        raise ViewError(400, f"{speaker!r} names more than one speaker; did you mean {' or '.join(keys)}?")
    raise ViewError(400, f"no speaker {speaker!r} (give a key such as donald-trump, a name or an alias; "
                         "GET /speakers?q=… searches them)")


# ---------------------------------------------------------------------------------------------
# claims
def claim_filter(state: Any, *, speaker: str | None = None, q: str | None = None, language: str | None = None,
                 since: dt.date | None = None, until: dt.date | None = None, type: str | None = None,
                 article: str | None = None, publisher: str | None = None) -> ClaimFilter:
    """The filter of a claims listing from request values (empty strings mean "not given")."""
    if since and until and since > until:
        raise ViewError(400, "'since' is after 'until'")
    return ClaimFilter(speaker=speaker_iri(state, speaker) if speaker else None, since=since or None,
                       until=until or None, language=language or None, type=type or None, text=q or None,
                       article=article or None, publisher=publisher or None)


def _status(cs: list[dict[str, Any]]) -> str | None:
    out: list[str] = []
    for c in cs:
        s = corrections.summary(c)
        if s and s not in out:
            out.append(s)
    return "; ".join(out) or None


def claims_data(state: Any, f: ClaimFilter, limit: int = 50, cursor: str | None = None,
                sources: bool = False) -> dict[str, Any]:
    """A page of claims (newest first) with ids and the corrections in force; with ``sources``
    each item also names the first article reporting it."""
    try:
        page = state.lister.list(f, limit=limit, cursor=cursor)
    except ValueError as e:  # a bad cursor, type or IRI
        raise ViewError(400, str(e)) from e
    items = [dict(i, id=local_id(i["claim"], "claim", state.base_iri)) for i in page["items"]]
    claims = [i["claim"] for i in items]
    status = corrections.claim_status(state.store, claims)
    src = browse.claim_sources(state.store, claims) if sources else {}
    for i in items:
        i["correction"] = _status(status.get(i["claim"], []))
        if sources:
            i["source"] = src.get(i["claim"])
    return {"items": items, "next_cursor": page["next_cursor"]}


def all_claims(state: Any, f: ClaimFilter, cap: int = 10_000) -> Iterator[dict[str, Any]]:
    """Every claim of a listing, page by page, at most ``cap`` (for CSV exports)."""
    cursor, n = None, 0
    while n < cap:
        page = claims_data(state, f, limit=min(500, cap - n), cursor=cursor, sources=True)
        yield from page["items"]
        n += len(page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            return


CSV_COLUMNS = ("id", "claim", "date_said", "speaker", "speaker_iri", "type", "language", "text",
               "first_article", "publisher", "articles", "correction")


def csv_row(c: dict[str, Any]) -> list[Any]:
    """One claim as a CSV row (columns :data:`CSV_COLUMNS`)."""
    s = c.get("source") or {}
    return [c["id"], c["claim"], c["date_said"], c["speaker"].get("name") or "", c["speaker"]["iri"],
            c.get("type") or "", c.get("language") or "", c["text"], s.get("article") or "",
            s.get("publisher") or "", s.get("articles") or 0, c.get("correction") or ""]


def claim_detail(state: Any, claim_iri: str) -> dict[str, Any] | None:
    """One claim with its sources, the correction in force on each, and every correction."""
    try:
        c = queries.get_claim(state.store, claim_iri)
    except ValueError:
        return None
    if c is None:
        return None
    c["id"] = local_id(claim_iri, "claim", state.base_iri)
    arts = sorted({str(state.iris.article(s["article"])) for s in c["sources"]})
    every = corrections.corrections_for(state.store, arts)
    c["corrections"] = [x for x in every if x["claim"] == claim_iri
                        or any(x["mention"] == s["mention"] for s in c["sources"])]
    for s in c["sources"]:
        s["correction"] = corrections.in_force(every, s["mention"], str(state.iris.article(s["article"])),
                                               s.get("start"), s.get("end"))
    c["correction"] = _status([s["correction"] for s in c["sources"] if s["correction"]])
    return c


def side_index(state: Any) -> Any:
    """The side index (kb.index.ClaimIndex) once built, else None; the listings check that it
    is fresh on each call and use SPARQL when it is not."""
    lister = getattr(state, "lister", None)
    return lister.index if lister is not None and lister.index_ok else None


# ---------------------------------------------------------------------------------------------
# speakers and articles
def speakers_data(state: Any, q: str | None, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    """Speakers whose name or alias contains ``q`` (all when empty), most claims first, paged."""
    found = lookups.search_speakers(state.store, q or None, limit=offset + limit + 1, index=side_index(state))
    items = [dict(s, id=local_id(s["iri"], "speaker", state.base_iri)) for s in found[offset:offset + limit]]
    return {"items": items, "next_offset": offset + limit if len(found) > offset + limit else None}


def speaker_detail(state: Any, speaker_id: str) -> dict[str, Any]:
    """A speaker by key; :class:`ViewError` 404 when unknown."""
    iri = str(state.iris.speaker(speaker_id))
    try:
        s = lookups.get_speaker(state.store, iri, index=side_index(state))
    except ValueError as e:
        raise ViewError(404, f"no speaker {speaker_id!r}") from e
    if s is None:
        raise ViewError(404, f"no speaker {speaker_id!r}")
    return dict(s, id=local_id(s["iri"], "speaker", state.base_iri))


def speaker_page(state: Any, iri: str, cursor: str | None = None, today: dt.date | None = None) -> dict[str, Any] | None:
    """The speaker page: names, one row per role and term, the timeline chart, claims (paged)
    and the statements corrections attribute to them."""
    from .svg_timeline import timeline_svg

    s = lookups.get_speaker(state.store, iri, index=side_index(state))
    if s is None:
        return None
    terms = browse.role_terms(s["roles"])
    page = claims_data(state, ClaimFilter(speaker=iri), limit=100, cursor=cursor, sources=True)
    return {"speaker": s, "terms": terms, "claims": page["items"], "more": page["next_cursor"],
            "speaker_id": local_id(iri, "speaker", state.base_iri),
            "chart": timeline_svg(browse.claim_dates(state.store, iri, side_index(state)), terms, today=today),
            "attributed": corrections.attributed_to(state.store, iri)}


def articles_data(state: Any, limit: int = 50, offset: int = 0, publisher: str | None = None) -> dict[str, Any]:
    """Articles, newest first, with publisher and claim count, paged by offset."""
    return browse.list_articles(state.store, limit=limit, offset=offset, publisher=publisher or None,
                                index=side_index(state))


MENTIONS_IN_ARTICLE = """
SELECT ?m ?claim ?begin ?end ?speaker WHERE {
  ?m q:inArticle ?a ; q:mentionOf ?claim ; nif:beginIndex ?begin ; nif:endIndex ?end .
  OPTIONAL { GRAPH ?cg { ?claim q:speaker ?speaker } }
} ORDER BY ?begin
"""


def article_detail(state: Any, article_id: str) -> dict[str, Any] | None:
    """An article with its text, its claims and, for each highlighted span, who said it (as
    extracted, or as a correction in force says) and the correction itself."""
    a = lookups.get_article(state.store, state.iris, state.lister, article_id)
    if a is None:
        return None
    art = a["iri"]
    every = corrections.corrections_for(state.store, [art])
    status = corrections.claim_status(state.store, [c["claim"] for c in a["claims"]])
    for c in a["claims"]:
        c["id"] = local_id(c["claim"], "claim", state.base_iri)
        c["correction"] = _status(status.get(c["claim"], []))
    rows = state.store.select(MENTIONS_IN_ARTICLE, {"a": state.iris.article(article_id)})
    labels = queries.speaker_labels(state.store, {str(r["speaker"]) for r in rows if r.get("speaker")})
    spans = []
    for r in rows:
        b, e = int(r["begin"]), int(r["end"])
        spk = str(r["speaker"]) if r.get("speaker") else None
        corr = corrections.in_force(every, str(r["m"]), art, b, e)
        who = {"iri": spk, "name": labels.get(spk)} if spk else None
        if corr and corr["action"] == "reattribute":
            who = corr["speaker"]  # None: an unnamed speaker
        if corr and corr["action"] == "span" and corr.get("span"):
            b, e = corr["span"]["start"], corr["span"]["end"]
        spans.append({"mention": str(r["m"]), "claim": str(r["claim"]), "start": b, "end": e,
                      "speaker": who, "correction": corr})
    a["spans"] = spans
    a["lead"] = browse.lead(a.get("text"))
    a["corrections"] = [dict(x, summary=corrections.summary(x)) for x in every]
    return a


# ---------------------------------------------------------------------------------------------
# ask
def ask_data(state: Any, q: str, limit: int) -> dict[str, Any]:
    """The DESIGN §6 answer to a question; ViewError 400 (not understood) or 501 (not installed)."""
    if not q or not q.strip():
        raise ViewError(400, "type a question, e.g. “What did Trump say about a second meeting?”")
    try:
        from kb.ask import QuestionError
        asker = state.asker
    except ImportError as e:
        raise ViewError(501, f"question answering is not available: {e}") from e
    try:
        return asker.ask(q, limit=limit)
    except QuestionError as e:
        raise ViewError(400, str(e)) from e


# ---------------------------------------------------------------------------------------------
# corrections
def _mention_iri(state: Any, mention: str) -> str:
    if mention.startswith(("http://", "https://")):
        return mention
    return f"{state.base_iri}mention/{quote(mention, safe='')}"


def make_correction(state: Any, data: dict[str, Any]) -> dict[str, Any]:
    """Store one correction (caller holds the write lock); ViewError 404/422 when it cannot be."""
    action = data.get("action")
    speaker = data.get("speaker") or None
    req = corrections.CorrectionRequest(
        mention=_mention_iri(state, str(data.get("mention") or "")), action=str(action or ""),
        editor=str(data.get("by") or "editor"),
        speaker=speaker_key_iri(state, speaker) if speaker and action == "reattribute" else speaker,
        type=data.get("type") or None, start=data.get("start"), end=data.get("end"),
        note=data.get("note") or None)
    try:
        return corrections.correct(state.store, req)
    except corrections.CorrectionError as e:
        raise ViewError(404 if str(e).startswith("no statement") else 422, str(e)) from e


def write_correction(state: Any, data: dict[str, Any]) -> dict[str, Any]:
    """:func:`make_correction` under the write lock; then snapshots and caches are refreshed."""
    from kb.store import StoreError

    with state.write_lock:
        try:
            return make_correction(state, data)
        except StoreError as e:
            raise ViewError(503, f"the store could not be written: {e}") from e
        finally:
            state.changed()


def corrections_data(state: Any, article: str | None = None, claim: str | None = None) -> dict[str, Any]:
    """Corrections of an article's statements (article id) or of a claim's (claim id), newest first."""
    if article:
        return {"items": corrections.corrections_for(state.store, [str(state.iris.article(article))])}
    if claim:
        c = claim_detail(state, f"{state.base_iri}claim/{quote(claim, safe='')}")
        if c is None:
            raise ViewError(404, f"no claim {claim!r}")
        return {"items": c["corrections"]}
    raise ViewError(400, "give 'article' or 'claim'")
