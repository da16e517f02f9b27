"""One way to do each thing, held against the code: who commits, where template helpers are
registered, who imports whom, and the shared access words (README, "House rules")."""

import re
from pathlib import Path

import pytest
from werkzeug.exceptions import Forbidden, NotFound

from portal.access import found_or_404, require, signed_in, visible_or_404
from portal.templating import FILTERS, GLOBALS

PORTAL = Path(__file__).resolve().parent.parent / "portal"
# What people use the portal for. ``notifications`` and ``moderation`` are below them: every
# domain may use them, they use no domain.
DOMAINS = {"accounts", "board", "circles", "events", "infopoint", "meedenken", "newsletter", "pages",
           "surveys"}
IMPORT = re.compile(r"^\s*(?:from|import) portal\.(\w+)", re.M)


def _sources():
    return {path: path.read_text() for path in PORTAL.rglob("*.py")}


def _package_of(path: Path) -> str:
    parts = path.relative_to(PORTAL).parts
    return parts[0] if len(parts) > 1 else parts[0].removesuffix(".py")


def test_only_the_transaction_owner_commits():
    committing = {path.relative_to(PORTAL).as_posix() for path, text in _sources().items()
                  if re.search(r"^[^#\n]*db\.session\.commit\(\)", text, re.M)}
    assert committing == {"database.py"}


def test_every_template_filter_and_global_is_registered_in_templating():
    registering = {path.relative_to(PORTAL).as_posix() for path, text in _sources().items()
                   if re.search(r"app_template_(global|filter)|jinja_env\.(globals|filters)", text)}
    assert registering == {"templating.py"}
    assert "datum" in FILTERS and "can_edit" in GLOBALS and "report_url" in GLOBALS


def _imports() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path, text in _sources().items():
        source = _package_of(path)
        graph.setdefault(source, set()).update(
            target for target in IMPORT.findall(text) if target != source)
    return graph


def test_moderation_and_notifications_import_no_domain():
    graph = _imports()
    assert graph["moderation"] & DOMAINS == set()
    assert graph["notifications"] & (DOMAINS | {"moderation"}) == set()


def test_no_package_imports_another_in_a_circle():
    graph = _imports()

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            for target in graph.get(todo.pop(), ()):
                if target == goal:
                    return True
                if target not in seen:
                    seen.add(target)
                    todo.append(target)
        return False

    packages = {p.name for p in PORTAL.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    circles = sorted((a, b) for a in packages for b in packages if a < b and reaches(a, b) and reaches(b, a))
    assert circles == []


class Person:
    def __init__(self, authenticated: bool):
        self.is_authenticated = authenticated


def test_the_shared_access_words(app):
    assert signed_in(Person(True)) and not signed_in(Person(False)) and not signed_in(None)
    require(True)
    with pytest.raises(Forbidden):
        require(False)
    assert found_or_404("iets") == "iets"
    with pytest.raises(NotFound):
        found_or_404(None)
    assert visible_or_404("iets", Person(True), lambda user, thing: True) == "iets"
    with pytest.raises(NotFound):  # hidden looks like missing
        visible_or_404("iets", Person(True), lambda user, thing: False)


def test_a_refusal_can_say_what_to_do_instead(app):
    with app.test_request_context("/"), pytest.raises(Exception) as refused:
        require(False, ("Alleen voor leden", "Word eerst lid van de buurtcirkel."))
    response = refused.value.get_response()
    assert response.status_code == 403 and "Word eerst lid" in response.get_data(as_text=True)
