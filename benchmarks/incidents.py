"""Clustering and reconciliation time and peak memory for 10k, 100k and 1M synthetic claims.

usage: python benchmarks/incidents.py [--sizes 10000,100000,1000000]

Each size runs in its own process (so each peak is its own) through the same steps as
`refresh_incidents`: origins (with MinHash passage matching on claims without a named
source), grouping into nested incidents, figures and checks. It prints seconds, claims per
second, peak RSS, and the growth against the smallest size (near 1.0 per claim = linear).
In the first process it also times the naive alternative, comparing every pair of claims,
on the smallest size, as the baseline.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from datetime import date, timedelta

from tollwatch.incidents import group
from tollwatch.origins import origin_of, shared_passages
from tollwatch.reconcile import Context, reconcile
from tollwatch.records import Claim

COUNTRIES = ["SY", "SD", "PS", "UA", "MM", "NG", "CD", "HT", "YE", "ML"]
SOURCES = [None, "the health ministry", "SOHR", "residents", "the army", "the UN", "police",
           "Reuters", "a hospital director", "the governor"]
GROUPS = ["civilians", "combatants", "security_forces", "unspecified"]


SYLLABLES = ["ba", "ra", "ku", "mi", "sha", "lo", "ten", "dar", "fe", "zu", "hal", "qa", "no"]


def place_name(k: int) -> str:
    """A pronounceable, distinct name for place number k."""
    parts = []
    for _ in range(3):
        parts.append(SYLLABLES[k % len(SYLLABLES)])
        k //= len(SYLLABLES)
    return "".join(parts).capitalize()


def synthetic(n: int, seed: int = 3) -> list[Claim]:
    rng = random.Random(seed)
    out = []
    start = date(2024, 1, 1)
    for i in range(n):
        country = rng.choice(COUNTRIES)
        place = rng.randrange(300)
        day = start + timedelta(days=rng.randrange(365))
        doc = f"d{i // 4:07d}"
        low = rng.randint(1, 400)
        source = rng.choice(SOURCES)
        out.append(Claim(
            id=f"{doc}-{i % 4:03d}", document=f"{doc}.txt", document_id=doc, start=0, end=60,
            quote=f"At least {low} people were killed in place {place} on day {day}, "
                  f"{source or 'the outlet'} said.",
            count_start=9, count_end=12, outcome=rng.choice(["killed", "killed", "injured"]),
            count_low=low, count_high=rng.choice([low, None]), victims=rng.choice(GROUPS),
            source=source, hedged=rng.random() < 0.05,
            place=place_name(place) if place < 250 else None, admin1=None, country=country,
            where_prec=1 if place < 250 else 6, date_start=day.isoformat(),
            date_end=day.isoformat(), date_prec=1))
    return out


def run(n: int) -> dict[str, float]:
    claims = synthetic(n)
    t = time.perf_counter()
    passages = shared_passages(claims)
    origins = {c.id: origin_of(c, f"outlet{hash(c.document_id) % 50}", passages.get(c.id))
               for c in claims}
    published = {c.document_id: c.date_end for c in claims}
    incidents = reconcile(group(claims), Context(origins, published))
    seconds = time.perf_counter() - t
    return {"claims": n, "seconds": seconds, "incidents": len(incidents),
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def naive(n: int) -> float:
    """Every pair compared (same country, dates within 2 days): the quadratic baseline."""
    claims = synthetic(n)
    t = time.perf_counter()
    links = 0
    for i, a in enumerate(claims):
        for b in claims[i + 1:]:
            if a.country == b.country and abs(
                    (date.fromisoformat(a.date_start or "") -
                     date.fromisoformat(b.date_start or "")).days) <= 2:
                links += 1
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.one:
        print(json.dumps(run(a.one)))
        return
    sizes = [int(s) for s in a.sizes.split(",")]
    results = []
    for n in sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(n)], capture_output=True,
                             text=True, check=True).stdout
        results.append(json.loads(out))
    base = results[0]["seconds"] / results[0]["claims"]
    print(f"{'claims':>9} {'seconds':>8} {'claims/s':>9} {'incidents':>9} {'peak MB':>8} "
          f"{'s/claim vs smallest':>20}")
    for r in results:
        per = r["seconds"] / r["claims"]
        print(f"{r['claims']:>9,} {r['seconds']:>8.1f} {r['claims'] / r['seconds']:>9,.0f} "
              f"{r['incidents']:>9,} {r['peak_mb']:>8.0f} {per / base:>20.2f}")
    n0 = sizes[0]
    t_naive = naive(n0)
    print(f"baseline, every pair compared on {n0:,} claims: {t_naive:.1f} s, "
          f"{t_naive / results[0]['seconds']:.1f}x the time of tollwatch's blocking")


if __name__ == "__main__":
    main()
