"""Full-text search: SQLite FTS5 or PostgreSQL tsvector, behind one `search` query.

SQLite: an external-content FTS5 table `articles_fts` (headline, text) kept in sync by triggers,
Porter-stemmed. PostgreSQL: a generated, stored `search_vector` column (headline weighted above the
body) with a GIN index. Both are created by the migrations, not by `schema.metadata`, because
neither is expressible as a portable table.

User queries use web-search syntax on both: words (all must match), "a phrase", `OR`, `-word`.
"""

from __future__ import annotations

import re

FTS_TABLE = "articles_fts"
PG_CONFIG = "english"
PG_MAX_CHARS = 300_000  # to_tsvector refuses vectors over 1 MB; very long texts are indexed in part

SQLITE_CREATE = [
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(headline, text, content='articles', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, headline, text) VALUES (new.id, new.headline, new.text); END",
    f"CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, headline, text) VALUES ('delete', old.id, old.headline, old.text); "
    "END",
    f"CREATE TRIGGER articles_fts_au AFTER UPDATE OF headline, text ON articles BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, headline, text) VALUES ('delete', old.id, old.headline, old.text); "
    f"INSERT INTO {FTS_TABLE}(rowid, headline, text) VALUES (new.id, new.headline, new.text); END",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS articles_fts_au", "DROP TRIGGER IF EXISTS articles_fts_ad",
               "DROP TRIGGER IF EXISTS articles_fts_ai", f"DROP TABLE IF EXISTS {FTS_TABLE}"]

PG_CREATE = [
    "ALTER TABLE articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    f"setweight(to_tsvector('{PG_CONFIG}', coalesce(headline, '')), 'A') || "
    f"setweight(to_tsvector('{PG_CONFIG}', left(text, {PG_MAX_CHARS})), 'B')) STORED",
    "CREATE INDEX ix_articles_search_vector ON articles USING gin (search_vector)",
]
PG_DROP = ["DROP INDEX IF EXISTS ix_articles_search_vector", "ALTER TABLE articles DROP COLUMN IF EXISTS search_vector"]


def is_fts_object(name: str | None, type_: str) -> bool:
    """Objects the migrations create by hand; schema comparison ignores them."""
    return bool(name) and (name.startswith(FTS_TABLE) or name in ("search_vector", "ix_articles_search_vector"))


_TOKEN = re.compile(r'(-?)"([^"]*)"|(\S+)')


def parse_query(query: str) -> list[tuple[str, str]]:
    """Split web-search syntax into (op, term) pairs: op is "and", "or" or "not"; phrases kept whole."""
    out: list[tuple[str, str]] = []
    pending_or = False
    for m in _TOKEN.finditer(query):
        neg, phrase, word = m.group(1), m.group(2), m.group(3)
        if word is not None and word.upper() == "OR":
            pending_or = bool(out)
            continue
        if word is not None and word.startswith("-") and len(word) > 1:
            neg, word = "-", word[1:]
        term = phrase if phrase is not None else word
        term = " ".join(re.findall(r"\w+", term or "", re.UNICODE))
        if not term:
            continue
        op = "not" if neg else ("or" if pending_or else "and")
        out.append((op, term))
        pending_or = False
    return out


def fts5_query(query: str) -> str | None:
    """An FTS5 MATCH expression for a web-search query (every term quoted: no syntax errors)."""
    parts = parse_query(query)
    positives = [(op, t) for op, t in parts if op != "not"]
    if not positives:
        return None
    expr = ""
    for op, term in positives:
        quoted = '"' + term.replace('"', "") + '"'
        expr = quoted if not expr else f"({expr}) {'OR' if op == 'or' else 'AND'} {quoted}"
    for op, term in parts:
        if op == "not":
            expr = f"({expr}) NOT \"{term}\""
    return expr
