"""The yardstick: `tollwatch extract` on ../shared/eval/seeds, scored by score.py."""

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
