"""Linked-data dumps of the store: Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML."""

from __future__ import annotations

import io
import json
from functools import lru_cache
from typing import IO, Any

from rdflib import Dataset, Graph

from .paths import PACKAGE_DIR
from .store import Store


@lru_cache(maxsize=1)
def jsonld_context() -> dict[str, Any]:
    """The JSON-LD ``@context`` (schema.org-friendly short names for Quoth terms)."""
    return json.loads((PACKAGE_DIR / "data" / "context.jsonld").read_text(encoding="utf-8"))


def graph_to_jsonld(graph: Graph | Dataset) -> bytes:
    """Compact JSON-LD of an rdflib graph or dataset with Quoth's context."""
    ctx = jsonld_context()["@context"]
    return graph.serialize(format="json-ld", context=ctx, auto_compact=True, encoding="utf-8")


def export_store(store: Store, out: IO[bytes], fmt: str, graph_iri: str | None = None) -> None:
    """Write the store (or one named graph) to ``out`` in ``fmt`` (a key of RDF_FORMATS).

    Everything but JSON-LD goes through the store's native writer (fast, streaming);
    JSON-LD goes through rdflib to compact it with the context.
    """
    if fmt != "jsonld":
        store.dump(out, fmt, graph_iri)
        return
    buf = io.BytesIO()
    store.dump(buf, "nq", graph_iri)
    ds = Dataset()
    ds.parse(data=buf.getvalue(), format="nquads")
    out.write(graph_to_jsonld(ds))
