"""Model -> RDF: deterministic IRIs and claim-identity normalisation."""

from __future__ import annotations

import datetime as dt

from kb.graph import Iris, add_article, add_mention, normalize_text, speaker_key
from kb.model import Article, Quote, SpeakerRef, Span
from rdflib import Graph

IRIS = Iris("http://example.org/kb")


def test_same_quote_with_different_marks_is_one_claim():
    a = IRIS.claim("donald-trump", "sie würden sich «bald wieder sprechen»")
    b = IRIS.claim("donald-trump", 'Sie würden sich "bald wieder sprechen".')
    c = IRIS.claim("wladimir-putin", "sie würden sich «bald wieder sprechen»")
    assert a == b != c
    assert normalize_text("„Nächstes Mal in Moskau.“") == normalize_text("«Nächstes Mal in Moskau»")


def test_iris_live_under_the_base_and_quote_ids():
    assert str(IRIS.article("a b/c")) == "http://example.org/kb/article/a%20b%2Fc"
    assert IRIS.article_id_from_graph(str(IRIS.article_graph("a b/c"))) == "a b/c"
    assert IRIS.article_id_from_graph(str(Iris.inferred(IRIS.article_graph("x")))) is None


def test_unresolved_speakers_stay_local_to_their_article():
    ref = SpeakerRef("der Staatsanwalt", resolved=False, key=None)
    assert speaker_key(ref, "a1") != speaker_key(ref, "a2")
    assert speaker_key(SpeakerRef("Donald Trump", key="donald-trump"), "a1") == "donald-trump"


def _article_graph() -> Graph:
    text = "Trump sagte: «Wir sehen uns», sagte er, «bald.»"
    art = Article("a1", text, dt.date(2025, 8, 15), "de")
    s1, s2 = text.index("Wir"), text.index("bald")
    q = Quote("a1", "Direct", "Wir sehen uns … bald.", [(s1, s1 + 13), (s2, s2 + 5)], "de", art.date,
              SpeakerRef("Donald Trump", key="donald-trump", mention=Span(0, 5, "Trump")), Span(6, 11, "sagte"))
    g = Graph()
    add_article(g, IRIS, art)
    add_mention(g, IRIS, art, q, IRIS.claim("donald-trump", q.text), IRIS.speaker("donald-trump"),
                "donald-trump", IRIS.activity("extract"))
    return g


def test_building_twice_gives_identical_graphs():
    from rdflib.compare import isomorphic

    assert isomorphic(_article_graph(), _article_graph())


def test_split_quote_has_segments_with_exact_offsets():
    from kb.vocab import NIF, Q

    g = _article_graph()
    segs = sorted((int(g.value(s, NIF.beginIndex)), int(g.value(s, NIF.endIndex))) for s in g.subjects(None, Q.Segment))
    assert segs == [(14, 27), (41, 46)]
    anchor = str(next(g.objects(None, NIF.anchorOf)))
    assert anchor == "Wir sehen uns … bald."
