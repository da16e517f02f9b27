"""Everything the portal keeps between requests, declared once: the registry.

Signed-in pages are fast because what is the same for many readers is made once per change
and reused. Each such thing is declared here and nowhere else: its name (the function's),
what it renders or loads (the function), its audience (who may get it, and what of the
reader it varies with) and its arguments (the rest of what it varies with). A view asks for
it by name, with its arguments: ``kept.board_results(theme=theme, filters=filters)``. The
key, the audience check, making it without a reader, the slots and emptying it at every
change are the machinery's (``portal/keeping.py``), never a call site's.

Rules for a new declaration:

- Everything it shows comes from its arguments or from queries on them, never from the
  reader: it is made with ``current_user``, the session and ``g`` unreadable.
- A template in it that asks ``current_user`` gets ``reads_as``: the reader the part is made
  for (``PLAIN_RESIDENT``: signed in, wrote none of it, no moderator). The audience makes
  sure only readers for whom it looks the same get it.
- Forms in it put their CSRF token in the ``CSRF`` slot: each reader gets their own.
- Rows (``@rows``) are for the few rows nearly every page needs; plain data (``@value``)
  never holds a row.

The visitors' copies of whole public pages are the other kept thing (``@for_visitors`` in
``portal/pagecache.py``); both are emptied by every committed change (``portal/changes.py``).
"""

from dataclasses import dataclass
from datetime import datetime

from flask import render_template, url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from portal.access import signed_in
from portal.board import access as board_access
from portal.board import gemeente_signals
from portal.board import service as board_service
from portal.board.forms import PostForm, ReplyForm
from portal.board.words import KIND_BY_SLUG, KIND_PLURALS, ORDERS
from portal.circles import access as circle_access
from portal.circles import service as circle_service
from portal.circles.forms import ContactLineForm
from portal.circles.map import circle_map as folium_circle_map
from portal.extensions import db
from portal.following import service as following
from portal.groups import service as groups_service
from portal.keeping import ALL, CSRF, PROGRAM, Audience, empty_form, part, rows, value
from portal.maps import MapParts
from portal.meedenken import service as meedenken_service
from portal.meedenken.map import traject_map as folium_traject_map
from portal.models import Circle, DeviceSession, FollowKind, Membership, Post, Traject, User
from portal.models.wijken import Role
from portal.moderation import access as moderation_access
from portal.moderation import queue as moderation_queue
from portal.moderation.forms import DecisionForm

# --- Who reads it ------------------------------------------------------------------------------


@dataclass(frozen=True)
class StandIn:
    """The reader a kept part is made for, as access rules see a person: signed in, active,
    wrote nothing (no account has id 0) and has the given role."""

    role: str = Role.RESIDENT
    id: int = 0
    is_authenticated: bool = True
    is_active: bool = True
    is_anonymous: bool = False
    blocked: bool = False
    trusted: bool = True

    @property
    def is_moderator(self) -> bool:
        return self.role in (Role.MODERATOR, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN


PLAIN_RESIDENT = StandIn()

EVERYONE = Audience("everyone", lambda reader, **_: ALL, asks_reader=False)
PARTICIPANTS = Audience("signed-in people who may take part",
                        lambda reader, **_: ALL if board_access.can_take_part(reader) else None)
PLAIN_READERS = Audience(
    "signed-in readers who are no moderator",
    lambda reader, **_: ALL if signed_in(reader) and not moderation_access.can_moderate(reader) else None)
MODERATORS = Audience("moderators",
                      lambda reader, **_: ALL if moderation_access.can_moderate(reader) else None)
MODERATORS_BY_ROLE = Audience(
    "moderators, per role (admins decide more)",
    lambda reader, **_: reader.role if moderation_access.can_moderate(reader) else None, gives="role")
CIRCLE_READERS = Audience(
    "the circle's members and moderators",
    lambda reader, circle, **_: ALL if circle_access.can_see_help_items(reader, circle) else None)


def _poster(reader, circle, **_) -> str | None:
    if not circle_access.can_post_help(reader, circle):
        return None
    return "namens" if circle_access.can_post_on_behalf(reader, circle) else "lid"


CIRCLE_POSTERS = Audience(
    "the circle's members, per what they may post (a verbinder also namens a neighbour)",
    _poster, gives="poster")
CIRCLE_VERBINDERS = Audience(
    "the circle's verbinders",
    lambda reader, circle, **_: ALL if circle_access.can_keep_neighbours(reader, circle) else None)
CIRCLE_MANAGERS = Audience(
    "the circle's verbinders and moderators",
    lambda reader, circle, **_: ALL if circle_access.can_manage_circle(reader, circle) else None)
EVERYONE_BY_OWN_CIRCLE = Audience(
    "everyone, per own circle (the map marks it)",
    lambda reader, **_: getattr(circle_access.circle_of(reader), "id", 0), gives="own_circle_id")


# --- Rows every page needs -------------------------------------------------------------------


@dataclass(frozen=True)
class DeviceFacts:
    """What a request needs of its device's session (``portal/accounts/sessions.py``)."""

    user_id: int
    remember: bool
    created_at: datetime
    last_seen_at: datetime


@value(EVERYONE)
def wijken():
    """Every wijk with its hosts and settings: every request asks, before any view runs
    (``portal/wijken/hosts.py``)."""
    from flask import current_app

    from portal.wijken import hosts

    return hosts.load(db.session, current_app.config["DEFAULT_WIJK"])


@value(PROGRAM)
def device_session(digest: str) -> DeviceFacts | None:
    """A device's session, by the digest of its token: asked on every signed-in request."""
    row = db.session.scalar(select(DeviceSession).where(DeviceSession.token_hash == digest))
    return row and DeviceFacts(row.user_id, row.remember, row.created_at, row.last_seen_at)


@rows(PROGRAM, shared_on_reads=True)
def person(db, user_id: int):
    """The signed-in person (``load_user``) with their part in this wijk (its role). A read
    gets this very row, unmerged: ``participations`` is her only relationship, loaded here,
    and no read changes her (``DeclaredRows``)."""
    return db.scalar(select(User).where(User.id == user_id).options(joinedload(User.participations)))


@rows(PROGRAM, keep_none=True, shared_on_reads=True)
def own_membership(db, user_id: int):
    """The signed-in person's membership with its circle, loaded only on pages that ask
    (``circles.access.membership_of``): the board and moderation never do. "None" is kept:
    only a signed-in person's id is ever asked. Shared by reads, as the person is: no read
    changes it, and pages read nothing of its circle but the circle's own columns."""
    return db.scalar(select(Membership).where(Membership.user_id == user_id)
                     .options(joinedload(Membership.circle)))


@rows(PROGRAM, shared_on_reads=True)
def circle_row(db, slug: str):
    """A circle's row with its neighbourhood and streets: its members open it every day.
    Shared by reads; its memberships are never read through it (they are queried)."""
    return db.scalar(select(Circle).where(Circle.slug == slug)
                     .options(joinedload(Circle.neighbourhood), selectinload(Circle.streets)))


@rows(PROGRAM, shared_on_reads=True)
def post_row(db, post_id: int):
    """A post with its theme, buurt and author (and the author's part in the wijk: a row
    outside a session cannot load it if a rule asks for the author's role). Shared by reads;
    a new reply or steun changes its counts, so it is made again."""
    return db.scalar(select(Post).where(Post.id == post_id).options(
        joinedload(Post.theme), joinedload(Post.neighbourhood),
        joinedload(Post.author).joinedload(User.participations)))


# --- The board -----------------------------------------------------------------------------


@dataclass(frozen=True)
class KeptTheme:
    id: int
    slug: str
    name: str
    description: str | None
    post_count: int


@dataclass(frozen=True)
class KeptPlace:
    id: int
    slug: str
    name: str


@value(EVERYONE)
def theme(slug: str) -> KeptTheme | None:
    found = board_service.theme_or_none(slug)
    if found is None:
        return None
    return KeptTheme(found.id, found.slug, found.name, found.description, found.post_count)


@value(EVERYONE)
def neighbourhoods() -> tuple[KeptPlace, ...]:
    return tuple(KeptPlace(p.id, p.slug, p.name) for p in board_service.neighbourhoods())


@part(EVERYONE)
def board_filters(theme: KeptTheme, filters: board_service.BoardFilters):
    return render_template("board/_board_filters.html", theme=theme, filters=filters, places=neighbourhoods(),
                           kinds=KIND_BY_SLUG, kind_plurals=KIND_PLURALS, orders=ORDERS)


@part(EVERYONE)
def board_results(theme: KeptTheme, filters: board_service.BoardFilters):
    """A page of a board's posts: published posts only, no buttons of anyone's own."""
    return render_template("board/_board_results.html", theme=theme, filters=filters,
                           posts=board_service.board_page(theme, filters, neighbourhoods()))


@part(PARTICIPANTS, slots=(CSRF,))
def new_post_form(theme: KeptTheme):
    """The board's new-post form, empty: its one choice, the neighbourhoods, is everyone's."""
    return render_template("board/_post_form.html", theme=theme, inline=True,
                           form=empty_form(PostForm).set_neighbourhoods(neighbourhoods()))


@part(EVERYONE)
def home_board():
    """Home's newest ideas and answered signals."""
    return render_template("board/_home.html", board=board_service.home_board())


@part(EVERYONE)
def home_groups():
    """Home's active werkgroepen and bewonersgroepen, to join."""
    return render_template("groups/_list.html", offered=groups_service.active_groups(limit=5),
                           heading="Doe mee met een groep", heading_id="groepen-kop", more=None)


@part(EVERYONE)
def theme_groups(theme: KeptTheme):
    """The active groups of a theme, under its board."""
    return render_template("groups/_list.html", offered=groups_service.active_groups(theme_id=theme.id),
                           heading=f"Groepen over {theme.name.lower()}", heading_id="groepen-kop",
                           more=url_for("groups.index", thema=theme.id))


@part(EVERYONE)
def buurt_groups(neighbourhood_id: int):
    """The active groups of a buurt, on the page of each circle in it ("In uw buurt")."""
    offered = groups_service.active_groups(buurt_id=neighbourhood_id)
    return render_template("groups/_list.html", offered=offered,
                           heading="In uw buurt: groepen om mee te doen", heading_id="groepen-kop",
                           more=url_for("groups.index", buurt=neighbourhood_id))


@value(EVERYONE)
def reply_authors(post: Post, page: int) -> tuple[frozenset[int], frozenset[int]]:
    """Who wrote the published replies on this page of the post, and who has one there only
    they see: those readers get the page rendered for them (``board/views.py``)."""
    return board_service.reply_authors(post, page)


@value(EVERYONE)
def theme_followers(theme: KeptTheme) -> frozenset[int]:
    """Who follows a theme: each reader's board says "Volg dit thema" or "Niet meer volgen"."""
    return following.follower_ids(FollowKind.THEME, theme.id)


@value(EVERYONE)
def supporters_and_followers(post: Post) -> tuple[frozenset[int], frozenset[int]]:
    return gemeente_signals.supporters_and_followers(post.id)


@part(PLAIN_READERS, reads_as=PLAIN_RESIDENT)
def post_content(post: Post):
    """A post as every plain reader sees it ("Melden", no buttons of their own); the view
    gives it only to readers who wrote nothing on it."""
    return render_template("board/_post_content.html", post=post)


@part(PLAIN_READERS, reads_as=PLAIN_RESIDENT)
def replies(post: Post, page: int):
    """A page of a post's published replies, as every plain reader sees it."""
    return render_template("board/_replies.html", post=post,
                           replies=board_service.replies_page(post, None, page))


@part(PARTICIPANTS, slots=(CSRF,))
def reply_form(post: Post):
    return render_template("board/_reply_form.html", post=post, reply_form=empty_form(ReplyForm))


@value(EVERYONE)
def signal_figures(neighbourhood_id: int | None):
    """``/signalen``'s figures count every signal (tens of milliseconds at 15,000)."""
    return gemeente_signals.overview(neighbourhood_id)


# --- Circles --------------------------------------------------------------------------------


@part(EVERYONE)
def circle_facts(circle: Circle):
    """A circle's public facts (buurt, streets, members, verbinders), the same for everyone."""
    return render_template("circles/_circle_facts.html", circle=circle,
                           member_count=circle_service.member_count(circle),
                           connectors=circle_service.connectors_of(circle))


@value(EVERYONE_BY_OWN_CIRCLE)
def circle_map(own_circle_id: int):
    """Folium builds the map in some ten milliseconds; it marks the reader's own circle."""
    summaries = circle_service.circle_summaries()
    mine = next((s.circle for s in summaries if s.circle.id == own_circle_id), None)
    return folium_circle_map(summaries, mine=mine)


@value(CIRCLE_READERS)
def unpublished_help_authors(circle: Circle) -> frozenset[int]:
    """Who in this circle has an open item only they see (waiting or hidden): they get the
    help lists rendered for them."""
    return circle_service.authors_of_unpublished_items(circle)


@part(CIRCLE_READERS)
def help_lists(circle: Circle):
    """The circle's published help items, the same for every member and moderator."""
    return render_template("circles/_help_lists.html", items=circle_service.active_items(circle),
                           new_item_id=None)


@part(CIRCLE_POSTERS, slots=(CSRF,))
def help_form(circle: Circle, poster: str):
    """The empty help form; a verbinder's (``poster="namens"``) also offers the circle's
    neighbours without internet."""
    from portal.circles.views import help_form_for  # the form's one builder, with the view

    return render_template("circles/_help_form.html", circle=circle,
                           form=help_form_for(circle, on_behalf=poster == "namens", make=empty_form))


@part(CIRCLE_VERBINDERS)
def overview_body(circle: Circle):
    """The verbinder's overview: the lists, and the members with their phone numbers, which
    the circle's verbinders may all see (``can_see_phone``: "the verbinders of their circle")."""
    members = [(member, True) for member in circle_service.members_of(circle)]
    return render_template("circles/_overview_body.html", circle=circle,
                           overview=circle_service.circle_overview(circle), keeps_neighbours=True,
                           members=members)


@part(CIRCLE_MANAGERS, slots=(CSRF,))
def contact_form(circle: Circle, wijkinformatiepunt: str):
    return render_template("circles/_contact_form.html", circle=circle, wijkinformatiepunt=wijkinformatiepunt,
                           contact_form=empty_form(ContactLineForm, contact_line=circle.contact_line))


# --- Meedenken -------------------------------------------------------------------------------


@dataclass(frozen=True)
class MapEntry:
    """A contribution in the list below a traject's map, numbered as on the map."""

    inbreng_id: int
    theme: str
    text: str


@dataclass(frozen=True)
class TrajectMap:
    map: MapParts
    entries: tuple[MapEntry, ...]


@value(EVERYONE)
def traject_map(traject: Traject) -> TrajectMap:
    """The plan's place and the published inbreng that has one: folium takes some milliseconds."""
    items = meedenken_service.inbreng_on_map(traject)
    return TrajectMap(folium_traject_map(traject, items),
                      tuple(MapEntry(item.id, item.theme, item.text[:120]) for item in items))


# --- Moderation -----------------------------------------------------------------------------


@value(MODERATORS)
def moderation_open_count() -> int:
    """The number in the header, "Moderatie (3)", on every page of every moderator."""
    return moderation_queue.open_count()


@part(MODERATORS_BY_ROLE, slots=(CSRF,), reads_as=lambda page, role: StandIn(role=role))
def moderation_queue_page(page: int, role: str):
    """A page of the queue with its decision forms. What a row offers depends on the role
    only: admins decide on moderators' accounts too, and nobody's own account is one the
    role may decide on (a moderator's account is decided by admins, an admin's by nobody)."""
    from portal.models.base import utcnow

    return render_template("moderation/_queue.html", results=moderation_queue.queue_page(page), now=utcnow())


@part(MODERATORS, slots=(CSRF,))
def decision_reason_field(field_id: str):
    """A decision's token and empty reason field, for a queue row."""
    return render_template("moderation/_reason_field.html", form=empty_form(DecisionForm).with_id(field_id))

