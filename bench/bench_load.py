"""Load run (issue 18 item 4): readers with and without one writer on `quoth serve`.

    python bench/bench_load.py [--claims 20000] [--duration 30] [--concurrency 16]

1. Builds a store of N synthetic statements (``bench_api.build``: bench/synth.py, seed 0) and
   starts ``quoth serve`` on it with a write token.
2. ``--concurrency`` reader clients for ``--duration`` s (``bench_api.load_test``: REST lists
   of a speaker in a date range, claim details, SPARQL page queries): reads/s, p95, errors.
3. The same again while one writer posts articles (``POST /articles``, a few quotations each,
   extracted, validated and stored) back to back, or ``--write-rate`` per second: reads/s, p95,
   errors (any 5xx or connection error counts), the writes done and their latency, and the reads
   lost per article written (a faster writer costs more reads: compare runs by this too).

Target (issue 18): reads/s with the writer ≥ 70 % of the figure without, and zero errors.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import httpx  # noqa: E402

from bench_api import (  # noqa: E402
    build, draw_pairs, fmt, free_port, load_test, pct, sparql_texts, start_server, stop_server,
)

TOKEN = "bench-load-token"


def articles(seed: int):
    """Endless small German articles with three quotations each (new ids, new claims)."""
    from synth import generate

    rows = generate(10_000_000, seed=seed)
    n = 0
    while True:
        picked = [next(rows) for _ in range(3)]
        n += 1
        text = " ".join(f"«{r['text']}», sagte {r['speaker']} am Montag." for r in picked)
        yield {"id": f"load-{seed}-{n}", "date": picked[-1]["source"]["date"], "language": "de",
               "title": f"Meldung {n}", "text": text}


def writer(url: str, stop: threading.Event, out: dict, rate: float = 0.0) -> None:
    """Post articles back to back, or ``rate`` per second at most (when > 0)."""
    lat, errors = [], []
    gen = articles(seed=7)
    due = time.perf_counter()  # when the next post may start
    with httpx.Client(base_url=url, timeout=120) as c:
        while not stop.is_set():
            if rate > 0:
                if stop.wait(max(0.0, due - time.perf_counter())):
                    break
                due = max(due, time.perf_counter()) + 1 / rate  # no burst after a slow post
            t0 = time.perf_counter()
            try:
                r = c.post("/articles", json=next(gen), headers={"Authorization": f"Bearer {TOKEN}"})
                if r.status_code >= 500:
                    errors.append(f"{r.status_code} {r.text[:200]}")
            except httpx.HTTPError as e:
                errors.append(repr(e))
            lat.append((time.perf_counter() - t0) * 1000)
    out.update(writes=len(lat), lat=lat, errors=errors)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--claims", type=int, default=20_000)
    ap.add_argument("--duration", type=float, default=30.0)
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--query-timeout", type=float, default=5.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--write-rate", type=float, default=0.0,
                    help="articles per second the writer posts at most (default: back to back)")
    args = ap.parse_args(argv)
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    root = Path(tempfile.mkdtemp(prefix="quoth-bench-load-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    try:
        info = build(root / "store", args.claims, args.seed, base)
        print(f"store: {info['claims']:,} claims, {info['quads']:,} quads")
        proc = start_server(root / "store", port, args.query_timeout, root / "server.log", base, token=TOKEN)
        url = base.rstrip("/")
        try:
            pairs = draw_pairs(info, base, 400)
            from kb.vocab import sparql_prefixes

            texts = [sparql_prefixes() + t for t in sparql_texts(base, pairs)]
            with httpx.Client(base_url=url, timeout=60) as c:
                claim_ids = [x["id"] for x in c.get("/claims", params={"limit": 500}).json()["items"]]
                # the first write loads the extractor: not part of the measurement
                warm = next(articles(seed=99))
                c.post("/articles", json=warm, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=600)
            load0 = os.getloadavg()[0]
            quiet = load_test(url, pairs, claim_ids, texts, args.duration, args.concurrency)
            stop, w = threading.Event(), {}
            t = threading.Thread(target=writer, args=(url, stop, w, args.write_rate))
            t.start()
            busy = load_test(url, pairs, claim_ids, texts, args.duration, args.concurrency)
            stop.set()
            t.join()
            load1 = os.getloadavg()[0]
        finally:
            stop_server(proc)
        for name, ld in (("no writer ", quiet), ("one writer", busy)):
            print(f"{name}: {args.concurrency} clients × {args.duration:g} s: {ld['rps']:.1f} reads/s, "
                  f"p95 {pct(ld['lat'], 95):.1f} ms, errors {ld['errors']}   ({fmt(ld['lat'])})")
            if ld["error_samples"]:
                print("   errors:", ld["error_samples"])
        print(f"writer: {w['writes']} articles posted, {fmt(w['lat'])}, errors {len(w['errors'])} {w['errors'][:3]}")
        print(f"load average (1 min) {load0:.1f} before the readers, {load1:.1f} at the end "
              f"on {os.cpu_count()} cores")
        ratio = busy["rps"] / quiet["rps"] if quiet["rps"] else 0.0
        if w["writes"]:  # a faster writer costs the readers more: the cost of one write
            lost = (quiet["rps"] - busy["rps"]) * args.duration / w["writes"]
            print(f"reads lost per article written: {lost:.0f} "
                  f"({w['writes'] / args.duration:.2f} articles/s)")
        ok = ratio >= 0.7 and busy["errors"] == 0 and not w["errors"]
        print(f"reads/s with a writer = {ratio:.0%} of without   [target ≥ 70 %, zero errors: "
              f"{'met' if ok else 'NOT met'}]")
        return 0
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
