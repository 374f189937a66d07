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
    ("no more than 20 people", None, 20),
    ("not more than 20 people", None, 20),
    ("the toll tops 1,000", 1001, None),
    ("the toll topped 1,000", 1001, None),
    ("the toll surpasses 600", 601, None),
    ("the toll exceeds 40", 41, None),
    ("the toll has passed 300", 301, None),
    ("the toll crossed 500", 501, None),
    ("estimates ranged from 15 to 20", 15, 20),
    ("between 15 and 20 people", 15, 20),
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


@pytest.mark.parametrize(("text", "expected"), [
    # (low, high, earlier, text of the newer figure or None)
    ("the toll rose from 20 to 25", [(20, 20, True, "25"), (25, 25, False, None)]),
    ("the toll climbed from about 20 to more than 25",
     [(20, 20, True, "more than 25"), (26, None, False, None)]),
    ("the toll went from twelve to fifteen", [(12, 12, True, "fifteen"), (15, 15, False, None)]),
    ("31 dead, up from 27", [(31, 31, False, None), (27, 27, True, "31")]),
    ("the toll fell to 30 from 34", [(30, 30, False, None), (34, 34, True, "30")]),
    ("20 to 25 people", [(20, 25, False, None)]),
    ("12 people from 3 families", [(12, 12, False, None), (3, 3, False, None)]),
])
def test_a_change_gives_two_figures_the_older_superseded(text, expected):
    got = [(c.low, c.high, c.earlier, None if c.newer is None else
            next(n.text for n in find_counts(text) if n.start == c.newer))
           for c in find_counts(text)]
    assert got == expected
