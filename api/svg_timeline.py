"""A speaker's timeline as server-rendered SVG: one bar per role term, and the number of claims
per month below them, on one time axis (no script, no CDN; text is XML-escaped)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any
from xml.sax.saxutils import escape

WIDTH, LEFT, RIGHT, ROW, HIST = 760, 10, 10, 22, 90


def _day(s: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(s)[:10]) if s else None
    except ValueError:
        return None


def timeline_svg(claim_dates: list[tuple[dt.date, int]], terms: list[dict[str, Any]],
                 today: dt.date | None = None) -> str:
    """The chart as an ``<svg>`` element (empty string when there is nothing to draw)."""
    today = today or dt.date.today()
    spans = [(_day(t["start"]), _day(t["end"]), t["role"]) for t in terms]
    points = [d for d, _ in claim_dates] + [d for s, e, _ in spans for d in (s, e) if d]
    if not points:
        return ""
    lo, hi = min(points), max(max(points), min(today, max(points) + dt.timedelta(days=365)))
    lo = dt.date(lo.year, 1, 1)
    hi = dt.date(hi.year + 1, 1, 1)
    span_days = max(1, (hi - lo).days)
    inner = WIDTH - LEFT - RIGHT

    def x(d: dt.date) -> float:
        return LEFT + inner * ((d - lo).days / span_days)

    out: list[str] = []
    y = 4
    for start, end, label in spans:
        s = start or lo
        e = end or hi
        w = max(2.0, x(e) - x(s))
        title = f"{label}: {start or '…'} – {end or 'today'}"
        out.append(f'<g class="term"><title>{escape(title)}</title>'
                   f'<rect x="{x(s):.1f}" y="{y}" width="{w:.1f}" height="{ROW - 6}" rx="3" class="term-bar"/>'
                   f'<text x="{x(s) + 4:.1f}" y="{y + ROW - 10}" class="term-label">{escape(label)}</text></g>')
        y += ROW
    months = Counter()
    for d, n in claim_dates:
        months[dt.date(d.year, d.month, 1)] += n
    top = y + 6
    peak = max(months.values(), default=1)
    month_w = max(2.0, inner * 30 / span_days)
    for m, n in sorted(months.items()):
        h = max(2.0, (HIST - 8) * n / peak)
        out.append(f'<rect x="{x(m):.1f}" y="{top + HIST - h:.1f}" width="{month_w:.1f}" height="{h:.1f}" '
                   f'class="claims-bar"><title>{m:%Y-%m}: {n} claim{"s" if n != 1 else ""}</title></rect>')
    axis = top + HIST
    out.append(f'<line x1="{LEFT}" y1="{axis}" x2="{WIDTH - RIGHT}" y2="{axis}" class="axis"/>')
    years = range(lo.year, hi.year + 1)
    step = max(1, len(years) // 12)
    for yr in years[::step]:
        xx = x(dt.date(yr, 1, 1))
        if xx > WIDTH - RIGHT - 24:  # no room for the label at the right edge
            continue
        out.append(f'<line x1="{xx:.1f}" y1="{axis}" x2="{xx:.1f}" y2="{axis + 4}" class="axis"/>'
                   f'<text x="{xx + 2:.1f}" y="{axis + 16}" class="year">{yr}</text>')
    height = axis + 22
    return (f'<svg xmlns="http://www.w3.org/2000/svg" id="timeline-chart" class="timeline" role="img" '
            f'viewBox="0 0 {WIDTH} {height}" width="100%" aria-label="Role terms and claims per month">'
            + "".join(out) + "</svg>")
