"""Helpers for the ask tests: a small store built from our own short texts (not /work/shared).

The store is built with the real Ingestor (graph building, claim identity, atomic writes and
the vector index hook) but with a stub extractor, a pass-through validator and no OWL
materialisation, so the tests stay fast and independent of the extractor in progress.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rdflib import Graph

from kb.ingest import Ingestor
from kb.model import Article, Quote, SpeakerRef
from kb.store.oxigraph import OxigraphStore

BASE = "http://quoth.test/"


@dataclass
class _Report:
    conforms: bool = True
    text: str = ""

    def to_json(self):
        return {}


class PassValidator:
    def validate_many(self, graphs):
        return [_Report() for _ in graphs]


class StubExtractor:
    """Returns the quotes registered for each article id."""

    def __init__(self):
        self.quotes: dict[str, list[Quote]] = {}

    def extract(self, article):
        return self.quotes.get(article.id, [])


class FastIngestor(Ingestor):
    def materialize(self, graph):
        return Graph()


def person(name: str, key: str) -> SpeakerRef:
    return SpeakerRef(name=name, key=key)


#: (article id, date, language, text, [(quote text, speaker name, key, type, hedged, responds_to index)])
ARTICLES = [
    ("a1", "2025-08-16", "de",
     "Trump dankte Putin und sagte, dass sie sich «bald wiedersehen» würden. "
     "Putin antwortete: «Nächstes Mal in Moskau.» "
     "Trump sagte: «Ich könnte mir vorstellen, dass das passiert.» "
     "Putin sagte, die Sicherheit der Ukraine müsse gewährleistet sein. "
     "Trump sagte, die Zölle auf Stahl würden steigen.",
     [("sie sich «bald wiedersehen» würden", "Donald Trump", "donald-trump", "Indirect", False, None),
      ("Nächstes Mal in Moskau.", "Wladimir Putin", "vladimir-putin", "Direct", False, 0),
      ("Ich könnte mir vorstellen, dass das passiert.", "Donald Trump", "donald-trump", "Direct", True, 1),
      ("die Sicherheit der Ukraine müsse gewährleistet sein", "Wladimir Putin", "vladimir-putin", "Indirect", False, None),
      ("die Zölle auf Stahl würden steigen", "Donald Trump", "donald-trump", "Indirect", False, None)]),
    ("a2", "2025-08-17", "de",
     "Der US-Präsident sagte, dass sie sich «bald wiedersehen» würden. Der Kremlchef schwieg.",
     [("sie sich «bald wiedersehen» würden", "Donald Trump", "donald-trump", "Indirect", False, None)]),
    ("b1", "2025-08-20", "en",
     "Merkel said the weather in Berlin was lovely this summer. "
     "Trump said the new tariffs on steel will protect American jobs.",
     [("the weather in Berlin was lovely this summer", "Angela Merkel", "angela-merkel", "Indirect", False, None),
      ("the new tariffs on steel will protect American jobs", "Donald Trump", "donald-trump", "Indirect", False, None)]),
    ("c1", "2023-02-22", "en",
     "Home Secretary Jane Placeholder said: \"We must fix the broken asylum system now.\"",
     [("We must fix the broken asylum system now.", "Jane Placeholder", "jane-placeholder", "Direct", False, None)]),
    # the subject is only in the framing sentence: the claims' own words never name it
    ("d1", "2025-03-03", "de",
     "Straßenbahn für Neustadt\n"
     "Bürgermeisterin Erika Beispiel hat am Montag den Ausbau der Straßenbahn vorgestellt. "
     "Zur Finanzierung sagte sie: Die Stadt habe dafür genug Geld zurückgelegt. "
     "Die ersten Arbeiten sollten im Frühjahr beginnen. "
     "Außerdem lobte sie die neue Bibliothek als großen Gewinn für die Kinder.",
     [("Die Stadt habe dafür genug Geld zurückgelegt", "Erika Beispiel", "erika-beispiel", "Indirect", False, None),
      ("Die ersten Arbeiten sollten im Frühjahr beginnen", "Erika Beispiel", "erika-beispiel", "Indirect", False, None),
      ("die neue Bibliothek als großen Gewinn für die Kinder", "Erika Beispiel", "erika-beispiel", "Indirect", False, None)]),
]


def build_store(vectors=None) -> OxigraphStore:
    store = OxigraphStore(None, base_iri=BASE)
    ext = StubExtractor()
    for aid, date, lang, text, quotes in ARTICLES:
        out = []
        for qtext, name, key, qtype, hedged, reply in quotes:
            start = text.index(qtext)
            out.append(Quote(article_id=aid, type=qtype, text=qtext, spans=[(start, start + len(qtext))],
                             language=lang, date_said=dt.date.fromisoformat(date),
                             speaker=person(name, key), confidence=0.9, hedged=hedged, responds_to=reply))
        ext.quotes[aid] = out
    if vectors is not None and vectors.store is None:  # as VectorIndex.for_store(store) gives it
        vectors.store = store
    ing = FastIngestor(store, extractor=ext, validator=PassValidator(), closure=object(), vectors=vectors)
    for aid, date, lang, text, _ in ARTICLES:
        r = ing.ingest_article(Article(id=aid, text=text, date=dt.date.fromisoformat(date), language=lang))
        assert r.stored, r.errors
    # speaker names and roles as the gazetteer graph would give them
    store.update(
        "INSERT DATA { GRAPH <" + BASE + "graph/speakers> {"
        f" <{BASE}speaker/donald-trump> a <https://w3id.org/quoth/ontology#Person> ;"
        "   <http://www.w3.org/2004/02/skos/core#prefLabel> \"Donald Trump\" ;"
        f"   <https://w3id.org/quoth/ontology#holdsRole> <{BASE}speaker/donald-trump/role/1> ."
        f" <{BASE}speaker/donald-trump/role/1> <https://w3id.org/quoth/ontology#roleLabel> \"US-Präsident\"@de ;"
        "   <https://w3id.org/quoth/ontology#roleStart> \"2025-01-20\"^^<http://www.w3.org/2001/XMLSchema#date> ."
        f" <{BASE}speaker/vladimir-putin> a <https://w3id.org/quoth/ontology#Person> ;"
        "   <http://www.w3.org/2004/02/skos/core#prefLabel> \"Vladimir Putin\" ;"
        "   <http://www.w3.org/2004/02/skos/core#altLabel> \"Wladimir Putin\"@de ;"
        f"   <https://w3id.org/quoth/ontology#holdsRole> <{BASE}speaker/vladimir-putin/role/1> ."
        f" <{BASE}speaker/vladimir-putin/role/1> <https://w3id.org/quoth/ontology#roleLabel> \"Russian President\"@en ;"
        "   <https://w3id.org/quoth/ontology#roleStart> \"2012-05-07\"^^<http://www.w3.org/2001/XMLSchema#date> ."
        f" <{BASE}speaker/jane-placeholder> <https://w3id.org/quoth/ontology#holdsRole> <{BASE}speaker/jane-placeholder/role/1> ."
        f" <{BASE}speaker/jane-placeholder/role/1> <https://w3id.org/quoth/ontology#roleLabel> \"Home Secretary\"@en ."
        "} }")
    return store
