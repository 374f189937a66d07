import pytest

from tollwatch.counts import find_counts


@pytest.mark.parametrize(("text", "low", "high"), [
    ("532 civilians", 532, 532),
    ("five people", 5, 5),
    ("a dozen people", 12, 12),
    ("two dozen bodies", 24, 24),
    ("1,311 people", 1311, 1311),
    ("at least 20 people", 20, None),
    ("20 or more people", 20, None),
    ("more than 600 people", 601, None),
    ("over 200 people", 201, None),
    ("the toll surpassed 600", 601, None),
    ("exceeding 40 dead", 41, None),
    ("around 1000 people", 1000, 1000),
    ("nearly 300 people", 300, 300),
    ("some 45 people", 45, 45),
    ("approximately 70 people", 70, 70),
    ("up to 43 people", None, 43),
    ("as many as 90 people", None, 90),
    ("15 to 20 people", 15, 20),
    ("between 15 and 20 people", 15, 20),
    ("15-20 people", 15, 20),
    ("dozens of people", 24, 99),
    ("scores of people", 40, 99),
    ("hundreds of people", 200, 999),
    ("thousands of people", 2000, 9999),
    ("tens of thousands of people", 20000, 99999),
    ("one hundred and twenty-five soldiers", 125, 125),
    ("2000 people", 2000, 2000),
    ("3.5 million people", 3500000, 3500000),
    ("3m people", 3000000, 3000000),
    ("at least one person", 1, None),
])
def test_count_bounds_follow_the_guide(text, low, high):
    counts = find_counts(text)
    assert [(c.low, c.high) for c in counts] == [(low, high)]


@pytest.mark.parametrize("text", [
    "a 57-year-old resident", "20 kilometers away", "less than 100 meters", "in 2011",
    "on March 7, 2025", "on 7 March", "the 14-year war", "50 percent", "at 10:30",
    "https://example.org/article-14477201.html", "$300 in aid", "Saturday (8th March)",
    "three months after", "over the past two days", "a 3m wall", "near a checkpoint",
])
def test_measures_dates_and_ages_are_not_counts(text):
    assert find_counts(text) == []


def test_count_offsets_point_at_the_words():
    text = "Officials said more than 600 people died."
    (c,) = find_counts(text)
    assert text[c.start:c.end] == "more than 600"
