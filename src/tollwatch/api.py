"""The JSON API of the review app (`/api/...`), documented by FastAPI's OpenAPI.

Reads need no account. Writes need a signed-in reviewer and the CSRF token in the
`X-CSRF-Token` header (`POST /api/session` signs in and returns it); a stale `version`
gives 409 and changes nothing. Every parameter and body is checked (types, bounds,
lengths) and a bad one answers 422 naming the field, without echoing what was sent.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request, Response
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from tollwatch import accounts, browse
from tollwatch.accounts import SESSION_SECONDS, SignInRefused, Throttled
from tollwatch.browse import ClaimFilter, IncidentFilter
from tollwatch.pipeline import refresh_incidents
from tollwatch.reconcile import BEST_RULES, DEFAULT_RULE
from tollwatch.records import OUTCOMES, VICTIM_GROUPS
from tollwatch.review import (
    MAX_VERSION,
    AuditEntry,
    Blank,
    Changes,
    Conflict,
    ReviewError,
    audit_log,
    one_of,
)
from tollwatch.review import correct as correct_claim
from tollwatch.review import move as move_claim
from tollwatch.review import reject as reject_claim
from tollwatch.store import Store
from tollwatch.webauth import (
    READ_ONLY,
    SESSION_COOKIE,
    StoreDep,
    ViewerDep,
    WriterDep,
    address,
    set_cookie,
    settings,
)

GRADES = ("corroborated", "single_source", "contested", "unverified")
MAX_OFFSET = 10**9
STATUSES = ("active", "rejected")

router = APIRouter(prefix="/api")

Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET)]
Words = Annotated[Annotated[str, Field(max_length=200)] | None, Blank]
Day = Annotated[date | None, Blank]


OutcomeWord = Annotated[str | None, Blank, AfterValidator(one_of(OUTCOMES))]
VictimsWord = Annotated[str | None, Blank, AfterValidator(one_of(VICTIM_GROUPS))]
GradeWord = Annotated[str | None, Blank, AfterValidator(one_of(GRADES))]
StatusWord = Annotated[str | None, Blank, AfterValidator(one_of(STATUSES))]


class IncidentQuery(BaseModel):
    q: Words = None
    country: Annotated[Annotated[str, Field(pattern=r"^[A-Za-z]{2}$")] | None, Blank] = None
    outcome: OutcomeWord = None
    grade: GradeWord = None
    date_from: Day = None
    date_to: Day = None
    offset: Offset = 0

    def filter(self) -> IncidentFilter:
        return IncidentFilter(**_plain(self))


class ClaimQuery(BaseModel):
    q: Words = None
    outcome: OutcomeWord = None
    victims: VictimsWord = None
    place: Words = None
    date_from: Day = None
    date_to: Day = None
    status: StatusWord = None
    offset: Offset = 0

    def filter(self) -> ClaimFilter:
        return ClaimFilter(**_plain(self))


def _plain(query: BaseModel) -> dict[str, Any]:
    return query.model_dump(mode="json")


IncidentParams = Annotated[IncidentQuery, Query()]
ClaimParams = Annotated[ClaimQuery, Query()]
OffsetParam = Annotated[int, Query(ge=0, le=MAX_OFFSET)]
SearchParam = Annotated[str | None, Query(max_length=200)]


class Correction(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: int = Field(ge=0, le=MAX_VERSION)
    changes: Changes


class Versioned(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: int = Field(ge=0, le=MAX_VERSION)


class MoveTo(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: int = Field(ge=0, le=MAX_VERSION)
    incident: str = Field(min_length=1, max_length=64)


class Login(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


def found(fn: Any) -> Any:
    try:
        return fn()
    except browse.NotFound as e:
        raise HTTPException(404, str(e)) from e


@router.get("/incidents", tags=["read"])
def incidents(s: StoreDep, f: IncidentParams) -> dict[str, Any]:
    """Incident summaries, largest killed toll first, 50 a page."""
    rows, more = browse.incidents(s, f.filter())
    return {"incidents": rows, "more": more, "best_rule": BEST_RULES[DEFAULT_RULE]}


@router.get("/incidents/{incident_id}", tags=["read"])
def incident(s: StoreDep, incident_id: str) -> dict[str, Any]:
    """One incident in the contract of DESIGN.md."""
    return dict(found(lambda: browse.incident(s, incident_id)))


@router.get("/claims", tags=["read"])
def claims(s: StoreDep, f: ClaimParams) -> dict[str, Any]:
    rows, more = browse.claims(s, f.filter())
    return {"claims": rows, "more": more}


@router.get("/claims/{claim_id}", tags=["read"])
def claim(s: StoreDep, claim_id: str) -> dict[str, Any]:
    """A claim with its review version, status and audit history."""
    return dict(found(lambda: browse.claim(s, claim_id)))


def write(request: Request, s: Store, claim_id: str, change: Any) -> dict[str, Any]:
    """Apply a review change, recompute the touched countries, answer the claim."""
    try:
        entry: AuditEntry = change()
    except Conflict as e:
        raise HTTPException(409, str(e)) from e
    except ReviewError as e:
        raise HTTPException(422, str(e)) from e
    refresh_incidents(s, settings(request).gazetteer)
    return {"audit": entry.__dict__, "claim": browse.claim(s, claim_id)}


@router.patch("/claims/{claim_id}", tags=["review"])
def correct(s: StoreDep, request: Request, who: WriterDep, claim_id: str,
            body: Correction) -> dict[str, Any]:
    """Correct a claim. Send the `version` you read; 409 if it changed since."""
    gazetteer = settings(request).gazetteer
    return write(request, s, claim_id, lambda: correct_claim(
        s, claim_id, body.version, who.user, body.changes.sent(), gazetteer))


@router.post("/claims/{claim_id}/reject", tags=["review"])
def reject(s: StoreDep, request: Request, who: WriterDep, claim_id: str,
           body: Versioned) -> dict[str, Any]:
    """Take a claim out of every incident and figure."""
    return write(request, s, claim_id, lambda: reject_claim(s, claim_id, body.version, who.user))


@router.post("/claims/{claim_id}/move", tags=["review"])
def move(s: StoreDep, request: Request, who: WriterDep, claim_id: str,
         body: MoveTo) -> dict[str, Any]:
    """Move a claim into another incident (it takes that incident's place)."""
    target = found(lambda: browse.incident(s, body.incident))
    return write(request, s, claim_id,
                 lambda: move_claim(s, claim_id, body.version, who.user, target))


@router.get("/reports", tags=["read"])
def reports(s: StoreDep, q: SearchParam = None, offset: OffsetParam = 0) -> dict[str, Any]:
    rows, more = browse.reports(s, q, offset)
    return {"reports": rows, "more": more}


@router.get("/reports/{doc_id}", tags=["read"])
def report(s: StoreDep, doc_id: str) -> dict[str, Any]:
    return dict(found(lambda: browse.report(s, doc_id)))


@router.get("/sources", tags=["read"])
def sources(s: StoreDep) -> list[dict[str, Any]]:
    return browse.sources(s)


@router.get("/audit", tags=["read"])
def audit(s: StoreDep, viewer: ViewerDep, offset: OffsetParam = 0) -> list[dict[str, Any]]:
    """Changes to claims, newest first; an admin sees failed sign-ins too."""
    admin = viewer is not None and viewer.role == "admin"
    return [e.__dict__ for e in audit_log(s, None, browse.PAGE, offset, sign_ins=admin)]


@router.post("/session", tags=["review"])
def session(s: StoreDep, request: Request, response: Response, body: Login) -> dict[str, str]:
    """Sign in; returns the CSRF token to send as `X-CSRF-Token` with writes. After five
    failures in a row (per name and per address) each attempt must wait twice as long as
    the last: 429 with `Retry-After`."""
    cfg = settings(request)
    if cfg.readonly:
        raise HTTPException(403, READ_ONLY)
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise HTTPException(415, "send the name and password as application/json")
    try:
        new = accounts.sign_in(s, body.name, body.password, address(request), cfg.clock())
    except Throttled as e:
        raise HTTPException(429, str(e), headers={"Retry-After": str(math.ceil(e.wait))}) from e
    except SignInRefused as e:
        raise HTTPException(401, str(e)) from e
    set_cookie(request, response, SESSION_COOKIE, new.token, SESSION_SECONDS)
    return {"user": new.user, "role": new.role, "csrf": new.csrf}


@router.delete("/session", tags=["review"])
def end_session(s: StoreDep, request: Request, response: Response,
                who: WriterDep) -> dict[str, str]:
    """Sign out: the session ends on the server, whatever copy of the cookie remains."""
    accounts.sign_out(s, who)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return {"signed_out": who.user}
