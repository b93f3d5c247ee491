"""kb/index_listings.py: the article index, the speaker index and a speaker's claim dates read
from the side index give the same rows as their SPARQL forms, before and after writes."""

from __future__ import annotations

import datetime as dt

import pytest

from api import lookups
from kb import browse
from kb import index as kbi
from kb.index_listings import claim_counts, fresh
from kb.ingest import Ingestor
from kb.model import Article, Statement


def statement(text: str, speaker: str, said: str, url: str, src_date: str = "2025-03-20") -> Statement:
    return Statement(speaker=speaker, text=text, language="de", date_said=dt.date.fromisoformat(said),
                     source_url=url, source_title="Nachrichten", source_date=dt.date.fromisoformat(src_date))


def _statements() -> list[Statement]:
    """Five speakers with 1 to 5 claims each, from sources on different days."""
    out = []
    for k in range(5):
        for i in range(k + 1):
            out.append(statement(f"Person {k} sagt Satz {i} über Brücken.", f"Person {k}",
                                 f"2025-03-{i + 1:02d}", f"https://example.org/src/{(k + i) % 4}",
                                 src_date=f"2025-03-{10 + (k + i) % 4:02d}"))
    return out


@pytest.fixture()
def ing(disk_store):
    from kb.ontology import closure
    from kb.validate import Validator

    idx = kbi.ClaimIndex.for_store(disk_store)
    i = Ingestor(disk_store, validator=Validator(), closure=closure(), index=idx)
    i.ensure_setup()
    idx.rebuild(disk_store)
    yield i
    idx.close()


def _articles(store, index, **kw):
    return browse.list_articles(store, index=index, **kw)


def _same_everywhere(store, index) -> None:
    """Every listing the same through the index and through SPARQL."""
    assert fresh(index, store) is index
    for kw in ({"limit": 3}, {"limit": 3, "offset": 2}, {"limit": 50}, {"limit": 2, "publisher": "gazette"},
               {"limit": 5, "publisher": "nothing like it"}):
        assert _articles(store, index, **kw) == _articles(store, None, **kw), kw
    assert lookups.search_speakers(store, None, limit=50, index=index) == lookups.search_speakers(store, None, limit=50)
    assert lookups.search_speakers(store, "person", limit=3, index=index) == \
        lookups.search_speakers(store, "person", limit=3)
    for s in lookups.search_speakers(store, None, limit=50):
        assert browse.claim_dates(store, s["iri"], index) == browse.claim_dates(store, s["iri"])
        assert lookups.get_speaker(store, s["iri"], index=index) == lookups.get_speaker(store, s["iri"])


def test_listings_from_the_index_equal_sparql_before_and_after_writes(ing, disk_store):
    idx = ing.index
    ing.ingest_statements(_statements())
    ing.ingest_article(Article("gazette-1", "Kein Zitat hier.", dt.date(2025, 4, 1), publisher="The Gazette",
                               title="Ohne Zitat"))
    ing.ingest_article(Article("other-1", "Auch nichts.", dt.date(2025, 4, 1), publisher="Other Post"))
    _same_everywhere(disk_store, idx)
    top = lookups.search_speakers(disk_store, None, limit=2, index=idx)
    assert [s["claims"] for s in top] == [5, 4]
    assert [a["id"] for a in _articles(disk_store, idx, limit=2)["items"]] == ["gazette-1", "other-1"]

    # a source given again with fewer statements: claims go, counts and dates follow
    src0 = [s for s in _statements() if s.source_url.endswith("/src/0")]
    ing.ingest_statements(src0[:1])
    _same_everywhere(disk_store, idx)
    assert ing.delete_article("gazette-1")
    _same_everywhere(disk_store, idx)
    assert "gazette-1" not in {a["id"] for a in _articles(disk_store, idx, limit=50)["items"]}

    # a rebuild from the store gives the same tables as the writes kept
    before = (idx.read("SELECT * FROM speaker_claims WHERE n > 0 ORDER BY speaker"),
              idx.read("SELECT * FROM article ORDER BY iri"))
    idx.rebuild(disk_store)
    assert (idx.read("SELECT * FROM speaker_claims WHERE n > 0 ORDER BY speaker"),
            idx.read("SELECT * FROM article ORDER BY iri")) == before


def test_a_stale_index_is_not_used(ing, disk_store):
    idx = ing.index
    ing.ingest_statements(_statements())
    kbi.bump_generation(disk_store)  # a write the index did not see
    assert fresh(idx, disk_store) is None
    assert _articles(disk_store, idx, limit=50) == _articles(disk_store, None, limit=50)
    speakers = lookups.search_speakers(disk_store, None, limit=50, index=idx)
    assert speakers == lookups.search_speakers(disk_store, None, limit=50)
    assert claim_counts(idx, [s["iri"] for s in speakers]) == {s["iri"]: s["claims"] for s in speakers}
