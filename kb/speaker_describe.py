"""A question's speaker given by description ("Spain's interior minister", "der GdP-Chef"),
resolved the way the articles described their speakers.

Every phrase with which an article introduced a speaker (``q:speakerMention``, e.g.
"Innenminister Alfredo Pérez Rubalcaba", "Der Sprecher des Welternährungsprogramms, Tomson
Phiri") and every label longer than a name ("Andres Granier, der Gouverneur von Tabasco") is a
*description* of that speaker once the speaker's own name is taken out ("Innenminister", "Der
Sprecher des Welternährungsprogramms"). A description in a question is compared with them in two
ways, and the two rankings are fused by reciprocal rank (no score constants to weigh them):

* the multilingual sentence encoder (kb.vectors, cross-lingual: "interior minister" ~
  "Innenminister"),
* word overlap of folded words, compounds included ("Familienministerin" in
  "Bundesfamilienministerin", "GdP" in "GdP-Vorsitzende").

The few best speakers become the question's candidates (the topic then decides among them).
A description nothing resembles — judged against a null model of unrelated descriptions
(``kb/ask_data/probe_speakers.txt``) scored on the same phrases — resolves to nobody, and the
question stays "unknown speaker" as before.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .extract.speakers import NAME_ARTICLES, fold

PROBES_FILE = Path(__file__).parent / "ask_data" / "probe_speakers.txt"
#: reciprocal rank fusion constant (Cormack et al. 2009)
RRF_K = 60
#: at most this many speakers are taken for one description
MAX_SPEAKERS = 3
#: the best phrase must beat the unrelated descriptions' typical best by this share of the
#: distance between that background and a perfect match (1.0)
MARGIN_SHARE = 0.25

_WORD = re.compile(r"\w+", re.UNICODE)
_PRONOUNS = {"er", "sie", "es", "he", "she", "it", "they", "we", "i", "ich", "wir", "man"}

MENTIONS = """
SELECT DISTINCT ?speaker ?sm WHERE { ?m q:speakerMention ?sm ; q:mentionOf ?c . ?c q:speaker ?speaker }"""


def _words(text: str) -> list[str]:
    return [fold(w) for w in _WORD.findall(text)]


def strip_name(phrase: str, names: list[str]) -> str:
    """``phrase`` without the speaker's name at its start or end ("Innenminister Alfredo Pérez
    Rubalcaba" -> "Innenminister", "Andres Granier, der Gouverneur von Tabasco" -> "der Gouverneur
    von Tabasco"); at least one word stays (a label such as "Autoren der Studie" is its own
    description)."""
    drop = {w for n in names for w in _words(n.replace("’", "'")) if len(w) > 1}
    toks = [t for t in re.split(r"\s+", phrase.replace("’", "'").strip()) if t]

    def is_name(t: str) -> bool:
        ws = _words(t)
        return bool(ws) and all(w in drop for w in ws) and t[:1].isupper()

    while len(toks) > 1 and is_name(toks[-1]):
        toks.pop()
    while len(toks) > 1 and is_name(toks[0]):
        toks.pop(0)
    return " ".join(toks).strip(" ,")


def _content(words: list[str]) -> list[str]:
    return [w for w in words if len(w) > 2 and w not in NAME_ARTICLES and w not in _PRONOUNS]


def word_overlap(query: list[str], phrase: list[str]) -> float:
    """Share of the query's content words found in the phrase (a word inside a compound counts)."""
    q = _content(query)
    if not q:
        return 0.0
    p = _content(phrase)
    hit = 0
    for w in q:
        if any(w == x or (len(w) >= 4 and len(x) > len(w) and (w in x)) or (len(x) >= 5 and x in w) for x in p):
            hit += 1
    return hit / len(q)


def _pure_names(names: list[str]) -> list[str]:
    """The name part of labels: "Andres Granier, der Gouverneur von Tabasco" -> "Andres Granier";
    a label with lower-case words and no comma ("Autoren der Studie") is no name."""
    out = []
    for n in names:
        n = n.split(",", 1)[0].strip()
        if n and not any(w[:1].islower() for w in n.split()):
            out.append(n)
    return out


@dataclass
class Resolution:
    """The speakers a description resolved to, best first, with the evidence."""

    speakers: list[str]
    phrases: dict[str, str]   # speaker -> the article's description that matched best
    best: float
    background: float


class SpeakerDescriptions:
    """The store's speakers as the articles described them (loaded and embedded on first use)."""

    def __init__(self, store: Any, labels: dict[str, str], names: dict[str, list[str]]):
        self.store = store
        self.labels = labels
        self._names = names
        self._lock = threading.Lock()
        self._phrases: list[tuple[str, str]] | None = None  # (speaker, description)
        self._vecs = None
        self._bg: float | None = None

    def _load(self) -> None:
        with self._lock:
            if self._phrases is not None:
                return
            seen: set[tuple[str, str]] = set()
            found: list[tuple[str, str]] = []

            def add(s: str, text: str) -> None:
                d = strip_name(text, _pure_names(self._names.get(s, []) + [self.labels.get(s, "")]))
                if _content(_words(d)) and (s, fold(d)) not in seen:
                    seen.add((s, fold(d)))
                    found.append((s, d))

            for r in self.store.select(MENTIONS):
                add(str(r["speaker"]), str(r["sm"]))
            for s, label in self.labels.items():
                add(s, label)
            self._phrases = found
            if found:
                from .vectors import encode

                self._vecs = encode([d for _, d in found])
                probes = [ln.strip() for ln in PROBES_FILE.read_text(encoding="utf-8").splitlines()
                          if ln.strip() and not ln.startswith("#")]
                pv = encode(probes)
                self._bg = float((pv @ self._vecs.T).max(axis=1).mean())

    def resolve(self, description: str, exclude_words: set[str] = frozenset()) -> Resolution | None:
        """The speakers ``description`` most likely means, or None when it resembles nothing."""
        self._load()
        if not self._phrases or self._vecs is None:
            return None
        from .vectors import encode

        qv = encode(description)
        sims = self._vecs @ qv
        qwords = [w for w in _words(description) if w not in exclude_words]
        lex = [word_overlap(qwords, _words(d)) for _, d in self._phrases]
        by_sim = sorted(range(len(sims)), key=lambda i: -float(sims[i]))
        by_lex = sorted((i for i in range(len(lex)) if lex[i] > 0), key=lambda i: -lex[i])
        fused: dict[int, float] = {}
        for rank, i in enumerate(by_sim):
            fused[i] = fused.get(i, 0.0) + 1.0 / (RRF_K + rank + 1)
        for rank, i in enumerate(by_lex):
            fused[i] = fused.get(i, 0.0) + 1.0 / (RRF_K + rank + 1)
        bg = self._bg or 0.0
        floor = bg + MARGIN_SHARE * (1.0 - bg)
        out: list[str] = []
        phrase: dict[str, str] = {}
        best = float(sims[by_sim[0]])
        for i in sorted(fused, key=lambda i: -fused[i]):
            s, d = self._phrases[i]
            # evidence: the encoder finds it close, or most of the description's words are there
            if float(sims[i]) < floor and lex[i] < 0.5:
                continue
            if s not in phrase:
                phrase[s] = d
                out.append(s)
            if len(out) >= MAX_SPEAKERS:
                break
        if not out:
            return None
        return Resolution(out, phrase, round(best, 3), round(bg, 3))
