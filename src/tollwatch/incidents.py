"""Incidents: claims grouped by place and time into nested incidents.

Blocking keeps it sub-quadratic: claims are split by country, sorted by date and swept once
into waves (claims whose dates lie within `gap_days` of the wave so far join it); inside a
wave, claims about one specific place (where_prec 1-2, or a named village) form a child
incident keyed by a transliteration-tolerant name key. A wave closes after
`max_span_days` (31), so a war reported daily becomes month-long waves. Claims about a
division, a region or the whole country stay with the wave itself: a toll for the wave
already includes its massacres, so children are never added into it (reconcile checks the
sum instead).

A breakdown stays in its total's incident, unless it names a more specific place of its
own ("Among those killed were 15 men ... in the village of al-Muktariyya"): then it is that
place's figure.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
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


def waves(claims: Iterable[Claim], gap_days: int = 2,
          max_span_days: int = 31) -> list[list[Claim]]:
    """Claims of one country, swept by date into waves; undated claims form their own.

    A wave that has run `max_span_days` closes, so a war reported every day becomes
    month-long waves rather than one incident spanning years."""
    dated = sorted((c for c in claims if c.date_start), key=lambda c: (c.date_start, c.id))
    undated = [c for c in claims if not c.date_start]
    out: list[list[Claim]] = []
    end: date | None = None
    first: date | None = None
    for c in dated:
        start = _d(c.date_start)
        assert start is not None
        c_end = _d(c.date_end) or start
        if out and end is not None and first is not None and (start - end).days <= gap_days \
                and (start - first).days < max_span_days:
            out[-1].append(c)
            end = max(end, c_end)
        else:
            out.append([c])
            end = c_end
            first = start
    if undated:
        out.append(undated)
    return out


def group(claims: list[Claim], country_names: dict[str, str] | None = None,
          gap_days: int = 2) -> list[Grouping]:
    """Nested incidents (parents first, then their children) for the claims given."""
    names = country_names or {}
    by_country: dict[str, list[Claim]] = defaultdict(list)
    for c in claims:
        by_country[c.country or ""].append(c)
    out: list[Grouping] = []
    for country in sorted(by_country):
        for wave in waves(by_country[country], gap_days):
            out.extend(_wave(country, wave, names))
    return out


def _wave(country: str, wave: list[Claim], names: dict[str, str]) -> list[Grouping]:
    by_id = {c.id: c for c in wave}
    cname_known = names.get(country)
    home: dict[str, str | None] = {}  # claim id -> place key of the incident it belongs to
    for c in wave:
        key = _place_key(c, cname_known)
        parent = by_id.get(c.part_of or "")
        if parent is not None and (key is None or key == _place_key(parent, cname_known)):
            key = _place_key(parent, cname_known)
        home[c.id] = key
    # the wave's span comes from claims dated to the day or a few days, where there are any
    precise = [c for c in wave if c.date_prec is not None and c.date_prec <= 2] or wave
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
    span = f"{w_start.isoformat()} to {w_end.isoformat()}" if w_start and w_end else "undated"
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
