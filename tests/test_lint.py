"""House style is checked, not hoped for: ruff and mypy run clean, the README is current."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*cmd):
    return subprocess.run([sys.executable, "-m", *cmd], cwd=ROOT, capture_output=True, text=True)


def test_ruff_is_clean():
    r = run("ruff", "check", "src", "tests", "benchmarks", "scripts")
    assert r.returncode == 0, r.stdout


def test_mypy_is_clean():
    r = run("mypy")
    assert r.returncode == 0, r.stdout


def test_readme_transcript_is_current():
    r = subprocess.run([sys.executable, "scripts/transcript.py", "--check"], cwd=ROOT,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
