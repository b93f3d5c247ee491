"""The Quoth OWL ontology: consistency check, entailed hierarchy, materialisation.

HermiT (through owlready2, needs Java) runs once per ontology *version*: the
entailed class and property hierarchy is cached on disk keyed by the sha256 of
``ontology/quoth.ttl``. Ingest then only needs :func:`materialize`, a pure
Python pass over one article's graph with dict look-ups.

Facts this module works around (DESIGN.md §4):

* owlready2 reads RDF/XML and N-Triples, not Turtle: we parse the Turtle with
  rdflib and hand owlready2 N-Triples.
* HermiT rejects ``xsd:date`` ("not part of the OWL 2 datatype map") and
  ``rdf:langString``: for the reasoner only, ``xsd:date`` is mapped to
  ``xsd:dateTime`` (literals get ``T00:00:00``; a day is an instant in that
  view, which keeps the value space ordered and disjoint from strings) and
  ``rdf:langString`` to ``rdf:PlainLiteral``. The published ontology keeps
  the real datatypes.

Public API::

    check_consistency(path=ONTOLOGY_FILE, data=None) -> ConsistencyReport
    closure(path=ONTOLOGY_FILE, cache_dir=None, reasoner="auto") -> Closure
    ontology_version(path=ONTOLOGY_FILE) -> str
    materialize(graph, closure=None) -> kb.graph.Triples     # entailed triples only
    ontology_graph(path=ONTOLOGY_FILE, closure=None) -> rdflib.Graph
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import shutil
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from .paths import ONTOLOGY_FILE

log = logging.getLogger(__name__)

ONTOLOGY_IRI = URIRef("https://w3id.org/quoth/ontology")
#: Bump when the cached closure's layout or the way it is computed changes.
CLOSURE_FORMAT = 1

_RDF_PLAIN_LITERAL = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#PlainLiteral")
_BUILTIN_NS = (str(OWL), str(RDF), str(RDFS), str(XSD))
_META_TYPES = {
    OWL.Class, RDFS.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
    RDF.Property, OWL.FunctionalProperty, OWL.InverseFunctionalProperty, OWL.SymmetricProperty,
    OWL.AsymmetricProperty, OWL.TransitiveProperty, OWL.ReflexiveProperty,
    OWL.IrreflexiveProperty, OWL.Ontology, OWL.Restriction, OWL.AllDisjointClasses,
    OWL.AllDifferent, OWL.AllDisjointProperties, RDFS.Datatype, OWL.Axiom, RDF.List,
    OWL.NegativePropertyAssertion,
}

_hermit_lock = threading.Lock()  # owlready2 keeps global state; one HermiT run at a time
_memo: dict[tuple[str, str], "Closure"] = {}
_memo_lock = threading.Lock()


class ReasonerUnavailableError(RuntimeError):
    """HermiT cannot run here (no Java runtime found)."""


class ReasonerError(RuntimeError):
    """HermiT ran but failed (a Java error, an unsupported construct)."""


# ---------------------------------------------------------------------------
# Loading and hashing
# ---------------------------------------------------------------------------

def _file_sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def load_ontology(path: str | os.PathLike = ONTOLOGY_FILE) -> rdflib.Graph:
    """The ontology as asserted (parsed from Turtle, or any format rdflib guesses)."""
    g = rdflib.Graph()
    p = Path(path)
    fmt = "turtle" if p.suffix in (".ttl", ".turtle") else rdflib.util.guess_format(str(p))
    g.parse(p, format=fmt or "turtle")
    return g


def _version_info(g: rdflib.Graph) -> str:
    for ont in g.subjects(RDF.type, OWL.Ontology):
        for v in g.objects(ont, OWL.versionInfo):
            return str(v)
    return "unversioned"


def ontology_version(path: str | os.PathLike = ONTOLOGY_FILE) -> str:
    """``"{owl:versionInfo}+{first 12 hex of the file's sha256}"``, e.g. ``0.1.0+3f2a…``.

    Changes whenever the file changes, so it can key caches and tell whether the
    store's ontology graph is current.
    """
    path = Path(path)
    return f"{_version_info(load_ontology(path))}+{_file_sha256(path)[:12]}"


# ---------------------------------------------------------------------------
# HermiT through owlready2
# ---------------------------------------------------------------------------

def find_java() -> str | None:
    """The java executable owlready2 will use, or None if there is none."""
    import owlready2

    exe = owlready2.JAVA_EXE
    if exe and os.path.isabs(exe) and os.access(exe, os.X_OK):
        return exe
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        cand = Path(java_home) / "bin" / "java"
        if os.access(cand, os.X_OK):
            return str(cand)
    return shutil.which(exe or "java")


def _require_java() -> str:
    java = find_java()
    if java is None:
        raise ReasonerUnavailableError(
            "HermiT needs a Java runtime (Java 8 or newer; Java 17 is tested) but no `java` was "
            "found on PATH or in JAVA_HOME. Install one (e.g. `apt-get install openjdk-17-jre-headless`) "
            "or set JAVA_HOME. closure() falls back to the asserted hierarchy without Java."
        )
    return java


def _hermit_ready(g: rdflib.Graph) -> rdflib.Graph:
    """A copy of ``g`` that HermiT accepts: xsd:date -> xsd:dateTime, rdf:langString -> rdf:PlainLiteral."""
    out = rdflib.Graph()
    for s, p, o in g:
        if isinstance(o, Literal) and o.datatype == XSD.date:
            o = Literal(f"{o}T00:00:00", datatype=XSD.dateTime)
        elif o == XSD.date:
            o = XSD.dateTime
        elif o == RDF.langString:
            o = _RDF_PLAIN_LITERAL
        out.add((s, p, o))
    return out


def _tbox_only(g: rdflib.Graph) -> rdflib.Graph:
    """``g`` without the individuals (subjects typed with a non-built-in class)."""
    individuals = {
        s for s, o in g.subject_objects(RDF.type)
        if o not in _META_TYPES and not str(o).startswith(_BUILTIN_NS) and not isinstance(s, BNode)
    }
    # classes and properties may be punned; keep anything also declared as a class/property
    declared = {s for s, o in g.subject_objects(RDF.type) if o in _META_TYPES}
    individuals -= declared
    out = rdflib.Graph()
    for t in g:
        if t[0] not in individuals and t[2] not in individuals:
            out.add(t)
    return out


@dataclass
class _HermitRun:
    consistent: bool
    unsatisfiable: list[str]
    superclasses: dict[str, list[str]]
    superproperties: dict[str, list[str]]
    seconds: float


def _run_hermit(g: rdflib.Graph) -> _HermitRun:
    """Classify ``g`` with HermiT. Raises ReasonerUnavailableError / ReasonerError."""
    java = _require_java()
    import owlready2
    from owlready2.base import OwlReadyInconsistentOntologyError, OwlReadyJavaError

    nt = _hermit_ready(g).serialize(format="nt", encoding="utf-8")
    t0 = time.perf_counter()
    with _hermit_lock:
        old_exe = owlready2.JAVA_EXE
        owlready2.JAVA_EXE = java
        world = owlready2.World()
        try:
            onto = world.get_ontology(str(ONTOLOGY_IRI) + "#")
            onto.load(fileobj=io.BytesIO(nt), format="ntriples")
            try:
                owlready2.sync_reasoner_hermit(
                    world, infer_property_values=False, debug=0, ignore_unsupported_datatypes=True
                )
            except OwlReadyInconsistentOntologyError:
                return _HermitRun(False, [], {}, {}, time.perf_counter() - t0)
            except OwlReadyJavaError as e:
                raise ReasonerError(f"HermiT failed: {e}") from e
            except FileNotFoundError as e:  # java vanished between the check and the run
                raise ReasonerUnavailableError(f"could not start Java ({java}): {e}") from e
            unsat = sorted(
                c.iri for c in world.inconsistent_classes()
                if hasattr(c, "iri") and not c.iri.startswith(_BUILTIN_NS)
            )
            supc: dict[str, list[str]] = {}
            for c in world.classes():
                anc = {
                    a.iri for a in c.ancestors(include_self=False)
                    if hasattr(a, "iri") and a.iri != c.iri and not a.iri.startswith(_BUILTIN_NS)
                }
                supc[c.iri] = sorted(anc)
            supp: dict[str, list[str]] = {}
            for p in world.properties():
                if isinstance(p, owlready2.AnnotationPropertyClass):
                    continue
                anc = {
                    a.iri for a in p.ancestors(include_self=False)
                    if hasattr(a, "iri") and a.iri != p.iri and not a.iri.startswith(_BUILTIN_NS)
                }
                supp[p.iri] = sorted(anc)
        finally:
            owlready2.JAVA_EXE = old_exe
            try:
                world.close()
            except Exception:  # pragma: no cover - in-memory worlds may not need closing
                pass
    return _HermitRun(True, unsat, supc, supp, time.perf_counter() - t0)


# ---------------------------------------------------------------------------
# Consistency
# ---------------------------------------------------------------------------

@dataclass
class ConsistencyReport:
    """Outcome of :func:`check_consistency`.

    ``consistent`` is logical consistency (some model exists); ``unsatisfiable``
    lists classes that can have no instances (a modelling error even when the
    ontology is consistent). ``ok`` requires both. For an inconsistent
    ontology+data the TBox alone is classified again to list unsatisfiable classes.
    """

    consistent: bool
    unsatisfiable: list[str] = field(default_factory=list)
    #: for an inconsistent ontology+data: individuals whose (asserted, domain/range and
    #: superclass) types include two disjoint classes, e.g. "<x> is both q:Person and
    #: q:Organization (disjoint)". A hint, not HermiT's proof: may be empty.
    culprits: list[str] = field(default_factory=list)
    reasoner: str = "HermiT"
    seconds: float = 0.0
    version: str = ""
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.consistent and not self.unsatisfiable

    def __bool__(self) -> bool:
        return self.ok

    def to_json(self) -> dict:
        return {**asdict(self), "ok": self.ok}


def check_consistency(
    path: str | os.PathLike = ONTOLOGY_FILE, data: rdflib.Graph | None = None
) -> ConsistencyReport:
    """Run HermiT over the ontology (plus optional instance ``data``).

    Raises :class:`ReasonerUnavailableError` with an explanation when Java is missing.
    """
    path = Path(path)
    g = load_ontology(path)
    if data is not None:
        for t in data:
            g.add(t)
    version = f"{_version_info(g)}+{_file_sha256(path)[:12]}"
    t0 = time.perf_counter()
    run = _run_hermit(g)
    unsat = run.unsatisfiable
    if not run.consistent:
        tbox_run = _run_hermit(_tbox_only(g))
        unsat = tbox_run.unsatisfiable if tbox_run.consistent else []
    seconds = time.perf_counter() - t0
    if not run.consistent:
        msg = "inconsistent: no model satisfies the ontology" + (" and data" if data is not None else "")
        if unsat:
            msg += "; unsatisfiable classes: " + ", ".join(unsat)
    elif unsat:
        msg = "consistent, but with unsatisfiable classes: " + ", ".join(unsat)
    else:
        msg = "consistent; every class is satisfiable"
    culprits = [] if run.consistent else _disjointness_clashes(g)
    if culprits:
        msg += "; " + "; ".join(culprits[:5]) + (" …" if len(culprits) > 5 else "")
    return ConsistencyReport(run.consistent, unsat, culprits, "HermiT", seconds, version, msg)


def _short(iri: str) -> str:
    from .vocab import PREFIXES

    for p, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{p}:{iri[len(ns):]}"
    return f"<{iri}>"


def _disjointness_clashes(g: rdflib.Graph) -> list[str]:
    """Individuals typed (directly, through domains/ranges or superclasses) with disjoint classes."""
    disjoint: set[frozenset] = set()
    for a, b in g.subject_objects(OWL.disjointWith):
        if isinstance(a, URIRef) and isinstance(b, URIRef):
            disjoint.add(frozenset((str(a), str(b))))
    for node in g.subjects(RDF.type, OWL.AllDisjointClasses):
        lst = g.value(node, OWL.members)
        if lst is not None:
            members = [str(m) for m in rdflib.collection.Collection(g, lst) if isinstance(m, URIRef)]
            for i, a in enumerate(members):
                for b in members[i + 1:]:
                    disjoint.add(frozenset((a, b)))
    if not disjoint:
        return []
    supc, _ = _asserted_hierarchy(g)
    domains = {p: str(c) for p, c in g.subject_objects(RDFS.domain) if isinstance(c, URIRef)}
    ranges = {p: str(c) for p, c in g.subject_objects(RDFS.range) if isinstance(c, URIRef)}
    classes = set(supc)
    types: dict = defaultdict(set)
    for s_, p, o in g:
        if p == RDF.type:
            if str(o) in classes and not isinstance(s_, BNode):
                types[s_].add(str(o))
            continue
        if p in domains and domains[p] in classes and not isinstance(s_, BNode):
            types[s_].add(domains[p])
        if p in ranges and ranges[p] in classes and isinstance(o, URIRef):
            types[o].add(ranges[p])
    out = []
    for ind, ts in types.items():
        if ind in classes or str(ind) in classes:
            continue
        full = set(ts)
        for t in ts:
            full.update(supc.get(t, ()))
        for pair in disjoint:
            a, b = sorted(pair)
            if a in full and b in full:
                out.append(f"{_short(str(ind))} is both {_short(a)} and {_short(b)} (disjoint)")
    return sorted(out)


# ---------------------------------------------------------------------------
# Closure (entailed hierarchy), cached per ontology version
# ---------------------------------------------------------------------------

@dataclass
class Closure:
    """The entailed class and property hierarchy of one ontology version.

    ``superclasses[C]``: every named strict superclass of C (transitive, no owl:Thing).
    ``superproperties[p]``: every strict superproperty of p.
    ``inverses[p]``: properties inverse to p (asserted or entailed through owl:inverseOf).
    ``entailments[p]``: everything a triple ``s p o`` entails as ``(p2, flipped)``
    pairs, flipped meaning ``o p2 s``; precomputed so :func:`materialize` is a dict walk.
    """

    sha256: str
    version_info: str
    reasoner: str  # "HermiT" or "asserted" (fallback without Java)
    superclasses: dict[str, list[str]]
    superproperties: dict[str, list[str]]
    inverses: dict[str, list[str]]
    symmetric: list[str]
    transitive: list[str]
    seconds: float = 0.0  # time HermiT took when the closure was computed
    cached: bool = False  # True when loaded from the disk cache
    entailments: dict[str, list[tuple[str, bool]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.entailments:
            self.entailments = self._compute_entailments()
        # URIRef-keyed views for materialize()
        self._types = {
            URIRef(c): tuple(URIRef(d) for d in sups) for c, sups in self.superclasses.items() if sups
        }
        self._props = {
            URIRef(p): tuple((URIRef(p2), flip) for p2, flip in ents)
            for p, ents in self.entailments.items() if ents
        }
        self._transitive = frozenset(URIRef(p) for p in self.transitive)

    @property
    def version(self) -> str:
        return f"{self.version_info}+{self.sha256[:12]}"

    def _compute_entailments(self) -> dict[str, list[tuple[str, bool]]]:
        props = set(self.superproperties) | set(self.inverses) | set(self.symmetric)
        sym = set(self.symmetric)
        out: dict[str, list[tuple[str, bool]]] = {}
        for p in props:
            seen = {(p, False)}
            todo = [(p, False)]
            while todo:
                x, flip = todo.pop()
                nxt = [(s, flip) for s in self.superproperties.get(x, ())]
                nxt += [(i, not flip) for i in self.inverses.get(x, ())]
                if x in sym:
                    nxt.append((x, not flip))
                for item in nxt:
                    if item not in seen:
                        seen.add(item)
                        todo.append(item)
            seen.discard((p, False))
            out[p] = sorted(seen)
        return out

    def to_json(self) -> dict:
        d = {k: v for k, v in asdict(self).items() if k not in ("cached", "entailments")}
        d["format"] = CLOSURE_FORMAT
        return d

    @classmethod
    def from_json(cls, d: dict) -> "Closure":
        d = {k: v for k, v in d.items() if k != "format"}
        return cls(**d)


def _transitive_closure(direct: dict[str, set[str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for start in direct:
        seen: set[str] = set()
        todo = list(direct[start])
        while todo:
            x = todo.pop()
            if x in seen or x == start:
                continue
            seen.add(x)
            todo.extend(direct.get(x, ()))
        out[start] = sorted(seen)
    return out


def _asserted_hierarchy(g: rdflib.Graph) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """RDFS-style closure of the named rdfs:subClassOf / subPropertyOf / equivalence axioms."""
    cls: dict[str, set[str]] = defaultdict(set)
    prop: dict[str, set[str]] = defaultdict(set)
    for c in set(g.subjects(RDF.type, OWL.Class)) | set(g.subjects(RDF.type, RDFS.Class)):
        if isinstance(c, URIRef):
            cls[str(c)]
    for s, o in g.subject_objects(RDFS.subClassOf):
        if isinstance(s, URIRef) and isinstance(o, URIRef):
            cls[str(s)].add(str(o))
    for s, o in g.subject_objects(OWL.equivalentClass):
        if isinstance(s, URIRef) and isinstance(o, URIRef):
            cls[str(s)].add(str(o))
            cls[str(o)].add(str(s))
    for t in (OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property):
        for p in g.subjects(RDF.type, t):
            if isinstance(p, URIRef):
                prop[str(p)]
    for s, o in g.subject_objects(RDFS.subPropertyOf):
        if isinstance(s, URIRef) and isinstance(o, URIRef):
            prop[str(s)].add(str(o))
    for s, o in g.subject_objects(OWL.equivalentProperty):
        if isinstance(s, URIRef) and isinstance(o, URIRef):
            prop[str(s)].add(str(o))
            prop[str(o)].add(str(s))
    supc = {c: [d for d in v if not d.startswith(_BUILTIN_NS)] for c, v in _transitive_closure(cls).items()}
    supp = {p: [d for d in v if not d.startswith(_BUILTIN_NS)] for p, v in _transitive_closure(prop).items()}
    return supc, supp


def _inverses(g: rdflib.Graph, superproperties: dict[str, list[str]]) -> dict[str, list[str]]:
    inv: dict[str, set[str]] = defaultdict(set)
    for s, o in g.subject_objects(OWL.inverseOf):
        if isinstance(s, URIRef) and isinstance(o, URIRef):
            inv[str(s)].add(str(o))
            inv[str(o)].add(str(s))
    # equivalent properties (mutual superproperties) share inverses
    for p, sups in superproperties.items():
        for s in sups:
            if p in superproperties.get(s, ()):
                inv[p] |= inv.get(s, set())
    return {p: sorted(v) for p, v in inv.items() if v}


def default_cache_dir() -> Path:
    env = os.environ.get("QUOTH_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or (Path.home() / ".cache")
    return Path(base) / "quoth"


def _compute_closure(path: Path, sha: str, reasoner: str) -> Closure:
    g = load_ontology(path)
    vinfo = _version_info(g)
    if reasoner == "HermiT":
        run = _run_hermit(g)
        if not run.consistent:
            raise ReasonerError(f"{path} is inconsistent; fix it before computing its closure "
                                "(see check_consistency())")
        supc, supp, secs = run.superclasses, run.superproperties, run.seconds
        # owlready2 knows only the classes/properties it saw; merge the asserted view so that
        # every term of the file is present even when HermiT had nothing to add.
        a_supc, a_supp = _asserted_hierarchy(g)
        for k, v in a_supc.items():
            supc[k] = sorted(set(supc.get(k, ())) | set(v))
        for k, v in a_supp.items():
            supp[k] = sorted(set(supp.get(k, ())) | set(v))
    else:
        supc, supp = _asserted_hierarchy(g)
        secs = 0.0
    symmetric = sorted(str(p) for p in g.subjects(RDF.type, OWL.SymmetricProperty) if isinstance(p, URIRef))
    transitive = sorted(str(p) for p in g.subjects(RDF.type, OWL.TransitiveProperty) if isinstance(p, URIRef))
    return Closure(
        sha256=sha, version_info=vinfo, reasoner=reasoner,
        superclasses={k: v for k, v in sorted(supc.items())},
        superproperties={k: v for k, v in sorted(supp.items())},
        inverses=_inverses(g, supp), symmetric=symmetric, transitive=transitive, seconds=secs,
    )


def closure(
    path: str | os.PathLike = ONTOLOGY_FILE,
    cache_dir: str | os.PathLike | None = None,
    reasoner: str = "auto",
) -> Closure:
    """The entailed hierarchy of the ontology at ``path``, computed once per file version.

    Looked up in memory, then in ``cache_dir`` (default ``$QUOTH_CACHE_DIR`` or
    ``~/.cache/quoth``; pass the store directory to keep it next to the data) under
    ``closure-{sha256}.json``; computed with HermiT only on a miss. ``reasoner``:
    ``"HermiT"`` (fail without Java), ``"asserted"`` (the RDFS closure of the
    asserted axioms, no Java) or ``"auto"`` (HermiT if Java is available, else
    asserted with a warning; for this ontology both give the same hierarchy).
    """
    path = Path(path)
    if reasoner not in ("auto", "HermiT", "hermit", "asserted"):
        raise ValueError(f"unknown reasoner {reasoner!r}")
    if reasoner == "hermit":
        reasoner = "HermiT"
    if reasoner == "auto":
        if find_java() is not None:
            reasoner = "HermiT"
        else:
            log.warning("no Java runtime: using the asserted ontology hierarchy instead of HermiT's")
            reasoner = "asserted"
    sha = _file_sha256(path)
    key = (sha, reasoner)
    with _memo_lock:
        hit = _memo.get(key)
    if hit is not None:
        return hit
    cdir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    cfile = cdir / f"closure-{sha}-{reasoner}.json"
    result: Closure | None = None
    if cfile.is_file():
        try:
            d = json.loads(cfile.read_text(encoding="utf-8"))
            if d.get("format") == CLOSURE_FORMAT and d.get("sha256") == sha:
                result = Closure.from_json(d)
                result.cached = True
        except (OSError, ValueError, TypeError) as e:
            log.warning("ignoring unreadable closure cache %s: %s", cfile, e)
    if result is None:
        result = _compute_closure(path, sha, reasoner)
        try:
            cdir.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=cdir, prefix=".closure-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(result.to_json(), f, indent=1, sort_keys=True)
            os.replace(tmp, cfile)
        except OSError as e:
            log.warning("could not write closure cache %s: %s", cfile, e)
    with _memo_lock:
        _memo[key] = result
    return result


def clear_memory_cache() -> None:
    """Forget closures held in memory (the disk cache stays)."""
    with _memo_lock:
        _memo.clear()


# ---------------------------------------------------------------------------
# Materialisation (per article, on ingest) and the ontology graph (once)
# ---------------------------------------------------------------------------

def _default_closure(path: str | os.PathLike = ONTOLOGY_FILE) -> Closure:
    return closure(path)  # the module-level function (shadowed by parameters below)


def materialize(graph: rdflib.Graph, closure: Closure | None = None) -> "Triples":  # noqa: F811
    """The triples ``graph`` (any iterable of triples) entails under the ontology, and only
    those not already in it, as a :class:`kb.graph.Triples` set (iterable, ``in``, ``len``).

    Types from superclasses (``q:Claim`` -> ``schema:Claim``, ``prov:Entity``),
    superproperties (``q:speaker`` -> ``schema:author``, ``prov:wasAttributedTo``),
    inverse and symmetric properties (``m q:mentionOf c`` -> ``c q:hasMention m``,
    ``c schema:appearance m``) and transitive properties (``q:sameClaimAs``, within
    ``graph``). Pure dict look-ups: meant to run per article on ingest.
    """
    cl = closure if closure is not None else _default_closure()
    types = cl._types
    props = cl._props
    found: set = set()
    add = found.add
    rdf_type = RDF.type
    edges: dict = defaultdict(lambda: defaultdict(set))  # transitive p -> s -> {o}
    transitive = cl._transitive
    triples = list(graph)
    for s, p, o in triples:
        if p == rdf_type:
            sups = types.get(o)
            if sups:
                for d in sups:
                    add((s, rdf_type, d))
            continue
        ents = props.get(p)
        if ents:
            for p2, flip in ents:
                if flip:
                    if not isinstance(o, Literal):
                        add((o, p2, s))
                else:
                    add((s, p2, o))
        if p in transitive:
            edges[p][s].add(o)
    for p, by_s in edges.items():
        for s, p2, o in [t for t in found if t[1] == p]:  # e.g. symmetric counterparts
            by_s[s].add(o)
        for start in list(by_s):
            seen: set = set()
            todo = list(by_s[start])
            while todo:
                x = todo.pop()
                if x in seen:
                    continue
                seen.add(x)
                todo.extend(by_s.get(x, ()))
            for x in seen:
                if x != start:
                    add((start, p, x))
                    for p2, flip in props.get(p, ()):  # its superproperties too
                        add((x, p2, start) if flip else (start, p2, x))
    from .graph import Triples

    # entailed only: drop what the input already states (a plain set: an rdflib Graph's
    # indexes cost ~10 µs per triple, nearly all of this function's time on bulk import)
    return Triples.fromkeys(found.difference(triples))


def ontology_graph(path: str | os.PathLike = ONTOLOGY_FILE, closure: Closure | None = None) -> rdflib.Graph:  # noqa: F811
    """The ontology plus its entailed hierarchy, for the store's ``B graph/ontology``.

    Adds every entailed ``rdfs:subClassOf`` / ``rdfs:subPropertyOf`` (transitive
    closure, named terms) and ``owl:inverseOf`` pair, so SPARQL over the store can
    use ``rdfs:subClassOf`` without property paths. Carries ``owl:versionInfo``.
    """
    g = load_ontology(path)
    cl = closure if closure is not None else _default_closure(path)
    for c, sups in cl.superclasses.items():
        for d in sups:
            g.add((URIRef(c), RDFS.subClassOf, URIRef(d)))
    for p, sups in cl.superproperties.items():
        for d in sups:
            g.add((URIRef(p), RDFS.subPropertyOf, URIRef(d)))
    for p, invs in cl.inverses.items():
        for i in invs:
            g.add((URIRef(p), OWL.inverseOf, URIRef(i)))
    from .vocab import PREFIXES

    for prefix, iri in PREFIXES.items():
        g.bind(prefix, iri)
    return g


__all__ = [
    "ONTOLOGY_FILE", "ONTOLOGY_IRI", "Closure", "ConsistencyReport", "ReasonerError",
    "ReasonerUnavailableError", "check_consistency", "closure", "clear_memory_cache",
    "default_cache_dir", "find_java", "load_ontology", "materialize", "ontology_graph",
    "ontology_version",
]
