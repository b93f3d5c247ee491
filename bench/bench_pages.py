"""Latency of the web pages (and their CSV/JSON twins) over loopback, on a synthetic store.

    python bench/bench_pages.py --claims 20000 [--requests 20] [--store-root DIR --keep | --reuse]

Builds the store as ``bench_api.py`` does (``bench/synth.py`` statements, bulk-loaded), starts
``quoth serve`` with a token, and requests each page ``--requests`` times as a browser would
(``Accept: text/html``): home, search (text; filters; publisher), the speaker and article
indexes (first page and a deep offset), the busiest speaker's page, an article page, a claim
page, a speaker's claims as CSV. Then one correction through the API and the claim page again.
Prints median and p95 in ms and the status codes; no targets are set for these pages.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import httpx  # noqa: E402

from bench_api import build, free_port, pct, start_server  # noqa: E402

HTML = {"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"}
TOKEN = "bench-pages-token"


def timed(c: httpx.Client, path: str, k: int) -> tuple[list[float], set[int], int]:
    times, codes, size = [], set(), 0
    for _ in range(k):
        t0 = time.perf_counter()
        r = c.get(path, headers=HTML)
        times.append((time.perf_counter() - t0) * 1000)
        codes.add(r.status_code)
        size = len(r.content)
    return times, codes, size


def run(n: int, args: argparse.Namespace) -> None:
    root = Path(args.store_root or tempfile.mkdtemp(prefix="quoth-bench-pages-"))
    store_dir = root / f"pages-{n}"
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    if args.reuse and store_dir.exists():
        base = (store_dir / "base-iri.txt").read_text().strip()
        port = int(base.rsplit(":", 1)[1].strip("/"))
        print(f"reusing {store_dir} ({base})")
    else:
        info = build(store_dir, n, args.seed, base)
        (store_dir / "base-iri.txt").write_text(base)
        print(f"built {info['claims']:,} claims, {info['articles']:,} articles, {info['quads']:,} quads "
              f"in {info['build_s'] + info['load_s']:.0f} s")
    os.environ["QUOTH_TOKEN"] = TOKEN
    proc = start_server(store_dir, port, 5.0, root / f"server-{n}.log", base)
    try:
        with httpx.Client(base_url=base.rstrip("/"), timeout=120) as c:
            top = c.get("/speakers", params={"limit": 1}).json()[0]
            arts = c.get("/articles", params={"limit": 1}).json()["items"]
            claim = c.get("/claims", params={"speaker": top["id"], "limit": 1}).json()["items"][0]
            word = claim["text"].split()[1] if len(claim["text"].split()) > 1 else claim["text"][:4]
            publisher = (arts[0].get("publisher") or "a")[:4]
            pages = [
                ("home", "/"),
                ("search text", f"/search?q={quote(word)}"),
                ("search filters", "/search?language=de&type=Direct&since=2022-01-01&until=2023-12-31"),
                ("search publisher (synth: no match)", f"/search?publisher={quote(publisher)}"),
                ("speaker index", "/speakers"),
                ("speaker index q", f"/speakers?q={quote(top['name'][:4])}"),
                ("article index", "/articles"),
                ("article index deep", f"/articles?offset={max(0, n // 10)}"),
                (f"speaker page ({top['claims']} claims)", f"/speaker/{quote(top['id'], safe='')}"),
                ("article page", f"/article/{quote(arts[0]['id'], safe='')}"),
                ("claim page", f"/claim/{claim['id']}"),
                ("claims.csv (speaker)", f"/claims.csv?speaker={quote(top['id'], safe='')}"),
            ]
            print(f"{n:,} statements · {args.requests} requests per page (ms)")
            print(f"  {'page':36} {'median':>8} {'p95':>8}  status  bytes")
            for name, path in pages:
                times, codes, size = timed(c, path, args.requests)
                print(f"  {name:36} {statistics.median(times):8.1f} {pct(times, 95):8.1f}  "
                      f"{','.join(map(str, sorted(codes))):6}  {size:,}")
            detail = c.get(f"/claims/{claim['id']}").json()
            t0 = time.perf_counter()
            r = c.post("/corrections", json={"mention": detail["sources"][0]["mention"], "action": "confirm",
                                             "by": "bench"}, headers={"Authorization": f"Bearer {TOKEN}"})
            print(f"  {'POST /corrections (confirm)':36} {(time.perf_counter() - t0) * 1000:8.1f} {'':8}  "
                  f"{r.status_code}")
            times, codes, _ = timed(c, f"/claim/{claim['id']}", args.requests)
            print(f"  {'claim page after a correction':36} {statistics.median(times):8.1f} {pct(times, 95):8.1f}  "
                  f"{','.join(map(str, sorted(codes)))}")
    finally:
        proc.terminate()
        proc.wait(30)
        if not args.keep and not args.store_root:
            import shutil

            shutil.rmtree(root, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--claims", type=int, action="append", help="statements to generate (repeatable)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--requests", type=int, default=20)
    ap.add_argument("--store-root")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--reuse", action="store_true")
    args = ap.parse_args(argv)
    for n in args.claims or [20000]:
        run(n, args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
