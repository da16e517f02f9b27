"""The people of the meedenken tests (``pytest_plugins``): Riet (bewoner) and Karin (buur)
chose mail "meteen" for what they follow (a new account's pace is weekly); Mehmet is a
moderator, the kerngroep."""

import pytest

from portal.extensions import db
from portal.models import DigestPace, Role
from portal.notifications.service import set_pace
from tests.factories import make_user


@pytest.fixture
def people(app):
    bewoner = make_user("Riet van Dijk", "bewoner@example.org")
    buur = make_user("Karin Smulders", "buur@example.org")
    for person in (bewoner, buur):
        set_pace(person, DigestPace.DIRECT.value)
    db.session.commit()
    return bewoner, buur, make_user("Mehmet Yilmaz", "moderator@example.org", role=Role.MODERATOR)
