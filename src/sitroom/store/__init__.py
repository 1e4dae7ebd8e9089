"""The corpus store: analysed articles, corpus-level actors and their facts, in SQLite or PostgreSQL.

`Store` is the API (see `sitroom.store.store`); `resolve_url` turns a ``--db`` value into a URL.
"""

from sitroom.store.db import DB_ENV, StoreError, resolve_url
from sitroom.store.store import Store

__all__ = ["DB_ENV", "Store", "StoreError", "resolve_url"]
