"""The English extraction stage (kb/extract/lang/en/parse_stage.py, lang/en/coref.py) on sentences written for
these tests: routing, the model-missing error, coreference, paragraphs, relays."""

from __future__ import annotations

import datetime as dt

import pytest

from kb.extract import Extractor
from kb.extract.lang.en import parse_stage as en_stage
from kb.extract.lang.en.parse_stage import EnglishModelMissing, english_stage, to_quotes
from kb.model import Article

DATE = dt.date(2024, 3, 15)


def _quotes(text: str):
    return to_quotes(Article(id="t", text=text, date=DATE, language="en"))


def _find(qs, fragment):
    hits = [q for q in qs if fragment in q.text]
    assert hits, f"no quote with {fragment!r} in {[q.text for q in qs]}"
    return hits[0]


def test_extractor_routes_english_to_the_parse_stage_and_german_to_the_rules():
    ex = Extractor()
    assert isinstance(ex.english, en_stage.EnglishParseStage)
    assert Extractor(english="rules").english is None
    de = Article(id="d", text="Der Bürgermeister sagte, die Brücke werde im Mai geöffnet.", date=DATE, language="de")
    assert [q.to_json() for q in ex.extract(de)] == [q.to_json() for q in Extractor(english="rules").extract(de)]


def test_missing_model_is_a_clear_error_or_a_documented_fallback(monkeypatch, caplog):
    monkeypatch.setattr(en_stage, "model_installed", lambda: False)
    with pytest.raises(EnglishModelMissing, match="requirements/en-model.txt"):
        english_stage(None, "parse")
    assert english_stage(None, "auto") is None  # falls back to the rule pipeline
    monkeypatch.setenv("QUOTH_EN_EXTRACTOR", "rules")
    assert english_stage(None) is None
    with pytest.raises(ValueError):
        english_stage(None, "fast")


def test_pronoun_goes_to_the_person_of_its_gender():
    text = ("Nora Albin met Peter Voss at the harbour. Mr Voss said the cranes were too old. "
            "She said the budget would cover new ones.")
    qs = _quotes(text)
    assert _find(qs, "cranes were too old").speaker.name == "Peter Voss"
    q = _find(qs, "budget would cover")
    assert q.speaker.name == "Nora Albin" and q.speaker.mention.text == "She"


def test_gender_learned_from_a_possessive_in_the_text():
    text = ("Dana Whitlow presented her plan for the river. Lars Emmet attended the meeting. "
            "She said the banks would be raised by a metre.")
    assert _find(_quotes(text), "banks would be raised").speaker.name == "Dana Whitlow"


def test_role_noun_goes_to_the_person_introduced_with_that_role():
    text = ("Senator Ann Holloway visited the flooded town on Monday. Residents cleaned the streets. "
            "The senator said the state would pay for the repairs.")
    q = _find(_quotes(text), "state would pay")
    assert q.speaker.name == "Ann Holloway" and q.speaker.mention.text == "The senator"


def test_it_goes_to_the_organisation():
    text = ("The Harbour Authority closed the pier. Tom Reed watched the crowd. "
            "It said the pier would reopen in a week.")
    assert _find(_quotes(text), "pier would reopen").speaker.name == "Harbour Authority"


def test_title_and_affiliation_are_not_part_of_the_name():
    text = "River Trust chief executive Maia Solberg told the paper the water was clean."
    q = _find(_quotes(text), "water was clean")
    assert q.speaker.name == "Maia Solberg"


def test_quote_over_paragraphs_keeps_its_speaker():
    text = ("Ola Brenner, who runs the ferry, said: \u201cThe boats are full every morning and the queue "
            "reaches the square.\n\n"
            "\u201cWe need a second boat before the summer, or people will stop coming.\u201d\n\n"
            "\u201cThe timetable cannot change,\u201d the council replied.")
    qs = _quotes(text)
    assert _find(qs, "boats are full").speaker.name == "Ola Brenner"
    q = _find(qs, "second boat")
    assert q.type == "Direct" and q.speaker.name == "Ola Brenner"
    assert "council" in _find(qs, "timetable cannot change").speaker.name


def test_according_to_relay_and_inverted_cue():
    text = ("According to the Valley Courier, quoting the fire brigade, the barn burned for six hours.\n\n"
            "\u201cWe could not reach the water in time,\u201d added the brigade.")
    qs = _quotes(text)
    q = _find(qs, "barn burned")
    assert "fire brigade" in q.speaker.name and "Courier" in q.relay.name
    assert "brigade" in _find(qs, "could not reach").speaker.mention.text


def test_coordinated_cue_inside_a_content_is_the_same_statement():
    text = "The ministry announced a review of the rail network and decided to close two lines."
    qs = _quotes(text)
    assert len([q for q in qs if "two lines" in q.text and "review" not in q.text]) <= 1
    assert all(q.speaker and "ministry" in q.speaker.name for q in qs)


def test_dates_hedges_and_types():
    text = ("The mayor said on Tuesday that the road might close. "
            "The union backs the new contract for all drivers.")
    qs = _quotes(text)
    q = _find(qs, "road might close")
    assert q.date_said == dt.date(2024, 3, 12) and q.date_basis == "relative" and q.hedged
    r = _find(qs, "new contract")
    assert r.type == "Reported"
