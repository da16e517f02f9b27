"""Moderation: the review queue, residents' reports, moderators' decisions and the notices
their authors read.

* A ``Review`` is the one row per post, reply, help item or message in a help conversation
  that has ever needed a moderator. It is open while the item waits (a new account's
  contribution) or has open reports, and a moderator's decision closes it. The queue
  (``/moderatie``) is the open reviews, oldest first.
* A ``Report`` (melding) hangs off the review: one per person per item, ever.
* A ``Decision`` is a line in the audit log (``/moderatie/logboek``). The log is append-only:
  nothing updates or deletes a decision, and the ORM refuses to (``_append_only``). It keeps a
  snapshot of what was decided on, so it stays readable when the item changes later.
* A ``Notice`` tells the person concerned about a decision (their account page; mail later).
"""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.accounts import User
from portal.models.base import utcnow
from portal.models.board import Post, Reply
from portal.models.circles import HelpItem, HelpMessage
from portal.models.groups import GroupMessage
from portal.models.meedenken import Inbreng, InbrengReply
from portal.wijk import InWijk


class SubjectType(StrEnum):
    POST = "post"
    REPLY = "reply"
    HELP = "help"
    HELP_MESSAGE = "help_msg"  # a message in the private conversation on a help item
    GROUP_MESSAGE = "group_msg"  # a message in a group's members' thread
    INBRENG = "inbreng"  # a contribution to a meedenken traject
    INBRENG_REPLY = "inb_reply"  # a reaction on a contribution (Decision.subject_type holds 10 characters)
    ACCOUNT = "account"
    CIRCLE = "circle"  # circle management in the log (not moderated content)


class Verdict(StrEnum):
    """What a decision does. The Dutch words in URLs are in ``portal/moderation/words.py``."""

    APPROVE = "approve"
    HIDE = "hide"
    RESTORE = "restore"
    BLOCK = "block"
    UNBLOCK = "unblock"
    TRUST = "trust"
    MAKE_MODERATOR = "make_moderator"
    END_MODERATOR = "end_moderator"
    MAKE_COORDINATOR = "make_coordinator"
    END_COORDINATOR = "end_coordinator"
    MAKE_INFOPOINT = "make_infopoint"  # the wijkinformatiepunt's role (portal/infopoint)
    END_INFOPOINT = "end_infopoint"
    MAKE_REDACTEUR = "make_redacteur"  # the wijkbrief's redactie (portal/newsletter)
    END_REDACTEUR = "end_redacteur"
    # Circle management, logged by coordinators and admins (not decisions about content):
    CIRCLE_CREATED = "circle_created"
    CIRCLE_CHANGED = "circle_changed"
    CIRCLE_ARCHIVED = "circle_archived"
    CONNECTOR_APPOINTED = "connector_appointed"
    CONNECTOR_REMOVED = "connector_removed"
    STREET_MOVED = "street_moved"
    # The gemeente's answer on a signal, changed or hidden by a moderator:
    ANSWER_CORRECTED = "answer_corrected"
    ANSWER_HIDDEN = "answer_hidden"
    ANSWER_SHOWN = "answer_shown"


class ReportReason(StrEnum):
    UNKIND = "onvriendelijk"
    SPAM = "reclame"
    PRIVACY = "privacy"
    UNTRUE = "onjuist"
    OTHER = "anders"


REPORT_REASON_MAX = 500
DECISION_REASON_MAX = 1000

_ONE_SUBJECT = (
    "(CASE WHEN post_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN reply_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN help_item_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN help_message_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN group_message_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN inbreng_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN inbreng_reply_id IS NULL THEN 0 ELSE 1 END) = 1"
)


class Review(InWijk, db.Model):
    """An item in (or once in) the moderators' queue: exactly one of post, reply, help item,
    message in a help conversation or a group's thread, inbreng on a meedenken traject, a
    reaction on inbreng."""

    __tablename__ = "reviews"
    __table_args__ = (
        Index("ix_reviews_is_open_opened_at", "is_open", "opened_at"),
        Index("ix_reviews_author_id_is_open", "author_id", "is_open"),
        CheckConstraint(_ONE_SUBJECT, name="one_subject"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), unique=True)
    reply_id: Mapped[int | None] = mapped_column(ForeignKey("replies.id", ondelete="CASCADE"), unique=True)
    help_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("help_items.id", ondelete="CASCADE"), unique=True
    )
    help_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("help_messages.id", ondelete="CASCADE"), unique=True
    )
    group_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("group_messages.id", ondelete="CASCADE"), unique=True
    )
    inbreng_id: Mapped[int | None] = mapped_column(ForeignKey("inbreng.id", ondelete="CASCADE"), unique=True)
    inbreng_reply_id: Mapped[int | None] = mapped_column(
        ForeignKey("inbreng_replies.id", ondelete="CASCADE"), unique=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    is_open: Mapped[bool] = mapped_column(default=True)
    report_count: Mapped[int] = mapped_column(default=0)  # open reports, changed with SQL (+1)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]

    post: Mapped[Post | None] = relationship()
    reply: Mapped[Reply | None] = relationship()
    help_item: Mapped[HelpItem | None] = relationship()
    help_message: Mapped[HelpMessage | None] = relationship()
    group_message: Mapped[GroupMessage | None] = relationship()
    inbreng: Mapped[Inbreng | None] = relationship()
    inbreng_reply: Mapped[InbrengReply | None] = relationship()
    author: Mapped[User] = relationship()
    reports: Mapped[list["Report"]] = relationship(
        back_populates="review", order_by="Report.created_at, Report.id",
        cascade="all, delete-orphan", passive_deletes=True,
    )

    @property
    def subject(self) -> Post | Reply | HelpItem | HelpMessage | GroupMessage | Inbreng | InbrengReply:
        return (self.post or self.reply or self.help_item or self.help_message or self.group_message
                or self.inbreng or self.inbreng_reply)

    @property
    def subject_type(self) -> SubjectType:
        if self.post_id:
            return SubjectType.POST
        if self.reply_id:
            return SubjectType.REPLY
        if self.inbreng_id:
            return SubjectType.INBRENG
        if self.inbreng_reply_id:
            return SubjectType.INBRENG_REPLY
        if self.help_item_id:
            return SubjectType.HELP
        return SubjectType.HELP_MESSAGE if self.help_message_id else SubjectType.GROUP_MESSAGE

    def __repr__(self) -> str:
        return f"<Review {self.id} {self.subject_type} open={self.is_open}>"


class Report(InWijk, db.Model):
    """A melding: someone thinks an item does not belong here. Once per person per item."""

    __tablename__ = "reports"
    __table_args__ = (UniqueConstraint("review_id", "reporter_id", name="uq_reports_review_id_reporter_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))  # uq indexes it
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(20))
    explanation: Mapped[str] = mapped_column(String(REPORT_REASON_MAX), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]  # set when a moderator decides on the item

    review: Mapped[Review] = relationship(back_populates="reports")
    reporter: Mapped[User] = relationship()


class Decision(InWijk, db.Model):
    """One line of the audit log: who decided what, about what, when and why.

    ``moderator_id`` is empty for what the portal did by itself (three reports hide an item;
    three approved contributions make an account trusted).
    """

    __tablename__ = "moderation_decisions"
    __table_args__ = (
        Index("ix_moderation_decisions_moderator_id_created_at", "moderator_id", "created_at"),
        Index("ix_moderation_decisions_verdict_created_at", "verdict", "created_at"),
        Index("ix_moderation_decisions_subject_user_id_verdict", "subject_user_id", "verdict"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    verdict: Mapped[str] = mapped_column(String(20))
    subject_type: Mapped[str] = mapped_column(String(10))
    subject_id: Mapped[int]
    # The author of the item, or the account decided on: whose history this is, who is told.
    subject_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    subject_label: Mapped[str] = mapped_column(String(200))  # snapshot: title or opening words
    subject_path: Mapped[str | None] = mapped_column(String(200))  # where it was, for a link
    reason: Mapped[str] = mapped_column(Text, default="")

    moderator: Mapped[User | None] = relationship(foreign_keys=[moderator_id])
    subject_user: Mapped[User | None] = relationship(foreign_keys=[subject_user_id])

    def __repr__(self) -> str:
        return f"<Decision {self.id} {self.verdict} {self.subject_type} {self.subject_id}>"


class AppendOnlyError(RuntimeError):
    """The audit log is never changed: decisions are only added."""


@event.listens_for(Decision, "before_update")
@event.listens_for(Decision, "before_delete")
def _append_only(_mapper, _connection, decision: Decision) -> None:
    raise AppendOnlyError(f"{decision!r}: the moderation log is append-only")


class Notice(InWijk, db.Model):
    """A decision, told to the person it concerns (shown on their account page)."""

    __tablename__ = "moderation_notices"
    __table_args__ = (Index("ix_moderation_notices_user_id_created_at", "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    decision_id: Mapped[int] = mapped_column(ForeignKey("moderation_decisions.id", ondelete="CASCADE"),
                                             index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()
    decision: Mapped[Decision] = relationship()
