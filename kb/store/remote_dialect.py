"""What differs between SPARQL servers the remote store talks to (a small, documented switch).

``standard`` (Oxigraph server, Fuseki, GraphDB …) and ``virtuoso`` (OpenLink Virtuoso 7):

* update endpoint: ``/query`` -> ``/update`` (Oxigraph), ``/sparql`` -> ``/update`` (Fuseki);
  Virtuoso: ``/sparql`` -> ``/sparql-auth`` (HTTP digest authentication as a user with the
  SPARQL_UPDATE role);
* system graphs: Virtuoso keeps its own graphs (``virtrdf#``, ``ldp#``, ``owl#``, the
  ``…/sparql`` service description) beside the data; they are not Quoth's and are left out of
  graph listings, dumps and counts;
* errors: Virtuoso answers 400 for syntax errors but 500 for everything else, with a SQL state in
  the text (``SR171`` / ``S1T00`` transaction time-out) or, for an "anytime" query cut short by
  ``MaxQueryExecutionTime``, a 200 with ``X-SQL-State`` headers and partial rows: both time-outs;
* blank nodes: Virtuoso refuses them in ``INSERT DATA`` ("not allowed in a constant clause"); those
  triples are written with ``INSERT { … } WHERE {}`` (standard SPARQL) instead;
* time limits: Virtuoso takes a ``timeout`` parameter (ms) and stops the query itself;
* result formats: Virtuoso's CSV quotes every value and ends lines with LF, and its TSV differs
  from SPARQL 1.1 too; for those formats the JSON results are fetched and written by pyoxigraph
  (:func:`reserialize`);
* size: Virtuoso's SPARQL compiler runs out of memory near 5,000 triples in one request, so an
  ``INSERT DATA`` above :attr:`Dialect.max_insert_triples` is sent in several requests (each one
  atomic; the write as a whole is then not).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import httpx

from . import QuerySyntaxError, QueryTimeout, StoreError

_VIRTUOSO_SYSTEM = ("http://www.openlinksw.com/", "http://www.w3.org/ns/ldp#", "http://www.w3.org/2002/07/owl#",
                    "http://localuriqaserver/")
_TIMEOUT_CODES = re.compile(r"\b(SR171|S1T00|S1TAT|SR483)\b")


@dataclass(frozen=True)
class Dialect:
    """One server family's conventions (see the module doc)."""

    name: str
    system_graph_prefixes: tuple[str, ...] = ()
    #: largest INSERT DATA (in triples) sent as one request; 0 = no limit
    max_insert_triples: int = 0
    #: the server accepts blank nodes in INSERT DATA (Virtuoso does not: INSERT { … } WHERE {} then)
    bnodes_in_insert_data: bool = True
    #: result formats fetched as JSON and re-serialized here (the server's own differ from the spec)
    reserialize_results: frozenset[str] = frozenset()

    def time_limit_params(self, seconds: float) -> dict[str, str]:
        """Protocol parameters asking the server itself to stop a query after ``seconds``
        (Virtuoso: ``timeout`` in ms); the client's own time limit applies in any case."""
        return {"timeout": str(int(seconds * 1000))} if self.name == "virtuoso" else {}

    def is_partial(self, r: httpx.Response) -> bool:
        """A 200 answer that the server cut short at its time limit (Virtuoso "anytime" results)."""
        return self.name == "virtuoso" and r.status_code == 200 and bool(r.headers.get("x-sql-state"))

    @staticmethod
    def named(name: str) -> "Dialect":
        """The dialect called ``name`` (``standard`` or ``virtuoso``)."""
        try:
            return DIALECTS[name.lower()]
        except KeyError:
            raise ValueError(f"unknown SPARQL server dialect {name!r}; choose one of "
                             f"auto, {', '.join(DIALECTS)}") from None

    def is_system_graph(self, graph: str) -> bool:
        """A graph the server keeps for itself (not data)."""
        return graph.startswith(self.system_graph_prefixes) if self.system_graph_prefixes else False

    def check_query_response(self, r: httpx.Response, endpoint: str) -> None:
        """Raise the store's error for a failed (or cut short) query answer."""
        if self.is_partial(r):
            raise QueryTimeout(f"the SPARQL server at {endpoint} stopped the query at its time limit "
                               f"({r.headers.get('x-sql-state')}: partial results)")
        _raise_for(r, f"SPARQL server answered {r.status_code}", query=True)

    def check_update_response(self, r: httpx.Response, endpoint: str) -> None:
        """Raise the store's error for a failed update (401: the credentials, not shown)."""
        if r.status_code in (401, 403):
            raise StoreError(f"the SPARQL update endpoint {endpoint} refused the update ({r.status_code}): "
                             "check QUOTH_SPARQL_USER / QUOTH_SPARQL_PASSWORD (or --update-endpoint)")
        _raise_for(r, "SPARQL update failed", query=False)


def _raise_for(r: httpx.Response, what: str, query: bool) -> None:
    if r.status_code < 300:
        return
    text = r.text.strip()
    if r.status_code == 400:
        raise QuerySyntaxError(text or "bad query")
    if _TIMEOUT_CODES.search(text[:2000]):
        raise QueryTimeout(f"the SPARQL server stopped the {'query' if query else 'update'} at its time limit: "
                           f"{text[:300]}")
    if "Error SP0" in text[:500] or "Error 37000" in text[:500]:  # Virtuoso's compiler errors
        raise QuerySyntaxError(text[:1000])
    raise StoreError(f"{what} ({r.status_code}): {text[:500]}")


DIALECTS: dict[str, Dialect] = {
    "standard": Dialect("standard"),
    "virtuoso": Dialect("virtuoso", _VIRTUOSO_SYSTEM, max_insert_triples=2000, bnodes_in_insert_data=False,
                        reserialize_results=frozenset({"csv", "tsv"})),
}


def detect_dialect(server_header: str) -> Dialect:
    """The dialect for an HTTP ``Server`` header (``Virtuoso/07.20…`` -> virtuoso)."""
    return DIALECTS["virtuoso"] if server_header.lower().startswith("virtuoso") else DIALECTS["standard"]


def guess_update_endpoint(endpoint: str, dialect: Dialect) -> str:
    """The update endpoint beside a query endpoint (module doc); else the same URL."""
    pairs = (("/sparql", "/sparql-auth"),) if dialect.name == "virtuoso" else (("/query", "/update"),
                                                                                ("/sparql", "/update"))
    for q, u in pairs:
        if endpoint.endswith(q):
            return endpoint[: -len(q)] + u
    return endpoint


_OX_RESULTS = {"json": "JSON", "xml": "XML", "csv": "CSV", "tsv": "TSV"}


def reserialize(json_body: bytes, result_format: str) -> bytes:
    """SPARQL JSON results written in ``result_format`` (json, xml, csv, tsv) by pyoxigraph."""
    import pyoxigraph as ox

    fmt = getattr(ox.QueryResultsFormat, _OX_RESULTS[result_format])
    return ox.parse_query_results(json_body, format=ox.QueryResultsFormat.JSON).serialize(format=fmt)


def accept_header(query: str, result_format: str, graph_format: str, dialect: Dialect) -> tuple[str, bool]:
    """(Accept header, results re-serialized here?) for a read query: only the media type of
    its form (a graph for CONSTRUCT/DESCRIBE, results otherwise), so a server that does not weigh
    ``q=`` (Virtuoso answers a CONSTRUCT in SPARQL JSON when that comes first) cannot pick the
    wrong one."""
    from ..sparql_guard import inspect
    from . import RDF_FORMATS, RESULT_FORMATS

    form = inspect(query).form
    if form in ("CONSTRUCT", "DESCRIBE"):
        return RDF_FORMATS[graph_format][1], False
    redo = result_format in dialect.reserialize_results
    if form in ("SELECT", "ASK"):
        return RESULT_FORMATS["json" if redo else result_format], redo
    return f"{RESULT_FORMATS['json' if redo else result_format]}, {RDF_FORMATS[graph_format][1]};q=0.9", redo
