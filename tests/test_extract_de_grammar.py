"""German speaker choice by grammar (kb/extract/lang/de/grammar.py and the stages that use
it): case, agreement, who can speak, relative clauses, colon introductions, speech-act nouns.
Invented sentences, one case each."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from kb.extract import Extractor
from kb.extract.lang.de import grammar
from kb.model import Article

D = dt.date(2025, 8, 15)


@dataclass
class W:
    """A stand-in token: what the grammar functions read."""

    text: str

    @property
    def low(self) -> str:
        return self.text.lower()


def words(s: str) -> list[W]:
    return [W(x) for x in s.split()]


@pytest.fixture(scope="module")
def ex() -> Extractor:
    return Extractor()


def speakers(ex: Extractor, text: str) -> list[str | None]:
    quotes = ex.extract(Article(id="t", text=text, date=D, language="de"))
    return [q.speaker.mention.text if q.speaker and q.speaker.mention else None for q in quotes]


@pytest.mark.parametrize("np,cases", [
    ("dem Minister", {"dat"}), ("einen Zeugen", {"acc", "dat"}), ("der Sprecher", {"nom", "dat", "gen"}),
    ("er", {"nom"}), ("ihm", {"dat"}), ("seiner Partei", {"dat", "gen"}), ("diese Woche", {"nom", "acc"}),
    ("bisherigen Berichten", {"acc", "dat", "gen"}), ("Anna Berg", None),
])
def test_np_cases(np: str, cases: set[str] | None) -> None:
    assert grammar.np_cases(words(np)) == cases


@pytest.mark.parametrize("form,number", [
    ("sagte", "sg"), ("sagten", "pl"), ("erklärt", "sg"), ("betonen", "pl"), ("sprach", "sg"), ("sind", "pl"), ("hat", "sg"),
])
def test_verb_number(form: str, number: str) -> None:
    assert grammar.verb_number(form) == number


def test_np_number() -> None:
    assert grammar.np_number(words("Merkel und Macron")) == "pl"
    assert grammar.np_number(words("seine Kollegin und Mitstreiterin")) is None  # one person, two nouns
    assert grammar.np_number(words("das Ministerium")) == "sg"
    assert grammar.np_number(words("zwei Zeugen")) == "pl"


def test_speaker_fit() -> None:
    verb = W("sagte")
    assert grammar.speaker_fit(words("dem Minister"), verb) == -1  # no nominative
    assert grammar.speaker_fit(words("Merkel und Macron"), verb) == -1  # plural subject, singular verb
    assert grammar.speaker_fit(words("Merkel und Macron"), W("sagten")) == 0
    assert grammar.speaker_fit(words("Offenbar"), verb) == -1  # an adverb, no noun
    assert grammar.speaker_fit(words("er"), verb) == 2
    assert grammar.speaker_fit(words("die Regierung"), verb) == 1
    assert grammar.speaker_fit(words("das Baugesetz"), verb, non_speaker_head=lambda w: w.endswith("gesetz")) == -1


def test_dative_vorfeld_loses_to_subject(ex: Extractor) -> None:
    assert speakers(ex, "Dem Sender erklärte die Ärztin, die Lage sei stabil.") == ["die Ärztin"]


def test_subject_before_object_after_verb(ex: Extractor) -> None:
    # the object after the verb is an acronym (name-like) but the Vorfeld role noun is the subject
    assert speakers(ex, "Der frühere Landrat, Hans Berger (SPD), warnte die ÖDP vor einem „falschen Kurs“.") == ["Der frühere Landrat"]


def test_dative_plural_is_no_speaker(ex: Extractor) -> None:
    got = speakers(ex, "Der Abgeordnete Karl Huber, der als Beobachter im Land war, sagte Reportern, dass alles ruhig verlaufen sei.")
    assert got == ["Der Abgeordnete Karl Huber"]


def test_adverb_is_no_speaker(ex: Extractor) -> None:
    got = speakers(ex, "Die Ärztin Eva Roth besuchte die Klinik. Zunächst hieß es, die Lage sei ruhig.")
    assert "Zunächst" not in got


def test_truncated_compound_is_one_speaker(ex: Extractor) -> None:
    quotes = ex.extract(Article(id="t", text="Finanz- und Wirtschaftsminister Olaf Brenner sagte, die Lage sei ernst.", date=D, language="de"))
    assert len(quotes) == 1
    assert quotes[0].speaker.mention.text == "Finanz- und Wirtschaftsminister Olaf Brenner"


def test_colon_subject(ex: Extractor) -> None:
    text = "Die Ministerin Eva Roth zeigte sich gelassen: „Wir haben alles im Griff.“"
    assert speakers(ex, text) == ["Die Ministerin Eva Roth"]


def test_speech_noun_with_source(ex: Extractor) -> None:
    quotes = ex.extract(Article(id="t", text="Die Forderung der Gewerkschaft, die Löhne zu erhöhen, wurde abgelehnt.", date=D, language="de"))
    assert [(q.type, q.text, q.speaker.mention.text) for q in quotes] == [("Indirect", "die Löhne zu erhöhen", "der Gewerkschaft")]


def test_speech_noun_without_source_gives_nothing(ex: Extractor) -> None:
    assert ex.extract(Article(id="t", text="Die Forderung, die Löhne zu erhöhen, wurde abgelehnt.", date=D, language="de")) == []


def test_genitive_name_does_not_make_the_head() -> None:
    # "Äußerungen" is the head (plural); "Hassemers" is a genitive attribute after it
    lemmas = {"Äußerungen": "äußerung", "Hassemers": "hassemers"}
    assert grammar.np_number(words("Die Äußerungen Hassemers"), lemmas.get) == "pl"


def test_plural_object_vorfeld_loses_to_singular_subject(ex: Extractor) -> None:
    text = "Die Äußerungen Hassemers bezeichnete der Abgeordnete Karl Huber als „Knaller aus Karlsruhe“ und glaubt, dass die Politik sie ernst nehmen müsse."
    assert set(speakers(ex, text)) == {"der Abgeordnete Karl Huber"}


def test_passive_agent_speaks(ex: Extractor) -> None:
    text = "Die Pläne der Stadt werden von der Opposition kritisiert, weil sie zu teuer seien."
    assert speakers(ex, text) == ["der Opposition"]


def test_cueless_fragment_takes_its_clause_subject(ex: Extractor) -> None:
    text = "Die Ärztin Eva Roth besuchte die Klinik. Der Bundespräsident würdigte die Helfer als „Vorbilder für das ganze Land“."
    assert speakers(ex, text) == ["Der Bundespräsident"]


def test_continuation_mention_is_not_a_pronoun_in_the_quote(ex: Extractor) -> None:
    text = "Der Minister Karl Huber sagte zur Begründung, er wolle neuen Politikern Platz machen. Aus seiner Partei sei ihm kein Rücktritt nahegelegt worden."
    assert speakers(ex, text) == ["Der Minister Karl Huber", "Der Minister Karl Huber"]


def test_preposition_object_is_no_subject(ex: Extractor) -> None:
    text = "Bezüglich des Startortes meldet die Nachrichtenagentur Xinhua, die Maschine sei vom Heimathangar losgeflogen."
    assert speakers(ex, text) == ["die Nachrichtenagentur Xinhua"]
    text = "Als Grund für die Kündigung gab die Sprachschule an, die Partei habe sich nicht zu erkennen gegeben."
    assert speakers(ex, text) == ["die Sprachschule"]
    # "wie" opens a clause: its NP speaks
    text = "Wie die Zeitung in ihrer Ausgabe berichtete, leide der Schauspieler an einer Krankheit."
    assert speakers(ex, text) == ["die Zeitung"]


def test_given_name_known_to_the_lexicon_is_a_name(ex: Extractor) -> None:
    # "Patrick" and "Breyer" are both in simplemma's dictionary; the given name makes them a person
    text = ("Am Montag gab es Streit. Patrick Breyer vom Arbeitskreis forderte eine unabhängige Überprüfung "
            "aller Gesetze. Breyer sagte, das sei nötig.")
    quotes = ex.extract(Article(id="t", text=text, date=D, language="de"))
    assert [(q.type, q.speaker.name) for q in quotes] == [("Reported", "Patrick Breyer"), ("Indirect", "Patrick Breyer")]


def test_demnach_refers_to_the_source_of_the_sentence_before(ex: Extractor) -> None:
    text = ("Am Donnerstag gab die Wahlkommission ein vorläufiges Ergebnis bekannt. "
            "Demnach hat sich die regierende Koalition durchgesetzt.")
    quotes = ex.extract(Article(id="t", text=text, date=D, language="de"))
    assert [(q.type, q.speaker.name, q.speaker.mention.text) for q in quotes] == [("Indirect", "Wahlkommission", "die Wahlkommission")]


def names_of(ex: Extractor, text: str) -> list[str | None]:
    quotes = ex.extract(Article(id="t", text=text, date=D, language="de"))
    return [q.speaker.name if q.speaker else None for q in quotes]


def test_pronoun_by_gender_of_the_role_noun(ex: Extractor) -> None:
    # neither person is in the gazetteer: "Ministerin" makes Anna Berg "f", "Bürgermeister" Karl Huber "m"
    assert names_of(ex, "Ministerin Anna Berg traf Bürgermeister Karl Huber. Er sagte, das Treffen sei gut gewesen.") == ["Karl Huber"]
    assert names_of(ex, "Bürgermeister Karl Huber traf die Sprecherin der Stadt, Eva Roth. Sie sagte, das Treffen sei gut gewesen.") == ["Eva Roth"]


def test_subject_after_a_reflexive_cue(ex: Extractor) -> None:
    # "äußerte sich X": the reflexive pronoun stands between the cue and its inverted subject
    text = "Am Montag äußerte sich Bürgermeister Karl Huber zuversichtlich: „Wir schaffen das.“"
    assert speakers(ex, text) == ["Bürgermeister Karl Huber"]
    text = "Besorgt äußerte sich die Ministerin, die Lage sei ernst."
    assert speakers(ex, text) == ["die Ministerin"]


def test_cue_after_und_shares_the_first_conjuncts_subject(ex: Extractor) -> None:
    # the NP after a cue that follows "und" is its object; the subject is the first verb's
    text = "Am Morgen besuchte die Ministerin Eva Roth den Hafen und nannte die Entscheidung „mutig und richtig“."
    assert speakers(ex, text) == ["die Ministerin Eva Roth"]
    text = "Auf dem Marktplatz zeigte sich die Regierung bestürzt und verurteilte die Tat als „feigen Angriff“."
    assert speakers(ex, text) == ["die Regierung"]
    text = "Der Reisende verbrachte die Nacht im Zug, schlief kaum und hatte gefragt: „Wann sind wir endlich da?“"
    assert speakers(ex, text) == ["Der Reisende"]


def test_np_ends_before_an_object_article(ex: Extractor) -> None:
    # "den", "dem", "das", "die", "ein…" open no genitive: after the head they start the object
    text = "Am Morgen bezeichnete der Bürgermeister Karl Stein den Plan als „großen Wurf“."
    quotes = ex.extract(Article(id="t", text=text, date=D, language="de"))
    assert [(q.speaker.mention.text, q.speaker.name) for q in quotes] == [("der Bürgermeister Karl Stein", "Karl Stein")]
    # a genitive attribute stays in the NP, and so does a preposition's article
    assert speakers(ex, "Der Sprecher der Stadtwerke sagte, die Preise stiegen.") == ["Der Sprecher der Stadtwerke"]
    text = "Der Botschafter in den Niederlanden, Karl Stein, sagte, die Preise stiegen."
    assert speakers(ex, text) == ["Der Botschafter in den Niederlanden, Karl Stein"]


def test_wie_clause_with_an_apposition(ex: Extractor) -> None:
    # "Wie X, Y, sagte, …": the subordinator stands before the apposition's commas
    text = "Wie die Ministerin von Bayern, Anna Berg, erklärte, habe das Land den Zivilschutz alarmiert."
    quotes = ex.extract(Article(id="t", text=text, date=D, language="de"))
    assert [(q.speaker.mention.text, q.speaker.name) for q in quotes] == [("die Ministerin von Bayern, Anna Berg", "Anna Berg")]
    # not a subordinator inside a quotation before the cue
    text = "„Weil die Polizei das Leben einschränke“, sagte er."
    assert speakers(ex, text) != ["die Polizei das Leben einschränke"]


def test_object_of_common_nouns_is_no_name(ex: Extractor) -> None:
    # "Firmengeldern" is unknown to the lexicon, but HanTa tags it a common noun: the Vorfeld
    # subject speaks, not the object after the verb
    text = "Der oberste Gerichtshof wertete diese Weitergabe von Firmengeldern als „grobe Verschwendung“."
    assert speakers(ex, text) == ["Der oberste Gerichtshof"]
    assert grammar.common_noun("Firmengeldern") and not grammar.common_noun("Merkel")


def test_a_date_is_no_speaker(ex: Extractor) -> None:
    # "Ende Januar": a month is no one who speaks (non_speaker_heads)
    text = "Ende Januar verkündete der Deutsche Schachbund offiziell, er werde sich bewerben."
    assert speakers(ex, text) == ["der Deutsche Schachbund"]


def test_colon_subject_with_an_apposition(ex: Extractor) -> None:
    text = "Der Leiter der Studie, Paulo Pinheiro, sieht die Verantwortung beim Staat: „Es gilt, ein starkes System aufzubauen.“"
    quotes = ex.extract(Article(id="t", text=text, date=D, language="de"))
    assert [(q.speaker.mention.text, q.speaker.name) for q in quotes] == [("Der Leiter der Studie, Paulo Pinheiro", "Paulo Pinheiro")]


def test_wonach_refers_to_the_noun_before_its_comma(ex: Extractor) -> None:
    text = "Eine Schätzung der Behörde, wonach 500 Menschen gestorben seien, wurde dementiert."
    assert speakers(ex, text) == ["Eine Schätzung der Behörde"]
    # after a verb there is no antecedent NP: no speaker from the clause
    text = "Das Ministerium hat die Berichte zurückgewiesen, wonach Inspektoren Zutritt verlangt hätten."
    assert names_of(ex, text) == [None]


def test_adverbs_between_the_cue_and_its_subject(ex: Extractor) -> None:
    # HanTa tags "etwa" an adverb: skipped like the listed "gestern", "auch"
    text = "So hat sich etwa die Vorsitzende des Verbands, Karin Ost, gegen die Reform gewandt und behauptet, die Pläne seien unsinnig."
    assert names_of(ex, text)[-1] == "Karin Ost"
    assert grammar.adverb("etwa") and not grammar.adverb("die") and not grammar.adverb("Etwa")


def test_subject_before_a_relative_clause_needs_no_role_noun(ex: Extractor) -> None:
    # "Beamter" is no listed role: the NP before ", den … zitiert," still fits the finite verb
    text = "Ein Beamter, den die Zeitung zitiert, kommentierte, die Erklärungen seien falsch."
    assert speakers(ex, text) == ["Ein Beamter"]
