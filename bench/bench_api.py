"""Benchmark of the HTTP API (`quoth serve`) over loopback.

    python bench/bench_api.py --claims 100000 [--claims 10000 ...] [--requests 400]
                              [--duration 30] [--concurrency 16] [--query-timeout 5]

For each size N:

1. **Build** an embedded on-disk store of N synthetic statements (``bench/synth.py``, seed 0)
   with the product's graph builders (``kb.builder.GraphBuilder.prepare`` + ontology materialization, no SHACL)
   and pyoxigraph ``bulk_load``; then start ``quoth --store DIR serve`` on 127.0.0.1 (a real
   uvicorn server in its own process, as in production).
2. **REST** "claims of a speaker in a date range" — ``GET /claims?speaker=&since=&until=&limit=50``
   end to end over HTTP (client in this process): median and p95. Targets at 100k claims:
   < 15 ms median, < 50 ms p95.
3. **SPARQL endpoint overhead** — the same SPARQL text (the page query ``kb.queries.list_claims`` builds,
   values bound) run (a) directly on a read-only pyoxigraph store in this process, results
   serialized to SPARQL JSON, and (b) through ``POST /sparql``; overhead = median(b) − median(a).
   Also the overhead inside the server (HTTP handling + worker pipe) from the server's own
   ``X-Quoth-Query-Time`` header. Target: < 2 ms median.
4. **Load** — ``--concurrency`` clients for ``--duration`` s mixing REST lists, claim details and
   SPARQL queries; requests/s and errors (target: zero errors).
5. **Runaway** — a cross-product query is stopped at the time limit (503) while other requests
   are answered; prints its time and the others' latencies.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import httpx  # noqa: E402
import pyoxigraph as ox  # noqa: E402

RUNAWAY = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }")


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    k = min(len(xs) - 1, max(0, int(round(p / 100 * (len(xs) - 1)))))
    return xs[k]


def fmt(xs: list[float]) -> str:
    return f"median {statistics.median(xs):7.2f} ms   p95 {pct(xs, 95):7.2f} ms   max {max(xs):7.1f} ms  (n={len(xs)})"


# -- data --------------------------------------------------------------------------------------
def statements(n: int, seed: int):
    try:
        import synth  # bench/synth.py

        yield from synth.generate(n, seed)
    except ImportError:  # minimal stand-in (same DESIGN §6 statement format)
        rng = random.Random(seed)
        for i in range(n):
            d = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(2700))
            yield {"speaker": f"Speaker {int(rng.paretovariate(1.2)) % 3000}", "language": "de",
                   "text": f"Aussage Nummer {i} über Thema {rng.randrange(50)}.", "date_said": d.isoformat(),
                   "source": {"url": f"https://example.org/{i // 5}", "title": f"Artikel {i // 5}",
                              "date": d.isoformat()}}


def build(store_dir: Path, n: int, seed: int, base: str) -> dict:
    """Article graphs, inferred graphs and claim records of n statements, bulk-loaded."""
    from bench_store import article_quads

    from kb.ingest import Ingestor, _source_id
    from kb.setup import ensure_ontology
    from kb.sources import statement_from_json
    from kb.store.oxigraph import OxigraphStore

    try:
        from kb.ontology import closure

        cl = closure()
    except Exception as e:  # noqa: BLE001
        print(f"  (no ontology materialization: {e})")
        cl = None
    if store_dir.exists():
        shutil.rmtree(store_dir)
    store = OxigraphStore(store_dir, base_iri=base)
    ing = Ingestor(store, validator=object(), closure=cl)
    iris = ing.iris
    groups: dict[str, list] = {}
    order = []
    for line, obj in enumerate(statements(n, seed), 1):
        st = statement_from_json(obj, "synth", line)
        sid = _source_id(st)
        if sid not in groups:
            groups[sid] = []
            order.append(sid)
        groups[sid].append(st)
    nq = store_dir.parent / f"{store_dir.name}.nq"
    seen: set[str] = set()
    speakers: Counter = Counter()
    dates: dict[str, list[str]] = {}
    t0 = time.perf_counter()
    with nq.open("wb") as fh:
        chunk: list = []
        for sid in order:
            article, quotes = ing.builder.statements_article(sid, groups[sid])
            p = ing.builder.prepare(article, quotes, "import")
            quads, new = article_quads(iris, p, seen, cl)
            chunk += quads
            for rec in new:
                speakers[str(rec.speaker)] += 1
                dates.setdefault(str(rec.speaker), []).append(rec.date_said.isoformat())
            if len(chunk) > 200_000:
                fh.write(ox.serialize(chunk, format=ox.RdfFormat.N_QUADS))
                chunk = []
        fh.write(ox.serialize(chunk, format=ox.RdfFormat.N_QUADS))
    t1 = time.perf_counter()
    store.bulk_load_nquads(nq)
    store.flush()
    ensure_ontology(store, iris)
    t2 = time.perf_counter()
    quads_n = len(store.native)
    store.close()
    nq.unlink()
    return {"claims": len(seen), "articles": len(order), "quads": quads_n, "speakers": speakers,
            "dates": dates, "build_s": t1 - t0, "load_s": t2 - t1}


def draw_pairs(info: dict, base: str, k: int, seed: int = 42) -> list[tuple[str, str, str]]:
    """(speaker key, since, until): bench_store's pairs over synth.py's whole date range."""
    from bench_store import draw_pairs as store_pairs

    pairs = store_pairs(info, k, seed, dates=(dt.date(2019, 1, 1), dt.date(2026, 6, 30)))
    prefix = len(base) + len("speaker/")
    return [(s[prefix:], since.isoformat(), until.isoformat()) for s, since, until, _ in pairs]


# -- server ------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(store_dir: Path, port: int, timeout: float, log: Path, base: str,
                 token: str | None = None) -> subprocess.Popen:
    """``quoth serve`` over the store (writes allowed with ``token``); returns when /health
    says ready (side index built)."""
    args = [sys.executable, "-c", "from kb.cli import run; run()", "--store", str(store_dir),
            "--base-iri", base, "serve", "--host", "127.0.0.1", "--port", str(port),
            "--query-timeout", str(timeout)] + (["--token", token] if token else [])
    proc = subprocess.Popen(args, stdout=log.open("wb"), stderr=subprocess.STDOUT, cwd=str(HERE.parent))
    deadline = time.time() + 600
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit("server exited:\n" + log.read_text()[-3000:])
        try:  # ready, and the claims side index (if any) rebuilt
            r = httpx.get(f"http://127.0.0.1:{port}/health", timeout=2)
            if r.status_code == 200 and r.json().get("claims_index") != "building" and r.json().get("caches_warm"):
                print(f"server ready: {r.json()}")
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise SystemExit("server did not start")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        proc.kill()


# -- measurements ------------------------------------------------------------------------------
def bench_rest(c: httpx.Client, pairs) -> list[float]:
    times = []
    for key, since, until in pairs:
        t0 = time.perf_counter()
        r = c.get("/claims", params={"speaker": key, "since": since, "until": until, "limit": 50})
        times.append((time.perf_counter() - t0) * 1000)
        assert r.status_code == 200, r.text
    return times


def sparql_texts(base: str, pairs) -> list[str]:
    """The SPARQL ``kb.queries.list_claims`` runs for each (speaker, range) page, values bound."""
    from kb.queries import ClaimFilter, list_claims
    from kb.store.sparql_text import bind_values

    class Capture:  # records the first query list_claims sends (the page query)
        base_iri = base

        def __init__(self) -> None:
            self.q: str | None = None

        def select(self, q, b=None):
            if self.q is None:
                self.q = bind_values(q, b)
            return []

    out = []
    for key, since, until in pairs:
        cap = Capture()
        list_claims(cap, ClaimFilter(speaker=f"{base}speaker/{key}", since=dt.date.fromisoformat(since),
                                     until=dt.date.fromisoformat(until)), limit=50)
        out.append(cap.q)
    return out


def bench_sparql(c: httpx.Client, store_dir: Path, texts: list[str]) -> dict:
    from kb.vocab import PREFIXES, sparql_prefixes

    # a read-only view of the same store for the raw measurement (the server holds the write lock)
    raw_store = ox.Store.read_only(str(store_dir))
    raw, endpoint, inside, worker, app = [], [], [], [], []
    prefixes = dict(PREFIXES)
    for q in texts:  # warm both
        raw_store.query(q, prefixes=prefixes, use_default_graph_as_union=True).serialize(
            format=ox.QueryResultsFormat.JSON)
    for q in texts:
        t0 = time.perf_counter()
        body = raw_store.query(q, prefixes=prefixes, use_default_graph_as_union=True).serialize(
            format=ox.QueryResultsFormat.JSON)
        raw.append((time.perf_counter() - t0) * 1000)
        full = sparql_prefixes() + q
        t0 = time.perf_counter()
        r = c.post("/sparql", data={"query": full}, headers={"Accept": "application/sparql-results+json"})
        endpoint.append((time.perf_counter() - t0) * 1000)
        assert r.status_code == 200, r.text
        inside.append(float(r.headers["X-Quoth-Query-Time"]) * 1000)
        worker.append(float(r.headers["X-Quoth-Worker-Time"]) * 1000)
        app.append(float(r.headers["Server-Timing"].split("dur=")[1]))
        assert len(json.loads(r.content)["results"]["bindings"]) == len(json.loads(body)["results"]["bindings"])
    return {"raw": raw, "endpoint": endpoint, "server": inside, "worker": worker,
            "per_query": [e - w for e, w in zip(endpoint, worker)],
            "in_app": [a - w for a, w in zip(app, worker)]}


def load_test(url: str, pairs, claim_ids: list[str], texts: list[str], duration: float, concurrency: int) -> dict:
    stop = time.time() + duration
    counts: Counter = Counter()
    errors: list[str] = []
    lat: list[float] = []
    lock = threading.Lock()

    def client(i: int) -> None:
        rng = random.Random(i)
        with httpx.Client(base_url=url, timeout=30) as c:
            while time.time() < stop:
                kind = rng.random()
                t0 = time.perf_counter()
                try:
                    if kind < 0.5:
                        key, since, until = rng.choice(pairs)
                        r = c.get("/claims", params={"speaker": key, "since": since, "until": until})
                    elif kind < 0.75:
                        r = c.get(f"/claims/{rng.choice(claim_ids)}")
                    else:
                        r = c.post("/sparql", data={"query": rng.choice(texts)},
                                   headers={"Accept": "application/sparql-results+json"})
                    ok = r.status_code == 200
                except httpx.HTTPError as e:
                    ok, r = False, None
                    with lock:
                        errors.append(repr(e))
                ms = (time.perf_counter() - t0) * 1000
                with lock:
                    counts["ok" if ok else "error"] += 1
                    lat.append(ms)
                    if not ok and r is not None:
                        errors.append(f"{r.status_code} {r.text[:200]}")

    threads = [threading.Thread(target=client, args=(i,)) for i in range(concurrency)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    return {"requests": counts["ok"] + counts["error"], "errors": counts["error"], "rps": (counts["ok"] + counts["error"]) / elapsed,
            "lat": lat, "error_samples": errors[:5]}


def runaway(url: str, pairs) -> dict:
    out: dict = {}

    def run() -> None:
        t0 = time.perf_counter()
        with httpx.Client(base_url=url, timeout=120) as c:
            r = c.get("/sparql", params={"query": RUNAWAY})
        out["status"] = r.status_code
        out["seconds"] = time.perf_counter() - t0

    t = threading.Thread(target=run)
    t.start()
    others: list[float] = []
    errors = 0
    with httpx.Client(base_url=url, timeout=30) as c:
        time.sleep(0.2)
        i = 0
        while t.is_alive():
            key, since, until = pairs[i % len(pairs)]
            i += 1
            t0 = time.perf_counter()
            r = c.get("/claims", params={"speaker": key, "since": since, "until": until})
            others.append((time.perf_counter() - t0) * 1000)
            errors += r.status_code != 200
    t.join()
    out.update(others=others, errors=errors)
    return out


def run_size(n: int, args) -> None:
    root = Path(args.store_root or tempfile.mkdtemp(prefix="quoth-bench-api-"))
    root.mkdir(parents=True, exist_ok=True)
    store_dir = root / f"store-{n}"
    meta = root / f"store-{n}.json"
    port = free_port()
    print(f"\n== {n:,} statements ==")
    if args.reuse and meta.exists() and store_dir.exists():
        info = json.loads(meta.read_text())
        base = info["base"]
        print(f"reusing {store_dir}: {info['claims']:,} claims, {info['quads']:,} quads")
    else:
        base = f"http://127.0.0.1:{port}/"
        info = build(store_dir, n, args.seed, base)
        info["base"] = base
        meta.write_text(json.dumps({k: v for k, v in info.items() if k != "dates"}))
        print(f"build: {info['claims']:,} claims, {info['articles']:,} articles, {info['quads']:,} quads "
              f"(graphs {info['build_s']:.1f} s, bulk load {info['load_s']:.1f} s)")
    log = root / f"server-{n}.log"
    proc = start_server(store_dir, port, args.query_timeout, log, base)
    url = f"http://127.0.0.1:{port}"
    try:
        pairs = draw_pairs(info, base, args.requests)
        with httpx.Client(base_url=url, timeout=60) as c:
            bench_rest(c, pairs[:20])  # warm-up
            rest = bench_rest(c, pairs)
            print(f"REST claims of a speaker in a date range: {fmt(rest)}"
                  f"   [target < 15 / < 50 ms]")
            texts = sparql_texts(base, pairs)
            floor = []
            for _ in range(200):
                t0 = time.perf_counter()
                c.get("/health")
                floor.append((time.perf_counter() - t0) * 1000)
            print(f"HTTP floor (GET /health, no store work):   {fmt(floor)}")
            sp = bench_sparql(c, store_dir, texts)
            over = statistics.median(sp["endpoint"]) - statistics.median(sp["raw"])
            print(f"SPARQL same query, raw pyoxigraph in process: {fmt(sp['raw'])}")
            print(f"SPARQL same query, POST /sparql end to end:   {fmt(sp['endpoint'])}")
            print(f"SPARQL endpoint overhead (median end-to-end − median raw): {over:.2f} ms   [target < 2 ms]")
            print(f"SPARQL endpoint overhead per query (end to end − the same query's run in the worker, "
                  f"incl. serialization): {fmt(sp['per_query'])}")
            print(f"SPARQL endpoint overhead in the app (Server-Timing − the query's run in the worker): "
                  f"{fmt(sp['in_app'])}   [target < 2 ms]")
            print(f"   beyond the HTTP floor: {over - statistics.median(floor):.2f} ms; in the server (handler + "
                  f"worker pipe, X-Quoth-Query-Time − raw): "
                  f"{statistics.median(sp['server']) - statistics.median(sp['raw']):.2f} ms")
            claim_ids = [x["id"] for x in c.get("/claims", params={"limit": 500}).json()["items"]]
        from kb.vocab import sparql_prefixes

        if not args.skip_load:
            ld = load_test(url, pairs, claim_ids, [sparql_prefixes() + t for t in texts], args.duration,
                           args.concurrency)
            print(f"load: {args.concurrency} clients × {args.duration:g} s: {ld['requests']:,} requests, "
                  f"{ld['rps']:.0f} req/s, errors {ld['errors']}   latency {fmt(ld['lat'])}")
            if ld["error_samples"]:
                print("   errors:", ld["error_samples"])
        ra = runaway(url, pairs)
        print(f"runaway query: HTTP {ra['status']} after {ra['seconds']:.2f} s (limit {args.query_timeout:g} s); "
              f"meanwhile {len(ra['others'])} other requests, errors {ra['errors']}, {fmt(ra['others'])}")
    finally:
        stop_server(proc)
        if not (args.keep or args.reuse):
            shutil.rmtree(store_dir, ignore_errors=True)
            meta.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--claims", type=int, action="append", help="statements to generate (repeatable)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--requests", type=int, default=400, help="requests for the latency figures")
    ap.add_argument("--duration", type=float, default=30.0, help="seconds of the concurrent load test")
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--query-timeout", type=float, default=5.0)
    ap.add_argument("--store-root", help="where to build stores (default: a temp dir)")
    ap.add_argument("--keep", action="store_true", help="keep the built stores")
    ap.add_argument("--reuse", action="store_true", help="reuse a store kept by an earlier --keep run")
    ap.add_argument("--skip-load", action="store_true", help="skip the concurrent load test")
    args = ap.parse_args(argv)
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    for n in args.claims or [10_000]:
        run_size(n, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
