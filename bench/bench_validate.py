"""How fast is SHACL validation (kb.validate) per article graph?

    .venv/bin/python bench/bench_validate.py [--sizes 50,200,500] [--repeat 3] [--hermit]

Prints ms per article graph for single validation and for batches (validate_many),
for a text article (~110 triples: 3 claims, 3 mentions, 2 segments, 3 speakers, a role)
and for a structured statement (~30 triples: 1 claim, 1 mention, no article text),
with the implied statements/s ceiling (statements = mentions), by wall clock and by
CPU time (what one idle core would do: the wall clock suffers when the machine is
shared). With --hermit also
times HermiT (closure computation), a closure cache hit and materialize().

Article graphs are made from tests/data/shapes/valid.ttl by renaming the article,
claim and mention IRIs; speakers, role and activity are shared (identical) across
articles, as in real batches.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import rdflib

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kb.validate import Validator  # noqa: E402

VALID = ROOT / "tests" / "data" / "shapes" / "valid.ttl"

STATEMENT = """
@prefix q:      <https://w3id.org/quoth/ontology#> .
@prefix schema: <http://schema.org/> .
@prefix nif:    <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .
@prefix prov:   <http://www.w3.org/ns/prov#> .
@prefix skos:   <http://www.w3.org/2004/02/skos/core#> .
@prefix dct:    <http://purl.org/dc/terms/> .
@prefix xsd:    <http://www.w3.org/2001/XMLSchema#> .
@prefix b:      <http://127.0.0.1:8000/> .
b:article\\/s{i} a q:Article ; dct:identifier "s{i}" ; schema:datePublished "2025-08-15"^^xsd:date ;
    schema:inLanguage "en" ; schema:headline "Source {i}" ; schema:url "https://example.org/s{i}" .
b:claim\\/s{i} a q:Claim ; q:speaker b:speaker\\/sp{k} ; q:text "Statement number {i}."@en ;
    q:dateSaid "2025-08-14"^^xsd:date ; q:quoteType q:Direct ; q:certainty q:Certain .
b:mention\\/s{i} a q:Mention ; q:mentionOf b:claim\\/s{i} ; q:inArticle b:article\\/s{i} ;
    nif:anchorOf "Statement number {i}." ; q:quoteType q:Direct ; q:dateSaid "2025-08-14"^^xsd:date ;
    q:dateBasis "explicit" ; q:confidence 1.0 ; prov:wasGeneratedBy b:activity\\/import\\/0.1.0 .
b:speaker\\/sp{k} a q:Person ; skos:prefLabel "Speaker {k}" .
b:activity\\/import\\/0.1.0 a prov:Activity .
"""


def article(i: int, src: str) -> rdflib.Graph:
    s = src.replace("article\\/a1", f"article\\/a{i}").replace('"a1"', f'"a{i}"')
    s = re.sub(r"claim\\/c(\d)", lambda m: f"claim\\/a{i}c{m.group(1)}", s)
    s = re.sub(r"mention\\/m(\d)", lambda m: f"mention\\/a{i}m{m.group(1)}", s)
    return rdflib.Graph().parse(data=s, format="turtle")


def statement(i: int) -> rdflib.Graph:
    return rdflib.Graph().parse(data=STATEMENT.format(i=i, k=i % 40), format="turtle")


def bench_kind(name: str, graphs: list[rdflib.Graph], mentions_per_graph: int, sizes: list[int],
               repeat: int) -> None:
    v = Validator()
    ntriples = statistics.mean(len(g) for g in graphs[:20])
    print(f"\n== {name}: ~{ntriples:.0f} triples, {mentions_per_graph} mention(s) per graph ==")
    v.validate(graphs[0])  # warm-up: parses shapes and SPARQL once for this thread
    times, cpu = [], []
    for g in graphs[:30]:
        t, c = time.perf_counter(), time.process_time()
        rep = v.validate(g)
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
        assert rep.conforms, rep.text
    ms = statistics.median(times) * 1000
    cms = statistics.median(cpu) * 1000
    print(f"single validate()     : {ms:7.2f} ms/graph  -> {1000 / ms * mentions_per_graph:7.0f} statements/s"
          f"   | CPU {cms:6.2f} ms/graph -> {1000 / cms * mentions_per_graph:6.0f} statements/s per core")
    for n in sizes:
        batch = graphs[:n]
        best = best_cpu = None
        for _ in range(repeat):
            calls = v.calls
            t, c = time.perf_counter(), time.process_time()
            reps = v.validate_many(batch)
            dt, dc = time.perf_counter() - t, time.process_time() - c
            assert all(r.conforms for r in reps)
            best = dt if best is None else min(best, dt)
            best_cpu = dc if best_cpu is None else min(best_cpu, dc)
        per = best * 1000 / len(batch)
        cper = best_cpu * 1000 / len(batch)
        print(f"validate_many({len(batch):4d})   : {per:7.2f} ms/graph  -> "
              f"{1000 / per * mentions_per_graph:7.0f} statements/s   | CPU {cper:6.2f} ms/graph -> "
              f"{1000 / cper * mentions_per_graph:6.0f} statements/s per core  ({v.calls - calls} pyshacl run(s))")


def bench_hermit() -> None:
    from kb import ontology as onto

    print("\n== ontology ==")
    t = time.perf_counter()
    rep = onto.check_consistency()
    print(f"check_consistency (HermiT, incl. JVM start): {time.perf_counter() - t:6.2f} s  -> {rep.message}")
    with tempfile.TemporaryDirectory() as d:
        onto.clear_memory_cache()
        t = time.perf_counter()
        cl = onto.closure(cache_dir=d, reasoner="HermiT")
        print(f"closure, cache miss (HermiT)               : {time.perf_counter() - t:6.2f} s")
        onto.clear_memory_cache()
        t = time.perf_counter()
        cl = onto.closure(cache_dir=d, reasoner="HermiT")
        print(f"closure, disk cache hit                    : {(time.perf_counter() - t) * 1000:6.2f} ms (cached={cl.cached})")
        t = time.perf_counter()
        onto.closure(cache_dir=d, reasoner="HermiT")
        print(f"closure, memory hit                        : {(time.perf_counter() - t) * 1000:6.3f} ms")
    g = rdflib.Graph().parse(VALID, format="turtle")
    onto.materialize(g, cl)
    t, c = time.perf_counter(), time.process_time()
    for _ in range(100):
        inf = onto.materialize(g, cl)
    print(f"materialize (one article, {len(g)} -> +{len(inf)} triples): {(time.perf_counter() - t) * 10:6.2f} ms"
          f" (CPU {(time.process_time() - c) * 10:.2f} ms)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="50,200,500")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--hermit", action="store_true", help="also time HermiT, the closure cache and materialize")
    ap.add_argument("--only", choices=["article", "statement"], default=None)
    args = ap.parse_args()
    sizes = [int(x) for x in args.sizes.split(",") if x]
    n = max(sizes + [30])
    src = VALID.read_text(encoding="utf-8")
    if args.only in (None, "article"):
        bench_kind("text article", [article(i, src) for i in range(n)], 3, sizes, args.repeat)
    if args.only in (None, "statement"):
        bench_kind("structured statement", [statement(i) for i in range(n)], 1, sizes, args.repeat)
    if args.hermit:
        bench_hermit()


if __name__ == "__main__":
    main()
