"""What moderation needs to know about posts and replies (registered by ``create_app``)."""

from sqlalchemy.orm import joinedload

from portal.board.service import count_published
from portal.models import Post, Reply, Review, SubjectType
from portal.moderation.subjects import ContentKind

POSTS = ContentKind(
    type=SubjectType.POST, model=Post, state="status", review_key="post_id",
    endpoint="board.post", url_values=lambda post: {"post_id": post.id},
    report_endpoint="board.report_post", report_argument="post_id",
    queue_loading=joinedload(Review.post).joinedload(Post.theme),
    text_columns=(Post.title, Post.body),
    on_visibility_change=count_published,
)

REPLIES = ContentKind(
    type=SubjectType.REPLY, model=Reply, state="status", review_key="reply_id",
    endpoint="board.post", url_values=lambda reply: {"post_id": reply.post_id},
    anchor=lambda reply: f"#reactie-{reply.id}",
    report_endpoint="board.report_reply", report_argument="reply_id",
    queue_loading=joinedload(Review.reply).joinedload(Reply.post),
    text_columns=(Reply.body,),
    on_visibility_change=count_published,
)
