#!/usr/bin/env python
"""Throughput of kb.extract on ~400-token articles.

    python bench/bench_extract.py [PATH_TO_SHARED_DATA] [--n 200] [--lang de|en] [--polnear PATH]

With a data path, dev articles of the German Wikinews set are concatenated/cut into
~400-token articles; for --lang en, ``--polnear PATH`` (a checkout of networkdynamics/PolNeAR)
cuts its train articles to ~400 tokens; otherwise synthetic news text is generated.
Prints model load time separately, then articles/s and tokens/s (whitespace tokens)
for a warm extractor (one process, one thread), and the process's peak resident memory.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kb.model import Article  # noqa: E402

SYN = {
    "de": {
        "names": ["Anna Berger", "Jonas Keller", "Der Minister", "Die Sprecherin der Stadt", "Kanzler Olaf Scholz", "Er", "Sie"],
        "templates": [
            "„{a} ist für uns entscheidend“, sagte {n}.",
            "{n} sagte am Dienstag, die Lage sei {b} und man werde {c}.",
            "Laut {n} hat die Regierung {c}.",
            "Die Verhandlungen sollen {b} verlaufen sein.",
            "Es gebe keinen Grund zur Sorge, erklärte {n} vor Journalisten.",
            "Im Stadtrat wurde über den Haushalt für das kommende Jahr gestritten.",
            "Nach Angaben der Polizei wurden drei Menschen leicht verletzt.",
            "{n} kündigte an, die Pläne im Herbst vorzulegen.",
        ],
        "fill": {"a": ["Die Reform", "Der Ausbau", "Diese Entscheidung"], "b": ["schwierig", "ruhig", "offen"],
                 "c": ["neue Mittel bereitstellen", "die Gespräche fortsetzen", "den Plan überarbeiten"]},
    },
    "en": {
        "names": ["Anna Berger", "the minister", "A city spokeswoman", "Prime Minister Keir Starmer", "He", "She"],
        "templates": [
            "\u201c{a} is decisive for us,\u201d {n} said.",
            "{n} said on Tuesday that the situation was {b} and that officials would {c}.",
            "According to {n}, the government has agreed to {c}.",
            "The talks were described as {b} by observers.",
            "There was no reason for concern, {n} told reporters.",
            "The council argued about next year's budget for hours.",
            "Police said three people were slightly injured.",
        ],
        "fill": {"a": ["The reform", "This decision", "The expansion"], "b": ["difficult", "calm", "open"],
                 "c": ["provide new funds", "continue the talks", "revise the plan"]},
    },
}


def synthetic(lang: str, n: int, tokens: int = 400, seed: int = 7) -> list[Article]:
    rnd = random.Random(seed)
    spec = SYN[lang]
    arts = []
    for i in range(n):
        sents, count = [], 0
        while count < tokens:
            t = rnd.choice(spec["templates"])
            s = t.format(n=rnd.choice(spec["names"]), **{k: rnd.choice(v) for k, v in spec["fill"].items()})
            s = s[0].upper() + s[1:]
            sents.append(s)
            count += len(s.split())
            if rnd.random() < 0.25:
                sents.append("\n\n")
        text = " ".join(sents).replace(" \n\n ", "\n\n")
        arts.append(Article(id=f"syn{i}", text=text, date=dt.date(2025, 8, 15), language=lang))
    return arts


def from_wikinews(data: Path, n: int, tokens: int = 400) -> list[Article]:
    path = data / "wikinews-de-quotes" / "dev.jsonl.gz"
    raw = [json.loads(line) for line in gzip.open(path, "rt", encoding="utf-8")]
    arts, buf, date = [], [], None
    for a in raw * 10:
        buf.append(a["text"])
        date = a["date"]
        words = "\n\n".join(buf).split(" ")
        if len(words) >= tokens:
            arts.append(Article(id=f"wn{len(arts)}", text=" ".join(words[:tokens]),
                                date=dt.date.fromisoformat(date), language="de"))
            buf = []
            if len(arts) >= n:
                break
    return arts


def from_polnear(root: Path, n: int, tokens: int = 400) -> list[Article]:
    """PolNeAR train articles (never data/test) joined paragraph by paragraph into articles of
    ~``tokens`` whitespace tokens."""
    arts: list[Article] = []
    buf: list[str] = []
    for p in sorted((root / "data" / "train" / "text").glob("*.txt")):
        for para in p.read_text(encoding="utf-8").split("\n"):
            if not para.strip():
                continue
            buf.append(para)
            if sum(len(b.split()) for b in buf) >= tokens:
                arts.append(Article(id=f"pn{len(arts)}", text="\n\n".join(buf), date=dt.date(2016, 10, 1),
                                    language="en"))
                buf = []
                if len(arts) >= n:
                    return arts
    return arts


def peak_rss_mb() -> float:
    """Peak resident set size of this process in MB (Linux ru_maxrss is in KiB)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data", type=Path, nargs="?", help="path to shared/data (optional)")
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--lang", default="de", choices=["de", "en"])
    ap.add_argument("--polnear", type=Path, help="PolNeAR checkout: real English articles for --lang en")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    from kb.extract import Extractor

    ex = Extractor()
    ex.warm_up()
    load = time.perf_counter() - t0

    if args.data and args.lang == "de":
        arts, source = from_wikinews(args.data, args.n), "wikinews-de dev, cut to 400 tokens"
    elif args.polnear and args.lang == "en":
        arts, source = from_polnear(args.polnear, args.n), "PolNeAR train, cut to ~400 tokens"
    else:
        arts, source = synthetic(args.lang, args.n), f"synthetic {args.lang}, ~400 tokens"
    ntok = sum(len(a.text.split()) for a in arts)
    for a in arts[:5]:  # warm caches as a long-running process would be
        ex.extract(a)
    t = time.perf_counter()
    c = time.process_time()
    nq = 0
    for a in arts:
        nq += len(ex.extract(a))
    el = time.perf_counter() - t
    cpu = time.process_time() - c
    print(f"source            {source}")
    print(f"model load        {load:.2f} s (SoMaJo de, spaCy en_core_web_sm, lexicons, gazetteer; once per process)")
    print(f"articles          {len(arts)} ({ntok / len(arts):.0f} tokens avg), {nq} quotes")
    print(f"throughput        {len(arts) / el:.1f} articles/s, {ntok / el:.0f} tokens/s (wall clock)")
    print(f"per CPU second    {len(arts) / cpu:.1f} articles/s, {ntok / cpu:.0f} tokens/s (one core; other load on the machine excluded)")
    print(f"memory            {peak_rss_mb():.0f} MB peak resident (this process)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
