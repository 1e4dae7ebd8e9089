"""Exports: the corpus as JSONL (one article and its analysis per line), CSV or Parquet tables.

Everything streams in batches, so exporting a large store does not load it into memory. Parquet
is written with pyarrow with explicit column types, ready for DuckDB or pandas.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from sqlalchemy import Table, select

from sitroom.store import schema as s

if TYPE_CHECKING:
    from sitroom.store.store import Store

Format = Literal["jsonl", "csv", "parquet"]
BATCH = 500

#: the exportable tables and the columns left out of them (bulky or internal)
TABLES: dict[str, tuple[Table, set[str]]] = {
    "articles": (s.articles, {"analysis", "minhash", "text"}),
    "actors": (s.actors, set()),
    "article_actors": (s.article_actors, set()),
    "mentions": (s.mentions, set()),
    "quotes": (s.quotes, set()),
    "events": (s.events, set()),
    "claims": (s.claims, set()),
    "quantities": (s.quantities, set()),
    "times": (s.times, set()),
    "failures": (s.failures, set()),
    "forecast_resolutions": (s.forecast_resolutions, set()),
}


def _rows(store: Store, table: Table, columns: list, include_duplicates: bool) -> Iterator[list[dict]]:
    last = 0
    while True:
        q = select(*columns).where(table.c.id > last).order_by(table.c.id).limit(BATCH)
        if table is s.articles and not include_duplicates:
            q = q.where(s.articles.c.duplicate_of.is_(None))
        with store.engine.connect() as conn:
            rows = [dict(r) for r in conn.execute(q).mappings()]
        if not rows:
            return
        yield rows
        last = rows[-1]["id"]


def _jsonable(value: object) -> object:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def export(store: Store, out: str | Path, fmt: Format, table: str = "articles", *, include_duplicates: bool = False,
           with_text: bool = True) -> int:
    """Write `table` (JSONL: articles with their full analysis) to `out`; returns the rows written."""
    out = Path(out)
    if fmt == "jsonl":
        return _export_jsonl(store, out, table, include_duplicates)
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}; choose from {', '.join(TABLES)}")
    tbl, skip = TABLES[table]
    if table == "articles" and with_text:
        skip = skip - {"text"}
    columns = [c for c in tbl.columns if c.name not in skip]
    if fmt == "csv":
        return _export_csv(store, out, tbl, columns, include_duplicates)
    if fmt == "parquet":
        return _export_parquet(store, out, tbl, columns, include_duplicates)
    raise ValueError(f"unknown format {fmt!r}; use jsonl, csv or parquet")


def _export_jsonl(store: Store, out: Path, table: str, include_duplicates: bool) -> int:
    n = 0
    with out.open("w", encoding="utf-8") as fh:
        if table == "articles":
            meta_cols = [c for c in s.articles.columns if c.name not in ("analysis", "minhash", "text")]
            for batch in _rows(store, s.articles, [*meta_cols, s.articles.c.analysis], include_duplicates):
                for row in batch:
                    analysis = row.pop("analysis")
                    meta = {k: _jsonable(v) for k, v in row.items()}
                    fh.write(json.dumps({**meta, "analysis": json.loads(analysis)}, ensure_ascii=False) + "\n")
                    n += 1
        else:
            tbl, _skip = TABLES[table]
            for batch in _rows(store, tbl, list(tbl.columns), include_duplicates):
                for row in batch:
                    fh.write(json.dumps({k: _jsonable(v) for k, v in row.items()}, ensure_ascii=False) + "\n")
                    n += 1
    return n


def _export_csv(store: Store, out: Path, tbl: Table, columns: list, include_duplicates: bool) -> int:
    n = 0
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=[c.name for c in columns])
        writer.writeheader()
        for batch in _rows(store, tbl, columns, include_duplicates):
            writer.writerows({k: _jsonable(v) for k, v in row.items()} for row in batch)
            n += len(batch)
    return n


def _arrow_type(column):  # noqa: ANN001, ANN202
    import pyarrow as pa
    from sqlalchemy import BigInteger, Boolean, Date, DateTime, Float, Integer, LargeBinary, SmallInteger

    t = column.type
    if isinstance(t, Boolean):
        return pa.bool_()
    if isinstance(t, BigInteger | Integer | SmallInteger):
        return pa.int64()
    if isinstance(t, Float):
        return pa.float64()
    if isinstance(t, DateTime):
        return pa.timestamp("us", tz="UTC")
    if isinstance(t, Date):
        return pa.date32()
    if isinstance(t, LargeBinary):
        return pa.binary()
    return pa.string()


def _export_parquet(store: Store, out: Path, tbl: Table, columns: list, include_duplicates: bool) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([pa.field(c.name, _arrow_type(c)) for c in columns])
    n = 0
    with pq.ParquetWriter(out, schema) as writer:
        for batch in _rows(store, tbl, columns, include_duplicates):
            for row in batch:  # SQLite hands back naive datetimes; Parquet stores UTC
                for key, value in row.items():
                    if isinstance(value, dt.datetime) and value.tzinfo is None:
                        row[key] = value.replace(tzinfo=dt.UTC)
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            n += len(batch)
    return n
