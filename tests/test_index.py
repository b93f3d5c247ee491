"""kb/index.py: the SQLite side index for "claims of a speaker by date"."""

from __future__ import annotations

import datetime as dt

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import SKOS, XSD

from kb import index as kbi
from kb.graph import Iris
from kb.queries import ClaimFilter, list_claims
from kb.store.oxigraph import OxigraphStore
from kb.store.sparql_text import iri, term_sparql
from kb.vocab import Q

B = "http://127.0.0.1:8000/"
ALICE = URIRef(B + "speaker/alice")
BOB = URIRef(B + "speaker/bob")


def _claims(n_alice: int = 23, n_bob: int = 5):
    out = []
    start = dt.date(2024, 1, 1)
    for i in range(n_alice):  # two claims per day, so ties on the date are ordered by IRI
        out.append((URIRef(f"{B}claim/a{i:03d}"), ALICE, start + dt.timedelta(days=i // 2), f"Alice says {i}"))
    for i in range(n_bob):
        out.append((URIRef(f"{B}claim/b{i:03d}"), BOB, start + dt.timedelta(days=3 * i), f"Bob says {i}"))
    return out


def _insert(store, claims):
    g = iri(str(Iris(B).claims_graph))
    lines = []
    for c, s, d, text in claims:
        lines.append(f"{iri(str(c))} <{Q.speaker}> {iri(str(s))} ; <{Q.dateSaid}> "
                     f"{term_sparql(Literal(d.isoformat(), datatype=XSD.date))} ; "
                     f"<{Q.text}> {term_sparql(Literal(text, lang='en'))} ; <{Q.quoteType}> <{Q.Direct}> .")
    labels = [f"{iri(str(ALICE))} <{SKOS.prefLabel}> \"Alice\" .", f"{iri(str(BOB))} <{SKOS.prefLabel}> \"Bob\" ."]
    store.update(f"INSERT DATA {{ GRAPH {g} {{ {' '.join(lines)} }} "
                 f"GRAPH <{B}graph/article/x> {{ {' '.join(labels)} }} }}")


@pytest.fixture()
def store(tmp_path):
    s = OxigraphStore(tmp_path / "store", base_iri=B)
    _insert(s, _claims())
    yield s
    s.close()


def _pages(fn, store, f, limit, **kw):
    out, cursor = [], None
    while True:
        r = fn(store, f, limit=limit, cursor=cursor, **kw)
        out.append(r["items"])
        cursor = r["next_cursor"]
        if not cursor:
            return out


def test_rebuild_and_same_pages_as_sparql(store):
    idx = kbi.ClaimIndex.for_store(store)
    assert idx is not None and idx.generation is None and not idx.is_fresh(store)
    assert idx.rebuild(store) == 28
    assert idx.is_fresh(store) and len(idx) == 28 and idx.count(str(ALICE)) == 23
    for f in [ClaimFilter(speaker=str(ALICE)),
              ClaimFilter(speaker=str(ALICE), since=dt.date(2024, 1, 3), until=dt.date(2024, 1, 9)),
              ClaimFilter(speaker=str(BOB), until=dt.date(2024, 1, 7)),
              ClaimFilter(speaker=B + "speaker/nobody")]:
        for limit in (1, 4, 50):
            want = _pages(list_claims, store, f, limit)
            got = _pages(kbi.list_claims, store, f, limit, index=idx)
            assert got == want
    r = kbi.list_claims(store, ClaimFilter(speaker=str(ALICE)), limit=3, index=idx)
    assert r["via"] == "index"
    assert [i["claim"] for i in r["items"]] == [B + "claim/a022", B + "claim/a020", B + "claim/a021"]
    assert r["items"][0]["speaker"] == {"iri": str(ALICE), "name": "Alice"}
    assert r["items"][0]["date_said"] == "2024-01-12"


def test_uncovered_filters_fall_back(store):
    idx = kbi.ClaimIndex.for_store(store)
    idx.rebuild(store)
    f = ClaimFilter(speaker=str(ALICE), language="en")
    assert not kbi.covers(f)
    r = kbi.list_claims(store, f, index=idx)
    assert "via" not in r and r["items"] == list_claims(store, f)["items"]


def test_generation_staleness_and_hooks(store):
    idx = kbi.ClaimIndex.for_store(store)
    idx.rebuild(store)
    assert kbi.store_generation(store) == 0 and idx.generation == 0
    # a write that bumps the generation without telling the index: stale, SPARQL answers
    new = [(URIRef(B + "claim/a900"), ALICE, dt.date(2025, 1, 1), "Alice, later")]
    _insert(store, new)
    store.update(kbi.generation_update(store, 1))
    assert kbi.store_generation(store) == 1 and not idx.is_fresh(store)
    r = kbi.list_claims(store, ClaimFilter(speaker=str(ALICE)), limit=1, index=idx)
    assert "via" not in r and r["items"][0]["claim"] == B + "claim/a900"
    # a hook call with the wrong expectation is refused; the right one applies
    assert not idx.add_claims([(c, s, d) for c, s, d, _ in new], expect=5, new=6)
    assert idx.add_claims([(c, s, d) for c, s, d, _ in new], expect=0, new=1)
    assert idx.is_fresh(store)
    r = kbi.list_claims(store, ClaimFilter(speaker=str(ALICE)), limit=1, index=idx)
    assert r["via"] == "index" and r["items"][0]["claim"] == B + "claim/a900"
    # remove + redate in one committed write
    gen = kbi.store_generation(store)
    store.update(f"DELETE WHERE {{ GRAPH ?g {{ <{B}claim/a900> ?p ?o }} }} ;\n" + kbi.generation_update(store, gen + 1))
    assert idx.after_write(gen, gen + 1, removed=[B + "claim/a900"], redated={B + "claim/b000": dt.date(2024, 1, 2)})
    assert idx.is_fresh(store)
    assert [c for c, _ in idx.page(str(ALICE), limit=1)] == [B + "claim/a022"]
    assert idx.page(str(BOB), since=dt.date(2024, 1, 2), until=dt.date(2024, 1, 2)) == [(B + "claim/b000", "2024-01-02")]
    # rebuild from the store at any time
    idx2 = kbi.ClaimIndex(idx.path)
    assert idx2.rebuild(store) == 28 and idx2.is_fresh(store)


def test_bump_generation_and_read_only(store):
    idx = kbi.ClaimIndex.for_store(store)
    idx.rebuild(store)
    assert kbi.bump_generation(store) == 1 and kbi.bump_generation(store) == 2
    assert not idx.is_fresh(store)
    idx.rebuild(store)
    assert idx.generation == 2
    ro = kbi.ClaimIndex.for_store(store, read_only=True)
    assert ro is not None and ro.generation == 2
    with pytest.raises(Exception):
        ro.add_claims([("x", "y", "2024-01-01")])


def test_no_index_for_memory_store():
    assert kbi.ClaimIndex.for_store(OxigraphStore(None, base_iri=B)) is None


def test_rebuild_does_not_disturb_readers(store):
    """A rebuild commits through its own connection; speaker ids stay valid for readers."""
    idx = kbi.ClaimIndex.for_store(store)
    idx.rebuild(store)
    before = idx.page(str(ALICE), limit=5)
    _insert(store, [(URIRef(B + "claim/c001"), URIRef(B + "speaker/carol"), dt.date(2024, 2, 1), "Carol")])
    kbi.bump_generation(store)
    assert not idx.is_fresh(store)
    assert idx.rebuild(store) == 29 and idx.is_fresh(store)
    assert idx.page(str(ALICE), limit=5) == before
    assert idx.page(B + "speaker/carol") == [(B + "claim/c001", "2024-02-01")]


def test_text_search_through_the_index_gives_the_sparql_pages(store):
    idx = kbi.ClaimIndex.for_store(store)
    idx.rebuild(store)
    assert idx.text_complete
    extra = [(URIRef(B + "claim/u1"), BOB, dt.date(2024, 2, 1), 'Bob sagt "Grüße" über die Zeitenwende'),
             (URIRef(B + "claim/u2"), ALICE, dt.date(2024, 2, 2), "ZEITENWENDE, sagt Alice")]
    gen = kbi.store_generation(store)
    _insert(store, extra)
    store.update(kbi.generation_update(store, gen + 1))
    assert idx.add_claims(extra, expect=gen, new=gen + 1)
    for f in [ClaimFilter(text="says 1"), ClaimFilter(text="SAYS"), ClaimFilter(text="zeitenWende"),
              ClaimFilter(text='"Grüße"'), ClaimFilter(text="über die"), ClaimFilter(text="nowhere"),
              ClaimFilter(text="says", speaker=str(BOB), since=dt.date(2024, 1, 4)),
              ClaimFilter(text="ice says 2", until=dt.date(2024, 1, 11))]:
        assert kbi.covers(f, idx)
        for limit in (1, 3, 50):
            assert _pages(kbi.list_claims, store, f, limit, index=idx) == _pages(list_claims, store, f, limit)
    r = kbi.list_claims(store, ClaimFilter(text="zeitenwende"), index=idx)
    assert r["via"] == "index" and [i["speaker"]["name"] for i in r["items"]] == ["Alice", "Bob"]
    # a removed claim leaves the full-text table too
    assert idx.remove_claims([str(URIRef(B + "claim/u2"))], expect=gen + 1, new=gen + 1)
    assert [c for c, *_ in idx.text_page("zeitenwende")] == [B + "claim/u1"]
    # too short for trigrams: the texts are tested newest first, with the same pages
    for f in [ClaimFilter(text="Ü"), ClaimFilter(text="s 1"[:2]), ClaimFilter(text="zz"),
              ClaimFilter(text="7", speaker=str(ALICE), until=dt.date(2024, 1, 10))]:
        assert kbi.covers(f, idx)
        for limit in (1, 3, 50):
            assert _pages(kbi.list_claims, store, f, limit, index=idx) == _pages(list_claims, store, f, limit)
    # rows given without their text: SPARQL answers text filters
    idx.add_claims([(URIRef(B + "claim/a000"), ALICE, dt.date(2024, 1, 1))])
    assert not idx.text_complete and not kbi.covers(ClaimFilter(text="says"), idx)


def test_an_index_of_an_older_layout_counts_as_unbuilt(store):
    idx = kbi.ClaimIndex.for_store(store)
    idx.rebuild(store)
    with idx._db:
        idx._db.execute("UPDATE meta SET value = '1' WHERE key = 'schema'")
    path = idx.path
    idx.close()
    assert kbi.ClaimIndex(path, read_only=True).generation is None  # read-only: cannot upgrade
    again = kbi.ClaimIndex(path)
    assert again.generation is None and not again.is_fresh(store)
    again.rebuild(store)
    assert again.is_fresh(store) and again.text_page("Bob says")


def test_text_search_reads_whole_days_newest_first_and_follows_redating(store):
    """Text rows are keyed by day said (kb/index_text.py): pages over many days and ties, a rare
    speaker among common matches, and a re-dated claim found at its new date."""
    idx = kbi.ClaimIndex.for_store(store)
    many = [(URIRef(f"{B}claim/m{i:03d}"), ALICE if i % 17 else BOB, dt.date(2023, 1, 1) + dt.timedelta(days=i % 40),
             f"common word {i}") for i in range(200)]
    _insert(store, many)
    idx.rebuild(store)
    for f in [ClaimFilter(text="common"), ClaimFilter(text="common", speaker=str(BOB)),
              ClaimFilter(text="common", since=dt.date(2023, 1, 10), until=dt.date(2023, 1, 20)),
              ClaimFilter(text="word 1")]:
        for limit in (1, 7, 50):
            assert _pages(kbi.list_claims, store, f, limit, index=idx) == _pages(list_claims, store, f, limit)
    # re-date the oldest "common" claim to the newest day: the index must move its text row
    c = URIRef(B + "claim/m000")
    gen = kbi.store_generation(store)
    g = iri(str(Iris(B).claims_graph))
    store.update(f"DELETE {{ GRAPH {g} {{ {iri(str(c))} <{Q.dateSaid}> ?d }} }} "
                 f"WHERE {{ GRAPH {g} {{ {iri(str(c))} <{Q.dateSaid}> ?d }} }}; "
                 f"INSERT DATA {{ GRAPH {g} {{ {iri(str(c))} <{Q.dateSaid}> "
                 f"{term_sparql(Literal('2023-12-31', datatype=XSD.date))} }} }}")
    store.update(kbi.generation_update(store, gen + 1))
    assert idx.redate_claims({str(c): dt.date(2023, 12, 31)}, expect=gen, new=gen + 1)
    first = kbi.list_claims(store, ClaimFilter(text="common"), limit=1, index=idx)
    assert first["via"] == "index" and first["items"][0]["claim"] == str(c)
    for limit in (1, 7, 50):
        f = ClaimFilter(text="common")
        assert _pages(kbi.list_claims, store, f, limit, index=idx) == _pages(list_claims, store, f, limit)
    # the same through a record upserted without its text (the write path of a re-dated mention)
    gen += 1
    idx.add_claims([(c, ALICE, dt.date(2022, 6, 1))], expect=gen, new=gen)
    assert [r[0] for r in idx.text_page("common word 0")] == [str(c)]
    assert idx.text_page("common", until=dt.date(2022, 12, 31)) == [(str(c), "2022-06-01", str(ALICE))]
