"""A person's last visit to a wijk (``Participation.last_seen_at``), so a digest is not sent
to someone who came by after the news and saw it all (``digest.py``).

Written at most once per ``NOTE_EVERY`` per person and worker, together with the device
session's "last seen" (``portal/accounts/sessions.py``, ``_touch``: at most every five
minutes of a signed-in person's reading, only on a read request): one more UPDATE in that
short transaction on a connection of its own, so no extra round trip on most pages, no
change that empties every worker's kept pages, and never waiting for a POST's write lock on
SQLite. A page served from a worker's copy to a visitor without cookies is nobody's visit;
every signed-in page is rendered for its reader and passes through ``_touch``. (So a visit
counts from five minutes after signing in: a digest then errs on the side of being sent.)
"""

import threading
from collections import OrderedDict
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import update
from sqlalchemy.exc import SQLAlchemyError

from portal.extensions import db
from portal.models import Participation
from portal.wijk import current_district_id

NOTE_EVERY = timedelta(hours=1)
_ENTRIES = 10_000  # people remembered per worker

_noted: OrderedDict[tuple[int, int], datetime] = OrderedDict()  # (wijk, person) -> when written
_lock = threading.Lock()


def note_visit(user_id: int, now: datetime, connection=None) -> bool:
    """Record that this person visits the current wijk now, unless this worker did so within
    the hour; on ``connection`` when given (the device session's own short transaction),
    else in one of its own. Whether it wrote."""
    district_id = current_district_id()
    if district_id is None or not _due(district_id, user_id, now):
        return False
    statement = (update(Participation)
                 .where(Participation.district_id == district_id, Participation.user_id == user_id)
                 .values(last_seen_at=now))
    if connection is not None:
        connection.execute(statement)
        return True
    try:
        with db.engine.begin() as own:  # not the request's unit of work: no change stamp
            own.execute(statement)
    except SQLAlchemyError:
        current_app.logger.warning("could not note a visit", exc_info=True)
        return False
    return True


def _due(district_id: int, user_id: int, now: datetime) -> bool:
    key = (district_id, user_id)
    with _lock:
        last = _noted.get(key)
        if last is not None and now - last < NOTE_EVERY:
            return False
        _noted[key] = now
        _noted.move_to_end(key)
        while len(_noted) > _ENTRIES:
            _noted.popitem(last=False)
    return True


def forget_visits() -> None:
    """For tests: this worker remembers no visit."""
    with _lock:
        _noted.clear()
