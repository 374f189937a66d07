"""Incidents, origins and figures on claims built by hand (scope and earlier set explicitly),
so each rule is checked on its own, independently of extraction."""

from dataclasses import replace

import pytest

from tollwatch.export import tolls_text
from tollwatch.gazetteer import Gazetteer
from tollwatch.incidents import group
from tollwatch.origins import (
    country_resolver,
    is_generic,
    origin_of,
    outlet_name,
    shared_passages,
    source_key,
)
from tollwatch.reconcile import Context, effective_origins, figures, reconcile
from tollwatch.records import Claim
from tollwatch.report import who_said_what

DAY = {"a": "2025-07-14", "b": "2025-07-16", "c": "2025-07-20", "d": "2025-07-24",
       "e": "2025-07-24", "f": "2025-07-22", "g": "2025-07-24", "x": "2025-07-15"}


def claim(cid, low, high="same", *, doc=None, source=None, victims="unspecified",
          place="Sweida", admin1="As-Suwayda", country="SY", where_prec=3, day=None,
          **kw) -> Claim:
    doc = doc or cid[0]
    day = day or DAY[doc]
    return Claim(id=cid, document=f"{doc}.txt", document_id=doc, start=0, end=10,
                 quote=f"quote {cid}", count_start=0, count_end=2, outcome="killed",
                 count_low=low, count_high=low if high == "same" else high, victims=victims,
                 source=source, place=place, admin1=admin1, country=country,
                 where_prec=where_prec, date_start=day, date_end=day, date_prec=1, **kw)


def ctx(claims, rule="fullest"):
    origins = {c.id: origin_of(c, f"outlet {c.document_id}", None) for c in claims}
    return Context(origins, dict(DAY), rule=rule)


def only(figs, victims="unspecified"):
    (f,) = [f for f in figs if f.victims == victims]
    return f


# A growing event: one monitor's running total, a second monitor's narrower count, an
# outlet's stale first-day "hundreds", and figures that are not this event's.
GROWING = [
    claim("a1", 200, 999),                                   # outlet, day one: "hundreds"
    claim("a2", 37, source="SOHR"),
    claim("b1", 250, source="the Syrian Observatory for Human Rights"),
    claim("c1", 558, source="SNHR"),                          # narrower, four days old
    claim("d1", 1386, source="the Britain-based war monitor"),
    claim("d2", 1265, source="SOHR", earlier=True),           # "up from 1,265"
    claim("e1", 300, source="SOHR", scope="background"),     # months earlier, recalled
    claim("e2", 500000, None, source="SOHR", scope="cumulative"),  # since 2011
]


def test_a_growing_event_has_the_fullest_count_as_best_and_the_narrower_as_low():
    figs, _ = figures(GROWING, ctx(GROWING))
    f = only(figs)
    assert (f.low, f.best, f.high, f.grade, f.origins) == (558, 1386, 1386, "contested", 2)
    by = {s.origin: s for s in f.sources}
    sohr = by["source:sohr"]
    assert (sohr.low, sohr.reported, sohr.claim, sohr.status) == (1386, "2025-07-24", "d1",
                                                                  "current")
    assert [(h.low, h.reported, h.earlier) for h in sohr.history] == [
        (37, "2025-07-14", False), (250, "2025-07-16", False), (1265, "2025-07-24", True)]
    assert by["outlet:outlet a"].status == "superseded"
    assert by["source:snhr"].status == "current"
    assert f.claims == ("a1", "a2", "b1", "c1", "d1", "d2")  # context figures stay out


def test_context_figures_are_shown_not_counted():
    (inc,) = reconcile(group(GROWING, {"SY": "Syria"}), ctx(GROWING))
    assert [(x.claim, x.scope, x.low) for x in inc.context] == [
        ("e1", "background", 300), ("e2", "cumulative", 500000)]
    assert (inc.date_start, inc.date_end) == ("2025-07-14", "2025-07-24")


def test_an_origin_whose_figures_are_all_marked_earlier_is_superseded():
    cs = [claim("d1", 1386, source="SOHR"), claim("c1", 27, source="the civil defence",
                                                     earlier=True)]
    f = only(figures(cs, ctx(cs))[0])
    assert [(s.origin, s.status) for s in f.sources] == [
        ("source:sohr", "current"), ("source:sy:civil defence", "superseded")]
    assert (f.low, f.best, f.grade, f.origins) == (1386, 1386, "single_source", 1)


def test_rose_from_20_to_25_is_history_not_a_range():
    cs = [claim("d1", 25, source="police"), claim("d2", 20, source="police", earlier=True)]
    f = only(figures(cs, ctx(cs))[0])
    (s,) = f.sources
    assert (s.low, s.high, [(h.low, h.earlier) for h in s.history]) == (25, 25, [(20, True)])
    assert (f.low, f.best, f.high) == (25, 25, 25)


def test_group_figures_given_together_sum_to_a_derived_total():
    cs = [claim("c1", 428, victims="civilians", source="SOHR"),
          claim("c2", 89, victims="security_forces", source="SOHR"),
          claim("c3", 120, victims="combatants", source="SOHR"),
          claim("d1", 745, victims="civilians", source="SOHR"),
          claim("d2", 125, victims="security_forces", source="SOHR"),
          claim("d3", 148, victims="combatants", source="SOHR"),
          claim("e1", 1000, day="2025-07-24")]
    figs, _ = figures(cs, ctx(cs))
    total = only(figs)
    by = {s.origin: s for s in total.sources}
    sohr = by["source:sohr"]
    assert (sohr.low, sohr.high, sohr.derived, sohr.parts) == (1018, 1018, True,
                                                               ("d1", "d2", "d3"))
    assert [(h.low, h.derived) for h in sohr.history] == [(637, True)]
    assert (total.low, total.best, total.high, total.grade) == (1000, 1018, 1018,
                                                               "corroborated")
    # breakdowns still never add to their parent: each group keeps its own figure
    assert [(f.victims, f.best) for f in figs] == [
        ("civilians", 745), ("combatants", 148), ("security_forces", 125),
        ("unspecified", 1018)]


def test_a_report_total_is_not_replaced_by_its_groups():
    cs = [claim("d1", 745, victims="civilians", source="SOHR"),
          claim("d2", 125, victims="security_forces", source="SOHR"),
          claim("d3", 900, source="SOHR")]
    (s,) = only(figures(cs, ctx(cs))[0]).sources
    assert (s.low, s.derived, s.history) == (900, False, ())


def test_headline_and_body_of_one_report_are_one_origin():
    cs = [claim("d1", 40), claim("d2", 40, source="the Red Crescent")]
    origins = effective_origins(cs, ctx(cs))
    assert origins == {"d1": "source:sy:red crescent", "d2": "source:sy:red crescent"}


def test_an_outlet_repeating_a_named_source_is_that_source():
    cs = [claim("c1", 558, source="SNHR"), claim("d1", 558), claim("a1", 37)]
    origins = effective_origins(cs, ctx(cs))
    # d1 repeats SNHR's figure days later; a1's 37 was given before anyone named gave it
    assert origins == {"c1": "source:snhr", "d1": "source:snhr", "a1": "outlet:outlet a"}
    later = [claim("a1", 558), claim("c1", 558, source="SNHR")]
    assert effective_origins(later, ctx(later))["a1"] == "outlet:outlet a"


def test_median_is_the_median_and_rules_are_named():
    cs = [claim("c1", 10, source="police"), claim("c2", 19, source="the governor"),
          claim("c3", 40, source="the Red Crescent"), claim("c4", 45, source="UN")]
    assert [only(figures(cs, ctx(cs, rule))[0]).best for rule in
            ("median", "max", "min", "fullest")] == [30, 45, 10, 45]
    assert {only(figures(cs, ctx(cs, rule))[0]).best_rule for rule in ("median",)} == {
        "median"}


def test_fullest_prefers_counted_figures_to_vague_ones():
    cs = [claim("d1", 2000, 9999, source="activists on social media"),
          claim("d2", 131, None, source="IPM"), claim("d3", None, 400, source="the army")]
    assert only(figures(cs, ctx(cs))[0]).best == 131


def test_source_keys_one_per_organisation_never_one_for_two():
    resolve = country_resolver(Gazetteer.open())
    keys = {s: source_key(s, c, resolve) for s, c in [
        ("SOHR", "SY"), ("the Syrian Observatory for Human Rights", None),
        ("UK-based Syrian Observatory for Human Rights", None),
        ("the Britain-based war monitor", None), ("a Syria war monitor", None),
        ("Iran’s Health Ministry", "IL"), ("Iran's health ministry", None),
        ("the Iranian Ministry of Health", None), ("the health ministry", "IR"),
        ("Israel's Health Ministry", "IR"), ("the health ministry", "IL"),
        ("the Hamas-run health ministry", None), ("the Gaza health ministry", None),
        ("Associated Press", None), ("AP", None)]}
    assert sorted(set(keys.values())) == [
        "ap", "il:health ministry", "ir:health ministry", "ps:health ministry", "sohr"]
    assert keys["Iran’s Health Ministry"] != keys["Israel's Health Ministry"]


def test_source_keys_from_a_trailing_acronym_a_country_after_in_and_aliases():
    resolve = country_resolver(Gazetteer.open())
    assert [source_key(s, c, resolve) for s, c in [
        ("the Syrian Observatory for Human Rights (SOHR)", None), ("SOHR", "SY"),
        ("the Lake Albert Rights Watch (LARW)", "CD"),  # the acronym, not the initials
        ("the Ministry of Health (MoH)", "CD"),  # a country's ministry keeps its country
        ("Ministry of Health in Iran", "IL"), ("Iran's Health Ministry", None),
        ("the health ministry in Gaza", None), ("Gaza health ministry", None),
        ("the health ministry in Ghost Town", "CD"),  # no country: the words stay
        ("the UN mission in Congo", None), ("MONUSCO", None), ("the U.N. mission", "CD"),
        ("the UN peacekeeping mission in Congo", None), ("the UN mission in South Sudan", None),
        ("the UN mission", "SD")]] == [
        "sohr", "sohr", "larw", "cd:health ministry", "ir:health ministry",
        "ir:health ministry", "ps:health ministry", "ps:health ministry",
        "cd:health ministry in ghost town", "monusco", "monusco", "monusco", "monusco",
        "unmiss", "sd:un mission"]


def test_generic_channels_are_no_origin_and_absorb_no_outlets_figure():
    assert [is_generic(s) for s in (
        "recent news sources", "multiple social media posts", "Facebook accounts",
        "local media", "reports", "posts on Telegram", "residents", "state media",
        "the army", "SOHR")] == [True] * 7 + [False] * 3
    # the outlet's own "more than 600" is its own, not the social media posts' figure
    cs = [claim("c1", 601, None, source="multiple social media posts"), claim("d1", 601, None)]
    assert effective_origins(cs, ctx(cs)) == {
        "c1": "outlet:outlet c/sy:multiple social media posts", "d1": "outlet:outlet d"}


def test_own_voice_figures_are_shown_by_the_outlets_name():
    cs = [claim("a1", 10), claim("a2", 14), claim("a3", 300, scope="background"),
          claim("b1", 16), claim("b2", 18)]
    c = replace(ctx(cs), outlets={"a": "Kivu Herald"})  # b has no outlet: its file name
    incidents = reconcile(group(cs, {"SY": "Syria"}, origins=c.origins), c)
    assert tolls_text(incidents).splitlines()[2:] == [
        "Syria, 2025-07-14 to 2025-07-16  [2 reports]",
        "  killed unspecified: 18, best 18, single_source, 1 origin",
        "    Kivu Herald: 14 (2025-07-14) superseded; earlier 10",
        "    b: 18 (2025-07-16); earlier 16",
        "  context (background): killed unspecified 300, Kivu Herald (2025-07-14)",
        "  check same_day: Kivu Herald gave 10, 14 killed (unspecified) on 2025-07-14",
        "  check same_day: b gave 16, 18 killed (unspecified) on 2025-07-16"]
    assert [(name, [(r.figure, r.status) for r in rows])
            for name, rows in who_said_what(incidents)] == [
        ("Kivu Herald", [("10", "earlier"), ("14", "superseded"), ("300", "background")]),
        ("b", [("16", "earlier"), ("18", "latest")])]
    (x,) = incidents[0].context
    assert (x.source, x.outlet) == (None, "Kivu Herald")


def test_outlets_by_name():
    assert [outlet_name("Kivu Herald", None, "a.txt"),
            outlet_name(None, "https://www.example.org/news/1", "b.html"),
            outlet_name(None, None, "wire-reprint.jsonl#2"), outlet_name(None, None, None)
            ] == ["Kivu Herald", "example.org", "wire-reprint", None]


def test_wire_copy_with_changed_punctuation_is_one_passage():
    base = claim("d1", 7)
    a = replace(base, quote="The toll from Tuesday’s shooting rose to 1,014 on Thursday, "
                            "the “tally” shows.")
    b = replace(base, id="e1", document_id="e", quote="The toll from Tuesday's shooting rose "
                                                       "to 1014 on Thursday - the \"tally\" shows.")
    assert shared_passages([a, b]) == {"d1": "d1", "e1": "d1"}


@pytest.fixture()
def two_events():
    """The coast event over ten days, reported across two governorates, and a shooting in
    Aleppo on the same days that nobody connects with it."""
    coast = dict(country="SY", where_prec=2)
    return [
        claim("a1", 40, place="Jableh", admin1="Latakia", source="SOHR", **coast),
        claim("b1", 12, place="Baniyas", admin1="Tartus", **coast),
        claim("b2", 30, place="Jableh", admin1="Latakia", **coast),  # links both areas
        claim("c1", 250, place="Syria", admin1=None, where_prec=6, source="SOHR"),
        claim("c2", 20, place="Jableh", admin1="Latakia", **coast),  # and the coast
        claim("d1", 745, place="Syria", admin1=None, where_prec=6, source="SOHR"),
        claim("d2", 9, place=None, admin1=None, country=None, where_prec=None),
        claim("x1", 6, place="Aleppo", admin1="Aleppo", source="police", **coast),
    ]


def test_an_event_is_held_together_by_coverage_and_unrelated_violence_stays_apart(two_events):
    c = ctx(two_events)
    incidents = reconcile(group(two_events, {"SY": "Syria"}, origins=c.origins), c)
    tops = [i for i in incidents if i.parent is None]
    assert [(t.label, sorted(i for x in incidents if x.id == t.id or x.parent == t.id
                             for i in x.claims)) for t in tops] == [
        ("Syria, 2025-07-14 to 2025-07-24", ["a1", "b1", "b2", "c1", "c2", "d1", "d2"]),
        ("Aleppo, Syria, 2025-07-15", ["x1"])]
    held = [cid for i in incidents for cid in i.claims]
    assert sorted(held) == sorted(c.id for c in two_events)  # each claim once


def test_a_claim_without_a_place_joins_its_report_not_an_unknown_place(two_events):
    c = ctx(two_events)
    incidents = reconcile(group(two_events, {"SY": "Syria"}, origins=c.origins), c)
    (home,) = [i for i in incidents if "d2" in i.claims]
    assert (home.country, home.parent) == ("SY", None)
    assert not [i for i in incidents if i.label.startswith("Unknown place")]


def test_figures_of_two_countries_never_share_an_incident():
    cs = [claim("d1", 224, place="Tehran", admin1="Tehran", country="IR",
                source="Iran's Health Ministry"),
          claim("d2", 3, place=None, admin1=None, country=None, where_prec=None,
                source="Israel's Health Ministry"),  # in a report mostly about Iran
          claim("e1", 24, place="Tel Aviv", admin1="Tel Aviv", country="IL",
                source="Israel's Health Ministry")]
    resolve = country_resolver(Gazetteer.open())
    origins = {x.id: origin_of(x, "outlet", None, resolve) for x in cs}
    incidents = reconcile(group(cs, {"IR": "Iran", "IL": "Israel"}, origins=origins),
                          Context(origins, dict(DAY)))
    assert {cid: i.country for i in incidents for cid in i.claims} == {
        "d1": "IR", "d2": "IL", "e1": "IL"}
    assert sorted({s.origin for i in incidents for f in i.figures for s in f.sources}) == [
        "source:il:health ministry", "source:ir:health ministry"]
