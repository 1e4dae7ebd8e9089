"""Cross-article actors: decide which corpus actor an article's entity is.

An article's analysis joins the names of one actor inside that article ("Michael Kofman",
"Kofman"). Across articles the store joins them again, by normalised name:

- names are compared within a *kind* (person, org, place, group), never across: "Georgia" the
  state and "Georgia" the person stay apart;
- a place with a GeoNames id matches by id first;
- a person's full name (two or more words) is a *strong* key; a lone surname is *weak*: it only
  joins an entity known by its surname alone to the one actor that carries that surname, or a full
  name to an actor so far known only by that surname. "Jane Smith" never joins "John Smith";
- aliases that the article reached only by metonymy, pronoun or description ("Moscow" for Russia,
  "the ministry") are not used as keys: they say nothing about identity elsewhere.
"""

from __future__ import annotations

import re
import unicodedata

from sitroom.model import Entity

KIND_OF_TYPE = {
    "PERSON": "person",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "NORP": "group",
    "GROUP": "group",
    "ORG": "org",
    "MILITARY_UNIT": "org",
    "MEDIA": "org",
    "GOVERNMENT_BODY": "org",
    "ALLIANCE": "org",
}

_HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "prof", "mx"}
_WEAK_MENTION_KINDS = {"metonym", "pronoun", "nominal", "demonym"}
_NON_WORD = re.compile(r"[^\w\s]", re.UNICODE)
_POSSESSIVE = re.compile(r"['\u2019]s\b", re.IGNORECASE)
MAX_KEY = 255


def kind_of(entity_type: str) -> str:
    return KIND_OF_TYPE.get(entity_type, "org")


def name_key(name: str, kind: str) -> str:
    """Normalised name: accents dropped, case folded, punctuation and a leading "the" removed.

    "U.S." → "us", "the Kremlin" → "kremlin", "Zelenskyy's" → "zelenskyy", "Mr. Lee" → "lee".
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _POSSESSIVE.sub("", text)
    text = _NON_WORD.sub(lambda m: "" if m.group() in ".'’" else " ", text).casefold()
    words = text.split()
    if words and words[0] == "the":
        words = words[1:]
    if kind == "person":
        while words and words[0] in _HONORIFICS:
            words = words[1:]
    return " ".join(words)[:MAX_KEY]


def entity_names(entity: Entity) -> list[str]:
    """The entity's name and those aliases that identify it (not reached by metonymy or pronoun)."""
    weak_only: set[str] = set()
    by_text: dict[str, set[str]] = {}
    for m in entity.mentions:
        by_text.setdefault(m.text, set()).add(m.kind)
    for text, kinds in by_text.items():
        if kinds and kinds <= _WEAK_MENTION_KINDS:
            weak_only.add(text)
    names = [entity.name] + [a for a in entity.aliases if a not in weak_only]
    seen: set[str] = set()
    out = []
    for n in names:
        if n and n not in seen:
            seen.add(n)
            out.append(n)
    return out


def keys_for(entity: Entity) -> list[tuple[str, str, bool]]:
    """(key, display name, strong) for every identifying name of the entity."""
    kind = kind_of(entity.type)
    out: dict[str, tuple[str, str, bool]] = {}
    for name in entity_names(entity):
        key = name_key(name, kind)
        if not key:
            continue
        strong = kind != "person" or len(key.split()) >= 2
        if key not in out or (strong and not out[key][2]):
            out[key] = (key, name, strong)
        if kind == "person" and strong:  # the surname, as a weak key
            surname = key.split()[-1]
            out.setdefault(surname, (surname, name.split()[-1], False))
    return list(out.values())
