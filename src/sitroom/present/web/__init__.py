"""The situation room web app (`sitroom serve`): `create_app(store, settings)` → a FastAPI app."""

from sitroom.present.web.app import create_app
from sitroom.present.web.settings import Settings

__all__ = ["Settings", "create_app"]
