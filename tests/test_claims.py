"""Claims from sentences written for these tests, across conflicts and phrasings.

Each row of data/sentences.jsonl: a sentence, then per claim (outcome, count_low, count_high,
victims, source, hedged, index of the claim it breaks down or None).
"""

import json
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"

CASES = [
    (row["text"], [tuple(c) for c in row["claims"]])
    for row in map(json.loads, (DATA / "sentences.jsonl").read_text().splitlines())
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:50] for c in CASES])
def test_claims_of_sentence(claims_of, text, expected):
    claims = claims_of(text)
    ids = {c["id"]: i for i, c in enumerate(claims)}
    got = [
        (
            c["outcome"],
            c["count_low"],
            c["count_high"],
            c["victims"],
            c["source"],
            c["hedged"],
            ids.get(c["part_of"]),
        )
        for c in claims
    ]
    assert got == expected


def test_quote_and_count_offsets_point_into_the_text(extractor):
    from tollwatch.records import Document

    text = "Headline about a strike\n\nOfficials said at least 12 people were killed on Monday."
    doc = Document.from_text("a.txt", text)
    (claim,) = extractor.extract(doc)
    assert doc.text[claim.start : claim.end] == claim.quote
    assert claim.quote == "Officials said at least 12 people were killed on Monday."
    assert doc.text[claim.count_start : claim.count_end] == "at least 12"


def test_observatory_description_resolves_to_the_named_monitor(claims_of):
    text = (
        "The Syrian Observatory for Human Rights (SOHR) said fighting continued. "
        "The UK-based war monitor said 40 civilians were killed on Sunday. "
        "The Observatory later said 12 fighters had been killed."
    )
    assert [c["source"] for c in claims_of(text)] == ["SOHR", "SOHR"]


def test_breakdown_across_sentences_points_to_the_total(claims_of):
    text = (
        "Residents buried 23 people in the village cemetery on Monday. "
        "The victims included eight children and a woman."
    )
    claims = claims_of(text)
    assert [(c["count_low"], c["victims"]) for c in claims] == [
        (23, "unspecified"),
        (8, "civilians"),
        (1, "civilians"),
    ]
    assert [c["part_of"] for c in claims] == [None, claims[0]["id"], claims[0]["id"]]


def test_hedge_applies_to_its_own_clause_only(claims_of):
    text = "Officials said 14 people were killed; activists said 30 more were reportedly executed."
    assert [c["hedged"] for c in claims_of(text)] == [False, True]


def test_attempted_arrest_is_not_a_claim(claims_of):
    assert claims_of("Police tried to detain a wanted man near the border.") == []


def test_attribute_lookup_matches_the_models_own_ruler(extractor):
    """The lookup that replaces the attribute ruler gives the same tokens as the ruler."""
    import spacy

    from tollwatch.claims import MODEL

    reference = spacy.load(MODEL, disable=["ner"])
    texts = [text for text, _ in CASES] + ["Is it true that I'd have been there? It was."]
    got = [(t.pos_, t.lemma_, str(t.morph), t.dep_) for text in texts
           for t in extractor.nlp(text)]
    want = [(t.pos_, t.lemma_, str(t.morph), t.dep_) for text in texts for t in reference(text)]
    assert len(got) == len(want) == sum(len(reference.tokenizer(text)) for text in texts)
    assert got == want


def test_a_disclaimer_in_the_next_sentence_hedges_the_claims_before_it(claims_of):
    text = ("Residents said 40 people were killed in the raid. Reuters could not independently "
            "verify the figure. Officials later said 12 people were wounded.")
    assert [(c["count_low"], c["hedged"]) for c in claims_of(text)] == [(40, True), (12, False)]


def test_parts_rivals_scope_and_earlier_figures_across_sentences(extractor):
    """A report of a village raid (written for this test): parts of a total given in an
    earlier sentence, a rival figure for it, an earlier event, a war total and a toll
    that moved."""
    from tollwatch.records import Document

    text = ("Gunmen killed at least 40 people in a village in Plateau State on Sunday, police "
            "said.\n\nSix children and a priest were among those killed, the police spokesman "
            "added.\n\nA local council put the figure at 52 and said the dead were farmers.\n\n"
            "In 2021, a raid on the same village killed 12 people.\n\nMore than 2,000 people "
            "have been killed in the state since 2019, according to Amnesty International.\n\n"
            "The toll rose from 31 to 40 overnight, up from a previous toll of 25.")
    doc = Document.from_text("plateau.txt", text, published="2025-04-15")
    claims = extractor.extract(doc)
    ids = {c.id: i for i, c in enumerate(claims)}
    assert [(c.outcome, c.count_low, c.count_high, ids.get(c.part_of), c.scope, c.earlier)
            for c in claims] == [
        ("killed", 40, None, None, "event", False),
        ("killed", 6, 6, 0, "event", False),
        ("killed", 1, 1, 0, "event", False),
        ("killed", 52, 52, None, "event", False),
        ("killed", 12, 12, None, "background", False),
        ("killed", 2001, None, None, "cumulative", False),
        ("killed", 31, 31, None, "event", True),
        ("killed", 40, 40, None, "event", False),
        ("killed", 25, 25, None, "event", True),
    ]
