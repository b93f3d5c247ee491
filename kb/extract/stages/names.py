"""Stage 2, names: one pass over all sentences before any statement is looked for.

Capitalised runs → gazetteer aliases, role nouns + names ("Kremlsprecher Dmitri Peskow",
apposition "Der Botschafter in den USA, Alexander Dartschiew,"), unknown words as names.
Roles seen with a name are learned for the article; full names register their parts.
Pronouns are resolved here to the first compatible person of the nearest previous sentence.
The result is the document's entity layer (``locals``, ``sent_persons``, ``mentions``).
"""

from __future__ import annotations

from ..document import Document, LocalEntity, Ref
from ..speakers import fold, norm_tokens
from ..text import Sent, Tok
from .entities import by_role, learn_role, local_by_name, local_for_entity, role_tokens
from .resolve import resolve_pronoun

_NAME_LINKS = ("von", "van", "de", "al", "bin", "der")  # inside a name: "Ursula von der Leyen"


def learn(doc: Document) -> None:
    """Fill the document's entity layer (see the module docstring)."""
    r = doc.rules
    pronouns = r.p.pronouns
    for s in doc.sents:
        persons: list[tuple[int, Ref]] = []
        toks = s.toks
        i = 0
        n = len(toks)
        while i < n:
            t = toks[i]
            if t.low in pronouns and pronouns[t.low] in ("m", "f|pl", "f") and not doc.in_mark(t.s):
                ref = resolve_pronoun(doc, s, t, persons)
                if ref is not None:
                    persons.append((t.s, ref))
                    doc.mentions.append((t.s, t.e, ref.local_id))
                i += 1
                continue
            if not r.is_cap_word(t) or doc.in_mark(t.s):
                i += 1
                continue
            # maximal run of capitalised words / name connectors
            j = i
            while j < n and (r.is_cap_word(toks[j]) or (toks[j].low in _NAME_LINKS and j + 1 < n and r.is_cap_word(toks[j + 1]) and j > i)):
                j += 1
            ref = _ref_from_run(doc, toks[i:j], s, toks, i)
            if ref is not None:
                persons.append((toks[i].s, ref))
                doc.mentions.append((toks[i].s, toks[j - 1].e, ref.local_id))
            i = max(j, i + 1)
        doc.sent_persons[s.idx] = persons


def _name_words(doc: Document, run: list[Tok], toks: list[Tok], i0: int, role_toks: list[Tok]) -> list[Tok]:
    """The words of ``run`` that are a name (not a place after "aus"/"of", not a role)."""
    r = doc.rules
    place_before = r.words["place_before"]
    names = [t for t in run if r.is_name_word(t) and not (t.i > 0 and toks[t.i - 1].low in place_before)]
    if i0 > 0 and toks[i0 - 1].low.rstrip(".") in r.words["honorifics"] and not names:
        names = list(run)
    if not names and role_toks:
        k = run.index(role_toks[-1])
        tail = [t for t in run[k + 1:] if not r.is_org_word(t.low)]
        if tail and len(tail) <= 4 and all(r.is_cap_word(t) for t in run[k + 1:]):
            names = tail
    return names


def _named_entity(doc: Document, run: list[Tok], names: list[Tok]) -> LocalEntity:
    """The local entity a named run refers to (learning the fuller name), created if new."""
    r = doc.rules
    # the name: capitalised words after the last role/organisation word of the run
    last_role = max([k for k, t in enumerate(run) if r.is_role_word(t.low) or r.is_org_word(t.low)] or [-1])
    first_name = run.index(names[0])
    start = last_role + 1 if last_role < first_name else first_name
    name_toks = [t for t in run[start:] if t.low not in r.p.determiners and r.is_cap_word(t)] or names
    name_text = doc.text[name_toks[0].s:name_toks[-1].e]
    le = local_by_name(doc, name_text)
    if le is None:
        kind = "organization" if any(r.is_org_word(t.low) for t in run) else "person"
        if len(name_toks) == 1 and name_toks[0].text.isupper():
            kind = "organization"
        le = LocalEntity(len(doc.locals), name_text, kind)
        le.names = {fold(t.text) for t in name_toks}
        doc.locals.append(le)
    else:
        if len(name_text) > len(le.name) and le.key is None:
            le.name = name_text
        le.names |= {fold(t.text) for t in name_toks}
    return le


def _ref_from_run(doc: Document, run: list[Tok], s: Sent, toks: list[Tok], i0: int) -> Ref | None:
    """A capitalised run such as "Kremlsprecher Dmitri Peskow" → Ref (learning roles)."""
    r = doc.rules
    ntoks = norm_tokens(doc.text[run[0].s:run[-1].e], r.code)
    if not ntoks:
        return None
    hit = r.g.match_name(ntoks)
    # role words in the run (and an adjective before it: "russische Botschafter")
    role_toks = [t for t in run if r.is_role_word(t.low)]
    names = _name_words(doc, run, toks, i0, role_toks)
    if hit:
        le = local_for_entity(doc, hit[0])
        learn_role(doc, le, run, toks, i0)
        return le.ref()
    if names:
        le = _named_entity(doc, run, names)
        learn_role(doc, le, run, toks, i0)
        return le.ref() if le.kind == "person" else None
    if role_toks:
        # a bare role: learned in this article or from the gazetteer by date
        rtoks = role_tokens(doc, toks, i0, run)
        le = by_role(doc, rtoks)
        if le is not None:
            return le.ref()
        e = r.g.match_role(rtoks, doc.date)
        if e is not None:
            return local_for_entity(doc, e).ref()
    return None
