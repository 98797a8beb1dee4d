"""Keyword tables for breakdown suggestions (pure Python, no Django).

Cheap, explainable and noisy by design (research note §6.1): a word found in a scene's action
becomes a *pending* suggestion that a person accepts or rejects in one click; nothing here is
ever tagged as certain, except background actors from crowd words, which the brief asks for as
automatic tags. Matching is whole-word and case-insensitive; plurals are listed explicitly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# category key -> {element name: [words that suggest it]}
KEYWORDS: dict[str, dict[str, list[str]]] = {
    "props": {
        "Phone": ["phone", "mobile", "cellphone", "smartphone"],
        "Letter": ["letter", "envelope"],
        "Folder": ["folder", "file folder"],
        "Lease": ["lease", "contract"],
        "Keys": ["keys", "car key", "door key"],
        "Paint tin": ["tin of white paint", "paint tin", "paintbrush"],
        "Bag": ["bag", "suitcase", "holdall", "rucksack", "backpack"],
        "Torch": ["torch", "flashlight"],
        "Radio": ["radio", "vhf"],
        "Mug": ["mug", "mugs", "cup", "cups", "teacup"],
        "Newspaper": ["newspaper"],
        "Camera": ["camera", "polaroid"],
        "Book": ["book", "notebook", "crossword"],
        "Bottle": ["bottle", "whisky", "whiskey", "wine"],
        "Cigarette": ["cigarette", "cigarettes", "lighter"],
        "Rope": ["rope", "mooring line"],
        "Sign": ["sign", "placard"],
        "Laptop": ["laptop", "computer"],
        "Photograph": ["photograph", "photo", "photos"],
        "Money": ["money", "cash", "banknotes", "wallet"],
        "Map": ["map", "chart", "charts"],
        "Binoculars": ["binoculars"],
        "Flowers": ["flowers", "bouquet", "wreath"],
    },
    "weapons": {
        "Gun": ["gun", "guns", "pistol", "revolver", "handgun"],
        "Rifle": ["rifle", "shotgun"],
        "Knife": ["knife", "knives", "blade", "dagger"],
        "Sword": ["sword", "swords"],
        "Axe": ["axe", "hatchet"],
        "Bat": ["baseball bat", "crowbar", "cosh"],
    },
    "vehicles": {
        "Car": ["car", "cars", "sedan", "saloon", "hatchback"],
        "Van": ["van", "minibus"],
        "Truck": ["truck", "lorry", "pickup", "tractor"],
        "Bus": ["bus", "coach"],
        "Motorbike": ["motorbike", "motorcycle", "scooter", "moped"],
        "Bicycle": ["bicycle", "bike"],
        "Boat": ["boat", "dinghy", "trawler", "lifeboat", "yacht"],
        "Ferry": ["ferry", "car ferry"],
        "Helicopter": ["helicopter", "chopper"],
        "Police car": ["police car", "patrol car"],
        "Ambulance": ["ambulance"],
        "Taxi": ["taxi", "cab"],
        "Train": ["train"],
    },
    "animals": {
        "Dog": ["dog", "dogs", "puppy", "collie", "terrier"],
        "Cat": ["cat", "cats", "kitten"],
        "Horse": ["horse", "horses", "pony"],
        "Gulls": ["gull", "gulls", "seagull", "seagulls"],
        "Sheep": ["sheep", "lamb", "ewe"],
        "Cow": ["cow", "cows", "cattle"],
        "Birds": ["bird", "birds", "crow", "crows"],
        "Fish": ["fish", "mackerel", "salmon"],
        "Seal": ["seal", "seals"],
    },
    "special_effects": {
        "Rain": ["rain", "downpour", "drizzle"],
        "Wind": ["gust of wind", "gale", "storm"],
        "Fog": ["fog", "mist", "haar"],
        "Smoke": ["smoke", "smoking"],
        "Fire": ["fire", "flames", "blaze", "burning"],
        "Snow": ["snow", "snowing"],
        "Explosion": ["explosion", "explodes", "blast"],
        "Steam": ["steam"],
        "Breakaway glass": ["shatters", "smashes"],
    },
    "wardrobe": {
        "Oilskins": ["oilskins", "oilskin"],
        "Coat": ["coat", "overcoat", "raincoat", "jacket", "anorak"],
        "Uniform": ["uniform", "uniforms"],
        "Suit": ["suit", "tuxedo"],
        "Dress": ["dress", "gown", "wedding dress"],
        "Jumper": ["jumper", "sweater", "cardigan"],
        "Hat": ["hat", "flat cap", "beanie"],
        "Boots": ["boots", "wellies", "wellingtons"],
        "Apron": ["apron"],
        "Life jacket": ["life jacket", "lifejacket"],
    },
    "makeup_hair": {
        "Blood": ["blood", "bloody", "bleeding", "bleeds"],
        "Wound": ["wound", "bruise", "bruised", "scar", "graze"],
        "Tears": ["tears"],
        "Sweat": ["sweat", "sweating"],
        "Wet hair": ["soaked", "drenched", "dripping"],
        "Beard": ["beard", "stubble", "moustache"],
        "Wig": ["wig"],
    },
    "stunts": {
        "Fall": ["falls", "tumbles", "slips"],
        "Fight": ["fight", "punch", "punches", "brawl"],
        "Dive": ["dives", "jumps into"],
    },
    "sound": {
        "Foghorn": ["foghorn", "ship's horn"],
        "Siren": ["siren", "sirens"],
        "Bell": ["bell", "bells"],
    },
    "music": {
        "Song": ["song", "sings", "singing", "hymn"],
        "Band": ["fiddle", "accordion", "piano", "guitar"],
    },
}

# Category of each keyword table entry whose category key is not a default category key.
CATEGORY_ALIASES = {"weapons": "props"}

# Crowd words: background actors, tagged automatically (not suggested).
EXTRAS_WORDS = [
    "crowd", "crowds", "patrons", "passers-by", "passersby", "passer-by", "onlookers", "customers",
    "diners", "drinkers", "shoppers", "tourists", "passengers", "commuters", "villagers", "islanders",
    "pedestrians", "spectators", "mourners", "congregation", "guests", "revellers", "protesters",
    "audience", "bystanders", "workers", "schoolchildren", "regulars", "queue",
]


@dataclass(frozen=True, slots=True)
class Hit:
    category_key: str
    name: str
    start: int
    end: int


def _word_re(words: list[str]) -> re.Pattern[str]:
    alts = sorted({re.escape(w).replace(r"\ ", r"\s+") for w in words}, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(alts) + r")(?![\w-])", re.I)


_TABLE: list[tuple[str, str, re.Pattern[str]]] = [
    (CATEGORY_ALIASES.get(cat, cat), name, _word_re(words))
    for cat, entries in KEYWORDS.items()
    for name, words in entries.items()
]
_EXTRAS_RE = _word_re(EXTRAS_WORDS)


def _action_ranges(blocks: list[dict]) -> list[tuple[int, int]]:
    return [(b["start"], b["end"]) for b in blocks if b.get("type") in ("action", "shot", "centered")]


def keyword_hits(text: str, blocks: list[dict]) -> list[Hit]:
    """One hit per (category, element name): its first occurrence in the scene's action."""
    seen: set[tuple[str, str]] = set()
    hits: list[Hit] = []
    for start, end in _action_ranges(blocks):
        chunk = text[start:end]
        for cat, name, rx in _TABLE:
            if (cat, name) in seen:
                continue
            m = rx.search(chunk)
            if m:
                seen.add((cat, name))
                hits.append(Hit(cat, name, start + m.start(), start + m.end()))
    hits.sort(key=lambda h: (h.start, h.category_key))
    return hits


def extras_hits(text: str, blocks: list[dict]) -> list[Hit]:
    """Crowd words in the action: one background-actors hit per distinct word (first occurrence)."""
    seen: set[str] = set()
    hits: list[Hit] = []
    for start, end in _action_ranges(blocks):
        for m in _EXTRAS_RE.finditer(text, start, end):
            word = re.sub(r"\s+", " ", m.group(0)).upper()
            name = {"PASSERSBY": "PASSERS-BY", "PASSER-BY": "PASSERS-BY"}.get(word, word)
            if name not in seen:
                seen.add(name)
                hits.append(Hit("background_actors", name, m.start(), m.end()))
    return hits
