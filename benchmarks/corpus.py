"""A synthetic, varied corpus of reports for benchmarks, generated on the fly (never held).

Sentences are written for this project; reports mix casualty sentences with the ordinary
sentences that make up most of a news report.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from tollwatch.records import Document

PLACES = ["El Fasher", "Khan Younis", "Kharkiv", "Sagaing", "Goma", "Port-au-Prince", "Hodeidah",
          "Maiduguri", "Baniyas", "Jableh", "Kaduna", "Bunia", "Taiz", "Rafah", "Mandalay"]
SOURCES = ["the health ministry", "a UN spokesperson", "local officials",
           "the civil defence agency",
           "residents", "a hospital director", "the army", "a monitoring group", "the governor",
           "aid workers", "the Red Cross", "police"]
CASUALTY = [
    "At least {n} people were killed in {p} on {d}, {s} said.",
    "{s} said {n} civilians had been killed and {m} wounded in {p}.",
    "The death toll from the attack on {p} has risen to {n}, according to {s}.",
    "Gunmen abducted {n} villagers near {p}, {s} said.",
    "More than {n} families have fled {p} since the fighting began, {s} said.",
    "{s} reported that {n} soldiers and {m} fighters died in clashes near {p}.",
    "Dozens of people were injured when shells hit a market in {p}.",
    "The victims included {m} children and {k} women, {s} said.",
    "Police detained {n} men after the protest in {p}.",
    "An air strike on {p} reportedly killed {n} people, a claim that could not be verified.",
    "Up to {n} people remain missing after the raid on {p}.",
    "Thousands of residents were evacuated from {p} overnight.",
]
FILLER = [
    "The government called an emergency meeting of its security council on {d}.",
    "Talks between the two sides stalled again this week over the question of the border.",
    "Prices of bread and fuel have risen sharply in {p} since the start of the year.",
    "The road from {p} to the coast was reopened after repairs.",
    "Officials in {p} said schools would stay closed until further notice.",
    "The envoy is expected to visit the region later this month.",
    "Electricity and water were cut in several districts of {p}.",
    "Analysts say the conflict risks drawing in neighbouring states.",
    "The ministry published a statement on its website late on {d}.",
    "Aid convoys have been waiting at the crossing for {n} days.",
    "The president thanked the army for its work in a televised speech.",
    "Satellite images show damage to the port and nearby warehouses.",
    "A curfew was imposed in {p} from 8 pm to 6 am.",
    "The opposition accused the authorities of blocking journalists from the area.",
    "Diplomats said a ceasefire proposal was under discussion in the capital.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def reports(count: int, seed: int = 7, casualty_share: float = 0.2) -> Iterator[Document]:
    rng = random.Random(seed)
    for i in range(count):
        sentences = []
        for _ in range(rng.randint(12, 30)):
            pool = CASUALTY if rng.random() < casualty_share else FILLER
            sentences.append(rng.choice(pool).format(
                n=rng.randint(2, 900), m=rng.randint(1, 60), k=rng.randint(1, 20),
                p=rng.choice(PLACES), d=rng.choice(DAYS), s=rng.choice(SOURCES)))
        paragraphs = [" ".join(sentences[j:j + 3]) for j in range(0, len(sentences), 3)]
        text = "\n\n".join(paragraphs)
        text = text[0].upper() + text[1:]
        yield Document.from_text(f"report-{i:06d}.txt", text)
