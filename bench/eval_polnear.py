#!/usr/bin/env python
"""Score English attribution on PolNeAR (networkdynamics/PolNeAR, US political news of 2016).

    python bench/eval_polnear.py PATH_TO_POLNEAR_CHECKOUT [--split train dev] [--limit N]
                                 [--extractor current|rules|parse] [--details FILE] [--json]

``--extractor current`` scores kb.extract as ``quoth extract`` runs it (English: the parse stage,
kb/extract/lang/en/parse_stage.py); ``rules`` scores the rule pipeline (kb/extract/pipeline.py) on English
(``QUOTH_EN_EXTRACTOR=rules``); ``parse`` is the parse stage called directly (en_parse.to_quotes).

PATH is a checkout of the public repository (only ``data/<split>/text`` and
``data/<split>/attributions`` are read; ``data/test`` never is). Where an article was annotated
by more than one annotator, the first annotation file (by name) is used.

Matching (DESIGN.md §7, the scorer of bench/eval_extract.py): predicted quote spans and annotated
content spans are matched one to one by character Jaccard (non-space characters, quotation marks
ignored); quote P/R/F1 use the overlap as partial credit; a matched pair's speaker is right when
the predicted speaker mention overlaps the annotated source (an attribution without a source
wants no speaker); joint F1 counts pairs with overlap >= 0.5 and the right speaker.

Three rows per split: all attributions (every predicted quote against every annotated content),
and two rows of direct quotes only. The annotated side of both is defined by surface form
(PolNeAR has no quote types): a content holding a double quotation mark or lying partly within
quotation marks. The predicted side is

- ``typed``: the predicted quotes typed ``Direct`` (the old row; a mixed quote, "said the plan
  was “a disaster”", is typed ``Indirect`` by the product and so can never count here, although
  the annotated side holds it);
- ``surface``: the predicted quotes whose spans meet the SAME surface definition (symmetric;
  the product's types play no part).

See docs/EXTRACTION.md (issue 13) for why both are printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.eval_extract import Score, charset, match  # noqa: E402
from kb.model import Article  # noqa: E402

_OPEN_CLOSE = {"“": "”", '"': '"'}
_DATE = re.compile(r"_(\d{4}-\d{2}-\d{2})_")


@dataclass
class Attribution:
    """One annotated attribution: content spans and source spans (character offsets)."""

    content: list[tuple[int, int]]
    source: list[tuple[int, int]] = field(default_factory=list)
    cue: list[tuple[int, int]] = field(default_factory=list)
    direct: bool = False


def _spans(field_: str) -> list[tuple[int, int]]:
    out = []
    for part in field_.split(";"):
        a, b = part.split()
        out.append((int(a), int(b)))
    return out


def quoted_regions(text: str) -> list[tuple[int, int]]:
    """Character ranges between paired quotation marks (“…” and "…"), marks included."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        close = _OPEN_CLOSE.get(c)
        if close is None:
            i += 1
            continue
        j = text.find(close, i + 1)
        nl = text.find("\n\n", i + 1)
        if j < 0:
            break
        if nl != -1 and nl < j and close == '"':
            i += 1
            continue
        out.append((i, j + 1))
        i = j + 1
    return out


def is_direct(text: str, spans: list[tuple[int, int]], regions: list[tuple[int, int]]) -> bool:
    """True when the content holds a double quotation mark or lies (partly) within quotation marks
    (PolNeAR does not label quote types; a content with a quoted part counts as direct)."""
    if any(m in text[a:b] for a, b in spans for m in "“”\""):
        return True
    return any(_overlap((a, b), r) for a, b in spans for r in regions)


def surface_direct(text: str, quotes, regions: list[tuple[int, int]]) -> list:
    """The predicted quotes that are direct by the surface definition of :func:`is_direct`
    (the one the annotated contents are classed by), whatever their type."""
    return [q for q in quotes if is_direct(text, list(q.spans), regions)]


SUBSETS = ("all attributions", "direct quotes only (pred. typed Direct)",
           "direct quotes only (pred. by surface, symmetric)")


def parse_ann(ann: str, text: str) -> list[Attribution]:
    """Attributions of one brat ``.ann`` file (Source/Cue/Content text-bound annotations linked
    by ``Attribution`` events)."""
    tb: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    events = []
    for line in ann.splitlines():
        cols = line.split("\t")
        if not cols or not cols[0]:
            continue
        if cols[0].startswith("T") and len(cols) >= 2:
            kind, _, rest = cols[1].partition(" ")
            try:
                tb[cols[0]] = (kind, _spans(rest))
            except ValueError:
                continue
        elif cols[0].startswith("E") and len(cols) >= 2:
            events.append(cols[1].split())
    regions = quoted_regions(text)
    out = []
    for ev in events:
        roles: dict[str, list[tuple[int, int]]] = {}
        for arg in ev[1:]:
            role, _, tid = arg.partition(":")
            role = re.sub(r"\d+$", "", role)
            if tid in tb:
                roles.setdefault(role, []).extend(tb[tid][1])
        if not roles.get("Content"):
            continue
        content = sorted(roles["Content"])
        out.append(Attribution(content, sorted(roles.get("Source", [])), sorted(roles.get("Cue", [])),
                               is_direct(text, content, regions)))
    return out


def load_split(root: Path, split: str) -> list[tuple[str, str, dt.date, list[Attribution]]]:
    """(article id, text, date, attributions) for each article of a split, one annotator each."""
    if split == "test":
        raise SystemExit("the PolNeAR test split is not to be read")
    base = root / "data" / split
    texts = {p.stem: p for p in sorted((base / "text").glob("*.txt"))}
    chosen: dict[str, Path] = {}
    for p in sorted((base / "attributions").glob("*.ann")):
        stem = re.sub(r"_[0-9a-f]{4}$", "", p.stem)
        if stem in texts and stem not in chosen:
            chosen[stem] = p
    out = []
    for stem, ann in sorted(chosen.items()):
        text = texts[stem].read_text(encoding="utf-8")
        m = _DATE.search(stem)
        date = dt.date.fromisoformat(m.group(1)) if m else dt.date(2016, 1, 1)
        out.append((stem, text, date, parse_ann(ann.read_text(encoding="utf-8"), text)))
    return out


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def speaker_ok(quote, gold: Attribution) -> bool:
    """The predicted speaker mention overlaps the annotated source (none wanted when there is none)."""
    m = quote.speaker.mention if quote.speaker else None
    if not gold.source:
        return m is None
    if m is None:
        return False
    return any(_overlap((m.start, m.end), s) for s in gold.source)


def evaluate(root: Path, split: str, extract, limit: int | None = None, details=None) -> list[dict]:
    """Score ``extract(Article) -> list[Quote]`` on a split; returns one report per :data:`SUBSETS`."""
    arts = load_split(root, split)[:limit]
    all_sc, dq_sc, ds_sc = (Score(f"PolNeAR {split}: {name}") for name in SUBSETS)
    for aid, text, date, golds in arts:
        art = Article(id=aid, text=text, date=date, language="en")
        t = time.perf_counter()
        quotes = extract(art)
        el = time.perf_counter() - t
        gold_direct = [g for g in golds if g.direct]
        for sc, qs, gs in ((all_sc, quotes, golds),
                           (dq_sc, [q for q in quotes if q.type == "Direct"], gold_direct),
                           (ds_sc, surface_direct(text, quotes, quoted_regions(text)), gold_direct)):
            sc.articles += 1
            sc.seconds += el
            sc.tokens += len(text.split())
            preds = [(charset(text, q.spans), q) for q in qs]
            gl = [(charset(text, g.content), g, "Direct" if g.direct else "other") for g in gs]
            sc.add(text, preds, gl, speaker_ok)
        if details is not None:
            _write_details(details, aid, text, quotes, golds)
    return [all_sc.report(), dq_sc.report(), ds_sc.report()]


def _write_details(out, aid: str, text: str, quotes, golds: list[Attribution]) -> None:
    preds = [charset(text, q.spans) for q in quotes]
    gsets = [charset(text, g.content) for g in golds]
    pairs = match(preds, gsets)
    mp = {i: (j, jac) for i, j, jac in pairs}
    mg = {j: (i, jac) for i, j, jac in pairs}
    src = lambda g: " | ".join(text[a:b] for a, b in g.source) or None  # noqa: E731
    for i, q in enumerate(quotes):
        j, jac = mp.get(i, (None, 0.0))
        out.write(json.dumps({"article": aid, "kind": "pred", "type": q.type, "text": q.text[:200],
                              "speaker": q.speaker.mention.text if q.speaker and q.speaker.mention else None,
                              "jac": round(jac, 2), "gold_source": src(golds[j]) if j is not None else None,
                              "spk_ok": speaker_ok(q, golds[j]) if j is not None else None},
                             ensure_ascii=False) + "\n")
    for j, g in enumerate(golds):
        if j not in mg or mg[j][1] < 0.5:
            out.write(json.dumps({"article": aid, "kind": "missed", "direct": g.direct,
                                  "text": " … ".join(text[a:b] for a, b in g.content)[:200],
                                  "source": src(g), "jac": round(mg[j][1], 2) if j in mg else 0.0},
                                 ensure_ascii=False) + "\n")


def print_table(reports: dict[str, list[dict]]) -> None:
    """The issue's table: one row per (split, subset)."""
    print("| split | subset | articles | gold | pred | quote F1 | speaker acc. (matched) | joint F1 | tokens/s |")
    print("|---|---|---|---|---|---|---|---|---|")
    for split, reps in reports.items():
        for name, r in zip(SUBSETS, reps):
            print(f"| {split} | {name} | {r['articles']} | {r['gold']} | {r['pred']} | {r['quote_f1']:.3f} | "
                  f"{r['speaker_acc']:.3f} | {r['joint_f1']:.3f} | {r['tokens_per_s']} |")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("polnear", type=Path, help="checkout of github.com/networkdynamics/PolNeAR")
    ap.add_argument("--split", nargs="+", default=["train", "dev"], choices=["train", "dev"])
    ap.add_argument("--limit", type=int, help="only the first N articles of each split")
    ap.add_argument("--details", type=Path, help="write per-quote matches/misses (JSON lines) here")
    ap.add_argument("--json", action="store_true", help="print the reports as JSON lines")
    ap.add_argument("--extractor", choices=["current", "rules", "parse"], default="current")
    args = ap.parse_args(argv)
    if args.extractor == "parse":
        from kb.extract.lang.en.parse import load_nlp
        from kb.extract.lang.en.parse_stage import to_quotes

        load_nlp()
        fn = to_quotes
    else:
        from kb.extract import Extractor

        ex = Extractor(english="rules" if args.extractor == "rules" else None)
        ex.warm_up()
        fn = ex.extract
    details = open(args.details, "w", encoding="utf-8") if args.details else None
    reports = {s: evaluate(args.polnear, s, fn, args.limit, details) for s in args.split}
    if details:
        details.close()
    if args.json:
        for reps in reports.values():
            for r in reps:
                print(json.dumps(r, ensure_ascii=False))
    else:
        print_table(reports)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
