"""newsbot's SQLAlchemy models; Alembic migrations own the schema they describe."""

from digests.models.base import Base, UTCDateTime, utcnow
from digests.models.chats import (
    Chat,
    ChatEvent,
    ChatFilter,
    ChatStatus,
    ChatType,
    ForumRoute,
    Frequency,
    Subscription,
    Topic,
)
from digests.models.content import (
    Article,
    ArticleEmbedding,
    ArticleTopic,
    RebuildProgress,
    RelatedArticle,
    RemovedSource,
    Source,
    SourceKind,
    SourceStatus,
    Story,
)
from digests.models.conversation import ConversationState
from digests.models.delivery import (
    Delivery,
    DeliveryKind,
    DeliveryStatus,
    Edition,
    Priority,
)
from digests.models.desk import Alert, AlertStatus, AuditEntry, Editor
from digests.models.fleet import Lease, SendBudget

__all__ = [
    "Alert",
    "AlertStatus",
    "Article",
    "ArticleEmbedding",
    "ArticleTopic",
    "AuditEntry",
    "Base",
    "Chat",
    "ChatEvent",
    "ForumRoute",
    "ChatFilter",
    "ChatStatus",
    "ChatType",
    "ConversationState",
    "Delivery",
    "DeliveryKind",
    "DeliveryStatus",
    "Edition",
    "Editor",
    "Frequency",
    "Lease",
    "Priority",
    "RebuildProgress",
    "RelatedArticle",
    "RemovedSource",
    "SendBudget",
    "Source",
    "SourceKind",
    "SourceStatus",
    "Story",
    "Subscription",
    "Topic",
    "UTCDateTime",
    "utcnow",
]
