"""Origins: who a figure really comes from, so corroboration counts independent origins.

Documents are not sources (DESIGN decision 2). A claim's origin is
1. the cited source, where the report names one, under one key per organisation across
   its spellings and descriptions ("SOHR", "the Syrian Observatory for Human Rights", "the
   Britain-based war monitor", "a Syria war monitor" are all "sohr"), and never one key for
   two organisations: a short form that many countries share ("the health ministry",
   "Iran's Health Ministry", "the army") carries its country ("ir:health ministry");
2. else, for a passage that several reports share (wire copy reprinted or lightly edited,
   punctuation and apostrophes changed), the passage: quotes are compared with MinHash/LSH
   (datasketch);
3. else the outlet (its name from the report's metadata, its URL's host, or its file name)
   or, without one, the document.

Generic speakers and channels ("residents", "a witness", "local sources", "local media",
"social media posts") are not one origin across reports: each report's residents are its
own. Two more rules need the incident and the
report dates, so they live in `reconcile`: a report's headline and body giving one figure
are one origin, and an outlet's own-voice figure that repeats a named source's is that
source's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from tollwatch.attribution import WIRE_AGENCIES
from tollwatch.gazetteer import Gazetteer, fold
from tollwatch.records import Claim

# Speakers and channels that are no one origin across reports: each report's residents,
# or its "social media posts" and "local media", are its own.
CHANNELS = r"(?:social media|facebook|telegram|twitter|x|whatsapp|tiktok|youtube|online)"
GENERIC = re.compile(
    r"(?i)^(?:(?:one|two|three|several|some|many|multiple|numerous|various|other|recent|"
    r"local|camp|unnamed|anonymous|news|media|medical|hospital|security|" + CHANNELS +
    r")\s+)*"
    r"(?:residents?|witness(?:es)?|eyewitness(?:es)?|sources?|activists?|officials?|medics?|"
    r"doctors?|rescuers?|relatives?|survivors?|villagers?|people|mourners?|social media|"
    r"reports?|videos?|posts?|media|news|accounts?|channels?|pages?|outlets?|footage|"
    r"images|messages)(?:\s+(?:on|in|from)\s+(?:the\s+)?" + CHANNELS + r")?$")
SMALL = {"of", "for", "the", "and", "on", "in", "de", "al", "el"}
# Apostrophe and quote forms that reports and feeds use interchangeably.
QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'", "“": '"',
                        "”": '"', "„": '"', "«": '"', "»": '"', "–": "-", "—": "-"})
# Country adjectives in source names ("the Iranian health ministry"); country names
# themselves ("Iran's Health Ministry") are resolved with the gazetteer.
DEMONYMS = {
    "afghan": "AF", "american": "US", "british": "GB", "burkinabe": "BF", "cameroonian": "CM",
    "chadian": "TD", "colombian": "CO", "congolese": "CD", "egyptian": "EG", "ethiopian": "ET",
    "french": "FR", "haitian": "HT", "indian": "IN", "iranian": "IR", "iraqi": "IQ",
    "israeli": "IL", "jordanian": "JO", "kenyan": "KE", "lebanese": "LB", "libyan": "LY",
    "malian": "ML", "mexican": "MX", "nigerian": "NG", "nigerien": "NE", "pakistani": "PK",
    "palestinian": "PS", "russian": "RU", "rwandan": "RW", "saudi": "SA", "somali": "SO",
    "sudanese": "SD", "syrian": "SY", "turkish": "TR", "ugandan": "UG", "ukrainian": "UA",
    "yemeni": "YE", "uk": "GB", "us": "US", "u.s.": "US", "u.k.": "GB", "britain": "GB",
    "gaza": "PS", "gazan": "PS", "hamas": "PS",
    # names the gazetteer leaves ambiguous or lacks; "Congo" alone is the DRC in wire style
    # (the other Congo is "Congo-Brazzaville" or "the Republic of the Congo")
    "congo": "CD", "dr congo": "CD", "drc": "CD", "democratic republic of congo": "CD",
    "gaza strip": "PS", "west bank": "PS",
}
# Descriptions that name one organisation without its name. The Syrian Observatory is "the
# Britain-based war monitor" in nearly every wire story about Syria.
SOHR = re.compile(r"^(?:(?:syria|syrian|uk|britain|british|london|coventry)[\s-]+"
                  r"(?:based\s+)?)?(?:war\s+)?(?:monitor(?:ing group)?|observatory)$")
BASED = re.compile(r"^((?:[\w.]+\s*-\s*)?[\w.]+)\s*-\s*(?:based|run|controlled|led)\s+", re.I)
# "the Syrian Observatory for Human Rights (SOHR)": a name followed by its acronym
ACRONYM = re.compile(r"^(.+?)\s*\(([A-Z][A-Za-z0-9.&-]{1,11})\)$")
# "Ministry of Health in Iran", "the health ministry in Gaza": the country comes last
IN_PLACE = re.compile(r"^(.+?)\s+in\s+(?:the\s+)?([A-Z][\w.'-]*(?:\s+[\w.'-]+){0,5})$")
# Well-known organisations that reports name by a description the rules above key as a
# country's generic institution: that key -> the organisation's key. Kept short on
# purpose: only descriptions that can mean one organisation alone.
ALIASES = {
    "cd:un mission": "monusco",  # "the UN mission in Congo"
    "cd:un peacekeeping mission": "monusco",
    "cd:united nations mission": "monusco",
    "ss:un mission": "unmiss",  # "the UN mission in South Sudan"
}
POSSESSIVE = re.compile(r"^([A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)?)'s?\s+(.+)$")
CountryOf = Callable[[str], str | None]


def country_resolver(gazetteer: Gazetteer) -> CountryOf:
    """name -> ISO code, for the country a source's name qualifies it with: a country
    adjective, a country, or a well-known city ("Gaza")."""
    cache: dict[str, str | None] = {}

    def resolve(name: str) -> str | None:
        low = fold(name).strip(". ")
        if low in DEMONYMS:
            return DEMONYMS[low]
        if low not in cache:
            found = None
            for score, p in gazetteer.lookup(name):
                if score >= 100 and (p.kind == "country" or p.population >= 300_000):
                    found = p.country
                    break
            cache[low] = found
        return cache[low]

    return resolve


def _named(words: list[str]) -> bool:
    """Three or more capitalised words and nothing else but small words: a proper name
    (a ministry is not: "Ministry of Public Health" is a health ministry of some country)."""
    if any(w.lower() in ("ministry", "ministries") for w in words):
        return False  # every government has one: a ministry is known by its country
    caps = [w for w in words if w[0].isupper() and w.lower() not in SMALL]
    return len(caps) >= 3 and len(caps) == len([w for w in words if w.lower() not in SMALL])


def _generic_key(s: str) -> str:
    """An institution's common name, in one word order: "Ministry of Health" -> "health
    ministry"."""
    low = re.sub(r"\s+", " ", fold(s)).strip(" .,'\"")
    low = re.sub(r"\bu\.n\.(?=\s|$)", "un", low)
    low = re.sub(r"^ministry of (?:public )?(\w+)$", r"\1 ministry", low)
    return low.replace("public health ministry", "health ministry")


def source_key(source: str | None, country: str | None = None,
               country_of: CountryOf | None = None) -> str | None:
    """One key for the spellings of one source, distinct for distinct organisations.

    "SOHR", "the Syrian Observatory for Human Rights", "UK-based Syrian Observatory for
    Human Rights" and "the Britain-based war monitor" all give "sohr"; "Iran's Health
    Ministry" gives "ir:health ministry" and "the health ministry" of a claim in Israel
    "il:health ministry". A trailing acronym names the organisation ("the Syrian
    Observatory for Human Rights (SOHR)" is "sohr"), a country after "in" qualifies it
    ("the health ministry in Gaza" is "ps:health ministry"), and `ALIASES` name the few
    organisations known by a description ("the UN mission in Congo" is "monusco").
    `country` is the claim's, `country_of` resolves the country a name mentions (see
    `country_resolver`)."""
    key = _key(source, country, country_of)
    return ALIASES.get(key, key) if key else None


def _country(name: str, country_of: CountryOf | None) -> str | None:
    """The country a name in a source's name stands for ("Iranian", "Gaza", "Iran")."""
    low = fold(name).strip()
    return (DEMONYMS.get(low) or DEMONYMS.get(low.strip(". ")) or
            (country_of(name) if country_of else None))


def _key(source: str | None, country: str | None, country_of: CountryOf | None
         ) -> str | None:
    if not source:
        return None
    s = re.sub(r"\s+", " ", source.translate(QUOTES)).strip(" \"'")
    s = re.sub(r"^(?:the|a|an)\s+", "", s, flags=re.I)
    acronym = ACRONYM.match(s)
    if acronym and sum(ch.isupper() for ch in acronym.group(2)) >= 2:
        named = _key(acronym.group(1), country, country_of)
        # a country's institution keeps its country ("Ministry of Health (MoH)")
        return named if named and ":" in named else _key(acronym.group(2), country,
                                                         country_of)
    qualifier: str | None = None
    based = BASED.match(s)
    if based:
        hint = based.group(1)
        s = s[based.end():]
        qualifier = _country(hint, country_of)
    s = re.sub(r"^(?:the|a|an)\s+", "", s, flags=re.I)
    inside = IN_PLACE.match(s)
    if inside and (found := _country(inside.group(2), country_of)):
        s, qualifier, country = inside.group(1), found, found
    low = fold(s)
    if low in WIRE_AGENCIES:
        return WIRE_AGENCIES[low].lower()
    if SOHR.match(low) and ("observatory" in low or "syria" in low or based or
                            country == "SY"):
        return "sohr"
    if re.fullmatch(r"[A-Z][A-Z.]{1,7}", s):
        return s.replace(".", "").lower()
    # the country a name begins with ("Iran's Health Ministry"), else the claim's
    rest = s
    m = POSSESSIVE.match(s)
    first = s.split(" ", 1)
    words = re.findall(r"[A-Za-z][\w'-]*", s)
    if not m and words and _named(words):
        return "".join(w[0] for w in words if w.lower() not in SMALL).lower()
    if m:
        qualifier, rest = _country(m.group(1), country_of) or fold(m.group(1)), m.group(2)
    elif len(first) == 2 and (fold(first[0]) in DEMONYMS or (
            first[0][0].isupper() and country_of and country_of(first[0]))):
        qualifier, rest = _country(first[0], country_of), first[1]
    rest_low = fold(rest)
    if SOHR.match(rest_low) and (qualifier in ("SY", "GB") or country == "SY"):
        return "sohr"
    rest_words = re.findall(r"[A-Za-z][\w'-]*", rest)
    if rest_words and _named(rest_words):
        return "".join(w[0] for w in rest_words if w.lower() not in SMALL).lower()
    where = qualifier or country
    key = _generic_key(rest)
    return f"{where.lower()}:{key}" if where else key


def is_generic(source: str | None) -> bool:
    return bool(source) and bool(GENERIC.match(fold(source or "")))


def outlet_name(outlet: str | None, url: str | None, name: str | None) -> str | None:
    """An outlet's name for its own voice: from the report's metadata, else its URL's host,
    else its file name ("wire-reprint.jsonl#2" -> "wire-reprint")."""
    if outlet and outlet.strip():
        return outlet.strip()
    if url:
        host = urlsplit(url).hostname or ""
        host = re.sub(r"^(?:www|m|amp|edition)\.", "", host)
        if host:
            return host
    if name:
        return PurePosixPath(name.split("#", 1)[0]).stem or None
    return None


def origin_of(claim: Claim, outlet: str | None, passage: str | None,
              country_of: CountryOf | None = None) -> str:
    """The origin key of a claim (see the module docstring)."""
    key = source_key(claim.source, claim.country, country_of)
    if key and not is_generic(claim.source):
        return f"source:{key}"
    if passage:
        return f"passage:{passage}"
    who = f"outlet:{fold(outlet)}" if outlet else f"document:{claim.document_id}"
    return f"{who}/{key}" if key else who


def _words(quote: str) -> list[str]:
    """A quote's words, robust to the edits wire copy gets: apostrophe and quote forms,
    thousands separators, dashes, case and accents."""
    s = fold(quote.translate(QUOTES))
    s = re.sub(r"(?<=\d)[,.](?=\d{3}\b)", "", s).replace("'", "")
    return re.findall(r"\w+", s)


def shared_passages(claims: Iterable[Claim], threshold: float = 0.6,
                    num_perm: int = 64) -> dict[str, str]:
    """claim id -> passage key, for claims whose quotes are near-copies of a quote in another
    document (MinHash LSH over word 3-grams). Claims with no near-copy are left out."""
    from datasketch import MinHash, MinHashLSH

    claims = [c for c in claims if not c.source or is_generic(c.source)]
    if len(claims) < 2:
        return {}
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    hashes: dict[str, MinHash] = {}
    for c in claims:
        words = _words(c.quote)
        grams = {" ".join(words[i:i + 3]) for i in range(max(1, len(words) - 2))}
        m = MinHash(num_perm=num_perm)
        m.update_batch([g.encode() for g in grams])
        hashes[c.id] = m
        lsh.insert(c.id, m)
    doc_of = {c.id: c.document_id for c in claims}
    root: dict[str, str] = {}

    def find(k: str) -> str:
        while root.get(k, k) != k:
            k = root[k]
        return k

    shared = []
    for c in claims:
        group = [k for k in lsh.query(hashes[c.id]) if doc_of[k] != c.document_id]
        if group:
            shared.append(c.id)
        for k in group:
            a, b = sorted((find(c.id), find(k)))
            if a != b:
                root[b] = a
    # one key per passage, whichever report's copy is looked at first
    return {k: find(k) for k in shared}
