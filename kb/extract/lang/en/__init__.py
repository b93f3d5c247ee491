"""English: grammar lists (auxiliaries, subordinators, possessives, clause openers), grammar
features (SVO clauses, every cue verb takes a bare clause, subjects must look like speakers)
and hooks (active cue-verb forms, where a clause without a comma starts); no reported-speech mood."""

from __future__ import annotations

from kb.extract.lang import Language

from .mood import is_reportative, mood
from .syntax import AUX, bare_clause_start, clause_start, cue_form, finite_form



def article_stage(gazetteer, choice: str | None = None):
    """The dependency-parse stage for English articles, or None for the rule stages
    (``parse`` | ``auto`` | ``rules``, see :func:`.parse_stage.english_stage`)."""
    from .parse_stage import english_stage

    return english_stage(gazetteer, choice)


SUBORDINATORS = frozenset({"as", "when", "after", "before", "while", "because", "since", "although", "where", "with"})

LANGUAGE = Language(
    code="en", aux=AUX, subordinators=SUBORDINATORS,
    possessive_clitics=frozenset({"'s", "’s"}),
    cite_lemmas=frozenset({"quote"}),
    gerund_ending="ing",
    gerund_subordinators=frozenset({"while", "whilst", "when", "after", "before", "by", "as"}),
    shared_cue_openers=frozenset({"a", "an", "the", "that"}),
    anaphors=("that", "this", "those", "these"),
    all_cues_strong=True, subject_must_speak=True,
    mood=mood, is_reportative=is_reportative, finite_form=finite_form,
    cue_form=cue_form, clause_start=clause_start, bare_clause_start=bare_clause_start,
    article_stage=article_stage,
)
