"""The word tests of one language, built once per language and shared by every article.

:class:`Rules` bundles the data profile (``data/<lang>/``), the registered
:class:`~kb.extract.lang.Language` (grammar lists, features, hooks), the gazetteer and the
output conventions, and answers the questions the stages ask about single words: is it a
capitalised word, a role noun, an organisation noun, a name, a zu-infinitive? It holds no
per-article state (its caches map a word to a fixed answer), so one instance serves any
number of articles and threads.
"""

from __future__ import annotations

from collections import defaultdict

from .conventions import Conventions
from .lang import Language
from .profile import Profile
from .speakers import Gazetteer, fold
from .text import Tok, is_known

# separable verb particles that can precede "zu" in a one-word zu-infinitive ("anzukündigen")
_ZU_PARTICLES = ("ab", "an", "auf", "aus", "bei", "ein", "fest", "frei", "her", "hin", "mit", "nach", "vor", "weg",
                 "zurück", "zusammen", "dar", "durch", "um", "über", "unter", "wieder")


def _suffix_match(f: str, exact: set[str], lengths: list[int], minlen: int, endings: tuple[str, ...]) -> bool:
    """``f`` is a listed word, or ends in one (compounds: "Kremlsprecher"), up to an ending."""
    if f in exact:
        return True
    for e in endings:
        if e and f.endswith(e) and f[: -len(e)] in exact:
            return True
    for L in lengths:
        if L >= minlen and len(f) > L and f[-L:] in exact:
            return True
        if L >= minlen:
            for e in endings:
                if e and f.endswith(e) and len(f) - len(e) > L and f[-L - len(e):-len(e)] in exact:
                    return True
    return False


def _lower_set(values) -> set[str]:
    return {x.lower() for x in values}


class Rules:
    """Word lists, hooks and word tests of one language (see the module docstring)."""

    def __init__(self, profile: Profile, language: Language, gazetteer: Gazetteer, conventions: Conventions):
        self.p = profile
        self.code = profile.lang
        self.language = language
        self.g = gazetteer
        self.conv = conventions
        self.mood = language.mood
        self.reportative = language.is_reportative
        self.aux = language.aux
        self.subord = language.subordinators
        fr = profile.frames
        self.src_preps = [tuple(x.lower().split()) for x in fr.get("source_prepositions", [])]
        self.nach_nouns = _lower_set(fr.get("nach_nouns", []))
        self.postpositions = _lower_set(fr.get("postpositions", []))
        self.so_words = _lower_set(fr.get("so_words", []))
        self.anaphoric = _lower_set(fr.get("anaphoric_sources", []))
        self.impersonal = [tuple(x.lower().split()) for x in fr.get("impersonal", [])]
        self.citing = _lower_set(fr.get("citing", []))
        self.doc_preps = _lower_set(fr.get("doc_prepositions", []))
        self.doc_nouns = _lower_set(fr.get("doc_nouns", []))
        self.cue_nouns = _lower_set(fr.get("cue_nouns", []))
        self.complementizers = profile.complementizers
        self.conditional = profile.conditional
        self.vorfeld_adverbials = profile.vorfeld_adverbials
        # sorted: the particle that matches first must not depend on set order
        # word lists by role (lexicon.toml [stage_words]); a list the language lacks is empty
        self.words: dict[str, frozenset[str]] = defaultdict(frozenset, profile.words)
        self.particles = tuple(sorted({pt for parts in profile.cues.values() for pt in parts if pt}))
        self.particle_set = frozenset(self.particles)
        self.role_set = {fold(r) for r in profile.roles}
        self.org_set = {fold(r) for r in profile.orgs}
        self.role_lens = sorted({len(r) for r in self.role_set})
        self.org_lens = sorted({len(r) for r in self.org_set})
        self.frame_first = ({p[0] for p in self.src_preps} | {p[0] for p in self.impersonal} | {"nach"}
                            | self.postpositions | self.so_words | self.anaphoric)
        self._role_cache: dict[str, bool] = {}
        self._org_cache: dict[str, bool] = {}

    # ------------------------------------------------------------------ word tests
    @staticmethod
    def is_cap_word(t: Tok) -> bool:
        """Capitalised and holding a letter."""
        return t.text[:1].isupper() and any(c.isalpha() for c in t.text)

    def is_role_word(self, low: str) -> bool:
        """A role noun of ``roles.txt`` or a compound ending in one ("Kremlsprecher")."""
        r = self._role_cache.get(low)
        if r is None:
            r = self._role_cache[low] = _suffix_match(fold(low), self.role_set, self.role_lens, 5, ("en", "in", "s", "n"))
        return r

    def is_org_word(self, low: str) -> bool:
        """An organisation head noun of ``orgs.txt`` or a compound ending in one."""
        r = self._org_cache.get(low)
        if r is None:
            r = self._org_cache[low] = _suffix_match(fold(low), self.org_set, self.org_lens, 4, ("s", "en"))
        return r

    def is_zu_infinitive(self, t: Tok) -> bool:
        """A zu-infinitive written as one word: "auszunutzen", "anzukündigen", "einzuführen"."""
        lo = t.low
        if not lo.endswith(("en", "ern", "eln")) or "zu" not in lo[1:-3]:
            return False
        k = lo.find("zu", 1)
        while k > 0:
            if lo[:k] in self.particle_set or lo[:k] in _ZU_PARTICLES:
                return True
            k = lo.find("zu", k + 1)
        return False

    def is_name_word(self, t: Tok) -> bool:
        """A capitalised word that is no determiner, pronoun, role or organisation noun and is
        a given name of ``first_names.txt``, unknown to the lexicon, or an acronym."""
        if not self.is_cap_word(t) or t.low in self.p.determiners:
            return False
        if t.low in self.p.pronouns:
            return False
        if self.is_role_word(t.low) or self.is_org_word(t.low):
            return False
        if t.text in self.p.first_names:
            return True  # "Patrick", "Angela": given names the lexicon knows as words
        return not is_known(t.text, self.code) or (t.text.isupper() and len(t.text) >= 2)
