"""Statement extraction: news articles (de, en) → statement mentions (who said what, when).

Public API (others code against it)::

    detect_language(text) -> "de" | "en" | other ISO code | "und"
    Extractor(gazetteer=None).extract(article) -> list[Quote]
    extract(article) -> list[Quote]             # cached default Extractor
    normalize_claim_text(text) -> str           # claim identity across quotation-mark styles

Languages: a folder ``kb/extract/lang/<code>/`` (grammar lists, features, hooks; registered
by code) + ``kb/extract/data/<code>/`` (cue verbs, frames, role nouns, pronouns, date words).
A third language is two new folders; see docs/EXTRACTION.md. The stages are the modules of
``kb/extract/stages/``, run in the order ``kb/extract/pipeline.py`` states.
"""

from __future__ import annotations

import re
import threading

from kb.model import Article, InputError, Quote

from .conventions import DEFAULT as DEFAULT_CONVENTIONS
from .conventions import Conventions
from .lang import UnknownLanguage, get_language, registered
from .profile import load_profile
from ..langid import guess
from .speakers import Entity, Gazetteer, Role

__all__ = ["detect_language", "Extractor", "extract", "normalize_claim_text", "Gazetteer", "Entity", "Role",
           "Conventions", "UnknownLanguage"]

_CTRL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def detect_language(text: str) -> str:
    """ISO 639-1 code of ``text`` ("de", "en", …) or "und" when it cannot be told."""
    if not text or not isinstance(text, str):
        return "und"
    sample = _CTRL.sub(" ", text[:3000]).replace("\n", " ").strip()
    if len(re.findall(r"\w", sample)) < 3:
        return "und"
    lang, score = guess(sample)
    return lang if lang and score >= 0.3 else "und"


def normalize_claim_text(text: str) -> str:
    """Canonical form for claim identity (see :func:`kb.graph.normalize_text`, the one rule)."""
    from kb.graph import normalize_text

    return normalize_text(text or "")


class Extractor:
    """Loads language resources once; ``extract`` may be called repeatedly and from several
    threads at once (all per-article state lives in the article's document object).

    ``conventions``: ``"default"`` (the product's) or a :class:`Conventions` instance, e.g. a
    dataset's annotation conventions for its evaluation (``bench/wikinews_conventions.py``).
    ``english``: which English extractor runs, ``parse`` | ``auto`` | ``rules`` (default:
    ``$QUOTH_EN_EXTRACTOR`` or ``parse``; kb/extract/lang/en/parse_stage.py).
    """

    def __init__(self, gazetteer: "Gazetteer | None" = None, conventions: "str | Conventions" = "default",
                 english: str | None = None):
        if isinstance(conventions, str):
            if conventions != "default":
                raise ValueError("conventions must be 'default' or a kb.extract.Conventions "
                                 "(the Wikinews dataset's: bench/wikinews_conventions.py)")
            conventions = DEFAULT_CONVENTIONS
        if not isinstance(conventions, Conventions):
            raise ValueError("conventions must be 'default' or a kb.extract.Conventions")
        self.gazetteer = gazetteer or Gazetteer.load_default()
        self.conventions = conventions
        self._pipelines: dict[str, object] = {}
        self._init_lock = threading.Lock()  # lazy loading only; extraction itself takes no lock
        # languages whose folder offers a whole-article stage (English: the dependency parse)
        # run it instead of the rule stages; chosen now, so a missing model is an error here
        choices = {"en": english}
        self.article_stages: dict[str, object] = {}
        for code in registered():
            hook = get_language(code).article_stage
            stage = hook(self.gazetteer, choices.get(code)) if hook is not None else None
            if stage is not None:
                self.article_stages[code] = stage
        self.english = self.article_stages.get("en")

    def languages(self) -> list[str]:
        """Codes of the languages with full rules (a folder under kb/extract/lang/ and data)."""
        return [c for c in registered() if load_profile(c) is not None]

    def pipeline(self, lang: str):
        """The :class:`~kb.extract.pipeline.Pipeline` of a registered language (built once);
        :class:`UnknownLanguage` for any other code."""
        pl = self._pipelines.get(lang)
        if pl is not None:
            return pl
        from .pipeline import Pipeline
        from .rules import Rules

        with self._init_lock:
            pl = self._pipelines.get(lang)
            if pl is None:
                profile = load_profile(lang)
                language = get_language(lang)  # raises UnknownLanguage
                if profile is None:
                    raise UnknownLanguage(f"extraction language {lang!r} has no data folder kb/extract/data/{lang}/")
                pl = Pipeline(Rules(profile, language, self.gazetteer, self.conventions))
                self._pipelines[lang] = pl
        return pl

    def warm_up(self) -> None:
        """Load tokenizers and lexicons now (otherwise on first use)."""
        import datetime as dt

        for lang, txt in (("de", "Er sagte, das sei gut."), ("en", "He said it was good.")):
            self.extract(Article(id="warmup", text=txt, date=dt.date(2020, 1, 1), language=lang))

    def extract(self, article: Article) -> list[Quote]:
        """Statement mentions of ``article`` (see docs/EXTRACTION.md). A language without rules
        falls back to the English ones (quotation marks; no cue words of its own match)."""
        if article is None or not isinstance(getattr(article, "text", None), str):
            raise InputError("article has no text")
        if getattr(article, "date", None) is None:
            raise InputError(f"article {getattr(article, 'id', '?')!r} has no date")
        text = article.text
        if not text.strip():
            return []
        lang = (article.language or "").lower().split("-")[0] or detect_language(text)
        route = lang if lang in self.languages() else "en"
        pl = self.article_stages.get(lang) or self.pipeline(route)
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
