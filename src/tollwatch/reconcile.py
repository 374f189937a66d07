"""Figures: per incident, outcome and victim group, how many, according to whom, how sure.

1. Each origin's claims form a history ordered by report date; the latest supersedes (a
   running total is an update, not a rival). Two figures of one origin on the same day are
   ordered by size, since running totals grow; the checks point such days out.
2. `low`/`high` span the latest figures of the independent origins. Hedged claims are kept
   out unless nothing else exists.
3. `best` follows one rule, `BEST_RULES[rule]`, printed with every result. Default
   "median": the median of the origins' latest values, where a value is the low bound (or
   the high bound of "up to N").
4. `grade`: `corroborated` when two or more independent origins agree within `tolerance`
   (relative), `contested` when they do not, `single_source` for one origin, `unverified`
   when every claim is hedged.
5. Breakdowns never add: a claim that breaks down another in the same incident is checked
   against it, not counted.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, replace

from tollwatch.incidents import Grouping
from tollwatch.records import Check, Claim, Figure, Incident, SourceFigure

BEST_RULES: dict[str, str] = {
    "median": "median of the independent origins' latest figures (low bound of each)",
    "max": "largest of the independent origins' latest figures (low bound of each)",
    "min": "smallest of the independent origins' latest figures (low bound of each)",
}
DEFAULT_RULE = "median"


@dataclass(frozen=True)
class Context:
    """What reconciliation needs to know beyond the claims."""

    origins: dict[str, str]  # claim id -> origin key
    published: dict[str, str | None]  # document id -> date of the report

    def origin(self, claim: Claim) -> str:
        return self.origins[claim.id]

    def reported(self, claim: Claim) -> str | None:
        return self.published.get(claim.document_id)

    rule: str = DEFAULT_RULE
    tolerance: float = 0.1


def value(low: int | None, high: int | None) -> int | None:
    return low if low is not None else high


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


def figures(members: list[Claim], ctx: Context) -> tuple[list[Figure], list[Check]]:
    """Figures and same-day checks for one incident's claims (breakdowns of a total in the
    same incident are left out of the figures)."""
    ids = {c.id for c in members}
    counted = [c for c in members if not (c.part_of and c.part_of in ids)]
    groups: dict[tuple[str, str], list[Claim]] = defaultdict(list)
    for c in counted:
        groups[(c.outcome, c.victims)].append(c)
    out: list[Figure] = []
    checks: list[Check] = []
    for (outcome, victims), claims in sorted(groups.items()):
        by_origin: dict[str, list[Claim]] = defaultdict(list)
        for c in claims:
            by_origin[ctx.origin(c)].append(c)
        sources = []
        for origin, cs in sorted(by_origin.items()):
            cs.sort(key=lambda c: (ctx.reported(c) or "", value(c.count_low, c.count_high) or 0,
                                   c.id))
            last = cs[-1]
            history = tuple((c.count_low, c.count_high, ctx.reported(c), c.id) for c in cs[:-1])
            sources.append(SourceFigure(
                source=last.source, origin=origin, low=last.count_low, high=last.count_high,
                reported=ctx.reported(last), claim=last.id, hedged=all(c.hedged for c in cs),
                history=history))
            days: dict[str | None, set[tuple[int | None, int | None]]] = defaultdict(set)
            for c in cs:
                days[ctx.reported(c)].add((c.count_low, c.count_high))
            for day, vals in days.items():
                if len(vals) > 1 and day:
                    shown = ", ".join(_fmt(lo, hi) for lo, hi in sorted(
                        vals, key=lambda v: value(*v) or 0))
                    who = last.source or f"{last.document} (own voice)"
                    checks.append(Check("same_day", f"{who} gave {shown} "
                                        f"{outcome} ({victims}) on {day}",
                                        tuple(c.id for c in cs if ctx.reported(c) == day)))
        firm = [s for s in sources if not s.hedged]
        used = firm or sources
        lows = [s.low for s in used if s.low is not None]
        highs = [s.high for s in used]
        low = min(lows) if lows else None
        high = None if any(h is None for h in highs) else max(h for h in highs if h is not None)
        values = [v for s in used if (v := value(s.low, s.high)) is not None]
        best = _best(values, ctx.rule)
        if not firm:
            grade = "unverified"
        elif len(firm) == 1:
            grade = "single_source"
        elif all(_agree(a, b, ctx.tolerance) for a in firm for b in firm):
            grade = "corroborated"
        else:
            grade = "contested"
        out.append(Figure(outcome, victims, low, best, high, grade, len(used), tuple(sources),
                          tuple(c.id for c in claims), ctx.rule))
    return out, checks


def _best(values: list[int], rule: str) -> int | None:
    if not values:
        return None
    if rule == "max":
        return max(values)
    if rule == "min":
        return min(values)
    return int(statistics.median_low(values))


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
        if not c.part_of:
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
        done[g.incident.id] = replace(g.incident, figures=tuple(figs), checks=tuple(checks))
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
