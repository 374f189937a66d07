"""Who may do what in the web app: its settings, the store and viewer dependencies,
cookies and CSRF tokens. The rules of accounts and sessions are in `accounts`.

Signed in, a reviewer holds a session cookie (a random token; HttpOnly, SameSite=Strict,
Secure over HTTPS) and every write carries the session's CSRF token: a hidden form field on
pages, the `X-CSRF-Token` header in the API. Before signing in, the sign-in form carries a
token bound to a random cookie by an HMAC under the database's secret key; a form with no
cookie, no token, or a token of another cookie is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from fastapi import Depends, HTTPException, Request, Response

from tollwatch import accounts
from tollwatch.accounts import Clock, Viewer
from tollwatch.gazetteer import Gazetteer
from tollwatch.store import Store

SESSION_COOKIE = "tollwatch_session"
FORM_COOKIE = "tollwatch_form"
READ_ONLY = "this database is served read-only; nothing can be changed here"


@dataclass(frozen=True)
class Settings:
    db: Path
    readonly: bool
    https: bool  # served to browsers over HTTPS (directly or behind a proxy)
    key: bytes
    clock: Clock
    gazetteer: Gazetteer


def settings(request: Request) -> Settings:
    s: Settings = request.app.state.settings
    return s


def get_store(request: Request) -> Iterator[Store]:
    cfg = settings(request)
    store = Store(cfg.db, readonly=cfg.readonly)
    try:
        yield store
    finally:
        store.close()


StoreDep = Annotated[Store, Depends(get_store)]


def get_viewer(request: Request, store: StoreDep) -> Viewer | None:
    cfg = settings(request)
    if cfg.readonly:
        return None
    return accounts.viewer(store, request.cookies.get(SESSION_COOKIE, ""), cfg.clock())


ViewerDep = Annotated[Viewer | None, Depends(get_viewer)]


def check_writer(request: Request, viewer: Viewer | None, token: str | None) -> Viewer:
    """The signed-in viewer, if this request may write with CSRF token `token`."""
    if settings(request).readonly:
        raise HTTPException(403, READ_ONLY)
    if viewer is None:
        raise HTTPException(401, "sign in to change anything")
    if not token or not secrets.compare_digest(token, viewer.csrf):
        raise HTTPException(403, "missing or wrong CSRF token; reload the page")
    return viewer


def api_writer(request: Request, viewer: ViewerDep) -> Viewer:
    return check_writer(request, viewer, request.headers.get("x-csrf-token"))


WriterDep = Annotated[Viewer, Depends(api_writer)]


def address(request: Request) -> str:
    """The client's address (uvicorn takes it from X-Forwarded-For only from trusted
    proxies)."""
    return request.client.host if request.client else "unknown"


def set_cookie(request: Request, response: Response, name: str, value: str,
               max_age: int | None) -> None:
    secure = settings(request).https or request.url.scheme == "https"
    response.set_cookie(name, value, max_age=max_age, path="/", secure=secure, httponly=True,
                        samesite="strict")


def form_token(request: Request) -> tuple[str, str | None]:
    """The sign-in form's CSRF token, and the new cookie value to bind it to if the request
    had none."""
    nonce = request.cookies.get(FORM_COOKIE, "")
    if re.fullmatch(r"[\w-]{22,64}", nonce):
        return _mac(settings(request).key, nonce), None
    nonce = secrets.token_urlsafe(24)
    return _mac(settings(request).key, nonce), nonce


def form_token_ok(request: Request, token: str) -> bool:
    nonce = request.cookies.get(FORM_COOKIE, "")
    if not nonce or not token:
        return False
    return secrets.compare_digest(token, _mac(settings(request).key, nonce))


def _mac(key: bytes, nonce: str) -> str:
    return hmac.new(key, b"sign-in form " + nonce.encode(), hashlib.sha256).hexdigest()
