"""Theme management for admins: add, rename and reorder themes (``/themas/beheer``).

A theme keeps its address (slug) when it is renamed, so links to its board keep working.
"""

from flask import abort, flash, redirect, url_for
from flask_login import current_user, login_required

from portal.access import found_or_404, require
from portal.board import access, bp, service
from portal.board.forms import ThemeForm
from portal.extensions import db
from portal.models import Theme
from portal.web import form_invalid, render, wants_fragment

PAGE = "board/theme_admin.html"
FRAGMENT = "board/_theme_admin.html"
DIRECTIONS = {"omhoog": -1, "omlaag": 1}


def _forms(**submitted) -> dict:
    """A fresh form per theme and one to add a theme; ``submitted`` replaces one of them."""
    themes = service.ordered_themes()
    rename = {
        t.id: ThemeForm(formdata=None, prefix=f"thema-{t.id}", name=t.name, description=t.description)
        for t in themes
    }
    rename.update(submitted.get("rename", {}))
    add = submitted.get("add") or ThemeForm(formdata=None, prefix="nieuw")
    return {"themes": themes, "rename_forms": rename, "add_form": add}


def _done(message: str):
    flash(message, "success")
    if wants_fragment():
        return render(PAGE, FRAGMENT, **_forms())
    return redirect(url_for("board.theme_admin"), code=303)


@bp.get("/themas/beheer")
@login_required
def theme_admin():
    require(access.can_manage_themes(current_user))
    return render(PAGE, **_forms())


@bp.post("/themas/beheer")
@login_required
def add_theme():
    require(access.can_manage_themes(current_user))
    form = ThemeForm(prefix="nieuw")
    if not form.validate_on_submit():
        return form_invalid(PAGE, FRAGMENT, **_forms(add=form))
    theme = service.add_theme(form.name.data, form.description.data or "")
    return _done(f"Het thema “{theme.name}” is toegevoegd.")


@bp.post("/themas/beheer/<int:theme_id>")
@login_required
def rename_theme(theme_id: int):
    require(access.can_manage_themes(current_user))
    theme = found_or_404(db.session.get(Theme, theme_id))
    form = ThemeForm(prefix=f"thema-{theme.id}")
    if not form.validate_on_submit():
        return form_invalid(PAGE, FRAGMENT, **_forms(rename={theme.id: form}))
    theme.name, theme.description = form.name.data, form.description.data or ""
    return _done(f"Het thema heet nu “{theme.name}”.")


@bp.post("/themas/beheer/<int:theme_id>/<direction>")
@login_required
def move_theme(theme_id: int, direction: str):
    require(access.can_manage_themes(current_user))
    if direction not in DIRECTIONS:
        abort(404)
    theme = found_or_404(db.session.get(Theme, theme_id))
    service.move_theme(theme, DIRECTIONS[direction])
    return _done(f"“{theme.name}” staat nu een plek {'hoger' if direction == 'omhoog' else 'lager'}.")
