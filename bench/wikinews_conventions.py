"""The German Wikinews quotation dataset's annotation conventions, as an overlay on the
extractor's output conventions (:class:`kb.extract.Conventions`), for evaluation only.

The dataset's annotators chose differently from the product (and the hand-checked gold set)
in these places: quoted fragments inside an indirect quote are *also* Direct quotes, a short
quoted fragment in a cue sentence is a Direct quote, a mixed quote is only its Direct part;
"dass" stays in the span; "Demnach" / "nach eigenen Angaben" are the speaker mention and
"Demnach" counts within the first four tokens; a frame relays only a cue verb before it;
a prepositional cue with a noun-phrase object ("sprach von …") is Reported; Reported statements span the whole sentence; "… Das teilte X mit." spans the paragraph (also
after a paragraph break); continuations stay within the paragraph, consecutive ones are one
quote with the final period; joint speakers stay one mention; a relayed Direct quote is
annotated once more with the relay as its speaker.

    from wikinews_conventions import WIKINEWS        # bench/ on sys.path
    Extractor(conventions=WIKINEWS)
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kb.extract import Conventions  # noqa: E402

WIKINEWS = Conventions(
    name="wikinews",
    fragments_as_direct=True,
    keep_complementizer=True,
    frame_word_as_speaker=True,
    anaphoric_frame_window=4,
    relay_cue_before_frame_only=True,
    reported_whole_sentence=True,
    noun_object_reported=True,
    anaphoric_statement_paragraph=True,
    continuation_same_paragraph=True,
    merge_continuations=True,
    joint_speakers_as_one=True,
    repeat_relayed_quote=True,
)


def conventions(name: str):
    """"wikinews" → :data:`WIKINEWS`; "default" stays the product's."""
    return WIKINEWS if name == "wikinews" else name
