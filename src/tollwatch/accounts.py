"""Accounts: reviewers and admins, their passwords, sessions and the throttle on guessing.

Passwords are stored as scrypt hashes (standard library) with a random salt. A session is
a random token held in a cookie; the database keeps only its SHA-256, so a copy of the
database signs nobody in. Sessions end on sign-out, after `SESSION_SECONDS`, and when the
account's password changes or the account is disabled.

Every sign-in attempt is counted against the account name and the address it comes from
before the password is checked; after `FREE_FAILURES` failures each further attempt must
wait twice as long as the last (1 s, 2 s, 4 s ... up to `MAX_WAIT`), and an attempt that
comes too early is refused without looking at the password. A success forgets the
account's failures. Failed sign-ins go to the audit log. An unknown name costs the same
single scrypt as a known one, so timing does not tell which names exist.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import secrets
from base64 import b64decode, b64encode
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Literal, cast

from tollwatch.errors import TollwatchError
from tollwatch.store import Store

Role = Literal["reviewer", "admin"]
ROLES: tuple[Role, ...] = ("reviewer", "admin")
N, R, P = 2**14, 8, 1
SESSION_SECONDS = 12 * 3600
FREE_FAILURES = 5
MAX_WAIT = 15 * 60
FAILURE_WINDOW = 24 * 3600  # failures older than this are forgotten
Clock = Callable[[], float]


class AccountError(TollwatchError):
    """An account cannot be made or changed as asked, or a sign-in is refused."""


class SignInRefused(AccountError):
    """Wrong name or password (the message never says which)."""


class Throttled(AccountError):
    """Too many failed sign-ins: `wait` seconds must pass before the next attempt."""

    def __init__(self, wait: float) -> None:
        self.wait = wait
        super().__init__(f"too many failed sign-ins; try again in {math.ceil(wait)} s")


@dataclass(frozen=True)
class Session:
    token: str  # goes in the cookie; only its hash is stored
    user: str
    role: Role
    csrf: str
    expires: float


@dataclass(frozen=True)
class Viewer:
    """Who is signed in, as a request sees it."""

    user: str
    role: Role
    csrf: str
    session_id: str


@dataclass(frozen=True)
class Account:
    name: str
    role: Role
    disabled: bool
    created: str
    sessions: int
    failures: int


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=N, r=R, p=P)
    return f"scrypt${b64encode(salt).decode()}${b64encode(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        _, salt, digest = stored.split("$")
        want = b64decode(digest)
        got = hashlib.scrypt(password.encode(), salt=b64decode(salt), n=N, r=R, p=P)
    except ValueError:
        return False
    return hmac.compare_digest(want, got)


@cache
def _decoy_hash() -> str:
    """A hash to check unknown names against, made once: one scrypt per attempt, as for a
    known name."""
    return hash_password(secrets.token_urlsafe(16))


def _check_password(password: str) -> None:
    if len(password) < 8:
        raise AccountError("a password needs at least 8 characters")
    if len(password) > 256:
        raise AccountError("a password has at most 256 characters")


def add_user(store: Store, name: str, password: str, role: Role = "reviewer") -> None:
    if not re.fullmatch(r"[\w.@-]{2,64}", name):
        raise AccountError(f"{name!r}: a user name is 2-64 letters, digits, . @ - or _")
    if role not in ROLES:
        raise AccountError(f"{role!r}: a role is one of {', '.join(ROLES)}")
    _check_password(password)
    if not store.add_user(name, hash_password(password), role, _iso(datetime.now(UTC))):
        raise AccountError(f"{name}: this user exists already")


def set_password(store: Store, name: str, password: str) -> None:
    """A new password; every session of the account ends."""
    _check_password(password)
    if not store.update_user(name, password=hash_password(password)):
        raise AccountError(f"{name}: no such user; see `tollwatch user list`")


def set_disabled(store: Store, name: str, disabled: bool = True) -> None:
    """Disable (or enable) an account; a disabled account's sessions end and it cannot sign
    in."""
    if not store.update_user(name, disabled=int(disabled)):
        raise AccountError(f"{name}: no such user; see `tollwatch user list`")


def accounts(store: Store, now: float) -> list[Account]:
    """Every account, with its live sessions and failed sign-ins since its last success."""
    return [Account(r["name"], cast(Role, r["role"]), bool(r["disabled"]), r["created"],
                    r["sessions"], r["failures"]) for r in store.users(now)]


def wait_after(failures: int) -> float:
    """Seconds an attempt must wait after `failures` failed ones in a row."""
    if failures < FREE_FAILURES:
        return 0.0
    return float(min(2 ** (failures - FREE_FAILURES), MAX_WAIT))


def sign_in(store: Store, name: str, password: str, address: str, now: float) -> Session:
    """A new session for `name`, or `Throttled` / `SignInRefused`."""
    account_key, address_key = f"user:{name}", f"address:{address}"
    wait = store.begin_login([account_key, address_key], now, FAILURE_WINDOW, wait_after)
    if wait > 0:
        raise Throttled(wait)
    row = store.user(name)
    ok = verify_password(password, row["password"] if row else _decoy_hash())
    if not ok or row is None or row["disabled"]:
        store.add_audit(_iso(datetime.fromtimestamp(now, UTC)), name[:64], "", "sign-in failed",
                        {}, {"address": address})
        raise SignInRefused("wrong name or password")
    store.login_succeeded(account_key, address_key)
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    store.add_session(_digest(token), name, csrf, now, now + SESSION_SECONDS)
    return Session(token, name, cast(Role, row["role"]), csrf, now + SESSION_SECONDS)


def viewer(store: Store, token: str, now: float) -> Viewer | None:
    """Who holds the session `token`, if it is live and the account enabled."""
    if not token:
        return None
    session_id = _digest(token)
    row = store.session(session_id, now)
    if row is None:
        return None
    return Viewer(row["user"], cast(Role, row["role"]), row["csrf"], session_id)


def sign_out(store: Store, v: Viewer) -> None:
    store.end_session(v.session_id)


def secret_key(store: Store) -> str:
    """The key that signs the anonymous CSRF cookie, made once per database (for a read-only
    database one per process, so sign-in forms are not offered there)."""
    key = store.setting("secret")
    if key:
        return key
    if store.readonly:
        return secrets.token_urlsafe(32)
    return store.setting_default("secret", secrets.token_urlsafe(32))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _iso(t: datetime) -> str:
    return t.isoformat(timespec="seconds")
