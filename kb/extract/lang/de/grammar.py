"""German noun-phrase and finite-verb morphology for choosing a cue's speaker.

German marks its subject: the nominative case (articles, pronouns and adjective endings),
and a finite verb that agrees with it in number ("sagte" / "sagten"). This module reads
both off the words of a candidate NP and of its clause:

* :func:`np_cases` — the cases the NP's first word allows (closed-class determiners,
  pronouns, strong adjective endings); ``None`` when nothing tells (a bare name);
* :func:`np_number` — singular / plural where the NP shows it (pronoun, article, quantifier,
  coordination, a plural noun form after "die");
* :func:`verb_number` — the number of a finite (third person) verb form;
* :func:`word_pos` — HanTa's STTS part of speech of one word form (cached per form: HanTa's
  per-word lookup costs ≈ 0.07 ms, full sentence tagging is not needed here);
* :func:`common_noun`, :func:`adverb` — HanTa's word class where the stages ask whether an
  unknown capitalised word is a common noun (no name) or a lowercase word an adverb;
* :func:`speaker_fit` — the hook the speaker stage calls: −1 when the NP cannot be the
  subject of that verb (no nominative, number disagreement, no noun or name at all, a head
  noun that names no one who speaks), 2 / 1 when it can only be a nominative / a nominative
  or accusative, else 0.

HanTa (``HanTa`` on PyPI) ships its trained German model inside the wheel; it is loaded
lazily, once per process, under a lock.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any, Iterable

NOM, ACC, DAT, GEN = "nom", "acc", "dat", "gen"
ALL_CASES = frozenset({NOM, ACC, DAT, GEN})

_DEFINITE = {
    "der": {NOM, DAT, GEN}, "die": {NOM, ACC}, "das": {NOM, ACC}, "dem": {DAT}, "den": {ACC, DAT},
    "des": {GEN},
}
# endings of "ein"-words (ein, kein, mein, sein, ihr, unser, euer, dein) and "der"-words
# (dieser, jener, jeder, mancher, welcher, aller, solcher)
_EIN_ENDINGS = {"": {NOM, ACC}, "e": {NOM, ACC}, "en": {ACC, DAT}, "em": {DAT}, "er": {DAT, GEN}, "es": {GEN}}
_DER_ENDINGS = {"er": {NOM, DAT, GEN}, "e": {NOM, ACC}, "es": {NOM, ACC, GEN}, "en": {ACC, DAT}, "em": {DAT}}
_EIN_STEMS = ("ein", "kein", "mein", "dein", "sein", "ihr", "unser", "euer", "eur")
_DER_STEMS = ("dies", "jen", "jed", "manch", "welch", "all", "solch", "jeglich", "sämtlich")
# strong adjective endings (no determiner): "Internationale Beobachter", "bisherigen Berichten"
_ADJ_ENDINGS = {"e": {NOM, ACC}, "er": {NOM, DAT, GEN}, "es": {NOM, ACC, GEN}, "en": {ACC, DAT, GEN}, "em": {DAT}}
_PRONOUN_CASES = {
    "ich": {NOM}, "du": {NOM}, "er": {NOM}, "sie": {NOM, ACC}, "es": {NOM, ACC}, "wir": {NOM},
    "ihr": {NOM, DAT}, "man": {NOM}, "ihm": {DAT}, "ihn": {ACC}, "ihnen": {DAT}, "mir": {DAT},
    "mich": {ACC}, "dir": {DAT}, "dich": {ACC}, "uns": {ACC, DAT}, "euch": {ACC, DAT},
}
_PRONOUN_NUMBER = {"ich": "sg", "du": "sg", "er": "sg", "es": "sg", "man": "sg", "wir": "pl", "ihr": "pl"}
_PLURAL_WORDS = frozenset({
    "alle", "beide", "beiden", "viele", "vielen", "einige", "mehrere", "zahlreiche", "wenige", "manche",
    "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn", "zwölf", "hunderte", "tausende",
})
_SINGULAR_ARTICLES = frozenset({"der", "das", "dem", "des", "ein", "eines", "einem", "kein", "keines", "keinem", "dieses", "diesem", "jeder", "jedes"})
_PLURAL_FINITE = frozenset({"sind", "seien", "waren", "wären"})
_SINGULAR_FINITE = frozenset({"ist", "sei", "war", "wäre", "hat", "hatte", "habe", "hätte", "wird", "wurde", "werde", "würde"})
_NOUN_TAGS = frozenset({"NN", "NE", "FM", "TRUNC", "XY"})
_PRONOUN_TAGS = frozenset({"PPER", "PDS", "PIS", "PRELS"})

_TAGGER: Any = None
_LOCK = threading.Lock()


def _tagger() -> Any:
    global _TAGGER
    with _LOCK:
        if _TAGGER is None:
            from HanTa import HanoverTagger as ht

            _TAGGER = ht.HanoverTagger("morphmodel_ger.pgz")
    return _TAGGER


@lru_cache(maxsize=100_000)
def word_pos(word: str) -> str:
    """HanTa's most likely STTS tag of one word form ("Offenbar" → "ADJ(D)", "Anzahl" → "NN")."""
    tagger = _tagger()
    with _LOCK:  # the HanTa tagger keeps per-call state
        try:
            tags = tagger.tag_word(word)
        except Exception:  # odd input: no tag rather than an error
            return ""
    return tags[0][0] if tags else ""


def common_noun(word: str) -> bool:
    """Whether HanTa tags the capitalised word a common noun (``NN``), not a proper name
    (``NE``): "Firmengeldern", "Weitergabe" — used where a word unknown to the lexicon would
    otherwise count as a name."""
    return word_pos(word) == "NN"


_ADVERB_TAGS = frozenset({"ADV", "PROAV", "PAV", "ADJ(D)", "ADJD"})


def adverb(word: str) -> bool:
    """Whether a lowercase word is an adverb (or adverbial adjective, pronominal adverb) by
    HanTa's tag: "etwa", "gerade", "dabei", "offiziell" — skipped between a cue and the
    subject after it ("äußerte sich etwa die Ministerin")."""
    return word[:1].islower() and word_pos(word) in _ADVERB_TAGS


def det_cases(low: str) -> set[str] | None:
    """Cases a determiner or pronoun allows for its NP; None for any other word."""
    if low in _PRONOUN_CASES:
        return set(_PRONOUN_CASES[low])
    if low in _DEFINITE:
        return set(_DEFINITE[low])
    for stem in _EIN_STEMS:
        if low.startswith(stem) and low[len(stem):] in _EIN_ENDINGS:
            return set(_EIN_ENDINGS[low[len(stem):]])
    for stem in _DER_STEMS:
        if low.startswith(stem) and low[len(stem):] in _DER_ENDINGS:
            return set(_DER_ENDINGS[low[len(stem):]])
    return None


def np_cases(words: list[Any], lemma_of: Any = None) -> set[str] | None:
    """Cases the NP ``words`` (tokens with ``.text``/``.low``) can be in, from its first word:
    a determiner or pronoun, else a lowercase adjective's strong ending, else a bare plural
    noun in "-ern"/"-eln" whose lemma lacks the "n" (dative plural: "sagte Reportern") when
    ``lemma_of(word)`` is given; None when nothing tells (a name, a bare noun)."""
    if not words:
        return None
    first = words[0]
    cases = det_cases(first.low)
    if cases is not None:
        return cases
    if len(words) > 1 and first.text[:1].islower() and first.low.isalpha():
        for end in ("em", "en", "er", "es", "e"):
            if first.low.endswith(end):
                return set(_ADJ_ENDINGS[end])
    if len(words) == 1 and lemma_of is not None and first.text[:1].isupper() and first.low.endswith(("ern", "eln")):
        lem = lemma_of(first.text)
        if lem and lem != first.low and not lem.endswith("n") and word_pos(first.text) == "NN":
            return {DAT}
    return None


def np_number(words: list[Any], lemma_of: Any = None) -> str | None:
    """"sg" / "pl" where the NP shows its number, else None. ``lemma_of(word)`` (optional)
    gives a noun's lemma, so that "die Experten" (≠ "Experte") counts as plural."""
    if not words:
        return None
    lows = [w.low for w in words]
    if len(words) == 1 and lows[0] in _PRONOUN_NUMBER:
        return _PRONOUN_NUMBER[lows[0]]
    for k in range(1, len(words) - 1):
        # "Merkel und Sarkozy", "der Minister und die Ministerin" — not one determiner over two
        # nouns of one person ("Seine Parteikollegin und Mitabgeordnete") nor "EU-Wirtschafts- und …"
        if lows[k] in ("und", "sowie") and not words[k - 1].text.endswith("-") and (
                det_cases(lows[k + 1]) is not None or det_cases(lows[0]) is None):
            return "pl"
    if lows[0] in _PLURAL_WORDS or lows[0].isdigit() and lows[0] != "1":
        return "pl"
    if lows[0] in _SINGULAR_ARTICLES:
        return "sg"
    if lows[0] == "die" and lemma_of is not None and len(words) >= 2:
        # the head: the last capitalised word before a genitive or preposition ("die Experten
        # der Kommission"); a plural noun form differs from its lemma ("Experten" ← Experte),
        # an adjective before the head ("Die Süddeutsche Zeitung") does not count
        # — and a name after it is a genitive attribute ("die Äußerungen Hassemers")
        head = None
        for w in words[1:]:
            if head is not None and (det_cases(w.low) is not None or w.text[:1].islower() and w.low.isalpha()):
                break
            if w.text[:1].isupper():
                if head is not None and word_pos(head.text) == "NN":
                    break
                head = w
        if head is not None and head.low.endswith(("en", "er", "n")) and word_pos(head.text) == "NN":
            lem = lemma_of(head.text)
            if lem and lem != head.low:
                return "pl"
    return None


def verb_number(low: str) -> str | None:
    """Number of a finite third-person verb form: "sagte"/"sagt"/"sprach" → sg,
    "sagten"/"sagen"/"sprachen" → pl; None for words that are no finite form."""
    if low in _PLURAL_FINITE:
        return "pl"
    if low in _SINGULAR_FINITE:
        return "sg"
    if not low.isalpha():
        return None
    return "pl" if low.endswith("n") else "sg"


def finite_of_clause(toks: list[Any], ca: int, ci: int, aux: Iterable[str]) -> Any | None:
    """The finite verb of the clause [ca, ci] whose cue is ``toks[ci]``: an auxiliary or modal
    before the cue ("hat … gesagt", "will … sagen"), else the cue itself when it is finite
    (no participle "ge…t", no infinitive after "zu")."""
    auxs = set(aux)
    for k in range(ca, ci):
        if toks[k].low in auxs:
            return toks[k]
    cue = toks[ci]
    if cue.low.startswith("ge") and cue.low.endswith("t") and len(cue.low) > 4:
        return None
    if ci > 0 and toks[ci - 1].low == "zu":
        return None
    return cue


_NO_HEAD_TAGS = frozenset({
    "ADV", "ADJ(D)", "ADJD", "PROAV", "PAV", "KON", "KOUS", "KOUI", "KOKOM", "PTKANT", "PTKNEG", "PWAV",
    "PWS", "APPR", "APPRART", "VV(FIN)", "VA(FIN)", "VM(FIN)", "VV(PP)", "VV(INF)", "VV(IZU)", "CARD",
})


def _has_head(words: list[Any]) -> bool:
    """Whether the NP has a noun, name or pronoun: False only when it has no determiner and
    HanTa tags each of its capitalised words as an adverb, predicative adjective, conjunction,
    verb, … ("Offenbar", "Zunächst", "Gleichzeitig")."""
    if det_cases(words[0].low) is not None:
        return True  # "Der 39-Jährige", "die Grünen", "Diese"
    caps = [w for w in words if w.text[:1].isupper() or "-" in w.text]
    if not caps:
        return True
    return not all(word_pos(w.text) in _NO_HEAD_TAGS for w in caps)


def speaker_fit(words: list[Any], finite: Any | None, lemma_of: Any = None, non_speaker_head: Any = None) -> int:
    """How well the NP ``words`` fits as the speaking subject of the clause whose finite verb
    is ``finite`` (None: not known): 2 it can only be a nominative ("er"), 1 nominative or
    accusative ("die Regierung"), 0 no case is told or a dative/genitive reading exists
    ("der Sprecher", a bare name), −1 it cannot be the subject:

    * its first word allows no nominative ("dem Minister", "einen Augenzeugen", "ihm");
    * its number disagrees with the finite verb ("die Minister sagte");
    * it has no noun, name or pronoun by HanTa's tags ("Offenbar", "Ähnlich");
    * ``non_speaker_head(word)`` holds for its last noun (a law, a quantity: "Aktiengesetz").
    """
    if not words:
        return -1
    cases = np_cases(words, lemma_of)
    if cases is not None and NOM not in cases:
        return -1
    if finite is not None:
        vn = verb_number(finite.low)
        nn = np_number(words, lemma_of)
        if vn and nn and vn != nn:
            return -1
    if not _has_head(words):
        return -1
    if non_speaker_head is not None:
        nouns = [w for w in words if w.text[:1].isupper() and w.low not in _PRONOUN_CASES]
        if nouns and len(nouns) == sum(1 for w in words if w.text[:1].isupper()) and non_speaker_head(nouns[-1].low):
            return -1
    if cases == {NOM}:
        return 2  # "er", "wir": only a subject
    if cases is not None and not cases & {DAT, GEN}:
        return 1  # "die Regierung", "sie": subject or accusative object
    return 0


_ADPOSITION_TAGS = frozenset({"APPR", "APPRART", "APPO"})
_SUBORDINATING = frozenset({"als", "wie"})  # tagged APPR/KOKOM, but "als er …", "wie die Zeitung …" open clauses


def governed(toks: list[Any], rng: tuple[int, int]) -> bool:
    """Whether the NP ``toks[rng]`` is the object of a preposition or postposition (HanTa's
    tag of the word before it, of its first word or of the word after it): "Bezüglich des
    Startortes", "Unter Berufung auf Quellen", "Medienberichten zufolge", "Als Beispiel
    führte er …" — no subject."""
    a, b = rng
    if a > 0 and word_pos(toks[a - 1].text) in _ADPOSITION_TAGS:
        if toks[a - 1].low not in _SUBORDINATING:
            return True
        # "Als Grund gab die Schule an": a Vorfeld "als" phrase before the finite verb of a
        # main clause (something follows the verb) — not "wie die Zeitung berichtete, …"
        if b + 1 < len(toks) and word_pos(toks[b].text).endswith("(FIN)") and not toks[b + 1].is_punct:
            return True
    if b - a > 1 and word_pos(toks[a].text) in _ADPOSITION_TAGS:
        return True
    return b < len(toks) and word_pos(toks[b].text) == "APPO"


def cue_subject_fit(rules: Any, toks: list[Any], rng: tuple[int, int], ca: int, ci: int) -> int:
    """The :attr:`Language.speaker_fit` hook for German: :func:`speaker_fit` of the NP
    ``toks[rng]`` with the finite verb of the clause [ca, ci] (an auxiliary before the cue or
    the cue itself; none when the NP stands after the cue's object clause). Head nouns that
    name no one who speaks are the ``non_speaker_heads`` of ``lexicon.toml`` (suffix match on
    compounds: "Aktiengesetz")."""
    words = toks[rng[0]:rng[1]]
    if governed(toks, rng):
        return -1
    finite = finite_of_clause(toks, ca, ci, rules.aux) if rng[0] <= ci + 3 else None
    heads = rules.words["non_speaker_heads"]

    def non_speaker(low: str) -> bool:
        return any(low.endswith(h) for h in heads)

    def lemma_of(word: str) -> str:
        from kb.extract.text import lemma

        return lemma(word, "de")

    return speaker_fit(words, finite, lemma_of, non_speaker if heads else None)
