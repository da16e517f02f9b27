"""Meldingen openbare ruimte: a signal a moderator sends to the gemeente's Signalen.

Signalen is the open-source meldingen system of Amsterdam that Utrecht and about twenty other
municipalities use. With ``SIGNALEN_URL`` set, a moderator sends a signal about public space
(a loose paving stone, a broken lamp) as a melding from the post page; nothing of this shows
without it.

* ``api.py``: the HTTP client of Signalen's public API, after its OpenAPI description
  (``tests/signalen/openapi.yaml``): ``POST /signals/v1/public/signals`` and
  ``GET /signals/v1/public/signals/{signal_id}``.
* ``service.py``: the melding is written in the moderator's unit of work and sent after the
  commit by ``flask sync-signalen`` (claimed once, retried with the outbox's back-off), which
  also reads the public status back. Never during a page view.
* ``views.py`` and ``forms.py``: the moderator's form on the post page.
"""
