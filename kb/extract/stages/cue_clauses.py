"""Cue clauses: a cue verb and the reported clause it governs — "Q, sagte X." (the clause
before a comma), "X sagte, Q" / "X sagte: Q" / "dass"- and Konjunktiv clauses, zu-infinitives,
prepositional cues ("sprach von …"), English "said (that) Q" through the language's clause
hooks; "Das erklärte X." takes the sentence before. A cue with a quoted fragment but no
clause, or a cue marked ``*`` with a noun object, goes to :mod:`.reported`."""

from __future__ import annotations

from dataclasses import dataclass

from ..document import Document, Draft, SentenceState, TokRange
from ..text import Sent, Tok
from .phrases import END_PUNCT, clause_bounds, has_verb, np_after
from .quote_marks import QUOTE_CHARS
from .reported import anaphoric_statement, np_object, reported
from .resolve import latest, note_speakers, prev_draft, resolve
from .speakers import CueSpeaker, attribute_cue, speaker_for_cue

_NO_REL_AFTER = ("man", "sich", "es")


@dataclass
class _Clause:
    """A reported clause found for the cue: token range, its speaker, confidence."""

    rng: TokRange
    speaker: CueSpeaker
    conf: float


def _fronted_constituent(doc: Document, toks: list[Tok], a: int, b: int) -> bool:
    """Is toks[a:b] (before ", cue X") the fronted part of the cue's own clause rather than a
    quote: a subordinate clause ("Nachdem …, forderten beide"), or a noun/prepositional phrase
    with a relative clause ("Der Sender, der … verantwortlich ist, begründete …")?"""
    r = doc.rules
    lang = r.language
    if any(r.mood(t.text) == 1 for t in toks[a:b]):
        return False  # Konjunktiv I: reported speech after all
    commas = [k for k in range(a, b) if toks[k].text == ","]
    if toks[a].low in lang.fronted_subordinators and not commas:
        return True
    if commas:
        c1 = commas[0]
        nxt = toks[c1 + 1] if c1 + 1 < b else None
        rel = nxt is not None and (nxt.low in lang.relative_pronouns or (nxt.low in lang.prepositions and c1 + 2 < b and toks[c1 + 2].low in lang.relative_pronouns))
        if rel and len(commas) == 1 and not has_verb(doc, toks[a:c1]):
            return True
    return False


def _clause_before(doc: Document, st: SentenceState, ci: int, ca: int, cb: int) -> _Clause | None:
    """(C2) "Q, sagte X." / "Q, he said.": the clause right before a comma that opens the cue's."""
    r = doc.rules
    s = st.sent
    toks = s.toks
    n = len(toks)
    aux_first = ca < ci and toks[ca].low in r.aux
    if not (ca > 0 and toks[ca - 1].text == "," and (ci - ca <= 8 or aux_first and ci - ca <= 14) and (cb >= n or toks[cb].text in END_PUNCT or toks[cb].text == ",")):
        return None
    q_end = ca - 1
    q_start = 0
    for x in range(q_end - 1, -1, -1):
        if x in st.covered or toks[x].text == ":":
            q_start = x + 1
            break
    # the clause before must not itself be a subordinate cue clause, nor only the subject
    only_np = np_after(doc, s, q_start)
    if only_np is not None and only_np[1] >= q_end:
        q_end = q_start
    if q_end - q_start >= 3 and not has_verb(doc, toks[q_start:q_end]):
        q_end = q_start
    if q_end - q_start >= 3 and _fronted_constituent(doc, toks, q_start, q_end):
        q_end = q_start
    other_cues = sorted(c[0] for c in st.cues if c[0] != ci and c[0] not in st.used_cues)
    if q_end - q_start >= 3 and not any(q_start <= c < q_end and not r.mood(toks[c].text) for c in other_cues):
        return _Clause((q_start, q_end), speaker_for_cue(doc, s, ci, ca), 0.85)
    return None


def _clause_start(doc: Document, toks: list[Tok], ci: int, lem: str, pi: int | None, cb: int) -> int | None:
    """Where the clause after the cue starts: after a prepositional particle, a language hook's
    opener ("said her party …"), a comma or colon, or a bare clause ("said (that) Q")."""
    r = doc.rules
    n = len(toks)
    if pi is not None and toks[pi].low in r.words["clause_particles"] and pi <= ci + 3 and (pi + 1 < n and toks[pi + 1].low not in ("sich",) and not toks[pi + 1].is_punct):
        return pi + 1  # "sprach von …"
    start = r.language.clause_start(r, toks, ci, lem)
    if start is not None:
        return start
    if cb < n and toks[cb].text in (",", ":") and cb - ci <= 14:
        return cb + 1
    return r.language.bare_clause_start(r, toks, ci, lem)


def _clause_end(doc: Document, st: SentenceState, ci: int, start_q: int) -> int:
    """Before the clause that holds the next cue, a full quote, or (verb-second languages) a
    return to the main clause ("…, er sei unschuldig, erkannte das Gericht nicht an")."""
    r = doc.rules
    lang = r.language
    s = st.sent
    toks = s.toks
    end_q = len(toks)
    for c in sorted(c[0] for c in st.cues if c[0] != ci):
        if c > start_q and not (toks[c - 1].low == "zu" or r.is_zu_infinitive(toks[c])):
            ca2, _ = clause_bounds(doc, s, c)
            if ca2 > start_q + 2:
                end_q = ca2 - 1 if toks[ca2 - 1].text in (",", ":") else ca2
                break
    for x in range(start_q, end_q):
        if x in st.covered:
            end_q = x
            break
    if lang.verb_second:
        adj = lang.adjective_ending
        for x in range(start_q + 2, end_q - 1):
            nx = toks[x + 1]
            if toks[x].text == "," and nx.text[:1].islower() and not r.mood(nx.text) and nx.low not in lang.relative_pronouns and nx.low not in r.complementizers and (
                    nx.low in r.aux or (nx.lemma != nx.low and nx.lemma.endswith("en") and not (adj and adj.search(nx.low)) or nx.low.endswith("te"))) and not doc.in_mark(nx.s):
                end_q = x
                break
    while end_q > start_q and (toks[end_q - 1].is_punct and toks[end_q - 1].text not in QUOTE_CHARS):
        end_q -= 1
    return end_q


def _accept(doc: Document, st: SentenceState, q_toks: list[Tok], ci: int, ca: int, lem: str, pi: int | None, start_q: int) -> tuple[bool, bool, float]:
    """Is q_toks a reported clause of the cue? (accepted, starts with a complementizer, confidence)"""
    r = doc.rules
    lang = r.language
    p = r.p
    toks = st.sent.toks
    has_comp = q_toks[0].low in r.complementizers
    konj = any(r.mood(t.text) for t in q_toks if t.i not in st.frag_toks)
    marker = lang.infinitive_marker
    zu_inf = bool(marker) and any(t.low == marker or r.is_zu_infinitive(t) for t in q_toks)
    colon = toks[start_q - 1].text == ":"
    first_rel = q_toks[0].low in lang.relative_pronouns and len(q_toks) > 1 and q_toks[1].text[:1].islower() and q_toks[1].low not in ("regierung",)
    adj = lang.adjective_ending
    if first_rel and len(q_toks) > 2 and adj and adj.search(q_toks[1].low) and r.is_cap_word(q_toks[2]) and q_toks[0].low in p.determiners:
        first_rel = False  # article + adjective + noun: "die gegenwärtige Lage …"
    strong = lem in lang.strong_cues or lang.all_cues_strong
    prep = pi is not None and start_q == pi + 1
    if toks[ca].low in ("wie", "as") and ca < ci:
        strong, first_rel = True, False
    ok = (has_comp or konj or colon or prep or (zu_inf and lem not in ("sagen",)) or (strong and not first_rel)) and not (
        first_rel and (not konj or q_toks[1].low in p.determiners or q_toks[1].low in p.pronouns or q_toks[1].low in _NO_REL_AFTER))
    return ok, has_comp, 0.8 if (has_comp or konj or colon) else 0.65


def _clause_after(doc: Document, st: SentenceState, ci: int, lem: str, pi: int | None, ca: int, cb: int) -> _Clause | None:
    """(C1) cue … , Q / cue: Q / cue that Q."""
    r = doc.rules
    s = st.sent
    toks = s.toks
    start_q = _clause_start(doc, toks, ci, lem, pi, cb)
    if start_q is None or start_q >= len(toks):
        return None
    end_q = _clause_end(doc, st, ci, start_q)
    q_toks = toks[start_q:end_q]
    if r.language.verb_second and len(q_toks) <= 6 and any("" in r.p.cues.get(t.lemma, ()) and not r.mood(t.text) for t in q_toks):
        return None  # a short clause with a cue verb of its own
    if len(q_toks) < 2:
        return None
    ok, has_comp, conf = _accept(doc, st, q_toks, ci, ca, lem, pi, start_q)
    if not ok:
        return None
    start = start_q if (r.conv.keep_complementizer or not has_comp) else start_q + 1
    return _Clause((start, end_q), speaker_for_cue(doc, s, ci, ca), conf)


def _statement(doc: Document, st: SentenceState, ci: int, ca: int, clause: _Clause,
               relay_rng: TokRange | None, frame_rng: TokRange | None) -> Draft | None:
    """The Indirect draft of the clause found, with its speaker, relay and fallbacks."""
    s = st.sent
    toks = s.toks
    qa, qb = clause.rng
    frame_excl = set(range(frame_rng[0], frame_rng[1])) if frame_rng else set()
    while qa < qb and qa in frame_excl:
        qa += 1
    if qb - qa < 2:
        return None
    spans = [(toks[qa].s, toks[qb - 1].e)]
    if frame_rng is not None and frame_rng[0] > qa and frame_rng[1] < qb:
        spans = [(toks[qa].s, toks[frame_rng[0] - 1].e), (toks[frame_rng[1]].s, toks[qb - 1].e)]
    conf = clause.conf
    pick = clause.speaker
    refs, relay, sp_span = [], None, None
    att = attribute_cue(doc, s, pick, toks[ci])
    if att is not None:
        refs, relay, sp_span = att.refs, att.relay, doc.char_span(s, att.rng)
    if relay_rng is not None:
        rr = resolve(doc, s, relay_rng)
        relay = rr[0] if rr else None
    words = doc.rules.words
    if ca < ci and toks[ca].low in words["and_words"] and ca + 1 == ci and doc.drafts and doc.drafts[-1].sent == s.idx and doc.drafts[-1].refs:
        prev = doc.drafts[-1]
        refs, relay, sp_span = list(prev.refs), prev.relay, prev.speaker_span
    if not refs:
        prev = prev_draft(doc, s.idx, 1)
        if pick.rng is None and pick.rejected:
            return None  # the cue has a subject, but not one that speaks ("Figures show …")
        if pick.rng is None and prev is not None and prev.refs and (ca == 0 or toks[0].low in words["sentence_and"]):
            refs, sp_span = list(prev.refs), latest(doc, prev.refs, s.s, prev.speaker_span)
            conf *= 0.8
        elif pick.rng is None and not pick.passive and relay_rng is None:
            return None  # a cue without anyone saying it: too unreliable
        else:
            conf *= 0.6
    d = Draft("Indirect", spans, s.idx, s.idx, (toks[ci].s, toks[ci].e), sp_span, refs, relay, conf)
    d.frame = " ".join(t.text for t in toks if not (qa <= t.i < qb))
    note_speakers(doc, s, refs, sp_span)
    st.covered.update(range(qa, qb))
    return d


def cue_clause(doc: Document, st: SentenceState, ci: int, lem: str, pi: int | None,
               relay_rng: TokRange | None = None, frame_rng: TokRange | None = None) -> Draft | None:
    """The statement of cue ``ci`` (lemma ``lem``, particle at ``pi``) in the sentence of
    ``st``; ``relay_rng``/``frame_rng``: the source NP and the tokens of a frame that relays it."""
    s: Sent = st.sent
    toks = s.toks
    ca, cb = clause_bounds(doc, s, ci)
    if ca < ci and toks[ca].low in doc.rules.words["question_words"]:
        return None  # "Was er damit meinte, sagte er nicht": an indirect question
    lang = doc.rules.language
    if ca == 0 and ci >= 1 and toks[0].low in lang.anaphoric_subjects and (ci == 1 or toks[1].low in doc.rules.aux) and s.idx > 0:
        # "Das erklärte ein Sprecher." — the statement is the sentence before
        d = anaphoric_statement(doc, s, ci)
        if d is not None:
            return d
    clause = _clause_before(doc, st, ci, ca, cb) or _clause_after(doc, st, ci, lem, pi, ca, cb)
    noun_object = (clause is not None and doc.rules.conv.noun_object_reported and pi is not None
                   and clause.rng[0] == pi + 1 and np_object(doc, toks[pi + 1:clause.rng[1]]))
    if clause is None or noun_object:
        # mixed quote or whole-sentence report ("sprach von einer freien Wahl": a speech act
        # with a noun object is Reported when its speaker qualifies, else stays Indirect)
        d = reported(doc, st, ci, lem, ca, cb, pi)
        if d is not None or clause is None:
            return d
    return _statement(doc, st, ci, ca, clause, relay_rng, frame_rng)
