"""Ten wijken for the load test (issue 25): ``benchmarks/load.py --wijken 10`` runs this after
``seed-demo`` (which fills the default wijk with the demo and no bulk posts).

    .venv/bin/python -m benchmarks.wijken --wijken 10 --posts 100000   (DATABASE_URL from the env)

* The wijken there are (the demo's: Vleuten-De Meern, and West when the demo has it) are kept;
  more are made with ``create_wijk`` (``wijk<n>`` on the host ``wijk<n>.localhost``, with its
  five themes) until there are ``--wijken``.
* Every wijk made here gets the demo of Vleuten-De Meern once more, as its own (its places,
  circles, help items, posts with replies and steun, signals, events, peilingen and the
  moderation queue), played by the same accounts: an account is one per person for every
  wijk, so the demo's people take part in each (bewoner a member of her circle there,
  verbinder its connector, moderator a moderator). So the signed-in pages of every wijk are
  the same pages, with as much on them, and can be compared.
* Every wijk gets ``--posts`` published posts in bulk: on PostgreSQL with ``COPY`` (the GIN
  search index is filled as they go in), on SQLite through the demo's own executemany
  (``add_bulk_posts``). The themes' cached counts are counted again per wijk.

Each wijk is its own unit of work, in its own ``in_wijk``; nothing here spans the wijken but
the list of wijken itself. Prints one line per wijk with what it took.
"""

import argparse
import random
import time

from sqlalchemy import func, select

from portal import create_app, demo_moderation
from portal import demo as portal_demo
from portal.board import demo as board_demo
from portal.board.service import recount_themes
from portal.circles import coordination
from portal.circles import demo as circles_demo
from portal.database import commit
from portal.demo_context import DemoContext
from portal.events import demo as events_demo
from portal.extensions import db
from portal.models import Circle, District, Membership, Neighbourhood, Post, Role, Theme, User
from portal.models.base import utcnow
from portal.surveys import demo as surveys_demo
from portal.wijk import in_wijk
from portal.wijken.service import create_wijk

# The two themes the first wijk has beyond the five (migration 0003); the demo's posts use them.
MORE_THEMES = [
    ("wonen", "Wonen", "Betaalbare woningen, wonen voor ouderen en nieuwbouw in de wijk."),
    ("gezondheid", "Gezondheid", "Zorg dichtbij, bewegen en gezond leven in de buurt."),
]
POST_COLUMNS = ["district_id", "theme_id", "author_id", "neighbourhood_id", "kind", "title", "body",
                "status", "created_at", "edited_at", "support_count", "reply_count", "phase",
                "municipal_status", "municipal_answer", "answered_at"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wijken", type=int, default=10)
    parser.add_argument("--posts", type=int, default=100_000, help="bulk posts per wijk")
    args = parser.parse_args()
    app = create_app()
    with app.app_context():
        for line in seed_wijken(args.wijken, args.posts):
            print(line, flush=True)


def seed_wijken(count: int, posts: int):
    """Yields a line per wijk as it is done."""
    started = time.perf_counter()
    districts = db.session.execute(select(District.id, District.slug).order_by(District.id)).all()
    default_id = districts[0][0]  # Vleuten-De Meern: what seed-demo filled
    made = []
    for number in range(len(districts) + 1, count + 1):
        district = create_wijk(f"wijk{number}", f"Wijk {number}", f"wijk{number}.localhost")
        made.append(district.id)
    commit()
    yield f"{len(made)} wijken made with create_wijk ({time.perf_counter() - started:.1f} s)"
    every = db.session.execute(select(District.id, District.slug, District.host).order_by(District.id)).all()
    db.session.remove()
    for district_id, slug, host in every:
        started = time.perf_counter()
        with in_wijk(district_id):
            if district_id in made:
                seed_like_the_demo(district_id)
                commit()
                db.session.remove()
            add_posts(posts, district_id)
            commit()
            db.session.remove()
        what = "the demo and " if district_id in made else ""
        yield (f"[{slug}] {host}: {what}{posts} posts in {time.perf_counter() - started:.1f} s"
               + (" (seed-demo's wijk)" if district_id == default_id else ""))


def seed_like_the_demo(district_id: int) -> None:
    """The demo of Vleuten-De Meern (``portal/demo.py``) in the current wijk, by the people the
    first wijk's demo made: each takes part here as there (the same role, trusted; Daan still
    new), then each domain's demo adds its part, as ``demo.seed`` calls them."""
    district = db.session.get(District, district_id)
    people = {user.email: user for user in db.session.scalars(select(User))}
    ctx = DemoContext(password="", district=district, rng=random.Random(2026 + district_id))  # noqa: S311
    for slug, name in portal_demo.NEIGHBOURHOODS:
        ctx.neighbourhoods[slug] = Neighbourhood(slug=slug, name=name, district=district)
    db.session.add_all(ctx.neighbourhoods.values())
    for key, _name, email, role in portal_demo.DEMO_ACCOUNTS:
        ctx.users[key] = people[email]
        if role != Role.ADMIN:  # the admin is the platform admin, above every wijk already
            ctx.users[key].role = role
    newcomer = demo_moderation.NEWCOMER[1]
    for email, person in people.items():
        if email != newcomer:  # he joins later, as in the first wijk (after the peilingen)
            person.trusted = True
    themes = db.session.scalar(select(func.count()).select_from(Theme))
    for position, (slug, name, description) in enumerate(MORE_THEMES, start=themes + 1):
        db.session.add(Theme(slug=slug, name=name, description=description, position=position))
    db.session.flush()

    circles = circles_demo._seed_circles(ctx)  # noqa: SLF001 - the demo's own steps, but its people exist
    residents = {key: people[name.lower().replace(" ", ".") + "@example.org"]
                 for key, name, _circle, _role in circles_demo.RESIDENTS}
    cast = {**ctx.users, **residents}
    circles_demo._seed_memberships(ctx, circles, cast)  # noqa: SLF001
    db.session.flush()
    neighbours = circles_demo._seed_offline_neighbours(circles, cast)  # noqa: SLF001
    for item in circles_demo.ITEMS:
        circles_demo._seed_item(circles, cast, item, neighbours)  # noqa: SLF001
    for key, street in circles_demo.CIRCLE_REQUESTS:
        coordination.request_circle(cast[key], street)
    db.session.flush()
    for domain in (board_demo, events_demo, surveys_demo):
        domain.seed(ctx)
        db.session.flush()
    _moderation_like_the_demo(ctx, people[newcomer])


def _moderation_like_the_demo(ctx: DemoContext, daan: User) -> None:
    """``demo_moderation.seed``, with Daan's account there already: he joins the circle."""
    circle = db.session.scalar(select(Circle).where(Circle.slug == demo_moderation.NEWCOMER[2]))
    daan.trusted = False
    db.session.add(Membership(user=daan, circle=circle, since=utcnow()))
    db.session.flush()
    moderator = ctx.users["moderator"]
    demo_moderation._earlier_contributions(ctx, daan, moderator)  # noqa: SLF001
    demo_moderation._waiting(ctx, daan)  # noqa: SLF001
    demo_moderation._reported_post(ctx)  # noqa: SLF001
    demo_moderation._hidden_reply(ctx, moderator)  # noqa: SLF001


def add_posts(count: int, district_id: int) -> None:
    """``count`` published posts in the current wijk, by the people who take part in it, in
    its themes and places; then the themes' counts again."""
    if count <= 0:
        return
    themes = list(db.session.scalars(select(Theme)))
    places = list(db.session.scalars(select(Neighbourhood)))
    authors = list(db.session.scalars(select(User).where(User.participations.any())))
    authors = authors or list(db.session.scalars(select(User)))
    rng = random.Random(district_id)  # noqa: S311 - demo text
    if db.engine.dialect.name != "postgresql":
        board_demo.add_bulk_posts(count, authors, themes, places, rng)
        return
    by_slug = {theme.slug: theme.id for theme in themes}
    subjects = [(by_slug[slug], words) for slug, words in board_demo.SUBJECTS if slug in by_slug]
    subjects += [(t.id, ["dit onderwerp"]) for t in themes if t.slug not in dict(board_demo.SUBJECTS)]
    author_ids, place_ids = [user.id for user in authors], [place.id for place in places] + [None]
    now = utcnow()
    cursor = db.session.connection().connection.dbapi_connection.cursor()
    with cursor.copy(f"COPY posts ({', '.join(POST_COLUMNS)}) FROM STDIN") as copy:
        for _ in range(count):
            row = board_demo._bulk_row(rng, now, subjects, author_ids, place_ids)  # noqa: SLF001
            row["district_id"] = district_id
            copy.write_row([_plain(row[column]) for column in POST_COLUMNS])
    db.session.flush()
    recount_themes()
    assert db.session.scalar(select(func.count()).select_from(Post)) >= count


def _plain(value):
    """An enum as its text (COPY writes what ``str`` gives)."""
    return value.value if hasattr(value, "value") else value


if __name__ == "__main__":
    main()
