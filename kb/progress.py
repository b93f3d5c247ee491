"""Progress of long runs on stderr: a bar with total and ETA in a terminal (tqdm), and a plain
line every few seconds (done/total, rate, ETA) when stderr is a file or a pipe."""

from __future__ import annotations

import sys
import time
from typing import IO

#: seconds between two progress lines when stderr is not a terminal
LINE_EVERY = 10.0


class Progress:
    """``with Progress(total, "stmt") as p: p.update(n)`` — total may be None (unknown)."""

    def __init__(self, total: int | None, unit: str, quiet: bool = False, stream: IO[str] | None = None,
                 every: float = LINE_EVERY, label: str = "ingest"):
        self.total, self.unit, self.label, self.every = total, unit, label, every
        self.stream = stream or sys.stderr
        self.done = 0
        self._bar = None
        self._quiet = quiet
        self._tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._start = self._last = time.monotonic()

    def __enter__(self) -> "Progress":
        if not self._quiet and self._tty:
            from tqdm import tqdm

            self._bar = tqdm(total=self.total, unit=self.unit, file=self.stream, dynamic_ncols=True)
        return self

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.close()
        elif not self._quiet and self.done and time.monotonic() - self._start >= self.every:
            self._line()  # the last figures, after a long run

    def set_total(self, total: int) -> None:
        """The total, once it is known (the bar then shows it and an ETA)."""
        self.total = total
        if self._bar is not None:
            self._bar.total = total
            self._bar.refresh()

    def update(self, n: int = 1) -> None:
        """Count ``n`` more units done."""
        self.done += n
        if self._bar is not None:
            self._bar.update(n)
        elif not self._quiet and time.monotonic() - self._last >= self.every:
            self._line()

    def line(self) -> str:
        """``ingest: 1,200/10,000 stmt (12%), 240 stmt/s, ETA 0:36``."""
        elapsed = max(time.monotonic() - self._start, 1e-9)
        rate = self.done / elapsed
        if self.total:
            left = (self.total - self.done) / rate if rate > 0 else None
            eta = _clock(left) if left is not None else "?"
            return (f"{self.label}: {self.done:,}/{self.total:,} {self.unit} ({100 * self.done // self.total}%), "
                    f"{rate:,.0f} {self.unit}/s, ETA {eta}")
        return f"{self.label}: {self.done:,} {self.unit}, {rate:,.0f} {self.unit}/s, {_clock(elapsed)} elapsed"

    def _line(self) -> None:
        self._last = time.monotonic()
        print(self.line(), file=self.stream, flush=True)


def _clock(seconds: float) -> str:
    s = int(round(seconds))
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


def count_lines(path) -> int | None:
    """Lines of a (plain) JSON Lines file: the total for its progress (None for .gz)."""
    if str(path).endswith(".gz"):
        return None
    n = 0
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            n += chunk.count(b"\n")
    return n
