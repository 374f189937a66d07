"""`tollwatch gazetteer import`: GeoNames dumps in their exact format, written for the test."""

import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tollwatch.errors import GazetteerError
from tollwatch.gazetteer import BUILD, Gazetteer, default_path

# geonameid, name, asciiname, alternatenames, lat, lon, feature class, feature code,
# country, cc2, admin1, admin2, admin3, admin4, population, elevation, dem, timezone, date
ROWS = [
    ["99000001", "Kfar Tala", "Kfar Tala", "Kafr Tala,Kfartala", "35.61", "35.95", "P", "PPL",
     "SY", "", "02", "", "", "", "850", "", "120", "Asia/Damascus", "2024-01-01"],
    ["99000002", "Tell Zaytoun", "Tell Zaytoun", "", "35.70", "36.01", "P", "PPL", "SY", "",
     "02", "", "", "", "0", "", "300", "Asia/Damascus", "2024-01-01"],
    ["99000003", "Wadi Nowhere", "Wadi Nowhere", "", "35.0", "36.0", "H", "WAD", "SY", "",
     "02", "", "", "", "0", "", "10", "Asia/Damascus", "2024-01-01"],
]
# alternateNameId, geonameid, isolanguage, alternate name, isPreferred, isShort, ...
ALTERNATES = [["1", "99000002", "en", "Tal al-Zaitoun", "", "", "", "", "", ""]]


def run(*args, env):
    return subprocess.run([sys.executable, "-m", "tollwatch", *map(str, args)],
                          capture_output=True, text=True, env={**os.environ, **env})


def test_import_country_file_and_alternate_names(tmp_path, gazetteer_build):
    gz_path = tmp_path / "gaz.sqlite"
    shutil.copy(gazetteer_build.path, gz_path)  # building another takes seconds
    dump = tmp_path / "SY.txt"
    dump.write_text("\n".join("\t".join(r) for r in ROWS) + "\n", encoding="utf-8")
    alt = tmp_path / "alternateNamesV2.zip"
    with zipfile.ZipFile(alt, "w") as z:
        z.writestr("alternateNamesV2.txt", "\n".join("\t".join(r) for r in ALTERNATES) + "\n")
        z.writestr("iso-languagecodes.txt", "ISO 639-3\tISO 639-2\n")
    env = {"TOLLWATCH_GAZETTEER": str(gz_path)}
    r = run("gazetteer", "import", dump, alt, env=env)
    assert r.returncode == 0, r.stderr
    assert f"{dump}: 2 rows added" in r.stderr  # the wadi (class H) is not a place
    assert f"{alt}: 1 rows added" in r.stderr
    gz = Gazetteer.open(gz_path)
    (kfar,) = [p for _, p in gz.lookup("Kafr Tala") if p.id == 99000001]
    assert (kfar.name, kfar.country, kfar.admin1, kfar.lat, kfar.population) == (
        "Kfar Tala", "SY", "02", 35.61, 850)
    assert [p.id for _, p in gz.lookup("Tal al-Zaitoun") if p.id == 99000002] == [99000002]
    assert gz.lookup("Wadi Nowhere") == [] or all(p.id != 99000003
                                                  for _, p in gz.lookup("Wadi Nowhere"))


def test_import_of_a_missing_file_is_a_clear_error(tmp_path):
    r = run("gazetteer", "import", tmp_path / "nope.zip",
            env={"TOLLWATCH_GAZETTEER": str(tmp_path / "g.sqlite")})
    assert r.returncode == 1
    assert r.stderr.strip() == f"Error: {tmp_path / 'nope.zip'}: no such file"


def test_two_first_runs_at_once_build_one_gazetteer(gazetteer_build):
    # the session's gazetteer was built by two processes started together, as two first runs
    # on one machine are; they once shared one ".building" file and one of them failed with
    # "attempt to write a readonly database"
    assert [(r.returncode, r.stderr) for r in gazetteer_build.runs] == [(0, ""), (0, "")]
    assert sorted(p.name for p in gazetteer_build.path.parent.iterdir()) == [
        "gazetteer.sqlite", "gazetteer.sqlite.lock"]  # no temporary file left behind
    conn = sqlite3.connect(gazetteer_build.path)
    assert conn.execute("SELECT v FROM meta WHERE k = 'build'").fetchone() == (BUILD,)
    assert conn.execute("SELECT count(*) FROM places WHERE kind = 'country'").fetchone() == (
        252,)


def test_the_suite_never_uses_the_users_cache(gazetteer_build):
    assert default_path() == gazetteer_build.path
    assert Path.home() not in gazetteer_build.path.parents


def test_a_gazetteer_that_cannot_be_built_is_a_clear_error(tmp_path):
    (tmp_path / "file").write_text("not a folder")
    target = tmp_path / "file" / "gazetteer.sqlite"
    with pytest.raises(GazetteerError) as e:
        Gazetteer.open(target)
    assert str(e.value) == (f"{target}: the gazetteer cannot be built or opened ([Errno 17] "
                            f"File exists: '{tmp_path / 'file'}'); set TOLLWATCH_GAZETTEER "
                            f"to a file in a writable folder")


@pytest.mark.parametrize(("name", "country", "english"), [
    ("Tigray", "ET", "Tigray"), ("Benishangul-Gumuz", "ET", "Benishangul-Gumuz"),
    ("Amhara", "ET", "Amhara"), ("Somali", "ET", "Somali"), ("North Darfur", "SD", "North Darfur"),
    ("Anbar", "IQ", "Anbar"), ("Kharkiv", "UA", "Kharkiv"),
])
def test_divisions_are_named_as_english_reports_write_them(name, country, english):
    # never "Tigray Regional" or "Somalia Regional" (a country's name for Ethiopia's Somali)
    divisions = [p for _, p in Gazetteer.open().lookup(name) if p.kind == "admin1"]
    assert (divisions[0].country, divisions[0].name) == (country, english)
