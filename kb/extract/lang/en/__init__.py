"""English: grammar lists (auxiliaries, subordinators); no reported-speech mood."""

from __future__ import annotations

from kb.extract.lang import Language

from .mood import is_reportative, mood

AUX = frozenset({
    "has", "had", "have", "is", "was", "were", "are", "will", "would", "could", "can", "did",
    "does", "do", "should", "may", "might", "must", "been", "be",
})
SUBORDINATORS = frozenset({"as", "when", "after", "before", "while", "because", "since", "although", "where", "with"})

LANGUAGE = Language(code="en", aux=AUX, subordinators=SUBORDINATORS, mood=mood, is_reportative=is_reportative)
