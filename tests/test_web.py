"""The review web app: API rules with FastAPI's TestClient, pages in real Chromium against
a running `tollwatch serve`."""

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from conftest import ARTIFACTS
from tollwatch.accounts import add_user
from tollwatch.pipeline import ingest_paths, refresh_incidents
from tollwatch.store import Store
from tollwatch.web import create_app

REPORTS = {
    "a.txt": "Published: 2024-05-10\n\nThe health ministry said 12 people were killed in Khan "
             "Younis on Thursday.",
    "b.txt": "Published: 2024-05-11\n\nCivil defence workers said 15 people were killed in "
             "Khan Younis on Friday.",
    "hostile.txt": "Title: <script>window.__pwned = 1</script>\nPublished: 2024-05-11\n\n"
                   "Gunmen killed 7 people in Bunia on Wednesday, residents said. "
                   "<img src=x onerror=\"window.__pwned = 2\"><script>window.__pwned = 3</script>",
}


@pytest.fixture()
def db(tmp_path, extractor):
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in REPORTS.items():
        (folder / name).write_text(text)
    path = tmp_path / "t.db"
    with Store(path) as store:
        ingest_paths([folder], store, extractor)
        refresh_incidents(store)
        add_user(store, "alice", "correct horse")
        add_user(store, "bob", "battery staple")
    return path


def khan(client):
    (summary,) = [i for i in client.get("/api/incidents", params={"q": "Khan"}).json()[
        "incidents"] if i["parent"]]
    inc = client.get(f"/api/incidents/{summary['id']}").json()
    (f,) = inc["figures"]
    assert [(x["low"], x["high"]) for x in summary["figures"]] == [(f["low"], f["high"])]
    return inc, f


def login(client, name, password):
    r = client.post("/api/session", json={"name": name, "password": password})
    assert r.status_code == 200
    return {"X-CSRF-Token": r.json()["csrf"]}


def test_everything_is_readable_and_nothing_writable_without_an_account(db):
    client = TestClient(create_app(db))
    for url in ("/", "/claims", "/reports", "/sources", "/audit", "/login", "/api/incidents",
                "/api/claims", "/api/reports", "/api/sources", "/api/audit", "/openapi.json"):
        assert client.get(url).status_code == 200, url
    inc, f = khan(client)
    claim = f["claims"][0]
    r = client.patch(f"/api/claims/{claim}", json={"version": 0, "changes": {"count_low": 1}})
    assert (r.status_code, r.json()["detail"]) == (401, "sign in to change anything")
    assert client.post(f"/claims/{claim}", data={"count_low": "1"}).status_code == 401


def test_wrong_password_and_missing_csrf_are_refused(db):
    client = TestClient(create_app(db))
    assert client.post("/api/session", json={"name": "alice", "password": "nope"}
                       ).status_code == 401
    login(client, "alice", "correct horse")
    _, f = khan(client)
    r = client.patch(f"/api/claims/{f['claims'][0]}",
                     json={"version": 0, "changes": {"count_low": 1}})
    assert r.status_code == 403


def test_correction_recomputes_the_figure_and_is_audited(db):
    client = TestClient(create_app(db))
    headers = login(client, "alice", "correct horse")
    _, before = khan(client)
    assert (before["low"], before["high"], before["grade"]) == (12, 15, "contested")
    claim = client.get(f"/api/claims/{before['claims'][0]}").json()
    assert claim["count_low"] == 12
    r = client.patch(f"/api/claims/{claim['id']}", headers=headers,
                     json={"version": claim["version"],
                           "changes": {"count_low": 14, "count_high": 14}})
    assert r.status_code == 200, r.text
    _, after = khan(client)
    assert (after["low"], after["high"], after["grade"]) == (14, 15, "corroborated")
    (entry,) = client.get(f"/api/claims/{claim['id']}").json()["audit"]
    assert (entry["user"], entry["action"], entry["before"], entry["after"]) == (
        "alice", "correct", {"count_low": 12, "count_high": 12},
        {"count_low": 14, "count_high": 14})


def test_the_later_of_two_reviewers_is_told_and_nothing_is_overwritten(db):
    app = create_app(db)
    alice, bob = TestClient(app), TestClient(app)
    ha, hb = login(alice, "alice", "correct horse"), login(bob, "bob", "battery staple")
    _, f = khan(alice)
    claim = alice.get(f"/api/claims/{f['claims'][0]}").json()
    seen = claim["version"]
    assert alice.patch(f"/api/claims/{claim['id']}", headers=ha, json={
        "version": seen, "changes": {"count_low": 13, "count_high": 13}}).status_code == 200
    r = bob.patch(f"/api/claims/{claim['id']}", headers=hb,
                  json={"version": seen, "changes": {"count_low": 99, "count_high": 99}})
    assert r.status_code == 409
    assert "changed by alice" in r.json()["detail"]
    assert alice.get(f"/api/claims/{claim['id']}").json()["count_low"] == 13


def test_reject_and_move(db):
    client = TestClient(create_app(db))
    headers = login(client, "alice", "correct horse")
    inc, f = khan(client)
    twelve = next(c for c in f["claims"] if client.get(f"/api/claims/{c}").json()[
        "count_low"] == 12)
    r = client.post(f"/api/claims/{twelve}/reject", headers=headers, json={"version": 0})
    assert r.status_code == 200
    _, f2 = khan(client)
    assert (f2["low"], f2["high"], f2["claims"]) == (15, 15, [c for c in f["claims"]
                                                             if c != twelve])
    bunia = next(i for i in client.get("/api/incidents").json()["incidents"]
                 if i["parent"] and "Bunia" in i["label"])
    fifteen = f2["claims"][0]
    r = client.post(f"/api/claims/{fifteen}/move", headers=headers,
                    json={"version": 0, "incident": bunia["id"]})
    assert r.status_code == 200, r.text
    assert r.json()["claim"]["place"] == "Bunia"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def server(db):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "tollwatch", "serve", "--db", str(db),
                             "--port", str(port)])
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/login", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    yield base
    proc.terminate()
    proc.wait(10)


def test_review_in_a_real_browser(server, watched):
    page = watched.page
    page.goto(server + "/")
    page.screenshot(path=str(ARTIFACTS / "web-incidents.png"))
    page.click("text=Sign in to review")
    page.fill("#name", "alice")
    page.fill("#password", "correct horse")
    page.click("#signin")
    assert "signed in as alice" in page.inner_text("header")
    page.click("text=Khan Younis")
    page.wait_for_selector("text=Claims")
    page.screenshot(path=str(ARTIFACTS / "web-incident.png"))
    incident_url = page.url
    assert "12-15" in page.inner_text("body")
    page.locator("a[href^='/claims/']").first.click()
    page.fill("#f-count_low", "14")
    page.fill("#f-count_high", "14")
    page.click("#save")
    assert page.inner_text("#message") == "saved; figures recomputed"
    assert "alice" in page.inner_text("#audit") and "count_low" in page.inner_text("#audit")
    page.screenshot(path=str(ARTIFACTS / "web-claim.png"))
    page.goto(incident_url)
    body = page.inner_text("body")
    assert "14-15" in body and "corroborated" in body
    page.goto(server + "/reports")
    page.click("text=hostile.txt")
    page.screenshot(path=str(ARTIFACTS / "web-report.png"))
    assert page.evaluate("window.__pwned") is None
    assert '<img src=x onerror="window.__pwned = 2">' in page.inner_text("#text")
    assert watched.errors == []
    assert watched.outside(server) == []


def test_screenshots_are_written():
    # the browser test above leaves these for people to look at
    assert Path(ARTIFACTS).exists()


def test_filters(db):
    client = TestClient(create_app(db))
    contested = client.get("/api/incidents", params={"grade": "contested"}).json()["incidents"]
    assert [i["label"] for i in contested] == ["Khan Younis, 2024-05-09 to 2024-05-10"]
    bunia = client.get("/api/claims", params={"place": "Bunia"}).json()["claims"]
    assert [(c["count_low"], c["source"]) for c in bunia] == [(7, "residents")]
    later = client.get("/api/claims", params={"date_from": "2024-05-10"}).json()["claims"]
    assert sorted(c["count_low"] for c in later) == [15]
    assert client.get("/api/incidents", params={"country": "CD"}).json()["incidents"][0][
        "country"] == "CD"
    page = client.get("/claims", params={"outcome": "killed", "q": "Bunia"}).text
    assert page.count('href="/claims/') == 1


OWN_VOICE = {
    "courier.txt": "Title: Raid near Fataki\nOutlet: Fataki Courier\nPublished: 2024-05-12\n\n"
                   "Gunmen killed 9 people in Fataki on Saturday.",
    "shore.txt": "URL: https://www.lakeshore.example/raid\nPublished: 2024-05-13\n\n"
                 "Gunmen killed 11 people in Fataki on Sunday.",
}


def test_own_voice_claims_and_figures_name_their_outlet(tmp_path, extractor):
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in OWN_VOICE.items():
        (folder / name).write_text(text)
    with Store(tmp_path / "t.db") as store:
        ingest_paths([folder], store, extractor)
        refresh_incidents(store)
    client = TestClient(create_app(tmp_path / "t.db"))
    claims = client.get("/api/claims").json()["claims"]
    assert [(c["count_low"], c["source"], c["outlet"]) for c in claims] == [
        (9, None, "Fataki Courier"), (11, None, "lakeshore.example")]
    assert [(s["source"], s["outlet"], s["claims"], s["reports"], s["outcomes"])
            for s in client.get("/api/sources").json()] == [
        (None, "Fataki Courier", 1, 1, "killed"), (None, "lakeshore.example", 1, 1, "killed")]
    (fataki,) = [i for i in client.get("/api/incidents").json()["incidents"] if i["parent"]]
    pages = [client.get(u).text for u in (
        "/claims", "/sources", f"/claims/{claims[0]['id']}", f"/incidents/{fataki['id']}")]
    assert "outlet itself" not in "".join(pages)
    assert '<td>Fataki Courier</td><td>Gunmen killed 9' in pages[0]
    assert ('<a href="/reports?q=lakeshore.example">lakeshore.example</a> '
            '<span class="small">(in its own voice)</span>') in pages[1]
    assert "; source Fataki Courier;" in pages[2]
    assert "<div>lakeshore.example: 11 (2024-05-13)</div>" in pages[3]
    assert [r["name"] for r in client.get("/api/reports", params={
        "q": "lakeshore.example"}).json()["reports"]] == ["shore.txt"]
