"""kb/bilingual.py: the Ding lexicon reader, its cached index, encoder-filtered translations and
their use as lexical evidence (kb/ask_rank.py). A tiny dictionary is written here: the tests do
not need Debian's trans-de-en."""

from __future__ import annotations

import numpy as np
import pytest

from kb import bilingual
from kb.ask_rank import overlap, term_groups

DING = """\
# Version :: test
Treffen {n}; Zusammentreffen {n}; Begegnung {f} | Treffen {pl}; Begegnungen {pl} | ein Treffen ansetzen :: meeting | meetings | to summon a meeting
Sitzung {f} [adm.] | Sitzungen {pl} :: meeting; session | meetings; sessions
erfüllen {vt} | erfüllend | erfüllt :: to meet | meeting | met
zweite; zweiter; zweites; zweit…; 2. {num} | jeder zweite Mann :: second; 2nd | every other man
Sekunde {f} | Sekunden :: second | seconds
Nachschlag {m} (zusätzliche Portion) [cook.] :: second helping; second [coll.]
sich treffen {vr}; jdn. treffen {vt} :: to meet sb.
Rat {m} | Räte {pl} | ein guter Rat :: advice | advices
Aal {m} | Aale {pl} :: eel
Sitzungssaal {m} | Sitzung {f} (eines Vereins) :: boardroom | meeting
"""


@pytest.fixture()
def ding(tmp_path, monkeypatch):
    path = tmp_path / "de-en"
    path.write_text(DING, encoding="utf-8")
    monkeypatch.setenv("QUOTH_LEXICON", str(path))
    monkeypatch.setenv("QUOTH_CACHE_DIR", str(tmp_path / "cache"))
    bilingual._loaded.clear()
    yield path
    bilingual._loaded.clear()


def test_parse_line_pairs_single_words_per_sub_entry():
    pairs = bilingual.parse_line(DING.splitlines()[1])
    assert ("Treffen", "meeting") in pairs and ("Begegnungen", "meetings") in pairs
    assert ("Begegnungen", "meeting") not in pairs  # sub-entries are parallel, not crossed
    assert not any("ansetzen" in d for d, _ in pairs)  # phrases are dropped
    assert bilingual.parse_line("# comment :: x") == [] and bilingual.parse_line("") == []


def test_parse_line_verbs_rare_senses_and_fillers():
    # a verb line's participles are not translations of the noun "meeting"
    assert bilingual.parse_line("erfüllen {vt} | erfüllend | erfüllt :: to meet | meeting | met") == [("erfüllen", "meet")]
    # a colloquial sense is dropped, the annotations are not words; English phrases are kept
    assert bilingual.parse_line(DING.splitlines()[6]) == [("Nachschlag", "second helping")]
    # function words are no topic: prepositions, conjunctions, pronouns
    assert bilingual.parse_line("nachdem {conj} :: after") == []
    assert bilingual.parse_line("hinter {prp; +Dat.} | dahinter :: behind | behind it") == [("dahinter", "behind it")]
    # reflexives and object placeholders do not make a phrase
    assert bilingual.parse_line("sich treffen {vr}; jdn. treffen {vt} :: to meet sb.") == [("treffen", "meet")]
    # numerals and ellipses: "zweit…" is the word "zweit", "2." and "2nd" are no words
    pairs = bilingual.parse_line(DING.splitlines()[4])
    assert {d for d, e in pairs if e == "second"} == {"zweite", "zweiter", "zweites", "zweit"}


def test_index_translates_both_ways_most_often_paired_first(ding):
    lex = bilingual.load()
    assert lex is not None
    got = lex.translations("meeting", "en")
    assert got[0] == "Sitzung"  # paired on two lines, the others on one (then dictionary order)
    assert got[1:] == ["Treffen", "Zusammentreffen", "Begegnung"]
    assert "erfüllend" not in got
    assert set(lex.translations("Treffen", "de")) == {"meeting", "meetings", "meet"}
    assert lex.translations("treffen", "de") == lex.translations("Treffen", "de")  # folded keys
    assert lex.translations("unknownword", "en") == []


def test_index_is_cached_on_disk_and_reused(ding, tmp_path):
    lex = bilingual.load()
    files = list((tmp_path / "cache").glob("lexicon-*.sqlite"))
    assert len(files) == 1
    assert bilingual.load() is lex  # once per process
    bilingual._loaded.clear()
    again = bilingual.load()  # a new process opens the file instead of parsing
    assert again is not lex and again.translations("eel", "en") == ["Aal"]
    # a changed dictionary gets a new index
    ding.write_text(DING + "Hund {m} :: dog\n", encoding="utf-8")
    bilingual._loaded.clear()
    assert bilingual.load().translations("dog", "en") == ["Hund"]


def test_no_dictionary_means_no_lexicon(monkeypatch, tmp_path):
    bilingual._loaded.clear()
    monkeypatch.setenv("QUOTH_LEXICON", "none")
    assert bilingual.load() is None
    monkeypatch.setenv("QUOTH_LEXICON", str(tmp_path / "missing"))
    assert bilingual.load() is None


def test_unwritable_cache_keeps_the_index_in_memory(ding, monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("QUOTH_CACHE_DIR", str(blocker / "sub"))  # cannot be created
    lex = bilingual.load()
    assert lex is not None and lex.translations("advice", "en") == ["Rat"]


def _fake_encode(table):
    def encode(texts):
        return np.stack([table[t] / np.linalg.norm(table[t]) for t in texts])
    return encode


def test_translator_keeps_translations_the_encoder_puts_near_the_word(ding):
    table = {"second": np.array([1.0, 0.0, 0.0]), "zweite": np.array([0.95, 0.3, 0.0]),
             "zweiter": np.array([0.9, 0.4, 0.0]), "zweites": np.array([0.9, 0.35, 0.0]),
             "zweit": np.array([0.7, 0.7, 0.0]), "Sekunde": np.array([0.2, 0.0, 1.0])}
    tr = bilingual.Translator(bilingual.load(), _fake_encode(table), min_cosine=0.6, limit=3)
    assert tr("second", "en") == ("zweite", "zweites", "zweiter")  # closest first, Sekunde too far
    assert tr("Second", "en") == ("zweite", "zweites", "zweiter")  # cached by folded word
    assert tr("nothing", "en") == ()


def test_term_groups_match_an_english_topic_to_german_words():
    translate = {"meeting": ["Treffen", "Sitzung"], "second": ["zweite"]}
    groups = term_groups("a second meeting", "en", lambda w, lang: translate.get(w, []))
    # terms are folded lemmas in their own language ("meeting" → "meet"), translations also as written
    assert groups == [frozenset({"second", "zweite", "zweit"}), frozenset({"meet", "treffen", "sitzung"})]
    # "sie sprachen über ein zweites Treffen": both terms found through their translations
    assert overlap(groups, "Sie sprachen über ein zweites Treffen") == 1.0
    assert overlap(term_groups("a second meeting", "en"), "Sie sprachen über ein zweites Treffen") == 0.0
    # German questions over English claims use the other direction
    back = term_groups("das Treffen", "de", lambda w, lang: ["meeting"] if lang == "de" else [])
    assert overlap(back, "the meeting was constructive") == 1.0


def test_a_phrase_translated_by_a_compound_counts_for_each_of_its_words():
    translate = {"air traffic controllers": ["Fluglotsen"], "after": ["nach"]}
    groups = term_groups("the striking air traffic controllers after the strike", "en",
                         lambda w, lang: translate.get(w, []))
    assert sum("fluglotsen" in g for g in groups) == 3  # air, traffic, controller
    assert not any("nach" in g for g in groups)  # a German stopword is no evidence
    assert overlap(groups, "die Fluglotsen streiken") > overlap(term_groups("air traffic controllers", "en"),
                                                                 "die Fluglotsen streiken")


def test_a_damaged_index_is_rebuilt(ding, tmp_path):
    bilingual.load()
    (index,) = (tmp_path / "cache").glob("lexicon-*.sqlite")
    index.write_bytes(b"not a database")
    bilingual._loaded.clear()
    assert bilingual.load().translations("eel", "en") == ["Aal"]


def test_translator_choices_are_kept_for_later_processes(ding, tmp_path):
    table = {"eel": np.array([1.0, 0.0]), "Aal": np.array([0.9, 0.1])}
    path = tmp_path / "cache" / "chosen.sqlite"
    assert bilingual.Translator(bilingual.load(), _fake_encode(table), store=path)("eel", "en") == ("Aal",)

    def no_encoder(texts):
        raise AssertionError("the stored choice is used")

    assert bilingual.Translator(bilingual.load(), no_encoder, store=path)("eel", "en") == ("Aal",)
    # an unusable place for the file: choices stay in memory
    blocker = tmp_path / "file"
    blocker.write_text("x")
    tr = bilingual.Translator(bilingual.load(), _fake_encode(table), store=blocker / "chosen.sqlite")
    assert tr("eel", "en") == ("Aal",)
