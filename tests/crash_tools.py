"""Helpers for the kill -9 tests: statement files, process trees from /proc, the quoth CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

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


def children(pid: int) -> set[int]:
    """All living descendants of ``pid`` (from /proc)."""
    parent_of: dict[int, int] = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                stat = Path(f"/proc/{d}/stat").read_text()
            except OSError:
                continue
            parent_of[int(d)] = int(stat.rsplit(")", 1)[1].split()[1])
    out, todo = set(), [pid]
    while todo:
        p = todo.pop()
        for c, pp in parent_of.items():
            if pp == p and c not in out:
                out.add(c)
                todo.append(c)
    return out


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_for(cond, timeout: float, step: float = 0.1) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(step)
    return cond()


def quoth(*args: str, timeout: float = 900) -> subprocess.CompletedProcess:
    return subprocess.run([*QUOTH, *args], capture_output=True, text=True, timeout=timeout)


def start_quoth(*args: str) -> subprocess.Popen:
    return subprocess.Popen([*QUOTH, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
