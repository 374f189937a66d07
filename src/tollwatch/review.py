"""Review: reviewers' corrections of claims, with an audit log.

Every change to a claim is checked against the version the reviewer saw: if someone else
changed the claim since, `Conflict` is raised and nothing is written. Corrections are
untrusted input: each field is checked by `Changes` (types, bounds, lengths), the claim as
it would be after the change by `correct` (low not above high, start not after end, a place
and country the gazetteer knows). Every change is kept in the audit log (who, when, before,
after) and marks the countries it touches for recomputation. Accounts are in `accounts`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from tollwatch.errors import TollwatchError
from tollwatch.gazetteer import Gazetteer
from tollwatch.records import OUTCOMES, VICTIM_GROUPS, Claim
from tollwatch.store import Store, claim_from_row

MAX_COUNT = 10**9  # more people than any conflict has touched, and within SQLite's integers
MAX_VERSION = 2**62


class ReviewError(TollwatchError):
    """A correction that cannot be made as asked (the message says why)."""


class Conflict(ReviewError):
    """The claim changed since the reviewer loaded it."""


def _blank(value: Any) -> Any:
    """An emptied form field means "unknown"."""
    return None if isinstance(value, str) and not value.strip() else value


def one_of(words: tuple[str, ...]) -> Callable[[Any], Any]:
    """A check that a value (if given) is one of `words`."""
    def check(value: Any) -> Any:
        if value is not None and value not in words:
            raise ValueError(f"not one of {', '.join(words)}")
        return value
    return check


Blank = BeforeValidator(_blank)
# bounds go on the inner type: on `X | None` pydantic would apply them to None as well
Text = Annotated[Annotated[str, Field(min_length=1, max_length=200)] | None, Blank]
Count = Annotated[Annotated[int, Field(ge=0, le=MAX_COUNT)] | None, Blank]


class Changes(BaseModel):
    """The fields a reviewer can correct, each with its bounds. Only the fields sent change."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    count_low: Count = None
    count_high: Count = None
    outcome: Annotated[str, AfterValidator(one_of(OUTCOMES))] = OUTCOMES[0]
    victims: Annotated[str, AfterValidator(one_of(VICTIM_GROUPS))] = VICTIM_GROUPS[-1]
    place: Text = None
    admin1: Text = None
    country: Annotated[Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None, Blank] = None
    lat: Annotated[Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)] | None,
                   Blank] = None
    lon: Annotated[Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)] | None,
                   Blank] = None
    where_prec: Annotated[Annotated[int, Field(ge=0, le=7)] | None, Blank] = None
    date_start: Annotated[date | None, Blank] = None
    date_end: Annotated[date | None, Blank] = None
    source: Text = None

    def sent(self) -> dict[str, Any]:
        """The fields given, as they are stored (dates as YYYY-MM-DD)."""
        return self.model_dump(mode="json", exclude_unset=True)


EDITABLE = tuple(Changes.model_fields)


def problems(e: ValidationError) -> str:
    """A validation error as one line, without the value that was sent."""
    return "; ".join(f"{'.'.join(str(x) for x in err['loc']) or 'body'}: {err['msg']}"
                     for err in e.errors(include_url=False, include_input=False))


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    user: str
    claim: str
    action: str
    before: dict[str, Any]
    after: dict[str, Any]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def load_claim(store: Store, claim_id: str) -> tuple[Claim, int, str]:
    row = store.conn.execute("SELECT * FROM claims WHERE id = ?", (claim_id,)).fetchone()
    if row is None:
        raise ReviewError(f"{claim_id}: no such claim")
    return claim_from_row(row), row["version"], row["status"]


def _check(merged: dict[str, Any], changes: dict[str, Any], gazetteer: Gazetteer) -> None:
    """The claim as it would be after `changes`: consistent, and placed where the gazetteer
    knows."""
    low, high = merged["count_low"], merged["count_high"]
    if low is not None and high is not None and low > high:
        raise ReviewError(f"count_low {low} is above count_high {high}")
    start, end = merged["date_start"], merged["date_end"]
    if start and end and start > end:
        raise ReviewError(f"date_start {start} is after date_end {end}")
    country = merged["country"]
    if "country" in changes and country and gazetteer.country_name(country) is None:
        raise ReviewError(f"country: {country} is not a country code the gazetteer knows")
    place = merged["place"]
    if ("place" in changes or "country" in changes) and place:
        found = [p for _, p in gazetteer.lookup(place) if not country or p.country == country]
        if not found:
            where = f" in {country}" if country else ""
            raise ReviewError(f"place: the gazetteer knows no {place[:60]!r}{where}; check the "
                              f"spelling, or add places with `tollwatch gazetteer import`")


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


def correct(store: Store, claim_id: str, version: int, user: str, changes: dict[str, Any],
            gazetteer: Gazetteer) -> AuditEntry:
    """Correct fields of a claim (count, outcome, victims, place, dates, source)."""
    try:
        sent = Changes.model_validate(changes).sent()
    except ValidationError as e:
        raise ReviewError(problems(e)) from e
    current = load_claim(store, claim_id)[0].to_dict()
    _check({**current, **sent}, sent, gazetteer)
    return _write(store, claim_id, version, user, "correct", sent)


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
              offset: int = 0, sign_ins: bool = False) -> list[AuditEntry]:
    """Changes to claims, newest first; with `sign_ins` (for admins) failed sign-ins too."""
    where, args = ("WHERE claim = ?", [claim_id]) if claim_id else (
        ("", []) if sign_ins else ("WHERE claim != ''", []))
    rows = store.conn.execute(f"SELECT * FROM audit {where} ORDER BY id DESC LIMIT ? OFFSET ?",
                              (*args, limit, offset)).fetchall()
    return [AuditEntry(r["id"], r["at"], r["user"], r["claim"], r["action"],
                       json.loads(r["before"]), json.loads(r["after"])) for r in rows]
