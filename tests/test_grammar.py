"""The readers of grammar._govern, each on a sentence written for it: the reader named
decides the count, with the outcome given (None: it decides the count is no casualty)."""

import pytest

from tollwatch import grammar
from tollwatch.counts import find_counts


def reading(extractor, sentence: str, count: str) -> grammar.Reading:
    sdoc = extractor.nlp(sentence)
    (c,) = [c for c in find_counts(sentence) if c.text == count]
    span = sdoc.char_span(c.start, c.end, alignment_mode="expand")
    node, noun = grammar._np_head(span)
    return grammar.Reading(node, noun, span, sdoc)


@pytest.mark.parametrize(("reader", "sentence", "count", "outcome"), [
    (grammar.read_partitive_subject, "Two of the wounded later died in hospital.", "Two",
     "killed"),
    (grammar.read_outcome_word_after, "The clashes left 60 dead.", "60", "killed"),
    (grammar.read_outcome_word_after, "Officials counted 900 dead and wounded.", "900", None),
    (grammar.read_lives_of, "The floods claimed the lives of at least 150 people.",
     "at least 150", "killed"),
    (grammar.read_outcome_noun_of, "Medics confirmed the deaths of 14 miners.", "14",
     "killed"),
    (grammar.read_among_group, "Seven students were among the dead.", "Seven", "killed"),
    (grammar.read_own_noun, "Rescuers pulled 31 bodies from the rubble.", "31", "killed"),
    (grammar.read_modifying_clause, "They found 12 men executed by the roadside.", "12",
     "killed"),
    (grammar.read_governing_words, "Gunmen abducted 30 farmers near Gusau.", "30",
     "abducted"),
    (grammar.read_governing_words, "Twelve soldiers were killed alongside two members of a "
     "local militia.", "two", "killed"),
    (grammar.read_governing_words, "Two peacekeepers sustained injuries in the attack.",
     "Two", "injured"),
    (grammar.read_governing_words, "About 5,000 villagers became refugees overnight.",
     "About 5,000", "displaced"),
    (grammar.read_governing_words, "Another 8 are in critical condition.", "8", "injured"),
    (grammar.read_passive_surface, "Officials said 745 civilians said to be killed.", "745",
     "killed"),
    (grammar.read_active_surface, "Drone strikes on Sumy kill at least 9", "at least 9",
     "killed"),
])
def test_each_reader_decides_its_pattern(extractor, reader, sentence, count, outcome):
    verdict = reader(reading(extractor, sentence, count))
    assert verdict is not None
    assert verdict[0] == outcome


def test_readers_pass_on_what_is_not_theirs(extractor):
    r = reading(extractor, "Gunmen abducted 30 farmers near Gusau.", "30")
    assert grammar.read_lives_of(r) is None
    assert grammar.read_outcome_noun_of(r) is None
    assert grammar.read_among_group(r) is None


def test_the_count_that_kills_is_no_victim(extractor):
    r = reading(extractor, "Two gunmen killed five villagers.", "Two")
    assert grammar._govern(r.node, r.noun, r.span, r.sdoc) == grammar.NOT_COUNTED


def test_speakers_are_marked(extractor):
    r = reading(extractor, "Two residents told reporters that the village burned.", "Two")
    assert grammar._govern(r.node, r.noun, r.span, r.sdoc) == grammar.SPEAKERS
