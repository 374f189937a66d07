"""Extraction speed on one core against spaCy's full pipeline over the same texts.

usage: python benchmarks/extract.py [--reports N]

Prints reports per second for tollwatch's extractor (with places and dates) and for
`nlp.pipe` with every component of the small English model (tok2vec, tagger, parser,
lemmatizer, NER), the ratio, and the peak memory after N and 2N reports (streamed: it
should not grow with N).
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import argparse  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))

import spacy  # noqa: E402
from corpus import reports  # noqa: E402

from tollwatch.claims import MODEL, Extractor  # noqa: E402
from tollwatch.gazetteer import Gazetteer  # noqa: E402
from tollwatch.locate import locate  # noqa: E402


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reports", type=int, default=1000)
    n = ap.parse_args().reports
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core

    extractor = Extractor()
    gazetteer = Gazetteer.open()
    extractor.extract(next(reports(1)))  # load the model outside the timing
    full = spacy.load(MODEL)

    t = time.perf_counter()
    claims = 0
    for doc, cs in extractor.extract_many(reports(n)):
        claims += len(locate(doc, cs, gazetteer))
    ours = time.perf_counter() - t
    mem_n = peak_mb()
    for doc, cs in extractor.extract_many(reports(2 * n, seed=8)):
        locate(doc, cs, gazetteer)
    mem_2n = peak_mb()

    t = time.perf_counter()
    for _ in full.pipe((d.text for d in reports(n)), batch_size=64):
        pass
    baseline = time.perf_counter() - t

    print(f"reports: {n} (synthetic, benchmarks/corpus.py), claims found: {claims}")
    print(f"tollwatch extract + places + dates: {n / ours:8.1f} reports/s  ({ours:.2f} s)")
    print(f"spaCy full pipeline ({MODEL}): {n / baseline:8.1f} reports/s  ({baseline:.2f} s)")
    print(f"ratio: {baseline / ours:.1f}x faster than the full pipeline")
    print(f"peak memory: {mem_n:.0f} MB after {n} reports, {mem_2n:.0f} MB after {2 * n} more")


if __name__ == "__main__":
    main()
