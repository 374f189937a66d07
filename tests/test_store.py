"""The SQLite store: idempotent ingest, renamed copies, migrations, all-or-nothing writes."""

import sqlite3

import pytest

from tollwatch.errors import StoreError
from tollwatch.pipeline import ingest_paths
from tollwatch.records import Claim, Document
from tollwatch.store import MIGRATIONS, SCHEMA_VERSION, Store

REPORT = "Officials said at least 12 people were killed and 30 wounded in the attack."


def test_ingesting_twice_or_a_renamed_copy_changes_nothing(tmp_path, extractor):
    (tmp_path / "a.txt").write_text(REPORT)
    db = tmp_path / "t.db"
    with Store(db) as store:
        first = ingest_paths([tmp_path / "a.txt"], store, extractor)
        (tmp_path / "copy.txt").write_text(REPORT + "\n\n")
        again = ingest_paths([tmp_path], store, extractor)
        assert (first.stored, first.claims) == (1, 2)
        assert (again.stored, again.already_stored, again.claims) == (0, 2, 0)
        assert store.counts() == (1, 2)
        names = store.conn.execute("SELECT name FROM document_names ORDER BY name").fetchall()
        assert [n[0] for n in names] == ["a.txt", "copy.txt"]


def test_claims_round_trip_through_the_database(tmp_path, extractor):
    doc = Document.from_text("a.txt", REPORT)
    claims = extractor.extract(doc)
    with Store(tmp_path / "t.db") as store:
        store.add(doc, claims)
        assert list(store.claims()) == claims


def test_database_from_schema_1_is_migrated(tmp_path):
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db)
    conn.executescript(MIGRATIONS[0])
    conn.execute("INSERT INTO documents VALUES ('d1', 'a.txt', NULL, NULL, NULL, NULL, 0, 'en', "
                 "'x', '2025-01-01')")
    conn.execute("INSERT INTO claims (id, document_id, document, start, \"end\", quote, "
                 "count_start, count_end, outcome, count_low, count_high, victims) VALUES "
                 "('d1-001', 'd1', 'a.txt', 0, 1, 'x', 0, 1, 'killed', 3, 3, 'civilians')")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with Store(db) as store:
        (claim,) = store.claims()
        assert (claim.count_low, claim.victims, claim.place, claim.date_start) == (
            3, "civilians", None, None)
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_database_from_a_newer_tollwatch_is_refused(tmp_path):
    db = tmp_path / "new.db"
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="made by a newer tollwatch"):
        Store(db)


def test_a_failed_write_leaves_nothing_behind(tmp_path):
    doc = Document.from_text("a.txt", REPORT)
    good = Claim(id="c1", document="a.txt", document_id=doc.id, start=0, end=5, quote="x",
                 count_start=0, count_end=1, outcome="killed", count_low=1, count_high=1)
    with Store(tmp_path / "t.db") as store:
        with pytest.raises(sqlite3.IntegrityError):
            store.add(doc, [good, good])  # the same claim id twice
        assert store.counts() == (0, 0)


def test_not_a_database_is_a_clear_error(tmp_path):
    (tmp_path / "x.db").write_text("this is not sqlite " * 100)
    with pytest.raises(StoreError, match="x.db: not a tollwatch database"):
        Store(tmp_path / "x.db")


def test_incidents_stored_by_an_older_layout_are_recomputed(tmp_path, extractor):
    """A schema-3 database (incidents stored without best rules) opens, migrates and
    recomputes its incidents."""
    from tollwatch.pipeline import load_incidents

    doc = Document.from_text("a.txt", REPORT.replace("in the attack", "in Goma on Monday"),
                             published="2024-05-01")
    from tollwatch.gazetteer import Gazetteer
    from tollwatch.locate import locate

    claims = locate(doc, extractor.extract(doc), Gazetteer.open())
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db)
    for script in MIGRATIONS[:3]:
        conn.executescript(script)
    conn.execute("INSERT INTO documents VALUES (?, 'a.txt', NULL, NULL, NULL, '2024-05-01', 0, "
                 "'en', ?, '2025-01-01')", (doc.id, doc.text))
    for c in claims:
        # the columns of schema 3: fields added later are left to their migrations
        d = {k: v for k, v in c.to_dict().items() if k not in ("scope", "earlier")}
        d["descriptors"] = "[]"
        cols = ", ".join(f'"{k}"' for k in d)
        conn.execute(f"INSERT INTO claims ({cols}) VALUES ({', '.join('?' for _ in d)})",
                     list(d.values()))
    conn.execute("INSERT INTO incidents VALUES ('i-old', NULL, 'CD', 0, '{}')")
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()
    with Store(db) as store:
        (inc, child) = load_incidents(store)
        assert (inc.country, child.place) == ("CD", "Goma")
        assert [f.best_rule for f in child.figures] == ["fullest", "fullest"]


def _other_programs_database(path, user_version=0):
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("CREATE TABLE tags (note INTEGER, tag TEXT)")
    conn.execute("INSERT INTO notes (body) VALUES ('buy milk')")
    conn.execute(f"PRAGMA user_version = {user_version}")
    conn.commit()
    conn.close()
    return path.read_bytes()


@pytest.mark.parametrize("readonly", [False, True])
def test_a_database_of_another_program_is_refused_and_left_as_it_was(tmp_path, readonly):
    """Issue 10, point 16: it was upgraded into a tollwatch database (WAL and all)."""
    before = _other_programs_database(tmp_path / "other.db")
    with pytest.raises(StoreError) as e:
        Store(tmp_path / "other.db", readonly=readonly)
    assert str(e.value) == (f"{tmp_path / 'other.db'}: not a tollwatch database (it holds "
                            f"tables tollwatch did not make: notes, tags); pass another --db "
                            f"file")
    assert (tmp_path / "other.db").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["other.db"]


def test_a_database_with_a_schema_version_but_not_tollwatchs_tables_is_refused(tmp_path):
    before = _other_programs_database(tmp_path / "other.db", user_version=3)
    with pytest.raises(StoreError) as e:
        Store(tmp_path / "other.db")
    assert str(e.value) == (f"{tmp_path / 'other.db'}: not a tollwatch database (schema 3 but "
                            f"no documents and claims tables); pass another --db file")
    assert (tmp_path / "other.db").read_bytes() == before


@pytest.mark.parametrize("empty", [False, True])
def test_a_missing_or_empty_file_becomes_a_new_database(tmp_path, empty):
    if empty:
        (tmp_path / "new.db").touch()
    with Store(tmp_path / "new.db") as store:
        assert (store.schema_version(), store.counts()) == (SCHEMA_VERSION, (0, 0))
