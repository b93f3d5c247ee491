"""Ingest: validate before store, reject cleanly, atomic, idempotent, entailments materialized."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

import pytest

from kb.ingest import Ingestor
from kb.model import Article, InputError, Statement
from kb.queries import ClaimFilter, list_claims, stats
from kb.store import StoreError

TEXT = ("US-Präsident Donald Trump hat sich am Freitag zu einem neuen Abkommen geäußert. "
        "«Das ist ein großartiger Tag für unser Land», sagte Trump vor Journalisten.")


def statement(text: str, speaker: str = "Donald Trump", said: str = "2025-08-15", src_date: str = "2025-08-16",
              url: str = "https://example.org/news/1") -> Statement:
    return Statement(speaker=speaker, text=text, language="de", date_said=dt.date.fromisoformat(said),
                     source_url=url, source_title="Nachrichten", source_date=dt.date.fromisoformat(src_date))


@pytest.fixture(scope="module")
def shared_parts():
    """Extractor, validator and ontology closure load once for the module."""
    from kb.extract import Extractor
    from kb.ontology import closure
    from kb.validate import Validator

    return {"extractor": Extractor(), "validator": Validator(), "closure": closure()}


@pytest.fixture
def ingestor(disk_store, shared_parts):
    ing = Ingestor(disk_store, **shared_parts)
    ing.ensure_setup()
    return ing


def test_statements_are_stored_and_idempotent(ingestor, disk_store):
    items = [statement("Wir sehen uns bald wieder."), statement("Das Treffen war konstruktiv.")]
    s = ingestor.ingest_statements(items)
    assert (s.articles, s.claims, s.mentions, s.rejected) == (1, 2, 2, 0)
    n = disk_store.triple_count()
    ingestor.ingest_statements(items)
    assert disk_store.triple_count() == n  # re-ingesting changes nothing


def test_claim_said_after_publication_is_rejected_with_a_report_and_the_rest_stored(ingestor, disk_store):
    good = statement("Wir sehen uns bald wieder.", url="https://example.org/ok")
    late = statement("Das sage ich erst morgen.", said="2025-08-20", src_date="2025-08-16",
                     url="https://example.org/late")
    s = ingestor.ingest_statements([good, late, InputError("s.jsonl:3: not valid JSON")])
    assert s.articles == 1 and s.rejected == 2
    bad = [r for r in s.rejections if r.report]
    assert len(bad) == 1
    assert "date" in bad[0].errors[0].lower()
    assert bad[0].report and not bad[0].report.get("conforms", False)
    # nothing of the rejected article is in the store
    texts = [c["text"] for c in list_claims(disk_store, ClaimFilter())["items"]]
    assert texts == ["Wir sehen uns bald wieder."]
    assert not any(g.endswith("/inferred") and "late" in g for g in disk_store.named_graphs())


def test_a_failed_write_leaves_nothing_half_written(ingestor, disk_store, monkeypatch):
    ingestor.ingest_statements([statement("Erstes.")])
    before = disk_store.triple_count()

    def boom(*args, **kwargs) -> None:
        raise StoreError("disk full")

    monkeypatch.setattr(disk_store, "update", boom)
    monkeypatch.setattr(disk_store, "insert", boom)
    with pytest.raises(StoreError):
        ingestor.ingest_statements([statement("Zweites.", url="https://example.org/2")])
    monkeypatch.undo()
    assert disk_store.triple_count() == before


def _import(n: int) -> list[Statement]:
    """n statements from n // 3 sources (big enough for the bulk path)."""
    return [statement(f"Aussage Nummer {i} zum Thema {i % 7}.", speaker=f"Person {i % 5}",
                      url=f"https://example.org/bulk/{i // 3}") for i in range(n)]


def _content(store) -> set[str]:
    """The store's quads as N-Quads lines, without the index generation (it counts writes)
    and the ontology graph (its blank nodes differ from store to store)."""
    return {str(q) for q in store.native if not str(q.predicate).endswith("#indexGeneration>")
            and not str(q.graph_name).endswith("/graph/ontology>")}


def _repeats(n: int) -> list[Statement]:
    """n statements that repeat _import()'s statements 0, 3, 6, … from other sources, said earlier."""
    return [statement(f"Aussage Nummer {i} zum Thema {i % 7}.", speaker=f"Person {i % 5}", said="2025-08-10",
                      url=f"https://example.org/again/{i // 3}") for i in range(0, 3 * n, 3)]


def test_bulk_import_stores_the_same_as_transactions(tmp_path, shared_parts):
    from kb.store.oxigraph import REDO_LOG, OxigraphStore

    contents = []
    for bulk in (False, True):
        store = OxigraphStore(tmp_path / f"bulk-{bulk}")
        ing = Ingestor(store, bulk=bulk, **shared_parts)
        ing.ensure_setup()
        s = ing.ingest_statements(_import(300), batch_size=50)
        assert (s.articles, s.mentions, s.rejected) == (100, 300, 0)
        # one batch: new sources repeating stored claims, said earlier (their records are
        # rewritten), new claims, and 10 sources given again with one statement of three
        # (their new version replaces the old: 20 claims go)
        s = ing.ingest_statements(_import(30)[::3] + _repeats(100) + _import(900)[300:], batch_size=400)
        assert s.rejected == 0
        assert not (tmp_path / f"bulk-{bulk}" / REDO_LOG).exists()
        dates = store.select("SELECT ?c (COUNT(?d) AS ?n) (MIN(?d) AS ?first) WHERE { GRAPH ?g { ?c a q:Claim ; "
                             "q:dateSaid ?d } FILTER(STRENDS(STR(?g), '/claims')) } GROUP BY ?c")
        assert {int(r["n"]) for r in dates} == {1}  # one date per record, never two
        assert len(dates) == 880 and sum(str(r["first"]) == "2025-08-10" for r in dates) == 100
        contents.append(_content(store))
        store.close()
    assert contents[0] == contents[1]
    assert len(contents[0]) > 300 * 20


@contextmanager
def _crash_inside_bulk_load(store):
    """The native store dies inside the bulk load, after the redo log is written (a
    KeyboardInterrupt, not an OSError: nothing catches it, like a kill)."""
    class Crashing:
        def __init__(self, inner):
            self.inner = inner

        def bulk_load(self, *args, **kwargs):
            raise KeyboardInterrupt

        def __getattr__(self, name):
            return getattr(self.inner, name)

    crashing = Crashing(store._store)
    store._store = crashing
    try:
        with pytest.raises(KeyboardInterrupt):
            yield
    finally:
        # the traceback keeps `crashing` alive: it must not keep the database open too
        store._store, crashing.inner = crashing.inner, None


def test_a_bulk_write_cut_short_is_completed_from_its_redo_log(tmp_path, shared_parts):
    import pyoxigraph as ox

    from kb.store.oxigraph import REDO_LOG, OxigraphStore

    path = tmp_path / "store"
    store = OxigraphStore(path)
    ing = Ingestor(store, bulk=True, **shared_parts)
    ing.ensure_setup()
    before = store.triple_count()

    with _crash_inside_bulk_load(store):
        ing.ingest_statements(_import(300), batch_size=200)  # 100 articles: one batch
    assert (path / REDO_LOG).exists()
    assert store.triple_count() == before  # the crashed write left nothing yet
    store.close()
    del store, ing

    reopened = OxigraphStore(path)  # opening finishes the logged write, whole
    assert not (path / REDO_LOG).exists()
    after = reopened.triple_count()
    assert after > before + 200 * 20
    n = reopened.select("SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a q:Mention }")[0]["n"]
    assert int(n) == 300  # every statement of the batch
    assert isinstance(reopened.native, ox.Store)


def test_an_unfinished_redo_log_is_discarded(tmp_path):
    from rdflib import Literal, URIRef

    from kb.store.oxigraph import REDO_LOG, REDO_MARKS, OxigraphStore

    path = tmp_path / "store"
    store = OxigraphStore(path)
    store.insert([("http://x/g", [(URIRef("http://x/s"), URIRef("http://x/p"), Literal("kept"))])])
    store.close()
    (path / (REDO_LOG + ".tmp")).write_text("<http://x/s> <http://x/p> <http://x/o> <http://x/g> .\n")
    # replacement marks whose log never got written (or whose log was applied and removed)
    (path / REDO_MARKS).write_text("<http://x/s> <urn:quoth:redo#in> <http://x/g> <urn:quoth:redo#replace> .\n")
    store = OxigraphStore(path)
    assert store.triple_count() == 1  # nothing applied, nothing deleted
    assert not (path / (REDO_LOG + ".tmp")).exists() and not (path / REDO_MARKS).exists()


def test_a_cut_short_bulk_write_that_replaces_records_is_completed(tmp_path, shared_parts):
    from kb.store.oxigraph import REDO_LOG, OxigraphStore

    path = tmp_path / "store"
    store = OxigraphStore(path)
    ing = Ingestor(store, bulk=True, **shared_parts)
    ing.ensure_setup()
    ing.ingest_statements(_import(300), batch_size=100)
    with _crash_inside_bulk_load(store):  # after the replaced records were deleted
        ing.ingest_statements(_repeats(100) + _import(900)[300:], batch_size=400)
    assert (path / REDO_LOG).exists()
    store.close()
    del store, ing

    reopened = OxigraphStore(path)
    assert not (path / REDO_LOG).exists()
    rows = reopened.select("SELECT ?c (COUNT(?d) AS ?n) (MIN(?d) AS ?first) WHERE { GRAPH ?g { ?c a q:Claim ; "
                           "q:dateSaid ?d } FILTER(STRENDS(STR(?g), '/claims')) } GROUP BY ?c")
    assert len(rows) == 900 and {int(r["n"]) for r in rows} == {1}
    assert sum(str(r["first"]) == "2025-08-10" for r in rows) == 100
    n = reopened.select("SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a q:Mention }")[0]["n"]
    assert int(n) == 1000


@pytest.mark.parametrize("bulk, batch_size", [(False, 5), (True, 40)])
def test_validation_workers_store_the_same(tmp_path, shared_parts, bulk, batch_size):
    """Workers validate and build the article graphs (as N-Quads); the store ends up the same."""
    from kb.store.oxigraph import OxigraphStore

    items = _import(300)
    items[7] = statement("Das sage ich erst morgen.", said="2025-08-20", url="https://example.org/bulk/2")
    results = []
    for workers in (0, 1):
        store = OxigraphStore(tmp_path / f"w{workers}")
        ing = Ingestor(store, bulk=bulk, **shared_parts)
        ing.ensure_setup()
        s = ing.ingest_statements(items, batch_size=batch_size, workers=workers)
        # new sources repeating stored claims (records rewritten) and sources given again
        s2 = ing.ingest_statements(_import(30)[::3] + _repeats(100), batch_size=batch_size, workers=workers)
        results.append(((s.articles, s.claims, s.mentions, s.rejected, s2.rejected),
                        sorted(r.article_id for r in s.rejections), _content(store)))
        store.close()
    assert results[0] == results[1]
    assert results[0][0][3:] == (1, 0)  # the source with the late statement, only


def test_article_text_is_extracted_validated_and_findable(ingestor, disk_store):
    art = Article("t1", TEXT, dt.date(2025, 8, 16), "de")
    r = ingestor.ingest_article(art)
    assert r.stored, r.errors
    assert r.mentions >= 1
    rows = disk_store.select(
        "SELECT ?text ?start ?end WHERE { ?c q:speaker ?s ; q:text ?text . ?s skos:prefLabel ?name . "
        "?m q:mentionOf ?c ; nif:beginIndex ?start ; nif:endIndex ?end . FILTER(CONTAINS(?name, \"Trump\")) }")
    assert any("großartiger Tag" in str(r["text"]) for r in rows)
    for row in rows:  # offsets point at the quote in the article text
        assert str(row["text"]).strip(".")[:10] in TEXT[int(row["start"]):int(row["end"])]


def test_entailments_let_schema_and_prov_queries_find_claims(ingestor, disk_store):
    ingestor.ingest_statements([statement("Wir sehen uns bald wieder.")])
    assert disk_store.ask("ASK { ?c a schema:Claim ; schema:author ?p . ?p a schema:Person }")
    assert disk_store.ask("ASK { ?c prov:wasAttributedTo ?p . ?c schema:appearance ?m . ?m a schema:Quotation }")


def test_deleting_an_article_removes_what_only_it_supported(ingestor, disk_store):
    ingestor.ingest_statements([statement("Wir sehen uns bald wieder.", url="https://example.org/a")])
    ingestor.ingest_statements([statement("Wir sehen uns bald wieder.", url="https://example.org/b",
                                           said="2025-08-14", src_date="2025-08-14")])
    (claim,) = list_claims(disk_store, ClaimFilter())["items"]
    assert claim["date_said"] == "2025-08-14"  # earliest date among its mentions
    from kb.ingest import _source_id

    assert ingestor.delete_article(_source_id(statement("x", url="https://example.org/b")))
    (claim,) = list_claims(disk_store, ClaimFilter())["items"]
    assert claim["date_said"] == "2025-08-15"
    assert ingestor.delete_article(_source_id(statement("x", url="https://example.org/a")))
    assert stats(disk_store)["claims"] == 0
    assert not ingestor.delete_article("nope")


def test_ingest_into_a_remote_sparql_server(remote_store, shared_parts):
    ing = Ingestor(remote_store, **shared_parts)
    ing.ensure_setup()
    items = [statement("Wir sehen uns bald wieder."), statement("Das Treffen war konstruktiv.")]
    s = ing.ingest_statements(items)
    assert (s.articles, s.claims, s.rejected) == (1, 2, 0)
    n = remote_store.triple_count()
    ing.ingest_statements(items)
    assert remote_store.triple_count() == n
    assert remote_store.ask("ASK { ?c a schema:Claim ; schema:author ?p }")
    page = list_claims(remote_store, ClaimFilter(speaker=str(ing.iris.speaker("donald-trump"))))
    assert len(page["items"]) == 2


def test_claim_index_follows_every_write(disk_store, shared_parts):
    from kb.index import ClaimIndex

    idx = ClaimIndex.for_store(disk_store)
    ing = Ingestor(disk_store, index=idx, **shared_parts)
    ing.ensure_setup()
    idx.rebuild(disk_store)
    ing.ingest_statements([statement("Eins.", url="https://example.org/a"),
                           statement("Zwei.", url="https://example.org/b", said="2025-08-10")])
    speaker = str(ing.iris.speaker("donald-trump"))
    assert idx.is_fresh(disk_store)
    plain = [c["claim"] for c in list_claims(disk_store, ClaimFilter(speaker=speaker))["items"]]
    assert [c for c, _ in idx.page(speaker)] == plain and len(plain) == 2
    from kb.ingest import _source_id

    ing.delete_article(_source_id(statement("x", url="https://example.org/a")))
    assert idx.is_fresh(disk_store) and len(idx.page(speaker)) == 1
    # a write the index did not see (another process) leaves it stale, never wrong
    Ingestor(disk_store, **shared_parts).ingest_statements([statement("Drei.", url="https://example.org/c")])
    assert not idx.is_fresh(disk_store)


def test_statement_speakers_match_the_gazetteer_only_by_full_name(ingestor, disk_store):
    s = ingestor.ingest_statements([statement("Ich bin nicht Gerhard.", speaker="Thomas Schröder"),
                                    statement("Wir sehen uns.", speaker="Donald Trump")])
    assert s.rejected == 0
    names = {c["speaker"]["name"] for c in list_claims(disk_store, ClaimFilter())["items"]}
    assert names == {"Thomas Schröder", "Donald Trump"}


def test_same_words_twice_in_one_source_on_different_days(ingestor):
    s = ingestor.ingest_statements([statement("Wir sehen uns.", said="2025-08-14"),
                                    statement("Wir sehen uns.", said="2025-08-15")])
    assert s.rejected == 0 and s.mentions == 2


def test_a_failing_validation_worker_falls_back_to_validating_here(tmp_path, shared_parts, monkeypatch):
    import kb.validate_pool as vp
    from kb.store.oxigraph import OxigraphStore

    class Failing:
        def __init__(self, *a):
            pass

        def submit(self, groups):
            from concurrent.futures import Future

            f: Future = Future()
            f.set_exception(RuntimeError("worker lost"))
            return f

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            pass

    monkeypatch.setattr(vp, "ValidationPool", Failing)
    store = OxigraphStore(tmp_path / "s")
    ing = Ingestor(store, **shared_parts)
    ing.ensure_setup()
    s = ing.ingest_statements(_import(30), batch_size=4, workers=1)
    assert (s.articles, s.mentions, s.rejected) == (10, 30, 0)
