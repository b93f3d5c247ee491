"""Benchmark ``quoth ask`` latency on a large embedded store.

    .venv/bin/python bench/bench_ask.py --claims 100000 [--store-root /tmp/quoth-bench-ask]
                                        [--questions 200] [--reuse] [--seed 0]

1. Builds (or reuses, with --reuse) an on-disk embedded store of N synthetic statements
   (bench/synth.py ``generate(n, seed)``) with bench/bench_store.py's builder (the product's
   own graph builders, bulk-loaded), then the claim vectors beside it
   (``VectorIndex.rebuild``, as ``quoth reindex`` does). Prints both times.
2. In a fresh process (so nothing is warm): start-up — model load, vector index load and
   freshness check, speaker name index — printed separately; then asks a mix of questions
   drawn from the data (en/de; named speakers picked in proportion to their claims and
   uniformly; roles; time ranges; speakerless "who said" questions), each once to warm
   caches of that shape, then measured: median, p95, max, per question shape.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = min(len(xs) - 1, max(0, int(round(p / 100 * (len(xs) - 1)))))
    return xs[k]


def build(store_dir: Path, n: int, seed: int, reuse: bool) -> None:
    from kb.store.oxigraph import OxigraphStore
    from kb.vectors import VectorIndex

    meta = store_dir / "bench-meta.json"
    ok = reuse and meta.exists() and json.loads(meta.read_text()).get("n") == n
    if not ok:
        try:
            import bench_store
        except ImportError:
            sys.exit("bench/bench_store.py is needed to build the store")
        t0 = time.perf_counter()
        info = bench_store.build(store_dir, n, seed, None)
        print(f"store: {n} statements -> {info['claims']} claims, {info['quads']} quads, "
              f"built in {time.perf_counter() - t0:.1f} s (bulk load {info['bulk_load_s']:.1f} s)")
        Path(info["nq_path"]).unlink(missing_ok=True)
    else:
        print(f"store: reusing {store_dir}")
    store = OxigraphStore(store_dir)
    vi = VectorIndex.for_store(store)
    if vi.stale(store):
        t0 = time.perf_counter()
        k = vi.rebuild(store, progress=None)
        print(f"vectors: {k} claims embedded and saved in {time.perf_counter() - t0:.1f} s "
              f"({vi.directory})")
    else:
        print(f"vectors: up to date ({vi.claim_count()} claims)")
    store.close()


def questions(store, k: int, seed: int) -> list[tuple[str, str]]:
    """(shape, question) pairs drawn from the store's speakers and synth's topic words."""
    import synth

    rng = random.Random(seed)
    rows = store.select("SELECT ?s ?l (COUNT(?c) AS ?n) WHERE { ?c q:speaker ?s . ?s skos:prefLabel ?l } "
                        "GROUP BY ?s ?l")
    names = [(str(r["l"]), int(r["n"])) for r in rows]
    weights = [n for _, n in names]
    topics = list(synth.TOPICS)
    out = []
    for i in range(k):
        shape = ["speaker-prolific", "speaker-any", "speaker-time", "who", "role", "speaker-de"][i % 6]
        t = rng.choice(topics)
        np_en = rng.choice(synth.TOPICS[t]["en"][0])
        np_de = rng.choice(synth.TOPICS[t]["de"][0])
        if shape == "speaker-prolific":
            name = rng.choices(names, weights)[0][0]
            q = f"What did {name} say about {np_en}?"
        elif shape == "speaker-any":
            name = rng.choice(names)[0]
            q = f"What did {name} say about {np_en}?"
        elif shape == "speaker-time":
            name = rng.choices(names, weights)[0][0]
            y = rng.randint(2019, 2026)
            q = f"What did {name} say about {np_en} in {y}?"
        elif shape == "who":
            q = f"Who said something about {np_en}?"
        elif shape == "role":
            q = rng.choice(["What did the US President say about {x}?", "Was sagte der Bundeskanzler über {y}?",
                            "What did the Russian president say about {x} in 2024?"]).format(x=np_en, y=np_de)
        else:
            name = rng.choices(names, weights)[0][0]
            q = f"Was sagte {name.split()[-1]} über {np_de}?"
        out.append((shape, q))
    return out


def run_queries(store_dir: Path, k: int, seed: int, out_json: Path | None) -> None:
    t0 = time.perf_counter()
    from kb.ask import Asker
    from kb.store.oxigraph import OxigraphStore

    store = OxigraphStore(store_dir, read_only=True)
    t_open = time.perf_counter() - t0
    asker = Asker(store)
    timings = asker.warm_up()
    print(f"start-up: imports+store open {t_open * 1000:.0f} ms, model load {timings['model_load_s'] * 1000:.0f} ms, "
          f"vector index load+check {timings['index_load_s'] * 1000:.0f} ms, "
          f"speaker names {timings['speaker_index_s'] * 1000:.0f} ms, "
          f"bilingual lexicon {timings['lexicon_load_s'] * 1000:.0f} ms")
    qs = questions(store, k, seed)
    lat: dict[str, list[float]] = {}
    allx: list[float] = []
    cpu: list[float] = []
    load0 = os.getloadavg()[0]
    n_answers = 0
    for shape, q in qs:
        asker.ask(q, limit=10)  # warm this shape
        t, c = time.perf_counter(), time.process_time()
        ans = asker.ask(q, limit=10)
        dt_ms = (time.perf_counter() - t) * 1000
        cpu.append((time.process_time() - c) * 1000)
        n_answers += len(ans["answers"])
        lat.setdefault(shape, []).append(dt_ms)
        allx.append(dt_ms)
    print(f"ask latency over {len(allx)} questions (limit 10, {n_answers / max(1, len(allx)):.1f} answers each): "
          f"median {statistics.median(allx):.1f} ms, p95 {pct(allx, 95):.1f} ms, max {max(allx):.1f} ms; "
          f"CPU time median {statistics.median(cpu):.1f} ms, p95 {pct(cpu, 95):.1f} ms "
          f"(machine load average {load0:.1f} -> {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    for shape, xs in sorted(lat.items()):
        print(f"  {shape:17s} n={len(xs):3d} median {statistics.median(xs):7.1f} ms  p95 {pct(xs, 95):7.1f} ms  "
              f"max {max(xs):7.1f} ms")
    if out_json:
        out_json.write_text(json.dumps({"startup": timings, "median_ms": statistics.median(allx),
                                        "p95_ms": pct(allx, 95), "by_shape": {
                                            s: {"median_ms": statistics.median(x), "p95_ms": pct(x, 95)}
                                            for s, x in lat.items()}}, indent=2))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--claims", type=int, default=100_000)
    ap.add_argument("--store-root", type=Path, default=Path("/tmp/quoth-bench-ask"))
    ap.add_argument("--questions", type=int, default=240)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--reuse", action="store_true", help="reuse a store built earlier with the same size")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--query-only", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    store_dir = args.store_root / f"ask-{args.claims}"
    if args.query_only:
        run_queries(store_dir, args.questions, args.seed, args.json)
        return 0
    args.store_root.mkdir(parents=True, exist_ok=True)
    build(store_dir, args.claims, args.seed, args.reuse)
    cmd = [sys.executable, __file__, "--query-only", "--claims", str(args.claims), "--store-root",
           str(args.store_root), "--questions", str(args.questions), "--seed", str(args.seed)]
    if args.json:
        cmd += ["--json", str(args.json)]
    return subprocess.call(cmd)


if __name__ == "__main__":
    sys.exit(main())
