"""Inspect SPARQL text before running it on a public endpoint: query or update, which form, SERVICE?

A small lexer that follows the SPARQL 1.1 terminals that can hide keywords — comments, the four
string forms, IRI references, variables and prefixed names — so that a word inside a string,
comment or IRI is never taken for a keyword, and a keyword is never missed because it was
written in lower case. SPARQL lets ``\\uXXXX`` escapes stand anywhere in the text; the check runs
on the text as written *and* with those escapes decoded, and refuses if either reading is unsafe.

It is deliberately conservative: it may refuse an odd query that the parser would accept, but it
must never accept a query that updates or leaves the machine (``SERVICE``). The store's own parser
still rejects anything that is not a query, so an update missed here fails as a syntax error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"})
QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<lstring>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\")
  | (?P<string>'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
  | (?P<bnode>_:[\w\-.]*)
  | (?P<name>(?:[^\W\d][\w\-.]*)?:(?:[\w\-.:%]|\\.)*|[^\W\d][\w\-]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


@dataclass(frozen=True)
class QueryCheck:
    """What a SPARQL text is: ``update`` (any update keyword), its query ``form``, ``service`` use."""

    update: bool
    form: str | None
    service: bool
    unterminated: bool = False


def keywords(text: str) -> list[str]:
    """The bare words of a SPARQL text (keywords and function names), upper-cased, in order.

    An unterminated string, or a quote that cannot start a string, makes the rest one opaque
    token; :func:`inspect` treats that as suspicious only when keywords were hidden by it.
    """
    out: list[str] = []
    pos = 0
    n = len(text)
    while pos < n:
        m = _TOKEN.match(text, pos)
        if m is None:  # cannot happen (``other`` matches any char) but never loop forever
            pos += 1
            continue
        kind = m.lastgroup
        if kind == "name" and ":" not in m.group():
            out.append(m.group().upper())
        pos = m.end()
    return out


def _unescape(text: str) -> str:
    def rep(m: re.Match[str]) -> str:
        try:
            return chr(int(m.group(1) or m.group(2), 16))
        except (ValueError, OverflowError):
            return m.group()

    return _ESCAPE.sub(rep, text)


def _check(text: str) -> QueryCheck:
    words = keywords(text)
    update = any(w in UPDATE_KEYWORDS for w in words)
    service = "SERVICE" in words
    form = next((w for w in words if w in QUERY_FORMS), None)
    return QueryCheck(update=update, form=form, service=service)


def inspect(text: str) -> QueryCheck:
    """Classify ``text``: the unsafe reading wins when raw and escape-decoded readings differ."""
    raw = _check(text)
    if "\\u" not in text and "\\U" not in text:
        return raw
    dec = _check(_unescape(text))
    return QueryCheck(update=raw.update or dec.update, form=raw.form or dec.form,
                      service=raw.service or dec.service)
