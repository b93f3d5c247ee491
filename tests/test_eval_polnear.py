"""The PolNeAR scorer (bench/eval_polnear.py) on a tiny checkout written by the test (no PolNeAR text)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench/ is scripts, not an installed package

from bench.eval_polnear import SUBSETS, evaluate, quoted_regions, surface_direct  # noqa: E402
from kb.model import Quote, Span, SpeakerRef  # noqa: E402

TEXT = ("The mayor said the plan was \u201ca disaster for the town\u201d and would fail.\n\n"
        "\u201cWe will build the bridge next year,\u201d the engineer said.\n\n"
        "The council said taxes would rise.\n")


def _span(sub: str) -> tuple[int, int]:
    a = TEXT.index(sub)
    return a, a + len(sub)


def _quote(sub: str, qtype: str, speaker: str) -> Quote:
    a, b = _span(sub)
    s0, s1 = _span(speaker)
    return Quote(article_id="a", type=qtype, text=TEXT[a:b], spans=[(a, b)], language="en",
                 date_said=dt.date(2016, 5, 1),
                 speaker=SpeakerRef(name=speaker, mention=Span(s0, s1, speaker)))


QUOTES = [
    _quote("the plan was \u201ca disaster for the town\u201d and would fail", "Indirect", "The mayor"),
    _quote("We will build the bridge next year", "Direct", "the engineer"),
    _quote("taxes would rise", "Indirect", "The council"),
]


def _checkout(tmp_path):
    """A PolNeAR-shaped folder: data/train/{text,attributions} with one brat file."""
    base = tmp_path / "data" / "train"
    (base / "text").mkdir(parents=True)
    (base / "attributions").mkdir()
    (base / "text" / "x_2016-05-01_a.txt").write_text(TEXT, encoding="utf-8")
    lines, k = [], 0
    for content, source in (("the plan was \u201ca disaster for the town\u201d and would fail", "The mayor"),
                            ("We will build the bridge next year", "the engineer"),
                            ("taxes would rise", "The council")):
        ids = []
        for kind, sub in (("Content", content), ("Source", source)):
            k += 1
            a, b = _span(sub)
            lines.append(f"T{k}\t{kind} {a} {b}\t{sub}")
            ids.append(f"{kind}:T{k}")
        lines.append(f"E{k}\tAttribution:T{k} {' '.join(ids)}")
    (base / "attributions" / "x_2016-05-01_a_ab12.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


def test_surface_direct_uses_the_annotated_side_definition():
    got = surface_direct(TEXT, QUOTES, quoted_regions(TEXT))
    assert [q.text[:8] for q in got] == ["the plan", "We will "]  # the mixed quote counts, whatever its type


def test_both_direct_rows_are_reported(tmp_path):
    reps = evaluate(_checkout(tmp_path), "train", lambda art: QUOTES)
    assert [r["set"] for r in reps] == [f"PolNeAR train: {name}" for name in SUBSETS]
    everything, typed, surface = reps
    assert everything["gold"] == 3 and everything["joint_f1"] == 1.0
    assert typed["gold"] == surface["gold"] == 2  # the same annotated contents in both rows
    assert typed["pred"] == 1 and typed["joint_r"] == 0.5  # the Indirect mixed quote cannot count
    assert surface["pred"] == 2 and surface["joint_f1"] == 1.0
