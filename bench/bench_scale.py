"""Issue 11's table for the embedded store and Virtuoso side by side, in one run.

    python bench/bench_scale.py --claims 20000 [--reuse] [--store-root DIR] [--requests 50]

1. **Build** (``--reuse`` keeps an existing one): the embedded store of N synthetic statements
   (``bench_api.build``: the product's graph builders, no SHACL, pyoxigraph ``bulk_load``); its
   quads dumped as N-Quads and loaded into a throwaway Virtuoso (``kb.store.virtuoso_local``, on
   127.0.0.1, its database beside the embedded store) with Virtuoso's bulk loader. Prints both
   loads as statements/s and peak RSS (this process for the embedded store, ``VmHWM`` of
   ``virtuoso-t`` for Virtuoso).
   With ``--build ingest`` the embedded store is made instead by the product's import,
   ``quoth ingest --no-vectors --statements`` of all N (SHACL, validation workers, compaction at
   the end): the issue's "import with SHACL" row, with the peak RSS of the import's process tree
   (sampled every second) and the store's size on disk after compaction.
2. **Import through the backend** (``--import-statements K``, default 1000): ``quoth ingest
   --no-vectors --statements`` of K further synthetic statements (SHACL-validated) into each
   backend — for Virtuoso through the remote backend (SPARQL Update on /sparql-auth).
3. **Queries** over HTTP against ``quoth serve`` on each backend (``--store DIR`` and
   ``--endpoint URL``), ``--requests`` each: REST speaker + date range, ``/claims?q=``,
   ``/articles?limit=20``, speaker timeline of the top-10 speakers, SPARQL endpoint: a top
   speaker's 50 newest claims, claims per speaker top 20. Median and p95 in ms.
4. **reindex** (``--reindex-seconds S``, default 240; 0 skips): ``quoth reindex`` on the embedded
   store, stopped after S seconds of embedding; its own progress lines give the rate (rows/s, and
   claims/s by the store's rows per claim) and the ETA of the whole run. The encoder is the same
   for both backends, so it runs once.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import httpx  # noqa: E402
from bench_api import build, free_port, pct, statements, stop_server  # noqa: E402
from proctree import children  # noqa: E402

from kb.store.virtuoso_local import LocalVirtuoso  # noqa: E402

NEWEST = """SELECT ?c ?text ?date WHERE {{ ?c q:speaker <{speaker}> ; q:text ?text ; q:dateSaid ?date }}
ORDER BY DESC(?date) LIMIT 50"""
PER_SPEAKER = """SELECT ?s (COUNT(?c) AS ?n) WHERE { ?c q:speaker ?s } GROUP BY ?s ORDER BY DESC(?n) LIMIT 20"""


def _status_mb(pid: int, key: str) -> float:
    """A memory figure of /proc/PID/status (``VmHWM``, ``VmRSS``) in MB; 0 when the process has ended."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def vm_hwm_mb(pid: int) -> float:
    """Peak resident memory of a running process (VmHWM), MB."""
    return _status_mb(pid, "VmHWM")


def rss_mb(pid: int) -> float:
    """Resident memory of a process (VmRSS), MB; 0 when it has ended."""
    return _status_mb(pid, "VmRSS")


class TreePeak(threading.Thread):
    """Samples the summed RSS of a process and its descendants every second; ``peak`` in MB."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self._done = pid, 0.0, threading.Event()

    def run(self) -> None:
        while not self._done.wait(1.0):
            self.peak = max(self.peak, rss_mb(self.pid) + sum(rss_mb(c) for c in children(self.pid)))

    def stop(self) -> float:
        self._done.set()
        self.join()
        return self.peak


def cli(*args: str) -> list[str]:
    """The command line of ``quoth ARGS`` with this Python (the checkout's kb on the path)."""
    return [sys.executable, "-c", "from kb.cli import run; run()", *args]


def build_by_import(emb: Path, n: int, seed: int, base: str, root: Path) -> dict:
    """The embedded store made by ``quoth ingest --statements`` of n synthetic statements (SHACL)."""
    from synth import write_jsonl

    from kb.store.oxigraph import OxigraphStore

    jsonl = root / f"statements-{n}-{seed}.jsonl"
    if not jsonl.exists():
        write_jsonl(jsonl, n, seed=seed)
    if emb.exists():
        shutil.rmtree(emb)
    proc = subprocess.Popen(cli("--store", str(emb), "--base-iri", base, "ingest", "--no-vectors", "--json",
                                "--statements", str(jsonl)),
                            stdout=subprocess.PIPE, stderr=(root / "import.log").open("w"), text=True,
                            cwd=str(HERE.parent))
    peak = TreePeak(proc.pid)
    t0 = time.perf_counter()
    peak.start()
    out, _ = proc.communicate()
    took, rss = time.perf_counter() - t0, peak.stop()
    if proc.returncode != 0:
        raise SystemExit(f"import failed ({proc.returncode}): {out[-1500:]}\n" + (root / "import.log").read_text()[-1500:])
    summary = json.loads(out)
    with OxigraphStore(emb, base_iri=base, read_only=True) as s:
        quads = s.triple_count()
    return {"claims": summary["new_claims"], "articles": summary["stored"], "quads": quads,
            "emb_s": took, "emb_rss": rss, "disk": summary.get("store_bytes"),
            "compaction_s": summary.get("compaction_s")}


_RATE = re.compile(r"reindex embeddings: ([\d,]+)/([\d,]+) rows \(\d+%\), ([\d,]+) rows/s, ETA (\S+)")


def reindex_rate(emb: Path, base: str, seconds: float, claims: int) -> str:
    """Run ``quoth reindex`` for ``seconds`` of embedding and report its own progress figures."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(cli("--store", str(emb), "--base-iri", base, "reindex"), stderr=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, text=True, cwd=str(HERE.parent), env=env)
    first, last = None, None
    t0 = time.perf_counter()
    assert proc.stderr is not None
    for line in proc.stderr:
        m = _RATE.search(line)
        if m:
            last = m
            first = first or time.perf_counter()
            if time.perf_counter() - first >= seconds:
                break
    before = (first or time.perf_counter()) - t0  # index rebuild, store scan, model load, first line
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(60)
    except subprocess.TimeoutExpired:
        proc.kill()
    if last is None:  # progress lines come every few seconds: a small store is done before
        return ("done before its first progress line" if proc.returncode == 0
                else f"quoth reindex failed (exit status {proc.returncode})")
    done, total = (int(last.group(i).replace(",", "")) for i in (1, 2))
    rate = int(last.group(3).replace(",", ""))
    per_claim = total / max(1, claims)
    return (f"{rate:,} rows/s = {rate / per_claim:,.0f} claims/s ({total:,} rows for {claims:,} claims; "
            f"{done:,} done in {seconds:.0f} s, ETA {last.group(4)}; first progress line after {before:.0f} s: "
            "speaker/date index rebuilt, claims read, encoder loaded)")


def serve(args_store: list[str], port: int, log: Path, base: str, env: dict[str, str]) -> subprocess.Popen:
    """``quoth … serve`` on 127.0.0.1:port (embedded ``--store`` or remote ``--endpoint``)."""
    cmd = cli(*args_store, "--base-iri", base, "serve", "--host", "127.0.0.1", "--port", str(port),
              "--query-timeout", "30")
    proc = subprocess.Popen(cmd, stdout=log.open("wb"), stderr=subprocess.STDOUT, cwd=str(HERE.parent),
                            env={**os.environ, **env})
    deadline = time.time() + 900
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit("server exited:\n" + log.read_text()[-3000:])
        try:
            r = httpx.get(f"http://127.0.0.1:{port}/health", timeout=5)
            if r.status_code == 200 and r.json().get("claims_index") != "building" and r.json().get("caches_warm", True):
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    proc.kill()
    raise SystemExit("server did not start")


def result_size(r: httpx.Response) -> int:
    """Rows in an answer (REST ``items``, SPARQL bindings), to check both backends agree."""
    data = r.json()
    if isinstance(data, dict) and "items" in data:
        return len(data["items"])
    if isinstance(data, dict) and "results" in data:
        return len(data["results"]["bindings"])
    return len(data) if isinstance(data, list) else -1


def timed(c: httpx.Client, calls: list[tuple[str, str, dict]], sizes: list[int] | None = None) -> list[float]:
    """Wall ms of each (method, path, params) request; every answer must be 200 (``sizes``
    collects the rows of each answer)."""
    out = []
    for method, path, params in calls:
        t0 = time.perf_counter()
        if method == "GET":
            r = c.get(path, params=params)
        else:
            r = c.post(path, data=params, headers={"Accept": "application/sparql-results+json"})
        out.append((time.perf_counter() - t0) * 1000)
        if r.status_code != 200:
            raise SystemExit(f"{method} {path} {params}: {r.status_code} {r.text[:300]}")
        if sizes is not None:
            sizes.append(result_size(r))
    return out


def workload(c: httpx.Client, k: int, seed: int = 7) -> dict[str, list[tuple[str, str, dict]]]:
    """The requests of each row, drawn once (from the embedded server) and sent to both."""
    rnd = random.Random(seed)
    speakers = c.get("/speakers", params={"limit": 200}).json()
    top = speakers[:10]
    texts = [i["text"] for i in c.get("/claims", params={"limit": 200}).json()["items"]]
    words = [w.strip(".,;:!?\"'") for t in texts for w in t.split() if len(w) > 5]
    ranges = []
    for _ in range(k):
        y = rnd.randint(2019, 2025)
        span = rnd.choice([1, 3, 12, 36])
        m = rnd.randint(1, 12)
        until_y, until_m = y + (m - 1 + span) // 12, (m - 1 + span) % 12 + 1
        ranges.append((f"{y}-{m:02d}-01", f"{until_y}-{until_m:02d}-01"))
    pick = [rnd.choice(top) if rnd.random() < 0.5 else rnd.choice(speakers) for _ in range(k)]
    return {
        "REST speaker + date range": [("GET", "/claims", {"speaker": s["id"], "since": a, "until": b, "limit": 50})
                                      for s, (a, b) in zip(pick, ranges)],
        "REST text search /claims?q=": [("GET", "/claims", {"q": rnd.choice(words), "limit": 20}) for _ in range(k)],
        "/articles?limit=20": [("GET", "/articles", {"limit": 20, "offset": rnd.randint(0, 2000)}) for _ in range(k)],
        "speaker timeline, top-10 speakers": [("GET", f"/speakers/{rnd.choice(top)['id']}/timeline", {"limit": 50})
                                              for _ in range(k)],
        "SPARQL: a top speaker's 50 newest": [("POST", "/sparql", {"query": NEWEST.format(speaker=rnd.choice(top)["iri"])})
                                               for _ in range(k)],
        "SPARQL: claims per speaker, top 20": [("POST", "/sparql", {"query": PER_SPEAKER})
                                                for _ in range(max(5, k // 5))],
    }


def import_through(cli_store: list[str], env: dict[str, str], base: str, jsonl: Path) -> tuple[float, str]:
    """Seconds for ``quoth ingest --no-vectors --statements`` of the file; its summary line."""
    cmd = cli(*cli_store, "--base-iri", base, "ingest", "--no-vectors", "--quiet", "--statements", str(jsonl))
    t0 = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=str(HERE.parent), env={**os.environ, **env})
    took = time.perf_counter() - t0
    if r.returncode != 0:
        raise SystemExit(f"import failed: {r.stdout[-1500:]}{r.stderr[-1500:]}")
    return took, (r.stdout.strip().splitlines() or [""])[-1]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--claims", type=int, default=20000)
    p.add_argument("--reuse", action="store_true")
    p.add_argument("--store-root", default=None)
    p.add_argument("--requests", type=int, default=50)
    p.add_argument("--import-statements", type=int, default=1000)
    p.add_argument("--virtuoso-memory-mb", type=int, default=2048)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--build", choices=["bulk", "ingest"], default="bulk",
                   help="make the embedded store by bulk loading built graphs (fast) or by quoth ingest (SHACL)")
    p.add_argument("--reindex-seconds", type=float, default=240)
    a = p.parse_args(argv)
    n = a.claims
    root = Path(a.store_root or tempfile.mkdtemp(prefix="quoth-bench-scale-"))
    root.mkdir(parents=True, exist_ok=True)
    emb, vdir, meta_file = root / f"embedded-{n}", root / f"virtuoso-{n}", root / f"meta-{n}.json"
    rows: list[tuple[str, str, str]] = []
    reuse = a.reuse and meta_file.exists() and emb.exists() and (vdir / "virtuoso.db").exists()
    if reuse:
        meta = json.loads(meta_file.read_text())
        print(f"reusing {emb} and {vdir}")
    else:
        shutil.rmtree(vdir, ignore_errors=True)  # a database left by an earlier run holds its base IRI
        meta = {"base": f"http://127.0.0.1:{free_port()}/", "build": a.build}
        if a.build == "ingest":
            meta.update(build_by_import(emb, n, a.seed, meta["base"], root))
        else:
            info = build(emb, n, a.seed, meta["base"])
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            meta.update(claims=info["claims"], articles=info["articles"], quads=info["quads"],
                        emb_s=info["build_s"] + info["load_s"], emb_rss=rss)
    base = meta["base"]
    virt = LocalVirtuoso(vdir, memory_mb=a.virtuoso_memory_mb)
    virt.start()
    try:
        if not reuse:
            from kb.store.oxigraph import OxigraphStore

            load_dir = vdir / "load"
            load_dir.mkdir(exist_ok=True)
            with OxigraphStore(emb, base_iri=base, read_only=True) as s, (load_dir / "all.nq").open("wb") as fh:
                s.dump(fh, "nq")
            t0 = time.perf_counter()
            virt.bulk_load(load_dir)
            meta.update(virt_s=time.perf_counter() - t0, virt_rss=vm_hwm_mb(virt.proc.pid))  # type: ignore[union-attr]
            (load_dir / "all.nq").unlink()
            meta_file.write_text(json.dumps(meta))
        print(f"{n:,} statements: {meta['claims']:,} claims, {meta['articles']:,} articles, {meta['quads']:,} quads")
        virt_load = f"{n / meta['virt_s']:,.0f} (rdf_loader_run {meta['virt_s']:.0f} s of the dump, no SHACL)"
        if meta.get("build") == "ingest":
            disk = f", {meta['disk'] / 1e9:.1f} GB on disk after compaction ({meta['compaction_s']:.0f} s)" \
                if meta.get("disk") else ""
            rows.append((f"import of all {n:,} with SHACL (quoth ingest --statements), statements/s",
                         f"{n / meta['emb_s']:,.0f} ({meta['emb_s']:.0f} s){disk}", virt_load))
            rows.append(("… peak RSS", f"{meta['emb_rss']:,.0f} MB (import process tree, summed)",
                         f"{meta['virt_rss']:,.0f} MB (virtuoso-t VmHWM)"))
        else:
            rows.append(("bulk build/load (no SHACL), statements/s",
                         f"{n / meta['emb_s']:,.0f} (graphs + bulk_load {meta['emb_s']:.0f} s)",
                         virt_load.replace("dump, no SHACL", "dump; graphs built as embedded")))
            rows.append(("… peak RSS", f"{meta['emb_rss']:,.0f} MB (bench process)",
                         f"{meta['virt_rss']:,.0f} MB (virtuoso-t VmHWM)"))
        venv = {"QUOTH_SPARQL_USER": virt.user, "QUOTH_SPARQL_PASSWORD": virt.password}
        backends = {"embedded": (["--store", str(emb)], {}),
                    "virtuoso": (["--endpoint", virt.endpoint], venv)}
        if a.import_statements:
            from synth import write_jsonl

            jsonl = root / f"import-{a.import_statements}.jsonl"
            write_jsonl(jsonl, a.import_statements, seed=a.seed + 1000 + int(time.time()) % 1000)
            cells = []
            for name, (cli_store, env) in backends.items():
                took, summary = import_through(cli_store, env, base, jsonl)
                cells.append(f"{a.import_statements / took:,.0f} ({took:.0f} s)")
                print(f"  import {name}: {summary}")
            rows.append((f"quoth ingest --statements of {a.import_statements:,} more (SHACL), statements/s", *cells))
        results: dict[str, dict[str, list[float]]] = {}
        sizes: dict[str, dict[str, list[int]]] = {}
        calls = None
        for name, (cli_store, env) in backends.items():
            port = free_port()
            proc = serve(cli_store, port, root / f"serve-{name}.log", base, env)
            try:
                with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as c:
                    if calls is None:
                        calls = workload(c, a.requests)
                    sizes[name] = {row: [] for row in calls}
                    results[name] = {row: timed(c, reqs, sizes[name][row]) for row, reqs in calls.items()}
            finally:
                stop_server(proc)
        for row in calls or {}:
            cells = [f"{statistics.median(results[b][row]):.1f} / {pct(results[b][row], 95):.1f}"
                     for b in ("embedded", "virtuoso")]
            differ = sum(a != b for a, b in zip(sizes["embedded"][row], sizes["virtuoso"][row]))
            rows.append((f"{row}, median / p95 ms" + (f" ({differ} answers differ in size!)" if differ else ""),
                         *cells))
    finally:
        virt.stop()
    if a.reindex_seconds:
        rows.append(("quoth reindex (claim embeddings)", reindex_rate(emb, base, a.reindex_seconds, meta["claims"]),
                     "same encoder (not run twice)"))
    print(f"\n| {n:,} statements, this machine | embedded (Oxigraph) | Virtuoso 7 (remote backend) |")
    print("|---|---|---|")
    for r in rows:
        print(f"| {r[0]} | {r[1]} | {r[2]} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
