"""The one Jinja2 environment of the web pages, with the filters that keep links safe.

Autoescape is on for ``.html``. Links to other hosts are printed only when they are http(s):
an article's url, a statement's source url or a speaker IRI given on input may hold any string,
and a ``javascript:`` or ``data:`` URL must never become a live link (``safe_url``).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from fastapi.templating import Jinja2Templates

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=str(HERE / "templates"))


def safe_url(url: object) -> str | None:
    """``url`` when it is an absolute http(s) URL with a host, else None (never a live link)."""
    if url is None:
        return None
    s = str(url).strip()
    try:
        parts = urlsplit(s)
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc and not any(c in s for c in "\r\n\t\x00"):
        return s
    return None


def local_href(iri: object, base: str) -> str:
    """A path on this server for an IRI under ``base``, the IRI itself when it is another
    http(s) URL, and ``#`` for anything else (so a ``javascript:`` IRI is never followed)."""
    s = str(iri)
    if s.startswith(base):
        return "/" + s[len(base):]
    return safe_url(s) or "#"


templates.env.filters["safe_url"] = safe_url
