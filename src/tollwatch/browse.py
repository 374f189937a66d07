"""Browsing the store: the searches and lookups behind the web pages and the JSON API.

Plain functions over a `Store`, returning JSON-ready dicts; 50 rows a page, with `more`
telling whether another page follows. Nothing here knows about HTTP, and nothing here
writes: incidents are recomputed when claims change (ingest, review), not when read.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from tollwatch.errors import TollwatchError
from tollwatch.origins import outlet_name
from tollwatch.records import OUTCOMES
from tollwatch.review import audit_log
from tollwatch.store import Store, claim_from_row

PAGE = 50


class NotFound(TollwatchError):
    """No incident, claim or report with that id."""


@dataclass
class IncidentFilter:
    q: str | None = None  # words of the label (place and dates)
    country: str | None = None
    outcome: str | None = None
    grade: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    offset: int = 0


@dataclass
class ClaimFilter:
    q: str | None = None  # words of the quote, the source or the place
    outcome: str | None = None
    victims: str | None = None
    place: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    status: str | None = None
    offset: int = 0


def _dates(where: list[str], args: list[Any], date_from: str | None,
           date_to: str | None) -> None:
    if date_from:
        where.append("coalesce(date_end, date_start) >= ?")
        args.append(date_from)
    if date_to:
        where.append("date_start <= ?")
        args.append(date_to)


def incidents(store: Store, f: IncidentFilter) -> tuple[list[dict[str, Any]], bool]:
    """Incident summaries (figures without claim lists), largest killed toll first."""
    where, args = ["1"], []
    if f.q:
        where.append("label LIKE ?")
        args.append(f"%{f.q}%")
    if f.country:
        where.append("country = ?")
        args.append(f.country.upper())
    for col, value in (("outcomes", f.outcome), ("grades", f.grade)):
        if value:
            where.append(f"(' ' || {col} || ' ') LIKE ?")
            args.append(f"% {value} %")
    _dates(where, args, f.date_from, f.date_to)
    rows = store.conn.execute(f"SELECT summary FROM incidents WHERE {' AND '.join(where)} "
                              f"ORDER BY toll DESC, id LIMIT ? OFFSET ?",
                              (*args, PAGE + 1, f.offset)).fetchall()
    return [json.loads(r[0]) for r in rows[:PAGE]], len(rows) > PAGE


def incident(store: Store, incident_id: str) -> dict[str, Any]:
    """One incident in the JSON contract of DESIGN.md."""
    row = store.conn.execute("SELECT data FROM incidents WHERE id = ?",
                             (incident_id,)).fetchone()
    if row is None:
        raise NotFound(f"{incident_id}: no such incident")
    return dict(json.loads(row[0]))


def children(store: Store, incident_id: str) -> list[dict[str, Any]]:
    return [json.loads(r[0]) for r in store.conn.execute(
        "SELECT summary FROM incidents WHERE parent = ? ORDER BY position", (incident_id,))]


def _claim_dict(row: sqlite3.Row) -> dict[str, Any]:
    d = claim_from_row(row).to_dict()
    d.update(version=row["version"], status=row["status"])
    return d


def _outlets(store: Store, ids: set[str]) -> dict[str, str | None]:
    """document id -> the outlet's name (`origins.outlet_name`)."""
    return {d: outlet_name(m[1], m[2], m[0]) for d, m in store.document_sources(ids).items()}


def _with_outlets(store: Store, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Claim dicts with `outlet`: the name of the outlet whose report made the claim, who
    speaks where the claim names no source."""
    names = _outlets(store, {r["document_id"] for r in rows})
    for r in rows:
        r["outlet"] = names.get(r["document_id"]) or outlet_name(None, None, r["document"])
    return rows


def claims(store: Store, f: ClaimFilter) -> tuple[list[dict[str, Any]], bool]:
    where, args = ["1"], []
    if f.q:
        where.append("(quote LIKE ? OR source LIKE ? OR place LIKE ?)")
        args += [f"%{f.q}%"] * 3
    for col, value in (("outcome", f.outcome), ("victims", f.victims), ("status", f.status)):
        if value:
            where.append(f"{col} = ?")
            args.append(value)
    if f.place:
        where.append("(place LIKE ? OR admin1 LIKE ? OR country = ?)")
        args += [f"%{f.place}%", f"%{f.place}%", f.place.upper()]
    _dates(where, args, f.date_from, f.date_to)
    rows = store.conn.execute(f"SELECT * FROM claims WHERE {' AND '.join(where)} "
                              f"ORDER BY document, count_start LIMIT ? OFFSET ?",
                              (*args, PAGE + 1, f.offset)).fetchall()
    return _with_outlets(store, [_claim_dict(r) for r in rows[:PAGE]]), len(rows) > PAGE


def claim(store: Store, claim_id: str) -> dict[str, Any]:
    """A claim with its review version, status and audit history."""
    row = store.conn.execute("SELECT * FROM claims WHERE id = ?", (claim_id,)).fetchone()
    if row is None:
        raise NotFound(f"{claim_id}: no such claim")
    (d,) = _with_outlets(store, [_claim_dict(row)])
    d["audit"] = [e.__dict__ for e in audit_log(store, claim_id)]
    return d


def context(store: Store, c: dict[str, Any], around: int = 300) -> str:
    """The text of a claim's report around its quote."""
    row = store.conn.execute("SELECT text FROM documents WHERE id = ?",
                             (c["document_id"],)).fetchone()
    return str(row["text"][max(0, c["start"] - around):c["end"] + around]) if row else ""


def reports(store: Store, q: str | None, offset: int) -> tuple[list[dict[str, Any]], bool]:
    where, args = ("WHERE name LIKE ? OR title LIKE ? OR outlet LIKE ? OR url LIKE ?",
                   [f"%{q}%"] * 4) if q else ("", [])
    rows = store.conn.execute(f"SELECT id, name, title, outlet, url, published, "
                              f"published_inferred FROM documents {where} ORDER BY name "
                              f"LIMIT ? OFFSET ?", (*args, PAGE + 1, offset)).fetchall()
    return [dict(r) for r in rows[:PAGE]], len(rows) > PAGE


def report(store: Store, doc_id: str) -> dict[str, Any]:
    row = store.conn.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
    if row is None:
        raise NotFound(f"{doc_id}: no such report")
    d = dict(row)
    d["claims"] = _with_outlets(store, [_claim_dict(r) for r in store.conn.execute(
        "SELECT * FROM claims WHERE document_id = ? ORDER BY count_start", (doc_id,))])
    return d


_sources_cache: dict[tuple[str, int, int], list[dict[str, Any]]] = {}


def sources(store: Store) -> list[dict[str, Any]]:
    """Who said what: claims and reports per source, and per outlet for the claims in an
    outlet's own voice (`source` None, `outlet` its name). The aggregate is kept until
    claims are added or reviewed."""
    key = (store.path, *store.data_version())
    if key not in _sources_cache:
        _sources_cache.clear()
        rows = [dict(r, outlet=None) for r in store.conn.execute(
            "SELECT source, count(*) AS claims, count(DISTINCT document_id) AS reports, "
            "group_concat(DISTINCT outcome) AS outcomes FROM claims WHERE status = 'active' "
            "AND coalesce(source, '') != '' GROUP BY source ORDER BY claims DESC LIMIT 500")]
        own = store.conn.execute(
            "SELECT document_id, count(*) AS claims, group_concat(DISTINCT outcome) AS outcomes "
            "FROM claims WHERE status = 'active' AND coalesce(source, '') = '' "
            "GROUP BY document_id").fetchall()
        names = _outlets(store, {r["document_id"] for r in own})
        by_outlet: dict[str, dict[str, Any]] = {}
        for r in own:
            name = names.get(r["document_id"]) or r["document_id"]
            o = by_outlet.setdefault(name, {"source": None, "outlet": name, "claims": 0,
                                            "reports": 0, "outcomes": set()})
            o["claims"] += r["claims"]
            o["reports"] += 1
            o["outcomes"].update(r["outcomes"].split(","))
        for o in by_outlet.values():
            o["outcomes"] = ",".join(x for x in OUTCOMES if x in o["outcomes"])
        rows = sorted([*rows, *by_outlet.values()],
                      key=lambda r: (-r["claims"], r["source"] or r["outlet"]))[:500]
        _sources_cache[key] = rows
    return _sources_cache[key]


def segments(text: str, claim_rows: list[dict[str, Any]]) -> list[tuple[str, str | None]]:
    """A report's text cut into plain pieces and marked numbers (with their claim id)."""
    out: list[tuple[str, str | None]] = []
    pos = 0
    for c in sorted(claim_rows, key=lambda c: c["count_start"]):
        if c["count_start"] < pos:
            continue
        out.append((text[pos:c["count_start"]], None))
        out.append((text[c["count_start"]:c["count_end"]], c["id"]))
        pos = c["count_end"]
    out.append((text[pos:], None))
    return out
