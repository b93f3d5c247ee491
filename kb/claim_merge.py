"""One claim record from all its mentions, whatever order they arrive in (issue 18).

A claim is stated by mentions in several articles; its record in the claims graph must have
one value per single-valued property (SHACL: one ``q:quoteType``, one ``q:dateSaid``, at most
one ``q:certainty``) and must be the same whether the articles come in one batch, in several,
or in another order. So each property is folded with an order-independent rule:

* ``q:quoteType`` is the mention's property; the record carries the *most direct* type among
  its mentions, in the order of :data:`kb.vocab.QUOTE_TYPES` (Direct before Indirect before
  FreeIndirect …), so "is this claim ever quoted verbatim?" is answered by the record;
* ``q:dateSaid``: the earliest among the mentions;
* the wording (``q:text``, its language, ``q:context``): the least in code-point order among
  the wordings of the mentions (they differ only by case or punctuation when their claim is
  the same by identity);
* ``q:certainty``: hedged if any mention hedges;
* ``q:respondsTo``: the union.

Each rule is a minimum or a union, so folding the stored record with a new batch gives
what folding all mentions at once would.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from rdflib import URIRef

from .graph import ClaimRecord
from .vocab import QUOTE_TYPES

_RANK = {t: i for i, t in enumerate(QUOTE_TYPES)}


def type_rank(quote_type: str) -> int:
    """Position of a quote type in :data:`QUOTE_TYPES` (the lower, the more direct)."""
    return _RANK.get(quote_type, len(QUOTE_TYPES))


@dataclass
class StoredClaim:
    """What the store holds for a claim that other articles mention: its record's wording and
    certainty, and the dates and types of the mentions outside the batch."""

    text: str
    language: str
    context: str | None = None
    hedged: bool = False
    dates: list[dt.date] = field(default_factory=list)
    types: list[str] = field(default_factory=list)


def fold(records: list[ClaimRecord], stored: StoredClaim | None) -> ClaimRecord:
    """One record from this batch's records of a claim and, if other articles mention it,
    what the store holds of those (see the module docstring for each rule)."""
    head = records[0]
    wordings = [(r.text, r.language, r.context or "") for r in records]
    dates = [r.date_said for r in records]
    types = [r.type for r in records]
    hedged = any(r.hedged for r in records)
    if stored is not None and stored.dates:
        wordings.append((stored.text, stored.language, stored.context or ""))
        dates += stored.dates
        types += stored.types
        hedged = hedged or stored.hedged
    text, language, context = min(wordings)
    responds: list[URIRef] = sorted({o for r in records for o in r.responds_to})
    return ClaimRecord(head.iri, head.speaker, text, language, min(dates), min(types, key=type_rank),
                       hedged, context or None, responds)
