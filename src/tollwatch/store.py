"""The store: documents and claims in one SQLite file.

Schema changes are numbered migrations applied in order on open; `PRAGMA user_version`
records how far a database has come, so a file made by an older tollwatch keeps working
and one made by a newer tollwatch is refused with a clear message. Each document and its
claims are written in one transaction: a failure leaves nothing half-written.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tollwatch.errors import OlderSchema, StoreError
from tollwatch.records import CLAIM_FIELDS, Claim, Document

MIGRATIONS: list[str] = [
    # 1: documents and claims
    """
    CREATE TABLE documents (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        title TEXT, outlet TEXT, url TEXT,
        published TEXT, published_inferred INTEGER NOT NULL DEFAULT 0,
        language TEXT NOT NULL DEFAULT 'en',
        text TEXT NOT NULL,
        ingested_at TEXT NOT NULL
    );
    CREATE TABLE document_names (
        document_id TEXT NOT NULL REFERENCES documents(id),
        name TEXT NOT NULL,
        PRIMARY KEY (document_id, name)
    );
    CREATE TABLE claims (
        id TEXT PRIMARY KEY,
        document_id TEXT NOT NULL REFERENCES documents(id),
        document TEXT NOT NULL,
        start INTEGER NOT NULL, "end" INTEGER NOT NULL, quote TEXT NOT NULL,
        count_start INTEGER NOT NULL, count_end INTEGER NOT NULL,
        outcome TEXT NOT NULL, count_low INTEGER, count_high INTEGER,
        victims TEXT NOT NULL, descriptors TEXT NOT NULL DEFAULT '[]',
        source TEXT, hedged INTEGER NOT NULL DEFAULT 0, part_of TEXT, perpetrator TEXT
    );
    CREATE INDEX claims_document ON claims(document_id);
    """,
    # 2: places and dates of claims
    """
    ALTER TABLE claims ADD COLUMN place TEXT;
    ALTER TABLE claims ADD COLUMN admin1 TEXT;
    ALTER TABLE claims ADD COLUMN country TEXT;
    ALTER TABLE claims ADD COLUMN lat REAL;
    ALTER TABLE claims ADD COLUMN lon REAL;
    ALTER TABLE claims ADD COLUMN where_prec INTEGER;
    ALTER TABLE claims ADD COLUMN date_start TEXT;
    ALTER TABLE claims ADD COLUMN date_end TEXT;
    ALTER TABLE claims ADD COLUMN date_prec INTEGER;
    """,
    # 3: incidents, kept per country so that a new report recomputes only its countries
    """
    CREATE INDEX claims_country ON claims(country);
    CREATE TABLE incidents (
        id TEXT PRIMARY KEY, parent TEXT, country TEXT NOT NULL, position INTEGER NOT NULL,
        data TEXT NOT NULL
    );
    CREATE INDEX incidents_country ON incidents(country);
    CREATE TABLE stale_countries (country TEXT PRIMARY KEY);
    """,
    # 4: figures carry their best rule; stored incidents are derived, so recompute them
    # (every change to the stored incident layout adds a migration like this one)
    """
    DELETE FROM incidents;
    INSERT OR IGNORE INTO stale_countries SELECT DISTINCT coalesce(country, '') FROM claims;
    """,
    # 5: review: accounts, claim versions and status, the audit log, searchable incidents
    """
    CREATE TABLE users (name TEXT PRIMARY KEY, password TEXT NOT NULL, created TEXT NOT NULL);
    CREATE TABLE settings (k TEXT PRIMARY KEY, v TEXT NOT NULL);
    ALTER TABLE claims ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE claims ADD COLUMN status TEXT NOT NULL DEFAULT 'active';
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, user TEXT NOT NULL,
        claim TEXT NOT NULL, action TEXT NOT NULL, before TEXT NOT NULL, after TEXT NOT NULL
    );
    CREATE INDEX audit_claim ON audit(claim);
    ALTER TABLE incidents ADD COLUMN label TEXT NOT NULL DEFAULT '';
    ALTER TABLE incidents ADD COLUMN date_start TEXT;
    ALTER TABLE incidents ADD COLUMN date_end TEXT;
    ALTER TABLE incidents ADD COLUMN outcomes TEXT NOT NULL DEFAULT '';
    ALTER TABLE incidents ADD COLUMN grades TEXT NOT NULL DEFAULT '';
    ALTER TABLE incidents ADD COLUMN toll INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE incidents ADD COLUMN summary TEXT NOT NULL DEFAULT '{}';
    CREATE INDEX incidents_date ON incidents(date_start);
    CREATE INDEX incidents_toll ON incidents(toll DESC, id);
    CREATE INDEX incidents_parent ON incidents(parent);
    CREATE INDEX claims_order ON claims(document, count_start);
    DELETE FROM incidents;
    INSERT OR IGNORE INTO stale_countries SELECT DISTINCT coalesce(country, '') FROM claims;
    """,
    # 6: scope of a figure (event, cumulative, background) and figures marked as earlier
    """
    ALTER TABLE claims ADD COLUMN scope TEXT NOT NULL DEFAULT 'event';
    ALTER TABLE claims ADD COLUMN earlier INTEGER NOT NULL DEFAULT 0;
    """,
    # 7: accounts: roles, disabling, server-side sessions, failed sign-ins for throttling
    """
    ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'reviewer';
    ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE sessions (
        id TEXT PRIMARY KEY, user TEXT NOT NULL REFERENCES users(name), csrf TEXT NOT NULL,
        created REAL NOT NULL, expires REAL NOT NULL
    );
    CREATE INDEX sessions_user ON sessions(user);
    CREATE TABLE login_failures (key TEXT PRIMARY KEY, failures INTEGER NOT NULL,
                                 last REAL NOT NULL);
    """,
    # 8: incidents are events (not country waves), figures carry status, derived totals,
    # outlets and context figures: stored incidents are derived, so recompute them
    """
    DELETE FROM incidents;
    INSERT OR IGNORE INTO stale_countries SELECT DISTINCT coalesce(country, '') FROM claims;
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)


class Store:
    """A tollwatch database. Use as a context manager, or call `close()`.

    With `readonly=True` nothing is ever written, not even SQLite's -wal and -shm files
    beside it: a copy handed to an analyst on a read-only disk can be read. Such a database
    must already be at this tollwatch's schema.
    """

    def __init__(self, path: str | Path, readonly: bool = False) -> None:
        self.path = str(path)
        self.readonly = readonly
        if readonly and not Path(self.path).is_file():
            raise StoreError(f"{self.path}: no such database; run `tollwatch ingest` first")
        try:
            # one Store per request in the web app; FastAPI may hand it between threads, one
            # at a time, so the same-thread check is off
            if readonly:
                self.conn = sqlite3.connect(_readonly_uri(Path(self.path)), uri=True,
                                            isolation_level=None, check_same_thread=False)
            else:
                self.conn = sqlite3.connect(self.path, isolation_level=None,
                                            check_same_thread=False)
        except sqlite3.Error as e:
            raise StoreError(f"{self.path}: cannot open the database ({e})") from e
        self.conn.row_factory = sqlite3.Row
        try:
            self.conn.execute("PRAGMA foreign_keys = ON")
            # before anything is written (even the switch to WAL changes the file's
            # header): a database made by another program is refused untouched
            self._check_ours()
            if readonly:
                self._check_schema()
            else:
                self.conn.execute("PRAGMA journal_mode = WAL")
                self._migrate()
        except sqlite3.DatabaseError as e:
            self.conn.close()
            raise StoreError(f"{self.path}: not a tollwatch database ({e}); "
                             f"pass another --db file") from e
        except StoreError:
            self.conn.close()
            raise

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    def schema_version(self) -> int:
        version = int(self.conn.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: made by a newer tollwatch (schema {version}, this "
                             f"one knows {SCHEMA_VERSION}); upgrade tollwatch")
        return version

    def _check_ours(self) -> None:
        """Refuse a SQLite file that tollwatch did not make: one with tables but no schema
        version (every migration sets one), or with a version but without tollwatch's
        tables. A file with nothing in it is a new database."""
        version = self.schema_version()
        tables = [r[0] for r in self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        if version == 0 and self.conn.execute("SELECT 1 FROM sqlite_master").fetchone():
            shown = ", ".join(tables[:5]) + (", ..." if len(tables) > 5 else "")
            raise StoreError(f"{self.path}: not a tollwatch database (it holds tables "
                             f"tollwatch did not make: {shown or 'none, but other objects'}); "
                             f"pass another --db file")
        if version and not {"documents", "claims"} <= set(tables):
            raise StoreError(f"{self.path}: not a tollwatch database (schema {version} but no "
                             f"documents and claims tables); pass another --db file")

    def _check_schema(self) -> None:
        version = self.schema_version()
        if version == 0 and not self.conn.execute("SELECT 1 FROM sqlite_master").fetchone():
            raise StoreError(f"{self.path}: not a tollwatch database (empty); "
                             f"pass another --db file")
        if version < SCHEMA_VERSION:
            raise OlderSchema(f"{self.path}: made by an older tollwatch (schema {version}, this "
                             f"one reads {SCHEMA_VERSION}) and opened read-only; open a "
                             f"writable copy once (e.g. `tollwatch user list --db COPY`) to "
                             f"upgrade it")

    def _migrate(self) -> None:
        version = self.schema_version()
        for n in range(version, SCHEMA_VERSION):
            self.conn.execute("BEGIN")
            try:
                for statement in MIGRATIONS[n].split(";"):
                    if statement.strip():
                        self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version = {n + 1}")
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise

    # --- writing ------------------------------------------------------------------------

    def has_document(self, document_id: str) -> bool:
        row = self.conn.execute("SELECT 1 FROM documents WHERE id = ?", (document_id,)).fetchone()
        return row is not None

    def add(self, document: Document, claims: list[Claim]) -> bool:
        """Store a document with its claims; False (and only its name kept) if already stored."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            if self.has_document(document.id):
                self.conn.execute("INSERT OR IGNORE INTO document_names VALUES (?, ?)",
                                  (document.id, document.name))
                self.conn.execute("COMMIT")
                return False
            self.conn.execute(
                "INSERT INTO documents (id, name, title, outlet, url, published, "
                "published_inferred, language, text, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (document.id, document.name, document.title, document.outlet, document.url,
                 document.published, int(document.published_inferred), document.language,
                 document.text, now))
            self.conn.execute("INSERT INTO document_names VALUES (?, ?)",
                              (document.id, document.name))
            columns = ", ".join(f'"{c}"' for c in CLAIM_FIELDS)
            marks = ", ".join("?" for _ in CLAIM_FIELDS)
            self.conn.executemany(f"INSERT INTO claims ({columns}) VALUES ({marks})",
                                  [_claim_row(c) for c in claims])
            self.conn.executemany("INSERT OR IGNORE INTO stale_countries VALUES (?)",
                                  [(c.country or "",) for c in claims])
            self.conn.execute("COMMIT")
            return True
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

    # --- reading ------------------------------------------------------------------------

    def claims(self) -> Iterator[Claim]:
        for row in self.conn.execute("SELECT * FROM claims ORDER BY document, count_start"):
            yield claim_from_row(row)

    def documents(self) -> Iterator[Document]:
        for row in self.conn.execute("SELECT * FROM documents ORDER BY name"):
            yield Document(id=row["id"], name=row["name"], text=row["text"], title=row["title"],
                           outlet=row["outlet"], url=row["url"], published=row["published"],
                           published_inferred=bool(row["published_inferred"]),
                           language=row["language"])

    def claims_of_country(self, country: str) -> list[Claim]:
        """A country's claims, leaving out those a reviewer rejected."""
        rows = self.conn.execute("SELECT * FROM claims WHERE coalesce(country, '') = ? "
                                 "AND status = 'active' ORDER BY document, count_start",
                                 (country,))
        return [claim_from_row(r) for r in rows]

    def document_meta(self, ids: set[str]) -> dict[str, tuple[str | None, str | None]]:
        """document id -> (outlet, published) for the ids given."""
        out = {}
        wanted = sorted(ids)
        for n in range(0, len(wanted), 500):
            chunk = wanted[n:n + 500]
            marks = ",".join("?" for _ in chunk)
            for row in self.conn.execute(
                    f"SELECT id, outlet, published FROM documents WHERE id IN ({marks})", chunk):
                out[row[0]] = (row[1], row[2])
        return out

    def document_sources(self, ids: set[str]
                         ) -> dict[str, tuple[str, str | None, str | None, str | None]]:
        """document id -> (name, outlet, url, published) for the ids given."""
        out = {}
        wanted = sorted(ids)
        for n in range(0, len(wanted), 500):
            chunk = wanted[n:n + 500]
            marks = ",".join("?" for _ in chunk)
            for row in self.conn.execute(
                    f"SELECT id, name, outlet, url, published FROM documents "
                    f"WHERE id IN ({marks})", chunk):
                out[row[0]] = (row[1], row[2], row[3], row[4])
        return out

    def claims_of_documents(self, ids: set[str]) -> list[Claim]:
        """The claims of the documents given, leaving out those a reviewer rejected."""
        out: list[Claim] = []
        wanted = sorted(ids)
        for n in range(0, len(wanted), 500):
            chunk = wanted[n:n + 500]
            marks = ",".join("?" for _ in chunk)
            out.extend(claim_from_row(r) for r in self.conn.execute(
                f"SELECT * FROM claims WHERE document_id IN ({marks}) AND status = 'active' "
                f"ORDER BY document, count_start", chunk))
        return out

    def countries(self) -> list[str]:
        return [r[0] for r in self.conn.execute(
            "SELECT DISTINCT coalesce(country, '') FROM claims ORDER BY 1")]

    def data_version(self) -> tuple[int, int]:
        """Changes when claims are added or reviewed: (claims stored, last audit entry)."""
        row = self.conn.execute("SELECT (SELECT count(*) FROM claims), "
                                "(SELECT coalesce(max(id), 0) FROM audit)").fetchone()
        return int(row[0]), int(row[1])

    def stale_countries(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT country FROM stale_countries")]

    def replace_incidents(self, country: str, incidents: list[dict[str, Any]]) -> None:
        """Swap a country's incidents (dicts of the JSON contract) in one transaction."""
        rows = []
        for n, d in enumerate(incidents):
            killed = [f["best"] or 0 for f in d["figures"] if f["outcome"] == "killed"]
            rows.append((d["id"], d["parent"], country, n, json.dumps(d), d["label"],
                         d["date_start"], d["date_end"],
                         " ".join(sorted({f["outcome"] for f in d["figures"]})),
                         " ".join(sorted({f["grade"] for f in d["figures"]})),
                         max(killed, default=0), json.dumps(_summary(d))))
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            self.conn.execute("DELETE FROM incidents WHERE country = ?", (country,))
            self.conn.executemany(
                "INSERT INTO incidents (id, parent, country, position, data, label, date_start, "
                "date_end, outcomes, grades, toll, summary) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                rows)
            self.conn.execute("DELETE FROM stale_countries WHERE country = ?", (country,))
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

    def incident_rows(self) -> list[tuple[str, str]]:
        """(country, incident JSON) of every stored incident, by country and position."""
        return [(r[0], r[1]) for r in self.conn.execute(
            "SELECT country, data FROM incidents ORDER BY country, position")]

    # --- accounts (the rules are in `accounts`; here only their rows) -------------------

    def setting(self, key: str) -> str | None:
        row = self.conn.execute("SELECT v FROM settings WHERE k = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def setting_default(self, key: str, value: str) -> str:
        """The setting `key`, stored as `value` first if it has none (one writer wins)."""
        with self.conn:
            self.conn.execute("INSERT OR IGNORE INTO settings VALUES (?, ?)", (key, value))
        return str(self.setting(key))

    def user(self, name: str) -> sqlite3.Row | None:
        """name, password (hash), created, role, disabled."""
        return self.conn.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone()

    def users(self, now: float) -> list[sqlite3.Row]:
        """Every account with its count of live sessions and of recent failed sign-ins."""
        return self.conn.execute(
            "SELECT u.name, u.role, u.disabled, u.created, "
            "(SELECT count(*) FROM sessions s WHERE s.user = u.name AND s.expires > ?) "
            "AS sessions, coalesce((SELECT failures FROM login_failures f "
            "WHERE f.key = 'user:' || u.name), 0) AS failures FROM users u ORDER BY u.name",
            (now,)).fetchall()

    def add_user(self, name: str, password_hash: str, role: str, created: str) -> bool:
        """False if the name is taken."""
        with self.conn:
            cur = self.conn.execute("INSERT OR IGNORE INTO users (name, password, created, role) "
                                    "VALUES (?, ?, ?, ?)", (name, password_hash, created, role))
        return cur.rowcount == 1

    def update_user(self, name: str, **fields: Any) -> bool:
        """Change an account (password, role, disabled) and end its sessions; False if there
        is no such account."""
        sets = ", ".join(f"{k} = ?" for k in fields)
        with self.conn:
            cur = self.conn.execute(f"UPDATE users SET {sets} WHERE name = ?",
                                    (*fields.values(), name))
            self.conn.execute("DELETE FROM sessions WHERE user = ?", (name,))
        return cur.rowcount == 1

    def add_session(self, session_id: str, user: str, csrf: str, created: float,
                    expires: float) -> None:
        with self.conn:
            self.conn.execute("DELETE FROM sessions WHERE expires <= ?", (created,))
            self.conn.execute("INSERT INTO sessions VALUES (?, ?, ?, ?, ?)",
                              (session_id, user, csrf, created, expires))

    def session(self, session_id: str, now: float) -> sqlite3.Row | None:
        """user, role, csrf of a live session of an enabled account."""
        return self.conn.execute(
            "SELECT s.user, u.role, s.csrf FROM sessions s JOIN users u ON u.name = s.user "
            "WHERE s.id = ? AND s.expires > ? AND u.disabled = 0", (session_id, now)).fetchone()

    def end_session(self, session_id: str) -> None:
        with self.conn:
            self.conn.execute("DELETE FROM sessions WHERE id = ?", (session_id,))

    def begin_login(self, keys: list[str], now: float, window: float,
                    wait: Any) -> float:
        """Count a sign-in attempt against every key (an account, an address) unless one of
        them must still wait: then nothing is counted and the seconds left are returned.
        `wait(failures)` is the delay owed after that many failures; failures older than
        `window` seconds are forgotten. Check and count are one transaction, so parallel
        guesses cannot slip between them."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            self.conn.execute("DELETE FROM login_failures WHERE last < ?", (now - window,))
            marks = ",".join("?" for _ in keys)
            rows = self.conn.execute(f"SELECT failures, last FROM login_failures "
                                     f"WHERE key IN ({marks})", keys).fetchall()
            left = max((r[1] + wait(r[0]) - now for r in rows), default=0.0)
            if left <= 0:
                self.conn.executemany(
                    "INSERT INTO login_failures VALUES (?, 1, ?) ON CONFLICT (key) DO UPDATE "
                    "SET failures = failures + 1, last = excluded.last", [(k, now) for k in keys])
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        return max(left, 0.0)

    def login_succeeded(self, account_key: str, address_key: str) -> None:
        """Forget an account's failures; take back the address's count of this attempt."""
        with self.conn:
            self.conn.execute("DELETE FROM login_failures WHERE key = ?", (account_key,))
            self.conn.execute("UPDATE login_failures SET failures = failures - 1 WHERE key = ?",
                              (address_key,))

    def add_audit(self, at: str, user: str, claim: str, action: str, before: dict[str, Any],
                  after: dict[str, Any]) -> int:
        with self.conn:
            cur = self.conn.execute(
                "INSERT INTO audit (at, user, claim, action, before, after) VALUES (?,?,?,?,?,?)",
                (at, user, claim, action, json.dumps(before), json.dumps(after)))
        return cur.lastrowid or 0

    def counts(self) -> tuple[int, int]:
        docs = self.conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        claims = self.conn.execute("SELECT count(*) FROM claims").fetchone()[0]
        return docs, claims


def _readonly_uri(path: Path) -> str:
    """A URI that opens `path` without writing anything beside it.

    `mode=ro` alone still makes -wal and -shm files for a WAL database (and fails when the
    folder is read-only). Where no -wal or -journal file exists no connection is writing,
    so the file is opened `immutable` (no locks, no side files); where one exists a writer
    is at work and SQLite's own read-only locking is used.
    """
    uri = path.resolve().as_uri() + "?mode=ro"
    busy = any(Path(f"{path}{suffix}").exists() for suffix in ("-wal", "-journal"))
    return uri if busy else uri + "&immutable=1"


def _summary(incident: dict[str, Any]) -> dict[str, Any]:
    """An incident for list pages: its figures without claim lists or source histories."""
    out = {k: v for k, v in incident.items() if k not in ("claims", "figures", "checks")}
    out["documents"] = len(incident["documents"])
    out["figures"] = [{k: v for k, v in f.items() if k not in ("claims", "sources")}
                      for f in incident["figures"]]
    return out


def _claim_row(claim: Claim) -> tuple[Any, ...]:
    d = claim.to_dict()
    d["descriptors"] = json.dumps(d["descriptors"])
    d["hedged"] = int(d["hedged"])
    d["earlier"] = int(d["earlier"])
    return tuple(d[c] for c in CLAIM_FIELDS)


def claim_from_row(row: sqlite3.Row) -> Claim:
    d = {c: row[c] for c in CLAIM_FIELDS}
    d["descriptors"] = tuple(json.loads(d["descriptors"] or "[]"))
    d["hedged"] = bool(d["hedged"])
    d["earlier"] = bool(d["earlier"])
    return Claim(**d)
