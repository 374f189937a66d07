"""Incidents: claims grouped into outbreaks of violence, with the places inside them.

An incident is one event as the reports describe it: a place (or area) and a period held
together by continuity of coverage, never by country and month alone (DESIGN.md).

1. Country. Figures for different countries never share an incident. A claim with no
   resolved place goes where its report is about: the country its source names ("Iran's
   Health Ministry"), else the country most of the report's located claims are in.
2. Area. Within a country, a claim's area is its first-level division (gazetteer
   containment), else the division most of its report's claims are in; claims of one area
   are swept by date into units (dates within `gap_days` of the unit so far).
3. Continuity. Units join when one report covers both at about the same time (a report on
   Tehran and Isfahan, a report on a massacre and its region), or when one named source's
   same figure appears in both within a week. An event covered for weeks stays one
   incident; unrelated violence elsewhere in the country on the same days, reported
   separately, does not join it. A named source's running total for one division or the
   whole country, updated within a week, holds that coverage together (the monitor's
   250, then 532, then 745). No incident grows beyond `max_span_days`.
4. Scope. Conflict-wide totals and earlier events recalled (scope `cumulative`,
   `background`) follow their report's event and never start or stretch one.
5. Nesting. Inside an incident, claims about one specific place (where_prec 1-2, or a
   named village) form a child incident keyed by a transliteration-tolerant name key.
   Claims about a division, a region or the whole country stay with the incident itself:
   a toll for the whole already includes its massacres, so children are never added into
   it (reconcile checks the sum instead). A breakdown stays in its total's incident,
   unless it names a more specific place of its own.

Blocking keeps it near-linear: sorting per country and area, one sweep, and union-find
over units linked by reports and by figures.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from tollwatch.dates import date_prec
from tollwatch.gazetteer import name_key
from tollwatch.records import Claim, Incident


@dataclass(frozen=True)
class Grouping:
    """An incident before reconciliation: its fields and its own claims."""

    incident: Incident
    members: tuple[Claim, ...]


def _d(s: str | None) -> date | None:
    return date.fromisoformat(s) if s else None


def _place_key(c: Claim, country_name: str | None) -> str | None:
    """The key of the specific place a claim is about, None for a division or a country.

    A village the gazetteer does not know carries the precision of its enclosing area, so
    it is recognised by its name being neither that area's nor the country's."""
    if not c.place or c.where_prec is None:
        return None
    if c.where_prec > 2 and c.place in (c.admin1, country_name):
        return None
    if c.where_prec > 2 and c.where_prec != 6 and c.where_prec != 4:
        return None  # a vague area ("the Latakia countryside", "the coast")
    if c.where_prec in (4, 6) and (c.place == c.admin1 or c.place == country_name or
                                   c.admin1 is None and c.where_prec == 4):
        return None
    return f"{c.country or ''}:{name_key(c.place)}"


def _id(*parts: str) -> str:
    return "i-" + hashlib.sha1("|".join(parts).encode()).hexdigest()[:10]


def _span_prec(start: date | None, end: date | None) -> int | None:
    return date_prec(start, end) if start is not None and end is not None else None


def _home_countries(claims: list[Claim], origins: dict[str, str]) -> dict[str, str]:
    """claim id -> the country whose incidents it joins ('' when nothing tells)."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for c in claims:
        if c.country:
            counts[c.document_id][c.country] += 1
    out = {}
    for c in claims:
        if c.country:
            out[c.id] = c.country
            continue
        named = re.match(r"source:([a-z]{2}):", origins.get(c.id, ""))
        if named:
            out[c.id] = named.group(1).upper()
        elif counts[c.document_id]:
            out[c.id] = min(counts[c.document_id].items(), key=lambda kv: (-kv[1], kv[0]))[0]
        else:
            out[c.id] = ""
    return out


def home_country(claims: list[Claim], origins: dict[str, str] | None = None
                 ) -> dict[str, str]:
    """claim id -> country of the incident a claim joins (rule 1 of the module docstring);
    `claims` must hold every claim of their reports."""
    return _home_countries(claims, origins or {})


class _Units:
    """Union-find over units of claims, refusing a union that would span too long."""

    def __init__(self, max_span_days: int) -> None:
        self.parent: list[int] = []
        self.span: list[tuple[date, date]] = []
        self.max_span = max_span_days

    def add(self, start: date, end: date) -> int:
        self.parent.append(len(self.parent))
        self.span.append((start, end))
        return len(self.parent) - 1

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int, within_days: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        (sa, ea), (sb, eb) = self.span[ra], self.span[rb]
        if (max(sa, sb) - min(ea, eb)).days > within_days:
            return  # not at about the same time
        start, end = min(sa, sb), max(ea, eb)
        if (end - start).days > self.max_span:
            return
        self.parent[rb] = ra
        self.span[ra] = (start, end)


def _drives(c: Claim) -> bool:
    return c.scope == "event" and bool(c.date_start)


def events(claims: list[Claim], gap_days: int = 4, max_span_days: int = 35,
           origins: dict[str, str] | None = None) -> list[list[Claim]]:
    """Claims of one country, grouped into events (rules 2-4 of the module docstring)."""
    origins = origins or {}
    areas: dict[str, Counter[str]] = defaultdict(Counter)
    for c in claims:
        if c.admin1:
            areas[c.document_id][c.admin1] += 1
    doc_area = {d: min(n.items(), key=lambda kv: (-kv[1], kv[0]))[0] for d, n in areas.items()}
    driving_docs = {c.document_id for c in claims if _drives(c)}
    drivers = [c for c in claims if c.date_start and (
        _drives(c) or c.document_id not in driving_docs)]
    by_area: dict[str, list[Claim]] = defaultdict(list)
    for c in drivers:
        by_area[c.admin1 or doc_area.get(c.document_id, "")].append(c)
    units = _Units(max_span_days)
    unit_of: dict[str, int] = {}
    for area in sorted(by_area):
        first: date | None = None
        end: date | None = None
        for c in sorted(by_area[area], key=lambda c: (c.date_start, c.id)):
            start = _d(c.date_start)
            assert start is not None
            c_end = max(_d(c.date_end) or start, start)
            if first is not None and end is not None and (start - end).days <= gap_days \
                    and (start - first).days < max_span_days:
                u = len(units.parent) - 1
                end = max(end, c_end)
                units.span[u] = (first, end)
            else:
                first, end = start, c_end
                u = units.add(start, c_end)
            unit_of[c.id] = u
    # continuity: one report covering two units at about the same time
    by_doc: dict[str, list[int]] = defaultdict(list)
    for c in drivers:
        if not by_doc[c.document_id] or by_doc[c.document_id][-1] != unit_of[c.id]:
            by_doc[c.document_id].append(unit_of[c.id])
    for us in by_doc.values():
        for u in sorted(set(us))[1:]:
            units.union(min(us), u, gap_days)
    # continuity: one named source's same figure in two units within a week
    same: dict[tuple[str, str, str, int | None, int | None], list[tuple[str, int]]] = \
        defaultdict(list)
    for c in drivers:
        origin = origins.get(c.id, "")
        if origin.startswith("source:") and max(c.count_low or 0, c.count_high or 0) >= 10:
            same[(origin, c.outcome, c.victims, c.count_low, c.count_high)].append(
                (c.date_start or "", unit_of[c.id]))
    # continuity: one named source's country-wide running total, updated day by day
    running: dict[tuple[str, str, str, str], list[tuple[str, int]]] = defaultdict(list)
    for c in drivers:
        origin = origins.get(c.id, "")
        if origin.startswith("source:"):
            running[(origin, c.outcome, c.victims, c.admin1 or "")].append(
                (c.date_start or "", unit_of[c.id]))
    for seen, days in [*((v, 7) for v in same.values()), *((v, 7) for v in running.values())]:
        seen.sort()
        for (_, a), (_, b) in zip(seen, seen[1:], strict=False):
            units.union(a, b, days)
    groups: dict[int, list[Claim]] = defaultdict(list)
    for c in drivers:
        groups[units.find(unit_of[c.id])].append(c)
    # followers (context figures, undated claims) join their report's event
    doc_home: dict[str, int] = {}
    for c in drivers:
        doc_home.setdefault(c.document_id, units.find(unit_of[c.id]))
    undated: list[Claim] = []
    for c in claims:
        if c.id in unit_of:
            continue
        home = doc_home.get(c.document_id)
        if home is None:
            undated.append(c)
        else:
            groups[home].append(c)
    out = sorted(groups.values(), key=lambda cs: min(c.date_start or "9" for c in cs))
    if undated:
        out.append(undated)
    return out


def waves(claims: Iterable[Claim], gap_days: int = 4,
          max_span_days: int = 35) -> list[list[Claim]]:
    """Claims of one country as events, without figure links (see `events`)."""
    return events(list(claims), gap_days, max_span_days)


def group(claims: list[Claim], country_names: dict[str, str] | None = None,
          gap_days: int = 4, origins: dict[str, str] | None = None,
          max_span_days: int = 35) -> list[Grouping]:
    """Nested incidents (parents first, then their children) for the claims given.

    `origins` (claim id -> origin key, from `tollwatch.origins`) lets one named source's
    figure link coverage and place claims that name no place."""
    names = country_names or {}
    origins = origins or {}
    homes = _home_countries(claims, origins)
    by_country: dict[str, list[Claim]] = defaultdict(list)
    for c in claims:
        by_country[homes[c.id]].append(c)
    out: list[Grouping] = []
    for country in sorted(by_country):
        tops: list[list[Grouping]] = [
            _wave(country, members, names)
            for members in events(by_country[country], gap_days, max_span_days, origins)]
        if len(tops) > 1:
            tops = [_with_area(gs) for gs in tops]
        for gs in tops:
            out.extend(gs)
    return out


def _with_area(gs: list[Grouping]) -> list[Grouping]:
    """A country's incident labelled with its area, where the country has several."""
    top = gs[0].incident
    if not top.admin1 or top.label.startswith(top.admin1 + ","):
        return gs
    return [replace(gs[0], incident=replace(top, label=f"{top.admin1}, {top.label}")), *gs[1:]]


def _wave(country: str, wave: list[Claim], names: dict[str, str]) -> list[Grouping]:
    by_id = {c.id: c for c in wave}
    cname_known = names.get(country)
    home: dict[str, str | None] = {}  # claim id -> place key of the incident it belongs to
    for c in wave:
        key = _place_key(c, cname_known) if c.scope == "event" else None
        parent = by_id.get(c.part_of or "")
        if parent is not None and (key is None or key == _place_key(parent, cname_known)):
            key = _place_key(parent, cname_known)
        home[c.id] = key
    # the wave's span comes from claims dated to the day or a few days, where there are any
    # (context figures never stretch it)
    event = [c for c in wave if c.scope == "event"] or wave
    precise = [c for c in event if c.date_prec is not None and c.date_prec <= 2] or event
    starts = [d for c in precise if (d := _d(c.date_start))]
    ends = [d for c in precise if (d := _d(c.date_end) or _d(c.date_start))]
    w_start, w_end = (min(starts), max(ends)) if starts else (None, None)
    admins = {c.admin1 for c in wave if c.admin1}
    cname = names.get(country, country) or "Unknown place"
    wave_id = _id(country, *sorted(by_id))
    own = [c for c in wave if home[c.id] is None]
    places: dict[str, list[Claim]] = defaultdict(list)
    for c in wave:
        if home[c.id] is not None:
            places[home[c.id] or ""].append(c)
    span = (f"{w_start.isoformat()} to {w_end.isoformat()}" if w_start != w_end else
            w_start.isoformat()) if w_start and w_end else "undated"
    lat = lon = None
    country_claims = [c for c in wave if c.where_prec and c.where_prec >= 5 and c.lat is not None]
    if country_claims:
        lat, lon = country_claims[0].lat, country_claims[0].lon
    wave_incident = Incident(
        id=wave_id, parent=None, label=f"{cname}, {span}",
        place=cname, admin1=next(iter(admins)) if len(admins) == 1 else None,
        country=country or None, lat=lat, lon=lon, where_prec=6 if country else None,
        date_start=w_start.isoformat() if w_start else None,
        date_end=w_end.isoformat() if w_end else None, date_prec=_span_prec(w_start, w_end),
        documents=tuple(sorted({c.document for c in wave})), claims=tuple(c.id for c in own))
    out = [Grouping(wave_incident, tuple(own))]
    for key in sorted(places):
        members = places[key]
        first = min(members, key=lambda c: (c.where_prec or 9, c.id))
        starts = [d for c in members if (d := _d(c.date_start))]
        ends = [d for c in members if (d := _d(c.date_end) or _d(c.date_start))]
        s, e = (min(starts), max(ends)) if starts else (None, None)
        dates = f"{s.isoformat()} to {e.isoformat()}" if s and e and s != e else (
            s.isoformat() if s else "undated")
        child = Incident(
            id=_id(wave_id, key), parent=wave_id, label=f"{first.place}, {dates}",
            place=first.place, admin1=first.admin1, country=first.country, lat=first.lat,
            lon=first.lon, where_prec=first.where_prec,
            date_start=s.isoformat() if s else None, date_end=e.isoformat() if e else None,
            date_prec=_span_prec(s, e), documents=tuple(sorted({c.document for c in members})),
            claims=tuple(c.id for c in members))
        out.append(Grouping(child, tuple(members)))
    return out
