"""The HTML ask page (issue 15 item 5): the interpretation (speaker, topic, time), the message when
nothing matches or the speaker is unknown, links to speaker and article pages, and a page (not
JSON) for an empty question. Over the ask tests' own small store (tests/test_ask_support.py)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from kb.vectors import VectorIndex

from test_ask_support import build_store

HTML = {"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"}


@pytest.fixture(scope="module")
def client():
    from api.app import create_app

    vi = VectorIndex(None)
    store = build_store(vectors=vi)
    app = create_app(store, query_timeout=5.0, sparql_workers=1)
    app.state.quoth._vectors = vi  # the index the store was built with (in memory)
    with TestClient(app) as c:
        yield c


def _page(client, q: str):
    r = client.get("/ask", params={"q": q}, headers=HTML)
    assert r.headers["content-type"].startswith("text/html"), r.text[:200]
    return r


def _dd(html: str, label: str) -> str:
    m = re.search(rf"<dt>{label}</dt>\s*<dd[^>]*>(.*?)</dd>", html, re.S)
    assert m, html
    return m.group(1)


def test_the_interpretation_and_links(client):
    r = _page(client, "What did Trump say about a second meeting?")
    assert r.status_code == 200
    speaker = _dd(r.text, "Speaker")
    assert 'href="/speaker/donald-trump"' in speaker and "Donald Trump" in speaker
    assert "second meeting" in _dd(r.text, "Topic")
    assert "any" in _dd(r.text, "Time")
    answers = r.text.split('id="answers"', 1)[1]
    assert "bald wiedersehen" in answers
    assert 'href="/article/a1"' in answers and 'href="/speaker/donald-trump"' in answers


def test_the_time_of_the_question_is_shown(client):
    r = _page(client, "What did Trump say about steel tariffs in August 2025?")
    assert r.status_code == 200
    time = _dd(r.text, "Time")
    assert "2025-08-01" in time and "2025-08-31" in time


def test_unknown_speaker_says_so_and_suggests(client):
    r = _page(client, "What did Trumpp say about steel?")
    assert r.status_code == 200
    assert "not known" in _dd(r.text, "Speaker")
    msg = re.search(r'id="ask-message">(.*?)</p>', r.text, re.S).group(1)
    assert "Trumpp" in msg
    suggestions = re.search(r'class="suggestions">(.*?)</p>', r.text, re.S).group(1)
    assert '<a class="speaker" href="/speaker/donald-trump">Donald Trump</a>' in suggestions
    assert 'id="answers"' not in r.text


def test_nothing_matches_says_so(client):
    r = _page(client, "What did Trump say about knitting patterns for winter scarves?")
    assert r.status_code == 200
    assert 'id="answers"' not in r.text
    assert "closely enough" in re.search(r'id="ask-message">(.*?)</p>', r.text, re.S).group(1)


@pytest.mark.parametrize("path", ["/ask?q=", "/ask?q=%20%20", "/ask"])
def test_an_empty_question_gets_the_page(client, path):
    r = client.get(path, headers=HTML)
    assert r.headers["content-type"].startswith("text/html")
    assert '<form action="/ask"' in r.text and 'id="ask-error"' in r.text
    assert r.status_code in (400, 422)


def test_api_clients_still_get_json(client):
    r = client.get("/ask", params={"q": "What did Trump say about a second meeting?"})
    assert r.headers["content-type"].startswith("application/json")
    assert r.json()["interpretation"]["topic"] == "second meeting"
