"""The offline report: one self-contained HTML file that makes no network request.

Headline figures per top-level incident, a chart of each source's figures over time
(running totals), a map of incidents on an offline base map, incident sections listing
their claims with the quote highlighted in its report's text, a "who said what" table,
the checks' findings, and the rule used for `best`.

All article text goes through Jinja2 with autoescaping. Charts and the map are Bokeh
figures whose JavaScript is inlined from the installed package; they receive numbers and
labels reduced to letters, digits and a little punctuation, never raw article text.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tollwatch.export import figure_text
from tollwatch.gazetteer import Gazetteer
from tollwatch.reconcile import BEST_RULES, DEFAULT_RULE
from tollwatch.records import Claim, Document, Incident

MAX_CHARTS = 20  # charts for the incidents with the largest tolls; all get a section
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


def _chart(inc: Incident) -> Any:
    """The killed figures of an incident's sources over time, as a Bokeh figure."""
    from bokeh.models import HoverTool
    from bokeh.palettes import Category10_10
    from bokeh.plotting import figure

    p = figure(height=260, sizing_mode="stretch_width", x_axis_type="datetime",
               title=safe_label(f"{inc.label}: killed, each source's figures by report date",
                                100),
               toolbar_location=None)
    n = 0
    series = [(f, s) for f in inc.figures if f.outcome == "killed" for s in f.sources]
    series.sort(key=lambda fs: -(fs[1].low or fs[1].high or 0))
    for f, s in series[:MAX_SERIES]:
        raw = [(r, lo if lo is not None else hi) for lo, hi, r, _ in s.history]
        raw.append((s.reported, s.low if s.low is not None else s.high))
        points = [(datetime.fromisoformat(r), float(v)) for r, v in raw
                  if r and v is not None]
        if not points:
            continue
        name = safe_label(f"{s.source or 'outlet'} ({f.victims})")
        color = Category10_10[n % 10]
        xs, ys = [x for x, _ in points], [y for _, y in points]
        p.line(xs, ys, color=color, line_width=2, legend_label=name)
        p.scatter(xs, ys, color=color, size=7, legend_label=name)
        n += 1
    p.add_tools(HoverTool(tooltips=[("date", "@x{%F}"), ("figure", "@y")],
                          formatters={"@x": "datetime"}))
    p.legend.label_text_font_size = "8pt"
    p.legend.location = "top_left"
    return p


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
          generated: datetime | None = None) -> str:
    """The report as one HTML string."""
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
    # a chart shows figures changing: only where some source gave more than one
    charted = [t for t in tops if any(f.outcome == "killed" and s.history
                                      for f in t.figures for s in f.sources)][:MAX_CHARTS]
    plots = {"map": _map(incidents, gazetteer)}
    for t in charted:
        plots[t.id] = _chart(t)
    script, divs = components(plots)
    bokeh_js = Resources(mode="inline", components=["bokeh"]).render_js()
    who: dict[str, dict[str, Any]] = {}
    for c in claims:
        key = c.source or "(the outlet's own voice)"
        row = who.setdefault(key, {"claims": 0, "documents": set(), "outcomes": set()})
        row["claims"] += 1
        row["documents"].add(c.document)
        row["outcomes"].add(c.outcome)
    env = jinja2.Environment(loader=jinja2.PackageLoader("tollwatch", "templates"),
                             autoescape=True, undefined=jinja2.StrictUndefined)
    env.filters["fig"] = lambda f: figure_text(f.low, f.high)
    env.filters["fig_claim"] = lambda c: figure_text(c.count_low, c.count_high)
    return env.get_template("report.html").render(
        generated=generated.strftime("%Y-%m-%d %H:%M UTC"), rule=BEST_RULES[rule],
        tops=tops, children=children, by_claim=by_claim, docs=docs, excerpt=excerpt,
        divs=divs, script=script, bokeh_js=bokeh_js, charted={t.id for t in charted},
        who=sorted(who.items(), key=lambda kv: -kv[1]["claims"]),
        n_claims=len(claims), n_docs=len(documents),
        countries=sorted({i.country for i in incidents if i.country}))


def write(path: Path, html: str) -> Path:
    path.write_text(html, encoding="utf-8")
    return path
