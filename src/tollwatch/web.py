"""The review web app: FastAPI over the same database, pages here and the JSON API in `api`.

Everything is readable without an account; writing needs a reviewer signed in (accounts
from `tollwatch user add`; see `webauth` for sessions and CSRF). Article text, titles and
URLs are only ever rendered through Jinja2 with autoescaping. Every response carries a
Content-Security-Policy without `script-src` and with `frame-ancestors 'none'`,
`X-Content-Type-Options: nosniff` and a `Referrer-Policy`; request bodies above
`MAX_BODY` are refused with 413 before they are read whole.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Form, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tollwatch import accounts, api, browse
from tollwatch.accounts import SESSION_SECONDS, Clock, SignInRefused, Throttled, Viewer
from tollwatch.api import GRADES, ClaimParams, IncidentParams, OffsetParam, SearchParam
from tollwatch.export import figure_text
from tollwatch.gazetteer import Gazetteer
from tollwatch.pipeline import refresh_incidents
from tollwatch.reconcile import BEST_RULES, DEFAULT_RULE
from tollwatch.records import OUTCOMES, VICTIM_GROUPS
from tollwatch.review import EDITABLE, ReviewError, audit_log, correct, load_claim, move, reject
from tollwatch.review import restore as restore_claim
from tollwatch.store import Store
from tollwatch.webauth import (
    FORM_COOKIE,
    READ_ONLY,
    SESSION_COOKIE,
    Settings,
    StoreDep,
    ViewerDep,
    address,
    check_writer,
    form_token,
    form_token_ok,
    set_cookie,
    settings,
)

MAX_BODY = 1024 * 1024
CSP = ("default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")
HEADERS = {"content-security-policy": CSP, "x-content-type-options": "nosniff",
           "referrer-policy": "same-origin", "x-frame-options": "DENY"}
HSTS = "max-age=31536000"
pages = APIRouter(include_in_schema=False)


def _fig(f: Any) -> str:
    if isinstance(f, dict):
        return figure_text(f["low"], f["high"])
    if isinstance(f, list | tuple):
        return figure_text(f[0], f[1])
    return figure_text(f.low, f.high)


def _speaker(d: Mapping[str, Any]) -> str:
    """Who gave a figure or a claim (a dict of the JSON contract): its source, else the
    outlet speaking for itself, by name (as `export.source_name` does for records)."""
    return str(d.get("source") or d.get("outlet") or
               str(d.get("claim") or d.get("id") or "").rsplit("-", 1)[0])


@cache
def _templates() -> Any:
    import jinja2

    env = jinja2.Environment(loader=jinja2.PackageLoader("tollwatch", "templates"),
                             autoescape=True)
    env.filters["fig"] = _fig
    env.filters["speaker"] = _speaker
    env.filters["fig_claim"] = lambda c: figure_text(c["count_low"], c["count_high"])
    return env


def render(request: Request, viewer: Viewer | None, name: str, status: int = 200,
           **context: Any) -> HTMLResponse:
    readonly = settings(request).readonly
    csrf, nonce = "", None
    if viewer is not None:
        csrf = viewer.csrf
    elif not readonly:
        csrf, nonce = form_token(request)
    html = _templates().get_template(name).render(
        user=viewer and viewer.user, role=viewer and viewer.role, csrf=csrf, readonly=readonly,
        outcomes=OUTCOMES, groups=VICTIM_GROUPS, grades=GRADES, rule=BEST_RULES[DEFAULT_RULE],
        **context)
    response = HTMLResponse(html, status_code=status)
    if nonce:
        set_cookie(request, response, FORM_COOKIE, nonce, None)
    return response


def found(fn: Any) -> Any:
    try:
        return fn()
    except browse.NotFound as e:
        raise HTTPException(404, str(e)) from e


@pages.get("/", response_class=HTMLResponse)
def home(s: StoreDep, request: Request, viewer: ViewerDep, f: IncidentParams) -> HTMLResponse:
    flt = f.filter()
    rows, more = browse.incidents(s, flt)
    return render(request, viewer, "web_incidents.html", incidents=rows, more=more, flt=flt)


@pages.get("/incidents/{incident_id}", response_class=HTMLResponse)
def incident_page(s: StoreDep, request: Request, viewer: ViewerDep,
                  incident_id: str) -> HTMLResponse:
    inc = found(lambda: browse.incident(s, incident_id))
    claims = [browse.claim(s, cid) for cid in inc["claims"]]
    return render(request, viewer, "web_incident.html", inc=inc, claims=claims,
                  children=browse.children(s, incident_id))


@pages.get("/claims", response_class=HTMLResponse)
def claims_page(s: StoreDep, request: Request, viewer: ViewerDep,
                f: ClaimParams) -> HTMLResponse:
    flt = f.filter()
    rows, more = browse.claims(s, flt)
    return render(request, viewer, "web_claims.html", claims=rows, more=more, flt=flt)


@pages.get("/claims/{claim_id}", response_class=HTMLResponse)
def claim_page(s: StoreDep, request: Request, viewer: ViewerDep, claim_id: str,
               message: Annotated[str | None, Query(max_length=300)] = None
               ) -> HTMLResponse:
    c = found(lambda: browse.claim(s, claim_id))
    return render(request, viewer, "web_claim.html", c=c, editable=EDITABLE, message=message,
                  context=browse.context(s, c))


@pages.post("/claims/{claim_id}")
async def claim_form(s: StoreDep, request: Request, viewer: ViewerDep,
                     claim_id: str) -> RedirectResponse:
    form = await request.form()
    who = check_writer(request, viewer, str(form.get("csrf", "")))
    action = str(form.get("action", "correct"))
    gazetteer = settings(request).gazetteer
    try:
        version = int(str(form.get("version", "-1"))[:20])
        if action == "reject":
            reject(s, claim_id, version, who.user)
        elif action == "restore":
            restore_claim(s, claim_id, version, who.user)
        elif action == "move":
            target = browse.incident(s, str(form.get("incident", "")).strip()[:64])
            move(s, claim_id, version, who.user, target)
        else:
            current = load_claim(s, claim_id)[0].to_dict()
            changes = {k: str(form[k]) for k in EDITABLE
                       if k in form and str(form[k]) != _text(current[k])}
            correct(s, claim_id, version, who.user, changes, gazetteer)
        refresh_incidents(s, gazetteer)
        message = "saved; figures recomputed"
    except (ReviewError, browse.NotFound, ValueError) as e:
        message = f"not saved: {e}"[:300]
    return RedirectResponse(f"/claims/{quote(claim_id)}?message={quote(message)}",
                            status_code=303)


@pages.get("/reports", response_class=HTMLResponse)
def reports_page(s: StoreDep, request: Request, viewer: ViewerDep, q: SearchParam = None,
                 offset: OffsetParam = 0) -> HTMLResponse:
    rows, more = browse.reports(s, q, offset)
    return render(request, viewer, "web_reports.html", reports=rows, more=more, offset=offset,
                  q=q or "")


@pages.get("/reports/{doc_id}", response_class=HTMLResponse)
def report_page(s: StoreDep, request: Request, viewer: ViewerDep, doc_id: str) -> HTMLResponse:
    d = found(lambda: browse.report(s, doc_id))
    return render(request, viewer, "web_report.html", d=d,
                  segments=browse.segments(d["text"], d["claims"]))


@pages.get("/sources", response_class=HTMLResponse)
def sources_page(s: StoreDep, request: Request, viewer: ViewerDep) -> HTMLResponse:
    return render(request, viewer, "web_sources.html", sources=browse.sources(s))


@pages.get("/audit", response_class=HTMLResponse)
def audit_page(s: StoreDep, request: Request, viewer: ViewerDep,
               offset: OffsetParam = 0) -> HTMLResponse:
    admin = viewer is not None and viewer.role == "admin"
    return render(request, viewer, "web_audit.html", offset=offset,
                  entries=audit_log(s, None, browse.PAGE, offset, sign_ins=admin))


@pages.get("/login", response_class=HTMLResponse)
def login_page(request: Request, viewer: ViewerDep,
               message: Annotated[str | None, Query(max_length=300)] = None
               ) -> HTMLResponse:
    return render(request, viewer, "web_login.html", message=message)


Field64 = Annotated[str, Form(max_length=64)]
Field256 = Annotated[str, Form(max_length=256)]


@pages.post("/login")
def login_form(s: StoreDep, request: Request, name: Field64 = "", password: Field256 = "",
               csrf: Field256 = "") -> Response:
    cfg = settings(request)
    if cfg.readonly:
        raise HTTPException(403, READ_ONLY)
    if not form_token_ok(request, csrf):
        return _to_login("the form had expired or came from elsewhere; sign in again")
    try:
        new = accounts.sign_in(s, name, password, address(request), cfg.clock())
    except Throttled as e:
        return _to_login(str(e))
    except SignInRefused:
        return _to_login("wrong name or password")
    response = RedirectResponse("/", status_code=303)
    set_cookie(request, response, SESSION_COOKIE, new.token, SESSION_SECONDS)
    response.delete_cookie(FORM_COOKIE, path="/")
    return response


def _to_login(message: str) -> RedirectResponse:
    return RedirectResponse(f"/login?message={quote(message)}", status_code=303)


@pages.post("/logout")
def logout(s: StoreDep, request: Request, viewer: ViewerDep,
           csrf: Field256 = "") -> RedirectResponse:
    who = check_writer(request, viewer, csrf)
    accounts.sign_out(s, who)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


class Guard:
    """Refuses bodies above `MAX_BODY` (by Content-Length, and while reading one sent in
    chunks) and adds the security headers to every response."""

    def __init__(self, app: ASGIApp, https: bool = False) -> None:
        self.app = app
        self.headers = [(k.encode(), v.encode()) for k, v in HEADERS.items()]
        if https:
            self.headers.append((b"strict-transport-security", HSTS.encode()))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length", b"0")
        if not length.isdigit() or int(length) > MAX_BODY:
            await JSONResponse(_too_large(), 413, headers=HEADERS)(scope, receive, send)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > MAX_BODY:
                raise HTTPException(413, _too_large()["detail"])
            return message

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [h for h in message.get("headers", [])
                                      if h[0].lower() not in dict(self.headers)] + self.headers
            await send(message)

        await self.app(scope, limited, with_headers)


def _too_large() -> dict[str, str]:
    return {"detail": f"request body larger than {MAX_BODY // 1024} KB"}


def _wants_html(request: Request) -> bool:
    return not (request.url.path.startswith("/api/") or request.url.path == "/openapi.json")


def _error_page(request: Request, status: int, message: str,
                headers: Mapping[str, str] | None = None) -> Response:
    if not _wants_html(request):
        return JSONResponse({"detail": message}, status, headers=headers)
    html = _templates().get_template("web_error.html").render(
        status=status, message=message, user=None, csrf="", readonly=False)
    return HTMLResponse(html, status, headers=headers)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"{request.url.path}: no such page"
    return _error_page(request, exc.status_code, detail, exc.headers)


async def invalid(request: Request, exc: Exception) -> Response:
    """422 naming each bad field and why, never echoing what was sent (it may be a
    password, or 50 MB)."""
    assert isinstance(exc, RequestValidationError)
    errors = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]}
              for e in exc.errors()]
    if not _wants_html(request):
        return JSONResponse({"detail": errors}, 422)
    return _error_page(request, 422, "; ".join(
        f"{'.'.join(str(x) for x in e['loc'][1:]) or 'request'}: {e['msg']}" for e in errors))


async def server_error(request: Request, exc: Exception) -> Response:
    # this answer leaves through Starlette's outermost middleware, past `Guard`: it carries
    # its own security headers (the server logs the exception)
    return _error_page(request, 500, "something went wrong on the server; it is logged",
                       headers=HEADERS)


def create_app(db: Path, readonly: bool = False, https: bool = False,
               clock: Clock = time.time, gazetteer: Gazetteer | None = None) -> FastAPI:
    """The app for one database file. `readonly` serves it without ever writing (no
    sign-in); `https` marks cookies Secure and sends HSTS (cookies are Secure anyway when a
    request arrives over HTTPS, directly or as X-Forwarded-Proto from a trusted proxy)."""
    with Store(db, readonly=readonly) as store:
        key = accounts.secret_key(store)
    # FastAPI's interactive /docs pages load their JavaScript from a CDN: only the OpenAPI
    # document itself is served (/openapi.json)
    app = FastAPI(title="tollwatch", version="1", docs_url=None, redoc_url=None,
                  description="Casualty claims, incidents and reconciled tolls; review API.")
    app.state.settings = Settings(Path(db), readonly, https, key.encode(), clock,
                                  gazetteer or Gazetteer.open())
    app.add_middleware(Guard, https=https)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(Exception, server_error)
    app.include_router(pages)
    app.include_router(api.router)
    return app


def app_from_env() -> FastAPI:
    """The app for the database named by TOLLWATCH_DB (for server workers); TOLLWATCH_READONLY
    and TOLLWATCH_HTTPS set to 1 switch those on."""
    return create_app(Path(os.environ["TOLLWATCH_DB"]),
                      readonly=os.environ.get("TOLLWATCH_READONLY") == "1",
                      https=os.environ.get("TOLLWATCH_HTTPS") == "1")


def _text(value: Any) -> str:
    return "" if value is None else str(value)
