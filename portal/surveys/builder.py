"""Peilingen for moderators: build one (details, questions, order, preview), publish its
results, approve open answers, read the contact list, and turn an outcome into a post
"Uit de peiling: ..." on a theme board.

Once the first answer is in, the questions are locked: wording may still be corrected and the
order changed, but no question or option can be added or removed and no kind changed
(``service.update_question``), so every answer keeps meaning what it meant.
"""

from datetime import datetime, time

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user, login_required

from portal import dates
from portal.access import found_or_404, require
from portal.board import service as board_service
from portal.extensions import db
from portal.mail import public_url
from portal.models import Neighbourhood, PostKind, QuestionKind, SubjectType
from portal.models.board import TITLE_MAX as POST_TITLE_MAX
from portal.moderation.policy import limit_per_person, may_contribute
from portal.surveys import access, bp, service
from portal.surveys.forms import (
    AnswerSheet,
    OutcomeForm,
    QuestionForm,
    SurveyForm,
    audience_value,
)
from portal.surveys.results import results_of
from portal.surveys.views import visible_survey
from portal.surveys.words import people, took_part
from portal.web import form_invalid, render, see_other, wants_fragment

BUILDER = "surveys/builder.html"
QUESTIONS = "surveys/_builder_questions.html"
DIRECTIONS = {"omhoog": -1, "omlaag": 1}
DECISIONS = {"goedkeuren": True, "verbergen": False}
OUTCOME_PREFIX = "Uit de peiling: "
ONE_CONTACT_QUESTION = "Deze peiling vraagt al of de wijkplatformgroep mensen mag benaderen."
outcome_limit = limit_per_person("20 per hour")


def _managed_survey(survey_id: int):
    require(access.can_manage_surveys(current_user))
    return found_or_404(service.survey_or_none(survey_id))


def _survey_form(formdata=None, survey=None) -> SurveyForm:
    neighbourhoods = db.session.scalars(db.select(Neighbourhood).order_by(Neighbourhood.name)).all()
    if survey is not None and formdata is None:
        form = SurveyForm(
            formdata=None, title=survey.title, introduction=survey.introduction,
            opens_on=dates.to_local(survey.opens_at).date(),
            closes_on=dates.to_local(survey.closes_at).date(),
            audience=audience_value(survey))
    else:
        form = SurveyForm(formdata=formdata)
    return form.set_audiences(neighbourhoods, board_service.ordered_themes())


def _details(form: SurveyForm) -> service.SurveyDetails:
    return service.SurveyDetails(
        title=form.title.data, introduction=(form.introduction.data or "").replace("\r\n", "\n"),
        opens_at=dates.to_utc(datetime.combine(form.opens_on.data, time(0, 0))),
        closes_at=dates.to_utc(datetime.combine(form.closes_on.data, time(23, 59, 59))),
        neighbourhood_id=form.neighbourhood_id, theme_id=form.theme_id,
    )


def _question_details(form: QuestionForm) -> service.QuestionDetails:
    return service.QuestionDetails(
        kind=form.kind.data, text=form.text.data, help_text=form.help_text.data or "",
        required=form.required.data, options=form.option_lines,
        low_label=form.low_label.data or "", high_label=form.high_label.data or "",
        group_id=form.group_id.data,
    )


# --- A new peiling, and its details ------------------------------------------------------------

@bp.route("/peilingen/nieuw", methods=["GET", "POST"])
@login_required
def new_survey():
    require(access.can_manage_surveys(current_user))
    form = _survey_form(request.form if request.method == "POST" else None)
    if form.validate_on_submit():
        survey = service.create_survey(_details(form), current_user)
        flash("De peiling is aangemaakt. Zet er nu de vragen in.", "success")
        return see_other("surveys.build", survey_id=survey.id)
    if form.errors:
        return form_invalid("surveys/new.html", form=form)
    return render("surveys/new.html", form=form)


def _builder_context(survey, details_form=None, question_form=None) -> dict:
    locked = service.has_responses(survey)
    total, paper = service.response_counts([survey.id]).get(survey.id, (0, 0))
    return {
        "survey": survey,
        "locked": locked,
        "total": total,
        "paper": paper,
        "waiting": service.waiting_open_answers([survey.id]).get(survey.id, 0),
        "details_form": details_form or _survey_form(survey=survey),
        "question_form": None if locked else (question_form or QuestionForm(formdata=None)),
    }


@bp.get("/peilingen/<int:survey_id>/bewerken")
@login_required
def build(survey_id: int):
    return render(BUILDER, **_builder_context(_managed_survey(survey_id)))


@bp.post("/peilingen/<int:survey_id>/bewerken")
@login_required
def save_details(survey_id: int):
    survey = _managed_survey(survey_id)
    form = _survey_form(request.form)
    if not form.validate_on_submit():
        return form_invalid(BUILDER, **_builder_context(survey, details_form=form))
    service.update_survey(survey, _details(form))
    flash("De gegevens van de peiling zijn opgeslagen.", "success")
    return see_other("surveys.build", survey_id=survey.id)


# --- Questions ---------------------------------------------------------------------------------

@bp.post("/peilingen/<int:survey_id>/vragen")
@login_required
def add_question(survey_id: int):
    survey = _managed_survey(survey_id)
    form = QuestionForm()
    valid = form.validate_on_submit() and _one_contact_question(form, survey)
    if not valid:
        return form_invalid(BUILDER, **_builder_context(survey, question_form=form))
    try:
        service.add_question(survey, _question_details(form))
    except service.QuestionsLocked as locked:
        flash(str(locked), "error")
        return see_other("surveys.build", survey_id=survey.id)
    flash("De vraag is toegevoegd, onderaan de lijst.", "success")
    return redirect(url_for("surveys.build", survey_id=survey.id, _anchor="vragen"), code=303)


def _one_contact_question(form: QuestionForm, survey, question=None) -> bool:
    if form.kind.data == QuestionKind.CONTACT and service.has_contact_question(survey, other_than=question):
        form.kind.errors = [*form.kind.errors, ONE_CONTACT_QUESTION]
        return False
    return True


def _question_of(survey, question_id: int):
    return found_or_404(next((q for q in survey.questions if q.id == question_id), None))


@bp.route("/peilingen/<int:survey_id>/vragen/<int:question_id>", methods=["GET", "POST"])
@login_required
def edit_question(survey_id: int, question_id: int):
    survey = _managed_survey(survey_id)
    question = _question_of(survey, question_id)
    locked = service.has_responses(survey)
    if request.method == "POST":
        form = QuestionForm()
        if locked:
            form.kind.data = question.kind  # not offered once there are answers
    else:
        form = QuestionForm(formdata=None, kind=question.kind, text=question.text,
                            help_text=question.help_text, required=question.required,
                            options="\n".join(o.label for o in question.options),
                            low_label=question.low_label, high_label=question.high_label,
                            group_id=question.group_id)
    context = {"survey": survey, "question": question, "form": form, "locked": locked}
    submitted = request.method == "POST" and form.validate_on_submit()
    if submitted and _one_contact_question(form, survey, question):
        try:
            service.update_question(question, _question_details(form), locked)
        except service.QuestionsLocked as refused:
            form.options.errors = [*form.options.errors, str(refused)]
        else:
            flash("De vraag is opgeslagen.", "success")
            return redirect(url_for("surveys.build", survey_id=survey.id, _anchor="vragen"), code=303)
    if form.errors:
        return form_invalid("surveys/question.html", **context)
    return render("surveys/question.html", **context)


@bp.post("/peilingen/<int:survey_id>/vragen/<int:question_id>/verwijderen")
@login_required
def delete_question(survey_id: int, question_id: int):
    survey = _managed_survey(survey_id)
    question = _question_of(survey, question_id)
    try:
        service.delete_question(question)
    except service.QuestionsLocked as locked:
        flash(str(locked), "error")
    else:
        flash(f"De vraag “{question.text}” is weggehaald.", "success")
    return _questions_answer(survey)


@bp.post("/peilingen/<int:survey_id>/vragen/<int:question_id>/<direction>")
@login_required
def move_question(survey_id: int, question_id: int, direction: str):
    if direction not in DIRECTIONS:
        abort(404)
    survey = _managed_survey(survey_id)
    question = _question_of(survey, question_id)
    if service.move_question(question, DIRECTIONS[direction]):
        where = "hoger" if direction == "omhoog" else "lager"
        flash(f"Vraag “{question.text}” staat nu een plek {where}.", "success")
    else:
        flash("Die vraag staat al bovenaan of onderaan.", "info")
    return _questions_answer(survey, moved=question.id)


def _questions_answer(survey, moved: int | None = None):
    """htmx: the list of questions again; without JavaScript: back to the builder (PRG)."""
    if wants_fragment():
        db.session.flush()
        return render(BUILDER, QUESTIONS, survey=survey, locked=service.has_responses(survey), moved=moved)
    return redirect(url_for("surveys.build", survey_id=survey.id, _anchor="vragen"), code=303)


@bp.get("/peilingen/<int:survey_id>/voorbeeld")
@login_required
def preview(survey_id: int):
    """The questionnaire as residents will see it, without a button that sends it."""
    survey = _managed_survey(survey_id)
    return render("surveys/preview.html", survey=survey, sheet=AnswerSheet(survey.questions))


# --- Results: publishing, open answers, contacts, a post -----------------------------------------

@bp.post("/peilingen/<int:survey_id>/openbaar")
@login_required
def publish(survey_id: int):
    survey = _managed_survey(survey_id)
    wanted = request.form.get("openbaar") == "ja"
    service.publish_results(survey, wanted)
    if wanted:
        flash("De uitslag is nu voor iedereen te zien.", "success")
    else:
        flash("De uitslag is niet meer openbaar. Alleen moderatoren zien hem nog.", "success")
    return see_other("surveys.results", survey_id=survey.id)


@bp.get("/peilingen/<int:survey_id>/open-antwoorden")
@login_required
def open_answers(survey_id: int):
    survey = _managed_survey(survey_id)
    return render("surveys/open_answers.html", survey=survey, answers=service.open_answers(survey))


@bp.post("/peilingen/antwoorden/<int:answer_id>/<decision>")
@login_required
def review(answer_id: int, decision: str):
    require(access.can_manage_surveys(current_user))
    if decision not in DECISIONS:
        abort(404)
    answer = found_or_404(service.answer_or_none(answer_id))
    service.review_open_answer(answer, DECISIONS[decision])
    if DECISIONS[decision]:
        flash("Het antwoord is goedgekeurd en staat bij de uitslag.", "success")
    else:
        flash("Het antwoord is verborgen. Het telt wel mee, maar de tekst staat niet bij de uitslag.",
              "success")
    if wants_fragment():
        return render("surveys/open_answers.html", "surveys/_open_answer.html", answer=answer,
                      survey=answer.question.survey)
    return redirect(url_for("surveys.open_answers", survey_id=answer.question.survey_id,
                            _anchor=f"antwoord-{answer.id}"), code=303)


@bp.get("/peilingen/<int:survey_id>/contact")
@login_required
def contacts(survey_id: int):
    survey = visible_survey(survey_id)
    require(access.can_see_contacts(current_user, survey))
    return render("surveys/contacts.html", survey=survey, contacts=service.contacts(survey))


@bp.route("/peilingen/<int:survey_id>/bericht", methods=["GET", "POST"])
@login_required
@outcome_limit
def outcome_post(survey_id: int):
    survey = _managed_survey(survey_id)
    require(access.can_post_outcome(current_user, survey),
            ("Maak eerst de uitslag openbaar", "Een bericht “Uit de peiling” gaat over een uitslag die "
             "iedereen kan lezen. Maak de uitslag eerst openbaar."))
    themes = board_service.ordered_themes()
    if request.method == "POST":
        form = OutcomeForm().set_themes(themes)
    else:
        form = OutcomeForm(formdata=None, theme=survey.theme.slug if survey.theme else themes[0].slug,
                           title=OUTCOME_PREFIX + survey.title, body=_summary(survey)).set_themes(themes)
    if form.validate_on_submit() and may_contribute(current_user, SubjectType.POST, form.title, form.body):
        theme = next(t for t in themes if t.slug == form.theme.data)
        title = form.title.data
        if not title.lower().startswith(OUTCOME_PREFIX.strip().lower()):
            title = (OUTCOME_PREFIX + title)[:POST_TITLE_MAX]
        post = board_service.create_post(theme, current_user, PostKind.IDEA, title, form.body.data,
                                         survey.neighbourhood_id, None)
        flash(f"Het bericht staat op het prikbord van {theme.name}.", "success")
        return see_other("board.post", post_id=post.id)
    if form.errors:
        return form_invalid("surveys/outcome.html", survey=survey, form=form)
    return render("surveys/outcome.html", survey=survey, form=form)


def _summary(survey) -> str:
    """A first text for the post: how many took part and the most chosen answer per question."""
    results = results_of(survey, open_shown=0)
    lines = [f"{took_part(results.total).capitalize()}, {results.on_paper} op papier."]
    for result in results.questions:
        if result.rows and result.answered:
            top = max(result.rows, key=lambda row: row.count)
            lines.append(f"- {result.question.text} Het meest gekozen: {top.label} "
                         f"({top.percent}% van {people(result.answered)}).")
    lines.append(f"De hele uitslag: {public_url('surveys.results', survey_id=survey.id)}")
    paragraphs = [lines[0], "\n".join(lines[1:-1]), lines[-1]] if len(lines) > 2 else lines
    return "\n\n".join(paragraphs)
