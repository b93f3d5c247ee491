"""Language profiles: the word lists a language module needs, read from ``data/<lang>/``.

Adding a language = a directory ``data/<lang>/`` with ``cues.txt``, ``frames.toml``,
``lexicon.toml``, ``roles.txt``, ``orgs.txt``, ``dates.toml``, ``hedges.txt`` and a folder
``kb/extract/lang/<lang>/`` with its grammar lists, features and hooks (:mod:`kb.extract.lang`);
see docs/EXTRACTION.md.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data"


def _lines(path: Path) -> list[str]:
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


def _toml(path: Path) -> dict:
    if not path.exists():
        return {}
    with path.open("rb") as f:
        return tomllib.load(f)


@dataclass
class Profile:
    lang: str
    # cue lemma -> set of required particles ("" = none); e.g. "kündigen" -> {"an"}
    cues: dict[str, set[str]] = field(default_factory=dict)
    reported_cues: set[str] = field(default_factory=set)  # lemmas (joined, e.g. "ankündigen") that take NP objects
    frames: dict = field(default_factory=dict)
    determiners: set[str] = field(default_factory=set)
    np_connectors: set[str] = field(default_factory=set)
    np_stop: set[str] = field(default_factory=set)
    pronouns: dict[str, str] = field(default_factory=dict)
    konj2: set[str] = field(default_factory=set)
    konj1: set[str] = field(default_factory=set)
    reportative: set[str] = field(default_factory=set)
    coordinators: set[str] = field(default_factory=set)
    reflexive_cues: dict[str, set[str]] = field(default_factory=dict)  # lemma -> particles, with "sich"
    source_nouns: set[str] = field(default_factory=set)  # nouns that can be a speaker: "letter", "report"
    words: dict[str, frozenset[str]] = field(default_factory=dict)  # lexicon.toml [stage_words], by role
    roles: tuple[str, ...] = ()
    orgs: tuple[str, ...] = ()
    first_names: frozenset[str] = frozenset()  # given names (first_names.txt), as written
    hedges: tuple[str, ...] = ()

    @property
    def complementizers(self) -> set[str]:
        return {w.lower() for w in self.frames.get("complementizers", [])}

    @property
    def conditional(self) -> set[str]:
        return {w.lower() for w in self.frames.get("conditional", [])}

    @property
    def vorfeld_adverbials(self) -> set[str]:
        return {w.lower() for w in self.frames.get("vorfeld_adverbials", [])}


@lru_cache(maxsize=None)
def load_profile(lang: str) -> Profile | None:
    d = DATA / lang
    if not d.is_dir():
        return None
    p = Profile(lang=lang)
    for line in _lines(d / "cues.txt"):
        if line.startswith("sich "):
            # reflexive cue: "sich setzen ein" = "setzte sich für … ein"; a noun object makes it Reported
            parts = line[5:].rstrip("*").split()
            if parts:
                p.reflexive_cues.setdefault(parts[0].lower(), set()).add(parts[1].lower() if len(parts) > 1 else "")
            continue
        reported = line.endswith("*")
        parts = line.rstrip("*").split()
        if not parts:
            continue
        lemma = parts[0].lower()
        particle = parts[1].lower() if len(parts) > 1 else ""
        p.cues.setdefault(lemma, set()).add(particle)
        if reported:
            p.reported_cues.add(lemma)
            if particle:
                p.reported_cues.add(particle + lemma)
    p.frames = _toml(d / "frames.toml")
    lex = _toml(d / "lexicon.toml")
    p.determiners = {w.lower() for w in lex.get("determiners", [])}
    p.np_connectors = {w.lower() for w in lex.get("np_connectors", [])}
    p.np_stop = {w.lower() for w in lex.get("np_stop", [])}
    p.pronouns = {k.lower(): v for k, v in lex.get("pronouns", {}).items()}
    p.konj2 = {w.lower() for w in lex.get("konj2_forms", [])}
    p.konj1 = {w.lower() for w in lex.get("konj1_forms", [])}
    p.reportative = {w.lower() for w in lex.get("reportative", [])}
    p.coordinators = {w.lower() for w in lex.get("coordinators", [])}
    p.source_nouns = {w.lower() for w in lex.get("source_nouns", [])}
    p.words = {k: frozenset(w.lower() for w in v) for k, v in lex.get("stage_words", {}).items()}
    p.roles = tuple(sorted({w.lower() for w in _lines(d / "roles.txt")}, key=len, reverse=True))
    p.orgs = tuple(sorted({w.lower() for w in _lines(d / "orgs.txt")}, key=len, reverse=True))
    p.hedges = tuple(w.lower() for w in _lines(d / "hedges.txt"))
    p.first_names = frozenset(_lines(d / "first_names.txt"))
    return p


def available_languages() -> list[str]:
    return sorted(p.name for p in DATA.iterdir() if p.is_dir() and (p / "cues.txt").exists())
