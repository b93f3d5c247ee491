"""The Store protocol, run against the embedded store and a real Oxigraph server."""

from __future__ import annotations

import io

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD

from kb.store import QuerySyntaxError, StoreError, open_store
from kb.store.oxigraph import OxigraphStore
from kb.store.sparql_text import bind_values

G1 = "http://127.0.0.1:8000/graph/article/a1"
G2 = "http://127.0.0.1:8000/graph/article/a2"
TTL = """
@prefix q: <https://w3id.org/quoth/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<http://127.0.0.1:8000/claim/1> a q:Claim ; q:text "Hallo Welt"@de ; q:dateSaid "2025-08-15"^^xsd:date .
"""


def test_load_select_and_union_default_graph(any_store):
    any_store.load(TTL.encode(), "ttl", G1)
    any_store.load(TTL.replace("claim/1", "claim/2").replace("Hallo", "Tschüss").encode(), "ttl", G2)
    rows = any_store.select("SELECT ?c ?t WHERE { ?c a q:Claim ; q:text ?t } ORDER BY ?c")
    assert [str(r["c"]) for r in rows] == ["http://127.0.0.1:8000/claim/1", "http://127.0.0.1:8000/claim/2"]
    assert rows[0]["t"] == Literal("Hallo Welt", lang="de")
    assert sorted(any_store.named_graphs()) == [G1, G2]
    assert len(any_store.graph(G1)) == 3


def test_bound_values_filter_inside_the_group(any_store):
    any_store.load(TTL.encode(), "ttl", G1)
    q = "SELECT ?c WHERE { ?c q:dateSaid ?d FILTER(?d >= ?since) }"
    assert any_store.select(q, {"since": Literal("2025-08-01", datatype=XSD.date)})
    assert not any_store.select(q, {"since": Literal("2025-09-01", datatype=XSD.date)})


def test_injection_attempt_stays_a_literal(any_store):
    any_store.load(TTL.encode(), "ttl", G1)
    evil = 'x" } } ; DROP ALL ; SELECT * WHERE { { ?s ?p "'
    rows = any_store.select("SELECT ?c WHERE { ?c q:text ?t FILTER(STR(?t) = ?needle) }", {"needle": Literal(evil)})
    assert rows == []
    assert any_store.triple_count() == 3  # nothing was dropped


def test_bind_values_rejects_bad_names_and_iris():
    with pytest.raises(ValueError):
        bind_values("SELECT * WHERE { ?s ?p ?o }", {"s x": Literal("1")})
    with pytest.raises(ValueError):
        bind_values("SELECT * WHERE { ?s ?p ?o }", {"s": URIRef("http://a> <b")})


def test_syntax_error_has_a_position(any_store):
    with pytest.raises(QuerySyntaxError) as e:
        any_store.select("SELECT ?x WHERE { ?x ?y }")
    assert any(ch.isdigit() for ch in str(e.value))


def test_update_is_atomic(any_store):
    any_store.load(TTL.encode(), "ttl", G1)
    with pytest.raises((QuerySyntaxError, StoreError)):
        any_store.update(f"DROP GRAPH <{G1}> ; INSERT DATA {{ GRAPH <{G2}> {{ <http://a> <http://b> }} }}")
    assert any_store.triple_count() == 3  # the DROP before the broken INSERT did not happen


def test_construct_and_ask(any_store):
    any_store.load(TTL.encode(), "ttl", G1)
    g = any_store.construct("CONSTRUCT { ?c q:text ?t } WHERE { ?c q:text ?t }")
    assert len(g) == 1
    assert any_store.ask("ASK { ?c a q:Claim }")


@pytest.mark.parametrize("fmt", ["nq", "trig", "ttl", "nt", "jsonld"])
def test_dump_parses_back_with_rdflib(any_store, fmt):
    any_store.load(TTL.encode(), "ttl", G1)
    any_store.load(TTL.replace("claim/1", "claim/2").encode(), "ttl", G2)
    buf = io.BytesIO()
    any_store.dump(buf, fmt)
    rdflib_fmt = {"nq": "nquads", "trig": "trig", "ttl": "turtle", "nt": "nt", "jsonld": "json-ld"}[fmt]
    ds = Dataset()
    ds.parse(data=buf.getvalue(), format=rdflib_fmt)
    assert len(list(ds.quads((None, None, None, None)))) == 6


def test_query_raw_formats(any_store):
    any_store.load(TTL.encode(), "ttl", G1)
    for fmt, marker in [("json", b'"bindings"'), ("xml", b"<sparql"), ("csv", b"c\r\n"), ("tsv", b"?c")]:
        res = any_store.query_raw("SELECT ?c WHERE { ?c a q:Claim }", fmt)
        assert marker in res.body, fmt
    res = any_store.query_raw("CONSTRUCT { ?c a q:Claim } WHERE { ?c a q:Claim }", "json", "nt")
    assert res.kind == "graph" and Graph().parse(data=res.body, format="nt")


def test_open_store_missing_directory_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="no store at"):
        open_store(tmp_path / "nope", create=False)


def test_embedded_store_persists_on_disk(tmp_path):
    s = open_store(tmp_path / "kb")
    s.load(TTL.encode(), "ttl", G1)
    s.close()
    s2 = open_store(tmp_path / "kb", create=False)
    assert s2.triple_count() == 3
    s2.close()


def test_nquads_escapes_every_term_as_rdflib_reads_it():
    from kb.store import nquads

    s, p = URIRef("http://x/s"), URIRef("http://x/p")
    objects = [Literal('er sagte: "Nein"\nund ging \\ weg'), Literal("Grüße", lang="de"),
               Literal("2025-08-15", datatype=XSD.date), Literal("0.5", datatype=XSD.decimal),
               URIRef("http://x/o?ä=1"), Literal("tab\there\r")]
    graphs = [("http://x/g1", [(s, p, o) for o in objects]), ("http://x/g2", [(s, p, objects[0])])]
    ds = Dataset()
    ds.parse(data=nquads(graphs).decode("utf-8"), format="nquads")
    got = {(str(c), o) for _, _, o, c in ds.quads((s, p, None, None))}
    assert got == {("http://x/g1", o) for o in objects} | {("http://x/g2", objects[0])}


def test_bulk_insert_loads_the_log_and_replaces_marked_subjects(tmp_path):
    from kb.store.oxigraph import REDO_LOG, REDO_MARKS, OxigraphStore

    s, p = URIRef("http://x/s"), URIRef("http://x/p")
    store = OxigraphStore(tmp_path / "store")
    store.insert([("http://x/g", [(s, p, Literal("old")), (URIRef("http://x/t"), p, Literal("kept"))])])
    (tmp_path / "store" / REDO_MARKS).write_text("stale, from a write that never got its log")
    store.insert([("http://x/g", [(s, p, Literal("new"))] * 3000)], bulk=True, replace=[("http://x/g", {s})])
    rows = store.select("SELECT ?s ?o WHERE { GRAPH <http://x/g> { ?s ?p ?o } } ORDER BY ?s")
    assert [(str(r["s"]), str(r["o"])) for r in rows] == [("http://x/s", "new"), ("http://x/t", "kept")]
    assert not (tmp_path / "store" / REDO_LOG).exists() and not (tmp_path / "store" / REDO_MARKS).exists()


def test_reopening_keeps_only_a_few_rocksdb_logs(tmp_path):
    from kb.store.oxigraph import KEEP_OLD_LOGS

    for i in range(KEEP_OLD_LOGS + 4):
        s = open_store(tmp_path / "db")
        s.update(f'INSERT DATA {{ <urn:x:{i}> <urn:x:p> "{i}" }}')
        s.close()
    old = list((tmp_path / "db").glob("LOG.old.*"))
    assert 1 <= len(old) <= KEEP_OLD_LOGS
    s = open_store(tmp_path / "db")
    assert len(s.select("SELECT ?s WHERE { ?s <urn:x:p> ?o }")) == KEEP_OLD_LOGS + 4


def test_read_only_open_retries_while_a_writer_moves_files(tmp_path, monkeypatch):
    """A read-only open beside a writer can name an SST file that compaction has just deleted;
    the open is tried again instead of failing the reading command (a CI failure, session 6)."""
    import pyoxigraph as ox

    from kb.store import oxigraph as mod

    path = tmp_path / "kb"
    OxigraphStore(path).close()
    real = ox.Store.read_only
    calls = []

    def flaky(p):
        calls.append(p)
        if len(calls) < 3:
            raise RuntimeError(f"Corruption: IO error: No such file or directory: {p}/000009.sst")
        return real(p)

    monkeypatch.setattr(mod.ox.Store, "read_only", staticmethod(flaky))
    s = OxigraphStore(path, read_only=True)
    s.close()
    assert len(calls) == 3


def test_read_only_open_reports_other_errors_at_once(tmp_path, monkeypatch):
    import pyoxigraph as ox

    from kb.store import oxigraph as mod

    path = tmp_path / "kb"
    OxigraphStore(path).close()
    calls = []

    def broken(p):
        calls.append(p)
        raise OSError("Permission denied")

    monkeypatch.setattr(mod.ox.Store, "read_only", staticmethod(broken))
    with pytest.raises(StoreError, match="Permission denied"):
        OxigraphStore(path, read_only=True)
    assert len(calls) == 1
