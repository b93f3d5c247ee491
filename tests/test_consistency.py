"""One claim record whatever the batches and the order (issue 18 items 1 and 2)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from conftest import BASE
from kb.digest import statement_lines, store_digest
from kb.ingest import Ingestor
from kb.model import Statement
from kb.queries import ClaimFilter, list_claims
from kb.store.oxigraph import OxigraphStore
from kb.validate_store import validate_store


def st(text: str, url: str, qtype: str = "Direct", said: str = "2025-05-10", speaker: str = "Erika Beispiel"
       ) -> Statement:
    return Statement(speaker=speaker, text=text, language="de", date_said=dt.date.fromisoformat(said),
                     source_url=url, source_title="Blatt", source_date=dt.date(2025, 5, 12), type=qtype)


# the same claim (same speaker, same words up to case and punctuation) in three sources, three types
SAME = [st("Die Brücke wird im Herbst fertig.", "https://example.org/a", "Indirect", "2025-05-11"),
        st("die Brücke wird im Herbst fertig", "https://example.org/b", "Direct", "2025-05-10"),
        st("Die Brücke wird im Herbst fertig!", "https://example.org/c", "Reported", "2025-05-12")]
OTHER = [st("Der Tunnel bleibt gesperrt.", "https://example.org/a"),
         st("Wir sprechen nächste Woche.", "https://example.org/d", "FreeIndirect")]


@pytest.fixture(scope="module")
def parts():
    from kb.ontology import closure
    from kb.validate import Validator

    return {"validator": Validator(), "closure": closure()}


def _fresh(tmp_path, name: str, parts) -> tuple[OxigraphStore, Ingestor]:
    store = OxigraphStore(tmp_path / name, base_iri=BASE)
    ing = Ingestor(store, **parts)
    ing.ensure_setup()
    return store, ing


def _ingest(tmp_path, name, parts, batches: list[list[Statement]], batch_size: int = 500) -> OxigraphStore:
    store, ing = _fresh(tmp_path, name, parts)
    for b in batches:
        s = ing.ingest_statements(b, batch_size=batch_size)
        assert s.rejected == 0, [r.errors for r in s.rejections]
    return store


def test_one_batch_with_disagreeing_types_validates_and_the_record_is_the_most_direct(tmp_path, parts):
    store = _ingest(tmp_path, "one", parts, [SAME + OTHER])
    bad = [r for r in validate_store(store, parts["validator"]) if not r["conforms"]]
    assert bad == [], bad[0]["text"] if bad else ""
    claims = {c["text"]: c for c in list_claims(store, ClaimFilter())["items"]}
    assert len(claims) == 3
    rec = next(c for t, c in claims.items() if "Brücke" in t)
    assert rec["type"] == "Direct" and rec["date_said"] == "2025-05-10"
    assert rec["text"] == "Die Brücke wird im Herbst fertig!"  # the least wording in code-point order
    # each mention keeps its own type
    rows = store.select("SELECT ?ty WHERE { GRAPH ?g { ?m q:mentionOf ?c ; q:quoteType ?ty } "
                        "GRAPH ?cg { ?c q:text ?t FILTER(CONTAINS(STR(?t), 'Brücke')) } }")
    assert sorted(str(r["ty"]).rsplit("#", 1)[-1] for r in rows) == ["Direct", "Indirect", "Reported"]
    store.close()


def _by_source(items: list[Statement]) -> list[list[Statement]]:
    """One list per source: a source's statements are one pseudo-article, given together."""
    out: dict[str, list[Statement]] = {}
    for x in items:
        out.setdefault(x.source_url, []).append(x)
    return list(out.values())


def test_batches_and_orders_give_the_same_store(tmp_path, parts):
    items = SAME + OTHER
    ref = _ingest(tmp_path, "ref", parts, [items])
    want = statement_lines(ref)
    ref.close()
    sources = _by_source(items)
    for n, order in enumerate(itertools.permutations(sources)):
        one_by_one = _ingest(tmp_path, f"p{n}", parts, list(order))
        assert statement_lines(one_by_one) == want, f"order {n}"
        one_by_one.close()
        in_one = _ingest(tmp_path, f"q{n}", parts, [[x for src in order for x in src]], batch_size=2)
        assert statement_lines(in_one) == want, f"order {n}, batches of 2"
        in_one.close()
    assert store_digest(_reopen(tmp_path / "ref")) == store_digest(_reopen(tmp_path / "p0"))


def test_reingesting_changes_nothing(tmp_path, parts):
    store, ing = _fresh(tmp_path, "again", parts)
    ing.ingest_statements(SAME + OTHER)
    before = statement_lines(store)
    for batch_size in (500, 1):
        ing.ingest_statements(list(reversed(SAME + OTHER)), batch_size=batch_size)
        assert statement_lines(store) == before
    store.close()


def _reopen(path):
    return OxigraphStore(path, base_iri=BASE)


@pytest.fixture(scope="module")
def extractor():
    from kb.extract import Extractor

    return Extractor()


def _article(aid: str, words: str, day: int) -> "Article":
    from kb.model import Article

    return Article(id=aid, text=f"«{words}», sagte Donald Trump am Freitag vor Journalisten.",
                   date=dt.date(2025, 6, day), language="de")


def test_reingesting_articles_keeps_each_mention_with_its_claim(tmp_path, parts, extractor):
    """B's wording is near A's (merged into A's claim); C's is nearer B's than A's, so C gets its
    own claim. Re-ingesting B must not move B to C's claim (it would if the merge looked again)."""
    a = "eins zwei drei vier fünf sechs sieben acht neun aal"        # the least wording: the record's
    b = "eins zwei drei vier fünf sechs sieben acht neun zebra"      # 9/11 of a's words
    c = "eins zwei drei vier fünf sechs sieben acht neun zebra zoo"  # 10/11 of b's, 9/12 of a's
    store = OxigraphStore(tmp_path / "art", base_iri=BASE)
    ing = Ingestor(store, extractor=extractor, **parts)
    ing.ensure_setup()
    arts = [_article("a", a, 6), _article("b", b, 6), _article("c", c, 6)]
    for art in arts:
        r = ing.ingest_article(art)
        assert r.stored and r.claims == 1, r.errors
    before = statement_lines(store)
    assert len(list_claims(store, ClaimFilter())["items"]) == 1  # a~b~c: one claim (kb.claim_links)
    for art in arts:
        ing.ingest_article(art)
    assert statement_lines(store) == before
    store.close()


def test_articles_in_any_order_give_the_same_store(tmp_path, parts, extractor):
    """The similar-claim merge depends on the set of articles, not on what was stored first:
    every order of three articles (two near-duplicates bridged by a third, and one apart)
    gives the same sorted N-Quads; ingesting them all again changes nothing."""
    a = "eins zwei drei vier fünf sechs sieben acht neun aal"
    c = "eins zwei drei vier fünf sechs sieben acht neun zebra zoo"  # 9/12 of a's words: not similar
    b = "eins zwei drei vier fünf sechs sieben acht neun zebra"      # similar to both: the bridge
    d = "ganz andere worte über den hafen und die bahn"
    arts = [_article("a", a, 6), _article("b", b, 7), _article("c", c, 8), _article("d", d, 8)]
    want = None
    for n, order in enumerate(itertools.permutations(range(4))):
        if n % 5:  # 5 of the 24 orders (each article first at least once), to keep the test short
            continue
        store = OxigraphStore(tmp_path / f"o{n}", base_iri=BASE)
        ing = Ingestor(store, extractor=extractor, **parts)
        ing.ensure_setup()
        for i in order:
            r = ing.ingest_article(arts[i])
            assert r.stored and r.claims == 1, r.errors
        lines = statement_lines(store)
        if want is None:
            want = lines
            assert len(list_claims(store, ClaimFilter())["items"]) == 2  # a~b~c, d
            bad = [r for r in validate_store(store, parts["validator"]) if not r["conforms"]]
            assert bad == [], bad[0]["text"] if bad else ""
        assert lines == want, f"order {order}"
        for art in arts:
            assert ing.ingest_article(art).unchanged
        assert statement_lines(store) == want
        store.close()


def test_when_the_direct_mention_goes_the_record_takes_the_remaining_type(tmp_path, parts):
    from kb.builder import source_id

    direct = st("Der Hafen wird erweitert.", "https://example.org/h1", "Direct", "2025-05-09")
    reported = st("Der Hafen wird erweitert.", "https://example.org/h2", "Reported", "2025-05-11")
    store, ing = _fresh(tmp_path, "del", parts)
    ing.ingest_statements([direct, reported])
    assert [c["type"] for c in list_claims(store, ClaimFilter())["items"]] == ["Direct"]
    assert ing.delete_article(source_id(direct))
    [rec] = list_claims(store, ClaimFilter())["items"]
    assert (rec["type"], rec["date_said"]) == ("Reported", "2025-05-11")
    only = _ingest(tmp_path, "only", parts, [[reported]])
    claims = [line for line in statement_lines(store) if "/graph/claims>" in line]
    assert claims == [line for line in statement_lines(only) if "/graph/claims>" in line]
    store.close()
    only.close()


def test_the_cli_stores_two_lines_of_one_claim_with_two_types_and_validate_passes(tmp_path):
    """The two-line case through the real CLI, with the side index it keeps (claim texts in
    SQLite FTS): one claim in two sources of one batch is one record, written once there too."""
    import json
    import subprocess
    import sys

    from kb.index import ClaimIndex

    lines = [{"speaker": "Erika Beispiel", "text": "Die Fähre fährt wieder.", "language": "de",
              "date_said": "2025-04-0%d" % n, "type": ty,
              "source": {"url": f"https://example.org/f{n}", "title": "Blatt", "date": "2025-04-09"}}
             for n, ty in ((1, "Indirect"), (2, "Direct"))]
    p = tmp_path / "two.jsonl"
    p.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
    store = tmp_path / "kb"
    cli = [sys.executable, "-m", "kb.cli", "--store", str(store)]
    run = subprocess.run([*cli, "ingest", "--quiet", "--no-vectors", "--statements", str(p)],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr
    ok = subprocess.run([*cli, "validate"], capture_output=True, text=True, timeout=600)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    s = OxigraphStore(store, read_only=True)
    [rec] = list_claims(s, ClaimFilter())["items"]
    assert (rec["type"], rec["date_said"]) == ("Direct", "2025-04-01")
    index = ClaimIndex.for_store(s)
    assert index is not None and index.is_fresh(s)
    s.close()
