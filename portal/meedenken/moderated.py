"""What moderation needs to know about inbreng (registered by ``create_app``): reported and
hidden like a post, decided in ``/moderatie``, shown on its own page."""

from sqlalchemy.orm import joinedload

from portal.models import Inbreng, Review, SubjectType
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
