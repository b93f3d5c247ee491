"""The OWL ontology (ontology/quoth.ttl) and kb.ontology.

HermiT tests need Java (CI has Java 17); they skip, saying so, only when no
`java` can be found.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import rdflib
from rdflib import Literal, URIRef
from rdflib import namespace as ns
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS

from kb import ontology as onto
from kb.paths import ONTOLOGY_FILE
from kb.vocab import NIF, Q, SCHEMA

needs_java = pytest.mark.skipif(
    onto.find_java() is None, reason="HermiT needs a Java runtime and no `java` was found (CI has Java 17)"
)

B = rdflib.Namespace("http://127.0.0.1:8000/")


@pytest.fixture(scope="module")
def graph() -> rdflib.Graph:
    return onto.load_ontology()


@pytest.fixture(scope="module")
def hermit_closure(tmp_path_factory) -> onto.Closure:
    """HermiT's closure (freshly computed); the asserted hierarchy when there is no Java."""
    onto.clear_memory_cache()
    return onto.closure(cache_dir=tmp_path_factory.mktemp("closure"), reasoner="auto")


def _ontology_plus(tmp_path: Path, extra: str) -> Path:
    p = tmp_path / "bad.ttl"
    p.write_text(ONTOLOGY_FILE.read_text(encoding="utf-8") + "\n" + extra, encoding="utf-8")
    return p


# ------------------------------------------------------------------ the file

def test_ontology_header(graph):
    ont = URIRef("https://w3id.org/quoth/ontology")
    assert (ont, RDF.type, OWL.Ontology) in graph
    assert graph.value(ont, OWL.versionInfo) is not None


def test_terms_of_model_md_are_declared(graph):
    classes = ["Claim", "Mention", "Article", "Speaker", "Person", "Organization", "RoleSpan", "Segment"]
    for c in classes:
        assert (Q[c], RDF.type, OWL.Class) in graph, c
    objprops = ["speaker", "quoteType", "certainty", "respondsTo", "contradicts", "sameClaimAs",
                "mentionOf", "hasMention", "inArticle", "segment", "relayedBy", "holdsRole"]
    dataprops = ["text", "context", "dateSaid", "dateBasis", "confidence", "cueText", "cueBegin", "cueEnd",
                 "speakerMention", "speakerMentionBegin", "speakerMentionEnd", "roleLabel", "roleStart",
                 "roleEnd", "resolved"]
    for p in objprops:
        assert (Q[p], RDF.type, OWL.ObjectProperty) in graph, p
    for p in dataprops:
        assert (Q[p], RDF.type, OWL.DatatypeProperty) in graph, p
    for p in objprops + dataprops:
        assert graph.value(Q[p], RDFS.domain) is not None, f"{p} has no domain"
        assert graph.value(Q[p], RDFS.range) is not None, f"{p} has no range"
    assert (Q.hasMention, OWL.inverseOf, Q.mentionOf) in graph
    assert (Q.contradicts, RDF.type, OWL.SymmetricProperty) in graph
    assert (Q.sameClaimAs, RDF.type, OWL.SymmetricProperty) in graph
    assert (Q.sameClaimAs, RDF.type, OWL.TransitiveProperty) in graph
    assert (Q.Person, OWL.disjointWith, Q.Organization) in graph


def test_skos_schemes(graph):
    from kb.vocab import QUOTE_TYPES

    for t in QUOTE_TYPES:
        assert (Q[t], SKOS.inScheme, Q.QuoteTypeScheme) in graph
        assert {d.language for d in graph.objects(Q[t], SKOS.definition)} == {"en", "de"}
    for c in ("Certain", "Hedged"):
        assert (Q[c], SKOS.inScheme, Q.CertaintyScheme) in graph
    assert (Q.QuoteTypeScheme, RDF.type, SKOS.ConceptScheme) in graph
    assert (Q.CertaintyScheme, RDF.type, SKOS.ConceptScheme) in graph


def test_every_own_term_has_english_and_german_label_and_comment(graph):
    terms = {s for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(str(Q))}
    assert len(terms) > 40
    for t in terms:
        assert {l.language for l in graph.objects(t, RDFS.label)} >= {"en", "de"}, t
        assert {c.language for c in graph.objects(t, RDFS.comment)} >= {"en", "de"}, t


def test_alignments_asserted(graph):
    for sub, sup in [(Q.Claim, SCHEMA.Claim), (Q.Claim, PROV.Entity), (Q.Mention, SCHEMA.Quotation),
                     (Q.Article, SCHEMA.NewsArticle), (Q.Person, SCHEMA.Person), (Q.Person, PROV.Person),
                     (Q.Organization, SCHEMA.Organization), (Q.Organization, PROV.Organization),
                     (Q.Speaker, PROV.Agent)]:
        assert (sub, RDFS.subClassOf, sup) in graph
    for sub, sup in [(Q.speaker, SCHEMA.author), (Q.speaker, PROV.wasAttributedTo), (Q.text, SCHEMA.text),
                     (Q.dateSaid, SCHEMA.dateCreated), (Q.inArticle, SCHEMA.isPartOf),
                     (Q.hasMention, SCHEMA.appearance)]:
        assert (sub, RDFS.subPropertyOf, sup) in graph


# ------------------------------------------------------------------ HermiT

@needs_java
def test_ontology_is_consistent_under_hermit():
    rep = onto.check_consistency()
    assert rep.consistent and not rep.unsatisfiable, rep.message
    assert rep.ok and rep.reasoner == "HermiT"
    assert rep.version == onto.ontology_version()
    json.dumps(rep.to_json())


@needs_java
def test_consistent_with_instance_data_including_dates():
    data = rdflib.Graph().parse(Path(__file__).parent / "data" / "shapes" / "valid.ttl", format="turtle")
    assert any(o.datatype == ns.XSD.date for o in data.objects() if isinstance(o, Literal))
    rep = onto.check_consistency(data=data)
    assert rep.ok, rep.message


@needs_java
def test_individual_both_person_and_organization_is_inconsistent():
    data = rdflib.Graph()
    data.add((B["speaker/x"], RDF.type, Q.Person))
    data.add((B["speaker/x"], RDF.type, Q.Organization))
    rep = onto.check_consistency(data=data)
    assert not rep.consistent and not rep.ok
    assert "inconsistent" in rep.message
    assert rep.culprits == ["<http://127.0.0.1:8000/speaker/x> is both q:Organization and q:Person (disjoint)"]


@needs_java
def test_property_misuse_clashes_through_domains():
    """A mention given a speaker (q:speaker has domain q:Claim) is a Claim and a Mention."""
    data = rdflib.Graph()
    data.add((B["mention/m"], RDF.type, Q.Mention))
    data.add((B["mention/m"], Q.speaker, B["speaker/p"]))
    rep = onto.check_consistency(data=data)
    assert not rep.consistent
    assert any("mention/m> is both q:Claim and q:Mention" in c for c in rep.culprits), rep.culprits


@needs_java
def test_class_under_two_disjoint_classes_is_unsatisfiable(tmp_path):
    bad = _ontology_plus(tmp_path, "<https://w3id.org/quoth/ontology#Weird> a <http://www.w3.org/2002/07/owl#Class> ;"
                         " <http://www.w3.org/2000/01/rdf-schema#subClassOf> "
                         "<https://w3id.org/quoth/ontology#Claim> , <https://w3id.org/quoth/ontology#Article> .")
    rep = onto.check_consistency(bad)
    assert rep.consistent  # no instance yet: a coherence error, not an inconsistency
    assert rep.unsatisfiable == [str(Q.Weird)]
    assert not rep.ok


@needs_java
def test_functional_speaker_with_person_and_organization_is_inconsistent():
    data = rdflib.Graph()
    c = B["claim/c"]
    data.add((c, Q.speaker, B["speaker/p"]))
    data.add((c, Q.speaker, B["speaker/o"]))
    data.add((B["speaker/p"], RDF.type, Q.Person))
    data.add((B["speaker/o"], RDF.type, Q.Organization))
    assert not onto.check_consistency(data=data).consistent


def test_missing_java_gives_a_clear_error(monkeypatch):
    import owlready2

    monkeypatch.setattr(owlready2, "JAVA_EXE", "java-does-not-exist")
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", "/nonexistent")
    assert onto.find_java() is None
    onto.clear_memory_cache()
    with pytest.raises(onto.ReasonerUnavailableError, match="Java"):
        onto.check_consistency()
    with pytest.raises(onto.ReasonerUnavailableError):
        onto.closure(reasoner="HermiT", cache_dir="/nonexistent-cache-dir-for-test")


def test_closure_without_java_falls_back_to_asserted_hierarchy(monkeypatch, tmp_path):
    import owlready2

    monkeypatch.setattr(owlready2, "JAVA_EXE", "java-does-not-exist")
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", "/nonexistent")
    onto.clear_memory_cache()
    cl = onto.closure(cache_dir=tmp_path)
    assert cl.reasoner == "asserted"
    assert str(SCHEMA.Claim) in cl.superclasses[str(Q.Claim)]
    onto.clear_memory_cache()


# ------------------------------------------------------------------ closure

def test_closure_contents(hermit_closure):
    cl = hermit_closure
    assert not cl.cached
    assert cl.reasoner == ("HermiT" if onto.find_java() else "asserted")
    assert str(SCHEMA.Claim) in cl.superclasses[str(Q.Claim)]
    assert str(PROV.Entity) in cl.superclasses[str(Q.Claim)]
    assert str(PROV.Agent) in cl.superclasses[str(Q.Person)]  # via q:Speaker: transitive
    assert str(PROV.wasAttributedTo) in cl.superproperties[str(Q.speaker)]
    assert str(SCHEMA.author) in cl.superproperties[str(Q.speaker)]
    assert str(Q.hasMention) in cl.inverses[str(Q.mentionOf)]
    assert (str(SCHEMA.appearance), True) in cl.entailments[str(Q.mentionOf)]
    assert all(not c.startswith(str(OWL)) for sups in cl.superclasses.values() for c in sups)


def test_closure_is_cached_on_disk_by_file_hash(tmp_path, hermit_closure):
    src = tmp_path / "quoth.ttl"
    shutil.copy(ONTOLOGY_FILE, src)
    cache = tmp_path / "cache"
    onto.clear_memory_cache()
    first = onto.closure(src, cache_dir=cache, reasoner="auto")
    files = list(cache.glob("closure-*.json"))
    assert len(files) == 1 and first.sha256 in files[0].name
    onto.clear_memory_cache()
    second = onto.closure(src, cache_dir=cache, reasoner="auto")
    assert second.cached and second.superclasses == first.superclasses
    # a new version of the file is a cache miss
    src.write_text(src.read_text(encoding="utf-8").replace('owl:versionInfo "', 'owl:versionInfo "9'), encoding="utf-8")
    third = onto.closure(src, cache_dir=cache, reasoner="auto")
    assert not third.cached and third.version_info.startswith("9")
    assert len(list(cache.glob("closure-*.json"))) == 2
    onto.clear_memory_cache()


def test_ontology_version_changes_with_the_file(tmp_path):
    v = onto.ontology_version()
    info = str(onto.load_ontology().value(URIRef("https://w3id.org/quoth/ontology"), OWL.versionInfo))
    assert v.startswith(info + "+") and len(v.split("+")[1]) == 12
    p = _ontology_plus(tmp_path, "# a comment changes the hash")
    assert onto.ontology_version(p) != v


# ------------------------------------------------------------------ materialize

def test_materialize_adds_entailed_triples_only(hermit_closure):
    g = rdflib.Graph()
    c, m, a, p = B["claim/c"], B["mention/m"], B["article/a"], B["speaker/p"]
    g.add((c, RDF.type, Q.Claim))
    g.add((m, RDF.type, Q.Mention))
    g.add((a, RDF.type, Q.Article))
    g.add((p, RDF.type, Q.Person))
    g.add((c, Q.speaker, p))
    g.add((m, Q.mentionOf, c))
    g.add((m, Q.inArticle, a))
    g.add((c, Q.dateSaid, Literal("2025-08-15", datatype=ns.XSD.date)))
    g.add((c, SCHEMA.author, p))  # already stated: must not come back
    inf = onto.materialize(g, hermit_closure)
    assert (c, RDF.type, SCHEMA.Claim) in inf
    assert (c, RDF.type, PROV.Entity) in inf
    assert (m, RDF.type, SCHEMA.Quotation) in inf
    assert (a, RDF.type, SCHEMA.NewsArticle) in inf
    assert (p, RDF.type, Q.Speaker) in inf and (p, RDF.type, PROV.Agent) in inf
    assert (c, Q.hasMention, m) in inf
    assert (c, SCHEMA.appearance, m) in inf  # through the inverse
    assert (c, PROV.wasAttributedTo, p) in inf
    assert (m, SCHEMA.isPartOf, a) in inf
    assert (c, SCHEMA.dateCreated, Literal("2025-08-15", datatype=ns.XSD.date)) in inf
    assert (c, SCHEMA.author, p) not in inf
    assert not set(inf) & set(g)
    assert (c, RDF.type, OWL.Thing) not in inf


def test_materialize_symmetric_and_transitive(hermit_closure):
    g = rdflib.Graph()
    c1, c2, c3 = B["claim/1"], B["claim/2"], B["claim/3"]
    g.add((c1, Q.sameClaimAs, c2))
    g.add((c2, Q.sameClaimAs, c3))
    g.add((c1, Q.contradicts, c3))
    inf = onto.materialize(g, hermit_closure)
    assert (c2, Q.sameClaimAs, c1) in inf
    assert (c1, Q.sameClaimAs, c3) in inf and (c3, Q.sameClaimAs, c1) in inf
    assert (c3, Q.contradicts, c1) in inf
    assert (c1, Q.sameClaimAs, c1) not in inf


def test_materialize_covers_a_whole_article(hermit_closure):
    data = rdflib.Graph().parse(Path(__file__).parent / "data" / "shapes" / "valid.ttl", format="turtle")
    inf = onto.materialize(data, hermit_closure)
    assert len(inf) > 30
    assert not set(inf) & set(data)
    assert onto.materialize(list(data), hermit_closure) == inf  # any iterable of triples


def test_ontology_graph_has_inferred_hierarchy_and_version(hermit_closure):
    g = onto.ontology_graph(closure=hermit_closure)
    assert (Q.Person, RDFS.subClassOf, PROV.Agent) in g  # entailed, not asserted
    assert (Q.Person, RDFS.subClassOf, PROV.Agent) not in onto.load_ontology()
    assert (Q.mentionOf, OWL.inverseOf, Q.hasMention) in g
    assert g.value(URIRef("https://w3id.org/quoth/ontology"), OWL.versionInfo) is not None
    assert (Q.Segment, RDFS.subClassOf, NIF.String) in g


def test_every_q_term_of_model_md_is_defined(graph):
    """docs/MODEL.md is the contract: each q: term it names is in the ontology."""
    import re

    model = (Path(__file__).resolve().parent.parent / "docs" / "MODEL.md").read_text(encoding="utf-8")
    named = set(re.findall(r"\bq:([A-Za-z]+)", model))
    assert len(named) > 30
    defined = {str(s)[len(str(Q)):] for s in graph.subjects(RDF.type, None) if str(s).startswith(str(Q))}
    assert not named - defined, f"named in MODEL.md but not defined: {sorted(named - defined)}"
