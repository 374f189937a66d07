"""The yardsticks: `tollwatch extract` on ../shared/eval/seeds and dev, scored by score.py."""

import json
import subprocess
import sys

from conftest import EVAL, needs_eval


@needs_eval
def test_seed_extraction_meets_the_targets(tmp_path):
    out = tmp_path / "out.jsonl"
    with out.open("w") as fh:
        subprocess.run([sys.executable, "-m", "tollwatch", "extract", str(EVAL / "seeds"),
                        "--format", "jsonl"], stdout=fh, check=True)
    scored = subprocess.run(
        [sys.executable, str(EVAL / "score.py"), str(EVAL / "seeds.gold.jsonl"), str(out),
         "--docs", str(EVAL / "seeds"), "--json"], capture_output=True, text=True, check=True)
    r = json.loads(scored.stdout)
    assert (r["gold"], r["predicted"], r["matched"], r["unlocated_quotes"]) == (43, 43, 43, 0)
    assert r["f1"] == 1.0
    attrs = {k: v[0] for k, v in r["attributes"].items()}
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
    below are what the rules measured when this test was written (README: F1 0.985, place
    0.846), so that no change goes back on them."""
    out = tmp_path / "dev.jsonl"
    with out.open("w") as fh:
        subprocess.run([sys.executable, "-m", "tollwatch", "extract",
                        str(EVAL / "dev" / "articles"),
                        "--format", "jsonl"], stdout=fh, check=True)
    scored = subprocess.run(
        [sys.executable, str(EVAL / "score.py"), str(EVAL / "dev" / "gold.jsonl"), str(out),
         "--docs", str(EVAL / "dev" / "articles"), "--json"], capture_output=True, text=True,
        check=True)
    r = json.loads(scored.stdout)
    attrs = {k: v[0] for k, v in r["attributes"].items()}
    assert r["unlocated_quotes"] == 0
    assert r["f1"] >= 0.98
    assert r["precision"] >= 0.99
    assert attrs["victims"] >= 0.97
    assert attrs["hedged"] >= 0.98
    assert attrs["source"] >= 0.95
    assert attrs["dates"] >= 0.98
    assert attrs["admin1"] >= 0.85
    assert attrs["place"] >= 0.84
    assert attrs["part_of"] >= 0.93
