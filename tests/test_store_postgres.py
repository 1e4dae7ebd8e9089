"""The corpus store on PostgreSQL: the same cases as on SQLite, against a real server.

The server comes from ``SITROOM_TEST_PG`` (a SQLAlchemy URL) or ``postgresql+psycopg://postgres@127.0.0.1:5432/test``.
Each test gets a schema of its own, dropped afterwards. Skipped only when no server answers and
``CI`` is not set: in CI a missing server is a failure (`.ci/run` starts one).
"""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from sitroom.store import Store
from tests.store_cases import *  # noqa: F403  (the shared test cases)

PG_URL = os.environ.get("SITROOM_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _ensure_database(url: str) -> None:
    """Create the test database when the server answers but the database is missing (a fresh CI box)."""
    from sqlalchemy.engine import make_url

    u = make_url(url)
    admin = create_engine(u.set(database="postgres"), isolation_level="AUTOCOMMIT",
                          connect_args={"connect_timeout": 5})
    try:
        with admin.connect() as conn:
            exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": u.database}).first()
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{u.database}"'))
    finally:
        admin.dispose()


@pytest.fixture(scope="module")
def pg_engine():
    engine = create_engine(PG_URL, connect_args={"connect_timeout": 5})
    try:
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except OperationalError as exc:
            if "does not exist" not in str(exc.orig):
                raise
            _ensure_database(PG_URL)
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
    except OperationalError as exc:
        engine.dispose()
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI but does not answer at {PG_URL}: {exc.orig}")
        pytest.skip(f"no PostgreSQL server at {PG_URL}")
    yield engine
    engine.dispose()


@pytest.fixture
def store(pg_engine):
    schema = f"sitroom_test_{uuid.uuid4().hex[:12]}"
    with pg_engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in PG_URL else "?"
    st = Store(f"{PG_URL}{sep}options=-csearch_path%3D{schema}")
    assert st.dialect == "postgresql"
    try:
        yield st
    finally:
        st.close()
        with pg_engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
