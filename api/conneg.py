"""HTTP content negotiation (RFC 9110 §12.5.1): Accept with q-values, wildcards, specificity.

A small parser rather than a dependency: it handles ``type/subtype;param=x;q=0.5`` lists,
``*/*`` and ``type/*``, quoted parameter values, malformed entries (skipped) and ``q=0``
(not acceptable). Among the offered types the one with the highest q wins; for equal q the
server's order of preference decides. The most specific matching range sets a type's q.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    params: tuple[tuple[str, str], ...]
    q: float

    @property
    def specificity(self) -> int:
        if self.type == "*":
            return 0
        if self.subtype == "*":
            return 1
        return 2 + len(self.params)

    def matches(self, media: str) -> bool:
        t, _, s = media.partition("/")
        if self.type != "*" and self.type != t:
            return False
        return self.subtype == "*" or self.subtype == s


def _split_params(text: str) -> list[str]:
    parts, cur, quoted = [], [], False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        if ch == ";" and not quoted:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return parts


def _split_ranges(header: str) -> list[str]:
    out, cur, quoted = [], [], False
    for ch in header:
        if ch == '"':
            quoted = not quoted
        if ch == "," and not quoted:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return out


def parse_accept(header: str | None) -> list[MediaRange]:
    """Parse an Accept header; an empty or missing header accepts everything."""
    if header is None or not header.strip():
        return [MediaRange("*", "*", (), 1.0)]
    ranges = []
    for item in _split_ranges(header):
        item = item.strip()
        if not item:
            continue
        bits = _split_params(item)
        mtype = bits[0].strip().lower()
        if mtype == "*":
            mtype = "*/*"
        t, slash, s = mtype.partition("/")
        if not slash or not t or not s or (t == "*" and s != "*"):
            continue
        q = 1.0
        params = []
        for p in bits[1:]:
            k, eq, v = p.strip().partition("=")
            k = k.strip().lower()
            v = v.strip().strip('"')
            if not eq:
                continue
            if k == "q":
                try:
                    q = float(v)
                except ValueError:
                    q = 0.0
                q = min(max(q, 0.0), 1.0)
                break  # accept-extensions after q are ignored
            params.append((k, v))
        ranges.append(MediaRange(t, s, tuple(params), q))
    return ranges


def quality(ranges: list[MediaRange], media: str) -> float:
    """The q the client gives ``media``: that of the most specific range matching it."""
    best: MediaRange | None = None
    for r in ranges:
        if r.matches(media) and (best is None or r.specificity > best.specificity):
            best = r
    return best.q if best else 0.0


def negotiate(header: str | None, offered: list[str]) -> str | None:
    """The offered media type the client prefers, or None when none is acceptable (406)."""
    ranges = parse_accept(header)
    best, best_q = None, 0.0
    for media in offered:  # server preference breaks ties (first offered wins)
        q = quality(ranges, media)
        if q > best_q:
            best, best_q = media, q
    return best


def prefers_html(header: str | None, others: list[str]) -> bool:
    """True when a browser asks: text/html is acceptable and not worse than any RDF type offered.

    A missing header or bare ``*/*`` is not a browser; those get data.
    """
    ranges = parse_accept(header)
    explicit = any(r.type == "text" and r.subtype == "html" for r in ranges)
    if not explicit:
        return False
    qh = quality(ranges, "text/html")
    return qh > 0 and all(qh >= quality(ranges, o) for o in others)
