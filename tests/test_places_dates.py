"""Places and dates of claims: the gazetteer, transliterations, context, relative dates."""

from datetime import date
from pathlib import Path

import pytest

from tollwatch.dates import infer_year, resolve_when
from tollwatch.gazetteer import Gazetteer, name_key
from tollwatch.locate import locate
from tollwatch.records import Document


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer.open()


@pytest.mark.parametrize(("a", "b"), [
    ("Baniyas", "Banias"), ("Al-Haffa", "Al-Haffeh"), ("Al Haffah", "Al-Haffeh"),
    ("Jableh", "Jablah"), ("Tartous", "Ţarţūs"), ("Lattakia", "Latakia"),
    ("Khan Younis", "Khan Yunis"), ("Qardaha", "Al Qardahah"),
])
def test_transliterations_share_a_key(a, b):
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(("name", "expected"), [
    ("Banias", ("Bāniyās", "SY", "Tartus")), ("Tartous", ("Ţarţūs", "SY", "Tartus")),
    ("Al-Haffeh", ("Al Ḩaffah", "SY", "Latakia")), ("Khan Yunis", ("Khān Yūnis", "PS", None)),
    ("El Fasher", ("El Fasher", "SD", None)), ("Kharkiv", ("Kharkiv", "UA", "Kharkiv")),
])
def test_installed_gazetteer_knows_places_in_any_spelling(gazetteer, name, expected):
    found = [p for _, p in gazetteer.lookup(name) if p.kind == "place" and
             p.country == expected[1]]
    best = max(found, key=lambda p: p.population)
    admin1 = gazetteer.admin1_name(best.country, best.admin1)
    assert (best.name, best.country) == expected[:2]
    if expected[2]:
        assert admin1 == expected[2]


REPORT = date(2025, 3, 8)  # a Saturday


@pytest.mark.parametrize(("text", "start", "end", "prec"), [
    ("on Friday", "2025-03-07", "2025-03-07", 1),
    ("on Saturday", "2025-03-08", "2025-03-08", 1),
    ("late Monday", "2025-03-03", "2025-03-03", 1),
    ("over the past two days", "2025-03-06", "2025-03-08", 2),
    ("in the past three days", "2025-03-05", "2025-03-08", 2),
    ("since the clashes began Thursday", "2025-03-06", "2025-03-08", 2),
    ("earlier this week", "2025-03-02", "2025-03-08", 3),
    ("on 7 March", "2025-03-07", "2025-03-07", 1),
    ("on July 13", "2024-07-13", "2024-07-13", 1),
    ("On Saturday, 31 people killed the day before were buried", "2025-03-07", "2025-03-07", 1),
    ("the previous day's attacks", "2025-03-07", "2025-03-07", 1),
    ("on March 2, 2025", "2025-03-02", "2025-03-02", 1),
    ("a bombing on Palm Sunday", "2024-03-24", "2024-03-24", 1),
    ("on Christmas Day", "2024-12-25", "2024-12-25", 1),
    ("in December 2022, at a Christmas gathering", "2022-12-25", "2022-12-25", 1),
])
def test_relative_dates_resolve_against_the_report(text, start, end, prec):
    s, e, p = resolve_when(text, REPORT)
    assert (s.isoformat(), e.isoformat(), p) == (start, end, prec)


def test_no_time_named_is_none():
    assert resolve_when("Officials said 12 people were killed.", REPORT) is None


def test_year_inferred_from_weekday_and_date():
    assert infer_year("confirmed on Saturday (8th March) that", date(2026, 11, 22)) == "2025-03-08"


def test_claims_get_place_from_context_and_enclosing_area(extractor, gazetteer):
    text = ("Clashes spread across Syria on Friday.\n\n"
            "Residents of Banias said gunmen went from house to house. One resident said "
            "five of his neighbours were executed.\n\n"
            "In the village of Kfar Tala in the Latakia countryside, 20 people were killed on "
            "Thursday.")
    doc = Document.from_text("r.txt", text, published="2025-03-08")
    claims = locate(doc, extractor.extract(doc), gazetteer)
    got = [(c.count_low, c.place, c.admin1, c.country, c.where_prec, c.date_start, c.date_end)
           for c in claims]
    assert got == [
        (5, "Banias", "Tartus", "SY", 1, "2025-03-02", "2025-03-08"),
        (20, "Kfar Tala", "Latakia", "SY", 5, "2025-03-06", "2025-03-06"),
    ]


def test_a_common_word_is_not_a_place(extractor, gazetteer):
    doc = Document.from_text("r.txt", "More than 40 Christian and Druze civilians were killed "
                                      "in Syria on Monday.", published="2025-03-08")
    (claim,) = locate(doc, extractor.extract(doc), gazetteer)
    assert (claim.place, claim.country, claim.where_prec) == ("Syria", "SY", 6)


@pytest.mark.parametrize(("published", "text", "expected"), [
    ("2024-10-20", "Doctors Without Borders (MSF) said its teams treated 45 wounded people at "
     "Nasser Hospital in Khan Younis overnight.",
     ("Doctors Without Borders", "Khan Younis", "Gaza Strip", "PS", 1, "2024-10-19",
      "2024-10-20")),
    ("2023-06-18", "At least 1,100 people have been killed in El Geneina since fighting began "
     "in April, according to the governor of West Darfur.",
     ("governor of West Darfur", "El Geneina", "West Darfur", "SD", 1, "2023-04-01", "2023-06-18")),
    ("2025-01-27", "M23 fighters entered Goma on Monday; hospitals in the city reported at "
     "least 100 dead.",
     ("hospitals", "Goma", "North Kivu", "CD", 1, "2025-01-27", "2025-01-27")),
    ("2024-03-05", "In Port-au-Prince's Cité Soleil neighbourhood, gang members killed 12 people "
     "on Saturday and Sunday, a human rights group said.",
     ("human rights group", "Cité Soleil", "Ouest", "HT", 2, "2024-03-02", "2024-03-03")),
    ("2024-05-30", "Fighter jets bombed a market in Sagaing region on Wednesday, killing 14 "
     "civilians, according to a local resistance group.",
     ("local resistance group", "Sagaing", "Sagaing", "MM", 5, "2024-05-29", "2024-05-29")),
    ("2024-06-07", "At least 40 people were killed in a strike on a school in Gaza, the media "
     "office said. Israel said it had killed 17 militants there.",
     ("Israel", "Gaza", "Gaza Strip", "PS", 1, "2024-06-01", "2024-06-07")),
])
def test_places_dates_and_sources_in_other_conflicts(extractor, gazetteer, published, text,
                                                      expected):
    doc = Document.from_text("r.txt", text, published=published)
    claim = locate(doc, extractor.extract(doc), gazetteer)[-1]
    assert (claim.source, claim.place, claim.admin1, claim.country, claim.where_prec,
            claim.date_start, claim.date_end) == expected


def test_a_noisy_article(extractor, gazetteer):
    """Headline, byline, caption, related links and counts of things in one report."""
    from tollwatch.ingest import read_paths

    (doc,) = read_paths([Path(__file__).parent / "data" / "noisy-article.txt"])
    claims = locate(doc, extractor.extract(doc), gazetteer)
    got = [(c.outcome, c.count_low, c.count_high, c.victims, c.source, c.place, c.date_start,
            c.date_end) for c in claims]
    assert got == [
        ("killed", 20, None, "unspecified", None, "Rafah", "2024-05-07", "2024-05-13"),
        ("killed", 20, None, "unspecified", "Kuwaiti Hospital", "Rafah", "2024-05-12",
         "2024-05-13"),
        ("killed", 6, 6, "civilians", "Kuwaiti Hospital", "Rafah", "2024-05-12", "2024-05-13"),
        ("killed", 35091, 35091, "unspecified", "Gaza health ministry",
         "Gaza Strip", "2023-10-07", "2024-05-13"),
        ("injured", 78827, 78827, "unspecified", "Gaza health ministry",
         "Gaza Strip", "2023-10-07", "2024-05-13"),
        ("killed", 20, 20, "combatants", "Israeli military", "Rafah",
         "2024-05-12", "2024-05-13"),
        ("injured", 2, 2, "security_forces", "Israeli military", "Rafah",
         "2024-05-12", "2024-05-13"),
        ("displaced", 360001, None, "unspecified", "UN agency", "Rafah", "2024-05-07",
         "2024-05-13"),
    ]
    assert claims[2].part_of == claims[1].id
    # the ministry's war totals are context; the military's combat figures are the event's
    assert [c.scope for c in claims] == ["event"] * 3 + ["cumulative"] * 2 + ["event"] * 3
