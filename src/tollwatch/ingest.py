"""Reading reports: text, HTML, RSS/Atom, JSON Lines, WARC, and folders of them.

`read_paths(paths)` yields a `Document` for every report it can read and an `InputError`
for every one it cannot, so a batch goes on past bad files. Nothing here parses claims.

Plain-text reports may start with a header, all optional, documented in the README:
    ` date YYYY-MM-DD ` before the text on the first line (as in ../shared/eval/seeds), or
    leading `Title:`, `Outlet:`, `URL:`, `Published:` lines ended by a blank line.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from tollwatch.dates import infer_published, infer_year, iso_date
from tollwatch.errors import BinaryInput, EmptyInput, FormatMismatch, InputError, TooLarge
from tollwatch.records import Document

MAX_BYTES = 20 * 1024 * 1024  # one report; a feed, JSONL or WARC file may hold many
MAX_ARCHIVE_BYTES = 2 * 1024 * 1024 * 1024
TEXT_EXT = {".txt", ".text", ".md"}
HTML_EXT = {".html", ".htm", ".xhtml"}
FEED_EXT = {".rss", ".atom", ".xml"}
JSONL_EXT = {".jsonl", ".ndjson"}
WARC_EXT = {".warc", ".gz"}
DATE_MARKER = re.compile(r"^\s*date (\d{4}-\d{2}-\d{2})\s")
HEADER = re.compile(r"(?im)^(title|outlet|url|published|date)\s*:\s*(.+)$")


@dataclass(frozen=True)
class Notice:
    """Something worth telling about a report that was read (not an error)."""

    path: str
    message: str


def read_paths(paths: Iterable[str | Path], max_bytes: int = MAX_BYTES
               ) -> Iterator[Document | InputError | Notice]:
    """Every report under `paths` (files or folders, recursively), in a stable order."""
    for path in paths:
        p = Path(path)
        if p.is_dir():
            yield from _walk(p, max_bytes)
        elif p.exists():
            yield from read_file(p, max_bytes)
        else:
            yield InputError(str(p), "no such file or folder")


def _walk(folder: Path, max_bytes: int) -> Iterator[Document | InputError | Notice]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except PermissionError:
        yield InputError(str(folder), "folder cannot be read (permission denied); "
                                      "check its permissions")
        return
    except OSError as e:
        yield InputError(str(folder), f"folder cannot be read ({e.strerror})")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        p = Path(entry.path)
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(p, max_bytes)
        elif entry.is_file():
            yield from read_file(p, max_bytes)


def read_file(path: Path, max_bytes: int = MAX_BYTES) -> Iterator[Document | InputError | Notice]:
    """The reports in one file; errors are yielded, never raised."""
    try:
        yield from _read_file(path, max_bytes)
    except InputError as e:
        yield e
    except PermissionError:
        yield InputError(str(path), "file cannot be read (permission denied)")
    except OSError as e:
        yield InputError(str(path), f"file cannot be read ({e.strerror or e})")


def _kind(path: Path, head: bytes) -> str:
    name = path.name.lower()
    suffix = path.suffix.lower()
    if name.endswith((".warc", ".warc.gz")):
        return "warc"
    if suffix in JSONL_EXT:
        return "jsonl"
    if suffix in FEED_EXT:
        return "feed"
    if suffix in HTML_EXT:
        return "html"
    if suffix in TEXT_EXT:
        return "text"
    sniff = head.lstrip()[:200].lower()
    if sniff.startswith((b"<!doctype html", b"<html")):
        return "html"
    if sniff.startswith(b"<?xml") or b"<rss" in sniff or b"<feed" in sniff:
        return "feed"
    if sniff.startswith(b"warc/"):
        return "warc"
    return "text"


def _read_file(path: Path, max_bytes: int) -> Iterator[Document | InputError | Notice]:
    size = path.stat().st_size
    with path.open("rb") as fh:
        head = fh.read(4096)
    kind = _kind(path, head)
    limit = max_bytes if kind in ("text", "html") else MAX_ARCHIVE_BYTES
    if size > limit:
        raise TooLarge(str(path), f"{size / 1e6:.1f} MB is over the limit of {limit / 1e6:.0f} MB "
                                  f"for one {kind} report; split it or raise --max-bytes")
    if size == 0:
        raise EmptyInput(str(path), "empty file")
    if kind == "warc":
        yield from _read_warc(path)
        return
    data = path.read_bytes()
    if kind == "jsonl":
        yield from _read_jsonl(path, data)
    elif kind == "feed":
        yield from _read_feed(path, data)
    else:
        text, notice = decode(str(path), data)
        if notice:
            yield Notice(str(path), notice)
        if kind == "html":
            yield html_document(path.name, text, str(path))
        else:
            yield text_document(path.name, text, str(path))


def decode(where: str, data: bytes) -> tuple[str, str | None]:
    """Bytes to text: UTF-8 (with or without BOM), else Windows-1252 with a notice."""
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise BinaryInput(where, "binary data (NUL bytes), not a text report; pass text, HTML, "
                                 "RSS/Atom, JSON Lines or WARC")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), None
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as e:
        bad_at = e.start
    text = data.decode("cp1252", errors="replace")
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > 0.01 * min(len(text), 8192) + 2:
        raise BinaryInput(where, "binary data, not a text report")
    return text, f"not valid UTF-8 (first bad byte at {bad_at}); read as Windows-1252"


def _check_text(where: str, text: str) -> str:
    if not text.strip():
        raise EmptyInput(where, "no text (only whitespace)")
    return text


def text_document(name: str, text: str, where: str) -> Document:
    meta: dict[str, Any] = {}
    m = DATE_MARKER.match(text)
    if m:
        meta["published"] = m.group(1)
        text = text[m.end():]
    else:
        lines = text.lstrip("\ufeff").split("\n")
        n = 0
        while n < len(lines) and HEADER.match(lines[n]):
            key, value = HEADER.match(lines[n]).groups()  # type: ignore[union-attr]
            key = {"date": "published"}.get(key.lower(), key.lower())
            meta[key] = value.strip()
            n += 1
        if n and n < len(lines) and not lines[n].strip():
            text = "\n".join(lines[n + 1:])
        else:
            meta = {}
    if "published" in meta:
        meta["published"] = iso_date(meta["published"])
    _check_text(where, text)
    return _with_inferred_date(Document.from_text(name, text, **meta))


def _with_inferred_date(doc: Document) -> Document:
    if doc.published:
        return doc
    found = infer_published(doc.text) or infer_year(doc.text, date.today())
    if not found:
        return doc
    return Document(**{**doc.__dict__, "published": found, "published_inferred": True})


def html_document(name: str, html: str, where: str, url: str | None = None) -> Document:
    import trafilatura

    result: Any = trafilatura.bare_extraction(html, url=url, with_metadata=True,
                                              include_comments=False, favor_recall=True)
    text = result.text if result is not None else None
    if not text or not text.strip():
        raise EmptyInput(where, "no article text found in the HTML page")
    title = result.title or None
    if title and not text.startswith(title):
        text = f"{title}\n\n{text}"  # headlines hold claims too
    meta = {"title": title, "outlet": result.sitename or result.hostname or None,
            "url": result.url or url or None, "published": iso_date(result.date)}
    return _with_inferred_date(Document.from_text(name, text, **meta))


def _read_jsonl(path: Path, data: bytes) -> Iterator[Document | InputError | Notice]:
    text, notice = decode(str(path), data)
    if notice:
        yield Notice(str(path), notice)
    n_docs = 0
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            yield InputError(where, f"not JSON ({e.msg}); each line must be one JSON object")
            continue
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            yield InputError(where, "no \"text\" string; each line needs text, and may have "
                                    "title, url, outlet, published")
            continue
        try:
            body = _check_text(where, obj["text"])
            doc = Document.from_text(
                f"{path.name}#{n}", body, title=_str(obj.get("title")), url=_str(obj.get("url")),
                outlet=_str(obj.get("outlet")), published=iso_date(_str(obj.get("published"))))
        except InputError as e:
            yield e
            continue
        n_docs += 1
        yield _with_inferred_date(doc)
    if n_docs == 0 and not text.strip():
        raise EmptyInput(str(path), "no JSON lines")


def _str(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


def _read_feed(path: Path, data: bytes) -> Iterator[Document | InputError | Notice]:
    import feedparser

    first_tag = re.search(rb"<\s*([A-Za-z!?][\w:-]*)", data[:4096])
    tag = first_tag.group(1).decode("ascii", "replace").lower() if first_tag else ""
    if tag in ("!doctype", "html") and b"<rss" not in data[:4096] and b"<feed" not in data[:4096]:
        raise FormatMismatch(str(path), f"not an RSS or Atom feed (first tag <{tag}>); pass the "
                                        f"article page with an .html name instead")
    feed = feedparser.parse(data)
    if not feed.entries:
        if feed.bozo:
            raise FormatMismatch(str(path), f"not an RSS or Atom feed ({feed.bozo_exception})")
        raise EmptyInput(str(path), "feed has no entries")
    for n, entry in enumerate(feed.entries, 1):
        where = f"{path}#{n}"
        body = ""
        if entry.get("content"):
            body = entry.content[0].get("value", "")
        body = body or entry.get("summary", "")
        try:
            text = _html_to_text(body)
            title = entry.get("title")
            if title:
                text = f"{title}\n\n{text}"
            _check_text(where, text)
        except InputError as e:
            yield e
            continue
        published = None
        if entry.get("published_parsed") or entry.get("updated_parsed"):
            t = entry.get("published_parsed") or entry.get("updated_parsed")
            published = f"{t.tm_year:04d}-{t.tm_mon:02d}-{t.tm_mday:02d}"
        yield _with_inferred_date(Document.from_text(
            f"{path.name}#{n}", text, title=title, url=entry.get("link"),
            outlet=feed.feed.get("title"), published=published))


def _html_to_text(fragment: str) -> str:
    """Text of an HTML fragment (feed entry bodies), scripts and styles dropped."""
    if "<" not in fragment:
        return fragment
    import lxml.html

    try:
        root = lxml.html.fromstring(f"<div>{fragment}</div>")
    except Exception:  # lxml raises several types for broken markup; keep the raw text
        return re.sub(r"<[^>]+>", " ", fragment)
    for bad in root.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    for block in root.xpath("//p|//br|//div|//li|//h1|//h2|//h3"):
        block.tail = "\n" + (block.tail or "")
    return re.sub(r"\n\s*\n+", "\n\n", root.text_content()).strip()


def _read_warc(path: Path) -> Iterator[Document | InputError | Notice]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    n = 0
    with path.open("rb") as fh:
        records = ArchiveIterator(fh)
        while True:
            try:
                record = next(records)
            except StopIteration:
                break
            except (ArchiveLoadFailed, EOFError, OSError, ValueError) as e:
                yield InputError(str(path), f"WARC is damaged after {n} records ({e}); "
                                            f"the records before were read")
                return
            if record.rec_type != "response" or record.http_headers is None:
                continue
            ctype = record.http_headers.get_header("Content-Type") or ""
            if "html" not in ctype.lower():
                continue
            n += 1
            url = record.rec_headers.get_header("WARC-Target-URI")
            where = f"{path}#{n}"
            try:
                body = record.content_stream().read()
                html, _ = decode(where, body)
                doc = html_document(f"{path.name}#{n}", html, where, url=url)
            except InputError as e:
                yield e
                continue
            except (EOFError, OSError, ValueError) as e:
                yield InputError(str(path), f"WARC is damaged in record {n} ({e})")
                return
            yield doc
    if n == 0:
        raise EmptyInput(str(path), "WARC holds no HTML responses")

