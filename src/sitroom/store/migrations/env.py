"""Alembic environment for the sitroom store.

`Store` runs migrations programmatically and hands its connection over in
`config.attributes["connection"]`. Developers can also run the Alembic CLI, e.g. to write a new
migration: ``alembic -c src/sitroom/store/migrations/alembic.ini -x db=sqlite:///dev.db revision
--autogenerate -m "..."``.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from sitroom.store.fts import is_fts_object
from sitroom.store.schema import metadata

config = context.config


def _include(obj, name, type_, reflected, compare_to) -> bool:  # noqa: ANN001
    return not is_fts_object(name, type_)


def _run(connection) -> None:  # noqa: ANN001
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER most things
        include_object=_include,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    url = context.get_x_argument(as_dictionary=True).get("db") or config.get_main_option("sqlalchemy.url")
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
    else:
        engine = create_engine(url)
        with engine.begin() as conn:
            _run(conn)
