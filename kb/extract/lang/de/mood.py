"""German specifics: Konjunktiv I/II (reported speech) and reportative "soll".

Mood is told from word forms with simplemma lemmas (fast; HanTa's per-word analysis was
~4 ms/word here, too slow for the throughput target): Konjunktiv I 3rd person singular is
the verb stem + "e" ("gebe" = "geben"[:-1], "sei", "habe"); Konjunktiv II has an umlaut its
lemma lacks ("hätte"/haben, "käme"/kommen, "würde"/werden) or is in a closed list.
"""

from __future__ import annotations

from functools import lru_cache

from kb.extract.profile import load_profile
from kb.extract.text import lemma

LANG = "de"
_UMLAUT = set("äöü")
_NOT_VERB = {
    "eine", "keine", "seine", "meine", "deine", "ihre", "unsere", "eure", "diese", "jene", "welche",
    "alle", "beide", "viele", "wenige", "manche", "solche", "gerne", "ohne", "ende", "habe",
    "selbe", "gleiche", "ganze", "große", "letzte", "erste", "nächste", "andere", "mehrere",
    "einige", "weitere", "hohe", "neue", "alte", "lange", "gute", "ehemalige", "bisherige",
    "bitte", "heute", "gerade", "lage", "sache", "weise", "spitze", "seite",
}


@lru_cache(maxsize=100_000)
def mood(word: str) -> int:
    """0 = not a Konjunktiv form, 1 = Konjunktiv I, 2 = Konjunktiv II."""
    w = word.lower()
    p = load_profile(LANG)
    if w in p.konj1:
        return 1
    if w in p.konj2:
        return 2
    if len(w) < 4 or not w.isalpha() or word[:1].isupper():
        return 0
    lem = lemma(w, LANG)
    if not lem.endswith("n") or lem == w:
        return 0
    if w in _NOT_VERB:
        return 0
    has_uml = any(c in _UMLAUT for c in w)
    if has_uml and not any(c in _UMLAUT for c in lem) and (w.endswith("e") or w.endswith("en")):
        return 2
    if w.endswith("e") and lem.endswith("en") and w == lem[:-1]:
        return 1
    if w.endswith("e") and lem.endswith("ern") and w == lem[:-3] + "ere":
        return 1
    if w.endswith("e") and lem.endswith("eln") and w == lem[:-3] + "le":
        return 1
    return 0


def is_reportative(word: str) -> bool:
    return word.lower() in load_profile(LANG).reportative
