"""Who is meant: English source mentions resolved to the article's people and organisations.

``Resolver(doc, gazetteer, date).speakers(attribution) -> list[SpeakerRef]`` over a spaCy parse.

The article's entities come from its proper-name chains (a PROPN head with its compound/flat
PROPN parts), in text order:

- a full name ("Chris Weston") starts an entity; a later surname or first name alone ("Weston",
  "Mr Weston", "Professor Weston") joins the entity with that name part seen last;
- titles ("Mr", "Mrs", "Ms") give gender, title words and appositions ("Weston, chief market
  strategist"; "aide Huma Abedin"; "Senator X"; "X, the senator") give role nouns;
- kind: the gazetteer's, else an organisation word in the name ("Department", "Party", see
  ``data/en/orgs.txt``) or an all-capitals acronym, else a person;
- gender: the gazetteer's, a title's, else learned from the text: a he/him/his (she/her) in a
  sentence whose only person without known gender is this one.

A source is then resolved by its head word:

- a name: its entity (gazetteer name when the gazetteer knows it);
- a personal pronoun: he/she to the nearest person of compatible gender (speakers and sentence
  subjects of the current and the three previous sentences first), it/they to the nearest
  organisation (they also to a plural noun phrase source), I/we inside nothing: the mention;
- a role noun with a definite determiner ("the senator", "the company", "the former secretary"):
  the nearest entity holding that role noun in the article, else a gazetteer role on the
  publication date, else (organisation nouns) the nearest organisation whose name holds the noun;
- anything else: the noun phrase as written, unresolved.

A coordinated source ("Smith and Jones said") gives one speaker per conjunct.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from pathlib import Path

from kb.model import Span, SpeakerRef

from .parse import doc_text, sentence_of

_DATA = Path(__file__).resolve().parents[2] / "data" / "en"
_TITLE_GENDER = {"mr": "m", "mrs": "f", "ms": "f", "miss": "f", "sir": "m", "lady": "f", "madam": "f"}
_HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "sir", "lady", "madam"}
_PRON_GENDER = {"he": "m", "him": "m", "his": "m", "himself": "m", "she": "f", "her": "f",
                "hers": "f", "herself": "f"}
_SUBJECT_PRONOUNS = {"he": "m", "she": "f"}
_ORG_PRONOUNS = {"it", "they"}
_DEFINITE = {"the", "this", "that", "these", "those"}
_LOCATIVE = {"in", "at", "from", "across", "near", "throughout", "to", "into", "outside", "inside"}
_WINDOW = 4  # sentences searched back for a pronoun's antecedent


@functools.lru_cache(maxsize=1)
def _word_list(name: str) -> frozenset[str]:
    out = set()
    for line in (_DATA / name).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip().lower()
        if line:
            out.add(line)
    return frozenset(out)


def org_words() -> frozenset[str]:
    """Head nouns that make a name an organisation ("Department", "Party"), from orgs.txt."""
    return _word_list("orgs.txt") | {"campaign", "committee", "foundation", "group", "inc", "corp",
                                     "ltd", "llc", "administration", "service", "bureau", "times",
                                     "post", "journal", "fund", "center", "centre", "board", "authority",
                                     "trust", "brigade", "club", "federation", "ministry", "network"}


def role_words() -> frozenset[str]:
    """Role nouns and titles (roles.txt, person_titles.txt) that stand before a person's name."""
    return _word_list("roles.txt") | _word_list("person_titles.txt")


@dataclass
class Entity:
    """One person or organisation of the article."""

    name: str
    kind: str = "person"
    gender: str | None = None
    key: str | None = None
    wikidata: str | None = None
    parts: set[str] = field(default_factory=set)   # lowercase name tokens (surname, first name)
    roles: set[str] = field(default_factory=set)   # lowercase role nouns (titles, appositions)

    def ref(self, mention: Span | None) -> SpeakerRef:
        return SpeakerRef(name=self.name, kind=self.kind, key=self.key, wikidata=self.wikidata,
                          mention=mention, resolved=self.key is not None)


@dataclass
class Mention:
    """Where an entity is named: token index, sentence index, and whether it is a subject."""

    tok: int
    sent: int
    entity: Entity
    subject: bool
    place: bool = False  # object of a locative preposition ("in Iowa"): not an antecedent by itself


def _chain_head(tok) -> bool:
    """A PROPN that is not itself a compound/flat part of another PROPN."""
    return tok.pos_ == "PROPN" and not (tok.dep_ in ("compound", "flat") and tok.head.pos_ == "PROPN")


def _chain(tok) -> list:
    """The tokens of a name: the head's PROPN compound/flat children to its left, the head, and
    PROPN flat parts to its right."""
    parts = [c for c in tok.children if c.dep_ in ("compound", "flat") and c.pos_ == "PROPN"]
    for c in list(parts):
        parts.extend(g for g in c.children if g.dep_ in ("compound", "flat") and g.pos_ == "PROPN")
    toks = sorted({tok, *parts}, key=lambda t: t.i)
    # only the contiguous run ending at (or holding) the head
    run = [tok]
    for t in reversed([t for t in toks if t.i < tok.i]):
        if t.i == run[0].i - 1 or (t.i == run[0].i - 2 and run[0].nbor(-1).text == "."):
            run.insert(0, t)
    for t in [t for t in toks if t.i > tok.i]:
        if t.i == run[-1].i + 1:
            run.append(t)
    return run


class Resolver:
    """Resolves source mentions of one parsed article (see the module docstring)."""

    def __init__(self, doc, gazetteer, date: dt.date):
        self.doc = doc
        self.gaz = gazetteer
        self.date = date
        self.orgs = org_words()
        self.roles = role_words()
        self.entities: list[Entity] = []
        self.mentions: list[Mention] = []
        sentence_of(doc, 0) if len(doc) else None
        self.sent_index = dict(enumerate(doc.user_data.get("quoth_sents", ([], []))[1]))
        self.by_tok: dict[int, Entity] = {}
        self._collect()
        self._learn_gender()
        self.speaker_at: dict[int, Entity] = {}  # token -> entity resolved as a speaker there

    # ------------------------------------------------------------------ entities
    def _collect(self) -> None:
        for tok in self.doc:
            if not _chain_head(tok):
                continue
            run = _chain(tok)
            words = [t.text for t in run]
            low = [w.lower().rstrip(".") for w in words]
            gender = next((_TITLE_GENDER[w] for w in low if w in _TITLE_GENDER), None)
            roles = {w for w in low if w in self.roles}
            # the name is what follows the last title ("Refugee Council CEO Enver Solomon")
            last_title = max((k for k, w in enumerate(low) if w in self.roles or w in _HONORIFICS),
                             default=-1)
            name_toks = [w for w in words[last_title + 1:] if w not in ("'s", "’s", ".")]
            if not name_toks:
                continue
            roles |= self._apposition_roles(tok)
            definite = any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children)
            ent = self._entity_for(name_toks, tok, definite)
            if gender and not ent.gender:
                ent.gender = gender
            ent.roles |= roles
            for t in run:
                self.by_tok[t.i] = ent
            place = tok.dep_ == "pobj" and tok.head.lower_ in _LOCATIVE
            self.mentions.append(Mention(tok.i, self.sent_index.get(tok.i, 0), ent,
                                         tok.dep_ in ("nsubj", "nsubjpass"), place))

    def _apposition_roles(self, tok) -> set[str]:
        """Role nouns given to a name: its apposition ("X, the senator"), compound common nouns
        before it ("aide X"), or the noun it is in apposition to ("the senator, X")."""
        out = set()
        for c in tok.children:
            if c.dep_ == "appos" and c.pos_ == "NOUN":
                out.add(c.lemma_.lower())
            elif c.dep_ == "compound" and c.pos_ == "NOUN":
                out.add(c.lemma_.lower())
        if tok.dep_ == "appos" and tok.head.pos_ == "NOUN":
            out.add(tok.head.lemma_.lower())
        return out

    def _entity_for(self, name_toks: list[str], tok, definite: bool = False) -> Entity:
        name = " ".join(name_toks)
        low = [w.lower() for w in name_toks]
        if len(low) == 1:
            for m in reversed(self.mentions):  # a part of a name seen before: the latest such entity
                if low[0] in m.entity.parts:
                    return m.entity
        else:
            for e in reversed(self.entities):
                if e.parts and low[-1] in e.parts and (e.name.lower() == name.lower() or len(e.parts) == 1
                                                       or low[0] in e.parts):
                    if len(e.parts) == 1 and e.key is None:  # the surname came first; now the full name
                        e.name, e.parts = name, set(low)
                    return e
        ref = self.gaz.resolve(name, "en", self.date)
        if ref is not None:
            for e in self.entities:
                if e.key == ref.key:
                    e.parts |= set(low)
                    return e
        kind = "person"
        gender = None
        if ref is not None:
            kind = ref.kind
            ge = self.gaz.get(ref.key) if ref.key else None
            gender = getattr(ge, "gender", None)
        elif (any(w in self.orgs for w in low) or (len(name) >= 2 and name.isupper() and name.isalpha())
              or definite):  # "the Harbour Authority": people's names take no article
            kind = "organization"
        ent = Entity(name=ref.name if ref else name, kind=kind, gender=gender,
                     key=ref.key if ref else None, wikidata=ref.wikidata if ref else None,
                     parts=set(low) if kind == "person" else {name.lower()})
        self.entities.append(ent)
        return ent

    def _learn_gender(self) -> None:
        """A he/his (she/her) in a sentence whose only person of unknown gender is one entity,
        and no person of known gender, gives that entity the pronoun's gender."""
        by_sent: dict[int, list[Entity]] = {}
        for m in self.mentions:
            if m.entity.kind == "person":
                by_sent.setdefault(m.sent, [])
                if m.entity not in by_sent[m.sent]:
                    by_sent[m.sent].append(m.entity)
        for tok in self.doc:
            g = _PRON_GENDER.get(tok.lower_)
            if g is None or tok.pos_ != "PRON":
                continue
            k = self.sent_index.get(tok.i, 0)
            ents = [e for e in by_sent.get(k, []) if any(
                m.entity is e and m.tok < tok.i for m in self.mentions if m.sent == k)]
            if len(ents) == 1 and ents[0].gender is None:
                ents[0].gender = g

    # ------------------------------------------------------------------ sources
    def speakers(self, a) -> list[SpeakerRef]:
        """The speakers of an attribution (one per conjunct), mention = the source as written."""
        if a.source is None:
            return []
        text = doc_text(self.doc)
        mention = Span(a.source[0], a.source[1], text[a.source[0]:a.source[1]])
        if a.head is None:
            return [SpeakerRef(name=mention.text, mention=mention, resolved=False)]
        head = self.doc[a.head]
        if head.i not in self.by_tok:  # "Malaysia's prime minister, Najib Razak,": the name in apposition
            head = next((c for c in head.children if c.i in self.by_tok and c.i > head.i and (
                c.dep_ == "appos" or self.doc[c.left_edge.i - 1].text == ",")), head)
        if head.i not in self.by_tok:  # the same apposition parsed as a second subject of the cue
            head = next((c for c in head.head.children if c.i in self.by_tok and c.i > head.i
                         and c.dep_ == head.dep_ and self.doc[c.left_edge.i - 1].text == ","), head)
        heads = [head] + [c for c in head.conjuncts if c.i > head.i and c.pos_ in ("PROPN", "NOUN")]
        out = []
        for h in heads:
            ent = self.entity_of(h)
            if ent is not None:
                self.speaker_at[h.i] = ent
                out.append(ent.ref(mention))
            else:
                name = text[a.name[0]:a.name[1]] if a.name and h.i == a.head else h.text
                ref = self.gaz.resolve(name, "en", self.date) or self.gaz.resolve(mention.text, "en", self.date)
                if ref is not None:
                    out.append(SpeakerRef(name=ref.name, kind=ref.kind, key=ref.key, wikidata=ref.wikidata,
                                          mention=mention, resolved=ref.resolved))
                else:
                    out.append(SpeakerRef(name=_strip_determiner(name), mention=mention, resolved=False))
        return out

    def relay(self, a) -> SpeakerRef | None:
        """Who passed the statement on ("according to R, quoting S"), or None."""
        if a.relay is None:
            return None
        mention = Span(a.relay[0], a.relay[1], doc_text(self.doc)[a.relay[0]:a.relay[1]])
        ent = self.entity_of(self.doc[a.relay_head]) if a.relay_head is not None else None
        if ent is not None:
            return ent.ref(mention)
        return SpeakerRef(name=_strip_determiner(mention.text), mention=mention, resolved=False)

    def entity_of(self, tok) -> Entity | None:
        """The article entity a source head word stands for, or None."""
        if tok.i in self.by_tok:
            return self.by_tok[tok.i]
        low = tok.lower_
        if tok.pos_ == "PRON":
            if low in _SUBJECT_PRONOUNS:
                return self._antecedent(tok, "person", _SUBJECT_PRONOUNS[low])
            if low in _ORG_PRONOUNS:
                return self._antecedent(tok, "organization", None)
            return None
        definite = any(c.lower_ in _DEFINITE or c.dep_ == "poss" for c in tok.children)
        # "the senator"; also a capitalised title alone, which the tagger calls a proper noun
        # ("the Prime Minister"): a role noun, not a name
        if definite and (tok.pos_ == "NOUN" or (tok.pos_ == "PROPN" and tok.lower_ in self.roles)):
            return self._role_antecedent(tok)
        return None

    def _candidates(self, tok):
        """Entities named before ``tok`` in its sentence and the previous ones, nearest first,
        speakers and subjects of a sentence before its other names."""
        k = self.sent_index.get(tok.i, 0)
        seen: list[Entity] = []
        for back in range(0, _WINDOW):
            sent_ms = [m for m in self.mentions if m.sent == k - back and m.tok < tok.i]
            spk = [self.speaker_at[i] for i in sorted(self.speaker_at, reverse=True)
                   if self.sent_index.get(i) == k - back and i < tok.i]
            subj = [m.entity for m in reversed(sent_ms) if m.subject]
            rest = [m.entity for m in reversed(sent_ms) if not m.place]
            for e in spk + subj + rest:
                if e not in seen:
                    seen.append(e)
                    yield e

    def _antecedent(self, tok, kind: str, gender: str | None) -> Entity | None:
        fallback = None
        for e in self._candidates(tok):
            if e.kind != kind:
                continue
            if gender is None or e.gender == gender:
                return e
            if e.gender is None and fallback is None:
                fallback = e
        return fallback

    def _role_antecedent(self, tok) -> Entity | None:
        lemma = tok.lemma_.lower()
        k = self.sent_index.get(tok.i, 0)
        for m in reversed(self.mentions):
            if m.tok < tok.i and lemma in m.entity.roles and k - m.sent <= 12:
                return m.entity
        phrase = self.doc[tok.left_edge.i:tok.i + 1].text
        ref = self.gaz.resolve(phrase, "en", self.date)
        if ref is not None:
            for e in self.entities:
                if e.key == ref.key:
                    return e
            return Entity(name=ref.name, kind=ref.kind, key=ref.key, wikidata=ref.wikidata)
        if lemma in self.orgs:
            for m in reversed(self.mentions):
                if m.tok < tok.i and m.entity.kind == "organization" and lemma in m.entity.name.lower():
                    return m.entity
        return None


def _strip_determiner(name: str) -> str:
    toks = name.split()
    while len(toks) > 1 and toks[0].lower() in _DEFINITE | {"a", "an"}:
        toks = toks[1:]
    return " ".join(toks)
