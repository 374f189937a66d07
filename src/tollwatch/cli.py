"""The `tollwatch` command: a thin layer over the library, one function per command."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from tollwatch import __version__
from tollwatch.errors import TollwatchError
from tollwatch.ingest import MAX_BYTES
from tollwatch.pipeline import (
    Progress,
    Summary,
    extract_paths,
    ingest_paths,
    load_incidents,
    refresh_incidents,
)
from tollwatch.reconcile import BEST_RULES, DEFAULT_RULE
from tollwatch.records import CLAIM_FIELDS, Claim, Incident
from tollwatch.store import Store

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Casualty figures from news reports, each traced to its words and source.")


class Format(StrEnum):
    jsonl = "jsonl"
    csv = "csv"
    table = "table"


# Shared options, declared once.
DbOption = Annotated[Path, typer.Option("--db", help="SQLite database file.")]
FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
PathsArg = Annotated[list[Path], typer.Argument(help="Report files or folders (recursive).")]
MaxBytesOption = Annotated[int, typer.Option("--max-bytes", help="Largest single report read.")]
DEFAULT_DB = Path("tollwatch.db")
TABLE_COLUMNS = ("document", "outcome", "count_low", "count_high", "victims", "place", "admin1",
                 "date_start", "date_end", "source", "hedged", "part_of", "quote")
TABLE_HEADERS = ("report", "outcome", "low", "high", "victims", "place", "admin1", "from", "to",
                 "source", "hedged", "part of", "quote")


def _fail(e: TollwatchError) -> typer.Exit:
    typer.echo(f"Error: {e}", err=True)
    return typer.Exit(1)


@contextmanager
def _progress(label: str) -> Iterator[Progress | None]:
    """A rich progress line on a terminal; nothing when stderr is piped."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.progress import Progress as Bar
    from rich.progress import SpinnerColumn, TextColumn, TimeElapsedColumn

    with Bar(SpinnerColumn(), TextColumn("{task.description}"),
             TextColumn("{task.completed} reports"), TimeElapsedColumn(), transient=True) as bar:
        task = bar.add_task(label, total=None)
        yield lambda name: bar.update(task, advance=1, description=f"{label} {name[:40]}")


def _report(summary: Summary) -> None:
    for line in summary.lines():
        typer.echo(line, err=True)


def write_claims(claims: Iterable[Claim], fmt: Format, out: typer.FileTextWrite | None = None
                 ) -> None:
    stream = out or sys.stdout
    if fmt is Format.jsonl:
        for c in claims:
            stream.write(json.dumps(c.to_dict(), ensure_ascii=False) + "\n")
    elif fmt is Format.csv:
        writer = csv.DictWriter(stream, fieldnames=list(CLAIM_FIELDS))
        writer.writeheader()
        for c in claims:
            row = c.to_dict()
            row["descriptors"] = ";".join(row["descriptors"])
            writer.writerow(row)
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(*TABLE_HEADERS, box=None, pad_edge=False)
        for c in claims:
            d = c.to_dict()
            d["quote"] = d["quote"][:50] + ("…" if len(d["quote"]) > 50 else "")
            d["source"] = d["source"] and d["source"][:30]
            d["part_of"] = d["part_of"] and d["part_of"].rsplit("-", 1)[-1]
            d["hedged"] = "yes" if d["hedged"] else ""
            table.add_row(*["" if d[k] is None else str(d[k]) for k in TABLE_COLUMNS])
        Console(file=stream, width=None if stream.isatty() else 250, soft_wrap=True,
                highlight=False).print(table)


@app.command()
def extract(paths: PathsArg, fmt: FormatOption = Format.jsonl,
            max_bytes: MaxBytesOption = MAX_BYTES) -> None:
    """Extract casualty claims from reports and print them; nothing is stored.

    Example: tollwatch extract examples/ --format table
    """
    summary = Summary()
    with _progress("extracting") as progress:
        claims = (c for _, cs in extract_paths(paths, summary=summary, max_bytes=max_bytes,
                                               progress=progress) for c in cs)
        write_claims(claims, fmt)
    _report(summary)


@app.command()
def ingest(paths: PathsArg, db: DbOption = DEFAULT_DB,
           max_bytes: MaxBytesOption = MAX_BYTES) -> None:
    """Read reports, extract their claims and store both in the database.

    Example: tollwatch ingest examples/ --db tollwatch.db
    """
    try:
        with Store(db) as store, _progress("ingesting") as progress:
            summary = ingest_paths(paths, store, max_bytes=max_bytes, progress=progress)
            countries = refresh_incidents(store)
            docs, claims = store.counts()
    except TollwatchError as e:
        raise _fail(e) from e
    _report(summary)
    typer.echo(f"incidents recomputed for {countries} "
               f"countr{'y' if countries == 1 else 'ies'}", err=True)
    typer.echo(f"database {db}: {docs} reports, {claims} claims", err=True)


@app.command()
def claims(db: DbOption = DEFAULT_DB, fmt: FormatOption = Format.table) -> None:
    """Print the claims stored in the database.

    Example: tollwatch claims --db tollwatch.db --format csv > claims.csv
    """
    if not db.exists():
        raise _fail(TollwatchError(f"{db}: no such database; run `tollwatch ingest` first"))
    try:
        with Store(db) as store:
            write_claims(store.claims(), fmt)
    except TollwatchError as e:
        raise _fail(e) from e


class IncidentFormat(StrEnum):
    json = "json"
    table = "table"


class ExportFormat(StrEnum):
    csv = "csv"
    geojson = "geojson"
    json = "json"


RuleOption = Annotated[str, typer.Option(
    "--best", help="Rule for the best estimate: " + "; ".join(
        f"{k}: {v}" for k, v in BEST_RULES.items()))]


AsOfOption = Annotated[str | None, typer.Option(
    "--as-of", metavar="YYYY-MM-DD",
    help="Reconstruct the figures as they stood on this day (reports published up to it).")]


def _as_of(as_of: str | None) -> str | None:
    from datetime import date

    if as_of is None:
        return None
    try:
        return date.fromisoformat(as_of).isoformat()
    except ValueError:
        raise _fail(TollwatchError(f"--as-of {as_of}: not a date; write it as YYYY-MM-DD, "
                                   f"e.g. 2025-03-07")) from None


def _incidents(db: Path, rule: str, as_of: str | None = None) -> list[Incident]:
    if not db.exists():
        raise _fail(TollwatchError(f"{db}: no such database; run `tollwatch ingest` first"))
    if rule not in BEST_RULES:
        raise _fail(TollwatchError(f"--best {rule}: unknown rule; use one of "
                                   f"{', '.join(BEST_RULES)}"))
    try:
        with Store(db) as store:
            return load_incidents(store, rule, _as_of(as_of))
    except TollwatchError as e:
        raise _fail(e) from e


def _print_json(found: list[Incident]) -> None:
    from tollwatch.export import incident_to_dict

    typer.echo(json.dumps([incident_to_dict(i) for i in found], ensure_ascii=False, indent=1))


@app.command()
def incidents(db: DbOption = DEFAULT_DB,
              fmt: Annotated[IncidentFormat, typer.Option("--format", "-f")] = IncidentFormat.table,
              best: RuleOption = DEFAULT_RULE, as_of: AsOfOption = None) -> None:
    """Print incidents with their reconciled figures (JSON: the contract of DESIGN.md).

    Example: tollwatch incidents --format json --as-of 2025-03-07 > incidents.json
    """
    from tollwatch.export import tolls_text

    found = _incidents(db, best, as_of)
    if fmt is IncidentFormat.json:
        _print_json(found)
    else:
        typer.echo(tolls_text(found, best, _as_of(as_of)), nl=False)


@app.command()
def tolls(db: DbOption = DEFAULT_DB, best: RuleOption = DEFAULT_RULE,
          as_of: AsOfOption = None) -> None:
    """Readable tolls: per incident and group the range, best, grade and each source's latest
    figure with its date.

    Example: tollwatch tolls --db tollwatch.db --as-of 2025-03-07
    """
    from tollwatch.export import tolls_text

    typer.echo(tolls_text(_incidents(db, best, as_of), best, _as_of(as_of)), nl=False)


@app.command()
def export(db: DbOption = DEFAULT_DB,
           fmt: Annotated[ExportFormat, typer.Option("--format", "-f")] = ExportFormat.csv,
           best: RuleOption = DEFAULT_RULE, as_of: AsOfOption = None) -> None:
    """Export incidents: CSV in the manner of ACLED/UCDP GED, GeoJSON, or JSON.

    Example: tollwatch export --format geojson > incidents.geojson
    """
    from tollwatch.export import export_csv, export_geojson

    found = _incidents(db, best, as_of)
    if fmt is ExportFormat.csv:
        sys.stdout.write(export_csv(found))
    elif fmt is ExportFormat.geojson:
        typer.echo(export_geojson(found))
    else:
        _print_json(found)


@app.command()
def report(db: DbOption = DEFAULT_DB,
           out: Annotated[Path, typer.Option("--out", help="HTML file to write.")] = Path(
               "report.html"),
           best: RuleOption = DEFAULT_RULE, as_of: AsOfOption = None) -> None:
    """Write one self-contained HTML report that opens offline, and print its path.

    Example: tollwatch report --db tollwatch.db --out report.html
    """
    from tollwatch.gazetteer import Gazetteer
    from tollwatch.report import build, write

    found = _incidents(db, best, as_of)
    day = _as_of(as_of)
    with Store(db) as store:
        documents = [d for d in store.documents()
                     if day is None or (d.published or "9999")[:10] <= day]
        kept = {d.id for d in documents}
        html = build(found, [c for c in store.claims() if c.document_id in kept], documents,
                     Gazetteer.open(), best, as_of=day)
    write(out, html)
    typer.echo(f"report written to {out}")


@app.command()
def serve(db: DbOption = DEFAULT_DB,
          host: Annotated[str, typer.Option("--host")] = "127.0.0.1",
          port: Annotated[int, typer.Option("--port")] = 8000,
          workers: Annotated[int, typer.Option("--workers", min=1,
                                               help="Server processes.")] = 2) -> None:
    """Serve the review web app and its JSON API (OpenAPI at /openapi.json).

    Example: tollwatch serve --db tollwatch.db --port 8000
    """
    if not db.exists():
        raise _fail(TollwatchError(f"{db}: no such database; run `tollwatch ingest` first"))
    try:
        import uvicorn

        from tollwatch.web import create_app
    except ImportError as e:
        raise _fail(TollwatchError(f"the web app needs its extra: pip install "
                                   f"'tollwatch[web]' ({e.name} is missing)")) from e
    import os

    create_app(db)  # fail here, not in a worker, if the database cannot be served
    os.environ["TOLLWATCH_DB"] = str(db.resolve())
    uvicorn.run("tollwatch.web:app_from_env", factory=True, host=host, port=port,
                workers=workers, log_level="warning")


user_app = typer.Typer(help="Reviewers' accounts.")
app.add_typer(user_app, name="user")


@user_app.command("add")
def user_add(name: str, db: DbOption = DEFAULT_DB,
             password_stdin: Annotated[bool, typer.Option(
                 "--password-stdin", help="Read the password from standard input.")] = False
             ) -> None:
    """Make a reviewer account (the password is asked for, or read with --password-stdin).

    Example: tollwatch user add alice --db tollwatch.db
    """
    from tollwatch.review import add_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    try:
        with Store(db) as store:
            add_user(store, name, password)
    except TollwatchError as e:
        raise _fail(e) from e
    typer.echo(f"user {name} added to {db}", err=True)


gazetteer_app = typer.Typer(help="The offline gazetteer used to place claims.")
app.add_typer(gazetteer_app, name="gazetteer")


@gazetteer_app.command("import")
def gazetteer_import(files: Annotated[list[Path], typer.Argument(
        help="GeoNames dumps: XX.txt, allCountries.zip, cities500.zip, alternateNamesV2.zip")]
                     ) -> None:
    """Add places from GeoNames dumps you downloaded; they are used from then on.

    Example: tollwatch gazetteer import SY.zip alternateNamesV2.zip
    """
    from tollwatch.gazetteer import default_path, import_geonames

    for f in files:
        if not f.exists():
            raise _fail(TollwatchError(f"{f}: no such file"))
        try:
            n = import_geonames(f)
        except (OSError, ValueError, UnicodeDecodeError) as e:
            raise _fail(TollwatchError(f"{f}: not a GeoNames dump ({e})")) from e
        typer.echo(f"{f}: {n} rows added to {default_path()}", err=True)


@app.command()
def version() -> None:
    """Print the version. Example: tollwatch version"""
    typer.echo(__version__)


def main() -> None:
    app()
