"""What moderation needs to know about the messages in a group's thread (registered by
``create_app``). Only members read the thread; a member reports a message, and a moderator
who is not a member sees only the reported messages on the group's page."""

from sqlalchemy.orm import joinedload

from portal.models import GroupMessage, Review, SubjectType
from portal.moderation.subjects import ContentKind

GROUP_MESSAGES = ContentKind(
    type=SubjectType.GROUP_MESSAGE, model=GroupMessage, state="moderation", review_key="group_message_id",
    endpoint="groups.group", url_values=lambda message: {"slug": message.group.slug},
    anchor=lambda message: f"#groepsbericht-{message.id}",
    report_endpoint="groups.report_message", report_argument="message_id",
    report_values=lambda message: {"slug": message.group.slug},
    queue_loading=joinedload(Review.group_message).joinedload(GroupMessage.group),
    text_columns=(GroupMessage.text,),
)
