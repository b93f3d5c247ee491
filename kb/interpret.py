"""Question -> interpretation: kind, speaker (name or role, date-aware), topic, time range.

Rules are general and language words live in ``kb/ask_data/<lang>.toml`` (question words,
auxiliaries, communication verbs, topic markers, stopwords, month/weekday/relative time
words), so a third language is a new data file.

Speakers are matched against the *store's* names (``skos:prefLabel``/``skos:altLabel``, so
imported speakers work too) and role labels (``q:holdsRole``), plus the gazetteer's roles
(``kb.extract.speakers.Gazetteer``) when it can be loaded. A role resolves date-aware: with a
time range in the question, to whoever held it then; without one, to every holder, each
restricted to their term of office ("the Russian president" = Putin's claims while president,
Medvedev's while president).

A question that names a speaker the store does not know is *not* answered without the speaker
constraint: the interpretation carries ``unknown_speaker`` and close names as suggestions.
Nothing from the question is ever pasted into SPARQL: kb.ask binds values.
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import re
import time
import tomllib
import unicodedata
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .extract.speakers import ADJ_INFLECTION, NAME_ARTICLES, fold
from .langid import guess

DATA = Path(__file__).parent / "ask_data"
MAX_QUESTION_CHARS = 500

KINDS = ("what", "who", "when", "did", "timeline")


class QuestionError(ValueError):
    """The question cannot be used (empty, too long, no words, a query instead of a question)."""


# -------------------------------------------------------------------------------- lexicons
@dataclass
class Lexicon:
    lang: str
    kinds: dict[str, list[tuple[str, ...]]]
    yesno_starts: set[str]
    timeline: set[str]
    aux: set[str]
    speech_verbs: set[str]
    stance_verbs: set[str]
    statement_nouns: set[str]
    topic_markers: list[tuple[str, ...]]
    speaker_markers: list[tuple[str, ...]]
    generic_speakers: set[str]
    speaker_after_noun: set[str]
    stopwords: set[str]
    months: dict[str, int]
    weekdays: dict[str, int]
    relative: list[tuple[tuple[str, ...], str]]
    units: dict[str, int]
    numbers: dict[str, int]
    ago_after: set[str]
    ago_before: set[str]
    modifiers: list[tuple[tuple[str, ...], str]]  # phrase -> since|until|before|after|during|between
    between_and: set[str]
    weekday_prefixes: list[tuple[str, ...]]
    #: articles before a bare year make it a modifier ("the 2007 transformer fire"), not a time
    determiners: set[str] = frozenset()  # type: ignore[assignment]
    #: the finite verb stands second in a question ("Wie begründete X …"): the word after the
    #: question phrase is the verb, the subject follows it
    verb_second: bool = False
    #: words that end the subject after its first word ("der Minister | die Schlachtung …")
    subject_ends: set[str] = frozenset()  # type: ignore[assignment]

    def is_speech_verb(self, word: str) -> bool:
        w = word.lower()
        return w in self.speech_verbs or _lemma(w, self.lang) in self.speech_verbs

    def is_stance_verb(self, word: str) -> bool:
        w = word.lower()
        return w in self.stance_verbs or _lemma(w, self.lang) in self.stance_verbs


def _phrases(items: list[str]) -> list[tuple[str, ...]]:
    out = [tuple(p.lower().split()) for p in items if p.strip()]
    return sorted(set(out), key=lambda p: -len(p))


@lru_cache(maxsize=None)
def lexicon(lang: str) -> Lexicon | None:
    path = DATA / f"{lang}.toml"
    if not path.exists():
        return None
    with path.open("rb") as f:
        d = tomllib.load(f)
    k, w, t = d.get("kinds", {}), d.get("words", {}), d.get("time", {})
    mods: list[tuple[tuple[str, ...], str]] = []
    for name in ("since", "until", "before", "after", "during", "between"):
        mods += [(p, name) for p in _phrases(t.get(name, []))]
    mods.sort(key=lambda x: -len(x[0]))
    rel = sorted(((tuple(p.lower().split()), code) for p, code in t.get("relative", {}).items()),
                 key=lambda x: -len(x[0]))
    low = lambda xs: {x.lower() for x in xs}  # noqa: E731
    return Lexicon(
        lang=lang,
        kinds={kind: _phrases(k.get(kind, [])) for kind in ("who", "when", "did", "what")},
        yesno_starts=low(k.get("yesno_starts", [])), timeline=low(k.get("timeline", [])),
        aux=low(w.get("aux", [])), speech_verbs=low(w.get("speech_verbs", [])) | low(w.get("stance_verbs", [])),
        stance_verbs=low(w.get("stance_verbs", [])),
        statement_nouns=low(w.get("statement_nouns", [])),
        topic_markers=_phrases(w.get("topic_markers", [])),
        speaker_markers=_phrases(w.get("speaker_markers", [])),
        generic_speakers=low(w.get("generic_speakers", [])), stopwords=low(w.get("stopwords", [])),
        speaker_after_noun=low(w.get("speaker_after_noun", [])),
        months={m.lower(): int(v) for m, v in t.get("months", {}).items()},
        weekdays={m.lower(): int(v) for m, v in t.get("weekdays", {}).items()},
        relative=rel, units={u.lower(): int(v) for u, v in t.get("units", {}).items()},
        numbers={u.lower(): int(v) for u, v in t.get("numbers", {}).items()},
        ago_after=low(t.get("ago_after", [])), ago_before=low(t.get("ago_before", [])),
        modifiers=mods, between_and=low(t.get("between_and", [])),
        weekday_prefixes=_phrases(t.get("weekday_prefixes", [])),
        determiners=low(w.get("determiners", [])),
        verb_second=bool(d.get("verb_second", False)), subject_ends=low(w.get("subject_ends", [])),
    )


def available_languages() -> list[str]:
    return sorted(p.stem for p in DATA.glob("*.toml"))


@lru_cache(maxsize=20000)
def _lemma(word: str, lang: str) -> str:
    try:
        import simplemma

        return simplemma.lemmatize(word, lang=lang).lower()
    except Exception:  # noqa: BLE001 - lemmas are an optional refinement
        return word.lower()


# -------------------------------------------------------------------------------- text helpers
_TOKEN = re.compile(r"\w+(?:[-‐‑.'’]\w+)*", re.UNICODE)
_GENITIVE = re.compile(r"['’]s?$")


@dataclass
class Token:
    text: str
    start: int
    end: int
    i: int

    @property
    def low(self) -> str:
        return self.text.lower()

    @property
    def atoms(self) -> list[str]:
        """Folded parts of a hyphenated compound, genitive 's dropped."""
        base = _GENITIVE.sub("", self.text)
        return [fold(p).replace("’", "'") for p in re.split(r"[-‐‑.]", base) if p]  # O’Leary = O'Leary

    @property
    def capitalized(self) -> bool:
        return self.text[:1].isupper()


def tokenize(text: str) -> list[Token]:
    return [Token(m.group(0), m.start(), m.end(), i) for i, m in enumerate(_TOKEN.finditer(text))]


def name_atoms(name: str) -> tuple[str, ...]:
    """A name as folded atoms: "Kim Jong-un" -> ("kim", "jong", "un")."""
    return tuple(a for t in tokenize(name) for a in t.atoms)


def role_atoms(label: str) -> tuple[str, ...]:
    """A role label as comparable atoms: articles dropped, German adjective endings stripped."""
    out = []
    for t in tokenize(label):
        for a in t.atoms:
            if a in NAME_ARTICLES:
                continue
            if t.text[:1].islower():
                a = ADJ_INFLECTION.sub(lambda m: m.group(1), a)
            out.append(a)
    return tuple(out)


def _atom_eq(q: str, n: str, loose: bool = True) -> bool:
    """Question atom ``q`` equals name atom ``n`` up to inflection ("Putins" ~ "putin")."""
    if q == n:
        return True
    if not loose or len(n) < 3:
        return False
    for suf in ("s", "es", "n", "en"):
        if q == n + suf or n == q + suf:
            return True
    return False


# -------------------------------------------------------------------------------- interpretation
@dataclass
class SpeakerChoice:
    """One speaker the question may mean, optionally restricted to a period (a role's term)."""

    iri: str
    name: str
    via: str                       # "name" | "role" | "alias-part"
    matched: str                   # the words in the question
    start: dt.date | None = None   # role term (inclusive)
    end: dt.date | None = None     # role term (exclusive)

    def to_json(self) -> dict[str, Any]:
        return {"iri": self.iri, "name": self.name, "via": self.via, "matched": self.matched,
                "from": self.start.isoformat() if self.start else None,
                "until": self.end.isoformat() if self.end else None}


@dataclass
class TimeRange:
    since: dt.date | None
    until: dt.date | None
    expression: str
    relative: bool = False          # depends on today / the reference date
    weekday: int | None = None      # "on Wednesday": for widening when nothing matches
    month: int | None = None        # "in August" (year inferred): for widening

    def to_json(self) -> dict[str, Any]:
        return {"expression": self.expression, "since": self.since.isoformat() if self.since else None,
                "until": self.until.isoformat() if self.until else None, "relative": self.relative}


@dataclass
class Interpretation:
    question: str
    language: str
    kind: str = "what"
    speakers: list[SpeakerChoice] = field(default_factory=list)
    speaker_mention: str | None = None     # how the question names the speaker
    unknown_speaker: str | None = None     # named, but not known: answers must not ignore it
    suggestions: list[dict[str, str]] = field(default_factory=list)
    speaker_description: str | None = None  # a group ("officials"): not a constraint, said so
    topic: str = ""
    time: TimeRange | None = None
    reference_date: dt.date = field(default_factory=dt.date.today)
    reference_explicit: bool = False
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "language": self.language, "kind": self.kind,
            "speaker": ({"mention": self.speaker_mention,
                         "candidates": [s.to_json() for s in self.speakers]} if self.speakers else None),
            "unknown_speaker": self.unknown_speaker,
            "suggestions": self.suggestions,
            "speaker_description": self.speaker_description,
            "topic": self.topic or None,
            "time": self.time.to_json() if self.time else None,
            "reference_date": self.reference_date.isoformat(),
            "notes": self.notes,
        }


# -------------------------------------------------------------------------------- speaker index
@dataclass
class _Role:
    atoms: tuple[str, ...]
    label: str
    iri: str
    start: dt.date | None
    end: dt.date | None


class SpeakerIndex:
    """Names and roles of the store's speakers (plus the gazetteer's roles), for matching."""

    # no type join (from when every article graph repeated its speakers' type and label, which
    # multiplied joins under the union default graph; docs/MODEL.md "Each fact once")
    NAMES = """
SELECT DISTINCT ?speaker ?name ?pref WHERE {
  { ?speaker skos:prefLabel ?name BIND(true AS ?pref) } UNION { ?speaker skos:altLabel ?name BIND(false AS ?pref) }
  FILTER(isIRI(?speaker) && CONTAINS(STR(?speaker), "/speaker/") && !CONTAINS(STR(?speaker), "/role/"))
}"""
    ROLES = """
SELECT DISTINCT ?speaker ?label ?start ?end WHERE {
  ?speaker q:holdsRole ?r . ?r q:roleLabel ?label .
  OPTIONAL { ?r q:roleStart ?start } OPTIONAL { ?r q:roleEnd ?end }
}"""

    def __init__(self, store, gazetteer: Any = None, use_gazetteer: bool = True):
        self.store = store
        self.base = store.base_iri if store.base_iri.endswith("/") else store.base_iri + "/"
        self.loaded_at = time.monotonic()
        self.label: dict[str, str] = {}
        self.full: dict[tuple[str, ...], set[str]] = {}      # full name/alias atoms -> speakers
        self.part: dict[str, set[str]] = {}                  # surname / name before "(" -> speakers
        self.roles: list[_Role] = []
        self.all_names: dict[str, str] = {}                  # folded name -> display (for suggestions)
        self.names_of: dict[str, list[str]] = {}             # speaker -> their names
        self._descriptions: Any = None
        for r in store.select(self.NAMES):
            s, name = str(r["speaker"]), str(r["name"])
            if r.get("pref") is not None and str(r["pref"]).lower() == "true":
                self.label.setdefault(s, name)
            self._add_name(s, name)
        for s in list(self.full.values()):
            for iri in s:
                self.label.setdefault(iri, iri.rsplit("/", 1)[-1])
        for r in store.select(self.ROLES):
            self._add_role(str(r["speaker"]), str(r["label"]), _d(r.get("start")), _d(r.get("end")))
        gaz = gazetteer
        if gaz is None and use_gazetteer:
            gaz = _load_gazetteer()
        if gaz is not None:
            self._add_gazetteer(gaz)
        # roles: longest first, so "russischer Ministerpräsident" wins over "Präsident"
        self.roles.sort(key=lambda r: -len(r.atoms))

    def _add_name(self, iri: str, name: str) -> None:
        atoms = name_atoms(name)
        if not atoms:
            return
        self.full.setdefault(atoms, set()).add(iri)
        self.names_of.setdefault(iri, []).append(name)
        self.all_names.setdefault(fold(name), name)
        base = re.sub(r"\s*\(.*?\)\s*", " ", name).strip()  # "Interpol (unnamed spokesperson)" -> "Interpol"
        if base and base != name:
            b = name_atoms(base)
            if b:
                self.full.setdefault(b, set()).add(iri)
        # a person's surname alone ("Trump", "Putin"); skip very short or particle-like parts
        last = atoms[-1]
        if len(atoms) >= 2 and len(last) >= 3 and last not in NAME_ARTICLES:
            self.part.setdefault(last, set()).add(iri)

    def _add_role(self, iri: str, label: str, start: dt.date | None, end: dt.date | None) -> None:
        atoms = role_atoms(label)
        if atoms:
            self.roles.append(_Role(atoms, label, iri, start, end))

    def _add_gazetteer(self, gaz: Any) -> None:
        try:
            entities = gaz.entities()
        except Exception:  # noqa: BLE001
            return
        for e in entities:
            iri = f"{self.base}speaker/{_quote(e.key)}"
            self.label.setdefault(iri, e.name)
            self.all_names.setdefault(fold(e.name), e.name)
            for n in getattr(e, "all_names", lambda: [e.name])():
                if iri in self.label and self.label[iri] != n:
                    self.all_names.setdefault(fold(n), n)
            for role in getattr(e, "roles", []) or []:
                self._add_role(iri, role.label, role.start, role.end)
            if iri in {i for s in self.full.values() for i in s}:
                continue
            # gazetteer people not (yet) in the store: known, so not "unknown" (they just have no claims)
            for n in getattr(e, "all_names", lambda: [e.name])():
                self._add_name(iri, n)

    # -- matching ------------------------------------------------------------------------------
    _lower_question = False

    def match_names(self, toks: list[Token], lo: int, hi: int, lang: str = "en") -> list[tuple[int, int, set[str], str]]:
        """Name matches inside token range [lo, hi) of a question in ``lang``: (first token, end
        token, speakers, how)."""
        self._lower_question = not any(t.text[:1].isupper() for t in toks)
        atoms: list[tuple[str, int]] = [(a, t.i) for t in toks[lo:hi] for a in t.atoms]
        out: list[tuple[int, int, set[str], str]] = []
        i = 0
        while i < len(atoms):
            best = None
            for n in range(min(6, len(atoms) - i), 0, -1):
                seq = tuple(a for a, _ in atoms[i:i + n])
                hit = self.full.get(seq)
                if hit is None and n >= 1:  # genitive / inflection on the last atom
                    last = seq[-1]
                    for cand in (last[:-1], last[:-2]) if len(last) > 4 else ():
                        hit = self.full.get(seq[:-1] + (cand,))
                        if hit and _atom_eq(last, cand):
                            break
                        hit = None
                if hit:
                    best = (atoms[i][1], atoms[i + n - 1][1] + 1, set(hit), "name", n)
                    break
            if best is None:
                a = atoms[i][0]
                tok = toks[atoms[i][1]]
                hit = self.part.get(a)
                if hit is None and len(a) > 4:
                    for cand in (a[:-1], a[:-2]):
                        if cand in self.part and _atom_eq(a, cand):
                            hit = self.part[cand]
                            break
                if hit and (tok.capitalized or self._lower_question) and not self._name_goes_on(toks, tok, lang):
                    best = (tok.i, tok.i + 1, set(hit), "surname", 1)
            if best:
                out.append(best[:4])
                i += best[4]
            else:
                i += 1
        return out

    def _name_goes_on(self, toks: list[Token], tok: Token, lang: str) -> bool:
        """``tok`` is followed by another part of the same written name ("Martin" in "Martin
        Winterkorn"), so it is a given name, not the surname some speaker shares ("Lockheed
        Martin"). Only in a question written with capitals; a possessive ends a name."""
        if self._lower_question or _GENITIVE.search(tok.text) or tok.i + 1 >= len(toks):
            return False
        nxt = toks[tok.i + 1]
        if not nxt.capitalized or toks[tok.i].end != nxt.start - 1:
            return False  # "Martin, …" / "Merkel-Regierung": not a name going on
        return _name_like(nxt, lang)

    def match_roles(self, toks: list[Token], lo: int, hi: int) -> tuple[int, int, list[_Role]] | None:
        """The longest role label occurring in [lo, hi), with every span of it (all holders)."""
        seq: list[tuple[str, int]] = []
        for t in toks[lo:hi]:
            for a in t.atoms:
                if a in NAME_ARTICLES:
                    continue
                if t.text[:1].islower():
                    a = ADJ_INFLECTION.sub(lambda m: m.group(1), a)
                seq.append((a, t.i))
        # also try the unsplit compound ("Kreml-Sprecher" ~ "Kremlsprecher")
        joined = [(fold(re.sub(r"[-‐‑]", "", _GENITIVE.sub("", t.text))), t.i) for t in toks[lo:hi]
                  if fold(t.text) not in NAME_ARTICLES]
        best: tuple[int, int, list[_Role]] | None = None
        best_len = 0
        for cand in (seq, joined):
            words = [a for a, _ in cand]
            for role in self.roles:
                n = len(role.atoms)
                if n < best_len:
                    break
                for i in range(len(words) - n + 1):
                    if all(_atom_eq(words[i + j], role.atoms[j]) for j in range(n)):
                        first, last = cand[i][1], cand[i + n - 1][1]
                        if best is None or n > best_len:
                            best, best_len = (first, last + 1, []), n
                        if n == best_len and (first, last + 1) == best[:2]:
                            best[2].append(role)
                        break
        return best

    def fuzzy(self, words: list[str], head: list[str] | None = None) -> set[str]:
        """Speakers whose name shares most of its words with ``words`` (KCNA for
        "North Korea's state news agency" -> "Korean Central News Agency"); with ``head``,
        the name must share one of those words too (the noun after a possessive)."""
        q = {fold(w) for w in words if len(w) > 2}
        hq = {fold(w) for w in head or [] if len(w) > 2}
        best: set[str] = set()
        best_score = 0.0
        for atoms, iris in self.full.items():
            if len(atoms) < 2:
                continue
            if hq and not any(_prefix_eq(a, w) for a in atoms for w in hq):
                continue
            shared = sum(1 for a in atoms if any(_prefix_eq(a, w) for w in q))
            score = shared / len(atoms)
            if shared >= 2 and score >= 0.6 and score >= best_score:
                if score > best_score:
                    best = set()
                best_score = score
                best |= iris
        return best

    MENTIONS = """
SELECT DISTINCT ?speaker ?sm WHERE { ?m q:speakerMention ?sm ; q:mentionOf ?c . ?c q:speaker ?speaker }"""

    def by_mention(self, words: tuple[str, ...]) -> set[str]:
        """Speakers that articles named with a phrase containing ``words`` (loaded on first use)."""
        if not words:
            return set()
        if not hasattr(self, "_mentions"):
            self._mentions: list[tuple[tuple[str, ...], str]] = []
            for r in self.store.select(self.MENTIONS):
                atoms = tuple(a for a in name_atoms(str(r["sm"])) if a not in NAME_ARTICLES)
                if len(atoms) >= 2:  # a bare pronoun or name is no role description
                    self._mentions.append((atoms, str(r["speaker"])))
        n = len(words)
        out = set()
        for atoms, s in self._mentions:
            for i in range(len(atoms) - n + 1):
                if all(_atom_eq(atoms[i + j], words[j]) for j in range(n)):
                    out.add(s)
                    break
        return out

    def describe(self, description: str) -> Any:
        """Speakers the articles described like ``description`` (kb.speaker_describe), or None."""
        if self._descriptions is None:
            from .speaker_describe import SpeakerDescriptions

            self._descriptions = SpeakerDescriptions(self.store, self.label, self.names_of)
        try:
            return self._descriptions.resolve(description)
        except ImportError:  # no encoder installed: descriptions are not resolved
            return None

    def suggest(self, text: str, limit: int = 5) -> list[dict[str, str]]:
        q = fold(text.strip())
        scored = []
        for n, display in self.all_names.items():
            r = difflib.SequenceMatcher(None, q, n).ratio()
            for part in n.split():
                r = max(r, difflib.SequenceMatcher(None, q, part).ratio() * 0.95)
            if r >= 0.55:
                scored.append((r, display))
        scored.sort(key=lambda x: (-x[0], x[1]))
        out, seen = [], set()
        for _, display in scored:
            iris = self.full.get(name_atoms(display), set())
            iri = sorted(iris)[0] if iris else None
            name = self.label.get(iri, display) if iri else display
            if name in seen:
                continue
            seen.add(name)
            out.append({"name": name, "iri": iri} if iri else {"name": name})
            if len(out) >= limit:
                break
        return out


def _name_like(tok: Token, lang: str) -> bool:
    """A capitalised word that may be part of a person's name: not a function, time or (German
    nouns are capitalised) dictionary word of a supported language."""
    if not tok.capitalized:
        return False
    low = tok.low
    for lang in available_languages():
        lex = lexicon(lang)
        if lex is not None and (low in lex.stopwords or low in lex.aux or low in lex.months
                                or low in lex.weekdays or lex.is_speech_verb(low)):
            return False
    return lang != "de" or not _known_noun(tok.text, lang)


def _name_end(q: str, toks: list[Token], a: int, b: int, lang: str) -> int:
    """Where an unknown speaker's mention in tokens [a, b) ends: at a comma ("seismologist Brian
    Baptie, how often …") or after the last capitalised word of a name that lower-case words follow
    ("Martin Quaxenbeil justify his love", "German Weather Service expect conditions")."""
    for j in range(a + 1, b):
        if "," in q[toks[j - 1].end:toks[j].start]:
            b = j
            break
    if lang == "de":  # every noun is capitalised: case does not tell where a name ends
        return b
    caps = [j for j in range(a, b) if toks[j].capitalized]
    if any(j + 1 in caps for j in caps):
        b = caps[-1] + 1
    return b


def _has_full_name(toks: list[Token], a: int, b: int, lang: str) -> bool:
    """Tokens [a, b) hold a person's full name: a capitalised word followed by a name-like word
    that no dictionary of the language knows ("Sebastian Pflugbeil", "Hu Jia"; not "Home
    Secretary", "Mannheimer Oberbürgermeister", nor a possessor: "East Timor's foreign minister")."""
    for j in range(max(a + 1, 1), b):
        prev, t = toks[j - 1], toks[j]
        if (prev.capitalized and prev.end == t.start - 1 and _name_like(t, lang) and not _GENITIVE.search(t.text)
                and not _known_noun(t.text if lang == "de" else t.low, lang)):
            return True
    return False


def _prefix_eq(a: str, b: str) -> bool:
    if a == b:
        return True
    n = min(len(a), len(b))
    return n >= 4 and a[:n] == b[:n] and abs(len(a) - len(b)) <= 3


def _quote(key: str) -> str:
    from urllib.parse import quote

    return quote(key, safe="")


def _d(term: Any) -> dt.date | None:
    if term is None:
        return None
    try:
        return dt.date.fromisoformat(str(term)[:10])
    except ValueError:
        return None


_GAZ: list[Any] = []


def _load_gazetteer() -> Any:
    """The extractor's gazetteer, if it can be loaded (it is optional for asking)."""
    if not _GAZ:
        try:
            from .extract.speakers import Gazetteer

            _GAZ.append(Gazetteer.load_default())
        except Exception:  # noqa: BLE001 - asking works from the store's names alone
            _GAZ.append(None)
    return _GAZ[0]


# -------------------------------------------------------------------------------- the interpreter
_SPARQL_START = re.compile(r"^\s*(PREFIX|BASE|SELECT|CONSTRUCT|DESCRIBE|ASK|INSERT|DELETE|DROP|CLEAR|LOAD|CREATE|"
                           r"COPY|MOVE|ADD|WITH)\b", re.IGNORECASE)
_SPARQL_SHAPE = re.compile(r"(\?\w+\s*(\.|;|\}|\{)|\bWHERE\s*\{|<https?://[^>\s]*>\s*[;.}])", re.IGNORECASE)


def check_question(question: Any) -> str:
    """The question, stripped; QuestionError if it cannot be used."""
    if not isinstance(question, str):
        raise QuestionError("the question must be text")
    q = unicodedata.normalize("NFC", question).strip()
    q = "".join(c for c in q if c.isprintable() or c in "\n\t")
    if not q:
        raise QuestionError("empty question: ask e.g. \"What did Trump say about a second meeting?\"")
    if len(q) > MAX_QUESTION_CHARS:
        raise QuestionError(f"question too long ({len(q)} characters; at most {MAX_QUESTION_CHARS}): "
                            "ask about one speaker or topic at a time")
    if not any(c.isalpha() for c in q):
        raise QuestionError("the question has no words: ask e.g. \"Who said that the meeting was constructive?\"")
    if _SPARQL_START.match(q) and ("{" in q or _SPARQL_SHAPE.search(q) or "?" in q.split(None, 1)[-1][:1]):
        raise QuestionError("this looks like a SPARQL query, not a question: run it with 'quoth query' "
                            "(or the /sparql endpoint) instead")
    if len(_SPARQL_SHAPE.findall(q)) >= 2:
        raise QuestionError("this looks like a SPARQL query, not a question: run it with 'quoth query' "
                            "(or the /sparql endpoint) instead")
    return " ".join(q.split())


def question_language(question: str, toks: list[Token]) -> tuple[str, str | None]:
    """(language used for interpretation, language detected if unsupported)."""
    words = [t.low for t in toks]
    scores = {}
    for lang in available_languages():
        lex = lexicon(lang)
        if lex is None:
            continue
        s = 0.0
        for i, w in enumerate(words):
            if w in lex.stopwords or w in lex.aux:
                s += 1
            if i == 0 and any(p[0] == w for ps in lex.kinds.values() for p in ps):
                s += 2
            if w in lex.speech_verbs or w in lex.months or w in lex.weekdays:
                s += 0.5
        scores[lang] = s
    detected, conf = guess(question)
    if detected in scores and conf >= 0.5:
        scores[detected] += 2 * conf
    best = max(scores, key=lambda k: scores[k]) if scores else "en"
    if scores.get(best, 0) < 1.5 and detected and detected not in scores and conf >= 0.6:
        return best, detected
    return best, None


class Interpreter:
    """Turns a question into an :class:`Interpretation` (see the module doc)."""

    def __init__(self, store, gazetteer: Any = None, use_gazetteer: bool = True, names_ttl: float = 600.0):
        self.store = store
        self._gaz = gazetteer
        self._use_gaz = use_gazetteer
        self._ttl = names_ttl
        self._index: SpeakerIndex | None = None

    @property
    def speakers(self) -> SpeakerIndex:
        if self._index is None or time.monotonic() - self._index.loaded_at > self._ttl:
            self._index = SpeakerIndex(self.store, self._gaz, self._use_gaz)
        return self._index

    def interpret(self, question: str, today: dt.date | None = None) -> Interpretation:
        q = check_question(question)
        toks = tokenize(q)
        if not toks:
            raise QuestionError("the question has no words")
        lang, foreign = question_language(q, toks)
        lex = lexicon(lang)
        assert lex is not None
        it = Interpretation(question=q, language=lang, reference_date=today or dt.date.today(),
                            reference_explicit=today is not None)
        used: set[int] = set()
        if foreign:
            it.language = foreign
            it.notes.append(f"questions in '{foreign}' are not interpreted (supported: "
                            f"{', '.join(available_languages())}); names were matched and the whole "
                            "question was used as the topic")
            self._speaker_anywhere(it, toks, used, set())
            it.topic = " ".join(t.text for t in toks if t.i not in used)
            it.kind = "who" if not it.speakers else "what"
            return it

        # 1. time expressions (not inside a known multi-word name: "Jan Peter Balkenende")
        reserved = {j for a, b, _, how in self.speakers.match_names(toks, 0, len(toks), lang)
                    if how == "name" and b - a >= 2 for j in range(a, b)}
        taken = used | reserved
        it.time = parse_time(toks, lex, it.reference_date, taken)
        used |= taken - reserved
        # 2. kind and the question phrase
        qend = self._kind(it, toks, lex, used)
        # 3. speaker marker ("according to X", "nach Ansicht von X")
        slot = self._noun_of_slot(toks, lex, used, qend)
        topic_start = self._topic_start(toks, lex, used, slot[1] if slot else qend)
        if slot is None:
            slot = self._speaker_marker_slot(toks, lex, used)
        if slot is None:
            slot = self._subject_slot(toks, lex, used, qend, topic_start)
        # 4. speaker
        if it.kind != "who":
            self._speaker(it, toks, lex, used, slot, topic_start)
        # 5. topic: what is left
        for t in toks:
            if t.i in used:
                continue
            prev = toks[t.i - 1].low if t.i > 0 else ""
            if prev in NAME_ARTICLES or prev in lex.stopwords and prev in ("my", "his", "her", "their", "its", "our",
                                                                         "sein", "seine", "ihre", "ihren", "seinen"):
                continue  # "the talks", "die Rede": a noun, part of the topic
            if lex.is_stance_verb(t.text):
                continue  # "criticise", "gelobt": what was said, not that something was said
            if lex.is_speech_verb(t.text) or t.low in lex.aux or t.low in lex.statement_nouns:
                used.add(t.i)
        it.topic = _topic_text(q, toks, used, lex)
        if it.kind == "what" and not it.topic and it.speakers:
            it.kind = "timeline"
        return it

    # -- kind ------------------------------------------------------------------------------------
    def _kind(self, it: Interpretation, toks: list[Token], lex: Lexicon, used: set[int]) -> int:
        words = [t.low for t in toks]
        kind, kstart, end = "what", 0, 0
        for k in ("who", "when", "what", "did"):
            for p in lex.kinds[k]:
                n = len(p)
                # "And who said …", "So when did …", "Als Ausdruck wovon sah …"
                for start in range(0, min(3, len(words))):
                    if tuple(words[start:start + n]) == p:
                        if k == "did" and start > 0:
                            continue
                        kind, kstart, end = k, start, start + n
                        break
                if end:
                    break
            if end:
                break
        if kind == "what" and words and words[0] in lex.yesno_starts:
            kind, end = "did", 1
        if kind == "did" and words and words[0] not in lex.yesno_starts and not any(
                tuple(words[:len(p)]) == p for p in lex.kinds["did"]):
            kind = "what"
        it.kind = kind
        # words before the question phrase: a conjunction ("And who …", used) or, further in,
        # part of what is asked ("Als Ausdruck wovon …": "Ausdruck" stays in the topic)
        for i in range(0 if kstart <= 1 else kstart, end):
            used.add(i)
        # "What statements did …": statement nouns right after the question word
        j = end
        while j < len(toks) and (toks[j].low in lex.statement_nouns or toks[j].low in lex.timeline):
            used.add(j)
            j += 1
        return j

    # -- slots -------------------------------------------------------------------------------------
    def _topic_start(self, toks: list[Token], lex: Lexicon, used: set[int], qend: int) -> int | None:
        """Index of the first topic marker ("about", "über") after the question phrase."""
        words = [t.low for t in toks]
        found = []
        for i in range(qend, len(toks)):
            if i in used:
                continue
            for p in lex.topic_markers:
                if tuple(words[i:i + len(p)]) == p:
                    found.append(i)
                    break
        if not found:
            return None
        # "What did the head of the association say about …": a marker before the verb belongs to
        # the subject when another marker follows the verb
        verbs = [t.i for t in toks[qend:] if t.i not in used and lex.is_speech_verb(t.text)]
        if verbs and found[0] < verbs[0]:
            after = [i for i in found if i > verbs[0]]
            if after:
                return after[0]
        return found[0]

    def _noun_of_slot(self, toks: list[Token], lex: Lexicon, used: set[int], qend: int) -> tuple[int, int] | None:
        """"Aussagen von Scholz", "statements by Trump", "Äußerungen des Bundeskanzlers": the
        words after a statement noun and "von/by/des" name the speaker."""
        if qend == 0 or qend >= len(toks) or toks[qend - 1].low not in lex.statement_nouns:
            return None
        if toks[qend].low not in lex.speaker_after_noun:
            return None
        used.add(qend)
        start = end = qend + 1
        words = [t.low for t in toks]
        while end < len(toks) and end not in used and end - start < 6:
            if any(tuple(words[end:end + len(m)]) == m for m in lex.topic_markers):
                break
            end += 1
        return (start, end) if end > start else None

    def _speaker_marker_slot(self, toks: list[Token], lex: Lexicon, used: set[int]) -> tuple[int, int] | None:
        words = [t.low for t in toks]
        for i in range(len(toks)):
            for p in lex.speaker_markers:
                n = len(p)
                if tuple(words[i:i + n]) == p:
                    for j in range(i, i + n):
                        used.add(j)
                    end = i + n
                    while end < len(toks) and end not in used and not lex.is_speech_verb(toks[end].text) \
                            and not any(tuple(words[end:end + len(m)]) == m for m in lex.topic_markers[:0]):
                        end += 1
                        if end - (i + n) >= 5:
                            break
                    return (i + n, end)
        return None

    def _subject_slot(self, toks: list[Token], lex: Lexicon, used: set[int], qend: int,
                      topic_start: int | None) -> tuple[int, int] | None:
        """Where the subject of a "what did X say" question stands."""
        i = qend
        while i < len(toks) and i in used:
            i += 1
        if i < len(toks) and (toks[i].low in lex.aux or lex.is_speech_verb(toks[i].text)) and i > 0:
            used.add(i)
            i += 1
        elif (lex.verb_second and i == qend and qend > 0 and i < len(toks) - 1 and toks[i].text[:1].islower()
              and toks[i].low not in lex.stopwords and toks[i].low not in NAME_ARTICLES):
            i += 1  # "Wie begründete X …": any verb; it says what was said, so it stays in the topic
        elif i == qend and qend > 0 and toks[qend - 1].low in lex.aux | lex.yesno_starts:
            pass
        start = i
        end = start
        while end < len(toks):
            t = toks[end]
            after_possessive = end > start and re.search(r"['’]s?$", toks[end - 1].text) is not None
            if end in used or t.low in ("that", "dass", "ob", "whether"):
                break
            if (t.low in lex.aux or lex.is_speech_verb(t.text)) and not after_possessive:
                break
            if topic_start is not None and end >= topic_start:
                break
            if end > start and t.low in lex.subject_ends:
                break
            end += 1
            if end - start >= 8:
                break
        # "How much did X say …": lower-case words before the auxiliary belong to the question phrase
        if (end > start and end < len(toks) - 1 and toks[end].low in lex.aux and end not in used
                and all(t.text[:1].islower() for t in toks[start:end])):
            used.update(range(start, end + 1))
            return self._subject_slot(toks, lex, used, end + 1, topic_start)
        return (start, end) if end > start else None

    # -- speaker -------------------------------------------------------------------------------------
    def _speaker(self, it: Interpretation, toks: list[Token], lex: Lexicon, used: set[int],
                 slot: tuple[int, int] | None, topic_start: int | None) -> None:
        idx = self.speakers
        lo, hi = slot if slot else (0, topic_start if topic_start is not None else len(toks))
        free = [t for t in toks[lo:hi] if t.i not in used]
        if not free:
            return
        names = idx.match_names(toks, lo, hi, lex.lang)
        names = [m for m in names if not any(j in used for j in range(m[0], m[1]))]
        cased = any(t.text[:1].isupper() for t in toks)
        # a name is written with a capital: "minister" in "Spain's interior minister" is no name
        # even if some speaker is labelled "Minister"
        names = [m for m in names if not cased or any(toks[k].text[:1].isupper() for k in range(m[0], m[1]))]
        role = idx.match_roles(toks, lo, hi)
        if names and role:
            a, b, _, _ = ([m for m in names if m[3] == "name"] or names)[0]
            if role[1] - role[0] > b - a and role[0] <= a and b <= role[1]:
                names = []  # "the Kremlin spokesman" is a role, not the Kremlin
        if names:
            full = [m for m in names if m[3] == "name"] or names
            longest = max(full, key=lambda m: m[1] - m[0])  # "Minister Sathit Wongnongtoey": the full name
            full = [longest] + [m for m in full if m is not longest]
            a, b, iris, how = full[0]
            # "Macron and Merz", "Trump und Putin": coordinated names in the subject are all speakers
            if slot:
                for m in names[names.index(full[0]) + 1:]:
                    between = [t.low for t in toks[b:m[0]]]
                    if between and all(w in ("and", "und", "or", "oder", ",", "&", "sowie") for w in between):
                        iris = iris | m[2]
                        b = m[1]
            # "North Korea's state news agency": the name is a possessor, the speaker is the head
            if slot and _GENITIVE.search(toks[b - 1].text) and toks[b - 1].text[-1:] in "sS" and b < hi:
                rest = [t for t in toks[b:hi] if t.low not in lex.stopwords and not lex.is_speech_verb(t.text)]
                fz = idx.fuzzy([x for t in toks[a:hi] for x in t.atoms],
                               head=[x for t in rest for x in t.atoms]) if rest else set()
                if fz:
                    e = rest[-1].i + 1
                    self._use(it, toks, used, a, e, [SpeakerChoice(s, idx.label.get(s, s), "similar-name",
                                                                   _span(it.question, toks, a, e)) for s in sorted(fz)])
                    it.notes.append(f"{it.speaker_mention!r} was read as {', '.join(c.name for c in it.speakers)}")
                    return
            self._use(it, toks, used, a, b, [SpeakerChoice(s, idx.label.get(s, s), how, _span(it.question, toks, a, b))
                                             for s in sorted(iris)])
            if slot:  # an apposition before the name ("Verdi board member Uwe Foullong") says who, not what
                used.update(range(lo, a))
            return
        if role:
            a, b, spans = role
            choices = _role_choices(spans, idx, it.time, _span(it.question, toks, a, b))
            if choices:
                # take the determiner and adjectives in front of the role too ("der russische Präsident")
                while a > lo and (toks[a - 1].low in NAME_ARTICLES or toks[a - 1].text[:1].islower()) \
                        and toks[a - 1].i not in used and toks[a - 1].low not in lex.aux:
                    a -= 1
                self._use(it, toks, used, a, b, choices)
                return
            it.notes.append(f"nobody is known to have been {_span(it.question, toks, a, b)!r} at that time")
        # nothing known: is the slot a name (-> unknown speaker) or a description of a group?
        content = [t for t in free if t.low not in lex.stopwords and t.low not in NAME_ARTICLES
                   and not lex.is_speech_verb(t.text)]
        if not content:
            return
        if slot is None:
            return  # no subject position: unknown capitalised words are just topic words
        head = content[0]
        generic = head.low in lex.generic_speakers or _lemma(head.low, lex.lang) in lex.generic_speakers
        if generic:
            it.speaker_description = " ".join(t.text for t in content)
            used.add(head.i)  # "Politikern" says who, not what; the rest ("der Linkspartei") stays topic
            it.notes.append(f"{it.speaker_description!r} is a description, not a known speaker: "
                            "statements of all speakers were searched")
            return
        namelike = [t for t in content if t.capitalized or any(c.isupper() for c in t.text[1:])]
        if lex.lang == "de":  # German capitalises every noun: a name is a word the lexicon does not know
            namelike = [t for t in namelike if not _known_noun(t.text, lex.lang) or t.i == content[0].i]
        if not namelike:  # "the head of the bakers' association": a description, if articles used one like it
            self._by_description(it, toks, used, content[0].i, content[-1].i + 1)
            return
        fz = idx.fuzzy([a for t in content for a in t.atoms])
        if fz:
            a, b = content[0].i, content[-1].i + 1
            self._use(it, toks, used, a, b, [SpeakerChoice(s, idx.label.get(s, s), "similar-name",
                                                           _span(it.question, toks, a, b)) for s in sorted(fz)])
            it.notes.append(f"{it.speaker_mention!r} was read as {', '.join(c.name for c in it.speakers)}")
            return
        # as the articles wrote it: "Home Secretary" in "Home Secretary Suella Braverman",
        # "Labour" in "Labour's Shadow Home Secretary Yvette Cooper"
        words = [x for t in content for x in t.atoms]
        via_mention = idx.by_mention(tuple(words))
        if via_mention:
            a, b = content[0].i, content[-1].i + 1
            self._use(it, toks, used, a, b, [SpeakerChoice(s, idx.label.get(s, s), "mention",
                                                           _span(it.question, toks, a, b)) for s in sorted(via_mention)])
            it.notes.append(f"{it.speaker_mention!r} is how articles name {', '.join(c.name for c in it.speakers)}")
            return
        a, b = content[0].i, content[-1].i + 1  # the whole description: "Russian ambassador"
        mention = _span(it.question, toks, a, b)
        # verb-second: "Welche Sorge äußerte Uwe Foullong …": a full name right after the verb is the subject
        for m in idx.match_names(toks, 0, len(toks), lex.lang):
            ma, mb, iris, how = m
            if (how == "name" and mb - ma >= 2 and ma > 0 and not any(j in used for j in range(ma, mb))
                    and (toks[ma - 1].low in lex.aux or lex.is_speech_verb(toks[ma - 1].text))):
                self._use(it, toks, used, ma, mb, [SpeakerChoice(s, idx.label.get(s, s), how,
                                                                 _span(it.question, toks, ma, mb)) for s in sorted(iris)])
                return
        if self._by_description(it, toks, used, a, b):
            return
        b = _name_end(it.question, toks, a, b, lex.lang)
        mention = _span(it.question, toks, a, b)
        it.unknown_speaker = mention
        it.speaker_mention = mention
        it.suggestions = idx.suggest(mention) or idx.suggest(" ".join(t.text for t in namelike))
        for j in range(a, b):
            used.add(j)

    def _by_description(self, it: Interpretation, toks: list[Token], used: set[int], a: int, b: int) -> bool:
        """Speakers the articles described like tokens [a, b) ("Innenminister X" for "Spain's
        interior minister", kb.speaker_describe); the subject may end before the slot does
        ("France's interior minister justify …"), so shorter prefixes are tried too. Only a span
        with a common word is a description: a misspelt name ("Trumpp") stays unknown."""
        idx = self.speakers
        lex = lexicon(it.language)
        stop = lex.stopwords if lex else set()
        if not any(_descriptive(t, it.language) and t.low not in stop for t in toks[a:b]):
            return False
        if _has_full_name(toks, a, b, it.language):
            return False  # "physicist Sebastian Pflugbeil", "Hu Jia": a person the store does not know
        res, e = None, b
        while e - a >= 1:
            res = idx.describe(_span(it.question, toks, a, e))
            if res is not None or e - a <= 2 or _name_like(toks[e - 1], it.language):
                break  # the words cut are a rest ("… justify"), never the end of a name ("Sebastian Pflugbeil")
            e -= 1
        if res is None:
            return False
        mention = _span(it.question, toks, a, e)
        found = list(res.speakers)
        for s in res.speakers:  # the same person under their bare name ("Andres Granier, der Gouverneur …")
            label = idx.label.get(s, "")
            base = label.replace(res.phrases[s], "").strip(" ,") if res.phrases[s] in label else ""
            found += sorted(idx.full.get(name_atoms(base), set()) - set(found)) if len(name_atoms(base)) >= 2 else []
        self._use(it, toks, used, a, e, [SpeakerChoice(s, idx.label.get(s, s), "description", mention)
                                         for s in found])
        it.notes.append(f"{mention!r} was read as "
                        + "; ".join(f"{idx.label.get(s, s)} (\"{res.phrases[s]}\")" for s in res.speakers))
        return True

    def _speaker_anywhere(self, it: Interpretation, toks: list[Token], used: set[int], _: set[int]) -> None:
        idx = self.speakers
        names = idx.match_names(toks, 0, len(toks))
        if names:
            a, b, iris, how = names[0]
            self._use(it, toks, used, a, b, [SpeakerChoice(s, idx.label.get(s, s), how, _span(it.question, toks, a, b))
                                             for s in sorted(iris)])

    @staticmethod
    def _use(it: Interpretation, toks: list[Token], used: set[int], a: int, b: int,
             choices: list[SpeakerChoice]) -> None:
        it.speakers = choices
        it.speaker_mention = _span(it.question, toks, a, b)
        for j in range(a, b):
            used.add(j)


def _descriptive(tok: Token, lang: str) -> bool:
    """A common word rather than a name: written in lower case, or (German nouns are capitalised)
    a known word or compound ending in one ("GdP-Chef", "Bundesfamilienministerin")."""
    if tok.text[:1].islower():
        return len(tok.text) > 2
    if lang != "de":
        return False
    parts = re.split(r"[-‐‑]", tok.text)
    w = parts[-1]
    return any(_known_noun(w[i:].capitalize(), "de") for i in range(0, max(1, len(w) - 3)))


def _known_noun(word: str, lang: str) -> bool:
    try:
        import simplemma

        return bool(simplemma.is_known(word, lang=lang)) and word.lower() not in ()
    except Exception:  # noqa: BLE001
        return False


def _span(q: str, toks: list[Token], a: int, b: int) -> str:
    return q[toks[a].start:toks[b - 1].end]


def _role_choices(spans: list[_Role], idx: SpeakerIndex, tr: TimeRange | None, matched: str) -> list[SpeakerChoice]:
    """Holders of a role: those in office during the question's period, or all, each for their term."""
    out: dict[tuple[str, Any, Any], SpeakerChoice] = {}
    for r in spans:
        if tr is not None:
            lo, hi = tr.since, tr.until
            if r.end and lo and r.end <= lo:
                continue
            if r.start and hi and r.start > hi:
                continue
        key = (r.iri, r.start, r.end)
        out.setdefault(key, SpeakerChoice(r.iri, idx.label.get(r.iri, r.iri), "role", matched, r.start, r.end))
    # an open-ended span of the same person subsumes the same label learned without dates
    return list(out.values())


def _topic_text(q: str, toks: list[Token], used: set[int], lex: Lexicon) -> str:
    keep = [t for t in toks if t.i not in used]
    markers = {p[0] for p in lex.topic_markers if len(p) == 1}
    drop_edge = lex.stopwords | markers | {"that", "dass", "ob", "whether"}
    while keep and keep[0].low in drop_edge:
        keep.pop(0)
    while keep and keep[-1].low in drop_edge:
        keep.pop()
    # German separable particle left alone at the end ("… warf der Opposition vor"): keep, it is meaning
    if not keep:
        return ""
    if not any(t.low not in lex.stopwords for t in keep):
        return ""
    # keep the original surface between kept tokens when they are adjacent
    parts: list[str] = []
    prev: Token | None = None
    for t in keep:
        if prev is not None and t.i == prev.i + 1:
            parts.append(q[prev.end:t.start])
        elif prev is not None:
            parts.append(" ")
        parts.append(t.text)
        prev = t
    text = "".join(parts)
    return re.sub(r"\s+", " ", text.strip(" ,;:-„“\"'«»"))


# -------------------------------------------------------------------------------- time
def _month_range(y: int, m: int) -> tuple[dt.date, dt.date]:
    return dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1])


def _relative(code: str, ref: dt.date) -> tuple[dt.date, dt.date]:
    wk = ref - dt.timedelta(days=ref.weekday())
    if code == "today":
        return ref, ref
    if code == "yesterday":
        d = ref - dt.timedelta(days=1)
        return d, d
    if code == "day_before_yesterday":
        d = ref - dt.timedelta(days=2)
        return d, d
    if code == "this_week":
        return wk, ref
    if code == "last_week":
        return wk - dt.timedelta(days=7), wk - dt.timedelta(days=1)
    if code == "this_weekend":
        return wk + dt.timedelta(days=5), wk + dt.timedelta(days=6)
    if code == "last_weekend":
        sat = wk - dt.timedelta(days=2) if ref.weekday() < 5 else wk + dt.timedelta(days=5)
        return sat, sat + dt.timedelta(days=1)
    if code == "this_month":
        return ref.replace(day=1), ref
    if code == "last_month":
        first = ref.replace(day=1) - dt.timedelta(days=1)
        return _month_range(first.year, first.month)
    if code == "this_year":
        return dt.date(ref.year, 1, 1), ref
    if code == "last_year":
        return dt.date(ref.year - 1, 1, 1), dt.date(ref.year - 1, 12, 31)
    m = re.match(r"past_(\d+)_days", code)
    if m:
        return ref - dt.timedelta(days=int(m.group(1))), ref
    raise ValueError(code)


@dataclass
class _DateExpr:
    start: dt.date
    end: dt.date
    length: int
    relative: bool
    weekday: int | None = None
    month: int | None = None


def _date_at(toks: list[Token], i: int, lex: Lexicon, ref: dt.date, loose_month: bool) -> _DateExpr | None:
    """A date expression starting at token i."""
    words = [t.low.rstrip(".") for t in toks]
    n = len(toks)
    if i >= n:
        return None
    w = words[i]
    # relative phrases
    for p, code in lex.relative:
        if tuple(words[i:i + len(p)]) == p:
            s, e = _relative(code, ref)
            return _DateExpr(s, e, len(p), True)
    # ISO date
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", w)
    if m:
        try:
            d = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            return _DateExpr(d, d, 1, False)
        except ValueError:
            return None
    # weekday (optionally "last Monday")
    for p in lex.weekday_prefixes:
        if tuple(words[i:i + len(p)]) == p and i + len(p) < n and words[i + len(p)] in lex.weekdays:
            e = _date_at(toks, i + len(p), lex, ref, loose_month)
            if e:
                e.length += len(p)
                return e
    if w in lex.weekdays:
        back = (ref.weekday() - lex.weekdays[w]) % 7
        d = ref - dt.timedelta(days=back)
        return _DateExpr(d, d, 1, True, weekday=lex.weekdays[w])
    # day month [year]
    dm = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?", w)
    if dm and i + 1 < n:
        j = i + 1
        if words[j] == "of":
            j += 1
        if j < n and words[j] in lex.months:
            day, mon = int(dm.group(1)), lex.months[words[j]]
            year, ln, rel = None, j - i + 1, False
            if j + 1 < n and re.fullmatch(r"(19|20)\d\d", words[j + 1]):
                year, ln = int(words[j + 1]), ln + 1
            if year is None:
                year, rel = ref.year if (mon, day) <= (ref.month, ref.day) else ref.year - 1, True
            try:
                d = dt.date(year, mon, day)
            except ValueError:
                return None
            return _DateExpr(d, d, ln, rel)
    if w in lex.months:
        mon = lex.months[w]
        if w == "may" and not toks[i].capitalized:
            return None
        # month day[,] year
        if i + 1 < n and re.fullmatch(r"\d{1,2}(?:st|nd|rd|th)?", words[i + 1]):
            day = int(re.match(r"\d+", words[i + 1]).group(0))
            year, ln, rel = None, 2, False
            if i + 2 < n and re.fullmatch(r"(19|20)\d\d", words[i + 2]):
                year, ln = int(words[i + 2]), 3
            if year is None:
                year, rel = ref.year if (mon, day) <= (ref.month, ref.day) else ref.year - 1, True
            try:
                d = dt.date(year, mon, day)
                return _DateExpr(d, d, ln, rel)
            except ValueError:
                return None
        if i + 1 < n and re.fullmatch(r"(19|20)\d\d", words[i + 1]):
            s, e = _month_range(int(words[i + 1]), mon)
            return _DateExpr(s, e, 2, False)
        if loose_month or toks[i].capitalized and lex.lang == "en":
            year = ref.year if mon <= ref.month else ref.year - 1
            s, e = _month_range(year, mon)
            return _DateExpr(s, e, 1, True, month=mon)
        return None
    if re.fullmatch(r"(19|20)\d\d", w):
        if i > 0 and words[i - 1] in lex.determiners and i + 1 < n and toks[i + 1].text[:1].isalpha():
            return None  # "the 2007 transformer fire": the year names the event
        y = int(w)
        return _DateExpr(dt.date(y, 1, 1), dt.date(y, 12, 31), 1, False)
    return None


def _ago(toks: list[Token], i: int, lex: Lexicon, ref: dt.date) -> tuple[dt.date, int] | None:
    """"two weeks ago" / "vor zwei Wochen": (the day, tokens used) starting at i."""
    words = [t.low for t in toks]
    n = len(words)
    j = i
    before = False
    if j < n and words[j] in lex.ago_before:
        before, j = True, j + 1
    num = None
    if j < n and words[j].isdigit():
        num, j = int(words[j]), j + 1
    elif j < n and words[j] in lex.numbers:
        num, j = lex.numbers[words[j]], j + 1
        if j < n and words[j] in lex.numbers and words[j] not in lex.units:  # "a couple", "ein paar"
            num, j = lex.numbers[words[j]], j + 1
        if j < n and words[j] == "of":
            j += 1
    if num is None or j >= n or words[j] not in lex.units:
        return None
    days = num * lex.units[words[j]]
    j += 1
    if before:
        return ref - dt.timedelta(days=days), j - i
    if j < n and words[j] in lex.ago_after:
        return ref - dt.timedelta(days=days), j + 1 - i
    return None


def parse_time(toks: list[Token], lex: Lexicon, ref: dt.date, used: set[int]) -> TimeRange | None:
    """The first time expression in the question, as a date range (tokens marked used)."""
    words = [t.low for t in toks]
    n = len(toks)
    for i in range(n):
        if i in used:
            continue
        # "<n> <unit> ago" / "vor <n> <unit>": a span from that day up to the reference date
        ago = _ago(toks, i, lex, ref)
        if ago:
            d, ln = ago
            mod = None
            if i > 0 and words[i - 1] in ("since", "seit"):
                mod = i - 1
            for j in range(i if mod is None else mod, i + ln):
                used.add(j)
            expr = " ".join(t.text for t in toks[(mod if mod is not None else i):i + ln])
            lo = d - dt.timedelta(days=3) if mod is None else d
            return TimeRange(lo, ref, expr, relative=True)
        mod, mlen = None, 0
        for p, kind in lex.modifiers:
            if tuple(words[i:i + len(p)]) == p:
                mod, mlen = kind, len(p)
                break
        e = _date_at(toks, i + mlen, lex, ref, loose_month=mod is not None) if mod else None
        if e is None:
            mod, mlen = None, 0
            e = _date_at(toks, i, lex, ref, loose_month=False)
            if e is None:
                continue
        length = mlen + e.length
        since, until = e.start, e.end
        if mod == "since":
            since, until = e.start, None
        elif mod == "until":
            since, until = None, e.end
        elif mod == "before":
            since, until = None, e.start - dt.timedelta(days=1)
        elif mod == "after":
            since, until = e.end + dt.timedelta(days=1), None
        elif mod == "between":
            k = i + length
            if k < n and words[k] in lex.between_and:
                e2 = _date_at(toks, k + 1, lex, ref, loose_month=True)
                if e2:
                    since, until = min(e.start, e2.start), max(e.end, e2.end)
                    length = k + 1 + e2.length - i
        for j in range(i, i + length):
            used.add(j)
        expr = " ".join(t.text for t in toks[i:i + length])
        return TimeRange(since, until, expr, relative=e.relative, weekday=e.weekday, month=e.month)
    return None


__all__ = ["Interpreter", "Interpretation", "QuestionError", "SpeakerChoice", "TimeRange", "check_question",
           "parse_time", "lexicon", "tokenize", "asdict"]


def _strip_names(index: SpeakerIndex, lang: str, topic: str, cased: bool | None = None) -> str:
    toks = tokenize(topic)
    drop: set[int] = set()
    if cased is None:
        cased = any(t.text[:1].isupper() for t in toks)
    for a, b, _, _ in index.match_names(toks, 0, len(toks), lang):
        # names are written with a capital: a lower-case word that happens to be some speaker's
        # label ("asylum", from a misread mention) is the subject, not a name
        if not cased or any(toks[k].text[:1].isupper() for k in range(a, b)):
            drop |= set(range(a, b))
    if not drop:
        return topic
    lex = lexicon(lang)
    keep = [t for t in toks if t.i not in drop]
    # a preposition or conjunction left dangling at the end ("meeting with")
    while keep and lex is not None and keep[-1].low in lex.stopwords:
        keep.pop()
    return " ".join(t.text for t in keep)


def _interpreter_strip_names(self: Interpreter, topic: str, question: str | None = None) -> str:
    """The topic without speaker names. In a question written with capitals (``question``, else
    the topic itself) only capitalised words count as names."""
    toks = tokenize(topic)
    lang = "en"
    try:
        lang, _ = question_language(topic, toks)
    except Exception:  # noqa: BLE001
        pass
    cased = any(c.isupper() for c in question) if question is not None else None
    return _strip_names(self.speakers, lang, topic, cased)


Interpreter.strip_names = _interpreter_strip_names  # type: ignore[attr-defined]
