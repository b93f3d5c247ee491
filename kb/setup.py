"""Keeping the store's shared graphs current: the ontology and the speakers gazetteer.

Each shared graph carries the hash of the source it was built from; it is rebuilt only
when that hash changes. When the ontology changes, every ``…/inferred`` graph is
recomputed from its asserted graph, so SPARQL over schema.org / PROV terms stays right
without query-time reasoning.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, SKOS, XSD

from .graph import Iris, slug
from .store import Store
from .store.sparql_text import insert_data, iri
from .vocab import Q, WD

log = logging.getLogger(__name__)


def stored_hash(store: Store, graph: URIRef) -> str | None:
    """The source hash recorded in a shared graph, or None if the graph is absent."""
    rows = store.select("SELECT ?h WHERE { GRAPH ?g { ?g q:sourceHash ?h } }", {"g": graph})
    return str(rows[0]["h"]) if rows else None


def replace_shared_graph(store: Store, graph: URIRef, data: Graph, inferred: Graph, source_hash: str) -> None:
    """Replace a shared graph and its inferred graph in one update, stamped with ``source_hash``."""
    data = data + Graph()
    data.add((graph, Q.sourceHash, Literal(source_hash)))
    ops = [f"DROP SILENT GRAPH {iri(str(graph))}", f"DROP SILENT GRAPH {iri(str(Iris.inferred(graph)))}",
           insert_data([(str(graph), data), (str(Iris.inferred(graph)), inferred)])]
    store.update(" ;\n".join(ops))


def ensure_ontology(store: Store, iris: Iris) -> bool:
    """Load the ontology (with its inferred TBox) if its version changed. True if it was (re)loaded."""
    from .ontology import closure, materialize, ontology_graph, ontology_version

    version = ontology_version()
    if stored_hash(store, iris.ontology_graph) == version:
        return False
    had_ontology = stored_hash(store, iris.ontology_graph) is not None
    replace_shared_graph(store, iris.ontology_graph, ontology_graph(), Graph(), version)
    if had_ontology:  # entailments of the old ontology are stale everywhere
        cl = closure()
        rematerialize(store, iris, lambda g: materialize(g, cl))
    return True


def rematerialize(store: Store, iris: Iris, materialize: Callable[[Graph], Graph]) -> int:
    """Recompute every ``…/inferred`` graph from its asserted graph. Returns graphs rewritten."""
    n = 0
    for g in store.named_graphs():
        if g.endswith("/inferred") or g == str(iris.ontology_graph):
            continue
        inferred = Iris.inferred(URIRef(g))
        asserted = store.graph(g)
        ops = [f"DROP SILENT GRAPH {iri(str(inferred))}", insert_data([(str(inferred), materialize(asserted))])]
        store.update(" ;\n".join(op for op in ops if op))
        n += 1
    log.info("re-materialized %d graphs", n)
    return n


def gazetteer_graph(iris: Iris, gazetteer) -> Graph:
    """The gazetteer as RDF: speakers with labels, aliases, Wikidata links and role spans."""
    g = Graph()
    for e in gazetteer.entities():
        s = iris.speaker(e.key)
        g.add((s, RDF.type, Q.Organization if e.kind == "organization" else Q.Person))
        g.add((s, SKOS.prefLabel, Literal(e.name)))
        if e.wikidata:
            g.add((s, OWL.sameAs, WD[e.wikidata]))
        for lang, names in (e.aliases or {}).items():
            for name in names:
                if name != e.name:
                    g.add((s, SKOS.altLabel, Literal(name, lang=lang or None)))
        for role in e.roles or []:
            r = URIRef(f"{s}/role/{slug(role.label)}-{role.start or 'x'}-{role.lang}")
            g.add((s, Q.holdsRole, r))
            g.add((r, RDF.type, Q.RoleSpan))
            g.add((r, Q.roleLabel, Literal(role.label, lang=role.lang or None)))
            if role.start:
                g.add((r, Q.roleStart, Literal(role.start.isoformat(), datatype=XSD.date)))
            if role.end:
                g.add((r, Q.roleEnd, Literal(role.end.isoformat(), datatype=XSD.date)))
    return g


def ensure_speakers(store: Store, iris: Iris, gazetteer, materialize: Callable[[Graph], Graph]) -> bool:
    """Load the gazetteer into the speakers graph if it changed. True if it was (re)loaded."""
    data = gazetteer_graph(iris, gazetteer)
    lines = sorted(f"{s.n3()} {p.n3()} {o.n3()}" for s, p, o in data)
    digest = hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
    if stored_hash(store, iris.speakers_graph) == digest:
        return False
    replace_shared_graph(store, iris.speakers_graph, data, materialize(data), digest)
    return True

