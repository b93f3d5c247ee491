"""One ``quoth ingest`` (or one ``quoth watch`` round): inputs of every kind, progress, summary.

Text files and JSON Lines go through :mod:`kb.sources`, URLs, HTML pages and feeds through
:mod:`kb.web_inputs`, statements through :meth:`kb.ingest.Ingestor.ingest_statements`; the
counts of all of them are added up in one :class:`kb.ingest.Summary`.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import time
from pathlib import Path

from .ingest import Ingestor, Summary, default_workers
from .model import InputError
from .progress import Progress, count_lines

#: an import that stored at least this many new claims is followed by a compaction of the store
COMPACT_AFTER_CLAIMS = 50_000

_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h)?\s*$")


def parse_interval(text: str) -> float:
    """Seconds in ``90s``, ``15m``, ``1h`` (a bare number is minutes)."""
    m = _INTERVAL.match(text)
    if not m or float(m.group(1)) <= 0:
        raise InputError(f"--every {text!r}: expected a duration such as 90s, 15m or 1h")
    return float(m.group(1)) * {"s": 1, "m": 60, "h": 3600}[m.group(2) or "m"]


def merge(total: Summary, s: Summary) -> None:
    """Add the counts of ``s`` to ``total``."""
    for name in ("articles", "claims", "mentions", "rejected", "new_claims", "known_mentions", "merged",
                 "unchanged"):
        setattr(total, name, getattr(total, name) + getattr(s, name))
    total.results += s.results


class IngestRun:
    """Ingests mixed inputs into one store, with progress on stderr."""

    def __init__(self, store, vectors=None, index=None, quiet: bool = False, robots: bool = True):
        self.ingestor = Ingestor(store, vectors=vectors, index=index, bulk=True)
        self.ingestor.ensure_setup()
        self.quiet = quiet
        self.robots = robots
        self.skipped = 0  # feed items whose URL was stored already (over all rounds)
        #: (seconds, bytes on disk after) of the compaction that followed a large import, if any
        self.compaction: tuple[float, int | None] | None = None
        self._fetcher = None

    @property
    def fetcher(self):
        """The HTTP client, made on first use (and kept across ``watch`` rounds)."""
        if self._fetcher is None:
            from .fetch import Fetcher

            self._fetcher = Fetcher(respect_robots=self.robots)
        return self._fetcher

    def ingest(self, inputs: list[str], statements: list[Path], date: dt.date | None,
               batch_size: int = 2000, workers: int | None = None) -> Summary:
        """Ingest every input; returns the summed counts (nothing raised for bad items)."""
        from .sources import read_articles
        from .web_inputs import WebReader, is_web_input, stored_url_check

        total = Summary()
        ing = self.ingestor
        files = [Path(i) for i in inputs if not is_web_input(i)]
        web = [i for i in inputs if is_web_input(i)]
        if files:
            articles = list(read_articles(files, date))
            with Progress(len(articles), "article", self.quiet) as bar:
                merge(total, ing.ingest_articles(articles, progress=lambda r: bar.update(1)))
        if web:
            reader = WebReader(self.fetcher, stored_url_check(ing.store), date)
            with Progress(None, "article", self.quiet) as bar:
                merge(total, ing.ingest_articles(reader.read(web), progress=lambda r: bar.update(1)))
            self.skipped += reader.skipped
        for path in statements:
            with Progress(count_lines(path), "stmt", self.quiet) as bar:
                merge(total, ing.ingest_statements(
                    _read_statements(path), batch_size=batch_size, progress=bar.update,
                    workers=default_workers() if workers is None else workers))
        if ing.vectors is not None:
            self._finish_vectors()
            ing.vectors.save()
        if total.new_claims >= COMPACT_AFTER_CLAIMS and ing.store.can_compact:
            self.compact()
        return total

    def compact(self) -> None:
        """Merge the store's files after a large import; sets :attr:`compaction`."""
        store = self.ingestor.store
        if not self.quiet:
            print("compacting the store ...", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        store.compact()
        self.compaction = (time.perf_counter() - t0, store.disk_bytes())

    def _finish_vectors(self) -> None:
        """Embed the claims the store holds and the vector index lacks (what an import killed
        before its save left out: its stored batches count as unchanged on the re-run, so
        they are not embedded again), and drop rows of claims the store no longer has."""
        vectors, store = self.ingestor.vectors, self.ingestor.store
        from .vectors import count_claims

        missing = count_claims(store) - vectors.claim_count()
        if missing == 0:
            return
        with Progress(max(missing, 0) or None, "vector", self.quiet) as bar:
            vectors.ensure_fresh(store, progress=lambda n: bar.update(n - bar.done))


def _read_statements(path: Path):
    from .sources import read_statements

    return read_statements(path)
