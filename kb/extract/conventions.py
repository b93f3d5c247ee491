"""Output conventions: the choices where annotation guidelines differ, as named switches.

The product's choices are the defaults (:data:`DEFAULT`, those of the hand-checked gold set:
one statement per cue or continuation sentence, complementizer dropped, one Quote per joint
speaker). A dataset whose annotators chose otherwise gets its own :class:`Conventions`
instance, defined beside its evaluation (the German Wikinews overlay is
``bench/wikinews_conventions.py``); the stages read the switches, never a dataset name.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Conventions:
    """Switches of the extractor's output conventions (all off = the product's)."""

    name: str = "default"
    # quoted fragments inside a reported clause are (also) Direct quotes of their own, a short
    # quoted fragment in a sentence with a cue verb is a Direct quote
    fragments_as_direct: bool = False
    # the complementizer ("dass", "that") stays in the reported clause's span
    keep_complementizer: bool = False
    # a frame word is the speaker mention when no source is named ("Demnach", "nach eigenen Angaben")
    frame_word_as_speaker: bool = False
    # an anaphoric frame ("Demnach") counts within the first tokens of a sentence, not only first
    anaphoric_frame_window: int = 0
    # "sagte X laut Y": only a cue verb before the frame turns the frame into a relay
    relay_cue_before_frame_only: bool = False
    # a prepositional cue with a noun-phrase object ("sprach von einer freien Wahl", "berichtete
    # von Übergriffen") is a Reported statement (whole speech act) rather than an Indirect one
    # whose statement is the noun phrase
    noun_object_reported: bool = False
    # a Reported statement spans the whole sentence (with "sich" and the verb particle)
    reported_whole_sentence: bool = False
    # "… Das teilte X mit.": the statement spans the paragraph up to the anaphor, also across
    # a paragraph break
    anaphoric_statement_paragraph: bool = False
    # a continuation two sentences after its statement must be in the same paragraph
    continuation_same_paragraph: bool = False
    # consecutive Konjunktiv continuation sentences form one statement, final period included
    merge_continuations: bool = False
    # joint speakers ("X und Y sagten") stay one mention instead of one Quote per speaker
    joint_speakers_as_one: bool = False
    # a relayed Direct quote is repeated with the relay as its speaker
    repeat_relayed_quote: bool = False


DEFAULT = Conventions()
