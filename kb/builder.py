"""Input -> RDF for one article: its named graph, its claim records, what they entail.

One builder serves the writing process (:class:`kb.ingest.Ingestor`) and the validation
workers (:mod:`kb.validate_pool`), so both build exactly the same triples from the same
input. The builder reads no store: the only store-dependent step, the similar-claim merge,
comes in as the ``choose`` hook of :meth:`GraphBuilder.prepare`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL

from .claim_merge import type_rank
from .graph import (
    ClaimRecord,
    Iris,
    Triples,
    add_activity,
    add_article,
    add_mention,
    add_speaker,
    speaker_key,
)
from .model import Article, Quote, SpeakerRef, Statement
from .vocab import Q

#: (exact claim IRI, speaker IRI, speaker key, quote) -> the claim the quote is a mention of
ClaimChooser = Callable[[URIRef, URIRef, str, Quote], URIRef]


@dataclass
class Prepared:
    """One article's triples, ready to validate and write."""

    article: Article
    graph: Triples
    claims: dict[URIRef, ClaimRecord]
    mentions: int
    previous_claims: set[URIRef] = field(default_factory=set)
    #: how many mentions each claim has in this article, and how many were near-duplicates merged
    mention_counts: dict[URIRef, int] = field(default_factory=dict)
    merged: int = 0
    record_triples: list[tuple] = field(default_factory=list)  # set by write() once records are final
    #: the article graph (with its content digest) and its inferred graph as N-Quads, per
    #: graph, when a validation worker built them (kb.validate_pool); ``graph`` is then empty
    payload: list[tuple[str, bytes]] | None = None
    #: facts the article states that other articles share, stored once in the claims graph
    #: (who its speakers are, the PROV activity): not in ``graph`` (docs/MODEL.md, "Each fact once")
    shared: Triples = field(default_factory=Triples)
    #: the speaker facts the gazetteer's graph states already: seen by SHACL, not stored again
    told: list[tuple] = field(default_factory=list)
    #: stored claims this article joins to one of its own (kb.claim_links): old IRI -> new IRI
    absorbed: dict[URIRef, URIRef] = field(default_factory=dict)
    #: an article being deleted (kb.ingest.Ingestor.delete_article): only its removals are written
    deleted: bool = False

    @property
    def size(self) -> int:
        """How many triples the article graph has."""
        if self.payload is not None:
            return self.payload[0][1].count(b"\n")
        return len(self.graph)


class GraphBuilder:
    """Builds articles' graphs and claim records under one base IRI (loads the gazetteer and
    the ontology closure lazily, once)."""

    def __init__(self, base_iri: str, gazetteer=None, closure=None, load_gazetteer: Callable[[], Any] | None = None,
                 materialize: Callable[[Any], Any] | None = None):
        """``gazetteer``: the speakers gazetteer, or ``load_gazetteer`` to get it on first use
        (default: :meth:`Gazetteer.load_default`); ``materialize``: what computes the
        inferred graphs (default: :meth:`entail`)."""
        self.iris = Iris(base_iri)
        self.materialize = materialize or self.entail
        self._gaz = gazetteer
        self._load_gaz = load_gazetteer
        self._closure = closure
        self._speaker_cache: dict[tuple[str, str], Any] = {}  # (name, language) -> ref | None | "by-date"
        self._told: frozenset | None = None
        #: the store holds the gazetteer's graph (kb.setup.ensure_speakers): the speaker facts it
        #: states are then not stored again (Prepared.told); until then they go to the claims graph
        self.gazetteer_in_store = False

    @property
    def gazetteer_facts(self) -> frozenset:
        """The triples of the speakers graph (the gazetteer as RDF, kb.setup.gazetteer_graph)."""
        if self._told is None:
            from .setup import gazetteer_graph

            self._told = frozenset(gazetteer_graph(self.iris, self.gazetteer))
        return self._told

    @property
    def closure(self):
        """The ontology's entailed hierarchy (HermiT runs once per ontology version, then cached)."""
        if self._closure is None:
            from .ontology import closure

            self._closure = closure()
        return self._closure

    def entail(self, graph: Graph) -> Graph:
        """The triples the ontology entails from ``graph`` (schema.org, PROV, NIF terms)."""
        from .ontology import materialize

        return materialize(graph, self.closure)

    @property
    def gazetteer(self):
        """The speakers gazetteer (loaded on first use unless given)."""
        if self._gaz is None:
            if self._load_gaz is not None:
                self._gaz = self._load_gaz()
            else:
                from .extract.speakers import Gazetteer

                self._gaz = Gazetteer.load_default()
        return self._gaz

    def prepare_statements(self, groups: list[tuple[str, list[Statement]]], graph: bool = True) -> list[Prepared]:
        out = []
        for source_id, statements in groups:
            article, quotes = self.statements_article(source_id, statements)
            out.append(self.prepare(article, quotes, "import", graph=graph))
        return out

    def payload(self, p: Prepared, digest: str) -> list[tuple[str, bytes]]:
        """An article graph stamped with its content digest, and what it entails, as
        N-Quads per graph: what :meth:`kb.ingest.Ingestor.write` would insert for it (see Prepared.payload)."""
        from .store import nquads

        self.stamp(p, digest)
        return [(g, nquads([(g, triples)])) for g, triples in self.article_graphs(p)]

    def stamp(self, p: Prepared, digest: str) -> None:
        """Record in the article graph the digest of what the article states (no-op re-ingest)."""
        p.graph.add((self.iris.article_graph(p.article.id), Q.sourceHash, Literal(digest)))

    def article_graphs(self, p: Prepared) -> list[tuple[str, Any]]:
        """The article graph and its inferred graph, as (graph IRI, triples)."""
        g = self.iris.article_graph(p.article.id)
        return [(str(g), p.graph), (str(Iris.inferred(g)), self.materialize(p.graph))]

    def statements_article(self, source_id: str, statements: list[Statement]) -> tuple[Article, list[Quote]]:
        first = statements[0]
        article = Article(id=source_id, text="", date=first.source_date, language=first.language,
                          title=first.source_title, url=first.source_url, has_text=False,
                          source_line=first.line)
        quotes = []
        for st in statements:
            ref = self._resolve_named_speaker(st.speaker, st.language, st.date_said)
            q = Quote(article_id=source_id, type=st.type, text=st.text, spans=[(0, len(st.text))],
                      language=st.language, date_said=st.date_said, speaker=ref, confidence=1.0,
                      date_basis="explicit")
            q.speaker_iri = st.speaker_iri  # type: ignore[attr-defined]
            quotes.append(q)
        return article, quotes

    def _resolve_named_speaker(self, name: str, language: str, on: dt.date) -> SpeakerRef:
        """A statement's speaker: a gazetteer entity (by name, alias or dated role) or the name itself.

        Cached per name: only names that contain a role noun need the date.
        """
        gaz, cache = self.gazetteer, self._speaker_cache
        key = (name, language)
        if key not in cache:
            from .extract.speakers import norm_tokens

            toks = norm_tokens(name, language)
            hit = gaz.match_name(toks)
            if hit and (hit[1], hit[2]) != (0, len(toks)):
                hit = None  # a statement names its speaker in full: "Thomas Schröder" is not Gerhard
            cache[key] = hit[0].to_ref() if hit else (None if not gaz.role_matches(toks) else "by-date")
        ref = cache[key]
        if ref == "by-date":
            ref = gaz.resolve(name, language, on)
        if ref is not None and ref.key:
            return ref
        return SpeakerRef(name=name, kind="person", resolved=True)

    def prepare(self, article: Article, quotes: list[Quote], activity_kind: str,
                choose: ClaimChooser | None = None, graph: bool = True) -> Prepared:
        """Build the article graph and the records of the claims it mentions.

        ``choose(exact, speaker, speaker key, quote)`` may map a quote's claim (its exact
        identity) to another one (the similar-claim merge of :class:`kb.ingest.Ingestor`,
        which reads the store); without it the graph depends on the input alone.

        ``graph=False``: the records only, and of the graph only the speakers' facts (for a
        writer whose validation worker built the rest, :meth:`_ingest_pipelined`).
        """
        g, shared = Triples(), Triples()
        activity = add_activity(shared, self.iris, activity_kind)
        if graph:
            add_article(g, self.iris, article)
        claims: dict[URIRef, ClaimRecord] = {}
        claim_of_quote: list[URIRef | None] = []
        n_mentions = merged = 0
        counts: dict[URIRef, int] = {}
        # re-ingesting: a mention stored before keeps the claim it was merged into, so the
        # result does not depend on what other articles stored since (idempotent, and a
        # resumed import ends as a clean one)
        for quote in quotes:
            if quote.speaker is None:  # agentless statements are reported by extract, not stored
                claim_of_quote.append(None)
                continue
            key = speaker_key(quote.speaker, article.id)
            speaker = add_speaker(shared, self.iris, quote.speaker, article.id)
            extra_iri = getattr(quote, "speaker_iri", None)
            if extra_iri:
                shared.add((speaker, OWL.sameAs, URIRef(extra_iri)))
            claim = self.iris.claim(key, quote.text)
            if choose is not None:
                exact, claim = claim, choose(claim, speaker, key, quote)
                merged += claim != exact
            counts[claim] = counts.get(claim, 0) + 1
            claim_of_quote.append(claim)
            rec = claims.get(claim)
            if rec is None:
                claims[claim] = ClaimRecord(claim, speaker, quote.text, quote.language, quote.date_said,
                                            quote.type, quote.hedged, quote.context)
            else:  # folded as across articles (kb.claim_merge), whatever the order of the quotes
                rec.date_said = min(rec.date_said, quote.date_said)
                rec.hedged = rec.hedged or quote.hedged
                rec.type = min(rec.type, quote.type, key=type_rank)
                if (quote.text, quote.language, quote.context or "") < (rec.text, rec.language, rec.context or ""):
                    rec.text, rec.language, rec.context = quote.text, quote.language, quote.context
            if graph:
                add_mention(g, self.iris, article, quote, claim, speaker, key, activity, shared)
            elif quote.relay:
                add_speaker(shared, self.iris, quote.relay, article.id)
            n_mentions += 1
        for quote, claim in zip(quotes, claim_of_quote):
            if claim is None or quote.responds_to is None:
                continue
            if 0 <= quote.responds_to < len(claim_of_quote):
                other = claim_of_quote[quote.responds_to]
                if other is not None and other != claim and other not in claims[claim].responds_to:
                    claims[claim].responds_to.append(other)
        told = self.gazetteer_facts if self.gazetteer_in_store else frozenset()
        kept = Triples.fromkeys(t for t in shared if t not in told)
        return Prepared(article, g, claims, n_mentions, mention_counts=counts, merged=merged, shared=kept,
                        told=[t for t in shared if t in told])


def record_triples(p: Prepared) -> list[tuple]:
    """The claims-graph triples of an article: its claim records, and the facts it shares with
    other articles (who its speakers are, unless the gazetteer says so; its activity), stored
    once per store in the claims graph, not per article graph."""
    return [t for rec in p.claims.values() for t in rec.triples()] + list(p.shared)


def validation_triples(p: Prepared) -> list[tuple]:
    """What SHACL checks for one article: its graph, its claims-graph triples and what the
    gazetteer says of its speakers."""
    return [*p.graph, *record_triples(p), *p.told]


def content_digest(p: Prepared, triples: list[tuple] | None = None) -> str:
    """sha256 of what an article states (its graph and claim records, before they are
    merged with the store): the same input gives the same digest, whatever the store holds.
    ``triples``: the article's :func:`validation_triples`, if already at hand."""
    lines = sorted(f"{s.n3()} {pr.n3()} {o.n3()}" for s, pr, o in (triples or validation_triples(p)))
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def source_id(st: Statement) -> str:
    key = st.source_url or f"{st.source_title}|{st.source_date.isoformat()}"
    return "src-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


