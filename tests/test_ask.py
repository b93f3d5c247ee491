"""quoth ask: interpretation (en/de), bound SPARQL, ranking, grouping per claim, threshold.

The store is built from our own short texts (tests/test_ask_support.py), never from
/work/shared. The USE model is loaded once per test session (kb.vectors keeps it).
"""

from __future__ import annotations

import datetime as dt

import pytest
from rdflib import Literal

from kb.ask import Asker, Query, QuestionError, render_text
from kb.interpret import Interpreter
from kb.vectors import VectorIndex

from test_ask_support import ARTICLES, BASE, build_store

TRUMP = BASE + "speaker/donald-trump"
PUTIN = BASE + "speaker/vladimir-putin"
TODAY = dt.date(2025, 8, 20)  # a Wednesday


@pytest.fixture(scope="module")
def store():
    vi = VectorIndex(None)
    s = build_store(vectors=vi)
    s._test_vectors = vi  # type: ignore[attr-defined]
    return s


@pytest.fixture(scope="module")
def asker(store):
    return Asker(store, vectors=store._test_vectors, use_gazetteer=False, today=TODAY)


@pytest.fixture(scope="module")
def interp(store):
    return Interpreter(store, use_gazetteer=False)


def _speakers(it):
    return {s.iri for s in it.speakers}


# ------------------------------------------------------------------------------ interpretation
@pytest.mark.parametrize("question,speaker,topic_word,lang,kind", [
    ("What did Trump say about a second meeting?", TRUMP, "second meeting", "en", "what"),
    ("What has Donald Trump said on steel tariffs?", TRUMP, "steel tariffs", "en", "what"),
    ("Trump's statements about tariffs", TRUMP, "tariffs", "en", "what"),
    ("Was sagte Putin über das nächste Treffen mit Trump?", PUTIN, "Treffen", "de", "what"),
    ("Was hat Wladimir Putin zur Ukraine gesagt?", PUTIN, "Ukraine", "de", "what"),
    ("Welche Aussagen machte Putins über die Sicherheit?", PUTIN, "Sicherheit", "de", "what"),
    ("When did Trump talk about steel?", TRUMP, "steel", "en", "when"),
    ("Wann sprach Trump über Zölle?", TRUMP, "Zölle", "de", "when"),
    ("Did Putin ever say that the next meeting would be in Moscow?", PUTIN, "Moscow", "en", "did"),
    ("Hat Trump jemals gesagt, dass die Zölle steigen?", TRUMP, "Zölle", "de", "did"),
])
def test_interpretation_phrasings(interp, question, speaker, topic_word, lang, kind):
    it = interp.interpret(question, today=TODAY)
    assert _speakers(it) == {speaker}, it.to_json()
    assert topic_word.lower() in it.topic.lower()
    assert it.language == lang
    assert it.kind == kind
    # the speaker's name is not part of the topic
    assert "trump" not in it.topic.lower() or "mit Trump" in it.topic


@pytest.mark.parametrize("question", ["Who said that tariffs on steel would rise?",
                                      "Wer hat gesagt, dass die Zölle auf Stahl steigen?"])
def test_who_questions_have_no_speaker(interp, question):
    it = interp.interpret(question, today=TODAY)
    assert it.kind == "who" and not it.speakers and not it.unknown_speaker
    assert "steel" in it.topic.lower() or "stahl" in it.topic.lower()


def test_roles_resolve_by_date(interp):
    it = interp.interpret("Was sagte der US-Präsident im August 2025 über Zölle?", today=TODAY)
    assert _speakers(it) == {TRUMP}
    assert it.time.since == dt.date(2025, 8, 1) and it.time.until == dt.date(2025, 8, 31)
    # before the term began nobody holds the role (as far as this store knows)
    it = interp.interpret("What did the US-Präsident say in 2019 about tariffs?", today=TODAY)
    assert TRUMP not in _speakers(it)
    it = interp.interpret("What did the Russian president say about Ukraine?", today=TODAY)
    assert _speakers(it) == {PUTIN}
    assert it.speakers[0].start == dt.date(2012, 5, 7)  # his claims count while he holds the role


@pytest.mark.parametrize("question,since,until", [
    ("What did Trump say since Monday?", dt.date(2025, 8, 18), None),
    ("Was sagte Trump seit Montag?", dt.date(2025, 8, 18), None),
    ("What did Trump say last week about steel?", dt.date(2025, 8, 11), dt.date(2025, 8, 17)),
    ("Was sagte Trump letzte Woche über Stahl?", dt.date(2025, 8, 11), dt.date(2025, 8, 17)),
    ("What did Trump say yesterday?", dt.date(2025, 8, 19), dt.date(2025, 8, 19)),
    ("Was sagte Trump gestern?", dt.date(2025, 8, 19), dt.date(2025, 8, 19)),
    ("What did Trump say in August 2025?", dt.date(2025, 8, 1), dt.date(2025, 8, 31)),
    ("Was sagte Trump im August 2025 über Stahl?", dt.date(2025, 8, 1), dt.date(2025, 8, 31)),
    ("What did Trump say on 16 August 2025?", dt.date(2025, 8, 16), dt.date(2025, 8, 16)),
    ("Was sagte Trump am 16. August 2025?", dt.date(2025, 8, 16), dt.date(2025, 8, 16)),
    ("What did Trump say before 2024?", None, dt.date(2023, 12, 31)),
    ("What did Trump say on Saturday?", dt.date(2025, 8, 16), dt.date(2025, 8, 16)),
    ("What did Trump say between March 2025 and May 2025?", dt.date(2025, 3, 1), dt.date(2025, 5, 31)),
])
def test_time_expressions(interp, question, since, until):
    it = interp.interpret(question, today=TODAY)
    assert it.time is not None, it.to_json()
    assert (it.time.since, it.time.until) == (since, until)
    assert _speakers(it) == {TRUMP}
    assert not any(w in it.topic.lower() for w in ("monday", "montag", "week", "woche", "august", "gestern"))


def test_relative_time_uses_today_when_no_reference(interp):
    it = interp.interpret("What did Trump say yesterday?")
    assert it.time.since == dt.date.today() - dt.timedelta(days=1)


@pytest.mark.parametrize("question,mention,suggestion", [
    ("What did Trumpp say about steel?", "Trumpp", "Donald Trump"),
    ("Was sagte Merkle über das Wetter?", "Merkle", "Angela Merkel"),
    ("What did Vladimir Puttin say about Ukraine?", "Puttin", "Vladimir Putin"),
])
def test_unknown_speaker_is_reported_with_suggestions(asker, question, mention, suggestion):
    ans = asker.ask(question)
    it = ans["interpretation"]
    assert it["unknown_speaker"] and mention in it["unknown_speaker"]
    assert suggestion in [s["name"] for s in it["suggestions"]]
    assert ans["answers"] == []          # never answered without the speaker
    assert mention in ans["message"] and suggestion in ans["message"]


def test_group_description_is_not_a_constraint_but_is_said(interp):
    it = interp.interpret("What did officials say about the asylum system?", today=TODAY)
    assert not it.speakers and not it.unknown_speaker and it.speaker_description
    assert any("description" in n for n in it.notes)


# ------------------------------------------------------------------------------ bad input
@pytest.mark.parametrize("question", ["", "   ", "?!?! ...", "x" * 10_000, "é" * 600,
                                      "SELECT ?s WHERE { ?s ?p ?o }", "PREFIX q: <x:> SELECT * { ?a ?b ?c }",
                                      "DELETE WHERE { ?s ?p ?o }", None])
def test_unusable_questions_raise_question_error(asker, question):
    with pytest.raises(QuestionError):
        asker.ask(question)


@pytest.mark.parametrize("question", ["DROP ALL", "Qu'a dit Trump sur l'acier?", "Что сказал Путин?",
                                      "Trump", "über", "what", "Putin Putin Putin Putin", "1234 Trump 5678",
                                      "What did Trump say about \"}; DROP ALL; #?"])
def test_odd_questions_get_an_answer_not_a_crash(asker, store, question):
    before = store.triple_count()
    ans = asker.ask(question)
    assert isinstance(ans["answers"], list)
    assert ans["answers"] or ans["message"]
    assert store.triple_count() == before


def test_foreign_language_question_says_so(asker):
    ans = asker.ask("Qu'a dit Trump sur les tarifs douaniers?")
    assert ans["interpretation"]["language"] == "fr"
    assert any("not interpreted" in n for n in ans["interpretation"]["notes"])


# ------------------------------------------------------------------------------ binding
def test_injection_stays_a_literal_and_the_store_is_unchanged(asker, store):
    before = store.triple_count()
    evil = 'Trump"} ; DROP ALL ; #'
    ans = asker.ask(f"What did {evil} say about steel?")
    assert store.triple_count() == before
    assert "DROP" not in ans["sparql"]           # the query is built from fixed fragments only
    # a value is bound as an RDF term: it cannot change the query's shape
    q = Query("SELECT ?claim WHERE { ?claim q:text ?text . FILTER(STR(?text) = ?needle) }")
    q.scalars["needle"] = Literal(evil)
    assert q.run(store) == []
    assert store.triple_count() == before
    assert '\\"' in q.bound_text()               # escaped inside the literal


def test_answer_shows_a_rerunnable_query(asker, store):
    ans = asker.ask("What did Trump say about steel tariffs?")
    assert ans["bindings"]["speaker"] == TRUMP
    assert "?speaker" in ans["sparql"] and TRUMP not in ans["sparql"]
    rows = store.select(ans["sparql_bound"])
    assert ans["answers"][0]["claim"] in {str(r["claim"]) for r in rows}


def test_time_constraint_is_bound(asker):
    ans = asker.ask("What did Trump say in August 2025 about steel?")
    assert ans["bindings"]["since"] == "2025-08-01" and ans["bindings"]["until"] == "2025-08-31"
    assert all("2025-08-01" <= a["date_said"] <= "2025-08-31" for a in ans["answers"])
    ans = asker.ask("What did Trump say in 2019 about steel?")
    assert ans["answers"] == [] and ans["message"]


# ------------------------------------------------------------------------------ ranking
def test_on_topic_claim_outranks_off_topic(asker):
    ans = asker.ask("What did Trump say about steel tariffs?")
    texts = [a["text"] for a in ans["answers"]]
    assert texts and ("Stahl" in texts[0] or "steel" in texts[0])
    assert all(a["speaker"] == "Donald Trump" for a in ans["answers"])


def test_cross_lingual_english_question_over_german_claims(asker):
    ans = asker.ask("What did Putin say about the security of Ukraine?")
    assert ans["answers"][0]["text"] == "die Sicherheit der Ukraine müsse gewährleistet sein"
    assert ans["answers"][0]["language"] == "de"


def test_who_said_finds_the_speakers(asker):
    ans = asker.ask("Who said that tariffs on steel would rise?")
    assert ans["answers"] and ans["answers"][0]["speaker"] == "Donald Trump"
    assert "Donald Trump" in ans["speakers"]


def test_never_putins_reply_as_trumps(asker):
    ans = asker.ask("What did Trump say about meeting again soon?")
    assert ans["answers"]
    for a in ans["answers"]:
        assert a["speaker"] == "Donald Trump"
        assert "Moskau" not in a["text"]


def test_reply_keeps_its_context(asker):
    ans = asker.ask("What did Trump say about a meeting in Moscow?")
    reply = [a for a in ans["answers"] if a["text"].startswith("Ich könnte")]
    assert reply, [a["text"] for a in ans["answers"]]
    assert reply[0]["in_reply_to"]["text"] == "Nächstes Mal in Moskau."
    assert reply[0]["hedged"] is True
    assert "in reply to Vladimir Putin's «Nächstes Mal in Moskau.»" in render_text(ans)


# ------------------------------------------------------------------------------ grouping
def test_one_claim_reported_twice_is_one_answer_with_two_sources(asker):
    ans = asker.ask("What did Trump say about meeting again soon?")
    hits = [a for a in ans["answers"] if "wiedersehen" in a["text"]]
    assert len(hits) == 1
    sources = hits[0]["sources"]
    assert {s["article"] for s in sources} == {"a1", "a2"}
    texts = {aid: text for aid, _, _, text, _ in ARTICLES}
    for s in sources:  # exact spans into the article text
        assert texts[s["article"]][s["start"]:s["end"]] == s["quote"]
    assert hits[0]["date_said"] == "2025-08-16"


def test_answer_fields_follow_the_contract(asker):
    ans = asker.ask("What did Trump say about steel tariffs?")
    assert set(ans) >= {"question", "interpretation", "sparql", "answers"}
    a = ans["answers"][0]
    assert set(a) >= {"claim", "speaker", "text", "date_said", "type", "sources", "score"}
    assert set(a["sources"][0]) >= {"article", "date", "quote", "start", "end"}


def test_when_questions_are_newest_first(asker):
    ans = asker.ask("When did Trump talk about steel tariffs?")
    dates = [a["date_said"] for a in ans["answers"]]
    assert len(dates) >= 2 and dates == sorted(dates, reverse=True)


def test_timeline_without_topic(asker):
    ans = asker.ask("What did Trump say in August 2025?")
    assert ans["interpretation"]["kind"] == "timeline"
    assert len(ans["answers"]) == 4
    dates = [a["date_said"] for a in ans["answers"]]
    assert dates == sorted(dates, reverse=True)


def test_did_question_gets_a_verdict(asker):
    ans = asker.ask("Did Putin ever say that the next meeting would be in Moscow?")
    assert ans["verdict"] == "yes"
    assert ans["answers"][0]["text"] == "Nächstes Mal in Moskau."


# ------------------------------------------------------------------------------ threshold
@pytest.mark.parametrize("question", ["What did Trump say about the recipe for apple pie?",
                                      "Was sagte Putin über Pinguine in der Antarktis?",
                                      "Who said that penguins can fly?"])
def test_nonsense_topic_returns_no_padded_answers(asker, question):
    ans = asker.ask(question)
    assert ans["answers"] == []
    assert ans["message"]


def test_relative_date_with_nothing_in_range_is_widened_and_said(store):
    # Jane Placeholder spoke on Wednesday 2023-02-22; "on Wednesday" counted from today finds nothing
    free = Asker(store, vectors=store._test_vectors, use_gazetteer=False)
    ans = free.ask("What did the Home Secretary say on Wednesday about asylum?")
    assert ans["answers"] and ans["answers"][0]["speaker"] == "Jane Placeholder"
    assert "any date" in ans["message"]
    # with an explicit reference date the range is taken as asked: nothing
    pinned = Asker(store, vectors=store._test_vectors, use_gazetteer=False, today=TODAY)
    ans = pinned.ask("What did the Home Secretary say on Wednesday about asylum?")
    assert ans["answers"] == [] and ans["message"]


def test_vector_first_candidates_give_the_same_answers(store, monkeypatch):
    """At scale, prolific speakers and speakerless questions start from the nearest vectors."""
    import kb.ask as ask_mod

    plain = Asker(store, vectors=store._test_vectors, use_gazetteer=False, today=TODAY)
    expected = {q: [a["claim"] for a in plain.ask(q)["answers"]]
                for q in ("What did Trump say about steel tariffs?", "Who said that tariffs on steel would rise?")}
    monkeypatch.setattr(ask_mod, "SMALL_STORE", 0)
    monkeypatch.setattr(ask_mod, "LARGE_SPEAKER", 1)
    fast = Asker(store, vectors=store._test_vectors, use_gazetteer=False, today=TODAY)
    for q, claims in expected.items():
        ans = fast.ask(q)
        assert "candidates_from" in ans and "claim" in ans["bindings"]
        assert [a["claim"] for a in ans["answers"]] == claims


@pytest.mark.parametrize("question,speakers,topic", [
    ("Alle Aussagen von Trump seit Januar", {TRUMP}, ""),
    ("statements by Putin about Ukraine", {PUTIN}, "Ukraine"),
    ("what did trump say about tariffs", {TRUMP}, "tariffs"),
    ("What did Trump and Putin say about the meeting?", {TRUMP, PUTIN}, "meeting"),
    ("Show me everything Putin said last month", {PUTIN}, ""),
])
def test_more_phrasings(interp, question, speakers, topic):
    it = interp.interpret(question, today=TODAY)
    assert _speakers(it) == speakers, it.to_json()
    assert it.topic == topic


def test_missing_vectors_are_embedded_on_first_use_or_reported(store, monkeypatch):
    import kb.ask as ask_mod

    fresh = Asker(store, vectors=VectorIndex(None), use_gazetteer=False, today=TODAY)
    ans = fresh.ask("What did Trump say about steel tariffs?")
    assert ans["answers"] and "reindex" not in (ans["message"] or "")
    monkeypatch.setattr(ask_mod, "AUTO_EMBED_LIMIT", 0)
    lazy = Asker(store, vectors=VectorIndex(None), use_gazetteer=False, today=TODAY)
    ans = lazy.ask("What did Trump say about steel tariffs?")  # candidates are embedded as needed
    assert ans["answers"] and "quoth reindex" in ans["message"]


# ------------------------------------------------------------------------------ context passages
def test_claims_are_ranked_with_their_passage(asker):
    # neither claim names the tram: the framing sentence before them does
    ans = asker.ask("What did Erika Beispiel say about the tram extension?")
    texts = [a["text"] for a in ans["answers"]]
    assert texts[:2] == ["Die Stadt habe dafür genug Geld zurückgelegt",
                         "Die ersten Arbeiten sollten im Frühjahr beginnen"]
    assert all(a["speaker"] == "Erika Beispiel" for a in ans["answers"])


def test_a_passage_does_not_outrank_the_claims_own_words(asker):
    ans = asker.ask("Was sagte Erika Beispiel über die Bibliothek?")
    assert ans["answers"][0]["text"] == "die neue Bibliothek als großen Gewinn für die Kinder"


def test_only_capitalised_names_are_stripped_from_the_topic():
    from kb.store.oxigraph import OxigraphStore

    s = OxigraphStore(None, base_iri="http://example.org/")
    s.update("INSERT DATA { GRAPH <http://example.org/graph/speakers> {"
             " <http://example.org/speaker/local-1> <http://www.w3.org/2004/02/skos/core#prefLabel> \"asylum\" ."
             " <http://example.org/speaker/erika-beispiel> <http://www.w3.org/2004/02/skos/core#prefLabel>"
             " \"Erika Beispiel\" . } }")
    it = Interpreter(s, use_gazetteer=False)
    # a lower-case word that is some (misread) speaker's label stays: it is the subject
    kept = it.strip_names("asylum legislation with Erika Beispiel").split()
    assert kept[:2] == ["asylum", "legislation"] and "Erika" not in kept
    # the question's capitals tell, when the topic itself has none
    assert it.strip_names("asylum legislation", "What did Erika Beispiel say about asylum legislation?") \
        == "asylum legislation"
    # an all lower-case question gives no such hint: every name goes
    assert it.strip_names("asylum legislation with erika beispiel").split()[:1] == ["legislation"]


@pytest.mark.parametrize("question,topic,since", [
    ("What did Trump say about the 2007 transformer fire?", "2007 transformer fire", None),
    ("What did Trump say in 2007 about fires?", "fires", "2007-01-01"),
    ("Was sagte Trump über den 2007 eingeführten Zoll?", "2007 eingeführten Zoll", None),
    ("Was sagte Trump 2007 über Zölle?", "Zölle", "2007-01-01"),
])
def test_a_year_after_an_article_names_the_event(interp, question, topic, since):
    it = interp.interpret(question, today=TODAY)
    assert topic in it.topic
    assert (it.time.since.isoformat() if it.time else None) == since


def test_topic_words_reach_german_claims_through_the_lexicon(store):
    """kb.bilingual: an English topic word is found in a German claim through its translation."""
    words = {"steel": ["Stahl"], "tariffs": ["Zölle", "Zoll"]}

    def german(ask_with):
        a = Asker(store, vectors=store._test_vectors, use_gazetteer=False, today=TODAY)
        a._translator = ask_with  # False: no lexicon file (today's behaviour without trans-de-en)
        ans = a.ask("What did Trump say about steel tariffs?")
        return ans, next(x for x in ans["answers"] if x["text"] == "die Zölle auf Stahl würden steigen")

    ans, claim = german(lambda w, lang: words.get(w, []) if lang == "en" else [])
    assert claim["lexical"] == 1.0
    assert "stahl" in next(g for g in ans["interpretation"]["topic_terms"] if "steel" in g)
    ans, claim = german(False)
    assert claim["lexical"] == 0.0
    assert ["steel"] in ans["interpretation"]["topic_terms"]


def test_lexical_evidence_reads_a_claim_in_every_article_that_reports_it(store, asker):
    """A claim reported by two articles is read with both passages for lexical evidence (the
    embedding keeps the first article's, as at ingest)."""
    from kb.vectors import passages

    claim = str(next(r["c"] for r in store.select(
        "SELECT ?c WHERE { ?c q:text ?t FILTER(CONTAINS(?t, 'bald wiedersehen')) }")))
    first = passages(store, [claim])[claim]
    both = passages(store, [claim], every_article=True)[claim]
    assert "Kremlchef schwieg" not in first and "Kremlchef schwieg" in both
    assert first in both
    assert "Kremlchef schwieg" in asker._lexical_docs([claim])[claim]
