"""German: grammar lists (auxiliaries, subordinators, prepositions, relative pronouns,
demonstratives, …), grammar features (capitalised nouns, verb-second clauses) and hooks
(Konjunktiv mood, reportative "soll", finite verb forms)."""

from __future__ import annotations

import re

from kb.extract.lang import Language

from .grammar import adverb, common_noun, cue_subject_fit
from .mood import is_reportative, mood
from .syntax import finite_form

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
FRONTED_SUBORDINATORS = frozenset({
    "nachdem", "wann", "obwohl", "weil", "bevor", "sobald", "seitdem", "warum", "ob", "falls", "wenn", "indem",
})
STRONG_CUES = frozenset({"sagen", "erklären", "betonen", "meinen", "mitteilen", "schreiben", "berichten"})

LANGUAGE = Language(
    code="de", aux=AUX, subordinators=SUBORDINATORS, prepositions=PREPOSITIONS,
    relative_pronouns=RELATIVE_PRONOUNS, demonstratives=DEMONSTRATIVES,
    np_inner_determiners=frozenset({"seiner", "ihrer"}),
    name_np_stop=frozenset({"in", "im", "aus", "bei", "beim", "zu"}),
    reflexives=frozenset({"sich"}),
    # articles that cannot open a genitive attribute: after the head noun they start the next
    # NP ("der Minister Hans Berg | den Plan"), unlike "des"/"der"/"eines"/"einer"
    np_object_articles=frozenset({"den", "dem", "das", "die", "ein", "einen", "einem", "eine"}),
    dative_words=frozenset({"dem", "den", "einem", "einer", "ihm", "ihr", "ihnen"}),
    anaphoric_subjects=frozenset({"das", "dies", "dieses"}),
    comma_complementizers=frozenset({"dass", "daß"}),
    fronted_subordinators=FRONTED_SUBORDINATORS,
    strong_cues=STRONG_CUES,
    cite_lemmas=frozenset({"zitieren"}),
    passive_cite_forms=frozenset({"zitiert"}),
    passive_aux=frozenset({"wird", "werden", "wurde", "wurden"}),
    passive_source_preps=frozenset({"von", "vom", "in", "im"}),
    passive_markers=frozenset({"wird", "werden", "wurde", "wurden", "worden"}),
    participle_endings=("t", "en"),
    non_speaker_subordinators=frozenset({"als"}),
    passive_agent_preps=frozenset({"von", "vom"}),
    anaphors=("das", "dies", "darauf", "dazu", "davon", "damit", "daran", "darüber", "dem", "diese", "dieser", "dieses"),
    infinitive_marker="zu",
    adjective_ending=re.compile(r"(e|en|er|es|em)$"),
    nouns_capitalised=True, verb_second=True,
    mood=mood, is_reportative=is_reportative, finite_form=finite_form, speaker_fit=cue_subject_fit,
    common_noun=common_noun, adverb=adverb,
)
