"""Pages, their JSON/CSV twins, error pages, safe links and headers, and corrections (API and
kb/corrections.py) — in process, over an in-memory store filled by the real ingest.

The articles and statements are written for these tests."""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

BASE = "http://testserver/"
TOKEN = "pages-token-1"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
HTML = {"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"}

ARTICLES = [
    {"id": "hafen-2024-03-02", "date": "2024-03-02", "language": "de", "title": "Streit um den Hafen",
     "publisher": "Nordkurier Test", "url": "javascript:alert('a')",
     "text": ("Im Streit um den Hafenausbau hat sich Olaf Scholz zu Wort gemeldet. "
              "„Der Ausbau kommt, und zwar noch in diesem Jahr“, sagte Scholz am Freitag in Hamburg. "
              "Christian Lindner sagte, das Geld dafür sei im Haushalt vorgesehen.")},
    {"id": "bridge-2024-03-05", "date": "2024-03-05", "language": "en", "title": "Bridge reopens",
     "publisher": "Harbour Times", "url": "https://example.org/bridge",
     "text": ("The old bridge reopened on Tuesday. \"It is safe and it is open,\" said Joe Biden at the ceremony. "
              "Emmanuel Macron said that France would send engineers.")},
]
STATEMENTS = [
    {"speaker": "Angela Merkel", "text": "Wir schaffen das.", "language": "de", "date_said": "2015-08-31",
     "source": {"url": "javascript:alert(1)", "title": "Pressekonferenz", "date": "2015-08-31"},
     "speaker_iri": "javascript:alert(2)"},
]


@pytest.fixture(scope="module")
def client():
    from api.app import create_app
    from kb.ingest import Ingestor
    from kb.sources import article_from_json, statement_from_json
    from kb.store.oxigraph import OxigraphStore

    store = OxigraphStore(None, base_iri=BASE)
    ing = Ingestor(store)
    ing.ensure_setup()
    for i, a in enumerate(ARTICLES):
        assert ing.ingest_article(article_from_json(a, f"article {i}")).stored
    ing.ingest_statements([statement_from_json(s, f"statement {i}") for i, s in enumerate(STATEMENTS)])
    app = create_app(store, token=TOKEN, query_timeout=5.0, sparql_workers=1)
    with TestClient(app) as c:
        yield c


def _claims(client, **params) -> list[dict]:
    r = client.get("/claims", params=params)
    assert r.status_code == 200, r.text
    return r.json()["items"]


def _claim_with(client, article: str, needle: str) -> dict:
    hits = [c for c in _claims(client, article=article) if needle in c["text"]]
    assert hits
    return hits[0]


# ---------------------------------------------------------------------------------------------
# headers and links
def test_pages_send_csp_and_nosniff(client):
    r = client.get("/", headers=HTML)
    assert r.status_code == 200
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "object-src 'none'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    j = client.get("/claims")
    assert j.headers["x-content-type-options"] == "nosniff"
    assert "content-security-policy" not in j.headers


def test_only_http_links_reach_the_pages(client):
    a = client.get(f"/article/{ARTICLES[0]['id']}", headers=HTML).text
    merkel = _claims(client, q="schaffen")[0]
    c = client.get(f"/claim/{merkel['id']}", headers=HTML).text
    speakers = client.get("/speakers", headers=HTML).text
    merkel_page = client.get("/speaker/angela-merkel", headers=HTML).text  # speaker_iri -> owl:sameAs
    assert 'href="http://www.wikidata.org/entity/Q567"' in merkel_page
    assert client.get(f"/articles/{ARTICLES[0]['id']}").json()["url"].startswith("javascript:")  # stored as given
    assert client.get(f"/claims/{merkel['id']}").json()["sources"][0]["url"].startswith("javascript:")
    for page in (a, c, speakers, merkel_page, client.get("/search?q=schaffen", headers=HTML).text):
        assert not re.search(r"""href\s*=\s*["']?\s*javascript:""", page, re.I)
    bridge = client.get(f"/article/{ARTICLES[1]['id']}", headers=HTML).text
    assert 'href="https://example.org/bridge"' in bridge


def test_safe_url_and_local_href():
    from api.templating import local_href, safe_url

    assert safe_url("https://example.org/a?b=c") == "https://example.org/a?b=c"
    assert safe_url("HTTP://example.org") == "HTTP://example.org"
    for bad in ("javascript:alert(1)", " JavaScript:x", "data:text/html,x", "vbscript:x", "//evil.org",
                "http:/nohost", "https://ex.org/\nx", None, ""):
        assert safe_url(bad) is None, bad
    assert local_href("http://b/x/1", "http://b/") == "/x/1"
    assert local_href("javascript:alert(1)", "http://b/") == "#"


# ---------------------------------------------------------------------------------------------
# indexes, search, twins
def test_speaker_index_pages_and_links_its_json_twin(client):
    r = client.get("/speakers", params={"limit": 2}, headers=HTML)
    assert r.status_code == 200 and 'id="speaker-index"' in r.text
    assert 'rel="alternate"; type="application/json"' in r.headers["link"]
    twin = re.search(r'<(/speakers\.json[^>]*)>', r.headers["link"]).group(1)
    data = client.get(twin.replace("&amp;", "&")).json()
    assert len(data["items"]) == 2 and data["next_offset"] == 2
    assert 'rel="next"' in r.text and "offset=2" in r.text
    page2 = client.get("/speakers.json", params={"limit": 2, "offset": 2}).json()
    assert not {s["iri"] for s in page2["items"]} & {s["iri"] for s in data["items"]}
    # the JSON API is unchanged for API clients
    assert isinstance(client.get("/speakers", params={"q": "Scholz"}).json(), list)


def test_article_index_with_publisher_and_claim_counts(client):
    r = client.get("/articles", params={"publisher": "harbour"}, headers=HTML)
    assert r.status_code == 200 and "Bridge reopens" in r.text and "Streit um den Hafen" not in r.text
    data = client.get("/articles.json", params={"publisher": "harbour"}).json()
    assert [a["id"] for a in data["items"]] == [ARTICLES[1]["id"]]
    assert data["items"][0]["publisher"] == "Harbour Times" and data["items"][0]["claims"] >= 1
    api = client.get("/articles", params={"publisher": "nordkurier"}).json()
    assert [a["id"] for a in api["items"]] == [ARTICLES[0]["id"]]


def test_search_filters_and_paging(client):
    de = client.get("/claims.json", params={"language": "de"}).json()["items"]
    assert de and all(c["language"] == "de" for c in de)
    assert all(c["source"]["article"] for c in de)
    pub = client.get("/claims.json", params={"publisher": "harbour"}).json()["items"]
    assert pub and all(c["source"]["publisher"] == "Harbour Times" for c in pub)
    by_name = client.get("/claims.json", params={"speaker": "Scholz"}).json()["items"]
    assert by_name and all(c["speaker"]["name"] == "Olaf Scholz" for c in by_name)
    old = client.get("/claims.json", params={"until": "2016-01-01"}).json()["items"]
    assert [c["text"] for c in old] == ["Wir schaffen das."]
    direct = client.get("/claims.json", params={"type": "Direct", "since": "2024-01-01"}).json()["items"]
    assert direct and all(c["type"] == "Direct" and c["date_said"] >= "2024-01-01" for c in direct)
    # paging: one claim per page, every claim exactly once
    seen, cursor = [], None
    while True:
        page = client.get("/claims.json", params={"limit": 1, **({"cursor": cursor} if cursor else {})}).json()
        seen += [c["claim"] for c in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    everything = client.get("/claims.json", params={"limit": 500}).json()["items"]
    assert seen == [c["claim"] for c in everything] and len(seen) >= 4
    html = client.get("/search", params={"language": "en", "publisher": "harbour"}, headers=HTML)
    assert html.status_code == 200 and "Bridge reopens" in html.text
    assert '/claims.json?language=en&amp;publisher=harbour' in html.text
    assert '/claims.csv?language=en&amp;publisher=harbour' in html.text


def test_claims_csv_export(client):
    r = client.get("/claims.csv", params={"article": ARTICLES[1]["id"]})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.text)))
    from api.views import CSV_COLUMNS

    assert tuple(rows[0]) == CSV_COLUMNS
    api = _claims(client, article=ARTICLES[1]["id"])
    assert sorted(r[1] for r in rows[1:]) == sorted(c["claim"] for c in api)
    assert all(r[8] == ARTICLES[1]["id"] for r in rows[1:])


def test_speaker_page_timeline_and_role_rows(client):
    r = client.get("/speaker/olaf-scholz", headers=HTML)
    assert r.status_code == 200
    assert '<svg xmlns="http://www.w3.org/2000/svg" id="timeline-chart"' in r.text
    assert 'class="claims-bar"' in r.text
    assert '/claims.csv?speaker=olaf-scholz' in r.text
    assert 'rel="alternate"; type="application/json"' in r.headers["link"]


def test_role_terms_one_row_per_term():
    from kb.browse import role_terms

    roles = [{"role": "Finanzminister", "language": "de", "start": "2021-12-08", "end": "2024-11-07"},
             {"role": "Minister of Finance", "language": "en", "start": "2021-12-08", "end": "2024-11-07"},
             {"role": "finance minister", "language": "en", "start": "2021-12-08", "end": "2024-11-07"},
             {"role": "Finance Minister", "language": "en", "start": "2021-12-08", "end": "2024-11-07"},
             {"role": "Parteichef", "language": "de", "start": "2013-12-07", "end": None}]
    rows = role_terms(roles)
    assert [(r["start"], r["end"]) for r in rows] == [("2013-12-07", None), ("2021-12-08", "2024-11-07")]
    assert rows[1]["role"] == "Finance Minister"  # English, the most frequent wording
    assert rows[1]["variants"] == ["Finanzminister", "Minister of Finance"]


def test_timeline_svg_escapes_labels():
    import datetime as dt

    from api.svg_timeline import timeline_svg

    svg = timeline_svg([(dt.date(2020, 5, 1), 3)], [{"role": "<script>x</script> & co", "start": "2019-01-01",
                                                      "end": None}], today=dt.date(2021, 1, 1))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "&amp; co" in svg
    assert timeline_svg([], []) == ""


def test_article_page_says_who_said_each_span(client):
    r = client.get(f"/article/{ARTICLES[1]['id']}", headers=HTML)
    assert r.status_code == 200
    assert re.search(r'<mark>[^<]*safe and it is open[^<]*</mark><sup class="who">Joe Biden', r.text), r.text


# ---------------------------------------------------------------------------------------------
# errors
@pytest.mark.parametrize("path, status", [("/no/such/page", 404), ("/speakers/nobody-here", 404),
                                          ("/speaker/nobody-here", 404), ("/ask?q=", 400),
                                          ("/search?since=yesterday", 400), ("/claims?limit=0", 422)])
def test_errors_are_html_pages_for_a_browser(client, path, status):
    r = client.get(path, headers=HTML)
    assert r.status_code == status
    assert r.headers["content-type"].startswith("text/html")
    assert "<main" in r.text and "{" not in r.text.split("<main", 1)[1].split("</main>")[0][:200]


def test_errors_stay_json_for_api_clients(client):
    r = client.get("/speakers/nobody-here")
    assert r.status_code == 404 and r.json()["detail"] == "no speaker 'nobody-here'"
    assert client.get("/ask", params={"q": ""}).status_code == 422
    assert client.get("/no/such/page").json() == {"detail": "Not Found"}


# ---------------------------------------------------------------------------------------------
# corrections
def _mention(client, claim: dict) -> str:
    return client.get(f"/claims/{claim['id']}").json()["sources"][0]["mention"]


def test_corrections_need_the_token(client):
    c = _claim_with(client, ARTICLES[0]["id"], "Ausbau")
    body = {"mention": _mention(client, c), "action": "confirm", "by": "Ana"}
    assert client.post("/corrections", json=body).status_code == 401
    assert client.post("/corrections", json=body, headers={"Authorization": "Bearer nope"}).status_code == 403
    r = client.post("/corrections/form", data={"token": "nope", **body, "claim": c["id"]}, headers=HTML)
    assert r.status_code == 403 and "wrong token" in r.text
    assert client.get(f"/claims/{c['id']}").json()["corrections"] == []


@pytest.mark.parametrize("body, status, words", [
    ({"action": "type", "type": None}, 422, "type must be one of"),
    ({"action": "span", "start": 10, "end": 5}, 422, "span"),
    ({"action": "span", "start": 0, "end": 10 ** 6}, 422, "article's length"),
    ({"action": "reattribute", "speaker": "no-such-person"}, 422, "no speaker"),
    ({"action": "confirm", "speaker": "olaf-scholz"}, 422, "only given with action 'reattribute'"),
    ({"action": "confirm", "by": ""}, 422, ""),
])
def test_bad_corrections_are_refused_and_nothing_is_stored(client, body, status, words):
    c = _claim_with(client, ARTICLES[1]["id"], "safe")
    before = client.get(f"/claims/{c['id']}").json()["corrections"]
    r = client.post("/corrections", json={"mention": _mention(client, c), "by": "Ana", **body}, headers=AUTH)
    assert r.status_code == status, r.text
    assert words in r.text
    assert client.get(f"/claims/{c['id']}").json()["corrections"] == before


def test_unknown_statement_is_404(client):
    r = client.post("/corrections", json={"mention": "http://testserver/mention/0000", "action": "reject",
                                          "by": "Ana"}, headers=AUTH)
    assert r.status_code == 404


def test_each_correction_shows_everywhere_and_survives_reingest(client):
    from kb.ingest import Ingestor
    from kb.sources import article_from_json

    store = client.app.state.quoth.store
    scholz = _claim_with(client, ARTICLES[0]["id"], "Ausbau")
    lindner = _claim_with(client, ARTICLES[0]["id"], "Geld")
    biden = _claim_with(client, ARTICLES[1]["id"], "safe")
    made = {}
    for claim, body in ((scholz, {"action": "confirm"}),
                        (lindner, {"action": "reattribute", "speaker": "olaf-scholz", "note": "a misreading"}),
                        (biden, {"action": "type", "type": "Indirect"})):
        r = client.post("/corrections", json={"mention": _mention(client, claim), "by": "Ana Editor", **body},
                        headers=AUTH)
        assert r.status_code == 201, r.text
        made[claim["id"]] = r.json()
    assert made[lindner["id"]]["speaker"]["name"] == "Olaf Scholz"
    assert made[biden["id"]]["type"] == "Indirect"

    def check() -> None:
        d = client.get(f"/claims/{lindner['id']}").json()
        assert d["correction"] == "reattributed to Olaf Scholz"
        assert d["sources"][0]["correction"]["by"] == "Ana Editor"
        assert d["corrections"][0]["note"] == "a misreading"
        listed = {c["id"]: c for c in _claims(client, article=ARTICLES[0]["id"])}
        assert listed[scholz["id"]]["correction"] == "confirmed"
        assert listed[lindner["id"]]["correction"] == "reattributed to Olaf Scholz"
        page = client.get(f"/claim/{lindner['id']}", headers=HTML).text
        assert "reattributed to Olaf Scholz" in page and "Ana Editor" in page
        art = client.get(f"/article/{ARTICLES[0]['id']}", headers=HTML).text
        assert "Olaf Scholz · reattribute" in art
        sp = client.get("/speaker/olaf-scholz", headers=HTML).text
        assert 'id="attributed"' in sp
        rows = list(csv.reader(io.StringIO(client.get("/claims.csv", params={"article": ARTICLES[1]["id"]}).text)))
        assert any(r[1] == biden["claim"] and r[-1] == "type fixed to Indirect" for r in rows[1:])

    check()
    # re-ingesting the article (re-extraction) does not undo a correction
    ing = Ingestor(store)
    for a in ARTICLES:
        ing.ingest_article(article_from_json(a, "again"))
    client.app.state.quoth.changed()
    check()


def test_sparql_tells_extracted_from_corrected(client):
    c = _claim_with(client, ARTICLES[1]["id"], "engineers")
    m = _mention(client, c)
    r = client.post("/corrections", json={"mention": m, "action": "reject", "by": "Ben", "note": "not said"},
                    headers=AUTH)
    assert r.status_code == 201
    q = ("SELECT ?m ?state WHERE { ?m a q:Mention . "
         "OPTIONAL { ?k a q:Correction ; q:corrects ?m ; q:correctionKind ?state } } ")
    rows = client.get("/sparql", params={"query": q}, headers={"Accept": "application/sparql-results+json"}).json()
    states = {b["m"]["value"]: b.get("state", {}).get("value") for b in rows["results"]["bindings"]}
    assert states[m] == "https://w3id.org/quoth/ontology#Rejected"
    assert any(v is None for v in states.values())  # the rest are as extracted
    ask = ("ASK { ?k prov:invalidated ?m . ?m prov:wasGeneratedBy ?act . "
           "?s a q:CorrectedStatement ; prov:wasRevisionOf ?m2 ; prov:wasGeneratedBy ?k2 . "
           "?k2 prov:wasAssociatedWith ?who ; prov:endedAtTime ?t }")
    r = client.get("/sparql", params={"query": ask}, headers={"Accept": "application/sparql-results+json"})
    assert r.json()["boolean"] is True
    nq = client.get("/export", params={"format": "nq"}).text
    assert f"<{BASE}graph/corrections>" in nq and "Rejected" in nq


def test_a_correction_failing_the_shapes_is_not_stored(client):
    from kb import corrections

    store = client.app.state.quoth.store
    c = _claim_with(client, ARTICLES[1]["id"], "safe")
    m = _mention(client, c)

    class Strict:
        def validate(self, g):
            from kb.validate import Validator
            from kb.vocab import Q

            g2 = type(g)()
            for t in g:
                if t[1] != Q.correctionKind:  # drop the kind: the shapes must say so
                    g2.add(t)
            return Validator().validate(g2)

    n = len(store.graph(str(corrections.corrections_graph(BASE))))
    with pytest.raises(corrections.ShapeError) as e:
        corrections.correct(store, corrections.CorrectionRequest(mention=m, action="confirm", editor="X"),
                            validator=Strict())
    assert "CorrectionKind" in str(e.value) or "correctionKind" in str(e.value)
    assert len(store.graph(str(corrections.corrections_graph(BASE)))) == n


def test_quoth_validate_checks_the_corrections_graph(client):
    from kb.validate_store import validate_store

    c = _claim_with(client, ARTICLES[0]["id"], "Ausbau")
    r = client.post("/corrections", json={"mention": _mention(client, c), "action": "confirm", "by": "Cleo"},
                    headers=AUTH)
    assert r.status_code == 201
    store = client.app.state.quoth.store
    results = validate_store(store)
    corr = [r for r in results if r["article"] == "(corrections)"]
    assert corr and corr[0]["conforms"], corr
    assert all(r["conforms"] for r in results), [r["text"] for r in results if not r["conforms"]]


def test_span_fix_and_unnamed_speaker(client):
    c = _claim_with(client, ARTICLES[1]["id"], "safe")
    src = client.get(f"/claims/{c['id']}").json()["sources"][0]
    text = ARTICLES[1]["text"]
    start = text.index("It is safe")
    end = start + len("It is safe")
    r = client.post("/corrections", json={"mention": src["mention"], "action": "span", "start": start, "end": end,
                                          "by": "Dora"}, headers=AUTH)
    assert r.status_code == 201, r.text
    assert r.json()["span"] == {"start": start, "end": end, "text": "It is safe"}
    art = client.get(f"/articles/{ARTICLES[1]['id']}").json()
    span = next(s for s in art["spans"] if s["mention"] == src["mention"])
    assert (span["start"], span["end"]) == (start, end)
    r = client.post("/corrections", json={"mention": src["mention"], "action": "reattribute", "by": "Dora"},
                    headers=AUTH)
    assert r.status_code == 201 and r.json()["speaker"] is None
    d = client.get(f"/claims/{c['id']}").json()
    assert d["correction"] == "reattributed to an unnamed speaker"
    assert [k["action"] for k in d["corrections"]][:2] == ["reattribute", "span"]  # newest first
    html = client.get(f"/article/{ARTICLES[1]['id']}", headers=HTML).text
    assert "unnamed · reattribute" in html
    ttl = client.get(urlsplit(r.json()["statement"]).path, headers={"Accept": "text/turtle"})
    assert ttl.status_code == 200 and "unnamedSpeaker" in ttl.text and "wasRevisionOf" in ttl.text
    record = client.get(urlsplit(r.json()["correction"]).path, headers={"Accept": "text/turtle"})
    assert record.status_code == 200 and "invalidated" in record.text


def test_in_force_finds_a_statement_again_by_article_and_span():
    from kb.corrections import in_force

    cs = [{"mention": "m-new-by-other", "article": "a1", "start": 5, "end": 9, "at": "2"},
          {"mention": "m-old", "article": "a1", "start": 10, "end": 20, "at": "1"}]
    assert in_force(cs, "m-old")["at"] == "1"
    # re-extraction minted another IRI for the statement at 10-20: found by article and span
    assert in_force(cs, "m-reminted", "a1", 10, 20)["mention"] == "m-old"
    assert in_force(cs, "m-reminted", "a2", 10, 20) is None
    assert in_force(cs, "m-reminted") is None
