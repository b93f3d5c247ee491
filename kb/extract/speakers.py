"""Speakers: the shipped gazetteer (people, organisations, roles with time spans) and
name/role matching used by the extractor.

The gazetteer is an editable TOML file (``data/gazetteer.toml``). Roles are defined once
(``[role.<id>]`` with labels per language) and held by entities for a time span, so that
"der US-Präsident" on 2025-08-15 resolves to Donald Trump and on 2022-05-01 to Joe Biden.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kb.model import SpeakerRef

DATA = Path(__file__).parent / "data"
DEFAULT_PATH = DATA / "gazetteer.toml"

#: articles skipped in name matching (shared with question interpretation, kb.interpret)
NAME_ARTICLES = {
    "der", "die", "das", "des", "dem", "den", "ein", "eine", "einer", "eines", "einem", "einen",
    "the", "a", "an",
}
#: an inflected adjective ending: its stem is group 1 ("russischen" -> "russisch")
ADJ_INFLECTION = re.compile(r"(isch|lich|ig|ionär|al|an|ös|iv|sch|ern|er)(e|en|er|es|em)$")


@dataclass(frozen=True)
class Role:
    label: str
    lang: str
    start: dt.date | None = None
    end: dt.date | None = None
    id: str = ""

    def holds_on(self, on: dt.date | None) -> bool:
        if on is None:
            return True
        if self.start and on < self.start:
            return False
        if self.end and on >= self.end:
            return False
        return True


@dataclass
class Entity:
    key: str
    name: str
    kind: str = "person"
    wikidata: str | None = None
    aliases: dict[str, list[str]] = field(default_factory=dict)
    roles: list[Role] = field(default_factory=list)
    gender: str | None = None  # "m" | "f" | None (for pronoun agreement)

    def all_names(self) -> list[str]:
        out = [self.name]
        for names in self.aliases.values():
            out.extend(names)
        return list(dict.fromkeys(out))

    def to_ref(self, mention=None) -> SpeakerRef:
        return SpeakerRef(name=self.name, kind=self.kind, key=self.key, wikidata=self.wikidata,
                          mention=mention, resolved=True)


def fold(s: str) -> str:
    """Lowercase, strip diacritics, ß→ss; keep letters/digits/spaces."""
    s = s.replace("ß", "ss").replace("ẞ", "ss")
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return s.lower()


def norm_tokens(text: str, lang: str | None = None) -> tuple[str, ...]:
    """Tokens for name/role matching: folded, hyphens and dots removed, articles dropped,
    German adjective inflection stripped ("russischen" → "russisch")."""
    text = re.sub(r"(?<=\w)[-‐‑](?=\w)", "", text)  # US-Präsident -> USPräsident
    text = text.replace(".", "")
    out = []
    for raw in re.findall(r"[\w']+", text):
        t = fold(raw)
        if t in NAME_ARTICLES:
            continue
        if lang != "en" and raw[:1].islower():
            t = ADJ_INFLECTION.sub(lambda m: m.group(1), t)
        out.append(t)
    return tuple(out)


_INFLECTIONS = ("en", "n", "s", "es")


def _tok_eq(a: str, b: str) -> bool:
    """Token equality up to German noun inflection (Präsidenten ~ Präsident, Kremls ~ Kreml)."""
    if a == b:
        return True
    if a.startswith(b) and a[len(b):] in _INFLECTIONS:
        return True
    if b.startswith(a) and b[len(a):] in _INFLECTIONS:
        return True
    return False


def _find_sub(hay: tuple[str, ...], needle: tuple[str, ...]) -> int:
    n = len(needle)
    if n == 0 or n > len(hay):
        return -1
    for i in range(len(hay) - n + 1):
        if all(_tok_eq(hay[i + j], needle[j]) for j in range(n)):
            return i
    return -1


def _date(v) -> dt.date | None:
    if v is None or v == "":
        return None
    if isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v))


class Gazetteer:
    """People, organisations and roles with time spans, loaded from TOML."""

    def __init__(self, entities: list[Entity]):
        self._entities = list(entities)
        self._by_key = {e.key: e for e in self._entities}
        # alias index: first folded token -> [(tokens, entity)]
        self._alias: dict[str, list[tuple[tuple[str, ...], Entity]]] = {}
        for e in self._entities:
            for name in e.all_names():
                toks = norm_tokens(name, "en")
                if toks:
                    self._alias.setdefault(toks[0], []).append((toks, e))
        for lst in self._alias.values():
            lst.sort(key=lambda x: -len(x[0]))
        # role index: list of (tokens, role, entity)
        self._roles: list[tuple[tuple[str, ...], Role, Entity]] = []
        for e in self._entities:
            for r in e.roles:
                toks = norm_tokens(r.label, r.lang)
                if toks:
                    self._roles.append((toks, r, e))
        self._roles.sort(key=lambda x: -len(x[0]))
        self._roles_by_first: dict[str, set[int]] = {}  # first role token -> indexes into _roles
        for i, (rtoks, _, _) in enumerate(self._roles):
            if rtoks:
                self._roles_by_first.setdefault(rtoks[0], set()).add(i)

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(cls, path: str | Path) -> "Gazetteer":
        with open(path, "rb") as f:
            data = tomllib.load(f)
        role_defs = data.get("role", {})
        entities = []
        for ed in data.get("entity", []):
            roles: list[Role] = []
            for rd in ed.get("roles", []) or []:
                rid = rd.get("role")
                start, end = _date(rd.get("start")), _date(rd.get("end"))
                if rid and rid in role_defs:
                    for lang, labels in role_defs[rid].items():
                        for label in labels:
                            roles.append(Role(label, lang, start, end, rid))
                elif rd.get("label"):
                    roles.append(Role(rd["label"], rd.get("lang", "und"), start, end, rid or ""))
            entities.append(Entity(
                key=ed["key"], name=ed["name"], kind=ed.get("kind", "person"),
                wikidata=ed.get("wikidata") or None,
                aliases={k: list(v) for k, v in (ed.get("aliases") or {}).items()},
                roles=roles, gender=ed.get("gender"),
            ))
        return cls(entities)

    @classmethod
    def load_default(cls) -> "Gazetteer":
        return _default_gazetteer()

    # ------------------------------------------------------------------ queries
    def entities(self) -> list[Entity]:
        return list(self._entities)

    def get(self, key: str) -> Entity | None:
        return self._by_key.get(key)

    def match_name(self, toks: tuple[str, ...]) -> tuple[Entity, int, int] | None:
        """Longest alias occurring in ``toks`` (normalised tokens): (entity, start, end)."""
        best = None
        for i, t in enumerate(toks):
            for alias, e in self._alias.get(t, ()):
                n = len(alias)
                if toks[i:i + n] == alias:
                    if best is None or n > best[2] - best[1]:
                        best = (e, i, i + n)
                    break
        return best

    def _role_candidates(self, toks: tuple[str, ...]) -> set[int]:
        """Roles whose first token equals (up to _tok_eq's inflection) a token of ``toks``."""
        out: set[int] = set()
        for t in toks:
            variants = {t, *(t + suf for suf in _INFLECTIONS)}
            variants.update(t[: -len(suf)] for suf in _INFLECTIONS if t.endswith(suf))
            for v in variants:
                out |= self._roles_by_first.get(v, set())
        return out

    def match_role(self, toks: tuple[str, ...], on: dt.date | None) -> Entity | None:
        """The entity holding a role whose label occurs in ``toks`` on date ``on``."""
        found_len = None
        candidates = self._role_candidates(toks)
        for i, (rtoks, role, e) in enumerate(self._roles):
            if i not in candidates:
                continue
            if found_len is not None and len(rtoks) < found_len:
                break
            if _find_sub(toks, rtoks) >= 0:
                if role.holds_on(on):
                    return e
                found_len = len(rtoks)
        return None

    def role_matches(self, toks: tuple[str, ...]) -> bool:
        return any(_find_sub(toks, self._roles[i][0]) >= 0 for i in self._role_candidates(toks))

    def resolve(self, text: str, language: str, on: dt.date) -> SpeakerRef | None:
        """Resolve a mention (name, alias or role noun phrase) to a gazetteer entity."""
        if not text or not text.strip():
            return None
        toks = norm_tokens(text, language)
        hit = self.match_name(toks)
        if hit:
            return hit[0].to_ref()
        e = self.match_role(toks, on)
        if e:
            return e.to_ref()
        return None

    def suggest(self, text: str, limit: int = 5) -> list[Entity]:
        """Entities whose names or aliases are close to ``text`` (for "did you mean…")."""
        if not text:
            return []
        q = fold(text.strip())
        names: dict[str, Entity] = {}
        for e in self._entities:
            for n in e.all_names():
                names.setdefault(fold(n), e)
        scored: list[tuple[float, Entity]] = []
        for n, e in names.items():
            r = difflib.SequenceMatcher(None, q, n).ratio()
            if q in n or n in q:
                r = max(r, 0.8)
            if r >= 0.5:
                scored.append((r, e))
        scored.sort(key=lambda x: -x[0])
        out: list[Entity] = []
        for _, e in scored:
            if e not in out:
                out.append(e)
            if len(out) >= limit:
                break
        return out


@lru_cache(maxsize=1)
def _default_gazetteer() -> Gazetteer:
    return Gazetteer.load(DEFAULT_PATH)
