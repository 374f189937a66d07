"""Claims with places and dates: the stage between extraction and incidents.

A claim's place is the most specific place its sentence names (for a conflict-wide total or an
earlier event recalled, the widest, else the report's division); "in the city" is the last town
named before; failing that, for a breakdown, its total's place; else the place named last in
the two sentences before it in the same paragraph ("the attack in Cali coincided with one in
Antioquia, where ... eight officers were killed" is Antioquia's); else the place of the last
figure at most three sentences before, where the story has moved away from the report's own
place; else the report's own place (its lead's), unless the figure spans "two attacks"; else
the country the report is about.
A breakdown with no time of its own takes its total's dates. Dates come from the claim's
sentence resolved against the report's date (`dates.resolve_when`); a claim whose sentence
names no time takes the dates of a claim of the same scope at most three sentences before it
(a war's running total lends its dates to no claim about the event), else the week up to the
report (`date_prec` 3).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

from tollwatch.dates import report_date, resolve_when
from tollwatch.gazetteer import Gazetteer, Place
from tollwatch.places import (
    Mention,
    admin1_of,
    describe,
    division_of,
    find_mentions,
    inside,
    main_country,
    report_division,
    report_focus,
    widest,
)
from tollwatch.records import Claim, Document
from tollwatch.scope import is_nationwide
from tollwatch.sentences import split_sentences

# "two separate attacks left 13 dead": a figure over several places, not the lead's one
SEVERAL = re.compile(r"(?i)\b(?:two|three|four|five|several|multiple|twin|separate|"
                     r"simultaneous|coordinated)\s+(?:separate\s+|deadly\s+)?(?:attacks|bombings|"
                     r"strikes|raids|incidents|blasts|explosions|assaults|ambushes)\b")
PLACE_FIELDS = ("place", "admin1", "country", "lat", "lon", "where_prec")
THE_TOWN = re.compile(r"(?i)\b(?:in|at|near|outside|inside|across)\s+the\s+(?:city|town|village|"
                      r"camp|settlement)\b(?!\s+of\b)")


def _specificity(m: Mention) -> int:
    return 0 if m.place is None else m.where_prec


def locate(document: Document, claims: list[Claim], gazetteer: Gazetteer) -> list[Claim]:
    """The claims with place, admin1, country, lat, lon, where_prec and dates filled in."""
    if not claims:
        return claims
    text = document.text
    mentions = find_mentions(text, gazetteer)
    country = main_country(mentions, gazetteer)
    mentions = report_division(mentions, country, gazetteer)
    report = report_date(document.published)
    sentences = list(split_sentences(text))
    lead_end = sentences[min(4, len(sentences) - 1)][1] if sentences else 0
    focus = report_focus(mentions, text, lead_end, country, gazetteer)
    division = division_of(mentions, focus, country, gazetteer)
    focus_admin1 = describe(focus, gazetteer)["admin1"] if focus is not None else None
    divisions = {a.id for a in (admin1_of(m, gazetteer) for m in mentions if not m.weak)
                 if a is not None and country is not None and a.country == country.country}
    by_id: dict[str, Claim] = {}
    out: list[Claim] = []
    previous: dict[str, Claim] = {}  # the last claim of each scope
    for claim in claims:
        idx = next((i for i, (s, e) in enumerate(sentences) if s <= claim.count_start < e), 0)
        fields: dict[str, object] = {}
        parent = by_id.get(claim.part_of or "")
        context = claim.scope != "event"
        place = _place_for(claim, idx, sentences, mentions, text, gazetteer,
                           look_back=0 if parent is not None or context else 2,
                           wide=claim.scope == "cumulative", country=country)
        if place is None and claim.scope == "cumulative" and country is not None and \
                is_nationwide(claim.quote):
            place = Mention(0, 0, country.name, country, 6)  # "across the nation"
        if place is None and context and parent is None and division is not None:
            # a war's running total that names no place: the division the report is about
            place = Mention(0, 0, division.name, division, 4)
        last = previous.get("event")
        # "two attacks" in a report that names two divisions are in neither of them
        several = SEVERAL.search(claim.quote) is not None and len(divisions) > 1
        if place is None and parent is None and claim.scope == "event" and \
                last is not None and last.where_prec is not None and last.where_prec < 6 and \
                (focus is None or focus_admin1 != last.admin1) and \
                _sentences_between(sentences, last.count_start, claim.count_start) <= 3:
            # the story goes on where the last figure was ("... eight officers were killed
            # in Mopti", then a quote: "nine soldiers dead"), also away from the report's place
            fields.update({k: getattr(last, k) for k in PLACE_FIELDS})
        elif focus is not None and claim.scope == "event" and not several and (
                place is None and not (parent is not None and parent.place) or
                place is not None and place.where_prec >= 4 and
                inside(focus, place, gazetteer)):
            # the report's own place for a claim that names nothing more specific
            place = focus
        if fields:
            pass  # the last figure's place, taken whole
        elif place is not None:
            fields.update(describe(place, gazetteer))
            if fields["country"] is None and country is not None:
                # a village the gazetteer does not know, in the country the report is about
                fields.update({"country": country.country, "lat": country.lat,
                               "lon": country.lon})
        elif parent is not None and parent.place:
            fields.update({k: getattr(parent, k) for k in PLACE_FIELDS})
        elif country is not None:
            fields.update(describe(Mention(0, 0, country.name, country, 6), gazetteer))
        if division is not None and claim.scope == "event" and fields.get("admin1") is None \
                and fields.get("country") == division.country and not several:
            fields["admin1"] = division.name  # "in western Niger", in a report on Tillaberi
        when = resolve_when(claim.quote, report) if report else None
        if when is not None:
            fields.update({"date_start": when[0].isoformat(), "date_end": when[1].isoformat(),
                           "date_prec": when[2]})
        else:
            source = parent if parent is not None else previous.get(claim.scope)
            near = source is not None and _sentences_between(
                sentences, source.count_start, claim.count_start) <= 3
            if source is not None and source.date_start and near:
                fields.update({"date_start": source.date_start, "date_end": source.date_end,
                               "date_prec": source.date_prec})
            elif report is not None:
                # no time named near the claim: the week up to the report, marked as such
                fields.update({"date_start": (report - timedelta(days=6)).isoformat(),
                               "date_end": report.isoformat(), "date_prec": 3})
        located = replace(claim, **fields)  # type: ignore[arg-type]
        by_id[claim.id] = located
        out.append(located)
        previous[claim.scope] = located
    return out


def _sentences_between(sentences: list[tuple[int, int]], a: int, b: int) -> int:
    return sum(1 for s, _ in sentences if min(a, b) < s <= max(a, b))


def _same_paragraph(text: str, a: int, b: int) -> bool:
    return "\n\n" not in text[min(a, b):max(a, b)]


def _place_for(claim: Claim, idx: int, sentences: list[tuple[int, int]],
               mentions: list[Mention], text: str, gazetteer: Gazetteer,
               look_back: int = 2, wide: bool = False, country: Place | None = None
               ) -> Mention | None:
    """The place a claim's sentence (or one of the `look_back` sentences before it in its
    paragraph) names: the most specific one, or with `wide` (a conflict-wide total or an
    earlier event recalled) the widest one ("in El Fasher ... since Sudan descended into
    war, more than 24,000 dead" is Sudan's), in the report's country where it names one."""
    for back in range(0, look_back + 1):
        if idx - back < 0:
            break
        s, e = sentences[idx - back]
        if back and not _same_paragraph(text, s, claim.count_start):
            break
        here = [m for m in mentions if s <= m.start < e]
        here = [m for m in here if not m.weak] or here  # "Odesa regional governor" last
        if wide and country is not None:
            here = [m for m in here if (m.place or m.area or country).country ==
                    country.country] or here
        if here and back and not wide:
            # a sentence before the claim: the place it names last, where the story has got
            # to ("the attack in Cali coincided with one in Antioquia, where ..."), or a place
            # it names inside that one ("in the village of X in Y province")
            end = max(here, key=lambda m: m.start)
            here = [m for m in here if m is end or inside(m, end, gazetteer)]
        if here:
            top = (max if wide else min)(_specificity(m) for m in here)
            best = sorted((m for m in here if _specificity(m) == top),
                          key=lambda m: abs(m.start - claim.count_start))
            return widest(best, gazetteer) if top >= 4 else best[0]
        if not back and THE_TOWN.search(text[s:e]):
            # "left seven dead in the city": the last town named before
            before = [m for m in mentions if m.start < s and not m.weak and
                      (m.place is None or m.place.kind == "place")]
            if before:
                return max(before, key=lambda m: m.start)
    return None
