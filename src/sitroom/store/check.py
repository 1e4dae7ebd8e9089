"""`sitroom check`: the store's integrity, checked from the data itself.

What it proves: every fact row belongs to an existing article and actor; every offset lies inside
its article's text and the stored text is exactly ``articles.text[start:end]``; duplicates point at
an original and carry no facts; actor counts match their rows; the full-text index matches the
articles. It reads the whole store once, streaming articles in batches.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import func, select, text

from sitroom.store import fts
from sitroom.store import schema as s
from sitroom.store.views import Problem

if TYPE_CHECKING:
    from sitroom.store.store import Store

MAX_PER_CHECK = 50  # problems reported per check before summarising

# (table, [(start column, end column, text column or None)]) for every offset-carrying table
_SPANS = [
    (s.article_parts, [("start", "end", "text")]),
    (s.furniture, [("start", "end", "text")]),
    (s.mentions, [("start", "end", "text")]),
    (s.actor_roles, [("start", "end", "text")]),
    (s.quotes, [("start", "end", "text"), ("cue_start", "cue_end", "cue_text"),
                ("speaker_start", "speaker_end", None)]),
    (s.times, [("start", "end", "text")]),
    (s.quantities, [("start", "end", "text")]),
    (s.events, [("start", "end", "text"), ("trigger_start", "trigger_end", "trigger_text"),
                ("sentence_start", "sentence_end", None)]),
    (s.claims, [("start", "end", "text")]),
]


class _Report:
    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.counts: dict[str, int] = {}

    def add(self, check: str, message: str, article_id: int | None = None) -> None:
        n = self.counts.get(check, 0) + 1
        self.counts[check] = n
        if n <= MAX_PER_CHECK:
            self.problems.append(Problem(check=check, message=message, article_id=article_id))
        elif n == MAX_PER_CHECK + 1:
            self.problems.append(Problem(check=check, message=f"more than {MAX_PER_CHECK} problems of this kind"))


def check(store: Store, batch_size: int = 200) -> list[Problem]:
    report = _Report()
    A = s.articles
    with store.engine.connect() as conn:
        # -- references: rows pointing at missing articles or actors (FKs may be off in SQLite)
        for tbl in s.FACT_TABLES + (s.article_sources, s.minhash_bands):
            n = conn.execute(select(func.count()).select_from(tbl).where(
                ~tbl.c.article_id.in_(select(A.c.id)))).scalar_one()
            if n:
                report.add("orphans", f"{n} rows of {tbl.name} belong to no article")
        for tbl in (s.article_actors, s.mentions, s.actor_roles, s.actor_names):
            n = conn.execute(select(func.count()).select_from(tbl).where(
                ~tbl.c.actor_id.in_(select(s.actors.c.id)))).scalar_one()
            if n:
                report.add("orphans", f"{n} rows of {tbl.name} point at no actor")
        for tbl, cols in ((s.quotes, ("speaker_actor_id", "addressee_actor_id")),
                          (s.events, ("actor_actor_id", "target_actor_id", "location_actor_id", "source_actor_id")),
                          (s.claims, ("holder_actor_id",))):
            for col in cols:
                c = tbl.c[col]
                n = conn.execute(select(func.count()).select_from(tbl).where(
                    c.is_not(None), ~c.in_(select(s.actors.c.id)))).scalar_one()
                if n:
                    report.add("orphans", f"{n} rows of {tbl.name}.{col} point at no actor")
        n = conn.execute(select(func.count()).select_from(s.forecast_resolutions).where(
            ~s.forecast_resolutions.c.claim_id.in_(select(s.claims.c.id)))).scalar_one()
        if n:
            report.add("orphans", f"{n} forecast resolutions point at no claim")
        n = conn.execute(select(func.count()).select_from(A).where(
            ~A.c.id.in_(select(s.article_sources.c.article_id)))).scalar_one()
        if n:
            report.add("sources", f"{n} articles have no recorded source")

        # -- duplicates: link to an existing original, carry no facts
        orig = A.alias("orig")
        for row in conn.execute(select(A.c.id, orig.c.id.label("oid"), orig.c.duplicate_of.label("odup"))
                                .select_from(A.outerjoin(orig, orig.c.id == A.c.duplicate_of))
                                .where(A.c.duplicate_of.is_not(None))):
            if row.oid is None:
                report.add("duplicates", f"article {row.id} links to a missing original", row.id)
            elif row.odup is not None:
                report.add("duplicates", f"article {row.id} links to {row.oid}, itself a duplicate", row.id)
        for tbl in (s.article_actors, s.quotes, s.events, s.claims):
            n = conn.execute(select(func.count()).select_from(tbl.join(A, A.c.id == tbl.c.article_id))
                             .where(A.c.duplicate_of.is_not(None))).scalar_one()
            if n:
                report.add("duplicates", f"{n} rows of {tbl.name} belong to duplicates (counted twice)")

        # -- counts kept on actors and articles
        aa = s.article_actors
        real = (select(aa.c.actor_id, func.count(func.distinct(aa.c.article_id)).label("n"))
                .group_by(aa.c.actor_id).subquery())
        for row in conn.execute(select(s.actors.c.id, s.actors.c.article_count, real.c.n)
                                .select_from(s.actors.outerjoin(real, real.c.actor_id == s.actors.c.id))
                                .where(s.actors.c.article_count != func.coalesce(real.c.n, 0))):
            report.add("counts", f"actor {row.id}: article_count {row.article_count}, but {row.n or 0} articles")
        for col, tbl in (("n_quotes", s.quotes), ("n_events", s.events), ("n_claims", s.claims),
                         ("n_actors", s.article_actors)):
            real = select(tbl.c.article_id, func.count().label("n")).group_by(tbl.c.article_id).subquery()
            q = (select(A.c.id, A.c[col], real.c.n).select_from(A.outerjoin(real, real.c.article_id == A.c.id))
                 .where(A.c.duplicate_of.is_(None), A.c[col] != func.coalesce(real.c.n, 0)))
            for row in conn.execute(q):
                report.add("counts", f"article {row.id}: {col} {row[1]}, but {row.n or 0} rows", row.id)

        # -- offsets: inside the text, and the stored text is the text at the offsets
        last = 0
        while True:
            batch = conn.execute(select(A.c.id, A.c.text).where(A.c.id > last).order_by(A.c.id)
                                 .limit(batch_size)).all()
            if not batch:
                break
            texts = {r.id: r.text for r in batch}
            last = batch[-1].id
            for tbl, spans in _SPANS:
                cols = {c for sp in spans for c in sp if c}
                rows = conn.execute(select(tbl.c.id, tbl.c.article_id, *[tbl.c[c] for c in sorted(cols)])
                                    .where(tbl.c.article_id.in_(list(texts)))).mappings()
                for row in rows:
                    body = texts[row["article_id"]]
                    for start_col, end_col, text_col in spans:
                        start, end = row[start_col], row[end_col]
                        if start is None and end is None:
                            continue
                        if start is None or end is None or not 0 <= start <= end <= len(body):
                            report.add("offsets", f"{tbl.name} {row['id']}: {start_col}/{end_col} = {start}/{end} "
                                       f"outside the text (length {len(body)})", row["article_id"])
                        elif text_col and row[text_col] is not None and body[start:end] != row[text_col]:
                            report.add("offsets", f"{tbl.name} {row['id']}: text {row[text_col][:40]!r} is not "
                                       f"the text at {start}:{end} ({body[start:end][:40]!r})", row["article_id"])

        # -- full-text index
        if store.dialect == "sqlite":
            try:
                conn.execute(text(f"INSERT INTO {fts.FTS_TABLE}({fts.FTS_TABLE}, rank) VALUES ('integrity-check', 1)"))
            except Exception as exc:  # noqa: BLE001 - sqlite reports corruption as a generic error
                report.add("fts", f"full-text index does not match the articles: {exc}")
            n_docs = conn.execute(text(f"SELECT count(*) FROM {fts.FTS_TABLE}_docsize")).scalar_one()
            n_art = conn.execute(select(func.count()).select_from(A)).scalar_one()
            if n_docs != n_art:
                report.add("fts", f"full-text index holds {n_docs} documents for {n_art} articles")
            conn.rollback()
        elif store.dialect == "postgresql":
            n = conn.execute(text("SELECT count(*) FROM articles WHERE search_vector IS NULL")).scalar_one()
            if n:
                report.add("fts", f"{n} articles have no search vector")
    return report.problems
