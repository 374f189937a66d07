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

from tollwatch.gazetteer import Gazetteer, Place, bare_name
from tollwatch.lexicon import MONTH_NAMES, TENS, UNITS, WEEKDAYS
from tollwatch.sentences import OUTCOME_STEMS, datelines

NAME = (r"(?:(?:[Aa]l|[Ee]l)[- ]|(?:[Aa][srdnzt]|[Aa]sh|[Ee]d|[Ee]s)-)?[A-Z][\w'’ʼ]*"
        r"(?:-[A-Za-z][\w'’]*)*")
# "Valle del Cauca", "Lanao del Sur", "Rio de Janeiro": particles inside one name
PARTICLES = {"del", "de", "la", "do", "da", "dos", "das", "du", "des", "di", "y"}
PARTICLE = rf"(?:[ \t]+(?:{'|'.join(sorted(PARTICLES))}))?"
NAME_RUN = re.compile(rf"(?<![\w-])({NAME}(?:{PARTICLE}[ \t]+{NAME}){{0,3}})")  # never across lines
# Words that put the name after them in a place position. "of", "to", "and" are left out:
# "the government of Ahmad al-Sharaa", "reported to Al-Mayadeen", "Islamists and Assad".
PLACE_BEFORE = re.compile(r"(?i)(?:\b(?:in|at|near|outside|around|from|into|across|toward|"
                          r"towards|inside|throughout|within|outskirts\s+of|"
                          r"(?:residents?|villagers|inhabitants|people|families|natives?)\s+of|"
                          r"(?:north|south|east|west)(?:ern)?\s+of)\s+(?:the\s+)?"
                          r"(?:(?!of\b|to\b|for\b|by\b|with\b|and\b)(?-i:[a-z-]+)\s+){0,2})$")
NEAR_BEFORE = re.compile(r"(?i)\b(?:near|outside|close to|around|(?:north|south|east|west)"
                         r"(?:ern)?\s+of|(?:km|kilomet(?:er|re)s|miles)\s+from)\s+(?:the\s+)?$")
KIND_BEFORE = re.compile(r"(?i)\b(?:village|town(?:\s+proper)?|city|camp|district|"
                         r"neighbou?rhood|suburb|settlement|hamlet|area|streets|market|"
                         r"bazaar|centre|center|heart|outskirts|residents|people)\s+of\s+$")
# "the provinces of Latakia and Tartus": divisions, not their capital towns
AREA_BEFORE = re.compile(r"(?i)\b(?:provinces?|governorates?|regions?|states?|oblasts?|"
                         r"departments?)\s+of\s+"
                         r"(?:the\s+)?(?:[A-Z][\w'’-]*\s*(?:,|and)\s+)*$")
KIND_AFTER = (r"(?:Air\s*[Bb]ase|[Aa]irbase|[Aa]ir\s+[Bb]ase|[Bb]ase|[Cc]amps?|refugee camps?|"
              r"displacement camps?|IDP camps?|neighbou?rhoods?|district|quarter|villages?|"
              r"towns?|township|area|local government area|island|territory|zone|[Cc]ounty|"
              r"(?:IDP\s+|displacement\s+)?sites?)")
EXPLICIT_AFTER = re.compile(
    rf"(?<![\w-])({NAME}(?:[ \t]+{NAME}){{0,2}}?)[ \t]+(?:and[ \t]+({NAME}(?:[ \t]+{NAME}){{0,2}}?)"
    rf"[ \t]+)?({KIND_AFTER})\b")
# A name the gazetteer does not know, where only a place can stand: "killed in Libiri",
# "18 in Kokorou", "in Wadi al-Kfour, Nabatieh province", "in Yelewata, a community in ..."
CASUALTY_BEFORE = re.compile(rf"(?i)(?:\b(?:{'|'.join(OUTCOME_STEMS)}|attack|strike|raid|bomb|"
                             rf"clash|fight|struck|shell)\w*|"
                             rf"\d|\b(?:{'|'.join([*UNITS, *TENS])})\b)\W+(?:\w+\W+){{0,3}}?"
                             rf"(?:in|at|near|outside)\s+$")
APPOSED_AFTER = re.compile(rf"^,\s+(?:(?:a|the)\s+(?:small\s+|remote\s+)?(?:village|town|"
                           rf"community|hamlet|settlement|locality|camp)\b|(?:in\s+|near\s+)?"
                           rf"(?:the\s+)?{NAME}(?:\s+{NAME})?\s+"
                           rf"(?:province|state|region|district|governorate|county|department)\b)")
# A name followed by these is a facility or a body named after a place ("Nasser Hospital"),
# or a speaker ("Israel said"): not where the claim happened.
FACILITY_AFTER = re.compile(r"^\s+(?:(?:State|General|Teaching|Referral|Central|Main|"
                            r"District|Regional|Provincial|City)\s+)?(?:Hospital|Clinic|"
                            r"School|University|College|Mosque|Church|"
                            r"Street|Road|Avenue|Square|Stadium|Market|Airport|Prison|Hotel|"
                            r"Bridge|Brigade|Division|Battalion|Regiment|Party|Movement|Front|"
                            r"Army|Forces|Police|Ministry|Council|Radio|TV|Television)\b")
SPEAKER_AFTER = re.compile(r"^[’']?s?\s+(?:said|says|claimed|claims|reported|denied|denies|"
                           r"announced|accused|insisted|added|confirmed|stated)\b")
AREA_AFTER = re.compile(r"(?i)^[\s’']*s?\s*(?:province|governorate|region|state|oblast|"
                        r"countryside|department|prefecture|county|coast)\b")
NOT_PLACES = {"the", "a", "an", "this", "that", "on", "in", *WEEKDAYS, *MONTH_NAMES, "god",
              "president", "minister", "army", "police", "state", "operation"}
# "the Gaza health ministry", "Kharkiv regional authorities": a name in an organisation's
ORG_AFTER = re.compile(r"^(?:[’']s)?\s+(?:(?!(?:that|which|the|a|an|where|when|who|whose|and|or|"
                       r"but|as|while|after|before|since|on|in|at|of|to|for|by|with)\b)"
                       r"[a-z-]+\s+){0,2}(?:ministry|authority|authorities|agency|"
                       r"officials?|office|council|police|army|forces|government|media|governor"
                       r"|administration|department|directorate|junta|military|paramilitary|"
                       r"militias?|rebels|group|president|prime minister|state television)\b")
# "Kharkiv regional governor", "Cali mayor": where the speaker serves, the claim's place
# only when its sentence names no other
LOCAL_OFFICIAL_AFTER = re.compile(r"^(?:[’']s)?\s+(?:(?:regional|provincial|district|local|"
                                  r"state|city|town)\s+)?(?:governor|mayor|police\s+chief|"
                                  r"administrator|prefect)\b", re.I)
# Not where it happened: "the border with Afghanistan", "flown to Mogadishu", "taken to the
# hospital in Marawi" (but "treated at Nasser Hospital in Khan Younis"), a speaker's seat:
# "the X Council, a group in the neighbouring Y district, said" (but a raid "in neighbouring
# Twic East County" is there)
ELSEWHERE_BEFORE = re.compile(r"(?i)\b(?:borders?\s+with|bordering|(?:flown|taken|"
                              r"transferred|airlift(?:ed|s)?|moved|rushed|brought|sent|referred|"
                              r"evacuat(?:ed|ions?)|transfers?)\s+(?:\w+\s+){0,4}?to"
                              r"(?:\s+(?:[\w-]+\s+){0,5}?(?:hospitals?|clinics?)\s+in)?|"
                              r"\bto\s+(?:a|the)\s+(?:[\w-]+\s+){0,3}?(?:hospitals?|clinics?)\s+in)"
                              r"\s+(?:the\s+)?$")
SEAT_BEFORE = re.compile(r"(?i),\s+an?\s+[\w\s-]{0,50}\bin\s+the\s+neighbou?ring\s+$")
# Words that may follow a place name ("killed in Libiri on Friday"); another lower-case
# word makes the name an adjective ("in Alawite villages")
FOLLOWS_A_PLACE = {"and", "or", "on", "in", "at", "near", "after", "before", "during", "since",
                   "when", "while", "where", "which", "as", "last", "this", "early", "late",
                   "overnight", "from", "to", "with", "by", "of", "the", "earlier", "today",
                   "yesterday", "village", "town", "city", "district", "area", "camp"}
# Capitalised function words that start a sentence before a name ("In Goma, ...").
LEADING = {"in", "on", "at", "from", "near", "outside", "inside", "across", "after", "before",
           "since", "during", "when", "while", "as", "but", "and", "or", "the", "a", "an",
           "this", "that", "meanwhile", "earlier", "later", "elsewhere", "residents",
           "officials", "police", "witnesses", "gunmen", "some", "many", "for", "to", "by"}
# A village abroad that shares a name is kept, as a village of the report's country, only
# where the text puts it where something happened ("killed in Tawila", "fled towards
# Tawila"), not "from al-Shabab"
WHERE_BEFORE = re.compile(r"(?i)\b(?:in|at|near|outside|inside|towards?)\s+(?:the\s+)?$")
COMPASS = {"north", "south", "east", "west", "central", "northern", "southern", "eastern",
           "western", "northeast", "northwest", "southeast", "southwest", "centre", "center"}
PEOPLE_AFTER = (r"(?:majority|minority|communit(?:y|ies)|people|peoples|tribes?|clans?|"
                r"elders|youths?|militants|fighters|rebels|insurgents|Council|Front|Union|"
                r"Association|Organi[sz]ation|Movement|Federation)\b")
BIG_TOWN = 100_000  # towns this large count as places wherever they are named
# A capitalised word before these is an adjective ("Christian communities", "Syrian army").
GROUP_NOUNS = {"civilians", "community", "communities", "forces", "army", "military",
               "government", "people", "families", "women", "children", "men", "fighters",
               "militants", "minority", "sect", "regime", "officials", "media", "president",
               "security", "soldiers", "troops", "authorities", "villages", "towns",
               "ministry", "observatory", "rebels", "militia", "militias", "refugees",
               "country", "nation"}  # "the junta-ruled Sahel country"


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    name: str  # as written
    place: Place | None  # None: a village the gazetteer does not know
    where_prec: int
    area: Place | None = None  # enclosing area the text gives, for unknown places
    weak: bool = False  # where a speaker serves ("Odesa regional governor"), not an event


def _common_word(word: str, text: str) -> bool:
    """A capitalised word that the same text also writes in lower case is a common word."""
    return re.search(rf"(?<![\w-]){re.escape(word.lower())}(?![\w-])", text) is not None


def _line_before(text: str, pos: int, chars: int = 40) -> str:
    """Up to `chars` characters before `pos` on its line: cues never reach across lines."""
    return text[max(0, pos - chars):pos].rsplit("\n", 1)[-1]


def _in_spans(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def find_mentions(text: str, gazetteer: Gazetteer) -> list[Mention]:
    """Place mentions in a text, with ambiguous names resolved by the text's other places.

    Datelines are not places; peoples and adjectives ("Syrian", "Somali") and acronyms that
    are not countries ("ADF", "CRPF") are not places either. The countries a report names
    (as countries, peoples, big towns or in its dateline) decide between namesakes, and a
    small place or a division in a country the report never names is not taken.
    """
    filed = datelines(text)
    countries: Counter[str] = Counter()
    for a, b in filed:  # "ABUJA, Nigeria (AP) -": a hint at the country, never a place
        for name in re.findall(r"[A-Z][\w'’.-]+(?:[ -][A-Z][\w'’.-]+)*", text[a:b]):
            found = gazetteer.lookup(name.title() if name.isupper() else name)
            if found and found[0][0] >= 95 and (found[0][1].kind == "country" or
                                                found[0][1].population >= BIG_TOWN):
                countries[found[0][1].country] += 1
    # (start, end, name, candidates, explicit, followed by more of a longer name)
    raw: list[tuple[int, int, str, list[tuple[float, Place]], bool, bool]] = []
    for m in NAME_RUN.finditer(text):
        if _in_spans(m.start(1), filed):
            continue
        words = [(w.start() + m.start(1), w.end() + m.start(1))
                 for w in re.finditer(r"\S+", m.group(1))]
        while words and text[words[0][0]:words[0][1]].lower() in LEADING:
            words = words[1:]  # "In Goma", "The Hague" stays whole only if known whole
        # longest sub-run that the gazetteer knows, left to right
        i = 0
        while i < len(words):
            for j in range(len(words), i, -1):
                start, end = words[i][0], words[j - 1][1]
                if text[words[j - 1][0]:end] in PARTICLES or text[start:words[i][1]] in PARTICLES:
                    continue  # "Lanao del" of "Lanao del Sur"
                name = re.sub(r"[’']s$", "", text[start:end])
                end = start + len(name)
                if name.lower() in NOT_PLACES:
                    continue
                if i > 0 and not re.search(r"[’'],?s$|,$", text[words[i - 1][0]:words[i - 1][1]]):
                    continue  # "Hayat Tahrir al-Sham": part of a longer name, not a place
                if j - i == 1:
                    people = gazetteer.demonym(name)
                    if people is not None:  # "Syrian", "Somalis": a hint, not a place
                        countries[people] += 1
                        i = j - 1
                        break
                found = gazetteer.lookup(name)
                if name.isupper() and len(name) <= 5:
                    # "ADF", "CRPF", "UN": acronyms are places only as countries ("DRC")
                    found = [f for f in found if f[1].kind == "country" and
                             not re.match(r"\s+\d", text[end:end + 3])]  # "MAR 8, 2025"
                    initials = gazetteer.country_by_initials(name)
                    if initials is not None:
                        found = [(100.0, initials)]
                before = _line_before(text, start)
                # "the village of X", "X, a village in ...", "stormed X, in Y province"
                explicit = bool(KIND_BEFORE.search(before)) or j - i <= 3 and (
                    bool(APPOSED_AFTER.match(text[end:end + 60])) or _unknown_where_it_happened(
                        text, start, end, before))
                if explicit and not found and j - i == 1 and _common_word(name, text):
                    explicit = False  # "Military base": a word the text also writes in lower case
                if found or (explicit and j - i <= 3):
                    raw.append((start, end, name, found, explicit, j < len(words)))
                    i = j - 1
                    break
            i += 1
    for m in EXPLICIT_AFTER.finditer(text):  # "Hmeimim Air Base", "Cité Soleil neighbourhood"
        for g in (1, 2):
            if m.group(g) is None or _in_spans(m.start(g), filed):
                continue
            # the name starts after a possessive: "Port-au-Prince's Cité Soleil neighbourhood"
            lead = re.match(r".*[’']s\s+", m.group(g))
            start = m.start(g) + (lead.end() if lead else 0)
            name = text[start:m.end(g)]
            if m.group(3).endswith("s") and m.group(2) is None:
                continue  # "Alawite villages", "Christian towns": a people's places
            if re.search(r"(?:ians?|ites?|ese)$", name) or gazetteer.demonym(name) or \
                    " " not in name and _common_word(name, text) or \
                    name.lower() in NOT_PLACES or name.split()[0].lower() in LEADING or \
                    name.isupper() and len(name) <= 5:
                continue  # "Russian airbase", "The area"
            same = [n for n, r in enumerate(raw) if r[0] == start]
            if same:  # the gazetteer knows a name like it, but the text says what it is
                found = [f for f in raw[same[0]][3] if f[0] >= 95]  # only the same name
                raw[same[0]] = (start, m.end(g), name,
                                found if raw[same[0]][1] == m.end(g) else [], True, False)
            elif not any(s <= start < e for s, e, *_ in raw):
                raw.append((start, m.end(g), name, [], True, False))
    raw.sort(key=lambda r: r[0])
    # a big town votes for its country only under its own name ("Mambasa" is not Mombasa)
    countries.update(p.country for _, end, name, found, _, _ in raw for score, p in found[:1]
                     if (p.kind == "country" or p.population >= BIG_TOWN and
                         bare_name(name) == bare_name(p.name)) and score >= 95 and
                     not AREA_AFTER.match(text[end:end + 30]))
    out: list[Mention] = []
    unplaced: list[Mention] = []
    for start, end, name, found, explicit, partial in raw:
        before = _line_before(text, start)
        wider = _line_before(text, start, 90)
        after = text[end:end + 30]
        if FACILITY_AFTER.match(after) or (SPEAKER_AFTER.match(after) and not re.search(
                r"(?i)\b(?:of|in|from)\s+(?:the\s+)?$", before)) or \
                ELSEWHERE_BEFORE.search(wider) or SEAT_BEFORE.search(wider):
            continue  # "Nasser Hospital", "Israel said" (but "residents of Banias said")
        weak = bool(LOCAL_OFFICIAL_AFTER.match(after))
        area_word = bool(AREA_AFTER.match(after) or AREA_BEFORE.search(before))
        placed = bool(PLACE_BEFORE.search(before)) or area_word or explicit
        score, best = _choose(found, countries, area_word)
        if best is not None and best.kind == "place" and score < 90:
            best = None  # a loose spelling match is more often another name
        if best is not None and best.kind != "country" and name.lower() in COMPASS and \
                not area_word:
            continue  # "East Africa's", "North" alone: a direction, not Cameroon's East
        if best is not None and best.kind != "country" and countries and \
                best.country not in countries:
            # a place in a country the report never names ("Tawila" in a Darfur report
            # matching a village abroad): keep the name, in the report's country
            if explicit or best.kind == "place" and best.population < BIG_TOWN and \
                    WHERE_BEFORE.search(before) and not partial:  # not "Lanao" of "Lanao del Sur"
                out.append(Mention(start, end, name, None, 1))
            continue
        if best is None:
            if explicit and not _a_peoples_name(name, text):
                out.append(Mention(start, end, name, None, 1))
            continue
        exact = found[0][0] >= 95
        # the word the name qualifies: "Christian and Druze civilians" (not "Homs and Latakia")
        nxt = re.match(r"(?:\s+and\s+[A-Z][\w'’-]*)?\s+([a-z]+)", text[end:end + 60])
        adjective = not area_word and bool(nxt and nxt.group(1) in GROUP_NOUNS) or bool(
            ORG_AFTER.match(after) and not weak) or bool(
            re.search(r"(?:ians?|ites?|ese)$", name.lower()) and best.population < BIG_TOWN
            and not area_word and not (exact and best.kind == "admin1"))  # not "Artibonite"
        if best.kind != "country" and adjective:
            continue  # "Christian communities": not places
        if best.kind != "country" and not (placed or exact and not partial and
                                           best.population >= BIG_TOWN):
            if exact and not partial and best.kind == "place":
                # "the main bazaar of Pul-i-Khumri": a town if the text says so elsewhere
                unplaced.append(Mention(start, end, name, best, 1, weak=weak))
            continue  # "More than": not a place
        if best.kind == "country" and (not exact or re.search(r"(?:ians?|ese)$", name.lower())
                                       or ORG_AFTER.match(after) and not weak):
            continue  # "Russian" is not Russia
        if best.kind == "country":
            prec = 6
        elif best.kind == "admin1" or area_word:
            # "the Latakia countryside" is vaguer than the division itself
            prec = 5 if re.match(r"(?i)[\s’']*s?\s*(?:countryside|coast|region)", after) else 4
        else:
            prec = 2 if NEAR_BEFORE.search(before) else 1
        out.append(Mention(start, end, name, best, prec, weak=weak))
    # a name the text puts in a place position once is a place wherever it is named
    named = {m.place.id for m in out if m.place is not None}
    out.extend(m for m in unplaced if m.place is not None and m.place.id in named)
    out.sort(key=lambda m: m.start)
    return _enclose(out, text, gazetteer)


def _a_peoples_name(name: str, text: str) -> bool:
    """A name the gazetteer lacks that the text also writes before a community or an
    organisation ("Kuki-Zo majority areas", "the Kuki-Zo Council"): a people's, so its
    "village volunteers" are not a village."""
    return re.search(rf"(?<![\w-]){re.escape(name)}\s+{PEOPLE_AFTER}", text) is not None


def _unknown_where_it_happened(text: str, start: int, end: int, before: str) -> bool:
    """An unknown name right after "in"/"at" where a casualty or an attack was just named
    ("21 people killed in Libiri", "18 in Kokorou"): a place the gazetteer lacks."""
    if re.match(r"[’']s\b", text[end:end + 2]) or not CASUALTY_BEFORE.search(before):
        return False  # "killed in Hamas's attack"
    nxt = re.match(r"[ \t]+([a-z]+)", text[end:end + 20])
    if nxt and nxt.group(1) not in FOLLOWS_A_PLACE or re.search(r"(?:ians?|ites?|ese)$",
                                                                   text[start:end]):
        return False  # "killed in Alawite villages": a people's, not a place's name
    name = text[start:end]
    return not name.isupper() and name.split()[0].lower() not in LEADING and \
        not re.search(r"[’']s\b", name) and not FACILITY_AFTER.match(" " + name.split()[-1])


def _choose(found: list[tuple[float, Place]], countries: Counter[str],
            area_word: bool) -> tuple[float, Place | None]:
    """The candidate a name stands for, with its spelling similarity: one in a country the
    report names before one abroad ("the Hiran region" in a Somalia report is Hiiraan, not
    Iraq's Hiran), then the closest spelling, the country named most, the kind the text
    says (a division after "region"), the most populous."""
    if not found:
        return 0.0, None

    def rank(sp: tuple[float, Place]) -> tuple[float, ...]:
        score, p = sp
        kind = {"country": 0, "admin1": 2, "place": 1} if area_word else \
            {"country": 2, "admin1": 0, "place": 1}
        return (countries.get(p.country, 0) > 0, round(score / 10), countries.get(p.country, 0),
                kind[p.kind], p.population)

    return max(found, key=rank)


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


def admin1_of(m: Mention, gazetteer: Gazetteer) -> Place | None:
    p = m.place or m.area
    if p is None or p.kind == "country":
        return None
    return p if p.kind == "admin1" else gazetteer.admin1_place(p.country, p.admin1 or "")


def inside(m: Mention, area: Mention, gazetteer: Gazetteer) -> bool:
    """Whether the place of `m` lies within the country or division `area` names."""
    a = area.place
    p = m.place or m.area
    if a is None or p is None or p.country != a.country or a.kind == "place":
        return False
    if a.kind == "country":
        return True
    own = admin1_of(m, gazetteer)
    return own is not None and own.id == a.id


def report_division(mentions: list[Mention], country: Place | None,
                    gazetteer: Gazetteer) -> list[Mention]:
    """Unknown villages whose sentence names no area take the division the report names
    most (the village "in the Guma area of the state" after "in Benue state")."""
    if country is None:
        return mentions
    named = Counter(a.id for a in (admin1_of(m, gazetteer) for m in mentions)
                    if a is not None and a.country == country.country)
    if not named:
        return mentions
    top = named.most_common(1)[0][0]
    division = next(a for a in (admin1_of(m, gazetteer) for m in mentions)
                    if a is not None and a.id == top)
    return [Mention(m.start, m.end, m.name, None, 4, division, m.weak)
            if m.place is None and m.area is None else m for m in mentions]


def division_of(mentions: list[Mention], focus: Mention | None, country: Place | None,
                gazetteer: Gazetteer) -> Place | None:
    """The first-level division a report is about: its own place's, else the one it names
    most in its country."""
    if focus is not None:
        return admin1_of(focus, gazetteer)
    if country is None:
        return None
    named = Counter(a.id for a in (admin1_of(m, gazetteer) for m in mentions)
                    if a is not None and a.country == country.country)
    if len(named) != 1:
        return None
    top = next(iter(named))
    return next(a for a in (admin1_of(m, gazetteer) for m in mentions)
                if a is not None and a.id == top)


def report_focus(mentions: list[Mention], text: str, lead_end: int, country: Place | None,
                 gazetteer: Gazetteer) -> Mention | None:
    """The place a report is about, from its lead (headline and first sentences): its most
    specific place there, if all the specific places it names lie in one division of the
    report's country. "Two attacks, in Cali and in Antioquia" has no one place."""
    near = [m for m in mentions if m.start < lead_end and not m.weak and m.where_prec <= 5 and
            (m.place is None or m.place.kind != "country") and
            (country is None or (m.place or m.area or country).country == country.country)]
    divisions = {(a.id if a else None) for a in (admin1_of(m, gazetteer) for m in near)}
    if len(divisions - {None}) > 1:
        return None
    lead = [m for m in near if m.where_prec <= 3 or m.place is None]
    if not lead:
        return None
    # the one the report names most often, then the most precise, then the first
    return min(lead, key=lambda m: (-text.count(m.name), m.where_prec, m.start))


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
