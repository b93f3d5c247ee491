"""Who says it: the speaker of a cue verb (Vorfeld subject, subject after the verb, after an
auxiliary, in "wie X sagte", with appositions; the candidate that looks more like a speaker
wins) and relays ("zitierte Interfax Peskow", "Y wird von X zitiert", "X zitiert Y")."""

from __future__ import annotations

from dataclasses import dataclass

from ..document import Document, Ref, TokRange
from ..speakers import norm_tokens
from ..text import Sent, Tok
from .phrases import END_PUNCT, first_content, has_verb, np_after, np_score, speakerish, subject_after, subject_before, trim_np
from .quote_marks import QUOTE_CHARS
from .resolve import resolve, resolve_part


@dataclass
class CueSpeaker:
    """The speaker NP found for a cue, and what the search found out on the way."""

    rng: TokRange | None
    passive: bool = False  # an impersonal passive cue ("wird vorgeworfen"): no speaker in the clause
    cite_relay: TokRange | None = None  # "von X" in "Y wird von X zitiert"
    rejected: bool = False  # the cue's subject does not look like a speaker ("Figures show …")


@dataclass
class Attribution:
    """Refs of a speaker NP after relay handling; ``rng`` is the speaker's token range (the
    person inside "zitierte Interfax Peskow"), ``relay_rng`` the relay's."""

    refs: list[Ref]
    relay: Ref | None
    rng: TokRange
    relay_rng: TokRange | None = None


def _passive_cite(doc: Document, s: Sent, ci: int, ca: int) -> CueSpeaker | None:
    """Passive "Y wird (von X | in X) (mit den Worten) zitiert": Y is the speaker, X the relay.
    None when the cue is no such passive; ``rng`` None when Y was not found."""
    r = doc.rules
    lang = r.language
    toks = s.toks
    aux = [k for k in range(ca, ci) if toks[k].low in lang.passive_aux]
    if not aux:
        return None
    a = aux[0]
    subj = subject_before(doc, s, a, ca) if a > ca else None
    if subj is None and a == ca and ca > 0 and toks[ca - 1].text == ",":
        # "Der Fraktionschef der Grünen, Volker Rauh, wird … zitiert"
        rng = np_after(doc, s, first_content(doc, toks, 0, ca))
        if rng is not None and rng[1] <= ca and np_score(doc, s, rng) >= 2:
            subj = rng
    if subj is None and a + 1 < ci:
        subj = np_after(doc, s, a + 1)
        if subj is not None and (subj[1] > ci or np_score(doc, s, subj) < 1):
            subj = None
    cite = None
    for k in range(a + 1, ci - 1):
        if toks[k].low in lang.passive_source_preps and (subj is None or k >= subj[1]):
            rng = np_after(doc, s, k + 1, frame=True)
            if rng is not None and rng[1] <= ci:
                cite = rng
            break
    return CueSpeaker(subj, cite_relay=cite)


def _impersonal_passive(doc: Document, toks: list[Tok], ci: int, ca: int) -> bool:
    """Passive "werden aufgefordert", "wird vorgeworfen": no speaker in the clause."""
    lang = doc.rules.language
    cue = toks[ci]
    if not (lang.participle_endings and ci > 0 and cue.low != cue.lemma and cue.low.endswith(lang.participle_endings)):
        return False
    return (any(t.low in lang.passive_markers for t in toks[max(ca, ci - 6):ci])
            and not any(t.low in lang.passive_agent_preps for t in toks[ci + 1:ci + 2]))


def _passive_agent(doc: Document, s: Sent, ci: int, ca: int) -> TokRange | None:
    """The agent of a passive cue, "von/vom X" between the passive auxiliary and the
    participle ("wurden von Bundesverkehrsminister Stolpe als unrealistisch bezeichnet"),
    when it looks like a speaker; None otherwise."""
    r = doc.rules
    lang = r.language
    toks = s.toks
    cue = toks[ci]
    if not (lang.participle_endings and cue.low != cue.lemma and cue.low.endswith(lang.participle_endings)):
        return None
    aux = next((k for k in range(max(ca, ci - 10), ci) if toks[k].low in lang.passive_markers), None)
    if aux is None:
        return None
    for k in range(aux + 1, ci - 1):
        if toks[k].low in lang.passive_agent_preps:
            rng = np_after(doc, s, k + 1)
            if rng is not None and rng[1] <= ci and np_score(doc, s, rng) >= 1:
                return rng
            return None
    return None


def _verb_second_subject(doc: Document, s: Sent, ci: int, ca: int) -> TokRange | None:
    """"Bei X dankte Trump Putin und sagte, …": the subject after the first verb of the clause."""
    r = doc.rules
    toks = s.toks
    for k in range(ca, ci):
        kk = k - 1 if k - 1 > ca and toks[k - 1].low in r.p.determiners else k
        if r.is_cap_word(toks[k]) and kk > ca and toks[kk - 1].text[:1].islower() and toks[kk - 1].low not in r.language.prepositions and has_verb(doc, [toks[kk - 1]]):
            rng = np_after(doc, s, kk)
            if rng is not None and rng[1] <= ci and np_score(doc, s, rng) >= 2 and r.language.speaker_fit(r, toks, rng, ca, ci) >= 0:
                return rng
    return None


def _before_and_after(doc: Document, s: Sent, ci: int, ca: int, found: CueSpeaker) -> CueSpeaker:
    """The subject before the cue and the one after it; the likelier speaker wins."""
    r = doc.rules
    lang = r.language
    toks = s.toks
    before = subject_before(doc, s, ci, ca)
    if lang.subject_must_speak and before is not None and not speakerish(doc, s, before):
        before = None  # "high alert and", "health checks": a phrase, not someone who speaks
        found.rejected = True
    if before is None and ca > 0 and toks[ca - 1].text == ",":
        rng = np_after(doc, s, first_content(doc, toks, 0, ca))
        if rng is not None and rng[1] < ci and np_score(doc, s, rng) >= 2 and not has_verb(doc, toks[rng[1]:ca - 1]):
            before = (rng[0], min(rng[1], ca - 1))
    after = None
    if ca < ci and toks[ca].low in r.aux:
        after = np_after(doc, s, ca + 1)
    if after is None:
        after = subject_after(doc, s, ci + 1)
    if lang.subject_must_speak and after is not None and (not speakerish(doc, s, after) or toks[after[0]].low in r.complementizers):
        after = None  # "said that services …" is no inverted subject
    # case and agreement: "Der Zeitung sagte er", "die Minister sagte" (German: lang/de/grammar.py)
    unfit = False
    fit_before = lang.speaker_fit(r, toks, before, ca, ci) if before is not None else -1
    if before is not None and fit_before < 0:
        before, unfit = None, True
    if before is None and lang.verb_second and ca > 0 and toks[ca - 1].text == ",":
        # "Ein Beamter, den die Zeitung zitiert, kommentierte, …": the NP before a relative clause
        rng = np_after(doc, s, first_content(doc, toks, 0, ca))
        if rng is not None and rng[1] + 1 < ca and toks[rng[1]].text == "," and _relative_clause_to(doc, toks, rng[1] + 1, ca - 1):
            fit = lang.speaker_fit(r, toks, rng, ca, ci)
            if fit >= 0 and np_score(doc, s, rng) >= 0:
                before, fit_before = rng, fit
    fit_after = lang.speaker_fit(r, toks, after, ca, ci) if after is not None else -1
    citing = toks[ci].lemma in lang.cite_lemmas  # "X zitiert einen Augenzeugen": the object speaks (_relay_around_cite)
    if after is not None and fit_after < 0 and not citing:
        after, unfit = None, True
    if before is None and after is None and lang.verb_second:
        found.rng = _verb_second_subject(doc, s, ci, ca)
        # the only subjects found cannot speak ("Zunächst hieß es, …"): none in the clause
        found.passive = found.rng is None and unfit
    elif before is None:
        found.rng = after
    elif after is None or not lang.verb_second:
        found.rng = before  # SVO: a subject before the verb wins
    elif citing:
        found.rng = after if np_score(doc, s, after) > np_score(doc, s, before) else before
    elif fit_after == 2 and fit_before < 2:
        found.rng = after  # "Der Zeitung sagte er": only "er" can be the subject
    elif fit_after < 2 and (fit_before >= 1 and np_score(doc, s, before) >= 1 or np_score(doc, s, before) >= 2):
        # "Die Regierung kritisierte die CDU", "Der Bürgermeister warnte die CDU": the Vorfeld
        # subject, not the object after the verb
        found.rng = before
    else:
        found.rng = after if _name_score(doc, s, after) > _name_score(doc, s, before) else before
    return found


def _name_score(doc: Document, s: Sent, rng: TokRange) -> int:
    """:func:`np_score`, except that an NP whose only "names" are words the language tags
    as common nouns (words unknown to the lexicon: "Firmengeldern", German HanTa ``NN``)
    scores as a role, organisation or plain NP ("diese Weitergabe von Firmengeldern" is an
    object, no person)."""
    r = doc.rules
    sc = np_score(doc, s, rng)
    if sc != 3:
        return sc
    toks = s.toks[rng[0]:rng[1]]
    names = [t for t in toks if r.is_name_word(t)]
    if not names or not all(r.language.common_noun(t.text) for t in names):
        return sc
    if r.g.match_name(norm_tokens(doc.text[toks[0].s:toks[-1].e], r.code)):
        return sc
    sc = 2 if any(r.is_role_word(t.low) for t in toks) else 1 if any(r.is_org_word(t.low) for t in toks) else 0
    return sc - 3 if toks[0].low in r.language.dative_words else sc


def _coordinated_subject(doc: Document, s: Sent, ci: int) -> TokRange | None:
    """A verb-second language's cue whose finite verb follows "und" ("Der Mann biss den Gast
    und rief: …", "zogen die Demonstranten durch die Stadt und skandierten …") shares the
    subject of the first conjunct: the Vorfeld NP before the sentence's first finite verb, else
    the NP after that verb, when it can be the subject of both verbs. None otherwise."""
    r = doc.rules
    lang = r.language
    toks = s.toks
    j = ci - 1 if ci > 0 and toks[ci - 1].low in r.aux else ci  # "und hatte gefragt"
    if not lang.verb_second or j < 2 or toks[j - 1].low not in r.p.coordinators or toks[j - 2].text.endswith("-"):
        return None
    start = first_content(doc, toks, 0, j)
    if start < j and (toks[start].low in r.subord or toks[start].low in lang.fronted_subordinators):
        # "Als ein Gast zu Hilfe eilte, biss der Mann …": the main clause starts after the comma
        start = next((k + 1 for k in range(start, j) if toks[k].text == ","), j)
    v = next((k for k in range(start, j - 1) if not doc.in_mark(toks[k].s) and has_verb(doc, [toks[k]])), None)
    if v is None or any(t.text in (";", ":") or t.text in END_PUNCT for t in toks[v:j]):
        return None
    for rng in (subject_before(doc, s, v, start), subject_after(doc, s, v + 1)):
        if (rng is not None and rng[1] < j and np_score(doc, s, rng) >= 0
                and lang.speaker_fit(r, toks, rng, start, v) >= 0 and lang.speaker_fit(r, toks, rng, j, ci) >= 0):
            return rng
    return None


def _subordinator_before_apposition(doc: Document, toks: list[Tok], ci: int, ca: int) -> int | None:
    """"Wie der Richter, Otto Krause, ausführte": the subordinator that opens the cue's clause
    before the commas of an apposition (no verb between it and the cue); None otherwise."""
    r = doc.rules
    if ca == 0 or toks[ca - 1].text != ",":
        return None
    k = ca - 1
    while k >= max(0, ca - 16) and toks[k].text not in END_PUNCT and toks[k].text not in (";", ":") and not doc.in_mark(toks[k].s) and toks[k].text not in QUOTE_CHARS:
        if toks[k].low in r.subord and (k == 0 or toks[k - 1].is_punct or toks[k - 1].low in r.words["leading_skip"]):
            words = [t for t in toks[k + 1:ci] if not t.is_punct]
            return k if words and not has_verb(doc, words) else None
        k -= 1
    return None


def _relative_clause_to(doc: Document, toks: list[Tok], a: int, b: int) -> bool:
    """Whether toks[a:b] is one relative clause (", der als Beobachter im Land war,"): a
    relative pronoun (after a preposition) at ``a``, a comma at ``b``, no comma between."""
    lang = doc.rules.language
    k = a + 1 if a < b and toks[a].low in lang.prepositions else a
    if k >= b or toks[k].low not in lang.relative_pronouns or toks[b].text != ",":
        return False
    return not any(t.text in (",", ";", ":") for t in toks[k + 1:b])


def speaker_for_cue(doc: Document, s: Sent, ci: int, ca: int) -> CueSpeaker:
    """The speaker of cue ``ci`` whose clause starts at ``ca``: Vorfeld subject, subject after
    the (finite) verb, subordinate "wie X sagte", or a sentence-initial subject with apposition."""
    r = doc.rules
    lang = r.language
    toks = s.toks
    found = CueSpeaker(None)
    if toks[ci].lemma in lang.cite_lemmas and toks[ci].low in lang.passive_cite_forms:
        cited = _passive_cite(doc, s, ci, ca)
        if cited is not None:
            if cited.rng is not None:
                return cited
            found.cite_relay = cited.cite_relay
    agent = _passive_agent(doc, s, ci, ca)
    if agent is not None:
        found.rng = agent  # "Die Forderungen wurden von Minister X als unrealistisch bezeichnet"
        return found
    if _impersonal_passive(doc, toks, ci, ca):
        found.passive = True
        return found
    sub = ca if ca < ci and toks[ca].low in r.subord else _subordinator_before_apposition(doc, toks, ci, ca)
    if sub is not None and toks[sub].low not in lang.non_speaker_subordinators:
        ca = sub
        rng = trim_np(doc, s, (ca + 1, ci))
        if rng is not None:
            inner = np_after(doc, s, ca + 1)
            found.rng = inner if inner and inner[1] <= ci else rng
            return found
    if lang.gerund_ending and toks[ci].low.endswith(lang.gerund_ending) and ci > ca and toks[ci - 1].low in lang.gerund_subordinators:
        # "X defended the plan while promising …": the subject of the main clause speaks
        rng = np_after(doc, s, first_content(doc, toks, ca, ci))
        if rng is not None and rng[1] < ci - 1 and np_score(doc, s, rng) >= 1:
            found.rng = rng
        return found
    shared = _coordinated_subject(doc, s, ci)
    if shared is not None:
        found.rng = shared  # "Der Mann biss den Gast und rief: …"
        return found
    return _before_and_after(doc, s, ci, ca, found)


def _is_org(doc: Document, t: Tok) -> bool:
    r = doc.rules
    if r.is_org_word(t.low):
        return True
    hit = r.g.match_name(norm_tokens(t.text, r.code))
    return bool(hit) and hit[0].kind == "organization"


def _relay_inside(doc: Document, s: Sent, spk: TokRange, att: Attribution) -> None:
    """"zitierte die Nachrichtenagentur Interfax Peskow": relay + speaker in one NP."""
    r = doc.rules
    toks = s.toks[spk[0]:spk[1]]
    org_i = [k for k, t in enumerate(toks) if _is_org(doc, t)]
    nt_all = norm_tokens(doc.text[toks[0].s:toks[-1].e], r.code)
    whole = r.g.match_name(nt_all)
    if whole and whole[0].kind == "organization" and whole[2] == len(nt_all):
        org_i = []  # the phrase ends in an agency's name ("RIA Novosti"): no speaker inside
    if org_i:
        # speaker = trailing person name after the organisation
        names = [t for t in toks[org_i[-1] + 1:] if r.is_cap_word(t)]
        if names:
            rel = resolve_part(doc, s, toks[:org_i[-1] + 1], allow_unresolved=True) or Ref(toks[org_i[-1]].text, "organization")
            person = resolve_part(doc, s, names, allow_unresolved=True)
            if person is not None:
                att.relay, att.refs = rel, [person]
                att.rng, att.relay_rng = (names[0].i, names[-1].i + 1), (spk[0], names[0].i)
    # also "zitierte X Y" where the cue is followed by two NPs
    nxt = np_after(doc, s, spk[1]) if spk[1] < len(s.toks) else None
    if nxt is not None and att.relay is None:
        person = resolve(doc, s, nxt)
        if person:
            att.relay, att.refs = att.refs[0], person
            att.rng, att.relay_rng = nxt, spk


def _relay_around_cite(doc: Document, s: Sent, spk: TokRange, cue: Tok, att: Attribution) -> None:
    """"X zitiert Y mit den Worten": the object speaks, the subject relays (and the reverse
    order: the subject found before the cue, the object after it)."""
    if att.refs and spk[0] > cue.i:
        k = cue.i
        while k > 0 and s.toks[k - 1].text not in (",", ";", ":") and s.toks[k - 1].text not in END_PUNCT:
            k -= 1
        before = subject_before(doc, s, cue.i, k)
        if before is not None and before[1] <= cue.i:
            rr = resolve(doc, s, before)
            if rr:
                att.relay, att.relay_rng = rr[0], before
    if att.relay is None and spk[1] <= cue.i:
        obj = subject_after(doc, s, cue.i + 1)
        if obj is not None:
            person = resolve(doc, s, obj)
            if person:
                att.relay = att.refs[0] if att.refs else None
                att.refs, att.rng, att.relay_rng = person, obj, spk


def attribute(doc: Document, s: Sent, spk: TokRange, cue: Tok | None, cite_relay: TokRange | None = None) -> Attribution:
    """Refs and relay of the speaker NP ``spk`` of ``cue``; ``cite_relay``: the relay NP a
    passive cite named (:attr:`CueSpeaker.cite_relay`)."""
    att = Attribution(resolve(doc, s, spk), None, spk)
    citing = cue is not None and cue.lemma in doc.rules.language.cite_lemmas
    if citing and att.refs:
        _relay_inside(doc, s, spk, att)
    if cite_relay is not None and att.relay is None and att.refs and not (cite_relay[0] < spk[1] and spk[0] < cite_relay[1]):
        # "Y wird von X (mit den Worten) zitiert"
        rr = resolve(doc, s, cite_relay)
        if rr:
            att.relay, att.relay_rng = rr[0], cite_relay
    if citing and att.relay is None:
        _relay_around_cite(doc, s, spk, cue, att)
    return att


def attribute_cue(doc: Document, s: Sent, found: CueSpeaker, cue: Tok) -> Attribution | None:
    """:func:`attribute` for the speaker :func:`speaker_for_cue` found (None if it found none)."""
    if found.rng is None:
        return None
    return attribute(doc, s, found.rng, cue, found.cite_relay)
