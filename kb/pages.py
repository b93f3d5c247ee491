"""Articles from HTML pages: main text and metadata with trafilatura.

The stored article text is the extracted main text (offsets count in it); the HTML itself is
not stored, only its URL and the sha256 of the page as fetched or read (``schema:sha256``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .model import Article, InputError
from .sources import _checked, clean_text, parse_date

#: fewer characters of main text than this: "no article text" (a front page, an error page)
MIN_TEXT_CHARS = 80
_LANG = re.compile(rb"<html[^>]*\blang\s*=\s*[\"']?([A-Za-z]{2,3})", re.I)


@dataclass
class PageMeta:
    """What a feed says about an item, used where the page itself says nothing."""

    title: str | None = None
    date: dt.date | None = None
    author: str | None = None


def article_id_for_url(url: str) -> str:
    """A stable article id for a URL: the host and a hash of the whole URL."""
    host = (urlsplit(url).hostname or "page").removeprefix("www.")
    return f"{host}-{hashlib.sha1(url.encode('utf-8')).hexdigest()[:12]}"


def article_from_html(html: bytes | str, url: str | None = None, where: str | None = None,
                      meta: PageMeta | None = None, default_date: dt.date | None = None) -> Article:
    """An article from one HTML page (title, date, author, language, canonical URL, publisher).

    ``url`` is where the page came from (a file's pages may have none); the canonical URL the
    page declares wins. InputError when the page has no article text or no date.
    """
    import trafilatura

    where = where or url or "page"
    raw = html.encode("utf-8") if isinstance(html, str) else html
    digest = hashlib.sha256(raw).hexdigest()
    doc = trafilatura.bare_extraction(raw, url=url, with_metadata=True, include_comments=False,
                                      include_tables=False, favor_recall=True)
    text = (doc.text or "").strip() if doc is not None else ""
    if len(text) < MIN_TEXT_CHARS:
        raise InputError(f"{where}: no article text found in the page")
    meta = meta or PageMeta()
    date = _date(doc.date, where) or meta.date or default_date
    if date is None:
        raise InputError(f"{where}: the page gives no publication date (pass --date YYYY-MM-DD)")
    canonical = doc.url or url
    language = doc.language or _html_lang(raw)
    art = Article(id=article_id_for_url(canonical) if canonical else Path(where).stem,
                  text=clean_text(text), date=date, language=language,
                  title=doc.title or meta.title, url=canonical, publisher=doc.sitename or doc.hostname or None,
                  author=doc.author or meta.author, page_digest=digest)
    return _checked(art, where)


def article_from_html_file(path: Path, default_date: dt.date | None = None) -> Article:
    """An article from a saved HTML page."""
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror})") from e
    return article_from_html(raw, None, str(path), default_date=default_date)


def _date(value: str | None, where: str) -> dt.date | None:
    if not value:
        return None
    try:
        return parse_date(value, f"{where}: date")
    except InputError:
        return None


def _html_lang(raw: bytes) -> str | None:
    m = _LANG.search(raw[:5000])
    return m.group(1).decode("ascii").lower() if m else None
