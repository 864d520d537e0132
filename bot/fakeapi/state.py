"""Per-chat state and the JSON shapes of chats, users and chat members."""

from __future__ import annotations

from dataclasses import dataclass, field

from .faults import Fault
from .jsontypes import JSON

__all__ = ["Call", "ChatState", "infer_chat_type", "member_json", "user_json"]

SUPERGROUP_ID_LIMIT = -1_000_000_000_000  # ids at or below this are supergroups/channels


@dataclass(slots=True)
class Call:
    """One recorded Bot API call; ``response`` is None while it is in flight."""

    method: str
    params: JSON
    at: float
    fault: Fault | None = None  # the Fault that answered it, if any
    response: JSON | None = None


def infer_chat_type(chat_id: int) -> str:
    """Telegram's id conventions: users positive, groups negative, -100… supergroups."""
    if chat_id > 0:
        return "private"
    return "supergroup" if chat_id <= SUPERGROUP_ID_LIMIT else "group"


@dataclass(slots=True)
class ChatState:
    """Everything the fake knows about one chat; indexes avoid scans per request."""

    id: int
    type: str
    title: str | None = None
    username: str | None = None
    first_name: str | None = None
    is_forum: bool | None = None
    next_message_id: int = 1
    messages: dict[int, JSON] = field(default_factory=dict)  # current Message JSON by id
    deleted: set[int] = field(default_factory=set)
    sent: list[JSON] = field(default_factory=list)  # records of what the bot sent here
    last_bot_message_id: int | None = None
    bot_message_ids: set[int] = field(default_factory=set)  # what the bot may edit
    members: dict[int, str] = field(default_factory=dict)  # user id -> status
    blocked: Fault | None = None  # answered to every send, if set
    migrated_to: int | None = None
    menu_button: JSON | None = None
    threads: dict[int, bool] = field(default_factory=dict)  # forum thread id -> open?

    def take_message_id(self) -> int:
        """Allocate the next message id; bot and user messages share one sequence."""
        message_id = self.next_message_id
        self.next_message_id += 1
        return message_id

    def json(self) -> JSON:
        """The Chat object as embedded in messages."""
        chat: JSON = {"id": self.id, "type": self.type}
        if self.type == "private":
            chat["first_name"] = self.first_name or "User"
        else:
            chat["title"] = self.title or f"{self.type.title()} {self.id}"
        if self.username:
            chat["username"] = self.username
        if self.is_forum:
            chat["is_forum"] = True
        return chat

    def full_json(self) -> JSON:
        """The ChatFullInfo object returned by getChat (fields PTB 22 requires included)."""
        info = self.json()
        info.update(
            accent_color_id=0,
            max_reaction_count=11,
            accepted_gift_types={
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        )
        return info


def user_json(
    user_id: int,
    first_name: str = "User",
    *,
    last_name: str | None = None,
    username: str | None = None,
    language_code: str | None = None,
    is_bot: bool = False,
) -> JSON:
    """A User object."""
    user: JSON = {"id": user_id, "is_bot": is_bot, "first_name": first_name}
    if last_name:
        user["last_name"] = last_name
    if username:
        user["username"] = username
    if language_code:
        user["language_code"] = language_code
    return user


_ADMIN_RIGHTS = (
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
    "can_pin_messages",
)
_RESTRICTED_RIGHTS = (
    "can_send_messages",
    "can_send_audios",
    "can_send_documents",
    "can_send_photos",
    "can_send_videos",
    "can_send_video_notes",
    "can_send_voice_notes",
    "can_send_polls",
    "can_send_other_messages",
    "can_add_web_page_previews",
    "can_change_info",
    "can_invite_users",
    "can_pin_messages",
    "can_manage_topics",
    "can_edit_tag",
    "can_react_to_messages",
)


def member_json(user: JSON, status: str) -> JSON:
    """A ChatMember object of the given status with every field its type requires."""
    member: JSON = {"status": status, "user": user}
    if status == "creator":
        member["is_anonymous"] = False
    elif status == "administrator":
        member.update(can_be_edited=False, is_anonymous=False)
        member.update(dict.fromkeys(_ADMIN_RIGHTS, True))
        member["can_promote_members"] = False
    elif status == "restricted":
        member.update(is_member=True, until_date=0)
        member.update(dict.fromkeys(_RESTRICTED_RIGHTS, False))
    elif status == "kicked":
        member["until_date"] = 0
    elif status not in ("member", "left"):
        raise ValueError(f"unknown chat member status {status!r}")
    return member
