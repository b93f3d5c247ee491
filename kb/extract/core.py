"""The language-neutral extraction pipeline, parameterised by a language profile.

Per article: sentences/tokens → quotation-mark pairs → per sentence (in order):
direct quotes with their cue and speaker, indirect speech after cue verbs
(comma/colon clauses, "dass"/"that"), attribution frames ("laut X", "X zufolge",
"nach Angaben von X", ", so X", "according to X"), Konjunktiv continuations,
reportative "soll" sentences and whole-sentence reports; then speaker resolution
(gazetteer names, roles by date, roles and names learned in the article, pronouns),
dates said, hedging, context/responds-to, joint speakers and relays.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass, field

from kb.model import Article, Quote, Span, SpeakerRef

from . import dates as dates_mod
from .profile import Profile
from .speakers import Entity, Gazetteer, fold, norm_tokens
from .text import QMark, Sent, Tok, find_quotes, is_known, lemma, segment

CLAUSE_PUNCT = {",", ":", ";", "–", "—", "(", ")", "-"}
END_PUNCT = {".", "!", "?", "…"}
QUOTE_CHARS = set("„“”\"»«‚‘’‹›'")
AUX_DE = {
    "hat", "hatte", "haben", "hatten", "habe", "hätte", "hätten", "ist", "war", "sind", "waren",
    "wird", "wurde", "werden", "wurden", "soll", "sollen", "sollte", "will", "wollte", "kann",
    "konnte", "muss", "musste", "sei", "seien", "würde", "würden", "habe", "möchte",
}
AUX_EN = {
    "has", "had", "have", "is", "was", "were", "are", "will", "would", "could", "can", "did",
    "does", "do", "should", "may", "might", "must", "been", "be",
}
SUBORD_DE = {"wie", "als", "nachdem", "bevor", "während", "weil", "da", "obwohl", "wobei", "wonach", "worauf", "indem", "sodass", "damit", "ehe"}
SUBORD_EN = {"as", "when", "after", "before", "while", "because", "since", "although", "where", "with"}
PREPS_DE = {"bei", "beim", "mit", "von", "vom", "nach", "zu", "zum", "zur", "in", "im", "an", "am", "auf", "aus", "für", "gegen", "über", "unter", "vor", "während", "wegen", "seit", "durch", "ohne", "um", "gegenüber", "laut", "trotz"}
HONORIFICS = {"mr", "mrs", "ms", "dr", "prof", "herr", "frau", "sir", "lady", "lord", "mr.", "mrs.", "ms.", "dr.", "prof."}
W_WORDS = {"was", "welche", "welchen", "welcher", "welches", "wer", "wen", "wem", "warum", "weshalb", "wieso", "wann", "wo", "ob", "what", "which", "who", "why", "whether", "how"}
REL_PRON_DE = {"der", "die", "das", "dem", "den", "denen", "deren", "dessen", "welche", "welcher", "welches", "was", "wo"}
DEMONSTRATIVES = {"dieser": "m", "diese": "f|pl", "jener": "m", "jene": "f|pl"}  # as pronouns: "sagte dieser"
TOPIC_PREPS = {"zu", "zum", "zur", "über", "on", "about"}
EN_GERUND_PREPS = {"from", "of", "for", "about", "without", "against", "into", "on", "in", "at", "after", "before"}
EN_POSSESSIVES = {"her", "his", "their", "its", "our", "my"}
EN_CLAUSE_OPENERS = {"every", "no", "all", "any", "some", "each", "most", "many", "the", "a", "an", "he", "she", "they", "it", "we", "i", "there"}
EN_BE = {"is", "are", "was", "were", "be", "been", "being", "'s", "’s"}
EN_ING_SUBORD = {"while", "whilst", "when", "after", "before", "by", "as"}
LEADING_SKIP = {"und", "aber", "doch", "auch", "zudem", "so", "jedoch", "allerdings", "and", "but", "also", "so", "yet", "dann", "denn", "sondern", "oder"}


@dataclass
class Ref:
    """A speaker mention resolved within the article."""

    name: str
    kind: str = "person"
    key: str | None = None
    wikidata: str | None = None
    resolved: bool = False
    gender: str | None = None
    local_id: int = -1

    def to_speaker(self, mention: Span | None) -> SpeakerRef:
        return SpeakerRef(name=self.name, kind=self.kind, key=self.key, wikidata=self.wikidata,
                          mention=mention, resolved=self.resolved)


@dataclass
class Draft:
    type: str
    spans: list[tuple[int, int]]
    sent: int
    last_sent: int
    cue: tuple[int, int] | None = None
    speaker_span: tuple[int, int] | None = None
    refs: list[Ref] = field(default_factory=list)
    relay: Ref | None = None
    conf: float = 0.5
    frame: str = ""  # text of the attribution part (for dates)
    nested: bool = False
    date: tuple[dt.date, str] | None = None
    relay_span: tuple[int, int] | None = None


@dataclass
class LocalEntity:
    id: int
    name: str
    kind: str
    key: str | None = None
    wikidata: str | None = None
    gender: str | None = None
    roles: set[tuple[str, ...]] = field(default_factory=set)
    names: set[str] = field(default_factory=set)  # folded name tokens (surnames etc.)

    def ref(self) -> Ref:
        return Ref(self.name, self.kind, self.key, self.wikidata, self.key is not None, self.gender, self.id)


class Pipeline:
    def __init__(self, profile: Profile, gazetteer: Gazetteer, conventions: str = "default",
                 mood=None, reportative=None):
        self.p = profile
        self.lang = profile.lang
        self.g = gazetteer
        self.conv = conventions
        self.wik = conventions == "wikinews"
        self.mood = mood or (lambda w: 0)
        self.reportative = reportative or (lambda w: False)
        fr = profile.frames
        self.src_preps = [tuple(x.lower().split()) for x in fr.get("source_prepositions", [])]
        self.nach_nouns = {x.lower() for x in fr.get("nach_nouns", [])}
        self.postpositions = {x.lower() for x in fr.get("postpositions", [])}
        self.so_words = {x.lower() for x in fr.get("so_words", [])}
        self.anaphoric = {x.lower() for x in fr.get("anaphoric_sources", [])}
        self.impersonal = [tuple(x.lower().split()) for x in fr.get("impersonal", [])]
        self.citing = {x.lower() for x in fr.get("citing", [])}
        self.doc_preps = {x.lower() for x in fr.get("doc_prepositions", [])}
        self.doc_nouns = {x.lower() for x in fr.get("doc_nouns", [])}
        self.cue_nouns = {x.lower() for x in fr.get("cue_nouns", [])}
        self.aux = AUX_DE if self.lang == "de" else AUX_EN
        self.subord = SUBORD_DE if self.lang == "de" else SUBORD_EN
        self.particles = {pt for parts in profile.cues.values() for pt in parts if pt}
        self._role_cache: dict[str, bool] = {}
        self._passive = False
        self._cite_relay = None  # token range of "von X" in "Y wird von X zitiert"
        self._rejected_subject = False  # the cue's subject was not speaker-like (English)
        self._shared_cues: set[int] = set()  # cues of a direct quote that also take a clause of their own
        self._np_frame = False  # speaker NP of a source frame ("laut X"): stops at "in", "aus", …
        self._relay_span = None
        self._org_cache: dict[str, bool] = {}
        self.role_set = {fold(r) for r in profile.roles}
        self.org_set = {fold(r) for r in profile.orgs}
        self.role_lens = sorted({len(r) for r in self.role_set})
        self.org_lens = sorted({len(r) for r in self.org_set})
        self.frame_first = {p[0] for p in self.src_preps} | {p[0] for p in self.impersonal} | {"nach"} | self.postpositions | self.so_words | self.anaphoric | set()

    # ================================================================== entry
    def run(self, art: Article, lang: str) -> list[Quote]:
        text = art.text
        self.text = text
        self.date = art.date
        self.sents = segment(text, self.lang)
        self.starts = [s.s for s in self.sents]
        for s in self.sents:
            for t in s.toks:
                t.lemma = lemma(t.text, self.lang) if t.text.isalpha() else t.low
        self.marks = find_quotes(text)
        self.mark_starts = [m.o for m in self.marks]
        self.locals: list[LocalEntity] = []
        self.sent_persons: dict[int, list[tuple[int, Ref]]] = {}
        self.drafts: list[Draft] = []
        self.used_marks: set[int] = set()
        self.mentions: list[tuple[int, int, int]] = []
        self._learn_all()
        for s in self.sents:
            try:
                self._sentence(s)
            except Exception:  # one odd sentence must not sink the article
                continue
        return self._finish(art, lang)

    # ================================================================== helpers
    def sent_of(self, pos: int) -> int:
        i = bisect.bisect_right(self.starts, pos) - 1
        return max(i, 0)

    def tok_index(self, s: Sent, pos: int) -> int:
        """Index of the first token of ``s`` starting at or after ``pos``."""
        for t in s.toks:
            if t.s >= pos:
                return t.i
        return len(s.toks)

    def is_cap_word(self, t: Tok) -> bool:
        return t.text[:1].isupper() and any(c.isalpha() for c in t.text)

    def is_role_word(self, low: str) -> bool:
        r = self._role_cache.get(low)
        if r is None:
            r = self._role_cache[low] = self._is_role_word(low)
        return r

    def is_org_word(self, low: str) -> bool:
        r = self._org_cache.get(low)
        if r is None:
            r = self._org_cache[low] = self._is_org_word(low)
        return r

    @staticmethod
    def _suffix_match(f: str, exact: set[str], lengths: list[int], minlen: int, endings: tuple[str, ...]) -> bool:
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

    def _is_role_word(self, low: str) -> bool:
        return self._suffix_match(fold(low), self.role_set, self.role_lens, 5, ("en", "in", "s", "n"))

    def _is_org_word(self, low: str) -> bool:
        return self._suffix_match(fold(low), self.org_set, self.org_lens, 4, ("s", "en"))

    def is_zu_infinitive(self, t: Tok) -> bool:
        """A zu-infinitive written as one word: "auszunutzen", "anzukündigen", "einzuführen"."""
        lo = t.low
        if not lo.endswith(("en", "ern", "eln")) or "zu" not in lo[1:-3]:
            return False
        k = lo.find("zu", 1)
        while k > 0:
            if lo[:k] in self.particles or lo[:k] in ("ab", "an", "auf", "aus", "bei", "ein", "fest", "frei", "her", "hin", "mit", "nach", "vor", "weg", "zurück", "zusammen", "dar", "durch", "um", "über", "unter", "wieder"):
                return True
            k = lo.find("zu", k + 1)
        return False

    def is_name_word(self, t: Tok) -> bool:
        if not self.is_cap_word(t) or t.low in self.p.determiners:
            return False
        if t.low in self.p.pronouns:
            return False
        if self.is_role_word(t.low) or self.is_org_word(t.low):
            return False
        return not is_known(t.text, self.lang) or (t.text.isupper() and len(t.text) >= 2)

    # ================================================================== learning names
    def _learn_all(self) -> None:
        """Pass over all sentences: person/organisation mentions, learned roles and names."""
        for s in self.sents:
            persons: list[tuple[int, Ref]] = []
            toks = s.toks
            i = 0
            n = len(toks)
            while i < n:
                t = toks[i]
                if t.low in self.p.pronouns and self.p.pronouns[t.low] in ("m", "f|pl", "f") and not self._in_mark(t.s):
                    r = self.resolve_pronoun(s, t, persons)
                    if r is not None:
                        persons.append((t.s, r))
                        self.mentions.append((t.s, t.e, r.local_id))
                    i += 1
                    continue
                if not self.is_cap_word(t) or self._in_mark(t.s):
                    i += 1
                    continue
                # maximal run of capitalised words / name connectors
                j = i
                while j < n and (self.is_cap_word(toks[j]) or (toks[j].low in ("von", "van", "de", "al", "bin", "der") and j + 1 < n and self.is_cap_word(toks[j + 1]) and j > i)):
                    j += 1
                run = toks[i:j]
                ref = self._ref_from_run(run, s, toks, i)
                if ref is not None:
                    persons.append((toks[i].s, ref))
                    self.mentions.append((toks[i].s, toks[j - 1].e, ref.local_id))
                i = max(j, i + 1)
            self.sent_persons[s.idx] = persons

    def _in_mark(self, pos: int) -> bool:
        k = bisect.bisect_right(self.mark_starts, pos) - 1
        return k >= 0 and self.marks[k].o < pos < self.marks[k].c

    def _ref_from_run(self, run: list[Tok], s: Sent, toks: list[Tok], i0: int) -> Ref | None:
        """A capitalised run such as "Kremlsprecher Dmitri Peskow" → Ref (learning roles)."""
        text = self.text[run[0].s:run[-1].e]
        ntoks = norm_tokens(text, self.lang)
        if not ntoks:
            return None
        hit = self.g.match_name(ntoks)
        # role words in the run (and an adjective before it: "russische Botschafter")
        role_toks = [t for t in run if self.is_role_word(t.low)]
        names = [t for t in run if self.is_name_word(t) and not (t.i > 0 and toks[t.i - 1].low in ("von", "vom", "aus", "in", "im", "der", "des", "für", "of", "for", "from", "in", "at"))]
        if i0 > 0 and toks[i0 - 1].low.rstrip(".") in HONORIFICS and not names:
            names = [t for t in run]
        if not names and role_toks:
            k = run.index(role_toks[-1])
            tail = [t for t in run[k + 1:] if not self.is_org_word(t.low)]
            if tail and len(tail) <= 4 and all(self.is_cap_word(t) for t in run[k + 1:]):
                names = tail
        if i0 == 0 and names and names[0] is run[0] and len(run) == 1 and not self._any_local(run[0]):
            # sentence-initial capitalised word: a name only if unknown to the lexicon
            pass
        if hit:
            e = hit[0]
            le = self._local_for_entity(e)
            self._learn_role(le, run, toks, i0)
            return le.ref()
        if names:
            # the name: capitalised words after the last role/organisation word of the run
            last_role = max([k for k, t in enumerate(run) if self.is_role_word(t.low) or self.is_org_word(t.low)] or [-1])
            first_name = run.index(names[0])
            start = last_role + 1 if last_role < first_name else first_name
            name_toks = [t for t in run[start:] if t.low not in self.p.determiners and self.is_cap_word(t)]
            if not name_toks:
                name_toks = names
            # keep the contiguous tail of names
            name_text = self.text[name_toks[0].s:name_toks[-1].e]
            le = self._local_by_name(name_text, run)
            if le is None:
                kind = "organization" if any(self.is_org_word(t.low) for t in run) else "person"
                if len(name_toks) == 1 and name_toks[0].text.isupper():
                    kind = "organization"
                le = LocalEntity(len(self.locals), name_text, kind)
                le.names = {fold(t.text) for t in name_toks}
                self.locals.append(le)
            else:
                if len(name_text) > len(le.name) and le.key is None:
                    le.name = name_text
                le.names |= {fold(t.text) for t in name_toks}
            self._learn_role(le, run, toks, i0)
            return le.ref() if le.kind == "person" else None
        if role_toks:
            # a bare role: learned in this article or from the gazetteer by date
            rtoks = self._role_tokens(toks, i0, run)
            for le in reversed(self.locals):
                if any(self._covers(r, rtoks) for r in le.roles):
                    return le.ref()
            e = self.g.match_role(rtoks, self.date)
            if e is not None:
                return self._local_for_entity(e).ref()
        return None

    def _any_local(self, t: Tok) -> bool:
        f = fold(t.text)
        return any(f in le.names for le in self.locals)

    @staticmethod
    def _sub(hay: tuple[str, ...], needle: tuple[str, ...]) -> bool:
        from .speakers import _find_sub

        return _find_sub(hay, needle) >= 0

    @staticmethod
    def _covers(role: tuple[str, ...], np: tuple[str, ...]) -> bool:
        """Every token of the noun phrase's role part occurs in the learned role."""
        from .speakers import _tok_eq

        if not np or not role:
            return False
        return all(any(_tok_eq(a, b) for b in role) for a in np)

    def _role_tokens(self, toks: list[Tok], i0: int, run: list[Tok]) -> tuple[str, ...]:
        """Normalised tokens of a role phrase: adjectives before the run + role words of the run."""
        k = i0
        while k > 0 and toks[k - 1].text[:1].islower() and toks[k - 1].low not in self.p.np_stop and toks[k - 1].low not in self.p.determiners and not toks[k - 1].is_punct and len(toks[k - 1].text) > 3:
            k -= 1
        words = [t.text for t in toks[k:i0]] + [t.text for t in run if not self.is_name_word(t)]
        return norm_tokens(" ".join(words), self.lang)

    def _learn_role(self, le: LocalEntity, run: list[Tok], toks: list[Tok], i0: int) -> None:
        role_words = [t for t in run if self.is_role_word(t.low)]
        if role_words:
            rt = self._role_tokens(toks, i0, run)
            if rt:
                le.roles.add(rt)
                # also the bare head noun ("Kremlsprecher", "Botschafter")
                le.roles.add(norm_tokens(role_words[-1].text, self.lang))
        # apposition before: "Der russische Botschafter in den USA, Alexander Dartschiew"
        if i0 >= 2 and toks[i0 - 1].text == ",":
            k = i0 - 2
            back = []
            while k >= 0 and toks[k].text not in (",", ".", ":", ";") and len(back) < 8:
                back.append(toks[k])
                k -= 1
            back.reverse()
            if any(self.is_role_word(t.low) for t in back):
                rt = norm_tokens(" ".join(t.text for t in back if not (t.low in self.p.determiners)), self.lang)
                if rt:
                    le.roles.add(rt)
                    for t in back:
                        if self.is_role_word(t.low):
                            le.roles.add(norm_tokens(t.text, self.lang))

    def _local_for_entity(self, e: Entity) -> LocalEntity:
        for le in self.locals:
            if le.key == e.key:
                return le
        le = LocalEntity(len(self.locals), e.name, e.kind, e.key, e.wikidata, e.gender)
        for n in e.all_names():
            le.names |= {fold(x) for x in n.split() if x[:1].isupper()}
        self.locals.append(le)
        return le

    def _local_by_name(self, name_text: str, run: list[Tok]) -> LocalEntity | None:
        parts = [fold(x) for x in name_text.split()]
        if not parts:
            return None
        toks = set(parts)
        best = None
        for le in self.locals:
            # same surname, or a single word that is one of its names ("Dartschiew")
            if parts[-1] in le.names or len(toks & le.names) >= 2 or (len(parts) == 1 and parts[0] in le.names):
                best = le
        return best

    # ================================================================== noun phrases
    def np_after(self, s: Sent, i: int, limit: int = 16) -> tuple[int, int] | None:
        """Token range [i, j) of a speaker noun phrase starting at token i."""
        toks = s.toks
        n = len(toks)
        if i >= n:
            return None
        t = toks[i]
        if t.low in self.p.pronouns:
            return (i, i + 1)
        if self.lang == "de" and t.low in DEMONSTRATIVES and (i + 1 >= n or toks[i + 1].is_punct or toks[i + 1].text[:1].islower() and toks[i + 1].low not in self.p.determiners):
            return (i, i + 1)  # demonstrative used as a pronoun: "sagte dieser, …"
        j = i
        has_head = False
        while j < n and j - i < limit:
            t = toks[j]
            lo = t.low
            if t.text in QUOTE_CHARS:
                # a title in quotation marks inside a name: Die „Süddeutsche Zeitung“
                m = self._mark_at(t.s)
                if m is not None and len(self.text[m.cs:m.ce].split()) <= 4 and self.text[m.cs:m.cs + 1].isupper():
                    while j < n and toks[j].s <= m.c:
                        j += 1
                    has_head = True
                    continue
                if has_head and self._in_mark(t.s - 1) is False and j > i and toks[j - 1].s > (self._mark_at(t.s) or QMark(-1, -1)).o:
                    pass
                break
            if self._in_mark(t.s) and not has_head:
                break
            if has_head and j > i and self.lang == "de" and (lo in self.p.determiners or lo in ("in", "im", "aus", "bei", "beim", "zu")) and self.is_name_word(toks[j - 1]):
                # a proper name is not followed by a genitive or a place inside the same NP:
                # "laut Müller die Prüfung …", "nach Angaben von Europol in Wien gefasst"
                break
            if lo in self.p.determiners or (self.lang == "de" and lo in ("seiner", "ihrer")) or (self.lang == "en" and lo in ("'s", "’s") and j > i):
                j += 1
                continue
            if (self.is_cap_word(t) or ("-" in t.text and (t.text.split("-")[-1][:1].isupper() or t.text[:1].isdigit()))) and lo not in self.p.np_stop:
                has_head = True
                j += 1
                continue
            if t.text == "," and has_head and j + 1 < n and limit > 12:
                # apposition ", Alexander Dartschiew," / ", der Bürgermeister von X," closed by a comma
                inner = self.np_after(s, j + 1, limit=12)
                if inner is not None and inner[1] < n and toks[inner[1]].text == "," and toks[j + 1].low not in self.p.pronouns:
                    it = toks[inner[0]:inner[1]]
                    if any(self.is_name_word(x) or self.is_role_word(x.low) for x in it) or (len(it) <= 3 and all(self.is_cap_word(x) for x in it)):
                        j = inner[1]
                break
            weak = lo in ("in", "im", "aus", "bei", "beim", "zu", "at", "from")
            if weak and self._np_frame:
                break
            if weak and j + 1 < n and not (self.is_cap_word(toks[j + 1]) or (self.is_role_word(toks[j - 1].low) and toks[j + 1].low in self.p.determiners)):
                break
            if lo in self.p.np_connectors and has_head and j + 1 < n and (self.is_cap_word(toks[j + 1]) or toks[j + 1].low in self.p.determiners):
                if lo in ("und", "and") and not (self.is_cap_word(toks[j + 1]) or toks[j + 1].low in self.p.determiners):
                    break
                j += 1
                continue
            if t.text[:1].islower() and lo not in self.p.np_stop and not t.is_punct and not has_head and (self.lang == "en" or re.search(r"(e|en|er|es|em)$", lo)):
                j += 1  # adjective before the head
                continue
            if self.lang == "en" and t.text[:1].islower() and lo not in self.p.np_stop and not t.is_punct and (j - i < 5 or self.is_org_word(lo) or self.is_role_word(lo)) and lo.isalpha() and lemma(lo, "en") not in self.p.cues and not lo.endswith("ly"):
                prev_ok = j > i and (toks[j - 1].low in self.p.determiners or self.is_cap_word(toks[j - 1]) or toks[j - 1].low in ("'s", "’s") or (toks[j - 1].text[:1].islower() and toks[j - 1].low not in self.p.np_connectors))
                inflected = lo.endswith("ed") or lo.endswith("ing") or (t.lemma != lo and not (lo.endswith("s") and lo[:-1] == t.lemma))
                if prev_ok and not inflected and (lo in self.p.determiners or is_known(lo, "en")):
                    j += 1
                    has_head = True
                    continue
            break
        while j > i and (toks[j - 1].low in self.p.np_connectors or toks[j - 1].is_punct or toks[j - 1].low in self.p.determiners):
            j -= 1
        if j <= i or not any(self.is_cap_word(x) or self.lang == "en" or ("-" in x.text and x.text[:1].isdigit()) for x in toks[i:j]):
            return None
        return (i, j)

    def np_frame(self, s: Sent, i: int) -> tuple[int, int] | None:
        """The source NP of a frame ("laut X", "nach Angaben von X"): no trailing place phrase."""
        self._np_frame = True
        try:
            return self.np_after(s, i)
        finally:
            self._np_frame = False

    def subject_before_en(self, s: Sent, cue_i: int, clause_start: int) -> tuple[int, int] | None:
        """English: the noun phrase right before the verb (SVO), read backwards."""
        toks = s.toks
        j = cue_i
        while j > clause_start and (toks[j - 1].low in AUX_EN or toks[j - 1].low.endswith("ly") or toks[j - 1].low in ("also", "later", "then", "previously", "earlier", "has", "had", "not")):
            j -= 1
        k = j
        while k > clause_start:
            t = toks[k - 1]
            lo = t.low
            if self.is_cap_word(t) and not self._in_mark(t.s):
                k -= 1
                continue
            if lo in ("'s", "’s") or lo in self.p.determiners:
                k -= 1
                continue
            if lo in ("of", "for", "at", "from", "and") and k - 1 > clause_start and (self.is_cap_word(toks[k - 2]) or toks[k - 2].text[:1].islower()) and k < j:
                if lo == "and" and not self.is_cap_word(toks[k - 2]):
                    break
                k -= 1
                continue
            if t.text[:1].islower() and t.text.isalpha() and lo not in self.p.np_stop and lo == t.lemma or (lo.endswith("s") and not lo.endswith("ss") and lo[:-1] == t.lemma):
                if lo.endswith("ed") or lo.endswith("ing") or lo in self.p.cues or t.lemma in self.p.cues:
                    break
                k -= 1
                continue
            break
        while k < j and (toks[k].low in ("and", "of", "for", "at", "from") or toks[k].is_punct):
            k += 1
        if k >= j or j - k > 10:
            return None
        if j - k == 1 and toks[k].low in ("it", "this", "that", "which", "who"):
            return None
        return (k, j)

    def subject_before(self, s: Sent, cue_i: int, clause_start: int) -> tuple[int, int] | None:
        """Subject noun phrase at the start of the clause (the Vorfeld), ending before the cue."""
        toks = s.toks
        if self.lang == "en":
            r = self.subject_before_en(s, cue_i, clause_start)
            if r is not None and cue_i - 1 >= 0 and toks[r[0]].low in self.p.pronouns:
                return r
            return r
        k = clause_start
        while k < cue_i and (toks[k].low in LEADING_SKIP or toks[k].low in self.subord or toks[k].is_punct or toks[k].text in QUOTE_CHARS):
            k += 1
        if k >= cue_i:
            return None
        if toks[k].low in self.p.vorfeld_adverbials and toks[k].low not in self.p.determiners:
            return None
        if self.lang == "en":
            # skip a fronted adverbial "On Tuesday," inside the clause
            for m in range(cue_i - 1, k - 1, -1):
                if toks[m].text == "," and not self._apposition_comma(toks, m, k, cue_i):
                    k = m + 1
                    break
        rng = self.np_after(s, k)
        if rng is None or rng[1] > cue_i:
            return None
        if rng[1] - rng[0] == 1 and toks[rng[0]].low in ("es", "it", "das", "dies", "this", "that"):
            return None
        return rng

    def _apposition_comma(self, toks, m, k, end) -> bool:
        # "Suella Braverman, the Home Secretary, said" keeps both parts
        commas = [x for x in range(k, end) if toks[x].text == ","]
        return len(commas) >= 2

    def subject_after(self, s: Sent, i: int) -> tuple[int, int] | None:
        toks = s.toks
        j = i
        # skip separable particle / adverbs directly after the cue ("sagte gestern Putin")
        while j < len(toks) and (toks[j].low in ("gestern", "heute", "am", "zudem", "auch", "dazu", "außerdem", "jedoch", "allerdings", "nun", "bereits", "später", "wörtlich", "erneut", "daraufhin", "damals", "dann", "ebenfalls", "weiter") or toks[j].low in self.particles and toks[j].low != "von" and not (j + 1 < len(toks) and toks[j + 1].low in self.p.determiners)):
            if toks[j].low == "am" and j + 1 < len(toks):
                j += 2
                continue
            j += 1
        return self.np_after(s, j)

    # ================================================================== resolution
    def resolve(self, s: Sent, rng: tuple[int, int] | None) -> list[Ref]:
        """Refs for the noun phrase at token range ``rng`` (several for joint speakers)."""
        if rng is None:
            return []
        toks = s.toks[rng[0]:rng[1]]
        if not toks:
            return []
        if len(toks) == 1 and (toks[0].low in self.p.pronouns or toks[0].low in DEMONSTRATIVES):
            r = self.resolve_pronoun(s, toks[0])
            return [r] if r else [Ref(toks[0].text, "person", resolved=False)]
        # joint: split at coordinators between capitalised parts
        parts: list[list[Tok]] = [[]]
        for t in toks:
            if t.low in self.p.coordinators:
                parts.append([])
            else:
                parts[-1].append(t)
        parts = [p for p in parts if p]
        refs: list[Ref] = []
        if len(parts) > 1:
            for p in parts:
                r = self._resolve_part(s, p)
                if r is None:
                    refs = []
                    break
                refs.append(r)
            if refs and all(r.resolved or r.local_id >= 0 for r in refs):
                return refs
        r = self._resolve_part(s, toks, allow_unresolved=True)
        return [r] if r else []

    def _resolve_part(self, s: Sent, toks: list[Tok], allow_unresolved: bool = False) -> Ref | None:
        if len(toks) == 1 and toks[0].low in self.p.pronouns:
            return self.resolve_pronoun(s, toks[0])
        if any(t.text == "," for t in toks):
            head = []
            for t in toks:
                if t.text == ",":
                    break
                head.append(t)
            rest = toks[len(head) + 1:]
            app = []
            for t in rest:
                if t.text == ",":
                    break
                app.append(t)
            if app and len(app) <= 4 and all(self.is_cap_word(t) for t in app) and any(self.is_role_word(t.low) for t in head):
                r = self._resolve_part(s, app, allow_unresolved=True)
                if r is not None:
                    return r
            if head and any(self.is_name_word(t) for t in head):
                r = self._resolve_part(s, head, allow_unresolved=False)
                if r is not None:
                    return r
        text = self.text[toks[0].s:toks[-1].e]
        nt = norm_tokens(text, self.lang)
        hit = self.g.match_name(nt)
        if hit:
            return self._local_for_entity(hit[0]).ref()
        names = [t for t in toks if self.is_name_word(t)]
        roles_in = [k for k, t in enumerate(toks) if self.is_role_word(t.low)]
        if roles_in:
            tail = [t for t in toks[roles_in[-1] + 1:] if self.is_cap_word(t) and not self.is_org_word(t.low)]
            if tail and len(tail) <= 4 and all(self.is_cap_word(t) for t in toks[roles_in[-1] + 1:]):
                names = tail
        capt = [t for t in toks if self.is_cap_word(t) and not self.is_role_word(t.low) and not self.is_org_word(t.low) and t.low not in self.p.determiners]
        cand = names or capt
        if cand:
            surname = fold(cand[-1].text)
            allc = {fold(t.text) for t in cand}
            for le in reversed(self.locals):
                if surname in le.names or len(allc & le.names) >= 2:
                    return le.ref()
        if any(self.is_role_word(t.low) for t in toks):
            rt = norm_tokens(" ".join(t.text for t in toks if not self.is_name_word(t)), self.lang)
            for le in reversed(self.locals):
                if any(self._covers(r, rt) for r in le.roles if r):
                    return le.ref()
            e = self.g.match_role(nt, self.date)
            if e is not None:
                return self._local_for_entity(e).ref()
        if names and roles_in and names[0].i == toks[roles_in[-1]].i + 1:
            return Ref(self.text[names[0].s:names[-1].e], "person", resolved=False)
        if not allow_unresolved:
            if names:
                return Ref(self.text[names[0].s:names[-1].e], "person", resolved=False)
            return None
        # unresolved mention: a name in apposition, else the phrase without leading articles
        words = [t for t in toks]
        parts = [[]]
        for t in toks:
            if t.text == ",":
                parts.append([])
            else:
                parts[-1].append(t)
        for p in parts[1:]:
            if p and len(p) <= 4 and all(self.is_cap_word(t) for t in p):
                words = p
                break
        while words and words[0].low in self.p.determiners:
            words = words[1:]
        if not words:
            return None
        name = self.text[words[0].s:words[-1].e]
        kind = "organization" if any(self.is_org_word(t.low) for t in words) else "person"
        return Ref(name, kind, resolved=False)

    def resolve_pronoun(self, s: Sent, t: Tok, current=None) -> Ref | None:
        g = self.p.pronouns.get(t.low, "") or DEMONSTRATIVES.get(t.low, "")
        if g in ("pl1", "sg1", "n", "pl"):
            return None
        want = set(g.split("|"))
        # persons mentioned earlier in this sentence, then previous sentences (first = subject)
        cands: list[Ref] = []
        for pos, r in (current if current is not None else self.sent_persons.get(s.idx, [])):
            if pos < t.s:
                cands.append(r)
        cands.reverse()
        for k in range(s.idx - 1, max(-1, s.idx - 6), -1):
            ps = self.sent_persons.get(k, [])
            cands.extend(r for _, r in ps)
        for r in cands:
            if r.kind != "person":
                continue
            if r.gender and not (r.gender in want):
                continue
            return r
        return None

    def _latest(self, refs: list[Ref], before: int, default):
        """The latest mention of the (first) speaker before ``before``; gold data marks the
        nearest mention, not the one where the speaker was introduced."""
        if not refs or refs[0].local_id < 0:
            return default
        lid = refs[0].local_id
        best = None
        for a, b, k in reversed(self.mentions[-400:]):
            if k == lid and b <= before and (best is None or a > best[0]):
                best = (a, b)
        if best is None:
            return default
        if default is not None and default[1] <= before and default[0] > best[0]:
            return default
        return best

    def _note_person(self, s: Sent, pos: int, ref: Ref, end: int | None = None) -> None:
        if end is not None:
            self.mentions.append((pos, end, ref.local_id))
        lst = self.sent_persons.setdefault(s.idx, [])
        lst.append((pos, ref))
        lst.sort(key=lambda x: x[0])

    # ================================================================== cues
    def find_cues(self, s: Sent, skip: set[int]) -> list[tuple[int, str, int | None]]:
        """(token index, lemma, particle token index) of speech cues in the sentence."""
        out = []
        toks = s.toks
        n = len(toks)
        for t in toks:
            if t.i in skip or not t.text.isalpha():
                continue
            if t.text[:1].isupper() and t.i > 0 and self.lang == "de":
                if t.low in self.cue_nouns:
                    # a noun cue counts only if a reported clause follows: ", dass" / Konjunktiv / ", zu"
                    for k in range(t.i + 1, min(n, t.i + 4)):
                        if toks[k].text == ",":
                            if k + 1 < n and (toks[k + 1].low in ("dass", "daß") or any(self.mood(x.text) for x in toks[k + 1:k + 8])):
                                out.append((t.i, t.low, None))
                            break
                        if toks[k].is_punct:
                            break
                continue
            lem = t.lemma
            rp = self.p.reflexive_cues.get(lem)
            if rp is not None and t.text[:1].islower():
                # "setzte sich für … ein", "wünscht sich …", "sprach sich gegen … aus"
                refl = next((k for k in range(t.i + 1, min(n, t.i + 4)) if toks[k].low == "sich"), None)
                if refl is not None:
                    pk = None
                    for k in range(refl + 1, n):
                        if toks[k].text in CLAUSE_PUNCT or toks[k].text in END_PUNCT:
                            break
                        if toks[k].low in rp:
                            pk = k
                    if pk is not None or "" in rp:
                        out.append((t.i, "sich:" + lem, pk))
                        continue
            parts = self.p.cues.get(lem)
            particle_i = None
            base = lem
            if parts is None:
                # merged separable verb: "ankündigte" -> an + kündigen
                for pt in self.particles:
                    if lem.startswith(pt) and lem[len(pt):] in self.p.cues and pt in self.p.cues[lem[len(pt):]]:
                        parts = {""}
                        base = lem
                        break
            if parts is None:
                continue
            if self.lang == "en" and not self._en_cue_form(s, t):
                continue
            ok = "" in parts
            if not ok:
                # separable particle later in the clause
                for k in range(t.i + 1, n):
                    if toks[k].text in CLAUSE_PUNCT or toks[k].text in END_PUNCT:
                        break
                    if toks[k].low in parts:
                        ok, particle_i = True, k
                        break
            else:
                # prepositional particles ("sprechen … von") are useful if present in the clause
                for k in range(t.i + 1, min(n, t.i + 5)):
                    if toks[k].text in CLAUSE_PUNCT or toks[k].text in END_PUNCT:
                        break
                    if toks[k].low in parts:
                        particle_i = k
                        break
            if not ok:
                continue
            # negated speech "sagte … nicht" (up to clause end)
            neg = False
            for k in range(t.i + 1, min(n, t.i + 6)):
                if toks[k].text in CLAUSE_PUNCT or toks[k].text in END_PUNCT:
                    break
                if toks[k].low in ("nicht", "not", "nichts", "keine"):
                    if k + 1 >= n or toks[k + 1].text in END_PUNCT or toks[k + 1].text in CLAUSE_PUNCT:
                        neg = True
            if neg:
                continue
            out.append((t.i, base, particle_i))
        return out

    def _en_cue_form(self, s: Sent, t: Tok) -> bool:
        """An English cue word used as an active speech verb: not a gerund after a preposition
        ("banned from claiming"), not a passive ("were reported", "has been told"), not a
        capitalised word inside a sentence ("Prime Minister's Questions") unless the sentence
        is a title-case headline."""
        if not self._en_verb_form(s, t):
            return False
        toks = s.toks
        prev = toks[t.i - 1].low if t.i > 0 else ""
        if t.low.endswith("ing") and prev in EN_GERUND_PREPS:
            return False
        if prev in self.p.determiners and prev not in ("that",):
            return False  # "the claims", "his questions"
        if t.low.endswith("s") and not t.low.endswith("ss") and prev in EN_GERUND_PREPS | {"over", "with", "by", "to", "under", "and", "or"}:
            return False  # "over fears", "of claims"
        k = t.i - 1
        while k >= 0 and (toks[k].low.endswith("ly") or toks[k].low in ("also", "not", "already")):
            k -= 1
        if k >= 0 and toks[k].low in EN_BE and t.low != t.lemma and not t.low.endswith("ing"):
            return False
        if t.i > 0 and self.is_cap_word(t):
            words = [x for x in toks if x.text.isalpha() and len(x.text) > 3]
            if sum(self.is_cap_word(x) for x in words) < 0.6 * len(words):
                return False
        return True

    def _en_verb_form(self, s: Sent, t: Tok) -> bool:
        if t.low != t.lemma:
            return True
        if t.i > 0 and s.toks[t.i - 1].low in AUX_EN | {"to"}:
            return True
        if t.i > 0:
            # present tense after a plural subject: "they say", "Officials tell"
            pl = s.toks[t.i - 1]
            if pl.low in ("they", "we", "i", "you") or (pl.low.endswith("s") and (self.is_role_word(pl.low) or self.is_org_word(pl.low) or pl.low in self.p.source_nouns)):
                return True
        return False

    # ================================================================== sentences
    def _sentence(self, s: Sent) -> None:
        toks = s.toks
        if not toks:
            return
        k0 = bisect.bisect_left(self.mark_starts, s.s)
        sent_marks = [m for m in self.marks[k0:bisect.bisect_left(self.mark_starts, s.e)]]
        k = k0 - 1
        while k >= 0 and k0 - k <= 3:
            if self.marks[k].c > s.s:
                sent_marks.insert(0, self.marks[k])
            k -= 1
        full: list[QMark] = []
        frags: list[QMark] = []
        for m in sent_marks:
            if self._is_full(m):
                full.append(m)
            elif id(m) not in self.used_marks:
                frags.append(m)
        # token indices inside full direct quotes
        skip: set[int] = set()
        for m in full:
            for t in toks:
                if m.o <= t.s and t.e <= m.c + 1:
                    skip.add(t.i)
        frag_toks: set[int] = set()
        for m in frags:
            for t in toks:
                if m.o <= t.s and t.e <= m.c + 1:
                    frag_toks.add(t.i)
        cues = self.find_cues(s, skip | frag_toks)
        used_cues: set[int] = set()
        self._shared_cues = set()
        n_before = len(self.drafts)

        # ---- direct quotes
        for m in full:
            if id(m) in self.used_marks:
                continue
            self._direct(s, m, cues, used_cues, skip)

        # ---- frames: laut / zufolge / nach Angaben / so / according to
        covered = set(skip)
        frame = self._frame(s, covered, cues, used_cues, frag_toks)
        if frame is None:
            # ---- cue clauses
            for ci, lem, pi in cues:
                if (ci in used_cues and ci not in self._shared_cues) or ci in covered:
                    continue
                d = self._cue_clause(s, ci, lem, pi, covered, cues, used_cues, frag_toks)
                if d is not None:
                    used_cues.add(ci)
        # ---- headline "Peskow: Suche nach Lösungswegen möglich"
        if len(self.drafts) == n_before and not full:
            self._headline(s)
        # ---- "X [verb of unknown kind], dass Q" with a person as subject
        if len(self.drafts) == n_before and not full and self.lang == "de":
            self._dass_clause(s, skip)
        # ---- continuation / reportative / reported
        if len(self.drafts) == n_before:
            self._continuation(s, skip, frag_toks, cues)
        # nested fragments
        new = self.drafts[n_before:]
        for m in frags:
            host = None
            for d in new:
                if d.type != "Direct" and any(a <= m.o and m.c <= b + 1 for a, b in d.spans):
                    host = d
                    break
            if host is None:
                if any(d.speaker_span and d.speaker_span[0] <= m.o < d.speaker_span[1] for d in new):
                    continue  # a quoted name in the speaker: Wie die „Muster Zeitung“ berichtet, …
                self._fragment(s, m, cues, n_before)
                continue
            self.used_marks.add(id(m))
            if self.wik and not self._quoted_name(m):
                self.drafts.append(Draft("Direct", [(m.cs, m.ce)], s.idx, s.idx, host.cue, host.speaker_span,
                                         list(host.refs), host.relay, host.conf * 0.9, host.frame, nested=True))

    def _dass_clause(self, s: Sent, skip) -> None:
        toks = s.toks
        for k in range(2, len(toks) - 3):
            konj_clause = (toks[k].text == "," and k + 2 < len(toks) and toks[k + 1].low not in REL_PRON_DE | W_WORDS | {"und", "aber", "oder", "weil", "wenn", "da", "als", "um", "ohne", "sondern"}
                           and any(self.mood(t.text) == 1 for t in toks[k + 1:k + 7]) and not self.mood(toks[k + 1].text))
            if (toks[k].text == "," and toks[k + 1].low in ("dass", "daß") or konj_clause) and toks[k - 1].low not in ("so", "ohne", "statt", "anstatt", "als", "außer", "bis"):
                if toks[k - 1].low.startswith("da") and len(toks[k - 1].low) > 3 and toks[k - 1].low not in ("davon", "darauf", "daran", "darüber"):
                    return  # "dafür, dass", "dazu, dass": not a report
                i = 0
                while i < k and (toks[i].low in LEADING_SKIP or toks[i].is_punct):
                    i += 1
                rng = self.np_after(s, i)
                if rng is None or rng[1] >= k or self._np_score(s, rng) < 1:
                    return
                if not self._has_verb(toks[rng[1]:k]):
                    return
                refs = self.resolve(s, rng)
                if not refs:
                    return
                b = len(toks)
                while b > k + 2 and toks[b - 1].is_punct and toks[b - 1].text not in QUOTE_CHARS:
                    b -= 1
                a = k + 1 if (self.wik or konj_clause) else k + 2
                sp = (toks[rng[0]].s, toks[rng[1] - 1].e)
                d = Draft("Indirect", [(toks[a].s, toks[b - 1].e)], s.idx, s.idx, None, sp, refs, None, 0.4)
                d.frame = self.text[s.s:toks[k].s]
                self.drafts.append(d)
                return

    def _headline(self, s: Sent) -> None:
        """A one-line paragraph "Name: statement" without final punctuation (a headline)."""
        toks = s.toks
        if toks[-1].text in END_PUNCT or len(toks) < 4:
            return
        pars = [x for x in self.sents if x.para == s.para]
        if len(pars) != 1:
            return
        colon = next((t.i for t in toks[:6] if t.text == ":"), None)
        if colon is None or colon + 2 >= len(toks):
            return
        rng = self.np_after(s, 0)
        if rng is None or rng[1] != colon or self._np_score(s, rng) < 2:
            return
        refs = self.resolve(s, rng)
        if not refs:
            return
        a = colon + 1
        d = Draft("Indirect", [(toks[a].s, toks[-1].e)], s.idx, s.idx, (toks[colon].s, toks[colon].e),
                  (toks[rng[0]].s, toks[rng[1] - 1].e), refs, None, 0.5)
        d.frame = ""
        self.drafts.append(d)

    def _has_verb(self, toks: list[Tok]) -> bool:
        """Does a token range contain something that looks like a finite verb?"""
        for t in toks:
            if t.is_punct or self._in_mark(t.s):
                continue
            lo = t.low
            if lo in self.aux or self.mood(t.text):
                return True
            if t.text[:1].islower() and t.lemma != lo and (t.lemma.endswith("en") or t.lemma.endswith("ern") or t.lemma.endswith("eln")) and self.lang == "de":
                return True
            if self.lang == "en" and t.text[:1].islower() and (lo.endswith("ed") or lo in ("is", "are", "was", "were", "has", "have", "will")):
                return True
        return False

    _TITLE_SMALL = {"of", "for", "the", "and", "du", "de", "la", "le", "des", "der", "die", "das", "und", "in", "on", "a", "an", "to", "is", "it", "am", "im", "von"}

    def _title_like(self, words: list[str]) -> bool:
        """Titles and names in quotation marks ("Institute for Contemporary Art", a URL)."""
        if len(words) == 1 and ("." in words[0].strip(".") or "/" in words[0]):
            return True
        caps = [w for w in words if w.strip("„“”\"»«‚‘’‹›'()").lower() not in self._TITLE_SMALL]
        return bool(caps) and all(w[:1].isupper() or not w[:1].isalpha() for w in caps) and len(words) >= 2

    def _title_mark(self, pos: int) -> bool:
        """Is the quotation mark at ``pos`` part of a short quoted name inside the clause
        (a title, a newspaper: „Bild“-Zeitung, „heise online“), not a quote?"""
        k = bisect.bisect_right(self.mark_starts, pos) - 1
        if k < 0:
            return False
        m = self.marks[k]
        if pos not in (m.o, m.c):
            return False
        words = self.text[m.cs:m.ce].split()
        return 0 < len(words) <= 4 and not self._is_full(m) and not any(c in self.text[m.cs:m.ce] for c in ",.:;!?")

    def _quoted_name(self, m: QMark) -> bool:
        """A name or title in quotation marks, not a quoted fragment: several capitalised words
        ("Grupo Planeta"), or one word that is a name: unknown to the lexicon and short, with
        digits, an acronym, after a head noun ("Nachrichtenagentur „Interfax“") or "kurz"."""
        words = self.text[m.cs:m.ce].split()
        if not words or (self._title_like(words) and words[0][:1].isupper()):
            return True
        if len(words) > 1:
            return False
        w = words[0].strip(".,;:!?()")
        if not w or not w[:1].isupper():
            return False
        if any(c.isdigit() for c in w) or (w.isupper() and len(w) >= 2):
            return True
        if "-" not in w and len(w) <= 10 and not is_known(w, self.lang):
            return True
        prev = re.findall(r"[\w:]+", self.text[max(0, m.o - 40):m.o])
        if prev and prev[-1].lower() in ("kurz", "kurz:", "genannt", "namens", "named", "called"):
            return True
        if prev and prev[-1][:1].isupper() and prev[-1].lower() not in self.p.determiners and not re.search(r"[.!?:]\s*$", self.text[max(0, m.o - 3):m.o]):
            return True  # apposition to a head noun: die Raumfähre „Discovery“
        return False

    def _fragment(self, s: Sent, m: QMark, cues, n_before: int) -> None:
        """A quoted fragment outside any statement found so far: a Direct quote when it is
        long enough or its sentence has a cue; otherwise a title or scare quote (skipped)."""
        words = self.text[m.cs:m.ce].split()
        if self._quoted_name(m):
            return
        has_cue = bool(cues)
        if len(words) < 4 and not (has_cue and self.wik):
            return
        if len(words) < 2:
            # a single quoted word counts after "als"/an article in a cue sentence:
            # "bezeichnete die Lage als „extrem“", "nannte dies einen „Putsch“"
            k = bisect.bisect_left([t.s for t in s.toks], m.o) - 1
            if not (has_cue and k >= 0 and (s.toks[k].low in ("als", "as", "ein", "eine", "einen", "einem", "einer", "a", "an") or s.toks[k].low in ("von", "vom", "of"))):
                return
        if len(words) < 2 and not has_cue:
            return
        self.used_marks.add(id(m))
        toks = s.toks
        refs: list[Ref] = []
        sp_span = None
        cue = None
        conf = 0.5
        if has_cue:
            ci = cues[0][0]
            ca, _ = self._clause_bounds(s, ci)
            spk = self._speaker_for_cue(s, ci, ca)
            cue = (toks[ci].s, toks[ci].e)
            if spk is not None:
                refs, relay = self._refs_with_relay(s, spk, toks[ci])
                spk = self._spk_override or spk
                sp_span = (toks[spk[0]].s, toks[spk[1] - 1].e)
                conf = 0.6
        if not refs:
            prev = self._prev_draft(s.idx, 1)
            if prev is not None and prev.refs:
                refs, sp_span = list(prev.refs), prev.speaker_span
        d = Draft("Direct", [(m.cs, m.ce)], s.idx, s.idx, cue, sp_span, refs, None, conf)
        d.frame = self.text[s.s:s.e]
        d.nested = False
        self.drafts.append(d)

    def _is_full(self, m: QMark) -> bool:
        content = self.text[m.cs:m.ce].strip()
        words = content.split()
        if not words:
            return False
        s = self.sents[self.sent_of(m.o)]
        pre = self.text[s.s:m.o].strip()
        if re.search(r"[.!?…]\s*$", pre):
            pre = ""  # the tokenizer glued the opening mark to the previous sentence
        e_s = self.sents[self.sent_of(m.c)]
        post = self.text[m.c + 1:e_s.e].strip()
        terminal = content[-1] in ".!?…"
        left_ok = pre == "" or pre.endswith(":") or pre[-1:] in QUOTE_CHARS or pre.endswith(",") and len(words) >= 4
        right_ok = post == "" or post[0] in ",.!?;:(–—-" or post[0] in QUOTE_CHARS
        if left_ok and right_ok and (len(words) >= 3 or terminal):
            return True
        if pre == "" and post.startswith(",") and len(words) >= 2:
            return True
        if len(words) >= 6 and terminal:
            return True
        return False

    # ------------------------------------------------------------------ direct
    def _direct(self, s: Sent, m: QMark, cues, used_cues: set[int], skip: set[int]) -> None:
        self.used_marks.add(id(m))
        spans = [(m.cs, m.ce)]
        toks = s.toks
        cue = None
        spk = None
        sent_for_spk = s
        conf = 0.6
        # ---- cue after the quote: „…“, sagte er / , so X / , X said
        end_sent = self.sents[self.sent_of(m.c)]
        end_skip = skip if end_sent is s else {t.i for t in end_sent.toks if t.s <= m.c}
        post_toks = [t for t in end_sent.toks if t.s > m.c and t.i not in end_skip]
        if post_toks and post_toks[0].text == ",":
            first = post_toks[1].i if len(post_toks) > 1 else None
            if first is not None:
                cand = [(ci, lem, pi) for ci, lem, pi in self.find_cues(end_sent, end_skip) if first <= ci <= first + 7]
                ptxt = post_toks[1].low
                if cand:
                    ci = cand[0][0]
                    used_cues.add(ci)
                    cue = end_sent.toks[ci]
                    spk = self._speaker_for_cue(end_sent, ci, first)
                    sent_for_spk = end_sent
                    conf = 0.9
                elif ptxt in self.so_words and len(post_toks) > 2:
                    cue = post_toks[1]
                    spk = self.np_after(end_sent, post_toks[2].i)
                    sent_for_spk = end_sent
                    conf = 0.85
                if cue is not None:
                    # split quote: „A“, sagte X, „B“
                    after = spk[1] if spk else cue.i + 1
                    rest = end_sent.toks[after:] if after < len(end_sent.toks) else []
                    if rest and rest[0].text in (",", ":") and len(rest) > 1:
                        nxt = self._mark_at(rest[1].s)
                        if nxt is not None and id(nxt) not in self.used_marks:
                            self.used_marks.add(id(nxt))
                            spans.append((nxt.cs, nxt.ce))
        # ---- cue before the quote: X sagte: „…“ / X: „…“
        if cue is None:
            pre_toks = [t for t in toks if t.e <= m.o and t.i not in skip]
            if pre_toks:
                # clause before the quote
                k = len(pre_toks) - 1
                if pre_toks[k].text in (":", ",", "–"):
                    k -= 1
                start = 0
                for x in range(k, -1, -1):
                    if pre_toks[x].text in (",", ";") or pre_toks[x].text in QUOTE_CHARS and not self._title_mark(pre_toks[x].s):
                        start = x + 1
                        break
                cand = [(ci, lem, pi) for ci, lem, pi in cues if pre_toks[start].i <= ci <= pre_toks[k].i and ci not in used_cues] if k >= start else []
                if cand:
                    ci = cand[-1][0]
                    used_cues.add(ci)
                    if self.lang == "en" and ci + 1 < len(toks) and toks[ci + 1].low in ("a", "an", "the", "that") and pre_toks[k].i - ci >= 3:
                        # "…, promising a review is due: "…"": the cue also has its own clause
                        self._shared_cues.add(ci)
                    cue = toks[ci]
                    spk = self._speaker_for_cue(s, ci, pre_toks[start].i)
                    if spk and spk[1] > pre_toks[k].i + 1:
                        spk = None
                    conf = 0.85
                    if spk is None and self.drafts and self.drafts[-1].sent == s.idx:
                        prev = self.drafts[-1]
                        self._emit_direct(s, spans, cue, prev.speaker_span, list(prev.refs), 0.8, prev.relay)
                        return
                elif pre_toks[-1].text == ":" and k >= start:
                    # "Trump: „…“" headline style
                    rng = self.np_after(s, pre_toks[start].i)
                    if rng and rng[1] == pre_toks[-1].i:
                        spk = rng
                        conf = 0.7
                    else:
                        # verbless "Ein Sprecher zu der Aktion: „…“" / "A spokesman on the raid: "…""
                        rng = self._topic_colon_speaker(s, pre_toks[-1].i)
                        if rng is not None:
                            spk = rng
                            conf = 0.7
        refs: list[Ref] = []
        relay = None
        if spk is not None:
            refs, relay = self._refs_with_relay(sent_for_spk, spk, cue)
            spk = self._spk_override or spk
        if not refs:
            # no attribution in this sentence: the previous statement's speaker (≤ 2 sentences back)
            prev = self._prev_draft(s.idx, 2)
            if prev is not None and prev.refs:
                self._emit_direct(s, spans, cue, self._latest(prev.refs, m.o, prev.speaker_span), list(prev.refs), 0.6 if cue is None else 0.7, prev.relay, last=self.sent_of(m.c))
                return
            prev_sent_spk = self._sentence_subject(s.idx - 1)
            if prev_sent_spk is not None:
                sp_span, ref = prev_sent_spk
                self._emit_direct(s, spans, cue, sp_span, [ref], 0.45, None, last=self.sent_of(m.c))
                return
            self._emit_direct(s, spans, cue, None, [], 0.35, None, last=self.sent_of(m.c))
            return
        sp_span = (sent_for_spk.toks[spk[0]].s, sent_for_spk.toks[spk[1] - 1].e)
        for r in refs:
            if r.kind == "person":
                self._note_person(sent_for_spk, sp_span[0], r, sp_span[1])
        self._emit_direct(s, spans, cue, sp_span, refs, conf, relay, last=self.sent_of(m.c))
        if relay is not None and self._relay_span is not None:
            rs = self._relay_span
            self.drafts[-1].relay_span = (sent_for_spk.toks[rs[0]].s, sent_for_spk.toks[rs[1] - 1].e)

    def _topic_colon_speaker(self, s: Sent, colon: int) -> tuple[int, int] | None:
        """Speaker of a verbless "X zu/über Y: „…“" ("X on Y: "…""): X opens the sentence, a topic
        preposition follows, and nothing between X and the colon is a verb."""
        toks = s.toks
        i0 = 0
        while i0 < colon and (toks[i0].low in LEADING_SKIP or toks[i0].is_punct):
            i0 += 1
        rng = self.np_after(s, i0)
        if rng is None or rng[1] >= colon or toks[rng[1]].low not in TOPIC_PREPS:
            return None
        if self._np_score(s, rng) < 1:
            return None
        seg = [t for t in toks[rng[1]:colon] if not self._in_mark(t.s) and t.text not in QUOTE_CHARS]
        if not seg or any(t.low in self.aux or self.mood(t.text) or t.lemma in self.p.cues for t in seg):
            return None
        last = seg[-1]
        if self.lang == "de" and not self.is_cap_word(last):
            return None  # "Ein Sprecher zu der Aktion sagte:" has its verb last
        if self.lang != "de" and self._has_verb(seg):
            return None
        return rng

    def _emit_direct(self, s, spans, cue, sp_span, refs, conf, relay, last=None):
        d = Draft("Direct", sorted(spans), s.idx, last if last is not None else s.idx,
                  (cue.s, cue.e) if cue is not None else None, sp_span, refs, relay, conf)
        d.frame = self._frame_text(s, spans)
        self.drafts.append(d)

    def _mark_at(self, pos: int) -> QMark | None:
        k = bisect.bisect_left(self.mark_starts, pos)
        if k < len(self.marks) and self.marks[k].o == pos:
            return self.marks[k]
        return None

    def _prev_draft(self, sent_idx: int, window: int) -> Draft | None:
        for d in reversed(self.drafts):
            if d.nested:
                continue
            if sent_idx - d.last_sent <= window and d.last_sent <= sent_idx:
                return d
            break
        return None

    def _sentence_subject(self, k: int):
        if k < 0:
            return None
        ps = self.sent_persons.get(k, [])
        if not ps:
            return None
        pos, ref = ps[0]
        s = self.sents[k]
        for t in s.toks:
            if t.s == pos:
                j = t.i
                rng = self.np_after(s, j)
                if rng:
                    return (s.toks[rng[0]].s, s.toks[rng[1] - 1].e), ref
        return None

    def _prev_subject(self, k: int):
        """(mention span, refs) of the subject at the start of sentence ``k`` if it names a
        person or organisation."""
        if k < 0:
            return None
        s = self.sents[k]
        toks = s.toks
        i = 0
        while i < len(toks) and (toks[i].low in LEADING_SKIP or toks[i].is_punct):
            i += 1
        rng = self.np_after(s, i)
        if rng is None or self._np_score(s, rng) < 1:
            return None
        refs = self.resolve(s, rng)
        if not refs:
            return None
        return (toks[rng[0]].s, toks[rng[1] - 1].e), refs

    def _frame_text(self, s: Sent, spans) -> str:
        parts = []
        pos = s.s
        for a, b in sorted(spans):
            if a > pos:
                parts.append(self.text[pos:max(pos, a - 1)])
            pos = b + 1
        last = self.sents[self.sent_of(max(b for _, b in spans))]
        if pos < last.e:
            parts.append(self.text[pos:last.e])
        return " ".join(parts)

    def _refs_with_relay(self, s: Sent, spk: tuple[int, int], cue: Tok | None):
        self._spk_override = None
        self._relay_span = None
        refs = self.resolve(s, spk)
        relay = None
        # "zitierte die Nachrichtenagentur Interfax Peskow": relay + speaker in one NP
        if cue is not None and cue.lemma in ("zitieren", "quote") and refs:
            toks = s.toks[spk[0]:spk[1]]
            org_i = [k for k, t in enumerate(toks) if self.is_org_word(t.low) or (self.g.match_name(norm_tokens(t.text, self.lang)) and self.g.match_name(norm_tokens(t.text, self.lang))[0].kind == "organization")]
            nt_all = norm_tokens(self.text[toks[0].s:toks[-1].e], self.lang)
            whole = self.g.match_name(nt_all)
            if whole and whole[0].kind == "organization" and whole[2] == len(nt_all):
                org_i = []  # the phrase ends in an agency's name ("RIA Novosti"): no speaker inside
            if org_i:
                # speaker = trailing person name after the organisation
                tail = toks[org_i[-1] + 1:]
                names = [t for t in tail if self.is_cap_word(t)]
                if names:
                    rel = self._resolve_part(s, toks[:org_i[-1] + 1], allow_unresolved=True) or Ref(toks[org_i[-1]].text, "organization")
                    person = self._resolve_part(s, names, allow_unresolved=True)
                    if person is not None:
                        relay = rel
                        refs = [person]
                        self._spk_override = (names[0].i, names[-1].i + 1)
                        self._relay_span = (spk[0], names[0].i)
            # also "zitierte X Y" where the cue is followed by two NPs
            nxt = self.np_after(s, spk[1]) if spk[1] < len(s.toks) else None
            if nxt is not None and relay is None:
                person = self.resolve(s, nxt)
                if person:
                    relay = refs[0]
                    refs = person
                    self._spk_override = nxt
                    self._relay_span = spk
        cite = self._cite_relay
        self._cite_relay = None
        if cite is not None and relay is None and refs and not (cite[0] < spk[1] and spk[0] < cite[1]):
            # "Y wird von X (mit den Worten) zitiert"
            rr = self.resolve(s, cite)
            if rr:
                relay = rr[0]
                self._relay_span = cite
        if cue is not None and cue.lemma in ("zitieren", "quote") and relay is None and refs and spk[0] > cue.i:
            # "X zitiert Y mit den Worten": the object is the speaker, the subject the relay
            k = cue.i
            while k > 0 and s.toks[k - 1].text not in (",", ";", ":") and s.toks[k - 1].text not in END_PUNCT:
                k -= 1
            before = self.subject_before(s, cue.i, k)
            if before is not None and before[1] <= cue.i:
                rr = self.resolve(s, before)
                if rr:
                    relay = rr[0]
                    self._relay_span = before
        if cue is not None and cue.lemma in ("zitieren", "quote") and relay is None and spk[1] <= cue.i:
            obj = self.subject_after(s, cue.i + 1)
            if obj is not None:
                person = self.resolve(s, obj)
                if person:
                    relay = refs[0] if refs else None
                    refs = person
                    self._spk_override = obj
                    self._relay_span = spk
        return refs, relay

    # ------------------------------------------------------------------ frames
    def _frame(self, s: Sent, covered: set[int], cues, used_cues, frag_toks) -> Draft | None:
        toks = s.toks
        n = len(toks)
        for i, t in enumerate(toks):
            if i in covered:
                continue
            lo = t.low
            if lo not in self.frame_first and lo not in self.doc_preps:
                continue
            f_start = f_end = None
            spk = None
            frame_relay = None
            kind = ""
            for prep in self.src_preps:
                L = len(prep)
                if lo == "laut" and i > 0 and (toks[i - 1].low in self.p.determiners or toks[i - 1].low in ("sehr", "so", "zu", "besonders", "ganz", "nicht")):
                    break  # the adverb: "mit einem laut gerufenen …", "sehr laut"
                if tuple(x.low for x in toks[i:i + L]) == prep:
                    spk = self.np_frame(s, i + L)
                    if spk:
                        f_start, f_end, kind = i, spk[1], "laut"
                        j = spk[1]
                        if j + 2 < n and toks[j].text == "," and toks[j + 1].low in self.citing:
                            # "according to X, quoting Y, …": Y said it, X relayed it
                            inner = self.np_frame(s, j + 2)
                            if inner is not None:
                                frame_relay = spk
                                spk = inner
                                f_end = inner[1]
                                if f_end + 2 < n and toks[f_end].text == "(" and toks[f_end + 2].text == ")":
                                    f_end += 3  # "(KCNA)"
                    break
            if kind == "" and lo == "nach" and i > 1 and toks[i - 1].low in self.nach_nouns and (toks[i - 2].low in ("seiner", "ihrer", "meiner", "unserer") or toks[i - 2].low in self.p.determiners or self.is_cap_word(toks[i - 2])):
                # postposed: "Seiner Meinung nach …", "Ansicht der Experten nach"
                kind = "nach"
                spk = (i - 2, i)
                f_start, f_end = i - 2, i + 1
            if kind == "" and lo == "nach" and i + 1 < n:
                j = i + 1
                while j + 1 < n and j - i <= 3 and (toks[j].text[:1].islower() or toks[j].low in self.p.determiners):
                    j += 1  # "nach eigenen Angaben", "nach einer ersten Analyse", "nach dessen Angaben"
                jl = toks[j].low
                if jl in self.nach_nouns or jl.endswith(("angaben", "berichten", "meinung", "aussagen", "einschätzung", "medien", "studie", "analyse", "stellungnahme", "informationen", "erkenntnissen", "darstellung", "ansicht")):
                    kind = "nach"
                    spk = None
                    if j + 1 < n and toks[j + 1].low in ("der", "des", "von", "vom", "dem", "eines", "einer"):
                        spk = self.np_frame(s, j + 2 if toks[j + 1].low in ("von", "vom") else j + 1)
                    elif j + 1 < n and self.is_cap_word(toks[j + 1]) and self.is_name_word(toks[j + 1]):
                        spk = self.np_frame(s, j + 1)  # "nach Aussagen Gordons"
                    if spk is None and j > i + 1 and toks[j - 1].low in ("dessen", "deren"):
                        spk = (j - 1, j)
                    f_start = i
                    f_end = spk[1] if spk else j + 1
                    if spk is None and not toks[j].text[:1].islower():
                        if toks[j].low.endswith("angaben") and len(toks[j].low) > 8:
                            spk = (j, j + 1)  # "Polizeiangaben"
                        elif self.wik:
                            spk = (i + 1, j + 1)  # the dataset marks "eigenen Angaben" as the speaker
            if kind == "" and lo in self.doc_preps and i + 2 < n and (i == 0 or toks[i - 1].text == ","):
                j = i + 1
                while j < n and j - i <= 3 and toks[j].low in self.p.determiners | {"seiner", "ihrer", "einer", "einem", "gemeinsamen", "offiziellen", "schriftlichen"} or (j < n and toks[j].text[:1].islower() and j - i <= 3 and re.search(r"(e|en|er|es|em)$", toks[j].low)):
                    j += 1
                clause_end = next((k for k in range(j, n) if toks[k].text in (",", ":", ";")), n)
                if j < n and toks[j].low in self.doc_nouns and any(self.mood(t.text) for t in toks[j:]) and not any(j < c[0] < clause_end and c[0] not in used_cues for c in cues):
                    # (a cue verb of its own takes over: "In einem Interview sagte X, …")
                    kind = "doc"
                    spk = None
                    if j + 1 < n and toks[j + 1].low in ("der", "des", "von", "vom"):
                        spk = self.np_after(s, j + 2 if toks[j + 1].low in ("von", "vom") else j + 1)
                    if spk is None:
                        spk = (i + 1, j + 1)
                    f_start, f_end = i, max(spk[1], j + 1)
            if kind == "" and lo in self.postpositions and i > 0:
                # "X zufolge": NP before
                k = i - 1
                while k >= 0 and not toks[k].is_punct and k not in covered and (i - k) <= 10:
                    if toks[k].low in self.aux or (toks[k].text[:1].islower() and toks[k].low not in self.p.determiners and toks[k].low not in self.p.np_connectors and not re.search(r"(e|en|er|es|em)$", toks[k].low)):
                        break
                    k -= 1
                k += 1
                if k < i:
                    spk = (k, i)
                    f_start, f_end, kind = k, i + 1, "zufolge"
            if kind == "" and lo in self.so_words and i > 0 and toks[i - 1].text == "," and i + 1 < n:
                rng = self.np_after(s, i + 1)
                if rng and not (rng[1] >= n or toks[rng[1]].text in END_PUNCT or toks[rng[1]].text in (",", ")")):
                    rest = toks[rng[1]:]
                    if len(rest) <= 14 and not self._has_verb(rest) and not any(t.text == "," for t in rest[:-1]):
                        rng = (rng[0], n - 1 if toks[n - 1].is_punct else n)
                if rng and (rng[1] >= n or toks[rng[1]].text in END_PUNCT or toks[rng[1]].text in (",", ")")):
                    spk = rng
                    f_start, f_end, kind = i - 1, rng[1], "so"
            if kind == "" and lo in self.anaphoric and (i == 0 or toks[i - 1].text == "," or self.wik and i < 4):
                f_start, f_end, kind = i, i + 1, "demnach"
            if kind == "" and self.impersonal:
                for imp in self.impersonal:
                    L = len(imp)
                    if tuple(x.low for x in toks[i:i + L]) == imp:
                        f_start, f_end, kind = i, i + L, "heisst"
                        # "heißt es in einer Erklärung des Ministeriums"
                        if f_end < n and toks[f_end].low in ("in", "im", "aus", "bei", "beim", "von", "vom"):
                            rng = self.np_after(s, f_end + 1)
                            if rng:
                                spk = rng
                                f_end = rng[1]
                        break
            if kind == "":
                continue
            # a cue verb with its own subject makes the frame a relay ("sagte X laut Y")
            own = [c for c in cues if c[0] not in used_cues and not (f_start <= c[0] < f_end)]
            if self.wik:
                own = [c for c in own if c[0] < f_start]
            if own and kind in ("laut", "nach") and spk is not None:
                ci = own[0][0]
                d = self._cue_clause(s, ci, own[0][1], own[0][2], covered, cues, used_cues, frag_toks,
                                     relay_rng=spk, frame_rng=(f_start, f_end))
                if d is not None:
                    used_cues.add(ci)
                    return d
            # the quote: the sentence without the frame
            span_ranges = []
            a = 0
            b = n
            while b > 0 and (toks[b - 1].text in END_PUNCT or toks[b - 1].text in QUOTE_CHARS and False):
                b -= 1
            pieces = [(a, f_start), (f_end, b)]
            for x, y in pieces:
                while x < y and (toks[x].is_punct and toks[x].text not in QUOTE_CHARS or x in covered):
                    x += 1
                while y > x and (toks[y - 1].is_punct and toks[y - 1].text not in QUOTE_CHARS or (y - 1) in covered):
                    y -= 1
                if y - x >= 2:
                    span_ranges.append((toks[x].s, toks[y - 1].e))
            if not span_ranges:
                continue
            if kind == "so" and f_start < 2:
                continue
            if self.wik and len(span_ranges) == 2:
                # the dataset keeps the frame out; two spans
                pass
            refs: list[Ref] = []
            sp_span = None
            if spk is not None:
                refs = self.resolve(s, spk)
                sp_span = (toks[spk[0]].s, toks[spk[1] - 1].e)
            elif kind in ("demnach", "nach"):
                prev = self._prev_draft(s.idx, 3)
                if prev is not None:
                    refs, sp_span = list(prev.refs), self._latest(prev.refs, toks[i].s, prev.speaker_span)
                if self.wik and kind == "demnach":
                    sp_span = (toks[i].s, toks[i].e)  # the dataset marks "Demnach" as the speaker
                elif kind == "demnach":
                    subj = self._sentence_subject(s.idx - 1)
                    if subj:
                        sp_span, r = subj
                        refs = [r]
            kw = {"zufolge": f_end - 1, "so": f_start + 1}.get(kind, f_start)
            relay = None
            if frame_relay is not None:
                rr = self.resolve(s, frame_relay)
                relay = rr[0] if rr else None
            d = Draft("Indirect", span_ranges, s.idx, s.idx, (toks[kw].s, toks[kw].e),
                      sp_span, refs, relay, 0.75 if refs else 0.5)
            d.frame = self.text[toks[f_start].s:toks[min(f_end, n) - 1].e]
            for r in refs:
                if r.kind == "person" and sp_span:
                    self._note_person(s, sp_span[0], r, sp_span[1])
            self.drafts.append(d)
            return d
        return None

    # ------------------------------------------------------------------ cue clauses
    def _clause_bounds(self, s: Sent, i: int) -> tuple[int, int]:
        toks = s.toks
        a = i
        while a > 0 and toks[a - 1].text not in (",", ";", ":") and (toks[a - 1].text not in QUOTE_CHARS or self._title_mark(toks[a - 1].s)):
            a -= 1
        b = i
        while b < len(toks) and toks[b].text not in (",", ";", ":") and toks[b].text not in END_PUNCT:
            b += 1
        return a, b

    def _cue_clause(self, s: Sent, ci: int, lem: str, pi: int | None, covered: set[int], cues, used_cues,
                    frag_toks, relay_rng=None, frame_rng=None) -> Draft | None:
        toks = s.toks
        n = len(toks)
        ca, cb = self._clause_bounds(s, ci)
        other_cues = sorted(c[0] for c in cues if c[0] != ci and c[0] not in used_cues)
        all_other_cues = sorted(c[0] for c in cues if c[0] != ci)
        frame_excl = set(range(frame_rng[0], frame_rng[1])) if frame_rng else set()
        q_range = None
        spk = None
        conf = 0.8
        typ = "Indirect"
        if ca < ci and toks[ca].low in W_WORDS:
            return None  # "Was er damit meinte, sagte er nicht": an indirect question
        if self.lang == "de" and ca == 0 and ci >= 1 and toks[0].low in ("das", "dies", "dieses") and (ci == 1 or toks[1].low in self.aux) and s.idx > 0:
            # "Das erklärte ein Sprecher." — the statement is the sentence before
            d = self._anaphoric_statement(s, ci)
            if d is not None:
                return d
        # --- (C2) "Q, sagte X." / "Q, he said." cue clause right after a comma
        aux_first = ca < ci and toks[ca].low in self.aux
        if ca > 0 and toks[ca - 1].text == "," and (ci - ca <= 8 or aux_first and ci - ca <= 14) and (cb >= n or toks[cb].text in END_PUNCT or toks[cb].text == ","):
            q_end = ca - 1
            q_start = 0
            for x in range(q_end - 1, -1, -1):
                if x in covered or toks[x].text == ":":
                    q_start = x + 1
                    break
            # the clause before must not itself be a subordinate cue clause, nor only the subject
            only_np = self.np_after(s, q_start)
            if only_np is not None and only_np[1] >= q_end:
                q_end = q_start
            if q_end - q_start >= 3 and not self._has_verb(toks[q_start:q_end]):
                q_end = q_start
            if q_end - q_start >= 3 and self.lang == "de" and self._fronted_constituent(toks, q_start, q_end):
                q_end = q_start
            if q_end - q_start >= 3 and not any(q_start <= c < q_end and not self.mood(toks[c].text) for c in other_cues):
                spk = self._speaker_for_cue(s, ci, ca)
                q_range = (q_start, q_end)
                conf = 0.85
        # --- (C1) cue … , Q / cue: Q / cue that Q
        if q_range is None:
            p = cb
            start_q = None
            if pi is not None and toks[pi].low in ("von", "vor", "über", "of", "about") and pi <= ci + 3 and (pi + 1 < n and toks[pi + 1].low not in ("sich",) and not toks[pi + 1].is_punct):
                start_q = pi + 1  # "sprach von …"
            elif self.lang == "en" and ci + 2 < n and toks[ci + 1].low in EN_POSSESSIVES and toks[ci + 2].text[:1].islower() and toks[ci + 2].text.isalpha() and toks[ci + 2].low not in self.p.complementizers and toks[ci + 2].low not in self.p.np_stop:
                start_q = ci + 1  # "said her party has …": a possessive opens the clause
            elif self.lang == "en" and lem == "tell" and self._en_told_clause(toks, ci) is not None:
                start_q = self._en_told_clause(toks, ci)  # "told reporters every case will …"
            elif p < n and toks[p].text in (",", ":") and p - ci <= 14:
                start_q = p + 1
            elif self.lang == "en":
                # "said (that) Q" / "told reporters (that) Q"
                k = ci + 1
                while k < n and k - ci <= 4 and toks[k].low not in self.p.complementizers and not toks[k].is_punct and (toks[k].low not in self.p.pronouns or k == ci + 1) and toks[k].low not in ("the", "a"):
                    if toks[k].low in ("reporters", "journalists", "the", "him", "her", "them", "us", "parliament") or self.is_cap_word(toks[k]) or toks[k].low in ("on", "in", "at", "yesterday", "today", "tuesday"):
                        k += 1
                        continue
                    break
                if k < n and toks[k].low in self.p.complementizers:
                    start_q = k
                elif k < n and k == ci + 1 and (toks[k].low in self.p.pronouns or toks[k].low in ("the", "a") or self.is_cap_word(toks[k])):
                    start_q = k

            if start_q is not None and start_q < n:
                # clause end: before the clause that holds the next cue, or a full quote
                end_q = n
                for c in all_other_cues:
                    if c > start_q and not (toks[c - 1].low == "zu" or self.is_zu_infinitive(toks[c])):
                        ca2, _ = self._clause_bounds(s, c)
                        if ca2 > start_q + 2:
                            end_q = ca2 - 1 if toks[ca2 - 1].text in (",", ":") else ca2
                            break
                for x in range(start_q, end_q):
                    if x in covered:
                        end_q = x
                        break
                if self.lang == "de":
                    # back in the main clause: "…, er sei unschuldig, erkannte das Gericht nicht an"
                    for x in range(start_q + 2, end_q - 1):
                        nx = toks[x + 1]
                        if toks[x].text == "," and nx.text[:1].islower() and not self.mood(nx.text) and nx.low not in REL_PRON_DE and nx.low not in self.p.complementizers and (nx.low in self.aux or (nx.lemma != nx.low and nx.lemma.endswith("en") and not re.search(r"(e|en|er|es|em)$", nx.low) or nx.low.endswith("te"))) and not self._in_mark(nx.s):
                            end_q = x
                            break
                while end_q > start_q and (toks[end_q - 1].is_punct and toks[end_q - 1].text not in QUOTE_CHARS):
                    end_q -= 1
                q_toks = toks[start_q:end_q]
                if self.lang == "de" and len(q_toks) <= 6 and any("" in self.p.cues.get(t.lemma, ()) and not self.mood(t.text) for t in q_toks):
                    q_toks = []
                if len(q_toks) >= 2:
                    has_comp = q_toks[0].low in self.p.complementizers
                    konj = any(self.mood(t.text) for t in q_toks if t.i not in frag_toks)
                    zu_inf = any(t.low == "zu" or self.is_zu_infinitive(t) for t in q_toks) and self.lang == "de"
                    colon = toks[start_q - 1].text == ":"
                    first_rel = self.lang == "de" and q_toks[0].low in REL_PRON_DE and len(q_toks) > 1 and q_toks[1].text[:1].islower() and q_toks[1].low not in ("regierung",)
                    if first_rel and len(q_toks) > 2 and re.search(r"(e|en|er|es|em)$", q_toks[1].low) and self.is_cap_word(q_toks[2]) and q_toks[0].low in self.p.determiners:
                        first_rel = False  # article + adjective + noun: "die gegenwärtige Lage …"
                    strong = lem in ("sagen", "erklären", "betonen", "meinen", "mitteilen", "schreiben", "berichten", "say", "tell", "state", "add", "claim", "write", "report", "announce", "warn", "argue", "insist", "explain", "note", "believe", "think") or self.lang == "en"
                    prep = pi is not None and start_q == pi + 1
                    if toks[ca].low in ("wie", "as") and ca < ci:
                        strong, first_rel = True, False
                    if (has_comp or konj or colon or prep or (zu_inf and lem not in ("sagen",)) or (strong and not first_rel)) and not (first_rel and (not konj or q_toks[1].low in self.p.determiners or q_toks[1].low in self.p.pronouns or q_toks[1].low in ("man", "sich", "es"))):
                        q_range = (start_q if (self.wik or not has_comp) else start_q + 1, end_q)
                        if has_comp and not self.wik and self.lang == "de":
                            pass
                        # speaker
                        spk = self._speaker_for_cue(s, ci, ca)
                        conf = 0.8 if (has_comp or konj or colon) else 0.65
        if q_range is None:
            # --- (C3) mixed quote or whole-sentence report
            return self._reported(s, ci, lem, ca, cb, covered, frag_toks)
        qa, qb = q_range
        while qa < qb and qa in frame_excl:
            qa += 1
        if qb - qa < 2:
            return None
        spans = [(toks[qa].s, toks[qb - 1].e)]
        if frame_rng is not None and frame_rng[0] > qa and frame_rng[1] < qb:
            spans = [(toks[qa].s, toks[frame_rng[0] - 1].e), (toks[frame_rng[1]].s, toks[qb - 1].e)]
        refs: list[Ref] = []
        relay = None
        sp_span = None
        if spk is not None:
            refs, relay = self._refs_with_relay(s, spk, toks[ci])
            spk = self._spk_override or spk
            sp_span = (toks[spk[0]].s, toks[spk[1] - 1].e)
        if relay_rng is not None:
            rr = self.resolve(s, relay_rng)
            relay = rr[0] if rr else None
        if ca < ci and toks[ca].low in ("und", "and", "sowie") and ca + 1 == ci and self.drafts and self.drafts[-1].sent == s.idx and self.drafts[-1].refs:
            prev = self.drafts[-1]
            refs, relay, sp_span = list(prev.refs), prev.relay, prev.speaker_span
        if not refs:
            prev = self._prev_draft(s.idx, 1)
            if spk is None and self._rejected_subject:
                return None  # the cue has a subject, but not one that speaks ("Figures show …")
            if spk is None and prev is not None and prev.refs and (ca == 0 or toks[0].low in ("und", "and")):
                refs, sp_span = list(prev.refs), self._latest(prev.refs, s.s, prev.speaker_span)
                conf *= 0.8
            elif spk is None and not self._passive and relay_rng is None:
                return None  # a cue without anyone saying it: too unreliable
            else:
                conf *= 0.6
        d = Draft(typ, spans, s.idx, s.idx, (toks[ci].s, toks[ci].e), sp_span, refs, relay, conf)
        d.frame = " ".join(t.text for t in toks if not (qa <= t.i < qb))
        for r in refs:
            if r.kind == "person" and sp_span:
                self._note_person(s, sp_span[0], r, sp_span[1])
        self.drafts.append(d)
        for x in range(qa, qb):
            covered.add(x)
        return d

    _SUBORD_FRONT = {"nachdem", "wann", "obwohl", "weil", "bevor", "sobald", "seitdem", "warum", "ob", "falls", "wenn", "indem"}

    def _en_told_clause(self, toks: list[Tok], ci: int) -> int | None:
        """Start of the bare clause after "tell <listener>" ("told reporters every case will …")."""
        k = ci + 1
        n = len(toks)
        while k < n and k - ci <= 4 and (self.is_cap_word(toks[k]) or toks[k].low in ("him", "her", "them", "us", "me", "the") or (toks[k].text.isalpha() and toks[k].text[:1].islower() and toks[k].low not in EN_CLAUSE_OPENERS and toks[k].low not in self.p.np_stop and toks[k].low not in self.p.complementizers and lemma(toks[k].low, "en") not in self.p.cues)):
            k += 1
        if k > ci + 1 and k + 1 < n and toks[k].low in EN_CLAUSE_OPENERS and toks[k].low not in ("the", "a", "an") and toks[k + 1].text.isalpha():
            return k
        return None

    def _fronted_constituent(self, toks: list[Tok], a: int, b: int) -> bool:
        """Is toks[a:b] (before ", cue X") the fronted part of the cue's own clause rather than a
        quote: a subordinate clause ("Nachdem …, forderten beide"), or a noun/prepositional phrase
        with a relative clause ("Der Sender, der … verantwortlich ist, begründete …")?"""
        if any(self.mood(t.text) == 1 for t in toks[a:b]):
            return False  # Konjunktiv I: reported speech after all
        commas = [k for k in range(a, b) if toks[k].text == ","]
        if toks[a].low in self._SUBORD_FRONT and not commas:
            return True
        if commas:
            c1 = commas[0]
            nxt = toks[c1 + 1] if c1 + 1 < b else None
            rel = nxt is not None and (nxt.low in REL_PRON_DE or (nxt.low in PREPS_DE and c1 + 2 < b and toks[c1 + 2].low in REL_PRON_DE))
            if rel and len(commas) == 1 and not self._has_verb(toks[a:c1]):
                return True
        return False

    def _anaphoric_statement(self, s: Sent, ci: int) -> Draft | None:
        prev = self.sents[s.idx - 1]
        if prev.para != s.para and not self.wik:
            return None
        if any(d.sent <= prev.idx <= d.last_sent for d in self.drafts):
            return None
        toks = s.toks
        j = ci + 1
        spk = self.subject_after(s, j)
        if spk is None:
            spk = self._speaker_for_cue(s, ci, 0)
        if spk is None:
            return None
        refs, relay = self._refs_with_relay(s, spk, toks[ci])
        spk = self._spk_override or spk
        if not refs:
            return None
        b = len(prev.toks)
        while b > 0 and prev.toks[b - 1].is_punct and prev.toks[b - 1].text not in QUOTE_CHARS:
            b -= 1
        if b < 2:
            return None
        sp_span = (toks[spk[0]].s, toks[spk[1] - 1].e)
        span = (prev.s, prev.toks[b - 1].e)
        first = prev.idx
        if self.wik and prev.para == s.para:
            # the dataset: the paragraph up to and including the anaphor ("… Das teilte X mit.")
            while first > 0 and self.sents[first - 1].para == s.para and not any(d.sent <= first - 1 <= d.last_sent for d in self.drafts):
                first -= 1
            span = (self.sents[first].s, toks[0].e)
        d = Draft("Indirect", [span], first, s.idx, (toks[ci].s, toks[ci].e), sp_span, refs, relay, 0.6)
        d.frame = self.text[s.s:s.e]
        for r in refs:
            if r.kind == "person":
                self._note_person(s, sp_span[0], r, sp_span[1])
        self.drafts.append(d)
        return d

    def _trim_np(self, s: Sent, rng):
        if rng is None:
            return None
        a, b = rng
        toks = s.toks
        while b > a and (toks[b - 1].low in self.aux or toks[b - 1].is_punct):
            b -= 1
        return (a, b) if b > a else None

    def _np_score(self, s: Sent, rng) -> int:
        if rng is None:
            return -9
        toks = s.toks[rng[0]:rng[1]]
        if len(toks) == 1 and toks[0].low in self.p.pronouns:
            return 3 if self.p.pronouns[toks[0].low] in ("m", "f", "f|pl", "pl") else 0
        sc = 0
        nt = norm_tokens(self.text[toks[0].s:toks[-1].e], self.lang)
        if self.g.match_name(nt) or any(self.is_name_word(t) for t in toks):
            sc = 3
        elif any(self.is_role_word(t.low) for t in toks):
            sc = 2
        elif any(self.is_org_word(t.low) for t in toks):
            sc = 1
        if self.lang == "de" and toks[0].low in ("dem", "den", "einem", "einer", "ihm", "ihr", "ihnen"):
            sc -= 3
        return sc

    def _speakerish(self, s: Sent, rng) -> bool:
        """Whether a candidate speaker NP looks like someone who can speak: a personal pronoun,
        a name, a role or organisation noun, or a source noun ("the letter"); not a lowercase
        phrase cut out of the sentence ("high alert and")."""
        toks = s.toks[rng[0]:rng[1]]
        if not toks:
            return False
        if len(toks) == 1 and toks[0].low in self.p.pronouns:
            return True
        if self._np_score(s, rng) >= 1:
            return True
        for t in toks:
            if self.is_cap_word(t) and t.i > 0:
                return True
            if t.low in self.p.source_nouns:
                return True
        return False

    def _speaker_for_cue(self, s: Sent, ci: int, ca: int):
        """The speaker of cue ``ci`` whose clause starts at ``ca``: Vorfeld subject, subject after
        the (finite) verb, subordinate "wie X sagte", or a sentence-initial subject with apposition."""
        toks = s.toks
        self._passive = False
        self._cite_relay = None
        self._rejected_subject = False
        if self.lang == "de" and toks[ci].lemma == "zitieren" and toks[ci].low == "zitiert":
            # passive "Y wird (von X | in X) (mit den Worten) zitiert": Y is the speaker, X the relay
            aux = [k for k in range(ca, ci) if toks[k].low in ("wird", "werden", "wurde", "wurden")]
            if aux:
                a = aux[0]
                subj = self.subject_before(s, a, ca) if a > ca else None
                if subj is None and a == ca and ca > 0 and toks[ca - 1].text == ",":
                    k = 0  # "Der Fraktionschef der Grünen, Volker Rauh, wird … zitiert"
                    while k < ca and (toks[k].low in LEADING_SKIP or toks[k].is_punct):
                        k += 1
                    rng = self.np_after(s, k)
                    if rng is not None and rng[1] <= ca and self._np_score(s, rng) >= 2:
                        subj = rng
                if subj is None and a + 1 < ci:
                    subj = self.np_after(s, a + 1)
                    if subj is not None and (subj[1] > ci or self._np_score(s, subj) < 1):
                        subj = None
                for k in range(a + 1, ci - 1):
                    if toks[k].low in ("von", "vom", "in", "im") and (subj is None or k >= subj[1]):
                        r = self.np_frame(s, k + 1)
                        if r is not None and r[1] <= ci:
                            self._cite_relay = r
                        break
                if subj is not None:
                    return subj
        if self.lang == "de" and ci > 0 and toks[ci].low != toks[ci].lemma and (toks[ci].low.endswith("t") or toks[ci].low.endswith("en")):
            # passive "werden aufgefordert", "wird vorgeworfen": no speaker in the clause
            if any(t.low in ("wird", "werden", "wurde", "wurden", "worden") for t in toks[max(ca, ci - 6):ci]) and not any(t.low in ("von", "vom") for t in toks[ci + 1:ci + 2]):
                self._passive = True
                return None
        if ca < ci and toks[ca].low in self.subord and toks[ca].low not in ("als",):
            r = self._trim_np(s, (ca + 1, ci))
            if r is not None:
                inner = self.np_after(s, ca + 1)
                return inner if inner and inner[1] <= ci else r
        if self.lang == "en" and toks[ci].low.endswith("ing") and ci > ca and toks[ci - 1].low in EN_ING_SUBORD:
            # "X defended the plan while promising …": the subject of the main clause speaks
            k = ca
            while k < ci and (toks[k].low in LEADING_SKIP or toks[k].is_punct):
                k += 1
            rng = self.np_after(s, k)
            if rng is not None and rng[1] < ci - 1 and self._np_score(s, rng) >= 1:
                return rng
            return None
        before = self.subject_before(s, ci, ca)
        if self.lang == "en" and before is not None and not self._speakerish(s, before):
            # "high alert and", "health checks": a phrase, not someone who speaks
            before = None
            self._rejected_subject = True
        if before is None and ca > 0 and toks[ca - 1].text == ",":
            k = 0
            while k < ca and (toks[k].low in LEADING_SKIP or toks[k].is_punct):
                k += 1
            rng = self.np_after(s, k)
            if rng is not None and rng[1] < ci and self._np_score(s, rng) >= 2 and not self._has_verb(toks[rng[1]:ca - 1]):
                before = (rng[0], min(rng[1], ca - 1))
        after = None
        if ca < ci and toks[ca].low in self.aux:
            after = self.np_after(s, ca + 1)
        if after is None:
            after = self.subject_after(s, ci + 1)
        if self.lang == "en" and after is not None and (not self._speakerish(s, after) or toks[after[0]].low in self.p.complementizers):
            after = None  # "said that services …" is no inverted subject
        if before is None and after is None and self.lang == "de":
            # "Bei X dankte Trump Putin und sagte, …": subject after the first verb of the clause
            k = ca
            while k < ci:
                kk = k - 1 if k - 1 > ca and toks[k - 1].low in self.p.determiners else k
                if self.is_cap_word(toks[k]) and kk > ca and toks[kk - 1].text[:1].islower() and toks[kk - 1].low not in PREPS_DE and self._has_verb([toks[kk - 1]]):
                    rng = self.np_after(s, kk)
                    if rng is not None and rng[1] <= ci and self._np_score(s, rng) >= 2:
                        return rng
                k += 1
            return None
        if before is None:
            return after
        if after is None or self.lang == "en":
            return before  # English is SVO: a subject before the verb wins
        return after if self._np_score(s, after) > self._np_score(s, before) else before

    def _reported(self, s: Sent, ci: int, lem: str, ca: int, cb: int, covered, frag_toks) -> Draft | None:
        toks = s.toks
        n = len(toks)
        frag_after = [x for x in frag_toks if x > ci and x not in covered]
        if lem not in self.p.reported_cues and not lem.startswith("sich:") and not frag_after:
            return None
        spk = self._speaker_for_cue(s, ci, ca)
        if spk is None:
            return None
        refs, relay = self._refs_with_relay(s, spk, toks[ci])
        spk = self._spk_override or spk
        if not refs:
            return None
        if not frag_after and not any(r.resolved or r.local_id >= 0 or r.kind == "organization" for r in refs):
            if not (spk[1] - spk[0] == 1 and toks[spk[0]].low in self.p.pronouns):
                return None
        sp_span = (toks[spk[0]].s, toks[spk[1] - 1].e)
        b = n
        while b > 0 and toks[b - 1].is_punct and toks[b - 1].text not in QUOTE_CHARS:
            b -= 1
        if frag_after:
            if self.wik:
                # dataset: the quoted fragment is a Direct quote of its own
                return None
            last_frag = max(frag_after)
            b = cb
            while b < n and b <= last_frag:
                b += 1
            while b > 0 and toks[b - 1].is_punct and toks[b - 1].text not in QUOTE_CHARS:
                b -= 1
            a = ci + 1
            if spk[0] > ci:
                a = spk[1]
            while a < b and (toks[a].is_punct or lem.startswith("sich:") and toks[a].low == "sich"):
                a += 1
            if b - a < 1:
                return None
            d = Draft("Indirect", [(toks[a].s, toks[b - 1].e)], s.idx, s.idx, (toks[ci].s, toks[ci].e), sp_span, refs, relay, 0.6)
        else:
            if self.wik:
                a = 0
            else:
                a = ci + 1
                if spk[0] > ci:
                    a = spk[1]
            while a < b and (toks[a].is_punct or a in covered or not self.wik and lem.startswith("sich:") and toks[a].low == "sich"):
                a += 1
            if lem.startswith("sich:") and not self.wik and b - 1 > a and toks[b - 1].low in self.p.reflexive_cues.get(lem[5:], ()):
                b -= 1  # the separable particle: "… ein"
            if b - a < 2 or self._np_score(s, spk) < 2:
                return None
            d = Draft("Reported", [(toks[a].s, toks[b - 1].e)], s.idx, s.idx, (toks[ci].s, toks[ci].e), sp_span, refs, relay, 0.45)
        d.frame = self.text[s.s:s.e]
        self.drafts.append(d)
        for r in refs:
            if r.kind == "person":
                self._note_person(s, sp_span[0], r, sp_span[1])
        return d

    # ------------------------------------------------------------------ continuation
    def _continuation(self, s: Sent, skip, frag_toks, cues) -> None:
        toks = s.toks
        if len(toks) < 3:
            return
        if skip and len(skip) > len(toks) / 2:
            return
        words = [t for t in toks if t.i not in skip]
        lows = {t.low for t in words}
        k1 = any(self.mood(t.text) == 1 for t in words if t.i not in frag_toks)
        k2 = any(self.mood(t.text) == 2 for t in words if t.i not in frag_toks)
        rep = any(self.reportative(t.text) for t in words)
        if lows & self.p.conditional:
            k2 = False
        if "ich" in lows or "wir" in lows:
            k1 = k1 and False
        prev = self._prev_draft(s.idx, 1)
        if prev is None:
            prev = self._prev_draft(s.idx, 2)
            if prev is not None and self.sents[prev.last_sent].para != s.para and self.wik:
                prev = None
        typ = None
        if k1 or k2:
            if prev is not None and prev.type != "Reported":
                typ = "IndirectFreeIndirect"
            elif k1 and self.lang == "de" and s.idx > 0:
                # Konjunktiv I without a statement before: reported speech of the previous
                # sentence's subject ("Der Minister weist auf Risiken hin. Dazu gehöre …")
                subj = self._prev_subject(s.idx - 1)
                if subj is not None:
                    sp_span, refs = subj
                    prev = Draft("Reported", [(s.s, s.s + 1)], s.idx - 1, s.idx - 1, None, sp_span, refs, None, 0.5)
                    typ = "IndirectFreeIndirect"
        elif rep and self.lang == "de":
            if prev is not None:
                typ = "FreeIndirect"
        if typ is None:
            return
        b = len(toks)
        while b > 0 and toks[b - 1].is_punct and toks[b - 1].text not in QUOTE_CHARS:
            b -= 1
        a = 0
        while a < b and (toks[a].is_punct and toks[a].text not in QUOTE_CHARS):
            a += 1
        if b - a < 2:
            return
        if self.wik and typ == "IndirectFreeIndirect" and prev.type == "IndirectFreeIndirect" and prev.last_sent == s.idx - 1:
            # the dataset merges consecutive continuation sentences
            prev.spans[-1] = (prev.spans[-1][0], toks[b - 1].e)
            prev.last_sent = s.idx
            if toks[b - 1].e < s.e and self.wik:
                prev.spans[-1] = (prev.spans[-1][0], s.e)
            return
        end = toks[b - 1].e
        if self.wik and typ == "IndirectFreeIndirect":
            end = s.e  # keep the final period like the dataset
        d = Draft(typ, [(toks[a].s, end)], s.idx, s.idx, None, self._latest(prev.refs, toks[a].s, prev.speaker_span), list(prev.refs), prev.relay,
                  0.6 if typ == "IndirectFreeIndirect" else 0.45)
        d.date = prev.date
        d.frame = prev.frame
        self.drafts.append(d)

    # ================================================================== output
    def _finish(self, art: Article, lang: str) -> list[Quote]:
        text = self.text
        out: list[Quote] = []
        drafts = sorted(self.drafts, key=lambda d: (d.spans[0][0], d.nested))
        # dates first (continuations inherit)
        for d in drafts:
            if d.date is None:
                d.date = dates_mod.resolve_date(d.frame, self.date, self.lang)
        index_of: dict[int, list[int]] = {}
        for d in drafts:
            spans = []
            for a, b in d.spans:
                while a < b and text[a].isspace():
                    a += 1
                while b > a and text[b - 1].isspace():
                    b -= 1
                if b > a:
                    spans.append((a, b))
            if not spans:
                continue
            qtext = " … ".join(text[a:b] for a, b in spans)
            date_said, basis = (d.date if d.date else (self.date, "publication"))
            if date_said > self.date:
                date_said, basis = self.date, "publication"
            cue = Span(d.cue[0], d.cue[1], text[d.cue[0]:d.cue[1]]) if d.cue else None
            mention = Span(d.speaker_span[0], d.speaker_span[1], text[d.speaker_span[0]:d.speaker_span[1]]) if d.speaker_span else None
            hedged = self._hedged(qtext)
            refs = d.refs or [None]
            if self.wik and len(refs) > 1:
                refs = refs[:1]
            if self.wik and d.relay is not None and d.relay_span is not None and d.type == "Direct":
                # the dataset annotates a relayed quote once more with the relay as speaker
                dup = Quote(article_id=art.id, type=d.type, text=qtext, spans=spans, language=lang,
                            date_said=date_said, speaker=d.relay.to_speaker(Span(d.relay_span[0], d.relay_span[1], text[d.relay_span[0]:d.relay_span[1]])),
                            cue=cue, confidence=d.conf * 0.5, date_basis=basis)
                out.append(dup)
            ids = []
            for r in refs:
                conf = d.conf
                speaker = None
                if r is not None:
                    speaker = r.to_speaker(mention)
                    if not r.resolved:
                        conf *= 0.7
                else:
                    conf *= 0.6
                relay = d.relay.to_speaker(None) if d.relay else None
                q = Quote(article_id=art.id, type=d.type, text=qtext, spans=spans, language=lang,
                          date_said=date_said, speaker=speaker, cue=cue,
                          confidence=max(0.05, min(1.0, conf)), hedged=hedged, relay=relay,
                          date_basis=basis)
                ids.append(len(out))
                out.append(q)
            index_of[id(d)] = ids
        self._context(out)
        return out

    def _hedged(self, qtext: str) -> bool:
        low = " " + re.sub(r"\s+", " ", qtext.lower()) + " "
        for h in self.p.hedges:
            if re.search(r"(?<!\w)" + re.escape(h) + r"(?!\w)", low):
                return True
        return False

    _ANAPHOR = {
        "de": ("das", "dies", "darauf", "dazu", "davon", "damit", "daran", "darüber", "dem", "diese", "dieser", "dieses"),
        "en": ("that", "this", "those", "these"),
    }

    def _context(self, out: list[Quote]) -> None:
        """A reply whose topic is in the sentence before keeps that sentence as context."""
        anaph = self._ANAPHOR.get(self.lang, ())
        for qi, q in enumerate(out):
            first = re.findall(r"\w+", q.text[:40].lower())
            if not first or first[0] not in anaph:
                continue
            si = self.sent_of(q.start)
            if si == 0:
                continue
            prev = self.sents[si - 1]
            if prev.e > q.start:
                continue
            q.context = self.text[prev.s:prev.e]
            # the quote it answers: in the previous sentence, or one further back when the
            # previous sentence itself only points back ("darauf")
            for back in (si - 1, si - 2):
                if back < 0:
                    break
                bs = self.sents[back]
                cands = [k for k in range(max(0, qi - 30), qi) if bs.s <= out[k].start < bs.e + 1 or (out[k].start < bs.s and out[k].end > bs.s)]
                cands = [k for k in cands if not q.speaker or not out[k].speaker or out[k].speaker.name != q.speaker.name]
                if cands:
                    q.responds_to = cands[-1]
                    break
                prev_words = re.findall(r"\w+", bs.s < bs.e and self.text[bs.s:bs.e].lower() or "")
                if not any(w in anaph for w in prev_words):
                    break
