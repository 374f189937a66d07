"""Who says so, and how sure: sources and hedging of claims (perpetrators: `perpetrators`).

Sources are read from the grammar of attribution: "according to X", "X said/reported/told
... that", "..., X said", "as reported by X". Definite descriptions ("the UK-based war
monitor", "the Observatory", "the news agency") resolve to an organisation the report named
earlier, kept in a `SourceMemory` per document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from tollwatch.lexicon import (
    ATTRIBUTION_VERBS,
    EVENT_NOUNS,
    HEDGE_PHRASES,
    HEDGE_WORDS,
    OUTCOME_ADJECTIVES,
    WEEKDAYS,
)

WIRE_AGENCIES = {"ap": "AP", "associated press": "AP", "reuters": "Reuters", "afp": "AFP",
                 "agence france-presse": "AFP", "xinhua": "Xinhua", "sana": "SANA",
                 "anadolu": "Anadolu", "tass": "TASS", "efe": "EFE", "dpa": "dpa",
                 "ansa": "ANSA", "ria novosti": "RIA Novosti", "wafa": "WAFA", "irna": "IRNA",
                 "pti": "PTI", "bernama": "Bernama", "kyodo": "Kyodo", "yonhap": "Yonhap"}
ORG_WORDS = (r"Observatory|Ministry|Agency|Committee|Council|Office|Organi[sz]ation|Network|"
             r"Monitor|Watch|Cross|Crescent|Nations|Mission|Commission|Department|Authority|"
             r"Service|Defen[cs]e|Army|Forces|Hospital|Press|News|Times|Post|Project|Centre|"
             r"Center|Institute|Union|Federation|Coalition|Group|Front")
ORG_RE = re.compile(rf"\b((?:[A-Z][\w'’.-]*|of|for|the|and|on|in)(?:\s+(?:[A-Z][\w'’.-]*|of|for|"
                    rf"the|and|on|in))*?\s+(?:{ORG_WORDS})(?:\s+(?:for|of|on)(?:\s+[A-Z][\w'’-]*)+)?)"
                    rf"(?:\s*\(([A-Z][A-Za-z]{{1,7}})\))?")
# Generic heads that stand for an organisation named earlier.
DESCRIPTION_HEADS = {
    "monitor": r"observatory|monitor|network|watch|documentation|rights",
    "observatory": r"observatory",
    "watchdog": r"observatory|monitor|watch",
    "agency": "|".join(sorted({v for v in WIRE_AGENCIES.values()})) + r"|agency|press",
    "ministry": r"ministry",
    "group": r"observatory|monitor|network|watch|group|organi[sz]ation|committee|front",
    "organisation": r"organi[sz]ation|observatory|network|committee",
    "organization": r"organi[sz]ation|observatory|network|committee",
    "office": r"office",
    "committee": r"committee",
    "mission": r"mission",
}
CHANNEL = re.compile(r"(?i)^(?:(?:wire|media|news|press|local|several|multiple|other|some|"
                     r"unconfirmed)\s+)*(?:reports?|media|accounts?)$")
HEADLINE_SOURCE = re.compile(r"(?:\d|\b(?:kills|" + "|".join(sorted(OUTCOME_ADJECTIVES)) +
                             r"))[^:]*"
                             r"(?::|\s[-–—])\s+((?:[a-z][\w'’-]*\s?){1,4}(?:,\s*(?:[a-z][\w'’-]*"
                             r"\s?){1,4})?)$")
# "..., a local police officer told AFP", "Bertide Harace, spokeswoman for ..., said",
# "X, the director-general of the ministry, confirmed the deaths": who
# spoke in a sentence with no figure, for the pronouns of the sentences after it
SPEAKER_RE = re.compile(
    r"(?:^|,\s+)((?:an?\s+|the\s+)?(?:[\w-]+\s+){0,3}?(?:officer|official|spokes(?:man|woman|"
    r"person)|governor|mayor|witness|resident|doctor|medic|commander|minister|director|chief|"
    r"source)(?:\s+[A-Z][\w'’-]+){0,3}|[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){1,3})"
    r"(?:,[^,]{3,120},)?\s+(?:told|said|says|added|confirmed|announced|stated|wrote|"
    r"reported)\b")
WEEKDAY_NAMES = {w.title() for w in WEEKDAYS}
PRONOUNS = {"he", "she", "they", "it", "we", "i", "who", "which", "that", "this"}


@dataclass
class SourceMemory:
    """Organisations and speakers a report has named so far, most recent last."""

    names: list[str] = field(default_factory=list)
    acronyms: dict[str, str] = field(default_factory=dict)  # acronym -> full name
    last_speaker: str | None = None
    last_person: str | None = None
    last_body: str | None = None  # an organisation, an office, a group

    def heard(self, speaker: str) -> None:
        """A speaker the report quoted: "it" will stand for the last body, "he" or "she"
        for the last person."""
        self.last_speaker = speaker
        if is_body(speaker):
            self.last_body = speaker
        else:
            self.last_person = speaker

    def speaker_for(self, pronoun: str) -> str | None:
        if pronoun in ("it", "which"):
            return self.last_body or self.last_speaker
        if pronoun in ("he", "she"):
            return self.last_person or self.last_speaker
        return self.last_speaker

    def learn_text(self, text: str) -> None:
        for m in ORG_RE.finditer(text):
            name = re.sub(r"^(?:(?:the|of|for|and|on|in)\s+)+", "", m.group(1), flags=re.I)
            if re.fullmatch(ORG_WORDS, name):
                continue  # "the Observatory": a description, not a name
            if m.group(2):
                self.acronyms[m.group(2)] = name
            self.remember(name)
        for m in re.finditer(r"\b(?:the\s+)?([A-Z]{2,6})\b", text):
            if m.group(1).lower() in WIRE_AGENCIES or m.group(1) in self.acronyms:
                self.remember(m.group(1))
        spoke = SPEAKER_RE.search(text)
        if spoke and spoke.group(1).split()[0].lower() not in PRONOUNS:
            self.heard(re.sub(r"^(?:an?|the)\s+", "", spoke.group(1)))

    def remember(self, name: str) -> None:
        if name in self.names:
            self.names.remove(name)
        self.names.append(name)

    def resolve(self, phrase: str) -> str:
        """A definite description ("the UK-based war monitor") to a name seen earlier."""
        words = phrase.lower().split()
        if not words or (len(words) > 1 or words[0] not in DESCRIPTION_HEADS) and any(
                w[:1].isupper() and not w.endswith("-based") for w in phrase.split()):
            # a name ("UN agency", "Gaza health ministry"); "the Observatory" is a description
            return phrase
        head = words[-1]
        if head == "agency" and "news" in words:
            pattern = "|".join(WIRE_AGENCIES)
        elif head in DESCRIPTION_HEADS:
            pattern = DESCRIPTION_HEADS[head]
        else:
            return phrase
        for name in reversed(self.names):
            full = self.acronyms.get(name, name)
            if re.search(rf"\b(?:{pattern})", full, re.I) or re.search(
                    rf"^(?:{pattern})$", name, re.I):
                return name
        return phrase


BODY_WORDS = re.compile(rf"(?i)\b(?:{ORG_WORDS}|group|agency|office|ministry|police|army|"
                        r"military|government|authorit(?:y|ies)|union|television|radio|"
                        r"media|council|association|organi[sz]ation)\b")


def is_body(speaker: str) -> bool:
    """An organisation or office rather than a person: "the UN human rights office", "SOHR"."""
    last = speaker.lower().split()[-1].rstrip("s") if speaker.split() else ""
    if last in ROLES | SPOKES | {"officer", "official", "witness", "resident", "medic", "source"}:
        return False  # "a local police officer" is a person
    return bool(BODY_WORDS.search(speaker)) or speaker.isupper() or \
        speaker.lower() in WIRE_AGENCIES


def _np_text(token: Token) -> str:
    """The noun phrase headed by `token`, without determiners, appositions or clauses; a
    role keeps its organisation ("a member of a local rescue group")."""
    role = token.lemma_.lower() in ROLES

    def phrase(t: Token) -> list[Token]:
        out = [t]
        for child in t.children:
            if child.dep_ == "prep" and t is token and token.pos_ != "PROPN" and \
                    not child.text[0].isupper() and not (role and child.lower_ in ("of", "for")):
                continue  # "residents of Baniyas" -> "residents"; names keep "for Human Rights"
            if child.dep_ == "relcl" or (child.dep_ in ("advmod", "preconj", "cc") and
                                         child.i < token.i and t is token and
                                         child.i == token.left_edge.i):
                continue  # "However, ...", "both the BBC and RFI"
            if child.dep_ not in ("appos", "relcl", "acl", "punct", "advcl", "cc", "conj") or \
                    (child.dep_ in ("cc", "conj") and t is token) or child.text in ("-", "–"):
                out.extend(phrase(child))
        return out

    keep = sorted(phrase(token), key=lambda t: t.i)
    # a contiguous run from the head's left edge: drop what a parse error hung far away
    run = [keep[0]]
    for t in keep[1:]:
        if t.i != run[-1].i + 1:
            break
        run.append(t)
    words = [t for t in run if not (t.dep_ == "det" and t.i == run[0].i)]
    text = "".join(t.text_with_ws for t in words).strip(" ,")
    text = re.sub(r"\s*\(([A-Z][A-Za-z]{1,7})\)", "", text)
    text = re.sub(r"^(?:the|a|an)\s+", "", text, flags=re.I)
    # "UK-based Syrian Observatory ..." -> "Syrian Observatory ..."; keep descriptions whole
    stripped = re.sub(r"^[\w.]+\s*-\s*(?:based|affiliated|run|backed|owned|controlled|"
                      r"aligned|linked)\s+(?=[A-Z])", "", text)
    # "Their Al-Masirah channel": the possessive is not part of a name ("their employer" stays)
    return re.sub(r"^(?i:their|its|his|her|our)\s+(?=[A-Z])", "", stripped)


# Roles whose organisation belongs to the speaker's name ("director of the hospital").
ROLES = {"member", "official", "officer", "head", "director", "chief", "commander", "leader",
         "coordinator", "president", "secretary", "governor", "mayor", "minister", "worker",
         "doctor", "volunteer", "employee", "administrator", "prefect", "chairman"}
SPOKES = {"spokesman", "spokeswoman", "spokesperson", "spokespeople", "representative"}
CARRIERS = {"statement", "communique", "communiqué", "report", "post", "video", "update",
            "bulletin", "tally", "count", "figure"}


def _who(subject: Token) -> str:
    """The speaker a subject stands for: "a statement from the army" is the army's word,
    "X, a spokesman for the civil defence agency" the agency's."""
    if subject.lemma_.lower() in CARRIERS:
        # "a statement from the army", "a count kept by local civil society groups"
        preps = [*subject.children, *(g for c in subject.children if c.dep_ == "acl"
                                      for g in c.children if g.dep_ == "agent")]
        for prep in preps:
            if prep.dep_ in ("prep", "agent") and prep.lower_ in ("from", "by", "of"):
                pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    return _np_text(pobj)
    names = [c for c in subject.children if c.dep_ == "appos" and c.pos_ == "PROPN"]
    if subject.pos_ != "PROPN" and names and names[0].lemma_.lower() not in SPOKES:
        return _np_text(names[0])  # "the UN agency for Palestinian refugees, UNRWA"
    for role in [subject, *[c for c in subject.children if c.dep_ == "appos"]]:
        if role.lemma_.lower() in SPOKES:
            for prep in role.children:
                if prep.dep_ == "prep" and prep.lower_ in ("for", "of"):
                    pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                    if pobj is not None:
                        return _np_text(pobj)
    return _np_text(subject)


def _speaker(verb: Token, node: Token | None = None) -> str | None:
    """The subject of an attribution verb (the one nearest the verb that is not a count:
    "100 people killed, rights group says"), the agent of a passive one, or for a
    participle ("..., saying they were killed") the subject of the clause it hangs on."""
    subjects = [c for c in verb.children if c.dep_ == "nsubj" and
                (node is None or not c.left_edge.i <= node.i <= c.right_edge.i)]
    if subjects:
        child = min(subjects, key=lambda c: abs(c.i - verb.i))
        return None if child.lemma_.lower() in EVENT_NOUNS else _who(child)
    for child in verb.children:
        if child.dep_ == "agent":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return _np_text(pobj)
    if verb.tag_ == "VBG" and verb.dep_ in ("advcl", "xcomp", "conj") and verb.head is not verb:
        return _speaker(verb.head) if verb.head.pos_ in ("VERB", "AUX") else None
    span = closing_speakers(verb.sent)
    if span is None or span.end != verb.i:
        return None
    return re.sub(r"^(?:the|a|an)\s+", "", span.text, flags=re.I)


def closing_speakers(sent: Span) -> Span | None:
    """The words between the last comma and an attribution verb that closes the sentence
    with no subject the parser gave it: "..., local civil defense and a war monitor
    reported.", "..., two residents and a health worker told Reuters on Monday." The grammar
    counts no victims there; they are the source."""
    verb = next((t for t in reversed(sent) if t.pos_ == "VERB"), None)
    if verb is None or verb.lemma_ not in ATTRIBUTION_VERBS or any(
            c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        return None
    after = [t for t in sent if t.i > verb.i and not t.is_punct]
    after = after[1:] if after and after[0].dep_ == "dobj" and after[0].head == verb else after
    if after and not (after[0].lower_ in ("on", "late", "early") or
                      after[0].text in WEEKDAY_NAMES):  # "..., X told AFP on Monday."
        return None
    comma = next((t.i for t in reversed(sent[:verb.i - sent.start]) if t.text == ","), None)
    if comma is None:
        return None
    words = sent.doc[comma + 1:verb.i]
    if not 1 <= len(words) <= 8 or any(t.pos_ in ("VERB", "AUX") for t in words) or \
            words[0].lower_ in PRONOUNS:
        return None
    return words


def _gives_figure(verb: Token) -> bool:
    """"A security source gave a toll of 40": giving a figure is saying it."""
    return verb.lemma_ in ("give", "provide", "offer") and any(
        c.dep_ == "dobj" and c.lemma_.lower() in FIGURE_NOUNS for c in verb.children)


FIGURE_NOUNS = {"toll", "figure", "tally", "count", "number", "estimate", "breakdown"}


def find_source(node: Token, sent: Span, memory: SourceMemory,
                segment: Span | None = None) -> str | None:
    """Who the report says the figure at `node` comes from; None for the outlet's own voice.

    `segment` is the clause-level part of the sentence holding the claim: an attribution in
    it wins over one elsewhere in the sentence ("250 killed, SOHR said, but hundreds more,
    according to X").
    """
    candidates: list[tuple[int, str]] = []
    seg = segment if segment is not None else sent
    headline = HEADLINE_SOURCE.search(sent.text)
    if headline and not sent.text.rstrip().endswith("."):
        # "Strike kills 40: rescue worker", "... - witnesses": a headline names its source last
        return memory.resolve(headline.group(1).strip())

    def far(tok: Token) -> int:
        return 0 if seg.start <= tok.i < seg.end else 100

    for tok in sent:
        if tok.lower_ == "according" and tok.i + 1 < sent.end and tok.nbor().lower_ == "to":
            pobj = next((c for c in tok.nbor().children if c.dep_ == "pobj"), None)
            if pobj is not None:
                candidates.append((far(tok) + abs(tok.i - node.i), _who(pobj)))
        elif tok.pos_ in ("VERB", "AUX") and (tok.lemma_ in ATTRIBUTION_VERBS or
                                              _gives_figure(tok)):
            who = _speaker(tok, node)
            if who:
                # a verb governing the claim's clause wins over a verb elsewhere
                governs = any(a == tok for a in node.ancestors) or node.head == tok
                candidates.append((far(tok) + (0 if governs else abs(tok.i - node.i) + 3), who))
    if not candidates:
        return None
    # in the claim's own clause if any; there, "X said, according to wire reports": reports
    # and media carry a figure, X gave it
    best_far = min(c[0] for c in candidates) >= 100
    pool = [c for c in candidates if (c[0] >= 100) == best_far]
    named = [c for c in pool if not CHANNEL.search(c[1])]
    _, who = min(named or pool)
    if who.lower() in PRONOUNS or who.lower().startswith(("he ", "she ", "they ")):
        return memory.speaker_for(who.split()[0].lower())
    return memory.resolve(who)


HEDGE_RE = re.compile("|".join([rf"\b{w}\b" for w in sorted(HEDGE_WORDS)] +
                               list(HEDGE_PHRASES)), re.I)


# "gunmen, believed to be herders, killed 20": a doubt about who did it, not the figure
IDENTITY_HEDGE = re.compile(r"(?i),\s*(?:who\s+(?:are|were)\s+)?(?:believed|thought|said|"
                            r"suspected)\s+to\s+(?:be|have\s+been)\s+(?:members\s+of\s+)?"
                            r"(?:an?\s+|the\s+)?[a-z][\w\s'’-]{0,40}?,")


def is_hedged(text: str) -> bool:
    """Whether the text marks what it says as unverified, alleged or reported-not-confirmed."""
    return HEDGE_RE.search(IDENTITY_HEDGE.sub(",", text)) is not None

