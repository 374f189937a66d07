"""Review: reviewers' accounts and their corrections of claims, with an audit log.

Passwords are stored as scrypt hashes (standard library) with a random salt. Every change
to a claim is checked against the version the reviewer saw: if someone else changed the
claim since, `Conflict` is raised and nothing is written. Every change is kept in the audit
log (who, when, before, after) and marks the countries it touches for recomputation.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tollwatch.errors import TollwatchError
from tollwatch.records import OUTCOMES, VICTIM_GROUPS, Claim
from tollwatch.store import Store, claim_from_row

EDITABLE = ("count_low", "count_high", "outcome", "victims", "place", "admin1", "country",
            "lat", "lon", "where_prec", "date_start", "date_end", "source")
N, R, P = 2**14, 8, 1


class ReviewError(TollwatchError):
    """A correction that cannot be made as asked (the message says why)."""


class Conflict(ReviewError):
    """The claim changed since the reviewer loaded it."""


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    user: str
    claim: str
    action: str
    before: dict[str, Any]
    after: dict[str, Any]


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=N, r=R, p=P)
    return "scrypt$" + base64.b64encode(salt).decode() + "$" + base64.b64encode(digest).decode()


def verify_password(password: str, stored: str) -> bool:
    try:
        _, salt, digest = stored.split("$")
        want = base64.b64decode(digest)
        got = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), n=N, r=R, p=P)
    except ValueError:
        return False
    return hmac.compare_digest(want, got)


def add_user(store: Store, name: str, password: str) -> None:
    if not re.fullmatch(r"[\w.@-]{2,64}", name):
        raise ReviewError(f"{name!r}: a user name is 2-64 letters, digits, . @ - or _")
    if len(password) < 8:
        raise ReviewError("a password needs at least 8 characters")
    try:
        with store.conn:
            store.conn.execute("INSERT INTO users VALUES (?, ?, ?)",
                               (name, hash_password(password), _now()))
    except Exception as e:
        if "UNIQUE" in str(e):
            raise ReviewError(f"{name}: this user exists already") from e
        raise


def check_login(store: Store, name: str, password: str) -> bool:
    row = store.conn.execute("SELECT password FROM users WHERE name = ?", (name,)).fetchone()
    if row is None:
        verify_password(password, hash_password("x" * 8))  # same time for unknown names
        return False
    return verify_password(password, row[0])


def secret_key(store: Store) -> str:
    """The key that signs session cookies, made once per database."""
    row = store.conn.execute("SELECT v FROM settings WHERE k = 'secret'").fetchone()
    if row:
        return str(row[0])
    key = secrets.token_urlsafe(32)
    with store.conn:
        store.conn.execute("INSERT OR IGNORE INTO settings VALUES ('secret', ?)", (key,))
    return str(store.conn.execute("SELECT v FROM settings WHERE k = 'secret'").fetchone()[0])


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def load_claim(store: Store, claim_id: str) -> tuple[Claim, int, str]:
    row = store.conn.execute("SELECT * FROM claims WHERE id = ?", (claim_id,)).fetchone()
    if row is None:
        raise ReviewError(f"{claim_id}: no such claim")
    return claim_from_row(row), row["version"], row["status"]


def _validate(changes: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in changes.items():
        if k not in EDITABLE:
            raise ReviewError(f"{k}: not a field a reviewer can correct")
        if v == "":
            v = None
        if k in ("count_low", "count_high", "where_prec") and v is not None:
            try:
                v = int(v)
            except (TypeError, ValueError) as e:
                raise ReviewError(f"{k}: {v!r} is not a whole number") from e
            if v < 0:
                raise ReviewError(f"{k}: {v} is negative")
        if k in ("lat", "lon") and v is not None:
            v = float(v)
        if k == "outcome" and v not in OUTCOMES:
            raise ReviewError(f"outcome: {v!r} is not one of {', '.join(OUTCOMES)}")
        if k == "victims" and v not in VICTIM_GROUPS:
            raise ReviewError(f"victims: {v!r} is not one of {', '.join(VICTIM_GROUPS)}")
        if k in ("date_start", "date_end") and v is not None and \
                not re.fullmatch(r"\d{4}-\d\d-\d\d", str(v)):
            raise ReviewError(f"{k}: {v!r} is not a date (YYYY-MM-DD)")
        out[k] = v
    return out


def _write(store: Store, claim_id: str, version: int, user: str, action: str,
           changes: dict[str, Any], status: str | None = None) -> AuditEntry:
    """Apply changes if the claim is still at `version`; one transaction with its audit."""
    store.conn.execute("BEGIN IMMEDIATE")
    try:
        row = store.conn.execute("SELECT * FROM claims WHERE id = ?", (claim_id,)).fetchone()
        if row is None:
            raise ReviewError(f"{claim_id}: no such claim")
        if row["version"] != version:
            last = store.conn.execute("SELECT user, at FROM audit WHERE claim = ? ORDER BY id "
                                      "DESC LIMIT 1", (claim_id,)).fetchone()
            who = f" by {last[0]} at {last[1]}" if last else ""
            raise Conflict(f"{claim_id} was changed{who} after you opened it (version "
                           f"{row['version']}, yours {version}); reload it and apply your "
                           f"change again")
        fields = dict(changes)
        if status is not None:
            fields["status"] = status
        before = {k: row[k] for k in fields}
        after = {k: v for k, v in fields.items()}
        if before == after:
            raise ReviewError("nothing to change")
        sets = ", ".join(f'"{k}" = ?' for k in fields)
        store.conn.execute(f"UPDATE claims SET {sets}, version = version + 1 WHERE id = ?",
                           (*fields.values(), claim_id))
        at = _now()
        cur = store.conn.execute(
            "INSERT INTO audit (at, user, claim, action, before, after) VALUES (?,?,?,?,?,?)",
            (at, user, claim_id, action, json.dumps(before), json.dumps(after)))
        countries = {row["country"] or "", fields.get("country", row["country"]) or ""}
        store.conn.executemany("INSERT OR IGNORE INTO stale_countries VALUES (?)",
                               [(c,) for c in countries])
        store.conn.execute("COMMIT")
    except BaseException:
        store.conn.execute("ROLLBACK")
        raise
    return AuditEntry(cur.lastrowid or 0, at, user, claim_id, action, before, after)


def correct(store: Store, claim_id: str, version: int, user: str,
            changes: dict[str, Any]) -> AuditEntry:
    """Correct fields of a claim (count, outcome, victims, place, dates, source)."""
    return _write(store, claim_id, version, user, "correct", _validate(changes))


def reject(store: Store, claim_id: str, version: int, user: str) -> AuditEntry:
    """Take a claim out of every incident and figure (it stays stored and listed)."""
    return _write(store, claim_id, version, user, "reject", {}, status="rejected")


def restore(store: Store, claim_id: str, version: int, user: str) -> AuditEntry:
    return _write(store, claim_id, version, user, "restore", {}, status="active")


def move(store: Store, claim_id: str, version: int, user: str, incident: dict[str, Any]
         ) -> AuditEntry:
    """Move a claim into another incident: it takes that incident's place and, where its
    dates fall outside the incident's, the incident's dates."""
    claim, _, _ = load_claim(store, claim_id)
    changes = {k: incident[k] for k in ("place", "admin1", "country", "lat", "lon",
                                         "where_prec")}
    start, end = incident.get("date_start"), incident.get("date_end")
    if start and end and not (claim.date_start and start <= claim.date_start <= end):
        changes.update(date_start=start, date_end=end)
    return _write(store, claim_id, version, user, f"move to {incident['id']}", changes)


def audit_log(store: Store, claim_id: str | None = None, limit: int = 200,
              offset: int = 0) -> list[AuditEntry]:
    where, args = ("WHERE claim = ?", [claim_id]) if claim_id else ("", [])
    rows = store.conn.execute(f"SELECT * FROM audit {where} ORDER BY id DESC LIMIT ? OFFSET ?",
                              (*args, limit, offset)).fetchall()
    return [AuditEntry(r["id"], r["at"], r["user"], r["claim"], r["action"],
                       json.loads(r["before"]), json.loads(r["after"])) for r in rows]
