"""Which claim each extracted quote is a mention of: the similar-claim merge, order-independent.

Two extracted mentions of one speaker are *linked* when they state the same claim by identity
(the same normalized text, :meth:`kb.graph.Iris.claim`) or nearly the same words
(token Jaccard ≥ :data:`MERGE_SIMILARITY` of their texts as stored, ``nif:anchorOf``) said at most
:data:`MERGE_WINDOW_DAYS` apart. A claim is a connected component of that relation, and its
IRI is the least (code-point order) of its members' exact claim IRIs. Both are functions of
the set of mentions, not of the order they came in: ingesting A then B, B then A, or either
twice gives the same store (``tests/test_consistency.py``).

Kept so by induction: every stored claim is a component whose IRI is the least of its
members'; a new article's quotes are linked with each other and with the stored mentions
(its own stored version excluded); each new component takes the least IRI among its quotes'
exact IRIs and the stored claims it joins, and the stored claims it joins under another IRI
are *absorbed*: their mentions are re-pointed to it in the same write (:func:`absorb_update`).

Not undone: deleting or replacing an article whose mentions were the only link between two
groups leaves them one claim.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rdflib import Literal, URIRef

from .graph import Iris, normalize_text, speaker_key
from .model import Article, Quote
from .store.sparql_text import iri

#: claims of one speaker whose normalized texts overlap this much (token Jaccard) are merged
MERGE_SIMILARITY = 0.8
#: … if their dates said are at most this many days apart
MERGE_WINDOW_DAYS = 14


def link_text(article: Article, quote: Quote) -> str:
    """The quote's text as its mention stores it (``nif:anchorOf``, kb.graph.add_mention)."""
    if article.has_text:
        return " … ".join(article.text[s:e] for s, e in quote.spans)
    return quote.text


@dataclass(frozen=True)
class _Member:
    claim: URIRef  # the claim it is a mention of (stored) or its exact claim (a new quote)
    norm: str
    tokens: frozenset[str]
    date: dt.date


def _member(claim: URIRef, text: str, date: dt.date) -> _Member:
    norm = normalize_text(text)
    return _Member(claim, norm, frozenset(norm.split()), date)


def linked(a: _Member, b: _Member) -> bool:
    """The same claim by identity, or nearly the same words close in time (module docstring)."""
    if a.claim == b.claim or a.norm == b.norm:
        return True
    if abs((a.date - b.date).days) > MERGE_WINDOW_DAYS or not a.tokens or not b.tokens:
        return False
    return len(a.tokens & b.tokens) / len(a.tokens | b.tokens) >= MERGE_SIMILARITY


@dataclass
class Assignment:
    """The claim of each quote (by position; None for agentless quotes) and the stored claims
    that become part of another one (absorbed IRI -> the IRI they become)."""

    claims: list[URIRef | None]
    absorbed: dict[URIRef, URIRef]


class ClaimLinker:
    """Reads the stored extracted mentions of the speakers an article quotes."""

    def __init__(self, store, iris: Iris):
        self.store = store
        self.iris = iris

    def _stored(self, speaker: URIRef, own_graph: URIRef) -> list[_Member]:
        """The extracted mentions of the speaker's claims in other articles."""
        rows = self.store.select(
            f"SELECT ?c ?a ?d WHERE {{ GRAPH {iri(str(self.iris.claims_graph))} {{ ?c q:speaker ?s }} "
            "GRAPH ?g { ?m q:mentionOf ?c ; q:dateSaid ?d ; nif:anchorOf ?a ; prov:wasGeneratedBy ?act } "
            "FILTER(?g != ?own && STRSTARTS(STR(?act), ?extract)) }",
            {"s": speaker, "own": own_graph, "extract": Literal(str(self.iris.activity("extract")).rsplit("/", 1)[0] + "/")},
        )
        return [_member(r["c"], str(r["a"]), dt.date.fromisoformat(str(r["d"]))) for r in rows]

    def assign(self, article: Article, quotes: list[Quote]) -> Assignment:
        """Each quote's claim and the stored claims absorbed (see the module docstring)."""
        own = self.iris.article_graph(article.id)
        parent: dict[object, object] = {}

        def find(x: object) -> object:
            parent.setdefault(x, x)
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        def union(a: object, b: object) -> None:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[ra] = rb

        new: list[tuple[int, URIRef, _Member]] = []  # (quote position, speaker, member)
        stored: dict[URIRef, list[_Member]] = {}
        for i, quote in enumerate(quotes):
            if quote.speaker is None:
                continue
            key = speaker_key(quote.speaker, article.id)
            speaker = self.iris.speaker(key)
            if speaker not in stored:
                stored[speaker] = self._stored(speaker, own)
            new.append((i, speaker, _member(self.iris.claim(key, quote.text), link_text(article, quote),
                                            quote.date_said)))
        for n, (i, speaker, m) in enumerate(new):
            find(("q", i))
            for s in stored[speaker]:
                if linked(m, s):
                    union(("q", i), ("c", s.claim))
            for j, speaker2, m2 in new[:n]:
                if speaker2 == speaker and linked(m, m2):
                    union(("q", i), ("q", j))
        least: dict[object, str] = {}
        members: dict[object, list[object]] = {}
        for node in list(parent):
            root = find(node)
            members.setdefault(root, []).append(node)
            name = str(node[1]) if node[0] == "c" else str(next(m.claim for i, _, m in new if i == node[1]))
            least[root] = min(least.get(root, name), name)
        claims: list[URIRef | None] = [None] * len(quotes)
        absorbed: dict[URIRef, URIRef] = {}
        for root, nodes in members.items():
            canon = URIRef(least[root])
            for node in nodes:
                if node[0] == "q":
                    claims[node[1]] = canon
                elif node[1] != canon:
                    absorbed[node[1]] = canon
        return Assignment(claims, absorbed)


def absorb_update(iris: Iris, absorbed: dict[URIRef, URIRef]) -> list[str]:
    """SPARQL Update operations that re-point every mention (and what it entails) of each
    absorbed claim to the claim it becomes, outside the claims and corrections graphs (the
    records are rewritten by the caller; corrections keep what they corrected)."""
    keep_out = [iris.claims_graph, Iris.inferred(iris.claims_graph),
                URIRef(f"{iris.base}graph/corrections")]
    keep_out.append(Iris.inferred(keep_out[-1]))
    outside = "FILTER(?g NOT IN (" + ", ".join(iri(str(g)) for g in keep_out) + "))"
    ops = []
    for old, new in sorted(absorbed.items()):
        o, n = iri(str(old)), iri(str(new))
        ops.append(f"DELETE {{ GRAPH ?g {{ ?s ?p {o} }} }} INSERT {{ GRAPH ?g {{ ?s ?p {n} }} }} "
                   f"WHERE {{ GRAPH ?g {{ ?s ?p {o} }} {outside} }}")
        ops.append(f"DELETE {{ GRAPH ?g {{ {o} ?p ?x }} }} INSERT {{ GRAPH ?g {{ {n} ?p ?x }} }} "
                   f"WHERE {{ GRAPH ?g {{ {o} ?p ?x }} {outside} }}")
    return ops


__all__ = ["Assignment", "ClaimLinker", "MERGE_SIMILARITY", "MERGE_WINDOW_DAYS", "absorb_update", "link_text",
           "linked"]
