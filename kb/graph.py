"""Model -> RDF: one rdflib Graph per article, claim records, the speakers graph.

IRIs are deterministic (hashes of normalized content, see docs/MODEL.md), so
re-ingesting the same input produces exactly the same triples.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from urllib.parse import quote

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, SKOS, XSD

from . import __version__
from .model import Article, Quote, SpeakerRef
from .vocab import NIF, Q, SCHEMA, WD

# rdflib's DefinedNamespace builds a new URIRef on every attribute access: bind the hot ones once
_TYPE, _LABEL, _SAME_AS = RDF.type, SKOS.prefLabel, OWL.sameAs
_GENERATED_BY = PROV.wasGeneratedBy

_QUOTE_MARKS = "\"'«»„“”‚‘’‹›`´"
_NON_WORD = re.compile(r"[^\w\s]", re.UNICODE)
_SPACES = re.compile(r"\s+")


class Triples(dict):
    """An insertion-ordered set of triples with rdflib Graph's ``add`` (and iteration).

    Article graphs are built per statement on bulk import; rdflib's Memory store costs
    ~35 µs per ``add`` (it maintains indexes nobody reads here), this a dict insert.
    """

    def add(self, triple: tuple[Node, Node, Node]) -> None:
        self[triple] = None

    def __iter__(self):  # type: ignore[override]
        return iter(self.keys())


def normalize_text(text: str) -> str:
    """Claim-identity normal form: NFC, lower case, no quotation marks or punctuation, single spaces."""
    t = unicodedata.normalize("NFC", text).lower()
    t = t.translate({ord(c): " " for c in _QUOTE_MARKS})
    t = _NON_WORD.sub(" ", t)
    return _SPACES.sub(" ", t).strip()


def slug(text: str) -> str:
    """ASCII slug for IRIs: "Wladimir Putin" -> "wladimir-putin"."""
    t = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", t).strip("-") or "x"


def _h(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Iris:
    """Mints the instance and graph IRIs under one base IRI."""

    base: str

    def __post_init__(self) -> None:
        if not self.base.endswith("/"):
            object.__setattr__(self, "base", self.base + "/")

    def article(self, article_id: str) -> URIRef:
        return URIRef(f"{self.base}article/{quote(article_id, safe='')}")

    def article_graph(self, article_id: str) -> URIRef:
        return URIRef(f"{self.base}graph/article/{quote(article_id, safe='')}")

    def claim(self, speaker_key: str, text: str) -> URIRef:
        return URIRef(f"{self.base}claim/{_h(speaker_key, normalize_text(text))}")

    def mention(self, article_id: str, start: int, end: int, speaker_key: str, text: str = "",
                date_said: str = "", quote_type: str = "") -> URIRef:
        return URIRef(f"{self.base}mention/"
                      f"{_h(article_id, start, end, speaker_key, normalize_text(text), date_said, quote_type)}")

    def speaker(self, key: str) -> URIRef:
        return URIRef(f"{self.base}speaker/{quote(key, safe='')}")

    def activity(self, kind: str) -> URIRef:
        return URIRef(f"{self.base}activity/{kind}/{__version__}")

    @property
    def claims_graph(self) -> URIRef:
        return URIRef(f"{self.base}graph/claims")

    @property
    def speakers_graph(self) -> URIRef:
        return URIRef(f"{self.base}graph/speakers")

    @property
    def ontology_graph(self) -> URIRef:
        return URIRef(f"{self.base}graph/ontology")

    @staticmethod
    def inferred(graph: URIRef) -> URIRef:
        return URIRef(f"{graph}/inferred")

    def article_id_from_graph(self, graph: str) -> str | None:
        from urllib.parse import unquote

        prefix = f"{self.base}graph/article/"
        if graph.startswith(prefix) and not graph.endswith("/inferred"):
            return unquote(graph[len(prefix):])
        return None


def speaker_key(ref: SpeakerRef, article_id: str) -> str:
    """The key of a speaker entity: the gazetteer key, or a slug local to the article if unresolved."""
    if ref.key:
        return ref.key
    if ref.resolved:
        return slug(ref.name)
    return f"local-{_h(article_id, normalize_text(ref.name))}"


@dataclass
class ClaimRecord:
    """The canonical facts of one claim (its record in the claims graph)."""

    iri: URIRef
    speaker: URIRef
    text: str
    language: str
    date_said: dt.date
    type: str
    hedged: bool = False
    context: str | None = None
    responds_to: list[URIRef] = field(default_factory=list)

    def triples(self) -> list[tuple[URIRef, URIRef, Node]]:
        """The record's triples (a plain list: records are built per statement on bulk import)."""
        c = self.iri
        out: list[tuple[URIRef, URIRef, Node]] = [
            (c, _TYPE, Q.Claim),
            (c, Q.speaker, self.speaker),
            (c, Q.text, Literal(self.text, lang=self.language)),
            (c, Q.dateSaid, date_literal(self.date_said)),
            (c, Q.quoteType, Q[self.type]),
            (c, Q.certainty, Q.Hedged if self.hedged else Q.Certain),
        ]
        if self.context:
            out.append((c, Q.context, Literal(self.context, lang=self.language)))
        out += [(c, Q.respondsTo, other) for other in self.responds_to]
        return out

    def graph(self) -> Graph:
        g = Graph()
        for t in self.triples():
            g.add(t)
        return g


def article_authors(author: str | None) -> list[str]:
    """The names in an author field (web pages list several as "A; B", as trafilatura gives them)."""
    return [n.strip() for n in (author or "").split(";") if n.strip()]


def add_article(g: Graph | Triples, iris: Iris, article: Article) -> URIRef:
    """The article node: identifier, date, language, title, url, publisher, authors, body."""
    a = iris.article(article.id)
    g.add((a, _TYPE, Q.Article))
    g.add((a, DCTERMS.identifier, Literal(article.id)))
    g.add((a, SCHEMA.datePublished, date_literal(article.date)))
    g.add((a, SCHEMA.inLanguage, Literal(article.language or "und")))
    if article.title:
        g.add((a, SCHEMA.headline, Literal(article.title)))
    if article.url:
        g.add((a, SCHEMA.url, Literal(article.url)))
    if article.publisher:
        g.add((a, SCHEMA.publisher, Literal(article.publisher)))
    for name in article_authors(article.author):
        g.add((a, SCHEMA.author, Literal(name)))
    if article.page_digest:  # the HTML is not stored, its digest is
        g.add((a, SCHEMA.sha256, Literal(article.page_digest)))
    if article.has_text:
        g.add((a, SCHEMA.articleBody, Literal(article.text)))
    return a


def add_speaker(g: Graph | Triples, iris: Iris, ref: SpeakerRef, article_id: str) -> URIRef:
    """A speaker node with type and label (enough for the article graph to validate alone)."""
    s = iris.speaker(speaker_key(ref, article_id))
    g.add((s, _TYPE, Q.Organization if ref.kind == "organization" else Q.Person))
    g.add((s, _LABEL, Literal(ref.name)))
    if ref.wikidata:
        g.add((s, _SAME_AS, WD[ref.wikidata]))
    if not ref.resolved:
        g.add((s, Q.resolved, _FALSE))
    return s


def add_mention(g: Graph | Triples, iris: Iris, article: Article, quote_: Quote, claim: URIRef,
                speaker: URIRef, key: str, activity: URIRef, shared: Graph | Triples | None = None) -> URIRef:
    """One mention: offsets, exact text, cue, speaker as written, type, date, confidence.

    ``shared`` receives who a relaying speaker is (default: ``g``; the builder keeps speaker
    facts apart, docs/MODEL.md "Each fact once")."""
    m = iris.mention(article.id, quote_.start, quote_.end, key, quote_.text,
                     quote_.date_said.isoformat(), quote_.type)
    g.add((m, _TYPE, Q.Mention))
    g.add((m, Q.mentionOf, claim))
    g.add((m, Q.inArticle, iris.article(article.id)))
    g.add((m, Q.quoteType, Q[quote_.type]))
    g.add((m, Q.dateSaid, date_literal(quote_.date_said)))
    g.add((m, Q.dateBasis, _plain(quote_.date_basis)))
    g.add((m, Q.confidence, _confidence(round(quote_.confidence, 3))))
    g.add((m, _GENERATED_BY, activity))
    if article.has_text:
        _offsets(g, m, quote_.start, quote_.end)
        g.add((m, NIF.anchorOf, Literal(" … ".join(article.text[s:e] for s, e in quote_.spans))))
        if len(quote_.spans) > 1:
            for n, (s, e) in enumerate(quote_.spans, 1):
                seg = URIRef(f"{m}/seg/{n}")
                g.add((m, Q.segment, seg))
                g.add((seg, RDF.type, Q.Segment))
                _offsets(g, seg, s, e)
    else:
        g.add((m, NIF.anchorOf, Literal(quote_.text)))
    if quote_.cue:
        g.add((m, Q.cueText, Literal(quote_.cue.text)))
        if article.has_text:
            g.add((m, Q.cueBegin, _nni(quote_.cue.start)))
            g.add((m, Q.cueEnd, _nni(quote_.cue.end)))
    sp = quote_.speaker
    if sp and sp.mention:
        g.add((m, Q.speakerMention, Literal(sp.mention.text)))
        if article.has_text:
            g.add((m, Q.speakerMentionBegin, _nni(sp.mention.start)))
            g.add((m, Q.speakerMentionEnd, _nni(sp.mention.end)))
    if quote_.relay:
        relay = add_speaker(g if shared is None else shared, iris, quote_.relay, article.id)
        g.add((m, Q.relayedBy, relay))
    if quote_.context:
        g.add((m, Q.context, Literal(quote_.context, lang=quote_.language)))
    return m


def add_activity(g: Graph | Triples, iris: Iris, kind: str) -> URIRef:
    """The PROV activity that produced the mentions (extractor or structured import)."""
    act = iris.activity(kind)
    g.add((act, RDF.type, PROV.Activity))
    agent = URIRef(f"{iris.base}agent/quoth")
    g.add((act, PROV.wasAssociatedWith, agent))
    g.add((agent, RDF.type, PROV.SoftwareAgent))
    g.add((agent, SKOS.prefLabel, Literal(f"Quoth {__version__}")))
    return act


_FALSE = Literal(False)


@lru_cache(maxsize=8192)
def date_literal(day: dt.date) -> Literal:
    """An ``xsd:date`` literal (cached: rdflib parses the lexical form on every Literal())."""
    return Literal(day.isoformat(), datatype=XSD.date)


@lru_cache(maxsize=64)
def _plain(text: str) -> Literal:
    return Literal(text)


@lru_cache(maxsize=1024)
def _confidence(value: float) -> Literal:
    return Literal(Decimal(str(value)), datatype=XSD.decimal)


@lru_cache(maxsize=65536)
def _nni(n: int) -> Literal:
    return Literal(n, datatype=XSD.nonNegativeInteger)


def _offsets(g: Graph | Triples, node: URIRef, start: int, end: int) -> None:
    g.add((node, NIF.beginIndex, _nni(start)))
    g.add((node, NIF.endIndex, _nni(end)))
