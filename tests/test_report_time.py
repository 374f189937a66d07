"""The report shows time: step charts by report day for every incident with a history,
each source's figures by date, superseded figures set apart (on the written Ituri corpus)."""

import re
from pathlib import Path

import pytest

from conftest import ARTIFACTS
from tollwatch import report
from tollwatch.gazetteer import Gazetteer
from tollwatch.pipeline import ingest_paths, load_incidents
from tollwatch.records import Figure, Incident, SourceFigure, Step
from tollwatch.report import _steps, build, has_history, histories, who_said_what
from tollwatch.store import Store

ITURI = Path(__file__).parent / "data" / "ituri"


@pytest.fixture(scope="module")
def ituri_report(tmp_path_factory, extractor):
    folder = tmp_path_factory.mktemp("report-time")
    with Store(folder / "t.db") as store:
        ingest_paths([ITURI], store, extractor)
        incidents = load_incidents(store)
        html = build(incidents, list(store.claims()), list(store.documents()),
                     Gazetteer.open())
    out = folder / "report.html"
    out.write_text(html)
    return incidents, out


def test_every_incident_with_a_history_is_charted_by_day(ituri_report):
    incidents, _ = ituri_report
    # a child incident; Goma's copies fall on one day, which is no history
    assert [i.label for i in incidents if has_history(i)] == [
        "Djugu, 2024-05-31 to 2024-06-10"]
    djugu = [i for i in incidents if i.place == "Djugu"][0]
    (total,) = [f for f in djugu.figures if (f.outcome, f.victims) == ("killed", "unspecified")]
    ipm = [s for s in total.sources if s.origin == "source:ipm"][0]
    assert [(d.isoformat(), v, st) for d, v, st in _steps(ipm)] == [
        ("2024-06-04", 12.0, "history"), ("2024-06-05", 48.0, "history"),
        ("2024-06-09", 131.0, "history"), ("2024-06-10", 131.0, "current")]


def test_who_said_what_orders_each_sources_figures_by_date(ituri_report):
    incidents, _ = ituri_report
    rows = dict(who_said_what(incidents))
    assert [(r.reported, r.victims, r.figure, r.status) for r in rows["IPM"]] == [
        ("2024-06-04", "unspecified", "12", "earlier"),
        ("2024-06-05", "unspecified", "48", "earlier"),
        ("2024-06-09", "unspecified", "131", "earlier"),
        ("2024-06-09", "unspecified", "131", "earlier"),
        ("2024-06-10", "unspecified", "131+", "latest")]
    assert [(r.reported, r.figure, r.status) for r in rows["residents"]] == [
        ("2024-06-03", "24-99", "superseded")]


def test_report_with_time_opens_offline_and_sets_superseded_apart(ituri_report, watched):
    path = ituri_report[1]
    page = watched.page
    page.goto(path.as_uri())
    page.wait_for_function("window.Bokeh && Bokeh.documents.length > 0 && "
                           "Bokeh.documents[0].is_idle")
    page.screenshot(path=str(ARTIFACTS / "report-time.png"), full_page=True)
    assert watched.errors == []
    assert watched.outside("file:") == []
    superseded = page.locator("tr.superseded td:last-child").all_inner_texts()
    assert superseded == ["superseded", "superseded"]
    djugu = [i for i in ituri_report[0] if i.place == "Djugu"][0]
    chart = page.locator(f"section[id='{djugu.id}'] div[data-root-id]")
    assert chart.count() == 1


def _incident(iid, label, *figures):
    return Incident(iid, None, label, label, None, "CD", None, None, 2, "2024-06-02",
                    "2024-06-09", 1, ("a.txt",), (), figures=figures)


def _figure(outcome, *days):
    """One source's figures on the given (day, count) report days, the last the latest."""
    *earlier, (day, n) = days
    source = SourceFigure("the aid group", "source:cd:aid group", n, n, day, f"a-{n}", False,
                          tuple(Step(v, v, d, f"a-{v}") for d, v in earlier))
    return Figure(outcome, "unspecified", n, n, n, "single_source", 1, (source,), ())


def test_charts_for_every_outcome_with_a_history_and_the_cap_is_said(monkeypatch):
    camp = _incident("i-camp", "Camp Nyala", _figure("killed", ("2024-06-03", 40)),
                     _figure("displaced", ("2024-06-03", 900), ("2024-06-05", 2400)))
    town = _incident("i-town", "Fataki", _figure("killed", ("2024-06-03", 7), ("2024-06-04", 9)),
                     _figure("injured", ("2024-06-03", 2)))
    assert [histories(i) for i in (camp, town)] == [["displaced"], ["killed"]]
    assert (has_history(camp), has_history(_incident("i-x", "X", _figure("injured", (
        "2024-06-03", 2))))) == (True, False)

    def charts(html):
        return re.findall(r"(Camp Nyala|Fataki): (\w+), each source", html)

    html = build([camp, town], [], [], Gazetteer.open())
    assert sorted(set(charts(html))) == [("Camp Nyala", "displaced"), ("Fataki", "killed")]
    assert 'id="uncharted"' not in html
    monkeypatch.setattr(report, "MAX_CHARTS", 1)
    html = build([camp, town], [], [], Gazetteer.open())
    # killed charts first, though the camp's toll is the larger
    assert sorted(set(charts(html))) == [("Fataki", "killed")]
    assert re.search(r'<p class="small" id="uncharted">([^<]*)</p>', html).group(1) == (
        "Step charts are capped at 1 (killed first, largest tolls first): 1 more outcome(s) "
        "of incidents with a history are not charted.")
