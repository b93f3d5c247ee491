"""Language registry: each language is a folder ``kb/extract/lang/<code>/`` whose
``__init__.py`` defines ``LANGUAGE`` (a :class:`Language`): its grammar lists, its grammar
features and its hooks.

Word lists that are data (cue verbs, frames, roles, pronouns, date words) stay in
``kb/extract/data/<code>/`` and are read by :mod:`kb.extract.profile`. Adding a language is
a new folder here (and a data folder); stage code never branches on the language code, it
reads the fields below (see docs/EXTRACTION.md, "Adding a language").
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from dataclasses import dataclass, field
from typing import Any, Callable


class UnknownLanguage(KeyError):
    """No folder ``kb/extract/lang/<code>/`` defines this language."""


def _no_mood(word: str) -> int:  # noqa: ARG001 - the hook's interface
    return 0


def _never(word: str) -> bool:  # noqa: ARG001 - the hook's interface
    return False


def _any_cue_form(rules: Any, sent: Any, tok: Any) -> bool:  # noqa: ARG001 - the hook's interface
    return True


def _no_finite_form(tok: Any) -> bool:  # noqa: ARG001 - the hook's interface
    return False


def _no_clause_start(rules: Any, toks: list, ci: int, lem: str) -> int | None:  # noqa: ARG001
    return None


def _no_common_noun(word: str) -> bool:  # noqa: ARG001
    return False  # neither a common noun nor an adverb: the language does not tell


def _any_subject(rules: Any, toks: list, rng: tuple[int, int], ca: int, ci: int) -> int:  # noqa: ARG001
    return 0


@dataclass(frozen=True)
class Language:
    """Grammar lists, grammar features and hooks of one language, as the stages use them.

    Hooks: ``mood(word)`` is 0 (indicative), 1 (reported-speech mood, e.g. Konjunktiv I) or 2
    (Konjunktiv II); ``is_reportative(word)`` tells a reportative modal ("soll");
    ``finite_form(tok)`` whether a lowercase token looks like a finite verb by its form;
    ``cue_form(rules, sent, tok)`` whether a cue word is used as an active speech verb;
    ``clause_start(rules, toks, ci, lem)`` / ``bare_clause_start(…)`` where the reported clause
    of cue ``ci`` starts when no comma or colon opens it (before / after the punctuation rule);
    ``speaker_fit(rules, toks, rng, ca, ci)`` is −1 when the NP ``toks[rng]`` cannot be the
    speaking subject of cue ``ci`` in the clause starting at ``ca`` (case, agreement), 2 when
    it can only be a subject (nominative), 1 when it is a subject or direct object, 0 unknown;
    ``common_noun(word)`` whether a capitalised word is a common noun, not a proper name, and
    ``adverb(word)`` whether a lowercase word is an adverb (both False: not told).
    """

    code: str
    # -- grammar lists
    aux: frozenset[str] = frozenset()
    subordinators: frozenset[str] = frozenset()
    prepositions: frozenset[str] = frozenset()
    relative_pronouns: frozenset[str] = frozenset()
    demonstratives: dict[str, str] = field(default_factory=dict)  # as pronouns, with gender
    np_inner_determiners: frozenset[str] = frozenset()  # possessives inside an NP ("seiner")
    possessive_clitics: frozenset[str] = frozenset()  # "'s" after the first word of an NP
    name_np_stop: frozenset[str] = frozenset()  # a name's NP ends before these (and an article)
    np_object_articles: frozenset[str] = frozenset()  # after its head an NP ends before these (no genitive: "den", "dem")
    reflexives: frozenset[str] = frozenset()  # skipped between a cue and its subject ("äußerte sich X")
    dative_words: frozenset[str] = frozenset()  # an NP starting so is an object, not a speaker
    anaphoric_subjects: frozenset[str] = frozenset()  # "Das erklärte X": the sentence before
    comma_complementizers: frozenset[str] = frozenset()  # ", dass": a report without a cue
    fronted_subordinators: frozenset[str] = frozenset()  # "Nachdem …, sagte X": no quote
    strong_cues: frozenset[str] = frozenset()  # cue lemmas that take a bare clause
    cite_lemmas: frozenset[str] = frozenset()  # "zitieren": the relay cites the speaker
    passive_cite_forms: frozenset[str] = frozenset()  # "Y wird von X zitiert"
    passive_aux: frozenset[str] = frozenset()  # "wird … zitiert"
    passive_source_preps: frozenset[str] = frozenset()  # "von/in X" of a passive cite: the relay
    passive_markers: frozenset[str] = frozenset()  # before a participle cue: impersonal passive
    participle_endings: tuple[str, ...] = ()  # of a passive participle cue ("aufgefordert")
    passive_agent_preps: frozenset[str] = frozenset()  # "von" after a passive participle
    non_speaker_subordinators: frozenset[str] = frozenset()  # "als X …": its subject is no speaker
    gerund_ending: str = ""  # "-ing" cue after a subordinator: the main clause's subject speaks
    gerund_subordinators: frozenset[str] = frozenset()
    shared_cue_openers: frozenset[str] = frozenset()  # a cue before a colon that has its own clause
    anaphors: tuple[str, ...] = ()  # a reply starting so keeps the sentence before as context
    infinitive_marker: str = ""  # "zu": an infinitive clause is a reported clause
    adjective_ending: re.Pattern[str] | None = None  # None: any lowercase word before the head
    #: a whole-article stage run instead of the rule stages: ``(gazetteer, choice) -> stage | None``
    #: where ``stage.run(article, lang) -> list[Quote]`` (English: lang/en/parse_stage.py)
    article_stage: Callable[..., Any] | None = None
    # -- grammar features
    nouns_capitalised: bool = False  # German: a lowercase word is no noun head
    verb_second: bool = False  # V2 clauses (subject after the finite verb possible); else SVO
    all_cues_strong: bool = False  # every cue verb takes a bare clause ("said Q")
    subject_must_speak: bool = False  # a subject that does not look like a speaker is rejected
    # -- hooks
    mood: Callable[[str], int] = _no_mood
    is_reportative: Callable[[str], bool] = _never
    finite_form: Callable[[Any], bool] = _no_finite_form
    cue_form: Callable[[Any, Any, Any], bool] = _any_cue_form
    clause_start: Callable[[Any, list, int, str], int | None] = _no_clause_start
    bare_clause_start: Callable[[Any, list, int, str], int | None] = _no_clause_start
    speaker_fit: Callable[[Any, list, tuple[int, int], int, int], int] = _any_subject
    common_noun: Callable[[str], bool] = _no_common_noun  # a capitalised word that is no proper name
    adverb: Callable[[str], bool] = _no_common_noun  # a lowercase adverb between a cue and its subject


_CACHE: dict[str, Language] = {}


def registered() -> list[str]:
    """Codes of the languages with a folder under kb/extract/lang/."""
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if m.ispkg)


def get_language(code: str) -> Language:
    """The :class:`Language` registered for ``code``; :class:`UnknownLanguage` if none is."""
    lang = _CACHE.get(code)
    if lang is not None:
        return lang
    if code not in registered():
        raise UnknownLanguage(f"no extraction language {code!r}; registered: {', '.join(registered())}")
    lang = importlib.import_module(f"{__name__}.{code}").LANGUAGE
    _CACHE[code] = lang
    return lang
