"""Issue 10: random and damaged input through the whole ingest, into a real SQLite store.

Random bytes, random Unicode, HTML-ish pages and feeds, JSON Lines with values of every type,
and WARC files written by warcio then cut short or with a byte flipped. Whatever comes in,
no exception escapes `ingest_paths`, every input file is stored as a document or reported
as skipped, and the good report beside it in the batch is stored. 500 examples in all.
"""

import json
import shutil
import tempfile
from io import BytesIO
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tollwatch.gazetteer import Gazetteer
from tollwatch.pipeline import Summary, ingest_paths
from tollwatch.store import Store

FUZZ = settings(max_examples=100, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large,
                                       HealthCheck.large_base_example])
GOOD = "ok.txt"
GOOD_REPORT = "Officials said at least 12 people were killed in Goma on Monday."
SENTENCES = st.sampled_from([
    GOOD_REPORT, "Three civilians were wounded, the ministry said.",
    "At least 40 people were killed and dozens more injured.", "Five soldiers were abducted.",
    "Published: 2024-05-01", "Title: Market shelled", " date 2025-03-08 ", "MAR 8, 2025",
    "twelve dead", "1,000,000 killed", "-3 killed", "killed killed killed", "\n\n", "\u00e9\u0301",
])
SUFFIXES = st.sampled_from([".txt", ".md", ".html", ".htm", ".xhtml", ".rss", ".atom", ".xml",
                            ".jsonl", ".ndjson", ".warc", ".warc.gz", ".gz", ".bin", ""])
MAGIC = st.sampled_from([b"", b"\x1f\x8b", b"WARC/1.0\r\n", b"<html>", b"<?xml version='1.0'?>",
                         b"<rss>", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"{\"text\": "])
# text of one line: no character that str.splitlines breaks at, no BOM (decoding drops it)
LINE = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp", "Cf")), max_size=60)


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer.open()


def ingest(tmp_path, extractor, gazetteer, files):
    """Write `files` (name: bytes) and a good report into a fresh folder and ingest them into
    a fresh database; check what every batch must do. Returns the input folder, the
    summary and the names stored."""
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    try:
        inputs = folder / "in"
        inputs.mkdir()
        for name, data in {**files, GOOD: GOOD_REPORT.encode()}.items():
            (inputs / name).write_bytes(data)
        with Store(folder / "t.db") as store:
            summary = ingest_paths([inputs], store, extractor, gazetteer=gazetteer)
            names = {row[0] for row in store.conn.execute("SELECT name FROM document_names")}
            assert store.counts()[0] == summary.stored
        check_accounted_for(inputs, [*files, GOOD], summary, names)
        assert GOOD in names, summary.lines()
        return inputs, summary, names
    finally:
        shutil.rmtree(folder)


def check_accounted_for(inputs: Path, files: list[str], summary: Summary, stored: set[str]):
    # a file that cannot be read is reported for what it is, not as a bug caught at the
    # boundary
    read_errors = [s for s in summary.skipped if s.where.startswith(str(inputs))]
    assert [s for s in read_errors if "a bug in tollwatch" in s.reason] == []
    # a report that failed after it was read is named as documents are, without the folder
    failed = {s.where for s in summary.skipped if not s.where.startswith(str(inputs))}
    assert summary.read == summary.stored + summary.already_stored + len(failed), summary.lines()
    for name in files:
        path = str(inputs / name)
        as_document = any(n == name or n.startswith(f"{name}#") for n in stored | failed)
        reported = any(s.where == path or s.where.startswith((f"{path}:", f"{path}#"))
                       for s in summary.skipped)
        assert as_document or reported, (name, summary.lines())


def named(contents):
    return {f"{n}{suffix}": data for n, (suffix, data) in enumerate(contents)}


@FUZZ
@given(files=st.lists(st.tuples(SUFFIXES, st.tuples(MAGIC, st.binary(max_size=3000)).map(
    b"".join)), min_size=1, max_size=4).map(named))
def test_random_bytes(tmp_path, extractor, gazetteer, files):
    ingest(tmp_path, extractor, gazetteer, files)


TEXT = st.lists(SENTENCES | st.text(max_size=200), max_size=8).map(" ".join)
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"])


@FUZZ
@given(files=st.lists(st.tuples(SUFFIXES, st.tuples(TEXT, ENCODINGS).map(
    lambda t: t[0].encode(t[1], errors="replace"))), min_size=1, max_size=4).map(named))
def test_random_unicode(tmp_path, extractor, gazetteer, files):
    ingest(tmp_path, extractor, gazetteer, files)


TAGS = st.sampled_from(["html", "head", "body", "title", "div", "p", "span", "article", "main",
                        "h1", "br", "script", "style", "svg", "template", "table", "td", "li",
                        "pre", "meta", "a", "item", "description", "rss", "channel", "feed",
                        "entry"]) | st.from_regex(r"\A[a-zA-Z][\w:-]{0,7}\Z")
ATTRS = st.lists(st.tuples(st.sampled_from(["class", "id", "href", "content", "property",
                                            "charset", "style", "x"]), LINE), max_size=3).map(
    lambda pairs: "".join(f' {k}="{v}"' for k, v in pairs))
LEAVES = SENTENCES | LINE | st.sampled_from(
    ["&amp;", "&nbsp;", "&#0;", "&#x110000;", "&#99999999;", "&bogus;", "<!-- note -->",
     "<![CDATA[12 killed]]>", "<", ">", "</", "<br/>", "<!DOCTYPE html>", "<?xml?>", "]]>"])


def _element(parts):
    tag, attrs, children, closed = parts
    return f"<{tag}{attrs}>{''.join(children)}" + (f"</{tag}>" if closed else "")


MARKUP = st.recursive(LEAVES, lambda inner: st.tuples(
    TAGS, ATTRS, st.lists(inner, max_size=4), st.booleans()).map(_element), max_leaves=30)


def _shaped(parts):
    shape, title, body = parts
    if shape == "page":
        return (f"<!DOCTYPE html><html><head><title>{title}</title></head><body><article>"
                f"{body}</article></body></html>")
    if shape == "feed":
        escaped = body.replace("&", "&amp;").replace("<", "&lt;")
        return (f"<?xml version='1.0'?><rss version='2.0'><channel><title>{title}</title>"
                f"<item><title>{title}</title><description>{escaped}</description></item>"
                f"<item><description>{body}</description></item></channel></rss>")
    return body


HTML = st.tuples(st.sampled_from(["bare", "page", "feed"]), LINE, MARKUP).map(_shaped)


@FUZZ
@given(files=st.lists(st.tuples(st.sampled_from([".html", ".htm", ".xhtml", ".rss", ".xml",
                                                 ".atom", ""]),
                                HTML.map(str.encode)), min_size=1, max_size=3).map(named))
def test_random_html_and_feeds(tmp_path, extractor, gazetteer, files):
    ingest(tmp_path, extractor, gazetteer, files)


SCALARS = (st.none() | st.booleans() | st.integers() | st.floats() | LINE | SENTENCES
           | st.sampled_from(["", "2024-05-10", "2024-13-45", "0000-00-00", "yesterday",
                              "99999999999999999999", "https://e.x/1", "1e309"]))
JSON = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(LINE, inner, max_size=3), max_leaves=8)
KEYS = st.sampled_from(["text", "title", "url", "outlet", "published"]) | LINE
OBJECT = st.dictionaries(KEYS, JSON, max_size=6) | st.fixed_dictionaries(
    {"text": TEXT | JSON}, optional={"published": SCALARS, "title": SCALARS, "url": SCALARS,
                                     "outlet": SCALARS})
JSONL_LINES = st.lists(OBJECT.map(json.dumps) | JSON.map(json.dumps) | LINE, max_size=8)


@FUZZ
@given(contents=st.lists(JSONL_LINES, min_size=1, max_size=3))
def test_random_json_lines(tmp_path, extractor, gazetteer, contents):
    files = {f"{n}.jsonl": "\n".join(lines).encode() for n, lines in enumerate(contents)}
    # line by line too: each line with something on it is a stored report (or one that
    # failed after it was read), or reported as an error with its line number
    inputs, summary, stored = ingest(tmp_path, extractor, gazetteer, files)
    wheres = {s.where for s in summary.skipped}
    for name, lines in zip(files, contents, strict=True):
        if str(inputs / name) in wheres:  # the file as a whole was refused
            continue
        for n, line in enumerate(lines, 1):
            if line.strip():
                assert {f"{name}#{n}", f"{inputs / name}:{n}"} & (stored | wheres), (
                    name, n, line, summary.lines())


CONTENT_TYPES = st.sampled_from(["text/html", "text/html; charset=utf-8", "TEXT/HTML",
                                 "application/xhtml+xml", "text/plain", "image/png", ""])
RECORD = st.tuples(st.sampled_from(["response", "response", "resource", "metadata"]),
                   CONTENT_TYPES, LINE, HTML.map(str.encode) | st.binary(max_size=400))


def _warc(records, gzipped):
    out = BytesIO()
    writer = WARCWriter(out, gzip=gzipped)
    for n, (kind, content_type, url, body) in enumerate(records):
        fixed = {"WARC-Record-ID": f"<urn:uuid:00000000-0000-0000-0000-{n:012d}>",
                 "WARC-Date": "2024-05-01T00:00:00Z"}
        headers = [("Content-Type", content_type)] if content_type else []
        http = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1") \
            if kind == "response" else None
        writer.write_record(writer.create_warc_record(
            # with its length given, warcio buffers no temporary file it would leave open
            url or "https://e.x/", kind, payload=BytesIO(body), length=len(body),
            http_headers=http,
            warc_content_type=content_type if kind != "response" else "",
            warc_headers_dict=fixed))
    return out.getvalue()


def _damaged(data, damage):
    kind, where, xor = damage
    if not data or kind == "whole":
        return data
    at = int(where * len(data))
    if kind == "cut":
        return data[:at]
    at = min(at, len(data) - 1)
    return data[:at] + bytes([data[at] ^ xor]) + data[at + 1:]


DAMAGE = st.tuples(st.sampled_from(["whole", "cut", "cut", "flip", "flip"]),
                   st.floats(0, 1), st.integers(1, 255))


@FUZZ
@given(archives=st.lists(st.tuples(st.lists(RECORD, max_size=4), st.booleans(), DAMAGE),
                         min_size=1, max_size=3))
def test_damaged_warc_files(tmp_path, extractor, gazetteer, archives):
    files = {f"{n}.warc{'.gz' * gzipped}": _damaged(_warc(records, gzipped), damage)
             for n, (records, gzipped, damage) in enumerate(archives)}
    ingest(tmp_path, extractor, gazetteer, files)
