"""The JSON API of the review app (`/api/...`), documented by FastAPI's OpenAPI.

Reads need no account. Writes need a signed-in reviewer and the CSRF token in the
`X-CSRF-Token` header (`POST /api/session` signs in and returns it); a stale `version`
gives 409 and changes nothing.
"""

import secrets
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, Field

from tollwatch import browse
from tollwatch.browse import ClaimFilter, IncidentFilter
from tollwatch.pipeline import refresh_incidents
from tollwatch.reconcile import BEST_RULES, DEFAULT_RULE
from tollwatch.review import AuditEntry, Conflict, ReviewError, audit_log, check_login
from tollwatch.review import correct as correct_claim
from tollwatch.review import move as move_claim
from tollwatch.review import reject as reject_claim
from tollwatch.store import Store


class Correction(BaseModel):
    version: int = Field(ge=0)
    changes: dict[str, str | int | float | None]


class Versioned(BaseModel):
    version: int = Field(ge=0)


class MoveTo(BaseModel):
    version: int = Field(ge=0)
    incident: str = Field(min_length=1, max_length=64)


class Login(BaseModel):
    name: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


def router(store_dep: Any, require_writer: Callable[[Request, str | None], str]) -> APIRouter:
    """The API routes, given the app's store dependency and its writer check."""
    api = APIRouter(prefix="/api")
    StoreDep = Annotated[Store, store_dep]  # noqa: N806 (a type alias, read by FastAPI)

    def found(fn: Callable[[], Any]) -> Any:
        try:
            return fn()
        except browse.NotFound as e:
            raise HTTPException(404, str(e)) from e

    @api.get("/incidents", tags=["read"])
    def incidents(s: StoreDep, f: Annotated[IncidentFilter, Depends()]) -> dict[str, Any]:
        """Incident summaries, largest killed toll first, 50 a page."""
        rows, more = browse.incidents(s, f)
        return {"incidents": rows, "more": more, "best_rule": BEST_RULES[DEFAULT_RULE]}

    @api.get("/incidents/{incident_id}", tags=["read"])
    def incident(s: StoreDep, incident_id: str) -> dict[str, Any]:
        """One incident in the contract of DESIGN.md."""
        return dict(found(lambda: browse.incident(s, incident_id)))

    @api.get("/claims", tags=["read"])
    def claims(s: StoreDep, f: Annotated[ClaimFilter, Depends()]) -> dict[str, Any]:
        rows, more = browse.claims(s, f)
        return {"claims": rows, "more": more}

    @api.get("/claims/{claim_id}", tags=["read"])
    def claim(s: StoreDep, claim_id: str) -> dict[str, Any]:
        """A claim with its review version, status and audit history."""
        return dict(found(lambda: browse.claim(s, claim_id)))

    def write(request: Request, s: Store, claim_id: str,
              change: Callable[[str], AuditEntry]) -> dict[str, Any]:
        user = require_writer(request, request.headers.get("x-csrf-token"))
        try:
            entry = change(user)
        except Conflict as e:
            raise HTTPException(409, str(e)) from e
        except ReviewError as e:
            raise HTTPException(422, str(e)) from e
        refresh_incidents(s)
        return {"audit": entry.__dict__, "claim": browse.claim(s, claim_id)}

    @api.patch("/claims/{claim_id}", tags=["review"])
    def correct(s: StoreDep, request: Request, claim_id: str,
                body: Correction) -> dict[str, Any]:
        """Correct a claim. Send the `version` you read; 409 if it changed since."""
        return write(request, s, claim_id,
                     lambda u: correct_claim(s, claim_id, body.version, u, body.changes))

    @api.post("/claims/{claim_id}/reject", tags=["review"])
    def reject(s: StoreDep, request: Request, claim_id: str, body: Versioned) -> dict[str, Any]:
        """Take a claim out of every incident and figure."""
        return write(request, s, claim_id,
                     lambda u: reject_claim(s, claim_id, body.version, u))

    @api.post("/claims/{claim_id}/move", tags=["review"])
    def move(s: StoreDep, request: Request, claim_id: str, body: MoveTo) -> dict[str, Any]:
        """Move a claim into another incident (it takes that incident's place)."""
        target = found(lambda: browse.incident(s, body.incident))
        return write(request, s, claim_id,
                     lambda u: move_claim(s, claim_id, body.version, u, target))

    @api.get("/reports", tags=["read"])
    def reports(s: StoreDep, q: str | None = None, offset: int = 0) -> dict[str, Any]:
        rows, more = browse.reports(s, q, offset)
        return {"reports": rows, "more": more}

    @api.get("/reports/{doc_id}", tags=["read"])
    def report(s: StoreDep, doc_id: str) -> dict[str, Any]:
        return dict(found(lambda: browse.report(s, doc_id)))

    @api.get("/sources", tags=["read"])
    def sources(s: StoreDep) -> list[dict[str, Any]]:
        return browse.sources(s)

    @api.get("/audit", tags=["read"])
    def audit(s: StoreDep, offset: int = 0) -> list[dict[str, Any]]:
        return [e.__dict__ for e in audit_log(s, None, browse.PAGE, offset)]

    @api.post("/session", tags=["review"])
    def session(s: StoreDep, request: Request, body: Login) -> dict[str, str]:
        """Sign in; returns the CSRF token to send as `X-CSRF-Token` with writes."""
        if not check_login(s, body.name, body.password):
            raise HTTPException(401, "wrong name or password")
        request.session.clear()
        token = secrets.token_urlsafe(24)
        request.session.update(user=body.name, csrf=token)
        return {"user": body.name, "csrf": token}

    return api
