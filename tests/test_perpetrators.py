"""Perpetrators: the actor the parse names as doer of a casualty verb, never a count, a
victim, an event, an outcome word, a place or a dateline."""

import json
import re

import pytest

from conftest import EVAL, needs_eval
from tollwatch.counts import find_counts
from tollwatch.lexicon import EVENT_NOUNS, OUTCOME_ADJECTIVES, OUTCOME_NOUNS, TOLL_NOUNS
from tollwatch.perpetrators import (
    active_subject,
    actor_name,
    by_agent,
    event_author,
    event_of_verb,
    names_a_people,
)
from tollwatch.pipeline import extract_paths


def token(nlp, text, word):
    return next(t for t in nlp(text) if t.text == word)


@pytest.mark.parametrize(("text", "perpetrator"), [
    ("Gunmen killed 12 villagers in Mopti.", "Gunmen"),
    ("12 soldiers were killed by al-Shabaab fighters.", "al-Shabaab fighters"),
    ("An air strike by the Saudi-led coalition killed 9 people in Saada.", "Saudi-led coalition"),
    ("Twelve people were killed in an air strike by the Saudi-led coalition on Saada.",
     "Saudi-led coalition"),
    ("A car bomb killed 5 people in Kabul.", None),
    ("The death toll rose to 40.", None),
    ("Suicide bombing kills 8 people in Mogadishu", None),
    ("Deadly attack kills 5 in Mali", None),
    ("Gunmen stormed the village of Koro and killed 12 people.", "Gunmen"),
    ("Gunmen attacked the convoy near Gao, killing 12 soldiers.", "Gunmen"),
    ("Two gunmen killed five worshippers at a mosque in Kandahar.", "gunmen"),
    ("Armed bandits early Sunday abducted 30 students in Zamfara, police said.",
     "Armed bandits"),
    ("KANDAHAR, Afghanistan (AP) — Taliban fighters killed 7 police officers on Monday.",
     "Taliban fighters"),
    ("Thousands of people have fled their homes in Tigray.", None),
    ("Residents of Tombouctou buried 14 victims of the raid.", None),
    ("At least 20 civilians died in Kidal after the convoy was ambushed.", None),
    ("Kenyan strike kills 6 in Lamu", "Kenyan"),
    ("Ethiopian army drone strike kills 11 in Amhara", "Ethiopian army"),
])
def test_perpetrator_of_a_claim(claims_of, text, perpetrator):
    perpetrators = {c["perpetrator"] for c in claims_of(text)}
    assert perpetrators == {perpetrator}


def test_by_agent_reads_the_passive_agent(extractor):
    verb = token(extractor.nlp, "Nine traders were abducted by bandits near Gusau.", "abducted")
    assert by_agent(verb).text == "bandits"


def test_active_subject_follows_a_continued_clause_and_a_relative(extractor):
    nlp = extractor.nlp
    assert active_subject(token(nlp, "Jihadists raided Djibo, killing 40 people.",
                                "killing")).text == "Jihadists"
    assert active_subject(token(nlp, "The militia, which killed 40 people, withdrew.",
                                "killed")).text == "militia"
    assert active_subject(token(nlp, "Forty people were killed in Djibo.", "killed")) is None


def test_event_of_verb_and_its_author(extractor):
    verb = token(extractor.nlp, "Eight herders were killed in a raid by Fulani militiamen.",
                 "killed")
    event = event_of_verb(verb)
    assert event.text == "raid"
    assert event_author(event).text == "militiamen"
    assert actor_name(event) == "Fulani militiamen"


def test_a_count_an_outcome_or_a_dateline_is_no_actor(extractor):
    doc = extractor.nlp("TRIPOLI, Libya — Dozens of bodies, the death toll and militiamen.")
    assert {t.text: actor_name(t) for t in doc if t.pos_ in ("NOUN", "PROPN")} == {
        "TRIPOLI": None, "Libya": None, "Dozens": None, "bodies": None, "death": None,
        "toll": None, "militiamen": "militiamen"}


def test_names_a_people_needs_a_capital_and_a_demonym_ending_at_the_start(extractor):
    nlp = extractor.nlp
    assert names_a_people(token(nlp, "Turkish drones hit the base.", "Turkish"))
    assert not names_a_people(token(nlp, "Deadly drones hit the base.", "Deadly"))
    assert not names_a_people(token(nlp, "The deadly strike hit the base.", "deadly"))


OUTCOME_WORDS = {w for ws in OUTCOME_NOUNS.values() for w in ws} | set(OUTCOME_ADJECTIVES) | \
    set(TOLL_NOUNS) | EVENT_NOUNS


@needs_eval
def test_no_dev_perpetrator_is_a_number_a_count_a_place_or_an_outcome(extractor):
    gold = [json.loads(line) for line in (EVAL / "dev" / "gold.jsonl").read_text().splitlines()]
    places = {p.lower() for g in gold for p in g["places"]}
    claims = [c for _, cs in extract_paths([EVAL / "dev" / "articles"], extractor) for c in cs]
    places |= {p.lower() for c in claims for p in (c.place, c.admin1) if p}
    perpetrators = [c.perpetrator for c in claims if c.perpetrator]
    assert len(perpetrators) >= 14
    for who in perpetrators:
        words = re.findall(r"[\w’'-]+", who.lower())
        assert not re.search(r"\d", who), who
        assert find_counts(who) == [], who
        assert who.lower() not in places and not who.isupper(), who
        assert words[-1].rstrip("s") not in OUTCOME_WORDS and words[-1] not in OUTCOME_WORDS, who
