"""SHACL shapes (shapes/quoth-shapes.ttl) and kb.validate.

Fixtures: tests/data/shapes/valid.ttl (one conforming article graph) and
tests/data/shapes/violations.trig (one patch per shape constraint).
"""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from rdflib import URIRef

from kb.paths import SHAPES_FILE
from kb.validate import QSH, SH, ValidationReport, Validator

DATA = Path(__file__).parent / "data" / "shapes"
VALID = DATA / "valid.ttl"
T = rdflib.Namespace("urn:test:")


@pytest.fixture(scope="module")
def validator() -> Validator:
    return Validator()


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(SHAPES_FILE, format="turtle")


def valid_graph() -> rdflib.Graph:
    return rdflib.Graph().parse(VALID, format="turtle")


def _load_cases():
    ds = rdflib.Dataset()
    ds.parse(DATA / "violations.trig", format="trig")
    graphs = {str(g.identifier): g for g in ds.graphs()}
    cases = []
    for case in sorted(set(ds.default_graph.subjects(T.expect, None))):
        expect = {str(o) for o in ds.default_graph.objects(case, T.expect)}
        sev = str(ds.default_graph.value(case, T.severity) or "Violation")
        name = str(case).removeprefix("urn:case:")
        remove = graphs.get(f"{case}:remove")
        add = graphs.get(f"{case}:add")
        cases.append(pytest.param(name, expect, sev, remove, add, id=name))
    return cases


CASES = _load_cases()


def _path_of(shapes: rdflib.Graph, shape: URIRef) -> str | None:
    from kb.validate import _path_str

    return _path_str(shapes, shapes.value(shape, SH.path))


def _severity_of(shapes: rdflib.Graph, shape: URIRef) -> str:
    sev = shapes.value(shape, SH.severity)
    return str(sev).rsplit("#", 1)[-1] if sev is not None else "Violation"


def test_valid_fixture_conforms_without_any_result(validator):
    rep = validator.validate(valid_graph())
    assert rep.conforms, rep.text
    assert rep.results == []
    assert rep.text.startswith("Conforms")


def test_every_shape_has_an_english_message(shapes):
    named = {s for s in shapes.subjects(None, None) if isinstance(s, URIRef) and str(s).startswith(str(QSH))}
    named.discard(URIRef(str(QSH)))
    assert len(named) > 40
    for s in named:
        msgs = [m for m in shapes.objects(s, SH.message) if m.language in (None, "en")]
        assert msgs, f"{s} has no sh:message"


def test_there_is_a_fixture_for_every_constraint_shape(shapes):
    covered = set().union(*(c.values[1] for c in CASES))
    constraint_shapes = {
        str(s) for s in shapes.subjects(SH.message, None)
        if isinstance(s, URIRef) and (s, SH.property, None) not in shapes  # not the containers
    }
    missing = constraint_shapes - covered
    assert not missing, f"no violation fixture for {sorted(missing)}"


@pytest.mark.parametrize("name, expect, severity, remove, add", CASES)
def test_violation_fixture(validator, shapes, name, expect, severity, remove, add):
    g = valid_graph()
    if remove is not None:
        for t in remove:
            assert t in g, f"{name}: fixture removes a triple that valid.ttl lacks: {t}"
            g.remove(t)
    if add is not None:
        for t in add:
            g.add(t)
    rep = validator.validate(g)
    reported = {r["source_shape"] for r in rep.results}
    assert reported == expect, rep.text
    for r in rep.results:
        shape = URIRef(r["source_shape"])
        assert r["severity"] == _severity_of(shapes, shape), rep.text
        assert r["message"] == str(shapes.value(shape, SH.message)), rep.text
        if _path_of(shapes, shape) is not None:
            assert r["path"] == _path_of(shapes, shape), rep.text
        assert r["focus_node"].startswith("http://127.0.0.1:8000/")
    assert rep.conforms == all(_severity_of(shapes, URIRef(x)) != "Violation" for x in expect)
    assert any(_severity_of(shapes, URIRef(x)) == severity for x in expect)
    # the readable text names the shape and carries the message
    for r in rep.results:
        assert r["message"] in rep.text
    json.dumps(rep.to_json())


def test_report_json_and_text_shape(validator):
    g = valid_graph()
    m1 = URIRef("http://127.0.0.1:8000/mention/m1")
    Q = rdflib.Namespace("https://w3id.org/quoth/ontology#")
    g.remove((m1, Q.confidence, None))
    g.add((m1, Q.confidence, rdflib.Literal("1.5", datatype=rdflib.XSD.decimal)))
    rep = validator.validate(g)
    d = rep.to_json()
    assert d["conforms"] is False and d["violations"] == 1 and d["warnings"] == 0
    (r,) = d["results"]
    assert set(r) == {"severity", "focus_node", "path", "value", "message", "source_shape", "constraint"}
    assert r["focus_node"] == str(m1)
    assert r["value"] == "1.5"
    assert r["constraint"] == str(SH.MaxInclusiveConstraintComponent)
    assert "q:confidence" in rep.text and "qsh:MentionConfidenceValue" in rep.text


def test_validates_a_pyoxigraph_store(validator):
    store = pyoxigraph.Store()
    store.load(VALID.read_bytes(), format=pyoxigraph.RdfFormat.TURTLE,
               to_graph=pyoxigraph.NamedNode("http://127.0.0.1:8000/graph/article/a1"))
    assert validator.validate(store).conforms
    store.remove(next(iter(store.quads_for_pattern(
        pyoxigraph.NamedNode("http://127.0.0.1:8000/claim/c1"),
        pyoxigraph.NamedNode("https://w3id.org/quoth/ontology#speaker"), None))))
    rep = validator.validate(store)
    assert {r["source_shape"] for r in rep.results} == {str(QSH.ClaimSpeakerCount)}


def test_thread_safe():
    validator = Validator()  # fresh: every thread sets itself up (shapes, SPARQL) concurrently
    bad = valid_graph()
    bad.remove((URIRef("http://127.0.0.1:8000/article/a1"), rdflib.URIRef("http://schema.org/inLanguage"), None))
    good = valid_graph()
    out: list[tuple[bool, bool]] = []
    errors: list[BaseException] = []

    def work():
        try:
            for _ in range(3):
                out.append((validator.validate(good).conforms, validator.validate(bad).conforms))
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(4)]
    threads.append(threading.Thread(target=lambda: out.extend(
        (a.conforms, b.conforms) for a, b in zip(*[iter(validator.validate_many([good, bad] * 3))] * 2))))
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors
    assert out == [(True, False)] * 15


# ----------------------------------------------------------------- batches

def article(i: int, text: str | None = None) -> rdflib.Graph:
    """valid.ttl with the article, its claims and its mentions renamed for article ``i``."""
    s = text if text is not None else VALID.read_text(encoding="utf-8")
    s = s.replace("article\\/a1", f"article\\/a{i}").replace('"a1"', f'"a{i}"')
    s = re.sub(r"claim\\/c(\d)", lambda m: f"claim\\/a{i}c{m.group(1)}", s)
    s = re.sub(r"mention\\/m(\d)", lambda m: f"mention\\/a{i}m{m.group(1)}", s)
    s = s.replace("correction\\/k1", f"correction\\/a{i}k1")
    return rdflib.Graph().parse(data=s, format="turtle")


def _key(rep: ValidationReport):
    return sorted((r["severity"], r["focus_node"], r["source_shape"], r["value"] or "") for r in rep.results)


def test_validate_many_attributes_results_to_their_article(validator):
    src = VALID.read_text(encoding="utf-8")
    graphs = [article(i) for i in range(8)]
    # article 2: a mention dated after the article; article 5: a claim without text
    graphs[2] = article(2, src.replace('"2025-08-11"^^xsd:date ;\n    q:dateBasis', '"2025-08-20"^^xsd:date ;\n    q:dateBasis'))
    graphs[5] = article(5, src.replace('    q:text "Wir schaffen das."@de ;\n', ""))
    calls = validator.calls
    reports = validator.validate_many(graphs)
    assert validator.calls - calls == 1, "one pyshacl run for a batch without conflicts"
    assert [r.conforms for r in reports] == [True, True, False, True, True, False, True, True]
    assert {r["source_shape"] for r in reports[2].results} == {str(QSH.MentionDateNotAfterArticle)}
    assert reports[2].results[0]["focus_node"] == "http://127.0.0.1:8000/article/a2"  # the article of the mention
    assert {r["source_shape"] for r in reports[5].results} == {str(QSH.ClaimText)}
    # same results as validating each alone
    for g, rep in zip(graphs, reports):
        assert _key(rep) == _key(validator.validate(g))


def test_validate_many_does_not_let_one_article_hide_anothers_error(validator):
    """Two articles hold the same claim record; only the first mentions it."""
    a = article(1)
    b = article(2)
    shared = URIRef("http://127.0.0.1:8000/claim/a1c1")
    for t in list(a.triples((shared, None, None))):
        b.add(t)  # b carries a1's claim record without a mention of it
    sp = URIRef("http://127.0.0.1:8000/speaker/angela-merkel")
    assert (sp, None, None) in a and (sp, None, None) in b  # speakers are shared, identically
    reports = validator.validate_many([a, b])
    assert reports[0].conforms, reports[0].text
    assert not reports[1].conforms
    assert {(r["focus_node"], r["source_shape"]) for r in reports[1].results} == {
        (str(shared), str(QSH.ClaimMention))}


def test_validate_many_same_article_twice_and_empty(validator):
    a = article(1)
    a2 = article(1)
    a2.remove((URIRef("http://127.0.0.1:8000/article/a1"), rdflib.URIRef("http://purl.org/dc/terms/identifier"), None))
    reports = validator.validate_many([a, a2])
    assert reports[0].conforms and not reports[1].conforms
    assert validator.validate_many([]) == []


def test_validate_many_matches_single_validation_on_mixed_batch(validator):
    src = VALID.read_text(encoding="utf-8")
    variants = [
        src,
        src.replace('schema:inLanguage "de"', 'schema:inLanguage "de_DE"'),
        src.replace('"149"^^xsd:nonNegativeInteger ;\n    nif:anchorOf', '"160"^^xsd:nonNegativeInteger ;\n    nif:anchorOf'),
        src.replace("q:confidence 0.9 ;", ""),
        src.replace('q:dateSaid "2025-08-11"^^xsd:date ;\n    q:quoteType', 'q:dateSaid "2025-08-16"^^xsd:date ;\n    q:quoteType'),
    ]
    graphs = [article(i, variants[i % len(variants)]) for i in range(15)]
    many = validator.validate_many(graphs)
    for g, rep in zip(graphs, many):
        single = validator.validate(g)
        assert _key(rep) == _key(single)
        assert rep.conforms == single.conforms


def test_validate_many_does_not_lend_a_speakers_type_to_another_article(validator):
    """Article 2 names a speaker it does not describe; article 1 describes it."""
    a = article(1)
    b = article(2)
    sp = URIRef("http://127.0.0.1:8000/speaker/bmi")
    for t in list(b.triples((sp, None, None))):
        b.remove(t)  # b still refers to the speaker (q:speaker) but says nothing about it
    alone = validator.validate(b)
    assert {r["source_shape"] for r in alone.results} == {str(QSH.ClaimSpeakerClass)}
    reports = validator.validate_many([a, b])
    assert reports[0].conforms
    assert _key(reports[1]) == _key(alone)
