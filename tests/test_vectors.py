"""kb.vectors: claim embeddings beside the store."""

from __future__ import annotations

import numpy as np

from kb.store.oxigraph import OxigraphStore
from kb.vectors import CTX, VectorIndex, encode, passage, passages, sentences, vectors_dir

from test_ask_support import BASE, build_store


def test_encode_is_normalised_and_cross_lingual():
    v = encode(["a second meeting", "über ein zweites Treffen", "steel tariffs"])
    assert v.shape == (3, 512)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)
    assert v[0] @ v[1] > v[0] @ v[2] + 0.2


def test_add_save_load_search(tmp_path):
    vi = VectorIndex(tmp_path / "vec")
    vi.add_texts([("urn:c1", "die Zölle auf Stahl würden steigen", None),
                  ("urn:c2", "Nächstes Mal in Moskau.", "sie würden sich bald wiedersehen")])
    assert len(vi) == 3 and "urn:c2" in vi and vi.claim_count() == 2
    vi.save()
    again = VectorIndex(tmp_path / "vec")
    assert again.loaded and again.claim_count() == 2
    q = encode("steel tariffs")
    s = again.search(q, ["urn:c1", "urn:c2", "urn:missing"])
    assert set(s) == {"urn:c1", "urn:c2"} and s["urn:c1"] > s["urn:c2"]
    # the context row lets a reply be found by what it replies to
    d = again.search_detail(encode("meeting again soon"), ["urn:c2"])["urn:c2"]
    assert d[1] is not None and d[1] > d[0]
    assert again.top_k(q, 1)[0][0] == "urn:c1"
    # float16 on disk
    assert np.load(tmp_path / "vec" / "vectors.npy").dtype == np.float16


def test_re_adding_a_claim_replaces_its_rows():
    vi = VectorIndex(None)
    vi.add_texts([("urn:c1", "alpha", None), ("urn:c1", "beta", None)])
    vi.add_texts([("urn:c1", "gamma", None)])
    assert len(vi) == 1
    assert vi.search(encode("gamma"), ["urn:c1"])["urn:c1"] > 0.99


def test_ingest_fills_the_index_and_rebuild_matches(tmp_path):
    vi = VectorIndex(None)
    store = build_store(vectors=vi)
    claims = {str(r["c"]) for r in store.select("SELECT DISTINCT ?c WHERE { ?c a q:Claim }")}
    assert vi.claims() == claims
    assert any(k.endswith(CTX) for k in vi._ids)  # the replies have context rows
    fresh = VectorIndex(tmp_path / "v2", store)
    assert fresh.stale(store)
    assert fresh.rebuild(store) == len(claims)
    assert not fresh.stale(store)
    q = encode("steel tariffs")
    a, b = vi.search(q, claims), fresh.search(q, claims)
    assert all(abs(a[c] - b[c]) < 1e-3 for c in claims)


def test_ensure_fresh_adds_missing_claims():
    store = build_store(vectors=None)
    vi = VectorIndex(None)
    n = vi.ensure_fresh(store)
    assert n == vi.claim_count() > 0
    assert vi.ensure_fresh(store) == 0


def test_index_lives_in_the_store_directory(tmp_path, monkeypatch):
    store = OxigraphStore(tmp_path / "db", base_iri=BASE)
    assert vectors_dir(store) == tmp_path / "db" / "quoth-vectors"
    store.close()

    class Remote:  # a store without a local directory
        base_iri = BASE

    monkeypatch.setenv("QUOTH_VECTORS_DIR", str(tmp_path / "elsewhere"))
    assert vectors_dir(Remote()) == tmp_path / "elsewhere"
    monkeypatch.delenv("QUOTH_VECTORS_DIR")
    assert str(vectors_dir(Remote())) == "quoth-vectors"


def test_ensure_fresh_drops_claims_the_store_lost():
    store = build_store(vectors=None)
    vi = VectorIndex(None)
    vi.ensure_fresh(store)
    vi.add_texts([("urn:deleted-claim", "a claim whose article was deleted", None)])
    assert "urn:deleted-claim" in vi
    vi.ensure_fresh(store)
    assert "urn:deleted-claim" not in vi
    assert vi.claim_count() == len({str(r["c"]) for r in store.select("SELECT DISTINCT ?c WHERE { ?c a q:Claim }")})


# ------------------------------------------------------------------------------ passages
def test_passage_is_the_sentence_before_and_the_claims_own():
    text = ("Stadtwerke erhöhen Preise\nDer Stadtrat beriet am Dienstag über die Wasserpreise. "
            "Die Sprecherin sagte dazu: Eine Erhöhung sei unvermeidlich. Danach ging es um Parkplätze.")
    s = text.index("Eine Erhöhung")
    p = passage(text, s, s + len("Eine Erhöhung sei unvermeidlich"))
    assert p == ("Der Stadtrat beriet am Dienstag über die Wasserpreise. "
                 "Die Sprecherin sagte dazu: Eine Erhöhung sei unvermeidlich.")


def test_passage_of_a_headline_is_followed_by_the_next_sentence():
    text = "Sprecherin: Erhöhung unvermeidlich\nDer Stadtrat beriet am Dienstag über die Wasserpreise."
    p = passage(text, 11, 34)
    assert p == text.replace("\n", " ")


def test_passage_of_a_continuation_reaches_back_to_its_subject():
    text = ("Der Stadtrat beriet über die Wasserpreise. Die Sprecherin sagte: Eine Erhöhung sei nötig. "
            "Sie komme im Mai.")
    s2 = text.index("Sie komme")
    s1 = text.index("Eine Erhöhung")
    alone = passage(text, s2, s2 + 16)
    assert "Wasserpreise" not in alone
    cont = passage(text, s2, s2 + 16, continues=lambda a, b: a <= s1 < b)
    assert cont.startswith("Der Stadtrat beriet über die Wasserpreise.")


def test_sentences_split_at_line_breaks_and_sentence_ends():
    text = "Titel ohne Punkt\nErster Satz. «Zweiter Satz.» Dritter Satz"
    assert [text[a:b] for a, b in sentences(text)] == ["Titel ohne Punkt", "Erster Satz.", "«Zweiter Satz.»",
                                                       "Dritter Satz"]


def test_ingest_embeds_each_claim_with_its_passage():
    vi = VectorIndex(None)
    store = build_store(vectors=vi)
    found = passages(store, sorted(vi.claims()))
    tram = [t for t in found.values() if "Die ersten Arbeiten" in t]
    # the continuation's passage names the subject of the sentences it continues
    assert tram and "Straßenbahn" in tram[0]
    assert all(c + CTX in vi for c in found)


def test_passage_of_a_sub_heading_is_the_text_it_heads():
    text = ("Der Rat tagte bis spät in die Nacht.\n\nSprecherin: \"Mehr Busse\"\n"
            "Die Verkehrsbetriebe sollen ab Juni öfter fahren.")
    s = text.index("Mehr Busse")
    assert passage(text, s, s + 10) == 'Sprecherin: "Mehr Busse" Die Verkehrsbetriebe sollen ab Juni öfter fahren.'


def test_a_continuation_does_not_reach_into_the_paragraph_before():
    text = ("Die Sprecherin lobte den Plan für neue Radwege. Sie sagte: Das sei gut.\n\n"
            "Es fehle aber Geld, sagte sie.")
    s1, s2 = text.index("Das sei gut"), text.index("Es fehle")
    p = passage(text, s2, s2 + 18, continues=lambda a, b: a <= s1 < b)
    assert p == "Sie sagte: Das sei gut. Es fehle aber Geld, sagte sie."


def test_an_index_without_passages_is_marked_for_reindexing(tmp_path):
    import json

    from kb.ask import Asker
    from kb.vectors import CONTEXT_VERSION

    store = build_store(vectors=None)
    vi = VectorIndex(tmp_path / "v")
    vi.ensure_fresh(store)
    vi.save()
    meta = tmp_path / "v" / "meta.json"
    info = json.loads(meta.read_text())
    assert info["context"] == CONTEXT_VERSION
    info.pop("context")  # as an index saved before passages
    meta.write_text(json.dumps(info))
    old = VectorIndex(tmp_path / "v", store)
    assert old.context_version == 1
    asker = Asker(store, vectors=old, use_gazetteer=False)
    _ = asker.vectors
    assert "quoth reindex" in (asker.index_note or "")
    old.rebuild(store)
    assert VectorIndex(tmp_path / "v").context_version == CONTEXT_VERSION
