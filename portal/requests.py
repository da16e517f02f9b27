"""The request class: what people send, cleaned once before any view sees it.

Werkzeug builds a request's query parameters (``args``) and form fields (``form``, and
``files`` beside them) with the request's ``parameter_storage_class``, its documented way to
choose the dict they come in. The portal's ``CleanMultiDict`` drops control characters from
every text key and value while it is built, so no view, form or query ever sees them; uploaded
files stay as they are. ``tests/test_framework_overrides.py`` fails when Werkzeug stops
building ``args`` or ``form`` with it.
"""

import re

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict

# NUL and other control characters (tab, newline and carriage return stay): PostgreSQL refuses
# NUL in text, and none of them belong in anything a person types.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: str) -> str:
    return _CONTROL_CHARACTERS.sub("", value)


def _clean(value):
    return clean_text(value) if isinstance(value, str) else value  # a FileStorage stays


class CleanMultiDict(ImmutableMultiDict):
    """An ``ImmutableMultiDict`` whose text keys and values lose their control characters as
    it is built, from whatever a ``MultiDict`` is built from."""

    def __init__(self, mapping=None):
        if mapping is None:
            super().__init__()
            return
        pairs = mapping if isinstance(mapping, list) else MultiDict(mapping).items(multi=True)
        super().__init__([(_clean(key), _clean(value)) for key, value in pairs])


class PortalRequest(Request):
    """Form fields and query parameters without control characters."""

    parameter_storage_class = CleanMultiDict
