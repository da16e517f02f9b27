"""The current wijk, and the scope that keeps every query inside it.

One install serves several wijken (``District``). Each request knows its wijk from its host
before any view runs (``portal/wijken/hosts.py``); a job runs once per wijk
(``for_each_wijk``). Either way the wijk is held here, in a context variable, and:

* every ORM statement on a table that belongs to a wijk (a model with the ``InWijk`` mixin)
  gets ``district_id = <the current wijk>`` added by SQLAlchemy's ``with_loader_criteria``:
  selects, joins, relationship loads, updates and deletes alike, so no query can forget it;
* every new row of such a model gets the current wijk as its ``district_id``;
* a statement on such a table with no current wijk raises ``NoWijk`` at once.

What spans the wijken (the platform admin's list of wijken) says so with
``execution_options(all_wijken=True)``. ``tests/conftest.py`` checks every statement the whole
suite sends: one on a wijk's table without its ``district_id`` fails the test.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from flask import current_app
from sqlalchemy import ForeignKey, event, select
from sqlalchemy.orm import (
    Mapped,
    ORMExecuteState,
    Session,
    declared_attr,
    mapped_column,
    with_loader_criteria,
)

_current: ContextVar[int | None] = ContextVar("portal_wijk", default=None)
ALL_WIJKEN = "all_wijken"  # the execution option of a statement that spans the wijken


class NoWijk(RuntimeError):
    """A statement on a wijk's table was sent outside any wijk: a request without a wijk, or
    a job that did not go through ``for_each_wijk``."""


def current_district_id() -> int | None:
    """The id of the wijk this request or job works in (None outside any)."""
    return _current.get()


def required_district_id() -> int:
    district_id = _current.get()
    if district_id is None:
        raise NoWijk("Geen wijk: een query op een tabel van een wijk buiten een wijk. "
                     "Gebruik in_wijk(...) of for_each_wijk(...).")
    return district_id


def default_district_id() -> int:
    """The wijk of ``DEFAULT_WIJK`` (else the first): what ``seed-demo`` fills, and what answers
    on the host of ``PUBLIC_URL``."""
    from portal import kept

    return kept.wijken().default_id


def enter(district_id: int | None):
    """Make ``district_id`` the current wijk; returns the token for ``leave``."""
    return _current.set(district_id)


def leave(token) -> None:
    _current.reset(token)


@contextmanager
def in_wijk(district) -> Iterator[None]:
    """Work in one wijk (a ``District`` or its id; None: outside any) for the duration of the
    block. Rows loaded in one wijk stay in the session's identity map: a job that moves on
    to another wijk starts a fresh session (``for_each_wijk`` does)."""
    token = enter(district if district is None or isinstance(district, int) else district.id)
    try:
        yield
    finally:
        leave(token)


class InWijk:
    """Mixin of every model that belongs to a wijk: its ``district_id``, filled with the
    current wijk on insert, and the scope below on every statement."""

    @declared_attr
    def district_id(cls) -> Mapped[int]:  # noqa: N805 - SQLAlchemy's declared_attr
        return mapped_column(ForeignKey("districts.id"), index=True, default=required_district_id)


@event.listens_for(InWijk, "init", propagate=True)
def _belongs_to_the_current_wijk(target, _args, kwargs) -> None:
    """A new row belongs to the wijk it was made in (not the one current when it is flushed)."""
    if "district_id" not in kwargs and "district" not in kwargs:
        district_id = _current.get()
        if district_id is not None:
            target.district_id = district_id


@event.listens_for(Session, "do_orm_execute")
def _keep_inside_the_wijk(state: ORMExecuteState) -> None:
    if not (state.is_select or state.is_update or state.is_delete):
        return
    if state.execution_options.get(ALL_WIJKEN):
        return
    district_id = _current.get()
    if district_id is None:
        if _touches_a_wijk(state):
            raise NoWijk(f"Geen wijk voor: {state.statement}")
        return
    state.statement = state.statement.options(
        with_loader_criteria(InWijk, lambda cls: cls.district_id == district_id, include_aliases=True)
    )


def _touches_a_wijk(state: ORMExecuteState) -> bool:
    mappers = state.all_mappers if state.is_select else [state.bind_mapper()]
    return any(mapper is not None and issubclass(mapper.class_, InWijk) for mapper in mappers)


def for_each_wijk(job: Callable[[], object], *, session=None) -> dict[str, object]:
    """Run ``job`` once in every wijk, each as a unit of work of its own: a fresh database
    session, committed (``database.commit``) when the job returns, rolled back when it
    raises. A failure in one wijk is logged and does not stop the others. Returns what each
    returned, or the exception it raised, by the wijk's slug (in the order of the wijken).

    ``session`` is the scoped session (``db.session``, the default). It is ended before the
    first wijk: what the caller had not committed is rolled back and what it had loaded is
    detached, so commit before and read again after. The scheduled
    jobs go through ``portal/cron.py``'s ``in_every_wijk``, which reports and sets the exit
    status."""
    from portal.database import commit
    from portal.extensions import db
    from portal.models import District

    session = session if session is not None else db.session
    districts = session.execute(select(District.id, District.slug).order_by(District.id)).all()
    session.remove()
    results: dict[str, object] = {}
    for district_id, slug in districts:
        with in_wijk(district_id):
            try:
                results[slug] = job()
                commit()
            except Exception as error:  # noqa: BLE001 - one wijk's failure must not stop the rest
                session.rollback()
                current_app.logger.exception("Taak mislukt in wijk %s", slug)
                results[slug] = error
            finally:
                session.remove()
    return results
