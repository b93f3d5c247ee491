"""A question's speaker given by description, resolved as the articles described their speakers
(kb.speaker_describe): roles across languages, compounds, verb-second names, names before dates.

Our own short texts (never /work/shared); the real encoder (loaded once per session).
"""

from __future__ import annotations

import datetime as dt

import pytest

from kb.ask import Asker
from kb.interpret import Interpreter
from kb.model import Article, Quote, SpeakerRef, Span
from kb.speaker_describe import strip_name, word_overlap
from kb.store.oxigraph import OxigraphStore
from kb.vectors import VectorIndex

from test_ask_support import FastIngestor, PassValidator, StubExtractor

BASE = "http://quoth.test/"

#: (article id, date, text, [(quote, speaker name, key, speaker mention as written)])
ARTICLES = [
    ("p1", "2024-05-02",
     "Die norwegische Fischereiministerin Ingrid Testdottir sagte, die Fangquoten für Kabeljau würden gesenkt.",
     [("die Fangquoten für Kabeljau würden gesenkt", "Ingrid Testdottir", "ingrid-testdottir",
       "Die norwegische Fischereiministerin Ingrid Testdottir")]),
    ("p2", "2024-05-03",
     "Der Vorsitzende des Bäckerverbands, Paul Mustermann, sagte, das Brot werde im Sommer teurer.",
     [("das Brot werde im Sommer teurer", "Paul Mustermann", "paul-mustermann",
       "Der Vorsitzende des Bäckerverbands, Paul Mustermann")]),
    ("p3", "2024-05-04",
     "Stadtbaurat Jan Peter Beispielmann sagte, die neue Brücke über den Fluss werde im Herbst eröffnet.",
     [("die neue Brücke über den Fluss werde im Herbst eröffnet", "Jan Peter Beispielmann",
       "jan-peter-beispielmann", "Stadtbaurat Jan Peter Beispielmann")]),
]


@pytest.fixture(scope="module")
def store():
    s = OxigraphStore(None, base_iri=BASE)
    vi = VectorIndex(None)
    vi.store = s
    ext = StubExtractor()
    for aid, date, text, quotes in ARTICLES:
        out = []
        for qtext, name, key, mention in quotes:
            start, ms = text.index(qtext), text.index(mention)
            out.append(Quote(article_id=aid, type="Indirect", text=qtext, spans=[(start, start + len(qtext))],
                             language="de", date_said=dt.date.fromisoformat(date),
                             speaker=SpeakerRef(name=name, key=key, mention=Span(ms, ms + len(mention), mention)),
                             confidence=0.9))
        ext.quotes[aid] = out
    ing = FastIngestor(s, extractor=ext, validator=PassValidator(), closure=object(), vectors=vi)
    for aid, date, text, _ in ARTICLES:
        assert ing.ingest_article(Article(id=aid, text=text, date=dt.date.fromisoformat(date), language="de")).stored
    s._test_vectors = vi  # type: ignore[attr-defined]
    return s


@pytest.fixture(scope="module")
def interp(store):
    return Interpreter(store, use_gazetteer=False)


def _names(it):
    return [s.name for s in it.speakers]


def test_strip_name_and_overlap():
    assert strip_name("Der Vorsitzende des Bäckerverbands, Paul Mustermann", ["Paul Mustermann"]) == \
        "Der Vorsitzende des Bäckerverbands"
    # a word inside a compound counts; articles do not
    assert word_overlap(["der", "fischereiministerin"], ["die", "norwegische", "fischereiministerin"]) == 1.0
    assert word_overlap(["ministerin"], ["fischereiministerin"]) == 1.0
    assert word_overlap(["gärtner"], ["fischereiministerin"]) == 0.0


@pytest.mark.parametrize("question,who", [
    ("What did Norway's fisheries minister say about cod?", "Ingrid Testdottir"),          # across languages
    ("Was sagte die Fischereiministerin über die Quoten?", "Ingrid Testdottir"),            # compound, German
    ("What did the head of the bakers' association say about bread prices?", "Paul Mustermann"),
    ("Was sagte der Chef des Bäckerverbands zum Brotpreis?", "Paul Mustermann"),
])
def test_description_resolves_to_the_described_speaker(interp, question, who):
    it = interp.interpret(question)
    assert it.unknown_speaker is None
    assert _names(it)[0] == who
    assert all(s.via in ("description", "mention") for s in it.speakers)


def test_unrelated_description_stays_unknown(interp):
    it = interp.interpret("What did the Lunar Chess Federation's treasurer say about cod?")
    assert it.speakers == [] and it.unknown_speaker
    it = interp.interpret("What did the captain of the lunar chess team say about cod?")
    assert it.speakers == []  # not written as a name: no constraint (as before descriptions)


def test_name_after_verb_and_month_inside_a_name(interp):
    it = interp.interpret("Welche Sorge äußerte Jan Peter Beispielmann zur Brücke?")
    assert _names(it) == ["Jan Peter Beispielmann"]
    it = interp.interpret("What did city planner Jan Peter Beispielmann say in May 2024 about the bridge?")
    assert _names(it) == ["Jan Peter Beispielmann"]
    assert it.time is not None and it.time.since == dt.date(2024, 5, 1)
    assert "planner" not in it.topic  # the apposition before the name says who, not what


def test_ask_by_description(store):
    asker = Asker(store, vectors=store._test_vectors, use_gazetteer=False)
    out = asker.ask("What did Norway's fisheries minister say about cod quotas?")
    assert out["answers"] and out["answers"][0]["speaker"] == "Ingrid Testdottir"
    assert any("was read as" in n for n in out["interpretation"]["notes"])


@pytest.mark.parametrize("question", [
    "What did the bakers' association head Paul Quaxbeil say about bread prices?",
    "What did Norway's fisheries minister Ingrid Quaxbeil say about cod?",
])
def test_a_description_with_an_unknown_full_name_is_not_someone_else(interp, question):
    # the articles' bakers' association head is Paul Mustermann, not Paul Quaxbeil: a full name
    # nobody has is an unknown speaker, never the description's (or the given name's) holder
    it = interp.interpret(question)
    assert it.speakers == [] and it.unknown_speaker and "Quaxbeil" in it.unknown_speaker
