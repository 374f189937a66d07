"""Figures: per incident, outcome and victim group, how many, according to whom, how sure.

1. Scope. Only figures about the event enter its figures; conflict-wide totals and earlier
   events recalled are the incident's context (DESIGN decision 7).
2. Who. A claim's origin comes from `tollwatch.origins`; here, with the incident in hand,
   one report giving one figure twice (headline and body) is one origin, and an outlet's
   own-voice figure that repeats a figure a named source gave on or before that day is the
   source's.
3. Time. Each origin's figures form a history ordered by report date; the latest
   supersedes (a running total is an update, not a rival). Two figures of one origin on the
   same day are ordered by size, since running totals grow (the checks point such days
   out); a figure the text marks as earlier ("up from 27") goes into the history and never
   becomes the latest. An origin whose latest figure is days older than the incident's
   current figures and lower than them is `superseded`, not a rival: after `STALE_DAYS`
   for an outlet's own or a vague figure ("hundreds" on day one), after
   `NAMED_STALE_DAYS` for a named source's count, which may be a narrower count that
   stays a rival.
4. Totals from groups. An origin's group figures given together in one report (745
   civilians, 125 security forces, 148 fighters) sum to its total for all victims, marked
   as derived, where that report gives no total of its own. Breakdowns never add: a claim
   that breaks down another in the same incident is checked against it, not counted.
5. `low`/`high` span the current figures of the independent origins. Hedged claims are
   kept out unless nothing else exists.
6. `best` follows one rule, `BEST_RULES[rule]`, printed with every result; the default,
   "fullest", is the latest figure of the origin that counts most completely.
7. `grade`: `corroborated` when two or more independent origins agree within `tolerance`
   (relative), `contested` when they do not, `single_source` for one origin, `unverified`
   when every current figure is hedged.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date

from tollwatch.incidents import Grouping
from tollwatch.origins import outlet_name
from tollwatch.records import (
    Check,
    Claim,
    ContextFigure,
    Figure,
    Incident,
    SourceFigure,
    Step,
)

BEST_RULES: dict[str, str] = {
    "fullest": "the latest figure of the origin that counts most completely: the largest "
               "current figure of the independent origins (low bound of each; counted "
               "figures such as 745, 'at least 30' or 'about 40' before vague ones such as "
               "'hundreds'; superseded, hedged and context figures left out)",
    "median": "median of the independent origins' current figures (low bound of each; "
              "a half rounded to the even number)",
    "max": "largest of the independent origins' current figures (low bound of each)",
    "min": "smallest of the independent origins' current figures (low bound of each)",
}
DEFAULT_RULE = "fullest"
STALE_DAYS = 2  # an own-voice or vague figure this many days older than the current is stale
NAMED_STALE_DAYS = 5  # a named source's count, this many
VAGUE = 1.5  # a range whose top is more than 1.5 times its bottom is a vague magnitude


@dataclass(frozen=True)
class Context:
    """What reconciliation needs to know beyond the claims."""

    origins: dict[str, str]  # claim id -> origin key
    published: dict[str, str | None]  # document id -> date of the report

    def origin(self, claim: Claim) -> str:
        return self.origins[claim.id]

    def reported(self, claim: Claim) -> str | None:
        return self.published.get(claim.document_id)

    def outlet(self, claim: Claim) -> str:
        """The name of the outlet that published the claim's report: from `outlets`, else
        the report's file name."""
        return (self.outlets.get(claim.document_id) or
                outlet_name(None, None, claim.document) or claim.document_id)

    rule: str = DEFAULT_RULE
    tolerance: float = 0.1
    outlets: dict[str, str | None] = field(default_factory=dict)  # document id -> outlet


def value(low: int | None, high: int | None) -> int | None:
    return low if low is not None else high


def _top(low: int | None, high: int | None) -> int | None:
    return high if high is not None else low


def _agree(a: SourceFigure, b: SourceFigure, tolerance: float) -> bool:
    """Two figures agree when their ranges overlap ("at least 20" and "25") or their values
    are within `tolerance` of each other."""
    inf = float("inf")
    lo_a, hi_a = a.low or 0, a.high if a.high is not None else inf
    lo_b, hi_b = b.low or 0, b.high if b.high is not None else inf
    if lo_a <= hi_b and lo_b <= hi_a:
        return True
    va, vb = value(a.low, a.high), value(b.low, b.high)
    return va is not None and vb is not None and abs(va - vb) <= tolerance * max(va, vb)


def _rank(origin: str) -> int:
    """How specific an origin is: a named source, a shared passage, a speaker, the outlet."""
    if origin.startswith("source:"):
        return 0
    if origin.startswith("passage:"):
        return 1
    return 2 if "/" in origin else 3


def effective_origins(claims: list[Claim], ctx: Context) -> dict[str, str]:
    """claim id -> origin, with rule 2 of the module docstring applied."""
    out = {c.id: ctx.origin(c) for c in claims}
    same: dict[tuple[str, str, str, int | None, int | None], list[Claim]] = defaultdict(list)
    for c in claims:
        same[(c.document_id, c.outcome, c.victims, c.count_low, c.count_high)].append(c)
    for cs in same.values():
        if len({out[c.id] for c in cs}) < 2:
            continue
        best = min((out[c.id] for c in cs), key=lambda o: (_rank(o), o))
        for c in cs:
            if not out[c.id].startswith("source:"):
                out[c.id] = best  # one report, one figure: the headline is the body's
    named: dict[tuple[str, str, int | None, int | None], list[tuple[str, str]]] = \
        defaultdict(list)
    for c in claims:
        if out[c.id].startswith("source:") and not c.hedged and not c.earlier:
            named[(c.outcome, c.victims, c.count_low, c.count_high)].append(
                (ctx.reported(c) or "", out[c.id]))
    for c in claims:
        if c.source is None and not out[c.id].startswith("source:"):
            day = ctx.reported(c) or ""
            before = [x for x in named.get((c.outcome, c.victims, c.count_low, c.count_high),
                                           []) if x[0] <= day]
            if before:
                out[c.id] = max(before)[1]  # the outlet repeats the source's figure
    return out


@dataclass(frozen=True)
class _Entry:
    step: Step
    hedged: bool
    source: str | None
    outlet: str  # the name of the outlet whose report gave it


def _entries(counted: list[Claim], origin: dict[str, str], ctx: Context
             ) -> dict[tuple[str, str, str], list[_Entry]]:
    """(outcome, victims, origin) -> that origin's figures, derived totals included."""
    out: dict[tuple[str, str, str], list[_Entry]] = defaultdict(list)
    seen: set[tuple[str, str, str, str, int | None, int | None, bool]] = set()
    for c in sorted(counted, key=lambda c: c.id):
        once = (c.outcome, c.victims, origin[c.id], c.document_id, c.count_low, c.count_high,
                c.earlier)
        if once in seen:
            continue  # a report's headline and body: one figure, given once
        seen.add(once)
        out[(c.outcome, c.victims, origin[c.id])].append(_Entry(
            Step(c.count_low, c.count_high, ctx.reported(c), c.id, c.earlier), c.hedged,
            c.source, ctx.outlet(c)))
    hedged = {k: all(e.hedged for e in es) for k, es in out.items()}
    together: dict[tuple[str, str, str], list[Claim]] = defaultdict(list)
    for c in counted:
        if not c.earlier:
            together[(origin[c.id], c.document_id, c.outcome)].append(c)
    for (o, _, outcome), cs in sorted(together.items()):
        groups: dict[str, Claim] = {}
        for c in cs:
            if c.victims != "unspecified" and c.count_low:
                groups[c.victims] = max(groups.get(c.victims, c), c,
                                        key=lambda x: (x.count_low or 0, x.id))
        if len(groups) < 2 or any(c.victims == "unspecified" for c in cs):
            continue
        parts = sorted(groups.values(), key=lambda c: c.id)
        low = sum(c.count_low or 0 for c in parts)
        highs = [c.count_high for c in parts]
        high = sum(h for h in highs if h is not None) if None not in highs else None
        out[(outcome, "unspecified", o)].append(_Entry(
            Step(low, high, ctx.reported(parts[0]), parts[0].id, derived=True,
                 parts=tuple(c.id for c in parts)),
            all(hedged[(outcome, c.victims, o)] for c in parts), parts[0].source,
            ctx.outlet(parts[0])))
    return out


def _days(a: str | None, b: str | None) -> int:
    """Days from report date a to report date b (0 where either is unknown)."""
    if not a or not b:
        return 0
    return (date.fromisoformat(b[:10]) - date.fromisoformat(a[:10])).days


def _stale(sources: list[SourceFigure]) -> list[SourceFigure]:
    """Rule 3's stale origins marked superseded: days older and lower than the current."""
    firm = [s for s in sources if s.status == "current" and not s.hedged and s.reported]
    if len(firm) < 2:
        return sources
    newest = max(s.reported or "" for s in firm)
    recent = [t for s in firm if _days(s.reported, newest) < STALE_DAYS
              and (t := _top(s.low, s.high)) is not None]
    if not recent:
        return sources
    top = max(recent)
    return [replace(s, status="superseded") if s in firm and
            _days(s.reported, newest) >= _stale_after(s) and (_top(s.low, s.high) or 0) < top
            else s for s in sources]


def _stale_after(s: SourceFigure) -> int:
    """Days after which an origin's figure is stale: a named source's count (a monitor's
    narrower method) stays a rival for longer than an outlet's own or vague figure."""
    vague = s.low is None or (s.high is not None and s.high > VAGUE * s.low)
    return STALE_DAYS if vague or not s.origin.startswith("source:") else NAMED_STALE_DAYS


def figures(members: list[Claim], ctx: Context) -> tuple[list[Figure], list[Check]]:
    """Figures and same-day checks for one incident's claims (breakdowns of a total in the
    same incident, and context figures, are left out of the figures)."""
    ids = {c.id for c in members}
    counted = [c for c in members
               if c.scope == "event" and not (c.part_of and c.part_of in ids)]
    origin = effective_origins(counted, ctx)
    entries = _entries(counted, origin, ctx)
    claims_of: dict[tuple[str, str], list[str]] = defaultdict(list)
    for c in counted:
        claims_of[(c.outcome, c.victims)].append(c.id)
    groups: dict[tuple[str, str], list[tuple[str, list[_Entry]]]] = defaultdict(list)
    for (outcome, victims, o), es in entries.items():
        groups[(outcome, victims)].append((o, es))
    out: list[Figure] = []
    checks: list[Check] = []
    for (outcome, victims), by_origin in sorted(groups.items()):
        sources = []
        for o, es in sorted(by_origin, key=lambda x: x[0]):
            es.sort(key=lambda e: (e.step.reported or "", not e.step.earlier,
                                   value(e.step.low, e.step.high) or 0, e.step.claim))
            latest = [e for e in es if not e.step.earlier]
            last = latest[-1] if latest else es[-1]
            named = next((e.source for e in reversed(es) if e.source), None)
            sources.append(SourceFigure(
                source=named if o.startswith("source:") else last.source, origin=o,
                low=last.step.low, high=last.step.high,
                reported=last.step.reported, claim=last.step.claim,
                hedged=all(e.hedged for e in es),
                history=tuple(e.step for e in es if e is not last),
                outlet=None if o.startswith("source:") else " / ".join(sorted(
                    {e.outlet for e in es})),
                status="current" if latest else "superseded", derived=last.step.derived,
                parts=last.step.parts))
            checks.extend(_same_day(es, last.source or last.outlet, outcome, victims))
        sources = _stale(sources)
        current = [s for s in sources if s.status == "current"]
        firm = [s for s in current if not s.hedged]
        used = firm or current or sources
        lows = [s.low for s in used if s.low is not None]
        highs = [s.high for s in used]
        low = min(lows) if lows else None
        high = None if any(h is None for h in highs) else max(h for h in highs if h is not None)
        if not firm:
            grade = "unverified"
        elif len(firm) == 1:
            grade = "single_source"
        elif all(_agree(a, b, ctx.tolerance) for a in firm for b in firm):
            grade = "corroborated"
        else:
            grade = "contested"
        out.append(Figure(outcome, victims, low, _best(used, ctx.rule), high, grade, len(used),
                          tuple(sources), tuple(claims_of[(outcome, victims)]), ctx.rule))
    return out, checks


def _same_day(es: list[_Entry], who: str, outcome: str, victims: str) -> list[Check]:
    """One origin giving several figures on one day (figures marked earlier aside)."""
    days: dict[str | None, set[tuple[int | None, int | None]]] = defaultdict(set)
    for e in es:
        if not e.step.earlier and not e.step.derived:
            days[e.step.reported].add((e.step.low, e.step.high))
    out = []
    for day, vals in days.items():
        if len(vals) > 1 and day:
            shown = ", ".join(_fmt(lo, hi) for lo, hi in sorted(
                vals, key=lambda v: value(*v) or 0))
            out.append(Check("same_day", f"{who} gave {shown} {outcome} ({victims}) on {day}",
                             tuple(e.step.claim for e in es if e.step.reported == day
                                   and not e.step.earlier and not e.step.derived)))
    return out


def _best(sources: list[SourceFigure], rule: str) -> int | None:
    values = [v for s in sources if (v := value(s.low, s.high)) is not None]
    if not values:
        return None
    if rule == "fullest":
        counted = [s.low for s in sources if s.low is not None and
                   (s.high is None or s.high <= VAGUE * s.low)]
        return max(counted or values)
    if rule == "max":
        return max(values)
    if rule == "min":
        return min(values)
    return round(statistics.median(values))


def _fmt(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return str(low) if low == high else f"{low}-{high}"
    return f"{low}+" if low is not None else f"up to {high}"


def part_checks(members: list[Claim]) -> list[Check]:
    """Parts against their total, within one incident: the parts may not exceed it."""
    by_id = {c.id: c for c in members}
    parts: dict[str, list[Claim]] = defaultdict(list)
    for c in members:
        if c.part_of in by_id:
            parts[c.part_of or ""].append(c)
    out = []
    for pid, ps in parts.items():
        total = by_id[pid]
        s = sum(p.count_low or 0 for p in ps)
        top = total.count_high if total.count_high is not None else None
        if top is not None and s > top:
            out.append(Check("parts_exceed_total", f"parts add up to {s}, more than the "
                             f"total {_fmt(total.count_low, top)}", (pid, *(p.id for p in ps))))
    return out


def report_sum_checks(members: list[Claim]) -> list[Check]:
    """A report's total against the sum of its group figures ("around 1000" vs 745+125+148)."""
    out = []
    by_doc: dict[tuple[str, str], list[Claim]] = defaultdict(list)
    for c in members:
        if not c.part_of and c.scope == "event" and not c.earlier:
            by_doc[(c.document_id, c.outcome)].append(c)
    for (_, outcome), cs in by_doc.items():
        totals = [c for c in cs if c.victims == "unspecified" and c.count_low]
        groups: dict[str, Claim] = {}
        for c in cs:
            if c.victims != "unspecified" and c.count_low:
                groups[c.victims] = max(groups.get(c.victims, c), c,
                                        key=lambda x: x.count_low or 0)
        if len(groups) < 2:
            continue
        s = sum(c.count_low or 0 for c in groups.values())
        for t in totals:
            low = t.count_low or 0
            high = t.count_high if t.count_high is not None else float("inf")
            if not low <= s <= high:
                parts = " + ".join(str(c.count_low) for c in groups.values())
                out.append(Check("total_vs_groups",
                                 f"{t.document}: total {_fmt(t.count_low, t.count_high)} {outcome}"
                                 f" vs {parts} = {s} by group",
                                 (t.id, *(c.id for c in groups.values()))))
    return out


def reconcile(groupings: list[Grouping], ctx: Context) -> list[Incident]:
    """Incidents with figures and checks; a parent is checked against its children's sum."""
    done: dict[str, Incident] = {}
    order = []
    for g in groupings:
        figs, same_day = figures(list(g.members), ctx)
        checks = [*part_checks(list(g.members)), *report_sum_checks(list(g.members)), *same_day]
        context = tuple(ContextFigure(c.scope, c.outcome, c.victims, c.count_low, c.count_high,
                                      c.source, ctx.reported(c), c.id, ctx.outlet(c))
                        for c in sorted(g.members, key=lambda c: (ctx.reported(c) or "", c.id))
                        if c.scope != "event")
        done[g.incident.id] = replace(g.incident, figures=tuple(figs), checks=tuple(checks),
                                      context=context)
        order.append(g.incident.id)
    children: dict[str, list[Incident]] = defaultdict(list)
    for inc in done.values():
        if inc.parent:
            children[inc.parent].append(inc)
    for pid, kids in children.items():
        parent = done.get(pid)
        if parent is None:
            continue
        extra = []
        for f in parent.figures:
            kid_sum = sum(kf.best or 0 for k in kids for kf in k.figures
                          if (kf.outcome, kf.victims) == (f.outcome, f.victims))
            if f.high is not None and kid_sum > f.high:
                extra.append(Check("children_exceed_parent",
                                   f"places inside add up to {kid_sum} {f.outcome} "
                                   f"({f.victims}), more than the whole's {_fmt(f.low, f.high)}",
                                   f.claims))
        if extra:
            done[pid] = replace(parent, checks=parent.checks + tuple(extra))
    return [done[i] for i in order]
