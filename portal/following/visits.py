"""A person's last visit to a wijk (``Participation.last_seen_at``), so a digest is not sent
to someone who came by after the news and saw it all (``digest.py``).

Written at most once per ``NOTE_EVERY`` per person and worker, only on a read request, in a
short transaction on a connection of its own (as a device session's "last seen",
``portal/accounts/sessions.py``): not the request's unit of work, so it is no change that
empties every worker's kept pages, and it never waits for a POST's write lock on SQLite. A
page served from a worker's copy to a visitor without cookies is nobody's visit; every
signed-in page is rendered for its reader, so it passes here (``accounts.sessions.signed_in``).
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


def note_visit(user_id: int, now: datetime) -> bool:
    """Record that this person visits the current wijk now, unless this worker did so within
    the hour. Whether it wrote."""
    district_id = current_district_id()
    if district_id is None:
        return False
    key = (district_id, user_id)
    with _lock:
        last = _noted.get(key)
        if last is not None and now - last < NOTE_EVERY:
            return False
        _noted[key] = now
        _noted.move_to_end(key)
        while len(_noted) > _ENTRIES:
            _noted.popitem(last=False)
    try:
        with db.engine.begin() as connection:  # not the request's unit of work: no change stamp
            connection.execute(
                update(Participation)
                .where(Participation.district_id == district_id, Participation.user_id == user_id)
                .values(last_seen_at=now))
    except SQLAlchemyError:
        current_app.logger.warning("could not note a visit", exc_info=True)
        return False
    return True


def forget_visits() -> None:
    """For tests: this worker remembers no visit."""
    with _lock:
        _noted.clear()
