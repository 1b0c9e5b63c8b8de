"""All tables, imported here so that Alembic and create_app see every one."""

from app.models.auth_session import AuthSession
from app.models.base import utcnow
from app.models.conversation import Conversation, ConversationState
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
from app.models.message import Author, Message

__all__ = [
    "AuthSession",
    "Author",
    "CannedReply",
    "Conversation",
    "ConversationState",
    "ConversationTag",
    "Counselor",
    "Link",
    "Message",
    "Note",
    "NoteKind",
    "OpeningException",
    "OpeningHours",
    "Presence",
    "Role",
    "ServiceSetting",
    "Tag",
    "utcnow",
]
