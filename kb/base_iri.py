"""The base IRI belongs to the store: recorded at its first ingest, used by every command.

Every minted IRI (claims, speakers, graphs) lives under the base IRI, so a store read with
another base looks empty. The base is recorded in the store itself, as the VoID URI space of
the dataset (``<B dataset> void:uriSpace "B"`` in ``B graph/claims``), when an
:class:`kb.ingest.Ingestor` first sets the store up. :func:`resolve` then makes it the
store's ``base_iri`` whatever ``--base-iri``, host or port a command is given: ``quoth serve
--port 8001`` serves a store ingested with the defaults under its own IRIs (they dereference
on the serving host by path, see api/linked_data.py). A store written before the base was
recorded is recognised by the IRI of its ontology graph (``B graph/ontology``).
"""

from __future__ import annotations

from rdflib import Literal, URIRef

from .graph import Iris
from .store import Store, StoreError
from .store.sparql_text import insert_data

URI_SPACE = URIRef("http://rdfs.org/ns/void#uriSpace")


def _slash(base: str) -> str:
    return base if base.endswith("/") else base + "/"


def stated_base(store: Store) -> str | None:
    """The base IRI recorded in the store (its VoID URI space), or None."""
    rows = store.select(f"SELECT DISTINCT ?b WHERE {{ GRAPH ?g {{ ?d <{URI_SPACE}> ?b }} }} LIMIT 2")
    bases = {str(r["b"]) for r in rows}
    if len(bases) > 1:
        raise StoreError(f"the store records several base IRIs: {', '.join(sorted(bases))}")
    return bases.pop() if bases else None


def recorded_base(store: Store) -> str | None:
    """The store's base IRI: the recorded one, else (a store from before it was recorded)
    the prefix of its ontology graph's IRI; None for an empty store."""
    base = stated_base(store)
    if base is not None:
        return base
    rows = store.select("SELECT ?g WHERE { GRAPH ?g { ?o a owl:Ontology } } LIMIT 1")
    graph = str(rows[0]["g"]) if rows else ""
    return graph[: -len("graph/ontology")] if graph.endswith("/graph/ontology") else None


def resolve(store: Store, explicit: str | None, fallback: str) -> str:
    """Set ``store.base_iri`` to the store's own base (or, for an empty store, ``explicit``,
    else ``fallback``) and return it. An ``explicit`` base that differs from the store's is a
    :class:`StoreError`: read with it, the store would look empty."""
    own = recorded_base(store)
    if own is not None and explicit and _slash(explicit) != _slash(own):
        raise StoreError(f"this store's base IRI is {own} (recorded at its first ingest), not {explicit} "
                         "(--base-iri / QUOTH_BASE_IRI): drop that setting to use the store's")
    store.base_iri = own or explicit or fallback
    return store.base_iri


def record(store: Store, iris: Iris) -> bool:
    """Record the base IRI in the store unless it is recorded already. True if written now."""
    if stated_base(store) is not None:
        return False
    node = URIRef(f"{iris.base}dataset")
    store.update(insert_data([(str(iris.claims_graph), [(node, URI_SPACE, Literal(iris.base))])]))
    return True
