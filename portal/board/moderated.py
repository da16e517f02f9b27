"""What moderation needs to know about posts and replies (registered by ``create_app``)."""

from sqlalchemy import inspect
from sqlalchemy.orm import joinedload

from portal.board.gemeente_signals import reply_posted
from portal.board.service import count_published, tell_theme_followers
from portal.models import ContentStatus, Post, Reply, Review, SubjectType
from portal.moderation.subjects import ContentKind


def _visibility_changed(item: Post | Reply, amount: int) -> None:
    """The cached counts; and a post or reply that waited for a moderator and is approved now
    reaches the followers (a hidden one shown again does not: they heard of it before)."""
    approved = amount > 0 and ContentStatus.PENDING in inspect(item).attrs.status.history.deleted
    count_published(item, amount)  # an UPDATE: the flush before it forgets the old state
    if approved:
        if isinstance(item, Reply):
            reply_posted(item.post, item)
        else:
            tell_theme_followers(item)

POSTS = ContentKind(
    type=SubjectType.POST, model=Post, state="status", review_key="post_id",
    endpoint="board.post", url_values=lambda post: {"post_id": post.id},
    report_endpoint="board.report_post", report_argument="post_id",
    queue_loading=joinedload(Review.post).joinedload(Post.theme),
    text_columns=(Post.title, Post.body),
    on_visibility_change=_visibility_changed,
)

REPLIES = ContentKind(
    type=SubjectType.REPLY, model=Reply, state="status", review_key="reply_id",
    endpoint="board.post", url_values=lambda reply: {"post_id": reply.post_id},
    anchor=lambda reply: f"#reactie-{reply.id}",
    report_endpoint="board.report_reply", report_argument="reply_id",
    queue_loading=joinedload(Review.reply).joinedload(Reply.post),
    text_columns=(Reply.body,),
    on_visibility_change=_visibility_changed,
)
