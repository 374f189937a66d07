"""The review web app: FastAPI over the same database, pages here and the JSON API in `api`.

Everything is readable without an account; writing needs a reviewer signed in (accounts
from `tollwatch user add`), a session cookie (signed, SameSite=Strict) and a CSRF token:
a hidden form field on pages, the `X-CSRF-Token` header in the API. Article text, titles
and URLs are only ever rendered through Jinja2 with autoescaping, and pages carry a
Content-Security-Policy without `script-src`.
"""

import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, FastAPI, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.middleware.sessions import SessionMiddleware

from tollwatch import api, browse
from tollwatch.browse import ClaimFilter, IncidentFilter
from tollwatch.export import figure_text
from tollwatch.pipeline import refresh_incidents
from tollwatch.reconcile import BEST_RULES, DEFAULT_RULE
from tollwatch.records import OUTCOMES, VICTIM_GROUPS
from tollwatch.review import (
    EDITABLE,
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
from tollwatch.store import Store

GRADES = ("corroborated", "single_source", "contested", "unverified")
CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'"


def _fig(f: Any) -> str:
    if isinstance(f, dict):
        return figure_text(f["low"], f["high"])
    if isinstance(f, list | tuple):
        return figure_text(f[0], f[1])
    return figure_text(f.low, f.high)


def create_app(db: Path) -> FastAPI:
    """The app for one database file."""
    import jinja2

    with Store(db) as store:
        key = secret_key(store)
    # FastAPI's interactive /docs pages load their JavaScript from a CDN: only the OpenAPI
    # document itself is served (/openapi.json)
    app = FastAPI(title="tollwatch", version="1", docs_url=None, redoc_url=None,
                  description="Casualty claims, incidents and reconciled tolls; review API.")
    app.add_middleware(SessionMiddleware, secret_key=key, same_site="strict",
                       session_cookie="tollwatch_session", max_age=12 * 3600)
    env = jinja2.Environment(loader=jinja2.PackageLoader("tollwatch", "templates"),
                             autoescape=True)
    env.filters["fig"] = _fig
    env.filters["fig_claim"] = lambda c: figure_text(c["count_low"], c["count_high"])

    def get_store() -> Iterator[Store]:
        s = Store(db)
        try:
            yield s
        finally:
            s.close()

    store_dep = Depends(get_store)
    StoreDep = Annotated[Store, store_dep]  # noqa: N806 (a type alias, read by FastAPI)

    def csrf_of(request: Request) -> str:
        token = request.session.get("csrf")
        if not token:
            token = secrets.token_urlsafe(24)
            request.session["csrf"] = token
        return str(token)

    def require_writer(request: Request, token: str | None) -> str:
        user = request.session.get("user")
        if not user:
            raise HTTPException(401, "sign in to change anything")
        if not token or not secrets.compare_digest(token, request.session.get("csrf", "")):
            raise HTTPException(403, "missing or wrong CSRF token; reload the page")
        return str(user)

    def page(request: Request, name: str, **context: Any) -> HTMLResponse:
        html = env.get_template(name).render(
            user=request.session.get("user"), csrf=csrf_of(request), outcomes=OUTCOMES,
            groups=VICTIM_GROUPS, grades=GRADES, rule=BEST_RULES[DEFAULT_RULE], **context)
        return HTMLResponse(html, headers={"Content-Security-Policy": CSP})

    def found(fn: Any) -> Any:
        try:
            return fn()
        except browse.NotFound as e:
            raise HTTPException(404, str(e)) from e

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(s: StoreDep, request: Request,
             f: Annotated[IncidentFilter, Depends()]) -> HTMLResponse:
        rows, more = browse.incidents(s, f)
        return page(request, "web_incidents.html", incidents=rows, more=more, flt=f)

    @app.get("/incidents/{incident_id}", response_class=HTMLResponse, include_in_schema=False)
    def incident_page(s: StoreDep, request: Request, incident_id: str) -> HTMLResponse:
        inc = found(lambda: browse.incident(s, incident_id))
        claims = [browse.claim(s, cid) for cid in inc["claims"]]
        return page(request, "web_incident.html", inc=inc, claims=claims,
                    children=browse.children(s, incident_id))

    @app.get("/claims", response_class=HTMLResponse, include_in_schema=False)
    def claims_page(s: StoreDep, request: Request,
                    f: Annotated[ClaimFilter, Depends()]) -> HTMLResponse:
        rows, more = browse.claims(s, f)
        return page(request, "web_claims.html", claims=rows, more=more, flt=f)

    @app.get("/claims/{claim_id}", response_class=HTMLResponse, include_in_schema=False)
    def claim_page(s: StoreDep, request: Request, claim_id: str,
                   message: str | None = None) -> HTMLResponse:
        c = found(lambda: browse.claim(s, claim_id))
        doc = s.conn.execute("SELECT text FROM documents WHERE id = ?",
                             (c["document_id"],)).fetchone()
        context = doc["text"][max(0, c["start"] - 300):c["end"] + 300] if doc else ""
        return page(request, "web_claim.html", c=c, editable=EDITABLE, message=message,
                    context=context)

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
                target = browse.incident(s, str(form.get("incident", "")).strip())
                move(s, claim_id, version, user, target)
            else:
                current = load_claim(s, claim_id)[0].to_dict()
                changes = {k: str(form[k]) for k in EDITABLE
                           if k in form and str(form[k]) != _text(current[k])}
                correct(s, claim_id, version, user, changes)
            refresh_incidents(s)
            message = "saved; figures recomputed"
        except (ReviewError, browse.NotFound, ValueError) as e:
            message = f"not saved: {e}"
        return RedirectResponse(f"/claims/{quote(claim_id)}?message={quote(message)}",
                                status_code=303)

    @app.get("/reports", response_class=HTMLResponse, include_in_schema=False)
    def reports_page(s: StoreDep, request: Request, q: str | None = None,
                     offset: int = 0) -> HTMLResponse:
        rows, more = browse.reports(s, q, offset)
        return page(request, "web_reports.html", reports=rows, more=more, offset=offset,
                    q=q or "")

    @app.get("/reports/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
    def report_page(s: StoreDep, request: Request, doc_id: str) -> HTMLResponse:
        d = found(lambda: browse.report(s, doc_id))
        return page(request, "web_report.html", d=d,
                    segments=browse.segments(d["text"], d["claims"]))

    @app.get("/sources", response_class=HTMLResponse, include_in_schema=False)
    def sources_page(s: StoreDep, request: Request) -> HTMLResponse:
        return page(request, "web_sources.html", sources=browse.sources(s))

    @app.get("/audit", response_class=HTMLResponse, include_in_schema=False)
    def audit_page(s: StoreDep, request: Request, offset: int = 0) -> HTMLResponse:
        return page(request, "web_audit.html", entries=audit_log(s, None, browse.PAGE, offset),
                    offset=offset)

    @app.get("/login", response_class=HTMLResponse, include_in_schema=False)
    def login_page(request: Request, message: str | None = None) -> HTMLResponse:
        return page(request, "web_login.html", message=message)

    @app.post("/login", include_in_schema=False)
    def login_form(s: StoreDep, request: Request, name: str = Form(...),
                   password: str = Form(...), csrf: str = Form("")) -> RedirectResponse:
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

    app.include_router(api.router(store_dep, require_writer))
    return app


def app_from_env() -> FastAPI:
    """The app for the database named by TOLLWATCH_DB (for server workers)."""
    return create_app(Path(os.environ["TOLLWATCH_DB"]))


def _text(value: Any) -> str:
    return "" if value is None else str(value)
