"""Batches through the pipeline: reports in, claims out (to a stream or to the store).

Documents are read, extracted and written one at a time, so memory stays flat however
large the corpus; a bad report is counted with its reason and the batch goes on.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from tollwatch.claims import Extractor
from tollwatch.errors import InputError
from tollwatch.export import incident_from_dict, incident_to_dict
from tollwatch.gazetteer import Gazetteer
from tollwatch.incidents import group, home_country
from tollwatch.ingest import MAX_BYTES, Notice, read_paths
from tollwatch.locate import locate
from tollwatch.origins import country_resolver, origin_of, outlet_name, shared_passages
from tollwatch.reconcile import DEFAULT_RULE, Context, reconcile
from tollwatch.records import Claim, Document, Incident
from tollwatch.store import Store


@dataclass(frozen=True)
class Skipped:
    """A report, or a file of them, that a batch left out, and why."""

    where: str  # file, file:line or file#entry
    reason: str


@dataclass
class Summary:
    """What a batch did: reports read, stored, skipped (with reasons), claims found."""

    read: int = 0
    stored: int = 0
    already_stored: int = 0
    claims: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """True when nothing was skipped: the CLI exits 0 only then."""
        return not self.skipped

    def lines(self) -> list[str]:
        out = [f"reports read: {self.read}", f"claims found: {self.claims}"]
        if self.stored or self.already_stored:
            out.insert(1, f"reports stored: {self.stored} new, "
                          f"{self.already_stored} already stored")
        out.append(f"reports skipped: {len(self.skipped)}")
        out += [f"  skipped {s.where}: {s.reason}" for s in self.skipped]
        out += [f"  note {n.path}: {n.message}" for n in self.notices]
        return out


Progress = Callable[[str], None]


def extract_paths(paths: Iterable[str | Path], extractor: Extractor | None = None,
                  summary: Summary | None = None, max_bytes: int = MAX_BYTES,
                  progress: Progress | None = None, gazetteer: Gazetteer | None = None
                  ) -> Iterator[tuple[Document, list[Claim]]]:
    """(document, located claims) for every readable report under `paths`; errors go to
    `summary`."""
    extractor = extractor or Extractor()
    gazetteer = gazetteer or Gazetteer.open()
    summary = summary if summary is not None else Summary()
    documents = _documents(paths, summary, max_bytes, progress)
    for document, claims in _extract_each(extractor, documents, summary):
        try:
            located = locate(document, claims, gazetteer)
        except Exception as e:  # the boundary of one report
            summary.skipped.append(_unexpected(document, e))
            continue
        summary.claims += len(located)
        yield document, located


def _extract_each(extractor: Extractor, documents: Iterator[Document], summary: Summary,
                  size: int = 16) -> Iterator[tuple[Document, list[Claim]]]:
    """Claims of each document, parsed in batches (spaCy is fastest so); a batch in which
    something fails is read again one document at a time, and only the failing one is
    skipped."""
    while batch := list(islice(documents, size)):
        try:
            done = list(extractor.extract_many(batch, docs_per_batch=size))
        except Exception:
            done = []
            for document in batch:
                try:
                    done.append((document, extractor.extract(document)))
                except Exception as e:  # the boundary of one report
                    summary.skipped.append(_unexpected(document, e))
        yield from done


def _unexpected(document: Document, e: Exception) -> Skipped:
    return Skipped(document.name, f"unexpected {type(e).__name__}: {e} (a bug in tollwatch; "
                                  f"please report it with this report)")


def ingest_paths(paths: Iterable[str | Path], store: Store, extractor: Extractor | None = None,
                 max_bytes: int = MAX_BYTES, progress: Progress | None = None,
                 gazetteer: Gazetteer | None = None) -> Summary:
    """Read, extract and store every report under `paths`, one transaction per report.

    A report already stored (same text under any name) is not extracted again; its new
    name is recorded. Whatever goes wrong with one report is recorded in the summary, and
    the batch goes on.
    """
    extractor = extractor or Extractor()
    gazetteer = gazetteer or Gazetteer.open()
    summary = Summary()
    for document in _documents(paths, summary, max_bytes, progress):
        try:
            if store.has_document(document.id):
                store.add(document, [])
                summary.already_stored += 1
                continue
            claims = locate(document, extractor.extract(document), gazetteer)
            store.add(document, claims)
        except Exception as e:  # the boundary of one report (store.add rolls back)
            summary.skipped.append(_unexpected(document, e))
            continue
        summary.stored += 1
        summary.claims += len(claims)
    return summary


def _documents(paths: Iterable[str | Path], summary: Summary, max_bytes: int,
               progress: Progress | None) -> Iterator[Document]:
    for item in read_paths(paths, max_bytes=max_bytes):
        if isinstance(item, InputError):
            summary.skipped.append(Skipped(item.path, item.problem))
        elif isinstance(item, Notice):
            summary.notices.append(item)
        else:
            summary.read += 1
            if progress:
                progress(item.name)
            yield item


def compute_incidents(store: Store, country: str, gazetteer: Gazetteer,
                      rule: str = DEFAULT_RULE, as_of: str | None = None) -> list[Incident]:
    """Incidents and figures of one country's claims, computed from the store.

    Claims with no country join the country their report is about (`incidents.home_country`),
    so they are computed with it. `as_of` (ISO date) keeps only reports published on or
    before that day: the picture as it stood then."""
    located = store.claims_of_country(country)
    docs = {c.document_id for c in located}
    unplaced = store.claims_of_country("") if country else located
    mates = store.claims_of_documents(docs | {c.document_id for c in unplaced}
                                      ) if unplaced else located
    meta = store.document_sources({c.document_id for c in mates})
    if as_of:
        mates = [c for c in mates if (meta[c.document_id][3] or "9999")[:10] <= as_of]
    country_of = country_resolver(gazetteer)
    outlets = {d: outlet_name(m[1], m[2], m[0]) for d, m in meta.items()}
    passages = shared_passages(mates)
    origins = {c.id: origin_of(c, outlets.get(c.document_id), passages.get(c.id), country_of)
               for c in mates}
    homes = home_country(mates, origins)
    claims = [c for c in mates if homes[c.id] == country]
    published = {d: m[3] for d, m in meta.items()}
    names = {country: gazetteer.country_name(country) or country} if country else {}
    return reconcile(group(claims, names, origins=origins),
                     Context(origins, published, rule=rule, outlets=outlets))


def refresh_incidents(store: Store, gazetteer: Gazetteer | None = None,
                      everything: bool = False) -> int:
    """Recompute and store incidents for the countries whose claims changed since the last
    refresh (all countries with `everything`). Returns how many countries were recomputed."""
    countries = store.countries() if everything else store.stale_countries()
    if not countries:
        return 0
    gazetteer = gazetteer or Gazetteer.open()
    for country in countries:
        incidents = compute_incidents(store, country, gazetteer)
        store.replace_incidents(country, [incident_to_dict(i) for i in incidents])
    return len(countries)


def load_incidents(store: Store, rule: str = DEFAULT_RULE,
                   as_of: str | None = None) -> list[Incident]:
    """Incidents, parents before their children. With the default rule and no `as_of` they
    come from the store; countries left stale by a writer that did not refresh are
    refreshed, or, in a read-only store, computed without storing. Another rule or a past
    day computes them without storing."""
    if rule != DEFAULT_RULE or as_of:
        gazetteer = Gazetteer.open()
        return [i for country in store.countries()
                for i in compute_incidents(store, country, gazetteer, rule, as_of)]
    if not store.readonly:
        refresh_incidents(store)
    stale = set(store.stale_countries())
    stored: dict[str, list[Incident]] = {}
    for country, data in store.incident_rows():
        stored.setdefault(country, []).append(incident_from_dict(json.loads(data)))
    if not stale:
        return [i for country in sorted(stored) for i in stored[country]]
    gazetteer = Gazetteer.open()
    return [i for country in sorted(set(stored) | stale)
            for i in ([incident_from_dict(incident_to_dict(x))
                       for x in compute_incidents(store, country, gazetteer)]
                      if country in stale else stored[country])]
