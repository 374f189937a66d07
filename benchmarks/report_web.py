"""Report and web app speed.

usage: python benchmarks/report_web.py [--incidents 10000] [--claims 100000]
           [--clients 20] [--requests 30]

1. Writes the HTML report for about `--incidents` incidents (synthetic claims, grouped and
   reconciled first) and prints the time, against `json.dumps` of the same incidents in the
   same process as the baseline.
2. Stores `--claims` synthetic claims in a SQLite file, starts `tollwatch serve` on
   127.0.0.1, and has `--clients` concurrent clients each fetch every main page
   `--requests` times (bounded: it stops by itself). Prints the median and 95th percentile
   per page, and the ratio of the loaded 95th percentile to one client alone.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from incidents import synthetic  # noqa: E402

from tollwatch.export import incident_to_dict  # noqa: E402
from tollwatch.gazetteer import Gazetteer  # noqa: E402
from tollwatch.incidents import group  # noqa: E402
from tollwatch.origins import origin_of  # noqa: E402
from tollwatch.pipeline import refresh_incidents  # noqa: E402
from tollwatch.reconcile import Context, reconcile  # noqa: E402
from tollwatch.records import Claim, Document  # noqa: E402
from tollwatch.report import build  # noqa: E402
from tollwatch.store import Store  # noqa: E402


def documents_for(claims: list[Claim]) -> list[Document]:
    texts: dict[str, list[str]] = {}
    for c in claims:
        texts.setdefault(c.document_id, []).append(c.quote)
    return [Document(id=d, name=f"{d}.txt", text=" ".join(q), published="2024-06-01")
            for d, q in texts.items()]


def report_bench(n_incidents: int) -> None:
    claims = synthetic(int(n_incidents * 2.4))  # about one incident per 2.4 claims
    origins = {c.id: origin_of(c, None, None) for c in claims}
    incidents = reconcile(group(claims), Context(origins, {c.document_id: c.date_end
                                                           for c in claims}))
    docs = documents_for(claims)
    gz = Gazetteer.open()
    t = time.perf_counter()
    html = build(incidents, claims, docs, gz)
    took = time.perf_counter() - t
    t = time.perf_counter()
    json.dumps([incident_to_dict(i) for i in incidents])
    base = time.perf_counter() - t
    print(f"report: {len(incidents):,} incidents, {len(claims):,} claims -> "
          f"{len(html) / 1e6:.1f} MB in {took:.2f} s (json.dumps of the same: {base:.2f} s, "
          f"ratio {took / base:.1f}x)")


def fill(db: Path, n_claims: int) -> None:
    claims = synthetic(n_claims)
    by_doc: dict[str, list[Claim]] = {}
    for c in claims:
        by_doc.setdefault(c.document_id, []).append(c)
    with Store(db) as store:
        for doc in documents_for(claims):
            store.add(doc, by_doc[doc.id])
        refresh_incidents(store)


def fetch(url: str) -> float:
    t = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as r:
        r.read()
        assert r.status == 200
    return (time.perf_counter() - t) * 1000


def web_bench(n_claims: int, clients: int, requests: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        t = time.perf_counter()
        fill(db, n_claims)
        print(f"stored {n_claims:,} claims in {time.perf_counter() - t:.1f} s")
        with Store(db) as store:
            incident = store.conn.execute("SELECT id FROM incidents WHERE parent IS NOT NULL "
                                          "LIMIT 1").fetchone()[0]
            claim = store.conn.execute("SELECT id, document_id FROM claims LIMIT 1").fetchone()
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        proc = subprocess.Popen([sys.executable, "-m", "tollwatch", "serve", "--db", str(db),
                                 "--port", str(port)])
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    fetch(base + "/login")
                    break
                except OSError:
                    time.sleep(0.1)
            pages = {"incidents": "/", "incident": f"/incidents/{incident}",
                     "claims": "/claims", "claims search": "/claims?q=killed&outcome=killed",
                     "claim": f"/claims/{claim[0]}", "reports": "/reports",
                     "report": f"/reports/{claim[1]}", "sources": "/sources",
                     "api incidents": "/api/incidents?country=SY"}
            alone = {name: sorted(fetch(base + url) for _ in range(10))[9]
                     for name, url in pages.items()}
            print(f"{'page':<15} {'median ms':>9} {'p95 ms':>8} {'p95 alone':>10} "
                  f"{'ratio':>6}   ({clients} clients x {requests} requests a page)")
            with ThreadPoolExecutor(clients) as pool:
                for name, url in pages.items():
                    times = list(pool.map(fetch, [base + url] * (clients * requests)))
                    p95 = statistics.quantiles(times, n=20)[18]
                    print(f"{name:<15} {statistics.median(times):>9.1f} {p95:>8.1f} "
                          f"{alone[name]:>10.1f} {p95 / alone[name]:>6.1f}")
        finally:
            proc.terminate()
            proc.wait(10)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--incidents", type=int, default=10000)
    ap.add_argument("--claims", type=int, default=100000)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--requests", type=int, default=30)
    a = ap.parse_args()
    report_bench(a.incidents)
    web_bench(a.claims, a.clients, a.requests)


if __name__ == "__main__":
    main()
