"""Random bodies to every write route of the API and the forms: never a 500."""

import json

from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from test_web import db, khan, login  # noqa: F401 (db is a fixture)
from tollwatch.review import EDITABLE
from tollwatch.store import Store
from tollwatch.web import create_app

SCALARS = (st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40)
           | st.sampled_from(["", "2024-05-10", "2024-13-45", "killed", "PS", "Bunia", "1e309",
                              "-1", "99999999999999999999"]))
JSON = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.text(max_size=12), inner, max_size=4), max_leaves=12)
# bodies near the real shape reach the deeper checks
CHANGES = st.dictionaries(st.sampled_from(EDITABLE + ("status", "")), SCALARS, max_size=4)
BODIES = (JSON | st.fixed_dictionaries({"version": SCALARS, "changes": CHANGES | JSON})
          | st.fixed_dictionaries({"version": st.integers(-2, 3), "incident": SCALARS})
          | st.fixed_dictionaries({"name": SCALARS, "password": SCALARS}))
ROUTES = st.sampled_from([("PATCH", "/api/claims/{claim}"), ("POST", "/api/claims/{claim}/reject"),
                          ("POST", "/api/claims/{claim}/move"), ("POST", "/api/session"),
                          ("DELETE", "/api/session"), ("PATCH", "/api/claims/no-such-claim")])
FORM = st.dictionaries(st.sampled_from(EDITABLE + ("version", "action", "incident", "name",
                                                   "password")),
                       st.text(max_size=30) | st.sampled_from(["move", "reject", "restore",
                                                               "99999999999999999999"]),
                       max_size=6)


def test_random_json_to_the_api_never_gives_a_500(db):  # noqa: F811
    client = TestClient(create_app(db), raise_server_exceptions=False)
    headers = {**login(client, "alice", "correct horse"), "content-type": "application/json"}
    claim = khan(client)[1]["claims"][0]

    @settings(max_examples=250, deadline=None)
    @given(route=ROUTES, body=BODIES)
    def send(route, body):
        method, path = route
        # json.dumps writes NaN and Infinity too, as some clients do
        r = client.request(method, path.format(claim=claim), content=json.dumps(body),
                           headers=headers)
        assert r.status_code < 500, (r.status_code, r.text)
        if path == "/api/session":  # signed in, out, or throttled: sign in afresh
            with Store(db) as store:
                store.conn.execute("DELETE FROM login_failures")
            headers.update(login(client, "alice", "correct horse"))

    send()


def test_random_forms_never_give_a_500(db):  # noqa: F811
    client = TestClient(create_app(db), raise_server_exceptions=False)
    claim = khan(client)[1]["claims"][0]

    @settings(max_examples=120, deadline=None)
    @given(form=FORM, path=st.sampled_from(["/claims/{claim}", "/login", "/logout"]))
    def send(form, path):
        with Store(db) as store:
            store.conn.execute("DELETE FROM login_failures")
        csrf = login(client, "alice", "correct horse")["X-CSRF-Token"]
        r = client.post(path.format(claim=claim), data={"csrf": csrf, **form},
                        follow_redirects=False)
        assert r.status_code < 500, (r.status_code, r.text)

    send()
