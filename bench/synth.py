"""Synthetic claim data for benchmarks: structured statements in the DESIGN.md §6 format.

    python bench/synth.py --claims 100000 --out /tmp/s100k.jsonl [--seed 0]

Each yielded dict is one statement line of ``quoth ingest --statements``::

    {"speaker": "...", "text": "...", "language": "de", "date_said": "2024-03-01",
     "source": {"url": "...", "title": "...", "date": "2024-03-02"}, "type": "Indirect"}

Shape of the data (all deterministic for a seed, streamed with constant memory):

* speakers: ``n_speakers`` (default 3,000) people and organisations drawn with a Zipf law
  (exponent ``ZIPF_S``): rank 1 says ~8 % of everything, the top 10 ~25 %, half the
  speakers have only a handful of statements. The top ranks are real politicians from
  the gazetteer (so the importer's gazetteer path is exercised), the rest invented names;
* languages de / en / fr / es (each speaker has a home language; 15 % of reports are in
  another one), texts are sentence-like, built from topic vocabularies (economy, climate,
  migration, health, defence, energy, education, foreign policy, technology, housing) and
  numbers, so claim identities (speaker + normalised text) are practically unique;
* sources: 3–8 statements per article, article date 0–3 days after each date said,
  articles in chronological order over ``years`` years (default 2019-01-01 … 2026-06-30);
* about ``REPEAT_RATE`` (2 %) of the statements repeat one reported in the last days by
  another article (same speaker, text, language and date said: one claim, two mentions);
  fewer at small sizes, where fewer articles fall within 3 days.

``n_claims`` counts statement lines (mentions); distinct claims are ~2 % fewer.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import json
import random
import sys
from collections import deque
from collections.abc import Iterator
from pathlib import Path

ZIPF_S = 0.9
REPEAT_RATE = 0.02
DEFAULT_SPEAKERS = 3000
START = dt.date(2019, 1, 1)
END = dt.date(2026, 6, 30)

LANGS = ["de", "en", "fr", "es"]
LANG_WEIGHTS = [0.45, 0.35, 0.1, 0.1]
TYPES = ["Direct", "Indirect", "Reported", "FreeIndirect", "IndirectFreeIndirect"]
TYPE_WEIGHTS = [0.5, 0.32, 0.12, 0.04, 0.02]

#: top-ranked speakers: (name, language) — real names the gazetteer knows
REAL = [
    ("Donald Trump", "en"), ("Olaf Scholz", "de"), ("Wladimir Putin", "de"), ("Emmanuel Macron", "fr"),
    ("Friedrich Merz", "de"), ("Joe Biden", "en"), ("Annalena Baerbock", "de"), ("Volodymyr Zelenskyy", "en"),
    ("António Guterres", "en"), ("Keir Starmer", "en"), ("Angela Merkel", "de"), ("Xi Jinping", "en"),
]

FIRST = {
    "de": ["Anna", "Lukas", "Katrin", "Jürgen", "Sabine", "Matthias", "Ulrike", "Thomas", "Petra", "Stefan",
           "Claudia", "Markus", "Heike", "Florian", "Monika", "Tobias", "Birgit", "Andreas", "Julia", "Wolfgang"],
    "en": ["James", "Emily", "Michael", "Sarah", "David", "Laura", "Robert", "Megan", "William", "Olivia",
           "Daniel", "Hannah", "Richard", "Grace", "Thomas", "Chloe", "George", "Alice", "Henry", "Rachel"],
    "fr": ["Camille", "Nicolas", "Élodie", "Julien", "Sophie", "Mathieu", "Céline", "Antoine", "Isabelle",
           "François", "Chloé", "Pierre", "Amélie", "Sébastien", "Claire", "Olivier"],
    "es": ["Lucía", "Javier", "Carmen", "Alejandro", "Marta", "Pablo", "Elena", "Sergio", "Isabel", "Diego",
           "Raquel", "Andrés", "Beatriz", "Álvaro", "Nuria", "Fernando"],
}
LAST = {
    "de": ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
           "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann",
           "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Werner", "Krause", "Lehmann", "Köhler"],
    "en": ["Smith", "Johnson", "Brown", "Taylor", "Wilson", "Davies", "Evans", "Thomas", "Roberts", "Walker",
           "Wright", "Thompson", "White", "Hughes", "Edwards", "Green", "Hall", "Wood", "Harris", "Clarke",
           "Jackson", "Turner", "Hill", "Moore", "Cooper", "Ward", "Morris"],
    "fr": ["Martin", "Bernard", "Dubois", "Durand", "Lefebvre", "Moreau", "Laurent", "Simon", "Michel",
           "Garnier", "Rousseau", "Fontaine", "Chevalier", "Girard", "Bonnet", "Lambert", "Faure", "Mercier"],
    "es": ["García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez", "Gómez",
           "Ruiz", "Hernández", "Jiménez", "Díaz", "Moreno", "Álvarez", "Romero", "Navarro", "Torres"],
}
ORGS = {
    "de": ["Bundesverband {x}", "Deutscher {x}bund", "Verband der {x}", "Institut für {x}forschung"],
    "en": ["{x} Council", "National {x} Association", "{x} Institute", "Alliance for {x}"],
    "fr": ["Fédération {x}", "Conseil national {x}", "Institut {x}"],
    "es": ["Asociación {x}", "Consejo {x}", "Federación {x}"],
}
ORG_X = {
    "de": ["Industrie", "Landwirte", "Arbeitgeber", "Mieter", "Ärzte", "Lehrer", "Energie", "Verkehr", "Klima"],
    "en": ["Industry", "Farmers", "Employers", "Tenants", "Medical", "Teachers", "Energy", "Transport", "Climate"],
    "fr": ["de l'industrie", "des agriculteurs", "des médecins", "des enseignants", "de l'énergie", "du climat"],
    "es": ["de la industria", "de agricultores", "de médicos", "de docentes", "de la energía", "del clima"],
}

# topic -> language -> (noun phrases, predicates). Predicates take {n} (a number) sometimes.
TOPICS: dict[str, dict[str, tuple[list[str], list[str]]]] = {
    "economy": {
        "de": (["die Wirtschaft", "der Mittelstand", "die Inflation", "der Haushalt", "die Schuldenbremse",
                "die Industrie", "der Export", "die Steuerreform"],
               ["wächst im nächsten Jahr um {n} Prozent", "braucht {n} Milliarden Euro an Investitionen",
                "wird bis {y} stabil bleiben", "darf nicht weiter belastet werden", "ist stärker als erwartet",
                "muss dringend reformiert werden"]),
        "en": (["the economy", "small businesses", "inflation", "the budget", "the deficit", "manufacturing",
                "exports", "the tax reform"],
               ["will grow by {n} percent next year", "needs {n} billion dollars of investment",
                "will remain stable until {y}", "cannot take any more burdens", "is stronger than expected",
                "must be reformed urgently"]),
        "fr": (["l'économie", "les PME", "l'inflation", "le budget", "la dette", "l'industrie", "la réforme fiscale"],
               ["progressera de {n} pour cent l'an prochain", "a besoin de {n} milliards d'euros",
                "restera stable jusqu'en {y}", "doit être réformée d'urgence", "résiste mieux que prévu"]),
        "es": (["la economía", "las pymes", "la inflación", "el presupuesto", "la deuda", "la industria"],
               ["crecerá un {n} por ciento el próximo año", "necesita {n} mil millones de euros",
                "se mantendrá estable hasta {y}", "debe reformarse con urgencia", "resiste mejor de lo previsto"]),
    },
    "climate": {
        "de": (["der Klimaschutz", "der Kohleausstieg", "die CO2-Steuer", "das Klimaziel", "der Emissionshandel"],
               ["muss bis {y} erreicht werden", "kostet jeden Haushalt {n} Euro im Jahr", "kommt zu spät",
                "ist mit uns nicht verhandelbar", "senkt die Emissionen um {n} Prozent"]),
        "en": (["climate action", "the coal phase-out", "the carbon tax", "the climate target", "emissions trading"],
               ["must be reached by {y}", "costs every household {n} dollars a year", "comes too late",
                "is not negotiable for us", "cuts emissions by {n} percent"]),
        "fr": (["la transition écologique", "la taxe carbone", "l'objectif climatique", "la sortie du charbon"],
               ["doit être atteint d'ici {y}", "coûte {n} euros par ménage", "arrive trop tard",
                "réduit les émissions de {n} pour cent"]),
        "es": (["la transición ecológica", "el impuesto al carbono", "el objetivo climático", "el fin del carbón"],
               ["debe cumplirse antes de {y}", "cuesta {n} euros por hogar", "llega demasiado tarde",
                "reduce las emisiones un {n} por ciento"]),
    },
    "migration": {
        "de": (["die Migration", "das Asylrecht", "die Grenzkontrolle", "die Integration", "die Fachkräfteeinwanderung"],
               ["muss europäisch geregelt werden", "betrifft {n} Tausend Menschen", "wird bis {y} neu geordnet",
                "ist eine Frage der Humanität", "funktioniert besser als ihr Ruf"]),
        "en": (["migration", "the asylum system", "border control", "integration", "skilled immigration"],
               ["must be handled at European level", "affects {n} thousand people", "will be overhauled by {y}",
                "is a question of humanity", "works better than its reputation"]),
        "fr": (["l'immigration", "le droit d'asile", "le contrôle des frontières", "l'intégration"],
               ["doit être réglée au niveau européen", "concerne {n} mille personnes", "sera réformé d'ici {y}"]),
        "es": (["la inmigración", "el derecho de asilo", "el control fronterizo", "la integración"],
               ["debe resolverse a nivel europeo", "afecta a {n} mil personas", "se reformará antes de {y}"]),
    },
    "health": {
        "de": (["das Gesundheitssystem", "die Pflege", "die Krankenhausreform", "der Beitragssatz", "die Impfpflicht"],
               ["steht vor dem Kollaps", "braucht {n} Tausend neue Stellen", "wird {y} umgesetzt",
                "steigt um {n} Prozentpunkte", "ist vom Tisch"]),
        "en": (["the health service", "care work", "the hospital reform", "the contribution rate", "the vaccine mandate"],
               ["is on the verge of collapse", "needs {n} thousand new staff", "will be implemented in {y}",
                "rises by {n} points", "is off the table"]),
        "fr": (["l'hôpital public", "la réforme de la santé", "la sécurité sociale", "les soignants"],
               ["est au bord de l'effondrement", "a besoin de {n} mille postes", "sera appliquée en {y}"]),
        "es": (["la sanidad pública", "la reforma sanitaria", "la seguridad social", "el personal sanitario"],
               ["está al borde del colapso", "necesita {n} mil puestos nuevos", "se aplicará en {y}"]),
    },
    "defence": {
        "de": (["die Bundeswehr", "die NATO", "das Sondervermögen", "die Wehrpflicht", "die Luftverteidigung"],
               ["braucht {n} Milliarden Euro mehr", "muss bis {y} einsatzbereit sein", "wird nicht zurückkehren",
                "ist so wichtig wie nie", "erhält {n} neue Systeme"]),
        "en": (["the armed forces", "NATO", "the defence fund", "conscription", "air defence"],
               ["needs {n} billion more", "must be ready by {y}", "will not come back", "matters more than ever",
                "gets {n} new systems"]),
        "fr": (["l'armée", "l'OTAN", "la loi de programmation militaire", "la défense aérienne"],
               ["a besoin de {n} milliards supplémentaires", "doit être prête d'ici {y}", "compte plus que jamais"]),
        "es": (["las fuerzas armadas", "la OTAN", "el gasto en defensa", "la defensa aérea"],
               ["necesita {n} mil millones más", "debe estar lista antes de {y}", "importa más que nunca"]),
    },
    "energy": {
        "de": (["der Strompreis", "die Gasversorgung", "die Windkraft", "das Heizungsgesetz", "die Atomkraft"],
               ["sinkt bis {y} deutlich", "ist für diesen Winter gesichert", "wächst um {n} Gigawatt",
                "wird grundlegend überarbeitet", "hat in Deutschland keine Zukunft"]),
        "en": (["electricity prices", "the gas supply", "wind power", "the heating law", "nuclear power"],
               ["will fall markedly by {y}", "is secure for this winter", "grows by {n} gigawatts",
                "will be fundamentally revised", "has no future here"]),
        "fr": (["le prix de l'électricité", "l'approvisionnement en gaz", "l'éolien", "le nucléaire"],
               ["baissera d'ici {y}", "est assuré pour cet hiver", "augmentera de {n} gigawatts"]),
        "es": (["el precio de la luz", "el suministro de gas", "la eólica", "la energía nuclear"],
               ["bajará antes de {y}", "está garantizado este invierno", "crecerá {n} gigavatios"]),
    },
    "education": {
        "de": (["die Schule", "der Digitalpakt", "das BAföG", "die Kita", "der Lehrermangel"],
               ["braucht {n} Tausend Lehrkräfte", "wird {y} verlängert", "steigt um {n} Euro im Monat",
                "ist das größte Problem im Land", "wird bis {y} behoben"]),
        "en": (["schools", "the digital schools plan", "student grants", "childcare", "the teacher shortage"],
               ["need {n} thousand teachers", "will be extended in {y}", "rise by {n} pounds a month",
                "is the country's biggest problem", "will be fixed by {y}"]),
        "fr": (["l'école", "le bac", "les bourses étudiantes", "la crèche"],
               ["a besoin de {n} mille enseignants", "sera réformé en {y}", "augmentent de {n} euros"]),
        "es": (["la escuela", "las becas", "la educación infantil", "la selectividad"],
               ["necesita {n} mil docentes", "se reformará en {y}", "suben {n} euros al mes"]),
    },
    "foreign": {
        "de": (["der Waffenstillstand", "das Gipfeltreffen", "die Sanktionen", "die Verhandlungen", "das Abkommen"],
               ["ist in greifbarer Nähe", "findet im Frühjahr {y} statt", "bleiben in Kraft", "sind gescheitert",
                "wird von {n} Staaten unterstützt"]),
        "en": (["the ceasefire", "the summit", "the sanctions", "the negotiations", "the agreement"],
               ["is within reach", "will take place in spring {y}", "will stay in place", "have failed",
                "is backed by {n} countries"]),
        "fr": (["le cessez-le-feu", "le sommet", "les sanctions", "les négociations", "l'accord"],
               ["est à portée de main", "aura lieu au printemps {y}", "restent en vigueur", "ont échoué"]),
        "es": (["el alto el fuego", "la cumbre", "las sanciones", "las negociaciones", "el acuerdo"],
               ["está al alcance", "se celebrará en primavera de {y}", "siguen vigentes", "han fracasado"]),
    },
    "technology": {
        "de": (["die Digitalisierung", "die künstliche Intelligenz", "der Glasfaserausbau", "die Cybersicherheit"],
               ["kommt viel zu langsam voran", "erreicht bis {y} jeden Haushalt", "braucht klare Regeln",
                "kostet {n} Milliarden Euro"]),
        "en": (["digitalisation", "artificial intelligence", "the fibre rollout", "cyber security"],
               ["is moving far too slowly", "will reach every home by {y}", "needs clear rules",
                "costs {n} billion"]),
        "fr": (["le numérique", "l'intelligence artificielle", "la fibre", "la cybersécurité"],
               ["avance trop lentement", "couvrira tout le pays d'ici {y}", "a besoin de règles claires"]),
        "es": (["la digitalización", "la inteligencia artificial", "la fibra óptica", "la ciberseguridad"],
               ["avanza demasiado despacio", "llegará a todos los hogares en {y}", "necesita reglas claras"]),
    },
    "housing": {
        "de": (["die Mietpreisbremse", "der Wohnungsbau", "die Grundsteuer", "der soziale Wohnungsbau"],
               ["wird bis {y} verlängert", "braucht {n} Tausend Wohnungen pro Jahr", "ist gescheitert",
                "entlastet Mieter um {n} Euro"]),
        "en": (["rent control", "house building", "property tax", "social housing"],
               ["will be extended to {y}", "needs {n} thousand homes a year", "has failed",
                "saves tenants {n} pounds"]),
        "fr": (["l'encadrement des loyers", "la construction de logements", "la taxe foncière"],
               ["sera prolongé jusqu'en {y}", "exige {n} mille logements par an", "a échoué"]),
        "es": (["el control de alquileres", "la construcción de vivienda", "el IBI"],
               ["se prorrogará hasta {y}", "exige {n} mil viviendas al año", "ha fracasado"]),
    },
}
TOPIC_NAMES = list(TOPICS)

FRAMES = {
    "de": ["{np} {pred}.", "Ich bin überzeugt: {np} {pred}.", "Wir sagen ganz klar, {np} {pred}.",
           "Fakt ist, {np} {pred}.", "{NP} {pred}, und das wissen alle.", "Niemand kann bestreiten, {np} {pred}."],
    "en": ["{NP} {pred}.", "I am convinced that {np} {pred}.", "Let me be clear: {np} {pred}.",
           "The fact is, {np} {pred}.", "{NP} {pred}, and everybody knows it.", "Nobody can deny that {np} {pred}."],
    "fr": ["{NP} {pred}.", "Je suis convaincu que {np} {pred}.", "Soyons clairs : {np} {pred}.",
           "Le fait est que {np} {pred}."],
    "es": ["{NP} {pred}.", "Estoy convencido de que {np} {pred}.", "Quiero ser claro: {np} {pred}.",
           "Lo cierto es que {np} {pred}."],
}
TAILS = {
    "de": ["", "", "", " Das habe ich in {c} mehrfach gesagt.", " Darüber reden wir am {d}. wieder.",
           " Das zeigt die Lage in {c}."],
    "en": ["", "", "", " I said so in {c} several times.", " We will discuss it again on the {d}th.",
           " Just look at {c}."],
    "fr": ["", "", " Je l'ai dit à {c}.", " Regardez la situation à {c}."],
    "es": ["", "", " Lo dije en {c}.", " Miren la situación en {c}."],
}
CITIES = ["Berlin", "Hamburg", "München", "Köln", "Leipzig", "Dresden", "Paris", "Lyon", "Madrid", "Sevilla",
          "London", "Manchester", "Brüssel", "Wien", "Zürich", "Warschau", "Rom", "Kiew", "Washington", "Genf"]
OUTLETS = {
    "de": ["zeitung.example.de", "tagesblatt.example.de", "rundschau.example.de", "nachrichten.example.at"],
    "en": ["herald.example.com", "dailynews.example.co.uk", "thepost.example.com", "observer.example.org"],
    "fr": ["lequotidien.example.fr", "lejournal.example.fr", "info.example.be"],
    "es": ["eldiario.example.es", "lanoticia.example.es", "elcronista.example.mx"],
}
TITLE = {
    "de": ["{Np}: {speaker} legt nach", "Streit um {np}", "{speaker} zu {np}", "Was {speaker} über {np} sagt"],
    "en": ["{Np}: {speaker} doubles down", "Row over {np}", "{speaker} on {np}", "What {speaker} says about {np}"],
    "fr": ["{Np} : {speaker} insiste", "Polémique sur {np}", "{speaker} sur {np}"],
    "es": ["{Np}: {speaker} insiste", "Polémica por {np}", "{speaker} sobre {np}"],
}


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


class Speakers:
    """The speaker population: names, home languages and a Zipf sampler over ranks."""

    def __init__(self, n: int, rng: random.Random, s: float = ZIPF_S):
        names: list[tuple[str, str]] = list(REAL[: min(len(REAL), n)])
        seen = {nm for nm, _ in names}
        while len(names) < n:
            lang = rng.choices(LANGS, LANG_WEIGHTS)[0]
            if rng.random() < 0.08:
                name = rng.choice(ORGS[lang]).format(x=rng.choice(ORG_X[lang]))
                if name in seen:
                    name = f"{name} {rng.choice(CITIES)}"
            else:
                name = f"{rng.choice(FIRST[lang])} {rng.choice(LAST[lang])}"
                if name in seen:  # a middle initial, then a double name keeps names unique
                    name = f"{rng.choice(FIRST[lang])} {chr(65 + rng.randrange(26))}. {rng.choice(LAST[lang])}"
                if name in seen:
                    name = f"{rng.choice(FIRST[lang])} {rng.choice(LAST[lang])}-{rng.choice(LAST[lang])}"
            if name in seen:
                continue
            seen.add(name)
            names.append((name, lang))
        self.names = names
        cum, total = [], 0.0
        for rank in range(1, n + 1):
            total += rank ** -s
            cum.append(total)
        self._cum = cum
        self._total = total
        # each speaker talks mostly about 2-3 topics
        self.topics = [rng.sample(TOPIC_NAMES, 3) for _ in range(n)]

    def draw(self, rng: random.Random) -> int:
        return min(bisect.bisect_left(self._cum, rng.random() * self._total), len(self._cum) - 1)

    def share(self, rank: int) -> float:
        """Expected share of statements for a 0-based rank."""
        prev = self._cum[rank - 1] if rank else 0.0
        return (self._cum[rank] - prev) / self._total


def _sentence(rng: random.Random, lang: str, topic: str) -> str:
    nps, preds = TOPICS[topic][lang]
    np_ = rng.choice(nps)
    pred = rng.choice(preds).format(n=rng.choice([rng.randint(2, 99), rng.randint(100, 999)]),
                                    y=rng.randint(2025, 2045))
    s = rng.choice(FRAMES[lang]).format(np=np_, NP=_cap(np_), pred=pred)
    s += rng.choice(TAILS[lang]).format(c=rng.choice(CITIES), d=rng.randint(1, 28))
    if rng.random() < 0.5:  # a second sentence on a neighbouring topic
        t2 = rng.choice(TOPIC_NAMES)
        nps2, preds2 = TOPICS[t2][lang]
        s += " " + rng.choice(FRAMES[lang]).format(
            np=rng.choice(nps2), NP=_cap(rng.choice(nps2)),
            pred=rng.choice(preds2).format(n=rng.randint(2, 999), y=rng.randint(2025, 2045)))
    return s


def generate(n_claims: int, seed: int = 0, n_speakers: int = DEFAULT_SPEAKERS,
             start: dt.date = START, end: dt.date = END) -> Iterator[dict]:
    """Yield ``n_claims`` statement dicts (DESIGN §6), deterministic for ``seed``, constant memory."""
    rng = random.Random(seed)
    speakers = Speakers(n_speakers, random.Random(f"speakers-{seed}"))
    days = (end - start).days
    n_articles_est = max(1, n_claims // 5)
    recent: deque[dict] = deque(maxlen=60)
    produced = 0
    art_no = 0
    while produced < n_claims:
        # articles in chronological order, with a little jitter
        pos = min(art_no / n_articles_est, 1.0)
        adate = start + dt.timedelta(days=min(days, max(3, int(pos * days) + rng.randint(-2, 2))))
        art_no += 1
        k = min(rng.randint(3, 8), n_claims - produced)
        main = speakers.draw(rng)
        a_lang = speakers.names[main][1] if rng.random() < 0.85 else rng.choices(LANGS, LANG_WEIGHTS)[0]
        outlet = rng.choice(OUTLETS[a_lang])
        topic = rng.choice(speakers.topics[main])
        nps = TOPICS[topic][a_lang][0]
        title = rng.choice(TITLE[a_lang]).format(Np=_cap(rng.choice(nps)), np=rng.choice(nps),
                                                speaker=speakers.names[main][0].split()[-1])
        source = {"url": f"https://{outlet}/{adate:%Y/%m/%d}/{topic}-{art_no:07d}-{rng.randrange(16**6):06x}",
                  "title": title, "date": adate.isoformat()}
        earliest = (adate - dt.timedelta(days=3)).isoformat()
        for i in range(k):
            old = None
            if recent and rng.random() < REPEAT_RATE:
                # a statement another outlet reported in the last days (dates said stay 0-3 days before)
                for _ in range(5):
                    cand = recent[-1 - rng.randrange(min(len(recent), 60))]
                    if cand["source"]["url"] != source["url"] and earliest <= cand["date_said"] <= source["date"]:
                        old = cand
                        break
            if old is not None:
                st = {"speaker": old["speaker"], "text": old["text"], "language": old["language"],
                      "date_said": old["date_said"], "source": source}
                if "type" in old:
                    st["type"] = old["type"]
            else:
                # the article's main speaker says about half; others the rest (quoted reactions)
                rank = main if (i == 0 or rng.random() < 0.45) else speakers.draw(rng)
                name, home = speakers.names[rank]
                lang = a_lang
                t = rng.choice(speakers.topics[rank]) if rng.random() < 0.7 else topic
                said = adate - dt.timedelta(days=rng.choices((0, 1, 2, 3), (0.55, 0.3, 0.1, 0.05))[0])
                st = {"speaker": name, "text": _sentence(rng, lang, t), "language": lang,
                      "date_said": said.isoformat(), "source": source}
                if rng.random() < 0.9:
                    st["type"] = rng.choices(TYPES, TYPE_WEIGHTS)[0]
                recent.append(st)
            produced += 1
            yield st


def write_jsonl(path: str | Path, n: int, seed: int = 0, n_speakers: int = DEFAULT_SPEAKERS) -> int:
    """Write ``n`` statements as JSON Lines to ``path``; returns the number written."""
    count = 0
    with open(path, "w", encoding="utf-8") as fh:
        for st in generate(n, seed, n_speakers):
            fh.write(json.dumps(st, ensure_ascii=False))
            fh.write("\n")
            count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--claims", type=int, default=100_000, help="statements to generate")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--speakers", type=int, default=DEFAULT_SPEAKERS)
    ap.add_argument("--out", default="-", help="output file (default: stdout)")
    a = ap.parse_args(argv)
    if a.out == "-":
        for st in generate(a.claims, a.seed, a.speakers):
            sys.stdout.write(json.dumps(st, ensure_ascii=False) + "\n")
    else:
        n = write_jsonl(a.out, a.claims, a.seed, a.speakers)
        print(f"{n} statements -> {a.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
