"""The `tollwatch` command: a thin layer over the library, one function per command."""

from __future__ import annotations

import csv
import json
import os
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from tollwatch import __version__
from tollwatch.errors import OlderSchema, TollwatchError
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


def _exit_for(summary: Summary) -> None:
    """Exit 1 when anything was skipped: 0 says that every report went through."""
    if not summary.complete:
        raise typer.Exit(1)


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
    try:
        with _progress("extracting") as progress:
            claims = (c for _, cs in extract_paths(paths, summary=summary, max_bytes=max_bytes,
                                                   progress=progress) for c in cs)
            write_claims(claims, fmt)
    except TollwatchError as e:
        raise _fail(e) from e
    _report(summary)
    _exit_for(summary)


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
    _exit_for(summary)


@app.command()
def claims(db: DbOption = DEFAULT_DB, fmt: FormatOption = Format.table) -> None:
    """Print the claims stored in the database.

    Example: tollwatch claims --db tollwatch.db --format csv > claims.csv
    """
    with _reading(db) as store:
        write_claims(store.claims(), fmt)


class IncidentFormat(StrEnum):
    json = "json"
    table = "table"


class ExportFormat(StrEnum):
    csv = "csv"
    geojson = "geojson"
    json = "json"


def _known_rule(rule: str) -> str:
    if rule not in BEST_RULES:
        raise typer.BadParameter(f"unknown rule {rule!r}; use one of {', '.join(BEST_RULES)}")
    return rule


RuleOption = Annotated[str, typer.Option(
    "--best", callback=_known_rule, help="Rule for the best estimate: " + "; ".join(
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


def _reading(db: Path) -> Store:
    """The database opened read-only: reading commands never write, so they work on a copy
    nobody may change. One made by an older tollwatch is upgraded first if it is writable."""
    if not db.exists():
        raise _fail(TollwatchError(f"{db}: no such database; run `tollwatch ingest` first"))
    try:
        try:
            return Store(db, readonly=True)
        except OlderSchema:
            if not os.access(db, os.W_OK):
                raise
            Store(db).close()
            return Store(db, readonly=True)
    except TollwatchError as e:
        raise _fail(e) from e


def _incidents(db: Path, rule: str, as_of: str | None = None) -> list[Incident]:
    with _reading(db) as store:
        try:
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
    with _reading(db) as store:
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
                                               help="Server processes.")] = 2,
          read_only: Annotated[bool, typer.Option(
              "--read-only", help="Never write to the database (no sign-in); chosen by "
                                  "itself when the file or its folder is not writable.")] = False,
          https: Annotated[bool, typer.Option(
              "--https", help="Browsers reach the app over HTTPS (through a proxy): mark "
                              "cookies Secure and send HSTS.")] = False) -> None:
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
    if not read_only and not (os.access(db, os.W_OK) and os.access(db.parent, os.W_OK)):
        typer.echo(f"{db} is not writable: serving it read-only", err=True)
        read_only = True
    try:
        create_app(db, readonly=read_only)  # fail here, not in a worker
    except TollwatchError as e:
        raise _fail(e) from e
    os.environ.update(TOLLWATCH_DB=str(db.resolve()), TOLLWATCH_READONLY=str(int(read_only)),
                      TOLLWATCH_HTTPS=str(int(https)))
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"serving {db}{' read-only' if read_only else ''} at "
               f"http{'s' if https else ''}://{shown}:{port}/ (Ctrl-C stops)", err=True)
    uvicorn.run("tollwatch.web:app_from_env", factory=True, host=host, port=port,
                workers=workers, log_level="warning")


user_app = typer.Typer(help="Reviewers' accounts.")
app.add_typer(user_app, name="user")
PasswordStdin = Annotated[bool, typer.Option(
    "--password-stdin", help="Read the password from standard input.")]


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return str(typer.prompt("password", hide_input=True, confirmation_prompt=True))


def _accounts(db: Path) -> Store:
    if not db.exists():
        raise _fail(TollwatchError(f"{db}: no such database; run `tollwatch ingest` first"))
    try:
        return Store(db)
    except TollwatchError as e:
        raise _fail(e) from e


@user_app.command("add")
def user_add(name: str, db: DbOption = DEFAULT_DB, password_stdin: PasswordStdin = False,
             role: Annotated[str, typer.Option(
                 "--role", help="reviewer (corrects claims) or admin (also sees failed "
                                "sign-ins in the audit log)")] = "reviewer") -> None:
    """Make an account (the password is asked for, or read with --password-stdin).

    Example: tollwatch user add alice --db tollwatch.db --role admin
    """
    from tollwatch.accounts import ROLES, add_user

    if role not in ROLES:
        raise _fail(TollwatchError(f"--role {role}: use one of {', '.join(ROLES)}"))
    password = _password(password_stdin)
    with _accounts(db) as store:
        try:
            add_user(store, name, password, role)
        except TollwatchError as e:
            raise _fail(e) from e
    typer.echo(f"user {name} ({role}) added to {db}", err=True)


@user_app.command("passwd")
def user_passwd(name: str, db: DbOption = DEFAULT_DB,
                password_stdin: PasswordStdin = False) -> None:
    """Set a new password; the account's sessions end.

    Example: tollwatch user passwd alice --db tollwatch.db
    """
    from tollwatch.accounts import set_password

    password = _password(password_stdin)
    with _accounts(db) as store:
        try:
            set_password(store, name, password)
        except TollwatchError as e:
            raise _fail(e) from e
    typer.echo(f"password of {name} changed; its sessions ended", err=True)


@user_app.command("disable")
def user_disable(name: str, db: DbOption = DEFAULT_DB,
                 enable: Annotated[bool, typer.Option(
                     "--enable", help="Enable a disabled account again.")] = False) -> None:
    """Disable an account: it cannot sign in and its sessions end.

    Example: tollwatch user disable alice --db tollwatch.db
    """
    from tollwatch.accounts import set_disabled

    with _accounts(db) as store:
        try:
            set_disabled(store, name, not enable)
        except TollwatchError as e:
            raise _fail(e) from e
    typer.echo(f"user {name} {'enabled' if enable else 'disabled; its sessions ended'}",
               err=True)


@user_app.command("list")
def user_list(db: DbOption = DEFAULT_DB) -> None:
    """List accounts: role, state, live sessions, failed sign-ins since the last success.

    Example: tollwatch user list --db tollwatch.db
    """
    from tollwatch.accounts import accounts

    with _accounts(db) as store:
        rows = accounts(store, time.time())
    typer.echo("name\trole\tstate\tsessions\tfailed sign-ins\tcreated")
    for a in rows:
        typer.echo(f"{a.name}\t{a.role}\t{'disabled' if a.disabled else 'active'}\t"
                   f"{a.sessions}\t{a.failures}\t{a.created}")


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
