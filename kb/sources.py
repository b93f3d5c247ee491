"""Reading input: article text files, article JSON Lines, structured statements.

Formats (DESIGN.md §6):
* a text file, optionally starting with a line `` date YYYY-MM-DD``; offsets count after it;
* JSON Lines, one article per line: ``{"id", "text", "date"}`` + optional
  ``title``, ``url``, ``language``, ``publisher``, ``author``;
* statements JSON Lines: ``{"speaker", "text", "language", "date_said",
  "source": {"url", "title", "date"}}`` + optional ``type``, ``speaker_iri``.

Every problem becomes an :class:`~kb.model.InputError` naming the file and line, yielded in
place of the item so that a batch goes on past one bad article.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from dateutil.parser import isoparse

from .model import Article, InputError, Statement
from .vocab import QUOTE_TYPES

_HEADER = re.compile(r"^\s*date\s+(\S+)\s*\n?")
# C0/C1 control characters other than tab and newlines; replaced by spaces so offsets hold
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: an article's text is extracted in one piece; past this size a clear error, not minutes of CPU
#: and gigabytes (news articles are under 100,000 characters)
MAX_ARTICLE_CHARS = 300_000
#: deepest JSON nesting accepted in an input line or request body (inputs are two levels deep)
MAX_JSON_DEPTH = 32
# a language tag as RDF literals accept it (BCP 47 shape: letters, then -alphanumeric subtags)
_LANG_TAG = re.compile(r"^[a-zA-Z]{1,8}(?:-[a-zA-Z0-9]{1,8})*$")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_OPEN = re.compile(rb"[\[{]")


def parse_date(value: Any, what: str = "date") -> dt.date:
    """Parse an ISO 8601 date (a datetime is cut to its date); InputError if it is not one."""
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"{what} is missing or not a string: {value!r}")
    try:
        return isoparse(value.strip()).date()
    except (ValueError, OverflowError) as e:
        raise InputError(f"{what} {value!r} is not a date (expected YYYY-MM-DD)") from e


def loads_json(text: str, where: str) -> Any:
    """One JSON value from ``text``; InputError if it is not JSON, nests deeper than
    :data:`MAX_JSON_DEPTH` or holds a lone surrogate (``"\\ud800"``, not encodable text)."""
    if _depth_over(text, MAX_JSON_DEPTH):
        raise InputError(f"{where}: JSON nested deeper than {MAX_JSON_DEPTH} levels")
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(f"{where}: not valid JSON ({e.msg} at column {e.colno})") from e
    except RecursionError as e:  # pragma: no cover - _depth_over catches it first
        raise InputError(f"{where}: JSON nested too deep") from e
    if "\\u" in text:  # only a \u escape can make a surrogate here
        _check_no_surrogates(obj, where)
    return obj


def _depth_over(text: str, limit: int) -> bool:
    """Whether brackets nest deeper than ``limit`` (an upper bound: brackets in strings count too,
    so only then is the exact depth measured by parsing, which is then safe)."""
    if text.count("[") + text.count("{") <= limit:
        return False
    depth = deepest = 0
    in_str = esc = False
    for ch in text:
        if in_str:
            if esc:
                esc = False
            elif ch == "\\":
                esc = True
            elif ch == '"':
                in_str = False
        elif ch == '"':
            in_str = True
        elif ch in "[{":
            depth += 1
            if depth > limit:
                return True
        elif ch in "]}":
            depth -= 1
    return False


def _check_no_surrogates(obj: Any, where: str) -> None:
    stack = [obj]
    while stack:
        x = stack.pop()
        if isinstance(x, str):
            m = _SURROGATE.search(x)
            if m:
                raise InputError(f"{where}: text holds a lone surrogate U+{ord(m.group()):04X} "
                                 f"(at character {m.start()}), which is not a character")
        elif isinstance(x, dict):
            stack.extend(x.keys())
            stack.extend(x.values())
        elif isinstance(x, list):
            stack.extend(x)


def check_language(tag: str, where: str) -> str:
    """``tag`` if it is a well-formed language tag (``de``, ``en-GB``); InputError otherwise."""
    if not _LANG_TAG.match(tag):
        raise InputError(f"{where}: language {tag!r} is not a language tag (like 'de' or 'en-GB')")
    return tag


def clean_text(text: str) -> str:
    """Replace control characters by spaces (same length, so offsets stay valid)."""
    return _CONTROL.sub(" ", text)


def article_from_text_file(path: Path, default_date: dt.date | None = None) -> Article:
    """An article from a text file in the example format (first line `` date YYYY-MM-DD``)."""
    try:
        raw = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise InputError(f"{path}: not UTF-8 text ({e.reason} at byte {e.start})") from e
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror})") from e
    m = _HEADER.match(raw)
    if m:
        date = parse_date(m.group(1), f"{path}: header date")
        text = raw[m.end():]
    elif default_date:
        date, text = default_date, raw
    else:
        raise InputError(f"{path}: no ' date YYYY-MM-DD' first line and no --date given")
    return _checked(Article(id=path.stem, text=clean_text(text), date=date), str(path))


def article_from_json(obj: Any, where: str, line: int | None = None) -> Article:
    """An article from one parsed JSON object (``id``, ``text``, ``date`` required)."""
    if not isinstance(obj, dict):
        raise InputError(f"{where}: expected a JSON object, got {type(obj).__name__}")
    missing = [k for k in ("id", "text", "date") if k not in obj]
    if missing:
        raise InputError(f"{where}: missing field(s) {', '.join(missing)}")
    if not isinstance(obj["text"], str):
        raise InputError(f"{where}: 'text' must be a string")
    art = Article(
        id=str(obj["id"]), text=clean_text(obj["text"]), date=parse_date(obj["date"], f"{where}: date"),
        language=_opt_lang(obj, where), title=_opt_str(obj, "title", where),
        url=_opt_str(obj, "url", where), publisher=_opt_str(obj, "publisher", where),
        author=_opt_str(obj, "author", where), source_line=line,
    )
    return _checked(art, where)


def read_articles(paths: list[Path], default_date: dt.date | None = None) -> Iterator[Article | InputError]:
    """Articles from text files and ``.jsonl`` files; errors are yielded, not raised."""
    for path in paths:
        if path.suffix in (".jsonl", ".ndjson") or path.name.endswith(".jsonl.gz"):
            yield from _read_jsonl_articles(path)
        else:
            try:
                yield article_from_text_file(path, default_date)
            except InputError as e:
                yield e


def _read_jsonl_articles(path: Path) -> Iterator[Article | InputError]:
    for n, obj in _jsonl(path):
        where = f"{path}:{n}"
        if isinstance(obj, InputError):
            yield obj
            continue
        try:
            yield article_from_json(obj, where, n)
        except InputError as e:
            yield e


def read_statements(path: Path) -> Iterator[Statement | InputError]:
    """Structured statements from JSON Lines; errors are yielded with their line number."""
    for n, obj in _jsonl(path):
        if isinstance(obj, InputError):
            yield obj
            continue
        try:
            yield statement_from_json(obj, f"{path}:{n}", n)
        except InputError as e:
            yield e


def statement_from_json(obj: Any, where: str, line: int | None = None) -> Statement:
    """One structured statement from a parsed JSON object."""
    if not isinstance(obj, dict):
        raise InputError(f"{where}: expected a JSON object")
    _check_no_surrogates(obj, where)
    for k in ("speaker", "text", "language", "date_said", "source"):
        if k not in obj:
            raise InputError(f"{where}: missing field {k!r}")
    for k in ("speaker", "text", "language"):
        if not isinstance(obj[k], str) or not obj[k].strip():
            raise InputError(f"{where}: {k!r} must be a non-empty string")
    src = obj["source"]
    if not isinstance(src, dict) or "date" not in src:
        raise InputError(f"{where}: 'source' must be an object with at least a 'date'")
    qtype = obj.get("type", "Direct")
    if qtype not in QUOTE_TYPES:
        raise InputError(f"{where}: type {qtype!r} is not one of {', '.join(QUOTE_TYPES)}")
    if not (src.get("url") or src.get("title")):
        raise InputError(f"{where}: 'source' needs a 'url' or a 'title'")
    return Statement(
        speaker=obj["speaker"].strip(), text=clean_text(obj["text"]).strip(),
        language=check_language(obj["language"].strip(), where),
        date_said=parse_date(obj["date_said"], f"{where}: date_said"),
        source_url=src.get("url"), source_title=src.get("title"),
        source_date=parse_date(src["date"], f"{where}: source.date"),
        type=qtype, speaker_iri=obj.get("speaker_iri"), line=line,
    )


def _jsonl(path: Path) -> Iterator[tuple[int, Any]]:
    import gzip

    # bytes, decoded line by line: a bad byte costs its line only, reported with its number
    try:
        fh = gzip.open(path, "rb") if path.suffix == ".gz" else path.open("rb")
    except OSError as e:
        yield 0, InputError(f"{path}: cannot read ({e.strerror})")
        return
    with fh:
        try:
            for n, raw in enumerate(fh, 1):
                where = f"{path}:{n}"
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError as e:
                    yield n, InputError(f"{where}: not UTF-8 text ({e.reason} at byte {e.start} of the line)")
                    continue
                if not line.strip():
                    continue
                try:
                    yield n, loads_json(line, where)
                except InputError as e:
                    yield n, e
        except (OSError, EOFError) as e:  # a truncated or corrupt .gz
            yield 0, InputError(f"{path}: cannot read further ({e})")


def _opt_str(obj: dict, key: str, where: str) -> str | None:
    v = obj.get(key)
    if v is None:
        return None
    if not isinstance(v, str):
        raise InputError(f"{where}: {key!r} must be a string")
    return v or None


def _opt_lang(obj: dict, where: str) -> str | None:
    v = _opt_str(obj, "language", where)
    return check_language(v.strip(), where) if v and v.strip() else None


def _checked(art: Article, where: str) -> Article:
    _check_no_surrogates([art.id, art.text, art.title, art.url, art.publisher, art.author], where)
    if not art.id.strip():
        raise InputError(f"{where}: empty article id")
    if len(art.text) > MAX_ARTICLE_CHARS:
        raise InputError(f"{where}: article text has {len(art.text):,} characters (limit {MAX_ARTICLE_CHARS:,})")
    return art
