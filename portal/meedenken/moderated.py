"""What moderation needs to know about inbreng and the reactions on it (registered by
``create_app``): reported and hidden like a post and a reply on the board, decided in
``/moderatie``, shown on the contribution's own page."""

from sqlalchemy import inspect
from sqlalchemy.orm import joinedload

from portal.meedenken.service import count_reply, tell_author_of_reply
from portal.models import ContentStatus, Inbreng, InbrengReply, Review, SubjectType
from portal.moderation.subjects import ContentKind

INBRENG = ContentKind(
    type=SubjectType.INBRENG, model=Inbreng, state="status", review_key="inbreng_id",
    endpoint="meedenken.inbreng",
    url_values=lambda item: {"slug": item.traject.slug, "inbreng_id": item.id},
    report_endpoint="meedenken.report", report_argument="inbreng_id",
    report_values=lambda item: {"slug": item.traject.slug},
    queue_loading=joinedload(Review.inbreng).joinedload(Inbreng.traject),
    text_columns=(Inbreng.text,),
)


def _reply_visibility_changed(reply: InbrengReply, amount: int) -> None:
    """The contribution's ``reply_count``; and a reaction that waited for a moderator and is
    approved now reaches the inbreng's author (one shown again after hiding does not: they
    heard of it before), as the board does with its replies."""
    approved = amount > 0 and ContentStatus.PENDING in inspect(reply).attrs.status.history.deleted
    count_reply(reply, amount)  # an UPDATE: the flush before it forgets the old state
    if approved:
        tell_author_of_reply(reply)


INBRENG_REPLIES = ContentKind(
    type=SubjectType.INBRENG_REPLY, model=InbrengReply, state="status", review_key="inbreng_reply_id",
    endpoint="meedenken.inbreng",
    url_values=lambda reply: {"slug": reply.inbreng.traject.slug, "inbreng_id": reply.inbreng_id},
    anchor=lambda reply: f"#reactie-{reply.id}",
    report_endpoint="meedenken.report_reply", report_argument="reply_id",
    report_values=lambda reply: {"slug": reply.inbreng.traject.slug, "inbreng_id": reply.inbreng_id},
    queue_loading=joinedload(Review.inbreng_reply).joinedload(InbrengReply.inbreng).joinedload(Inbreng.traject),
    text_columns=(InbrengReply.text,),
    on_visibility_change=_reply_visibility_changed,
)
