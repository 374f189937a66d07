"""Dates: a report's own date, and (in the places-and-dates stage) when its claims happened.

`infer_published(text)` reads a report's date from its text where metadata gave none: the
latest full date it states (a dateline, a byline such as "MAR 8, 2025", dated posts quoted
in it), since a report cannot quote a post from after it was written.
"""

from __future__ import annotations

import re
from datetime import date

from tollwatch.counts import WORD_NUMBER, word_value
from tollwatch.lexicon import MONTH_PATTERN as _MONTH
from tollwatch.lexicon import MONTHS, WEEKDAYS

FULL_DATE = re.compile(
    rf"(?i)\b(?:(?P<m1>{_MONTH})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>(?:19|20)\d\d)"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?:of\s+)?(?P<m2>{_MONTH})\.?,?\s+(?P<y2>(?:19|20)\d\d)"
    rf"|(?P<y3>(?:19|20)\d\d)-(?P<m3>\d\d)-(?P<d3>\d\d)"
    rf"|(?P<d4>\d{{1,2}})\.(?P<m4>\d{{1,2}})\.(?P<y4>(?:19|20)\d\d))\b")  # 22.08.2025, day first


def _date_of(m: re.Match[str]) -> date | None:
    try:
        if m.group("y1"):
            return date(int(m.group("y1")), MONTHS[m.group("m1").lower()], int(m.group("d1")))
        if m.group("y2"):
            return date(int(m.group("y2")), MONTHS[m.group("m2").lower()], int(m.group("d2")))
        if m.group("y4"):
            return date(int(m.group("y4")), int(m.group("m4")), int(m.group("d4")))
        return date(int(m.group("y3")), int(m.group("m3")), int(m.group("d3")))
    except ValueError:  # "February 30"
        return None


def full_dates(text: str) -> list[tuple[int, int, date]]:
    """(start, end, date) of every full date (day, month and year) in the text."""
    out = []
    for m in FULL_DATE.finditer(text):
        d = _date_of(m)
        if d is not None:
            out.append((m.start(), m.end(), d))
    return out


def infer_published(text: str) -> str | None:
    """The latest full date stated in the first 20,000 characters of a report, or None."""
    found = [d for _, _, d in full_dates(text[:20000])]
    return max(found).isoformat() if found else None


def report_date(published: str | None) -> date | None:
    """The date a report is read against: its ISO `published`, or None."""
    try:
        return date.fromisoformat(published) if published else None
    except ValueError:
        return None


def iso_date(value: str | None) -> str | None:
    """A metadata date ("2025-03-08T10:00Z", "Sat, 08 Mar 2025 10:00:00 GMT") as YYYY-MM-DD."""
    if not value:
        return None
    m = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", value)
    if m:
        return "-".join(m.groups())
    import dateparser

    parsed = dateparser.parse(value, languages=["en"], settings={"STRICT_PARSING": True})
    return parsed.date().isoformat() if parsed else None


# --- when a claim happened -------------------------------------------------------------

_WD = "|".join(WEEKDAYS)
_N = rf"(\d+|{WORD_NUMBER})"  # "3", "seven", "twenty-five"
DAY_MONTH = re.compile(
    rf"(?i)\b(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m1>{_MONTH})\b"
    rf"|(?P<m2>{_MONTH})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*,?\s*\d{{4}}))")
WEEKDAY_DATE = re.compile(
    rf"(?i)\b(?P<wd>{_WD}),?\s*\(?\s*(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m1>{_MONTH})"
    rf"|(?P<m2>{_MONTH})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?)\b")


def infer_year(text: str, today: date) -> str | None:
    """A report's date from "Saturday (8th March)": the latest year, not after `today`, in
    which that day fell on that weekday."""
    found = []
    for m in WEEKDAY_DATE.finditer(text[:20000]):
        day = int(m.group("d1") or m.group("d2"))
        month = MONTHS[(m.group("m1") or m.group("m2")).lower()]
        for year in range(today.year, today.year - 30, -1):
            try:
                d = date(year, month, day)
            except ValueError:
                break
            if d <= today and d.weekday() == WEEKDAYS.index(m.group("wd").lower()):
                found.append(d)
                break
    return max(found).isoformat() if found else None


def _weekday_on_or_before(report: date, name: str) -> date:
    from datetime import timedelta

    return report - timedelta(days=(report.weekday() - WEEKDAYS.index(name.lower())) % 7)


# Named days, as offsets from Easter Sunday or as fixed (month, day).
EASTER_DAYS = {"palm sunday": -7, "maundy thursday": -3, "holy thursday": -3,
               "good friday": -2, "holy saturday": -1, "easter sunday": 0, "easter": 0,
               "easter monday": 1}
FIXED_DAYS = {"christmas eve": (12, 24), "christmas day": (12, 25), "christmas": (12, 25),
              "new year's eve": (12, 31), "new year's day": (1, 1)}
NAMED_DAY = re.compile("(?i)\\b(" + "|".join(sorted([*EASTER_DAYS, *FIXED_DAYS], key=len,
                                                   reverse=True)) + ")\\b")


def _named_day(name: str, report: date) -> date | None:
    """The latest such day on or before the report's date."""
    from datetime import timedelta

    from dateutil.easter import easter

    name = name.lower()
    for year in (report.year, report.year - 1):
        if name in EASTER_DAYS:
            d = easter(year) + timedelta(days=EASTER_DAYS[name])
        else:
            d = date(year, *FIXED_DAYS[name])
        if d <= report:
            return d
    return None


def date_prec(start: date, end: date) -> int:
    """UCDP-style date precision of a span: 1 day, 2 a span of 2-6 days, 3 a week,
    4 a month, 5 longer."""
    days = (end - start).days + 1
    return 1 if days <= 1 else 2 if days <= 6 else 3 if days <= 7 else 4 if days <= 31 else 5


def _day_month_date(m: re.Match[str], report: date) -> date | None:
    """"7 March", "March 7": the latest such day on or before the report's date."""
    day = int(m.group("d1") or m.group("d2"))
    month = MONTHS[(m.group("m1") or m.group("m2")).lower()]
    for year in (report.year, report.year - 1):
        try:
            d = date(year, month, day)
        except ValueError:  # "February 30"
            return None
        if d <= report:
            return d
    return None


# "told AFP on Thursday", "said late Monday": the day of the telling, not of the event
REPORTING_DAY = re.compile(rf"\b(?:said|says|told\s+[\w.]+|reported|announced|added|stated|"
                           rf"confirmed)\s+(?:on\s+)?(?:late\s+|early\s+)?(?:{_WD})\b")


def _without_reporting_days(low: str) -> str:
    return REPORTING_DAY.sub(" ", low)


def _month_named(low: str, report: date) -> tuple[date, date, int] | None:
    """"last month", "in April", "in August 2024": that month, the latest one on or before
    the report when no year is named."""
    from calendar import monthrange

    if re.search(r"\blast month\b", low):
        year, month = (report.year, report.month - 1) if report.month > 1 else \
            (report.year - 1, 12)
    else:
        m = re.search(rf"\b(?:in|during|since|early|late|mid-?)\s+({_MONTH})\b"
                      rf"(?:\s+((?:19|20)\d\d))?(?!\s+\d)", low)
        if not m:
            return None
        month = MONTHS[m.group(1)]
        year = int(m.group(2)) if m.group(2) else (
            report.year if month <= report.month else report.year - 1)
    return date(year, month, 1), date(year, month, monthrange(year, month)[1]), 4


def resolve_when(text: str, report: date) -> tuple[date, date, int] | None:
    """(start, end, date_prec) of the time a sentence speaks of, resolved against the
    report's date; None when it names none. Precision: 1 day, 2 span of 2-6 days, 3 week,
    4 month, 5 year."""
    from datetime import timedelta

    low = text.lower()
    m = re.search(rf"\b(?:over|in|during|for)?\s*(?:the\s+)?(?:just\s+)?(?:past|last)\s+{_N}"
                  rf"\s+days\b|\b(?:in|over)\s+(?:just\s+)?(?:the\s+)?{_N}\s+days\b|\b{_N}\s+days"
                  rf"\s+of\b", low)
    n = word_value(next(g for g in m.groups() if g)) if m else None
    if n is not None:
        return report - timedelta(days=n), report, 2 if n <= 6 else 3
    m = re.search(rf"\b({_WD})\s+and\s+({_WD})\b", low)
    if m:  # "on Saturday and Sunday"
        a, b = (_weekday_on_or_before(report, m.group(i)) for i in (1, 2))
        a, b = min(a, b), max(a, b)
        return a, b, 1 if a == b else 2
    m = re.search(r"\bsince\s+(?:the\s+)?", low)
    if m:  # "since October 7", "since 7 October 2023"
        after = text[m.end():m.end() + 30]
        full = FULL_DATE.match(after)
        dm = DAY_MONTH.match(after)
        start = _date_of(full) if full else _day_month_date(dm, report) if dm else None
        if start is not None and start <= report:
            return start, report, date_prec(start, report)
    m = re.search(r"\bsince\s+((?:19|20)\d\d)\b", low)
    if m and int(m.group(1)) <= report.year:  # "since 2017"
        start = date(int(m.group(1)), 1, 1)
        return start, report, date_prec(start, report)
    m = re.search(rf"\bsince\b[^.;]{{0,40}}?\bin\s+({_MONTH})\b", low)
    if m:  # "since fighting began in April"
        month = MONTHS[m.group(1)]
        year = report.year if month <= report.month else report.year - 1
        return date(year, month, 1), report, 4
    m = re.search(rf"\bsince\b[^.;]{{0,40}}?\b({_WD})\b", low)
    if m:
        start = _weekday_on_or_before(report, m.group(1))
        return start, report, date_prec(start, report)
    m = re.search(r"\b(?:over\s+)?(?:the\s+)?(?:past|last)\s+(?:two|three|four)\s+weeks?\b|"
                  r"\b(?:earlier\s+)?this\s+week\b|\bpast\s+week\b", low)
    if m:
        return report - timedelta(days=6), report, 3
    m = NAMED_DAY.search(text)
    if m:  # "on Palm Sunday", "on Christmas Day", "In December 2023, ... at Christmas"
        named_year = re.search(r"\b((?:19|20)\d\d)\b", text)
        until = date(int(named_year.group(1)), 12, 31) if named_year and \
            int(named_year.group(1)) < report.year else report
        d = _named_day(m.group(1), until)
        if d is not None:
            return d, d, 1
    explicit = full_dates(text)
    if explicit:
        d = explicit[0][2]
        return d, d, 1
    m = DAY_MONTH.search(text)
    day_month = _day_month_date(m, report) if m else None
    if day_month is not None:
        return day_month, day_month, 1
    m = re.search(rf"\b(?:late|early|on|last)?\s*({_WD})\b", _without_reporting_days(low))
    if m:
        d = _weekday_on_or_before(report, m.group(1))
        if re.search(r"\b(?:the day before|the previous day|a day earlier|the previous "
                     r"day['’]s)\b", low):
            d -= timedelta(days=1)
        return d, d, 1
    if re.search(r"\b(?:yesterday|the day before|the previous day|a day earlier|last night|"
                 r"previous day['’]s)\b", low):
        d = report - timedelta(days=1)
        return d, d, 1
    if re.search(r"\b(?:today|this morning|this afternoon|tonight)\b", low):
        return report, report, 1
    named_month = _month_named(low, report)
    if named_month is not None:
        return named_month
    m = re.search(r"\b(?:in|during)\s+((?:19|20)\d\d)\b", low)
    if m and int(m.group(1)) < report.year:  # "in 2022", a year before the report's
        year = int(m.group(1))
        return date(year, 1, 1), date(year, 12, 31), 5
    if re.search(r"\blast year\b", low):
        return date(report.year - 1, 1, 1), date(report.year - 1, 12, 31), 5
    if re.search(r"\bovernight\b", low):
        return report - timedelta(days=1), report, 2
    return None
