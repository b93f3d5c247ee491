"""The quoth command end to end: ingest the example articles, query, export, validate, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Dataset

from kb.cli import main

EXAMPLES = sorted((Path(__file__).parent.parent / "examples" / "articles").glob("*.txt"))


@pytest.fixture(scope="module")
def kb_dir(tmp_path_factory):
    """A store with the two example articles, ingested once through the CLI."""
    d = tmp_path_factory.mktemp("kb") / "store"
    r = CliRunner().invoke(main, ["--store", str(d), "ingest", "--quiet", *map(str, EXAMPLES)])
    assert r.exit_code == 0, r.output
    assert "2 article(s) stored, 0 unchanged: 26 new claim(s)" in r.output
    return d


def run(kb_dir: Path, *args: str) -> "CliRunner":
    return CliRunner().invoke(main, ["--store", str(kb_dir), *args])


def test_end_to_end_trumps_statements_come_back_through_sparql(kb_dir):
    r = run(kb_dir, "query", "--format", "json",
            'SELECT ?text ?date ?article WHERE { ?c q:speaker ?s ; q:text ?text ; q:dateSaid ?date . '
            '?s skos:prefLabel "Donald Trump" . ?m q:mentionOf ?c ; q:inArticle/dct:identifier ?article }')
    assert r.exit_code == 0, r.output
    rows = json.loads(r.output)["results"]["bindings"]
    texts = " ".join(b["text"]["value"] for b in rows)
    assert "Ich könnte mir vorstellen" in texts
    assert {b["article"]["value"][:3] for b in rows} == {"000", "004"}  # found in both articles


def test_reingest_changes_nothing(kb_dir):
    before = json.loads(run(kb_dir, "stats", "--json").output)
    r = run(kb_dir, "ingest", "--quiet", *map(str, EXAMPLES))
    assert r.exit_code == 0
    assert json.loads(run(kb_dir, "stats", "--json").output) == before


def test_table_output_and_bad_query_position(kb_dir):
    r = run(kb_dir, "query", "SELECT (COUNT(*) AS ?n) WHERE { ?c a q:Claim }")
    assert r.exit_code == 0 and "n" in r.output.splitlines()[0]
    r = run(kb_dir, "query", "SELECT ?x WHERE { ?x ?y }")
    assert r.exit_code == 2 and "bad SPARQL query" in r.output


@pytest.mark.parametrize("fmt,rdflib_fmt", [("ttl", "turtle"), ("nt", "nt"), ("nq", "nquads"), ("trig", "trig"),
                                            ("jsonld", "json-ld")])
def test_exports_parse_back_with_an_independent_parser(kb_dir, tmp_path, fmt, rdflib_fmt):
    out = tmp_path / f"kb.{fmt}"
    r = run(kb_dir, "export", "--format", fmt, "-o", str(out))
    assert r.exit_code == 0, r.output
    ds = Dataset()
    ds.parse(out, format=rdflib_fmt)
    n_rdflib = len(set(ds.quads((None, None, None, None)))) if fmt in ("nq", "trig", "jsonld") else len(
        set((s, p, o) for s, p, o, _ in ds.quads((None, None, None, None))))
    ox_fmt = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "nq": ox.RdfFormat.N_QUADS,
              "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD}[fmt]
    n_ox = len(set(ox.parse(path=str(out), format=ox_fmt)))
    assert n_rdflib == n_ox > 100
    # and the other way round: what rdflib writes, pyoxigraph reads with the same count
    again = ds.serialize(format="nquads", encoding="utf-8")
    assert len(set(ox.parse(again, format=ox.RdfFormat.N_QUADS))) == len(set(ds.quads((None, None, None, None))))


def test_validate_the_whole_store(kb_dir):
    r = run(kb_dir, "validate")
    assert r.exit_code == 0, r.output
    assert "2 article(s) checked, 0 failing" in r.output


def test_missing_store_is_a_clear_error(tmp_path):
    r = CliRunner().invoke(main, ["--store", str(tmp_path / "none"), "stats"])
    assert r.exit_code != 0 and "no store at" in r.output


def test_ingest_reports_rejections_and_exits_non_zero(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "text": "Er sagte: «Hallo.»", "date": "2025-02-30"}\n'
                   '{"id": "y", "text": "Sie sagte, es regne.", "date": "2025-02-03", "language": "de"}\n',
                   encoding="utf-8")
    r = CliRunner().invoke(main, ["--store", str(tmp_path / "s"), "ingest", "--quiet", str(bad)])
    assert r.exit_code == 1
    assert "2025-02-30" in r.output and "rejected 1" in r.output


def test_unreadable_file_and_bad_date_option(tmp_path):
    r = CliRunner().invoke(main, ["--store", str(tmp_path / "s"), "ingest", str(tmp_path / "nope.txt")])
    assert r.exit_code == 2 and "no such file" in r.output
    f = tmp_path / "a.txt"
    f.write_text("Er sagte: «Hallo.»", encoding="utf-8")
    r = CliRunner().invoke(main, ["--store", str(tmp_path / "s"), "ingest", "--date", "15.08.", str(f)])
    assert r.exit_code == 2 and "not a date" in r.output


def test_extract_prints_the_contract_lines(tmp_path):
    r = CliRunner().invoke(main, ["extract", "--input", str(EXAMPLES[0])])
    assert r.exit_code == 0, r.output
    lines = [json.loads(x) for x in r.output.splitlines()]
    assert lines and {"article", "type", "quote", "speaker", "cue", "date_said", "language", "confidence"} <= set(lines[0])
    assert all(line["article"] == EXAMPLES[0].stem for line in lines)


@pytest.mark.parametrize("sparql,says", [
    ("INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }", "SPARQL Update is refused"),
    ("DELETE WHERE { ?s ?p ?o }", "SPARQL Update is refused"),
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", "SERVICE is refused"),
])
def test_query_refuses_updates_and_service_clearly(kb_dir, sparql, says):
    before = run(kb_dir, "query", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").output
    r = run(kb_dir, "query", sparql)
    assert r.exit_code == 2
    assert says in r.output and "Traceback" not in r.output
    assert run(kb_dir, "query", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").output == before


def test_a_large_statements_import_is_followed_by_a_compaction_and_its_size(tmp_path, monkeypatch):
    import kb.ingest_run

    monkeypatch.setattr(kb.ingest_run, "COMPACT_AFTER_CLAIMS", 2)
    calls = []
    from kb.store.oxigraph import OxigraphStore

    real = OxigraphStore.compact
    monkeypatch.setattr(OxigraphStore, "compact", lambda self: (calls.append(1), real(self)))
    lines = [{"speaker": f"Person {i}", "language": "en", "text": f"Statement number {i} on taxes.",
              "date_said": "2025-08-1" + str(i), "source": {"url": f"https://example.org/{i}",
                                                         "title": f"Report {i}", "date": "2025-08-19"}}
             for i in range(3)]
    f = tmp_path / "s.jsonl"
    f.write_text("".join(json.dumps(x) + "\n" for x in lines))
    store = tmp_path / "s"
    r = CliRunner().invoke(main, ["--store", str(store), "ingest", "--quiet", "--no-vectors", "--json",
                                  "--statements", str(f)])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert calls == [1] and out["new_claims"] == 3
    on_disk = sum(p.stat().st_size for p in store.rglob("*") if p.is_file())
    assert 0 < out["store_bytes"] <= on_disk * 1.5
    # below the threshold (a re-import stores nothing new): no compaction
    r = CliRunner().invoke(main, ["--store", str(store), "ingest", "--quiet", "--no-vectors", "--statements", str(f)])
    assert r.exit_code == 0 and calls == [1] and "compacted" not in r.output
