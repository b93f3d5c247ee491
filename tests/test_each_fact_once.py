"""Each fact once in the union default graph (issue 10 item 2; docs/MODEL.md "Each fact once").

Speaker facts (type, label, Wikidata link) and the PROV activity are stored in one graph, not
in every article graph that names them, so joins with them count each claim once; articles
are still validated one by one, and a speaker's facts go when nothing names it any more.
"""

from __future__ import annotations

import datetime as dt

import pytest

from kb.graph import Iris
from kb.ingest import Ingestor, _source_id
from kb.model import Article, Statement
from kb.queries import stats
from kb.shared_facts import migrate, needs_migration
from kb.validate_store import validate_store

TRUMP_1 = ("Donald Trump hat am Montag über die Zölle gesprochen. "
           "«Wir werden die Zölle nächste Woche senken», sagte Trump in Washington.")
TRUMP_2 = ("Der Präsident Donald Trump äußerte sich zur Energiepolitik. "
           "«Die Preise für Benzin müssen fallen», sagte Trump am Dienstag.")


def said(text: str, speaker: str, url: str, day: str = "2025-03-04") -> Statement:
    d = dt.date.fromisoformat(day)
    return Statement(speaker=speaker, text=text, language="de", date_said=d, source_url=url,
                     source_title="Bericht", source_date=d)


@pytest.fixture(scope="module")
def parts():
    from kb.extract import Extractor
    from kb.ontology import closure
    from kb.validate import Validator

    return {"extractor": Extractor(), "validator": Validator(), "closure": closure()}


@pytest.fixture
def ing(disk_store, parts):
    i = Ingestor(disk_store, **parts)
    i.ensure_setup()
    for n, text in enumerate([TRUMP_1, TRUMP_2]):
        assert i.ingest_article(Article(f"t{n}", text, dt.date(2025, 3, 4), "de")).stored
    s = i.ingest_statements([said("Die Brücke wird im Mai eröffnet.", "Erika Beispielfrau", "https://example.org/e1"),
                             said("Wir bauen eine zweite Brücke.", "Erika Beispielfrau", "https://example.org/e2"),
                             said("Der Haushalt ist ausgeglichen.", "Donald Trump", "https://example.org/t3")])
    assert s.rejected == 0
    return i


def repeated_triples(store) -> list:
    return store.select("SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?s ?p ?o "
                        "HAVING (COUNT(DISTINCT ?g) > 1)")


def claims_of(store, speaker) -> int:
    return int(store.select(f"SELECT (COUNT(?c) AS ?n) WHERE {{ GRAPH <{Iris(store.base_iri).claims_graph}> "
                            f"{{ ?c q:speaker <{speaker}> }} }}")[0]["n"])


def about(store, node) -> int:
    return int(store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ <{node}> ?p ?o }} }}")[0]["n"])


def test_no_triple_is_stored_in_two_graphs(ing, disk_store):
    assert repeated_triples(disk_store) == []


def test_joins_with_speaker_labels_count_each_claim_once(ing, disk_store):
    n_claims = stats(disk_store)["claims"]
    counted = disk_store.select("SELECT (COUNT(?c) AS ?n) WHERE { ?c q:speaker ?s }")[0]["n"]
    assert int(counted) == n_claims > 0
    rows = disk_store.select("SELECT ?text ?date WHERE { ?c q:speaker ?s ; q:text ?text ; q:dateSaid ?date . "
                             "?s skos:prefLabel \"Donald Trump\" } ORDER BY ?date")
    trump = ing.iris.speaker("donald-trump")
    assert len(rows) == claims_of(disk_store, trump) >= 3
    assert len({(str(r["text"]), str(r["date"])) for r in rows}) == len(rows)
    # the gazetteer's speakers are described by the gazetteer's graph alone
    assert not disk_store.ask(f"ASK {{ GRAPH <{ing.iris.claims_graph}> {{ <{trump}> ?p ?o }} }}")


def test_every_article_still_validates_on_its_own(ing, disk_store, parts):
    results = validate_store(disk_store, parts["validator"])
    assert results and all(r["conforms"] for r in results), [r["text"] for r in results if not r["conforms"]]


def test_a_speaker_named_by_no_article_any_more_loses_its_facts(ing, disk_store):
    erika = ing.iris.speaker("erika-beispielfrau")
    assert disk_store.ask(f"ASK {{ <{erika}> skos:prefLabel \"Erika Beispielfrau\" }}")
    assert ing.delete_article(_source_id(said("x", "x", "https://example.org/e1")))
    assert about(disk_store, erika) > 0  # still named by the other source
    assert ing.delete_article(_source_id(said("x", "x", "https://example.org/e2")))
    assert about(disk_store, erika) == 0
    assert about(disk_store, ing.iris.speaker("donald-trump")) > 0  # the gazetteer keeps its own
    assert repeated_triples(disk_store) == []


def test_replacing_an_article_drops_the_speaker_only_its_old_version_named(ing, disk_store):
    """A source re-imported with another speaker: whole-graph replacement leaves no stale facts."""
    assert ing.delete_article(_source_id(said("x", "x", "https://example.org/e2")))  # Erika: only in e1 now
    ing.ingest_statements([said("Die Brücke wird im Mai eröffnet.", "Hans Probemann", "https://example.org/e1"),
                           said("Noch ein Satz von ihm.", "Hans Probemann", "https://example.org/e1")])
    erika, hans = ing.iris.speaker("erika-beispielfrau"), ing.iris.speaker("hans-probemann")
    assert about(disk_store, erika) == 0
    assert claims_of(disk_store, hans) == 2 and about(disk_store, hans) > 0
    assert repeated_triples(disk_store) == []


def test_a_store_in_the_old_layout_is_migrated_to_the_same_triples(ing, disk_store):
    """Before, each article graph and the claims graph repeated who its speakers are and the
    activity; the migration (run by ensure_setup) ends with what a fresh ingest stores."""
    def quads() -> set[str]:
        rows = disk_store.select("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?s)) "
                                 f"FILTER(?g != <{ing.iris.ontology_graph}>) FILTER(?p != q:indexGeneration) }}")
        return {" ".join(r[k].n3() for k in ("g", "s", "p", "o")) for r in rows}

    before = quads()
    iris = ing.iris
    # the old layout: every article graph states its speakers' and activity's facts, and the
    # claims graph its claims' speakers' (the gazetteer's as well), with what they entail
    shared = f"""
        GRAPH ?g {{ ?m q:mentionOf ?c ; prov:wasGeneratedBy ?act }}
        {{ GRAPH <{iris.claims_graph}> {{ ?c q:speaker ?s }} }} UNION {{ GRAPH ?g {{ ?m prov:wasGeneratedBy ?s }} }}
          UNION {{ GRAPH <{iris.claims_graph}> {{ ?act prov:wasAssociatedWith ?s }} }}
        BIND(IRI(CONCAT(STR(?g), "/inferred")) AS ?gi)"""
    graphs = f"<{iris.claims_graph}> <{iris.speakers_graph}>"
    inferred = f"<{Iris.inferred(iris.claims_graph)}> <{Iris.inferred(iris.speakers_graph)}>"
    disk_store.update(f"""
      INSERT {{ GRAPH ?g {{ ?s ?p ?o }} }} WHERE {{ {shared} VALUES ?sg {{ {graphs} }} GRAPH ?sg {{ ?s ?p ?o }}
        FILTER(?p IN (rdf:type, skos:prefLabel, owl:sameAs, q:resolved, prov:wasAssociatedWith)) }} ;
      INSERT {{ GRAPH ?gi {{ ?s a ?t }} }} WHERE {{ {shared} VALUES ?sg {{ {inferred} }} GRAPH ?sg {{ ?s a ?t }} }} ;
      INSERT {{ GRAPH <{iris.claims_graph}> {{ ?s ?p ?o }} }} WHERE {{
        GRAPH <{iris.claims_graph}> {{ ?c q:speaker ?s }} GRAPH <{iris.speakers_graph}> {{ ?s ?p ?o }}
        FILTER(?p IN (rdf:type, skos:prefLabel, owl:sameAs)) }}""")
    assert repeated_triples(disk_store) and needs_migration(disk_store, iris)
    assert migrate(disk_store, iris, ing.materialize)
    assert not needs_migration(disk_store, iris)
    assert quads() == before
    assert not migrate(disk_store, iris, ing.materialize)  # once
