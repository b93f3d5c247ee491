"""kb/vector_rebuild.py: `quoth reindex` embeds in saved parts and resumes after an interruption."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from click.testing import CliRunner

from kb import vector_rebuild, vectors
from kb.ingest import Ingestor
from kb.model import Statement
from kb.vectors import VectorIndex


def _statements(n: int = 9) -> list[Statement]:
    return [Statement(speaker=f"Person {i % 3}", text=f"Die Brücke Nummer {i} wird im Frühjahr gebaut.",
                      language="de", date_said=dt.date(2025, 3, 1 + i), source_url=f"https://example.org/s/{i}",
                      source_title="Nachrichten", source_date=dt.date(2025, 3, 20)) for i in range(n)]


@pytest.fixture()
def store(disk_store):
    from kb.ontology import closure
    from kb.validate import Validator

    ing = Ingestor(disk_store, validator=Validator(), closure=closure())
    ing.ensure_setup()
    ing.ingest_statements(_statements())
    return disk_store


class Stop(Exception):
    pass


def test_an_interrupted_rebuild_resumes_with_the_parts_it_saved(store, monkeypatch):
    clean = VectorIndex(None, store)
    n, reused = vector_rebuild.rebuild(clean, store, part_rows=2)
    assert (n, reused) == (9, 0)

    index = VectorIndex.for_store(store)
    parts = index.directory / vector_rebuild.PARTS_DIR

    def stop_after_two_parts(done: int, total: int) -> None:
        if done >= 4:
            raise Stop()

    with pytest.raises(Stop):
        vector_rebuild.rebuild(index, store, progress=stop_after_two_parts, part_rows=2)
    assert len(list(parts.glob("part-*.npz"))) == 2
    assert not (index.directory / "vectors.npy").exists()  # the old index (none) is untouched

    encoded: list[str] = []
    real = vectors.encode
    monkeypatch.setattr(vectors, "encode", lambda texts, **kw: (encoded.extend(texts), real(texts, **kw))[1])
    seen: list[tuple[int, int]] = []
    again = VectorIndex.for_store(store)
    n, reused = vector_rebuild.rebuild(again, store, progress=lambda d, t: seen.append((d, t)), part_rows=2)
    assert (n, reused) == (9, 4)
    assert len(encoded) == 9 - 4 and seen[0] == (4, 9) and seen[-1] == (9, 9)
    assert not parts.exists()

    saved = VectorIndex.for_store(store)  # what the files hold
    assert saved.claims() == clean.claims()
    for k in clean.claims():
        a, b = saved._mat[saved._row[k]], clean._mat[clean._row[k]]
        assert np.allclose(a, b, atol=2e-3)  # float16 parts


def test_parts_of_another_model_are_not_reused(store, monkeypatch):
    index = VectorIndex.for_store(store)
    parts = index.directory / vector_rebuild.PARTS_DIR
    with pytest.raises(Stop):
        vector_rebuild.rebuild(index, store, progress=lambda d, t: (_ for _ in ()).throw(Stop()) if d >= 2 else None,
                               part_rows=2)
    (parts / "meta.json").write_text('{"model": "another model", "dim": 512, "context": 2}')
    n, reused = vector_rebuild.rebuild(VectorIndex.for_store(store), store, part_rows=4)
    assert (n, reused) == (9, 0)


def test_reindex_command_reports_both_side_stores(store):
    from kb.cli import main

    store.close()  # the command opens the store itself
    r = CliRunner().invoke(main, ["--store", str(store.path), "reindex"])
    assert r.exit_code == 0, r.output
    assert "claim index: 9 claims; embeddings: 9 claims" in r.output
