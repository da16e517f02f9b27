"""Peilingen for everyone: the list, answering (also a second time), a paper form entered by
a verbinder, the printable questionnaire, the results and, for moderators, their CSV.

Answering works without JavaScript: a real form, a 303 back to the peiling after saving, and
422 with every answer kept and each message next to its question when something is missing.
"""

from flask import flash, make_response, request, url_for
from flask_login import current_user, login_required

from portal.access import found_or_404, require, visible_or_404
from portal.models import QuestionKind
from portal.moderation.policy import limit_per_person
from portal.pagecache import canonical_query, for_visitors
from portal.surveys import access, bp, service
from portal.surveys.forms import AnswerSheet, PaperForm
from portal.surveys.results import approved_answers_page, csv_text, results_of
from portal.web import form_invalid, page_number, render, see_other

answer_limit = limit_per_person("30 per hour")
paper_limit = limit_per_person("120 per hour")  # a verbinder types in a pile of forms

NOT_PUBLIC_YET = ("De uitslag is nog niet openbaar",
                  "De moderatoren maken de uitslag openbaar als de peiling klaar is. Kijk later nog eens.")
ONLY_VERBINDERS = ("Alleen voor verbinders",
                   "Papieren formulieren worden ingevoerd door een verbinder van een buurtcirkel of "
                   "door een moderator. Heeft u een papieren formulier? Geef het aan uw verbinder.")
NOT_OPEN = ("Deze peiling is niet open",
            "Papieren formulieren invoeren kan alleen terwijl de peiling open is.")


def visible_survey(survey_id: int):
    """The peiling, or 404 (also for a peiling in preparation, for everyone but moderators)."""
    return visible_or_404(service.survey_or_none(survey_id), current_user, access.can_see)


# --- The list ----------------------------------------------------------------------------------

@bp.get("/peilingen")
@for_visitors
def index():
    can_manage = access.can_manage_surveys(current_user)
    page = page_number(request.args)
    canonical_query(pagina=page if page > 1 else None)
    listing = service.survey_list(current_user, with_upcoming=can_manage, page=page)
    return render("surveys/index.html", listing=listing, can_manage=can_manage)


# --- Answering ---------------------------------------------------------------------------------

@bp.get("/peilingen/<int:survey_id>")
@for_visitors
def survey(survey_id: int):
    return render("surveys/survey.html", **_survey_context(visible_survey(survey_id)))


def _survey_context(survey, sheet: AnswerSheet | None = None) -> dict:
    response = service.response_of(current_user, survey)
    can_answer = access.can_answer(current_user, survey)
    if sheet is None and can_answer:
        sheet = AnswerSheet(survey.questions, response=response)
    return {
        "survey": survey,
        "response": response,
        "sheet": sheet,
        "can_answer": can_answer,
        "can_enter_paper": access.can_enter_paper(current_user, survey),
        "can_read_results": access.can_read_results(current_user, survey),
        "can_manage": access.can_manage_surveys(current_user),
    }


@bp.post("/peilingen/<int:survey_id>")
@answer_limit
def answer(survey_id: int):
    if not current_user.is_authenticated:
        flash("Log eerst in, dan kunt u meedoen.", "info")
        return see_other("accounts.login", next=url_for("surveys.survey", survey_id=survey_id))
    survey = visible_survey(survey_id)
    if not access.can_answer(current_user, survey):
        if survey.has_started():
            flash("Deze peiling is gesloten. Uw antwoorden zijn niet meer opgeslagen.", "error")
        else:
            flash("Deze peiling is nog niet open. Uw antwoorden zijn niet opgeslagen.", "error")
        return see_other("surveys.survey", survey_id=survey.id)
    sheet = AnswerSheet(survey.questions, formdata=request.form)
    if not sheet.validate():
        return form_invalid("surveys/survey.html", **_survey_context(survey, sheet=sheet))
    _response, created = service.save_response(survey, sheet.given, user=current_user)
    if created:
        flash("Dank u wel! Uw antwoorden zijn opgeslagen. Niemand ziet wat u zelf heeft geantwoord.",
              "success")
    else:
        flash("Uw antwoorden zijn veranderd. U telt nog steeds één keer mee.", "success")
    return see_other("surveys.survey", survey_id=survey.id)


@bp.route("/peilingen/<int:survey_id>/papier", methods=["GET", "POST"])
@login_required
@paper_limit
def paper(survey_id: int):
    """A verbinder enters the paper form of a neighbour without internet (counted as paper)."""
    survey = visible_survey(survey_id)
    require(survey.is_open(), NOT_OPEN)
    require(access.can_enter_paper(current_user, survey), ONLY_VERBINDERS)
    form = PaperForm()
    sheet = AnswerSheet(survey.questions, formdata=request.form if request.method == "POST" else None)
    context = {"survey": survey, "form": form, "sheet": sheet,
               "entered": service.paper_entered_by(current_user, survey)}
    if request.method == "POST":
        valid = form.validate_on_submit()
        if sheet.validate() and valid:
            name = form.on_behalf_name.data
            service.save_response(survey, sheet.given, entered_by=current_user, on_behalf_name=name)
            flash(f"Het papieren formulier van {name} is opgeslagen en telt mee als papier. "
                  "U kunt hieronder het volgende invoeren.", "success")
            return see_other("surveys.paper", survey_id=survey.id)
        return form_invalid("surveys/paper.html", **context)
    return render("surveys/paper.html", **context)


@bp.get("/peilingen/<int:survey_id>/afdrukken")
@for_visitors
def print_form(survey_id: int):
    """The questionnaire on paper, in large letters, for the verbinder to hand out."""
    return render("surveys/print.html", survey=visible_survey(survey_id))


# --- Results -----------------------------------------------------------------------------------

@bp.get("/peilingen/<int:survey_id>/uitslag")
@for_visitors
def results(survey_id: int):
    survey = visible_survey(survey_id)
    require(access.can_read_results(current_user, survey), NOT_PUBLIC_YET)
    return render(
        "surveys/results.html", results=results_of(survey),
        can_manage=access.can_manage_surveys(current_user),
        can_post_outcome=access.can_post_outcome(current_user, survey),
    )


@bp.get("/peilingen/<int:survey_id>/uitslag/vraag/<int:question_id>")
@for_visitors
def open_question(survey_id: int, question_id: int):
    """Every approved answer to one open question, a page at a time."""
    survey = visible_survey(survey_id)
    require(access.can_read_results(current_user, survey), NOT_PUBLIC_YET)
    open_questions = (q for q in survey.questions if q.kind == QuestionKind.OPEN)
    question = found_or_404(next((q for q in open_questions if q.id == question_id), None))
    number = page_number(request.args)
    canonical_query(pagina=number if number > 1 else None)
    page = approved_answers_page(question, number)
    return render("surveys/open_question.html", survey=survey, question=question, answers=page)


@bp.get("/peilingen/<int:survey_id>/uitslag.csv")
def results_csv(survey_id: int):
    """For moderators: one row per response, no names (403 for everyone else)."""
    survey = visible_survey(survey_id)
    require(access.can_download_results(current_user, survey))
    response = make_response(csv_text(survey))
    response.mimetype = "text/csv"
    response.charset = "utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="peiling-{survey.id}-uitslag.csv"'
    response.headers["Cache-Control"] = "no-store"
    return response
