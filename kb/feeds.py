"""RSS and Atom feeds (feedparser): the items' links, titles and dates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .model import InputError


@dataclass
class FeedItem:
    """One entry of a feed: the page to fetch, and what the feed says about it."""

    link: str
    title: str | None = None
    date: dt.date | None = None
    author: str | None = None


def looks_like_feed(content: bytes, content_type: str = "") -> bool:
    """Whether a response is a feed rather than a page (by media type, then by its root element)."""
    if any(t in content_type for t in ("rss", "atom", "rdf+xml")):
        return True
    head = content[:2000].lstrip().lower()
    if content_type in ("text/html", "application/xhtml+xml") or head.startswith((b"<!doctype html", b"<html")):
        return False
    return b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head


def parse_feed(content: bytes, where: str) -> list[FeedItem]:
    """The items of an RSS/Atom feed, in feed order; InputError if it is not a feed."""
    import feedparser

    parsed = feedparser.parse(content)
    if not parsed.get("version"):
        reason = parsed.get("bozo_exception")
        raise InputError(f"{where}: not an RSS or Atom feed" + (f" ({reason})" if reason else ""))
    items = []
    for e in parsed.entries:
        link = e.get("link")
        if not link:
            continue
        stamp = e.get("published_parsed") or e.get("updated_parsed")
        items.append(FeedItem(link=link, title=e.get("title") or None,
                              date=dt.date(*stamp[:3]) if stamp else None, author=e.get("author") or None))
    return items
