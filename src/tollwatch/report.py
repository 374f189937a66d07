"""The offline report: one self-contained HTML file that makes no network request.

Headline figures per top-level incident, a step chart of each source's figures by report
day (running totals) for every outcome of an incident with a history (at most
`MAX_CHARTS`, and the page says how many more there are), a map of incidents on an offline
base map, incident sections listing their claims with the quote highlighted in its
report's text, a "who said what" table (each source's figures by date; superseded, earlier
and context figures set apart), the checks' findings, and the rule used for `best`.

All article text goes through Jinja2 with autoescaping. Charts and the map are Bokeh
figures whose JavaScript is inlined from the installed package; they receive numbers and
labels reduced to letters, digits and a little punctuation, never raw article text.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from tollwatch.export import figure_text, source_name
from tollwatch.gazetteer import Gazetteer
from tollwatch.origins import outlet_name
from tollwatch.reconcile import BEST_RULES, DEFAULT_RULE, value
from tollwatch.records import OUTCOMES, Claim, Document, Incident, SourceFigure

MAX_CHARTS = 20  # charts drawn at most (killed first, largest tolls first); the page says so
MAX_SERIES = 10  # sources drawn in one chart, largest figures first
CONTEXT = 240  # characters of report text shown around a quote


def safe_label(text: str | None, limit: int = 60) -> str:
    """A label fit to hand to chart JavaScript: letters, digits, spaces, a little punctuation."""
    return re.sub(r"[^\w\s.,:()'’-]", "", text or "")[:limit]


@dataclass(frozen=True)
class Excerpt:
    before: str
    quote_before: str
    count: str
    quote_after: str
    after: str


def excerpt(doc: Document | None, claim: Claim) -> Excerpt:
    """The claim's quote in its report's text, with the number marked; the template
    escapes each piece."""
    if doc is None:
        return Excerpt("", claim.quote, "", "", "")
    t = doc.text
    s, e = claim.start, claim.end
    cs, ce = claim.count_start, claim.count_end
    return Excerpt(("…" if s > CONTEXT else "") + t[max(0, s - CONTEXT):s], t[s:cs], t[cs:ce],
                   t[ce:e], t[e:e + CONTEXT] + ("…" if e + CONTEXT < len(t) else ""))


def _top_value(inc: Incident) -> int:
    return max((f.best or 0 for f in inc.figures if f.outcome == "killed"), default=0)


def _steps(s: SourceFigure) -> list[tuple[date, float, str]]:
    """A source's figures by report day: (day, value, status); per day the last wins."""
    raw = [(h.reported, value(h.low, h.high), "earlier" if h.earlier else "history")
           for h in s.history]
    raw.append((s.reported, value(s.low, s.high), s.status))
    by_day: dict[date, tuple[float, str]] = {}
    for r, v, status in raw:
        if r and v is not None:
            day = date.fromisoformat(r[:10])
            if status != "earlier" or day not in by_day:
                by_day[day] = (float(v), status)
    return [(d, v, st) for d, (v, st) in sorted(by_day.items())]


def histories(inc: Incident) -> list[str]:
    """The outcomes of an incident (in the order of `OUTCOMES`) for which some source gave
    a figure on more than one report day."""
    return [o for o in OUTCOMES if any(len(_steps(s)) > 1 for f in inc.figures
                                       if f.outcome == o for s in f.sources)]


def has_history(inc: Incident) -> bool:
    """Some source gave one of this incident's figures on more than one report day."""
    return bool(histories(inc))


def _chart(inc: Incident, outcome: str) -> Any:
    """One outcome's figures of an incident's sources by report day, as a Bokeh step chart:
    each source's running total holds until its next report."""
    from bokeh.models import DatetimeTickFormatter, DaysTicker, HoverTool
    from bokeh.palettes import Category10_10
    from bokeh.plotting import figure

    p = figure(height=260, sizing_mode="stretch_width", x_axis_type="datetime",
               title=safe_label(f"{inc.label}: {outcome}, each source's figures by report "
                                f"day", 100),
               toolbar_location=None)
    n = 0
    series = [(f, s) for f in inc.figures if f.outcome == outcome for s in f.sources]
    series.sort(key=lambda fs: -(fs[1].low or fs[1].high or 0))
    days: set[date] = set()
    for f, s in series[:MAX_SERIES]:
        points = _steps(s)
        if not points:
            continue
        late = " superseded" if s.status == "superseded" else ""
        name = safe_label(f"{source_name(s)} ({f.victims}){late}")
        color = Category10_10[n % 10]
        xs = [datetime(d.year, d.month, d.day) for d, _, _ in points]
        ys = [v for _, v, _ in points]
        days.update(d for d, _, _ in points)
        dash = "dashed" if late else "solid"
        p.step(xs, ys, mode="after", color=color, line_width=2, line_dash=dash,
               legend_label=name)
        p.scatter(xs, ys, color=color, size=7, legend_label=name)
        n += 1
    if days and (max(days) - min(days)).days <= 62:
        p.xaxis.ticker = DaysTicker(days=list(range(1, 32)))
    p.xaxis.formatter = DatetimeTickFormatter(hours="%Y-%m-%d", days="%Y-%m-%d",
                                              months="%Y-%m", years="%Y")
    p.add_tools(HoverTool(tooltips=[("report day", "@x{%F}"), ("figure", "@y")],
                          formatters={"@x": "datetime"}))
    p.legend.label_text_font_size = "8pt"
    p.legend.location = "top_left"
    return p


@dataclass(frozen=True)
class Said:
    """One figure a source gave, for the "who said what" table."""

    reported: str | None
    incident: Incident
    outcome: str
    victims: str
    figure: str
    status: str  # latest | earlier | marked earlier | superseded | cumulative | background
    claim: str


def who_said_what(incidents: list[Incident]) -> list[tuple[str, list[Said]]]:
    """Each source's figures, by report date; sources with the most figures first."""
    rows: dict[str, list[Said]] = defaultdict(list)
    for inc in incidents:
        for f in inc.figures:
            for s in f.sources:
                name = source_name(s)
                for h in s.history:
                    rows[name].append(Said(h.reported, inc, f.outcome, f.victims,
                                           figure_text(h.low, h.high),
                                           "marked earlier" if h.earlier else "earlier",
                                           h.claim))
                status = "superseded" if s.status == "superseded" else "latest"
                rows[name].append(Said(s.reported, inc, f.outcome, f.victims,
                                       figure_text(s.low, s.high) +
                                       (" (sum of groups)" if s.derived else ""),
                                       status, s.claim))
        for x in inc.context:
            rows[source_name(x)].append(Said(
                x.reported, inc, x.outcome, x.victims, figure_text(x.low, x.high), x.scope,
                x.claim))
    for said in rows.values():
        said.sort(key=lambda r: (r.reported or "", r.status not in ("earlier",
                                                                    "marked earlier")))
    return sorted(rows.items(), key=lambda kv: (-len(kv[1]), kv[0]))


def _map(incidents: list[Incident], gazetteer: Gazetteer) -> Any:
    from bokeh.models import ColumnDataSource, HoverTool
    from bokeh.plotting import figure

    from tollwatch.basemap import country_outline, division_outlines

    p = figure(height=480, sizing_mode="stretch_width", match_aspect=True,
               title="Incidents (marker area by toll killed)", toolbar_location="right",
               tools="pan,wheel_zoom,reset")
    countries = sorted({i.country for i in incidents if i.country})
    # one glyph per layer: Bokeh's cost grows with the number of glyphs, not of points
    outlines = [ring for iso in countries for ring in country_outline(iso)]
    divisions = [ring for iso in countries for ring in division_outlines(iso, gazetteer)]
    p.patches([[x for x, _ in r] for r in outlines], [[y for _, y in r] for r in outlines],
              fill_color="#f3f1ea", fill_alpha=0.6, line_color="#666666", line_width=1.2)
    p.patches([[x for x, _ in r] for r in divisions], [[y for _, y in r] for r in divisions],
              fill_alpha=0, line_color="#bbbbbb", line_width=0.6, line_dash="dotted")
    placed = [i for i in incidents if i.lat is not None and i.lon is not None]
    data: dict[str, list[Any]] = {"x": [], "y": [], "size": [], "label": [], "toll": []}
    for inc in placed:
        toll = _top_value(inc)
        data["x"].append(inc.lon)
        data["y"].append(inc.lat)
        data["size"].append(6 + 3 * math.sqrt(toll))
        data["label"].append(safe_label(inc.label, 80))
        data["toll"].append(toll)
    source = ColumnDataSource(data)
    r = p.scatter("x", "y", size="size", source=source, fill_color="#b22222", fill_alpha=0.45,
                  line_color="#7a1010")
    p.add_tools(HoverTool(renderers=[r], tooltips=[("incident", "@label"), ("killed", "@toll")]))
    p.xaxis.axis_label = "longitude"
    p.yaxis.axis_label = "latitude"
    return p


def build(incidents: list[Incident], claims: list[Claim], documents: list[Document],
          gazetteer: Gazetteer, rule: str = DEFAULT_RULE,
          generated: datetime | None = None, as_of: str | None = None) -> str:
    """The report as one HTML string (`as_of`: the day the figures are reconstructed for)."""
    import jinja2
    from bokeh.embed import components
    from bokeh.resources import Resources

    generated = generated or datetime.now(UTC)
    by_claim = {c.id: c for c in claims}
    docs = {d.id: d for d in documents}
    tops = [i for i in incidents if i.parent is None]
    tops.sort(key=_top_value, reverse=True)
    children: dict[str, list[Incident]] = defaultdict(list)
    for i in incidents:
        if i.parent:
            children[i.parent].append(i)
    # a chart shows figures changing: each outcome of an incident where a source's figure
    # has a history; killed first, then by toll, up to MAX_CHARTS
    wanted = sorted(((i, o) for i in incidents for o in histories(i)),
                    key=lambda io: (OUTCOMES.index(io[1]), -_top_value(io[0])))
    charted: dict[str, list[str]] = defaultdict(list)
    plots = {"map": _map(incidents, gazetteer)}
    for inc, outcome in wanted[:MAX_CHARTS]:
        charted[inc.id].append(outcome)
        plots[f"{inc.id}/{outcome}"] = _chart(inc, outcome)
    script, divs = components(plots)
    bokeh_js = Resources(mode="inline", components=["bokeh"]).render_js()
    env = jinja2.Environment(loader=jinja2.PackageLoader("tollwatch", "templates"),
                             autoescape=True, undefined=jinja2.StrictUndefined)
    env.filters["fig"] = lambda f: figure_text(f.low, f.high)
    env.filters["fig_claim"] = lambda c: figure_text(c.count_low, c.count_high)
    return env.get_template("report.html").render(
        generated=generated.strftime("%Y-%m-%d %H:%M UTC"), rule=BEST_RULES[rule],
        tops=tops, children=children, by_claim=by_claim, docs=docs, excerpt=excerpt,
        divs=divs, script=script, bokeh_js=bokeh_js, charted=charted,
        uncharted=len(wanted) - min(len(wanted), MAX_CHARTS), max_charts=MAX_CHARTS,
        who=who_said_what(incidents), source_name=source_name, as_of=as_of,
        outlet_of=lambda c: outlet_name(*(
            (d.outlet, d.url, d.name) if (d := docs.get(c.document_id)) else
            (None, None, c.document))) or c.document_id,
        n_claims=len(claims), n_docs=len(documents),
        countries=sorted({i.country for i in incidents if i.country}))


def write(path: Path, html: str) -> Path:
    path.write_text(html, encoding="utf-8")
    return path
