"""Text layer: paragraphs, sentences and tokens with character offsets; quotation marks.

Sentences and tokens come from SoMaJo (de_CMC / en_PTB) per paragraph; other languages use
a small regex splitter. Every offset indexes the original ``Article.text``.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache

import simplemma

_SOMAJO: dict[str, object] = {}
_LOCK = threading.Lock()

_SOMAJO_MODELS = {"de": "de_CMC", "en": "en_PTB"}


def somajo_for(lang: str):
    model = _SOMAJO_MODELS.get(lang)
    if model is None:
        return None
    with _LOCK:
        sm = _SOMAJO.get(model)
        if sm is None:
            from somajo import SoMaJo

            sm = SoMaJo(model, split_camel_case=False, character_offsets=True)
            _SOMAJO[model] = sm
    return sm


@dataclass
class Tok:
    s: int
    e: int
    text: str
    low: str
    i: int = 0  # index in sentence
    lemma: str = ""

    @property
    def cap(self) -> bool:
        return self.text[:1].isupper()

    @property
    def is_punct(self) -> bool:
        return not any(c.isalnum() for c in self.text)


@dataclass
class Sent:
    idx: int
    s: int
    e: int
    para: int
    toks: list[Tok] = field(default_factory=list)


@lru_cache(maxsize=200_000)
def lemma(word: str, lang: str) -> str:
    try:
        return simplemma.lemmatize(word, lang=lang).lower()
    except Exception:  # unknown language code, odd input
        return word.lower()


@lru_cache(maxsize=200_000)
def is_known(word: str, lang: str) -> bool:
    try:
        return simplemma.is_known(word, lang=lang)
    except Exception:
        return False


_REGEX_SENT = re.compile(r"[^.!?]+(?:[.!?]+[\"'»«“”)]*|$)")
_REGEX_TOK = re.compile(r"\w+(?:[-'’.]\w+)*|[^\w\s]")


def _regex_sentences(par: str):
    for m in _REGEX_SENT.finditer(par):
        toks = [(t.start() + m.start(), t.end() + m.start()) for t in _REGEX_TOK.finditer(m.group())]
        if toks:
            yield toks


def paragraphs(text: str) -> list[tuple[int, int]]:
    out = []
    pos = 0
    for line in text.split("\n"):
        s, e = pos, pos + len(line)
        pos = e + 1
        if line.strip():
            out.append((s, e))
    return out


def segment(text: str, lang: str, paras: list[tuple[int, int]] | None = None) -> list[Sent]:
    """Sentences (with tokens) of ``text``; offsets into ``text``. ``paras``: the text's
    :func:`paragraphs` when already computed."""
    sents: list[Sent] = []
    sm = somajo_for(lang)
    for pi, (ps, pe) in enumerate(paragraphs(text) if paras is None else paras):
        par = text[ps:pe]
        if sm is not None:
            try:
                raw = [[t.character_offset for t in sent] for sent in sm.tokenize_text([par])]
            except Exception:
                raw = list(_regex_sentences(par))
        else:
            raw = list(_regex_sentences(par))
        for offs in raw:
            toks = []
            for a, b in offs:
                a += ps
                b += ps
                if b <= a:
                    continue
                t = text[a:b]
                toks.append(Tok(a, b, t, t.lower(), len(toks)))
            if not toks:
                continue
            sents.append(Sent(len(sents), toks[0].s, toks[-1].e, pi, toks))
    return sents


# ---------------------------------------------------------------------- quotation marks

OPENERS = {
    "„": "“”\"",
    "»": "«",
    "«": "»",
    "“": "”“",
    "\"": "\"",
    "‚": "‘’'",
    "‹": "›",
    "›": "‹",
    "‘": "’",
    "”": "”",  # Swedish/Finnish style, rare
}
QUOTE_CHARS = set("„“”\"»«‚‘’‹›")
_INNER = set("‚‘’‹›'")


@dataclass
class QMark:
    o: int  # index of opening mark
    c: int  # index of closing mark
    nested: bool = False

    @property
    def cs(self) -> int:  # content start
        return self.o + 1

    @property
    def ce(self) -> int:
        return self.c


def _is_opening_position(text: str, i: int) -> bool:
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    return (prev.isspace() or prev in "([{–—-/:;,") and not nxt.isspace()


def _is_closing_position(text: str, i: int) -> bool:
    nxt = text[i + 1] if i + 1 < len(text) else " "
    return not nxt.isalnum()


def find_quotes(text: str, paras: list[tuple[int, int]] | None = None) -> list[QMark]:
    """Balanced quotation-mark pairs, outer quotes only; unbalanced marks are ignored.
    ``paras``: the text's :func:`paragraphs` when already computed."""
    out: list[QMark] = []
    for ps, pe in paragraphs(text) if paras is None else paras:
        i = ps
        state = None  # opener char
        start = -1
        while i < pe:
            ch = text[i]
            if ch not in QUOTE_CHARS:
                i += 1
                continue
            if state is None:
                if ch in ("‘", "‚", "‹", "›"):
                    # single marks open a top-level quote only at a word start and if closed
                    if _is_opening_position(text, i):
                        closer = OPENERS[ch]
                        j = i + 1
                        while j < pe:
                            if text[j] in closer and _is_closing_position(text, j) and j > i + 1:
                                break
                            j += 1
                        if j < pe and j - i < 400:
                            out.append(QMark(i, j))
                            i = j + 1
                            continue
                    i += 1
                    continue
                if ch in OPENERS:
                    if ch == "\"" and not _is_opening_position(text, i):
                        i += 1
                        continue
                    if ch in "”" and not _is_opening_position(text, i):
                        i += 1
                        continue
                    state, start = ch, i
                i += 1
                continue
            # inside a quote: look for the closer of the current state
            if ch in OPENERS[state] and ch not in _INNER:
                if ch == "\"" and not _is_closing_position(text, i) and i + 1 < pe and text[i + 1].isalnum():
                    # looks like a new opener: previous quote was unbalanced; restart here
                    state, start = ch, i
                    i += 1
                    continue
                if i > start + 1:
                    out.append(QMark(start, i))
                state, start = None, -1
            elif state == "“" and ch == "„":
                state, start = ch, i  # restart (unbalanced English quote)
            i += 1
    return out
