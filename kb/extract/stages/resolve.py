"""Speaker references: a noun phrase → :class:`~kb.extract.document.Ref` (gazetteer alias →
article-local name → role learned in the article → gazetteer role on the publication date →
unresolved mention), pronouns to the nearest compatible person, joint speakers, and the
earlier statements and subjects later stages fall back on."""

from __future__ import annotations

from ..document import CharSpan, Document, Draft, Ref, TokRange
from ..speakers import fold, norm_tokens
from ..text import Sent, Tok
from .entities import by_role, local_for_entity
from .phrases import first_content, np_after, np_score


def resolve(doc: Document, s: Sent, rng: TokRange | None) -> list[Ref]:
    """Refs for the noun phrase at token range ``rng`` (several for joint speakers)."""
    if rng is None:
        return []
    toks = s.toks[rng[0]:rng[1]]
    if not toks:
        return []
    p = doc.rules.p
    if len(toks) == 1 and (toks[0].low in p.pronouns or toks[0].low in doc.rules.language.demonstratives):
        r = resolve_pronoun(doc, s, toks[0])
        return [r] if r else [Ref(toks[0].text, "person", resolved=False)]
    # joint: split at coordinators between capitalised parts
    parts: list[list[Tok]] = [[]]
    for k, t in enumerate(toks):
        if t.low in p.coordinators and not (k > 0 and toks[k - 1].text.endswith("-")):  # not "EU-Wirtschafts- und …kommissar"
            parts.append([])
        else:
            parts[-1].append(t)
    parts = [x for x in parts if x]
    refs: list[Ref] = []
    if len(parts) > 1:
        for part in parts:
            r = resolve_part(doc, s, part)
            if r is None:
                refs = []
                break
            refs.append(r)
        if refs and all(r.resolved or r.local_id >= 0 for r in refs):
            return refs
    r = resolve_part(doc, s, toks, allow_unresolved=True)
    return [r] if r else []


def _split_commas(toks: list[Tok]) -> list[list[Tok]]:
    parts: list[list[Tok]] = [[]]
    for t in toks:
        if t.text == ",":
            parts.append([])
        else:
            parts[-1].append(t)
    return parts


def _apposition(doc: Document, s: Sent, toks: list[Tok]) -> Ref | None:
    """"Der Sprecher, Max Muster, …": the name in apposition to a role, or the named head."""
    r = doc.rules
    parts = _split_commas(toks)
    head = parts[0]
    app = parts[1] if len(parts) > 1 else []
    if app and len(app) <= 4 and all(r.is_cap_word(t) for t in app) and any(r.is_role_word(t.low) for t in head):
        ref = resolve_part(doc, s, app, allow_unresolved=True)
        if ref is not None:
            return ref
    if head and any(r.is_name_word(t) for t in head):
        return resolve_part(doc, s, head, allow_unresolved=False)
    return None


def _unresolved(doc: Document, toks: list[Tok]) -> Ref | None:
    """An unresolved mention: a name in apposition, else the phrase without leading articles."""
    r = doc.rules
    words = list(toks)
    for part in _split_commas(toks)[1:]:
        if part and len(part) <= 4 and all(r.is_cap_word(t) for t in part):
            words = part
            break
    while words and words[0].low in r.p.determiners:
        words = words[1:]
    if not words:
        return None
    name = doc.text[words[0].s:words[-1].e]
    kind = "organization" if any(r.is_org_word(t.low) for t in words) else "person"
    return Ref(name, kind, resolved=False)


def resolve_part(doc: Document, s: Sent, toks: list[Tok], allow_unresolved: bool = False) -> Ref | None:
    """The Ref of one (non-joint) noun phrase; None when nothing is known and
    ``allow_unresolved`` is false."""
    r = doc.rules
    p = r.p
    if len(toks) == 1 and toks[0].low in p.pronouns:
        return resolve_pronoun(doc, s, toks[0])
    if any(t.text == "," for t in toks):
        ref = _apposition(doc, s, toks)
        if ref is not None:
            return ref
    nt = norm_tokens(doc.text[toks[0].s:toks[-1].e], r.code)
    hit = r.g.match_name(nt)
    if hit:
        return local_for_entity(doc, hit[0]).ref()
    names = [t for t in toks if r.is_name_word(t)]
    roles_in = [k for k, t in enumerate(toks) if r.is_role_word(t.low)]
    if roles_in:
        tail = [t for t in toks[roles_in[-1] + 1:] if r.is_cap_word(t) and not r.is_org_word(t.low)]
        if tail and len(tail) <= 4 and all(r.is_cap_word(t) for t in toks[roles_in[-1] + 1:]):
            names = tail
    cand = names or [t for t in toks if r.is_cap_word(t) and not r.is_role_word(t.low) and not r.is_org_word(t.low) and t.low not in p.determiners]
    if cand:
        surname = fold(cand[-1].text)
        allc = {fold(t.text) for t in cand}
        for le in reversed(doc.locals):
            if surname in le.names or len(allc & le.names) >= 2:
                return le.ref()
    if roles_in:
        le = by_role(doc, norm_tokens(" ".join(t.text for t in toks if not r.is_name_word(t)), r.code))
        if le is not None:
            return le.ref()
        e = r.g.match_role(nt, doc.date)
        if e is not None:
            return local_for_entity(doc, e).ref()
    if names and roles_in and names[0].i == toks[roles_in[-1]].i + 1:
        return Ref(doc.text[names[0].s:names[-1].e], "person", resolved=False)
    if not allow_unresolved:
        if names:
            return Ref(doc.text[names[0].s:names[-1].e], "person", resolved=False)
        return None
    return _unresolved(doc, toks)


def resolve_pronoun(doc: Document, s: Sent, t: Tok, current: list[tuple[int, Ref]] | None = None) -> Ref | None:
    """The first compatible person earlier in this sentence, then in the previous five
    (gender from the gazetteer where known); None for first person, neuter and plural."""
    g = doc.rules.p.pronouns.get(t.low, "") or doc.rules.language.demonstratives.get(t.low, "")
    if g in ("pl1", "sg1", "n", "pl"):
        return None
    want = set(g.split("|"))
    # persons mentioned earlier in this sentence, then previous sentences (first = subject)
    cands: list[Ref] = []
    for pos, r in (current if current is not None else doc.sent_persons.get(s.idx, [])):
        if pos < t.s:
            cands.append(r)
    cands.reverse()
    for k in range(s.idx - 1, max(-1, s.idx - 6), -1):
        cands.extend(r for _, r in doc.sent_persons.get(k, []))
    for r in cands:
        if r.kind != "person":
            continue
        if r.gender and not (r.gender in want):
            continue
        return r
    return None


def latest(doc: Document, refs: list[Ref], before: int, default: CharSpan | None) -> CharSpan | None:
    """The latest mention of the (first) speaker before ``before``; gold data marks the
    nearest mention, not the one where the speaker was introduced."""
    if not refs or refs[0].local_id < 0:
        return default
    lid = refs[0].local_id
    quoted = [sp for d in doc.drafts[-12:] for sp in d.spans]
    best = None
    for a, b, k in reversed(doc.mentions[-400:]):
        if k == lid and b <= before and (best is None or a > best[0]):
            if doc.in_mark(a) or any(x <= a and b <= y for x, y in quoted):
                continue  # "er" inside what was said refers to the speaker, but is no speaker mention
            best = (a, b)
    if best is None:
        return default
    if default is not None and default[1] <= before and default[0] > best[0]:
        return default
    return best


def note_person(doc: Document, s: Sent, pos: int, ref: Ref, end: int | None = None) -> None:
    """Record a person mentioned at ``pos`` (for pronouns and later nearest mentions)."""
    if end is not None:
        doc.mentions.append((pos, end, ref.local_id))
    lst = doc.sent_persons.setdefault(s.idx, [])
    lst.append((pos, ref))
    lst.sort(key=lambda x: x[0])


def note_speakers(doc: Document, s: Sent, refs: list[Ref], sp_span: CharSpan | None) -> None:
    """Record the person speakers of a statement found at ``sp_span``."""
    for r in refs:
        if r.kind == "person" and sp_span:
            note_person(doc, s, sp_span[0], r, sp_span[1])


def prev_draft(doc: Document, sent_idx: int, window: int) -> Draft | None:
    """The last (non-nested) statement if it ends at most ``window`` sentences before."""
    for d in reversed(doc.drafts):
        if d.nested:
            continue
        if sent_idx - d.last_sent <= window and d.last_sent <= sent_idx:
            return d
        break
    return None


def sentence_subject(doc: Document, k: int) -> tuple[CharSpan, Ref] | None:
    """(mention span, ref) of the first person named in sentence ``k``."""
    if k < 0:
        return None
    ps = doc.sent_persons.get(k, [])
    if not ps:
        return None
    pos, ref = ps[0]
    s = doc.sents[k]
    for t in s.toks:
        if t.s == pos:
            rng = np_after(doc, s, t.i)
            if rng:
                return doc.char_span(s, rng), ref
    return None


def prev_subject(doc: Document, k: int) -> tuple[CharSpan, list[Ref]] | None:
    """(mention span, refs) of the subject at the start of sentence ``k`` if it names a
    person or organisation."""
    if k < 0:
        return None
    s = doc.sents[k]
    rng = np_after(doc, s, first_content(doc, s.toks, 0, len(s.toks)))
    if rng is None or np_score(doc, s, rng) < 1:
        return None
    refs = resolve(doc, s, rng)
    if not refs:
        return None
    return doc.char_span(s, rng), refs


def source_subject(doc: Document, k: int, min_score: int = 1) -> tuple[CharSpan, list[Ref]] | None:
    """(mention span, refs) of the first person or organisation NP of sentence ``k`` that can
    be its subject (the language's ``speaker_fit`` hook: no preposition's object, no dative):
    the source a following "Demnach" refers to ("Am Donnerstag gab die Wahlkommission ein
    Ergebnis bekannt. Demnach …"); ``min_score`` 0 admits any NP with a head ("präzise
    Vorwürfe"), 1 (default) needs an organisation, role or name (:func:`np_score`)."""
    if k < 0:
        return None
    r = doc.rules
    s = doc.sents[k]
    toks = s.toks
    i = 0
    while i < len(toks):
        t = toks[i]
        if doc.in_mark(t.s) or not (r.is_cap_word(t) or t.low in r.p.determiners) or (i > 0 and toks[i - 1].low in r.p.determiners):
            i += 1
            continue
        rng = np_after(doc, s, i)
        if rng is None:
            i += 1
            continue
        if np_score(doc, s, rng) >= min_score and r.language.speaker_fit(r, toks, rng, 0, min(rng[1], len(toks) - 1)) >= 0:
            refs = resolve(doc, s, rng)
            if refs:
                return doc.char_span(s, rng), refs
        i = rng[1]
    return None
