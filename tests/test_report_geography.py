"""Where a report is: datelines, peoples, acronyms, the lead's place, the report's division;
who speaks; when. Every text here is written for this test, set in conflicts outside the
dev set (Mali, Burkina Faso, Mozambique, Yemen, Ethiopia, Afghanistan, South Sudan)."""

from datetime import date

import pytest

from tollwatch.dates import infer_published, resolve_when
from tollwatch.gazetteer import Gazetteer
from tollwatch.locate import locate
from tollwatch.places import find_mentions
from tollwatch.records import Document
from tollwatch.sentences import datelines, split_sentences


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer.open()


def located(extractor, gazetteer, text, published="2025-05-10"):
    doc = Document.from_text("r.txt", text, published=published)
    return [(c.count_low, c.place, c.admin1, c.country, c.source)
            for c in locate(doc, extractor.extract(doc), gazetteer)]


@pytest.mark.parametrize(("line", "dateline"), [
    ("BAMAKO, Mali (AP) — Gunmen killed 12 people.", "BAMAKO, Mali (AP) — "),
    ("ADEN, May 3 (Reuters) - Shelling killed 4.", "ADEN, May 3 (Reuters) - "),
    ("KABUL: A blast killed 9 worshippers.", "KABUL: "),
    ("Juba (AFP) - Clashes left 20 dead.", "Juba (AFP) - "),
    ("MAPUTO, Mozambique", "MAPUTO, Mozambique"),
    (" date 2025-02-01 GOMA, Congo (AP) — Shelling killed 7.", "GOMA, Congo (AP) — "),
])
def test_datelines_are_found_and_kept_out_of_sentences(line, dateline):
    ((a, b),) = datelines(line)
    assert line[a:b] == dateline
    assert all(s >= b for s, _ in split_sentences(line))


@pytest.mark.parametrize("line", ["Horrific: 30 killed in market blast", "UN: 5 dead",
                                  "At least 10 people - mostly women - died"])
def test_headlines_are_not_datelines(line):
    assert datelines(line) == []


def test_a_dateline_is_neither_the_place_nor_the_source(extractor, gazetteer):
    text = ("BAMAKO, Mali (AP) — Gunmen killed at least 12 villagers in the village of Sobane "
            "in Mopti region on Friday, a local official said.")
    assert located(extractor, gazetteer, text) == [
        (12, "Sobane", "Mopti", "ML", "local official")]


def test_peoples_and_acronyms_are_not_places(gazetteer):
    text = ("Yemeni and Saudi officials said the ADF and the JNIM were not involved. "
            "Malian troops fought in Mopti.")
    assert [m.name for m in find_mentions(text, gazetteer)] == ["Mopti"]


def test_a_division_named_like_a_people_is_a_place(gazetteer):
    # "-ian", "-ite", "-ese" endings make "Alawite villages" a people's, but a division the
    # gazetteer knows by that exact name, or one written "the ... region", is a place
    text = ("Two guards were killed in South Moravian on Monday. Alawite villages emptied. "
            "Floods struck the Central Bohemian region.")
    assert [(m.name, m.place.kind) for m in find_mentions(text, gazetteer)] == [
        ("South Moravian", "admin1"), ("Central Bohemian", "admin1")]


def test_names_in_the_reports_countries_and_what_is_not_where_it_happened(gazetteer):
    # "Gao" (one consonant) is found; "Shabwa" is Yemen's Shabwah, not a Myanmar village
    # spelled "Sha Bwa"; an armed group after "from", a compass word before a continent and
    # a town the wounded are evacuated to are not where anything happened
    text = ("Two soldiers were killed in Gao on Monday, the Malian army said. Fighters from "
            "al-Shabaab, which is active in Mali, claimed it. Eleven wounded awaited evacuation "
            "to Bamako. In Yemen, four died in Shabwa province, and East Africa's rains "
            "stopped the fighting.")
    assert [(m.name, m.place.name, m.place.country) for m in find_mentions(text, gazetteer)] == [
        ("Gao", "Gao", "ML"), ("Mali", "Mali", "ML"), ("Yemen", "Yemen", "YE"),
        ("Shabwa", "Shabwah", "YE")]


def test_a_town_once_placed_is_a_place_wherever_named(gazetteer):
    # "the main market of Charikar" names the town (under 100,000 people, so not a place
    # wherever it is named), and so does "in Charikar that the group claimed"
    text = ("Blast at crowded market kills 6 in Afghanistan\n"
            "A bomb exploded in the main market of Charikar on Monday. Charikar residents fled. "
            "In 2023, a bombing at a "
            "mosque in Charikar that the group claimed killed five. Troops in Burkina and "
            "Burma and in Lanao del Sur were not involved.")
    got = [(m.name, m.place.country if m.place else None) for m in find_mentions(text, gazetteer)]
    assert got == [("Afghanistan", "AF"), ("Charikar", "AF"), ("Charikar", "AF"),
                   ("Charikar", "AF"), ("Burkina", "BF"), ("Burma", "MM")]


def test_bylines_seats_hospitals_and_appositions(gazetteer):
    # a byline is where the writer is; the wounded are flown to a town's hospital; a group
    # "in the neighbouring X" is where a speaker sits; "X, in Y province" names a village;
    # "the Sahel country" is a country's description; "in Jonglei and the ..." is a place
    text = ("By Staff Writer, Juba\n"
            "Raiders stormed Kalthok, in Lakes state, killing 12, in South Sudan. Nine wounded "
            "were flown to Juba Teaching Hospital and two to a clinic in Rumbek. The Dinka Youth "
            "Union, a group in the neighbouring Warrap state, said 15 died. Clashes in Jonglei "
            "and the Pibor area go on in the Sahel country.")
    got = [m.name for m in find_mentions(text, gazetteer)]
    assert got == ["Kalthok", "Lakes", "South Sudan", "Jonglei", "Pibor"]


def test_a_country_by_its_initials(gazetteer):
    (m,) = find_mentions("Fighting spread across the CAR last week.", gazetteer)
    assert (m.name, m.place.country) == ("CAR", "CF")


def test_a_small_namesake_abroad_is_not_taken(gazetteer):
    # "Tessit" the commune in Mali; the text names only Mali: no village of that name abroad
    text = "Jihadists attacked an army post in Mali. Eleven soldiers were killed in Tessit."
    names = [(m.name, m.place.country if m.place else None) for m in
             find_mentions(text, gazetteer)]
    assert names[0] == ("Mali", "ML")
    assert all(cc in (None, "ML") for _, cc in names)


def test_the_leads_village_is_the_place_of_later_claims(extractor, gazetteer):
    text = ("Dozens killed in attack on village in Burkina Faso\n"
            "Gunmen attacked the village of Kompienbiga in Est region on Sunday, residents said.\n"
            "At least 35 people were killed, a local official told AFP.\n"
            "Twenty others were wounded in Burkina Faso's east, he said.")
    assert located(extractor, gazetteer, text) == [
        (24, "Kompienbiga", "Est", "BF", None),
        (35, "Kompienbiga", "Est", "BF", "local official"),
        (20, "Kompienbiga", "Est", "BF", "local official")]


def test_a_town_the_lead_describes_and_the_next_sentence_names(extractor, gazetteer):
    text = ("Gunmen killed at least 30 people in an attack on a small town in South Sudan, the "
            "UN said on Friday.\nBodies lay in the streets of Pieri after Thursday's raid in "
            "Jonglei state, a local official told Radio Tamazuj.\nIt said 12 women were among "
            "those killed and 40 others were wounded.")
    assert [c[:3] for c in located(extractor, gazetteer, text)] == [
        (30, "Pieri", "Jonglei"), (12, "Pieri", "Jonglei"), (40, "Pieri", "Jonglei")]


def test_a_report_on_two_attacks_follows_the_story_from_place_to_place(extractor, gazetteer):
    text = ("Two attacks in Mali leave 20 dead\n\nTwo attacks struck Mali on Thursday.\n\n"
            "In the northern city of Kidal, a car bomb hit a market. The governor said four "
            "people were killed.\n\nThe bombing came weeks after a drone strike left 12 dead in "
            "the city.\n\nThe attack in Kidal coincided with a separate raid in the central "
            "region of Mopti, where a convoy hit a mine. At least nine soldiers were killed, the "
            "army said.\n\nThe convoy was heading north, the minister said.\n\n\"We mourn nine "
            "brave soldiers dead,\" he wrote.\n\nThe Dogon Council, a group in the neighbouring "
            "Segou region, said 11 soldiers died.")
    assert [c[:3] for c in located(extractor, gazetteer, text, "2025-05-09")] == [
        (20, "Mali", None), (4, "Kidal", "Kidal"), (12, "Kidal", "Kidal"),
        (9, "Mopti", "Mopti"), (9, "Mopti", "Mopti"), (11, "Mopti", "Mopti")]


def test_a_whole_countrys_figure_is_the_countrys(extractor, gazetteer):
    text = ("Gunmen killed nine villagers in Metekel zone in Benishangul-Gumuz on Monday.\n"
            "Fighting across the East African nation has left more than two million people "
            "displaced.")
    assert [c[:3] for c in located(extractor, gazetteer, text)] == [
        (9, "Metekel", "Benishangul-Gumuz"), (2000001, "Ethiopia", None)]


def test_two_places_in_the_lead_leave_country_claims_at_country_level(extractor, gazetteer):
    text = ("Two attacks in Ethiopia leave 30 dead\n"
            "Militants struck in Gondar in Amhara and in Nekemte in Oromia on Tuesday.\n"
            "At least 30 people were killed in the two attacks in Ethiopia, officials said.")
    assert [c[1] for c in located(extractor, gazetteer, text)] == ["Ethiopia", "Ethiopia"]


def test_an_unknown_village_where_people_died_takes_the_reports_division(extractor,
                                                                          gazetteer):
    text = ("Insurgents attacked several villages in Cabo Delgado province on Monday.\n"
            "Nine people were killed in Nangade-Sede and four in Mapate, the police said.")
    got = located(extractor, gazetteer, text)
    assert [(c[0], c[1], c[2]) for c in got] == [(9, "Nangade-Sede", "Cabo Delgado"),
                                                 (4, "Mapate", "Cabo Delgado")]


def test_where_a_speaker_serves_and_places_elsewhere(extractor, gazetteer):
    text = ("Taiz governor Nabil Shamsan said six civilians were killed there on Monday. "
            "Four wounded were flown to Aden near the border with Oman.")
    assert [(c[0], c[1]) for c in located(extractor, gazetteer, text, "2025-05-06")] == [
        (6, "Taiz"), (4, "Taiz")]


@pytest.mark.parametrize(("text", "sources"), [
    ("At least 40 people killed by gunmen in eastern Burkina Faso, aid group says",
     ["aid group"]),
    ("Yemen strike kills 12: rebel media, medic", ["rebel media, medic"]),
    ("Doctors Without Borders mourned the deaths of four of its staff, saying they were "
     "killed on Monday.",
     ["Doctors Without Borders"]),
    ("A member of a local relief committee told Reuters that 30 bodies had been recovered.",
     ["member of a local relief committee"]),
    ("On Monday, both the BBC and Al Jazeera reported that gunmen had killed 40 villagers.",
     ["BBC and Al Jazeera"]),
    ("However, Britain-based monitor the Yemen Data Project said 18 women were killed.",
     ["Yemen Data Project"]),
    ("The blast hit a bus station in Kandahar, a local police officer told AFP.\n"
     "Six soldiers and two civilians were killed, he said.",
     ["local police officer", "local police officer"]),
    ("Six were killed, Maria Lopez, a spokeswoman for the relief office, said. "
     "It said 4 children were among the dead.", ["relief office", "relief office"]),
    ("Abdulrahman Saleh Qasim, the director of the Taiz Health Office's emergency department "
     "and its ambulance service, confirmed the deaths.\n"
     "\u201cTwelve of the wounded are in critical condition,\u201d he said.",
     ["Abdulrahman Saleh Qasim"]),
    ("ONLF spokesperson Abdi Rahman told AFP that soldiers burned 30 houses in Degehabur.\n"
     "\u201cAccording to early reports, 25 civilians were killed,\u201d he said.",
     ["ONLF spokesperson Abdi Rahman"]),
    ("At least nine people were killed Sunday when a bomb exploded in a market in Mekelle, "
     "local health officials and a rights group reported.",
     ["local health officials and a rights group"]),
])
def test_who_speaks(claims_of, text, sources):
    assert [c["source"] for c in claims_of(text)] == sources


@pytest.mark.parametrize(("text", "expected"), [
    ("Last month, gunmen killed 20 herders near Bor.", ("2025-05-01", "2025-05-31")),
    ("In April, at least 40 people were killed in Jonglei.", ("2025-04-01", "2025-04-30")),
    ("Two were stabbed to death in August.", ("2024-08-01", "2024-08-31")),
    ("A drone killed 7, a medic told AFP on Thursday.", None),
])
def test_when_months_and_the_day_of_the_telling(text, expected):
    got = resolve_when(text, date(2025, 6, 14))
    assert (got and (got[0].isoformat(), got[1].isoformat())) == expected


@pytest.mark.parametrize(("text", "published"), [
    ("Aisha Bello | 22.08.2025 - Update : 23.08.2025", "2025-08-23"),
    ("21, November 2023\nArmed men raided a market.", "2023-11-21"),
])
def test_report_dates_written_in_the_text(text, published):
    assert infer_published(text) == published
