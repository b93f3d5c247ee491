"""Fetching web pages and feeds politely: time-outs, a size limit, redirects, a user agent,
robots.txt respected (httpx).

Every failure is a :class:`FetchError` (an :class:`~kb.model.InputError`) naming the URL, so
that a batch reports it and goes on with the other items.
"""

from __future__ import annotations

import hashlib
import urllib.robotparser
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import httpx

from . import __version__
from .model import InputError

USER_AGENT = f"Quoth/{__version__} (claim-tracking knowledge base; +https://github.com/quoth)"
#: seconds to connect / to wait for data
TIMEOUT = httpx.Timeout(20.0, connect=10.0)
#: largest response body read (bytes); a larger page is refused, not cut
MAX_BYTES = 10_000_000
MAX_REDIRECTS = 5


class FetchError(InputError):
    """A URL that could not be fetched (network, HTTP status, size, robots.txt)."""


@dataclass
class Response:
    """A fetched resource: where it ended up, its body and its sha256."""

    url: str  # the final URL, after redirects
    requested: str
    content: bytes
    content_type: str

    @property
    def digest(self) -> str:
        """sha256 of the body as fetched (what is stored instead of the HTML itself)."""
        return hashlib.sha256(self.content).hexdigest()


class Fetcher:
    """An HTTP client for pages and feeds; one per run (keeps connections and robots.txt)."""

    def __init__(self, user_agent: str = USER_AGENT, timeout: httpx.Timeout | float = TIMEOUT,
                 max_bytes: int = MAX_BYTES, respect_robots: bool = True,
                 transport: httpx.BaseTransport | None = None):
        self.user_agent = user_agent
        self.max_bytes = max_bytes
        self.respect_robots = respect_robots
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self._client = httpx.Client(headers={"User-Agent": user_agent}, timeout=timeout,
                                    follow_redirects=True, max_redirects=MAX_REDIRECTS, transport=transport)

    def close(self) -> None:
        """Close the connections."""
        self._client.close()

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def get(self, url: str) -> Response:
        """Fetch ``url`` (http or https); FetchError if it is refused, fails or is too large."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise FetchError(f"{url}: not an http(s) URL")
        if not self.allowed(url):
            raise FetchError(f"{url}: disallowed by the site's robots.txt for {self.user_agent.split()[0]}")
        try:
            with self._client.stream("GET", url) as resp:
                if resp.status_code >= 400:
                    raise FetchError(f"{url}: HTTP {resp.status_code} {resp.reason_phrase}")
                declared = resp.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > self.max_bytes:
                    raise FetchError(f"{url}: {int(declared):,} bytes, more than the limit of {self.max_bytes:,}")
                body = bytearray()
                for chunk in resp.iter_bytes():
                    body += chunk
                    if len(body) > self.max_bytes:
                        raise FetchError(f"{url}: more than the limit of {self.max_bytes:,} bytes")
                return Response(url=str(resp.url), requested=url, content=bytes(body),
                                content_type=resp.headers.get("content-type", "").split(";")[0].strip().lower())
        except httpx.TooManyRedirects as e:
            raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects") from e
        except httpx.TimeoutException as e:
            raise FetchError(f"{url}: timed out ({type(e).__name__})") from e
        except httpx.HTTPError as e:
            raise FetchError(f"{url}: {type(e).__name__}: {e}") from e

    def allowed(self, url: str) -> bool:
        """Whether the site's robots.txt lets this user agent fetch ``url`` (no robots.txt: yes)."""
        if not self.respect_robots:
            return True
        parts = urlsplit(url)
        root = urlunsplit((parts.scheme, parts.netloc, "", "", ""))
        if root not in self._robots:
            self._robots[root] = self._load_robots(root)
        rp = self._robots[root]
        return True if rp is None else rp.can_fetch(self.user_agent, url)

    def _load_robots(self, root: str) -> urllib.robotparser.RobotFileParser | None:
        try:
            resp = self._client.get(root + "/robots.txt")
        except httpx.HTTPError:
            return None  # unreachable robots.txt: the page fetch reports the real problem
        if resp.status_code in (401, 403):
            rp = urllib.robotparser.RobotFileParser()
            rp.disallow_all = True
            return rp
        if resp.status_code >= 400:
            return None
        rp = urllib.robotparser.RobotFileParser()
        rp.parse(resp.text[: self.max_bytes].splitlines())
        return rp
