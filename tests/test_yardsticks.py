"""The yardsticks: `tollwatch extract` on ../shared/eval/seeds and dev and on tests/data/written,
scored by score.py."""

import json
import subprocess
import sys
from pathlib import Path

from conftest import EVAL, needs_eval

DATA = Path(__file__).parent / "data"


def _score(gold, articles, tmp_path):
    """`tollwatch extract` on `articles`, scored against `gold` by score.py: (report,
    attribute accuracies)."""
    out = tmp_path / "out.jsonl"
    with out.open("w") as fh:
        subprocess.run([sys.executable, "-m", "tollwatch", "extract", str(articles),
                        "--format", "jsonl"], stdout=fh, check=True)
    scored = subprocess.run(
        [sys.executable, str(EVAL / "score.py"), str(gold), str(out), "--docs", str(articles),
         "--json"], capture_output=True, text=True, check=True)
    r = json.loads(scored.stdout)
    return r, {k: v[0] for k, v in r["attributes"].items()}


@needs_eval
def test_seed_extraction_meets_the_targets(tmp_path):
    r, attrs = _score(EVAL / "seeds.gold.jsonl", EVAL / "seeds", tmp_path)
    assert (r["gold"], r["predicted"], r["matched"], r["unlocated_quotes"]) == (43, 43, 43, 0)
    assert r["f1"] == 1.0
    assert attrs["victims"] >= 0.95
    assert attrs["source"] >= 0.95
    assert attrs["hedged"] == 1.0
    assert attrs["part_of"] == 1.0
    assert attrs["place"] >= 0.90
    assert attrs["admin1"] >= 0.90
    assert attrs["dates"] >= 0.90


@needs_eval
def test_dev_set_of_other_conflicts_holds_its_floors(tmp_path):
    """The sixteen reports of ../shared/eval/dev. Issue 8's targets are F1 0.94, place 0.85,
    admin1 0.80, source 0.88, dates 0.88, part_of 0.85, victims and hedged 0.93; the floors
    below are a little under what the rules measure (README: F1 0.996, place 1.000, admin1
    0.991), so that no change goes back on them."""
    r, attrs = _score(EVAL / "dev" / "gold.jsonl", EVAL / "dev" / "articles", tmp_path)
    assert r["unlocated_quotes"] == 0
    assert _below(r, attrs, {"f1": 0.99, "precision": 0.99, "victims": 0.99, "hedged": 0.99,
                             "source": 0.99, "dates": 0.98, "admin1": 0.98, "place": 0.99,
                             "part_of": 0.99}) == {}


def _below(r, attrs, floors):
    """The measures under their floors (name: measured), of the report and its attributes."""
    got = {**attrs, "f1": r["f1"], "precision": r["precision"]}
    return {k: got[k] for k, floor in floors.items() if got[k] < floor}


@needs_eval
def test_written_reports_of_twelve_more_conflicts_hold_their_floors(tmp_path):
    """tests/data/written: twelve reports written for the tests (README there), scored by
    ../shared/eval/score.py. Measured: F1 0.985, place 0.873, admin1 0.901, source 0.940,
    victims 0.985, dates 0.966, part_of 0.938, hedged 1.000."""
    written = DATA / "written"
    r, attrs = _score(written / "gold.jsonl", written / "articles", tmp_path)
    assert (r["gold"], r["unlocated_quotes"]) == (137, 0)
    assert _below(r, attrs, {"f1": 0.96, "precision": 0.98, "place": 0.86, "admin1": 0.88,
                             "source": 0.93, "victims": 0.95, "dates": 0.94, "part_of": 0.9,
                             "hedged": 0.99}) == {}
