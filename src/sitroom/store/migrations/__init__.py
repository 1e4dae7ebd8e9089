"""Alembic migrations of the corpus store, shipped inside the package (applied by `Store` on open)."""
