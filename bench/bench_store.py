"""Benchmark: "claims of one speaker between two dates, newest first, 50 per page".

    python bench/bench_store.py --claims 100000 [--claims 10000 ...] [--store-root /tmp/qb]
                                [--queries 400] [--rdflib-queries 40] [--no-rdflib] [--reuse]

For each size N:

1. **Build** an embedded on-disk store of N synthetic statements (bench/synth.py, seed 0).
   The graphs are made by the product's own builders — ``GraphBuilder.statements_article`` +
   ``GraphBuilder.prepare`` (kb.builder) + ``kb.ontology.materialize`` — exactly the article graphs,
   ``…/inferred`` graphs and claim records ``quoth ingest --statements`` writes, but *without*
   SHACL validation and without the per-batch merge look-ups (the synthetic articles are new
   and chronological, so the first-seen claim record is the one the importer would keep).
   They are serialized to N-Quads and loaded with pyoxigraph ``bulk_load``; the ontology
   graph is loaded by ``kb.setup.ensure_ontology`` (and the gazetteer's speakers graph when
   the gazetteer loads). Prints generation, load time, quads, size on disk.
2. **Plain SPARQL**: ``kb.queries.list_claims(store, ClaimFilter(speaker, since, until), 50)``
   on the on-disk store (claim records from the claims graph, labels after paging: the
   earlier version joined ``OPTIONAL { ?speaker skos:prefLabel ?label }`` over the union of
   all graphs, one label copy per article naming the speaker, 12 s for a 511-claim speaker), over many (speaker, range) pairs drawn like real use: half the
   speakers picked in proportion to their claims (the prolific are looked up most), half
   uniformly (the long tail); ranges a month, a quarter, a year, several years or all time.
   Median, p95, max, and the same split by prolific (top 10) / other speakers.
3. **Side index** (kb/index.py, SQLite in the store directory): rebuild time, size, the
   index-only page lookup, and the whole page through ``kb.index.list_claims`` (index +
   SPARQL ``VALUES`` fetch); every result is checked against the plain SPARQL result.
4. **rdflib**: the same N-Quads in an rdflib ``Dataset(default_union=True)`` (in memory), the
   same SPARQL text (bound the same way, through a VALUES block) on a subset of the pairs;
   prints the median and the ratio rdflib / Oxigraph.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import shutil
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import pyoxigraph as ox  # noqa: E402

import synth  # noqa: E402
from kb.graph import Iris  # noqa: E402
from kb.ingest import Ingestor, _source_id, record_triples  # noqa: E402
from kb.queries import ClaimFilter, list_claims  # noqa: E402
from kb.sources import statement_from_json  # noqa: E402
from kb.store import to_oxigraph  # noqa: E402
from kb.store.oxigraph import OxigraphStore  # noqa: E402

META = "bench-meta.json"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = min(len(xs) - 1, max(0, int(round(p / 100 * (len(xs) - 1)))))
    return xs[k]


def fmt_ms(xs: list[float]) -> str:
    return (f"median {statistics.median(xs):7.2f} ms  p95 {pct(xs, 95):7.2f} ms  "
            f"max {max(xs):7.1f} ms  (n={len(xs)})")


# -- building ------------------------------------------------------------------------------
def _statement_groups(n: int, seed: int):
    """Statements grouped by source; the synthetic sources are contiguous."""
    cur_id, cur = None, []
    for line, obj in enumerate(synth.generate(n, seed), 1):
        st = statement_from_json(obj, "synth", line)
        sid = _source_id(st)
        if sid != cur_id and cur:
            yield cur_id, cur
            cur = []
        cur_id = sid
        cur.append(st)
    if cur:
        yield cur_id, cur


def _quads(graph, name: ox.NamedNode):
    for s, p, o in graph:
        yield ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), name)


def article_quads(iris: Iris, p, seen: set[str], cl=None) -> tuple[list[ox.Quad], list]:
    """What ``Ingestor`` writes for one new article, as quads: its graph, the records of the
    claims not ``seen`` before (added to ``seen``) with its speakers' facts, and (given the
    ontology closure ``cl``) what both entail. Returns the quads and the new records."""
    from kb.ontology import materialize

    g = iris.article_graph(p.article.id)
    out = list(_quads(p.graph, ox.NamedNode(str(g))))
    if cl is not None:
        out += _quads(materialize(p.graph, cl), ox.NamedNode(str(Iris.inferred(g))))
    new = [rec for c, rec in p.claims.items() if str(c) not in seen]
    seen.update(str(rec.iri) for rec in new)
    recs = [t for rec in new for t in rec.triples()]
    recs += [t for t in record_triples(p) if t[0] not in p.claims]  # who the speakers are
    out += _quads(recs, ox.NamedNode(str(iris.claims_graph)))
    if cl is not None:
        out += _quads(materialize(recs, cl), ox.NamedNode(str(Iris.inferred(iris.claims_graph))))
    return out, new


def write_nquads(store: OxigraphStore, n: int, seed: int, out: Path) -> dict:
    """Build the article graphs, inferred graphs and claim records of ``n`` statements as N-Quads."""
    from kb.ontology import closure

    cl = closure()
    ing = Ingestor(store, validator=object(), closure=cl)
    seen: set[str] = set()
    speakers: Counter = Counter()
    labels: dict[str, str] = {}
    first_date, last_date = "9999-12-31", "0000-01-01"
    n_articles = n_quads = 0
    chunk: list[ox.Quad] = []
    with out.open("wb") as fh:
        for sid, sts in _statement_groups(n, seed):
            article, quotes = ing.builder.statements_article(sid, sts)
            p = ing.builder.prepare(article, quotes, "import")
            quads, new = article_quads(ing.iris, p, seen, cl)
            chunk.extend(quads)
            for rec in new:
                speakers[str(rec.speaker)] += 1
                if str(rec.speaker) not in labels and rec.speaker is not None:
                    labels[str(rec.speaker)] = next((q.speaker.name for q in quotes if q.speaker), "")
                d = rec.date_said.isoformat()
                first_date = min(first_date, d)
                last_date = max(last_date, d)
            n_articles += 1
            if len(chunk) > 200_000:
                fh.write(ox.serialize(chunk, format=ox.RdfFormat.N_QUADS))
                n_quads += len(chunk)
                chunk = []
        fh.write(ox.serialize(chunk, format=ox.RdfFormat.N_QUADS))
        n_quads += len(chunk)
    return {"articles": n_articles, "claims": len(seen), "nquads_lines": n_quads,
            "speakers": dict(speakers), "first_date": first_date, "last_date": last_date}


def build(store_dir: Path, n: int, seed: int, keep_nq: Path | None) -> dict:
    from kb.setup import ensure_ontology, ensure_speakers

    if store_dir.exists():
        shutil.rmtree(store_dir)
    store = OxigraphStore(store_dir)
    nq = keep_nq or store_dir.parent / f"{store_dir.name}.nq"
    t0 = time.perf_counter()
    info = write_nquads(store, n, seed, nq)
    t1 = time.perf_counter()
    store.bulk_load_nquads(nq)
    store.flush()
    t2 = time.perf_counter()
    iris = Iris(store.base_iri)
    ensure_ontology(store, iris)
    try:
        from kb.extract.speakers import Gazetteer
        from kb.ontology import materialize

        ensure_speakers(store, iris, Gazetteer.load_default(), materialize)
    except Exception as e:  # noqa: BLE001 - the benchmark works without the gazetteer graph
        print(f"  (speakers graph not loaded: {e})")
    t3 = time.perf_counter()
    info.update(build_s=t1 - t0, bulk_load_s=t2 - t1, setup_s=t3 - t2, quads=len(store.native),
                nq_bytes=nq.stat().st_size, nq_path=str(nq), n=n, seed=seed,
                built=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))
    store.close()
    info["store_bytes"] = dir_size(store_dir)
    (store_dir / META).write_text(json.dumps(info))
    return info


# -- query pairs -----------------------------------------------------------------------------
def draw_pairs(info: dict, k: int, seed: int = 42, dates: tuple[dt.date, dt.date] | None = None
               ) -> list[tuple[str, dt.date, dt.date, str]]:
    """(speaker, since, until, kind) like real use: by popularity half the time, uniform otherwise.

    Ranges lie within ``dates`` (default: the store's first and last date said, from ``info``).
    """
    rng = random.Random(seed)
    sp = sorted(info["speakers"].items(), key=lambda kv: -kv[1])
    top = {s for s, _ in sp[:10]}
    names = [s for s, _ in sp]
    weights = [c for _, c in sp]
    lo, hi = dates or (dt.date.fromisoformat(info["first_date"]), dt.date.fromisoformat(info["last_date"]))
    span = (hi - lo).days
    out = []
    for _ in range(k):
        s = rng.choices(names, weights)[0] if rng.random() < 0.5 else rng.choice(names)
        width = rng.choice([30, 91, 365, 3 * 365, 100_000])
        if width >= span:
            since, until = lo, hi
        else:
            start = lo + dt.timedelta(days=rng.randrange(span - width))
            since, until = start, start + dt.timedelta(days=width)
        out.append((s, since, until, "top10" if s in top else "other"))
    return out


CPU: dict[int, list[float]] = {}  # id(times list) -> CPU ms per query, same order


def time_queries(fn, pairs) -> tuple[list[float], dict[str, list[float]], list]:
    """Wall ms per query (and CPU ms in CPU[id(times)]): the machine may be shared."""
    times, by_kind, results, cpu = [], {"top10": [], "other": []}, [], []
    for s, since, until, kind in pairs:
        t0, c0 = time.perf_counter(), time.process_time()
        res = fn(s, since, until)
        ms = (time.perf_counter() - t0) * 1000
        cpu.append((time.process_time() - c0) * 1000)
        times.append(ms)
        by_kind[kind].append(ms)
        results.append(res)
    CPU[id(times)] = cpu
    return times, by_kind, results


def fmt_cpu(times: list[float], pairs) -> str:
    cpu = CPU.get(id(times), [])
    top = [c for c, p in zip(cpu, pairs) if p[3] == "top10"]
    return (f"CPU: median {statistics.median(cpu):.2f} ms, p95 {pct(cpu, 95):.2f} ms, "
            f"top10 median {statistics.median(top) if top else float('nan'):.2f} ms "
            f"(load average {os.getloadavg()[0]:.1f})")


class RdflibStore:
    """Just enough of kb.store.Store for kb.queries.list_claims over an rdflib Dataset."""

    def __init__(self, nq: Path):
        from rdflib import Dataset

        from kb.vocab import PREFIXES

        from kb.store import DEFAULT_BASE_IRI

        self.base_iri = DEFAULT_BASE_IRI
        self.ds = Dataset(default_union=True)
        self.ds.parse(str(nq), format="nquads")
        self.ns = dict(PREFIXES)

    def select(self, sparql, bindings=None):
        from kb.store.sparql_text import bind_values

        res = self.ds.query(bind_values(sparql, bindings), initNs=self.ns)
        names = [str(v) for v in res.vars]
        return [{n: row[i] for i, n in enumerate(names) if row[i] is not None} for row in res]


# -- main ------------------------------------------------------------------------------------
def run_size(n: int, args) -> dict:
    store_dir = Path(args.store_root) / f"store-{n}"
    meta = store_dir / META
    print(f"\n=== {n:,} statements  (store {store_dir}) ===")
    if args.reuse and meta.exists():
        info = json.loads(meta.read_text())
        print("  reusing the store built", info["built"])
    else:
        t0 = time.perf_counter()
        info = build(store_dir, n, args.seed, None)
        print(f"  built graphs + N-Quads {info['build_s']:.1f} s, bulk_load {info['bulk_load_s']:.1f} s, "
              f"ontology/speakers {info['setup_s']:.1f} s  (total {time.perf_counter() - t0:.1f} s)")
    print(f"  articles {info['articles']:,}  claims {info['claims']:,}  speakers {len(info['speakers']):,}  "
          f"quads {info['quads']:,}  ({info['quads'] / max(1, info['claims']):.1f} per claim)")
    print(f"  store on disk {info['store_bytes'] / 1e6:.1f} MB  (N-Quads {info['nq_bytes'] / 1e6:.1f} MB)"
          f"  load time (bulk_load) {info['bulk_load_s']:.1f} s")
    out = {"n": n, "info": {k: v for k, v in info.items() if k != "speakers"}}
    if args.build_only:
        return out

    store = OxigraphStore(store_dir)
    pairs = draw_pairs(info, args.queries)
    # warm-up (first queries open RocksDB files)
    for s, since, until, _ in pairs[:10]:
        list_claims(store, ClaimFilter(speaker=s, since=since, until=until), limit=50)

    counts = info["speakers"]
    # 2. plain SPARQL: the product's listing (claims graph, labels after paging)
    def plain(s, since, until):
        return list_claims(store, ClaimFilter(speaker=s, since=since, until=until), limit=50)

    times, by_kind, plain_res = time_queries(plain, pairs)
    print(f"  plain SPARQL (kb.queries.list_claims, disk): {fmt_ms(times)}")
    print(f"      {fmt_cpu(times, pairs)}")
    for k, v in by_kind.items():
        if v:
            print(f"      {k:6s}: {fmt_ms(v)}")
    out["plain"] = {"median": statistics.median(times), "p95": pct(times, 95), "max": max(times),
                    "cpu_median": statistics.median(CPU[id(times)]), "cpu_p95": pct(CPU[id(times)], 95),
                    "top10_median": statistics.median(by_kind["top10"]) if by_kind["top10"] else None,
                    "other_median": statistics.median(by_kind["other"]) if by_kind["other"] else None}

    if not args.no_index:
        from kb import index as kbi

        idx_path = store_dir / kbi.INDEX_FILE
        if idx_path.exists():
            idx_path.unlink()
        t0 = time.perf_counter()
        idx = kbi.ClaimIndex.for_store(store)
        nidx = idx.rebuild(store)
        rebuild_s = time.perf_counter() - t0
        print(f"  side index: rebuilt {nidx:,} claims in {rebuild_s:.2f} s, "
              f"{idx_path.stat().st_size / 1e6:.1f} MB, "
              f"fresh={idx.is_fresh(store)}")
        t_page = []
        for s, since, until, _ in pairs:
            t0 = time.perf_counter()
            idx.page(s, since, until, 51)
            t_page.append((time.perf_counter() - t0) * 1000)
        t_gen = []
        for _ in range(200):
            t0 = time.perf_counter()
            kbi.store_generation(store)
            t_gen.append((time.perf_counter() - t0) * 1000)

        def indexed(s, since, until):
            return kbi.list_claims(store, ClaimFilter(speaker=s, since=since, until=until), limit=50, index=idx)

        times_i, by_kind_i, idx_res = time_queries(indexed, pairs)
        mismatches = sum(1 for a, b in zip(plain_res, idx_res) if a["items"] != b["items"]
                         or a["next_cursor"] != b["next_cursor"])
        if mismatches:
            bad = next((a, b) for a, b in zip(plain_res, idx_res) if a["items"] != b["items"]
                       or a["next_cursor"] != b["next_cursor"])
            print("  first mismatch:", json.dumps(bad[0]["items"][:2])[:400], "vs", json.dumps(bad[1]["items"][:2])[:400])
        print(f"  index page lookup only (SQLite): {fmt_ms(t_page)}")
        print(f"  generation check: median {statistics.median(t_gen) * 1000:.0f} µs")
        print(f"  via side index (kb.index.list_claims: check + SQLite + native row fetch): {fmt_ms(times_i)}")
        print(f"      {fmt_cpu(times_i, pairs)}")
        for k, v in by_kind_i.items():
            if v:
                print(f"      {k:6s}: {fmt_ms(v)}")
        print(f"  results identical to plain SPARQL: {len(pairs) - mismatches}/{len(pairs)}")
        # page 2 through cursors agree too
        cur_ok = 0
        for (s, since, until, _), a in list(zip(pairs, plain_res))[:50]:
            f = ClaimFilter(speaker=s, since=since, until=until)
            if a["next_cursor"]:
                p2a = list_claims(store, f, 50, a["next_cursor"])
                p2b = kbi.list_claims(store, f, 50, a["next_cursor"], index=idx)
                cur_ok += p2a["items"] == p2b["items"]
            else:
                cur_ok += 1
        print(f"  second pages identical: {cur_ok}/{min(50, len(pairs))}")
        out["index"] = {"median": statistics.median(times_i), "p95": pct(times_i, 95), "max": max(times_i),
                        "cpu_median": statistics.median(CPU[id(times_i)]), "cpu_p95": pct(CPU[id(times_i)], 95),
                        "page_median": statistics.median(t_page), "page_p95": pct(t_page, 95),
                        "rebuild_s": rebuild_s, "bytes": idx_path.stat().st_size, "mismatches": mismatches,
                        "top10_median": statistics.median(by_kind_i["top10"]) if by_kind_i["top10"] else None}
        idx.close()
    store.close()

    nq = Path(info["nq_path"])
    if not args.no_rdflib and nq.exists() and n <= args.rdflib_max:
        print(f"  rdflib: loading {nq.stat().st_size / 1e6:.0f} MB of N-Quads into Dataset(default_union=True) …",
              flush=True)
        t0 = time.perf_counter()
        rs = RdflibStore(nq)
        load_s = time.perf_counter() - t0
        sub = pairs[: args.rdflib_queries]
        for s, since, until, _ in sub[:2]:
            list_claims(rs, ClaimFilter(speaker=s, since=since, until=until), limit=50)
        t_rdf, _, rdf_res = time_queries(
            lambda s, since, until: list_claims(rs, ClaimFilter(speaker=s, since=since, until=until), limit=50),
            sub)
        same = sum(1 for a, b in zip(plain_res, rdf_res) if [i["claim"] for i in a["items"]] == [i["claim"] for i in b["items"]])
        med_ox = statistics.median(times[: len(sub)])
        ratio = statistics.median(t_rdf) / med_ox
        print(f"  rdflib in memory: load {load_s:.1f} s, RSS now {rss_mb():.0f} MB; {fmt_ms(t_rdf)}; "
              f"same claims {same}/{len(sub)}")
        print(f"  ratio rdflib / Oxigraph disk (medians over the same {len(sub)} pairs): {ratio:.1f}x "
              f"(Oxigraph {med_ox:.2f} ms)")
        out["rdflib"] = {"load_s": load_s, "median": statistics.median(t_rdf), "ratio": ratio, "n": len(sub),
                         "oxigraph_same_pairs_median": med_ox}
        del rs
    if not args.keep_nq and nq.exists():
        nq.unlink()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--claims", type=int, action="append", help="statements (repeatable); default 10k and 100k")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--store-root", default=os.environ.get("QUOTH_BENCH_DIR", "/tmp/quoth-bench"))
    ap.add_argument("--queries", type=int, default=400)
    ap.add_argument("--rdflib-queries", type=int, default=40)
    ap.add_argument("--rdflib-max", type=int, default=200_000, help="skip rdflib above this size")
    ap.add_argument("--no-rdflib", action="store_true")
    ap.add_argument("--no-index", action="store_true")
    ap.add_argument("--reuse", action="store_true", help="reuse a store built before (same size)")
    ap.add_argument("--keep-nq", action="store_true", help="keep the N-Quads file beside the store")
    ap.add_argument("--build-only", action="store_true", help="build the stores, measure nothing")
    ap.add_argument("--json", help="write the figures to this file")
    args = ap.parse_args(argv)
    Path(args.store_root).mkdir(parents=True, exist_ok=True)
    sizes = args.claims or [10_000, 100_000]
    print(f"bench_store  {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC  cores={os.cpu_count()}  "
          f"pyoxigraph {ox.__version__ if hasattr(ox, '__version__') else '?'}")
    results = [run_size(n, args) for n in sizes]
    print(f"\npeak RSS {rss_mb():.0f} MB")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
