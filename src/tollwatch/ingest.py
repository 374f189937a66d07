"""Reading reports: text, HTML, RSS/Atom, JSON Lines, WARC, and folders of them.

`read_paths(paths)` yields a `Document` for every report it can read and an `InputError`
for every one it cannot, so a batch goes on past bad files. Nothing here parses claims.

Plain-text reports may start with a header, all optional, documented in the README:
    ` date YYYY-MM-DD ` before the text on the first line (as in ../shared/eval/seeds), or
    leading `Title:`, `Outlet:`, `URL:`, `Published:` lines ended by a blank line.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import stat
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, BinaryIO

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
        try:
            mode = p.stat().st_mode
        except FileNotFoundError:
            yield InputError(str(p), "no such file or folder")
            continue
        except OSError as e:  # a symbolic link loop, a folder on the way that cannot be entered
            yield InputError(str(p), f"cannot be read ({e.strerror or e})")
            continue
        if stat.S_ISDIR(mode):
            yield from _walk(p, max_bytes)
        elif stat.S_ISREG(mode):
            yield from read_file(p, max_bytes)
        else:
            yield InputError(str(p), "not a file or folder (a device, pipe or socket)")


def _walk(top: Path, max_bytes: int) -> Iterator[Document | InputError | Notice]:
    """Files under `top` in name order, depth first. Links to folders are not followed
    (that is how a link loop cannot trap the walk), and a stack replaces recursion, so that
    no depth of folders exhausts Python's."""
    stack: list[Iterator[os.DirEntry[str]]] = []
    listing = _listing(top)
    if isinstance(listing, InputError):
        yield listing
        return
    stack.append(iter(listing))
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        if entry.name.startswith("."):
            continue
        p = Path(entry.path)
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
            is_link = entry.is_symlink()
            is_file = entry.is_file()  # follows a link to its target
            target_is_dir = is_link and not is_file and p.is_dir()
        except OSError as e:  # a link loop (ELOOP), a target that cannot be reached
            yield InputError(str(p), f"cannot be read ({e.strerror or e})")
            continue
        if is_dir:
            listing = _listing(p)
            if isinstance(listing, InputError):
                yield listing
            else:
                stack.append(iter(listing))
        elif is_file:
            yield from read_file(p, max_bytes)
        elif target_is_dir:
            yield Notice(str(p), "link to a folder, not followed; pass the folder itself to "
                                 "read it")
        elif is_link:
            yield InputError(str(p), "broken symbolic link (its target does not exist)")
        else:
            yield InputError(str(p), "not a file or folder (a device, pipe or socket)")


def _listing(folder: Path) -> list[os.DirEntry[str]] | InputError:
    try:
        with os.scandir(folder) as it:
            return sorted(it, key=lambda e: e.name)
    except PermissionError:
        return InputError(str(folder), "folder cannot be read (permission denied); "
                                       "check its permissions")
    except OSError as e:
        return InputError(str(folder), f"folder cannot be read ({e.strerror or e})")


def read_file(path: Path, max_bytes: int = MAX_BYTES) -> Iterator[Document | InputError | Notice]:
    """The reports in one file; errors are yielded, never raised. This is the boundary of
    a report: whatever goes wrong inside is reported with the file's name, and a batch
    goes on with the next file."""
    try:
        yield from _read_file(path, max_bytes)
    except InputError as e:
        yield e
    except PermissionError:
        yield InputError(str(path), "file cannot be read (permission denied)")
    except OSError as e:
        yield InputError(str(path), f"file cannot be read ({e.strerror or e})")
    except Exception as e:  # a bug, here or in a parser: reported, and the batch goes on
        yield unexpected(str(path), e)


def unexpected(where: str, e: Exception) -> InputError:
    """The record of an exception nobody foresaw, for the summary of a batch."""
    return InputError(where, f"unexpected {type(e).__name__}: {e} (a bug in tollwatch; "
                             f"please report it with this input)")


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
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError as e:
            raise BinaryInput(where, f"starts with a UTF-16 byte order mark but is not UTF-16 "
                                     f"({e.reason} at byte {e.start}); save it as UTF-8") from None
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

    try:
        result: Any = trafilatura.bare_extraction(html, url=url, with_metadata=True,
                                                  include_comments=False, favor_recall=True)
    except Exception:  # trafilatura's parsers fail on some broken markup, by any type (an
        result = None  # AssertionError in lxml for `<svg><s></s><s>`): the stream reads it
    text = result.text if result is not None else None
    if not text or not text.strip():
        # lxml stops building the tree 255 elements deep, so trafilatura finds nothing in
        # a page nested deeper: read the page's text as a stream of tags instead
        flat = FlatText()
        flat.feed(html)
        flat.close()
        text = flat.text()
        if not text:
            raise EmptyInput(where, "no article text found in the HTML page")
        if flat.title and not text.startswith(flat.title):
            text = f"{flat.title}\n\n{text}"
        return _with_inferred_date(Document.from_text(name, text, title=flat.title or None,
                                                      url=url))
    title = result.title or None
    if title and not text.startswith(title):
        text = f"{title}\n\n{text}"  # headlines hold claims too
    meta = {"title": title, "outlet": result.sitename or result.hostname or None,
            "url": result.url or url or None, "published": iso_date(result.date)}
    return _with_inferred_date(Document.from_text(name, text, **meta))


class FlatText(HTMLParser):
    """All the text of an HTML page, block elements on lines of their own, scripts and
    styles left out. Tags are events, not a tree: no depth of nesting makes it recurse."""

    SKIP = frozenset({"script", "style", "noscript", "template", "head", "svg"})
    BLOCKS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
                        "article", "section", "blockquote", "header", "footer", "td", "ul",
                        "ol", "table", "main", "aside", "nav", "title", "figcaption", "pre"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._parts: list[str] = []
        self._skipping: list[str] = []  # open elements whose text is left out
        self._in_title = False
        self.title = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self._skipping.append(tag)
        self._in_title = tag == "title"
        if tag in self.BLOCKS:
            self._parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._skipping:
            while self._skipping and self._skipping.pop() != tag:
                pass
        if tag == "title":
            self._in_title = False
        if tag in self.BLOCKS:
            self._parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title and not self.title:
            self.title = " ".join(data.split())
        if not self._skipping:
            self._parts.append(data)

    def text(self) -> str:
        lines = (" ".join(line.split()) for line in "".join(self._parts).split("\n"))
        return "\n\n".join(line for line in lines if line)


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
            doc = _with_inferred_date(doc)
        except InputError as e:
            yield e
            continue
        except Exception as e:  # the boundary of one report: the next line goes on
            yield unexpected(where, e)
            continue
        n_docs += 1
        yield doc
    if n_docs == 0 and not text.strip():
        raise EmptyInput(str(path), "no JSON lines")


def _str(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


def _read_feed(path: Path, data: bytes) -> Iterator[Document | InputError | Notice]:
    from xml.sax import SAXException

    import feedparser

    first_tag = re.search(rb"<\s*([A-Za-z!?][\w:-]*)", data[:4096])
    tag = first_tag.group(1).decode("ascii", "replace").lower() if first_tag else ""
    if tag in ("!doctype", "html") and b"<rss" not in data[:4096] and b"<feed" not in data[:4096]:
        raise FormatMismatch(str(path), f"not an RSS or Atom feed (first tag <{tag}>); pass the "
                                        f"article page with an .html name instead")
    # feedparser's fallback parser raises ValueError on a character reference beyond
    # U+10FFFF; as HTML does, read it as U+FFFD
    feed = feedparser.parse(CHARREF.sub(_charref_in_range, data))
    if not feed.entries:
        if feed.bozo:
            raise FormatMismatch(str(path), f"not an RSS or Atom feed ({feed.bozo_exception})")
        raise EmptyInput(str(path), "feed has no entries")
    for n, entry in enumerate(feed.entries, 1):
        where = f"{path}#{n}"
        try:
            yield _feed_document(f"{path.name}#{n}", where, entry, feed.feed.get("title"))
        except InputError as e:
            yield e
        except Exception as e:  # the boundary of one report: the next entry goes on
            yield unexpected(where, e)
    damage = feed.get("bozo_exception")
    if isinstance(damage, SAXException):  # not well-formed: cut short, or broken
        read = ("its 1 entry was read as far as it goes" if len(feed.entries) == 1 else
                f"its {len(feed.entries)} entries were read as far as they go")
        yield InputError(str(path), f"feed is damaged ({damage}); {read}")


CHARREF = re.compile(rb"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));?")


def _charref_in_range(m: re.Match[bytes]) -> bytes:
    digits = (m.group(1) or m.group(2)).lstrip(b"0")[:9]  # more digits are out of range too
    value = int(digits or b"0", 16 if m.group(1) else 10)
    return m.group(0) if value <= 0x10FFFF else b"&#xFFFD;"


def _feed_document(name: str, where: str, entry: Any, outlet: str | None) -> Document:
    body = ""
    if entry.get("content"):
        body = entry.content[0].get("value") or ""
    body = body or entry.get("summary") or ""  # feedparser may hold None for a broken body
    text = _html_to_text(body)
    title = entry.get("title")
    if title:
        text = f"{title}\n\n{text}"
    _check_text(where, text)
    published = None
    t = entry.get("published_parsed") or entry.get("updated_parsed")
    if t:
        published = f"{t.tm_year:04d}-{t.tm_mon:02d}-{t.tm_mday:02d}"
    return _with_inferred_date(Document.from_text(name, text, title=title,
                                                  url=entry.get("link"), outlet=outlet,
                                                  published=published))


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
    """The HTML responses of a WARC file. A file cut short or corrupt keeps the reports
    before the damage, and the damage is reported: warcio itself reads a record cut short
    as if it were whole, and raises whatever its parser meets on a cut header."""
    import warcio.archiveiterator

    n = 0
    with path.open("rb") as raw:
        # Python's gzip reads concatenated members (a .warc.gz holds one per record) and,
        # unlike warcio's own decompression, raises EOFError when the last one is cut
        gzipped = raw.read(2) == b"\x1f\x8b"
        raw.seek(0)
        records = warcio.archiveiterator.ArchiveIterator(_Gunzip(raw) if gzipped else raw)
        # warcio writes warnings about records it finds odd to stderr; the damage is ours
        # to report
        records.INC_RECORD = ""
        end = 0  # where the last whole record ends
        while True:
            try:
                record = next(records)
                body = None
                if record.rec_type == "response" and record.http_headers is not None and \
                        "html" in (record.http_headers.get_header("Content-Type") or "").lower():
                    body = record.content_stream().read()
                record.raw_stream.read()  # the rest of the record, if its body ended early
            except StopIteration:
                break
            except Exception as e:  # a cut header or gzip member: any type, from any layer
                yield _warc_damaged(path, n, f"{type(e).__name__}: {str(e).strip()[:200]}")
                return
            length = record.rec_headers.get_header("Content-Length") or ""
            missing = getattr(record.raw_stream, "limit", 0)
            if not length.strip().isdigit():  # every record states its length
                yield _warc_damaged(path, n, "a record's header ends early")
                return
            if missing:
                yield _warc_damaged(path, n, f"a record ends {missing} bytes early")
                return
            if body is not None:
                n += 1
                where = f"{path}#{n}"
                url = record.rec_headers.get_header("WARC-Target-URI")
                try:
                    html, _ = decode(where, body)
                    yield html_document(f"{path.name}#{n}", html, where, url=url)
                except InputError as e:
                    yield e
                except Exception as e:
                    yield unexpected(where, e)
            try:
                end = records.get_record_offset() + records.get_record_length()
            except Exception as e:  # the blank lines after the record, cut
                yield _warc_damaged(path, n, f"{type(e).__name__}: {str(e).strip()[:200]}")
                return
        if not gzipped:
            # a file cut inside a record's header ends, for warcio, like a whole file
            raw.seek(end)
            if raw.read(65536).strip():
                yield _warc_damaged(path, n, "a record's header ends early")
                return
    if n == 0:
        raise EmptyInput(str(path), "WARC holds no HTML responses")


class CutShort(Exception):
    """A compressed file ends inside a member, or goes on with bytes that are not gzip."""


class _Gunzip:
    """A .warc.gz decompressed for warcio, which takes an EOFError for the end of the
    archive: a cut or corrupt member is raised as `CutShort` instead."""

    def __init__(self, raw: BinaryIO) -> None:
        self._gz = gzip.GzipFile(fileobj=raw)
        self._cut: CutShort | None = None

    def read(self, size: int = -1) -> bytes:
        # piece by piece, so that what came before a cut is returned before the cut is
        # raised, on the next call
        if self._cut is not None:
            raise self._cut
        out = bytearray()
        while size < 0 or len(out) < size:
            try:
                piece = self._gz.read1(8192 if size < 0 else min(8192, size - len(out)))
            except (EOFError, OSError, zlib.error) as e:  # cut, or not gzip from here on
                self._cut = CutShort(f"the compressed file is damaged ({e})")
                if out:
                    break
                raise self._cut from e
            if not piece:
                break
            out += piece
        return bytes(out)

    def tell(self) -> int:
        return self._gz.tell()

    def close(self) -> None:
        self._gz.close()


def _warc_damaged(path: Path, n: int, detail: str) -> InputError:
    """The damage of a WARC file, and what was read of it: its first `n` HTML records."""
    if n == 0:
        return InputError(str(path), f"WARC is damaged before its first HTML record ({detail}); "
                                     f"no report was read from it")
    read = "that record was read" if n == 1 else f"those {n} records were read"
    return InputError(str(path), f"WARC is damaged after {n} HTML record{'s' * (n > 1)} "
                                 f"({detail}); {read}")
