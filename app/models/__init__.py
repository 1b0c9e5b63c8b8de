"""All tables, imported here so that Alembic and create_app see every one."""

from app.models.audit import AuditEntry, RecoveryCode
from app.models.auth_session import AuthSession
from app.models.base import iso, utcnow
from app.models.cluster import ClusterLease
from app.models.conversation import AgeBand, Conversation, ConversationState, Topic
from app.models.counselor import Counselor, Presence, Role
from app.models.duty import (
    CannedReply,
    ConversationTag,
    Note,
    NoteKind,
    OpeningException,
    OpeningHours,
    ServiceSetting,
    Tag,
)
from app.models.link import Link
from app.models.mailbox import MailboxEntry, MailboxNote, MailboxStat, MailboxState, MailboxThread
from app.models.message import Author, Message
from app.models.outreach import (
    Indicator,
    MessageTemplate,
    Observation,
    ObservationIndicator,
    OutreachContact,
    Space,
    SpaceCategory,
)
from app.models.resource import Resource, ResourceReferral
from app.models.stats import ConversationStat, ConversationStatTag, DutyInterval, LinkOpen

__all__ = [
    "AgeBand",
    "AuditEntry",
    "AuthSession",
    "Author",
    "CannedReply",
    "ClusterLease",
    "Conversation",
    "ConversationStat",
    "ConversationStatTag",
    "ConversationState",
    "ConversationTag",
    "Counselor",
    "DutyInterval",
    "Indicator",
    "Link",
    "LinkOpen",
    "MailboxEntry",
    "MailboxNote",
    "MailboxStat",
    "MailboxState",
    "MailboxThread",
    "Message",
    "MessageTemplate",
    "Note",
    "NoteKind",
    "Observation",
    "ObservationIndicator",
    "OpeningException",
    "OpeningHours",
    "OutreachContact",
    "Presence",
    "RecoveryCode",
    "Resource",
    "ResourceReferral",
    "Role",
    "ServiceSetting",
    "Space",
    "SpaceCategory",
    "Tag",
    "Topic",
    "iso",
    "utcnow",
]
