"""The board's queries and changes, shared by its views, the home page and the account page.

Every page runs a fixed number of queries whatever the data size: lists are paginated with
their relations loaded in the same query (``joinedload``), and counters that a list shows
(steun and replies on the post, published posts on the theme) are cached and changed in the
same transaction as what they count.
"""

import functools
import math
from dataclasses import dataclass, field

from sqlalchemy import delete, func, literal, select, union_all, update
from sqlalchemy.orm import joinedload

from portal.board.words import KIND_BY_SLUG, MUNICIPAL_LABELS, ORDERS
from portal.database import add_to_counter, insert_once
from portal.extensions import db
from portal.following.service import tell_followers
from portal.mail import public_url
from portal.models import (
    ContentStatus,
    FollowKind,
    MunicipalStatus,
    Neighbourhood,
    Post,
    PostKind,
    Reply,
    Support,
    Theme,
    User,
)
from portal.models.base import utcnow
from portal.moderation import policy as moderation_policy
from portal.moderation import service as moderation
from portal.slugs import unique_slug
from portal.web import choice, page_number

POSTS_PER_PAGE = 20
REPLIES_PER_PAGE = 25
SIGNALS_PER_PAGE = 20
PUBLISHED = ContentStatus.PUBLISHED


# --- Themes -------------------------------------------------------------------------------


def ordered_themes() -> list[Theme]:
    return list(db.session.scalars(select(Theme).order_by(Theme.position, Theme.id)))


def theme_or_none(slug: str) -> Theme | None:
    return db.session.scalar(select(Theme).where(Theme.slug == slug))


@dataclass
class ThemeSummary:
    theme: Theme
    post_count: int
    latest: Post | None


def theme_overview() -> list[ThemeSummary]:
    """Each theme with its number of published posts (cached on the theme) and its latest
    post: two queries."""
    themes = ordered_themes()
    latest = latest_per_theme([t.id for t in themes], per_theme=1)
    return [
        ThemeSummary(t, t.post_count, next(iter(latest.get(t.id, [])), None)) for t in themes
    ]


def recount_themes() -> None:
    """Count every theme's published posts again, in one UPDATE: for inserts that bypass
    ``create_post`` (the demo data, bulk posts). Call it in the transaction that inserted them."""
    published = (
        select(func.count(Post.id))
        .where(Post.theme_id == Theme.id, Post.status == PUBLISHED)
        .correlate(Theme)
        .scalar_subquery()
    )
    db.session.execute(update(Theme).values(post_count=published))


def latest_per_theme(theme_ids: list[int], per_theme: int, kind: str | None = None) -> dict[int, list[Post]]:
    """The newest published posts of each theme in one query: a UNION ALL of one small,
    indexed ``LIMIT`` per theme (there are a handful of themes, but any number of posts)."""
    if not theme_ids:
        return {}
    posts = db.session.scalars(_latest_per_theme_query(tuple(theme_ids), per_theme, kind))
    grouped: dict[int, list[Post]] = {}
    for post in posts:
        grouped.setdefault(post.theme_id, []).append(post)
    return grouped


@functools.lru_cache(maxsize=64)
def _latest_per_theme_query(theme_ids: tuple[int, ...], per_theme: int, kind: str | None):
    """Built once per set of themes: building a statement of this many parts costs more than
    running it. Statements are immutable, so sharing one between requests is safe."""
    parts = []
    for theme_id in theme_ids:
        newest = select(Post.id).where(Post.theme_id == theme_id, Post.status == PUBLISHED)
        if kind:
            newest = newest.where(Post.kind == kind)
        newest = newest.order_by(Post.created_at.desc(), Post.id.desc()).limit(per_theme)
        parts.append(select(newest.subquery().c.id))
    ids = union_all(*parts).subquery()
    return (
        select(Post)
        .where(Post.id.in_(select(ids.c.id)))
        .options(joinedload(Post.author))
        .order_by(Post.created_at.desc(), Post.id.desc())
    )


RESERVED_THEME_SLUGS = {"beheer"}


def add_theme(name: str, description: str) -> Theme:
    taken = set(db.session.scalars(select(Theme.slug))) | RESERVED_THEME_SLUGS
    slug = unique_slug(name, taken, fallback="thema")
    last = db.session.scalar(select(func.max(Theme.position))) or 0
    theme = Theme(slug=slug, name=name, description=description, position=last + 1)
    db.session.add(theme)
    return theme


def move_theme(theme: Theme, step: int) -> bool:
    """Swap the theme with its neighbour above (-1) or below (+1); False at either end."""
    themes = ordered_themes()
    index = themes.index(theme)
    other = index + step
    if not 0 <= other < len(themes):
        return False
    themes[index], themes[other] = themes[other], themes[index]
    for position, item in enumerate(themes, start=1):
        item.position = position
    return True


# --- Boards -------------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardFilters:
    """What a board shows, read from the query string (``?soort=idee&buurt=...``)."""

    kind: str = ""  # a slug of KIND_BY_SLUG, or "" for all
    neighbourhood: str = ""  # a neighbourhood slug, or "" for all
    order: str = "nieuw"
    page: int = 1

    @classmethod
    def from_args(cls, args) -> "BoardFilters":
        return cls(
            kind=choice(args, "soort", KIND_BY_SLUG),
            neighbourhood=args.get("buurt", "")[:80],
            order=choice(args, "volgorde", ORDERS, default="nieuw"),
            page=page_number(args),
        )

    def url_args(self) -> dict[str, str]:
        """The non-default filters, for links (pagination keeps them)."""
        args = {"soort": self.kind, "buurt": self.neighbourhood}
        if self.order != "nieuw":
            args["volgorde"] = self.order
        return {k: v for k, v in args.items() if v}


def neighbourhoods() -> list[Neighbourhood]:
    return list(db.session.scalars(select(Neighbourhood).order_by(Neighbourhood.name)))


def board_page(theme: Theme, filters: BoardFilters, places: list[Neighbourhood]):
    """One page of a board: one query for the posts with author and buurt; with a filter, one
    more for the count (without, the theme's cached ``post_count`` is the count)."""
    query = select(Post).where(Post.theme_id == theme.id, Post.status == PUBLISHED)
    if filters.kind:
        query = query.where(Post.kind == KIND_BY_SLUG[filters.kind])
    place = next((p for p in places if p.slug == filters.neighbourhood), None)
    if filters.neighbourhood:
        query = query.where(Post.neighbourhood_id == (place.id if place else -1))
    if filters.order == "steun":
        query = query.order_by(Post.support_count.desc(), Post.created_at.desc(), Post.id.desc())
    else:
        query = query.order_by(Post.created_at.desc(), Post.id.desc())
    query = query.options(joinedload(Post.author), joinedload(Post.neighbourhood))
    filtered = bool(filters.kind or filters.neighbourhood)
    page = db.paginate(query, page=filters.page, per_page=POSTS_PER_PAGE, error_out=False, count=filtered)
    if not filtered:
        page.total = theme.post_count
    return page


def initial_status(author: User, hold: bool = False) -> str:
    """Where a new post or reply starts: published, or pending for a *nieuw* account or when
    ``hold`` (the rule lives in ``portal/moderation/policy.py``)."""
    return moderation_policy.initial_status(author, hold)


def create_post(theme: Theme, author: User, kind: str, title: str, body: str,
                neighbourhood_id: int | None, phase: str | None, hold: bool = False,
                on_behalf_name: str | None = None, source: str | None = None) -> Post:
    """A new post; with ``on_behalf_name`` a paper card that ``author`` (a moderator or
    verbinder) types in for a resident, with its ``source`` (where the card came from)."""
    post = Post(
        on_behalf_name=on_behalf_name or None,
        source=source or None,
        theme=theme,
        author=author,
        kind=kind,
        title=title,
        body=body,
        neighbourhood_id=neighbourhood_id,
        status=initial_status(author, hold),
        created_at=utcnow(),
    )
    if kind == PostKind.SIGNAL:
        post.phase = phase
        post.municipal_status = MunicipalStatus.NEW
    db.session.add(post)
    db.session.flush()  # its id (for the address) and its theme_id
    if post.status == PUBLISHED:
        count_published(post, 1)
        tell_theme_followers(post)
    moderation.submitted(post)
    return post


def tell_theme_followers(post: Post) -> int:
    """A new post on line: its text to the theme's followers (not its author), each at their
    pace (``portal/following``). How many were mailed or will find it in their digest."""
    theme = post.theme
    return tell_followers(
        FollowKind.THEME, theme.id, source=f"Thema {theme.name}", title=post.title, text=post.body,
        url=public_url("board.post", post_id=post.id), subject=f"Nieuw bij {theme.name}: {post.title}",
        skip_user_ids={post.author_id},
    ).total


def count_published(item: Post | Reply, amount: int) -> None:
    """The board's one rule for its cached counts: a post that goes on (+1) or off (-1) line
    changes its theme's ``post_count``, a reply its post's ``reply_count``, in the same
    transaction. Used when something is posted and by moderation (``moderated.py``)."""
    if isinstance(item, Reply):
        add_to_counter(Post.reply_count, item.post_id, amount)
    else:
        add_to_counter(Theme.post_count, item.theme_id, amount)


def edit_post(post: Post, title: str, body: str, neighbourhood_id: int | None) -> None:
    post.title, post.body, post.neighbourhood_id = title, body, neighbourhood_id
    post.edited_at = utcnow()


# --- One post -----------------------------------------------------------------------------


def post_or_none(post_id: int) -> Post | None:
    """The post with its theme (its page reads it through ``kept.post_row``)."""
    return db.session.scalar(select(Post).where(Post.id == post_id).options(joinedload(Post.theme)))


def visible_replies(post: Post, viewer: User | None):
    """Published replies, and the viewer's own while they wait for moderation."""
    shown = Reply.status == PUBLISHED
    if viewer is not None and viewer.is_authenticated:
        shown = shown | (Reply.author_id == viewer.id)
    return select(Reply).where(Reply.post_id == post.id, shown)


def replies_page(post: Post, viewer: User | None, page: int):
    query = (
        visible_replies(post, viewer)
        .order_by(Reply.created_at, Reply.id)
        .options(joinedload(Reply.author))
    )
    return db.paginate(query, page=page, per_page=REPLIES_PER_PAGE, error_out=False)


def reply_authors(post: Post, page: int) -> tuple[frozenset[int], frozenset[int]]:
    """Who wrote the published replies on this page of the post, and who has a reply on it
    that only they see (waiting or hidden): those people get the replies rendered for them."""
    on_page = (select(Reply.author_id).where(Reply.post_id == post.id, Reply.status == PUBLISHED)
               .order_by(Reply.created_at, Reply.id)
               .limit(REPLIES_PER_PAGE).offset((page - 1) * REPLIES_PER_PAGE).subquery())
    rows = db.session.execute(union_all(
        select(on_page.c.author_id, literal(True)),
        select(Reply.author_id, literal(False)).where(Reply.post_id == post.id, Reply.status != PUBLISHED),
    )).all()
    return (frozenset(author for author, shown in rows if shown),
            frozenset(author for author, shown in rows if not shown))


def last_reply_page(post: Post) -> int:
    return max(1, math.ceil(post.reply_count / REPLIES_PER_PAGE))


def add_reply(post: Post, author: User, body: str, hold: bool = False) -> Reply:
    reply = Reply(post_id=post.id, author=author, body=body, status=initial_status(author, hold),
                  created_at=utcnow())
    db.session.add(reply)
    if reply.status == PUBLISHED:
        count_published(reply, 1)
    db.session.flush()  # its id, for the anchor
    moderation.submitted(reply)
    return reply


def reply_or_none(reply_id: int) -> Reply | None:
    return db.session.scalar(
        select(Reply).where(Reply.id == reply_id).options(joinedload(Reply.author))
    )


def edit_reply(reply: Reply, body: str) -> None:
    reply.body = body
    reply.edited_at = utcnow()


# --- Steun --------------------------------------------------------------------------------


def has_supported(post: Post, user: User | None) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return db.session.scalar(
        select(Support.id).where(Support.post_id == post.id, Support.user_id == user.id)
    ) is not None


def set_support(post: Post, user: User, wanted: bool) -> bool:
    """Give (``wanted``) or withdraw steun. Idempotent: a second identical request changes
    nothing (the unique constraint settles a race, in a savepoint). Returns whether anything
    changed."""
    if wanted:
        if has_supported(post, user):
            return False
        if not insert_once(Support, post_id=post.id, user_id=user.id, created_at=utcnow()):
            return False  # the same person, twice at the same moment
    else:
        removed = db.session.execute(
            delete(Support).where(Support.post_id == post.id, Support.user_id == user.id)
        ).rowcount
        if not removed:
            return False
    add_to_counter(Post.support_count, post.id, 1 if wanted else -1)
    return True


# --- Signals ------------------------------------------------------------------------------


def signals_page(status: str, page: int, neighbourhood_id: int | None = None, total: int | None = None):
    """A page of published signals, newest first; ``total`` when the caller counted them
    already (``/signalen`` has the counts per status), else one more query counts them."""
    query = select(Post).where(Post.kind == PostKind.SIGNAL, Post.status == PUBLISHED)
    if neighbourhood_id is not None:
        query = query.where(Post.neighbourhood_id == neighbourhood_id)
    if status in MUNICIPAL_LABELS:
        query = query.where(Post.municipal_status == status)
    query = query.order_by(Post.created_at.desc(), Post.id.desc()).options(
        joinedload(Post.author), joinedload(Post.theme), joinedload(Post.neighbourhood)
    )
    result = db.paginate(query, page=page, per_page=SIGNALS_PER_PAGE, error_out=False, count=total is None)
    if total is not None:
        result.total = total
    return result


def recently_answered_signals(limit: int = 3) -> list[Post]:
    return list(db.session.scalars(
        select(Post)
        .where(Post.municipal_status == MunicipalStatus.ANSWERED, Post.status == PUBLISHED,
               Post.answer_hidden.is_(False))
        .order_by(Post.answered_at.desc(), Post.id.desc())
        .limit(limit)
        .options(joinedload(Post.theme))
    ))


def signals_of(user: User, limit: int = 20) -> list[Post]:
    """The person's own signals (any state), newest first, for the account page."""
    return list(db.session.scalars(
        select(Post)
        .where(Post.author_id == user.id, Post.kind == PostKind.SIGNAL)
        .order_by(Post.created_at.desc(), Post.id.desc())
        .limit(limit)
    ))


# --- Home ---------------------------------------------------------------------------------


@dataclass
class HomeBoard:
    """What the home page shows of the board."""

    themes: list[Theme] = field(default_factory=list)
    ideas: dict[int, list[Post]] = field(default_factory=dict)
    answered: list[Post] = field(default_factory=list)


def home_board(ideas_per_theme: int = 2) -> HomeBoard:
    themes = ordered_themes()
    ideas = latest_per_theme([t.id for t in themes], ideas_per_theme, kind=PostKind.IDEA)
    return HomeBoard(themes=[t for t in themes if t.id in ideas], ideas=ideas,
                     answered=recently_answered_signals())
