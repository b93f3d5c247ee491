"""The README's tour, run as written while `quoth serve` holds the store (issue 19).

The tour's first code block is run by bash, in order, against a store of the example articles that a
real server is serving; its query's output must be what the README shows.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest_api import free_port, start_server, wait_ready

ROOT = Path(__file__).resolve().parents[1]
pytestmark = [pytest.mark.server, pytest.mark.slow]


def _tour() -> tuple[str, list[str]]:
    """The tour's read block and the non-ellipsis lines of the query output the README shows."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## A short tour"):]
    blocks = re.findall(r"```(\w+)\n(.*?)```", section, flags=re.S)
    tour = next(body for lang, body in blocks if lang == "bash")
    shown = next(body for lang, body in blocks if lang == "text")
    return tour, [ln for ln in shown.splitlines() if ln.strip() and ln.strip() != "…"]


def test_readme_tour_runs_as_written_beside_the_server(tmp_path):
    tour, shown = _tour()
    assert "quoth query" in tour and "quoth stats" in tour
    work = tmp_path / "work"
    work.mkdir()
    (work / "examples").symlink_to(ROOT / "examples")
    port = free_port()
    env = dict(os.environ, QUOTH_STORE=str(tmp_path / "quoth-data"),
               QUOTH_BASE_IRI=f"http://127.0.0.1:{port}/",
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    for k in ("QUOTH_SPARQL_ENDPOINT", "QUOTH_TOKEN"):
        env.pop(k, None)
    articles = sorted(str(p) for p in (ROOT / "examples" / "articles").glob("*.txt"))
    subprocess.run([sys.executable, "-m", "kb.cli", "ingest", *articles], env=env, check=True,
                   capture_output=True, cwd=work)
    log = tmp_path / "server.log"
    proc = start_server(tmp_path / "quoth-data", port, log=log)
    try:
        wait_ready(f"http://127.0.0.1:{port}", proc, log)
        script = tour.replace("source .venv/bin/activate", ":")  # the venv is this interpreter's
        r = subprocess.run(["bash", "-e", "-c", script], env=env, cwd=work, capture_output=True,
                           text=True, timeout=600)
    finally:
        proc.terminate()
        proc.wait(15)
    assert r.returncode == 0, r.stderr[-3000:]
    out = (r.stdout + r.stderr).splitlines()
    for line in shown:  # the README's shown output (header, first and last row, the count)
        assert any(o.rstrip() == line.rstrip() for o in out), f"README shows {line!r}; got:\n{r.stdout[:3000]}"
    assert (work / "kb.trig").stat().st_size > 1000
