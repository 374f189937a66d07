"""The vocabulary of casualty reporting, kept in one place.

Words are lemmas (lower case) as spaCy's English lemmatizer gives them, plus surface forms
where the small model's lemmas are unreliable ("wounded", "dead"). Calendar and number
words live here too; `counts`, `dates`, `places` and `sentences` build their patterns from
them.
"""

from __future__ import annotations

# --- calendar and number words -----------------------------------------------------------

MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august",
               "september", "october", "november", "december")
# Written short forms: the first three letters, and "sept" ("may" is its own short form).
MONTH_ABBREVIATIONS = {**{name[:3]: i for i, name in enumerate(MONTH_NAMES, 1)
                          if len(name) > 3}, "sept": 9}
# Every way a month is written, with its number: "sept" -> 9, "september" -> 9.
MONTHS = {**{name: i for i, name in enumerate(MONTH_NAMES, 1)}, **MONTH_ABBREVIATIONS}
MONTH_PATTERN = "|".join(sorted(MONTHS, key=len, reverse=True))  # for regexes, longest first
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}

# --- outcomes ------------------------------------------------------------------------------

# Verbs whose object (active) or subject (passive) suffered the outcome.
OUTCOME_VERBS = {
    "killed": {"kill", "execute", "massacre", "slaughter", "murder", "slay", "behead",
               "assassinate", "lynch", "butcher", "gun", "die", "perish", "bury",
               "exterminate", "decapitate", "burn", "neutralise", "neutralize", "eliminate"},
    "injured": {"injure", "wound", "hurt", "maim", "hospitalize", "hospitalise", "wounded",
                "injured"},
    "abducted": {"abduct", "kidnap", "seize", "disappear", "snatch", "miss", "missing"},
    "detained": {"arrest", "detain", "imprison", "jail", "round", "apprehend"},
    "displaced": {"flee", "displace", "evacuate", "uproot", "escape", "relocate", "shelter"},
}
# Surface participles that act as adjectives after a count: "600 dead", "12 wounded".
OUTCOME_ADJECTIVES = {
    "dead": "killed", "killed": "killed", "died": "killed", "executed": "killed",
    "massacred": "killed", "slaughtered": "killed", "murdered": "killed", "fled": "displaced",
    "evacuated": "displaced", "slain": "killed", "wounded": "injured",
    "injured": "injured", "hurt": "injured", "missing": "abducted", "displaced": "displaced",
    "abducted": "abducted", "kidnapped": "abducted", "detained": "detained",
    "arrested": "detained", "homeless": "displaced",
}
# Nouns that carry the outcome themselves ("31 bodies", "the deaths of hundreds").
OUTCOME_NOUNS = {
    # ("casualties" is left out: it means killed or wounded, and the GUIDE does not count it)
    "killed": {"body", "corpse", "death", "fatality", "dead", "victim", "toll", "execution",
               "killing", "massacre", "funeral", "grave", "martyr", "homicide"},
    "injured": {"injury", "wounded", "injured"},
    "abducted": {"hostage", "abductee", "captive", "abduction", "kidnapping"},
    "detained": {"detainee", "prisoner", "arrest", "detention"},
    "displaced": {"refugee", "displacement", "evacuee", "refuge", "shelter", "exodus"},
}
# Nouns after "the deaths/bodies/executions of N" or "a funeral for N": outcome of N.
OF_NOUNS = {"body": "killed", "bodies": "killed", "corpse": "killed", "death": "killed",
            "execution": "killed", "killing": "killed", "massacre": "killed", "murder": "killed",
            "funeral": "killed",
            "remains": "killed", "abduction": "abducted", "kidnapping": "abducted",
            "arrest": "detained", "detention": "detained", "displacement": "displaced",
            "evacuation": "displaced", "refuge": "displaced", "shelter": "displaced"}
# Nouns that, as subject of "rise/reach/stand at/surpass", make the number a toll.
TOLL_NOUNS = {"toll": "killed", "number": None, "count": None, "tally": None, "figure": None,
              "estimate": None}
# Surface stems and phrases that let a sentence through the screen (`sentences.SCREEN`)
# beside the outcome words above: "casualties" (not an outcome, but a sign of one), forms
# the stems of the outcome words miss ("dying"), outcomes said in phrases ("lost their
# lives", "forced from their homes") and the breakdown cues ("including", "among").
SCREEN_EXTRAS = (
    "dying", "casualt", "includ", "among", "gunned", r"round(?:ed)?\s+up",
    r"lost\s+their\s+lives", r"lose\s+their\s+lives", r"the\s+lives\s+of",
    r"(?:forced|driven|chased|expelled|pushed|evicted)\s+(?:[\w,]+\s+){0,5}?(?:from|out)\b",
    r"\bhostages?\b", r"\bcaptives?\b", r"\b(?:took|taken|take|taking|carried|led)\s+away\b",
)
# Outcome lemmas the screen does not look for: their surface forms are mostly about things
# ("burned down 15 houses", "missiles", "gunmen", "rounds"). The forms that are about
# people pass on other words: "gunned" and "rounded up" above, "missing" of its own,
# "burned to death" on "death".
SCREEN_LEFT_OUT = {"burn", "miss", "gun", "round"}

# Nouns for people, with the victim group they imply (GUIDE: `victims`).
CIVILIAN_NOUNS = {
    "civilian", "resident", "neighbor", "neighbour", "family", "woman", "child", "girl", "boy",
    "baby", "infant", "toddler", "teenager", "student", "pupil", "schoolchild", "medic",
    "doctor", "nurse", "paramedic", "pharmacist", "journalist", "reporter", "worker",
    "traveller", "traveler", "motorist", "commuter", "apprentice",
    "farmer", "villager", "worshipper", "worshiper", "pilgrim", "patient", "passenger",
    "shopper", "teacher", "priest", "imam", "nun", "monk", "refugee", "migrant", "elderly",
    "colleague", "relative", "mother", "father", "son", "daughter", "wife", "husband",
    "brother", "sister", "fisherman", "herder", "miner", "volunteer", "displaced", "minor",
    "protester", "protestor", "demonstrator", "mourner", "midwife", "shopkeeper", "trader",
    "vendor", "driver", "octogenarian", "pensioner", "pastor", "newborn", "grandchild",
}
COMBATANT_NOUNS = {
    "fighter", "militant", "rebel", "insurgent", "loyalist", "gunman", "jihadist",
    "militiaman", "guerrilla", "combatant", "mercenary", "paramilitary", "terrorist",
    "remnant", "bandit", "extremist",
}
SECURITY_NOUNS = {
    "soldier", "troop", "officer", "policeman", "policemen", "police", "personnel",
    "serviceman", "servicemen", "guard", "trooper", "conscript", "recruit", "marine",
    "force", "forces", "policewoman", "gendarme", "peacekeeper",
}
PEOPLE_NOUNS = {
    "people", "person", "man", "men", "individual", "victim", "body", "corpse", "dead",
    "alawite", "alawites", "christian", "druze", "kurd", "sunni", "shia", "shiite", "yazidi",
    "syrian", "palestinian", "israeli", "ukrainian", "russian", "sudanese", "haitian",
    "yemeni", "nigerian", "congolese", "rohingya", "muslim", "hostage", "captive", "detainee",
    "prisoner", "casualty", "other", "others", "inhabitant", "citizen", "national", "adult",
    "youth", "youngster", "male", "female", "occupant", "fatality", "martyr",
    "chief", "leader", "commander", "elder", "sub-leader",
    "wounded", "injured", "missing", "displaced", "kidnapped", "abducted", "those",
    "evacuee", "householder", "tribesman", "tribesmen", "herdsman", "herdsmen",
}
# Nouns for several people at once: "a family of six" is not a count of one.
COLLECTIVE_NOUNS = {"family", "household", "couple", "crew", "group", "crowd", "force", "police"}
# Head nouns that are never victims of the sentence's outcome.
# (People who can be victims, such as officials or protesters, are not here: the grammar
# decides whether they suffered the outcome or spoke of it.)
NOT_VICTIM_NOUNS = {
    "mourner", "witness", "eyewitness", "attacker", "assailant", "perpetrator", "source",
    "survivor",
    "monitor", "massacre", "attack", "strike", "airstrike", "raid", "incident", "episode", "clash",
    "bombing", "shelling", "explosion", "blast", "operation", "day", "night", "time",
    "report", "video", "photo", "image", "post", "account", "outlet", "agency", "group",
    "organisation", "organization", "country", "province", "district", "area", "region",
    "place", "site", "location", "way", "case", "occasion", "side", "party", "faction",
    # things an attack destroys or uses: "set fire to dozens of homes", "12 drones"
    "home", "house", "building", "shop", "store", "car", "vehicle", "truck", "bus", "tent",
    "shelter", "school", "mosque", "church", "village", "hectare", "acre", "drone", "missile",
    "rocket", "shell", "bomb", "livestock", "cattle", "goat", "sheep", "camel", "cow", "dollar",
}

# Actors beyond fighters and forces: who the report may name as having done it.
ACTOR_NOUNS = {
    "militia", "army", "military", "junta", "coalition", "gang", "regime", "government",
    "group", "separatist", "assailant", "attacker", "kidnapper", "abductor", "pirate", "mob",
    "sniper", "member", "navy", "authority", "cartel", "faction", "wing", "unit", "herder",
    "herdsman", "herdsmen", "man", "men", "jihadi", "islamist", "bomber", "shooter",
    "state", "squad", "brigade", "battalion", "command", "movement", "front",
}
# Casualty verbs with no doer: the subject suffered or did something else ("residents buried
# 31 victims", "thousands fled").
NO_DOER_VERBS = {"die", "perish", "flee", "escape", "disappear", "miss", "missing", "relocate",
                 "shelter", "bury", "evacuate", "hospitalize", "hospitalise", "burn"}

# Events: they kill and claim lives, they never speak ("the fighting has claimed ...").
EVENT_NOUNS = {"fighting", "violence", "attack", "strike", "airstrike", "raid", "clash",
               "bombing", "shelling", "explosion", "blast", "war", "conflict", "fire", "flood",
               "operation", "offensive", "massacre", "storm", "earthquake", "assault", "battle",
               "unrest", "crisis", "incident", "collapse", "bombardment", "ambush", "shooting",
               "bomb", "drone", "missile", "rocket", "shell", "mine", "grenade", "gunfire",
               "act", "onslaught", "incursion", "crackdown"}

# Verbs that attribute what follows (or precedes) to a speaker.
ATTRIBUTION_VERBS = {
    "say", "report", "tell", "state", "confirm", "add", "announce", "claim", "estimate",
    "quote", "write", "note", "recount", "describe", "document", "record", "count", "tally",
    "put", "release", "publish", "post", "allege", "cite", "indicate", "show", "reveal",
    "accord", "warn", "declare", "insist", "explain", "testify", "suggest",
}
# Hedging cues (GUIDE: `hedged`); multi-word ones are matched on the text.
HEDGE_WORDS = {"reportedly", "allegedly", "unverified", "unconfirmed", "purportedly",
               "supposedly", "rumoured", "rumored", "apparently", "alleged", "purported"}
HEDGE_PHRASES = (r"\bsaid to\b", r"\bclaimed to\b", r"\bbelieved to\b", r"\bthought to\b",
                 r"\bcould not (?:be )?(?:independently )?(?:verif|confirm)",
                 r"\bnot (?:been )?(?:independently )?(?:verified|confirmed)",
                 r"\bcannot (?:be )?(?:independently )?(?:verif|confirm)",
                 r"\bunable to (?:independently )?(?:verify|confirm)",
                 r"\bfeared (?:dead|killed)", r"\bfears? that\b")

# Relatives: "their mother", "his wife" count one.
KIN = {"mother", "father", "son", "daughter", "wife", "husband", "brother", "sister",
       "child", "baby", "grandmother", "grandfather", "uncle", "aunt", "cousin", "nephew",
       "niece"}

# Descriptor tags the text gives victims (GUIDE: `descriptors`).
DESCRIPTORS = {
    "woman": "women", "women": "women", "girl": "children", "child": "children",
    "children": "children", "boy": "children", "baby": "children", "infant": "children",
    "toddler": "children", "teenager": "children", "minor": "children", "man": "men",
    "men": "men", "elderly": "elderly", "alawite": "alawite", "alawites": "alawite",
    "christian": "christian", "christians": "christian", "druze": "druze", "sunni": "sunni",
    "shia": "shia", "shiite": "shia", "kurd": "kurdish", "kurdish": "kurdish",
    "yazidi": "yazidi", "rohingya": "rohingya", "muslim": "muslim", "jewish": "jewish",
    "hindu": "hindu", "journalist": "journalists", "doctor": "medics", "medic": "medics",
    "nurse": "medics", "paramedic": "medics", "pharmacist": "medics", "student": "students",
    "worshipper": "worshippers", "aid": "aid workers",
}

# The words that name a group of victims after "the": "among the wounded", "of the dead".
OUTCOME_GROUPS = "|".join(sorted({*OUTCOME_ADJECTIVES, "victims", "total", "casualties",
                                   "bodies"}, key=len, reverse=True))
# Cues that a count is a breakdown of a larger one (GUIDE: `part_of`).
BREAKDOWN_CUES = (
    r"\binclud(?:ing|ed|e|es)\b", rf"\bamong (?:them|those|the (?:{OUTCOME_GROUPS}))\b",
    rf"\bof (?:those|whom|them|the (?:{OUTCOME_GROUPS}))\b", r":\s*$",
)

# Verbs that take a figure past a mark: "the toll tops 1,000" is 1,001 and up.
SURPASS_VERBS = {
    "exceed": ("exceeds", "exceeded", "exceeding"),
    "surpass": ("surpasses", "surpassed", "surpassing"),
    "top": ("tops", "topped", "topping"),
    "pass": ("passes", "passed", "passing"),
    "cross": ("crosses", "crossed", "crossing"),
}
# Verbs before "from N to M" that make it a range ("estimates ranged from 20 to 25"); after
# any other word it is a change ("rose from 20 to 25"): two figures, the first superseded.
RANGE_VERBS = {
    "range": ("range", "ranges", "ranged", "ranging"),
    "vary": ("vary", "varies", "varied", "varying"),
}
# Words that say a figure moved away from an older one: "up from 27", "down from 30".
CHANGE_ADVERBS = ("up", "down")
