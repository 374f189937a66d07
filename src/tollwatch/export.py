"""Outputs of incidents: the JSON contract of DESIGN.md, a readable toll summary, CSV in the
manner of ACLED and UCDP GED, and GeoJSON.

CSV columns (one row per incident, outcome and victim group; `EXPORT_COLUMNS`):
    incident_id, parent_id, label, event_date (first day), date_start, date_end, date_prec
    (1 day .. 5 year), place, admin1, country (ISO 3166-1 alpha-2), latitude, longitude,
    where_prec (1 place .. 6 country), outcome, victims, low, best, high, grade, origins,
    sources (each origin's latest figure: "name: figure (date)", "; "-separated), best_rule,
    documents, notes (the checks' findings).
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from tollwatch.reconcile import BEST_RULES, DEFAULT_RULE
from tollwatch.records import Check, ContextFigure, Figure, Incident, SourceFigure, Step

EXPORT_COLUMNS = ("incident_id", "parent_id", "label", "event_date", "date_start", "date_end",
                  "date_prec", "place", "admin1", "country", "latitude", "longitude",
                  "where_prec", "outcome", "victims", "low", "best", "high", "grade", "origins",
                  "sources", "best_rule", "documents", "notes")


def _step(h: Step) -> dict[str, Any]:
    return {"low": h.low, "high": h.high, "reported": h.reported, "claim": h.claim,
            "earlier": h.earlier, "derived": h.derived, "parts": list(h.parts)}


def incident_to_dict(inc: Incident) -> dict[str, Any]:
    """The `incidents --format json` contract of DESIGN.md (and the README)."""
    d = {k: getattr(inc, k) for k in ("id", "parent", "label", "place", "admin1", "country",
                                       "lat", "lon", "where_prec", "date_start", "date_end",
                                       "date_prec")}
    d["documents"] = list(inc.documents)
    d["claims"] = list(inc.claims)
    d["figures"] = [{
        "outcome": f.outcome, "victims": f.victims, "low": f.low, "best": f.best,
        "best_rule": f.best_rule, "high": f.high, "grade": f.grade, "origins": f.origins,
        "sources": [{"source": s.source, "outlet": s.outlet, "origin": s.origin, "low": s.low,
                     "high": s.high, "reported": s.reported, "claim": s.claim,
                     "hedged": s.hedged, "status": s.status, "derived": s.derived,
                     "parts": list(s.parts), "history": [_step(h) for h in s.history]}
                    for s in f.sources],
        "claims": list(f.claims)} for f in inc.figures]
    d["checks"] = [{"kind": c.kind, "message": c.message, "claims": list(c.claims)}
                   for c in inc.checks]
    d["context"] = [{"scope": x.scope, "outcome": x.outcome, "victims": x.victims,
                     "low": x.low, "high": x.high, "source": x.source, "outlet": x.outlet,
                     "reported": x.reported, "claim": x.claim} for x in inc.context]
    return d


def incident_from_dict(d: dict[str, Any]) -> Incident:
    figures = tuple(Figure(
        f["outcome"], f["victims"], f["low"], f["best"], f["high"], f["grade"], f["origins"],
        tuple(SourceFigure(
            s["source"], s["origin"], s["low"], s["high"], s["reported"], s["claim"],
            s["hedged"], tuple(Step(h["low"], h["high"], h["reported"], h["claim"],
                                    h["earlier"], h["derived"], tuple(h["parts"]))
                               for h in s["history"]),
            s["outlet"], s["status"], s["derived"], tuple(s["parts"])) for s in f["sources"]),
        tuple(f["claims"]), f["best_rule"]) for f in d["figures"])
    checks = tuple(Check(c["kind"], c["message"], tuple(c["claims"])) for c in d["checks"])
    context = tuple(ContextFigure(x["scope"], x["outcome"], x["victims"], x["low"], x["high"],
                                  x["source"], x["reported"], x["claim"],
                                  x.get("outlet")) for x in d["context"])
    fields = {k: d[k] for k in ("id", "parent", "label", "place", "admin1", "country", "lat",
                                "lon", "where_prec", "date_start", "date_end", "date_prec")}
    return Incident(**fields, documents=tuple(d["documents"]), claims=tuple(d["claims"]),
                    figures=figures, checks=checks, context=context)


def figure_text(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return f"{low:,}" if low == high else f"{low:,}-{high:,}"
    if low is not None:
        return f"{low:,}+"
    return f"up to {high:,}" if high is not None else "?"


def source_name(s: SourceFigure | ContextFigure) -> str:
    """Who gave a figure, for people: the source, else the outlet speaking for itself, by
    its name (else, for a record stored without one, its report's id)."""
    return s.source or s.outlet or s.claim.rsplit("-", 1)[0]


def _source_line(s: SourceFigure) -> str:
    earlier = ", ".join(figure_text(h.low, h.high) + (" (marked earlier)" if h.earlier else "")
                        + (" (sum of groups)" if h.derived else "") for h in s.history)
    notes = [n for n, on in (("derived: sum of its group figures", s.derived),
                             ("hedged", s.hedged), ("superseded", s.status == "superseded"))
             if on]
    return (f"{source_name(s)}: {figure_text(s.low, s.high)} ({s.reported or 'undated'})"
            f"{' ' + ', '.join(notes) if notes else ''}"
            f"{'; earlier ' + earlier if earlier else ''}")


def tolls_text(incidents: list[Incident], rule: str = DEFAULT_RULE,
               as_of: str | None = None) -> str:
    """The readable summary: per incident and group the range, best, grade, and each
    source's latest figure with its date; context figures after them."""
    lines = [f"best = {BEST_RULES[rule]}", ""]
    if as_of:
        lines.insert(0, f"as of {as_of} (reports published up to that day)")
    for inc in incidents:
        indent = "    " if inc.parent else ""
        n = len(inc.documents)
        lines.append(f"{indent}{inc.label}  [{n} report{'' if n == 1 else 's'}]")
        for f in inc.figures:
            lines.append(f"{indent}  {f.outcome} {f.victims}: {figure_text(f.low, f.high)}, "
                         f"best {f.best if f.best is not None else '?'}, {f.grade}, "
                         f"{f.origins} origin{'s' if f.origins != 1 else ''}")
            for s in f.sources:
                lines.append(f"{indent}    {_source_line(s)}")
        for x in inc.context:
            lines.append(f"{indent}  context ({x.scope}): {x.outcome} {x.victims} "
                         f"{figure_text(x.low, x.high)}, {source_name(x)} "
                         f"({x.reported or 'undated'})")
        for c in inc.checks:
            lines.append(f"{indent}  check {c.kind}: {c.message}")
    return "\n".join(lines) + "\n"


def export_csv(incidents: list[Incident]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(EXPORT_COLUMNS))
    w.writeheader()
    for inc in incidents:
        notes = " | ".join(c.message for c in inc.checks)
        for f in inc.figures:
            w.writerow({
                "incident_id": inc.id, "parent_id": inc.parent or "", "label": inc.label,
                "event_date": inc.date_start or "", "date_start": inc.date_start or "",
                "date_end": inc.date_end or "", "date_prec": inc.date_prec or "",
                "place": inc.place or "", "admin1": inc.admin1 or "",
                "country": inc.country or "", "latitude": "" if inc.lat is None else inc.lat,
                "longitude": "" if inc.lon is None else inc.lon,
                "where_prec": inc.where_prec or "", "outcome": f.outcome,
                "victims": f.victims, "low": "" if f.low is None else f.low,
                "best": "" if f.best is None else f.best,
                "high": "" if f.high is None else f.high, "grade": f.grade,
                "origins": f.origins,
                "sources": "; ".join(f"{source_name(s)}: {figure_text(s.low, s.high)} "
                                     f"({s.reported or 'undated'})"
                                     f"{' superseded' if s.status == 'superseded' else ''}"
                                     f"{' derived' if s.derived else ''}" for s in f.sources),
                "best_rule": f.best_rule, "documents": "; ".join(inc.documents), "notes": notes})
    return buf.getvalue()


def export_geojson(incidents: list[Incident]) -> str:
    features = []
    for inc in incidents:
        if inc.lat is None or inc.lon is None:
            continue
        props = incident_to_dict(inc)
        for k in ("lat", "lon"):
            props.pop(k)
        features.append({"type": "Feature",
                         "geometry": {"type": "Point", "coordinates": [inc.lon, inc.lat]},
                         "properties": props})
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False,
                      indent=1)


__all__ = ["EXPORT_COLUMNS", "export_csv", "export_geojson", "incident_from_dict",
           "incident_to_dict", "source_name", "tolls_text"]
