"""The vocabularies of lexicon.py and the patterns other modules build from them."""

from datetime import date

import pytest

from tollwatch.attribution import is_hedged
from tollwatch.counts import find_counts, word_value
from tollwatch.dates import full_dates, resolve_when
from tollwatch.lexicon import MONTHS, WEEKDAYS
from tollwatch.places import NOT_PLACES
from tollwatch.sentences import SCREEN, split_sentences

REPORT = date(2025, 3, 8)


def test_months_map_every_written_form_to_its_number():
    assert len(MONTHS) == 24
    assert (MONTHS["sept"], MONTHS["sep"], MONTHS["september"], MONTHS["may"]) == (9, 9, 9, 5)


@pytest.mark.parametrize("text, value", [
    ("twenty-five", 25), ("one hundred and twenty-five", 125), ("1,311", 1311),
    ("half a dozen", 6), ("a dozen", 12), ("three dozen", 36), ("2.5 million", 2_500_000),
])
def test_word_value(text, value):
    assert word_value(text) == value


def test_vague_and_dozen_counts():
    counts = find_counts("tens of thousands fled and two dozen were killed")
    assert [(c.text, c.low, c.high, c.vague) for c in counts] == [
        ("tens of thousands", 20000, 99999, True), ("two dozen", 24, 24, False)]


@pytest.mark.parametrize("text", ["killed on Sept. 12", "killed on September 12",
                                  "killed on 12 Sept", "killed on the 12th of September"])
def test_a_day_of_the_month_is_not_a_count(text):
    assert find_counts(text) == []


def test_full_dates_read_short_and_long_month_names():
    assert [d for _, _, d in full_dates("Sept. 3, 2024 and 4 September 2024")] == [
        date(2024, 9, 3), date(2024, 9, 4)]


@pytest.mark.parametrize("text, days, prec", [
    ("in the past seven days", 7, 3), ("in the past eight days", 8, 3),
    ("twenty-five days of fighting", 25, 3), ("over the last 3 days", 3, 2),
])
def test_days_back_take_any_number_word(text, days, prec):
    assert resolve_when(text, REPORT) == (date.fromordinal(REPORT.toordinal() - days), REPORT,
                                          prec)


def test_month_abbreviations_do_not_end_a_sentence_but_may_does():
    text = "They met on Sept. 3 in Goma. It ended in May. Five died."
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "They met on Sept. 3 in Goma.", "It ended in May.", "Five died."]


def test_calendar_words_are_not_places():
    assert {*WEEKDAYS, "january", "september", "may"} <= NOT_PLACES
    assert "sept" not in NOT_PLACES


@pytest.mark.parametrize("sentence", [
    "Gunmen killed 12 villagers.", "Three bodies were buried on Friday.",
    "Four people were hospitalised.", "Dozens were rounded up by the police.",
    "Thousands were forced from their homes.", "The fatalities rose to 30.",
    "Five executions took place.", "Two of the casualties were children.",
    "Ten men were gunned down.", "At least 20 lost their lives.", "Seven are missing.",
    "Three people were burned to death.", "Six homeless families, including children.",
])
def test_the_screen_passes_outcome_sentences(sentence):
    assert SCREEN.search(sentence)


@pytest.mark.parametrize("sentence", [
    "The minister met 12 diplomats.", "The fire burned down 15 private houses.",
    "Twelve missiles were launched.", "Five gunmen arrived in two rounds.",
])
def test_the_screen_stops_sentences_without_an_outcome_word(sentence):
    assert SCREEN.search(sentence) is None


def test_hedges():
    assert is_hedged("Ten people were reportedly killed.")
    assert is_hedged("The figures could not be independently verified.")
    assert not is_hedged("Ten people were killed, the ministry said.")
