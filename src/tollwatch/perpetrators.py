"""Who did it: the actor a report names as the doer of a casualty verb.

A perpetrator is an actor (an armed group, a force, "gunmen", a state or its military), as
the text names it, read from the parse around the casualty verb:

- the agent of a passive verb: "12 soldiers were killed by al-Shabaab fighters";
- the subject of an active one, or of the clause it continues: "Gunmen killed 12",
  "Gunmen stormed the village and killed 12", "..., killing 12";
- an event's author, where the doer is an event: "An air strike by the Saudi-led coalition
  killed 9", "Myanmar junta air strike kills 40", "killed in an Israeli strike".

A count, a victim, an event word, an outcome word or a dateline is never a perpetrator:
"A car bomb killed 5" and "The death toll rose to 40" have none.
"""

from __future__ import annotations

import re

from spacy.tokens import Token

from tollwatch.counts import VAGUE
from tollwatch.grammar import phrase
from tollwatch.lexicon import (
    ACTOR_NOUNS,
    CIVILIAN_NOUNS,
    COMBATANT_NOUNS,
    EVENT_NOUNS,
    NO_DOER_VERBS,
    OUTCOME_ADJECTIVES,
    OUTCOME_NOUNS,
    OUTCOME_VERBS,
    SECURITY_NOUNS,
    TOLL_NOUNS,
)

DOER_VERBS = {lemma for lemmas in OUTCOME_VERBS.values() for lemma in lemmas} - NO_DOER_VERBS
PEOPLE_WHO_ACT = ACTOR_NOUNS | COMBATANT_NOUNS | SECURITY_NOUNS | CIVILIAN_NOUNS
NOT_ACTORS = {lemma for lemmas in OUTCOME_NOUNS.values() for lemma in lemmas} | \
    set(OUTCOME_ADJECTIVES) | set(TOLL_NOUNS)
RELATIVE = {"who", "that", "which"}
# modifiers kept in an actor's name: "Armed anglophone separatists", "the Saudi-led coalition",
# "militants of the Allied Democratic Forces"
NAME_DEPS = {"compound", "amod", "nmod", "poss", "case", "npadvmod", "prep", "pobj", "punct",
             "det", "cc", "conj"}


def find_perpetrator(verb: Token | None, victim: Token | None = None) -> str | None:
    """The actor the sentence names as doer of the casualty `verb`, or None.

    `victim` is the head of the counted phrase: the victims are never their own killers.
    """
    if verb is None or verb.lemma_.lower() not in DOER_VERBS:
        return None
    victims = set() if victim is None else {t.i for t in phrase(victim)}
    for reader in (by_agent, active_subject, event_of_verb):
        doer = reader(verb)
        if doer is not None and doer.i not in victims:
            name = actor_name(doer)
            if name:
                return name
    return None


def by_agent(verb: Token) -> Token | None:
    """"killed by gunmen": the object of the passive's "by"."""
    for child in verb.children:
        if child.dep_ == "agent":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    return None


def _passive(verb: Token) -> bool:
    if any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children):
        return True
    # a bare participle ("21 people killed"), not a perfect ("militants had killed")
    return verb.tag_ == "VBN" and not any(c.dep_ == "aux" and c.lemma_ == "have"
                                          for c in verb.children)


def active_subject(verb: Token) -> Token | None:
    """"Gunmen killed 12"; "Gunmen stormed Koro and killed 12"; "Gunmen attacked, killing 12";
    "the group, which killed 12": the subject of the active verb or of the clause it continues."""
    if _passive(verb):
        return None
    subject = _subject(verb)
    if subject is None and (verb.dep_ == "conj" or (verb.dep_ == "advcl" and verb.tag_ == "VBG")):
        head = verb.head
        if head.pos_ in ("VERB", "AUX") and not _passive(head):
            subject = _subject(head)
    if subject is not None and subject.lower_ in RELATIVE and verb.dep_ == "relcl":
        subject = verb.head
    return subject


def _subject(verb: Token) -> Token | None:
    """The verb's subject; not a dateline the parser took for one ("KIDAL, Mali —")."""
    return next((c for c in verb.children if c.dep_ == "nsubj" and not _dateline(c)), None)


def event_of_verb(verb: Token) -> Token | None:
    """"killed in an Israeli strike", "killed during attacks by militants": the event the
    verb's prepositional phrase names (its author is found by `actor_name`)."""
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in ("in", "during", "by", "after", "from"):
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None and pobj.lemma_.lower() in EVENT_NOUNS:
                return pobj
    return None


def actor_name(token: Token) -> str | None:
    """The name of the actor `token` stands for, or None when it is no actor (a count, an
    outcome, an event with no author, a dateline)."""
    lemma = token.lemma_.lower()
    if lemma in EVENT_NOUNS:
        author = event_author(token)
        if author is None or author.lemma_.lower() in EVENT_NOUNS:
            return None
        if names_a_people(author) or _acronym(author):
            return _name_text(author)  # "an Israeli strike", "an RSF attack"
        return actor_name(author)
    if _is_count(token) or lemma in NOT_ACTORS or token.lower_ in NOT_ACTORS or _dateline(token):
        return None
    if token.pos_ == "PROPN" or lemma in PEOPLE_WHO_ACT or token.lower_ in PEOPLE_WHO_ACT:
        return _name_text(token)
    return None


def event_author(event: Token) -> Token | None:
    """Who an event is by: "a strike by the coalition" (the coalition), "Myanmar junta air
    strike" (the junta), "an Israeli strike" (Israeli); None for "a car bomb"."""
    for child in event.children:
        if child.dep_ == "prep" and child.lower_ == "by":
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return pobj
    for mod in _modifiers(event):
        if mod.lemma_.lower() in ACTOR_NOUNS | COMBATANT_NOUNS | SECURITY_NOUNS or \
                _acronym(mod) or names_a_people(mod):
            return mod
    return None


MODIFIER_DEPS = ("compound", "amod", "nmod")


def _modifiers(token: Token) -> list[Token]:
    """Compounds and adjectives before a noun, nearest first, through compound chains."""
    out: list[Token] = []
    for child in sorted(token.lefts, key=lambda t: -t.i):
        if child.dep_ in MODIFIER_DEPS:
            out.append(child)
            out.extend(_modifiers(child))
    return out


def names_a_people(token: Token) -> bool:
    """A capitalised adjective of nationality: "Israeli", "Russian", "Sudanese", "Turkish".
    A headline's first word is capitalised anyway ("Deadly attack kills 5"): there the
    word must also end like a demonym."""
    if token.pos_ != "ADJ" or not token.text[:1].isupper():
        return False
    return not token.is_sent_start or bool(re.search(r"(?:i|an|ese|ish|ch)$", token.lower_))


def _acronym(token: Token) -> bool:
    return bool(re.fullmatch(r"[A-Z][A-Z0-9-]{1,7}", token.text)) and not _dateline(token)


def _is_count(token: Token) -> bool:
    """"43", "Thousands", "dozens": a number, not an actor ("two gunmen" is gunmen)."""
    return token.like_num or token.pos_ == "NUM" or token.lower_ in VAGUE


def _dateline(token: Token) -> bool:
    """"PORT-AU-PRINCE, Haiti —", "KIDAL, Mali (Reuters) -": the place a report was filed
    from, at the head of its first sentence."""
    sent = token.sent
    first = sent[0]
    if not (first.is_upper and first.is_alpha or "-" in first.text and first.text.isupper()) \
            or first.i + 1 >= len(token.doc) or token.doc[first.i + 1].text not in (",", "(", "—"):
        return False
    end = next((t.i for t in sent if t.text in ("—", "–", "-", ")") and t.i > first.i), sent.end)
    return token.i < end


def _name_text(token: Token) -> str:
    """The actor's words: its modifiers and "of"-phrases, without clauses, dates or the
    leading article: "Armed anglophone separatists early Tuesday" -> "Armed anglophone
    separatists"."""
    def words(t: Token) -> list[Token]:
        out = [t]
        for child in t.children:
            if child.dep_ not in NAME_DEPS or (child.dep_ == "prep" and child.lower_ != "of") \
                    or (child.dep_ in ("cc", "conj") and t is not token):
                continue
            if child.dep_ == "npadvmod" and t.dep_ != "amod":
                continue  # "early Tuesday"; but "Saudi" in "Saudi-led"
            out.extend(words(child))
        return out

    run = sorted(words(token), key=lambda t: t.i)
    # the contiguous stretch around the head: drop what a parse error hung far away
    lo = hi = run.index(token)
    while lo > 0 and run[lo - 1].i == run[lo].i - 1:
        lo -= 1
    while hi + 1 < len(run) and run[hi + 1].i == run[hi].i + 1:
        hi += 1
    doc, first = token.doc, run[lo].i
    while first > 0 and doc[first - 1].head.i > token.i and token.dep_ in MODIFIER_DEPS and \
            doc[first - 1].dep_ in MODIFIER_DEPS and (doc[first - 1].pos_ == "PROPN" or
                                                      names_a_people(doc[first - 1])):
        first -= 1  # "Myanmar junta air strike": the junta's name hangs on what follows
    run = [doc[i] for i in range(first, run[lo].i)] + run[lo:hi + 1]
    lo, hi = 0, len(run) - 1
    text = "".join(t.text_with_ws for t in run[lo:hi + 1]).strip()
    text = re.sub(r"^(?:the|a|an)\s+", "", text, flags=re.I)
    return text.strip(" ,;:'\"‘’“”")
