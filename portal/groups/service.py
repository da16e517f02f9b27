"""Queries and changes of the groups (no commits: the request's or job's unit of work does).

Mail goes through ``notify`` (``MailKind.POST_UPDATES``: news of what one takes part in);
news of a group goes out in one place only, ``announce_news``: to its members and its
followers, each at the pace they chose (``portal/following``).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlalchemy.orm import joinedload, selectinload

from portal.extensions import db
from portal.following.service import tell_followers
from portal.mail import public_url, render_text
from portal.models import (
    ContentStatus,
    Event,
    FollowKind,
    Group,
    GroupBuurt,
    GroupKind,
    GroupMember,
    GroupMemberStatus,
    GroupMessage,
    GroupNews,
    GroupRole,
    GroupStatus,
    GroupTheme,
    Neighbourhood,
    QuestionKind,
    Review,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
    Theme,
    User,
)
from portal.models.base import utcnow
from portal.models.surveys import CONTACT_YES
from portal.notifications.service import MailKind, notify
from portal.slugs import unique_slug

QUIET_AFTER = timedelta(days=61)  # two months without news or a meeting
LISTED = (GroupStatus.ACTIVE, GroupStatus.PAUSED, GroupStatus.ENDED)
MAIL = MailKind.POST_UPDATES


def _with_theme(theme_id: int):
    return db.select(GroupTheme.group_id).where(GroupTheme.theme_id == theme_id)


# --- reading -----------------------------------------------------------------------------

def _with_links(query):
    return query.options(
        selectinload(Group.theme_links).joinedload(GroupTheme.theme),
        selectinload(Group.buurt_links).joinedload(GroupBuurt.neighbourhood),
    )


def group_or_none(slug: str) -> Group | None:
    """A group with its themes, buurten and members (with their accounts): the page and its
    rules read them, in a fixed number of queries."""
    return db.session.scalar(_with_links(
        db.select(Group).where(Group.slug == slug)
    ).options(selectinload(Group.members).joinedload(GroupMember.user)))


def listed_groups(kind: str = "", theme_id: int | None = None, buurt_id: int | None = None) -> list[Group]:
    """The list on /groepen: active first, then paused, then ended; by name."""
    query = db.select(Group).where(Group.status.in_(LISTED))
    if kind:
        query = query.where(Group.kind == kind)
    if theme_id:
        query = query.where(Group.id.in_(_with_theme(theme_id)))
    if buurt_id:
        query = query.where(Group.id.in_(
            db.select(GroupBuurt.group_id).where(GroupBuurt.neighbourhood_id == buurt_id)))
    order = db.case({GroupStatus.ACTIVE.value: 0, GroupStatus.PAUSED.value: 1}, value=Group.status, else_=2)
    return list(db.session.scalars(_with_links(query.order_by(order, Group.name))))


def active_groups(theme_id: int | None = None, buurt_id: int | None = None, buurt_ids=None,
                  limit: int = 6) -> list[Group]:
    """Active groups to offer somewhere (the home page, a theme board, a circle page, after
    sign-up): one query plus two for their themes and buurten."""
    query = db.select(Group).where(Group.status == GroupStatus.ACTIVE)
    if theme_id:
        query = query.where(Group.id.in_(_with_theme(theme_id)))
    if buurt_id:
        buurt_ids = [buurt_id]
    if buurt_ids:
        query = query.where(Group.id.in_(
            db.select(GroupBuurt.group_id).where(GroupBuurt.neighbourhood_id.in_(buurt_ids))))
    return list(db.session.scalars(_with_links(query.order_by(Group.name).limit(limit))))


def proposed_groups() -> list[Group]:
    return list(db.session.scalars(_with_links(
        db.select(Group).where(Group.status == GroupStatus.PROPOSED).order_by(Group.created_at)
    ).options(joinedload(Group.proposed_by))))


def themes() -> list[Theme]:
    return list(db.session.scalars(db.select(Theme).order_by(Theme.position, Theme.name)))


def buurten() -> list[Neighbourhood]:
    return list(db.session.scalars(db.select(Neighbourhood).order_by(Neighbourhood.name)))


def news_of(group: Group, limit: int = 20) -> list[GroupNews]:
    return list(db.session.scalars(
        db.select(GroupNews).where(GroupNews.group_id == group.id)
        .options(joinedload(GroupNews.author))
        .order_by(GroupNews.created_at.desc(), GroupNews.id.desc()).limit(limit)
    ))


def events_of(group: Group, now: datetime | None = None) -> list[Event]:
    """The group's coming meetings in the agenda (and those of today)."""
    now = now or utcnow()
    return list(db.session.scalars(
        db.select(Event).where(Event.group_id == group.id, Event.ends_at >= now)
        .order_by(Event.starts_at).limit(10)
    ))


def messages_of(group: Group, limit: int = 100) -> list[GroupMessage]:
    """The thread, oldest first (the newest ``limit``)."""
    newest = list(db.session.scalars(
        db.select(GroupMessage).where(GroupMessage.group_id == group.id)
        .options(joinedload(GroupMessage.author))
        .order_by(GroupMessage.created_at.desc(), GroupMessage.id.desc()).limit(limit)
    ))
    return newest[::-1]


def reported_messages(group: Group) -> list[GroupMessage]:
    """The messages of the thread a moderator has to do with (with a review, open or decided)."""
    return list(db.session.scalars(
        db.select(GroupMessage)
        .join(Review, Review.group_message_id == GroupMessage.id)
        .where(GroupMessage.group_id == group.id)
        .options(joinedload(GroupMessage.author))
        .order_by(GroupMessage.created_at, GroupMessage.id)
    ))


def message_or_none(group: Group, message_id: int) -> GroupMessage | None:
    return db.session.scalar(db.select(GroupMessage).where(
        GroupMessage.id == message_id, GroupMessage.group_id == group.id))


def trekkers(group: Group) -> list[GroupMember]:
    return [member for member in group.members if member.is_trekker]


def members(group: Group) -> list[GroupMember]:
    return [member for member in group.members if member.is_member]


def requests(group: Group) -> list[GroupMember]:
    return [member for member in group.members if not member.is_member]


def group_choices() -> list[tuple[int, str]]:
    """(id, name) of the active groups, for a peiling's "Wilt u meedoen met ...?" question."""
    return list(db.session.execute(
        db.select(Group.id, Group.name).where(Group.status == GroupStatus.ACTIVE).order_by(Group.name)))


@dataclass(frozen=True)
class Volunteer:
    """Someone who said "ja" to "Wilt u meedoen met ...?" in a peiling: an account (name and
    e-mail) or a paper form (a first name, and the verbinder who typed it in)."""

    name: str
    email: str | None
    entered_by: User | None
    survey_title: str
    answered_at: datetime


def survey_volunteers(group: Group) -> list[Volunteer]:
    """Those who said yes (and so agreed to be approached) to a peiling's question about this
    group, oldest first; members already in the group are left out. One query."""
    rows = db.session.execute(
        db.select(SurveyResponse, Survey.title)
        .join(SurveyAnswer, SurveyAnswer.response_id == SurveyResponse.id)
        .join(SurveyQuestion, SurveyQuestion.id == SurveyAnswer.question_id)
        .join(Survey, Survey.id == SurveyResponse.survey_id)
        .where(SurveyQuestion.group_id == group.id, SurveyQuestion.kind == QuestionKind.CONTACT,
               SurveyAnswer.value == CONTACT_YES)
        .order_by(SurveyResponse.created_at, SurveyResponse.id)
        .options(joinedload(SurveyResponse.user), joinedload(SurveyResponse.entered_by))
    ).unique()
    taken = {member.user_id for member in group.members}
    found = []
    for response, title in rows:
        if response.on_paper:
            found.append(Volunteer(response.on_behalf_name or "(geen naam)", None, response.entered_by,
                                   title, response.created_at))
        elif response.user is not None and response.user_id not in taken:
            found.append(Volunteer(response.user.name, response.user.email, None, title, response.created_at))
    return found


def my_groups(user) -> list[Group]:
    """The groups a person is a member of (for their account page and the home page)."""
    return list(db.session.scalars(
        db.select(Group).join(GroupMember, GroupMember.group_id == Group.id)
        .where(GroupMember.user_id == user.id, GroupMember.status == GroupMemberStatus.MEMBER,
               Group.status.in_(LISTED))
        .order_by(Group.name)
    ))


# --- joining and leaving -----------------------------------------------------------------

def join(group: Group, user: User, now: datetime | None = None) -> GroupMember:
    """An open group takes the person at once; a closed one gets a request its trekkers are
    mailed about."""
    now = now or utcnow()
    member = GroupMember(role=GroupRole.MEMBER, requested_at=now)
    db.session.add(member)
    member.group, member.user = group, user
    if group.is_open:
        member.status, member.joined_at = GroupMemberStatus.MEMBER, now
    else:
        member.status = GroupMemberStatus.REQUESTED
        manage_url = public_url("groups.manage", slug=group.slug)
        for trekker in trekkers(group):
            notify(trekker.user, MAIL, f"{user.first_name} wil meedoen met {group.name}", render_text(
                "groups/mail/request.txt", trekker=trekker.user, person=user, group=group, url=manage_url))
    db.session.flush()
    return member


def leave(group: Group, member: GroupMember) -> None:
    group.members.remove(member)
    db.session.delete(member)


def accept(group: Group, member: GroupMember, now: datetime | None = None) -> None:
    member.status, member.joined_at = GroupMemberStatus.MEMBER, now or utcnow()
    notify(member.user, MAIL, f"Welkom bij {group.name}", render_text(
        "groups/mail/accepted.txt", person=member.user, group=group,
        url=public_url("groups.group", slug=group.slug)))


def decline(group: Group, member: GroupMember) -> None:
    notify(member.user, MAIL, f"Uw verzoek om mee te doen met {group.name}", render_text(
        "groups/mail/declined.txt", person=member.user, group=group,
        url=public_url("groups.index")))
    leave(group, member)


def hand_over(group: Group, to: GroupMember, by: User) -> None:
    """``to`` becomes trekker; the person who handed it on (if a trekker) becomes a member."""
    for member in group.members:
        if member.user_id == by.id and member.is_trekker:
            member.role = GroupRole.MEMBER
    to.role = GroupRole.TREKKER


def set_status(group: Group, status: GroupStatus) -> None:
    group.status = status
    if status == GroupStatus.ACTIVE:
        group.quiet_nudged_at = None


def save_contact(member: GroupMember, show_email: bool, phone: str) -> None:
    member.show_email, member.phone = show_email, phone


# --- making groups -----------------------------------------------------------------------

@dataclass
class GroupFields:
    name: str
    kind: str
    description: str
    meets: str
    is_open: bool
    theme_ids: list[int]
    buurt_ids: list[int]


def create_group(fields: GroupFields, by: User, proposed: bool) -> Group:
    """A moderator's group is active at once, with the moderator as its trekker until they hand
    it on; a resident's proposal waits (``voorgesteld``) with the resident as trekker-to-be."""
    taken = set(db.session.scalars(db.select(Group.slug))) | {"nieuw", "voorstellen"}
    group = Group(
        slug=unique_slug(fields.name, taken, "groep"), name=fields.name, kind=GroupKind(fields.kind),
        description=fields.description, meets=fields.meets, is_open=fields.is_open,
        status=GroupStatus.PROPOSED if proposed else GroupStatus.ACTIVE, proposed_by=by,
    )
    group.theme_links = [GroupTheme(theme_id=theme_id) for theme_id in fields.theme_ids]
    group.buurt_links = [GroupBuurt(neighbourhood_id=buurt_id) for buurt_id in fields.buurt_ids]
    group.members = [GroupMember(user=by, role=GroupRole.TREKKER, status=GroupMemberStatus.MEMBER,
                                 joined_at=utcnow())]
    db.session.add(group)
    db.session.flush()
    if proposed:
        for moderator in _moderators():
            notify(moderator, MAIL, f"Voorstel voor een nieuwe groep: {group.name}", render_text(
                "groups/mail/proposed.txt", moderator=moderator, group=group, person=by,
                url=public_url("groups.proposals")))
    return group


def _moderators() -> list[User]:
    from portal.models import Participation, Role

    return list(db.session.scalars(
        db.select(User).join(Participation, Participation.user_id == User.id)
        .where(Participation.role.in_((Role.MODERATOR, Role.ADMIN))).order_by(User.id)
    ))


def approve(group: Group) -> None:
    group.status = GroupStatus.ACTIVE
    if group.proposed_by is not None:
        notify(group.proposed_by, MAIL, f"Uw groep staat online: {group.name}", render_text(
            "groups/mail/approved.txt", person=group.proposed_by, group=group,
            url=public_url("groups.group", slug=group.slug)))


def reject(group: Group, reason: str) -> None:
    if group.proposed_by is not None:
        notify(group.proposed_by, MAIL, f"Uw voorstel voor een groep: {group.name}", render_text(
            "groups/mail/rejected.txt", person=group.proposed_by, group=group, reason=reason))
    db.session.delete(group)


# --- news and the thread -----------------------------------------------------------------

def post_news(group: Group, author: User, title: str, text: str) -> GroupNews:
    news = GroupNews(group=group, author=author, title=title, text=text)
    db.session.add(news)
    db.session.flush()
    announce_news(news)
    return news


def announce_news(news: GroupNews) -> int:
    """A group's news to its members and its followers (not to its author), each at their
    pace: a mail now, an item of their daily or weekly digest, or nothing. The one place news
    goes out; returns how many people it reaches."""
    group = news.group
    url = public_url("groups.group", slug=group.slug) + f"#nieuws-{news.id}"
    members_now = [member.user_id for member in members(group) if member.user.deleted_at is None]
    told = tell_followers(FollowKind.GROUP, group.id, source=group.name, title=news.title, text=news.text,
                          url=url, subject=f"{group.name}: {news.title}", also_user_ids=members_now,
                          skip_user_ids={news.author_id})
    return told.total


def post_message(group: Group, author: User, text: str) -> GroupMessage:
    message = GroupMessage(group=group, author=author, text=text, moderation=ContentStatus.PUBLISHED)
    db.session.add(message)
    db.session.flush()
    return message


# --- the person's data (account export, deleting an account) -------------------------------

def export_of(user: User) -> dict:
    """The groups this person is in or asked to join, and what they wrote there (AVG)."""
    rows = db.session.scalars(db.select(GroupMember).where(GroupMember.user_id == user.id)
                              .options(joinedload(GroupMember.group))).all()
    messages = db.session.scalars(db.select(GroupMessage).where(GroupMessage.author_id == user.id)
                                  .options(joinedload(GroupMessage.group))).all()
    news = db.session.scalars(db.select(GroupNews).where(GroupNews.author_id == user.id)
                              .options(joinedload(GroupNews.group))).all()
    return {
        "lidmaatschappen": [{"groep": row.group.name, "rol": row.role, "status": row.status,
                             "e-mailadres_getoond": row.show_email, "telefoon_getoond": row.phone or None,
                             "gevraagd": row.requested_at.isoformat(timespec="seconds"),
                             "lid_sinds": row.joined_at and row.joined_at.isoformat(timespec="seconds")}
                            for row in rows],
        "berichten_in_groepen": [
            {"groep": m.group.name, "tekst": m.text, "geschreven": m.created_at.isoformat(timespec="seconds")}
            for m in messages],
        "nieuws_van_groepen": [{"groep": n.group.name, "titel": n.title, "tekst": n.text,
                                "geplaatst": n.created_at.isoformat(timespec="seconds")} for n in news],
    }


def forget(user: User) -> None:
    """An account is deleted: out of every group, its messages in the threads gone; news it
    wrote stays, signed by the "verwijderde deelnemer"."""
    db.session.execute(db.delete(GroupMember).where(GroupMember.user_id == user.id))
    db.session.execute(db.delete(GroupMessage).where(GroupMessage.author_id == user.id))


# --- quiet groups ------------------------------------------------------------------------

def last_activity(groups: list[Group]) -> dict[int, datetime]:
    """For each group: its latest news or meeting (a planned one counts), else when it began.
    Three queries, however many groups."""
    ids = [group.id for group in groups]
    latest = {group.id: group.created_at for group in groups}
    if not ids:
        return latest
    for column, group_column in ((GroupNews.created_at, GroupNews.group_id),
                                 (Event.starts_at, Event.group_id)):
        rows = db.session.execute(
            db.select(group_column, func.max(column)).where(group_column.in_(ids)).group_by(group_column))
        for group_id, moment in rows:
            if moment is not None and moment > latest[group_id]:
                latest[group_id] = moment
    return latest


def quiet_groups(now: datetime | None = None) -> list[tuple[Group, datetime]]:
    """Active groups without news or a meeting for two months, quietest first."""
    now = now or utcnow()
    groups = list(db.session.scalars(
        db.select(Group).where(Group.status == GroupStatus.ACTIVE).order_by(Group.name)))
    latest = last_activity(groups)
    quiet = [(group, latest[group.id]) for group in groups if latest[group.id] < now - QUIET_AFTER]
    return sorted(quiet, key=lambda pair: pair[1])


def nudge_quiet_groups(now: datetime | None = None) -> int:
    """The daily job: mail the trekkers of each group that went quiet, once per quiet spell
    (news or a meeting after the nudge starts a new one). Returns how many were mailed."""
    now = now or utcnow()
    quiet = quiet_groups(now)
    if not quiet:
        return 0
    ids = [group.id for group, _ in quiet]
    rows = db.session.scalars(
        db.select(GroupMember).where(GroupMember.group_id.in_(ids), GroupMember.role == GroupRole.TREKKER,
                                     GroupMember.status == GroupMemberStatus.MEMBER)
        .options(joinedload(GroupMember.user)))
    by_group: dict[int, list[User]] = {}
    for row in rows:
        by_group.setdefault(row.group_id, []).append(row.user)
    sent = 0
    for group, since in quiet:
        if group.quiet_nudged_at is not None and group.quiet_nudged_at >= since:
            continue
        group.quiet_nudged_at = now
        for trekker in by_group.get(group.id, []):
            sent += notify(trekker, MAIL, f"Het is stil bij {group.name}", render_text(
                "groups/mail/quiet.txt", person=trekker, group=group, since=since,
                url=public_url("groups.group", slug=group.slug),
                news_url=public_url("groups.new_news", slug=group.slug)))
    return sent
