"""Opening a database: URL resolution, engine settings per dialect, migrations on open."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine, create_engine, event

DB_ENV = "SITROOM_DB"
DEFAULT_DB = "sitroom.db"
MIGRATIONS = Path(__file__).parent / "migrations"


class StoreError(RuntimeError):
    """The database cannot be opened or used; the message says why and what to do."""


def resolve_url(db: str | os.PathLike | None = None) -> str:
    """`--db` value → SQLAlchemy URL.

    None → `$SITROOM_DB`, else ``sitroom.db`` in the current folder. A value with ``://`` is a URL
    (``postgresql://…`` is read as psycopg 3's ``postgresql+psycopg://…``); anything else is the
    path of a SQLite file.
    """
    value = str(db) if db is not None else (os.environ.get(DB_ENV) or DEFAULT_DB)
    if "://" in value:
        if value.startswith(("postgresql://", "postgres://")):
            value = "postgresql+psycopg://" + value.split("://", 1)[1]
        return value
    path = Path(value).expanduser().resolve()
    if not path.parent.is_dir():
        raise StoreError(f"{path.parent}: no such folder for the database file")
    return f"sqlite:///{path}"


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")  # readers (the web app) never block the ingest
    cur.execute("PRAGMA synchronous=NORMAL")  # durable at each checkpoint; a crash loses no committed article
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision` with the migrations shipped in the package."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(cfg).get_current_head()
