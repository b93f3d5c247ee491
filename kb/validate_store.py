"""Validate a whole stored knowledge base, article by article (``quoth validate``)."""

from __future__ import annotations

from typing import Any

from rdflib import Graph, URIRef

from .graph import Iris
from .shared_facts import SPEAKER_FACTS
from .store import Store
from .store.sparql_text import iri


def article_validation_graph(store: Store, iris: Iris, graph_iri: str) -> Graph:
    """An article's graph plus the records of the claims it mentions: what SHACL saw at ingest."""
    g = store.graph(graph_iri)
    claims = {o for o in g.objects(None, URIRef("https://w3id.org/quoth/ontology#mentionOf"))}
    if claims:
        values = " ".join(iri(str(c)) for c in claims)
        g += store.construct(f"CONSTRUCT {{ ?c ?p ?o }} WHERE {{ VALUES ?c {{ {values} }} "
                             f"GRAPH {iri(str(iris.claims_graph))} {{ ?c ?p ?o }} }}")
    # who the speakers are is stored once, in the claims or the speakers graph (kb.shared_facts)
    speakers = {o for o in g.objects(None, URIRef("https://w3id.org/quoth/ontology#relayedBy"))}
    speakers |= set(g.objects(None, URIRef("https://w3id.org/quoth/ontology#speaker")))
    if speakers:
        values = " ".join(iri(str(s)) for s in speakers)
        preds = " ".join(f"<{p}>" for p in SPEAKER_FACTS)
        g += store.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?s {{ {values} }} VALUES ?p {{ {preds} }} "
                             f"VALUES ?sg {{ {iri(str(iris.claims_graph))} {iri(str(iris.speakers_graph))} }} "
                             "GRAPH ?sg { ?s ?p ?o } }")
    return g


def validate_store(store: Store, validator=None) -> list[dict[str, Any]]:
    """One result per stored article: ``{"article", "conforms", "text", "report"}``; the graph of
    corrections (kb/corrections.py), when there is one, is checked too, as ``"(corrections)"``."""
    from .validate import Validator

    validator = validator or Validator()
    iris = Iris(store.base_iri)
    out = []
    from .corrections import corrections_graph

    for g in store.named_graphs():
        if g == str(corrections_graph(store.base_iri)):  # the corrections, as one graph
            rep = validator.validate(store.graph(g))
            out.append({"article": "(corrections)", "conforms": rep.conforms, "text": rep.text,
                        "report": None if rep.conforms else rep.to_json()})
        aid = iris.article_id_from_graph(g)
        if aid is None:
            continue
        rep = validator.validate(article_validation_graph(store, iris, g))
        out.append({"article": aid, "conforms": rep.conforms, "text": rep.text,
                    "report": None if rep.conforms else rep.to_json()})
    return out
