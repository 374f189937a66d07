"""Scope of a figure, and figures the text itself marks as superseded.

A report about one attack also recalls other numbers: the whole war's running total ("the
conflict has killed more than 24,000", "since the war began in April 2023") and earlier
events ("an attack on the same market last year killed 50"). `scope_of` reads the clause a
count stands in and answers `event`, `cumulative` or `background`; only `event` figures enter
an incident's figures. `marked_earlier` finds figures the text moves away from ("a previous
toll of 300"); the change forms ("rose from 20 to 25", "up from 27") are marked by `counts`.

Each reader is a small function of the clause (and the report's date, when it has one), so
that each can be tested on its own sentence.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache

from tollwatch.dates import resolve_when
from tollwatch.lexicon import UNITS
from tollwatch.records import Scope

# what a whole conflict is called; "the fighting" and "violence" are too often the event
CONFLICT = (r"(?:war|civil\s+war|conflict|insurgency|invasion|uprising|revolution|"
            r"hostilities|occupation|crisis)")
# a recalled time is background when it ended this long before the report
RECALLED_AFTER = timedelta(days=21)
# "since" a date this long before the report makes a running total of the conflict
SINCE_LONG_AGO = timedelta(days=45)

_SINCE_CONFLICT = re.compile(
    rf"(?i)\bsince\s+(?:the\s+)?(?:(?:start|beginning|outbreak|onset)\b|"
    rf"(?:[\w'’-]+\s+){{0,3}}{CONFLICT}\s+(?:began|broke\s+out|erupted|started)\b|"
    rf"(?:[\w'’-]+\s+){{0,4}}{CONFLICT}\b)")
_CONFLICT_AS_AGENT = re.compile(
    rf"(?i)\b{CONFLICT}\s+(?:has|have|had)\s+(?:now\s+|so\s+far\s+|already\s+)?"
    r"(?:killed|displaced|uprooted|claimed|left|forced|driven|caused)\b")
_OVER_THE_CONFLICT = re.compile(
    rf"(?i)\b(?:during|throughout|over\s+the\s+course\s+of|in\s+the\s+course\s+of)\s+"
    rf"(?:the|this|a)\s+(?:[\w'’-]+\s+){{0,3}}(?:{CONFLICT}|campaign)\b"
    r"|\b(?:over|in|during)\s+the\s+(?:past|last)\s+(?:[\w-]+\s+)?(?:years|months|decades?)\b"
    r"|\b(?:so\s+far|since\s+the\s+start\s+of)\s+this\s+year\b|\boverall\b|\ball\s+told\b")
# a whole country's figure, told in the perfect: "violence across the nation has resulted in
# ... seven million people displaced"
_NATIONWIDE = re.compile(r"(?i)\b(?:(?:across|throughout)\s+the\s+(?:[\w-]+\s+){0,3}"
                         r"(?:country|nation)|nationwide|countrywide)\b(?=.*\b(?:has|have)\s)")
# "the deadliest attack since 2019" compares the event with an older one: no scope
_COMPARED_SINCE = re.compile(r"(?i)\b(?:deadliest|worst|bloodiest|biggest|largest|first|"
                             r"most\s+\w+)\s+(?:[\w'’-]+\s+){0,3}since\b")
_RECALLED = re.compile(
    r"(?i)\b(?:last|previous|past)\s+(?:year|month)\b|\b(?:a|an|several|\d+|" +
    "|".join(UNITS) + r")\s+(?:years?|months?|decades?)\s+(?:ago|earlier)\b|\bback\s+then\b|"
    r"\bat\s+the\s+time\b|\bin\s+(?:a|an)\s+(?:previous|earlier|similar|separate)\s+"
    r"(?:attack|raid|massacre|strike|bombing|assault)\s+(?:in|on|last)\b")
_YEAR = re.compile(r"(?i)\b(?:in|during|of)\s+((?:19|20)\d\d)\b")
_PREVIOUS_FIGURE = re.compile(
    r"(?i)\b(?:previous|earlier|prior|initial|preliminary|first)\s+(?:death\s+)?"
    r"(?:toll|count|tally|figure|estimate|estimates|number)s?\b")


def scope_of(clause: str, report: date | None) -> Scope:
    """The scope of a count standing in `clause`: "More than 3,000 civilians have been
    killed in Ituri since 2017" -> cumulative; "In 2022, an attack on the camp killed 60"
    -> background (for a report of 2024); "The attack killed 12" -> event."""
    if is_conflict_total(clause, report):
        return "cumulative"
    if is_recalled(clause, report):
        return "background"
    return "event"


def is_conflict_total(clause: str, report: date | None) -> bool:
    """A running total of a whole conflict: since it began, the war as the agent, over the
    war or the past years, or since a date long before the report."""
    if _COMPARED_SINCE.search(clause):
        return False
    if _SINCE_CONFLICT.search(clause) or _CONFLICT_AS_AGENT.search(clause) or \
            _OVER_THE_CONFLICT.search(clause):
        return True
    if is_nationwide(clause) and (report is None or _when(clause, report) is None):
        return True  # "violence across the nation has displaced seven million", no date
    if report is None or not re.search(r"(?i)\bsince\b", clause):
        return False
    when = _when(clause, report)  # "since 2017", "since October 7"
    return when is not None and when[0] <= report - SINCE_LONG_AGO and when[1] >= report - \
        timedelta(days=1)


def is_nationwide(clause: str) -> bool:
    """A whole country's figure ("across the nation has ...")."""
    return _NATIONWIDE.search(clause) is not None


def is_recalled(clause: str, report: date | None) -> bool:
    """An earlier event the report recalls: "last year", "two years ago", "back then", a
    year before the report's, or a time that ended weeks before the report."""
    if _RECALLED.search(clause):
        return True
    if report is None:
        return False
    if any(int(y) < report.year for y in _YEAR.findall(clause)):
        return True
    when = _when(clause, report)
    return when is not None and when[1] < report - RECALLED_AFTER


@lru_cache(maxsize=256)
def _when(clause: str, report: date) -> tuple[date, date, int] | None:
    """The time a clause names, read once for both readers and for every count in it."""
    return resolve_when(clause, report)


def marked_earlier(clause: str, count_start: int) -> bool:
    """Whether the text calls the count at `count_start` an older figure: "a previous toll
    of 300", "initial estimates put the number at 20", "the earlier figure was 27"."""
    before = clause[max(0, count_start - 60):count_start]
    marks = list(_PREVIOUS_FIGURE.finditer(before))
    return bool(marks) and not re.search(r"\d", before[marks[-1].end():])
