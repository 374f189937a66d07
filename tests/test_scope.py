"""Scope readers, each on clauses written for it (from conflicts outside the dev set)."""

from datetime import date

import pytest

from tollwatch.scope import is_conflict_total, is_recalled, marked_earlier, scope_of

REPORT = date(2025, 4, 15)


@pytest.mark.parametrize(("clause", "scope"), [
    ("More than 150,000 people have been killed since the war began in 2022", "cumulative"),
    ("the conflict has displaced more than 12 million people", "cumulative"),
    ("since the start of the insurgency, 4,000 soldiers have died", "cumulative"),
    ("The ministry said 50,000 people had been killed since October 7", "cumulative"),
    ("more than 3,000 civilians have been killed in Ituri since 2017", "cumulative"),
    ("Fighting across the East African nation has left more than two million people displaced",
     "cumulative"),
    ("Clashes across the country on Friday left 12 dead", "event"),
    ("during the war, more than 600 aid workers were killed", "cumulative"),
    ("the army said overall it had detained 300 suspects", "cumulative"),
    ("In 2021, an attack on the same market killed 50 people", "background"),
    ("two years ago, a bombing there killed 31", "background"),
    ("Last month, gunmen killed 20 farmers in a nearby village", "background"),
    ("Back then, 200,000 people fled", "background"),
    ("The strike on Sunday killed 12 people", "event"),
    ("the deadliest attack since 2019 killed 44 people", "event"),
    ("at least 30 people have been killed since Friday", "event"),
])
def test_scope_of_a_clause(clause, scope):
    assert scope_of(clause, REPORT) == scope


def test_readers_without_a_report_date():
    assert is_conflict_total("since the war began, 9,000 have died", None)
    assert not is_conflict_total("killed 9 since 2019", None)  # no date to compare with
    assert is_recalled("last year a raid killed 8", None)
    assert not is_recalled("in 2019 a raid killed 8", None)


@pytest.mark.parametrize(("clause", "count", "earlier"), [
    ("up from a previous toll of 300", "300", True),
    ("Initial estimates put the number of dead at 20", "20", True),
    ("the earlier figure was 27", "27", True),
    ("a previous toll of 300 rose to 350", "350", False),
    ("at least 40 people were killed", "40", False),
])
def test_figures_the_text_marks_earlier(clause, count, earlier):
    assert marked_earlier(clause, clause.index(count)) is earlier
