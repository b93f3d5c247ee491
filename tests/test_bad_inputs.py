"""Inputs that used to crash (issue 18 item 5): each is a per-item error with its line, the rest read."""

from __future__ import annotations

import json

import pytest

from kb.model import InputError, Statement
from kb.sources import MAX_JSON_DEPTH, loads_json, read_articles, read_statements


def _stmt(text: str, language: str = "de", n: int = 1) -> dict:
    return {"speaker": "Erika Beispiel", "text": text, "language": language, "date_said": "2025-03-02",
            "source": {"url": f"https://example.org/{n}", "title": "Blatt", "date": "2025-03-03"}}


def _split(items):
    ok = [x for x in items if not isinstance(x, InputError)]
    return ok, [str(x) for x in items if isinstance(x, InputError)]


def test_a_lone_surrogate_is_an_error_of_its_line_only(tmp_path):
    p = tmp_path / "s.jsonl"
    good = json.dumps(_stmt("Wir bauen die Brücke."))
    bad = json.dumps(_stmt("Halb \ud800 kaputt.", n=2))  # json.dumps writes it as \ud800
    assert "\\ud800" in bad
    p.write_text(f"{good}\n{bad}\n{good}\n", encoding="utf-8")
    ok, errors = _split(list(read_statements(p)))
    assert len(ok) == 2 and all(isinstance(s, Statement) for s in ok)
    assert len(errors) == 1 and f"{p}:2" in errors[0] and "surrogate" in errors[0]


def test_a_surrogate_in_an_article_is_an_error(tmp_path):
    p = tmp_path / "a.jsonl"
    rows = [{"id": "a1", "text": "Gut.", "date": "2025-01-01"},
            {"id": "a2", "text": "Schlecht \udc80.", "date": "2025-01-01"}]
    p.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    ok, errors = _split(list(read_articles([p])))
    assert [a.id for a in ok] == ["a1"]
    assert len(errors) == 1 and ":2" in errors[0] and "surrogate" in errors[0]


@pytest.mark.parametrize("tag", ["Ku-", "-de", "de_DE", "d e", "toolongtag1"])
def test_a_malformed_language_tag_is_an_error_of_its_line(tmp_path, tag):
    p = tmp_path / "s.jsonl"
    p.write_text("\n".join(json.dumps(x) for x in [_stmt("Eins.", n=1), _stmt("Zwei.", tag, n=2),
                                                     _stmt("Drei.", n=3)]) + "\n", encoding="utf-8")
    ok, errors = _split(list(read_statements(p)))
    assert [s.text for s in ok] == ["Eins.", "Drei."]
    assert len(errors) == 1 and ":2" in errors[0] and "language" in errors[0]


@pytest.mark.parametrize("tag", ["de", "en-GB", "zh-Hant-TW", "KU"])
def test_well_formed_language_tags_pass(tmp_path, tag):
    p = tmp_path / "s.jsonl"
    p.write_text(json.dumps(_stmt("Eins.", tag)) + "\n", encoding="utf-8")
    ok, errors = _split(list(read_statements(p)))
    assert errors == [] and ok[0].language == tag


def test_deeply_nested_json_is_an_error_of_its_line(tmp_path):
    p = tmp_path / "s.jsonl"
    deep = "[" * 6000 + "]" * 6000
    p.write_text(json.dumps(_stmt("Eins.")) + "\n" + deep + "\n" + json.dumps(_stmt("Drei.", n=3)) + "\n",
                 encoding="utf-8")
    ok, errors = _split(list(read_statements(p)))
    assert [s.text for s in ok] == ["Eins.", "Drei."]
    assert len(errors) == 1 and ":2" in errors[0] and "nested" in errors[0]


def test_nesting_depth_counts_brackets_outside_strings_only():
    inside = json.dumps({"text": "[" * 200})
    assert loads_json(inside, "x") == {"text": "[" * 200}
    with pytest.raises(InputError, match="nested"):
        loads_json("[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1), "x")


def test_a_latin1_line_costs_that_line_only_with_its_number(tmp_path):
    p = tmp_path / "s.jsonl"
    lines = [json.dumps(_stmt("Erste Zeile.", n=1), ensure_ascii=False).encode("utf-8"),
             json.dumps(_stmt("Zweite Zeile, Gruß.", n=2), ensure_ascii=False).encode("latin-1"),
             json.dumps(_stmt("Dritte Zeile.", n=3)).encode("utf-8")]
    p.write_bytes(b"\n".join(lines) + b"\n")
    ok, errors = _split(list(read_statements(p)))
    assert [s.text for s in ok] == ["Erste Zeile.", "Dritte Zeile."]
    assert len(errors) == 1 and f"{p}:2" in errors[0] and "UTF-8" in errors[0]


def test_the_cli_stores_the_good_lines_of_a_file_with_bad_ones(tmp_path):
    """End to end: no traceback, the valid statements are stored, the bad lines named."""
    import subprocess
    import sys

    p = tmp_path / "s.jsonl"
    rows = [json.dumps(_stmt("Erste Zeile.", n=1)).encode(), json.dumps(_stmt("Zwei.", "Ku-", n=2)).encode(),
            json.dumps(_stmt("Drei \ud800.", n=3)).encode(), b"[" * 6000,
            json.dumps(_stmt("Gru\u00df.", n=5), ensure_ascii=False).encode("latin-1"),
            json.dumps(_stmt("Letzte Zeile.", n=6)).encode()]
    p.write_bytes(b"\n".join(rows) + b"\n")
    store = tmp_path / "kb"
    run = subprocess.run([sys.executable, "-m", "kb.cli", "--store", str(store), "ingest", "--quiet",
                          "--workers", "0", "--statements", str(p)],
                         capture_output=True, text=True, timeout=600)
    assert "Traceback" not in run.stderr, run.stderr
    for n in (2, 3, 4, 5):
        assert f"{p}:{n}" in run.stderr + run.stdout
    out = subprocess.run([sys.executable, "-m", "kb.cli", "--store", str(store), "stats", "--json"],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["claims"] == 2  # lines 1 and 6
    ok = subprocess.run([sys.executable, "-m", "kb.cli", "--store", str(store), "validate"],
                        capture_output=True, text=True, timeout=600)
    assert ok.returncode == 0, ok.stdout + ok.stderr
