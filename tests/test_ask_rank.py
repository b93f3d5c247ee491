"""kb/ask_rank.py: lexical evidence (claim text, passage at half weight) and reciprocal rank fusion."""

from kb.ask_rank import RRF_K, fuse, overlap, ranks, terms


def test_terms_drop_stopwords_and_short_words():
    assert terms("the asylum questionnaire plan", "en") == {"asylum", "questionnaire", "plan"}


def test_overlap_counts_passage_words_at_half_weight():
    t = terms("asylum questionnaire plan", "en")
    assert overlap(t, "Labour has a common-sense plan") == 1 / 3
    assert overlap(t, "Labour has a common-sense plan", "UK asylum process with a questionnaire") == 2 / 3
    assert overlap(t, "nothing of it", None) == 0.0
    assert overlap(set(), "anything") == 0.0


def test_ranks_share_ties():
    assert ranks({"a": 0.9, "b": 0.5, "c": 0.5, "d": 0.1}) == {"a": 1, "b": 2, "c": 2, "d": 4}
    assert ranks({"a": 0.0, "b": 0.3}, positive_only=True) == {"b": 1}


def test_fuse_is_rank_based_and_normalised():
    sem = {"a": 0.50, "b": 0.49, "c": 0.10}
    # without lexical evidence the semantic order stands, first place scores 1.0
    f = fuse(sem, {c: 0.0 for c in sem})
    assert f["a"] == 1.0 and f["a"] > f["b"] > f["c"]
    # a lexical first place lifts a claim that is second by embedding above the first
    f = fuse(sem, {"a": 0.0, "b": 1.0, "c": 0.0})
    assert f["b"] > f["a"] > f["c"]
    assert abs(f["b"] - (1 / (RRF_K + 2) + 1 / (RRF_K + 1)) / (2 / (RRF_K + 1))) < 1e-12
    # the scale of the scores does not matter, only their order
    assert fuse({c: 10 * s for c, s in sem.items()}, {"b": 5.0}) == fuse(sem, {"b": 0.1})
