"""All models, one module per domain. Import from here: ``from portal.models import User``."""

from portal.models.accounts import DeviceSession, User
from portal.models.board import (
    ContentStatus,
    MunicipalStatus,
    Post,
    PostKind,
    Reply,
    SignalPhase,
    Support,
    Theme,
)
from portal.models.circles import (
    Circle,
    CircleRequest,
    HelpItem,
    HelpItemEvent,
    HelpMessage,
    HelpMessageMail,
    HelpResponse,
    Membership,
    Neighbourhood,
    OfflineNeighbour,
    Street,
)
from portal.models.events import Event, Registration, RegistrationStatus
from portal.models.following import DigestItem, DigestPace, Follow, FollowKind
from portal.models.groups import (
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
)
from portal.models.infopoint import (
    NEEDS,
    ChangeProposal,
    ClosedDay,
    HelpReferral,
    Location,
    Organization,
    ProposalStatus,
    Question,
    QuestionStatus,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceNeed,
)
from portal.models.meedenken import (
    MEASURE_STATUSES,
    OUTCOMES,
    PHASES,
    Inbreng,
    InbrengReply,
    InbrengSupport,
    Maatregel,
    Traject,
)
from portal.models.moderation import (
    Decision,
    Notice,
    Report,
    ReportReason,
    Review,
    SubjectType,
    Verdict,
)
from portal.models.newsletter import (
    Newsletter,
    NewsletterBlock,
    NewsletterDelivery,
    NewsletterStatus,
    Segment,
    Subscriber,
)
from portal.models.notifications import HelpItemMail, NotificationPreference, OutboxMessage
from portal.models.signalen import SignalenMelding
from portal.models.surveys import (
    QuestionKind,
    Survey,
    SurveyAnswer,
    SurveyOption,
    SurveyQuestion,
    SurveyResponse,
)
from portal.models.wijken import District, Participation, Role

__all__ = [
    "Circle", "CircleRequest", "District", "OfflineNeighbour",
    "HelpItem", "HelpItemEvent", "HelpMessage", "HelpMessageMail", "HelpResponse",
    "Membership", "Neighbourhood",
    "Street", "Role", "User", "DeviceSession", "Participation",
    "ContentStatus", "MunicipalStatus", "Post", "PostKind", "Reply", "SignalPhase", "Support",
    "Theme",
    "Group", "GroupBuurt", "GroupKind", "GroupMember", "GroupMemberStatus", "GroupMessage", "GroupNews",
    "GroupRole", "GroupStatus", "GroupTheme",
    "Event", "HelpItemMail", "NotificationPreference", "OutboxMessage", "Registration", "RegistrationStatus",
    "Decision", "Notice", "Report", "ReportReason", "Review", "SubjectType", "Verdict",
    "SignalenMelding",
    "DigestItem", "DigestPace", "Follow", "FollowKind",
    "QuestionKind", "Survey", "SurveyAnswer", "SurveyOption", "SurveyQuestion", "SurveyResponse",
    "NEEDS", "ChangeProposal", "ClosedDay", "HelpReferral", "Location", "Organization", "ProposalStatus",
    "Question", "QuestionStatus", "Schedule", "Service", "ServiceArea", "ServiceAtLocation",
    "ServiceNeed",
    "MEASURE_STATUSES", "OUTCOMES", "PHASES", "Inbreng", "InbrengReply", "InbrengSupport", "Maatregel",
    "Traject",
    "Newsletter", "NewsletterBlock", "NewsletterDelivery", "NewsletterStatus", "Segment", "Subscriber",
]
