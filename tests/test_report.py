"""The offline report, opened in real headless Chromium."""

from pathlib import Path

import pytest

from conftest import ARTIFACTS
from tollwatch.gazetteer import Gazetteer
from tollwatch.pipeline import ingest_paths, load_incidents
from tollwatch.records import Incident
from tollwatch.report import build, safe_label
from tollwatch.store import Store

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
HOSTILE = ("Title: <script>window.__pwned = 1</script> attack\n"
           "Published: 2024-05-02\n\n"
           "Gunmen killed 7 people in Bunia on Wednesday, residents said. "
           "<img src=x onerror=\"window.__pwned = 2\"> <script>window.__pwned = 3</script>\n")


@pytest.fixture(scope="module")
def report_file(tmp_path_factory, extractor):
    folder = tmp_path_factory.mktemp("report")
    (folder / "hostile.txt").write_text(HOSTILE)
    with Store(folder / "t.db") as store:
        ingest_paths([EXAMPLES, folder / "hostile.txt"], store, extractor)
        html = build(load_incidents(store), list(store.claims()), list(store.documents()),
                     Gazetteer.open())
    out = folder / "report.html"
    out.write_text(html)
    return out


def test_report_opens_offline_without_errors(report_file, watched):
    page = watched.page
    page.goto(report_file.as_uri())
    page.wait_for_function("window.Bokeh && Bokeh.documents.length > 0 && "
                           "Bokeh.documents[0].is_idle")
    page.screenshot(path=str(ARTIFACTS / "report.png"))
    page.locator("#map").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "report-map.png"))
    assert watched.errors == []
    assert watched.outside("file:") == []
    assert page.locator("h2").all_inner_texts() == [
        "Headline figures", "Map", "Incidents", "Who said what", "Findings",
        "Best estimate rule"]


def test_report_shows_figures_quotes_and_rule(report_file, watched):
    page = watched.page
    page.goto(report_file.as_uri())
    text = page.inner_text("body")
    assert "Syria, 2025-03-06 to 2025-03-08" in text
    assert "Syrian Observatory for Human Rights: 745 (2025-03-08)" in text
    assert "best = the latest figure of the origin that counts most completely" in text
    marked = page.locator("mark.count").all_inner_texts()
    assert "745" in marked and "at least 147" in marked


def test_hostile_report_shows_as_text_and_never_runs(report_file, watched):
    page = watched.page
    page.goto(report_file.as_uri())
    assert page.evaluate("window.__pwned") is None
    assert page.locator("img[src=x]").count() == 0
    text = page.inner_text("body")
    assert '<img src=x onerror="window.__pwned = 2">' in text
    assert "<script>window.__pwned = 3</script>" in text


def test_chart_labels_lose_markup():
    assert safe_label('<script>alert("x")</script> Tuwaym') == "scriptalert(x)script Tuwaym"


def test_report_is_built_for_a_claim_in_every_country_of_the_gazetteer():
    # the map's approximated divisions once took the report down for 20 of 252 countries
    # (India, Russia, China, Japan, Germany, Spain, Canada, Australia, Thailand, ...)
    gazetteer = Gazetteer.open()
    codes = [r[0] for r in gazetteer.conn.execute(
        "SELECT country FROM places WHERE kind = 'country' ORDER BY country")]
    assert len(codes) == 252
    incidents = []
    for iso in codes:
        p = gazetteer.country_place(iso)
        assert p is not None
        incidents.append(Incident(
            id=f"inc-{iso}", parent=None, label=p.name, place=None, admin1=None, country=iso,
            lat=p.lat, lon=p.lon, where_prec=6, date_start="2024-05-01",
            date_end="2024-05-01", date_prec=1, documents=(), claims=()))
    html = build(incidents, [], [], gazetteer)
    assert html.count('<div class="headline">') == 252
    assert 'id="map"' in html
