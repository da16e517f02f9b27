"""What moderation needs to know about help items (registered by ``create_app``).

A help item has a workflow status of its own (open, toegezegd, ...), so its moderation state
is kept in ``moderation``."""

from sqlalchemy.orm import joinedload

from portal.models import HelpItem, Review, SubjectType
from portal.moderation.subjects import ContentKind

HELP_ITEMS = ContentKind(
    type=SubjectType.HELP, model=HelpItem, state="moderation", review_key="help_item_id",
    endpoint="circles.help_item", url_values=lambda item: {"item_id": item.id},
    report_endpoint="circles.report_help_item", report_argument="item_id",
    queue_loading=joinedload(Review.help_item).joinedload(HelpItem.circle),
    text_columns=(HelpItem.title, HelpItem.text),
)
