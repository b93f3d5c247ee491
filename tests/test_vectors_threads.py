"""kb.vectors.VectorIndex read by several threads while another writes (the /ask 500 of a reliability
run: a reader indexed past the matrix while a write extended or shrank the index)."""

from __future__ import annotations

import threading

import numpy as np

from kb.vectors import DIM, VectorIndex


def _rows(n: int, start: int = 0) -> tuple[list[str], np.ndarray]:
    rng = np.random.default_rng(start)
    m = rng.standard_normal((n, DIM)).astype(np.float32)
    return [f"urn:x:claim/{start + i}" for i in range(n)], m / np.linalg.norm(m, axis=1, keepdims=True)


def test_readers_never_see_a_half_written_index():
    index = VectorIndex(None)
    keys, mat = _rows(500)
    index._put(keys, mat, ["urn:x:spk/a" if i % 2 else "urn:x:spk/b" for i in range(len(keys))])
    q = mat[0]
    stop = threading.Event()
    errors: list[BaseException] = []

    def read() -> None:
        while not stop.is_set():
            try:
                rows = index.speaker_rows(["urn:x:spk/a"])
                index.top_k(q, 10, rows)
                index.top_k(q, 10)
                index.search(q, keys[:50])
                index.best_over_all(q[None, :], rows)
            except BaseException as e:  # noqa: BLE001
                errors.append(e)
                return

    readers = [threading.Thread(target=read) for _ in range(3)]
    for t in readers:
        t.start()
    for round_ in range(60):  # extend, then shrink, again and again
        more, m2 = _rows(50, 1000 + round_ * 50)
        index._put(more, m2, ["urn:x:spk/a"] * len(more))
        index.remove(more[::2])
    stop.set()
    for t in readers:
        t.join(10)
    assert not errors, repr(errors[0])
    assert index.top_k(q, 1)[0][0] == keys[0]
