"""Issue 10, "nothing lets the wrong person in": one test per point, with the exact input."""

import hashlib
import json

import pytest
from fastapi.testclient import TestClient

from test_web import db, khan, login  # noqa: F401 (db is a fixture)
from tollwatch import accounts
from tollwatch.accounts import add_user, set_disabled, set_password
from tollwatch.store import Store
from tollwatch.web import create_app
from tollwatch.webauth import FORM_COOKIE, SESSION_COOKIE


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture()
def clock():
    return Clock()


def first_claim(client):
    _, f = khan(client)
    return client.get(f"/api/claims/{f['claims'][0]}").json()


def patch(client, claim, headers, **changes):
    return client.patch(f"/api/claims/{claim['id']}", headers=headers,
                        json={"version": claim["version"], "changes": changes})


# 8: sessions end on sign-out, expiry, password change and disabling

def test_a_signed_out_cookie_no_longer_signs_in(db):  # noqa: F811
    app = create_app(db)
    client = TestClient(app)
    headers = login(client, "alice", "correct horse")
    old_cookie = client.cookies[SESSION_COOKIE]
    claim = first_claim(client)
    assert client.delete("/api/session", headers=headers).json() == {"signed_out": "alice"}
    replay = TestClient(app, cookies={SESSION_COOKIE: old_cookie})
    r = patch(replay, claim, headers, count_low=1)
    assert (r.status_code, r.json()["detail"]) == (401, "sign in to change anything")
    assert replay.get(f"/api/claims/{claim['id']}").json()["version"] == 0


def test_the_sign_out_form_ends_the_session_on_the_server(db):  # noqa: F811
    app = create_app(db)
    client = TestClient(app)
    headers = login(client, "alice", "correct horse")
    old_cookie = client.cookies[SESSION_COOKIE]
    r = client.post("/logout", data={"csrf": headers["X-CSRF-Token"]}, follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, "/")
    replay = TestClient(app, cookies={SESSION_COOKIE: old_cookie})
    assert patch(replay, first_claim(replay), headers, count_low=1).status_code == 401
    assert "Sign in to review" in replay.get("/").text


def test_a_session_expires_after_12_hours(db, clock):  # noqa: F811
    client = TestClient(create_app(db, clock=clock))
    headers = login(client, "alice", "correct horse")
    claim = first_claim(client)
    clock.now += 12 * 3600 - 1
    assert "signed in as <b>alice</b>" in client.get("/").text
    clock.now += 1
    assert patch(client, claim, headers, count_low=13, count_high=13).status_code == 401


def test_a_password_change_or_disabling_ends_every_session(db):  # noqa: F811
    app = create_app(db)
    alice, bob = TestClient(app), TestClient(app)
    ha, hb = login(alice, "alice", "correct horse"), login(bob, "bob", "battery staple")
    with Store(db) as store:
        set_password(store, "alice", "a new horse")
        set_disabled(store, "bob")
    claim = first_claim(alice)
    assert patch(alice, claim, ha, count_low=13, count_high=13).status_code == 401
    assert patch(bob, claim, hb, count_low=13, count_high=13).status_code == 401
    assert alice.post("/api/session", json={"name": "alice", "password": "correct horse"}
                      ).status_code == 401
    assert bob.post("/api/session", json={"name": "bob", "password": "battery staple"}
                    ).status_code == 401
    login(alice, "alice", "a new horse")


def test_only_a_hash_of_the_session_token_is_stored(db):  # noqa: F811
    client = TestClient(create_app(db))
    login(client, "alice", "correct horse")
    token = client.cookies[SESSION_COOKIE]
    with Store(db) as store:
        (row,) = store.conn.execute("SELECT id, user FROM sessions").fetchall()
    assert tuple(row) == (hashlib.sha256(token.encode()).hexdigest(), "alice")


# 9: throttling, audit of failures, equal cost for unknown names

def test_failed_sign_ins_wait_longer_and_longer(db, clock):  # noqa: F811
    client = TestClient(create_app(db, clock=clock))
    wrong = {"name": "alice", "password": "wrong password"}
    assert [client.post("/api/session", json=wrong).status_code for _ in range(5)] == [401] * 5
    waits = []
    for _ in range(4):
        r = client.post("/api/session", json=wrong)
        assert r.status_code == 429
        waits.append(int(r.headers["retry-after"]))
        # even the right password is not looked at while the account must wait
        assert client.post("/api/session", json={"name": "alice", "password": "correct horse"}
                           ).status_code == 429
        clock.now += waits[-1]
        assert client.post("/api/session", json=wrong).status_code == 401
    assert waits == [1, 2, 4, 8]
    assert accounts.wait_after(14) == 512 and accounts.wait_after(15) == 900 == \
        accounts.wait_after(400)
    clock.now += 16
    login(client, "alice", "correct horse")  # a success forgets the account's failures
    with Store(db) as store:
        (alice,) = [a for a in accounts.accounts(store, clock.now) if a.name == "alice"]
    assert (alice.failures, alice.sessions) == (0, 1)


def test_one_address_guessing_many_names_is_throttled(db, clock):  # noqa: F811
    client = TestClient(create_app(db, clock=clock))
    for n in range(5):
        assert client.post("/api/session", json={"name": f"nobody{n}", "password": "guess1234"}
                           ).status_code == 401
    r = client.post("/api/session", json={"name": "bob", "password": "battery staple"})
    assert (r.status_code, r.headers["retry-after"]) == (429, "1")
    r = client.post("/login", data={"name": "bob", "password": "battery staple",
                                    "csrf": "x"}, follow_redirects=False)
    assert r.status_code == 303


def test_failed_sign_ins_are_in_the_audit_log_for_admins_only(db):  # noqa: F811
    with Store(db) as store:
        add_user(store, "root", "admin password", "admin")
    client = TestClient(create_app(db))
    assert client.post("/api/session", json={"name": "alice", "password": "nope nope"}
                       ).status_code == 401
    assert client.post("/api/session", json={"name": "mallory", "password": "nope nope"}
                       ).status_code == 401
    assert client.get("/api/audit").json() == []
    assert "mallory" not in client.get("/audit").text
    login(client, "root", "admin password")
    entries = client.get("/api/audit").json()
    assert [(e["user"], e["action"], e["claim"], e["after"]) for e in entries] == [
        ("mallory", "sign-in failed", "", {"address": "testclient"}),
        ("alice", "sign-in failed", "", {"address": "testclient"})]
    assert "mallory" in client.get("/audit").text


def test_an_unknown_name_costs_one_scrypt_like_a_known_one(db, monkeypatch):  # noqa: F811
    calls = []
    real = hashlib.scrypt

    def counted(*args, **kwargs):
        calls.append(kwargs["n"])
        return real(*args, **kwargs)

    accounts._decoy_hash()  # made once per process, before the first unknown name
    monkeypatch.setattr(accounts.hashlib, "scrypt", counted)
    with Store(db) as store:
        for name in ("alice", "nobody", "bob", "nobody-else"):
            with pytest.raises(accounts.SignInRefused):
                accounts.sign_in(store, name, "wrong password", "10.0.0.1", 1e9)
    assert calls == [2**14] * 4


# 10: the sign-in form needs its CSRF cookie and token

def test_sign_in_form_without_csrf_cookie_and_token_is_refused(db):  # noqa: F811
    client = TestClient(create_app(db))
    r = client.post("/login", data={"name": "alice", "password": "correct horse", "csrf": ""},
                    follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (
        303, "/login?message=the%20form%20had%20expired%20or%20came%20from%20elsewhere%3B"
             "%20sign%20in%20again")
    assert SESSION_COOKIE not in r.cookies
    # a token made for another browser's cookie is refused too
    other = TestClient(create_app(db))
    other.get("/login")
    token = other.get("/login").text.split('name="csrf" value="')[1].split('"')[0]
    client.cookies.set(FORM_COOKIE, "A" * 32)
    r = client.post("/login", data={"name": "alice", "password": "correct horse",
                                    "csrf": token}, follow_redirects=False)
    assert SESSION_COOKIE not in r.cookies
    r = other.post("/login", data={"name": "alice", "password": "correct horse",
                                   "csrf": token}, follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, "/")
    assert SESSION_COOKIE in r.cookies


# 11: request bodies are limited, errors never echo what was sent

def test_a_50_mb_body_is_refused_without_echo(db):  # noqa: F811
    client = TestClient(create_app(db))
    body = json.dumps({"name": "alice", "password": "x" * (50 * 1024 * 1024)})
    r = client.post("/api/session", content=body, headers={"content-type": "application/json"})
    assert (r.status_code, r.json()) == (413, {"detail": "request body larger than 1024 KB"})

    def chunks():  # no Content-Length: counted while read
        for _ in range(50):
            yield b"x" * (1024 * 1024)

    r = client.post("/api/session", content=chunks(),
                    headers={"content-type": "application/json"})
    assert (r.status_code, r.json()) == (413, {"detail": "request body larger than 1024 KB"})


def test_a_validation_error_does_not_echo_the_password(db):  # noqa: F811
    client = TestClient(create_app(db))
    r = client.post("/api/session", json={"name": "", "password": "hunter2 secret"})
    assert r.status_code == 422
    assert r.json() == {"detail": [{"loc": ["body", "name"], "type": "string_too_short",
                                    "msg": "String should have at least 1 character"}]}


# 12: corrections are validated field by field and as a whole

@pytest.mark.parametrize(("changes", "detail"), [
    ({"count_low": 20}, "count_low 20 is above count_high 12"),
    ({"date_start": "2024-05-20", "date_end": "2024-05-01"},
     "date_start 2024-05-20 is after date_end 2024-05-01"),
    ({"place": "Zzyzxqwerty"}, "place: the gazetteer knows no 'Zzyzxqwerty' in PS; check the "
                               "spelling, or add places with `tollwatch gazetteer import`"),
    ({"place": "Atlantis"}, "place: the gazetteer knows no 'Atlantis' in PS; check the "
                            "spelling, or add places with `tollwatch gazetteer import`"),
    ({"country": "XX"}, "country: XX is not a country code the gazetteer knows"),
])
def test_inconsistent_corrections_are_refused(db, changes, detail):  # noqa: F811
    client = TestClient(create_app(db))
    headers = login(client, "alice", "correct horse")
    claim = first_claim(client)
    assert (claim["count_low"], claim["count_high"], claim["country"]) == (12, 12, "PS")
    r = patch(client, claim, headers, **changes)
    assert (r.status_code, r.json()["detail"]) == (422, detail)
    after = client.get(f"/api/claims/{claim['id']}").json()
    assert (after["version"], after["audit"]) == (0, [])


@pytest.mark.parametrize(("changes", "loc", "kind"), [
    ({"count_low": 10**30}, ["body", "changes", "count_low"], "less_than_equal"),
    ({"count_low": -1}, ["body", "changes", "count_low"], "greater_than_equal"),
    ({"source": "x" * 201}, ["body", "changes", "source"], "string_too_long"),
    ({"lat": 91}, ["body", "changes", "lat"], "less_than_equal"),
    ({"date_end": "2024-02-30"}, ["body", "changes", "date_end"], "date_from_datetime_parsing"),
    ({"outcome": "annoyed"}, ["body", "changes", "outcome"], "value_error"),
    ({"status": "active"}, ["body", "changes", "status"], "extra_forbidden"),
])
def test_out_of_bounds_fields_are_422(db, changes, loc, kind):  # noqa: F811
    client = TestClient(create_app(db))
    headers = login(client, "alice", "correct horse")
    r = patch(client, first_claim(client), headers, **changes)
    assert r.status_code == 422
    assert [(e["loc"], e["type"]) for e in r.json()["detail"]] == [(loc, kind)]


def test_a_50_mb_source_is_refused(db):  # noqa: F811
    client = TestClient(create_app(db))
    headers = login(client, "alice", "correct horse")
    r = patch(client, first_claim(client), headers, source="x" * (50 * 1024 * 1024))
    assert r.status_code == 413


def test_the_correction_form_reports_a_bad_field(db):  # noqa: F811
    client = TestClient(create_app(db))
    headers = login(client, "alice", "correct horse")
    claim = first_claim(client)
    r = client.post(f"/claims/{claim['id']}", data={
        "csrf": headers["X-CSRF-Token"], "version": "0", "action": "correct",
        "count_low": "100000000000000000000000000000"}, follow_redirects=True)
    assert r.status_code == 200
    assert "not saved: count_low: Input should be less than or equal to 1000000000" in r.text
    assert client.get(f"/api/claims/{claim['id']}").json()["version"] == 0


# 13: paging parameters are bounded

@pytest.mark.parametrize("url", ["/", "/claims", "/reports", "/audit", "/api/incidents",
                                 "/api/claims", "/api/reports", "/api/audit"])
def test_a_huge_offset_is_422_not_500(db, url):  # noqa: F811
    client = TestClient(create_app(db))
    r = client.get(url, params={"offset": "99999999999999999999"})
    assert r.status_code == 422
    if url.startswith("/api/"):
        assert r.json()["detail"][0]["type"] == "less_than_equal"
    else:
        assert r.headers["content-type"] == "text/html; charset=utf-8"
        assert "offset: Input should be less than or equal to 1000000000" in r.text
    assert client.get(url, params={"offset": "1000000000"}).status_code == 200


# 14: headers, Secure cookies over HTTPS, HTML error pages

def test_every_response_carries_the_security_headers(db):  # noqa: F811
    client = TestClient(create_app(db))
    for url in ("/", "/api/incidents", "/nope", "/api/nope"):
        h = client.get(url).headers
        assert (h["x-content-type-options"], h["referrer-policy"], h["x-frame-options"]) == (
            "nosniff", "same-origin", "DENY"), url
        assert "frame-ancestors 'none'" in h["content-security-policy"]
        assert "script-src" not in h["content-security-policy"]
        assert "strict-transport-security" not in h


def test_cookies_are_secure_over_https(db):  # noqa: F811
    plain = TestClient(create_app(db))
    r = plain.post("/api/session", json={"name": "alice", "password": "correct horse"})
    assert "secure" not in r.headers["set-cookie"].lower()
    assert "httponly" in r.headers["set-cookie"].lower()
    assert "samesite=strict" in r.headers["set-cookie"].lower()
    for client in (TestClient(create_app(db, https=True)),
                   TestClient(create_app(db), base_url="https://testserver")):
        assert "; secure" in client.get("/login").headers["set-cookie"].lower()
        r = client.post("/api/session", json={"name": "alice", "password": "correct horse"})
        assert "; secure" in r.headers["set-cookie"].lower()
    assert TestClient(create_app(db, https=True)).get("/").headers[
        "strict-transport-security"] == "max-age=31536000"


def test_html_routes_answer_html_404_and_500(db):  # noqa: F811
    client = TestClient(create_app(db), raise_server_exceptions=False)
    r = client.get("/claims/no-such-claim")
    assert (r.status_code, r.headers["content-type"]) == (404, "text/html; charset=utf-8")
    assert '<p class="message" id="error">no-such-claim: no such claim</p>' in r.text
    r = client.get("/no/such/page")
    assert (r.status_code, r.headers["content-type"]) == (404, "text/html; charset=utf-8")
    assert "/no/such/page: no such page" in r.text
    r = client.get("/api/no/such")
    assert (r.status_code, r.json()) == (404, {"detail": "/api/no/such: no such page"})
    with Store(db) as store:
        store.conn.execute("DROP TABLE audit")
    r = client.get("/audit")
    assert (r.status_code, r.headers["content-type"]) == (500, "text/html; charset=utf-8")
    assert "something went wrong on the server" in r.text and "audit" not in r.text.split(
        "<h1")[1]
    assert r.headers["x-content-type-options"] == "nosniff"
    r = client.get("/api/audit")
    assert (r.status_code, r.json()) == (
        500, {"detail": "something went wrong on the server; it is logged"})
