"""Issue 10, points 15-17: accounts from the command line, `serve` start-up, read-only
databases."""

import hashlib
import json
import socket
import sqlite3
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from test_web import db, khan, login  # noqa: F401 (db is a fixture)
from tollwatch.cli import app
from tollwatch.errors import OlderSchema
from tollwatch.store import MIGRATIONS, Store
from tollwatch.web import create_app


def run(*args, stdin=None):
    result = CliRunner().invoke(app, [str(a) for a in args], input=stdin)
    return result.exit_code, result.output


# 15: accounts

def test_user_list_passwd_and_disable(db):  # noqa: F811
    assert run("user", "add", "carol", "--db", db, "--role", "admin", "--password-stdin",
               stdin="carol's password\n") == (0, f"user carol (admin) added to {db}\n")
    client = TestClient(create_app(db))
    headers = login(client, "alice", "correct horse")
    assert client.post("/api/session", json={"name": "bob", "password": "wrong one"}
                       ).status_code == 401
    code, out = run("user", "list", "--db", db)
    assert code == 0
    assert [line.split("\t")[:5] for line in out.splitlines()] == [
        ["name", "role", "state", "sessions", "failed sign-ins"],
        ["alice", "reviewer", "active", "1", "0"],
        ["bob", "reviewer", "active", "0", "1"],
        ["carol", "admin", "active", "0", "0"]]
    assert run("user", "passwd", "alice", "--db", db, "--password-stdin",
               stdin="another horse\n") == (0, "password of alice changed; its sessions ended\n")
    _, f = khan(client)
    r = client.patch(f"/api/claims/{f['claims'][0]}", headers=headers,
                     json={"version": 0, "changes": {"count_low": 1}})
    assert r.status_code == 401
    assert run("user", "disable", "bob", "--db", db) == (
        0, "user bob disabled; its sessions ended\n")
    assert client.post("/api/session", json={"name": "bob", "password": "battery staple"}
                       ).status_code == 401
    assert run("user", "list", "--db", db)[1].splitlines()[2].split("\t")[:3] == [
        "bob", "reviewer", "disabled"]
    assert run("user", "disable", "bob", "--enable", "--db", db)[0] == 0
    login(client, "bob", "battery staple")
    assert run("user", "passwd", "nobody", "--db", db, "--password-stdin",
               stdin="whatever123\n") == (
        1, "Error: nobody: no such user; see `tollwatch user list`\n")
    assert run("user", "add", "dave", "--db", db, "--role", "root", "--password-stdin",
               stdin="x" * 8 + "\n") == (1, "Error: --role root: use one of reviewer, admin\n")


# 16: serve

def test_serve_on_a_file_that_is_not_a_database_is_a_clean_error(tmp_path):
    (tmp_path / "notes.db").write_text("these are my notes, not a database\n" * 50)
    code, out = run("serve", "--db", tmp_path / "notes.db")
    assert code == 1
    assert out.startswith(f"Error: {tmp_path / 'notes.db'}: not a tollwatch database (")
    assert "Traceback" not in out


def test_serve_prints_the_url_it_listens_on(db):  # noqa: F811
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "tollwatch", "serve", "--db", str(db),
                             "--port", str(port), "--workers", "1"],
                            stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stderr.readline()
        assert line == f"serving {db} at http://127.0.0.1:{port}/ (Ctrl-C stops)\n"
    finally:
        proc.terminate()
        proc.wait(10)
        proc.stderr.close()


# 17: read-only databases

def fingerprint(folder):
    return {p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(folder.iterdir())}


@pytest.fixture()
def locked(db, tmp_path):  # noqa: F811
    """The database alone in a folder, file and folder unwritable (root ignores the bits:
    the fingerprint shows whether anything was written)."""
    folder = tmp_path / "handed-over"
    folder.mkdir()
    path = folder / "copy.db"
    src = sqlite3.connect(db)
    dst = sqlite3.connect(path)
    src.backup(dst)
    src.close()
    dst.execute("PRAGMA journal_mode = WAL")  # as tollwatch leaves its files
    dst.close()
    assert sorted(p.name for p in folder.iterdir()) == ["copy.db"]
    path.chmod(0o444)
    folder.chmod(0o555)
    yield path
    folder.chmod(0o755)


def test_reading_commands_work_on_a_read_only_database_and_never_write(locked, tmp_path):
    before = fingerprint(locked.parent)
    code, out = run("claims", "--db", locked, "--format", "csv")
    assert code == 0 and len(out.splitlines()) == 4  # a header and three claims
    code, out = run("tolls", "--db", locked)
    assert code == 0 and "Khan Younis" in out
    code, out = run("incidents", "--db", locked, "--format", "json")
    assert code == 0 and len(json.loads(out)) == 4
    assert run("export", "--db", locked, "--format", "geojson")[0] == 0
    code, out = run("report", "--db", locked, "--out", tmp_path / "r.html")
    assert (code, out) == (0, f"report written to {tmp_path / 'r.html'}\n")
    client = TestClient(create_app(locked, readonly=True))
    for url in ("/", "/claims", "/reports", "/sources", "/audit", "/api/incidents"):
        assert client.get(url).status_code == 200, url
    _, f = khan(client)
    assert client.get(f"/claims/{f['claims'][0]}").status_code == 200
    assert "read-only" in client.get("/").text
    r = client.post("/api/session", json={"name": "alice", "password": "correct horse"})
    assert (r.status_code, r.json()["detail"]) == (
        403, "this database is served read-only; nothing can be changed here")
    assert fingerprint(locked.parent) == before


def test_a_read_only_store_refuses_writes(locked):
    with Store(locked, readonly=True) as store, pytest.raises(sqlite3.OperationalError,
                                                               match="readonly"):
        store.conn.execute("DELETE FROM claims")


def test_a_read_only_database_of_an_older_schema_says_what_to_do(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.executescript(MIGRATIONS[0])
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    with pytest.raises(OlderSchema, match=r"old.db: made by an older tollwatch \(schema 1"):
        Store(path, readonly=True)


def test_pages_never_recompute_and_writes_leave_incidents_fresh(db):  # noqa: F811
    client = TestClient(create_app(db))
    with Store(db) as store:
        store.conn.execute("INSERT INTO stale_countries VALUES ('CD')")
    for url in ("/", "/api/incidents"):
        assert client.get(url).status_code == 200
    with Store(db) as store:
        assert store.stale_countries() == ["CD"]
        store.conn.execute("DELETE FROM stale_countries")
    headers = login(client, "alice", "correct horse")
    _, f = khan(client)
    r = client.patch(f"/api/claims/{f['claims'][0]}", headers=headers,
                     json={"version": 0, "changes": {"count_low": 14, "count_high": 14}})
    assert r.status_code == 200
    with Store(db) as store:
        assert store.stale_countries() == []
    assert (khan(client)[1]["low"], khan(client)[1]["high"]) == (14, 15)


def test_commands_refuse_a_database_of_another_program_and_leave_it_as_it_was(tmp_path):
    """A valid SQLite file with other tables (user_version 0) was silently upgraded into a
    tollwatch database by `serve` and even by reading commands."""
    folder = tmp_path / "theirs"
    folder.mkdir()
    path = folder / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO notes (body) VALUES ('buy milk')")
    conn.commit()
    conn.close()
    before = fingerprint(folder)
    error = (f"Error: {path}: not a tollwatch database (it holds tables tollwatch did not "
             f"make: notes); pass another --db file\n")
    for command in (["serve"], ["claims"], ["tolls"], ["export"], ["user", "list"],
                    ["ingest", tmp_path / "none.txt"]):
        assert run(*command, "--db", path) == (1, error), command
    assert fingerprint(folder) == before


def test_ingest_makes_a_new_database_of_an_empty_file(tmp_path, extractor, monkeypatch):
    import tollwatch.pipeline

    monkeypatch.setattr(tollwatch.pipeline, "Extractor", lambda: extractor)
    (tmp_path / "a.txt").write_text("Officials said 12 people were killed in the attack.")
    (tmp_path / "new.db").touch()
    code, out = run("ingest", tmp_path / "a.txt", "--db", tmp_path / "new.db")
    assert (code, out.splitlines()[-1]) == (0, f"database {tmp_path / 'new.db'}: 1 reports, "
                                               f"1 claims")
    code, out = run("claims", "--db", tmp_path / "new.db", "--format", "jsonl")
    assert (code, [json.loads(line)["count_low"] for line in out.splitlines()]) == (0, [12])
