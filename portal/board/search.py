"""Full-text search over published posts: one function, two engines.

SQLite (the default) uses the FTS5 table ``posts_fts``, which holds only published posts;
PostgreSQL uses ``to_tsvector('dutch', title || ' ' || body)`` with its partial GIN index
``ix_posts_fts``. Both are made in migration 0003. Each word the person types must occur, also
as the start of a longer word ("fiets" finds "fietspad"). Newest posts come first: the index
yields them in that order, so a page costs the same whatever the number of matches (ranking by
relevance would score every match on every page). Neither engine reads the whole posts table.
"""

import re
from contextlib import contextmanager

from sqlalchemy import column, func, literal_column, select, table, text
from sqlalchemy.orm import joinedload

from portal.board.paging import Page, paginate
from portal.extensions import db
from portal.models import ContentStatus, Post
from portal.wijk import ALL_WIJKEN

RESULTS_PER_PAGE = 20
MAX_TERMS = 8
WORD = re.compile(r"[^\W_]+")  # letters and digits; everything else separates words

posts_fts = table("posts_fts", column("rowid"))
DUTCH = literal_column("'dutch'")
# Must stay the exact expression of the index ix_posts_fts, or PostgreSQL will not use it.
POSTGRES_DOCUMENT = func.to_tsvector(
    DUTCH, Post.title.op("||")(literal_column("' '")).op("||")(Post.body)
)
PUBLISHED = Post.status == ContentStatus.PUBLISHED


def search_terms(query: str | None) -> list[str]:
    """The words of a query, lower case, without operators or punctuation."""
    return [w[:40] for w in WORD.findall((query or "").lower())][:MAX_TERMS]


def search_posts(query: str | None, page: int = 1) -> Page | None:
    """A page of published posts matching every word of ``query``, newest first; None when
    the query holds no words. Two queries: the page and the count."""
    terms = search_terms(query)
    if not terms:
        return None
    engine = _postgres_search if db.engine.dialect.name == "postgresql" else _sqlite_search
    items, count = engine(terms)
    items = items.options(
        joinedload(Post.theme), joinedload(Post.author), joinedload(Post.neighbourhood)
    )
    return paginate(items, count, page, RESULTS_PER_PAGE)


def _sqlite_search(terms: list[str]):
    match = " ".join(f'"{term}"*' for term in terms)  # quoted: no FTS5 syntax gets through
    matches = text("posts_fts MATCH :match").bindparams(match=match)
    items = (
        select(Post)
        .join(posts_fts, posts_fts.c.rowid == Post.id)
        .where(matches, PUBLISHED)
        .order_by(posts_fts.c.rowid.desc())
    )
    return items, select(func.count()).select_from(posts_fts).where(matches)


def _postgres_search(terms: list[str]):
    query = func.to_tsquery(DUTCH, " & ".join(f"{term}:*" for term in terms))
    matches = POSTGRES_DOCUMENT.bool_op("@@")(query) & PUBLISHED
    items = select(Post).where(matches).order_by(Post.id.desc())
    return items, select(func.count()).select_from(Post).where(matches)


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
                 "SELECT id, title, body FROM posts WHERE id > :last_id AND status = 'published'"),
            {"last_id": last_id},
            execution_options={ALL_WIJKEN: True},  # the one search index holds every wijk's posts
        )
        session.execute(text(trigger))
