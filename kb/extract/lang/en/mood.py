"""English specifics. English has no reported-speech mood, so continuation sentences are
not detected by mood; attribution relies on cue verbs, "that"-clauses and "according to".
"""

from __future__ import annotations

LANG = "en"


def mood(word: str) -> int:  # noqa: ARG001 - same interface as kb.extract.lang.de.mood
    return 0


def is_reportative(word: str) -> bool:  # noqa: ARG001
    return False
