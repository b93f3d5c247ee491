"""Reading input: text files, article JSON Lines, statements — and clear errors."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from kb.model import Article, InputError, Statement
from kb.sources import article_from_text_file, parse_date, read_articles, read_statements


def test_text_file_with_date_header_offsets_count_after_it(tmp_path):
    p = tmp_path / "a1.txt"
    p.write_text(" date 2025-08-16 Er sagte: «Hallo.»\n", encoding="utf-8")
    a = article_from_text_file(p)
    assert a.id == "a1" and a.date == dt.date(2025, 8, 16)
    assert a.text.startswith("Er sagte")


def test_text_file_without_header_needs_a_date(tmp_path):
    p = tmp_path / "x.txt"
    p.write_text("Er sagte: «Hallo.»", encoding="utf-8")
    with pytest.raises(InputError, match="no ' date YYYY-MM-DD'"):
        article_from_text_file(p)
    assert article_from_text_file(p, dt.date(2024, 1, 2)).date == dt.date(2024, 1, 2)


def test_bad_date_is_named(tmp_path):
    p = tmp_path / "x.txt"
    p.write_text(" date 2025-13-45 Text", encoding="utf-8")
    with pytest.raises(InputError, match="2025-13-45.*not a date"):
        article_from_text_file(p)
    with pytest.raises(InputError):
        parse_date("yesterday")


def test_control_characters_become_spaces_keeping_offsets(tmp_path):
    p = tmp_path / "c.txt"
    p.write_text(" date 2025-01-01 a\x00b\x07c", encoding="utf-8")
    assert article_from_text_file(p).text == "a b c"


def test_jsonl_articles_errors_carry_line_numbers_and_the_rest_goes_on(tmp_path):
    p = tmp_path / "arts.jsonl"
    p.write_text("\n".join([
        json.dumps({"id": "ok1", "text": "Hallo", "date": "2025-08-15", "language": "de"}),
        "{not json",
        json.dumps({"id": "nodate", "text": "x"}),
        json.dumps({"id": "ok2", "text": "Hi", "date": "2025-08-15T10:00:00Z"}),
    ]), encoding="utf-8")
    items = list(read_articles([p]))
    assert [type(i) for i in items] == [Article, InputError, InputError, Article]
    assert ":2:" in str(items[1]) and "not valid JSON" in str(items[1])
    assert "missing field(s) date" in str(items[2])
    assert items[3].date == dt.date(2025, 8, 15)


def test_unreadable_and_non_utf8_files(tmp_path):
    p = tmp_path / "bin.txt"
    p.write_bytes(b" date 2025-01-01 \xff\xfe")
    (item,) = read_articles([p])
    assert isinstance(item, InputError) and "not UTF-8" in str(item)
    (item,) = read_articles([tmp_path / "missing.txt"])
    assert isinstance(item, InputError) and "cannot read" in str(item)


def test_statements(tmp_path):
    p = tmp_path / "s.jsonl"
    good = {"speaker": "Donald Trump", "text": "Wir sehen uns bald.", "language": "de", "date_said": "2025-08-15",
            "source": {"url": "https://example.org/a", "title": "A", "date": "2025-08-16"}}
    bad_type = dict(good, type="Shouted")
    no_source = {k: v for k, v in good.items() if k != "source"}
    p.write_text("\n".join(json.dumps(x) for x in (good, bad_type, no_source)), encoding="utf-8")
    items = list(read_statements(p))
    assert isinstance(items[0], Statement) and items[0].source_date == dt.date(2025, 8, 16)
    assert "Shouted" in str(items[1]) and "missing field 'source'" in str(items[2])
