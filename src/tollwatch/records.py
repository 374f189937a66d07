"""The records that flow between pipeline stages: frozen, typed, with provenance.

`Document` is one report; `Claim` is one statement that N people suffered one outcome,
always pointing back to the characters of its document that say so.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import asdict, dataclass
from typing import Any, Literal

# The outcome vocabulary (../shared/eval/GUIDE.md): the one place it is spelled out.
OUTCOMES = ("killed", "injured", "abducted", "detained", "displaced")
VICTIM_GROUPS = ("civilians", "combatants", "security_forces", "unspecified")
# What a figure is about: this event, the whole conflict so far, or an earlier event recalled.
Scope = Literal["event", "cumulative", "background"]
SCOPES: tuple[Scope, ...] = ("event", "cumulative", "background")


def normalise_text(text: str) -> str:
    """The stored form of a report: Unix line ends, no trailing blanks on lines, characters
    as written (so that every quote is found verbatim in the original)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


def document_id(text: str) -> str:
    """Id of a document: hash of its text in Unicode NFC with whitespace folded, so the
    same report is one document however it was encoded or wrapped."""
    folded = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Document:
    """One report, as stored."""

    id: str
    name: str  # the input's file name (no folder); for feed/WARC entries "file#n"
    text: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None  # ISO date
    published_inferred: bool = False  # True when read from the text, not from metadata
    language: str = "en"

    @classmethod
    def from_text(cls, name: str, text: str, **meta: Any) -> Document:
        text = normalise_text(text)
        return cls(id=document_id(text), name=name, text=text, **meta)


@dataclass(frozen=True)
class Claim:
    """One statement that a number of people suffered one outcome.

    `start`/`end` are character offsets of `quote` in the document's stored text;
    `count_start`/`count_end` those of the words that give the number.
    """

    id: str
    document: str  # document file name, as in the GUIDE's contract
    document_id: str
    start: int
    end: int
    quote: str
    count_start: int
    count_end: int
    outcome: str
    count_low: int | None
    count_high: int | None
    victims: str = "unspecified"
    descriptors: tuple[str, ...] = ()
    source: str | None = None
    hedged: bool = False
    part_of: str | None = None
    perpetrator: str | None = None
    place: str | None = None
    admin1: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    where_prec: int | None = None
    date_start: str | None = None
    date_end: str | None = None
    date_prec: int | None = None
    scope: Scope = "event"
    earlier: bool = False  # the text marks this figure as superseded ("a previous toll of 300")

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["descriptors"] = list(self.descriptors)
        return d


CLAIM_FIELDS = tuple(Claim.__dataclass_fields__)


Status = Literal["current", "superseded"]


@dataclass(frozen=True)
class Step:
    """One figure in an origin's history: as of a report date, from one claim (or, for a
    total derived from group figures, from the claims it sums)."""

    low: int | None
    high: int | None
    reported: str | None  # date of the report
    claim: str
    earlier: bool = False  # the text marked it as superseded ("up from 27")
    derived: bool = False  # a sum of the origin's group figures, not a stated total
    parts: tuple[str, ...] = ()  # the claims summed, for a derived figure


@dataclass(frozen=True)
class SourceFigure:
    """One origin's figure for an incident and group: its latest claim, and the history.

    `status` is "superseded" when the origin's only figures are marked earlier by the text,
    or when its latest figure is days older than the incident's current figures and lower
    than them (a stale first-day count, not a rival)."""

    source: str | None  # as the reports name it; None for an outlet's own voice
    origin: str
    low: int | None
    high: int | None
    reported: str | None  # date of the report
    claim: str
    hedged: bool
    history: tuple[Step, ...]  # earlier figures of this origin, oldest first
    outlet: str | None = None  # the outlet's name, for an outlet's own voice
    status: Status = "current"
    derived: bool = False  # the latest figure is the sum of the origin's group figures
    parts: tuple[str, ...] = ()  # claims summed, when derived


@dataclass(frozen=True)
class Figure:
    """The reconciled figure for one incident, outcome and victim group."""

    outcome: str
    victims: str
    low: int | None
    best: int | None
    high: int | None
    grade: str  # corroborated | single_source | contested | unverified
    origins: int
    sources: tuple[SourceFigure, ...]
    claims: tuple[str, ...]
    best_rule: str = "fullest"


@dataclass(frozen=True)
class ContextFigure:
    """A figure a report gives as context for an incident, never as one of its figures: a
    conflict-wide running total ("since the war began") or an earlier event recalled."""

    scope: Scope
    outcome: str
    victims: str
    low: int | None
    high: int | None
    source: str | None  # as the report names it; None for the outlet's own voice
    reported: str | None
    claim: str
    outlet: str | None = None  # the name of the outlet that reported it


@dataclass(frozen=True)
class Check:
    """A finding: parts that do not fit their total, tolls that do not add up, ..."""

    kind: str
    message: str
    claims: tuple[str, ...]


@dataclass(frozen=True)
class Incident:
    """What happened at one place over one period, as the reports describe it."""

    id: str
    parent: str | None
    label: str
    place: str | None
    admin1: str | None
    country: str | None
    lat: float | None
    lon: float | None
    where_prec: int | None
    date_start: str | None
    date_end: str | None
    date_prec: int | None
    documents: tuple[str, ...]
    claims: tuple[str, ...]
    figures: tuple[Figure, ...] = ()
    checks: tuple[Check, ...] = ()
    context: tuple[ContextFigure, ...] = ()
