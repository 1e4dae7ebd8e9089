"""The corpus store on SQLite (always runs); the same cases run on PostgreSQL in test_store_postgres.py."""

from __future__ import annotations

import pytest

from sitroom.store import Store, StoreError, resolve_url
from tests.store_cases import *  # noqa: F403  (the shared test cases)
from tests.store_cases import harbor


@pytest.fixture
def store(tmp_path):
    st = Store(str(tmp_path / "corpus.db"))
    yield st
    st.close()


def test_db_resolution(tmp_path, monkeypatch):
    monkeypatch.delenv("SITROOM_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    assert resolve_url(None) == f"sqlite:///{tmp_path / 'sitroom.db'}"
    monkeypatch.setenv("SITROOM_DB", str(tmp_path / "x.db"))
    assert resolve_url(None) == f"sqlite:///{tmp_path / 'x.db'}"
    assert resolve_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert resolve_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    with pytest.raises(StoreError, match="no such folder"):
        resolve_url(str(tmp_path / "missing" / "x.db"))


def test_reopen_keeps_data_and_schema(tmp_path):
    path = str(tmp_path / "c.db")
    with Store(path) as st:
        st.add(harbor(path="h.txt"))
    with Store(path) as st:  # migrations are a no-op the second time
        assert st.stats().articles == 1
        from sitroom.store.db import current_revision, head_revision

        assert current_revision(st.engine) == head_revision()


def test_unreadable_database_is_a_clear_error(tmp_path):
    bad = tmp_path / "not-a-db.db"
    bad.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StoreError, match="cannot open the database"):
        Store(str(bad))


def test_migrations_build_exactly_the_declared_schema(tmp_path):
    """The Alembic history and `schema.py` must not drift apart: autogenerate finds nothing to do."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from sitroom.store.schema import metadata

    with Store(str(tmp_path / "m.db")) as st, st.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
    # the full-text index is a virtual table fts.py keeps outside the declared schema
    diffs = [d for d in diffs if not (d[0] == "remove_table" and d[1].name.startswith("articles_fts"))]
    assert diffs == []


def test_an_old_store_is_upgraded_in_place_and_keeps_its_rows(tmp_path):
    import sqlalchemy as sa

    from sitroom.store.db import migrate

    path = tmp_path / "old.db"
    engine = sa.create_engine(f"sqlite:///{path}")
    migrate(engine, "0002")
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO failures (source, stage, reason, attempts, first_failed, last_failed) "
                             "VALUES ('a.txt', 'read', 'binary', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
    engine.dispose()
    with Store(str(path)) as st:
        assert [f.source for f in st.failures()] == ["a.txt"]
        st.add(harbor(path="h.txt"))
        with st.engine.connect() as conn:
            cols = {c["name"] for c in sa.inspect(conn).get_columns("events")}
    assert {"group_local_id", "target_implied", "issue_text"} <= cols
