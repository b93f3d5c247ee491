"""A German–English word lexicon for ``quoth ask``: topic words matched across languages.

Reads the Ding dictionary (Frank Richter, TU Chemnitz; Debian package ``trans-de-en``,
``/usr/share/trans/de-en``, GPL 2+). Its lines are ``German :: English``; each side holds
parallel sub-entries separated by `` | `` and synonyms separated by ``; ``, with annotations in
``{}``, ``[]``, ``()``, ``<>`` and ``/…/``::

    Treffen {n}; Zusammentreffen {n}; Begegnung {f} | Treffen {pl}; … :: meeting | meetings | …

Single German words are kept ("sich treffen" → "treffen"; phrases and example sentences are
dropped) with English words or phrases of up to three words ("to meet sb." → "meet", "air traffic
controller"), paired within the same sub-entry; not the participles of verb lines, senses marked
colloquial, rare, dated or regional, nor prepositions, conjunctions, pronouns and articles. The
pairs are indexed once into an SQLite file (≈ 50 MB) in the user's cache directory (``QUOTH_CACHE_DIR``, else
``$XDG_CACHE_HOME/quoth`` or ``~/.cache/quoth``), keyed by the source file's size and mtime, so a
process pays a few milliseconds to open it instead of parsing 25 MB; an unwritable cache
directory gets an in-memory index. No dictionary file (``QUOTH_LEXICON`` unset and the package
not installed) → ``load()`` returns None and ``quoth ask`` matches words within one language
only, as before.

The dictionary does not say which sense is common ("second" → Sekunde, zweite, Sekundant,
abordnen, unterstützen …, in alphabetical order of the German). ``Translator`` keeps the
translations that the multilingual sentence encoder puts close to the word itself (cosine ≥
``TRANSLATION_MIN``, at most ``MAX_TRANSLATIONS``): "second" → zweite, zweites, zweiter,
Sekunde, sekundieren; "meeting" → Meeting, Treffen, Versammlung, Besprechung, … .
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from .extract.speakers import fold

#: where Debian's trans-de-en puts the dictionary
DEFAULT_PATHS = (Path("/usr/share/trans/de-en"),)
#: dictionary translations compared by the encoder per word (main senses first)
MAX_CANDIDATES = 16
#: a translation is used when the encoder puts it this close to the word (cosine), …
TRANSLATION_MIN = 0.5
#: … at most this many per word (the closest)
MAX_TRANSLATIONS = 8
#: English synonyms of up to this many words are indexed (German ones are single words)
MAX_PHRASE = 3
#: bump when the parsing changes (old cache files are then rebuilt)
INDEX_VERSION = 3

_NOTES = re.compile(r"\{[^{}]*\}|\([^()]*\)|<[^<>]*>")
#: abbreviations: "/Gov.; Govt./", "/FYI/"
_SLASHED = re.compile(r"(?<!\S)/[^/]+/(?=[\s;|]|$)")
#: word classes that are no evidence of a topic ("after" → nachdem {conj}, hinter {prp})
_FUNCTION = re.compile(r"\{(?:prp|conj|pron|art|interj|relativ)[^}]*\}")
#: usage and subject marks ("[pol.]", "[coll.]"): read for register, then dropped
_MARKS = re.compile(r"\[[^\[\]]*\]")
#: placeholders for objects and reflexives, dropped from a synonym before counting its words
_FILLERS = {"sb", "sth", "sb's", "sth's", "one's", "oneself", "to", "a", "an", "the",
            "jdn", "jdm", "jds", "etw", "sich", "der", "die", "das", "ein", "eine", "einen"}
#: register marks of senses a news text rarely means (colloquial, rare, dated, regional …)
_RARE = re.compile(r"\[(?:coll|ugs|slang|vulg|rare|selten|archaic|veraltet|obs|dated|poet|humor|pej"
                   r"|Schw|Ös|Sc|Austr|NZ|Irl)\.?\]")
#: a verb line: its further sub-entries are participles ("erfüllend | erfüllt :: meeting | met")
_VERB = re.compile(r"\{v[tir]?\b")
_WORD = re.compile(r"^[^\W\d_]+(?:-[^\W\d_]+)*$", re.UNICODE)


def _words(synonym: str, max_words: int = 1) -> str | None:
    """The content words of a synonym (at most ``max_words``, else None): "to meet sb." → "meet",
    "air traffic controller" → itself with ``max_words=3``."""
    s = synonym.replace("…", " ").replace("...", " ")
    toks = [t.strip(".,!?\"'’“”„") for t in s.split()]
    toks = [t for t in toks if t and t.lower().rstrip(".") not in _FILLERS]
    if not 1 <= len(toks) <= max_words or not all(_WORD.match(t) for t in toks) or len(toks[0]) < 2:
        return None
    return " ".join(toks)


def _synonyms(side: str, max_words: int = 1) -> list[str]:
    out = []
    for syn in _SLASHED.sub(" ", side).split(";"):  # "/…/" may hold ";": "government /Gov.; Govt./"
        if _RARE.search(syn) or _FUNCTION.search(syn):
            continue
        w = _words(_MARKS.sub(" ", _NOTES.sub(" ", syn)), max_words)
        if w and w not in out:
            out.append(w)
    return out


def parse_line(line: str) -> list[tuple[str, str]]:
    """The (German word, English word or phrase) pairs of one Ding line, sub-entry by sub-entry:
    English phrases of up to MAX_PHRASE words are kept, for German compounds ("Fluglotse" ::
    "air traffic controller")."""
    line = line.strip()
    if not line or line.startswith("#") or " :: " not in line:
        return []
    de, en = line.split(" :: ", 1)
    de_parts, en_parts = de.split(" | "), en.split(" | ")
    if len(de_parts) != len(en_parts) or _VERB.search(de_parts[0]):
        # misaligned, or a verb's participles: only the headword sub-entry
        de_parts, en_parts = de_parts[:1], en_parts[:1]
    pairs = []
    for d, e in zip(de_parts, en_parts):
        for dw in _synonyms(d):
            for ew in _synonyms(e, MAX_PHRASE):
                pairs.append((dw, ew))
    return pairs


def parse(lines: Iterable[str]) -> Iterator[tuple[str, str, int]]:
    """(German, English, number of lines pairing them) over a whole dictionary, in first-seen order."""
    count: dict[tuple[str, str], int] = defaultdict(int)
    for line in lines:
        for d, e in parse_line(line):
            count[(d, e)] += 1
    for (d, e), n in count.items():
        yield d, e, n


def _key(word: str) -> str:
    return fold(word)


class BilingualLexicon:
    """Word translations German ↔ English from an indexed Ding file (see the module docstring)."""

    def __init__(self, db: sqlite3.Connection, source: Path):
        self._db = db
        self.source = source
        self._lock = threading.Lock()  # one connection, shared by the API's threads

    @classmethod
    def build(cls, source: Path, target: str | Path = ":memory:") -> BilingualLexicon:
        """Parse ``source`` into an SQLite index at ``target`` (a file is written atomically)."""
        tmp = None if str(target) == ":memory:" else Path(str(target) + f".tmp{os.getpid()}")
        db = sqlite3.connect(str(tmp or target), check_same_thread=False)
        db.execute("CREATE TABLE pair (src TEXT, lang TEXT, dst TEXT, n INTEGER, ord INTEGER)")
        def rows() -> Iterator[tuple[str, str, str, int, int]]:
            with open(source, encoding="utf-8", errors="replace") as f:
                for i, (d, e, n) in enumerate(parse(f)):
                    yield _key(e), "en", d, n, i
                    if " " not in e:  # a German word is not translated by the words of a phrase
                        yield _key(d), "de", e, n, i

        db.executemany("INSERT INTO pair VALUES (?, ?, ?, ?, ?)", rows())
        db.execute("CREATE INDEX pair_src ON pair (lang, src)")
        db.commit()
        if tmp is None:
            return cls(db, source)
        db.close()
        os.replace(tmp, target)
        return cls(sqlite3.connect(f"file:{target}?mode=ro", uri=True, check_same_thread=False), source)

    def translations(self, word: str, lang: str, limit: int = MAX_CANDIDATES) -> list[str]:
        """Translations of ``word`` (a word in ``lang``, "en" or "de") into the other language,
        the most often paired first, then main senses: a translation whose own translations
        start with ``word`` ("zweite" → second) before one where it is a late sense
        ("unterstützen" → support, back, …, second), then dictionary order."""
        key = _key(word)
        back = "de" if lang == "en" else "en"
        with self._lock:
            rows = self._db.execute(
                "SELECT dst, SUM(n) AS c, MIN(ord) AS o FROM pair WHERE lang = ? AND src = ? "
                "GROUP BY dst", (lang, key)).fetchall()
            ranked = []
            for dst, c, o in rows:
                rev = [_key(r[0]) for r in self._db.execute(
                    "SELECT dst FROM pair WHERE lang = ? AND src = ? GROUP BY dst ORDER BY MIN(ord)",
                    (back, _key(dst))).fetchall()]
                ranked.append((-c, rev.index(key) if key in rev else len(rev), o, dst))
        return [r[-1] for r in sorted(ranked)[:limit]]


class Translator:
    """Word translations filtered by a multilingual encoder (``encode``: list of texts → an
    (n, d) array of L2-normalised rows). The choice per word is cached in memory and, when
    ``store`` is given (``chosen_path()``), in a small SQLite file shared by later processes:
    encoding the candidates is the costly part (~5–15 ms a word on 2 busy cores)."""

    def __init__(self, lexicon: BilingualLexicon, encode: Callable[[list[str]], Any],
                 min_cosine: float = TRANSLATION_MIN, limit: int = MAX_TRANSLATIONS,
                 store: Path | None = None):
        self.lexicon = lexicon
        self.encode = encode
        self.min_cosine = min_cosine
        self.limit = limit
        self._cache: dict[tuple[str, str], tuple[str, ...]] = {}
        self._db: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        if store is not None:
            try:
                store.parent.mkdir(parents=True, exist_ok=True)
                self._db = sqlite3.connect(str(store), timeout=2, check_same_thread=False)
                self._db.execute("CREATE TABLE IF NOT EXISTS chosen (word TEXT, lang TEXT, setting TEXT, "
                                 "words TEXT, PRIMARY KEY (word, lang, setting))")
            except (OSError, sqlite3.Error):
                self._db = None
        self._setting = f"{min_cosine}:{limit}:{MAX_CANDIDATES}"

    def _stored(self, key: tuple[str, str]) -> tuple[str, ...] | None:
        if self._db is None:
            return None
        try:
            with self._lock:
                row = self._db.execute("SELECT words FROM chosen WHERE word = ? AND lang = ? AND setting = ?",
                                       (*key, self._setting)).fetchone()
        except sqlite3.Error:
            return None
        return tuple(w for w in row[0].split("\t") if w) if row else None

    def _store(self, key: tuple[str, str], words: tuple[str, ...]) -> None:
        if self._db is None:
            return
        try:
            with self._lock:
                self._db.execute("INSERT OR REPLACE INTO chosen VALUES (?, ?, ?, ?)",
                                 (*key, self._setting, "\t".join(words)))
                self._db.commit()
        except sqlite3.Error:  # a busy or read-only cache: keep the choice in memory only
            pass

    def prepare(self, words: Iterable[str], lang: str) -> None:
        """Choose the translations of several words with one encoder call (a call costs more
        than its strings: one batch for a whole topic is ~3× faster than one per word)."""
        todo: dict[str, list[str]] = {}
        for word in dict.fromkeys(words):
            key = (fold(word), lang)
            if key in self._cache:
                continue
            got = self._stored(key)
            if got is not None:
                self._remember(key, got)
                continue
            todo[word] = [c for c in self.lexicon.translations(word, lang) if fold(c) != key[0]]
        texts = list(dict.fromkeys([*todo, *(c for cs in todo.values() for c in cs)]))
        vec = dict(zip(texts, self.encode(texts))) if any(todo.values()) else {}
        for word, cands in todo.items():
            best = sorted(((float(vec[c] @ vec[word]), c) for c in cands), key=lambda x: -x[0])
            out = tuple(c for s, c in best if s >= self.min_cosine)[: self.limit]
            self._store((fold(word), lang), out)
            self._remember((fold(word), lang), out)

    def _remember(self, key: tuple[str, str], words: tuple[str, ...]) -> None:
        if len(self._cache) > 20_000:
            self._cache.clear()
        self._cache[key] = words

    def __call__(self, word: str, lang: str) -> tuple[str, ...]:
        """The translations of ``word`` (in ``lang``) that the encoder puts near it, closest first."""
        key = (fold(word), lang)
        if key not in self._cache:
            self.prepare([word], lang)
        return self._cache[key]


def chosen_path(lexicon: BilingualLexicon) -> Path:
    """The file that keeps the Translator's choices for ``lexicon`` (beside its index)."""
    st = lexicon.source.stat()
    name = f"translations-v{INDEX_VERSION}-{fold(lexicon.source.name)}-{st.st_size}-{int(st.st_mtime)}.sqlite"
    return cache_dir() / name


def cache_dir() -> Path:
    """Where the lexicon index is kept (``QUOTH_CACHE_DIR``, XDG cache, ``~/.cache/quoth``)."""
    if os.environ.get("QUOTH_CACHE_DIR"):
        return Path(os.environ["QUOTH_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "quoth"


def source_path() -> Path | None:
    """The dictionary file: ``QUOTH_LEXICON`` (empty or "none" disables), else the Debian path."""
    env = os.environ.get("QUOTH_LEXICON")
    if env is not None:
        return Path(env) if env.strip() and env.strip().lower() != "none" and Path(env).is_file() else None
    return next((p for p in DEFAULT_PATHS if p.is_file()), None)


_loaded: dict[tuple[str, int, int], BilingualLexicon] = {}
_load_lock = threading.Lock()


def load() -> BilingualLexicon | None:
    """The lexicon of ``source_path()``, indexed on first use and cached; None without a file."""
    src = source_path()
    if src is None:
        return None
    st = src.stat()
    key = (str(src.resolve()), st.st_size, int(st.st_mtime))
    with _load_lock:
        if key in _loaded:
            return _loaded[key]
        name = f"lexicon-v{INDEX_VERSION}-{fold(src.name)}-{st.st_size}-{int(st.st_mtime)}.sqlite"
        path = cache_dir() / name
        lex = None
        if path.is_file():
            try:
                lex = BilingualLexicon(sqlite3.connect(f"file:{path}?mode=ro", uri=True,
                                                       check_same_thread=False), src)
                lex.translations("test", "en")
            except sqlite3.Error:
                lex = None
        if lex is None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                lex = BilingualLexicon.build(src, path)
            except OSError:  # read-only home: keep the index in memory for this process
                lex = BilingualLexicon.build(src)
        _loaded.clear()
        _loaded[key] = lex
        return lex
