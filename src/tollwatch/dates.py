"""Dates: a report's own date, and (in the places-and-dates stage) when its claims happened.

`infer_published(text)` reads a report's date from its text where metadata gave none: the
latest full date it states (a dateline, a byline such as "MAR 8, 2025", dated posts quoted
in it), since a report cannot quote a post from after it was written.
"""

from __future__ import annotations

import re
from datetime import date

MONTHS = {m: i for i, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
     ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
     ("oct", "october"), ("nov", "november"), ("dec", "december")], 1) for m in names}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
FULL_DATE = re.compile(
    rf"(?i)\b(?:(?P<m1>{_MONTH})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>(?:19|20)\d\d)"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{_MONTH})\.?,?\s+(?P<y2>(?:19|20)\d\d)"
    rf"|(?P<y3>(?:19|20)\d\d)-(?P<m3>\d\d)-(?P<d3>\d\d))\b")


def _date_of(m: re.Match[str]) -> date | None:
    try:
        if m.group("y1"):
            return date(int(m.group("y1")), MONTHS[m.group("m1").lower()], int(m.group("d1")))
        if m.group("y2"):
            return date(int(m.group("y2")), MONTHS[m.group("m2").lower()], int(m.group("d2")))
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
