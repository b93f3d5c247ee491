"""The SPARQL query shapes people write first, timed on a large embedded store (issue 11 item 3).

    python bench/bench_sparql_shapes.py STORE_DIR [--repeat 20] [--speakers 10] [--timeout 30]

Opens the store read-only with the union default graph (as ``quoth serve``'s query workers do) and runs each shape of
:data:`SHAPES` for ``--speakers`` speakers of different sizes (the most prolific first, then
ranks 10, 100, 1000 …), ``--repeat`` runs in all, in-process with pyoxigraph (no HTTP). Prints
median, p95 and max wall ms and the rows of each shape, so docs/API.md can say which shapes are
fast and which to avoid. A shape slower than ``--timeout`` seconds once is not run again.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from kb.base_iri import recorded_base  # noqa: E402
from kb.graph import Iris  # noqa: E402
from kb.store.oxigraph import OxigraphStore  # noqa: E402
from kb.vocab import PREFIXES  # noqa: E402

#: name -> query text ({s}: a speaker IRI, {claims}: the claims graph IRI)
SHAPES: dict[str, str] = {
    "speaker's 50 newest (default graph)":
        "SELECT ?c ?text ?date WHERE {{ ?c q:speaker <{s}> ; q:text ?text ; q:dateSaid ?date }} "
        "ORDER BY DESC(?date) LIMIT 50",
    "speaker's 50 newest (GRAPH claims)":
        "SELECT ?c ?text ?date WHERE {{ GRAPH <{claims}> {{ ?c q:speaker <{s}> ; q:text ?text ; q:dateSaid ?date }} }} "
        "ORDER BY DESC(?date) LIMIT 50",
    "speaker's claims in one year":
        "SELECT ?c ?date WHERE {{ ?c q:speaker <{s}> ; q:dateSaid ?date "
        'FILTER(?date >= "2023-01-01"^^xsd:date && ?date < "2024-01-01"^^xsd:date) }} ORDER BY ?date',
    "speaker by label (README example)":
        "SELECT ?text ?date WHERE {{ ?c q:speaker ?sp ; q:text ?text ; q:dateSaid ?date . "
        "?sp skos:prefLabel ?name . <{s}> skos:prefLabel ?name }} ORDER BY ?date LIMIT 100",
    "count of a speaker's claims":
        "SELECT (COUNT(?c) AS ?n) WHERE {{ ?c q:speaker <{s}> }}",
    "speaker's claims with article headline":
        "SELECT ?c ?title WHERE {{ ?c q:speaker <{s}> . ?m q:mentionOf ?c ; q:inArticle ?a . "
        "?a schema:headline ?title }} LIMIT 50",
    "all claims in one month, first 50 by date":
        'SELECT ?c ?date WHERE {{ ?c q:dateSaid ?date FILTER(?date >= "2024-03-01"^^xsd:date && '
        '?date < "2024-04-01"^^xsd:date) }} ORDER BY ?date LIMIT 50',
    "claims per speaker, top 20":
        "SELECT ?sp (COUNT(?c) AS ?n) WHERE {{ ?c q:speaker ?sp }} GROUP BY ?sp ORDER BY DESC(?n) LIMIT 20",
    "claims per quote type":
        "SELECT ?t (COUNT(?c) AS ?n) WHERE {{ GRAPH <{claims}> {{ ?c q:quoteType ?t }} }} GROUP BY ?t",
    "text contains a word (no index; use /claims?q=)":
        'SELECT ?c ?text WHERE {{ ?c q:text ?text FILTER(CONTAINS(LCASE(STR(?text)), "klima")) }} LIMIT 20',
}


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, int(round(p / 100 * (len(xs) - 1)))))]


def speakers_by_rank(store: OxigraphStore, claims: str, n: int) -> list[tuple[int, str, int]]:
    """(rank, IRI, claims) of speakers at ranks 1, 10, 100, 1000, … and the top ones up to n."""
    rows = store.native.query(
        f"PREFIX q: <{PREFIXES['q']}> SELECT ?s (COUNT(?c) AS ?k) WHERE {{ GRAPH <{claims}> {{ ?c q:speaker ?s }} }} "
        "GROUP BY ?s ORDER BY DESC(?k)")
    ranked = [(i + 1, r["s"].value, int(r["k"].value)) for i, r in enumerate(rows)]
    picks = [r for r in ranked if r[0] in (10, 100, 1000, 10000)]
    return sorted(ranked[: max(0, n - len(picks))] + picks)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("store", type=Path)
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--speakers", type=int, default=10)
    ap.add_argument("--timeout", type=float, default=30.0)
    a = ap.parse_args(argv)
    with OxigraphStore(a.store, read_only=True) as store:
        base = recorded_base(store)
        if base is None:
            raise SystemExit(f"{a.store}: an empty store")
        claims = str(Iris(base).claims_graph)
        speakers = speakers_by_rank(store, claims, a.speakers)
        print(f"{a.store}: {store.triple_count():,} quads; speakers (rank, claims): "
              + ", ".join(f"{r}:{k}" for r, _, k in speakers))
        prefixes = "".join(f"PREFIX {p}: <{u}>\n" for p, u in PREFIXES.items())
        print("| shape | median ms | p95 ms | max ms | rows (median) |\n|---|---|---|---|---|")
        for name, text in SHAPES.items():
            times, rows, slow = [], [], False
            for i in range(a.repeat):
                _, s, _ = speakers[i % len(speakers)]
                q = prefixes + text.format(s=s, claims=claims)
                t0 = time.perf_counter()
                n = sum(1 for _ in store.native.query(q, use_default_graph_as_union=True))
                times.append((time.perf_counter() - t0) * 1000)
                rows.append(n)
                if times[-1] > a.timeout * 1000:
                    slow = True
                    break
            flag = " (stopped: over the timeout)" if slow else ""
            print(f"| {name}{flag} | {statistics.median(times):,.1f} | {pct(times, 95):,.1f} | "
                  f"{max(times):,.1f} | {statistics.median(rows):,.0f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
