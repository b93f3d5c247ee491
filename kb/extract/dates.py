"""When was it said? Resolve date expressions near a cue against the publication date.

Data-driven: weekday, month and relative-day words and the language's date conventions
(``month_before_day``, ``weekdays_capitalised``, ``bare_weekday``, ``last_prefixes``) live in
``data/<lang>/dates.toml``.
Resolution rule: a weekday or a day-month without a year means the most recent such
day not after the publication date. Returns ``(date, basis)`` with basis ``relative``
(weekday, "gestern", "yesterday") or ``explicit`` (a day and month written out).
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class DateWords:
    weekdays: dict[str, int]
    months: dict[str, int]
    relative: dict[str, int]
    weekday_prefixes: tuple[str, ...]
    lang: str
    month_before_day: bool = False  # "March 12, 2025" is a date
    weekdays_capitalised: bool = False  # a lowercase weekday word is no weekday
    bare_weekday: bool = True  # False: a weekday needs a prefix or a compound ("Freitagabend")
    last_prefixes: tuple[str, ...] = ()  # "last Friday": a week back when it is Friday today


@lru_cache(maxsize=None)
def date_words(lang: str) -> DateWords | None:
    path = DATA / lang / "dates.toml"
    if not path.exists():
        return None
    with path.open("rb") as f:
        d = tomllib.load(f)
    return DateWords(
        weekdays={k.lower(): int(v) for k, v in d.get("weekdays", {}).items()},
        months={k.lower(): int(v) for k, v in d.get("months", {}).items()},
        relative={k.lower(): int(v) for k, v in d.get("relative", {}).items()},
        weekday_prefixes=tuple(p.lower() for p in d.get("weekday_prefixes", [])),
        lang=lang,
        month_before_day=bool(d.get("month_before_day", False)),
        weekdays_capitalised=bool(d.get("weekdays_capitalised", False)),
        bare_weekday=bool(d.get("bare_weekday", True)),
        last_prefixes=tuple(p.lower() for p in d.get("last_prefixes", [])),
    )


@lru_cache(maxsize=None)
def _patterns(lang: str):
    w = date_words(lang)
    if w is None:
        return None
    months = "|".join(sorted((re.escape(m) for m in w.months), key=len, reverse=True))
    weekdays = "|".join(sorted((re.escape(m) for m in w.weekdays), key=len, reverse=True))
    rel = "|".join(sorted((re.escape(m) for m in w.relative), key=len, reverse=True))
    # "12. März 2025", "12 March 2025", "12th of March"
    day_month = re.compile(
        rf"\b(\d{{1,2}})(?:\.|st|nd|rd|th)?\s*(?:of\s+)?({months})\.?(?:\s+(\d{{4}}))?\b", re.I
    )
    # "March 12, 2025"
    month_day = re.compile(rf"\b({months})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?", re.I)
    # weekday, also inside compounds such as "Freitagabend", "Freitag"
    weekday = re.compile(rf"(?<![\w-])(?:(\w+)\s+)?({weekdays})(?:s)?(abend|morgen|nachmittag|vormittag|mittag|nacht|night|morning|afternoon|evening)?\b", re.I)
    relative = re.compile(rf"(?<!\w)({rel})(?!\w)", re.I) if rel else None
    return day_month, month_day, weekday, relative


def _most_recent(month: int, day: int, year: int | None, pub: dt.date) -> dt.date | None:
    try:
        if year is not None:
            d = dt.date(year, month, day)
            return d if d <= pub else None
        d = dt.date(pub.year, month, day)
        if d > pub:
            d = dt.date(pub.year - 1, month, day)
        return d
    except ValueError:
        return None


def resolve_date(text: str, published: dt.date, lang: str) -> tuple[dt.date, str] | None:
    """The date a statement was made, from date words in ``text`` (the attribution frame).

    ``None`` when the text names no usable day (the caller then uses the publication date).
    """
    if not text:
        return None
    pats = _patterns(lang)
    if pats is None:
        return None
    words = date_words(lang)
    day_month, month_day, weekday, relative = pats
    for m in day_month.finditer(text):
        month = words.months.get(m.group(2).lower())
        year = int(m.group(3)) if m.group(3) else None
        d = _most_recent(month, int(m.group(1)), year, published) if month else None
        if d:
            return d, "explicit"
    if words.month_before_day:
        for m in month_day.finditer(text):
            month = words.months.get(m.group(1).lower())
            if m.group(1).lower() == "may" and not m.group(1)[0].isupper():
                continue
            year = int(m.group(3)) if m.group(3) else None
            d = _most_recent(month, int(m.group(2)), year, published) if month else None
            if d:
                return d, "explicit"
    if relative is not None:
        m = relative.search(text)
        if m:
            n = words.relative.get(m.group(1).lower())
            if n is not None:
                return published - dt.timedelta(days=n), "relative"
    for m in weekday.finditer(text):
        name = m.group(2)
        if words.weekdays_capitalised and not name[0].isupper():
            continue
        wd = words.weekdays.get(name.lower())
        if wd is None:
            continue
        prefix = (m.group(1) or "").lower()
        if not words.bare_weekday and not m.group(3) and prefix not in words.weekday_prefixes:
            # a bare weekday in German is usually part of a name ("Karfreitag") or a list
            continue
        delta = (published.weekday() - wd) % 7
        if prefix in words.last_prefixes:
            delta = delta or 7
        return published - dt.timedelta(days=delta), "relative"
    return None
