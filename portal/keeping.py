"""How a kept thing is declared, keyed, made without a reader, and served: the machinery
behind the registry in ``portal/kept.py`` (read that first).

A declaration (``@value``, ``@part``, ``@rows``) names a function and an ``Audience``. Calling
the declared thing (``kept.board_results(theme=..., filters=...)``) is the only way to get it:

* **The key is derived**, never written at a call site: the declaration's name, the wijk,
  what the audience says of the reader (for example the moderator's role), and the value of
  every argument (a row by its class and id; plain values, tuples and frozen dataclasses as
  they are; anything else is refused, so a key can only hold what was meant).
* **The audience is checked** before anything is served: a reader outside it (a visitor
  asking for a circle's help lists, a member of another circle, a former verbinder) gets
  ``NotForThisReader``, an error of the program, never the part.
* **It is made without a reader.** A value is computed and a part rendered with a ``g`` of
  its own (empty) and the session replaced by ``READER_FREE``, which raises on any use.
  Everything personal comes from the session, so ``current_user``, the session, a flash
  message or a CSRF token read while making it fail at once, in every test that renders it;
  so does anything the request put in ``g``, which is not there. What differs per reader goes
  around the part or into a *slot* the declaration names (``slots=(CSRF,)``): the part holds
  a marker, and each reader's own value is put in when it is served.
* **Only a read keeps.** A POST's answer is made fresh: it shows its own change, which is not
  committed yet.

Everything kept is emptied when the database changes (``portal/changes.py``) and at the
latest after ``PAGE_CACHE_SECONDS``; at most ``PAGE_CACHE_ENTRIES`` per store and worker, the
least used go first.
"""

import inspect
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, is_dataclass
from functools import cache, update_wrapper

from flask import Flask, current_app, g, has_request_context, request
from flask.globals import app_ctx, request_ctx
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from sqlalchemy import event
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import instance_state

from portal import wijk
from portal.extensions import db

READS = ("GET", "HEAD")


class NotForThisReader(Exception):  # noqa: N818 - reads as what happened
    """A view asked for a kept thing the reader is not in the audience of: a bug."""


class ReaderRead(RuntimeError):
    """A kept thing read the person, the session or ``g`` while it was made."""


class _ReaderFree:
    """Stands in for the session while a kept thing is made: any use raises."""

    def _refuse(self, *args, **kwargs):
        raise ReaderRead("A kept part or value may not depend on who reads it: pass what it "
                         "needs as an argument, or give it a slot (portal/keeping.py).")

    __getattr__ = __getitem__ = __setitem__ = __delitem__ = __contains__ = __iter__ = _refuse
    __len__ = __bool__ = get = setdefault = pop = _refuse

    def __setattr__(self, name, value):
        self._refuse()


READER_FREE = _ReaderFree()


# --- Stores ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Copy:
    value: object
    stored_at: float


class Store:
    """What one worker keeps, least recently used first; safe for threaded servers. No group
    of keys (``group_of``: a declaration's name, a page's path) holds more than ``per_group``
    entries, so nobody can push everything else out by asking for one thing in many ways
    (``?pagina=`` on one board): a group at its limit gives up its own oldest entry."""

    def __init__(self, seconds: float, entries: int, per_group: int | None = None,
                 group_of: Callable[[Hashable], Hashable] = lambda key: key[0]):
        self.seconds = seconds
        self.entries = entries
        self.per_group = per_group or entries
        self.group_of = group_of
        self._copies: OrderedDict[Hashable, Copy] = OrderedDict()
        self._sizes: dict[Hashable, int] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Copy | None:
        with self._lock:
            copy = self._copies.get(key)
            if copy is None:
                return None
            if time.monotonic() - copy.stored_at > self.seconds:
                self._drop(key)
                return None
            self._copies.move_to_end(key)
            return copy

    def put(self, key: Hashable, value: object) -> None:
        with self._lock:
            group = self.group_of(key)
            if key not in self._copies and self._sizes.get(group, 0) >= self.per_group:
                self._drop(next(k for k in self._copies if self.group_of(k) == group))
            if key not in self._copies:
                self._sizes[group] = self._sizes.get(group, 0) + 1
            self._copies[key] = Copy(value, time.monotonic())
            self._copies.move_to_end(key)
            while len(self._copies) > self.entries:
                self._drop(next(iter(self._copies)))

    def _drop(self, key: Hashable) -> None:
        del self._copies[key]
        group = self.group_of(key)
        self._sizes[group] -= 1
        if not self._sizes[group]:
            del self._sizes[group]

    def clear(self) -> None:
        with self._lock:
            self._copies.clear()
            self._sizes.clear()

    def __iter__(self):
        """The keys kept now (for tests and the registry's listing)."""
        with self._lock:
            return iter(list(self._copies))

    def __len__(self) -> int:
        return len(self._copies)


def store() -> Store:
    return current_app.extensions["kept"]



def init_app(app: Flask) -> None:
    entries = app.config["PAGE_CACHE_ENTRIES"]
    app.extensions["kept"] = Store(app.config["PAGE_CACHE_SECONDS"], entries, per_group=max(1, entries // 4))


# --- Audiences ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Audience:
    """Who may get a kept thing. ``group(reader, **arguments)`` returns what the thing varies
    with for this reader (the same for everyone: ``ALL``), or ``None`` when the reader is not
    in the audience. ``gives``: the name of the declaration's argument that receives that
    group (a moderator's role, whether a verbinder posts for a neighbour), if any."""

    name: str
    group: Callable[..., Hashable | None]
    gives: str | None = None
    asks_reader: bool = True


ALL = "all"
# What the program reads and never shows as it is (the rows of who is signed in): no reader is
# asked, which also lets ``load_user`` use it while the reader is being found.
PROGRAM = Audience("the program (never shown as it is)", lambda reader, **_: ALL, asks_reader=False)


# --- Slots -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """A place in a kept part for something of the reader's own, filled at each serving."""

    name: str
    fill: Callable[[], str]

    @property
    def mark(self) -> str:
        # A NUL byte never reaches the database (``PortalRequest`` strips control
        # characters), so no text a resident writes can contain a mark.
        return f"\x00slot:{self.name}\x00"


def answer_csrf_token() -> str:
    """This answer's signed CSRF token. Flask-WTF keeps it in ``g.csrf_token`` once made
    (``portal/security.py`` puts a reused one there first); a page asks for it several times,
    and ``generate_csrf`` reads two settings through ``current_app`` before it looks there."""
    token = g.get("csrf_token")
    return token if token is not None else generate_csrf()


CSRF = Slot("csrf_token", answer_csrf_token)


@dataclass(frozen=True)
class Making:
    """What is being made now: the slots it declares and the stand-in reader of its
    templates. A context variable, as Flask keeps its own contexts: one per thread."""

    slots: tuple[Slot, ...]
    reads_as: object


_MAKING: ContextVar[Making | None] = ContextVar("portal.keeping.making", default=None)


def making() -> bool:
    """Whether a kept thing is being made (the layout's per-request data is left out then)."""
    return _MAKING.get() is not None





def csrf_token() -> str:
    """The template global ``csrf_token()`` and every form's token: the person's own, or the
    CSRF slot's mark while a part that declares it is made."""
    now = _MAKING.get()
    if now is not None and CSRF in now.slots:
        return CSRF.mark
    return answer_csrf_token()


def empty_form(form_class, **data):
    """An empty form for a kept part: no CSRF token of its own (WTForms would read the
    session to make one); ``form_top`` puts the CSRF slot in its place."""
    return form_class(formdata=None, meta={"csrf": False, "csrf_slot": True}, **data)


# --- Making without a reader -------------------------------------------------------------------


def template_reader():
    """``current_user`` in templates: the person, or, while a part is made, the stand-in
    reader its declaration names (``reads_as``); without one, reading it raises."""
    now = _MAKING.get()
    if now is None:
        return current_user._get_current_object()
    if now.reads_as is None:
        READER_FREE._refuse()
    return now.reads_as


@contextmanager
def reader_free(slots: tuple[Slot, ...] = (), reads_as=None):
    """Make something with an empty ``g`` of its own and the session replaced by
    ``READER_FREE``."""
    app_context = app_ctx._get_current_object()
    request_context = request_ctx._get_current_object() if has_request_context() else None
    saved_g = app_context.g
    # Flask keeps the opened session in ``RequestContext._session`` (read by the ``session``
    # property); tests/test_kept.py notices when that changes.
    saved_session = request_context._session if request_context else None
    outer = _MAKING.get()
    token = _MAKING.set(Making((*(outer.slots if outer else ()), *slots), reads_as))
    app_context.g = app_context.app.app_ctx_globals_class()  # a g of its own, without the request's
    if request_context is not None:
        request_context._session = READER_FREE
    try:
        yield
    finally:
        _MAKING.reset(token)
        app_context.g = saved_g
        if request_context is not None:
            request_context._session = saved_session


# --- Keys --------------------------------------------------------------------------------------


_PLAIN = frozenset({str, int, float, bool, type(None)})


def key_of(value) -> Hashable:
    """What an argument contributes to a key: a stored row by its class and id; plain values,
    tuples and frozen dataclasses as they are (they compare by their fields). Anything else
    is refused, so a key can only hold what was meant."""
    if type(value) in _PLAIN or isinstance(value, str | int | float | bool):  # the first: most keys
        return value
    kind = type(value)
    if isinstance(value, tuple | frozenset):
        return tuple(key_of(item) for item in value)
    if is_dataclass(value) and not isinstance(value, type):
        if not kind.__dataclass_params__.frozen:
            raise TypeError(f"{kind.__name__} is not frozen: it cannot be part of a key")
        return value
    if hasattr(kind, "__mapper__"):
        row_id = value.__dict__.get("id")
        if row_id is None:  # expired since it was loaded, or never stored
            row_id = (sa_inspect(value).identity or (None,))[0]
        if row_id is None:
            raise TypeError(f"a {kind.__name__} that is not stored yet cannot be part of a key")
        return (kind.__name__, row_id)
    raise TypeError(f"{kind.__name__} cannot be part of a key")


def current_wijk() -> Hashable:
    """The wijk every key belongs to: the request's (found from its host before any view
    runs) or the job's (``portal/wijk.py``)."""
    return wijk.current_district_id()


# --- Declarations ------------------------------------------------------------------------------


REGISTRY: dict[str, "Declared"] = {}


class Declared:
    """One kept thing. Call it with its arguments (by name) to get it."""

    kind = "value"

    def __init__(self, function: Callable, audience: Audience, slots: tuple[Slot, ...] = (), reads_as=None):
        self.function = function
        self.reads_as = reads_as
        self.name = function.__name__
        self.audience = audience
        self.slots = slots
        self.parameters = tuple(inspect.signature(function).parameters)
        self._parameter_set = frozenset(self.parameters)
        if audience.gives and audience.gives not in self.parameters:
            raise TypeError(f"{self.name}: no argument '{audience.gives}' for what the audience gives")
        if self.name in REGISTRY:
            raise TypeError(f"{self.name} is declared twice")
        REGISTRY[self.name] = self
        update_wrapper(self, function)

    def __call__(self, **arguments):
        if self.audience.asks_reader:
            arguments = self._with_group(arguments)
        if arguments.keys() != self._parameter_set:
            raise TypeError(f"{self.name} takes {self.parameters}, was given {tuple(arguments)}")
        key = (self.name, current_wijk(), *[key_of(arguments[name]) for name in self.parameters])
        request_context = request_ctx._get_current_object() if has_request_context() else None
        kept = request_context.app.extensions["kept"] if request_context is not None else store()
        reading = request_context is not None and request_context.request.method in READS and kept.seconds > 0
        copy = kept.get(key) if reading else None
        if copy is not None:
            return self.serve(copy.value)
        made = self.make(arguments)
        if reading and made is not None:
            kept.put(key, made)
        return self.serve(made)

    def _with_group(self, arguments: dict) -> dict:
        if making():  # inside another kept thing, whose audience was checked
            if self.audience.gives:
                raise TypeError(f"{self.name} depends on its reader and cannot be part of another kept thing")
            return arguments
        reader = current_user._get_current_object() if has_request_context() else None
        asked = {name: given for name, given in arguments.items() if name != self.audience.gives}
        group = self.audience.group(reader, **asked)
        if group is None:
            raise NotForThisReader(f"{self.name} is for {self.audience.name}")
        if self.audience.gives:
            arguments = {**arguments, self.audience.gives: group}
        return arguments

    def make(self, arguments: dict):
        with reader_free(self.slots):
            made = self.function(**arguments)
        if hasattr(type(made), "__mapper__"):
            raise TypeError(f"{self.name}: a row belongs to one request's session; declare it with @rows")
        return made

    def serve(self, made):
        return made


class DeclaredPart(Declared):
    kind = "part"

    def make(self, arguments: dict):
        reads_as = self.reads_as(**arguments) if callable(self.reads_as) else self.reads_as
        with reader_free(self.slots, reads_as):
            return Markup(self.function(**arguments))  # noqa: S704 - a rendered template

    def serve(self, made):
        if not self.slots or making():
            return made
        html = str(made)
        for slot in self.slots:
            html = html.replace(slot.mark, slot.fill())
        return Markup(html)  # noqa: S704 - a kept part with the reader's own values


class DeclaredRows(Declared):
    """Rows loaded in a session of their own and kept detached. The function takes the
    session as its first argument, ``db``. Without ``shared_on_reads`` they are merged into
    each request's session without a query (``Session.merge(load=False)``) and behave as rows
    the request loaded itself.

    ``shared_on_reads``: a read gets the kept rows themselves, unmerged (merging costs 12-19 %
    of a signed-in page, benchmarks/README.md). Only for rows loaded with every relationship
    a read uses of them (a detached row cannot load more: asking for another raises
    SQLAlchemy's ``DetachedInstanceError``) and that no read changes: they are shared by every
    read of the worker, so attaching one to a session raises at once and a changed one raises
    when it is served next (``KeptRowChanged``). A write loads its own."""

    kind = "rows"

    def __init__(self, function: Callable, audience: Audience, keep_none: bool,
                 shared_on_reads: bool = False):
        super().__init__(function, audience)
        self.parameters = self.parameters[1:]  # the session is not part of the key
        self._parameter_set = frozenset(self.parameters)
        self.keep_none = keep_none
        self.shared_on_reads = shared_on_reads

    def make(self, arguments: dict):
        if not (has_request_context() and request.method in READS):
            return self.function(db.session, **arguments)
        with reader_free(), Session(db.engine) as own:  # closing detaches the rows as loaded
            rows = self.function(own, **arguments)
        if rows is None and not self.keep_none:
            return _merged(None)  # "not there" is kept only where no URL can ask for it
        if self.shared_on_reads:
            _SHARED.update(state.obj() for state in _with_related(rows))
        return _Loaded(rows)

    def serve(self, made):
        if not isinstance(made, _Loaded):
            return made
        if self.shared_on_reads:
            return _unchanged(made.rows)
        return _merged(made.rows)


class KeptRowChanged(RuntimeError):
    """A read attached a row it shares with every read of the worker to a session, or
    changed it: load the row in the request's session to change it (a write does)."""


# Rows served unmerged to every read (``shared_on_reads``), with the rows loaded with them.
_SHARED: "weakref.WeakSet" = weakref.WeakSet()


def _with_related(rows):
    """The state of each row of ``rows`` and of the rows loaded in its relationships (one
    level). Served at every read of a shared row (``_unchanged``), so the mapper's
    relationship names are looked up once per class."""
    for row in rows if isinstance(rows, tuple) else (rows,):
        if row is None:
            continue
        state = instance_state(row)
        yield state
        loaded_now = state.dict
        for key in _relationship_keys(state.mapper):
            loaded = loaded_now.get(key)
            if isinstance(loaded, list):
                yield from (instance_state(item) for item in loaded)
            elif loaded is not None:
                yield instance_state(loaded)


@cache
def _relationship_keys(mapper) -> tuple[str, ...]:
    return tuple(relationship.key for relationship in mapper.relationships)


def _unchanged(rows):
    for state in _with_related(rows):
        if state.session_id is not None or state.modified or state.expired_attributes:
            raise KeptRowChanged(f"{state.obj()!r} is shared by every read of this worker and was changed "
                                 "or attached to a session")
    return rows


@event.listens_for(Session, "before_attach")
def _refuse_attaching_a_shared_row(session, instance) -> None:
    if instance in _SHARED:
        raise KeptRowChanged(f"{instance!r} is shared by every read of this worker: load it in this "
                             "request's session to change it or link a new row to it")


@dataclass(frozen=True)
class _Loaded:
    rows: object  # a row, a tuple of rows, or None ("nothing there" is kept too)


def _merged(rows):
    if rows is None:
        return None
    if isinstance(rows, tuple):
        return tuple(_merged(row) for row in rows)
    return db.session.merge(rows, load=False)


def value(audience: Audience):
    """Declare plain, immutable data (never rows: those are ``rows``)."""
    return lambda function: Declared(function, audience)


def part(audience: Audience, slots: tuple[Slot, ...] = (), reads_as=None):
    """Declare a part of a page: HTML rendered from what the arguments say. ``reads_as``: the
    stand-in reader (or a function of the arguments giving one) that ``current_user`` is in
    its templates; the audience must hold only readers for whom it looks the same."""
    return lambda function: DeclaredPart(function, audience, slots, reads_as)


def rows(audience: Audience, keep_none: bool = False, shared_on_reads: bool = False):
    """Declare rows that nearly every page reads and few requests change. ``keep_none``: keep
    "not there" too, for a key only signed-in people can make ("this person has no
    membership"), never for one a URL can name (any address would fill the store).
    ``shared_on_reads``: served unmerged to reads (``DeclaredRows``)."""
    return lambda function: DeclaredRows(function, audience, keep_none, shared_on_reads)
