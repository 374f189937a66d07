"""Shared fixtures: the real spaCy model (loaded once), and the eval folder beside the repo."""

from __future__ import annotations

from pathlib import Path

import pytest

from tollwatch.claims import Extractor
from tollwatch.records import Document

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
needs_eval = pytest.mark.skipif(
    not (EVAL / "seeds.gold.jsonl").exists(),
    reason="../shared/eval is not beside this checkout (it is in CI; a user's clone lacks it)",
)


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor()


@pytest.fixture(scope="session")
def claims_of(extractor: Extractor):
    """Claims of a text, as a list of dicts (keys of the GUIDE's contract)."""

    def run(text: str) -> list[dict]:
        return [c.to_dict() for c in extractor.extract(Document.from_text("t.txt", text))]

    return run
