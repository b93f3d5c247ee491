#!/usr/bin/env python
"""Classify the wrong speakers of matched German Wikinews quotes (overlap >= 0.5), for error
analysis (issue 14):

    python bench/speaker_errors.py PATH_TO_SHARED_DATA [--split train] [--show CLASS] [--limit 40]

Prints one count per class; ``--show CLASS`` (a class name's first word(s), e.g. "none",
"carry-over") prints that class's cases with some context. The classes come from the
positions and words of the predicted and gold speaker mentions, not from a parse, so they are
a first sort for reading the cases, not exact counts:

* ``gold without speaker``: the gold quote has no speaker, we gave one;
* ``gold frame/document``: the gold mention is a document or frame phrase ("In einer
  Erklärung", "einem Bericht", "Demnach", "Dem Vernehmen") — an annotation choice;
* ``none, named before`` / ``none, in the sentence``: no speaker predicted, the gold mention
  is in an earlier sentence / in the quote's sentence;
* ``frame or relative word``: the predicted mention is "wonach", "denen", … itself;
* ``gold pronoun`` / ``pred pronoun``: one side is a pronoun, the other a name or NP (another
  mention of the same person, or a wrong antecedent);
* ``same name, other mention``: the two mentions share a word (the right entity, another
  mention of it);
* ``gold in a sentence before``: we took an NP of the quote's sentence, gold a speaker named
  before;
* ``carry-over from another sentence``: predicted and gold mentions lie in different
  sentences (a continuation or cue-less quote given a previous speaker);
* ``same sentence, other NP``: an object, a frame's NP or an apposition of the same sentence.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.eval_extract import Predictor, _overlap, charset, match  # noqa: E402
from kb.model import Article  # noqa: E402

PRONOUNS = {"er", "sie", "es", "ich", "wir", "man", "dieser", "diese", "letzterer", "letztere",
            "der", "die", "denen", "welche", "welcher"}
FRAME_WORDS = {"demnach", "wonach", "danach", "denen", "dessen", "deren"}
DOCUMENT_START = re.compile(r"^(in |auf |nach |laut |gemäß |aus |dem vernehmen|einer |eines |einem |demnach|wonach|zufolge)", re.I)
DOCUMENT_NOUNS = ("erklärung", "bericht", "meldung", "schreiben", "angaben", "mitteilung", "interview",
                  "pressekonferenz", "urteil", "studie", "entwurf")
STOP = {"der", "die", "das", "den", "dem", "des", "ein", "eine", "einer", "und"}
SENTENCE_BREAK = re.compile(r"[.!?]\s+[A-ZÄÖÜ„\"]|\n")


def _new_sentence_between(text: str, a: int, b: int) -> bool:
    return bool(SENTENCE_BREAK.search(text[min(a, b):max(a, b)]))


def classify(text: str, quote_start: int, pred: tuple[int, int, str] | None, gold: tuple[int, str] | None) -> str:
    """The error class of one wrong speaker (see the module docstring); ``pred`` is the
    predicted mention (start, end, text), ``gold`` the gold mention (start, text)."""
    if gold is None:
        return "gold without speaker"
    g0, gtext = gold
    gl = gtext.lower()
    last_word = gtext.split()[-1] if gtext.split() else ""
    if DOCUMENT_START.match(gl) or (any(w in gl for w in DOCUMENT_NOUNS) and not last_word[:1].isupper()):
        return "gold frame/document"
    before = g0 < quote_start and _new_sentence_between(text, g0, quote_start)
    if pred is None:
        return "none, named before" if before else "none, in the sentence"
    p0, _, ptext = pred
    pl = ptext.lower()
    if pl in FRAME_WORDS:
        return "frame or relative word"
    if gl in PRONOUNS and pl not in PRONOUNS:
        return "gold pronoun"
    if pl in PRONOUNS and gl not in PRONOUNS:
        return "pred pronoun"
    if (set(re.findall(r"\w+", gl)) - STOP) & (set(re.findall(r"\w+", pl)) - STOP):
        return "same name, other mention"
    if before:
        return "gold in a sentence before"
    if _new_sentence_between(text, p0, g0):
        return "carry-over from another sentence"
    return "same sentence, other NP"


def wrong_speakers(data: Path, split: str):
    """Yield (class, gold quote type, predicted mention, gold mention, context) for each matched
    pair (overlap >= 0.5) whose speaker is wrong; the first item is (matched, right) counts."""
    path = data / "wikinews-de-quotes" / f"{split}.jsonl.gz"
    predict = Predictor(False, "wikinews")
    matched = right = 0
    cases = []
    for line in gzip.open(path, "rt", encoding="utf-8"):
        a = json.loads(line)
        text = a["text"]
        quotes = predict(Article(id=str(a["id"]), text=text, date=dt.date.fromisoformat(a["date"]), language="de"))
        anns = a["annotations"]
        pairs = match([charset(text, q.spans) for q in quotes], [charset(text, g["quote"]["spans"]) for g in anns])
        for i, j, jac in pairs:
            if jac < 0.5:
                continue
            matched += 1
            q, g = quotes[i], anns[j]
            gs = g.get("speaker")
            m = q.speaker.mention if q.speaker else None
            ok = m is None if not gs else m is not None and any(_overlap((m.start, m.end), tuple(sp)) for sp in gs["spans"])
            if ok:
                right += 1
                continue
            q0 = min(sp[0] for sp in g["quote"]["spans"])
            pred = (m.start, m.end, m.text) if m else None
            gold = (gs["spans"][0][0], gs["text"]) if gs else None
            points = [q0] + ([m.start] if m else []) + ([gold[0]] if gold else [])
            ctx = text[max(0, min(points) - 100):max(points) + 160].replace("\n", " / ")
            cases.append((classify(text, q0, pred, gold), g["type"], m.text if m else None, gs["text"] if gs else None, ctx))
    return (matched, right), cases


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data", type=Path, help="path to shared/data")
    ap.add_argument("--split", default="train", choices=["train", "dev"])
    ap.add_argument("--show", help="print the cases of the class that starts so")
    ap.add_argument("--limit", type=int, default=40, help="cases printed with --show")
    args = ap.parse_args(argv)
    (matched, right), cases = wrong_speakers(args.data, args.split)
    print(f"{args.split}: {matched} matched quotes, {right} right speakers ({right / max(matched, 1):.3f}), {len(cases)} wrong")
    for name, n in Counter(c[0] for c in cases).most_common():
        print(f"{n:5d}  {name}")
    if args.show:
        shown = [c for c in cases if c[0].startswith(args.show)][:args.limit]
        for _, typ, pred, gold, ctx in shown:
            print(f"\n[{typ}] predicted {pred!r}, gold {gold!r}\n    {ctx}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
