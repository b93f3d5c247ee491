"""Language registry: each language is a folder ``kb/extract/lang/<code>/`` whose
``__init__.py`` defines ``LANGUAGE`` (a :class:`Language`): its grammar lists and hooks.

Word lists that are data (cue verbs, frames, roles, pronouns, date words) stay in
``kb/extract/data/<code>/`` and are read by :mod:`kb.extract.profile`. Adding a language is
a new folder here (and a data folder); stage code never branches on the language code.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from typing import Callable


class UnknownLanguage(KeyError):
    """No folder ``kb/extract/lang/<code>/`` defines this language."""


def _no_mood(word: str) -> int:  # noqa: ARG001 - the hook's interface
    return 0


def _never(word: str) -> bool:  # noqa: ARG001 - the hook's interface
    return False


@dataclass(frozen=True)
class Language:
    """Grammar lists and hooks of one language, as the extraction stages use them.

    ``mood(word)`` is 0 (indicative), 1 (reported-speech mood, e.g. Konjunktiv I) or 2
    (Konjunktiv II); ``is_reportative(word)`` tells a reportative modal ("soll").
    """

    code: str
    aux: frozenset[str] = frozenset()
    subordinators: frozenset[str] = frozenset()
    prepositions: frozenset[str] = frozenset()
    relative_pronouns: frozenset[str] = frozenset()
    demonstratives: dict[str, str] = field(default_factory=dict)
    mood: Callable[[str], int] = _no_mood
    is_reportative: Callable[[str], bool] = _never


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
