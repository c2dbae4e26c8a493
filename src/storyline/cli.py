"""The command line: thin click commands over :mod:`storyline.api`."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, TypeVar

import click

from storyline import api
from storyline.errors import StorylineError

F = TypeVar("F", bound=Callable[..., Any])


def store_option(func: F) -> F:
    """The shared ``--store`` option of commands that write (ingest, build)."""
    return click.option(
        "--store",
        default=api.DEFAULT_STORE,
        show_default=True,
        type=click.Path(dir_okay=False),
        help="SQLite store file (created if missing).",
    )(func)


def existing_store_option(func: F) -> F:
    """The ``--store`` option of commands that only read: the file must exist."""
    return click.option(
        "--store",
        default=api.DEFAULT_STORE,
        show_default=True,
        type=click.Path(dir_okay=False),
        help="SQLite store file, made by `storyline ingest` or `storyline build`.",
    )(func)


def runner_options(func: F) -> F:
    """The ``--backend``, ``--jobs`` and ``--scheduler`` options of commands whose work runs
    in workers (build, ingest)."""
    func = click.option(
        "--scheduler",
        default=None,
        help="Address of a running Dask scheduler (default: a LocalCluster).",
    )(func)
    func = click.option(
        "--jobs",
        type=int,
        default=0,
        show_default=True,
        help="Worker processes (local) or Dask workers; 0 = every core (up to 4).",
    )(func)
    return click.option(
        "--backend",
        type=click.Choice(["local", "dask"]),
        default="local",
        show_default=True,
        help="Where article and story work runs.",
    )(func)


@contextmanager
def output(path: str | None) -> Iterator[IO[str]]:
    """stdout, or the file given with --out."""
    if path is None or path == "-":
        yield sys.stdout
    else:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            yield handle


def read_jsonl(path: str) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
    """(line number, record, None) per JSON object line of a file ('-' for stdin), or
    (line number, None, why) for a line that is not one: the other lines still count."""
    handle = sys.stdin if path == "-" else open(path, encoding="utf-8", errors="replace")  # noqa: SIM115
    try:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except (ValueError, RecursionError) as exc:
                yield number, None, f"line {number}: not JSON ({str(exc)[:200]})"
                continue
            if isinstance(record, dict):
                yield number, record, None
            else:
                yield number, None, f"line {number}: not a JSON object"
    finally:
        if handle is not sys.stdin:
            handle.close()


def finish_records(done: int, errors: int) -> None:
    """The closing count of a JSON-lines command; exit 1 when any record failed."""
    click.echo(f"{done} records, {errors} errors", err=True)
    if errors:
        sys.exit(1)


class PhaseBar:
    """Progress on stderr, one bar per phase (read, cluster, annotate, assemble, write) with
    its total and time left when known; shown only on a terminal (never in logs or pipes)."""

    def __init__(self) -> None:
        self._bar: Any = None

    def phase(self, name: str, total: int | None) -> None:
        """Close the bar of the phase before and open this one's."""
        from tqdm import tqdm

        self.close()
        unit = {"assemble": "story", "write": "story"}.get(name, "doc")
        self._bar = tqdm(
            total=total, desc=f"{name:<8}", unit=unit, file=sys.stderr, disable=None, leave=False
        )

    def __call__(self, n: int = 1) -> None:
        if self._bar is None:
            self.phase("read", None)
        self._bar.update(n)

    def update(self, n: int = 1) -> None:
        """Items done in the current phase (tqdm's name for it)."""
        self(n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __enter__(self) -> PhaseBar:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def progress_bar() -> PhaseBar:
    """The progress display of long commands (see PhaseBar)."""
    return PhaseBar()


def report_problems(problems: Sequence[Any], warnings: Sequence[Any] = ()) -> None:
    """Print every skipped input (and every input kept with a warning) with its path and reason."""
    for p in problems:
        click.echo(
            f"skipped {p.input}: {p.reason}" + (f" ({p.detail})" if p.detail else ""), err=True
        )
    for p in warnings:
        click.echo(
            f"warning {p.input}: {p.reason}" + (f" ({p.detail})" if p.detail else ""), err=True
        )


def report_stage_problems(problems: list[Any]) -> None:
    """Print every stage that failed on an article or a story."""
    for p in problems:
        where = f"article {p.article_id}" if p.article_id else f"story {p.story_id}"
        click.echo(f"stage problem: {where}: {p.stage}: {p.error}: {p.message}", err=True)


@contextmanager
def interrupted(db: Any) -> Iterator[None]:
    """Ctrl-C: say what was kept and how to go on, exit 130 (no traceback).

    Batches commit whole and ids are content hashes, so re-running the same command
    stores only what is missing.
    """
    before = db.article_count()
    try:
        yield
    except KeyboardInterrupt:
        kept = db.article_count() - before
        click.echo(
            f"\ninterrupted: {kept} new articles committed; "
            "re-run the same command to resume (stored articles are skipped)",
            err=True,
        )
        sys.exit(130)


class StorylineGroup(click.Group):
    """Turns library errors into one-line messages with their fix."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except StorylineError as exc:
            raise click.ClickException(str(exc)) from exc


@click.group(cls=StorylineGroup)
@click.version_option(package_name="storyline")
def cli() -> None:
    """storyline: turn news articles from many outlets into sourced story dossiers."""
    from storyline.backends import relax_gc

    relax_gc()  # this process cleans, clusters and writes: collect as the workers do


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option(
    "--out", "out", required=True, type=click.Path(file_okay=False), help="Output folder."
)
@store_option
@runner_options
def build(
    paths: tuple[str, ...], out: str, store: str, backend: str, jobs: int, scheduler: str | None
) -> None:
    """Ingest PATHS, find stories and write their dossiers to --out.

    Example: storyline build examples/seeds --out out/demo --backend dask --jobs 2
    """
    from storyline.backends import make_runner

    runner = make_runner(backend, jobs, scheduler)
    try:
        with api.open_store(store) as db, interrupted(db), progress_bar() as bar:
            report = api.build(paths, out, db, progress=bar, runner=runner)
    finally:
        runner.close()
    report_problems(report.ingest.problems, report.ingest.warnings)
    report_stage_problems(report.problems)
    click.echo(
        f"ingested {report.ingest.added} new, {report.ingest.unchanged} unchanged, "
        f"skipped {len(report.ingest.problems)}; {len(report.stories)} stories "
        f"({len(report.assembled)} assembled, {len(report.rendered)} written); "
        f"{len(report.problems)} stage problems",
        err=True,
    )
    click.echo(str(report.index.resolve()))
    if not report.ok:
        sys.exit(1)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@store_option
@click.option(
    "--no-dossiers",
    "no_dossiers",
    is_flag=True,
    help="Only store the articles; the next build or ingest assembles the dossiers.",
)
@runner_options
def ingest(
    paths: tuple[str, ...],
    store: str,
    no_dossiers: bool,
    backend: str,
    jobs: int,
    scheduler: str | None,
) -> None:
    """Read, clean and store the articles under PATHS (files or folders).

    Exits 1 when any input was skipped (each is listed with its reason).

    Example: storyline ingest news/ feed.jsonl.gz --store news.db --jobs 2
    """
    from storyline.backends import make_runner

    problems: list[Any] = []
    runner = make_runner(backend, jobs, scheduler)  # its pool starts on the first full batch
    try:
        with api.open_store(store) as db, interrupted(db):
            with progress_bar() as bar:
                report = api.ingest(paths, db, progress=bar, runner=runner)
                # the web UI and `export` read persisted dossiers: bring the changed stories
                # up to date
                refreshed = (
                    []
                    if no_dossiers
                    else api.update_dossiers(db, runner, problems=problems, progress=bar)
                )
            if problems:
                db.record_problems(problems)
    finally:
        runner.close()
    report_problems(report.problems, report.warnings)
    report_stage_problems(problems)
    click.echo(
        f"ingested {report.added} new, {report.unchanged} unchanged, skipped {len(report.problems)}"
        + (f", {len(report.warnings)} warnings" if report.warnings else "")
        + ("" if no_dossiers else f"; {len(refreshed)} story dossiers updated")
    )
    if not report.ok or problems:
        sys.exit(1)


def _export_formats() -> tuple[str, ...]:
    from storyline.io.writers.export import formats

    return formats()


def _printable(text: str) -> str:
    """Article text bound for a terminal: control characters (escape codes) removed."""
    return "".join(c if c.isprintable() else " " for c in text)


def story_rows(found: list[Any], articles: dict[str, Any]) -> list[dict[str, Any]]:
    """One summary per story, largest first, then the most recent (by stated dates).

    Only stated dates count for the range: an estimated date is a guess, and
    showing it as a date would invent one.
    """
    rows: list[dict[str, Any]] = []
    for s in found:
        members = [articles[i] for i in s.article_ids]
        days = sorted(
            a.published.start.isoformat()
            for a in members
            if a.published is not None and not a.published.estimate
        )
        rows.append(
            {
                "id": s.id,
                "articles": list(s.article_ids),
                "outlets": sorted({a.outlet for a in members if a.outlet}),
                "first": days[0] if days else None,
                "last": days[-1] if days else None,
                "titles": [a.title or "" for a in members],
            }
        )
    # largest story first; among equals the latest first, undated last, then by id
    rows.sort(key=lambda r: r["id"])
    rows.sort(key=lambda r: r["last"] or "", reverse=True)
    rows.sort(key=lambda r: len(r["articles"]), reverse=True)
    return rows


@cli.command()
@existing_store_option
@click.option("--json", "as_json", is_flag=True, help="JSON lines instead of a table.")
def problems(store: str, as_json: bool) -> None:
    """List every problem ingests and builds recorded: skipped inputs, warnings, stage failures.

    Exits 1 when there is any skipped input or stage failure (warnings alone exit 0).

    Example: storyline problems --store news.db
    """
    with api.open_store(store, create=False) as db:
        rows = db.problems()
    for r in rows:
        if as_json:
            click.echo(json.dumps(r, ensure_ascii=False))
            continue
        where = r["input"] or (
            f"article {r['article_id']}" if r["article_id"] else f"story {r['story_id']}"
        )
        stage = f"{r['stage']}: " if r["stage"] else ""
        detail = _printable(r["detail"])
        click.echo(
            f"{r['kind']}\t{r['last_seen']}\tx{r['times']}\t{_printable(where)}: {stage}{r['reason']}: {detail}"
        )
    serious = [r for r in rows if r["kind"] != "warning"]
    click.echo(f"{len(rows)} problems ({len(serious)} skipped inputs or stage failures)", err=True)
    if serious:
        sys.exit(1)


@cli.command()
@existing_store_option
def check(store: str) -> None:
    """Check a store's integrity and consistency (after a crash, a kill or a copy).

    Runs SQLite's integrity and foreign-key checks and storyline's own invariants (each
    article stored and indexed exactly once, nothing pointing at a missing article).
    Exits 0 when the store is sound, 1 with one line per finding otherwise.

    Example: storyline check --store news.db
    """
    with api.open_store(store, create=False) as db:
        findings = db.check()
        counts = db.counts()
    for line in findings:
        click.echo(f"problem: {line}")
    summary = ", ".join(f"{n} {table.replace('_', ' ')}" for table, n in counts.items())
    if findings:
        click.echo(f"{store}: {len(findings)} findings ({summary})", err=True)
        sys.exit(1)
    click.echo(f"{store}: ok ({summary})")


@cli.command()
@existing_store_option
@click.option("--json", "as_json", is_flag=True, help="JSON lines instead of a table.")
def stories(store: str, as_json: bool) -> None:
    """List the stories in the store, largest first, then the most recent.

    Table columns: id, articles, outlets, date range (stated dates only), title.

    Example: storyline stories --json
    """
    with api.open_store(store, create=False) as db:
        found = api.cluster(db)
        articles = {a.id: a for a in db.articles()}
    rows = story_rows(found, articles)
    if not as_json:
        click.echo("id\tarticles\toutlets\tdates\ttitle")
    for r in rows:
        if as_json:
            click.echo(json.dumps(r, ensure_ascii=False))
            continue
        if r["first"] is None:
            dates = "?"
        else:
            dates = r["first"] if r["first"] == r["last"] else f"{r['first']}..{r['last']}"
        title = _printable(r["titles"][0] if r["titles"] else "")
        click.echo(f"{r['id']}\t{len(r['articles'])}\t{len(r['outlets'])}\t{dates}\t{title}")


@cli.command("stages")
@click.option("--json", "as_json", is_flag=True, help="JSON lines instead of a table.")
def stages_(as_json: bool) -> None:
    """List the pipeline's stages as declared: level, name, what each requires and provides,
    and the cache key of each level (what `build` compares to decide what to recompute).

    Example: storyline stages --json
    """
    from storyline import pipeline
    from storyline.stages.corpus.dossier import CORPUS_STAGES

    keys = {"article": pipeline.article_key(), "corpus": pipeline.corpus_key()}
    rows: list[tuple[str, str, tuple[str, ...], tuple[str, ...]]] = [
        ("article", s.name, s.requires, (s.name,)) for s in pipeline.ARTICLE_STAGES
    ]
    rows += [("corpus", s.name, s.requires, s.provides) for s in CORPUS_STAGES]
    if not as_json:
        click.echo("level\tname\trequires\tprovides\tkey")
    for level, name, requires, provides in rows:
        if as_json:
            record = {"level": level, "name": name, "requires": requires, "provides": provides}
            click.echo(json.dumps({**record, "key": keys[level]}))
        else:
            fields = (level, name, ",".join(requires) or "-", ",".join(provides), keys[level])
            click.echo("\t".join(fields))


@cli.command()
@click.argument("story_id")
@existing_store_option
@click.option("--format", "fmt", type=click.Choice(["json", "md", "html"]), default="json")
@click.option("--out", "out", default=None, help="Output file (default: stdout).")
def dossier(story_id: str, store: str, fmt: str, out: str | None) -> None:
    """Print the dossier of STORY_ID.

    Example: storyline dossier s1a2b3c --format md
    """
    from storyline.io import writers

    with api.open_store(store, create=False) as db:
        d = api.dossier(db, story_id)
    text = {
        "json": lambda: writers.dumps(writers.dossier_dict(d)),
        "md": lambda: writers.render_markdown(d),
        "html": lambda: writers.render_dossier_html(d),
    }[fmt]()
    with output(out) as handle:
        handle.write(text)


@cli.command("merge-stories")
@click.argument("old_id")
@click.argument("into_id")
@existing_store_option
def merge_stories(old_id: str, into_id: str, store: str) -> None:
    """Fold story OLD_ID into story INTO_ID (the history keeps OLD_ID resolving to it).

    Example: storyline merge-stories s1a2b3c4d5e6f s0f9e8d7c6b5a
    """
    with api.open_store(store, create=False) as db:
        merged = api.merge_stories(db, old_id, into_id)
        if db.has_dossiers():
            api.update_dossiers(db)
    click.echo(f"{old_id} -> {merged}")


@cli.command()
@click.argument("query")
@existing_store_option
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000))
@click.option("--json", "as_json", is_flag=True, help="JSON lines instead of a table.")
def search(query: str, store: str, limit: int, as_json: bool) -> None:
    """Full-text search over stored articles, SQLite FTS5 syntax.

    All words must appear; `OR`, `NOT` and `AND` (in capitals), `prefix*`,
    "exact phrases" and parentheses work as in FTS5. Table columns: article, story,
    outlet, published, title, snippet (matches in [brackets]).

    Example: storyline search 'Shoigu OR Wagner' ; storyline search '"arms factories" NOT Kim'
    """
    with api.open_store(store, create=False) as db:
        hits = api.search(db, query, limit)
    if not as_json and hits:
        click.echo("article\tstory\toutlet\tpublished\ttitle\tsnippet")
    for hit in hits:
        if as_json:
            click.echo(json.dumps(hit, ensure_ascii=False))
            continue
        cells = [hit["article"], hit["story"] or "-", hit["outlet"] or "unknown outlet"]
        cells += [hit["published"] or "undated", hit["title"], hit["snippet"]]
        click.echo("\t".join(_printable(" ".join(str(c).split())) for c in cells))


@cli.command()
@existing_store_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(_export_formats()),
    default="jsonl",
    show_default=True,
    help="jsonl, csv (lists as JSON text), or parquet where pyarrow is installed.",
)
@click.option(
    "--out", "out", required=True, type=click.Path(file_okay=False), help="Output folder."
)
def export(store: str, fmt: str, out: str) -> None:
    """Export articles, stories, entities, mentions, quotes and claims, one file per table.

    Rows come from the dossiers that `build` or `ingest` stored (run one of them first).

    Example: storyline export --store news.db --format csv --out exports/
    """
    from storyline.io.writers.export import export as write_tables

    with api.open_store(store, create=False) as db:
        if not db.stored_story_ids():
            click.echo(
                f"note: {store} has no stored dossiers (run `storyline build` or `ingest`):"
                " only articles are exported",
                err=True,
            )
        counts = write_tables(db, Path(out), fmt)
    click.echo(", ".join(f"{n} {table}" for table, n in counts.items()) + f" -> {out}", err=True)


@cli.command()
@existing_store_option
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Interface to bind (local only by default).",
)
@click.option("--port", default=8001, show_default=True)
@click.option(
    "--processes",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Server processes taking turns on the port: one a core answers concurrent"
    " requests on every core (threads of one process share one).",
)
def serve(store: str, host: str, port: int, processes: int) -> None:
    """Serve a read-only web UI over the store.

    Example: storyline serve --store storyline.db --port 8001
    """
    from storyline.web.app import serve as run_server

    with api.open_store(store, create=False) as db:  # refuse a missing store before binding
        if not db.stored_story_ids():
            click.echo(
                f"note: {store} has no stored dossiers yet: run `storyline build` or"
                " `storyline ingest` on it to fill the story list",
                err=True,
            )
    click.echo(f"serving {store} on http://{host}:{port}/", err=True)
    try:
        run_server(store, host, port, processes)
    except OSError as exc:  # the bind failed: port taken, or no such interface
        raise click.ClickException(
            f"cannot listen on {host}:{port}: {exc.strerror or exc} (pick another --port)"
        ) from exc


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--out", "out", default=None, help="Write JSON lines here instead of stdout.")
def extract(paths: tuple[str, ...], out: str | None) -> None:
    """Clean text and metadata of each input, one JSON line per document.

    Example: storyline extract page.html dump.txt
    """
    done = errors = 0
    with output(out) as handle:
        for item in api.clean_inputs(paths):
            record = api.extract_record(item)
            done += 1
            errors += not record["ok"]
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    finish_records(done, errors)


@cli.command()
@click.option(
    "--jsonl", "jsonl", required=True, help="Input: {id, text, published} per line ('-' = stdin)."
)
@click.option("--out", "out", default=None, help="Write JSON lines here instead of stdout.")
def annotate(jsonl: str, out: str | None) -> None:
    """Entities, quotes, times and claims with exact offsets for already-clean texts.

    Example: storyline annotate --jsonl texts.jsonl --out annotations.jsonl
    """
    from storyline.annotate import annotate_records
    from storyline.nlp import english

    nlp = english()
    done = errors = 0
    with output(out) as handle:
        for number, record, error in read_jsonl(jsonl):
            results = (
                [{"id": None, "line": number, "error": error}]
                if record is None
                else annotate_records([record], nlp=nlp)
            )
            for result in results:
                done += 1
                errors += "error" in result or bool(result.get("problems"))
                handle.write(json.dumps(result, ensure_ascii=False) + "\n")
    finish_records(done, errors)


@cli.command()
@click.option(
    "--jsonl", "jsonl", required=True, help="Input: {id, text1, text2} per line ('-' = stdin)."
)
@click.option("--out", "out", default=None, help="Write JSON lines here instead of stdout.")
def pairs(jsonl: str, out: str | None) -> None:
    """Score whether two texts tell the same story.

    Example: storyline pairs --jsonl pairs.jsonl
    """
    from storyline.stages.corpus.pairs import score_pairs

    lines = list(read_jsonl(jsonl))
    ok = {
        n
        for n, r, _ in lines
        if r is not None and isinstance(r.get("text1"), str) and isinstance(r.get("text2"), str)
    }
    scores = iter(score_pairs([r for n, r, _ in lines if n in ok and r is not None]))
    errors = 0
    with output(out) as handle:
        for number, record, error in lines:
            if number in ok:
                result = next(scores)
            else:
                errors += 1
                ident = record.get("id") if record is not None else None
                why = error or f"line {number}: text1 and text2 must be strings"
                result = {"id": ident, "line": number, "error": why}
            handle.write(json.dumps(result, ensure_ascii=False) + "\n")
    finish_records(len(lines), errors)


def _evaluations() -> tuple[str, ...]:
    """Every module of storyline.evaluation is a stage to evaluate (same_story -> same-story)."""
    import pkgutil

    import storyline.evaluation

    return tuple(
        sorted(
            info.name.replace("_", "-")
            for info in pkgutil.iter_modules(storyline.evaluation.__path__)
            if not info.name.startswith("_")
        )
    )


EVALUATIONS = _evaluations()


@cli.command("eval")
@click.argument("stage", type=click.Choice(EVALUATIONS))
@click.option(
    "--data",
    required=True,
    type=click.Path(exists=True),
    help="The data set (../shared/eval/<stage>).",
)
@click.option("--limit", type=int, default=None, help="Evaluate only the first N documents.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option(
    "--no-peer",
    "no_peer",
    is_flag=True,
    help="Score storyline only (skip a slow peer such as HeidelTime; stages that have one).",
)
def evaluate(stage: str, data: str, limit: int | None, as_json: bool, no_peer: bool) -> None:
    """Measure a stage against annotated data, side by side with its peers.

    Example: storyline eval extraction --data ../shared/eval/extraction
    """
    import importlib
    import inspect

    module = importlib.import_module(f"storyline.evaluation.{stage.replace('-', '_')}")
    options: dict[str, Any] = {"limit": limit}
    if no_peer:
        if "peer" not in inspect.signature(module.evaluate).parameters:
            raise click.UsageError(f"{stage} has no peer to skip")
        options["peer"] = False
    report = module.evaluate(Path(data), **options)
    click.echo(
        json.dumps(report, indent=2, sort_keys=True) if as_json else module.format_report(report)
    )


def main() -> None:
    """Console entry point."""
    cli()
