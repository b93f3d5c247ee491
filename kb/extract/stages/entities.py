"""The article's entity layer: article-local people and organisations (gazetteer entities seen
here and names learned here), the roles learned for them, lookups by name and role."""

from __future__ import annotations

from ..document import Document, LocalEntity
from ..speakers import Entity, _tok_eq, fold, norm_tokens
from ..text import Tok


def covers(role: tuple[str, ...], np: tuple[str, ...]) -> bool:
    """Every token of the noun phrase's role part occurs in the learned role."""
    if not np or not role:
        return False
    return all(any(_tok_eq(a, b) for b in role) for a in np)


def role_tokens(doc: Document, toks: list[Tok], i0: int, run: list[Tok]) -> tuple[str, ...]:
    """Normalised tokens of a role phrase: adjectives before the run + role words of the run."""
    r = doc.rules
    p = r.p
    k = i0
    while k > 0 and toks[k - 1].text[:1].islower() and toks[k - 1].low not in p.np_stop and toks[k - 1].low not in p.determiners and not toks[k - 1].is_punct and len(toks[k - 1].text) > 3:
        k -= 1
    words = [t.text for t in toks[k:i0]] + [t.text for t in run if not r.is_name_word(t)]
    return norm_tokens(" ".join(words), r.code)


def role_gender(doc: Document, words: list[Tok]) -> str | None:
    """The gender a person's role noun shows: "f" for a feminine form of a role (the role +
    a ``feminine_role_suffixes`` ending of lexicon.toml: "Ministerin", "Kremlsprecherin"), "m"
    for a role noun without it ("Minister"); None without a role noun, for adjectival roles
    ("Vorsitzende"), plurals, and in a language that lists no such suffix."""
    r = doc.rules
    suffixes = r.words["feminine_role_suffixes"]  # lexicon.toml; none: the language does not tell
    roles = [t.low for t in words if r.is_role_word(t.low)]
    if not roles or not suffixes:
        return None
    low = roles[-1]
    for suf in suffixes:
        if low.endswith(suf) and r.is_role_word(low[:-len(suf)]):
            return "f"
    if low.endswith(("e", "en", "n")):
        return None  # "Vorsitzende", "Abgeordneten", plurals: the article tells, not the noun
    return "m"


def learn_role(doc: Document, le: LocalEntity, run: list[Tok], toks: list[Tok], i0: int) -> None:
    """Roles seen with a name ("Kremlsprecher Dmitri Peskow", "Der Botschafter …, Alexander
    Dartschiew,") are learned for the entity, for later bare mentions of the role."""
    r = doc.rules
    role_words = [t for t in run if r.is_role_word(t.low)]
    if le.gender is None and le.kind == "person":
        le.gender = role_gender(doc, run)  # "Ministerin Anna Berg": later "sie", not "er"
    if role_words:
        rt = role_tokens(doc, toks, i0, run)
        if rt:
            le.roles.add(rt)
            # also the bare head noun ("Kremlsprecher", "Botschafter")
            le.roles.add(norm_tokens(role_words[-1].text, r.code))
    # apposition before: "Der russische Botschafter in den USA, Alexander Dartschiew"
    if i0 >= 2 and toks[i0 - 1].text == ",":
        k = i0 - 2
        back = []
        while k >= 0 and toks[k].text not in (",", ".", ":", ";") and len(back) < 8:
            back.append(toks[k])
            k -= 1
        back.reverse()
        if le.gender is None and le.kind == "person":
            le.gender = role_gender(doc, back)  # "Die Sprecherin, Anna Berg,"
        if any(r.is_role_word(t.low) for t in back):
            rt = norm_tokens(" ".join(t.text for t in back if not (t.low in r.p.determiners)), r.code)
            if rt:
                le.roles.add(rt)
                for t in back:
                    if r.is_role_word(t.low):
                        le.roles.add(norm_tokens(t.text, r.code))


def local_for_entity(doc: Document, e: Entity) -> LocalEntity:
    """The article-local entity of gazetteer entity ``e`` (created on first mention)."""
    for le in doc.locals:
        if le.key == e.key:
            return le
    le = LocalEntity(len(doc.locals), e.name, e.kind, e.key, e.wikidata, e.gender)
    for n in e.all_names():
        le.names |= {fold(x) for x in n.split() if x[:1].isupper()}
    doc.locals.append(le)
    return le


def local_by_name(doc: Document, name_text: str) -> LocalEntity | None:
    """The last local entity with the same surname, two shared name words, or the one word."""
    parts = [fold(x) for x in name_text.split()]
    if not parts:
        return None
    toks = set(parts)
    best = None
    for le in doc.locals:
        # same surname, or a single word that is one of its names ("Dartschiew")
        if parts[-1] in le.names or len(toks & le.names) >= 2 or (len(parts) == 1 and parts[0] in le.names):
            best = le
    return best


def by_role(doc: Document, role_toks: tuple[str, ...]) -> LocalEntity | None:
    """The latest local entity that was seen with this role."""
    for le in reversed(doc.locals):
        if any(covers(r, role_toks) for r in le.roles if r):
            return le
    return None
