"""Corrections: people fix what extraction got wrong, and the fix sticks.

A correction targets one *statement as extracted* — a mention (``B mention/{h}``) — and does one
of: ``confirm`` it, ``reattribute`` it to another speaker (or to an unnamed one), fix its
``type`` or its ``span``, or ``reject`` it. It is stored in its own named graph
(``B graph/corrections``), which ingest never drops or rewrites, so re-ingesting the article
does not undo it; it is SHACL-validated (shapes/quoth-shapes.ttl) before it is written.

Model (docs/MODEL.md, "Corrections"):

* ``B correction/{h}`` a ``q:Correction`` (a ``prov:Activity``): ``q:correctionKind`` (one of
  ``q:Confirmed q:Reattributed q:TypeFixed q:SpanFixed q:Rejected``), ``q:corrects`` the mention,
  ``q:correctsClaim`` its claim, ``q:aboutArticle`` with the mention's ``nif:beginIndex`` /
  ``nif:endIndex`` (to find the statement again if re-extraction mints another mention IRI),
  ``prov:wasAssociatedWith`` the editor (a ``prov:Person``), ``prov:endedAtTime``, optional
  ``rdfs:comment``; and — except for a confirmation — ``prov:invalidated`` the mention.
* For reattribute / type / span, the corrected statement ``B correction/{h}/statement``, a
  ``q:CorrectedStatement``: ``prov:wasRevisionOf`` the mention, ``prov:wasGeneratedBy`` the
  correction, ``q:aboutArticle``, ``q:attributedTo`` a speaker (or ``q:unnamedSpeaker true``),
  ``q:statementType``, ``q:statementText``, ``q:statementDate`` and, with a text, ``nif:beginIndex`` / ``nif:endIndex`` /
  ``nif:anchorOf``.

So SPARQL tells extracted from corrected statements: extracted ones are ``q:Mention``s
(``prov:wasGeneratedBy`` an extraction or import activity), corrected ones are
``q:CorrectedStatement``s, and a mention some correction invalidated has
``[] prov:invalidated ?m``. The newest correction of a mention is the one in force.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from typing import Any

from rdflib import XSD, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS

from kb.store.sparql_text import iri
from kb.vocab import NIF, Q, QUOTE_TYPES

ACTIONS = {"confirm": "Confirmed", "reattribute": "Reattributed", "type": "TypeFixed",
           "span": "SpanFixed", "reject": "Rejected"}
STATUS = {v: k for k, v in ACTIONS.items()}
MAX_NOTE = 2000
MAX_EDITOR = 100


class CorrectionError(ValueError):
    """The correction cannot be made (unknown statement, bad value); nothing was stored."""


@dataclass(frozen=True)
class CorrectionRequest:
    """One correction as asked for. ``speaker`` is a speaker IRI (None with ``reattribute``:
    the statement's speaker is not named); ``start``/``end`` the new span in the article text."""

    mention: str
    action: str
    editor: str = "editor"
    speaker: str | None = None
    type: str | None = None
    start: int | None = None
    end: int | None = None
    note: str | None = None


def corrections_graph(base: str) -> URIRef:
    """The named graph that holds every correction."""
    return URIRef(f"{base}graph/corrections")


MENTION = """
SELECT ?claim ?art ?aid ?begin ?end ?anchor ?qtype ?date ?speaker ?text ?body WHERE {
  ?m a q:Mention ; q:mentionOf ?claim ; q:inArticle ?art ; q:quoteType ?qtype ; q:dateSaid ?date .
  ?art dct:identifier ?aid .
  GRAPH ?cg { ?claim q:speaker ?speaker ; q:text ?text }
  OPTIONAL { ?m nif:beginIndex ?begin ; nif:endIndex ?end }
  OPTIONAL { ?m nif:anchorOf ?anchor }
  OPTIONAL { ?art schema:articleBody ?body }
} LIMIT 1
"""
SPEAKER_EXISTS = "ASK WHERE { ?s a ?k . FILTER(?k IN (q:Person, q:Organization)) }"


def _editor_slug(editor: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", editor.casefold()).strip("-")
    return slug or hashlib.sha1(editor.encode()).hexdigest()[:12]


def _check(req: CorrectionRequest, found: dict[str, Any], store: Any) -> None:
    if req.action not in ACTIONS:
        raise CorrectionError(f"action must be one of {', '.join(ACTIONS)}")
    editor = req.editor.strip()
    if not editor or len(editor) > MAX_EDITOR:
        raise CorrectionError(f"editor: 1 to {MAX_EDITOR} characters")
    if req.note is not None and len(req.note) > MAX_NOTE:
        raise CorrectionError(f"note: at most {MAX_NOTE} characters")
    if req.action == "reattribute":
        if req.speaker is not None:
            if not store.ask(SPEAKER_EXISTS, {"s": URIRef(req.speaker)}):
                raise CorrectionError(f"no speaker {req.speaker!r} in the store")
            if req.speaker == str(found["speaker"]):
                raise CorrectionError("the statement is already attributed to that speaker")
    elif req.speaker is not None:
        raise CorrectionError("speaker is only given with action 'reattribute'")
    if req.action == "type":
        if req.type not in QUOTE_TYPES:
            raise CorrectionError(f"type must be one of {', '.join(QUOTE_TYPES)}")
    elif req.type is not None:
        raise CorrectionError("type is only given with action 'type'")
    if req.action == "span":
        body = found.get("body")
        if body is None:
            raise CorrectionError("the statement's article has no text: its span cannot be fixed")
        if req.start is None or req.end is None or not 0 <= req.start < req.end <= len(str(body)):
            raise CorrectionError(f"span: 0 <= start < end <= {len(str(body))} (the article's length) required")
    elif req.start is not None or req.end is not None:
        raise CorrectionError("start and end are only given with action 'span'")


def _lookup(store: Any, mention: str) -> dict[str, Any]:
    try:
        rows = store.select(MENTION, {"m": URIRef(mention)})
    except ValueError as e:
        raise CorrectionError(f"not a statement IRI: {mention!r}") from e
    if not rows:
        raise CorrectionError(f"no statement {mention!r}")
    return rows[0]


def build(req: CorrectionRequest, found: dict[str, Any], base: str, now: dt.datetime) -> tuple[URIRef, Graph]:
    """The correction's triples (not yet validated or stored)."""
    m = URIRef(req.mention)
    stamp = now.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")  # sortable as text
    h = hashlib.sha1("\x1f".join([req.mention, req.action, req.editor, stamp, str(req.speaker), str(req.type),
                                  str(req.start), str(req.end)]).encode()).hexdigest()[:16]
    c = URIRef(f"{base}correction/{h}")
    agent = URIRef(f"{base}agent/editor/{_editor_slug(req.editor)}")
    g = Graph()
    g.add((c, RDF.type, Q.Correction))
    g.add((c, RDF.type, PROV.Activity))
    g.add((c, Q.correctionKind, Q[ACTIONS[req.action]]))
    g.add((c, Q.corrects, m))
    g.add((c, PROV.used, m))
    g.add((c, Q.correctsClaim, found["claim"]))
    g.add((c, Q.aboutArticle, found["art"]))
    if found.get("begin") is not None:
        g.add((c, NIF.beginIndex, Literal(int(found["begin"]), datatype=XSD.nonNegativeInteger)))
        g.add((c, NIF.endIndex, Literal(int(found["end"]), datatype=XSD.nonNegativeInteger)))
    g.add((c, PROV.wasAssociatedWith, agent))
    g.add((agent, RDF.type, PROV.Person))
    g.add((agent, RDFS.label, Literal(req.editor.strip())))
    g.add((c, PROV.endedAtTime, Literal(stamp, datatype=XSD.dateTime)))
    if req.note:
        g.add((c, RDFS.comment, Literal(req.note)))
    if req.action == "confirm":
        return c, g
    g.add((c, PROV.invalidated, m))
    if req.action == "reject":
        return c, g
    s = URIRef(f"{c}/statement")
    g.add((c, PROV.generated, s))
    g.add((s, RDF.type, Q.CorrectedStatement))
    g.add((s, PROV.wasRevisionOf, m))
    g.add((s, PROV.wasGeneratedBy, c))
    g.add((s, Q.aboutArticle, found["art"]))
    g.add((s, Q.statementDate, found["date"]))
    g.add((s, Q.statementType, Q[req.type] if req.action == "type" else found["qtype"]))
    if req.action == "reattribute":
        if req.speaker is None:
            g.add((s, Q.unnamedSpeaker, Literal(True)))
        else:
            g.add((s, Q.attributedTo, URIRef(req.speaker)))
    else:
        g.add((s, Q.attributedTo, found["speaker"]))
    if req.action == "span":
        anchor = str(found["body"])[req.start:req.end]
        g.add((s, NIF.beginIndex, Literal(req.start, datatype=XSD.nonNegativeInteger)))
        g.add((s, NIF.endIndex, Literal(req.end, datatype=XSD.nonNegativeInteger)))
        g.add((s, NIF.anchorOf, Literal(anchor)))
        g.add((s, Q.statementText, Literal(anchor, lang=getattr(found["text"], "language", None))))
    else:
        if found.get("begin") is not None:
            g.add((s, NIF.beginIndex, Literal(int(found["begin"]), datatype=XSD.nonNegativeInteger)))
            g.add((s, NIF.endIndex, Literal(int(found["end"]), datatype=XSD.nonNegativeInteger)))
        if found.get("anchor") is not None:
            g.add((s, NIF.anchorOf, found["anchor"]))
        g.add((s, Q.statementText, found["text"]))
    return c, g


def correct(store: Any, req: CorrectionRequest, validator: Any = None, now: dt.datetime | None = None
            ) -> dict[str, Any]:
    """Validate and store one correction; returns it as :func:`corrections_for` shows it.

    Raises :class:`CorrectionError` for a bad request and :class:`ShapeError` when the
    correction's graph fails SHACL; in both cases nothing is written."""
    found = _lookup(store, req.mention)
    _check(req, found, store)
    now = now or dt.datetime.now(dt.timezone.utc)
    c, g = build(req, found, store.base_iri, now)
    if validator is None:
        from kb.validate import default_validator

        validator = default_validator()
    report = validator.validate(g)
    if not report.conforms:
        raise ShapeError(report)
    store.insert([(str(corrections_graph(store.base_iri)), list(g))])
    return next(x for x in corrections_for(store, [str(found["art"])]) if x["correction"] == str(c))


class ShapeError(CorrectionError):
    """The correction's graph does not conform to the shapes."""

    def __init__(self, report: Any) -> None:
        super().__init__(f"the correction does not conform to the shapes:\n{report.text}")
        self.report = report


LIST = """
SELECT ?c ?kind ?m ?claim ?art ?begin ?end ?editor ?time ?note ?s ?speaker ?unnamed ?qtype ?sbegin ?send
       ?anchor WHERE {{
  VALUES ?art {{ {values} }}
  GRAPH {g} {{
    ?c a q:Correction ; q:correctionKind ?kind ; q:corrects ?m ; q:correctsClaim ?claim ; q:aboutArticle ?art ;
       prov:wasAssociatedWith ?a ; prov:endedAtTime ?time . ?a rdfs:label ?editor .
    OPTIONAL {{ ?c nif:beginIndex ?begin ; nif:endIndex ?end }}
    OPTIONAL {{ ?c rdfs:comment ?note }}
    OPTIONAL {{ ?c prov:generated ?s . ?s q:statementType ?qtype .
               OPTIONAL {{ ?s q:attributedTo ?speaker }} OPTIONAL {{ ?s q:unnamedSpeaker ?unnamed }}
               OPTIONAL {{ ?s nif:beginIndex ?sbegin ; nif:endIndex ?send }} OPTIONAL {{ ?s nif:anchorOf ?anchor }} }}
  }}
}} ORDER BY DESC(?time) DESC(STR(?c))
"""


def _row(r: dict[str, Any], labels: dict[str, str]) -> dict[str, Any]:
    kind = str(r["kind"]).rsplit("#", 1)[-1]
    out: dict[str, Any] = {
        "correction": str(r["c"]), "action": STATUS.get(kind, kind), "mention": str(r["m"]),
        "claim": str(r["claim"]), "article": str(r["art"]),
        "start": int(r["begin"]) if r.get("begin") is not None else None,
        "end": int(r["end"]) if r.get("end") is not None else None,
        "by": str(r["editor"]), "at": str(r["time"]), "note": str(r["note"]) if r.get("note") else None,
        "statement": str(r["s"]) if r.get("s") else None,
    }
    if r.get("s"):
        out["speaker"] = None if r.get("unnamed") is not None and r["unnamed"].toPython() else \
            {"iri": str(r["speaker"]), "name": labels.get(str(r["speaker"]))}
        out["type"] = str(r["qtype"]).rsplit("#", 1)[-1]
        out["span"] = ({"start": int(r["sbegin"]), "end": int(r["send"]),
                        "text": str(r["anchor"]) if r.get("anchor") else None}
                       if r.get("sbegin") is not None else None)
    return out


def corrections_for(store: Any, articles: list[str]) -> list[dict[str, Any]]:
    """Every correction of statements in these articles (IRIs), newest first."""
    if not articles:
        return []
    from kb.queries import speaker_labels

    rows = []
    for i in range(0, len(articles), 200):
        values = " ".join(iri(a) for a in articles[i:i + 200])
        rows += store.select(LIST.format(values=values, g=iri(str(corrections_graph(store.base_iri)))))
    labels = speaker_labels(store, {str(r["speaker"]) for r in rows if r.get("speaker") is not None})
    seen: dict[str, dict[str, Any]] = {}
    for r in rows:
        seen.setdefault(str(r["c"]), _row(r, labels))  # one row per correction (a note may repeat a row)
    return sorted(seen.values(), key=lambda x: (x["at"], x["correction"]), reverse=True)


def in_force(corrections: list[dict[str, Any]], mention: str, article: str | None = None,
             start: int | None = None, end: int | None = None) -> dict[str, Any] | None:
    """The newest correction of a statement: by its mention IRI, else (re-extraction minted
    another IRI for the same statement) by its article and span."""
    for c in corrections:
        if c["mention"] == mention:
            return c
    if start is None:
        return None
    for c in corrections:
        if c["article"] == article and c["start"] == start and c["end"] == end:
            return c
    return None


CLAIM_ARTICLES = """SELECT DISTINCT ?claim ?art WHERE {{ VALUES ?claim {{ {values} }} ?m q:mentionOf ?claim ;
  q:inArticle ?art . }}"""
ATTRIBUTED = """SELECT DISTINCT ?art WHERE {{ GRAPH {g} {{ ?s a q:CorrectedStatement ; q:attributedTo ?speaker ;
  q:aboutArticle ?art }} }}"""


def claim_status(store: Any, claims: list[str]) -> dict[str, list[dict[str, Any]]]:
    """For each listed claim that has corrections: the corrections in force on its mentions."""
    if not claims:
        return {}
    arts: set[str] = set()
    for i in range(0, len(claims), 200):
        values = " ".join(iri(c) for c in claims[i:i + 200])
        arts |= {str(r["art"]) for r in store.select(CLAIM_ARTICLES.format(values=values))}
    out: dict[str, list[dict[str, Any]]] = {}
    done: set[str] = set()
    for c in corrections_for(store, sorted(arts)):
        if c["claim"] in claims and c["mention"] not in done:
            done.add(c["mention"])
            out.setdefault(c["claim"], []).append(c)
    return out


def attributed_to(store: Any, speaker: str) -> list[dict[str, Any]]:
    """Statements a correction in force attributes to this speaker (newest correction first)."""
    g = iri(str(corrections_graph(store.base_iri)))
    arts = [str(r["art"]) for r in store.select(ATTRIBUTED.format(g=g), {"speaker": URIRef(speaker)})]
    everything = corrections_for(store, arts)
    out, done = [], set()
    for c in everything:
        if c["mention"] in done:
            continue
        done.add(c["mention"])
        if c.get("speaker") and c["speaker"]["iri"] == speaker:
            out.append(c)
    return out


def summary(c: dict[str, Any] | None) -> str | None:
    """A short human phrase for a correction in force (pages, CSV)."""
    if c is None:
        return None
    if c["action"] == "reattribute":
        who = (c["speaker"] or {}).get("name") or (c["speaker"] or {}).get("iri") if c.get("speaker") else None
        return f"reattributed to {who}" if who else "reattributed to an unnamed speaker"
    if c["action"] == "type":
        return f"type fixed to {c['type']}"
    if c["action"] == "span":
        return "span fixed"
    return {"confirm": "confirmed", "reject": "rejected"}[c["action"]]
