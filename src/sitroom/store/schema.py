"""The corpus tables (SQLAlchemy Core): one row per article, normalised facts with offsets.

Why Core tables and not ORM classes: the store writes thousands of small rows per minute and reads
them back as plain rows for the CLI, the web app and exports; Core keeps both paths explicit and
fast, and the same `Table` objects drive the Alembic migrations.

Conventions
- Every fact row carries `article_id` and the `start`/`end` character offsets into `articles.text`
  (== `Analysis.text`); `text` repeats `articles.text[start:end]` so queries need no slicing.
- `local_id` is the id inside the article's `Analysis` ("A3", "Q2", "E1" …); `*_actor_id` columns
  point at the corpus-level `actors` table (the same person across articles is one row there).
- Near-duplicates and updated versions are stored as articles with `duplicate_of` set; their facts
  are not normalised (they would count twice), their analysis JSON is kept.
- Full-text search is dialect specific and lives in the migrations (`fts.py`): an FTS5 table
  `articles_fts` on SQLite, a generated `search_vector` tsvector column on PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)


def _article_fk() -> Column:
    return Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True)


def _actor_fk(name: str) -> Column:
    return Column(name, Integer, ForeignKey("actors.id", ondelete="SET NULL"), nullable=True, index=True)


def _span(prefix: str = "", nullable: bool = False) -> list[Column]:
    return [
        Column(f"{prefix}start", Integer, nullable=nullable),
        Column(f"{prefix}end", Integer, nullable=nullable),
        Column(f"{prefix}text", Text, nullable=nullable),
    ]


articles = Table(
    "articles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("content_hash", String(64), nullable=False, unique=True),  # normalised body text, sha256
    Column("url", Text, nullable=True, index=True),
    Column("source", Text, nullable=True),  # the first path / URL / record it was read from
    Column("source_kind", String(16), nullable=False, default="text"),  # text html json warc feed
    Column("headline", Text, nullable=True),
    Column("dek", Text, nullable=True),
    Column("byline", Text, nullable=True),
    Column("section", Text, nullable=True),
    Column("outlet", Text, nullable=True, index=True),
    Column("published", Date, nullable=True, index=True),
    Column("published_source", String(16), nullable=True),
    Column("language", String(16), nullable=True),
    Column("text", Text, nullable=False),  # == Analysis.text; every offset points into it
    Column("length", Integer, nullable=False, default=0),
    Column("analysis", Text, nullable=False),  # the full Analysis as JSON
    Column("minhash", LargeBinary, nullable=True),  # MinHash signature (uint64 little endian)
    Column("duplicate_of", Integer, ForeignKey("articles.id", ondelete="SET NULL"), nullable=True, index=True),
    Column("duplicate_kind", String(16), nullable=True),  # near | version
    Column("similarity", Float, nullable=True),  # estimated Jaccard with the original
    Column("n_actors", Integer, nullable=False, default=0),
    Column("n_quotes", Integer, nullable=False, default=0),
    Column("n_events", Integer, nullable=False, default=0),
    Column("n_claims", Integer, nullable=False, default=0),
    Column("warnings", Text, nullable=True),  # JSON list
    Column("model", String(64), nullable=True),
    Column("sitroom_version", String(32), nullable=True),
    Column("schema_version", String(8), nullable=True),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("duplicate_kind IS NULL OR duplicate_kind IN ('near', 'version')", name="duplicate_kind"),
)

# Every input that resolved to an article (the article itself, or an exact duplicate of it).
# `sha256` is the hash of the raw input text: a rerun skips an input it has seen before analysing it.
article_sources = Table(
    "article_sources",
    metadata,
    Column("id", Integer, primary_key=True),
    _article_fk(),
    Column("source", Text, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("sha256", String(64), nullable=False, index=True),
    Column("seen_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("sha256", "source", name="uq_article_sources_sha256_source"),
)

# LSH bands of originals' MinHash signatures: candidates for near-duplicate detection.
minhash_bands = Table(
    "minhash_bands",
    metadata,
    _article_fk(),
    Column("band", SmallInteger, nullable=False),
    Column("key", BigInteger, nullable=False, index=True),  # a 64-bit hash: the key alone finds candidates
)

# headline, dek, kicker, section, byline, dateline and body paragraphs, with offsets.
article_parts = Table(
    "article_parts",
    metadata,
    Column("id", Integer, primary_key=True),
    _article_fk(),
    Column("kind", String(16), nullable=False),
    Column("seq", Integer, nullable=False, default=0),
    *_span(),
)

furniture = Table(
    "furniture",
    metadata,
    Column("id", Integer, primary_key=True),
    _article_fk(),
    Column("kind", String(24), nullable=False),
    Column("reason", Text, nullable=True),
    *_span(),
)

# Corpus-level actors: one row per real-world actor across all articles.
actors = Table(
    "actors",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("type", String(24), nullable=False, index=True),
    Column("kind", String(16), nullable=False),  # person | org | place | group: what merging compares
    Column("sector", String(32), nullable=True),
    Column("country", String(8), nullable=True),
    Column("country_code", String(8), nullable=True),
    Column("geonames_id", Integer, nullable=True, index=True),
    Column("latitude", Float, nullable=True),
    Column("longitude", Float, nullable=True),
    Column("article_count", Integer, nullable=False, default=0),
    Column("mention_count", Integer, nullable=False, default=0),
    Column("first_seen", Date, nullable=True),
    Column("last_seen", Date, nullable=True),
)

# Every name an actor goes by; `key` is the normalised form merging matches on.
# `strong` names identify (a full name, an organisation's name); weak ones (a lone surname) only
# match when nothing stronger is known and exactly one actor carries them.
actor_names = Table(
    "actor_names",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("actor_id", Integer, ForeignKey("actors.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("kind", String(16), nullable=False),
    Column("key", String(255), nullable=False),
    Column("name", Text, nullable=False),
    Column("strong", Boolean, nullable=False, default=True),
    Column("count", Integer, nullable=False, default=1),
    UniqueConstraint("actor_id", "key", name="uq_actor_names_actor_id_key"),
    Index("ix_actor_names_kind_key", "kind", "key"),
)

# One row per (article, actor): the article's local actor and its corpus actor.
article_actors = Table(
    "article_actors",
    metadata,
    Column("id", Integer, primary_key=True),
    _article_fk(),
    Column("actor_id", Integer, ForeignKey("actors.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("local_id", String(16), nullable=False),
    Column("name", Text, nullable=False),
    Column("type", String(24), nullable=False),
    Column("salience", Float, nullable=False, default=0.0),
    Column("mention_count", Integer, nullable=False, default=0),
    UniqueConstraint("article_id", "local_id", name="uq_article_actors_article_id_local_id"),
)

mentions = Table(
    "mentions",
    metadata,
    Column("id", Integer, primary_key=True),
    _article_fk(),
    Column("actor_id", Integer, ForeignKey("actors.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("local_id", String(16), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("in_body", Boolean, nullable=False, default=True),
    *_span(),
)

actor_roles = Table(
    "actor_roles",
    metadata,
    Column("id", Integer, primary_key=True),
    _article_fk(),
    Column("actor_id", Integer, ForeignKey("actors.id", ondelete="CASCADE"), nullable=False, index=True),
    *_span(),
)

quotes = Table(
    "quotes",
    metadata,
    Column("id", Integer, primary_key=True),
    _article_fk(),
    Column("local_id", String(16), nullable=False),
    Column("kind", String(16), nullable=False),
    *_span(),
    Column("fragments", Text, nullable=True),  # JSON [[start, end], …] when the quote is split
    _actor_fk("speaker_actor_id"),
    Column("speaker_name", Text, nullable=True),
    Column("speaker_start", Integer, nullable=True),
    Column("speaker_end", Integer, nullable=True),
    Column("speaker_role", Text, nullable=True),
    *_span("cue_", nullable=True),
    _actor_fk("addressee_actor_id"),
    Column("addressee_name", Text, nullable=True),
    Column("medium", Text, nullable=True),
    Column("belief", Boolean, nullable=False, default=False),
    Column("confidence", Float, nullable=False, default=1.0),
    UniqueConstraint("article_id", "local_id", name="uq_quotes_article_id_local_id"),
)

times = Table(
    "times",
    metadata,
    Column("id", Integer, primary_key=True),
    _article_fk(),
    Column("local_id", String(16), nullable=False),
    Column("type", String(16), nullable=False),
    *_span(),
    Column("value", Text, nullable=True),
    Column("earliest", Date, nullable=True),
    Column("latest", Date, nullable=True),
    Column("vague", Boolean, nullable=False, default=False),
    Column("direction", String(16), nullable=True),
    UniqueConstraint("article_id", "local_id", name="uq_times_article_id_local_id"),
)

quantities = Table(
    "quantities",
    metadata,
    Column("id", Integer, primary_key=True),
    _article_fk(),
    Column("local_id", String(16), nullable=False),
    *_span(),
    Column("value", Float, nullable=True),
    Column("value_low", Float, nullable=True),
    Column("value_high", Float, nullable=True),
    Column("approx", Boolean, nullable=False, default=False),
    Column("unit", Text, nullable=True),
    Column("counts", Text, nullable=True),
    Column("event_local_id", String(16), nullable=True),
    UniqueConstraint("article_id", "local_id", name="uq_quantities_article_id_local_id"),
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),
    _article_fk(),
    Column("local_id", String(16), nullable=False),
    Column("type", String(32), nullable=False, index=True),
    Column("mode", String(32), nullable=True),
    Column("status", String(16), nullable=False),
    *_span(),
    *_span("trigger_"),
    Column("sentence_start", Integer, nullable=True),
    Column("sentence_end", Integer, nullable=True),
    _actor_fk("actor_actor_id"),
    Column("actor_name", Text, nullable=True),
    _actor_fk("target_actor_id"),
    Column("target_name", Text, nullable=True),
    _actor_fk("location_actor_id"),
    Column("location_name", Text, nullable=True),
    Column("latitude", Float, nullable=True),
    Column("longitude", Float, nullable=True),
    Column("when_value", Text, nullable=True),
    Column("time_local_id", String(16), nullable=True),
    Column("date_earliest", Date, nullable=True, index=True),  # from the event's time, else None
    Column("date_latest", Date, nullable=True),
    _actor_fk("source_actor_id"),
    Column("source_name", Text, nullable=True),
    Column("quote_local_id", String(16), nullable=True),
    Column("confidence", Float, nullable=False, default=1.0),
    # one mention coded as several dyads ("A and B sent forces"): the local id they share
    Column("group_local_id", String(16), nullable=True),
    Column("actor_implied", Boolean, nullable=False, default=False, server_default=false()),
    Column("target_implied", Boolean, nullable=False, default=False, server_default=false()),
    *_span("issue_", nullable=True),  # what a protest is about, when it is not an actor ("against the closure of …")
    UniqueConstraint("article_id", "local_id", name="uq_events_article_id_local_id"),
)

claims = Table(
    "claims",
    metadata,
    Column("id", Integer, primary_key=True),
    _article_fk(),
    Column("local_id", String(16), nullable=False),
    *_span(),
    _actor_fk("holder_actor_id"),
    Column("holder_name", Text, nullable=True),
    Column("polarity", String(16), nullable=False),
    Column("forecast", Boolean, nullable=False, default=False, index=True),
    Column("horizon_value", Text, nullable=True),
    Column("horizon_earliest", Date, nullable=True),
    Column("horizon_latest", Date, nullable=True),
    Column("likelihood_phrase", Text, nullable=True),
    Column("likelihood_kind", String(16), nullable=True),
    Column("likelihood_band", String(32), nullable=True),
    Column("likelihood_low", Float, nullable=True),
    Column("likelihood_high", Float, nullable=True),
    Column("confidence", Text, nullable=True),
    Column("quote_local_id", String(16), nullable=True),
    Column("event_local_ids", Text, nullable=True),  # JSON list
    UniqueConstraint("article_id", "local_id", name="uq_claims_article_id_local_id"),
)

# How a forecast turned out; written by the claims ledger through `Store.add_resolution`.
forecast_resolutions = Table(
    "forecast_resolutions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("claim_id", Integer, ForeignKey("claims.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("outcome", String(8), nullable=False),
    Column("resolved_on", Date, nullable=True),
    Column("note", Text, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("outcome IN ('yes', 'no', 'partial')", name="outcome"),
)

# Inputs that could not be read, parsed, analysed or stored. One row per source; a later success
# removes it.
failures = Table(
    "failures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source", Text, nullable=False, unique=True),
    Column("stage", String(16), nullable=False),  # read | analyse | store
    Column("reason", Text, nullable=False),
    Column("attempts", Integer, nullable=False, default=1),
    Column("first_failed", DateTime(timezone=True), nullable=False),
    Column("last_failed", DateTime(timezone=True), nullable=False),
)

#: tables holding one article's normalised facts, in the order they are written.
FACT_TABLES = (article_parts, furniture, article_actors, mentions, actor_roles, quotes, times, quantities,
               events, claims)
