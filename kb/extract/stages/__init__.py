"""Extraction stages, one module each, in the order :mod:`kb.extract.pipeline` runs them:

``text_layer`` (document object) → ``names`` (entity layer) → per sentence: ``direct_quotes``,
``frames``, ``cue_clauses`` (with ``reported``), ``cueless`` (headlines, ", dass" reports),
``continuations``, ``fragments`` → ``finish`` (Quotes, dates, hedging, context).
Shared helpers: ``phrases`` (noun phrases, subjects), ``entities`` and ``resolve`` (speaker
references), ``speakers`` (the speaker of a cue, relays), ``cues`` (cue verbs),
``quote_marks`` (what a quotation-mark pair holds).
"""
