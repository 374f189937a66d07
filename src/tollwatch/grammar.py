"""The grammar of casualty reporting: whether a count in a parsed sentence counts victims,
of which outcome, and who they are.

A count is read through
1. its own noun ("31 bodies", "600 dead", "dozens of refugees");
2. the verb or noun that governs it ("were killed", "abducted dozens", "the deaths of
   hundreds", "a funeral for four", "the death toll has surpassed 600", "are said to have
   fled"), not when it names speakers ("two residents told the AP") or perpetrators;
3. lists that share one verb ("532 civilians ... in addition to 120 fighters and 89 ...");
and single victims are found by their determiner ("a nurse was killed", "killed his wife").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import Enum

from spacy.tokens import Doc, Span, Token

from tollwatch.attribution import closing_speakers
from tollwatch.counts import Count
from tollwatch.lexicon import (
    ATTRIBUTION_VERBS,
    CIVILIAN_NOUNS,
    COLLECTIVE_NOUNS,
    COMBATANT_NOUNS,
    DESCRIPTORS,
    KIN,
    NOT_VICTIM_NOUNS,
    OF_NOUNS,
    OUTCOME_ADJECTIVES,
    OUTCOME_NOUNS,
    OUTCOME_VERBS,
    PEOPLE_NOUNS,
    SECURITY_NOUNS,
    SURPASS_VERBS,
    TOLL_NOUNS,
)

VERB_OUTCOME = {lemma: outcome for outcome, lemmas in OUTCOME_VERBS.items() for lemma in lemmas}
NOUN_OUTCOME = {lemma: outcome for outcome, lemmas in OUTCOME_NOUNS.items() for lemma in lemmas}
# Verbs whose subject, not object, is the victim.
INTRANSITIVE = {"die", "perish", "flee", "escape", "disappear", "miss", "missing", "relocate",
                "shelter"}
PERSON_NOUNS = CIVILIAN_NOUNS | COMBATANT_NOUNS | SECURITY_NOUNS | PEOPLE_NOUNS | KIN
TOLL_VERBS = {"reach", "rise", "climb", "hit", "stand", "number", "total", "jump", "increase",
              "put", "place", "raise", "bring", "be", "soar", "mount", "grow", *SURPASS_VERBS}

SINGLE_DET = {"a", "an", "one"}
BREAKDOWN_VERBS = {"include", "comprise", "be"}
EXPEL_VERBS = {"force", "drive", "chase", "expel", "push", "uproot", "evict"}
HOME_NOUNS = {"home", "house", "village", "town", "city", "land", "area", "camp", "region",
              "neighbourhood", "neighborhood", "district"}
ATTEMPT_VERBS = {"try", "attempt", "seek", "threaten", "plan", "vow", "want", "intend"}
PASSIVE_AFTER = re.compile(
    r"(?i)^(?:\s+[\w'’-]+){0,3}?\s+(?:who\s+|that\s+)?(?:(?:were|was|have|has|had|been|being|"
    r"are|is|be|reportedly|allegedly|said\s+to|believed\s+to|thought\s+to|feared|all|also|"
    r"later|subsequently|confirmed)\s+)+(" + "|".join(sorted(OUTCOME_ADJECTIVES)) + r")\b")
ACTIVE_BEFORE = re.compile(r"(?i)\b(kills?|killed|killing|"
                           r"(?:shot|shoot|shoots|gunned)\s+(?:dead|down)|"
                           r"executes?|executed|wounds?|wounded|"
                           r"injures?|injured|abducts?|abducted|kidnaps?|kidnapped|arrests?|"
                           r"arrested|detains?|detained|displaces?|displaced)\s+$")
RIVAL_BEFORE = re.compile(r"(?i)\b(?:put|puts|putting|placed|places|estimated|estimates|"
                          r"gave|give|gives)\s+(?:the|their|its|a)\s+(?:\w+\s+)?(?:number|figure|"
                          r"tally|count|total)\s+at\s+$")
LIVES_BEFORE = re.compile(r"(?i)\b(?:claim|claimed|claims|claiming|took|take|takes|taking|cost|"
                          r"costs|costing)\s+the\s+lives\s+of\s+$")
OF_BEFORE = re.compile(r"(?i)\b(deaths?|bod(?:y|ies)|executions?|killings?|murders?|funerals?|"
                       r"remains|abductions?|kidnappings?|arrests?)\s+(?:of|for)\s+(?:the\s+)?$")

@dataclass(frozen=True)
class Found:
    """A count read in its sentence, before it becomes a Claim."""

    count: Count  # offsets relative to the document
    node: Token  # syntactic head of the count's noun phrase
    noun: Token | None  # the noun that names the people counted
    outcome: str | None
    verb: Token | None  # the casualty verb, if one governs the count
    attribution_subject: bool  # the count names speakers ("two residents told the AP")


def _np_head(span: Span) -> tuple[Token, Token | None]:
    """(node, noun) for a count span: the phrase's syntactic head and the people-noun."""
    num = span[-1]
    if num.lower_ in ("thousands", "hundreds", "dozens", "scores", "millions") or \
            num.dep_ not in ("nummod", "quantmod", "amod", "compound", "nmod", "advmod") or \
            num.head.pos_ not in ("NOUN", "PROPN", "ADJ") or num.head.i < num.i:
        node = num
    else:
        node = num.head
        while node.dep_ == "compound" and node.head.pos_ in ("NOUN", "PROPN"):
            node = node.head
    if node.pos_ in ("NOUN", "PROPN") and node.lower_ not in ("thousands", "hundreds",
                                                                "dozens", "scores"):
        return node, node
    # partitive or elliptical: "20 of his neighbors", "hundreds of Alawite civilians",
    # "89 from security forces"
    for child in node.children:
        if child.dep_ == "prep" and child.lower_ in ("of", "from", "with", "among"):
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return node, pobj
    nxt = span.doc[span.end] if span.end < len(span.doc) else None
    if nxt is not None and nxt.pos_ in ("NOUN", "PROPN") and nxt.lemma_.lower() in PERSON_NOUNS:
        return node, nxt
    return node, None


def _outcome_of_noun(noun: Token | None) -> str | None:
    if noun is None:
        return None
    word = noun.lemma_.lower()
    if word == "victim":
        return "killed"
    if word in ("toll", "execution", "killing", "massacre", "funeral", "grave"):
        return None  # event nouns: they govern counts, they are not counted
    return NOUN_OUTCOME.get(word) or OUTCOME_ADJECTIVES.get(noun.lower_)


# casualty verbs that also take things: "burned down 15 houses", "seized 20 trucks"
THING_VERBS = {"burn", "seize"}


def read_count(count: Count, span: Span, sdoc: Doc) -> Found | None:
    node, noun = _np_head(span)
    if noun is not None and noun.lemma_.lower() in NOT_VICTIM_NOUNS:
        return None
    if noun is not None and node is noun and noun.pos_ == "PROPN" and \
            noun.lemma_.lower() not in PERSON_NOUNS and \
            noun.text.lower().rstrip("s") not in PERSON_NOUNS:
        return None  # "the 7th Division", "Route 4": a count of a named thing, not of people
    if noun is None and node.dep_ == "appos" and node.head.pos_ == "PROPN" and \
            span.root.like_num:
        return None  # "Ali Hassan, 34,": an age
    outcome, verb, speaker = _govern(node, noun, span, sdoc)
    if verb is not None and verb.lemma_ in THING_VERBS and noun is not None and \
            noun.lemma_.lower() not in PERSON_NOUNS:
        return None
    return Found(count, node, noun, outcome, verb, speaker)


# What a reader decides: (outcome, casualty verb, the count names speakers). A reader that
# has nothing to say returns None and the next one reads; NOT_COUNTED ends the reading.
Verdict = tuple[str | None, Token | None, bool]
NOT_COUNTED: Verdict = (None, None, False)
SPEAKERS: Verdict = (None, None, True)


@dataclass(frozen=True)
class Reading:
    """A count in its parsed sentence, as the readers see it."""

    node: Token  # head of the count's phrase
    noun: Token | None  # the noun naming the people counted
    span: Span  # the count's words
    sdoc: Doc

    def word_after(self) -> Token | None:
        return self.sdoc[self.span.end] if self.span.end < len(self.sdoc) else None

    def word_after_noun(self) -> Token | None:
        n = self.noun
        if n is not None and n.i >= self.span.end and n.i + 1 < len(self.sdoc):
            return self.sdoc[n.i + 1]
        return None

    def text_before(self, chars: int) -> str:
        # from the tokens before the span (Doc.text would join the whole sentence each call)
        before = self.sdoc[max(0, self.span.start - 16):self.span.start].text_with_ws
        return before[-chars:] if chars else ""


def _govern(node: Token, noun: Token | None, span: Span, sdoc: Doc) -> Verdict:
    """(outcome, casualty verb, is the subject of an attribution verb) for a count: the
    first of `READERS` that decides."""
    reading = Reading(node, noun, span, sdoc)
    for reader in READERS:
        verdict = reader(reading)
        if verdict is not None:
            return verdict
    return NOT_COUNTED


def read_closing_speakers(r: Reading) -> Verdict | None:
    """"..., two residents and a health worker told Reuters": people between the last comma
    and a closing attribution verb the parser left with no subject are who speaks."""
    span = closing_speakers(r.sdoc[:])
    return SPEAKERS if span is not None and span.start == r.span.start else None


def read_partitive_subject(r: Reading) -> Verdict | None:
    """"two of the wounded later died": the verb, not the partitive noun, says what."""
    h = r.node.head
    if r.noun is not r.node and _is_casualty_verb(h) and (
            r.node.dep_ == "nsubjpass" or (r.node.dep_ == "nsubj" and h.lemma_ in INTRANSITIVE)):
        if _mixed_outcomes(h):
            return NOT_COUNTED  # "were killed or injured": casualties
        outcome = VERB_OUTCOME.get(h.lemma_.lower(), "killed")
        own = r.word_after()
        if outcome == "displaced" and own is not None and own.lower_ in OUTCOME_ADJECTIVES:
            return None  # "30 wounded were evacuated": the wounded, moved (read after)
        return outcome, h, False
    return None


def read_outcome_word_after(r: Reading) -> Verdict | None:
    """"600 dead", "12 civilians wounded", "251 taken hostage"."""
    for t in (r.word_after(), r.word_after_noun()):
        if t is not None and _taken_captive(t):
            return "abducted", t, False
        if t is not None and t.lower_ in OUTCOME_ADJECTIVES and t.dep_ != "nsubj" and \
                not (t.lower_ in ("killed", "injured", "wounded") and _is_active(t)):
            if _mixed_outcomes(t):
                return NOT_COUNTED  # "900 dead and wounded": casualties, not deaths
            return OUTCOME_ADJECTIVES[t.lower_], t if t.pos_ == "VERB" else None, False
    return None


def read_lives_of(r: Reading) -> Verdict | None:
    """"claimed the lives of at least 150 people"."""
    return ("killed", None, False) if LIVES_BEFORE.search(r.text_before(40)) else None


def read_condition_of(r: Reading) -> Verdict | None:
    """"the condition of one of them was critical", "the condition of three is serious": a
    count of the wounded in that state."""
    h = r.node.head
    if r.node.dep_ == "pobj" and h.lower_ == "of" and h.head.lemma_.lower() == "condition" \
            and h.head.dep_ in ("nsubj", "nsubjpass"):
        return "injured", None, False
    return None


def read_outcome_noun_of(r: Reading) -> Verdict | None:
    """"the deaths of hundreds", "the bodies of 31", "a funeral for four"."""
    m = OF_BEFORE.search(r.text_before(40))
    return (OF_NOUNS[_singular(m.group(1).lower())], None, False) if m else None


def read_among_group(r: Reading) -> Verdict | None:
    """"seven members of one family were among the dead"."""
    if r.node.dep_ in ("nsubj", "nsubjpass", "attr") and r.node.head.lemma_ == "be":
        got = _among_outcome(r.node.head)
        if got:
            return got, None, False
    return None


def read_own_noun(r: Reading) -> Verdict | None:
    """"31 bodies", "dozens of refugees": the counted noun carries the outcome."""
    own = _outcome_of_noun(r.noun)
    if own:
        return own, r.node.head if r.node.head.pos_ == "VERB" else None, False
    return None


def read_modifying_clause(r: Reading) -> Verdict | None:
    """"people massacred by", "men who were executed": a clause on the noun."""
    for holder in {r.node, r.noun} - {None}:
        assert holder is not None
        for child in holder.children:
            if child.dep_ in ("acl", "relcl", "amod") and child.lemma_ in VERB_OUTCOME:
                return VERB_OUTCOME[child.lemma_], child, False
    return None


def read_governing_words(r: Reading) -> Verdict | None:
    """Up the parse from the count to the verb or noun that governs it ("were killed",
    "abducted dozens", "the death toll has surpassed 600", "are said to have fled"), at
    most eight steps; a plain verb on the way stops the climb."""
    t = r.node
    for _ in range(8):
        h = t.head
        if h == t:
            return None
        if h.pos_ in ("VERB", "AUX"):
            step = _at_verb(t, h)
        elif h.pos_ in ("NOUN", "PROPN"):
            step = _at_noun(t, h)
        elif h.pos_ == "ADP" and h.dep_ == "prep":
            step = _at_preposition(h)
        else:
            step = CLIMB
        if step is STOP:
            return None
        if not isinstance(step, Step):
            return step
        t = h
    return None


class Step(Enum):
    """What one step of the climb says besides a verdict: go on up, or give up."""

    CLIMB = "climb"
    STOP = "stop"


CLIMB, STOP = Step.CLIMB, Step.STOP


def _at_verb(t: Token, h: Token) -> Verdict | Step:
    """One step of the climb at a verb `h` that `t` depends on."""
    rel, lemma = t.dep_, h.lemma_.lower()
    if _attempted(h):
        return NOT_COUNTED  # "tried to detain a wanted person"
    if rel in ("dobj", "nsubj", "nsubjpass"):
        got = _complement_outcome(h, rel)
        if got is not None:
            return got
    if lemma in EXPEL_VERBS and rel in ("nsubjpass", "dobj") and _from_home(h):
        return "displaced", h, False  # "forced from their homes", "driven out"
    if lemma in BREAKDOWN_VERBS and rel in ("dobj", "attr"):
        outcome = _subject_outcome(h)
        if outcome:
            return outcome, None, False
    outcome = _verb_object_outcome(h)
    if outcome:
        return outcome, h, False
    if _is_casualty_verb(h):
        if _mixed_outcomes(h):
            return NOT_COUNTED  # "were killed or injured": casualties
        if _suffers(t, h):
            return VERB_OUTCOME.get(lemma, "killed"), h, False
        if rel == "nsubj":
            return NOT_COUNTED  # "two gunmen killed five": the count killed
    if rel in ("nsubj", "nsubjpass") and not _is_casualty_verb(h):
        # "two civilians were hit by stray bullets and died": the verb the subject shares
        for verb in h.conjuncts:
            if verb.i > h.i and _is_casualty_verb(verb) and not _attempted(verb) and \
                    not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children) and \
                    (verb.lemma_ in INTRANSITIVE or verb.tag_ == "VBN"):
                return VERB_OUTCOME[verb.lemma_.lower()], verb, False
    if lemma in ATTRIBUTION_VERBS and rel == "nsubj":
        return SPEAKERS
    if rel in ("prep", "pobj", "conj", "appos", "npadvmod", "advmod", "quantmod"):
        return CLIMB
    if rel in ("nsubj", "nsubjpass", "dobj", "ccomp", "xcomp", "advcl", "relcl", "acl",
               "attr") and lemma not in VERB_OUTCOME:
        return STOP  # a plain verb: the count is its argument, not a casualty's
    return CLIMB


def _complement_outcome(h: Token, rel: str) -> Verdict | None:
    """"are said to have fled", "were reported killed", "remain missing", "are reported to
    have taken shelter"."""
    for child in h.children:
        if child.dep_ in ("acomp", "oprd") and child.lower_ in OUTCOME_ADJECTIVES \
                and rel != "dobj":
            return OUTCOME_ADJECTIVES[child.lower_], None, False
        if child.dep_ in ("xcomp", "oprd"):
            if child.lemma_ in VERB_OUTCOME:
                return VERB_OUTCOME[child.lemma_], child, False
            got = _verb_object_outcome(child)
            if got:
                return got, child, False
    return None


def _suffers(t: Token, h: Token) -> bool:
    """Whether `t` is what the casualty verb `h` happened to: its object, its passive
    subject, the subject of an intransitive ("died", "fled"), a companion ("alongside
    two others"), or a number hanging off it."""
    rel = t.dep_
    return rel in ("nsubjpass", "dobj", "attr", "oprd", "pobj", "npadvmod", "appos", "conj",
                   "dative", "nummod") or (rel == "nsubj" and (
                       h.lemma_.lower() in INTRANSITIVE or h.tag_ == "VBN"
                       or _elliptical_passive(t, h))) or (rel == "prep" and _companion(t))


def _at_noun(t: Token, h: Token) -> Verdict | Step:
    """One step of the climb at a noun: "a death toll of 40", "40 deaths"."""
    if t.dep_ in ("pobj", "prep"):
        return CLIMB
    lemma = h.lemma_.lower()
    if lemma in NOUN_OUTCOME and t.dep_ in ("nummod", "appos", "compound"):
        return NOUN_OUTCOME[lemma], None, False
    return CLIMB


def _at_preposition(h: Token) -> Verdict | Step:
    """One step of the climb at a preposition: "the deaths of", "a funeral for"."""
    owner = h.head
    if owner.lemma_.lower() in OF_NOUNS and h.lower_ in ("of", "for"):
        return OF_NOUNS[owner.lemma_.lower()], None, False
    return CLIMB


def read_passive_surface(r: Reading) -> Verdict | None:
    """Surface fallback for parses that went astray: "745 civilians said to be killed"."""
    noun, span = r.noun, r.span
    tail = r.sdoc.text[(noun.idx + len(noun.text)) if noun is not None and noun.i >= span.end
                       else span.end_char:][:80]
    m = PASSIVE_AFTER.match(tail)
    return (OUTCOME_ADJECTIVES.get(m.group(1).lower(), "killed"), None, False) if m else None


def read_active_surface(r: Reading) -> Verdict | None:
    """Headlines the parser misreads: "Strikes on Rafah kill at least 20"."""
    m = ACTIVE_BEFORE.search(r.text_before(30))
    if m and (r.noun is None or r.noun.lemma_.lower() in PERSON_NOUNS):
        word = m.group(1).lower()
        return VERB_OUTCOME.get(word.rstrip("s"), _stem_outcome(word)), None, False
    return None


READERS = (read_closing_speakers, read_partitive_subject, read_outcome_word_after, read_lives_of,
           read_condition_of, read_outcome_noun_of, read_among_group, read_own_noun,
           read_modifying_clause, read_governing_words, read_passive_surface, read_active_surface)


def _elliptical_passive(subject: Token, verb: Token) -> bool:
    """"and at least 16 others seriously injured": a participle the parser read as a past
    tense, with no object, right after its subject."""
    return verb.tag_ == "VBD" and verb.dep_ == "conj" and 0 < verb.i - subject.i <= 2 and \
        not any(c.dep_ in ("dobj", "ccomp", "xcomp") for c in verb.children)


def _companion(prep: Token) -> bool:
    """"killed alongside two members of ...", "together with three others": more victims of
    the same verb."""
    if prep.lower_ in ("alongside", "besides"):
        return True
    return prep.lower_ == "with" and any(c.lower_ in ("along", "together")
                                         for c in prep.children)


def _stem_outcome(word: str) -> str:
    w = word.lower()
    for stem, outcome in (("kill", "killed"), ("execut", "killed"), ("shot", "killed"),
                          ("shoot", "killed"), ("gunned", "killed"), ("wound", "injured"),
                          ("injur", "injured"), ("abduct", "abducted"), ("kidnap", "abducted"),
                          ("arrest", "detained"), ("detain", "detained"), ("displac", "displaced")):
        if w.startswith(stem):
            return outcome
    return "killed"


def _among_outcome(verb: Token) -> str | None:
    """"... were among the dead", "was among those killed": the outcome of the group."""
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ == "among":
            for p in child.children:
                if p.dep_ != "pobj":
                    continue
                got = _outcome_of_noun(p) or OUTCOME_ADJECTIVES.get(p.lower_)
                if got:
                    return got
                for c in p.children:
                    if c.dep_ in ("acl", "relcl", "amod") and c.lemma_ in VERB_OUTCOME:
                        return VERB_OUTCOME[c.lemma_]
    return None


def _from_home(verb: Token) -> bool:
    """"forced from their homes", "driven out of the village" ("from" on the verb or on
    its object)."""
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    for child in [*verb.children, *(c for o in objects for c in o.children)]:
        if child.dep_ == "prep" and child.lower_ in ("from", "out") and any(
                c.lemma_.lower() in HOME_NOUNS for c in child.subtree):
            return True
        if child.dep_ == "prt" and child.lower_ == "out":
            return True
    return False


def _is_casualty_verb(verb: Token) -> bool:
    if verb.lower_ == "shot" or verb.lemma_ == "shoot":
        return any(c.lower_ == "dead" for c in verb.children)  # "shot dead", not "shot at"
    return verb.lemma_.lower() in VERB_OUTCOME


def _singular(word: str) -> str:
    return {"bodies": "body", "deaths": "death", "executions": "execution", "killings": "killing",
            "murders": "murder", "funerals": "funeral", "abductions": "abduction",
            "kidnappings": "kidnapping", "arrests": "arrest"}.get(word, word)


def _attempted(verb: Token) -> bool:
    """A casualty verb under "tried to", "threatened to": it did not happen."""
    return verb.dep_ == "xcomp" and verb.head.lemma_.lower() in ATTEMPT_VERBS


def _subject_outcome(verb: Token) -> str | None:
    """"The victims included ...", "Those killed were ...": the outcome the subject names."""
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass", "expl"):
            for t in phrase(child):
                got = _outcome_of_noun(t) or (
                    VERB_OUTCOME.get(t.lemma_) if t.tag_ == "VBN" else None)
                if got:
                    return got
    return None


def _is_active(t: Token) -> bool:
    """A casualty verb used actively after the count: "two gunmen killed five"."""
    return t.dep_ in ("ROOT", "ccomp", "relcl") and any(
        c.dep_ == "dobj" for c in t.children)


def _verb_object_outcome(verb: Token) -> str | None:
    """Outcome carried by a verb's object or subject: "sought refuge", "the toll rose to",
    "taken hostage", "treated for gunshot wounds"."""
    if _taken_captive(verb):
        return "abducted"
    if _treated_for_wounds(verb):
        return "injured"
    for child in verb.children:
        word = child.lemma_.lower()
        if child.dep_ in ("nsubj", "nsubjpass", "dobj") and word in ("funeral", "burial"):
            return "killed"  # "a funeral was held for four members"
        if child.dep_ == "nsubj" and verb.lemma_ in TOLL_VERBS and word in NOUN_OUTCOME and \
                word not in ("toll", "execution", "killing", "massacre", "funeral", "grave") and \
                not _mixed_outcomes(child):
            return NOUN_OUTCOME[word]  # "the dead numbered at least 40"
        if child.dep_ in ("dobj", "attr") and (word in ("refuge", "sanctuary") or
                                               word == "shelter" and verb.lemma_ in
                                               ("take", "seek", "find", "look")):
            return "displaced"  # "gave refuge to", "took shelter" (not "provide shelter to")
        if child.dep_ == "dobj" and word == "life" and verb.lemma_ == "lose":
            return "killed"
        if child.dep_ == "dobj" and word in ("injury", "wound") and \
                verb.lemma_ in ("sustain", "suffer", "receive"):
            return "injured"  # "two officers sustained injuries"
        if child.dep_ in ("attr", "oprd") and word in ("refugee", "homeless") and \
                verb.lemma_ in ("become", "be", "remain", "make", "leave"):
            return "displaced"  # "300,000 people became refugees"
        if child.dep_ == "prep" and child.lower_ == "in":
            # "remain in captivity", "are held in custody"
            held = {c.lemma_.lower() for c in child.children if c.dep_ == "pobj"}
            if held & {"captivity", "custody", "detention"}:
                return "abducted" if "captivity" in held else "detained"
            if "condition" in held and verb.lemma_ in ("be", "remain", "lie", "stay"):
                return "injured"  # "another 20 are in critical condition"
        if child.dep_ in ("nsubj", "nsubjpass", "dobj") and word in TOLL_NOUNS:
            named = {NOUN_OUTCOME.get(sub.lemma_.lower()) or OUTCOME_ADJECTIVES.get(sub.lower_)
                     for sub in _toll_words(child)} - {None}
            if len(named) > 1:
                return None  # "the number of dead and wounded": casualties, not deaths
            known = TOLL_NOUNS[word]
            if known or named:
                return known or named.pop()
    return None


def _toll_words(toll: Token) -> list[Token]:
    """The words that say what a toll counts: "death toll", "the number of dead and
    wounded"; not the clauses about where ("a school sheltering displaced families")."""
    out = [c for c in toll.children if c.dep_ in ("compound", "amod")]
    out.extend(toll.conjuncts)  # "the number of dead and wounded", "and" hung on "number"
    for prep in toll.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                out.extend(t for t in [pobj, *pobj.conjuncts])
                out.extend(c for c in pobj.children if c.dep_ in ("compound", "amod") or
                           c.dep_ == "acl" and c.tag_ == "VBN")  # "of people killed"
    return out


CAPTIVE_NOUNS = {"hostage", "captive"}
TREATED_FOR = {"wound", "injury", "burn", "gunshot", "fracture"}


def _taken_captive(verb: Token) -> bool:
    """"taken hostage", "held captive", "took away forty travellers"."""
    if verb.lemma_ not in ("take", "hold", "carry", "lead"):
        return False
    return any(c.lemma_.lower() in CAPTIVE_NOUNS and c.dep_ in ("oprd", "dobj", "attr", "npadvmod",
                                                                 "acomp", "advmod")
               or c.lower_ == "away" and c.dep_ in ("prt", "advmod") and verb.lemma_ != "hold"
               for c in verb.children)


def _treated_for_wounds(verb: Token) -> bool:
    """"treating 19 people for gunshot wounds", "treated 27 with stab wounds"."""
    if verb.lemma_ not in ("treat", "admit", "hospitalise", "hospitalize"):
        return False
    heads = [verb, *(c for c in verb.children if c.dep_ == "dobj")]  # "for" hung on "people"
    return any(c.dep_ == "prep" and c.lower_ in ("for", "with") and any(
        t.lemma_.lower() in TREATED_FOR for t in c.subtree) for h in heads for c in h.children)


def _mixed_outcomes(word: Token) -> bool:
    """An outcome word joined to another outcome that has no count of its own ("dead and
    wounded", "killed or injured"): together they are casualties, which are not counted."""
    def outcome(t: Token) -> str | None:
        return NOUN_OUTCOME.get(t.lemma_.lower()) or OUTCOME_ADJECTIVES.get(t.lower_)

    doc = word.doc
    if word.i + 2 >= len(doc) or doc[word.i + 1].lower_ not in ("and", "or", "&", "/"):
        return False
    other = outcome(doc[word.i + 2])
    return other is not None and other != outcome(word)


def _one_person(tok: Token) -> Token | None:
    """The determiner that makes a person noun a count of one ("a nurse", "her newborn baby",
    "one man", "the mother of ..."), the noun itself for a bare singular that continues a
    list ("Woman and two children"), or None."""
    aged = tok.lower_ == "old" and any(c.dep_ == "npadvmod" and c.lemma_ in ("year", "month")
                                       for c in tok.children)  # "a two-year-old"
    if not aged and (tok.tag_ != "NN" or tok.pos_ != "NOUN" or
                     tok.lemma_.lower() not in PERSON_NOUNS or
                     tok.lemma_.lower() in NOT_VICTIM_NOUNS or
                     tok.lemma_.lower() in COLLECTIVE_NOUNS):
        return None  # "a family of six" is not one person
    det = next((c for c in tok.children if c.dep_ in ("det", "nummod", "poss")), None)
    if det is None:
        return tok
    if det.lower_ in SINGLE_DET:
        return det
    if det.dep_ == "poss" and (tok.lemma_ in KIN or tok.dep_ == "conj"):
        return det  # "killed his wife", "a young mother, her newborn baby"
    if det.lower_ == "the" and tok.lemma_ in KIN and any(
            c.dep_ == "prep" and c.lower_ == "of" for c in tok.children):
        return det  # "the mother and sister of a local chief"
    if det.lower_ == "the" and tok.dep_ in ("dobj", "nsubjpass") and tok.head.pos_ == "VERB":
        return det  # "killing the driver", "the shopkeeper was shot dead" (a casualty verb's)
    return None


def _in_list(tok: Token, taken: set[int]) -> bool:
    """One more in a list of counted people: "nine children and a woman", "three
    shopkeepers, including an octogenarian", "Woman and two children"."""
    h = tok.head
    if tok.dep_ == "conj" and h.i in taken:
        return True
    if tok.dep_ == "pobj" and h.lower_ in ("including", "among"):
        if h.head.i in taken:
            return True
        # "11 were wounded (in the attack), including a woman": "including" hung on the verb
        # or on a noun under it
        verb = next((a for a in h.ancestors if a.pos_ in ("VERB", "AUX")), None)
        if verb is not None and any(t.i in taken for t in verb.subtree if t.i < h.i):
            return True
    # a bare noun heading the list: "Woman and two children among 10 killed"
    return not any(c.dep_ in ("det", "poss") for c in tok.children) and any(
        c.dep_ == "conj" and c.i in taken for c in tok.children)


def single_victims(sdoc: Doc, found: list[Found]) -> list[Found]:
    """"a nurse was killed", "killed his wife", "nine children and a woman", "the dead
    included a woman", "the body of a woman": counts of one."""
    taken = {f.node.i for f in found} | {f.noun.i for f in found if f.noun is not None}
    speakers = closing_speakers(sdoc[:])
    out: list[Found] = []
    for tok in sdoc:
        if tok.i in taken:
            continue
        det = _one_person(tok)
        if det is None:
            continue
        h = tok.head
        lemma = h.lemma_.lower()
        start, end = det.idx if det.i < tok.i else tok.idx, tok.idx + len(tok.text)
        listed = _in_list(tok, taken)
        if det is tok and not listed:
            continue  # a bare "woman" counts only inside a list of counted people
        if speakers is not None and speakers.start <= tok.i < speakers.end:
            continue  # "..., two residents and a health worker told Reuters": speakers
        outcome: str | None = None
        verb: Token | None = None
        if tok.dep_ in ("nsubj", "attr") and lemma == "be" and _among_outcome(h):
            outcome = _among_outcome(h)
        elif tok.dep_ == "nsubj" and lemma in ("be", "remain") and \
                (state := _complement_outcome(h, "nsubj")) is not None:
            outcome = state[0]  # "one officer was missing"
        elif tok.dep_ in ("dobj", "attr") and lemma in BREAKDOWN_VERBS and _subject_outcome(h):
            outcome = _subject_outcome(h)  # "the dead included a woman"
        elif tok.dep_ == "pobj" and h.lower_ in ("of", "for") and \
                h.head.lemma_.lower() in OF_NOUNS:
            outcome = OF_NOUNS[h.head.lemma_.lower()]  # "the body of a woman"
        elif h.pos_ == "VERB" and _is_casualty_verb(h) and not _attempted(h) and (
                tok.dep_ in ("nsubjpass", "dobj")
                or (tok.dep_ == "nsubj" and lemma in INTRANSITIVE)
                or _also(tok)):
            outcome, verb = VERB_OUTCOME[lemma], h
        elif listed:  # in a list: the list's outcome
            outcome, verb = _list_outcome(tok, [*found, *out])
        else:
            continue
        count = Count(start, end, 1, 1, False, sdoc.text[start:end])
        out.append(Found(count, tok, tok, outcome, verb, False))
        taken.add(tok.i)
    return out


# "they include", "the dead included", "those killed were"; the pronoun's outcome is the
# figure before it (set by claims)
LIST_PRONOUNS = {"they", "those", "these"}


def named_victims(sdoc: Doc, found: list[Found]) -> list[Found]:
    """People the text names as victims, one count each: "They include Dr. Karim Haddad, a
    surgeon, and Omar Saleh, ...", "The dead included Ali Hassan". A name counts when it
    has a first name or a title before the last; after "they" its outcome is left None, for the
    figure of the sentence before."""
    taken = {f.node.i for f in found} | {f.noun.i for f in found if f.noun is not None}
    out: list[Found] = []
    for verb in sdoc:
        if verb.lemma_ not in BREAKDOWN_VERBS:
            continue
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subject is None:
            continue
        outcome = _subject_outcome(verb)
        if outcome is None and (subject.lower_ not in LIST_PRONOUNS or verb.lemma_ == "be"):
            continue
        for obj in (c for c in verb.children if c.dep_ in ("dobj", "attr")):
            for person in [obj, *obj.conjuncts]:
                if person.pos_ != "PROPN" or person.i in taken:
                    continue
                # a first name or a title before the last: "Dr. Karim Haddad", "Omar Saleh"
                name = [t for t in person.lefts if t.dep_ == "compound" and t.pos_ == "PROPN"
                        and t.text[:1].isupper()]
                if not name:
                    continue
                start = min(t.idx for t in name)
                end = person.idx + len(person.text)
                count = Count(start, end, 1, 1, False, sdoc.text[start:end])
                out.append(Found(count, person, person, outcome, verb, False))
                taken.add(person.i)
    return out


def _list_outcome(tok: Token, found: list[Found]) -> tuple[str | None, Token | None]:
    """The outcome of the counted people a single victim is listed with."""
    partners = {tok.head.i, tok.head.head.i, *(c.i for c in tok.children if c.dep_ == "conj")}
    for f in found:
        if f.node.i in partners or (f.noun is not None and f.noun.i in partners):
            return f.outcome, f.verb
    return None, None


def _also(tok: Token) -> bool:
    """"18 women were killed as well as one man": one more for the verb."""
    before = tok.doc[max(0, tok.i - 5):tok.i].text.lower()
    return bool(re.search(r"\b(?:as well as|along with|together with|alongside)\s+(?:\w+\s+)?$",
                          before + " "))


def inherit_outcomes(found: list[Found], text: str) -> list[Found]:
    """Counts in a list that share one verb take its outcome ("... and 89 from security forces")."""
    out = list(found)
    for i, f in enumerate(out):
        if f.outcome is not None or f.attribution_subject or (
                f.node.dep_ == "nsubj" and f.node.head.lemma_ != "be"):
            continue  # the subject of an active verb acts: "20 gunmen attacked ..., killing five"
        if f.noun is not None and f.noun.lemma_.lower() not in PERSON_NOUNS and \
                f.noun.lower_ not in PERSON_NOUNS and f.noun.pos_ != "PROPN":
            continue
        for j in [*range(i - 1, -1, -1), *range(i + 1, len(out))]:
            other = out[j]
            if other.outcome is None:
                continue
            lo, hi = sorted((other.count.end, f.count.start)) if j < i else \
                sorted((f.count.end, other.count.start))
            between = text[lo:hi]
            # "4 were arrested, while witnesses put the number at more than 20": a rival
            # figure for the same people crosses "while" and "but"
            rival = j < i and RIVAL_BEFORE.search(text[:f.count.start])
            if re.search(r"[.;:]", between) or (
                    not rival and re.search(r"\b(?:said|told|but|while)\b", between)):
                continue
            out[i] = replace(f, outcome=other.outcome, verb=other.verb)
            break
    return out


def phrase(token: Token) -> list[Token]:
    """The words of a noun phrase, leaving out clauses and other conjuncts hanging off it."""
    out = [token]
    for child in token.children:
        if child.dep_ not in ("relcl", "acl", "conj", "cc", "appos", "punct", "advcl") and \
                child.lower_ not in PART_WORDS:
            out.extend(phrase(child))
    return out


# "16 others injured, including two gang members": the parts listed are not the whole's kind
PART_WORDS = {"including", "among", "excluding", "besides", "plus"}


def victims_of(f: Found, sdoc: Doc) -> tuple[str, tuple[str, ...]]:
    """Victim group and descriptors from the words of the count's noun phrase."""
    words: list[Token] = []
    holders = {f.node, f.noun} - {None}
    if f.node.dep_ in ("nsubj", "nsubjpass") and f.node.head.lemma_ == "be":
        # "69 of those killed were Alawite civilians"
        holders |= {c for c in f.node.head.children if c.dep_ in ("attr", "acomp")}
    if f.node.dep_ == "nsubj" and f.node.head.pos_ == "NOUN" and f.node.head.i > f.node.i:
        holders.add(f.node.head)  # "eight of them women": the verbless clause's noun
    if f.node.dep_ == "pobj" and f.node.head.head.pos_ == "VERB":
        # "put the civilian toll at 532"
        holders |= {c for c in f.node.head.head.children if c.lemma_.lower() in TOLL_NOUNS}
    for holder in holders:
        assert holder is not None
        words.extend(phrase(holder))
    if f.noun is not None and f.noun.i + 1 < len(sdoc) and sdoc[f.noun.i + 1].lower_ in (
            "of", "from") and sdoc[f.noun.i + 1].head != f.noun:
        # "kill 32 members from the civilian population", "from" hung on the verb
        words.extend(sdoc[f.noun.i + 1].subtree)
    words = sorted(set(words), key=lambda t: t.i)
    lemmas = [t.lemma_.lower() for t in words]
    lowers = [t.lower_ for t in words]
    joined = " ".join(lowers)
    head = f.noun.lemma_.lower() if f.noun is not None else ""
    group = "unspecified"
    if re.search(r"\bformer\b.*\b(?:army|regime|soldiers?|government)\b|\bpro\b|\bloyal|"
                 r"\bgang\s+members?\b|\bgangsters?\b", joined):
        group = "combatants"
    elif re.search(r"\b(?:state|government|federal|national)\s+paramilitar", joined):
        group = "security_forces"  # "two members of a state paramilitary force"
    elif re.search(r"\b(?:\w+|\d+)[\s-]+(?:year|month)[\s-]+old\b", joined) and not re.search(
            r"\b(?:\d\d|\w+ty)(?:-\w+)?[\s-]+year", joined):
        group = "civilians"  # "a two-year-old": a child
    elif head in SECURITY_NOUNS or re.search(
            r"\b(?:security|police|army|military|soldiers?|troops|gendarmes?|servicemen|"
            r"organi[sz]ed\s+forces)\b",
            joined):
        group = "security_forces"
    elif head in COMBATANT_NOUNS or any(w in COMBATANT_NOUNS for w in lemmas) or \
            "armed groups" in joined:
        group = "combatants"
    elif head in CIVILIAN_NOUNS or any(w in CIVILIAN_NOUNS for w in lemmas) or "civilian" in joined:
        group = "civilians"
    descriptors = []
    for w in (*lemmas, *lowers):
        d = DESCRIPTORS.get(w)
        if d and d not in descriptors:
            descriptors.append(d)
    return group, tuple(descriptors)
