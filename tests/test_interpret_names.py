"""The question's speaker read right (issue 15): a given name is not someone else's surname, a
German question's verb may be any verb, the subject ends where another phrase begins.

Interpretation only, over a store holding nothing but speaker labels (no encoder needed).
"""

from __future__ import annotations

import pytest

from kb.interpret import Interpreter
from kb.speaker_describe import word_overlap
from kb.store.oxigraph import OxigraphStore

BASE = "http://example.org/"
LABELS = {
    "lockheed-martin": "Lockheed Martin",
    "vw-chef-beispielkorn": "VW-Chef Beispielkorn",
    "erika-beispiel": "Erika Beispiel",
    "european-union": "EU",
    "peter-kurz": "Oberbürgermeister Peter Kurz",
}


@pytest.fixture(scope="module")
def interp():
    s = OxigraphStore(None, base_iri=BASE)
    triples = " ".join(f'<{BASE}speaker/{k}> <http://www.w3.org/2004/02/skos/core#prefLabel> "{v}" .'
                       for k, v in LABELS.items())
    s.update(f"INSERT DATA {{ GRAPH <{BASE}graph/speakers> {{ {triples} }} }}")
    return Interpreter(s, use_gazetteer=False)


def _names(it) -> list[str]:
    return [c.name for c in it.speakers]


@pytest.mark.parametrize("question,speaker", [
    # the surname decides, not a given name that is another speaker's last word
    ("What did Volkswagen CEO Martin Beispielkorn say about the factories?", "VW-Chef Beispielkorn"),
    ("Was sagte Martin Beispielkorn über die Fabriken?", "VW-Chef Beispielkorn"),
    # a surname alone, or before a possessive or a comma, still resolves
    ("What did Martin say about jets?", "Lockheed Martin"),
    ("What did Lockheed Martin say about jets?", "Lockheed Martin"),
])
def test_a_given_name_is_not_another_speakers_surname(interp, question, speaker):
    assert _names(interp.interpret(question)) == [speaker]


@pytest.mark.parametrize("question,mention", [
    ("What did engineer Martin Quaxenbeil say about the jets?", "Martin Quaxenbeil"),
    ("Was sagte Martin Quaxenbeil über die Jets?", "Martin Quaxenbeil"),
])
def test_a_full_name_whose_surname_matches_nobody_is_unknown(interp, question, mention):
    it = interp.interpret(question)
    assert it.speakers == [] and it.unknown_speaker is not None and mention in it.unknown_speaker


@pytest.mark.parametrize("question,topic_word", [
    ("Wie begründete Erika Beispiel ihren Rücktritt?", "Rücktritt"),
    ("Wie bewertete Erika Beispiel die Entscheidung?", "Entscheidung"),
    ("Worum bat Erika Beispiel die Polizei?", "Polizei"),
    ("Als Ausdruck wovon sah Erika Beispiel die große Beteiligung?", "Ausdruck"),
])
def test_german_verb_second_questions_find_the_subject(interp, question, topic_word):
    it = interp.interpret(question)
    assert _names(it) == ["Erika Beispiel"]
    assert topic_word in it.topic and "Erika" not in it.topic


@pytest.mark.parametrize("question,mention,topic_word", [
    ("Wie bewertete Quax Zumbel bei der Anhörung der EU die Entscheidung?", "Quax Zumbel", "Anhörung"),
    ("Wie begründete Heidemarie Quaxenbeil ihren Rücktritt?", "Heidemarie Quaxenbeil", "Rücktritt"),
    ("Worum bat Quax Zumbel die Polizei?", "Quax Zumbel", "Polizei"),
])
def test_the_german_subject_ends_where_another_phrase_begins(interp, question, mention, topic_word):
    it = interp.interpret(question)
    assert it.speakers == [] and it.unknown_speaker == mention
    assert topic_word in it.topic and mention.split()[0] not in it.topic


def test_a_question_word_further_in_leaves_the_words_before_it_in_the_topic(interp):
    it = interp.interpret("Als Ausdruck wovon sah Oberbürgermeister Kurz die Beteiligung?")
    assert _names(it) == ["Oberbürgermeister Peter Kurz"]
    assert "Ausdruck" in it.topic and "wovon" not in it.topic


def test_a_short_word_inside_a_longer_one_is_no_shared_word():
    # "ice" (in "Swiss ice hockey coach") is not a part of "Rice"; compound parts still count
    assert word_overlap(["swiss", "ice"], ["condoleezza", "rice"]) == 0.0
    assert word_overlap(["familienministerin"], ["bundesfamilienministerin"]) == 1.0


@pytest.mark.parametrize("question,mention,topic_word", [
    ("How did Martin Quaxenbeil justify his love of cheese?", "Martin Quaxenbeil", "justify"),
    ("According to seismologist Brian Quaxtie, how often can Britain expect an earthquake?",
     "seismologist Brian Quaxtie", "earthquake"),
    ("When does the German Weather Service expect conditions to calm down?", "German Weather Service",
     "conditions"),
])
def test_an_unknown_speakers_mention_ends_with_the_name(interp, question, mention, topic_word):
    it = interp.interpret(question)
    assert it.speakers == [] and it.unknown_speaker == mention
    assert topic_word in it.topic
