"""What moderation needs to know about help items and the messages in their conversation
(registered by ``create_app``).

A help item has a workflow status of its own (open, toegezegd, ...), so its moderation state
is kept in ``moderation``; so is a message's. A message is reported from the conversation
(only its participants see it) and shown to moderators on the item's page, on its own."""

from sqlalchemy.orm import joinedload

from portal.models import HelpItem, HelpMessage, Review, SubjectType
from portal.moderation.subjects import ContentKind

HELP_ITEMS = ContentKind(
    type=SubjectType.HELP, model=HelpItem, state="moderation", review_key="help_item_id",
    endpoint="circles.help_item", url_values=lambda item: {"item_id": item.id},
    report_endpoint="circles.report_help_item", report_argument="item_id",
    queue_loading=joinedload(Review.help_item).joinedload(HelpItem.circle),
    text_columns=(HelpItem.title, HelpItem.text),
)

HELP_MESSAGES = ContentKind(
    type=SubjectType.HELP_MESSAGE, model=HelpMessage, state="moderation", review_key="help_message_id",
    endpoint="circles.help_item", url_values=lambda message: {"item_id": message.item_id},
    anchor=lambda message: f"#gespreksbericht-{message.id}",
    report_endpoint="circles.report_message", report_argument="message_id",
    report_values=lambda message: {"item_id": message.item_id},
    queue_loading=joinedload(Review.help_message).joinedload(HelpMessage.item).joinedload(HelpItem.circle),
    text_columns=(HelpMessage.text,),
)
