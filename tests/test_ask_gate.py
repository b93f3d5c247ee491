"""The "nothing matches" gate (kb/ask.py): a named speaker's claims pass when the headline of their
article is about the topic, even when their own words do not name it; unrelated topics still get
nothing. A store of our own short article (not /work/shared)."""

from __future__ import annotations

import datetime as dt

import pytest

from kb.ask import Asker
from kb.model import Article, Quote
from kb.store.oxigraph import OxigraphStore
from kb.vectors import VectorIndex

from test_ask_support import BASE, FastIngestor, PassValidator, StubExtractor, person

TEXT = ("The minister spoke to the committee on Thursday morning.\n\n"
        "Opposition spokeswoman Yvonne Example said her party has supported the idea \"for months\". "
        "She said it was damning that nobody had done this already.")
QUOTES = ["her party has supported the idea \"for months\"", "it was damning that nobody had done this already"]


@pytest.fixture(scope="module")
def asker():
    store = OxigraphStore(None, base_iri=BASE)
    vi = VectorIndex(None)
    vi.store = store
    ext = StubExtractor()
    day = dt.date(2024, 5, 2)
    ext.quotes["q1"] = [Quote(article_id="q1", type="Indirect", text=q, spans=[(TEXT.index(q), TEXT.index(q) + len(q))],
                              language="en", date_said=day, speaker=person("Yvonne Example", "yvonne-example"),
                              confidence=0.9) for q in QUOTES]
    ing = FastIngestor(store, extractor=ext, validator=PassValidator(), closure=object(), vectors=vi)
    art = Article(id="q1", text=TEXT, date=day, language="en",
                  title="Asylum interviews to be replaced by a questionnaire")
    assert ing.ingest_article(art).stored
    return Asker(store, vectors=vi, use_gazetteer=False, today=day)


def test_the_headline_lets_a_speakers_claims_through(asker):
    ans = asker.ask("What did Yvonne Example say about the asylum questionnaire plan?")
    cal = ans["calibration"]
    # the claims' own rows do not reach the gate; the headline does
    assert cal["margin"] < 0.1 <= 0.25 <= cal["headline_margin"], cal
    texts = [a["text"] for a in ans["answers"]]
    assert any("supported the idea" in t for t in texts), ans


def test_an_unrelated_topic_still_gets_nothing(asker):
    ans = asker.ask("What did Yvonne Example say about knitting patterns for winter scarves?")
    assert ans["answers"] == [] and "closely enough" in ans["message"], ans["calibration"]
