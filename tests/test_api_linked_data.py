"""Linked data: IRIs dereference with content negotiation; dumps; HTML pages escape everything."""

from __future__ import annotations

import json

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import SKOS

from conftest_api import ARTICLES, first_claim, http, quoth_server  # noqa: F401

pytestmark = pytest.mark.server
Q = "https://w3id.org/quoth/ontology#"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"


def _path(iri: str) -> str:
    return "/" + iri.split("/", 3)[3]


@pytest.mark.parametrize("accept,fmt,ctype", [
    ("text/turtle", "turtle", "text/turtle"),
    ("application/n-triples", "nt", "application/n-triples"),
    ("application/ld+json", "json-ld", "application/ld+json"),
    ("application/rdf+xml", "xml", "application/rdf+xml"),
    ("*/*", "turtle", "text/turtle"),
    (None, "turtle", "text/turtle"),
    ("text/turtle;q=0.4, application/ld+json;q=0.9", "json-ld", "application/ld+json"),
])
def test_claim_iri_dereferences(http, accept, fmt, ctype):
    c = first_claim(http, speaker="angela-merkel")
    headers = {"Accept": accept} if accept else {}
    r = http.get(_path(c["claim"]), headers=headers)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith(ctype)
    assert "Accept" in r.headers["vary"]
    g = Graph().parse(data=r.content, format=fmt, publicID=c["claim"])
    me = URIRef(c["claim"])
    assert (me, URIRef(Q + "text"), None) in g
    assert (me, URIRef(Q + "speaker"), URIRef(c["speaker"]["iri"])) in g
    # labels of linked nodes, and the mentions that point at it
    assert (URIRef(c["speaker"]["iri"]), SKOS.prefLabel, None) in g
    assert (None, URIRef(Q + "mentionOf"), me) in g
    if fmt == "json-ld":
        doc = json.loads(r.content)
        assert "@context" in doc and doc["@context"]


def test_inferred_triples_are_included(http):
    c = first_claim(http, speaker="angela-merkel")
    g = Graph().parse(data=http.get(_path(c["claim"]), headers={"Accept": "text/turtle"}).content, format="turtle")
    types = set(g.objects(URIRef(c["claim"]), URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")))
    assert URIRef(Q + "Claim") in types
    assert len(types) >= 2, f"inferred classes (e.g. schema:Claim) expected, got {types}"


def test_every_kind_of_iri_dereferences(http):
    c = first_claim(http, speaker="angela-merkel")
    d = http.get(f"/claims/{c['id']}").json()
    article_iri = http.get(f"/articles/{ARTICLES[0]['id']}").json()["iri"]
    for iri in (d["sources"][0]["mention"], c["speaker"]["iri"], article_iri):
        r = http.get(_path(iri), headers={"Accept": "application/n-triples"})
        assert r.status_code == 200, iri
        g = Graph().parse(data=r.content, format="nt")
        assert (URIRef(iri), None, None) in g
        r = http.get(_path(iri), headers={"Accept": BROWSER})
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")


def test_unknown_iris_are_404(http):
    for path in ("/claim/ffffffffffffffff", "/speaker/nobody-at-all", "/article/nope", "/mention/0",
                 "/claim/%3Cbad%3E"):
        assert http.get(path, headers={"Accept": "text/turtle"}).status_code == 404, path
        r = http.get(path, headers={"Accept": BROWSER})
        assert r.status_code == 404 and "text/html" in r.headers["content-type"]


def test_format_parameter_and_406(http):
    c = first_claim(http)
    r = http.get(_path(c["claim"]), params={"format": "jsonld"})
    assert r.headers["content-type"].startswith("application/ld+json")
    assert http.get(_path(c["claim"]), headers={"Accept": "image/png"}).status_code == 406


def test_claim_page_html(http):
    items = http.get("/claims", params={"article": ARTICLES[0]["id"]}).json()["items"]
    c = items[0]
    r = http.get(_path(c["claim"]), headers={"Accept": BROWSER})
    assert r.status_code == 200
    html = r.text
    assert c["speaker"]["name"] in html and c["date_said"] in html
    assert "<mark>" in html, "the quoted span is highlighted in the article text"
    assert _path(c["speaker"]["iri"]) in html, "links onward to the speaker"
    assert "/article/" in html


def test_html_escapes_everything(http):
    c = first_claim(http, q="Markup")
    r = http.get(_path(c["claim"]), headers={"Accept": BROWSER})
    assert "<b>Markup</b>" not in r.text and "&lt;b&gt;Markup&lt;/b&gt;" in r.text
    assert "<script>alert(1)</script>" not in r.text
    r = http.get("/search", params={"q": "<script>alert(2)</script>"})
    assert r.status_code == 200 and "<script>alert(2)" not in r.text and "&lt;script&gt;alert(2)" in r.text


def test_speaker_and_article_pages(http):
    r = http.get("/speaker/olaf-scholz", headers={"Accept": BROWSER})
    assert r.status_code == 200 and "Olaf Scholz" in r.text and "Zeitenwende" in r.text
    a = http.get(f"/articles/{ARTICLES[0]['id']}").json()
    r = http.get(_path(a["iri"]), headers={"Accept": BROWSER})
    assert r.status_code == 200 and "<mark>" in r.text and "Gipfel in Alaska" in r.text


def test_home_search_and_sparql_pages(http):
    r = http.get("/", headers={"Accept": BROWSER})
    assert r.status_code == 200
    for needle in ('name="q"', 'action="/ask"', 'action="/search"', "/query", "Recent claims"):
        assert needle in r.text
    r = http.get("/search", params={"q": "Merkel"})
    assert "Angela Merkel" in r.text
    r = http.get("/query")
    assert r.status_code == 200 and "<textarea" in r.text and "/static/sparql.js" in r.text
    r = http.get("/ask", params={"q": "What did Merkel say?"}, headers={"Accept": BROWSER})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "What did Merkel say?" in r.text
    assert http.get("/static/sparql.js").status_code == 200
    assert http.get("/static/style.css").status_code == 200


@pytest.mark.parametrize("fmt,parse", [("ttl", "turtle"), ("nt", "nt"), ("nq", "nquads"), ("trig", "trig"),
                                       ("jsonld", "json-ld"), ("rdfxml", "xml")])
def test_export(http, fmt, parse):
    r = http.get("/export", params={"format": fmt})
    assert r.status_code == 200
    ds = Dataset()
    ds.parse(data=r.content, format=parse)
    n = sum(1 for _ in ds.quads((None, None, None, None)))
    assert n > 100
    if fmt in ("nq", "trig"):
        assert len({str(g.identifier) for g in ds.graphs()}) > 3
    assert "attachment" in r.headers["content-disposition"]


def test_export_by_extension_and_bad_format(http):
    r = http.get("/export.nt")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/n-triples")
    assert http.get("/export", params={"format": "docx"}).status_code == 400


def test_export_is_streamed(http, quoth_server):
    with http.stream("GET", "/export", params={"format": "nq"}) as r:
        assert r.status_code == 200
        assert "content-length" not in r.headers  # chunked: written while it is read
        size = sum(len(b) for b in r.iter_bytes())
    assert size > 10_000
