"""Count expressions: "at least 20", "more than 600", "dozens", "two dozen", "15 to 20".

`find_counts(text)` returns every expression that could give a number of people, with
`low`/`high` following the conventions table of ../shared/eval/GUIDE.md. Whether the
number is a count of victims is decided later (claims); here only the arithmetic and the
obvious non-counts (years, ages, distances, durations, money, dates) are settled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from tollwatch.lexicon import (
    CHANGE_ADVERBS,
    RANGE_VERBS,
    SCALES,
    SURPASS_VERBS,
    TENS,
    UNITS,
)
from tollwatch.lexicon import MONTH_PATTERN as _MONTH

# Vague magnitudes (GUIDE conventions table): low, high.
VAGUE = {
    "dozens": (24, 99),
    "scores": (40, 99),
    "hundreds": (200, 999),
    "thousands": (2000, 9999),
    "tens of thousands": (20000, 99999),
    "hundreds of thousands": (200000, 999999),
    "millions": (2_000_000, 9_999_999),
}

_word = "|".join(sorted([*UNITS, *TENS], key=len, reverse=True))
_scale = "|".join(SCALES)
# "one hundred and twenty-five", "twenty five", "three thousand", "a hundred"
WORD_NUMBER = (
    rf"(?:(?:a|one|{_word})(?:[\s-]+(?:{_word}))?(?:\s+(?:{_scale})(?:\s+and)?"
    rf"(?:[\s-]+(?:{_word}))*)*)"
)
DIGITS = (r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:\s+(?:million|thousand)|"
          r"(?:m|mn)(?=\s+(?:people|civilians|residents|refugees|children)\b))?")
# "a dozen" to "six dozen", and "half a dozen"
_DOZENS = "|".join(["half\\s+a", "a", *(w for w, n in UNITS.items() if n <= 6)])
DOZEN = rf"(?:(?:{_DOZENS})\s+dozen)"
NUMBER = rf"(?:{DIGITS}|{DOZEN}|{WORD_NUMBER})"
VAGUE_RE = "(?:" + "|".join(sorted((w.replace(" ", r"\s+") for w in VAGUE), key=len,
                                   reverse=True)) + ")"

# Modifiers before a number, mapped to how they change (low, high).
AT_LEAST = r"at\s+least|no\s+(?:fewer|less)\s+than|a\s+minimum\s+of|not\s+less\s+than"
_SURPASSED = "|".join(sorted((f for forms in SURPASS_VERBS.values() for f in forms), key=len,
                             reverse=True))
MORE_THAN = (r"more\s+than|over|well\s+over|just\s+over|upwards\s+of|in\s+excess\s+of|above|"
             rf"beyond|{_SURPASSED}")
ABOUT = (r"around|about|nearly|almost|some|roughly|approximately|approx\.|an\s+estimated|"
         r"estimated|close\s+to|circa|near|more\s+or\s+less")
UP_TO = r"up\s+to|as\s+many\s+as|at\s+most|a\s+maximum\s+of|no\s+more\s+than|not\s+more\s+than"
LESS_THAN = r"less\s+than|fewer\s+than|under|below"

COUNT_RE = re.compile(
    rf"""(?ix)
    (?<![\w/#@.:\-$£€])
    (?:(?P<between>between)\s+(?P<b1>{NUMBER})\s+and\s+(?P<b2>{NUMBER})
     |(?:(?P<mod>{AT_LEAST}|{MORE_THAN}|{ABOUT}|{UP_TO}|{LESS_THAN})\s+)?
      (?:(?P<vague>{VAGUE_RE})
        |(?P<n1>{NUMBER})(?:\s*(?P<sep>to|-|–|—|or)\s*(?P<n2>{NUMBER}))?
         (?P<post>\s+or\s+more|\s*\+|-plus|\s+plus)?))
    (?![\w%$£€]|-(?:year|month|week|day|hour|minute|km|mile|meter|metre|storey|story)|\.\d)
    """
)

# Words after a number that make it a measure, not a count of people.
NOT_PEOPLE_AFTER = re.compile(
    r"""(?ix)^[\s-]*(?:
      (?:per\s*cent|percent|%|km|kilomet(?:er|re)s?|miles?|met(?:er|re)s?|feet|foot|yards?|
       kg|kilos?|kilograms?|tons?|tonnes?|litres?|liters?|gallons?|hectares?|acres?|sq|square|
       years?|months?|weeks?|days?|hours?|minutes?|seconds?|nights?|decades?|centuries|
       times|am|pm|a\.m|p\.m|o'clock|gmt|utc|
       dollars?|euros?|pounds|usd|eur|shekels?|rubles?|naira|liras?|pounds?\s+sterling|
       billion|bn|storeys?|stories|floors?|rounds?|rockets?|missiles?|drones?|shells?|
       bombs?|tanks?|vehicles?|cars?|trucks?|houses?|homes?|buildings?|villages?|towns?|
       cities|schools?|hospitals?|points?|votes?|seats?|goals?|pages?|episodes?)\b
      |-year|\s*-?\s*years?\s*-?\s*old
      |(?:st|nd|rd|th)\b
      |[:.]\d)
    """
)
MONTH_BEFORE = re.compile(rf"(?i)\b(?:{_MONTH})\.?\s*$")
MONTH_AFTER = re.compile(rf"(?i)^(?:st|nd|rd|th)?\s*(?:of\s+)?(?:{_MONTH})\b")
MONEY_BEFORE = re.compile(r"(?i)(?:[$£€]|\b(?:usd|eur|no\.|number|page|article|resolution|"
                          r"route|flight|highway|room|apartment|building|platoon|brigade|"
                          r"division|battalion|level|class|grade|the\s+year)\s*)$")


@dataclass(frozen=True)
class Count:
    start: int  # offsets in the text given to find_counts
    end: int
    low: int | None
    high: int | None
    vague: bool  # a magnitude word ("hundreds") rather than a number
    text: str
    earlier: bool = False  # superseded by another figure of the text ("up from 27")
    newer: int | None = None  # start of the figure that supersedes it, in the same text


def word_value(s: str) -> int | None:
    """Value of a number written in words or digits: "twenty-five" -> 25, "1,311" -> 1311."""
    s = s.lower().replace(",", "").strip()
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(million|thousand|m|mn)?", s)
    if m:
        scale = {"m": "million", "mn": "million"}.get(m.group(2) or "", m.group(2) or "")
        value = float(m.group(1)) * SCALES.get(scale, 1)
        return int(round(value))
    m = re.fullmatch(rf"({_DOZENS})\s+dozen", s)
    if m:
        k = m.group(1)
        return 6 if k.startswith("half") else 12 * (1 if k in ("a", "one") else UNITS[k])
    total, current = 0, 0
    for w in re.split(r"[\s-]+", s):
        if w == "and":
            continue
        if w in ("a", "one") and current == 0:
            current = 1
        elif w in UNITS:
            current += UNITS[w]
        elif w in TENS:
            current += TENS[w]
        elif w == "hundred":
            current = max(current, 1) * 100
        elif w in ("thousand", "million"):
            total += max(current, 1) * SCALES[w]
            current = 0
        else:
            return None
    return total + current


def _bounds(mod: str | None, n: int, post: str | None) -> tuple[int | None, int | None]:
    mod = " ".join((mod or "").lower().split())
    if post and post.strip() in ("or more", "+", "-plus", "plus"):
        return n, None
    if not mod:
        return n, n
    if re.fullmatch(AT_LEAST, mod):
        return n, None
    if re.fullmatch(MORE_THAN, mod):
        return n + 1, None
    if re.fullmatch(UP_TO, mod):
        return None, n
    if re.fullmatch(LESS_THAN, mod):
        return None, n - 1
    return n, n  # about, around, nearly, some ...


def _is_year(value: int, text: str, start: int, end: int, raw: str) -> bool:
    if not re.fullmatch(r"\d{4}", raw) or not 1900 <= value <= 2100:
        return False
    after = text[end:end + 20].lower()
    # "2000 people were killed" is a count; "in 2011" is a year.
    return not re.match(r"\s+(?:people|persons|civilians|\w+\s+(?:people|civilians))", after)


# "one of them", "one of the wounded": a partitive count of one, read like "two of them"
ONE_OF = re.compile(r"\s+of\s+(?:them|those|whom|the\s+(?:dead|wounded|injured|victims|"
                    r"abducted|hostages))\b", re.I)


def find_counts(text: str) -> list[Count]:
    """Every count expression in `text`, with GUIDE-convention bounds."""
    out: list[Count] = []
    for m in COUNT_RE.finditer(text):
        start, end = m.span()
        after, before = text[end:end + 40], text[max(0, start - 25):start]
        if NOT_PEOPLE_AFTER.match(after) or MONTH_AFTER.match(after) or MONTH_BEFORE.search(before):
            continue
        low: int | None
        high: int | None
        if m.group("vague"):
            low, high = VAGUE[" ".join(m.group("vague").lower().split())]
            if m.group("mod") and re.fullmatch(MORE_THAN + "|" + AT_LEAST, m.group("mod").lower()):
                high = None
            out.append(Count(start, end, low, high, True, m.group(0)))
            continue
        if m.group("between"):
            a, b = word_value(m.group("b1")), word_value(m.group("b2"))
            if a is not None and b is not None:
                out.append(Count(start, end, a, b, False, m.group(0)))
            continue
        raw = m.group("n1")
        n = word_value(raw)
        if n is None or n == 0:
            continue
        if (raw.lower() in ("a", "an") or raw.lower() == "one" and not m.group("mod") and
                not ONE_OF.match(text, end)) and not m.group("n2"):
            continue  # single victims ("a nurse", "one other") are found by the claims stage
        if _is_year(n, text, start, end, raw) or (raw[0].isdigit() and MONEY_BEFORE.search(before)
                                                  and not m.group("mod")):
            continue
        if m.group("n2"):
            n2 = word_value(m.group("n2"))
            if n2 is not None and m.group("sep").lower() == "to" and _changed_from(text[:start]):
                # "rose from 20 to 25": 25 now, 20 before, not a range
                out.append(Count(start, m.end("n1"), *_bounds(m.group("mod"), n, None), False,
                                 text[start:m.end("n1")], earlier=True, newer=m.start("n2")))
                out.append(Count(m.start("n2"), end, n2, n2, False, text[m.start("n2"):end]))
                continue
            if n2 is None or n2 <= n:
                # "two or three" is a range; "24-7" or a date-like "3-1" is not a count
                end = m.end("n1")
                low, high = _bounds(m.group("mod"), n, None)
            else:
                low, high = n, n2
        else:
            low, high = _bounds(m.group("mod"), n, m.group("post"))
        out.append(Count(start, end, low, high, False, text[start:end]))
    return _superseded(text, out)


_RANGE_FORMS = {f for forms in RANGE_VERBS.values() for f in forms}
FROM_BEFORE = re.compile(r"(?i)(?:\b([\w-]+)\s+)?from\s+$")


def _changed_from(before: str) -> bool:
    """Whether a count after `before` is the old end of a change: "rose from", "up from",
    "went from" (but not "ranged from", "varied from": a range)."""
    m = FROM_BEFORE.search(before)
    return m is not None and (m.group(1) or "").lower() not in _RANGE_FORMS


def _superseded(text: str, counts: list[Count]) -> list[Count]:
    """Mark figures the text moves away from: "from 20 to more than 25" (20, newer 25),
    "30, up from 27" and "rose to 30 from 27" (27, newer 30)."""
    out = list(counts)
    for i, c in enumerate(out):
        m = FROM_BEFORE.search(text[:c.start])
        if c.earlier or m is None:
            continue
        nxt = out[i + 1] if i + 1 < len(out) else None
        prev = out[i - 1] if i else None
        if nxt is not None and _changed_from(text[:c.start]) and \
                re.fullmatch(r"\s+to\s+", text[c.end:nxt.start]):
            out[i] = replace(c, earlier=True, newer=nxt.start)
        elif prev is not None and (
                (m.group(1) or "").lower() in CHANGE_ADVERBS
                or (re.search(r"(?i)\bto\s+$", text[:prev.start])
                    and re.fullmatch(r"(?i)\s+from\s+", text[prev.end:c.start]))):
            out[i] = replace(c, earlier=True, newer=prev.start)
    return out
