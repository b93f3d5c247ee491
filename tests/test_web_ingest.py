"""Ingesting pages and feeds served from 127.0.0.1 by the test itself (kb.fetch, kb.web_inputs)."""

from __future__ import annotations

import functools
import http.server
import threading

import pytest
from click.testing import CliRunner

from kb.cli import main

PAGE = """<html lang="en"><head><title>{title}</title><meta property="og:site_name" content="Test Gazette">
<meta name="author" content="Jo Reporter">
<meta property="article:published_time" content="2025-05-0{n}"></head><body><nav>Home</nav><article>
<h1>{title}</h1><p>{body}</p><p>Officials in the capital gave no further details on Tuesday evening.</p>
</article></body></html>"""
BODIES = [
    'Angela Merkel said on Monday: "We will build the new bridge over the river next spring."',
    '"The harbour tax will not rise this year", Angela Merkel told reporters in the port city.',
    'Angela Merkel said: "Our schools need more teachers in every single district."',
]


@pytest.fixture()
def site(tmp_path):
    for n, body in enumerate(BODIES, 1):
        (tmp_path / f"p{n}.html").write_text(PAGE.format(title=f"Story {n}", n=n, body=body),
                                             encoding="utf-8")
    (tmp_path / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n")
    (tmp_path / "notafeed.xml").write_text("<html><body>hello</body></html>")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    items = "".join(f"<item><title>Story {n}</title><link>{base}/p{n}.html</link></item>" for n in (1, 2, 3))
    (tmp_path / "feed.xml").write_text(f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
                                       f"{items}<item><title>gone</title><link>{base}/missing.html</link></item>"
                                       "</channel></rss>")
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield base
    httpd.shutdown()


def test_feed_of_three_pages_end_to_end(site, tmp_path):
    store = tmp_path / "new" / "parents" / "store"  # missing parents are created
    r = CliRunner().invoke(main, ["--store", str(store), "ingest", "--quiet", "--json", f"{site}/feed.xml"])
    import json

    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    out = json.loads(r.stdout)
    assert r.exit_code == 1  # the missing page fails, the three others are stored
    assert out["stored"] == 3 and out["rejected"] == 1 and "404" in out["rejections"][0]["errors"][0]
    again = CliRunner().invoke(main, ["--store", str(store), "ingest", "--quiet", "--json", f"{site}/feed.xml"])
    out2 = json.loads(again.stdout)
    assert out2["skipped_urls"] == 3 and out2["stored"] == 0
    q = CliRunner().invoke(main, ["--store", str(store), "query", "--format", "csv",
                                  "SELECT ?t ?b ?s ?e ?x WHERE { ?a schema:headline ?t ; schema:articleBody ?b ; "
                                  "schema:sha256 ?h . ?m q:inArticle ?a ; nif:beginIndex ?s ; nif:endIndex ?e ; "
                                  "nif:anchorOf ?x }"])
    assert q.exit_code == 0, q.output
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(q.output)))
    assert rows and all(r["b"][int(r["s"]):int(r["e"])] == r["x"] for r in rows)  # offsets exact
    meta = CliRunner().invoke(main, ["--store", str(store), "query", "--format", "csv",
                                     "SELECT DISTINCT ?p ?au WHERE { ?a schema:publisher ?p ; schema:author ?au }"])
    assert list(csv.DictReader(io.StringIO(meta.output))) == [{"p": "Test Gazette", "au": "Jo Reporter"}]
    a = CliRunner().invoke(main, ["--store", str(store), "ask", "--json", "What did Merkel say about the harbour tax?"])
    assert a.exit_code == 0, a.output
    assert "harbour tax" in a.output


def test_not_a_feed_and_robots(site, tmp_path):
    from kb.fetch import FetchError, Fetcher
    from kb.web_inputs import WebReader

    with Fetcher() as f:
        assert not f.allowed(f"{site}/private/x.html") and f.allowed(f"{site}/p1.html")
        with pytest.raises(FetchError):
            f.get(f"{site}/private/x.html")
        items = list(WebReader(f).read([f"{site}/nothere", str(tmp_path / "notafeed.xml")]))
    assert len(items) == 2 and all(isinstance(i, Exception) for i in items)
    assert "not an RSS or Atom feed" in str(items[1])


def test_watch_ingests_new_items_each_round_and_stops_safely_on_interrupt(site, tmp_path):
    """A real `quoth watch` process: round one stores the feed's pages (the missing one is
    reported), round two finds nothing new; Ctrl-C (SIGINT) then stops it cleanly."""
    import os
    import signal
    import subprocess
    import sys
    import time

    store = tmp_path / "watched"
    proc = subprocess.Popen([sys.executable, "-m", "kb.cli", "--store", str(store), "watch", f"{site}/feed.xml",
                             "--every", "1s", "--no-vectors"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=dict(os.environ, PYTHONUNBUFFERED="1"))
    lines: list[str] = []
    deadline = time.time() + 240
    while len(lines) < 2 and time.time() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert len(lines) == 2, (lines, err[-2000:])
    assert "3 article(s) stored" in lines[0] and "rejected 1" in lines[0], lines[0]
    assert "0 article(s) stored" in lines[1] and "3 already stored URL(s) skipped" in lines[1], lines[1]
    assert proc.returncode in (0, 130) and "Traceback" not in err, err[-2000:]
    check = CliRunner().invoke(main, ["--store", str(store), "validate"])
    assert check.exit_code == 0 and "0 failing" in check.output, check.output


def test_progress_lines_off_a_terminal_give_done_total_rate_and_eta():
    import io

    from kb.progress import Progress

    stream = io.StringIO()
    with Progress(400, "stmt", stream=stream, every=0.0) as p:
        p.update(100)
        p.update(300)
    lines = stream.getvalue().splitlines()
    assert lines[0].startswith("ingest: 100/400 stmt (25%), ") and "stmt/s, ETA " in lines[0]
    assert any(ln.startswith("ingest: 400/400 stmt (100%)") for ln in lines)
    quiet = io.StringIO()
    with Progress(10, "stmt", stream=quiet, every=0.0, quiet=True) as p:
        p.update(10)
    assert quiet.getvalue() == ""
