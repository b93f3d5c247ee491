"""Extraction of statements from small invented German and English texts (one hard case each)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from kb.extract import Extractor, detect_language, extract, normalize_claim_text
from kb.model import Article

D = dt.date(2025, 8, 15)  # a Friday


@pytest.fixture(scope="module")
def ex() -> Extractor:
    return Extractor()


@pytest.fixture(scope="module")
def wik() -> Extractor:
    return _wikinews_extractor()


def run(ex, text, lang="de", date=D):
    art = Article(id="t", text=text, date=date, language=lang)
    quotes = ex.extract(art)
    for q in quotes:  # every offset must point at its text
        for s, e in q.spans:
            assert 0 <= s < e <= len(text)
            assert text[s:e] in q.text
        if q.speaker and q.speaker.mention:
            m = q.speaker.mention
            assert text[m.start:m.end] == m.text
        if q.cue:
            assert text[q.cue.start:q.cue.end] == q.cue.text
        assert 0.0 <= q.confidence <= 1.0
    return quotes


def find(quotes, fragment):
    hits = [q for q in quotes if fragment in q.text]
    assert hits, f"no quote containing {fragment!r} in {[q.text for q in quotes]}"
    return hits[0]


def test_language_detection():
    assert detect_language("Die Ministerin sagte am Montag, sie sei mit dem Ergebnis zufrieden.") == "de"
    assert detect_language("The minister said on Monday that she was happy with the result.") == "en"
    assert detect_language("") == "und"
    assert detect_language("   \n ") == "und"


def test_direct_quote_excludes_marks_and_keeps_offsets(ex):
    text = "„Wir bauen die Brücke bis Ostern fertig“, sagte Bürgermeisterin Lena Hartwig."
    q = find(run(ex, text), "Wir bauen")
    assert q.type == "Direct"
    s, e = q.spans[0]
    assert text[s] == "W" and text[e - 1] == "g"
    assert q.speaker.name == "Lena Hartwig"
    assert q.cue.text == "sagte"


@pytest.mark.parametrize("open_, close", [("„", "“"), ("»", "«"), ("«", "»"), ('"', '"'), ("“", "”"), ("‚", "‘")])
def test_direct_quote_every_mark_style(ex, open_, close):
    text = f"{open_}Der Hafen bleibt bis Montag geschlossen{close}, sagte der Sprecher der Behörde."
    q = find(run(ex, text), "Der Hafen bleibt")
    assert q.type == "Direct"
    assert q.text == "Der Hafen bleibt bis Montag geschlossen"


def test_quote_split_by_its_cue(ex):
    text = "«Die Lage ist ernst», sagte Ratsherr Jonas Pirker, «aber wir haben einen Plan.»"
    qs = run(ex, text)
    q = find(qs, "Die Lage ist ernst")
    assert len(q.spans) == 2
    assert "aber wir haben einen Plan." in q.text and " … " in q.text
    assert q.speaker.name == "Jonas Pirker"
    assert len([x for x in qs if "aber wir haben" in x.text]) == 1


def test_multi_sentence_direct_quote(ex):
    text = 'Die Trainerin Maren Olk sagte: "Wir waren besser. Das Ergebnis ist trotzdem bitter."'
    q = find(run(ex, text), "Wir waren besser")
    assert q.text == "Wir waren besser. Das Ergebnis ist trotzdem bitter."
    assert q.speaker.name == "Maren Olk"


def test_konjunktiv_indirect_with_continuation(ex):
    text = ("Der Verbandschef Arno Wiegand sagte am Dienstag, die Ernte sei schlechter als erwartet. "
            "Viele Betriebe hätten kaum Rücklagen. Die Preise würden deshalb steigen.")
    qs = run(ex, text)
    first = find(qs, "die Ernte sei schlechter")
    assert first.type == "Indirect"
    assert first.speaker.name == "Arno Wiegand"
    assert first.date_said == dt.date(2025, 8, 12) and first.date_basis == "relative"
    cont = find(qs, "Viele Betriebe hätten")
    assert cont.type == "IndirectFreeIndirect"
    assert cont.speaker.name == "Arno Wiegand"
    assert cont.date_said == first.date_said
    assert find(qs, "Die Preise würden").speaker.name == "Arno Wiegand"


def test_konjunktiv_without_statement_before_takes_a_speaker_across_sentences(ex):
    # the subject of the sentence before stands after its verb ("besuchte der Verbandschef …")
    text = ("Am Dienstag besuchte der Verbandschef Arno Wiegand mehrere Höfe in Bayern. "
            "Dort sei die Ernte schlechter als erwartet.")
    q = find(run(ex, text), "Dort sei die Ernte")
    assert q.type == "IndirectFreeIndirect"
    assert q.speaker.name == "Arno Wiegand"
    # no speaker in the sentence before: the last statement's speaker of the paragraph
    text = ("Der Verbandschef Arno Wiegand sagte am Dienstag, die Ernte sei schlecht. "
            "Am Mittwoch regnete es im ganzen Land. Auch am Donnerstag blieb das Wetter kühl. "
            "Viele Betriebe seien ohne Rücklagen.")
    q = find(run(ex, text), "Viele Betriebe seien")
    assert q.type == "IndirectFreeIndirect"
    assert q.speaker.name == "Arno Wiegand"
    # no known speaker, or a Konjunktiv only in a subordinate clause: no statement
    assert run(ex, "Am Mittwoch regnete es im ganzen Land. Dort sei die Ernte schlecht.") == []
    text = ("Der Verbandschef Arno Wiegand sagte am Dienstag, die Ernte sei schlecht. "
            "Am Mittwoch regnete es im ganzen Land. Auch am Donnerstag blieb das Wetter kühl. "
            "Als der Regen kam, seien viele Betriebe ohne Rücklagen gewesen.")
    assert not [q for q in run(ex, text) if q.text.startswith("Als der Regen") or "viele Betriebe" in q.text]


def test_dass_clause_excludes_complementizer(ex):
    text = "Die Stadtwerke teilten mit, dass die Leitung repariert werden müsse."
    q = find(run(ex, text), "die Leitung repariert")
    assert q.type == "Indirect"
    assert not q.text.startswith("dass")


def test_laut_and_zufolge_frames(ex):
    qs = run(ex, "Laut der Feuerwehr ist der Brand unter Kontrolle. Den Ermittlern zufolge war ein Kabel defekt.")
    q1 = find(qs, "der Brand unter Kontrolle")
    assert q1.type == "Indirect" and "Feuerwehr" in q1.speaker.name
    q2 = find(qs, "war ein Kabel defekt")
    assert "Ermittlern" in q2.speaker.mention.text


def test_speaker_by_role_on_date(ex):
    text = "Der US-Präsident sagte, die Gespräche seien gut verlaufen."
    q = find(run(ex, text, date=dt.date(2025, 8, 15)), "die Gespräche seien")
    assert q.speaker.key == "donald-trump"
    q = find(run(ex, text, date=dt.date(2022, 5, 1)), "die Gespräche seien")
    assert q.speaker.key == "joe-biden"


def test_role_learned_in_article(ex):
    text = ("Kremlsprecher Dmitri Peskow äußerte sich am Morgen. "
            "Später sagte der Kremlsprecher, eine Einigung sei möglich.")
    q = find(run(ex, text), "eine Einigung sei möglich")
    assert q.speaker.key == "dmitry-peskov"
    assert q.speaker.mention.text == "der Kremlsprecher"


def test_unknown_full_name_resolves_later_in_article(ex):
    text = ("Die Botschafterin in Wien, Irina Kolbeck, traf die Delegation. "
            "Kolbeck sagte, das Treffen sei offen gewesen. Sie erwarte nun weitere Gespräche, sagte sie.")
    qs = run(ex, text)
    q = find(qs, "das Treffen sei offen")
    assert q.speaker.name == "Irina Kolbeck" and not q.speaker.resolved and q.speaker.key is None
    q2 = find(qs, "Sie erwarte nun")
    assert q2.speaker.name == "Irina Kolbeck"


def test_pronoun_speaker(ex):
    text = "Zuerst sprach der Bürgermeister Paul Renner. Er sagte, die Stadt werde sparen müssen."
    q = find(run(ex, text), "die Stadt werde sparen")
    assert q.speaker.mention.text == "Er"
    assert q.speaker.name == "Paul Renner"


def test_relay(ex):
    text = ('"Wir sind zu Gesprächen bereit", zitierte die Nachrichtenagentur Interfax Peskow.')
    q = find(run(ex, text, date=dt.date(2024, 3, 1)), "Wir sind zu Gesprächen bereit")
    assert q.speaker.key == "dmitry-peskov"
    assert q.relay is not None and q.relay.key == "interfax"


def test_relay_laut(ex):
    text = "Die Lage sei stabil, sagte Peskow laut der Agentur Interfax."
    q = find(run(ex, text, date=dt.date(2024, 3, 1)), "Die Lage sei stabil")
    assert q.speaker.key == "dmitry-peskov"
    assert q.relay is not None and q.relay.key == "interfax"


def test_joint_speakers_one_quote_each(ex):
    text = "Trump und Putin lobten das Treffen als «sehr konstruktiv»."
    qs = [q for q in run(ex, text) if "konstruktiv" in q.text]
    keys = {q.speaker.key for q in qs}
    assert keys == {"donald-trump", "vladimir-putin"}
    assert all(q.type == "Indirect" for q in qs)  # a mixed quote


def test_reply_keeps_context_and_responds_to(ex):
    text = ('Die Ministerin Karla Brandt sagte: "Wir sehen uns nächstes Jahr in Bern." '
            '"Das kann ich noch nicht versprechen", sagte Tom Ekdahl.')
    qs = run(ex, text)
    reply = find(qs, "Das kann ich noch nicht versprechen")
    assert reply.context == 'Die Ministerin Karla Brandt sagte: "Wir sehen uns nächstes Jahr in Bern."'
    assert reply.responds_to is not None
    assert "nächstes Jahr in Bern" in qs[reply.responds_to].text
    assert qs[reply.responds_to].speaker.name == "Karla Brandt"


def test_reply_via_pointing_sentence(ex):
    text = ('Die Ministerin Karla Brandt sagte: "Wir sehen uns nächstes Jahr in Bern." '
            'Der Gast wollte sich darauf nicht festlegen. "Das kann ich noch nicht versprechen", sagte Tom Ekdahl.')
    qs = run(ex, text)
    reply = find(qs, "Das kann ich noch nicht versprechen")
    assert reply.context == "Der Gast wollte sich darauf nicht festlegen."
    assert reply.responds_to is not None and "Bern" in qs[reply.responds_to].text


def test_hedged(ex):
    qs = run(ex, "«Ich könnte mir vorstellen, dass wir gewinnen», sagte die Kapitänin Ida Voss. "
                 "«Wir gewinnen», sagte ihr Trainer Ole Brink.")
    assert find(qs, "Ich könnte mir").hedged is True
    assert find(qs, "Wir gewinnen").hedged is False


def test_negated_speech_and_indirect_question_are_not_statements(ex):
    qs = run(ex, "Was er damit meinte, sagte der Minister nicht. Details nannte er nicht.")
    assert qs == []


def test_scare_quotes_and_titles_are_not_statements(ex):
    qs = run(ex, "Der Film „Die Nacht der Fische“ läuft im „Kino am Markt“.")
    assert qs == []


def test_english_said_that_and_according_to(ex):
    text = ("Mayor Ellen Price said that the bridge would reopen in May. "
            "According to the transport agency, repairs will cost $4 million. "
            "\u201cWe are on schedule,\u201d Price told reporters on Tuesday.")
    qs = run(ex, text, lang="en", date=dt.date(2024, 3, 15))
    q1 = find(qs, "the bridge would reopen")
    assert q1.type == "Indirect" and not q1.text.startswith("that")
    assert q1.speaker.name == "Ellen Price"
    q2 = find(qs, "repairs will cost")
    assert "transport agency" in q2.speaker.mention.text
    q3 = find(qs, "We are on schedule")
    assert q3.type == "Direct" and q3.speaker.name == "Ellen Price"
    assert q3.date_said == dt.date(2024, 3, 12) and q3.date_basis == "relative"


def test_english_pronoun_and_yesterday(ex):
    text = ("Coach Dana Miles was upbeat. She said yesterday that the team was ready.")
    q = find(run(ex, text, lang="en", date=dt.date(2024, 3, 15)), "the team was ready")
    assert q.speaker.name == "Dana Miles"
    assert q.date_said == dt.date(2024, 3, 14)


def test_normalize_claim_text_unifies_marks():
    a = normalize_claim_text("Er sagte: „Das ist gut.“")
    b = normalize_claim_text('Er sagte: "Das ist gut."')
    c = normalize_claim_text("Er  sagte: «Das ist  gut»")
    assert a == b == c == "er sagte das ist gut"


def test_same_quote_different_marks_same_text(ex):
    q1 = find(run(ex, "„Wir bleiben hier“, sagte Lea Kron."), "Wir bleiben hier")
    q2 = find(run(ex, "«Wir bleiben hier», sagte Lea Kron."), "Wir bleiben hier")
    assert normalize_claim_text(q1.text) == normalize_claim_text(q2.text)
    assert q1.to_json()["quote"]["text"] == q2.to_json()["quote"]["text"]


def test_module_level_extract_and_json_contract():
    art = Article(id="a1", text="„Es regnet“, sagte Ina Lorz.", date=D, language="de")
    qs = extract(art)
    j = qs[0].to_json()
    assert j["article"] == "a1" and j["type"] == "Direct"
    assert j["quote"]["spans"] == [[1, 10]]
    assert j["date_said"] == "2025-08-15"


def test_frame_source_name_does_not_swallow_the_clause(ex):
    qs = run(ex, "Die Prüfer kamen im Mai. Anschließend sei laut Mustermann die Prüfung der Akten erfolgt.")
    q = find(qs, "die Prüfung der Akten erfolgt")
    assert q.speaker.mention.text == "Mustermann"
    qs = run(ex, "Der Täter wurde nach Angaben von Europol in Wien im Süden des Landes gefasst.")
    q = find(qs, "in Wien im Süden des Landes gefasst")
    assert q.speaker.mention.text == "Europol"


def test_quoted_newspaper_name_in_wie_clause(ex):
    qs = run(ex, "Wie die „Muster Zeitung“ berichtet, sperrten die Behörden den Zugang zum Portal.")
    q = find(qs, "sperrten die Behörden")
    assert "Muster Zeitung" in q.speaker.mention.text
    qs = run(ex, "Wie „muster online“ berichtet, sperrten die Behörden den Zugang.")
    assert [q.type for q in qs] == ["Indirect"]  # the quoted name is no Direct quote


def test_zu_infinitive_in_one_word_after_article_adjective_noun(ex):
    qs = run(ex, "Die Ministerin kam nach Berlin. Sie warf der Regierung vor, die gegenwärtige Stimmung auszunutzen.")
    q = find(qs, "die gegenwärtige Stimmung auszunutzen")
    assert q.type == "Indirect" and q.text.startswith("die gegenwärtige")


def test_laut_as_adverb_is_no_frame(ex):
    qs = run(ex, "Die Rede wurde von einer Frau mit einem laut gerufenen „Nie wieder Krieg“ gestört.")
    assert not any(q.cue and q.cue.text == "laut" for q in qs)


def test_relative_clause_with_konjunktiv_after_cue_is_no_report(ex):
    qs = run(ex, "Der Premier hatte die Beschlüsse als Chance für die Zukunft des Landes bezeichnet, "
                 "die das Land sich nicht entgehen lassen dürfe.")
    assert not any(q.text.startswith("die das Land") for q in qs)


def test_zitieren_object_is_speaker_subject_is_relay(ex):
    qs = run(ex, "Der Mann floh. Die Zeitung Muster Rundschau zitiert einen Augenzeugen mit den Worten: "
                 "„Der Mann hat einen Passanten angefahren. Dann ist er weitergegangen.“")
    q = find(qs, "Dann ist er weitergegangen")
    assert q.speaker.mention.text == "einen Augenzeugen"
    assert q.relay is not None and "Muster Rundschau" in q.relay.name


def test_passive_zitiert_with_apposition_and_quoted_relay(ex):
    qs = run(ex, "Der Fraktionschef der Grünen, Volker Rauh, wird von der „Abendpost“ mit den Worten zitiert: "
                 "„Der Bürgermeister ist angeschlagen. Das wird ihm schaden.“")
    q = find(qs, "Das wird ihm schaden")
    assert q.speaker.name == "Volker Rauh"
    assert q.relay is not None and "Abendpost" in q.relay.name


def _wikinews_extractor() -> Extractor:
    """The extractor with the Wikinews dataset's conventions (the overlay bench/ applies)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from wikinews_conventions import WIKINEWS

    return Extractor(conventions=WIKINEWS)


def test_wikinews_conventions_repeat_a_relayed_quote_for_the_relay(wik):
    qs = run(wik, "Die Lage sei ernst. Der Vorsitzende Karl Berger wird in einer Erklärung der Gewerkschaft "
                  "mit den Worten zitiert: „Was wir brauchen, ist ein Ende der Kürzungen. Die Armee ist keine Polizei.“")
    mentions = sorted(q.speaker.mention.text for q in qs if "Ende der Kürzungen" in q.text)
    assert mentions == ["Der Vorsitzende Karl Berger", "einer Erklärung der Gewerkschaft"]


def test_quoted_names_inside_a_report_are_no_direct_quotes(wik):
    qs = run(wik, "Die Agentur Muster-News meldete, die Anlage „Zarnak“ und die Firma „Grupo Lenta“ seien geschlossen worden.")
    assert [q.type for q in qs] == ["Indirect"]
    qs = run(wik, "Der Minister sagte, die Raumsonde „Kolibri“ sei ein „großer Erfolg“.")
    assert sorted(q.text for q in qs if q.type == "Direct") == ["großer Erfolg"]


def test_evaluative_verb_makes_a_quoted_fragment_a_quote(wik, ex):
    q = find(run(wik, "Das Gericht wertete die Zahlung als „grobe Verschwendung“."), "grobe Verschwendung")
    assert q.type == "Direct" and q.speaker.mention.text == "Das Gericht"
    q = find(run(ex, "Das Gericht wertete die Zahlung als „grobe Verschwendung“."), "grobe Verschwendung")
    assert q.cue.text == "wertete"


def test_fronted_clause_before_a_cue_verb_is_no_quote(ex):
    text = ("Der Sender, der für den Vertrag verantwortlich ist, begründete die Einblendungen mit Sparzwängen. "
            "Nachdem es zu Protesten gekommen war, forderten beide Parteien Neuwahlen. "
            "Seit Monaten kämpfe die Regierung gegen die Krise, sagte der Minister.")
    qs = run(ex, text)
    assert [q.text for q in qs] == ["Seit Monaten kämpfe die Regierung gegen die Krise"]


def test_wikinews_anaphoric_das_statement_keeps_the_paragraph(wik):
    qs = run(wik, "Der Konzern plant eine Umwandlung. Die Tour brachte Einnahmen von einer Milliarde. "
                  "Das berichtete die Zeitschrift Muster Magazin in ihrer Ausgabe.")
    q = find(qs, "Die Tour brachte")
    assert q.text.startswith("Der Konzern plant") and q.text.endswith("Das")


def test_document_frame_yields_to_a_cue_verb_of_its_own(ex):
    qs = run(ex, "Der Sänger Tom Wirbel ist krank. In einem Interview mit dem Anwalt seiner Familie sagte dieser, "
                 "dass der Sänger in seiner eigenen Welt lebe.")
    q = find(qs, "in seiner eigenen Welt lebe")
    assert q.cue.text == "sagte" and q.speaker.mention.text == "dieser"
    qs = run(ex, "In einer Erklärung des Ministeriums hieß es, die Prüfung habe ergeben, dass die Lage stabil sei.")
    q = find(qs, "die Lage stabil sei")
    assert "Ministeriums" in q.speaker.mention.text


def test_english_lowercase_phrase_is_no_speaker(ex):
    # a cue whose "subject" is a lowercase phrase gets no speaker from it; a passive is no cue
    text = ("The harbour was closed on Monday and all ferries have been told to stay in port. "
            "Price rises and delays were reported by travellers, but the ferry company said that services would resume.")
    qs = run(ex, text, lang="en", date=dt.date(2024, 3, 15))
    for q in qs:
        if q.speaker is not None:
            assert "company" in q.speaker.name
            assert "delays" not in q.speaker.name and "port" not in q.speaker.name
    assert not any(q.text.startswith("to stay in port") for q in qs)


def test_english_gerund_and_plural_nouns_are_no_cues(ex):
    text = ("The new rules keep tenants from claiming refunds, with landlords facing fines over the claims. "
            "Tenant leader Mara Quist said the rules were unfair.")
    qs = run(ex, text, lang="en", date=dt.date(2024, 3, 15))
    assert [q.speaker.name for q in qs] == ["Mara Quist"]
    assert find(qs, "the rules were unfair").type == "Indirect"


def test_english_participle_cue_takes_the_main_clause_subject(ex):
    text = ("At the council meeting on Tuesday, Mayor Ellen Price presented the budget plan while promising "
            "a \"full review\" of the parking fees is coming: \"We have listened to every complaint and we will act on them.\"")
    qs = run(ex, text, lang="en", date=dt.date(2024, 3, 15))
    d = find(qs, "We have listened to every complaint")
    assert d.type == "Direct" and d.speaker.name == "Ellen Price"
    m = find(qs, "of the parking fees is coming")
    assert m.speaker.name == "Ellen Price" and m.text.startswith("a ")


def test_english_said_with_possessive_clause_and_told_with_bare_clause(ex):
    text = ("Union chief Tomas Brell said his members have backed the strike \"for weeks\", and said it was "
            "\"time to act\". Managers tell local radio every site will stay open.")
    qs = run(ex, text, lang="en", date=dt.date(2024, 3, 15))
    q = find(qs, "his members have backed the strike")
    assert q.speaker.name == "Tomas Brell" and q.text.startswith("his members")
    q = find(qs, "every site will stay open")
    assert q.speaker.mention.text == "Managers" and q.text.startswith("every site")


def test_english_according_to_x_quoting_y(ex):
    text = ("According to the Lakeside Gazette, quoting the regional water agency Northwater Board (NWB), "
            "the reservoir has been filled to capacity.")
    q = find(run(ex, text, lang="en", date=dt.date(2024, 3, 15)), "the reservoir has been filled")
    assert "Northwater Board" in q.speaker.name
    assert q.relay is not None and "Gazette" in q.relay.name
    assert not q.text.startswith("quoting")


def test_verbless_speaker_with_topic_before_colon(ex):
    text = ("Die Feuerwehr löschte den Brand in der Lagerhalle. "
            "Ein Feuerwehrsprecher zu dem in der Nacht „Glutnest“ genannten Einsatz: „Wir hatten großes Glück mit dem Wind.“ "
            "Die Halle sei aber nicht mehr zu retten.")
    qs = run(ex, text)
    q = find(qs, "Wir hatten großes Glück")
    assert q.type == "Direct" and q.speaker.mention.text == "Ein Feuerwehrsprecher"
    q = find(qs, "Die Halle sei aber nicht mehr zu retten")
    assert q.speaker.mention.text == "Ein Feuerwehrsprecher"
    q = find(run(ex, "A fire service spokesman on the night-time operation: \"We were lucky with the wind.\"", lang="en"), "We were lucky")
    assert "spokesman" in q.speaker.mention.text


def test_reflexive_cues(ex):
    # "sich einsetzen für", "sich wünschen": the object is the statement; no "sich", no cue
    qs = run(ex, "Die Bürgermeisterin Olga Brandt setzte sich für den Bau einer neuen Brücke ein. "
                 "Auch der Finanzminister Jens Pohl wünscht sich für das Projekt eine „schnelle Lösung“. "
                 "Die Polizei setzte Wasserwerfer ein.")
    by_text = {q.text: (q.type, q.speaker.name if q.speaker else None) for q in qs}
    assert by_text.get("für den Bau einer neuen Brücke", (None, None))[1] == "Olga Brandt"
    assert by_text.get("für das Projekt eine „schnelle Lösung“") == ("Indirect", "Jens Pohl")
    assert not any("Wasserwerfer" in t for t in by_text)


def test_wikinews_demnach_without_a_person_source_keeps_its_mention(wik, ex):
    text = "Inzwischen sind präzise Vorwürfe an die Öffentlichkeit gelangt. Demnach steht der Kopilot in der Kritik."
    qs = run(wik, text)
    assert [(q.speaker.mention.text, q.speaker.name) for q in qs] == [("Demnach", "Vorwürfe")]
    assert [q.speaker for q in run(ex, text)] == [None]  # the product names no document as a speaker


def test_prepositional_cue_with_noun_object_is_reported_under_wikinews(wik, ex):
    text = "Die Ministerin Anna Berg sprach von einer freien und fairen Wahl. Karl Huber berichtete von Übergriffen im Lager."
    qs = run(wik, text)
    assert [(q.type, q.speaker.mention.text) for q in qs] == [("Reported", "Die Ministerin Anna Berg"), ("Reported", "Karl Huber")]
    assert qs[0].text == "Die Ministerin Anna Berg sprach von einer freien und fairen Wahl"
    # the product keeps the noun phrase as an Indirect statement
    assert [(q.type, q.text) for q in run(ex, text)] == [("Indirect", "einer freien und fairen Wahl"),
                                                        ("Indirect", "Übergriffen im Lager")]


def test_prepositional_cue_with_a_clause_stays_indirect_under_wikinews(wik):
    qs = run(wik, "Anna Berg sprach von Plänen, die niemand kenne.")
    assert [(q.type, q.text) for q in qs] == [("Indirect", "Plänen, die niemand kenne")]


def test_more_verbs_of_saying_take_a_reported_clause(ex):
    qs = run(ex, "Karl Huber schilderte, die Soldaten hätten das Dorf am Morgen verlassen.")
    assert [(q.type, q.speaker.mention.text, q.text) for q in qs] == [
        ("Indirect", "Karl Huber", "die Soldaten hätten das Dorf am Morgen verlassen")]


def test_cue_as_zu_infinitive_before_a_copula_is_no_cue(ex):
    assert run(ex, "Dabei ist anzumerken, dass der Kandidat nicht erschienen war. Wobei zu bemerken ist, dass er krank war.") == []
