"""German: grammar lists (auxiliaries, subordinators, prepositions, relative pronouns,
demonstratives) and hooks (Konjunktiv mood, reportative "soll")."""

from __future__ import annotations

from kb.extract.lang import Language

from .mood import is_reportative, mood

AUX = frozenset({
    "hat", "hatte", "haben", "hatten", "habe", "hätte", "hätten", "ist", "war", "sind", "waren",
    "wird", "wurde", "werden", "wurden", "soll", "sollen", "sollte", "will", "wollte", "kann",
    "konnte", "muss", "musste", "sei", "seien", "würde", "würden", "möchte",
})
SUBORDINATORS = frozenset({
    "wie", "als", "nachdem", "bevor", "während", "weil", "da", "obwohl", "wobei", "wonach", "worauf",
    "indem", "sodass", "damit", "ehe",
})
PREPOSITIONS = frozenset({
    "bei", "beim", "mit", "von", "vom", "nach", "zu", "zum", "zur", "in", "im", "an", "am", "auf", "aus",
    "für", "gegen", "über", "unter", "vor", "während", "wegen", "seit", "durch", "ohne", "um",
    "gegenüber", "laut", "trotz",
})
RELATIVE_PRONOUNS = frozenset({
    "der", "die", "das", "dem", "den", "denen", "deren", "dessen", "welche", "welcher", "welches", "was", "wo",
})
DEMONSTRATIVES = {"dieser": "m", "diese": "f|pl", "jener": "m", "jene": "f|pl"}  # as pronouns: "sagte dieser"

LANGUAGE = Language(
    code="de", aux=AUX, subordinators=SUBORDINATORS, prepositions=PREPOSITIONS,
    relative_pronouns=RELATIVE_PRONOUNS, demonstratives=DEMONSTRATIVES,
    mood=mood, is_reportative=is_reportative,
)
