"""``quoth``: the command line, a thin layer over the kb library."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import __version__
from .model import InputError
from .sparql_guard import inspect as inspect_query
from .store import (
    DEFAULT_BASE_IRI,
    RDF_FORMATS,
    QuerySyntaxError,
    QueryTimeout,
    Store,
    StoreError,
    normalize_format,
    open_store,
)


class Ctx:
    """Global options; the store is opened on first use."""

    def __init__(self, store_dir: str | None, endpoint: str | None, base_iri: str | None):
        self.store_dir, self.endpoint, self.base_iri = store_dir, endpoint, base_iri
        self._store: Store | None = None

    def store(self, create: bool = False, read_only: bool = False) -> Store:
        """The store; ``create`` makes a missing directory (and its parents), ``read_only``
        opens an embedded store beside the process that holds it (e.g. ``quoth serve``)."""
        if self._store is None:
            if create and not self.endpoint and not read_only:
                from .store import DEFAULT_STORE_DIR

                Path(self.store_dir or DEFAULT_STORE_DIR).mkdir(parents=True, exist_ok=True)
            self._store = open_store(self.store_dir, endpoint=self.endpoint, base_iri=self.base_iri,
                                     create=create, read_only=read_only)
        return self._store


def fail(message: str, code: int = 1) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--store", "store_dir", envvar="QUOTH_STORE", metavar="DIR",
              help="Embedded store directory (default ./quoth-data; env QUOTH_STORE).")
@click.option("--endpoint", envvar="QUOTH_SPARQL_ENDPOINT", metavar="URL",
              help="Use a remote SPARQL 1.1 server instead (env QUOTH_SPARQL_ENDPOINT).")
@click.option("--base-iri", envvar="QUOTH_BASE_IRI", metavar="IRI",
              help="Base IRI of minted resources (default http://127.0.0.1:8000/).")
@click.version_option(__version__, prog_name="quoth")
@click.pass_context
def main(ctx: click.Context, store_dir: str | None, endpoint: str | None, base_iri: str | None) -> None:
    """Quoth: who said what, and when — a claim-tracking knowledge base.

    \b
    First commands:
      quoth ingest examples/articles/*.txt       store articles (also .html, URLs, RSS/Atom feeds)
      quoth serve --port 8000                    REST, SPARQL endpoint, web pages on :8000
      quoth ask "What did Trump say about a second meeting?"
      quoth query 'SELECT ?name WHERE { ?s a q:Person ; skos:prefLabel ?name } LIMIT 5'
      quoth export --format ttl -o kb.ttl
    Read-only commands (query, ask, export, stats, validate) also work while 'quoth serve' runs.
    """
    ctx.obj = Ctx(store_dir, endpoint, base_iri)
    ctx.call_on_close(lambda: ctx.obj._store and ctx.obj._store.close())


@main.command()
@click.argument("inputs", nargs=-1, metavar="INPUT...")
@click.option("--statements", "statements", type=click.Path(path_type=Path), multiple=True,
              help="Structured statements (JSON Lines) to import.")
@click.option("--date", "default_date", help="Date for inputs that give none (text files without a ' date' "
              "header, pages without a publication date) (YYYY-MM-DD).")
@click.option("--batch-size", default=2000, show_default=True,
              help="Most articles per atomic write when importing statements.")
@click.option("--no-vectors", is_flag=True,
              help="Skip the claim embeddings (faster bulk imports); run 'quoth reindex' afterwards.")
@click.option("--workers", type=click.IntRange(min=0), default=None,
              help="Processes that SHACL-validate statement batches ahead of the writer "
                   "[default: one per core, at most 3; 0 = validate in this process].")
@click.option("--no-robots", is_flag=True, help="Do not consult robots.txt before fetching (your own sites).")
@click.option("--quiet", "-q", is_flag=True, help="No progress.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_obj
def ingest(obj: Ctx, inputs: tuple[str, ...], statements: tuple[Path, ...], default_date: str | None,
           batch_size: int, no_vectors: bool, workers: int | None, no_robots: bool, quiet: bool,
           as_json: bool) -> None:
    """Extract, validate (SHACL) and store articles or structured statements.

    INPUTs are text files (first line ' date YYYY-MM-DD'), JSON Lines of articles, saved HTML
    pages (.html), saved feeds (.rss, .atom, .xml), or http(s) URLs of pages or RSS/Atom feeds
    (a feed's items are fetched; URLs already stored are skipped). Mixed inputs are fine. A
    rejected or failing item is reported and skipped; the rest are stored. Exit status 1 if
    anything was rejected.

    \b
    Examples:
      quoth ingest examples/articles/*.txt
      quoth ingest https://example.org/news/feed.xml saved-page.html
      quoth ingest --statements claims.jsonl
    """
    from .ingest_run import IngestRun
    from .sources import parse_date

    if not inputs and not statements:
        fail("nothing to ingest: give article files, URLs or feeds, or --statements FILE", 2)
    try:
        date = parse_date(default_date, "--date") if default_date else None
    except InputError as e:
        fail(str(e), 2)
    from .web_inputs import is_url

    for p in [*(Path(i) for i in inputs if not is_url(i)), *statements]:
        if not p.exists():
            fail(f"{p}: no such file", 2)
    store = obj.store(create=True)
    run = IngestRun(store, vectors=None if no_vectors else _vectors(obj), index=_claim_index(store),
                    quiet=quiet, robots=not no_robots)
    total = run.ingest(list(inputs), list(statements), date, batch_size=batch_size, workers=workers)
    _print_summary(total, as_json, run.skipped, run.compaction)
    sys.exit(1 if total.rejected else 0)


@main.command()
@click.argument("feeds", nargs=-1, required=True, metavar="FEED...")
@click.option("--every", default="15m", show_default=True, help="Interval between two rounds: 90s, 15m, 1h.")
@click.option("--date", "default_date", help="Date for pages that give no publication date (YYYY-MM-DD).")
@click.option("--rounds", type=click.IntRange(min=1), default=None, help="Stop after this many rounds.")
@click.option("--no-robots", is_flag=True, help="Do not consult robots.txt before fetching.")
@click.option("--no-vectors", is_flag=True, help="Skip the claim embeddings.")
@click.pass_obj
def watch(obj: Ctx, feeds: tuple[str, ...], every: str, default_date: str | None, rounds: int | None,
          no_robots: bool, no_vectors: bool) -> None:
    """Ingest new items of RSS/Atom feeds continuously; Ctrl-C stops it safely.

    Each round fetches every FEED (a URL or a file), ingests the items not stored yet and
    prints one summary line; an article is written whole or not at all, so stopping at any
    moment loses nothing stored.

    \b
    Example:
      quoth watch https://example.org/politics/rss https://example.com/atom.xml --every 15m
    """
    import time

    from .ingest_run import IngestRun, parse_interval
    from .sources import parse_date

    try:
        interval = parse_interval(every)
        date = parse_date(default_date, "--date") if default_date else None
    except InputError as e:
        fail(str(e), 2)
    store = obj.store(create=True)
    run = IngestRun(store, vectors=None if no_vectors else _vectors(obj), index=_claim_index(store),
                    quiet=True, robots=not no_robots)
    n = 0
    try:
        while True:
            n += 1
            skipped_before = run.skipped
            s = run.ingest(list(feeds), [], date)
            click.echo(f"{time.strftime('%Y-%m-%d %H:%M:%S')} " + summary_line(s, run.skipped - skipped_before))
            for r in s.rejections:
                click.echo(f"  REJECTED {r.article_id}: " + "; ".join(e.splitlines()[0] for e in r.errors), err=True)
            if rounds is not None and n >= rounds:
                break
            time.sleep(interval)
    except KeyboardInterrupt:
        click.echo("stopped", err=True)


def _vectors(obj: Ctx):
    try:
        from .vectors import VectorIndex
    except ImportError:
        return None
    return VectorIndex.for_store(obj.store(create=True))


def _claim_index(store: Store):
    """The side index beside an embedded store, brought up to date (None for a remote store)."""
    from .index import ClaimIndex

    idx = ClaimIndex.for_store(store)
    if idx is not None and not idx.read_only and not idx.is_fresh(store):
        idx.rebuild(store)
    return idx


def summary_line(s, skipped: int = 0) -> str:
    """One line saying exactly what a run did."""
    written = s.articles - s.unchanged
    parts = [f"{written} article(s) stored", f"{s.unchanged} unchanged"]
    if skipped:
        parts.append(f"{skipped} already stored URL(s) skipped")
    return (", ".join(parts) + f": {s.new_claims} new claim(s), {s.known_mentions} new mention(s) of stored "
            f"claims, {s.merged} near-duplicate(s) merged; rejected {s.rejected}")


def _print_summary(s, as_json: bool, skipped: int = 0,
                   compaction: tuple[float, int | None] | None = None) -> None:
    rejected = [{"article": r.article_id, "errors": r.errors, "report": r.report} for r in s.rejections]
    if as_json:
        out = {"articles": s.articles, "claims": s.claims, "mentions": s.mentions,
               "stored": s.articles - s.unchanged, "unchanged": s.unchanged,
               "skipped_urls": skipped, "new_claims": s.new_claims,
               "new_mentions_of_stored_claims": s.known_mentions, "merged": s.merged,
               "rejected": s.rejected, "rejections": rejected}
        if compaction is not None:
            out["compaction_s"], out["store_bytes"] = round(compaction[0], 1), compaction[1]
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    for r in rejected:
        click.echo(f"REJECTED {r['article']}:", err=True)
        for e in r["errors"]:
            click.echo("  " + e.replace("\n", "\n  "), err=True)
    click.echo(summary_line(s, skipped))
    if compaction is not None:
        took, size = compaction
        click.echo(f"store compacted in {took:.0f} s" + (f": {size / 1e9:.2f} GB on disk" if size else ""))


@main.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--input", "inputs", multiple=True, type=click.Path(path_type=Path), help="Input file (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table"]), default="jsonl", show_default=True)
@click.option("--date", "default_date", help="Date for text files without a ' date' header.")
def extract(files: tuple[Path, ...], inputs: tuple[Path, ...], fmt: str, default_date: str | None) -> None:
    """Print the statements found in articles (one JSON line per mention); nothing is stored."""
    from .extract import Extractor, detect_language
    from .graph import Iris, speaker_key
    from .sources import parse_date, read_articles

    paths = [*files, *inputs]
    if not paths:
        fail("give article files (text or JSON Lines)", 2)
    try:
        date = parse_date(default_date, "--date") if default_date else None
    except InputError as e:
        fail(str(e), 2)
    ex = Extractor()
    iris = Iris(click.get_current_context().obj.base_iri or DEFAULT_BASE_IRI)
    errors = 0
    for item in read_articles(paths, date):
        if isinstance(item, InputError):
            click.echo(f"error: {item}", err=True)
            errors += 1
            continue
        if not item.language:
            item.language = detect_language(item.text) if item.text.strip() else "und"
        for q in ex.extract(item):
            sp_iri = str(iris.speaker(speaker_key(q.speaker, item.id))) if q.speaker and q.speaker.resolved else None
            if fmt == "jsonl":
                click.echo(json.dumps(q.to_json(sp_iri), ensure_ascii=False))
            else:
                who = q.speaker.name if q.speaker else "?"
                click.echo(f"{item.id}\t{q.type:<12}\t{who:<24}\t{q.date_said}\t{q.text[:90]}")
    sys.exit(1 if errors else 0)


@main.command()
@click.argument("sparql", required=False)
@click.option("--file", "-f", "file", type=click.Path(exists=True, path_type=Path), help="Read the query from a file.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "tsv", "xml", "ttl", "nt", "jsonld"]),
              default="table", show_default=True)
@click.pass_obj
def query(obj: Ctx, sparql: str | None, file: Path | None, fmt: str) -> None:
    """Run a SPARQL query against the store (prefixes q:, schema:, prov:, skos:, … are predefined)."""
    if file:
        sparql = file.read_text(encoding="utf-8")
    if not sparql:
        fail("give a query, or --file FILE", 2)
    check = inspect_query(sparql)
    if check.update:
        fail("quoth query only reads: SPARQL Update is refused (change the store with "
             "quoth ingest, quoth delete or a correction)", 2)
    if check.service:
        fail("quoth query does not run federated queries: SERVICE is refused", 2)
    store = _open_existing(obj, read_only_ok=True)
    try:
        if fmt == "table":
            res = store.query_raw(sparql, "json", "ttl")
            if res.kind == "graph":
                click.echo(res.body.decode("utf-8"))
            else:
                _print_table(json.loads(res.body))
        else:
            rf = fmt if fmt in ("json", "csv", "tsv", "xml") else "json"
            gf = fmt if fmt in RDF_FORMATS else "ttl"
            click.echo(store.query_raw(sparql, rf, gf).body.decode("utf-8"))
    except QuerySyntaxError as e:
        fail(f"bad SPARQL query: {e}", 2)
    except QueryTimeout as e:
        fail(str(e))


def _print_table(data: dict) -> None:
    if "boolean" in data:
        click.echo("true" if data["boolean"] else "false")
        return
    cols = data["head"]["vars"]
    rows = [[b.get(c, {}).get("value", "") for c in cols] for b in data["results"]["bindings"]]
    widths = [min(60, max([len(c)] + [len(r[i]) for r in rows])) for i, c in enumerate(cols)]
    line = " | ".join(c.ljust(w) for c, w in zip(cols, widths))
    click.echo(line)
    click.echo("-+-".join("-" * w for w in widths))
    for r in rows:
        click.echo(" | ".join((v if len(v) <= w else v[: w - 1] + "…").ljust(w) for v, w in zip(r, widths)))
    click.echo(f"({len(rows)} row{'s' if len(rows) != 1 else ''})", err=True)


def _open_existing(obj: Ctx, read_only_ok: bool = False) -> Store:
    """The existing store; for read-only commands (``read_only_ok``), an embedded store that
    another process holds (a running ``quoth serve``) is opened read-only beside it."""
    try:
        return obj.store(create=False)
    except StoreError as e:
        if read_only_ok and "in use by another process" in str(e):
            try:
                return obj.store(create=False, read_only=True)
            except StoreError as e2:
                fail(str(e2))
        fail(str(e))
        raise  # unreachable


@main.command()
@click.option("--format", "fmt", default="trig", show_default=True,
              help=f"One of {', '.join(RDF_FORMATS)} (or turtle, ntriples, nquads, json-ld).")
@click.option("--graph", "graph_iri", help="Only this named graph.")
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write to a file instead of stdout.")
@click.pass_obj
def export(obj: Ctx, fmt: str, graph_iri: str | None, output: Path | None) -> None:
    """Dump the knowledge base (or one graph) as Turtle, N-Triples, N-Quads, TriG or JSON-LD."""
    from .export import export_store

    try:
        key = normalize_format(fmt)
    except ValueError as e:
        fail(str(e), 2)
    store = _open_existing(obj, read_only_ok=True)
    if output:
        with output.open("wb") as fh:
            export_store(store, fh, key, graph_iri)
    else:
        export_store(store, sys.stdout.buffer, key, graph_iri)
        sys.stdout.buffer.flush()


@main.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def validate(obj: Ctx, as_json: bool) -> None:
    """Validate the stored knowledge base article by article against the SHACL shapes."""
    from .validate_store import validate_store

    results = validate_store(_open_existing(obj, read_only_ok=True))
    bad = [r for r in results if not r["conforms"]]
    if as_json:
        click.echo(json.dumps({"articles": len(results), "failing": bad}, ensure_ascii=False, indent=2))
    else:
        for r in bad:
            click.echo(f"FAILS {r['article']}:\n  " + r["text"].replace("\n", "\n  "))
        click.echo(f"{len(results)} article(s) checked, {len(bad)} failing")
    sys.exit(1 if bad else 0)


@main.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def stats(obj: Ctx, as_json: bool) -> None:
    """Counts: claims, mentions, articles, speakers, quote types, quads."""
    from .queries import stats as _stats

    store = _open_existing(obj, read_only_ok=True)
    s = {"base_iri": store.base_iri, **_stats(store)}
    if as_json:
        click.echo(json.dumps(s, indent=2))
        return
    for k, v in s.items():
        if isinstance(v, dict):
            click.echo(f"{k}:")
            for t, n in v.items():
                click.echo(f"  {t:<22} {n:>8}")
        else:
            click.echo(f"{k:<24} {v:>8}")


@main.command()
@click.argument("article_id")
@click.pass_obj
def delete(obj: Ctx, article_id: str) -> None:
    """Remove an article and the claims only it supported."""
    from .ingest import Ingestor

    ing = Ingestor(_open_existing(obj))
    if not ing.delete_article(article_id):
        fail(f"no article {article_id!r} in the store")
    click.echo(f"deleted {article_id}")


@main.command()
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="Print the DESIGN §6 answer JSON.")
@click.option("--limit", default=10, show_default=True)
@click.option("--today", help="Reference date for 'last week', 'on Wednesday' … (YYYY-MM-DD; default today).")
@click.pass_obj
def ask(obj: Ctx, question: str, as_json: bool, limit: int, today: str | None) -> None:
    """Answer a question such as "What did Trump say about a second meeting?" with quotes as evidence."""
    from .ask import Asker, QuestionError
    from .sources import parse_date

    try:
        ref = parse_date(today, "--today") if today else None
    except InputError as e:
        fail(str(e), 2)
    store = _open_existing(obj, read_only_ok=True)
    _say_encoder_load()
    try:
        answer = Asker(store).ask(question, limit=limit, today=ref)
    except QuestionError as e:
        fail(str(e), 2)
    if as_json:
        click.echo(json.dumps(answer, ensure_ascii=False, indent=2))
    else:
        from .ask import render_text

        click.echo(render_text(answer))


def _say_encoder_load() -> None:
    """Tell a terminal user why the first answer takes a while (the server keeps it loaded)."""
    if sys.stderr.isatty():
        click.echo("loading the sentence encoder (about 7 s; a running 'quoth serve' answers "
                   "GET /ask?q=... without it)", err=True)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--token", envvar="QUOTH_TOKEN", help="Bearer token that write routes require (env QUOTH_TOKEN).")
@click.option("--query-timeout", default=5.0, show_default=True, help="SPARQL endpoint time limit (s).")
@click.pass_obj
def serve(obj: Ctx, host: str, port: int, token: str | None, query_timeout: float) -> None:
    """Serve the REST API, the SPARQL endpoint, linked data and the web pages."""
    import uvicorn

    from api.app import create_app

    served = f"http://{host}:{port}/"
    store = open_store(obj.store_dir, endpoint=obj.endpoint, base_iri=obj.base_iri, create=True,
                       default_base=served)  # the store's own base IRI once it has one (kb.base_iri)
    app = create_app(store, token=token, query_timeout=query_timeout, store_dir=obj.store_dir)
    click.echo(f"Quoth serving on {served} (store: {obj.endpoint or obj.store_dir or 'quoth-data'}; "
               f"base IRI {store.base_iri}" + ("" if store.base_iri == served else ", its IRIs dereference here by path")
               + ")", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=10)


@main.command()
@click.pass_obj
def reindex(obj: Ctx) -> None:
    """Rebuild what lives beside the store: the claim embeddings and the speaker/date index."""
    from .progress import Progress

    from .index import ClaimIndex

    store = _open_existing(obj)
    idx = ClaimIndex.for_store(store)
    if idx is not None:
        idx.rebuild(store)
    vec = _vectors(obj)
    n = 0
    if vec is not None:
        with Progress(None, "rows", label="reindex embeddings") as bar:
            def step(done: int, total: int) -> None:
                if bar.total is None:
                    bar.set_total(total)
                bar.update(done - bar.done)

            n = vec.rebuild(store, progress=step)
    click.echo(f"claim index: {len(idx) if idx is not None else 'n/a (remote store)'} claims; "
               f"embeddings: {n} claims")


@main.command()
@click.pass_obj
def reason(obj: Ctx) -> None:
    """Reload the ontology and recompute every inferred graph (after editing ontology/)."""
    from .graph import Iris
    from .ontology import closure, materialize
    from .setup import ensure_ontology, rematerialize

    store = _open_existing(obj)
    iris = Iris(store.base_iri)
    ensure_ontology(store, iris)
    cl = closure()
    n = rematerialize(store, iris, lambda g: materialize(g, cl))
    click.echo(f"ontology loaded; {n} inferred graph(s) recomputed")


def run() -> None:
    """Console entry point: store and input problems become one clear line, not a traceback."""
    try:
        main(standalone_mode=True)
    except (StoreError, InputError) as e:
        fail(str(e))


if __name__ == "__main__":  # pragma: no cover
    run()
