"""The informatiepunt's own pages: the questions (a queue of cases), what to do with each, the
days it is closed and the records that wait for their yearly check. Only for the
``informatiepunt`` role of this wijk (and the platform admin): ``access.can_handle_questions``."""

from flask import flash
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from portal import dates
from portal.access import found_or_404, require
from portal.infopoint import bp, service
from portal.infopoint.access import can_handle_questions
from portal.infopoint.forms import AnswerForm, CalledBackForm, ClosedDayForm, HandOverForm, ReferForm
from portal.models import Question
from portal.models.base import utcnow
from portal.web import form_invalid, render, see_other

NOT_FOR_YOU = ("Alleen voor het wijkinformatiepunt",
               "Deze pagina is voor de mensen van het wijkinformatiepunt. Heeft u een vraag? "
               "Stel die op de pagina van het wijkinformatiepunt.")


def _require_informatiepunt() -> None:
    require(can_handle_questions(current_user), NOT_FOR_YOU)


def _today():
    return dates.local_today(utcnow())


@bp.get("/informatiepunt/vragen")
@login_required
def questions():
    _require_informatiepunt()
    return render("infopoint/questions.html", waiting=service.open_questions(),
                  handled=service.handled_questions(), due=service.due_for_check(_today()))


def _question(question_id: int) -> Question:
    return found_or_404(service.question_or_none(question_id))


def _forms(question: Question, **given) -> dict:
    refer = given.get("refer_form") or ReferForm(formdata=None)
    refer.organization_id.choices = [SelectChoice("", "Kies een organisatie")] + [
        SelectChoice(str(id_), name) for id_, name in service.organizations_to_refer_to()]
    hand = given.get("hand_form") or HandOverForm(formdata=None)
    hand.circle_id.choices = [SelectChoice("", "Kies een buurtcirkel")] + [
        SelectChoice(str(circle.id), circle.name) for circle in service.circles_to_hand_to()]
    return {
        "question": question,
        "answer_form": given.get("answer_form") or AnswerForm(formdata=None),
        "called_form": given.get("called_form") or CalledBackForm(formdata=None),
        "refer_form": refer,
        "hand_form": hand,
    }


@bp.get("/informatiepunt/vragen/<int:question_id>")
@login_required
def question(question_id: int):
    _require_informatiepunt()
    return render("infopoint/question.html", **_forms(_question(question_id)))


def _invalid(question: Question, **given):
    return form_invalid("infopoint/question.html", **_forms(question, **given))


@bp.post("/informatiepunt/vragen/<int:question_id>/beantwoorden")
@login_required
def answer(question_id: int):
    _require_informatiepunt()
    question = _question(question_id)
    form = AnswerForm()
    if not question.email:
        form.validate()
        form.text.errors = [*form.text.errors, "Deze persoon gaf geen e-mailadres. Bel terug."]
        return _invalid(question, answer_form=form)
    if not form.validate_on_submit():
        return _invalid(question, answer_form=form)
    service.answer_by_mail(question, form.text.data, current_user)
    flash(f"Uw antwoord gaat per e-mail naar {question.name}.", "success")
    return see_other("infopoint.questions")


@bp.post("/informatiepunt/vragen/<int:question_id>/teruggebeld")
@login_required
def called_back(question_id: int):
    _require_informatiepunt()
    question = _question(question_id)
    form = CalledBackForm()
    if not form.validate_on_submit():
        return _invalid(question, called_form=form)
    service.note_called_back(question, form.note.data, current_user)
    flash(f"Genoteerd: {question.name} is teruggebeld.", "success")
    return see_other("infopoint.questions")


@bp.post("/informatiepunt/vragen/<int:question_id>/doorverwijzen")
@login_required
def refer(question_id: int):
    _require_informatiepunt()
    question = _question(question_id)
    form = _forms(question, refer_form=ReferForm())["refer_form"]
    if not form.validate_on_submit():
        return _invalid(question, refer_form=form)
    organization = found_or_404(service.organization_by_id(form.organization_id.data))
    mailed = service.refer(question, organization, form.note.data or "", current_user)
    flash(f"Doorverwezen naar {organization.name}."
          + (" De vrager krijgt dat per e-mail." if mailed else " Laat het de vrager telefonisch weten."),
          "success")
    return see_other("infopoint.questions")


@bp.post("/informatiepunt/vragen/<int:question_id>/doorgeven")
@login_required
def hand_over(question_id: int):
    _require_informatiepunt()
    question = _question(question_id)
    form = _forms(question, hand_form=HandOverForm())["hand_form"]
    if not form.validate_on_submit():
        return _invalid(question, hand_form=form)
    circle = found_or_404(service.circle_by_id(form.circle_id.data))
    mailed = service.hand_over(question, circle, form.note.data or "", current_user)
    flash(f"Doorgegeven aan de verbinders van {circle.name}"
          + (f" ({mailed} per e-mail)." if mailed else ". Geen van hen krijgt e-mail: bel ze even."),
          "success")
    return see_other("infopoint.questions")


# --- closed days and the yearly check ------------------------------------------------------------

def _closed_page(form: ClosedDayForm, status: int = 200):
    point = service.infopoint()
    answer = form_invalid if status == 422 else render
    return answer("infopoint/closed_days.html", point=point, form=form, today=_today())


@bp.route("/informatiepunt/gesloten", methods=["GET", "POST"])
@login_required
def closed_days():
    """The days the wijkinformatiepunt is closed (on top of the public holidays)."""
    _require_informatiepunt()
    point = found_or_404(service.infopoint())
    form = ClosedDayForm()
    if form.validate_on_submit():
        if form.day.data < _today():
            form.day.errors = [*form.day.errors, "Kies vandaag of een dag die nog komt."]
            return _closed_page(form, 422)
        if service.add_closed_day(point, form.day.data, form.reason.data or ""):
            flash(f"Op {dates.datum(form.day.data, 'dag')} is het wijkinformatiepunt gesloten.", "success")
        else:
            flash("Die dag stond al als gesloten.", "info")
        return see_other("infopoint.closed_days")
    if form.errors:
        return _closed_page(form, 422)
    return _closed_page(form)


@bp.post("/informatiepunt/gesloten/<int:closed_day_id>/verwijderen")
@login_required
def reopen_day(closed_day_id: int):
    _require_informatiepunt()
    closed_day = found_or_404(service.closed_day_or_none(closed_day_id))
    service.remove_closed_day(closed_day)
    flash("Die dag is het wijkinformatiepunt weer open.", "success")
    return see_other("infopoint.closed_days")


@bp.post("/informatiepunt/organisaties/<slug>/gecontroleerd")
@login_required
def checked(slug: str):
    _require_informatiepunt()
    organization = found_or_404(service.organization_or_none(slug))
    service.mark_checked(organization, _today())
    flash(f"{organization.name} is gecontroleerd.", "success")
    return see_other("infopoint.questions")
