"""The shape of kb/extract/ (issue 12): stage modules of bounded size, languages registered by
folder, no language-code branches in stage code, extraction without a lock."""

from __future__ import annotations

import ast
import datetime as dt
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from kb.extract import Conventions, Extractor, UnknownLanguage
from kb.extract.lang import Language, get_language, registered
from kb.model import Article

EXTRACT = Path(__file__).resolve().parents[1] / "kb" / "extract"
STAGE_CODE = [*sorted((EXTRACT / "stages").glob("*.py")), EXTRACT / "pipeline.py", EXTRACT / "rules.py", EXTRACT / "document.py"]


def _functions(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node


def test_no_module_over_600_lines_and_no_function_over_80():
    too_long = []
    for path in sorted(EXTRACT.rglob("*.py")):
        src = path.read_text(encoding="utf-8")
        if src.count("\n") > 600:
            too_long.append(f"{path.name}: {src.count(chr(10))} lines")
        for fn in _functions(ast.parse(src)):
            n = fn.end_lineno - fn.lineno + 1
            if n > 80:
                too_long.append(f"{path.name}:{fn.lineno} {fn.name}: {n} lines")
    assert not too_long


def test_stage_code_has_no_language_code_branches():
    pattern = re.compile(r"""\b(lang|code|language)\s*[!=]=\s*["'][a-z]{2}["']|["'][a-z]{2}["']\s*[!=]=\s*\w*lang""")
    hits = [f"{p.name}:{i}" for p in STAGE_CODE
            for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if pattern.search(line)]
    assert not hits


def test_stages_never_import_a_language_folder():
    for path in STAGE_CODE:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not re.match(r"(kb\.extract\.)?\.*lang\.", node.module), f"{path.name} imports {node.module}"


def test_languages_are_registered_by_folder():
    assert {"de", "en"} <= set(registered())
    for code in registered():
        lang = get_language(code)
        assert isinstance(lang, Language) and lang.code == code
    assert set(Extractor().languages()) >= {"de", "en"}


def test_unknown_language_is_a_clear_error():
    with pytest.raises(UnknownLanguage, match="'xx'.*registered: .*de.*en"):
        get_language("xx")
    with pytest.raises(UnknownLanguage):
        Extractor().pipeline("xx")


def test_conventions_are_named_switches_not_dataset_names():
    with pytest.raises(ValueError, match="wikinews_conventions"):
        Extractor(conventions="wikinews")
    ex = Extractor(conventions=Conventions(keep_complementizer=True))
    text = "Die Ministerin sagte, dass der Plan gut sei."
    qs = ex.extract(Article(id="c", text=text, date=dt.date(2024, 5, 3), language="de"))
    assert [q.text for q in qs] == ["dass der Plan gut sei"]
    qs = Extractor().extract(Article(id="c", text=text, date=dt.date(2024, 5, 3), language="de"))
    assert [q.text for q in qs] == ["der Plan gut sei"]


def _texts() -> list[Article]:
    de = ("Der Bürgermeister Karl Muster sagte am Montag, die Brücke werde im Herbst saniert. "
          "Die Kosten seien noch unklar. „Wir tun, was wir können“, sagte er.\n"
          "Laut der Stadtverwaltung soll die Sperrung drei Monate dauern.")
    en = ("The mayor, Jane Example, said on Tuesday that the bridge would be repaired in the autumn. "
          "\"We are doing what we can,\" she told reporters. According to the council, the closure will last three months.")
    arts = []
    for i in range(12):
        arts.append(Article(id=f"de{i}", text=de, date=dt.date(2024, 5, 3 + i), language="de"))
        arts.append(Article(id=f"en{i}", text=en, date=dt.date(2024, 5, 3 + i), language="en"))
    return arts


def test_one_extractor_serves_several_threads_without_a_lock():
    ex = Extractor()
    arts = _texts()
    sequential = [ex.extract(a) for a in arts]
    assert all(sequential)
    with ThreadPoolExecutor(max_workers=4) as pool:
        parallel = list(pool.map(ex.extract, arts))
    assert parallel == sequential
    assert not hasattr(ex, "_lock")
