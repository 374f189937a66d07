"""Sentences of a report, and the screen that picks those worth parsing.

Splitting is rule-based (a line break always ends a sentence: headlines and bylines stand
alone). Only sentences where a count and a casualty word can meet are handed to spaCy.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tollwatch.counts import Count, find_counts
from tollwatch.lexicon import (
    CIVILIAN_NOUNS,
    COMBATANT_NOUNS,
    KIN,
    MONTH_ABBREVIATIONS,
    OF_NOUNS,
    OUTCOME_ADJECTIVES,
    OUTCOME_NOUNS,
    OUTCOME_VERBS,
    SCREEN_EXTRAS,
    SCREEN_LEFT_OUT,
    SECURITY_NOUNS,
    TOLL_NOUNS,
)


def _stem(word: str) -> str:
    """What the inflections and derived nouns of an outcome word start with: "execute" ->
    "execut" (executed, execution), "fatality" -> "fatalit" (fatalities), "bury" ->
    "bur(?:y|i)" (buried; "bur" alone is too short), "hospitalize" -> "hospitali" (both
    spellings)."""
    if word.endswith(("ise", "ize")) and len(word) > 6:
        return word[:-2]
    if word.endswith("y") and len(word) > 3:
        return word[:-1] if len(word) > 5 else word[:-1] + "(?:y|i)"
    if word.endswith("e") and len(word) > 4:
        return word[:-1]
    return word


_OUTCOME_WORDS = {*(w for words in OUTCOME_VERBS.values() for w in words), *OUTCOME_ADJECTIVES,
                  *(w for words in OUTCOME_NOUNS.values() for w in words), *OF_NOUNS,
                  *(w for w, outcome in TOLL_NOUNS.items() if outcome)} - SCREEN_LEFT_OUT
# A sentence goes through when a word starts with the stem of an outcome word, or holds
# one of the extra stems and phrases. A cheap prefilter: "diesel" passes on "die".
OUTCOME_STEMS = sorted({_stem(w) for w in _OUTCOME_WORDS}, key=lambda s: (-len(s), s))
SCREEN = re.compile(r"(?i)\b(?:" + "|".join([*OUTCOME_STEMS, *SCREEN_EXTRAS]) + ")")

SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")
ABBREVIATIONS = re.compile(r"(?i)\b(?:mr|mrs|ms|dr|st|gen|col|lt|sgt|capt|maj|rev|prof|no|"
                           r"u\.s|u\.n|u\.k|e\.g|i\.e|vs|" + "|".join(MONTH_ABBREVIATIONS) +
                           r")\.$")
# A dateline opens a wire report or one of its paragraphs: where it was filed, not where
# anything happened ("BEIRUT (AP) —", "ABUJA, Nigeria (AP) —", "CAIRO, May 3 (Reuters) -",
# "KYIV:", "Gaza City (AFP) -"). The city is in capitals, or followed by an agency.
_CAPS = r"[A-Z][A-Z'’.\-]{2,}(?:[ \t]+[A-Z][A-Z'’.\-]+){0,3}"
_NAMED = r"[A-Z][\w'’.\-]+(?:[ \t]+[A-Z][\w'’.\-]+){0,2}(?=[^\n()]{0,40}\()"
DATELINE = re.compile(
    rf"^[ \t]*(?:date \d{{4}}-\d{{2}}-\d{{2}}[ \t]+)?[ \t]*(?P<dateline>(?:{_CAPS}|{_NAMED})"
    r"(?:,[ \t]*[A-Z][\w'’.]+(?:[ \t]+[A-Z][\w'’.]+){0,2})?"
    r"(?:,?[ \t]+[A-Z][a-z]{2,8}\.?[ \t]+\d{1,2})?"
    r"[ \t]*(?:\([^()\n]{1,40}\))?[ \t]*(?:(?:—|–|--|-|:)[ \t]+(?=\S)|$))")
SEGMENT_BREAK = re.compile(r"(?i)\s*(?:;|\s[—–-]{1,2}\s+but\b|,\s+but\b|,\s+while\b|,\s+whereas\b)")


# A byline is where the writer was, not where anything happened: "By Staff Reporter, Bor",
# "By Farid Ahmadzai | Kabul | 22 January 2025" (every word capitalised, a number or small)
BYLINE = re.compile(r"^[ \t]*By[ \t]+(?:(?:[A-Z][\w'’.-]*|\d[\d:]*|and|of|the|in|for|at|[,|–—-])"
                    r"[ \t]*){1,16}$")


def dateline(line: str) -> tuple[int, int] | None:
    """(start, end) of the dateline that opens a line, or of a byline line; else None."""
    m = DATELINE.match(line)
    if m:
        return m.span("dateline")
    b = BYLINE.match(line)
    return (len(line) - len(line.lstrip()), len(line)) if b else None


def datelines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every dateline in a text."""
    out, pos = [], 0
    for line in text.split("\n"):
        span = dateline(line)
        if span is not None:
            out.append((pos + span[0], pos + span[1]))
        pos += len(line) + 1
    return out


# Longer "sentences" (a page with no full stops, a 1 MB line) are cut into pieces at a clause
# or word boundary, so the parser never meets a text past its limit and never parses a huge one.
MAX_SENTENCE = 5_000


def split_sentences(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence; a line break always ends one (headlines, bylines).
    A dateline is not part of the sentence it opens. No piece is longer than MAX_SENTENCE."""
    for start, end in _sentences(text):
        yield from _bounded(text, start, end)


def _bounded(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """A sentence cut into pieces of at most MAX_SENTENCE characters, each cut at the last
    clause break (";", ",") or else the last space before the limit."""
    while end - start > MAX_SENTENCE:
        window = text[start:start + MAX_SENTENCE]
        cut = max(window.rfind("; "), window.rfind(", "))
        if cut < MAX_SENTENCE // 2:
            cut = window.rfind(" ")
        cut = cut + 1 if cut > 0 else MAX_SENTENCE
        yield start, start + cut
        start += cut
        while start < end and text[start] == " ":
            start += 1
    if end > start:
        yield start, end


def _sentences(text: str) -> Iterator[tuple[int, int]]:
    pos = 0
    for line in text.split("\n"):
        line_start = pos
        pos += len(line) + 1
        if not line.strip():
            continue
        opening = dateline(line)
        start = opening[1] if opening else 0
        for m in SENTENCE_END.finditer(line):
            if ABBREVIATIONS.search(line[start:m.start()]):
                continue
            yield line_start + start, line_start + m.start()
            start = m.end()
        rest = line[start:].rstrip()
        if rest:
            yield line_start + start, line_start + start + len(rest)


def candidates(text: str, sentences: list[tuple[int, int]]
               ) -> list[tuple[int, int, list[Count]]]:
    """Sentences where a count and a casualty word can meet, the only ones parsed, with
    their counts (offsets in the sentence) so that they are found once."""
    out = []
    for start, end in sentences:
        sentence = text[start:end]
        if not SCREEN.search(sentence):  # "They include Dr. X" passes on "includ"
            continue
        counts = find_counts(sentence)
        if counts or may_hold_single(sentence):
            out.append((start, end, counts))
    return out


_SINGLE_NOUNS = "|".join(sorted(CIVILIAN_NOUNS | COMBATANT_NOUNS | SECURITY_NOUNS | KIN |
                                {"man", "person", "other", "victim"}, key=len, reverse=True))
_KIN = "|".join(sorted(KIN, key=len, reverse=True))
SINGLE_SCREEN = re.compile(
    rf"(?i)\b(?:a|an|one|his|her|their)\s+(?:[\w-]+\s+){{0,2}}(?:{_SINGLE_NOUNS})\b"
    rf"|\bthe\s+(?:{_KIN})\b(?:\s+and\s+\w+)?\s+of\b")  # "the mother and sister of ..."


# "They include Dr. Karim Haddad", "The dead included Ali Hassan": people named one by one
NAMED_SCREEN = re.compile(r"(?i)\b(?:they|those|these|the\s+\w+)\s+(?:\w+\s+)?"
                          r"(?:include[sd]?|were|are)\s+(?:(?:dr|mr|mrs|ms|prof)\.?\s+)?"
                          r"(?-i:[A-Z][\w'’-]+\s+[A-Z])")


def may_hold_single(sentence: str) -> bool:
    """"a nurse", "one other", "their mother", "they include Dr. X": a count of one may be
    here."""
    return bool(SINGLE_SCREEN.search(sentence) or NAMED_SCREEN.search(sentence))


def segment(text: str, pos: int) -> tuple[int, int]:
    """The clause-level stretch of a sentence that holds `pos` (split at "; ", "— but")."""
    parts = clauses(text)
    return next(((a, b) for a, b in parts if pos <= b), parts[-1])


def clauses(text: str) -> list[tuple[int, int]]:
    """The clause-level stretches of a sentence (split where `segment` splits)."""
    out, start = [], 0
    for m in SEGMENT_BREAK.finditer(text):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return out
