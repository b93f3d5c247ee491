"""SHACL validation of article graphs (shapes/quoth-shapes.ttl) with pyshacl.

Every article is validated before it is stored::

    v = Validator()                          # loads the shapes once; safe to share between threads
    rep = v.validate(graph)                  # rdflib Graph/Dataset or pyoxigraph Store
    rep.conforms, rep.results, rep.text, rep.to_json()
    reports = v.validate_many(graphs)        # one report per graph, in order

pyshacl has a fixed cost per run (~8-11 ms CPU here) plus a cost per focus node,
so :meth:`Validator.validate_many` validates a batch in one run on the union of
its graphs (up to ``max_union`` = 200 graphs per run) and attributes each result
to the graph that holds its focus node as a subject (every IRI belongs to one
article graph, docs/MODEL.md; nodes shared with identical triples, such as
speakers, get the result in every graph that has them). Graphs that share a node
but say different things about it (the same claim mentioned by two articles of
the batch, an article given twice) go to different unions, so that no graph can
hide or cause another's results; results whose focus node belongs to no graph
make the union split in halves (bisection) until they can be placed. Results
match validating each graph alone (tests/test_shapes.py checks this).

Measured (bench/bench_validate.py, CPU time per graph, 2-core VM, 2026-11-23, noisy):
single validate() 6.3-8.2 ms for a ~24-triple structured statement, 8.9-13.7 ms
for a ~106-triple article (3 mentions); validate_many, unions of 200: 0.64-0.73 ms
per statement graph (~1,400-1,550 statements/s per core) and 3.0-3.3 ms per
article (~900-1,000 statements/s per core).

What makes it fast:

* pyshacl with ``inference="none"``, ``advanced=True`` (SHACL-SPARQL and the
  SPARQL targets), ``inplace=True`` (pyshacl otherwise copies the data graph in
  advanced mode; we run no SHACL rules, and the data graph is our private union)
  and ``allow_warnings=True`` (warnings never reject an article);
* the shapes: every property shape has its own target (evaluated once over all
  focus nodes, not once per focus node through ``sh:property``); date comparisons
  across nodes are core SHACL (a path and ``sh:lessThanOrEquals``), not SPARQL
  (rdflib's SPARQL engine was a third of the run on bulk imports); the remaining
  SPARQL rules select only candidate focus nodes with a SPARQL target (one query per run);
* SPARQL is parsed once per thread, not once per focus node (pyshacl hands rdflib
  the query *string* each time; parsing was three quarters of the run);
* the pyshacl Validator (and its harvested shapes graph) is kept per thread:
  pyshacl writes into its shapes graph (pySHACL #314) and rdflib's SPARQL
  parser is not thread-safe;
* the union is filled through ``store.add`` (Graph.add's checks cost 2.5x the insert)
  of rdflib's plain triple store (``_OneGraphStore``): the default context-aware
  store spent about a fifth of each run on per-triple context look-ups.

Oxigraph as pyshacl's data graph (pyshacl 0.40 accepts a pyoxigraph Store) was
slower here, grew super-linearly with the batch, and Oxigraph stores
``xsd:nonNegativeInteger`` as ``xsd:integer``; a Store is therefore copied into
an rdflib graph, and (for any input) non-negative ``xsd:integer`` values of the
properties the shapes type ``xsd:nonNegativeInteger`` get that datatype back, so
graphs read back from the store validate like freshly built ones.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.stores.memory import SimpleMemory

from .paths import SHAPES_FILE
from .vocab import PREFIXES, Q

log = logging.getLogger(__name__)

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
QSH = rdflib.Namespace("https://w3id.org/quoth/shapes#")

_SEVERITY = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}

_CURIE_PREFIXES = sorted(
    [(p, ns) for p, ns in PREFIXES.items()] + [("sh", str(SH)), ("qsh", str(QSH))],
    key=lambda x: -len(x[1]),
)


def curie(term: Any) -> str:
    """A compact, readable form of an RDF term (``q:speaker``, ``<http://…>``, ``"x"``)."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        s = str(term)
        for p, ns in _CURIE_PREFIXES:
            if s.startswith(ns) and len(s) > len(ns):
                local = s[len(ns):]
                if all(c.isalnum() or c in "_-." for c in local):
                    return f"{p}:{local}"
        return f"<{s}>"
    if isinstance(term, Literal):
        return term.n3()
    return str(term)


# ---------------------------------------------------------------------------
# Reports
# ---------------------------------------------------------------------------

@dataclass
class ValidationReport:
    """The outcome of validating one graph.

    ``conforms`` is False only for results of severity Violation (warnings are
    reported but never reject). Each result is a dict with ``severity``
    ("Violation" | "Warning" | "Info"), ``focus_node``, ``path``, ``value``,
    ``message``, ``source_shape`` and ``constraint`` (all strings; IRIs in full,
    paths as SPARQL property paths) .
    """

    conforms: bool
    results: list[dict] = field(default_factory=list)

    @property
    def violations(self) -> list[dict]:
        return [r for r in self.results if r["severity"] == "Violation"]

    @property
    def warnings(self) -> list[dict]:
        return [r for r in self.results if r["severity"] != "Violation"]

    @property
    def text(self) -> str:
        nv, nw = len(self.violations), len(self.warnings)
        head = "Conforms" if self.conforms else "Does not conform"
        lines = [f"{head}: {nv} violation{'s' * (nv != 1)}, {nw} warning{'s' * (nw != 1)}"]
        for r in self.results:
            line = f"- [{r['severity']}] {_short(r['focus_node'])}"
            if r["path"]:
                line += f" {r['path_curie']}"
            line += f": {r['message']}"
            if r["value"] is not None:
                line += f" (value: {r['value_n3']})"
            line += f" [{r['shape_curie']}]"
            lines.append(line)
        return "\n".join(lines)

    def to_json(self) -> dict:
        keys = ("severity", "focus_node", "path", "value", "message", "source_shape", "constraint")
        return {
            "conforms": self.conforms,
            "violations": len(self.violations),
            "warnings": len(self.warnings),
            "results": [{k: r[k] for k in keys} for r in self.results],
        }

    def __str__(self) -> str:
        return self.text


def _short(iri: str) -> str:
    return f"<{iri}>" if "://" in iri else iri


def _path_str(g: rdflib.Graph, node: Any) -> str | None:
    """A SHACL path node as a SPARQL property path string (full IRIs)."""
    if node is None:
        return None
    if isinstance(node, URIRef):
        return f"<{node}>"
    inv = g.value(node, SH.inversePath)
    if inv is not None:
        return f"^{_path_str(g, inv)}"
    for pred, op in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        x = g.value(node, pred)
        if x is not None:
            return f"({_path_str(g, x)}){op}"
    alt = g.value(node, SH.alternativePath)
    if alt is not None:
        return "(" + "|".join(_path_str(g, x) or "" for x in rdflib.collection.Collection(g, alt)) + ")"
    if (node, RDF.first, None) in g:
        return "/".join(_path_str(g, x) or "" for x in rdflib.collection.Collection(g, node))
    return str(node)


def _path_curie(path: str | None) -> str:
    if not path:
        return ""
    out = path
    for p, ns in _CURIE_PREFIXES:
        out = out.replace(f"<{ns}", f"{p}:<")
    # "q:<speaker>" -> "q:speaker"
    import re

    return re.sub(r"(\w+):<([^>]*)>", lambda m: f"{m.group(1)}:{m.group(2)}", out)


def _results_from_graph(rg: rdflib.Graph) -> list[dict]:
    out = []
    for r in rg.objects(None, SH.result):
        sev = rg.value(r, SH.resultSeverity)
        focus = rg.value(r, SH.focusNode)
        path = _path_str(rg, rg.value(r, SH.resultPath))
        value = rg.value(r, SH.value)
        msgs = [str(m) for m in rg.objects(r, SH.resultMessage)]
        shape = rg.value(r, SH.sourceShape)
        comp = rg.value(r, SH.sourceConstraintComponent)
        out.append({
            "severity": _SEVERITY.get(sev, curie(sev)),
            "focus_node": str(focus) if focus is not None else "",
            "path": path,
            "value": str(value) if value is not None else None,
            "message": "; ".join(sorted(msgs)) if msgs else "",
            "source_shape": str(shape) if isinstance(shape, URIRef) else curie(shape),
            "constraint": str(comp) if comp is not None else "",
            # for .text and attribution, not part of to_json()
            "path_curie": _path_curie(path),
            "value_n3": curie(value) if value is not None else "",
            "shape_curie": curie(shape),
            "_focus": focus,
        })
    out.sort(key=lambda d: (d["severity"] != "Violation", d["focus_node"], d["path"] or "",
                            d["source_shape"], d["value"] or ""))
    return out


def _report(results: list[dict]) -> ValidationReport:
    return ValidationReport(not any(r["severity"] == "Violation" for r in results), results)


# ---------------------------------------------------------------------------
# Data graph plumbing
# ---------------------------------------------------------------------------

_PARSE_LOCK = threading.Lock()


class _OneGraphStore(SimpleMemory):
    """rdflib's plain triple store (three dict indexes, no per-triple context bookkeeping),
    declared context-aware because pyshacl wraps every data graph in a Dataset. It holds
    one graph, so a context-blind store answers every pattern right; rdflib's default
    Memory store spent about a fifth of each validation run on context look-ups."""

    context_aware = True
    graph_aware = True

    def __init__(self) -> None:
        super().__init__()
        self._len: int | None = None

    def add(self, triple: tuple, context: Any, quoted: bool = False) -> None:
        self._len = None
        super().add(triple, context, quoted)

    def __len__(self, context: Any = None) -> int:
        # pyshacl takes len() of the data graph (truth tests) over a thousand times per run;
        # SimpleMemory counts by iterating, so count once per filled graph
        if self._len is None:
            self._len = super().__len__(context)
        return self._len


class _PreparedQueryGraph(rdflib.Graph):
    """An rdflib Graph whose ``query()`` parses each SPARQL string once (per cache).

    pyshacl runs a SHACL-SPARQL constraint by handing the same query text and a
    different ``$this`` binding to ``Graph.query`` for every focus node; rdflib
    would parse it every time.
    """

    _query_cache: dict

    def query(self, query_object, *args, **kwargs):  # type: ignore[override]
        if isinstance(query_object, str):
            cache = self._query_cache
            q = cache.get(query_object)
            if q is None:
                with _PARSE_LOCK:  # rdflib's SPARQL parser (pyparsing) is not thread-safe
                    q = cache[query_object] = prepareQuery(query_object)
            query_object = q
        return super().query(query_object, *args, **kwargs)


def _ox_term(t: Any) -> Any:
    from .store import to_rdflib  # the one pyoxigraph -> rdflib conversion

    return to_rdflib(t)


_XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
_XSD_NNI = URIRef("http://www.w3.org/2001/XMLSchema#nonNegativeInteger")


def _ox_triple(q: Any, nonneg: frozenset) -> tuple:
    s, p, o = _ox_term(q.subject), _ox_term(q.predicate), q.object
    if (p in nonneg and getattr(o, "datatype", None) is not None and o.datatype.value == _XSD_INTEGER
            and not o.value.lstrip().startswith("-")):
        return s, p, Literal(o.value, datatype=_XSD_NNI)
    return s, p, _ox_term(o)


def _retyped(s: Any, p: Any, o: Any, nonneg: frozenset) -> tuple:
    if isinstance(o, Literal) and o.datatype is not None:
        if (p in nonneg and str(o.datatype) == _XSD_INTEGER and not str(o).lstrip().startswith("-")):
            return s, p, Literal(str(o), datatype=_XSD_NNI)
        if str(o.datatype) == _XSD_STRING:  # rdflib: "x"^^xsd:string != "x" (sh:in, sh:hasValue)
            return s, p, Literal(str(o))
    return s, p, o


def _triples(data: Any, nonneg: frozenset = frozenset()) -> Iterable[tuple]:
    """Triples of an rdflib Graph/Dataset (all graphs) or a pyoxigraph Store (all graphs).

    Oxigraph (embedded or server) stores integer-derived literals as xsd:integer, so
    graphs read back from a store carry xsd:integer offsets: the non-negative
    xsd:integer objects of the predicates in ``nonneg`` get their
    xsd:nonNegativeInteger back, whatever the input type.
    """
    if isinstance(data, rdflib.Dataset) or isinstance(data, rdflib.ConjunctiveGraph):
        return (_retyped(s, p, o, nonneg) for s, p, o, _g in data.quads((None, None, None, None)))
    if isinstance(data, (rdflib.Graph, list, tuple)):  # a graph, or a plain list of triples
        return (_retyped(s, p, o, nonneg) for s, p, o in data)
    try:
        import pyoxigraph as ox
    except ImportError:  # pragma: no cover
        ox = None
    if ox is not None and isinstance(data, ox.Store):
        return (_ox_triple(q, nonneg) for q in data)
    raise TypeError(f"cannot validate a {type(data).__name__}; pass an rdflib Graph or a pyoxigraph Store")


# ---------------------------------------------------------------------------
# The validator
# ---------------------------------------------------------------------------

class _ThreadState:
    """What one thread needs: its own shapes graph, pyshacl validator and query cache."""

    def __init__(self, shapes_nt: bytes):
        from pyshacl.entrypoints import apply_patches, assign_baked_in

        apply_patches()
        assign_baked_in()
        self.shapes = rdflib.Graph()
        self.shapes.parse(data=shapes_nt, format="nt")
        self.query_cache: dict = {}
        self.validator = None  # pyshacl Validator, created on first use

    def new_graph(self) -> _PreparedQueryGraph:
        g = _PreparedQueryGraph(store=_OneGraphStore())
        g._query_cache = self.query_cache
        return g

    def run(self, g: _PreparedQueryGraph) -> rdflib.Graph:
        from pyshacl.graph_abstraction import DataGraph
        from pyshacl.validator import Validator as PyshaclValidator

        dg = DataGraph.from_rdflib(g)
        if self.validator is None:
            options = {
                "inference": "none", "advanced": True, "inplace": True, "allow_warnings": True,
                "allow_infos": True, "abort_on_first": False, "debug": False,
                "logger": logging.getLogger("pyshacl"),
            }
            self.validator = PyshaclValidator(dg, shacl_graph=self.shapes, options=options)
        else:
            v = self.validator
            v.data_graph = dg
            v.data_graph_is_multigraph = False
            v._target_graph = None
        _conforms, report_graph, _text = self.validator.run()
        return report_graph


class Validator:
    """Validates article graphs against the Quoth shapes. Load once, use from any thread.

    >>> v = Validator()
    >>> rep = v.validate(graph)            # rdflib.Graph or pyoxigraph.Store
    >>> rep.conforms, rep.results, rep.text, rep.to_json()
    >>> reps = v.validate_many(graphs)     # one report per graph, in order
    """

    #: Largest union validated in one pyshacl run. Per-graph cost is flat up to a few
    #: hundred graphs and then creeps up (bench/bench_validate.py), so larger batches
    #: are validated in unions of this size.
    max_union: int = 200

    def __init__(self, shapes: str | Path | rdflib.Graph = SHAPES_FILE, max_union: int | None = None):
        if isinstance(shapes, rdflib.Graph):
            g = shapes
        else:
            g = rdflib.Graph()
            g.parse(Path(shapes), format="turtle")
        self._shapes_nt = g.serialize(format="nt", encoding="utf-8")
        self._local = threading.local()
        # Predicates the shapes follow *into* a focus node (inverse paths and the
        # SPARQL constraints' incoming edges): a node shared between two graphs
        # must agree on these too before the graphs may share one union.
        self._incoming = {o for o in g.objects(None, SH.inversePath) if isinstance(o, URIRef)}
        self._incoming |= {Q.mentionOf, Q.segment}
        self._nonneg = frozenset(
            p for sh_ in g.subjects(SH.datatype, _XSD_NNI)
            if isinstance(p := g.value(sh_, SH.path), URIRef)
        )
        self.calls = 0  # pyshacl runs, for tests and benchmarks
        if max_union is not None:
            self.max_union = max_union

    def _state(self) -> _ThreadState:
        st = getattr(self._local, "state", None)
        if st is None:
            st = self._local.state = _ThreadState(self._shapes_nt)
        return st

    def _run(self, triples: Iterable[tuple]) -> list[dict]:
        st = self._state()
        g = st.new_graph()
        # straight into the store: Graph.add's checks cost 2.5x the insert itself
        add = g.store.add
        for t in triples:
            add(t, g, False)
        self.calls += 1
        return _results_from_graph(st.run(g))

    def validate(self, data: rdflib.Graph | Any) -> ValidationReport:
        """Validate one graph (an rdflib Graph/Dataset or a pyoxigraph Store; all its graphs)."""
        return _report(self._run(_triples(data, self._nonneg)))

    # -- batches -------------------------------------------------------------------------
    def validate_many(self, graphs: Sequence[rdflib.Graph | Any]) -> list[ValidationReport]:
        """One report per graph, as if each had been validated alone, in far fewer pyshacl runs.

        The graphs are grouped into as few unions as possible (graphs that describe a shared
        node differently go to different unions), each union is validated in one pyshacl run,
        and every result goes to the graph(s) holding its focus node as a subject. A union
        with results that belong to no graph is split in halves until they do.
        """
        n = len(graphs)
        if n == 0:
            return []
        tgraphs: list[list[tuple]] = [list(_triples(g, self._nonneg)) for g in graphs]
        if n == 1:
            return [_report(self._run(tgraphs[0]))]
        subjects: list[set] = [{t[0] for t in tg} for tg in tgraphs]
        owners: dict[Any, list[int]] = defaultdict(list)  # node -> graphs describing it
        for i, subs in enumerate(subjects):
            for s in subs:
                owners[s].append(i)
        # Nodes that occur (as subject or object) in several graphs. A graph that only
        # *refers* to a node another graph describes must not borrow that description
        # (e.g. the type of a speaker), so its empty description counts as different.
        seen_in: dict[Any, int] = {}
        shared: set = set()
        for i, tg in enumerate(tgraphs):
            for t in tg:
                for node in (t[0], t[2]):
                    if isinstance(node, Literal):
                        continue
                    j = seen_in.setdefault(node, i)
                    if j != i:
                        shared.add(node)

        # signature of each shared node in each graph that has it: its triples, plus the
        # incoming triples the shapes follow backwards
        sigs: list[dict] = [dict() for _ in range(n)]
        if shared:
            incoming = self._incoming
            empty: frozenset = frozenset()
            for i, tg in enumerate(tgraphs):
                acc: dict[Any, set] = defaultdict(set)
                present = set()
                for t in tg:
                    s0, o0 = t[0], t[2]
                    if s0 in shared:
                        acc[s0].add(t)
                        present.add(s0)
                    if o0 in shared:
                        present.add(o0)
                        if t[1] in incoming:
                            acc[o0].add(t)
                sigs[i] = {k: frozenset(acc[k]) if k in acc else empty for k in present}

        buckets: list[tuple[list[int], dict]] = []
        for i in range(n):
            for members, bsig in buckets:
                if all(bsig.get(k, v) == v for k, v in sigs[i].items()):
                    members.append(i)
                    bsig.update(sigs[i])
                    break
            else:
                buckets.append(([i], dict(sigs[i])))

        per_graph: list[list[dict]] = [[] for _ in range(n)]
        size = max(1, self.max_union)
        for members, _ in buckets:
            for k in range(0, len(members), size):
                self._validate_group(members[k:k + size], tgraphs, owners, per_graph)
        return [_report(r) for r in per_graph]

    def _validate_group(self, members: list[int], tgraphs, owners, per_graph) -> None:
        if len(members) == 1:
            per_graph[members[0]].extend(self._run(tgraphs[members[0]]))
            return
        results = self._run(t for i in members for t in tgraphs[i])
        if not results:
            return
        mset = set(members)
        attributed: list[tuple[list[int], dict]] = []
        for r in results:
            own = [i for i in owners.get(r["_focus"], ()) if i in mset]
            if not own:
                break
            attributed.append((own, r))
        else:
            for own, r in attributed:
                for i in own:
                    per_graph[i].append(r)
            return
        # a result belongs to no graph of the union (e.g. a focus node that is only an
        # object): bisect until every result can be placed
        half = len(members) // 2
        self._validate_group(members[:half], tgraphs, owners, per_graph)
        self._validate_group(members[half:], tgraphs, owners, per_graph)


_default: Validator | None = None
_default_lock = threading.Lock()


def default_validator() -> Validator:
    """A process-wide Validator over shapes/quoth-shapes.ttl (created on first use)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Validator()
        return _default


def validate(data: rdflib.Graph | Any) -> ValidationReport:
    """Validate one graph with the default validator."""
    return default_validator().validate(data)


def validate_many(graphs: Sequence[rdflib.Graph | Any]) -> list[ValidationReport]:
    """Validate a batch of article graphs with the default validator (see Validator.validate_many)."""
    return default_validator().validate_many(graphs)


__all__ = ["Validator", "ValidationReport", "default_validator", "validate", "validate_many", "curie",
           "SH", "QSH"]


if __name__ == "__main__":  # pragma: no cover - quick CLI: python -m kb.validate FILE...
    import sys

    v = Validator()
    for f in sys.argv[1:]:
        g = rdflib.Graph().parse(f)
        rep = v.validate(g)
        print(f"{f}: {rep.text}")
        if "--json" in sys.argv:
            print(json.dumps(rep.to_json(), indent=1))
