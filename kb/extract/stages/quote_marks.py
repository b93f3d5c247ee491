"""What a quotation-mark pair holds: a full quote, a quoted fragment, or a quoted name/title."""

from __future__ import annotations

import bisect
import re

from ..document import Document
from ..text import QMark, is_known

QUOTE_CHARS = set("„“”\"»«‚‘’‹›'")
_TITLE_SMALL = {"of", "for", "the", "and", "du", "de", "la", "le", "des", "der", "die", "das", "und", "in", "on",
                "a", "an", "to", "is", "it", "am", "im", "von"}


def is_full(doc: Document, m: QMark) -> bool:
    """Does the pair hold a sentence-like quote (not a fragment inside a clause)?"""
    text = doc.text
    content = text[m.cs:m.ce].strip()
    words = content.split()
    if not words:
        return False
    s = doc.sents[doc.sent_of(m.o)]
    pre = text[s.s:m.o].strip()
    if re.search(r"[.!?…]\s*$", pre):
        pre = ""  # the tokenizer glued the opening mark to the previous sentence
    e_s = doc.sents[doc.sent_of(m.c)]
    post = text[m.c + 1:e_s.e].strip()
    terminal = content[-1] in ".!?…"
    left_ok = pre == "" or pre.endswith(":") or pre[-1:] in QUOTE_CHARS or pre.endswith(",") and len(words) >= 4
    right_ok = post == "" or post[0] in ",.!?;:(–—-" or post[0] in QUOTE_CHARS
    if left_ok and right_ok and (len(words) >= 3 or terminal):
        return True
    if pre == "" and post.startswith(",") and len(words) >= 2:
        return True
    if len(words) >= 6 and terminal:
        return True
    return False


def title_like(words: list[str]) -> bool:
    """Titles and names in quotation marks ("Institute for Contemporary Art", a URL)."""
    if len(words) == 1 and ("." in words[0].strip(".") or "/" in words[0]):
        return True
    caps = [w for w in words if w.strip("„“”\"»«‚‘’‹›'()").lower() not in _TITLE_SMALL]
    return bool(caps) and all(w[:1].isupper() or not w[:1].isalpha() for w in caps) and len(words) >= 2


def title_mark(doc: Document, pos: int) -> bool:
    """Is the quotation mark at ``pos`` part of a short quoted name inside the clause
    (a title, a newspaper: „Bild“-Zeitung, „heise online“), not a quote?"""
    k = bisect.bisect_right(doc.mark_starts, pos) - 1
    if k < 0:
        return False
    m = doc.marks[k]
    if pos not in (m.o, m.c):
        return False
    inner = doc.text[m.cs:m.ce]
    words = inner.split()
    return 0 < len(words) <= 4 and not is_full(doc, m) and not any(c in inner for c in ",.:;!?")


def quoted_name(doc: Document, m: QMark) -> bool:
    """A name or title in quotation marks, not a quoted fragment: several capitalised words
    ("Grupo Planeta"), or one word that is a name: unknown to the lexicon and short, with
    digits, an acronym, after a head noun ("Nachrichtenagentur „Interfax“") or "kurz"."""
    text = doc.text
    words = text[m.cs:m.ce].split()
    if not words or (title_like(words) and words[0][:1].isupper()):
        return True
    if len(words) > 1:
        return False
    w = words[0].strip(".,;:!?()")
    if not w or not w[:1].isupper():
        return False
    if any(c.isdigit() for c in w) or (w.isupper() and len(w) >= 2):
        return True
    if "-" not in w and len(w) <= 10 and not is_known(w, doc.rules.code):
        return True
    prev = re.findall(r"[\w:]+", text[max(0, m.o - 40):m.o])
    if prev and prev[-1].lower() in doc.rules.words["name_introducers"]:
        return True
    if prev and prev[-1][:1].isupper() and prev[-1].lower() not in doc.rules.p.determiners and not re.search(r"[.!?:]\s*$", text[max(0, m.o - 3):m.o]):
        return True  # apposition to a head noun: die Raumfähre „Discovery“
    return False
