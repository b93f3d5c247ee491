"""Calibrate the "nothing matches" gate of ``quoth ask`` (issue 15 item 4).

    .venv/bin/python bench/calibrate_ask_gate.py SHARED_DATA_DIR --store DIR \
        [--articles A.jsonl --questions Q.jsonl] [--json OUT]

Reuses (or builds) the store of ``bench/eval_ask.py --store DIR``. Two sets of questions are
asked with the gate switched off:

* **answerable**: the questions of the set whose expected quote is among the candidates the
  query returns (the gate should let them through);
* **probes**: for every question with a resolved speaker, the same speaker asked about an
  unrelated topic from :data:`PROBE_TOPICS` (disjoint from the null-model topics of
  ``kb/ask_data/probes.txt``), and speakerless "who said" probes (the gate should stop them).

For each question the gate statistic of :func:`kb.ask.gate_statistic` is printed with the
share of answerable questions kept and of probes let through at each margin, so that one
margin can be chosen on the whole set (no constant fitted to one question).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.eval_ask import answer_matches, build_store, reuse_store, stored_claims  # noqa: E402

#: unrelated topics (not those of kb/ask_data/probes.txt): English and German
PROBE_TOPICS = {
    "en": ["the rules of chess", "the best pizza toppings", "yoga for beginners", "the history of jazz",
           "tuning an electric guitar", "birdwatching in spring", "the new season of a cooking show",
           "how to train a puppy", "the price of vintage comic books", "the design of wedding dresses",
           "a recipe for apple pie", "learning to surf", "the mating season of penguins",
           "the latest smartphone camera", "building sandcastles"],
    "de": ["die Schachregeln", "Pizzabeläge", "Yoga für Anfänger", "die Geschichte des Jazz",
           "das Stimmen einer E-Gitarre", "Vogelbeobachtung im Frühling", "eine neue Kochsendung",
           "die Erziehung von Welpen", "alte Comichefte", "Brautkleider", "ein Apfelkuchenrezept",
           "Surfen lernen", "die Brutzeit der Pinguine", "Handykameras", "Sandburgen bauen"],
}
WHO_SAID = {"en": "Who said something about {}?", "de": "Wer äußerte sich über {}?"}
WHAT_SAID = {"en": "What did {} say about {}?", "de": "Was sagte {} über {}?"}


#: the gate statistics reported in each answer's ``calibration`` (kb.ask)
STATISTICS = ("margin", "best_lexical", "headline_margin")


MARGIN_GRID = (0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.10, 0.12)
LEXICAL_GRID = (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 9.0)


def _passes(r: dict, margin: float, lexical: float) -> bool:
    return r["margin"] >= margin or r["headline_margin"] >= lexical


def _grid(vals: list[float], n: int = 14) -> list[float]:
    """``n`` thresholds spread over the observed values (quantiles)."""
    if not vals:
        return []
    return sorted({vals[min(len(vals) - 1, int(i * len(vals) / n))] for i in range(n)})


def probe_questions(questions: list[dict], interpretations: list[dict]) -> list[dict]:
    """Unrelated-topic twins of the questions: same speaker mention, a topic from PROBE_TOPICS."""
    out, n = [], 0
    seen: set[tuple[str, str]] = set()
    for q, it in zip(questions, interpretations):
        lang = q.get("language") if q.get("language") in PROBE_TOPICS else "en"
        sp = (it.get("speaker") or {})
        mention = sp.get("mention")
        if not mention or (lang, mention) in seen:
            continue
        seen.add((lang, mention))
        topic = PROBE_TOPICS[lang][n % len(PROBE_TOPICS[lang])]
        n += 1
        out.append({"question": WHAT_SAID[lang].format(mention, topic), "language": lang, "probe": True})
    for lang, topics in PROBE_TOPICS.items():
        out += [{"question": WHO_SAID[lang].format(t), "language": lang, "probe": True} for t in topics]
    return out


def gated_out(asker, question: str) -> dict:
    """The answer with the gate off (every candidate kept) and the calibration numbers."""
    return asker.ask(question, limit=100, gate=False)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data", type=Path)
    ap.add_argument("--articles", type=Path)
    ap.add_argument("--questions", type=Path)
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    from kb.ask import Asker, QuestionError

    if (args.store / "store").exists():
        store, vectors, urls, _ = reuse_store(args.data, False, args.store, articles_path=args.articles)
    else:
        args.store.mkdir(parents=True, exist_ok=True)
        store, vectors, urls, _ = build_store(args.data, False, args.store, articles_path=args.articles)
    qpath = args.questions or args.data / "gold" / "questions.jsonl"
    questions = [json.loads(line) for line in qpath.open(encoding="utf-8") if line.strip()]
    asker = Asker(store, vectors=vectors)
    stored = stored_claims(store)
    rows, interps = [], []
    for q in questions:
        try:
            ans = gated_out(asker, q["question"])
        except QuestionError:
            interps.append({})
            continue
        interps.append(ans.get("interpretation") or {})
        cal = ans.get("calibration")
        if not cal:
            continue
        # answerable: an expected quote is among the candidates (by the claims' mentions)
        exp_claims = {m["claim"] for e in q["expected"] for m in stored.get(e["article"], [])
                      if answer_matches({"text": m["text"], "sources": [{**m, "article": e["article"]}]}, e, urls)}
        hit = any(a["claim"] in exp_claims or set(a.get("also_claims", [])) & exp_claims for a in ans["answers"])
        rows.append({"question": q["question"], "probe": False, "answerable": hit,
                     "speaker": bool((ans.get("interpretation") or {}).get("speaker")), **cal})
    for p in probe_questions(questions, interps):
        ans = gated_out(asker, p["question"])
        cal = ans.get("calibration")
        if cal:
            rows.append({"question": p["question"], "probe": True, "answerable": False,
                         "speaker": bool((ans.get("interpretation") or {}).get("speaker")), **cal})
    store.close()
    pos = [r for r in rows if r["answerable"]]
    neg = [r for r in rows if r["probe"]]
    print(f"answerable {len(pos)}, probes {len(neg)}")
    for stat in STATISTICS:
        print(f"\n{stat}: {'at':>7s} {'kept':>6s} {'probes in':>9s}")
        vals = sorted({r[stat] for r in rows})
        for m in _grid(vals):
            kept = sum(r[stat] >= m for r in pos) / max(1, len(pos))
            fa = sum(r[stat] >= m for r in neg) / max(1, len(neg))
            print(f"{'':{len(stat) + 2}s}{m:7.3f} {kept:6.3f} {fa:9.3f}")
        for r in sorted(pos, key=lambda r: r[stat])[:5]:
            print(f"  low answerable {r[stat]:.3f} {r['question'][:90]}")
        for r in sorted(neg, key=lambda r: -r[stat])[:5]:
            print(f"  high probe     {r[stat]:.3f} {r['question'][:90]}")
    print("\nthe gate (margin >= M or best_lexical >= L): answerable kept / probes let in")
    print(f"{'M / L':>7s} " + " ".join(f"{lv:>11.2f}" for lv in LEXICAL_GRID))
    for m in MARGIN_GRID:
        cells = []
        for lv in LEXICAL_GRID:
            kept = sum(_passes(r, m, lv) for r in pos) / max(1, len(pos))
            fa = sum(_passes(r, m, lv) for r in neg) / max(1, len(neg))
            cells.append(f"{kept:5.3f}/{fa:5.3f}")
        print(f"{m:7.2f} " + " ".join(cells))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
