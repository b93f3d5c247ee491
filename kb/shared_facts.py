"""Facts several articles share, stored once: who the speakers are, the PROV activities.

The union default graph repeats a triple once per named graph that holds it, so a fact kept
in every article graph that names a speaker (its type, its label) multiplies every join with
it. Each such fact is stored in ONE graph (docs/MODEL.md, "Each fact once"):

* ``B graph/speakers`` (the gazetteer, kb/setup.py) for the speakers it describes;
* ``B graph/claims`` for the rest: speakers the gazetteer does not describe (or facts it
  does not state, such as a statement's ``speaker_iri``), and the extraction/import activity.

The builder (:mod:`kb.builder`) keeps these facts apart from the article graph
(``Prepared.shared``, ``Prepared.told``) and hands them to SHACL with the article, so every
article is still validated on its own. It leaves out what the gazetteer states only once the
writer has loaded the gazetteer into the store (``GraphBuilder.gazetteer_in_store``, set by
``Ingestor.ensure_setup``, which also removes copies written before: :func:`drop_told`). This module removes the facts of speakers nothing
refers to any more (after an article was deleted or replaced) and migrates a store written
before this layout.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, SKOS

from .graph import Iris
from .store import Store
from .store.sparql_text import iri
from .vocab import Q

log = logging.getLogger(__name__)

#: the predicates of a speaker's facts as an article states them (kb.graph.add_speaker)
SPEAKER_FACTS = (RDF.type, SKOS.prefLabel, OWL.sameAs, Q.resolved)
_PROV = "http://www.w3.org/ns/prov#"
#: the classes of the shared nodes an article graph held before (speakers, activity, agent)
SHARED_CLASSES = (Q.Person, Q.Organization, URIRef(_PROV + "Activity"), URIRef(_PROV + "SoftwareAgent"))
_SHARED_PREDICATES = (*SPEAKER_FACTS, URIRef(_PROV + "wasAssociatedWith"))


def _values(terms: Iterable[object]) -> str:
    return " ".join(iri(str(t)) for t in terms)


def named_speakers(store: Store, iris: Iris, graphs: Iterable[str]) -> set[URIRef]:
    """The speakers the stored versions of these article graphs name (speakers of the claims
    they mention, relaying speakers): the candidates for :func:`drop_orphans`."""
    graphs = list(graphs)
    if not graphs:
        return set()
    q = (f"SELECT DISTINCT ?s WHERE {{ VALUES ?g {{ {_values(graphs)} }} "
         f"{{ GRAPH ?g {{ ?m q:mentionOf ?c }} GRAPH {iri(str(iris.claims_graph))} {{ ?c q:speaker ?s }} }} "
         "UNION { GRAPH ?g { ?m q:relayedBy ?s } } }")
    return {r["s"] for r in store.select(q) if isinstance(r["s"], URIRef)}


def drop_orphans(iris: Iris, speakers: Iterable[URIRef]) -> list[str]:
    """SPARQL Update operations removing, from the claims graph and its inferred graph, the
    facts of those ``speakers`` that no claim record, relayed mention or correction refers to.

    Meant to run last in the update that deletes or replaces articles: the conditions are
    read after that update's drops and inserts, so a speaker the new version names stays."""
    speakers = sorted(set(speakers))
    if not speakers:
        return []
    cg = iri(str(iris.claims_graph))
    unused = (f"FILTER NOT EXISTS {{ GRAPH {cg} {{ ?c <{Q.speaker}> ?s }} }} "
              f"FILTER NOT EXISTS {{ GRAPH ?g1 {{ ?m <{Q.relayedBy}> ?s }} }} "
              f"FILTER NOT EXISTS {{ GRAPH ?g2 {{ ?x <{Q.attributedTo}> ?s }} }}")
    out = []
    for g in (cg, iri(str(Iris.inferred(iris.claims_graph)))):
        out.append(f"DELETE {{ GRAPH {g} {{ ?s ?p ?o }} }} WHERE {{ VALUES ?s {{ {_values(speakers)} }} "
                   f"GRAPH {g} {{ ?s ?p ?o }} {unused} }}")
    return out


def needs_migration(store: Store, iris: Iris) -> bool:
    """True if an article graph still holds shared facts (a store written before this layout)."""
    prefix = f"{iris.base}graph/article/"
    union = " UNION ".join(f"{{ GRAPH ?g {{ ?s a <{c}> }} }}" for c in SHARED_CLASSES)
    return bool(store.ask(f"ASK {{ {union} FILTER(STRSTARTS(STR(?g), \"{prefix}\")) }}"))


def migrate(store: Store, iris: Iris, materialize: Callable[[Graph], Graph]) -> bool:
    """Bring a store written before this layout to it, once: move the shared facts out of the
    article graphs into the claims graph, drop from the claims graph what the gazetteer graph
    states, and recompute every inferred graph. Returns True if anything was migrated.

    Each step is one SPARQL Update and can be run again; the check on the next open repeats
    what an interrupted migration left undone."""
    if not needs_migration(store, iris):
        return False
    from .setup import rematerialize

    prefix = f"{iris.base}graph/article/"
    cg = iri(str(iris.claims_graph))
    classes = ", ".join(f"<{c}>" for c in SHARED_CLASSES)
    preds = ", ".join(f"<{p}>" for p in _SHARED_PREDICATES)
    log.warning("moving speaker and activity facts out of the article graphs (once per store)")
    store.update(
        f"DELETE {{ GRAPH ?g {{ ?s ?p ?o }} }} INSERT {{ GRAPH {cg} {{ ?s ?p ?o }} }} WHERE {{ "
        f"GRAPH ?g {{ ?s a ?t . ?s ?p ?o }} FILTER(?t IN ({classes}) && ?p IN ({preds}) "
        f"&& STRSTARTS(STR(?g), \"{prefix}\") && !STRENDS(STR(?g), \"/inferred\")) }}")
    drop_told(store, iris)
    rematerialize(store, iris, materialize)
    return True


def drop_told(store: Store, iris: Iris) -> None:
    """Remove from the claims graph (and its inferred graph) what the speakers graph (and its
    inferred graph) states: copies written while the gazetteer was not loaded, or before the
    gazetteer stated them. Cheap: one look-up per triple of the gazetteer."""
    ops = []
    for cg, sg in ((iris.claims_graph, iris.speakers_graph),
                   (Iris.inferred(iris.claims_graph), Iris.inferred(iris.speakers_graph))):
        c, s = iri(str(cg)), iri(str(sg))
        ops.append(f"DELETE {{ GRAPH {c} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {s} {{ ?s ?p ?o }} GRAPH {c} {{ ?s ?p ?o }} }}")
    store.update(" ;\n".join(ops))
