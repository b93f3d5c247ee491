"""Article or statements -> extract -> graph -> validate (SHACL) -> store, atomic per article.

One :class:`Ingestor` per process: it loads the extractor, the shapes and the ontology
closure once. Each article becomes one named graph plus the claim records it touches,
validated with pyshacl *before* anything is written, and written in one SPARQL Update,
so an article is stored whole or not at all. Re-ingesting the same input changes nothing.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import os
from collections import defaultdict
from collections.abc import Callable, Iterable
from contextlib import contextmanager, nullcontext
from typing import Any
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from .builder import GraphBuilder, Prepared, content_digest, record_triples, source_id, validation_triples
from .claim_links import MERGE_SIMILARITY, MERGE_WINDOW_DAYS  # noqa: F401 - the merge's figures, re-exported
from .claim_merge import StoredClaim, fold, type_rank
from .graph import ClaimRecord, Iris, Triples, normalize_text
from .model import Article, ArticleResult, InputError, Quote, Statement
from .shared_facts import drop_orphans, drop_told, migrate, named_speakers
from .store import Store
from .store.sparql_text import delete_subjects, insert_data, iri
from .vocab import Q

log = logging.getLogger(__name__)

#: reopen the embedded store after about this many statements written in transactions (~35 quads each)
RECYCLE_EVERY_MENTIONS = 10_000
#: articles per validation task sent to a worker process (kb.validate_pool)
VALIDATION_CHUNK = 500
#: bulk writes (Ingestor(bulk=True)) only from this many triples: each bulk write adds a set of
#: files to the database, worth it for an import batch, not for one small article
BULK_MIN_TRIPLES = 5_000


@contextmanager
def _quiet_gc():
    """Fewer cyclic-GC passes during a bulk import.

    The import allocates millions of short-lived, acyclic objects (terms, triples, quads);
    with the input statements alive, every full collection walks all of them. Objects
    alive now are frozen out of collection, and collections are rarer, until the import
    ends (then everything is as before).
    """
    old = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(old[0], 50_000), max(old[1], 20), max(old[2], 20))
    try:
        yield
    finally:
        gc.set_threshold(*old)
        gc.unfreeze()


def default_workers() -> int:
    """Validation processes for a large statements import: one per core, at most 3, none on
    a single core. On 2 cores, 2 workers beat 1 (bench/README.md, 100k statements, same
    conditions: 1,006-1,047/s against 919) and match 3 (paired runs: 1,445 and 1,461/s
    against 1,151 and 1,467) with 161 MB less memory."""
    cores = os.cpu_count() or 1
    return 0 if cores < 2 else min(cores, 3)


@dataclass
class Summary:
    """Counts for the end-of-run summary."""

    articles: int = 0
    claims: int = 0
    mentions: int = 0
    rejected: int = 0
    results: list[ArticleResult] = field(default_factory=list)
    new_claims: int = 0
    known_mentions: int = 0
    merged: int = 0
    unchanged: int = 0

    def add(self, r: ArticleResult) -> None:
        self.results.append(r)
        if r.stored:
            self.articles += 1
            self.claims += r.claims
            self.mentions += r.mentions
            self.new_claims += r.new_claims
            self.known_mentions += r.known_mentions
            self.merged += r.merged
            self.unchanged += r.unchanged
        else:
            self.rejected += 1

    @property
    def rejections(self) -> list[ArticleResult]:
        return [r for r in self.results if not r.stored]


class Ingestor:
    """Turns articles and statements into validated named graphs in a store."""

    def __init__(self, store: Store, extractor=None, validator=None, closure=None, vectors=None, index=None,
                 bulk: bool = False):
        self.store = store
        #: write new articles with the store's bulk path (for a process that holds the store
        #: alone, like the CLI; still atomic per batch, see OxigraphStore.insert)
        self.bulk = bulk
        self.index = index  # kb.index.ClaimIndex beside an embedded store, or None
        self._written = 0  # statements written in transactions since the store was last reopened
        self.iris = Iris(store.base_iri)
        self._extractor = extractor
        self._validator = validator
        #: builds each article's graphs and claim records (shared with kb.validate_pool)
        self.builder = GraphBuilder(store.base_iri, closure=closure, load_gazetteer=self._load_gazetteer,
                                    materialize=self.materialize)
        self.vectors = vectors

    # -- lazily loaded collaborators (each is costly to load; load once) -------------
    @property
    def extractor(self):
        if self._extractor is None:
            from .extract import Extractor

            self._extractor = Extractor(gazetteer=self.gazetteer)
        return self._extractor

    @property
    def gazetteer(self):
        """The speakers gazetteer, loaded once and shared with the extractor (statements need no extractor)."""
        return self.builder.gazetteer

    def _load_gazetteer(self):
        if getattr(self._extractor, "gazetteer", None) is not None:  # a test's extractor may have none
            return self._extractor.gazetteer
        from .extract.speakers import Gazetteer

        return Gazetteer.load_default()

    @property
    def closure(self):
        """The ontology's entailed hierarchy (see :attr:`GraphBuilder.closure`)."""
        return self.builder.closure

    def materialize(self, graph: Graph) -> Graph:
        """The triples the ontology entails from ``graph``."""
        return self.builder.entail(graph)

    @property
    def validator(self):
        if self._validator is None:
            from .validate import Validator

            self._validator = Validator()
        return self._validator

    # -- set-up ---------------------------------------------------------------------
    def ensure_setup(self) -> None:
        """Load the ontology and the gazetteer into their graphs if their versions changed."""
        from .setup import ensure_ontology, ensure_speakers

        from .base_iri import record

        record(self.store, self.iris)  # the base IRI belongs to the store from its first ingest
        ensure_ontology(self.store, self.iris)
        ensure_speakers(self.store, self.iris, self.gazetteer, self.materialize)
        migrate(self.store, self.iris, self.materialize)  # a store written before "each fact once"
        drop_told(self.store, self.iris)  # stated by the gazetteer's graph now: stored once
        self.builder.gazetteer_in_store = True

    # -- articles ---------------------------------------------------------------------
    def ingest_articles(self, items: Iterable[Article | InputError],
                        progress: Callable[[ArticleResult], None] | None = None) -> Summary:
        """Ingest each article on its own (a rejected one does not stop the others)."""
        summary = Summary()
        for item in items:
            if isinstance(item, InputError):
                r = ArticleResult(article_id="?", errors=[str(item)])
            else:
                r = self.ingest_article(item)
            summary.add(r)
            if progress:
                progress(r)
        return summary

    def extract(self, article: Article) -> list[Quote]:
        """Run the extractor, setting the language if the input did not give one."""
        _set_language(article)
        return self.extractor.extract(article)

    def extracted(self, article: Article) -> list[Quote] | InputError:
        """The article's statements, or why it cannot be read (no store access: a server
        runs this outside its write lock, then :meth:`ingest_article` with the result)."""
        return extract_quotes(self.extractor, article)

    def ingest_article(self, article: Article, quotes: list[Quote] | InputError | None = None) -> ArticleResult:
        """Extract (unless ``quotes`` are given by :meth:`extracted`), build, validate and store
        one article; never raises for bad content."""
        if quotes is None:
            quotes = self.extracted(article)
        if isinstance(quotes, InputError):
            return ArticleResult(article.id, errors=[str(quotes)])
        from .claim_links import ClaimLinker

        links = ClaimLinker(self.store, self.iris).assign(article, quotes)
        by_quote = {id(q): c for q, c in zip(quotes, links.claims)}
        prepared = self.builder.prepare(article, quotes, "extract",
                                        choose=lambda exact, speaker, key, quote: by_quote[id(quote)])
        prepared.absorbed = links.absorbed
        # the stamp of what the article states, whatever claims it joins in the store
        digest = content_digest(self.builder.prepare(article, quotes, "extract"))
        return self.write([prepared], digests=[digest])[0]

    # -- structured statements ----------------------------------------------------------
    def ingest_statements(self, items: Iterable[Statement | InputError], batch_size: int = 500,
                          progress: Callable[[int], None] | None = None, workers: int = 0) -> Summary:
        """Import structured statements, grouped into one pseudo-article per source.

        Articles are validated and written in batches of up to ``batch_size`` articles (one
        atomic write per batch); a batch whose union fails validation is split so that only
        the failing articles are rejected. ``workers`` > 0 validates in that many processes,
        ahead of this one, which writes (:mod:`kb.validate_pool`); worth it from a few
        batches on, on 2+ cores.
        """
        summary = Summary()
        groups: dict[str, list[Statement]] = defaultdict(list)
        for item in items:
            if isinstance(item, InputError):
                summary.add(ArticleResult("?", errors=[str(item)]))
                continue
            groups[source_id(item)].append(item)
        pending = list(groups.items())
        batch_size = max(1, batch_size)
        # process-wide GC settings: only where this process is an import alone (bulk: the CLI)
        with _quiet_gc() if self.bulk else nullcontext():
            if workers > 0 and len(pending) > min(batch_size, VALIDATION_CHUNK):
                self._ingest_pipelined(pending, batch_size, workers, summary, progress)
            else:
                for i in range(0, len(pending), batch_size):
                    self._write_batch(self.builder.prepare_statements(pending[i:i + batch_size]), summary, progress)
        return summary

    def _ingest_pipelined(self, groups: list[tuple[str, list[Statement]]], batch_size: int, workers: int,
                          summary: Summary, progress) -> None:
        """Validate in worker processes, in chunks queued ahead of the writer (the workers
        never wait for it), and write in batches that grow from one chunk to ``batch_size``
        articles: the first write waits for little validation, and later, larger writes cost
        the store less merging (RocksDB compaction of bulk-loaded files).

        The workers also build each article's graphs as N-Quads (:meth:`payload`): this
        process, whose writes bound the import, builds only the claim records."""
        from .validate_pool import ValidationPool

        chunk = min(batch_size, VALIDATION_CHUNK)
        n_chunks = -(-len(groups) // chunk)
        # chunks in flight ahead of the writer: enough that the workers never wait, few
        # enough that the finished ones (their N-Quads) do not pile up in memory
        ahead = 2 * workers + -(-batch_size // chunk)
        with ValidationPool(workers, self.store.base_iri) as pool:
            futures: dict[int, Any] = {}  # chunk number -> its validation
            submitted, pos, size = 0, 0, chunk
            while pos < len(groups):
                batch = groups[pos:pos + size]
                first = pos // chunk
                mine = range(first, first + -(-len(batch) // chunk))
                while submitted < min(mine[-1] + 1 + ahead, n_chunks):
                    futures[submitted] = pool.submit(groups[submitted * chunk:(submitted + 1) * chunk])
                    submitted += 1
                taken = [futures.pop(i) for i in mine]
                try:
                    results = [f.result() for f in taken]
                except Exception as e:  # noqa: BLE001 - a worker died (out of memory) or failed
                    log.warning("validation worker failed (%s); validating this batch here", e)
                    reports = digests = None
                    prepared = self.builder.prepare_statements(batch)
                else:
                    reports = [r for rs, _, _ in results for r in rs]
                    digests = [d for _, ds, _ in results for d in ds]
                    payloads = [x for _, _, ps in results for x in ps]
                    prepared = self.builder.prepare_statements(batch, graph=False)
                    for p, payload in zip(prepared, payloads, strict=True):
                        p.payload = payload
                self._write_batch(prepared, summary, progress, reports, digests)
                pos += len(batch)
                size = min(2 * size, max(chunk, batch_size - batch_size % chunk))

    def _write_batch(self, batch: list[Prepared], summary: Summary, progress,
                     reports: list | None = None, digests: list[str] | None = None) -> None:
        for r in self.write(batch, reports, digests):
            summary.add(r)
        if self._written >= RECYCLE_EVERY_MENTIONS:
            self.store.recycle()  # the embedded store's memory grows until it is reopened
            self._written = 0
        if progress:
            progress(sum(p.mentions for p in batch))

    # -- validating and writing ------------------------------------------------------------
    def write(self, batch: list[Prepared], reports: list | None = None,
              digests: list[str] | None = None) -> list[ArticleResult]:
        """Validate each article (with the claim records it touches) and store those that conform.

        All conforming articles of the batch are written in ONE SPARQL Update: each is whole
        or absent, never half-written. ``reports`` and ``digests`` (:func:`content_digest`)
        are given when they were computed elsewhere (:mod:`kb.validate_pool`).
        """
        if not batch:
            return []
        if digests is None:  # of what each article states, before merging with the store
            digests = [content_digest(p) for p in batch]
        known = self._merge_existing(batch)
        for p in batch:  # the records are final now: their triples are built once, here
            p.record_triples = record_triples(p)
        unchanged = self._unchanged(batch, known, digests)
        if reports is None:
            reports = self.validator.validate_many([[*p.graph, *p.record_triples, *p.told] for p in batch])
        results: list[ArticleResult] = []
        ok: list[Prepared] = []
        # claims stored (under their IRI, or one that absorbs them), or new earlier in this batch
        seen: set[URIRef] = set(known.records) | {new for p in batch for new in p.absorbed.values()}
        for p, rep in zip(batch, reports):
            r = ArticleResult(p.article.id, claims=len(p.claims), mentions=p.mentions)
            if rep.conforms:
                if p.article.id not in unchanged:  # identical to what is stored: nothing to write
                    ok.append(p)
                    _count_news(r, p, seen)
                else:
                    r.unchanged = True
                r.stored = True
            else:
                r.errors = [_where(p.article) + rep.text]
                r.report = rep.to_json()
            results.append(r)
        if ok:
            self._commit(ok, known)
        return results

    def _unchanged(self, batch: list[Prepared], known: "Known", digests: list[str]) -> set[str]:
        """Stamp each article graph with its content digest and return the ids of articles
        whose stored stamp is the same: re-ingesting them is a no-op."""
        stored: dict[str, str] = {}
        if known.graphs:
            values = " ".join(iri(g) for g in known.graphs)
            for row in self.store.select(f"SELECT ?g ?h WHERE {{ VALUES ?g {{ {values} }} "
                                         f"GRAPH ?g {{ ?g q:sourceHash ?h }} }}"):
                stored[str(row["g"])] = str(row["h"])
        same = set()
        for p, digest in zip(batch, digests):
            if p.payload is None:  # a worker's payload is stamped already
                self.builder.stamp(p, digest)
            if stored.get(str(self.iris.article_graph(p.article.id))) == digest:
                same.add(p.article.id)
        return same

    def _commit(self, batch: list[Prepared], known: "Known") -> None:
        """Store the batch, then bring the side stores (claim index, embeddings) in step.

        Articles that only add (new article, claims with no stored record: the usual bulk
        import) go in one insert-only write; with bulk writes on, so do new articles that
        mention claims already stored (their records are replaced in the same write). The
        others (re-ingested articles) go in one SPARQL Update that also replaces and removes.
        Each write is atomic, so every article is stored whole or not at all; each bumps the
        index generation.
        """
        def new_article(p: Prepared) -> bool:
            return (str(self.iris.article_graph(p.article.id)) not in known.graphs and not p.previous_claims
                    and not p.absorbed)

        fresh, rest = [], []
        for p in batch:
            (fresh if new_article(p) and not (known.records & p.claims.keys()) else rest).append(p)
        replace: set[URIRef] = set()
        if self.bulk and rest:
            additive = [p for p in rest if new_article(p)]
            if sum(p.size for p in fresh + additive) * 2 >= BULK_MIN_TRIPLES:
                replace = {c for p in additive for c in p.claims} & known.records
                fresh += additive
                rest = [p for p in rest if not new_article(p)]
        if fresh:
            self._write(fresh, known, insert_only=True, replace=replace)
        if rest:
            self._write(rest, known, insert_only=False)

    def _write(self, batch: list[Prepared], known: "Known", insert_only: bool,
               replace: set[URIRef] | None = None) -> None:
        from .index import generation_triple, generation_update, store_generation

        removed, redated = _orphans(batch, known.other_dates)
        absorbed = {old: new for p in batch for old, new in p.absorbed.items()}
        removed -= absorbed.keys()
        redated = {c: d for c, d in redated.items() if c not in absorbed}
        gen = store_generation(self.store)
        # one record per claim: articles of one batch mentioning the same claim share its folded record
        records = list({rec.iri: rec for p in batch for rec in p.claims.values()}.values())
        if insert_only:
            inserts = self._inserts(batch)
            inserts.append((str(self.iris.claims_graph), [generation_triple(self.store, gen + 1)]))
            n = sum(t.count(b"\n") if isinstance(t, bytes) else len(t) for _, t in inserts)
            bulk = self.bulk and n >= BULK_MIN_TRIPLES
            claims_g = self.iris.claims_graph
            self.store.insert(inserts, bulk=bulk, replace=[(str(claims_g), replace or set()),
                                                           (str(Iris.inferred(claims_g)), replace or set())])
            if not bulk:  # bulk loads do not grow the embedded store's memory; transactions do
                self._written += sum(p.mentions for p in batch)
        else:
            self._written += sum(p.mentions for p in batch)
            retyped = {c: min(known.other_types[c], key=type_rank) for c in redated}
            # speakers only the replaced or deleted versions named lose their facts (kb.shared_facts)
            named = named_speakers(self.store, self.iris,
                                   (g for p in batch if (g := str(self.iris.article_graph(p.article.id))) in known.graphs))
            self.store.update(" ;\n".join([self._update_text(batch, removed, redated, retyped, absorbed),
                                            *drop_orphans(self.iris, named), generation_update(self.store, gen + 1)]))
        if self.index is not None:  # a failed or skipped index update leaves it stale, never wrong
            import sqlite3

            articles = [(str(self.iris.article(p.article.id)), p.article.id, p.article.date, p.article.publisher)
                        for p in batch if not p.deleted]
            gone = [str(self.iris.article(p.article.id)) for p in batch if p.deleted]
            try:
                self.index.after_write(gen, gen + 1, upserted=records, removed=removed | absorbed.keys(),
                                       redated=redated, articles=articles, removed_articles=gone)
            except sqlite3.Error as e:  # the store write stands; the index is rebuilt when next opened
                log.warning("claim index not updated (%s): it is stale and will be rebuilt", e)
        if self.vectors is not None:
            self.vectors.add_claims(records)
            if removed or absorbed:
                self.vectors.remove(str(c) for c in removed | absorbed.keys())

    def _inserts(self, batch: list[Prepared]) -> list[tuple[str, Any]]:
        """What the batch adds: each article graph, the claim records, and what they entail."""
        claims_g = self.iris.claims_graph
        inserts: list[tuple[str, Any]] = []
        for p in batch:
            inserts += p.payload if p.payload is not None else self.builder.article_graphs(p)
        records = [t for p in batch for t in p.record_triples]  # kb.store.nquads drops repeats
        inserts += [(str(claims_g), records), (str(Iris.inferred(claims_g)), self.materialize(records))]
        return inserts

    def _merge_existing(self, batch: list[Prepared]) -> "Known":
        """Fold in what the store already knows about the batch's claims.

        Sets each article's ``previous_claims`` (what its stored version mentioned), makes each
        record's date the earliest among all its mentions and keeps the wording first seen in
        another article. Returns what the store already holds (see :class:`Known`).
        """
        own_graphs = {str(self.iris.article_graph(p.article.id)): p for p in batch}
        values_g = " ".join(iri(g) for g in own_graphs)
        known = Known()
        # "?a a ?t FILTER(?t = q:Article)", not "?a a q:Article": Oxigraph 0.5 joins VALUES with
        # a constant-class pattern by scanning the class per row (1.6 s CPU for 2,000 graphs
        # in a 100k-claim store, against 12 ms; bench/README.md)
        for row in self.store.select(
                f"SELECT DISTINCT ?g WHERE {{ VALUES ?g {{ {values_g} }} GRAPH ?g {{ ?a a ?t }} "
                "FILTER(?t = q:Article) }"):
            known.graphs.add(str(row["g"]))
        if known.graphs:
            for row in self.store.select(
                    f"SELECT ?g ?c WHERE {{ VALUES ?g {{ {values_g} }} GRAPH ?g {{ ?m q:mentionOf ?c }} }}"):
                own_graphs[str(row["g"])].previous_claims.add(row["c"])
        absorbed = {old: new for p in batch for old, new in p.absorbed.items()}
        touched = ({c for p in batch for c in p.claims} | {c for p in batch for c in p.previous_claims}
                   | absorbed.keys())
        other_dates = known.other_dates
        if not touched:
            return known
        values_c = " ".join(iri(str(c)) for c in touched)
        existing: dict[URIRef, StoredClaim] = {}
        # VALUES inside the GRAPH block: outside it, Oxigraph 0.5 scans every q:text of the claims
        # graph for each row (250 ms, 165 ms of it GIL-held CPU, per write at 20k claims; 0.3 ms inside)
        for row in self.store.select(
                f"SELECT ?c ?t ?cert ?ctx WHERE {{ GRAPH {iri(str(self.iris.claims_graph))} {{ "
                f"VALUES ?c {{ {values_c} }} ?c q:text ?t "
                "OPTIONAL { ?c q:certainty ?cert } OPTIONAL { ?c q:context ?ctx } } }"):
            t = row["t"]
            old = existing.get(row["c"])
            if old is None or str(t) < old.text:  # a record with two wordings: the least one
                existing[row["c"]] = StoredClaim(
                    str(t), t.language or "", str(row["ctx"]) if row.get("ctx") is not None else None,
                    str(row.get("cert") or "").endswith("Hedged"))
        known.records = set(existing)
        if existing:  # a claim is mentioned elsewhere only if it has a record (written together)
            values_e = " ".join(iri(str(c)) for c in existing)
            for row in self.store.select(
                    f"SELECT ?c ?g ?d ?ty WHERE {{ VALUES ?c {{ {values_e} }} "
                    f"GRAPH ?g {{ ?m q:mentionOf ?c ; q:dateSaid ?d ; q:quoteType ?ty }} }}"):
                if str(row["g"]) not in own_graphs:
                    day = dt.date.fromisoformat(str(row["d"]))
                    other_dates[row["c"]].append(day)
                    known.other_types[row["c"]].append(str(row["ty"]).rsplit("#", 1)[-1])
                    existing[row["c"]].dates.append(day)
                    existing[row["c"]].types.append(str(row["ty"]).rsplit("#", 1)[-1])
        for old, new in sorted(absorbed.items()):  # its mentions become mentions of the new claim
            gone = existing.pop(old, None)
            if gone is None:
                continue
            into = existing.get(new)
            if into is None:
                existing[new] = gone
            else:
                if (gone.text, gone.language, gone.context or "") < (into.text, into.language, into.context or ""):
                    into.text, into.language, into.context = gone.text, gone.language, gone.context
                into.hedged = into.hedged or gone.hedged
                into.dates += gone.dates
                into.types += gone.types
            other_dates[new] += other_dates.pop(old, [])
            known.other_types[new] += known.other_types.pop(old, [])
        # the same claim in several articles of this batch, or elsewhere too: ONE record, the
        # same whatever the order of the articles (kb.claim_merge)
        per_claim: dict[URIRef, list[ClaimRecord]] = defaultdict(list)
        for p in batch:
            for c, rec in p.claims.items():
                per_claim[c].append(rec)
        folded = {c: fold(recs, existing.get(c)) for c, recs in per_claim.items()}
        for p in batch:
            for c in p.claims:
                p.claims[c] = folded[c]
        return known

    def _update_text(self, batch: list[Prepared], removed: set[URIRef], redated: dict[URIRef, dt.date],
                     retyped: dict[URIRef, str] | None = None, absorbed: dict[URIRef, URIRef] | None = None) -> str:
        """One SPARQL Update for the batch: drop the article graphs, re-point the mentions of
        absorbed claims (kb.claim_links), rewrite claim records, insert."""
        from .claim_links import absorb_update

        claims_g = self.iris.claims_graph
        ops: list[str] = []
        for p in batch:
            g = self.iris.article_graph(p.article.id)
            ops += [f"DROP SILENT GRAPH {iri(str(g))}", f"DROP SILENT GRAPH {iri(str(Iris.inferred(g)))}"]
        ops += absorb_update(self.iris, absorbed or {})
        ops += _delete_records(claims_g, {c for p in batch for c in p.claims} | removed | set(absorbed or {}))
        ops += [_redate(claims_g, c, d) for c, d in redated.items()]
        ops += [_retype(claims_g, c, t) for c, t in (retyped or {}).items()]
        ins = insert_data(self._inserts(batch))
        return " ;\n".join(ops + ([ins] if ins else []))

    # -- deleting -----------------------------------------------------------------------------
    def delete_article(self, article_id: str) -> bool:
        """Remove an article's graphs and the claim records only it supported. False if absent."""
        g = self.iris.article_graph(article_id)
        if str(g) not in self.store.named_graphs():
            return False
        gone = Prepared(Article(article_id, "", dt.date.today()), Triples(), {}, 0, deleted=True)
        known = self._merge_existing([gone])
        known.graphs.add(str(g))  # force the replacing update path: the graph must be dropped
        self._commit([gone], known)  # an empty article: only removals
        return True


def _set_language(article: Article) -> None:
    """Detect the article's language if the input did not give one."""
    if not article.language:
        from .extract import detect_language

        article.language = detect_language(article.text) if article.text.strip() else "und"


def extract_quotes(extractor: Any, article: Article) -> list[Quote] | InputError:
    """The article's statements by ``extractor`` (its language set first), or why it cannot be
    read; needs no store (kb.write_worker runs it in another process)."""
    try:
        _set_language(article)
        return extractor.extract(article)
    except InputError as e:
        return e


def _count_news(r: ArticleResult, p: Prepared, seen: set[URIRef]) -> None:
    """Fill in what an article adds: claims new to the store, new mentions of claims stored
    (or new earlier in the batch) that its stored version did not mention yet, near-duplicates."""
    counts = p.mention_counts or {c: 1 for c in p.claims}
    for c in p.claims:
        if c in seen:
            if c not in p.previous_claims:
                r.known_mentions += counts.get(c, 1)
        else:
            r.new_claims += 1
            seen.add(c)
    r.merged = p.merged + len(p.absorbed)  # quotes merged into stored claims, stored claims into its own


@dataclass
class Known:
    """What the store already holds for a batch (read before validating and writing)."""

    graphs: set[str] = field(default_factory=set)  # the batch's article graphs that exist
    records: set[URIRef] = field(default_factory=set)  # claim records that exist
    other_dates: dict[URIRef, list[dt.date]] = field(default_factory=lambda: defaultdict(list))
    other_types: dict[URIRef, list[str]] = field(default_factory=lambda: defaultdict(list))  # their types


def _orphans(batch: list[Prepared], other_dates: dict[URIRef, list[dt.date]]
             ) -> tuple[set[URIRef], dict[URIRef, dt.date]]:
    """Claims the batch's articles no longer mention: records to delete (no other mention)
    and records to re-date (still mentioned elsewhere: the earliest remaining date)."""
    written = {c for p in batch for c in p.claims}
    gone = {c for p in batch for c in p.previous_claims} - written
    removed = {c for c in gone if not other_dates.get(c)}
    return removed, {c: min(other_dates[c]) for c in gone - removed}


def _delete_records(claims_g: URIRef, claims: set[URIRef]) -> list[str]:
    """Delete the records (asserted and inferred) of these claims."""
    if not claims:
        return []
    return [delete_subjects(str(graph), claims) for graph in (claims_g, Iris.inferred(claims_g))]


def _redate(claims_g: URIRef, claim: URIRef, date: dt.date) -> str:
    """Set a claim record's date said (after a mention of it went away)."""
    return (f"DELETE {{ GRAPH {iri(str(claims_g))} {{ {iri(str(claim))} q:dateSaid ?d }} }} "
            f"WHERE {{ GRAPH {iri(str(claims_g))} {{ {iri(str(claim))} q:dateSaid ?d }} }} ;\n"
            f"INSERT DATA {{ GRAPH {iri(str(claims_g))} {{ {iri(str(claim))} "
            f"<{Q.dateSaid}> \"{date.isoformat()}\"^^<http://www.w3.org/2001/XMLSchema#date> }} }}")


def _retype(claims_g: URIRef, claim: URIRef, quote_type: str) -> str:
    """Set a claim record's quote type (after a mention of it went away: kb.claim_merge)."""
    g, c = iri(str(claims_g)), iri(str(claim))
    return (f"DELETE {{ GRAPH {g} {{ {c} q:quoteType ?t }} }} WHERE {{ GRAPH {g} {{ {c} q:quoteType ?t }} }} ;\n"
            f"INSERT DATA {{ GRAPH {g} {{ {c} <{Q.quoteType}> <{Q[quote_type]}> }} }}")


_source_id = source_id  # the name bench/ imports
__all__ = ["Ingestor", "Prepared", "Summary", "content_digest", "default_workers", "record_triples",
           "validation_triples"]


def _where(article: Article) -> str:
    line = f" (input line {article.source_line})" if article.source_line else ""
    return f"article {article.id}{line}: "

