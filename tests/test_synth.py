"""The synthetic claim generator used by the benchmarks (bench/synth.py)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import itertools
import json
import sys
from collections import Counter
from pathlib import Path

import pytest

from kb.sources import statement_from_json

_PATH = Path(__file__).resolve().parents[1] / "bench" / "synth.py"


@pytest.fixture(scope="module")
def synth():
    spec = importlib.util.spec_from_file_location("quoth_bench_synth", _PATH)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def sample(synth):
    return list(synth.generate(20_000, seed=7))


def test_count_and_determinism(synth, sample):
    assert len(sample) == 20_000
    assert list(synth.generate(20_000, seed=7)) == sample
    assert list(synth.generate(500, seed=8)) != sample[:500]


def test_fields_valid(sample):
    for n, obj in enumerate(sample[:5_000], 1):
        st = statement_from_json(json.loads(json.dumps(obj)), "synth", n)
        assert st.text and st.speaker and st.source_url and st.source_title
        assert st.language in {"de", "en", "fr", "es"}


def test_dates_ordered(sample):
    by_source: dict[str, list[dict]] = {}
    for st in sample:
        said = dt.date.fromisoformat(st["date_said"])
        published = dt.date.fromisoformat(st["source"]["date"])
        assert 0 <= (published - said).days <= 3
        by_source.setdefault(st["source"]["url"], []).append(st)
    sizes = Counter(len(v) for v in by_source.values())
    assert set(sizes) <= set(range(1, 9))
    assert sum(n for k, n in sizes.items() if 3 <= k <= 8) >= len(by_source) - 1  # the last may be cut short
    years = {st["date_said"][:4] for st in sample}
    assert len(years) >= 5


def test_zipf_skew(synth, sample):
    counts = Counter(st["speaker"] for st in sample)
    ranked = [n for _, n in counts.most_common()]
    assert len(counts) > 1_000
    assert ranked[0] / len(sample) > 0.04            # a very prolific speaker
    assert sum(ranked[:10]) / len(sample) > 0.15     # a handful dominate
    assert sorted(ranked)[len(ranked) // 2] < 20     # the median speaker is rare
    assert ranked[0] > 10 * ranked[100]


def test_languages_and_repeats(sample):
    langs = Counter(st["language"] for st in sample)
    assert set(langs) == {"de", "en", "fr", "es"}
    keys = Counter((st["speaker"], st["text"], st["date_said"]) for st in sample)
    repeated = sum(n - 1 for n in keys.values() if n > 1)
    assert 0.005 * len(sample) < repeated < 0.06 * len(sample)
    # a repeated statement appears in different sources
    key = next(k for k, n in keys.items() if n > 1)
    assert len({st["source"]["url"] for st in sample if (st["speaker"], st["text"], st["date_said"]) == key}) > 1


def test_streams(synth):
    gen = synth.generate(10_000_000, seed=1)
    first = list(itertools.islice(gen, 100))
    assert len(first) == 100


def test_write_jsonl(synth, tmp_path):
    out = tmp_path / "s.jsonl"
    assert synth.write_jsonl(out, 250, seed=3) == 250
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(x) for x in lines] == list(synth.generate(250, seed=3))
