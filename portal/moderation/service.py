"""Moderation's changes: reports from residents, moderators' decisions, the log and notices.

Every decision goes through ``decide``: it changes the item or account, closes the item's
review (its reports are then resolved), writes one line in the append-only log and tells the
person concerned (``notify_author``), all in the request's one unit of work. What the portal
does by itself is logged the same way, without a moderator: three reports hide an item; three
approvals make an account trusted.
"""

from collections.abc import Callable
from enum import StrEnum

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.mail import public_url, render_text
from portal.models import (
    ContentStatus,
    Decision,
    Notice,
    Report,
    Review,
    Role,
    SubjectType,
    User,
    Verdict,
)
from portal.models.base import utcnow
from portal.moderation import subjects, words
from portal.moderation.policy import TRUST_AFTER_APPROVALS
from portal.moderation.subjects import Content
from portal.notifications.service import MailKind, notify

HIDE_AFTER_REPORTS = 3

PUBLISHED, PENDING, HIDDEN = ContentStatus.PUBLISHED, ContentStatus.PENDING, ContentStatus.HIDDEN


# --- A new contribution ---------------------------------------------------------------------


def submitted(item: Content) -> None:
    """Called when a post, reply or help item is stored: a pending one joins the queue."""
    if subjects.state_of(item) == PENDING:
        subjects.open_review(item)


# --- Reports --------------------------------------------------------------------------------


class ReportOutcome(StrEnum):
    REPORTED = "reported"
    ALREADY = "already"  # this person reported it before
    HIDDEN = "hidden"  # this was the third report: the item is hidden until a moderator decides


def report(item: Content, reporter: User, reason: str, explanation: str = "") -> ReportOutcome:
    """A resident reports an item, once. It joins the queue; at ``HIDE_AFTER_REPORTS`` open
    reports from different people a published item is hidden until a moderator decides.
    The counter is raised in SQL and read back in the same statement, so simultaneous reports
    are counted one by one (on PostgreSQL the row lock queues them).

    A second report of the same person changes nothing at all: the report is stored first
    (the unique constraint refuses the second one, in a savepoint) and only then does the
    item join the queue again. Reopening first would put an item a moderator had approved
    back in the queue without a new report."""
    review = subjects.review_of(item) or subjects.open_review(item)  # a new review is made open
    try:
        with db.session.begin_nested():
            db.session.add(Report(review_id=review.id, reporter_id=reporter.id, reason=reason,
                                  explanation=explanation, created_at=utcnow()))
    except IntegrityError:  # this person reported it before (the savepoint is undone)
        return ReportOutcome.ALREADY
    subjects.reopen(review)
    open_reports = db.session.scalar(
        update(Review).where(Review.id == review.id)
        .values(report_count=Review.report_count + 1).returning(Review.report_count)
    )
    db.session.expire(review, ["report_count"])
    outcome = ReportOutcome.REPORTED
    automatic = None
    if open_reports >= HIDE_AFTER_REPORTS and subjects.state_of(item) == PUBLISHED:
        subjects.set_state(item, HIDDEN)
        automatic = _log(None, Verdict.HIDE, item, words.AUTO_HIDDEN)
        outcome = ReportOutcome.HIDDEN
    if automatic:
        notify_author(automatic)
    return outcome


def has_reported(item: Content, user: User) -> bool:
    review = subjects.review_of(item)
    return review is not None and db.session.scalar(
        select(Report.id).where(Report.review_id == review.id, Report.reporter_id == user.id)
    ) is not None


# --- Decisions ------------------------------------------------------------------------------


def applicable(subject: Content | User, verdict: Verdict) -> bool:
    """Whether the decision still makes sense for the item or account as it is now (a second
    click, or another moderator who was quicker, finds it already done)."""
    if isinstance(subject, User):
        return {
            Verdict.BLOCK: not subject.blocked,
            Verdict.UNBLOCK: subject.blocked,
            Verdict.TRUST: subject.is_new,
            Verdict.MAKE_MODERATOR: subject.role == Role.RESIDENT,
            Verdict.END_MODERATOR: subject.role == Role.MODERATOR,
            Verdict.MAKE_COORDINATOR: subject.role == Role.RESIDENT,
            Verdict.END_COORDINATOR: subject.role == Role.COORDINATOR,
            Verdict.MAKE_INFOPOINT: subject.role == Role.RESIDENT,
            Verdict.END_INFOPOINT: subject.role == Role.INFORMATIEPUNT,
            Verdict.MAKE_REDACTEUR: subject.role == Role.RESIDENT,
            Verdict.END_REDACTEUR: subject.role == Role.REDACTEUR,
        }.get(verdict, False)
    state = subjects.state_of(subject)
    review = subjects.review_of(subject)
    in_queue = review is not None and review.is_open
    return {
        Verdict.APPROVE: state == PENDING or (state == PUBLISHED and in_queue),
        Verdict.HIDE: state != HIDDEN or in_queue,
        Verdict.RESTORE: state == HIDDEN,
    }.get(verdict, False)


def decide(moderator: User, subject: Content | User, verdict: Verdict, reason: str = "") -> Decision:
    """Carry out a decision, log it and tell the person concerned. The caller has checked
    the moderator's permission (``access.can_decide``) and ``applicable``."""
    if isinstance(subject, User):
        _change_account(subject, verdict)
    else:
        _change_content(subject, verdict)
    decision = _log(moderator, verdict, subject, reason)
    follow_up = _trust_after_approvals(subject) if verdict == Verdict.APPROVE else None
    for made in (decision, follow_up):
        if made is not None:
            notify_author(made)
    return decision


def _change_content(item: Content, verdict: Verdict) -> None:
    subjects.set_state(item, HIDDEN if verdict == Verdict.HIDE else PUBLISHED)
    review = subjects.review_of(item)
    if review is not None and review.is_open:
        now = utcnow()
        review.is_open, review.closed_at, review.report_count = False, now, 0
        db.session.execute(
            update(Report).where(Report.review_id == review.id, Report.resolved_at.is_(None))
            .values(resolved_at=now)
        )


# What must happen in the same unit of work when an account is blocked; ``accounts`` registers
# ending every session of it (``create_app``), so moderation imports no domain.
_WHEN_UNBLOCKED: list[Callable[[User], None]] = []


def when_unblocked(callback: Callable[[User], None]) -> None:
    """``callback(user)`` in the unit of work that unblocks an account (``accounts`` ends its
    sessions: those from before the block never come back)."""
    if callback not in _WHEN_UNBLOCKED:
        _WHEN_UNBLOCKED.append(callback)


def _change_account(user: User, verdict: Verdict) -> None:
    if verdict in (Verdict.BLOCK, Verdict.UNBLOCK):
        user.blocked = verdict == Verdict.BLOCK
        if not user.blocked:
            for callback in _WHEN_UNBLOCKED:
                callback(user)
    elif verdict == Verdict.TRUST:
        user.trusted = True
    elif verdict in (Verdict.MAKE_MODERATOR, Verdict.END_MODERATOR):
        user.role = Role.MODERATOR if verdict == Verdict.MAKE_MODERATOR else Role.RESIDENT
    elif verdict in (Verdict.MAKE_COORDINATOR, Verdict.END_COORDINATOR):
        user.role = Role.COORDINATOR if verdict == Verdict.MAKE_COORDINATOR else Role.RESIDENT
        user.trusted = user.trusted or verdict == Verdict.MAKE_COORDINATOR
    elif verdict in (Verdict.MAKE_INFOPOINT, Verdict.END_INFOPOINT):
        user.role = Role.INFORMATIEPUNT if verdict == Verdict.MAKE_INFOPOINT else Role.RESIDENT
        user.trusted = user.trusted or verdict == Verdict.MAKE_INFOPOINT
    elif verdict in (Verdict.MAKE_REDACTEUR, Verdict.END_REDACTEUR):
        user.role = Role.REDACTEUR if verdict == Verdict.MAKE_REDACTEUR else Role.RESIDENT
        user.trusted = user.trusted or verdict == Verdict.MAKE_REDACTEUR


def approvals_of(user: User) -> int:
    return db.session.scalar(
        select(func.count(Decision.id)).where(
            Decision.subject_user_id == user.id, Decision.verdict == Verdict.APPROVE,
            Decision.subject_type != SubjectType.ACCOUNT,
        )
    )


def _trust_after_approvals(item: Content) -> Decision | None:
    """The third approved contribution makes a *nieuw* account trusted (logged, automatic)."""
    author = subjects.author_of(item)
    if not author.is_new:
        return None
    db.session.flush()
    if approvals_of(author) < TRUST_AFTER_APPROVALS:
        return None
    author.trusted = True
    return _log(None, Verdict.TRUST, author, words.AUTO_TRUSTED)


def _log(moderator: User | None, verdict: Verdict, subject: Content | User, reason: str) -> Decision:
    """Append one line to the log, with a snapshot of what it was about."""
    decision = Decision(
        created_at=utcnow(),
        moderator_id=moderator.id if moderator else None,
        verdict=verdict,
        subject_type=subjects.type_of(subject),
        subject_id=subject.id,
        subject_user_id=subjects.author_of(subject).id,
        subject_label=subjects.label_of(subject)[:200],
        subject_path=subjects.path_of(subject),
        reason=reason or "",
    )
    db.session.add(decision)
    return decision


def log_change(actor: User, verdict: Verdict, subject_type: SubjectType, subject_id: int, label: str,
               path: str | None = None, reason: str = "", about: User | None = None) -> Decision:
    """One line in the same append-only log for a change that is not a decision about
    content, such as circle management ("Verbinder benoemd": Sonja, in Vleuten-Dorp)."""
    decision = Decision(
        created_at=utcnow(), moderator_id=actor.id, verdict=verdict, subject_type=subject_type,
        subject_id=subject_id, subject_user_id=about.id if about else None,
        subject_label=label[:200], subject_path=path, reason=reason or "",
    )
    db.session.add(decision)
    return decision


# --- Telling the author ---------------------------------------------------------------------


def notify_author(decision: Decision) -> Notice | None:
    """Tell the person a decision is about (the author of the item, or the account holder):
    a notice on their account page, and an email unless they switched those off (queued
    with the decision, sent after the commit).
    """
    if decision.subject_user_id is None:
        return None
    db.session.flush()  # the decision's id
    notice = Notice(user_id=decision.subject_user_id, decision_id=decision.id, created_at=utcnow())
    db.session.add(notice)
    _mail_decision(decision)
    return notice


def _mail_decision(decision: Decision) -> None:
    user = db.session.get(User, decision.subject_user_id)
    base = public_url("pages.home").rstrip("/")
    body = render_text(
        "moderation/mail/decision.txt", user=user, decision=decision,
        subject=words.subject_label(decision.subject_type), verdict=words.done_label(decision.verdict),
        link=base + decision.subject_path if decision.subject_path else None,
        account_url=public_url("accounts.account"),
    )
    notify(user, MailKind.MODERATION, "Besluit van een moderator", body)

