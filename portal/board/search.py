"""Full-text search over posts: one function, two engines.

SQLite (the default) uses the FTS5 table ``posts_fts``; PostgreSQL uses
``to_tsvector('dutch', title || ' ' || body)`` with its GIN index ``ix_posts_fts``. Both are
made in migration 0003. Each word the person types must occur, also as the start of a longer
word ("fiets" finds "fietspad"); the best matches come first. Neither engine reads the whole
posts table: the index yields the matching rows.
"""

import re
from contextlib import contextmanager

from sqlalchemy import column, func, literal_column, select, table, text
from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.models import ContentStatus, Post

RESULTS_PER_PAGE = 20
MAX_TERMS = 8
WORD = re.compile(r"[^\W_]+")  # letters and digits; everything else separates words

posts_fts = table("posts_fts", column("rowid"), column("rank"))
DUTCH = literal_column("'dutch'")
# Must stay the exact expression of the index ix_posts_fts, or PostgreSQL will not use it.
POSTGRES_DOCUMENT = func.to_tsvector(
    DUTCH, Post.title.op("||")(literal_column("' '")).op("||")(Post.body)
)


def search_terms(query: str | None) -> list[str]:
    """The words of a query, lower case, without operators or punctuation."""
    return [w[:40] for w in WORD.findall((query or "").lower())][:MAX_TERMS]


def search_posts(query: str | None, page: int = 1):
    """A page of published posts matching every word of ``query`` (best first), or None
    when the query holds no words."""
    terms = search_terms(query)
    if not terms:
        return None
    engine = _postgres_search if db.engine.dialect.name == "postgresql" else _sqlite_search
    statement = engine(terms)
    statement = statement.where(Post.status == ContentStatus.PUBLISHED).options(
        joinedload(Post.theme), joinedload(Post.author), joinedload(Post.neighbourhood)
    )
    return db.paginate(statement, page=page, per_page=RESULTS_PER_PAGE, error_out=False)


def _sqlite_search(terms: list[str]):
    match = " ".join(f'"{term}"*' for term in terms)  # quoted: no FTS5 syntax gets through
    return (
        select(Post)
        .join(posts_fts, posts_fts.c.rowid == Post.id)
        .where(text("posts_fts MATCH :match").bindparams(match=match))
        .order_by(posts_fts.c.rank, Post.id.desc())
    )


def _postgres_search(terms: list[str]):
    query = func.to_tsquery(DUTCH, " & ".join(f"{term}:*" for term in terms))
    return (
        select(Post)
        .where(POSTGRES_DOCUMENT.op("@@")(query))
        .order_by(func.ts_rank(POSTGRES_DOCUMENT, query).desc(), Post.id.desc())
    )


@contextmanager
def search_index_paused():
    """For bulk inserts on SQLite: index the new posts in one statement at the end instead of
    once per row through the insert trigger (about three times faster). The trigger is
    dropped and re-created from its own stored definition inside the caller's transaction:
    other writers never see it missing, and a rollback brings it back. The caller commits.
    PostgreSQL's GIN index needs nothing."""
    if db.engine.dialect.name != "sqlite":
        yield
        return
    session = db.session
    if not session.connection().connection.dbapi_connection.in_transaction:
        # pysqlite opens a transaction only before DML; DROP TRIGGER would commit on its own.
        session.execute(text("BEGIN"))
    trigger = session.scalar(text(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'posts_fts_after_insert'"
    ))
    last_id = session.scalar(select(func.coalesce(func.max(Post.id), 0)))
    session.execute(text("PRAGMA cache_size = -65536"))  # 64 MB: the indexes grow in memory
    if trigger:
        session.execute(text("DROP TRIGGER posts_fts_after_insert"))
    try:
        yield
    finally:
        session.execute(text("PRAGMA cache_size = -2000"))  # back to SQLite's default
    if trigger:
        session.execute(
            text("INSERT INTO posts_fts(rowid, title, body) "
                 "SELECT id, title, body FROM posts WHERE id > :last_id"),
            {"last_id": last_id},
        )
        session.execute(text(trigger))
