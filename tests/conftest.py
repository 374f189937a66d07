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

ARTIFACTS = ROOT / "artifacts"  # screenshots for people to look at (not committed)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """Real headless Chromium (Debian's, installed by scripts/install-chromium.sh)."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "run scripts/install-chromium.sh: no /usr/bin/chromium"
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class PageWatch:
    """A page that records console errors, page errors and every request it makes."""

    def __init__(self, page):
        self.page = page
        self.errors: list[str] = []
        self.requests: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: self.requests.append(r.url))

    def outside(self, *allowed: str) -> list[str]:
        return [u for u in self.requests if not u.startswith(("data:", "blob:", *allowed))]


@pytest.fixture()
def watched(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    yield PageWatch(page)
    context.close()
