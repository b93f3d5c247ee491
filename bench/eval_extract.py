#!/usr/bin/env python
"""Score kb.extract on German Wikinews quotations and on the hand-checked gold set.

    python bench/eval_extract.py PATH_TO_SHARED_DATA [--split dev] [--baseline] [--only wikinews|gold]
                                 [--details FILE]

Matching (DESIGN.md §7): predicted and gold quote spans are matched one-to-one by character
overlap (Jaccard over non-space characters, quotation marks ignored; greedy, best pair first);
quote precision/recall/F1 use the overlap as partial credit; a matched pair's speaker is right
when the predicted speaker mention overlaps the gold speaker mention (Wikinews) or the
predicted speaker's name matches the gold canonical name (gold set); joint F1 counts pairs with
overlap ≥ 0.5 and the right speaker. Gold-set entries marked ``borderline`` are ignored: a
prediction matched to one is neither rewarded nor penalised.

Wikinews is scored with the dataset's annotation conventions, the overlay
``bench/wikinews_conventions.py`` (``--conventions wikinews``, the default: nested quoted
fragments are separate Direct quotes, consecutive Konjunktiv continuation sentences form one
quote, "dass" is part of the span, joint speakers are one mention); the gold set with the
default conventions (those of the product).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import re
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kb.model import Article  # noqa: E402

QUOTE_MARKS = set("„“”\"»«‚‘’‹›'`´")


def charset(text: str, spans) -> set[int]:
    out = set()
    for a, b in spans:
        for i in range(max(0, a), min(len(text), b)):
            c = text[i]
            if not c.isspace() and c not in QUOTE_MARKS:
                out.add(i)
    return out


def jaccard(a: set[int], b: set[int]) -> float:
    if not a or not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter) if inter else 0.0


def match(preds: list[set[int]], golds: list[set[int]]) -> list[tuple[int, int, float]]:
    """One-to-one greedy matching by Jaccard, best pair first."""
    pairs = []
    for i, p in enumerate(preds):
        for j, g in enumerate(golds):
            if p and g and (min(p) < max(g)) and (min(g) < max(p)):
                jac = jaccard(p, g)
                if jac > 0:
                    pairs.append((jac, i, j))
    pairs.sort(reverse=True)
    used_p, used_g, out = set(), set(), []
    for jac, i, j in pairs:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        out.append((i, j, jac))
    return out


class Score:
    def __init__(self, name: str):
        self.name = name
        self.n_pred = 0
        self.n_gold = 0
        self.credit = 0.0
        self.matched50 = 0
        self.spk_right = 0
        self.joint_tp = 0
        self.type_gold = Counter()
        self.type_credit = defaultdict(float)
        self.type_hit50 = Counter()
        self.articles = 0
        self.seconds = 0.0
        self.tokens = 0

    def add(self, text, preds, golds, spk_ok, ignore_gold=None):
        """preds: [(charset, pred)], golds: [(charset, gold, type)]."""
        ignore_gold = ignore_gold or set()
        pairs = match([p[0] for p in preds], [g[0] for g in golds])
        ignored_preds = {i for i, j, jac in pairs if j in ignore_gold}
        self.n_pred += len(preds) - len(ignored_preds)
        self.n_gold += len(golds) - len(ignore_gold)
        for i, j, jac in pairs:
            if j in ignore_gold:
                continue
            typ = golds[j][2]
            self.credit += jac
            self.type_credit[typ] += jac
            if jac >= 0.5:
                self.matched50 += 1
                self.type_hit50[typ] += 1
                if spk_ok(preds[i][1], golds[j][1]):
                    self.spk_right += 1
                    self.joint_tp += 1
        for j, g in enumerate(golds):
            if j not in ignore_gold:
                self.type_gold[g[2]] += 1

    def report(self) -> dict:
        p = self.credit / self.n_pred if self.n_pred else 0.0
        r = self.credit / self.n_gold if self.n_gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        jp = self.joint_tp / self.n_pred if self.n_pred else 0.0
        jr = self.joint_tp / self.n_gold if self.n_gold else 0.0
        jf = 2 * jp * jr / (jp + jr) if jp + jr else 0.0
        return {
            "set": self.name, "articles": self.articles, "pred": self.n_pred, "gold": self.n_gold,
            "quote_p": round(p, 3), "quote_r": round(r, 3), "quote_f1": round(f, 3),
            "speaker_acc": round(self.spk_right / self.matched50, 3) if self.matched50 else 0.0,
            "joint_p": round(jp, 3), "joint_r": round(jr, 3), "joint_f1": round(jf, 3),
            "recall_by_type": {t: round(self.type_credit[t] / n, 3) for t, n in sorted(self.type_gold.items())},
            "recall50_by_type": {t: round(self.type_hit50[t] / n, 3) for t, n in sorted(self.type_gold.items())},
            "articles_per_s": round(self.articles / self.seconds, 1) if self.seconds else None,
            "tokens_per_s": round(self.tokens / self.seconds) if self.seconds else None,
        }


def print_report(rep: dict) -> None:
    print(f"== {rep['set']}: {rep['articles']} articles, {rep['gold']} gold, {rep['pred']} predicted")
    print(f"   quote    P {rep['quote_p']:.3f}  R {rep['quote_r']:.3f}  F1 {rep['quote_f1']:.3f}")
    print(f"   speaker accuracy (matched pairs, overlap >= 0.5) {rep['speaker_acc']:.3f}")
    print(f"   joint    P {rep['joint_p']:.3f}  R {rep['joint_r']:.3f}  F1 {rep['joint_f1']:.3f}")
    print("   recall by type (partial credit / overlap>=0.5):")
    for t, v in rep["recall_by_type"].items():
        print(f"     {t:22s} {v:.3f} / {rep['recall50_by_type'][t]:.3f}")
    if rep.get("articles_per_s"):
        print(f"   speed    {rep['articles_per_s']} articles/s, {rep['tokens_per_s']} tokens/s (whitespace tokens)")


# ---------------------------------------------------------------------- predictors

class Predictor:
    def __init__(self, baseline: bool, conventions: str):
        self.baseline = baseline
        if baseline:
            from bench.extract_baseline import baseline_extract

            self.fn = baseline_extract
        else:
            from bench.wikinews_conventions import conventions as overlay
            from kb.extract import Extractor

            t = time.perf_counter()
            self.ex = Extractor(conventions=overlay(conventions))
            self.ex.warm_up()
            self.load_s = time.perf_counter() - t
            self.fn = self.ex.extract

    def __call__(self, art: Article):
        return self.fn(art)


def _overlap(a, b) -> bool:
    return a[0] < b[1] and b[0] < a[1]


# ---------------------------------------------------------------------- Wikinews

def eval_wikinews(data: Path, split: str, baseline: bool, details=None, conventions: str = "wikinews") -> dict:
    path = data / "wikinews-de-quotes" / f"{split}.jsonl.gz"
    arts = [json.loads(line) for line in gzip.open(path, "rt", encoding="utf-8")]
    pred_fn = Predictor(baseline, conventions)
    sc = Score(f"wikinews-de {split}" + (" (baseline)" if baseline else f" (conventions={conventions})"))

    def spk_ok(q, g):
        gs = g.get("speaker")
        m = q.speaker.mention if q.speaker else None
        if not gs:
            return m is None
        if m is None:
            return False
        return any(_overlap((m.start, m.end), tuple(sp)) for sp in gs["spans"])

    for a in arts:
        art = Article(id=str(a["id"]), text=a["text"], date=dt.date.fromisoformat(a["date"]), language="de")
        t = time.perf_counter()
        quotes = pred_fn(art)
        sc.seconds += time.perf_counter() - t
        sc.articles += 1
        sc.tokens += len(a["text"].split())
        text = a["text"]
        preds = [(charset(text, q.spans), q) for q in quotes]
        golds = [(charset(text, g["quote"]["spans"]), g, g["type"]) for g in a["annotations"]]
        sc.add(text, preds, golds, spk_ok)
        if details is not None:
            pairs = match([p[0] for p in preds], [g[0] for g in golds])
            mp = {i: (j, jac) for i, j, jac in pairs}
            mg = {j: (i, jac) for i, j, jac in pairs}
            for i, (cs, q) in enumerate(preds):
                j, jac = mp.get(i, (None, 0.0))
                details.write(json.dumps({"article": a["id"], "kind": "pred", "type": q.type, "text": q.text,
                                          "speaker": q.speaker.mention.text if q.speaker and q.speaker.mention else None,
                                          "jac": round(jac, 2), "gold_type": golds[j][2] if j is not None else None,
                                          "gold_speaker": (golds[j][1].get("speaker") or {}).get("text") if j is not None else None,
                                          "spk_ok": spk_ok(q, golds[j][1]) if j is not None else None},
                                         ensure_ascii=False) + "\n")
            for j, (cs, g, typ) in enumerate(golds):
                if j not in mg or mg[j][1] < 0.5:
                    details.write(json.dumps({"article": a["id"], "kind": "missed", "type": typ, "text": g["quote"]["text"],
                                              "speaker": (g.get("speaker") or {}).get("text"),
                                              "jac": round(mg[j][1], 2) if j in mg else 0.0}, ensure_ascii=False) + "\n")
    rep = sc.report()
    if not baseline:
        rep["model_load_s"] = round(pred_fn.load_s, 2)
    return rep


# ---------------------------------------------------------------------- gold set

def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s.replace("ß", "ss"))
    return "".join(c for c in s if not unicodedata.combining(c)).lower()


def name_matches(pred, gold_name: str, gazetteer) -> bool:
    """Predicted speaker (SpeakerRef or None) vs the gold canonical name."""
    if gold_name.startswith("UNSPECIFIED"):
        return pred is None
    if pred is None:
        return False
    gname = re.sub(r"\s*\(.*?\)\s*", " ", gold_name).strip()
    if pred.key:
        ref = gazetteer.resolve(gname, "de", dt.date.today()) or gazetteer.resolve(gname, "en", dt.date.today())
        if ref is not None and ref.key == pred.key and len(gname.split()) >= 1:
            # the gold name resolves to the same gazetteer entity through a full alias
            e = gazetteer.get(pred.key)
            if e and any(_fold(n) == _fold(gname) for n in e.all_names()):
                return True
    a = set(re.findall(r"\w+", _fold(pred.name)))
    b = set(re.findall(r"\w+", _fold(gname)))
    stop = {"der", "die", "das", "the", "of", "von", "des"}
    a, b = a - stop, b - stop
    if not a or not b:
        return False
    if a == b:
        return True
    # one name contained in the other ("Dartschiew" ⊂ "Alexander Dartschiew", "Home Office" ⊂ "UK Home Office")
    return a <= b or b <= a


def eval_gold(data: Path, baseline: bool, details=None) -> list[dict]:
    from kb.extract.speakers import Gazetteer

    gaz = Gazetteer.load_default()
    arts = [json.loads(line) for line in open(data / "gold" / "articles.jsonl", encoding="utf-8")]
    stmts = [json.loads(line) for line in open(data / "gold" / "statements.jsonl", encoding="utf-8")]
    by_art = defaultdict(list)
    for s in stmts:
        by_art[s["article"]].append(s)
    pred_fn = Predictor(baseline, "default")
    scores = {"de": Score("gold de"), "en": Score("gold en"), "all": Score("gold de+en")}
    if baseline:
        for s in scores.values():
            s.name += " (baseline)"

    def spk_ok(q, g):
        return name_matches(q.speaker, g["speaker"], gaz)

    for a in arts:
        art = Article(id=a["id"], text=a["text"], date=dt.date.fromisoformat(a["date"]), language=a.get("language"))
        t = time.perf_counter()
        quotes = pred_fn(art)
        el = time.perf_counter() - t
        text = a["text"]
        preds = [(charset(text, q.spans), q) for q in quotes]
        gl = by_art.get(a["id"], [])
        golds = [(charset(text, [(g["char_start"], g["char_end"])]), g, g["type"]) for g in gl]
        ignore = {j for j, g in enumerate(gl) if g.get("borderline")}
        for key in (a["language"], "all"):
            sc = scores[key]
            sc.articles += 1
            sc.seconds += el
            sc.tokens += len(text.split())
            sc.add(text, preds, golds, spk_ok, ignore)
        if details is not None:
            pairs = match([p[0] for p in preds], [g[0] for g in golds])
            mp = {i: (j, jac) for i, j, jac in pairs}
            mg = {j: (i, jac) for i, j, jac in pairs}
            for i, (cs, q) in enumerate(preds):
                j, jac = mp.get(i, (None, 0.0))
                details.write(json.dumps({"article": a["id"], "kind": "pred", "type": q.type, "text": q.text,
                                          "speaker": q.speaker.name if q.speaker else None,
                                          "jac": round(jac, 2), "gold_speaker": gl[j]["speaker"] if j is not None else None,
                                          "borderline": gl[j].get("borderline") if j is not None else None,
                                          "spk_ok": spk_ok(q, gl[j]) if j is not None else None}, ensure_ascii=False) + "\n")
            for j, g in enumerate(gl):
                if (j not in mg or mg[j][1] < 0.5) and not g.get("borderline"):
                    details.write(json.dumps({"article": a["id"], "kind": "missed", "type": g["type"], "text": g["quote"],
                                              "speaker": g["speaker"], "jac": round(mg[j][1], 2) if j in mg else 0.0},
                                             ensure_ascii=False) + "\n")
    return [scores[k].report() for k in ("de", "en", "all")]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data", type=Path, help="path to shared/data")
    ap.add_argument("--split", default="dev", choices=["train", "dev"])
    ap.add_argument("--baseline", action="store_true", help="score the naive baseline instead")
    ap.add_argument("--only", choices=["wikinews", "gold"])
    ap.add_argument("--conventions", choices=["wikinews", "default"], default="wikinews",
                    help="extractor output conventions for Wikinews (default: the dataset's; "
                         "'default' scores exactly what `quoth extract` prints)")
    ap.add_argument("--json", action="store_true", help="print the reports as JSON")
    ap.add_argument("--details", type=Path, help="write per-quote matches/misses (JSON lines) here")
    args = ap.parse_args(argv)
    details = open(args.details, "w", encoding="utf-8") if args.details else None
    reports = []
    if args.only in (None, "wikinews"):
        reports.append(eval_wikinews(args.data, args.split, args.baseline, details, args.conventions))
    if args.only in (None, "gold"):
        reports.extend(eval_gold(args.data, args.baseline, details))
    for r in reports:
        if args.json:
            print(json.dumps(r, ensure_ascii=False))
        else:
            print_report(r)
    if details:
        details.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
