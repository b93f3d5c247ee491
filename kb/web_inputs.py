"""Inputs from the web: URLs of pages or feeds, saved HTML pages and saved feeds.

:class:`WebReader` turns each input into articles (or :class:`~kb.model.InputError`s, one per
failed item, so that the rest of a batch goes on). A feed's items are fetched one by one; an
item whose URL is already stored is skipped (counted in ``skipped``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

from .feeds import FeedItem, looks_like_feed, parse_feed
from .fetch import Fetcher
from .model import Article, InputError
from .pages import PageMeta, article_from_html, article_from_html_file

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
FEED_SUFFIXES = (".rss", ".atom", ".xml")


def is_url(arg: str) -> bool:
    """An http(s) URL rather than a file name."""
    return arg.startswith(("http://", "https://"))


def is_web_input(arg: str) -> bool:
    """Whether this input is read by :class:`WebReader` (a URL, an HTML page, a feed file)."""
    return is_url(arg) or Path(arg).suffix.lower() in HTML_SUFFIXES + FEED_SUFFIXES


class WebReader:
    """Reads URLs, HTML files and feeds into articles."""

    def __init__(self, fetcher: Fetcher, is_stored: Callable[[str], bool] = lambda url: False,
                 default_date: dt.date | None = None):
        self.fetcher = fetcher
        self.is_stored = is_stored
        self.default_date = default_date
        self.skipped = 0  # feed items whose URL is already stored

    def read(self, args: list[str]) -> Iterator[Article | InputError]:
        """Articles from each input in turn; a failing item is yielded as an InputError."""
        for arg in args:
            try:
                if is_url(arg):
                    yield from self._url(arg)
                elif Path(arg).suffix.lower() in HTML_SUFFIXES:
                    yield article_from_html_file(Path(arg), self.default_date)
                else:
                    yield from self._feed(self._read_file(Path(arg)), arg)
            except InputError as e:
                yield e

    def feed_items(self, arg: str) -> list[FeedItem]:
        """The items of a feed given as a URL or a file."""
        if is_url(arg):
            resp = self.fetcher.get(arg)
            return parse_feed(resp.content, arg)
        return parse_feed(self._read_file(Path(arg)), arg)

    def _url(self, url: str) -> Iterator[Article | InputError]:
        resp = self.fetcher.get(url)
        if looks_like_feed(resp.content, resp.content_type):
            yield from self._feed(resp.content, url)
        else:
            yield article_from_html(resp.content, resp.url, url, default_date=self.default_date)

    def _feed(self, content: bytes, where: str) -> Iterator[Article | InputError]:
        for item in parse_feed(content, where):
            yield from self.item(item)

    def item(self, item: FeedItem) -> Iterator[Article | InputError]:
        """The article of one feed item, unless its URL is stored already."""
        if self.is_stored(item.link):
            self.skipped += 1
            return
        try:
            resp = self.fetcher.get(item.link)
            meta = PageMeta(title=item.title, date=item.date, author=item.author)
            art = article_from_html(resp.content, resp.url, item.link, meta=meta, default_date=self.default_date)
            if art.url != item.link and self.is_stored(art.url):
                self.skipped += 1
                return
            yield art
        except InputError as e:
            yield e

    @staticmethod
    def _read_file(path: Path) -> bytes:
        try:
            return path.read_bytes()
        except OSError as e:
            raise InputError(f"{path}: cannot read ({e.strerror})") from e


def stored_url_check(store) -> Callable[[str], bool]:
    """A predicate: is an article with this URL in the store? (the URL is bound, not spliced)."""
    from rdflib import Literal

    def check(url: str) -> bool:
        return store.ask("ASK WHERE { ?a a q:Article ; schema:url ?u }", {"u": Literal(url)})

    return check
