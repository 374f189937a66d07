"""Places: where each claim happened, with UCDP's precision code.

Place names are found with the gazetteer, not with NER (the small English model calls
Latakia an ORG and Baniyas a DATE). A capitalised name counts as a place when the
gazetteer knows it and either it is a country, a first-level division or a town of some
size, or the text puts it in a place position ("in", "near", "village of", "X province").
A village the gazetteer does not know keeps its name when the text says it is one ("the
village of Tuwaym", "Hmeimim Air Base"), with the best enclosing area the text gives.

`where_prec`: 1 the place itself, 2 near a place, 3 district, 4 first-level division,
5 a larger or vague area, 6 country.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from tollwatch.gazetteer import Gazetteer, Place

NAME = (r"(?:(?:[Aa]l|[Ee]l|[Aa][srdnzt]|[Aa]sh|[Ee]d|[Ee]s)[-\s])?[A-Z][\w'’ʼ]*"
        r"(?:-[A-Za-z][\w'’]*)*")
NAME_RUN = re.compile(rf"(?<![\w-])({NAME}(?:\s+{NAME}){{0,3}})")
# Words that put the name after them in a place position. "of", "to", "and" are left out:
# "the government of Ahmad al-Sharaa", "reported to Al-Mayadeen", "Islamists and Assad".
PLACE_BEFORE = re.compile(r"(?i)(?:\b(?:in|at|near|outside|around|from|into|across|toward|"
                          r"towards|inside|throughout|within|outskirts\s+of|"
                          r"(?:residents?|villagers|inhabitants|people|families|natives?)\s+of|"
                          r"(?:north|south|east|west)(?:ern)?\s+of)\s+(?:the\s+)?"
                          r"(?:(?!of\b|to\b|for\b|by\b|with\b|and\b)[a-z-]+\s+){0,2})$")
NEAR_BEFORE = re.compile(r"(?i)\b(?:near|outside|close to|around|(?:north|south|east|west)"
                         r"(?:ern)?\s+of|(?:km|kilomet(?:er|re)s|miles)\s+from)\s+(?:the\s+)?$")
KIND_BEFORE = re.compile(r"(?i)\b(?:village|town|city|camp|district|neighbou?rhood|suburb|"
                         r"settlement|hamlet|area)\s+of\s+$")
# "the provinces of Latakia and Tartus": divisions, not their capital towns
AREA_BEFORE = re.compile(r"(?i)\b(?:provinces?|governorates?|regions?|states?|oblasts?)\s+of\s+"
                         r"(?:the\s+)?(?:[A-Z][\w'’-]*\s*(?:,|and)\s+)*$")
EXPLICIT_AFTER = re.compile(
    rf"(?<![\w-])({NAME}(?:\s+{NAME}){{0,2}}?)\s+(?:Air\s*[Bb]ase|[Aa]irbase|[Aa]ir\s+[Bb]ase|"
    rf"[Bb]ase|[Cc]amp|refugee camp|displacement camp|neighbou?rhood|district|quarter)\b")
# A name followed by these is a facility or a body named after a place ("Nasser Hospital"),
# or a speaker ("Israel said"): not where the claim happened.
FACILITY_AFTER = re.compile(r"^\s+(?:Hospital|Clinic|School|University|College|Mosque|Church|"
                            r"Street|Road|Avenue|Square|Stadium|Market|Airport|Prison|Hotel|"
                            r"Bridge|Brigade|Division|Battalion|Regiment|Party|Movement|Front|"
                            r"Army|Forces|Police|Ministry|Council|Radio|TV|Television)\b")
SPEAKER_AFTER = re.compile(r"^[’']?s?\s+(?:said|says|claimed|claims|reported|denied|denies|"
                           r"announced|accused|insisted|added|confirmed|stated)\b")
AREA_AFTER = re.compile(r"(?i)^[\s’']*s?\s*(?:province|governorate|region|state|oblast|"
                        r"countryside|department|prefecture|county|coast)\b")
NOT_PLACES = {"the", "a", "an", "this", "that", "on", "in", "monday", "tuesday", "wednesday",
              "thursday", "friday", "saturday", "sunday", "january", "february", "march",
              "april", "may", "june", "july", "august", "september", "october", "november",
              "december", "god", "president", "minister", "army", "police", "state"}
# "the Gaza health ministry", "Kharkiv regional authorities": a name in an organisation's
ORG_AFTER = re.compile(r"^\s+(?:[a-z-]+\s+){0,2}(?:ministry|authority|authorities|agency|"
                       r"officials?|office|council|police|army|forces|government|media|governor"
                       r"|administration|department|directorate)\b")
# Capitalised function words that start a sentence before a name ("In Goma, ...").
LEADING = {"in", "on", "at", "from", "near", "outside", "inside", "across", "after", "before",
           "since", "during", "when", "while", "as", "but", "and", "or", "the", "a", "an",
           "this", "that", "meanwhile", "earlier", "later", "elsewhere", "residents",
           "officials", "police", "witnesses", "gunmen", "some", "many", "for", "to", "by"}
BIG_TOWN = 100_000  # towns this large count as places wherever they are named
# A capitalised word before these is an adjective ("Christian communities", "Syrian army").
GROUP_NOUNS = {"civilians", "community", "communities", "forces", "army", "military",
               "government", "people", "families", "women", "children", "men", "fighters",
               "militants", "minority", "sect", "regime", "officials", "media", "president",
               "security", "soldiers", "troops", "authorities", "villages", "towns", "and",
               "ministry", "observatory", "rebels", "militia", "militias", "refugees"}


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    name: str  # as written
    place: Place | None  # None: a village the gazetteer does not know
    where_prec: int
    area: Place | None = None  # enclosing area the text gives, for unknown places


def find_mentions(text: str, gazetteer: Gazetteer) -> list[Mention]:
    """Place mentions in a text, with ambiguous names resolved by the text's other places."""
    # (start, end, name, candidates, explicit, followed by more of a longer name)
    raw: list[tuple[int, int, str, list[tuple[float, Place]], bool, bool]] = []
    for m in NAME_RUN.finditer(text):
        words = [(w.start() + m.start(1), w.end() + m.start(1))
                 for w in re.finditer(r"\S+", m.group(1))]
        while words and text[words[0][0]:words[0][1]].lower() in LEADING:
            words = words[1:]  # "In Goma", "The Hague" stays whole only if known whole
        # longest sub-run that the gazetteer knows, left to right
        i = 0
        while i < len(words):
            for j in range(len(words), i, -1):
                start, end = words[i][0], words[j - 1][1]
                name = re.sub(r"[’']s$", "", text[start:end])
                end = start + len(name)
                if name.lower() in NOT_PLACES:
                    continue
                if i > 0 and not re.search(r"[’'],?s$|,$", text[words[i - 1][0]:words[i - 1][1]]):
                    continue  # "Hayat Tahrir al-Sham": part of a longer name, not a place
                found = gazetteer.lookup(name)
                explicit = bool(KIND_BEFORE.search(text[max(0, start - 40):start]))
                if found or (explicit and j - i <= 3):
                    raw.append((start, end, name, found, explicit, j < len(words)))
                    i = j - 1
                    break
            i += 1
    for m in EXPLICIT_AFTER.finditer(text):  # "Hmeimim Air Base", "Cité Soleil neighbourhood"
        # the name starts after a possessive: "Port-au-Prince's Cité Soleil neighbourhood"
        lead = re.match(r".*[’']s\s+", m.group(1))
        start = m.start(1) + (lead.end() if lead else 0)
        name = text[start:m.end(1)]
        if re.search(r"(?:ians?|ese)$", name):  # "Russian airbase"
            continue
        same = [n for n, r in enumerate(raw) if r[0] == start]
        if same:  # the gazetteer knows a name like it, but the text says what it is
            found = [f for f in raw[same[0]][3] if f[0] >= 95]  # only if it is the same name
            raw[same[0]] = (start, m.end(1), name, found if raw[same[0]][1] == m.end(1) else [],
                            True, False)
        elif not any(s <= start < e for s, e, *_ in raw):
            raw.append((start, m.end(1), name, [], True, False))
    raw.sort(key=lambda r: r[0])
    countries = Counter(p.country for _, _, _, found, _, _ in raw for _, p in found[:1]
                        if p.kind == "country" or p.population >= BIG_TOWN)
    out = []
    for start, end, name, found, explicit, partial in raw:
        before = text[max(0, start - 40):start]
        after = text[end:end + 30]
        if FACILITY_AFTER.match(after) or (SPEAKER_AFTER.match(after) and not re.search(
                r"(?i)\b(?:of|in|from)\s+(?:the\s+)?$", before)):
            continue  # "Nasser Hospital", "Israel said" (but "residents of Banias said")
        area_word = bool(AREA_AFTER.match(after) or AREA_BEFORE.search(before))
        placed = bool(PLACE_BEFORE.search(before)) or area_word or explicit
        best = _choose(found, countries, area_word)
        if best is not None and best.kind == "place" and best.population < BIG_TOWN and \
                found[0][0] < 90:
            best = None  # a loose spelling match on a small place is more often a person
        if best is not None and best.kind == "place" and best.population < BIG_TOWN and \
                countries and best.country not in countries and placed:
            # a small place abroad when the report is about another country ("Tawila" in a
            # Darfur report): keep the name, in the report's country
            out.append(Mention(start, end, name, None, 1))
            continue
        if best is None:
            if explicit:
                out.append(Mention(start, end, name, None, 1))
            continue
        exact = found[0][0] >= 95
        nxt = re.match(r"\s+([a-z]+)", after)
        adjective = not area_word and bool(nxt and nxt.group(1) in GROUP_NOUNS) or bool(
            ORG_AFTER.match(after)) or bool(re.search(r"(?:ians?|ites?|ese)$", name.lower())
                                            and best.population < BIG_TOWN)
        if best.kind != "country" and (adjective or not (placed or exact and not partial and
                                                          best.population >= BIG_TOWN)):
            continue  # "Christian communities", "More than": not places
        if best.kind == "country" and (not exact or re.search(r"(?:ians?|ese)$", name.lower())):
            continue  # "Russian" is not Russia
        if best.kind == "country":
            prec = 6
        elif best.kind == "admin1" or area_word:
            # "the Latakia countryside" is vaguer than the division itself
            prec = 5 if re.match(r"(?i)[\s’']*s?\s*(?:countryside|coast|region)", after) else 4
        else:
            prec = 2 if NEAR_BEFORE.search(before) else 1
        out.append(Mention(start, end, name, best, prec))
    return _enclose(out, text, gazetteer)


def _choose(found: list[tuple[float, Place]], countries: Counter[str],
            area_word: bool) -> Place | None:
    if not found:
        return None

    def rank(sp: tuple[float, Place]) -> tuple[float, ...]:
        score, p = sp
        kind = {"country": 2, "admin1": 1 if area_word else 0, "place": 0 if area_word else 1}
        return (round(score / 10), countries.get(p.country, 0) > 0, kind[p.kind],
                p.population)

    return max(found, key=rank)[1]


def _enclose(mentions: list[Mention], text: str, gazetteer: Gazetteer) -> list[Mention]:
    """Unknown villages and area words take the nearest known area in the same sentence."""
    out = []
    for m in mentions:
        if m.place is None:
            sentence_end = min(i for i in (text.find(".", m.end), len(text)) if i >= 0)
            sentence_start = text.rfind(".", 0, m.start) + 1
            nearby = [o for o in mentions if o.place is not None and
                      sentence_start <= o.start < sentence_end]
            nearby.sort(key=lambda o: (o.place is not None and o.place.kind == "country",
                                       abs(o.start - m.start)))
            area = nearby[0].place if nearby else None
            prec = 6
            if area is not None:
                # the village is near a named town, or inside the area the text names
                prec = 2 if area.kind == "place" and nearby[0].where_prec <= 2 else max(
                    nearby[0].where_prec, _prec(area))
                if area.kind == "place":
                    area = gazetteer.admin1_place(area.country, area.admin1 or "") or area
            out.append(Mention(m.start, m.end, m.name, None, prec, area))
        elif m.where_prec == 5 and m.place is not None and m.place.kind == "place":
            admin = gazetteer.admin1_place(m.place.country, m.place.admin1 or "")
            out.append(Mention(m.start, m.end, m.name, admin or m.place, 5))
        else:
            out.append(m)
    return out


def _prec(place: Place) -> int:
    return {"country": 6, "admin1": 4}.get(place.kind, 1)


def main_country(mentions: list[Mention], gazetteer: Gazetteer) -> Place | None:
    """The country a report is mostly about: the one its place names point to most."""
    votes: Counter[str] = Counter()
    for m in mentions:
        p = m.place or m.area
        if p is not None:
            votes[p.country] += 2 if p.kind == "country" else 1
    for cc, _ in votes.most_common(1):
        return gazetteer.country_place(cc)
    return None


def widest(mentions: list[Mention], gazetteer: Gazetteer) -> Mention:
    """One mention for several equally specific ones ("in Latakia and Tartus"): their first
    division if they share one, else their country as a vague area (where_prec 5)."""
    places = [m.place for m in mentions if m.place is not None]
    if len({p.id for p in places}) < 2:
        return mentions[0]
    countries = {p.country for p in places}
    admins = {(p.country, p.admin1) for p in places}
    first = mentions[0]
    if len(admins) == 1 and places[0].kind == "place":
        admin = gazetteer.admin1_place(places[0].country, places[0].admin1 or "")
        if admin is not None:
            return Mention(first.start, first.end, admin.name, admin, 4)
    if len(countries) == 1:
        country = gazetteer.country_place(places[0].country)
        if country is not None:
            return Mention(first.start, first.end, country.name, country, 5)
    return first


def describe(m: Mention, gazetteer: Gazetteer) -> dict[str, object]:
    """The claim fields for a mention: place, admin1, country, lat, lon, where_prec."""
    p = m.place or m.area
    admin1 = country = None
    lat = lon = None
    if p is not None:
        country = p.country
        admin1 = p.name if p.kind == "admin1" else gazetteer.admin1_name(p.country, p.admin1)
        lat, lon = p.lat, p.lon
    name = m.name if m.place is None else (m.place.name if m.place.kind != "place"
                                           else m.name)
    return {"place": " ".join(name.split()), "admin1": admin1, "country": country, "lat": lat,
            "lon": lon, "where_prec": m.where_prec}
