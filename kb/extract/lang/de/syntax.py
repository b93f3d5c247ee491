"""German word-form hooks for the stages (no parser: forms and simplemma lemmas)."""

from __future__ import annotations

from typing import Any


def finite_form(tok: Any) -> bool:
    """A lowercase word whose lemma is a verb infinitive it differs from ("erklärte" ← erklären)."""
    lem = tok.lemma
    return tok.text[:1].islower() and lem != tok.low and (lem.endswith("en") or lem.endswith("ern") or lem.endswith("eln"))
