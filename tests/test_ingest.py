"""Reading every input format, and every kind of bad input, through the real CLI and store."""

import gzip
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tollwatch.errors import BinaryInput, EmptyInput, FormatMismatch, InputError, TooLarge
from tollwatch.ingest import read_paths
from tollwatch.records import Document

ROOT = Path(__file__).resolve().parent.parent
REPORT = ("Officials said at least 12 people were killed and 30 wounded when shells hit a "
          "market on Monday.")


def read_all(*paths):
    return list(read_paths(paths))


def tollwatch(*args, cwd=None, env=None, unprivileged=False):
    """Run the CLI; `unprivileged` as root drops the capabilities that let root read what
    permissions forbid (setpriv, util-linux), so that a chmod 0 folder is unreadable."""
    cmd = [sys.executable, "-m", "tollwatch", *map(str, args)]
    if unprivileged and os.geteuid() == 0:
        assert shutil.which("setpriv"), "setpriv (util-linux) is needed to run tests as root"
        cmd = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--", *cmd]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, **(env or {})})


def test_text_with_date_marker(tmp_path):
    (tmp_path / "a.txt").write_text(f" date 2025-03-08 Headline here\n\n{REPORT}\n")
    (doc,) = read_all(tmp_path / "a.txt")
    assert (doc.published, doc.published_inferred) == ("2025-03-08", False)
    assert doc.text.startswith("Headline here\n\nOfficials said")


def test_text_with_header_lines(tmp_path):
    (tmp_path / "a.txt").write_text(f"Title: Market shelled\nOutlet: Example\nURL: https://e.x/1\n"
                                    f"Published: 2024-05-01\n\n{REPORT}\n")
    (doc,) = read_all(tmp_path / "a.txt")
    assert (doc.title, doc.outlet, doc.url, doc.published) == (
        "Market shelled", "Example", "https://e.x/1", "2024-05-01")
    assert doc.text == REPORT


def test_published_date_inferred_from_byline(tmp_path):
    (tmp_path / "a.txt").write_text(f"News Desk\nMAR 8, 2025\n{REPORT} A post dated March 7, "
                                    f"2025 said more.")
    (doc,) = read_all(tmp_path / "a.txt")
    assert (doc.published, doc.published_inferred) == ("2025-03-08", True)


def test_html_article_metadata_and_scripts(tmp_path):
    page = ("<!DOCTYPE html><html><head><title>Shelling kills 12</title>"
            "<meta property='og:site_name' content='Example Herald'>"
            "<meta property='article:published_time' content='2024-08-10T09:30:00Z'>"
            "<link rel='canonical' href='https://example.net/a'>"
            + "<script>alert('x')</script>" * 200 +
            f"</head><body><article><h1>Shelling kills 12</h1><p>{REPORT}</p>"
            f"<p>{REPORT.replace('Monday', 'Tuesday')}</p></article>"
            "<script>document.write('<p>injected 99 killed</p>')</script></body></html>")
    (tmp_path / "a.html").write_text(page)
    (doc,) = read_all(tmp_path / "a.html")
    assert (doc.title, doc.outlet, doc.url, doc.published) == (
        "Shelling kills 12", "Example Herald", "https://example.net/a", "2024-08-10")
    assert "alert" not in doc.text and "injected" not in doc.text
    assert REPORT in doc.text


def test_feed_entries_are_reports(tmp_path):
    feed = ("<?xml version='1.0'?><rss version='2.0'><channel><title>Example Feed</title>"
            "<item><title>Market shelled</title><link>https://e.x/1</link>"
            "<pubDate>Mon, 06 May 2024 10:00:00 GMT</pubDate>"
            f"<description>&lt;p&gt;{REPORT}&lt;/p&gt;</description></item>"
            "<item><title>Second</title><link>https://e.x/2</link>"
            "<description>Five people were abducted.</description></item></channel></rss>")
    (tmp_path / "f.rss").write_text(feed)
    docs = read_all(tmp_path / "f.rss")
    assert [(d.name, d.url, d.outlet, d.published) for d in docs] == [
        ("f.rss#1", "https://e.x/1", "Example Feed", "2024-05-06"),
        ("f.rss#2", "https://e.x/2", "Example Feed", None)]
    assert docs[0].text == f"Market shelled\n\n{REPORT}"


def test_jsonl_lines_are_reports_and_a_bad_line_is_reported(tmp_path):
    lines = [json.dumps({"text": REPORT, "title": "T", "url": "https://e.x", "outlet": "O",
                         "published": "2024-01-02"}), "{not json", json.dumps({"title": "no text"}),
             json.dumps({"text": "Two men were detained."})]
    (tmp_path / "r.jsonl").write_text("\n".join(lines))
    items = read_all(tmp_path / "r.jsonl")
    assert [type(i).__name__ for i in items] == ["Document", "InputError", "InputError", "Document"]
    assert str(items[1]).startswith(f"{tmp_path / 'r.jsonl'}:2: not JSON")
    assert (items[0].title, items[0].published) == ("T", "2024-01-02")


def _warc_bytes(pages):
    """A WARC file written by hand, in the format of the WARC 1.0 specification."""
    out = b""
    for n, (url, html) in enumerate(pages):
        body = html.encode()
        http = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                b"Content-Length: %d\r\n\r\n" % len(body)) + body
        head = ("WARC/1.0\r\nWARC-Type: response\r\n"
                f"WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-{n:012d}>\r\n"
                f"WARC-Date: 2024-05-01T00:00:00Z\r\nWARC-Target-URI: {url}\r\n"
                "Content-Type: application/http; msgtype=response\r\n"
                f"Content-Length: {len(http)}\r\n\r\n").encode()
        out += head + http + b"\r\n\r\n"
    return out


def _page(title, body):
    return (f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"<p>{body}</p><p>{body}</p></article></body></html>")


def test_warc_responses_are_reports(tmp_path):
    data = _warc_bytes([("https://e.x/1", _page("One", REPORT)),
                        ("https://e.x/2", _page("Two", "Four soldiers were wounded on Friday."))])
    (tmp_path / "crawl.warc").write_bytes(data)
    docs = read_all(tmp_path / "crawl.warc")
    assert [(d.name, d.url) for d in docs] == [("crawl.warc#1", "https://e.x/1"),
                                               ("crawl.warc#2", "https://e.x/2")]


def test_truncated_warc_keeps_what_came_before(tmp_path):
    data = _warc_bytes([("https://e.x/1", _page("One", REPORT)),
                        ("https://e.x/2", _page("Two", "Four soldiers were wounded on Friday."))])
    (tmp_path / "cut.warc").write_bytes(data[: len(data) - 200])
    items = read_all(tmp_path / "cut.warc")
    assert isinstance(items[0], Document)
    assert isinstance(items[-1], InputError) and "cut.warc" in str(items[-1])


@pytest.mark.parametrize(("name", "content", "error", "words"), [
    ("empty.txt", b"", EmptyInput, "empty file"),
    ("blank.txt", b"  \n\n \t\n", EmptyInput, "only whitespace"),
    ("photo.txt", bytes(range(256)) * 40, BinaryInput, "binary data"),
    ("feed.xml", b"<!DOCTYPE html><html><body><p>Not a feed</p></body></html>", FormatMismatch,
     "not an RSS or Atom feed (first tag <!doctype>)"),
    ("blank.html", b"<html><body><script>var a = 1;</script></body></html>", EmptyInput,
     "no article text"),
])
def test_bad_input_gets_a_clear_error(tmp_path, name, content, error, words):
    (tmp_path / name).write_bytes(content)
    (item,) = read_all(tmp_path / name)
    assert isinstance(item, error)
    assert str(item).startswith(str(tmp_path / name)) and words in str(item)


def test_huge_text_is_refused_without_reading_it(tmp_path):
    big = tmp_path / "huge.txt"
    with big.open("wb") as fh:
        fh.write(b"Five people were killed. " * (50 * 1024 * 1024 // 25 + 1))
    assert big.stat().st_size >= 50 * 1024 * 1024
    (item,) = read_all(big)
    assert isinstance(item, TooLarge) and "over the limit of 21 MB" in str(item)


def test_latin1_text_is_read_with_a_notice(tmp_path):
    (tmp_path / "l1.txt").write_bytes("In Bangui, 7 people were killed near the café, "
                                      "officials said.".encode("latin-1"))
    notice, doc = read_all(tmp_path / "l1.txt")
    assert "read as Windows-1252" in notice.message
    assert "café" in doc.text


def test_batch_goes_on_past_bad_files_and_reports_them(tmp_path):
    data = tmp_path / "in"
    data.mkdir()
    (data / "a.txt").write_text(REPORT)
    (data / "b.txt").write_bytes(b"")
    (data / "c.txt").write_bytes(b"\x00\x01\x02" * 100)
    (data / "d.txt").write_text("Three civilians were wounded, the ministry said.")
    db = tmp_path / "t.db"
    r = tollwatch("ingest", data, "--db", db)
    assert r.returncode == 1, r.stderr  # 0 only when every report went through
    assert "reports read: 2" in r.stderr and "reports skipped: 2" in r.stderr
    assert f"skipped {data / 'b.txt'}: empty file" in r.stderr
    rows = sqlite3.connect(db).execute("SELECT count(*) FROM claims").fetchone()
    assert rows == (3,)


def test_unreadable_folder_is_reported_and_the_rest_goes_through(tmp_path):
    # Root reads any folder. Switching to `nobody` needed a checkout that nobody may enter
    # (not one under /root, nor in a `mktemp -d` folder); instead root runs tollwatch as
    # root without the capabilities that bypass permissions, so the checkout, the venv and
    # tmp_path stay readable wherever they are.
    data = tmp_path / "in"
    (data / "locked").mkdir(parents=True)
    (data / "locked" / "x.txt").write_text(REPORT)
    (data / "ok.txt").write_text(REPORT)
    os.chmod(data / "locked", 0)
    try:
        r = tollwatch("ingest", data, "--db", tmp_path / "t.db", unprivileged=True)
    finally:
        os.chmod(data / "locked", 0o755)
    assert r.returncode == 1, r.stderr
    assert f"skipped {data / 'locked'}: folder cannot be read (permission denied)" in r.stderr
    assert "reports read: 1" in r.stderr and "reports skipped: 1" in r.stderr


THREE_PAGES = [(f"https://e.x/{n}", _page(f"Report {n}", REPORT)) for n in (1, 2, 3)]


@pytest.mark.parametrize(("percent", "urls", "damage"), [
    # the message says what was read, in words that fit the count (it said "after 0 HTML
    # records ...; the records before were read", and "after 1 HTML records")
    (30, [], "before its first HTML record (a record ends 59 bytes early); no report was "
             "read from it"),
    (60, ["https://e.x/1"], "after 1 HTML record (a record ends 121 bytes early); that "
                            "record was read"),
    # the cut falls in a header that lost its WARC-Target-URI: warcio raised AttributeError
    # ("'NoneType' object has no attribute 'startswith'") and the batch stopped
    (70, ["https://e.x/1", "https://e.x/2"],
     "after 2 HTML records (AttributeError: 'NoneType' object has no attribute "
     "'startswith'); those 2 records were read"),
    (75, ["https://e.x/1", "https://e.x/2"], "after 2 HTML records (a record's header ends "
                                             "early); those 2 records were read"),
])
def test_cut_warc_keeps_the_records_before_and_reports_the_damage(tmp_path, percent, urls,
                                                                   damage):
    data = _warc_bytes(THREE_PAGES)
    assert len(data) == 1866
    (tmp_path / "cut.warc").write_bytes(data[: len(data) * percent // 100])
    *docs, error = read_all(tmp_path / "cut.warc")
    assert [d.url for d in docs] == urls
    assert str(error) == f"{tmp_path / 'cut.warc'}: WARC is damaged {damage}"


def test_cut_gzip_warc_keeps_the_records_before_and_reports_the_damage(tmp_path):
    data = b"".join(gzip.compress(_warc_bytes([page])) for page in THREE_PAGES)  # a member each
    (tmp_path / "cut.warc.gz").write_bytes(data[: len(data) * 75 // 100])
    *docs, error = read_all(tmp_path / "cut.warc.gz")
    assert [d.url for d in docs] == ["https://e.x/1", "https://e.x/2"]
    assert str(error) == (
        f"{tmp_path / 'cut.warc.gz'}: WARC is damaged after 2 HTML records (CutShort: the "
        f"compressed file is damaged (Compressed file ended before the end-of-stream marker "
        f"was reached)); those 2 records were read")


def test_cut_feed_reports_the_damage(tmp_path):
    feed = ("<?xml version='1.0'?><rss version='2.0'><channel><title>Example Feed</title>"
            f"<item><title>Market shelled</title><description>{REPORT}</description></item>"
            "<item><title>Second</title><description>Five people were abducted.</description>"
            "</item></channel></rss>")
    (tmp_path / "f.rss").write_text(feed[:300])  # cut inside the second description
    first, second, error = read_all(tmp_path / "f.rss")
    assert (first.text, second.text) == (f"Market shelled\n\n{REPORT}", "Second")
    assert str(error) == (f"{tmp_path / 'f.rss'}: feed is damaged (<unknown>:1:317: no element "
                          f"found); its 2 entries were read as far as they go")
    (tmp_path / "f.rss").write_text(feed[:200])  # cut inside the first description
    first, error = read_all(tmp_path / "f.rss")
    assert first.text == "Market shelled"
    assert str(error) == (f"{tmp_path / 'f.rss'}: feed is damaged (<unknown>:1:217: no element "
                          f"found); its 1 entry was read as far as it goes")


def test_symlink_loop_is_reported_and_the_rest_goes_through(tmp_path):
    data = tmp_path / "in"
    data.mkdir()
    (data / "a").symlink_to(data / "b")
    (data / "b").symlink_to(data / "a")
    (data / "ok.txt").write_text(REPORT)
    items = read_all(data, data / "a")
    assert [str(i) if isinstance(i, InputError) else i.name for i in items] == [
        f"{data / 'a'}: cannot be read (Too many levels of symbolic links)",
        f"{data / 'b'}: cannot be read (Too many levels of symbolic links)",
        "ok.txt",
        f"{data / 'a'}: cannot be read (Too many levels of symbolic links)"]
    r = tollwatch("ingest", data, "--db", tmp_path / "t.db")
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
    assert "reports read: 1\n" in r.stderr and "reports skipped: 2\n" in r.stderr


def test_links_to_folders_broken_links_and_pipes_are_reported(tmp_path):
    data = tmp_path / "in"
    (data / "sub").mkdir(parents=True)
    (data / "sub" / "x.txt").write_text(REPORT)
    (data / "to-sub").symlink_to(data / "sub")
    (data / "broken").symlink_to(data / "nowhere")
    os.mkfifo(data / "pipe")
    items = read_all(data)
    assert [f"{type(i).__name__} {i}" if not isinstance(i, Document) else i.name
            for i in items] == [
        f"InputError {data / 'broken'}: broken symbolic link (its target does not exist)",
        f"InputError {data / 'pipe'}: not a file or folder (a device, pipe or socket)",
        "x.txt",
        f"Notice Notice(path='{data / 'to-sub'}', message='link to a folder, not followed; "
        f"pass the folder itself to read it')"]


def test_html_nested_10000_deep_keeps_its_text(tmp_path):
    page = ("<html><head><title>Deep page</title><script>var x = 1;</script></head><body>"
            + "<div>" * 10_000 + f"<p>{REPORT}</p><p>Second &amp; last.</p>" + "</div>" * 10_000
            + "</body></html>")
    (tmp_path / "deep.html").write_text(page)
    (doc,) = read_all(tmp_path / "deep.html")
    assert doc.text == f"Deep page\n\n{REPORT}\n\nSecond & last."
    assert doc.title == "Deep page"


def test_gzip_warc_is_read(tmp_path):
    data = _warc_bytes([("https://e.x/1", _page("One", REPORT))])
    (tmp_path / "c.warc.gz").write_bytes(gzip.compress(data))
    (doc,) = read_all(tmp_path / "c.warc.gz")
    assert doc.url == "https://e.x/1"


def test_decomposed_text_is_stored_as_written_and_identified_as_composed(tmp_path):
    import unicodedata

    composed = "In Kfar Tala, 9 people were killed near the café on Monday."
    decomposed = unicodedata.normalize("NFD", composed)
    (tmp_path / "a.txt").write_text(decomposed)
    (tmp_path / "b.txt").write_text(composed)
    a, b = read_all(tmp_path / "a.txt", tmp_path / "b.txt")
    assert a.text == decomposed and b.text == composed
    assert a.id == b.id


# Issue 10, point 7: the exit code says whether every report went through

@pytest.mark.parametrize("command", ["ingest", "extract"])
def test_a_path_that_does_not_exist_exits_1_and_names_it(tmp_path, command):
    db = tmp_path / "t.db"
    r = tollwatch(command, "/no/such/path", *(["--db", db] if command == "ingest" else []))
    assert (r.returncode, r.stdout) == (1, "")
    lines = r.stderr.splitlines()
    assert lines[:4] == ["reports read: 0", "claims found: 0", "reports skipped: 1",
                         "  skipped /no/such/path: no such file or folder"]
    if command == "ingest":
        assert lines[4:] == ["incidents recomputed for 0 countries",
                             f"database {db}: 0 reports, 0 claims"]
    else:
        assert lines[4:] == []


def test_an_unknown_best_rule_is_a_usage_error():
    r = tollwatch("tolls", "--best", "foo", env={"COLUMNS": "200"})
    assert (r.returncode, r.stdout) == (2, "")
    assert "Invalid value for '--best': unknown rule 'foo'; use one of fullest, median, max, " \
           "min" in r.stderr
    assert "Traceback" not in r.stderr


BOOM = ("unexpected RuntimeError: boom in b.txt (a bug in tollwatch; please report it with "
        "this report)")


@pytest.fixture()
def failing_on_b(tmp_path, extractor, monkeypatch):
    """Three reports; extracting b.txt raises an exception nobody foresaw. The CLI's own
    Extractor is the suite's (the model is loaded once)."""
    import tollwatch.pipeline

    data = tmp_path / "in"
    data.mkdir()
    (data / "a.txt").write_text(REPORT)
    (data / "b.txt").write_text("Two men were detained and 5 people were killed, police said.")
    (data / "c.txt").write_text("Three civilians were wounded, the ministry said.")
    real = extractor.extract_many

    def extract_many(documents, docs_per_batch=16):
        documents = list(documents)
        if any(d.name == "b.txt" for d in documents):
            raise RuntimeError("boom in b.txt")
        return real(documents, docs_per_batch)

    monkeypatch.setattr(extractor, "extract_many", extract_many)
    monkeypatch.setattr(tollwatch.pipeline, "Extractor", lambda: extractor)
    return data


def test_an_unexpected_error_in_one_report_skips_it_and_stores_the_rest(tmp_path, extractor,
                                                                          failing_on_b):
    from tollwatch.gazetteer import Gazetteer
    from tollwatch.pipeline import Skipped, ingest_paths
    from tollwatch.store import Store

    with Store(tmp_path / "t.db") as store:
        summary = ingest_paths([failing_on_b], store, extractor, gazetteer=Gazetteer.open())
        assert sorted(d.name for d in store.documents()) == ["a.txt", "c.txt"]
        assert store.counts() == (2, 3)
    assert summary.skipped == [Skipped("b.txt", BOOM)]
    assert (summary.read, summary.stored, summary.claims, summary.complete) == (3, 2, 3, False)
    assert summary.lines() == ["reports read: 3", "reports stored: 2 new, 0 already stored",
                               "claims found: 3", "reports skipped: 1", f"  skipped b.txt: {BOOM}"]


def test_the_cli_exits_1_when_a_report_failed_unexpectedly(tmp_path, failing_on_b):
    from typer.testing import CliRunner

    from tollwatch.cli import app

    db = tmp_path / "t.db"
    result = CliRunner().invoke(app, ["ingest", str(failing_on_b), "--db", str(db)])
    assert result.exit_code == 1, result.output
    assert result.output.splitlines() == [
        "reports read: 3", "reports stored: 2 new, 0 already stored", "claims found: 3",
        "reports skipped: 1", f"  skipped b.txt: {BOOM}", "incidents recomputed for 1 country",
        f"database {db}: 2 reports, 3 claims"]
    result = CliRunner().invoke(app, ["extract", str(failing_on_b)])
    assert result.exit_code == 1, result.output
    assert [json.loads(line)["document"] for line in result.stdout.splitlines()] == [
        "a.txt", "a.txt", "c.txt"]
    assert result.stderr.splitlines() == ["reports read: 3", "claims found: 3",
                                          "reports skipped: 1", f"  skipped b.txt: {BOOM}"]


def test_a_huge_single_line_is_read_in_pieces_without_losing_claims(tmp_path, extractor):
    """Issue 10, point 2: 1.3 MB with no line break or full stop; claims at its start,
    middle and end all come out, and no piece the parser sees exceeds its limit."""
    from tollwatch.records import Document
    from tollwatch.sentences import MAX_SENTENCE, split_sentences

    filler = "and the convoy moved on along the road, " * 33_000
    text = ("gunmen killed 12 farmers near the river, " + filler[: len(filler) // 2] +
            "7 soldiers were wounded in the ambush, " + filler[len(filler) // 2:] +
            "30 villagers were abducted by the militia")
    assert len(text) > 1_300_000 and "\n" not in text and "." not in text
    pieces = list(split_sentences(text))
    assert max(e - s for s, e in pieces) <= MAX_SENTENCE
    assert "".join(text[s:e] for s, e in pieces).replace(" ", "") == text.replace(" ", "")
    claims = extractor.extract(Document.from_text("oneline.txt", text))
    assert [(c.outcome, c.count_low) for c in claims] == [
        ("killed", 12), ("injured", 7), ("abducted", 30)]
    for c in claims:
        assert text[c.count_start:c.count_end] == str(c.count_low)


# found by tests/test_ingest_fuzz.py: each was reported as "unexpected ... a bug in tollwatch"

def test_a_feed_entry_whose_body_is_broken_is_reported_as_empty(tmp_path):
    # feedparser holds None as the summary of `<item<description`: TypeError
    (tmp_path / "f.rss").write_text(
        '<rss version="2.0"><channel><title>F</title><item><title>One</title><description>'
        'Five people were killed.</description></item><item<description</body</channel></rss>')
    first, second, damage = read_all(tmp_path / "f.rss")
    assert first.text == "One\n\nFive people were killed."
    assert str(second) == f"{tmp_path / 'f.rss'}#2: no text (only whitespace)"
    assert str(damage) == (f"{tmp_path / 'f.rss'}: feed is damaged (<unknown>:2:131: not "
                           f"well-formed (invalid token)); its 2 entries were read as far as "
                           f"they go")


def test_a_character_reference_beyond_unicode_in_a_feed_is_read_as_a_replacement(tmp_path):
    # feedparser's fallback parser raised ValueError: chr() arg not in range(0x110000)
    (tmp_path / "f.rss").write_text(
        "<rss><channel><title>F</title><item><title>A &#2000000; b &#x41;</title><description>"
        f"Five were killed &#{'9' * 5000}; &#1114111; &#x110000z</description></item>"
        "</channel></rss>")
    (doc,) = read_all(tmp_path / "f.rss")
    assert doc.text == "A \ufffd b A\n\nFive were killed \ufffd \U0010ffff \ufffdz"


def test_text_with_a_utf16_mark_that_is_not_utf16_is_refused(tmp_path):
    # UnicodeDecodeError from bytes.decode("utf-16")
    (tmp_path / "u.txt").write_bytes(b"\xff\xfeA\x00B")
    (item,) = read_all(tmp_path / "u.txt")
    assert isinstance(item, BinaryInput)
    assert str(item) == (f"{tmp_path / 'u.txt'}: starts with a UTF-16 byte order mark but is "
                         f"not UTF-16 (truncated data at byte 4); save it as UTF-8")


def test_a_page_trafilatura_fails_on_is_read_as_a_stream_of_tags(tmp_path):
    # trafilatura raised AssertionError (lxml's drop_tree) on a page that opens with an svg
    # (its text is all inside the svg, which the stream leaves out as it does a script)
    (tmp_path / "a.html").write_text("<svg><s></s><s>Five people were killed.</s>")
    (empty,) = read_all(tmp_path / "a.html")
    assert isinstance(empty, EmptyInput)
    assert str(empty) == f"{tmp_path / 'a.html'}: no article text found in the HTML page"
