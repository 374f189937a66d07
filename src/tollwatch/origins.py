"""Origins: who a figure really comes from, so corroboration counts independent origins.

Documents are not sources (DESIGN decision 2). A claim's origin is
1. the cited source, where the report names one ("SOHR", "the Syrian Observatory for Human
   Rights" and "the UK-based Syrian Observatory ..." are one origin);
2. else, for a passage that several reports share (wire copy reprinted or lightly edited),
   the passage: quotes are compared with MinHash/LSH (datasketch);
3. else the outlet (or, without one, the document).

Generic speakers ("residents", "a witness", "local sources") are not one origin across
reports: each report's residents are its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tollwatch.attribution import WIRE_AGENCIES
from tollwatch.gazetteer import fold
from tollwatch.records import Claim

GENERIC = re.compile(
    r"(?i)^(?:(?:one|two|three|several|some|many|other|local|camp|two other)\s+)*"
    r"(?:residents?|witness(?:es)?|eyewitness(?:es)?|sources?|activists?|officials?|medics?|"
    r"doctors?|rescuers?|relatives?|survivors?|villagers?|people|mourners?|social media.*|"
    r"reports?|videos?|posts?)$")
SMALL = {"of", "for", "the", "and", "on", "in", "de", "al", "el"}


def source_key(source: str | None) -> str | None:
    """One key for the spellings of one source: "SOHR", "the Syrian Observatory for Human
    Rights" and "UK-based Syrian Observatory for Human Rights" all give "sohr"."""
    if not source:
        return None
    s = re.sub(r"^(?:the\s+)?[\w.]+\s*-\s*based\s+", "", source.strip(), flags=re.I)
    s = re.sub(r"^the\s+", "", s, flags=re.I)
    low = fold(s)
    if low in WIRE_AGENCIES:
        return WIRE_AGENCIES[low].lower()
    words = [w for w in re.findall(r"[A-Za-z][\w'-]*", s)]
    caps = [w for w in words if w[0].isupper() and w.lower() not in SMALL]
    if len(caps) >= 3 and len(caps) == len([w for w in words if w.lower() not in SMALL]):
        return "".join(w[0] for w in caps).lower()  # a named organisation: its initials
    if re.fullmatch(r"[A-Z]{2,7}", s):
        return s.lower()
    return re.sub(r"\s+", " ", low)


def is_generic(source: str | None) -> bool:
    return bool(source) and bool(GENERIC.match(fold(source or "")))


def origin_of(claim: Claim, outlet: str | None, passage: str | None) -> str:
    """The origin key of a claim (see the module docstring)."""
    key = source_key(claim.source)
    if key and not is_generic(claim.source):
        return f"source:{key}"
    if passage:
        return f"passage:{passage}"
    who = f"outlet:{fold(outlet)}" if outlet else f"document:{claim.document_id}"
    return f"{who}/{key}" if key else who


def shared_passages(claims: Iterable[Claim], threshold: float = 0.6,
                    num_perm: int = 64) -> dict[str, str]:
    """claim id -> passage key, for claims whose quotes are near-copies of a quote in another
    document (MinHash LSH over word 3-grams). Claims with no near-copy are left out."""
    from datasketch import MinHash, MinHashLSH

    claims = [c for c in claims if not c.source or is_generic(c.source)]
    if len(claims) < 2:
        return {}
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    hashes: dict[str, MinHash] = {}
    for c in claims:
        words = re.findall(r"\w+", fold(c.quote))
        grams = {" ".join(words[i:i + 3]) for i in range(max(1, len(words) - 2))}
        m = MinHash(num_perm=num_perm)
        m.update_batch([g.encode() for g in grams])
        hashes[c.id] = m
        lsh.insert(c.id, m)
    doc_of = {c.id: c.document_id for c in claims}
    out: dict[str, str] = {}
    for c in claims:
        group = sorted(k for k in lsh.query(hashes[c.id]) if doc_of[k] != c.document_id or
                       k == c.id)
        if len({doc_of[k] for k in group}) > 1:
            out[c.id] = group[0]
    return out
