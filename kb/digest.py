"""A digest of what a store states, to compare two stores (a resumed import with a clean one).

The sorted N-Quads lines of the whole store, less the write counter of the claims graph
(:data:`kb.index.GENERATION`: how many writes happened, not what they stated), with blank
node labels blanked (the ontology's are minted afresh on each load): a multiset comparison.
"""

from __future__ import annotations

import hashlib
import io
import re

from .store import Store


_BLANK = re.compile(r"_:[A-Za-z0-9]+")


def statement_lines(store: Store) -> list[str]:
    """The store's quads as sorted N-Quads lines, without the write-generation counter."""
    from .index import GENERATION

    buf = io.BytesIO()
    store.dump(buf, "nq", None)
    skip = f"<{GENERATION}>"
    return sorted(_BLANK.sub("_:", line) for line in buf.getvalue().decode("utf-8").splitlines()
                  if line.strip() and skip not in line)


def store_digest(store: Store) -> str:
    """sha256 of :func:`statement_lines`: equal for two stores that state the same."""
    return hashlib.sha256("\n".join(statement_lines(store)).encode("utf-8")).hexdigest()
