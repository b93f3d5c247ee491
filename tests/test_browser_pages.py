"""The web pages in headless Chromium (DevTools protocol, tests/cdp.py) over a real `quoth serve`.

* Every page renders, with no request to another host and no console or CSP error.
* A correction made through the claim page's form is shown on the claim and article pages, and
  still shown after the article is ingested again.

Screenshots go to $QUOTH_SCREENSHOTS when it is set (to look at the pages).
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import httpx
import pytest

from cdp import Browser
from conftest_api import ARTICLES, TOKEN, running_server

pytestmark = [pytest.mark.server, pytest.mark.slow]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A server of its own (the corrections below write to its store)."""
    with running_server(tmp_path_factory.mktemp("quoth-browser")) as srv:
        yield srv.url


@pytest.fixture(scope="module")
def browser():
    with Browser() as b:
        yield b


def _shot(page, name: str) -> None:
    out = os.environ.get("QUOTH_SCREENSHOTS")
    if out:
        Path(out).mkdir(parents=True, exist_ok=True)
        page.screenshot(Path(out) / f"{name}.png")


def _claim(url: str, article: str, contains: str) -> dict:
    items = httpx.get(f"{url}/claims", params={"article": article}).json()["items"]
    hits = [c for c in items if contains in c["text"]]
    assert hits, items
    return hits[0]


ERROR_PAGES = ("ask-empty", "unknown-page", "unknown-speaker")


def _pages(url: str) -> dict[str, tuple[str, str]]:
    """name -> (path, an element id the page must have)."""
    c = _claim(url, ARTICLES[0]["id"], "wiedersehen")
    return {
        "home": ("/", "recent"),
        "search": ("/search?q=Ukraine&language=de", "search-filters"),
        "search-empty": ("/search?speaker=donald-trump&since=2030-01-01", "results"),
        "speakers": ("/speakers", "speaker-index"),
        "articles": ("/articles", "article-index"),
        "speaker": ("/speaker/donald-trump", "timeline"),
        "article": (f"/article/{quote(ARTICLES[0]['id'], safe='')}", "article-text"),
        "claim": (urlsplit(c["claim"]).path, "correction-form"),
        "sparql": ("/query", "main"),
        "ask-empty": ("/ask?q=", "main"),
        "unknown-page": ("/no/such/page", "error"),
        "unknown-speaker": ("/speakers/nobody-at-all", "error"),
        "api-docs": ("/docs", "css:#swagger-ui .opblock"),
        "api-redoc": ("/redoc", "css:.api-content h2"),
    }


def test_every_page_renders_without_another_host(server, browser):
    page = browser.page()
    host = urlsplit(server).netloc
    for name, (path, element) in _pages(server).items():
        page.goto(server + path, settle=2.0 if name.startswith("api-") else 0.5)
        find = (f"document.querySelector({element[4:]!r})" if element.startswith("css:")
                else f"document.getElementById({element!r})")
        assert page.eval(f"!!{find}"), f"{name}: no {element}"
        others = [u for u in page.requests if urlsplit(u).scheme in ("http", "https", "ws", "wss")
                  and urlsplit(u).netloc != host]
        errors = [m for m in page.console if m.startswith(("error", "exception"))]
        if name == "api-redoc":  # ReDoc's bundle always shows a footer logo from its CDN: CSP blocks it
            assert set(others) <= set(page.blocked), (others, page.blocked)
            others = []
            errors = [m for m in errors if "Content Security Policy" not in m or "cdn.redoc.ly" not in m]
        assert not others, f"{name} asked another host: {others}"
        if name in ERROR_PAGES:  # the page itself is a 4xx, which chromium logs
            errors = [m for m in errors if "Failed to load resource: the server responded with a status of 4" not in m]
        assert not errors, f"{name}: {page.console}"
        twin = page.eval("(document.querySelector('link[rel=alternate][type=\"application/json\"]') || {}).href")
        if name not in ERROR_PAGES and not name.startswith("api-"):
            assert twin, f"{name}: no JSON twin"
            assert page.eval("!!document.querySelector('a[rel=alternate][type=\"application/json\"]')"), name
        _shot(page, name)


def test_speaker_timeline_is_server_rendered_svg(server, browser):
    page = browser.page()
    page.goto(server + "/speaker/donald-trump")
    assert page.eval("document.querySelectorAll('#timeline svg rect.claims-bar').length") >= 1
    assert page.eval("document.querySelectorAll('script').length") == 0


def test_correction_through_the_page_survives_reingest(server, browser):
    c = _claim(server, ARTICLES[0]["id"], "wiedersehen")
    claim_path = urlsplit(c["claim"]).path
    page = browser.page()
    page.goto(server + claim_path)
    page.submit("#correction-form", {"action": "reattribute", "speaker": "friedrich-merz",
                                     "by": "Browser Test", "note": "checked against the video",
                                     "token": TOKEN})
    assert page.eval("location.pathname") == claim_path
    shown = page.eval("document.getElementById('correction-history').innerText")
    assert "Browser Test" in shown and "reattribute" in shown and "Friedrich Merz" in shown
    assert "reattributed to Friedrich Merz" in page.eval("document.getElementById('claim-correction').innerText")
    _shot(page, "claim-corrected")

    r = httpx.post(f"{server}/articles", json=ARTICLES[0], headers={"Authorization": f"Bearer {TOKEN}"}, timeout=120)
    assert r.status_code == 200, r.text

    page.goto(server + claim_path)
    shown = page.eval("document.getElementById('correction-history').innerText")
    assert "Browser Test" in shown and "Friedrich Merz" in shown
    page.goto(server + f"/article/{quote(ARTICLES[0]['id'], safe='')}")
    text = page.eval("document.getElementById('article-text').innerText")
    assert "Friedrich Merz · reattribute" in text
    _shot(page, "article-corrected")


def test_wrong_token_in_the_form_is_an_html_error_and_stores_nothing(server, browser):
    c = _claim(server, ARTICLES[1]["id"], "meet again")
    page = browser.page()
    page.goto(server + urlsplit(c["claim"]).path)
    page.submit("#correction-form", {"action": "reject", "by": "Someone", "token": "not-the-token"})
    assert page.eval("document.getElementById('error').innerText")
    assert "wrong token" in page.eval("document.body.innerText")
    again = httpx.get(f"{server}/claims/{c['id']}").json()
    assert again["corrections"] == []


def test_sparql_page_links_only_http_iris(server, browser):
    st = {"speaker": "Ada Example", "text": "Ein Satz für den Test.", "language": "de", "date_said": "2024-01-02",
          "source": {"title": "Test", "date": "2024-01-02"}, "speaker_iri": "javascript:alert(3)"}
    r = httpx.post(f"{server}/statements", json=[st], headers={"Authorization": f"Bearer {TOKEN}"}, timeout=120)
    assert r.status_code == 200, r.text
    q = "SELECT ?o WHERE { ?s owl:sameAs ?o } ORDER BY ?o"
    page = browser.page()
    page.goto(f"{server}/query?{urlencode({'query': q, 'run': '1'})}", settle=1.5)
    for _ in range(50):
        if page.eval("document.querySelector('[data-done=\"true\"]') !== null"):
            break
        time.sleep(0.1)
    cells = page.eval("[...document.querySelectorAll('#result-table td')].map(td => td.innerText)")
    assert "javascript:alert(3)" in cells
    hrefs = page.eval("[...document.querySelectorAll('#result-table a')].map(a => a.getAttribute('href'))")
    assert hrefs and not [h for h in hrefs if not h.startswith(("/", "http://", "https://"))], hrefs
