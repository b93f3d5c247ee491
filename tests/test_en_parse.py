"""Parse-based English attribution (kb/extract/lang/en/parse.py) on sentences written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

from kb.extract.lang.en.parse import attributions, load_nlp, quote_regions
from kb.extract.lang.en.parse_stage import to_quotes
from kb.model import Article


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def _found(nlp, text):
    doc = nlp(text)
    return [(text[a.content[0]:a.content[1]], text[a.source[0]:a.source[1]] if a.source else None, a.kind, a.direct)
            for a in attributions(doc)]


def test_subject_of_cue_and_that_clause(nlp):
    got = _found(nlp, "The harbour master said that the new pier would open in May.")
    assert ("the new pier would open in May", "The harbour master", "speech", False) in got  # "that" dropped


def test_quote_then_cue_gets_the_full_name_with_apposition(nlp):
    text = "\u201cThe ferries will run all winter,\u201d said Mara Lindqvist, the port\u2019s director."
    got = _found(nlp, text)
    assert got and got[0][0] == "The ferries will run all winter" and got[0][3] is True
    assert got[0][1].startswith("Mara Lindqvist")


def test_according_to(nlp):
    got = _found(nlp, "The library will close early on Fridays, according to the city council.")
    assert ("The library will close early on Fridays", "the city council", "speech", False) in got


def test_participial_cue_takes_main_subject(nlp):
    got = _found(nlp, "The mayor cut the ribbon on Monday, saying the bridge was safe for cyclists.")
    assert any(src == "The mayor" and "bridge was safe" in c for c, src, _, _ in got)


def test_thought_and_intention_kinds(nlp):
    got = _found(nlp, "The coach believes the team is ready. The club wants to build a new stadium.")
    kinds = {src: kind for _, src, kind, _ in got}
    assert kinds.get("The coach") == "thought"
    assert kinds.get("The club") == "intention"


def test_uncued_quote_continues_previous_speaker(nlp):
    text = ("\u201cWe have waited long enough for this road,\u201d the farmer said.\n\n"
            "\u201cEvery spring the old one floods and the children cannot reach the school.\u201d")
    got = _found(nlp, text)
    second = [g for g in got if g[0].startswith("Every spring")]
    assert second and second[0][1] == "the farmer" and second[0][3] is True


def test_scare_quotes_are_not_statements(nlp):
    assert _found(nlp, "The plan was called a \u201cbold move\u201d in the local paper.") == []


def test_quote_regions_do_not_pair_straight_quotes_over_paragraphs():
    text = 'He said "no.\n\nThen "yes it is" was heard.'
    start = text.index('"yes')
    assert quote_regions(text) == [(start, text.index('is"') + 3)]


def test_to_quotes_builds_valid_quotes():
    art = Article(id="t1", text="The minister said the tax would fall.", date=dt.date(2024, 3, 1), language="en")
    qs = to_quotes(art)
    assert len(qs) == 1
    q = qs[0]
    assert q.type == "Indirect" and q.text == "the tax would fall"
    assert q.speaker.mention.text == "The minister" and q.cue.text == "said"


def test_speaker_name_without_apposition_and_pronoun_takes_previous_speaker():
    text = ("Mara Lindqvist, the port\u2019s director, said the ferries would run all winter. "
            "She said the fares would not rise.")
    qs = to_quotes(Article(id="t2", text=text, date=dt.date(2024, 3, 1), language="en"))
    assert [q.speaker.name for q in qs] == ["Mara Lindqvist", "Mara Lindqvist"]
    assert qs[1].speaker.mention.text == "She"


def test_surname_with_title_takes_the_full_name_seen_before():
    text = ("Ilse Marrow said the dam was sound. "
            "Professor Marrow added that the inspection had found no cracks.")
    qs = to_quotes(Article(id="t3", text=text, date=dt.date(2024, 3, 1), language="en"))
    assert [q.speaker.name for q in qs] == ["Ilse Marrow", "Ilse Marrow"]


def test_thought_inside_what_was_said_is_part_of_the_statement(nlp):
    got = _found(nlp, "The treasurer said she believes the new levy is fair to every household.")
    assert ("she believes the new levy is fair to every household", "The treasurer", "speech", False) in got
    assert not any(src == "she" for _, src, _, _ in got)  # no separate thought of "she"


def test_report_without_a_source_is_dropped_but_a_quotation_is_kept(nlp):
    got = _found(nlp, "Visitors were encouraged to suggest what the new park should offer.")
    assert got == []
    got = _found(nlp, "\u201cThe water has never been this high in living memory.\u201d")
    assert got and got[0][1] is None and got[0][3] is True


def test_quotation_continues_across_a_long_cue_clause(nlp):
    text = ("\u201cThe orchard has never looked better,\u201d said Ilse Marten, the chair of the growers\u2019 "
            "association in the valley, noting that the frost had come late this year. "
            "\u201cWe expect the biggest harvest in a decade.\u201d")
    doc = nlp(text)
    direct = [a for a in attributions(doc) if a.direct]
    assert len(direct) == 1 and len(direct[0].extra) == 1
    assert text[direct[0].extra[0][0]:direct[0].extra[0][1]].startswith("We expect the biggest harvest")


def test_colon_quotation_takes_the_subject_of_the_sentence_root(nlp):
    # the clause before the colon has no speech verb; its root verb's subject is the speaker,
    # not the speaker of the quotation before
    text = ("\u201cWe have waited long enough for this road,\u201d the farmer said.\n\n"
            "The mayor stood up, then leaned in and boomed: \u201cThe road will be built next spring.\u201d")
    got = _found(nlp, text)
    second = [g for g in got if g[0].startswith("The road will")]
    assert second and second[0][1] == "The mayor"


def test_quotation_governed_by_a_verb_outside_the_lexicon(nlp):
    # "riffed" and "shot back" are no cue words, but the parse hangs each quotation on them:
    # their subjects are the speakers, not the speaker of the sentence before
    text = ("The mayor said the budget was balanced.\n\n"
            "\u201cLet me help you out, the answer is no,\u201d the harbour master riffed on the question.\n\n"
            "The council accused the mayor of hiding the figures. Mara Lindqvist shot back, "
            "\u201cEvery figure is in the public report and always has been.\u201d")
    got = {g[0][:12]: g[1] for g in _found(nlp, text)}
    assert got.get("Let me help ") == "the harbour master"
    assert got.get("Every figure") == "Mara Lindqvist"


def test_cue_without_parsed_subject_takes_the_name_before_it(nlp):
    # the parse hangs "Tom Baker" on "statement" and leaves "said" without a subject
    text = ("In a statement to the Gazette, her chief of staff, Tom Baker, said: \u201cThe mayor believes "
            "that the harbour is essential, and that the pier will open in May.\u201d")
    got = _found(nlp, text)
    assert got and got[0][0].startswith("The mayor believes") and got[0][1] == "Tom Baker"


def test_name_inside_the_quotation_is_not_the_subject_of_the_cue(nlp):
    # the parse makes the addressee inside the quotation the first subject of "says"
    text = ("\u201cMy dear Anna Berg,\u201d the festival director says into the microphone with the crowd "
            "behind him. \u201cI am here with a message for you.\u201d")
    got = _found(nlp, text)
    assert got and got[0][1] == "the festival director"


def test_inverted_source_with_a_participle_as_adjective(nlp):
    text = "\u201cWe will not close the school this winter,\u201d said retired teacher Ann Holt, asked about the budget."
    got = _found(nlp, text)
    assert got and got[0][1] == "retired teacher Ann Holt"


def test_quotations_own_cue_wins_over_the_clause_before_a_colon(nlp):
    text = ("The mayor spoke first. Mara Lindqvist saw the plan differently: \u201cWhen the council says it "
            "will build the road, I do not take that as a promise,\u201d the engineer said.")
    got = [g for g in _found(nlp, text) if g[0].startswith("When the council")]
    assert got and got[0][1] == "the engineer"


def test_mixed_quotation_marks_pair_up():
    # a straight mark opened, a curly one closed (and the reverse typo): one quotation each
    text = 'He left. "We will open the pier in May,\u201d she said. \u201cIt is ready now\u201c, he said.'
    got = [text[a:b] for a, b in quote_regions(text)]
    assert got == ['"We will open the pier in May,\u201d', "\u201cIt is ready now\u201c"]


def test_mixed_marks_quotation_gets_its_own_cue(nlp):
    text = ("\u201cThe road is finished,\u201d the mayor said.\n\n"
            '"This would be on top of what the council should finally pay for,\u201d the engineer said.')
    got = [g for g in _found(nlp, text) if g[0].startswith("This would")]
    assert got and got[0][1] == "the engineer" and got[0][3] is True


@pytest.mark.parametrize("text, source", [
    # the tagger calls "read" a noun here
    ("\u201cIf the council wants to be trusted, it should act like it, and come to Dunmore,\u201d the editorial "
     "read.\n\nThe paper said more.", "the editorial"),
    # the parser ends the sentence at the quotation
    ("\u201cWhat if the mayor had singing lessons?\u201d the 43-year-old asked in the video\u2019s description.\n",
     "the 43-year-old"),
])
def test_cue_word_right_after_the_quotation(nlp, text, source):
    got = _found(nlp, text)
    assert got and got[0][1] == source and got[0][3] is True


def test_asked_participle_is_not_the_cue(nlp):
    text = ("Asked what he personally believed about the harbour plan, he said, \u201cIt is the wrong plan, "
            "but we have no right to stop it.\u201d")
    got = _found(nlp, text)
    assert [(c[:5], src) for c, src, _, _ in got] == [("It is", "he")]


def test_previous_speaker_only_while_quotations_follow_each_other(nlp):
    # a paragraph without a quotation ends the chain: no speaker rather than a wrong one
    text = ("\u201cWe have waited long enough for this road,\u201d the farmer said.\n\n"
            "The council met on Monday and the budget was approved after a long debate.\n\n"
            "\u201cEvery spring the old one floods and the children cannot reach the school.\u201d")
    got = [g for g in _found(nlp, text) if g[0].startswith("Every spring")]
    assert got and got[0][1] is None and got[0][3] is True


def test_absolute_with_clause_has_its_own_source(nlp):
    # the parse hangs "no one will be fired" on the main verb; it is what the Herald reports
    text = ('Officials tell reporters the plan will work, with the Herald reporting no one will be fired '
            '"because of the report alone".')
    got = _found(nlp, text)
    assert ('no one will be fired "because of the report alone', "the Herald", "speech", False) in got


def test_gerund_after_while_takes_the_main_subject(nlp):
    got = _found(nlp, 'The mayor defended the budget whilst promising a "full review" of the parks is coming.')
    assert ('a "full review" of the parks is coming', "The mayor", "intention", False) in got


@pytest.mark.parametrize("text, content", [
    # the parse makes "is imminent" an adverbial clause of "defended"
    ('During the debate on Tuesday, Lee defended the council\u2019s budget whilst promising a "full audit" '
     'from Hart is imminent: "We will publish it."', 'a "full audit" from Hart is imminent'),
    # the parse makes the subject "a new report" the object of "promising"
    ("Lee praised the staff while promising a new report from the auditors is due.",
     "a new report from the auditors is due"),
])
def test_clause_subject_parsed_as_the_cue_object(nlp, text, content):
    assert (content, "Lee", "intention", False) in _found(nlp, text)


def test_bare_infinitive_coordinated_with_the_cue_stays_in_the_content(nlp):
    text = ("On Monday, the city council announced the launch of a review to examine the budget, "
            "and decide whether the parks should close.")
    got = _found(nlp, text)
    assert [(c, src) for c, src, _, _ in got] == [
        ("the launch of a review to examine the budget, and decide whether the parks should close",
         "the city council")]


def test_infinitive_conjunct_stops_before_a_clause_of_its_own(nlp):
    text = ("She pledged to enact judicial reform, fix the nation\u2019s \u201cbroken\u201d campaign finance system "
            "and she, once again, called for a \u201cpolitical revolution.\u201d")
    got = _found(nlp, text)
    assert ("to enact judicial reform, fix the nation\u2019s \u201cbroken\u201d campaign finance system", "She",
            "intention", False) in got


def test_quotation_over_paragraphs_takes_the_speaker_named_at_its_end(nlp):
    # newspaper style: the first paragraph opens a quotation it does not close, the cue comes later
    text = ("\u201cWe will build the bridge next year.\n\n"
            "\u201cNobody else will pay for it,\u201d the mayor said.")
    got = _found(nlp, text)
    assert [(c[:10], src, d) for c, src, _, d in got] == [("We will bu", "the mayor", True),
                                                          ("Nobody els", "the mayor", True)]


@pytest.mark.parametrize("text, content", [
    ("Ms Lee called Jones \u201ctotally delusional\u201d for the claim.", "Jones \u201ctotally delusional\u201d for the claim"),
    ("Critics call this the \u201cexpectations game\u201d of the campaign.", "this the \u201cexpectations game\u201d of the campaign"),
])
def test_called_x_y_with_a_short_object(nlp, text, content):
    # a one-word or pronoun object with a predicate is still what was said
    assert content in [c for c, _, _, _ in _found(nlp, text)]


@pytest.mark.parametrize("text, content, source", [
    ("The coach is confident that the team will win.", "the team will win", "The coach"),
    ("Many voters remain convinced the election was fair.", "the election was fair", "Many voters"),
])
def test_cue_adjective_after_a_copula(nlp, text, content, source):
    assert (content, source, "thought", False) in _found(nlp, text)


def test_adjective_without_a_clause_is_no_cue(nlp):
    assert _found(nlp, "He was sure to win. The river is wide and deep.") == []
