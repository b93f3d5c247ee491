"""RDF namespaces and the terms of the Quoth ontology (see docs/MODEL.md).

Every module that writes or queries triples takes its IRIs from here, so the
ontology, the shapes, the graph builder and the queries cannot drift apart.
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD



class _Namespace(Namespace):
    """An rdflib Namespace whose attribute terms (``Q.speaker``) are created once.

    rdflib builds a new URIRef (with IRI validation) on every attribute access; the
    graph builder reads a few dozen terms per statement on bulk import.
    """

    def __getattr__(self, name: str):
        term = super().__getattr__(name)
        self.__dict__[name] = term  # found by normal attribute lookup from now on
        return term


Q = _Namespace("https://w3id.org/quoth/ontology#")
SCHEMA = _Namespace("http://schema.org/")
NIF = _Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
WD = Namespace("http://www.wikidata.org/entity/")

PREFIXES: dict[str, str] = {
    "q": str(Q),
    "schema": str(SCHEMA),
    "prov": str(PROV),
    "skos": str(SKOS),
    "dct": str(DCTERMS),
    "nif": str(NIF),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "wd": str(WD),
}

QUOTE_TYPES = ("Direct", "Indirect", "FreeIndirect", "IndirectFreeIndirect", "Reported")


def sparql_prefixes() -> str:
    """PREFIX declarations for every namespace above, for SPARQL text."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


__all__ = ["Q", "SCHEMA", "NIF", "WD", "PROV", "SKOS", "DCTERMS", "OWL", "RDF", "RDFS", "XSD",
           "PREFIXES", "QUOTE_TYPES", "sparql_prefixes"]
