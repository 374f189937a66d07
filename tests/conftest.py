"""Shared fixtures: the suite's own gazetteer, the real spaCy model (loaded once), and the
eval folder beside the repo."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
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


@dataclass(frozen=True)
class GazetteerBuild:
    """The suite's gazetteer and the two processes that built it."""

    path: Path
    runs: tuple[subprocess.CompletedProcess[str], ...]


OPEN_GAZETTEER = ("import sys; from pathlib import Path; from tollwatch.gazetteer import "
                  "Gazetteer; Gazetteer.open(Path(sys.argv[1]))")


@pytest.fixture(scope="session", autouse=True)
def gazetteer_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GazetteerBuild]:
    """A gazetteer of the suite's own in a temporary folder, never the user's ~/.cache: built
    once per session, by two processes started at once as two first runs on one machine
    would (test_gazetteer checks that both succeeded), and used by every test and every
    `tollwatch` the tests start, through TOLLWATCH_GAZETTEER."""
    path = tmp_path_factory.mktemp("gazetteer") / "gazetteer.sqlite"
    procs = [subprocess.Popen([sys.executable, "-c", OPEN_GAZETTEER, str(path)], text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    runs = []
    for p in procs:
        out, err = p.communicate()
        runs.append(subprocess.CompletedProcess(p.args, p.returncode, out, err))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TOLLWATCH_GAZETTEER", str(path))
        yield GazetteerBuild(path, tuple(runs))


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
