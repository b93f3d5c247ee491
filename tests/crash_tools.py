"""Helpers for the kill -9 tests: statement files, process trees from /proc, the quoth CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from proctree import alive, children, wait_for  # noqa: E402,F401 - re-exported for the tests

QUOTH = [sys.executable, "-m", "kb.cli"]


def write_statements(path: Path, n: int, per_source: int = 2) -> Path:
    """``n`` statements, ``per_source`` per source, every text distinct (no extractor needed)."""
    words = ["Brücke", "Schule", "Steuer", "Bahn", "Klinik", "Hafen", "Netz", "Rente", "Wald", "Strom"]
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            src = i // per_source
            day = 1 + src % 27
            text = f"Die {words[i % 10]} Nummer {i} kostet {i * 7 % 1000} Millionen im Jahr {2000 + i % 25}."
            fh.write(json.dumps({
                "speaker": f"Sprecherin {i % 37}", "text": text, "language": "de",
                "date_said": f"2025-03-{day:02d}", "type": ["Direct", "Indirect"][i % 2],
                "source": {"url": f"https://example.org/src/{src}", "title": f"Blatt {src}",
                           "date": f"2025-03-{day + 1:02d}"}}) + "\n")
    return path


def quoth(*args: str, timeout: float = 900) -> subprocess.CompletedProcess:
    return subprocess.run([*QUOTH, *args], capture_output=True, text=True, timeout=timeout)


def start_quoth(*args: str) -> subprocess.Popen:
    return subprocess.Popen([*QUOTH, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
