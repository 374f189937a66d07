"""The review web app: FastAPI over the same database, pages and a JSON API.

Everything is readable without an account; writing needs a reviewer signed in (accounts
from `tollwatch user add`), a session cookie (signed, SameSite=Strict) and a CSRF token:
a hidden form field on pages, the `X-CSRF-Token` header in the API. Article text, titles
and URLs are only ever rendered through Jinja2 with autoescaping.
"""

import json
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field
from starlette.middleware.sessions import SessionMiddleware

from tollwatch.export import figure_text
from tollwatch.pipeline import refresh_incidents
from tollwatch.reconcile import BEST_RULES, DEFAULT_RULE
from tollwatch.records import OUTCOMES, VICTIM_GROUPS
from tollwatch.review import (
    EDITABLE,
    Conflict,
    ReviewError,
    audit_log,
    check_login,
    correct,
    load_claim,
    move,
    reject,
    restore,
    secret_key,
)
from tollwatch.store import Store, claim_from_row

PAGE = 50
GRADES = ("corroborated", "single_source", "contested", "unverified")


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


def create_app(db: Path) -> FastAPI:
    """The app for one database file."""
    import jinja2

    with Store(db) as store:
        key = secret_key(store)
    # the interactive docs pages load their JavaScript from a CDN: only the OpenAPI
    # document itself is served (/openapi.json)
    app = FastAPI(
        title="tollwatch",
        version="1",
        docs_url=None,
        redoc_url=None,
        description="Casualty claims, incidents and reconciled tolls; review API.",
    )
    app.add_middleware(
        SessionMiddleware,
        secret_key=key,
        same_site="strict",
        session_cookie="tollwatch_session",
        max_age=12 * 3600,
    )
    env = jinja2.Environment(loader=jinja2.PackageLoader("tollwatch", "templates"), autoescape=True)
    env.filters["fig"] = lambda f: (
        figure_text(f["low"], f["high"])
        if isinstance(f, dict)
        else figure_text(*f[:2])
        if isinstance(f, list | tuple)
        else figure_text(f.low, f.high)
    )
    env.filters["fig_claim"] = lambda c: figure_text(c["count_low"], c["count_high"])

    def get_store() -> Iterator[Store]:
        s = Store(db)
        try:
            yield s
        finally:
            s.close()

    # FastAPI reads this alias from the endpoints' annotations (so no postponed annotations
    # in this module)
    StoreDep = Annotated[Store, Depends(get_store)]

    def user_of(request: Request) -> str | None:
        return request.session.get("user")

    def csrf_of(request: Request) -> str:
        token = request.session.get("csrf")
        if not token:
            token = secrets.token_urlsafe(24)
            request.session["csrf"] = token
        return str(token)

    def require_writer(request: Request, token: str | None) -> str:
        user = user_of(request)
        if not user:
            raise HTTPException(401, "sign in to change anything")
        if not token or not secrets.compare_digest(token, request.session.get("csrf", "")):
            raise HTTPException(403, "missing or wrong CSRF token; reload the page")
        return str(user)

    def page(request: Request, name: str, **context: Any) -> HTMLResponse:
        html = env.get_template(name).render(
            request=request,
            user=user_of(request),
            csrf=csrf_of(request),
            outcomes=OUTCOMES,
            groups=VICTIM_GROUPS,
            grades=GRADES,
            rule=BEST_RULES[DEFAULT_RULE],
            **context,
        )
        return HTMLResponse(
            html,
            headers={
                "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
                "form-action 'self'; frame-ancestors 'none'"
            },
        )

    # --- queries shared by pages and API ------------------------------------------------

    def incidents_query(
        s: Store,
        q: str | None,
        country: str | None,
        outcome: str | None,
        grade: str | None,
        date_from: str | None,
        date_to: str | None,
        offset: int,
    ) -> list[dict[str, Any]]:
        refresh_incidents(s)
        where, args = ["1"], []
        if q:
            where.append("label LIKE ?")
            args.append(f"%{q}%")
        if country:
            where.append("country = ?")
            args.append(country.upper())
        if outcome:
            where.append("(' ' || outcomes || ' ') LIKE ?")
            args.append(f"% {outcome} %")
        if grade:
            where.append("(' ' || grades || ' ') LIKE ?")
            args.append(f"% {grade} %")
        if date_from:
            where.append("coalesce(date_end, date_start) >= ?")
            args.append(date_from)
        if date_to:
            where.append("date_start <= ?")
            args.append(date_to)
        rows = s.conn.execute(
            f"SELECT summary FROM incidents WHERE {' AND '.join(where)} "
            f"ORDER BY toll DESC, id LIMIT ? OFFSET ?",
            (*args, PAGE + 1, offset),
        ).fetchall()
        return [json.loads(r[0]) for r in rows]

    def incident_by_id(s: Store, incident_id: str) -> dict[str, Any]:
        refresh_incidents(s)
        row = s.conn.execute("SELECT data FROM incidents WHERE id = ?", (incident_id,)).fetchone()
        if row is None:
            raise HTTPException(404, f"{incident_id}: no such incident")
        return dict(json.loads(row[0]))

    def claims_query(
        s: Store,
        q: str | None,
        outcome: str | None,
        victims: str | None,
        place: str | None,
        date_from: str | None,
        date_to: str | None,
        status: str | None,
        offset: int,
    ) -> list[dict[str, Any]]:
        where, args = ["1"], []
        if q:
            where.append("(quote LIKE ? OR source LIKE ? OR place LIKE ?)")
            args += [f"%{q}%"] * 3
        for col, val in (("outcome", outcome), ("victims", victims), ("status", status)):
            if val:
                where.append(f"{col} = ?")
                args.append(val)
        if place:
            where.append("(place LIKE ? OR admin1 LIKE ? OR country = ?)")
            args += [f"%{place}%", f"%{place}%", place.upper()]
        if date_from:
            where.append("coalesce(date_end, date_start) >= ?")
            args.append(date_from)
        if date_to:
            where.append("date_start <= ?")
            args.append(date_to)
        rows = s.conn.execute(
            f"SELECT * FROM claims WHERE {' AND '.join(where)} "
            f"ORDER BY document, count_start LIMIT ? OFFSET ?",
            (*args, PAGE + 1, offset),
        ).fetchall()
        return [claim_dict(r) for r in rows]

    def claim_dict(row: Any) -> dict[str, Any]:
        d = claim_from_row(row).to_dict()
        d.update(version=row["version"], status=row["status"])
        return d

    def claim_by_id(s: Store, claim_id: str) -> dict[str, Any]:
        row = s.conn.execute("SELECT * FROM claims WHERE id = ?", (claim_id,)).fetchone()
        if row is None:
            raise HTTPException(404, f"{claim_id}: no such claim")
        d = claim_dict(row)
        d["audit"] = [e.__dict__ for e in audit_log(s, claim_id)]
        return d

    def reports_query(s: Store, q: str | None, offset: int) -> list[dict[str, Any]]:
        where, args = (
            ("WHERE name LIKE ? OR title LIKE ? OR outlet LIKE ?", [f"%{q}%"] * 3)
            if q
            else ("", [])
        )
        rows = s.conn.execute(
            f"SELECT id, name, title, outlet, url, published, "
            f"published_inferred FROM documents {where} ORDER BY name "
            f"LIMIT ? OFFSET ?",
            (*args, PAGE + 1, offset),
        ).fetchall()
        return [dict(r) for r in rows]

    def report_by_id(s: Store, doc_id: str) -> dict[str, Any]:
        row = s.conn.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            raise HTTPException(404, f"{doc_id}: no such report")
        d = dict(row)
        d["claims"] = [
            claim_dict(r)
            for r in s.conn.execute(
                "SELECT * FROM claims WHERE document_id = ? ORDER BY count_start", (doc_id,)
            )
        ]
        return d

    sources_cache: dict[tuple[int, int], list[dict[str, Any]]] = {}

    def sources_query(s: Store) -> list[dict[str, Any]]:
        """Who said what; the aggregate is kept until claims are added or reviewed."""
        version = s.data_version()
        if version not in sources_cache:
            sources_cache.clear()
            sources_cache[version] = _sources(s)
        return sources_cache[version]

    def _sources(s: Store) -> list[dict[str, Any]]:
        rows = s.conn.execute(
            "SELECT coalesce(source, '') AS source, count(*) AS claims, "
            "count(DISTINCT document_id) AS reports, group_concat(DISTINCT outcome) AS outcomes "
            "FROM claims WHERE status = 'active' GROUP BY coalesce(source, '') "
            "ORDER BY claims DESC LIMIT 500"
        ).fetchall()
        return [dict(r) for r in rows]

    def segments(text: str, claims: list[dict[str, Any]]) -> list[tuple[str, str | None]]:
        """The text cut into plain pieces and marked counts (claim id), for the template."""
        out: list[tuple[str, str | None]] = []
        pos = 0
        for c in sorted(claims, key=lambda c: c["count_start"]):
            if c["count_start"] < pos:
                continue
            out.append((text[pos : c["count_start"]], None))
            out.append((text[c["count_start"] : c["count_end"]], c["id"]))
            pos = c["count_end"]
        out.append((text[pos:], None))
        return out

    # --- pages ------------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(
        s: StoreDep,
        request: Request,
        q: str | None = None,
        country: str | None = None,
        outcome: str | None = None,
        grade: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        offset: int = 0,
    ) -> HTMLResponse:
        rows = incidents_query(s, q, country, outcome, grade, date_from, date_to, offset)
        return page(
            request,
            "web_incidents.html",
            incidents=rows[:PAGE],
            more=len(rows) > PAGE,
            offset=offset,
            q=q or "",
            country=country or "",
            outcome=outcome or "",
            grade=grade or "",
            date_from=date_from or "",
            date_to=date_to or "",
        )

    @app.get("/incidents/{incident_id}", response_class=HTMLResponse, include_in_schema=False)
    def incident_page(s: StoreDep, request: Request, incident_id: str) -> HTMLResponse:
        inc = incident_by_id(s, incident_id)
        claims = [claim_by_id(s, cid) for cid in inc["claims"]]
        kids = [
            json.loads(r[0])
            for r in s.conn.execute(
                "SELECT data FROM incidents WHERE parent = ? ORDER BY position", (incident_id,)
            )
        ]
        return page(request, "web_incident.html", inc=inc, claims=claims, children=kids)

    @app.get("/claims", response_class=HTMLResponse, include_in_schema=False)
    def claims_page(
        s: StoreDep,
        request: Request,
        q: str | None = None,
        outcome: str | None = None,
        victims: str | None = None,
        place: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        status: str | None = None,
        offset: int = 0,
    ) -> HTMLResponse:
        rows = claims_query(s, q, outcome, victims, place, date_from, date_to, status, offset)
        return page(
            request,
            "web_claims.html",
            claims=rows[:PAGE],
            more=len(rows) > PAGE,
            offset=offset,
            q=q or "",
            outcome=outcome or "",
            victims=victims or "",
            place=place or "",
            date_from=date_from or "",
            date_to=date_to or "",
        )

    @app.get("/claims/{claim_id}", response_class=HTMLResponse, include_in_schema=False)
    def claim_page(
        s: StoreDep, request: Request, claim_id: str, message: str | None = None
    ) -> HTMLResponse:
        c = claim_by_id(s, claim_id)
        doc = s.conn.execute(
            "SELECT name, text FROM documents WHERE id = ?", (c["document_id"],)
        ).fetchone()
        return page(
            request,
            "web_claim.html",
            c=c,
            editable=EDITABLE,
            message=message,
            context=doc["text"][max(0, c["start"] - 300) : c["end"] + 300] if doc else "",
        )

    @app.post("/claims/{claim_id}", include_in_schema=False)
    async def claim_form(s: StoreDep, request: Request, claim_id: str) -> RedirectResponse:
        form = await request.form()
        user = require_writer(request, str(form.get("csrf", "")))
        action = str(form.get("action", "correct"))
        try:
            version = int(str(form.get("version", "-1")))
            if action == "reject":
                reject(s, claim_id, version, user)
            elif action == "restore":
                restore(s, claim_id, version, user)
            elif action == "move":
                move(
                    s,
                    claim_id,
                    version,
                    user,
                    incident_by_id(s, str(form.get("incident", "")).strip()),
                )
            else:
                claim, _, _ = load_claim(s, claim_id)
                current = claim.to_dict()
                changes = {
                    k: str(form[k])
                    for k in EDITABLE
                    if k in form and str(form[k]) != _text(current[k])
                }
                correct(s, claim_id, version, user, changes)
            refresh_incidents(s)
            message = "saved; figures recomputed"
        except (ReviewError, ValueError) as e:
            message = f"not saved: {e}"
        from urllib.parse import quote

        return RedirectResponse(
            f"/claims/{quote(claim_id)}?message={quote(message)}", status_code=303
        )

    @app.get("/reports", response_class=HTMLResponse, include_in_schema=False)
    def reports_page(
        s: StoreDep, request: Request, q: str | None = None, offset: int = 0
    ) -> HTMLResponse:
        rows = reports_query(s, q, offset)
        return page(
            request,
            "web_reports.html",
            reports=rows[:PAGE],
            more=len(rows) > PAGE,
            offset=offset,
            q=q or "",
        )

    @app.get("/reports/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
    def report_page(s: StoreDep, request: Request, doc_id: str) -> HTMLResponse:
        d = report_by_id(s, doc_id)
        return page(request, "web_report.html", d=d, segments=segments(d["text"], d["claims"]))

    @app.get("/sources", response_class=HTMLResponse, include_in_schema=False)
    def sources_page(s: StoreDep, request: Request) -> HTMLResponse:
        return page(request, "web_sources.html", sources=sources_query(s))

    @app.get("/audit", response_class=HTMLResponse, include_in_schema=False)
    def audit_page(s: StoreDep, request: Request, offset: int = 0) -> HTMLResponse:
        return page(
            request, "web_audit.html", entries=audit_log(s, None, PAGE, offset), offset=offset
        )

    @app.get("/login", response_class=HTMLResponse, include_in_schema=False)
    def login_page(request: Request, message: str | None = None) -> HTMLResponse:
        return page(request, "web_login.html", message=message)

    @app.post("/login", include_in_schema=False)
    def login_form(
        s: StoreDep,
        request: Request,
        name: str = Form(...),
        password: str = Form(...),
        csrf: str = Form(""),
    ) -> RedirectResponse:
        if not secrets.compare_digest(csrf, request.session.get("csrf", "")):
            return RedirectResponse("/login?message=reload+the+page", status_code=303)
        if not check_login(s, name, password):
            return RedirectResponse("/login?message=wrong+name+or+password", status_code=303)
        request.session.clear()
        request.session.update(user=name, csrf=secrets.token_urlsafe(24))
        return RedirectResponse("/", status_code=303)

    @app.post("/logout", include_in_schema=False)
    def logout(request: Request, csrf: str = Form("")) -> RedirectResponse:
        if secrets.compare_digest(csrf, request.session.get("csrf", "")):
            request.session.clear()
        return RedirectResponse("/", status_code=303)

    # --- JSON API ---------------------------------------------------------------------------

    @app.get("/api/incidents", tags=["read"])
    def api_incidents(
        s: StoreDep,
        q: str | None = None,
        country: str | None = None,
        outcome: str | None = None,
        grade: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        offset: int = 0,
    ) -> dict[str, Any]:
        """Incidents (the contract of DESIGN.md), largest toll first, 50 a page."""
        rows = incidents_query(s, q, country, outcome, grade, date_from, date_to, offset)
        return {
            "incidents": rows[:PAGE],
            "more": len(rows) > PAGE,
            "best_rule": BEST_RULES[DEFAULT_RULE],
        }

    @app.get("/api/incidents/{incident_id}", tags=["read"])
    def api_incident(s: StoreDep, incident_id: str) -> dict[str, Any]:
        return incident_by_id(s, incident_id)

    @app.get("/api/claims", tags=["read"])
    def api_claims(
        s: StoreDep,
        q: str | None = None,
        outcome: str | None = None,
        victims: str | None = None,
        place: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        status: str | None = None,
        offset: int = 0,
    ) -> dict[str, Any]:
        rows = claims_query(s, q, outcome, victims, place, date_from, date_to, status, offset)
        return {"claims": rows[:PAGE], "more": len(rows) > PAGE}

    @app.get("/api/claims/{claim_id}", tags=["read"])
    def api_claim(s: StoreDep, claim_id: str) -> dict[str, Any]:
        """A claim with its review version, status and audit history."""
        return claim_by_id(s, claim_id)

    def _api_write(request: Request, s: Store, claim_id: str, fn: Any) -> dict[str, Any]:
        user = require_writer(request, request.headers.get("x-csrf-token"))
        try:
            entry = fn(user)
        except Conflict as e:
            raise HTTPException(409, str(e)) from e
        except ReviewError as e:
            raise HTTPException(422, str(e)) from e
        refresh_incidents(s)
        return {"audit": entry.__dict__, "claim": claim_by_id(s, claim_id)}

    @app.patch("/api/claims/{claim_id}", tags=["review"])
    def api_correct(
        s: StoreDep, request: Request, claim_id: str, body: Correction
    ) -> dict[str, Any]:
        """Correct a claim. Send the `version` you read; 409 if it changed since."""
        return _api_write(
            request, s, claim_id, lambda u: correct(s, claim_id, body.version, u, body.changes)
        )

    @app.post("/api/claims/{claim_id}/reject", tags=["review"])
    def api_reject(s: StoreDep, request: Request, claim_id: str, body: Versioned) -> dict[str, Any]:
        return _api_write(request, s, claim_id, lambda u: reject(s, claim_id, body.version, u))

    @app.post("/api/claims/{claim_id}/move", tags=["review"])
    def api_move(s: StoreDep, request: Request, claim_id: str, body: MoveTo) -> dict[str, Any]:
        target = incident_by_id(s, body.incident)
        return _api_write(
            request, s, claim_id, lambda u: move(s, claim_id, body.version, u, target)
        )

    @app.get("/api/reports", tags=["read"])
    def api_reports(s: StoreDep, q: str | None = None, offset: int = 0) -> dict[str, Any]:
        rows = reports_query(s, q, offset)
        return {"reports": rows[:PAGE], "more": len(rows) > PAGE}

    @app.get("/api/reports/{doc_id}", tags=["read"])
    def api_report(s: StoreDep, doc_id: str) -> dict[str, Any]:
        return report_by_id(s, doc_id)

    @app.get("/api/sources", tags=["read"])
    def api_sources(s: StoreDep) -> list[dict[str, Any]]:
        return sources_query(s)

    @app.get("/api/audit", tags=["read"])
    def api_audit(s: StoreDep, offset: int = 0) -> list[dict[str, Any]]:
        return [e.__dict__ for e in audit_log(s, None, PAGE, offset)]

    @app.post("/api/session", tags=["review"])
    def api_login(s: StoreDep, request: Request, body: Login) -> dict[str, str]:
        """Sign in; returns the CSRF token to send as `X-CSRF-Token` with writes."""
        if not check_login(s, body.name, body.password):
            raise HTTPException(401, "wrong name or password")
        request.session.clear()
        token = secrets.token_urlsafe(24)
        request.session.update(user=body.name, csrf=token)
        return {"user": body.name, "csrf": token}

    return app


def app_from_env() -> FastAPI:
    """The app for the database named by TOLLWATCH_DB (for server workers)."""
    import os

    return create_app(Path(os.environ["TOLLWATCH_DB"]))


def _text(value: Any) -> str:
    return "" if value is None else str(value)
