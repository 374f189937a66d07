"""Regenerates the README transcript from real runs; `--check` fails if the README is stale.

usage: python scripts/transcript.py [--check]
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
START, END = "<!-- transcript:start -->", "<!-- transcript:end -->"
COMMANDS = [["tollwatch", "ingest", "examples"], ["tollwatch", "claims"], ["tollwatch", "tolls"],
            ["tollwatch", "report"]]


def transcript() -> str:
    exe = Path(sys.executable).parent / "tollwatch"
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        os.symlink(ROOT / "examples", Path(tmp) / "examples")
        for cmd in COMMANDS:
            r = subprocess.run([str(exe), *cmd[1:]], cwd=tmp, capture_output=True, text=True,
                               check=True)
            out.append("$ " + " ".join(cmd))
            out.append((r.stdout + r.stderr).rstrip())
    lines = [line.rstrip() for line in "\n".join(out).splitlines()]
    return "```text\n" + "\n".join(lines) + "\n```"


def main() -> int:
    text = README.read_text()
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    new = f"{head}{START}\n{transcript()}\n{END}{tail}"
    if "--check" in sys.argv:
        if new != text:
            print("README transcript is stale: run python scripts/transcript.py", file=sys.stderr)
            return 1
        return 0
    README.write_text(new)
    return 0


if __name__ == "__main__":
    sys.exit(main())
