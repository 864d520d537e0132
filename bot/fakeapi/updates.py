"""Incoming updates: realistic Update builders, the getUpdates queue and webhooks."""

from __future__ import annotations

import itertools
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from .faults import ApiError
from .jsontypes import JSON
from .media import FileRegistry
from .state import ChatState, member_json, user_json
from .telegram_html import utf16_len
from .waiting import Notifier

__all__ = ["UpdatesMixin"]

_COMMAND_RE = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")
# Telegram's default when allowed_updates was never set (or set to []).
_NOT_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


class UpdatesMixin:
    """Update builders and getUpdates; state lives in FakeBotAPI."""

    bot_user: JSON
    _lock: threading.RLock
    _users: dict[int, JSON]
    _updates: deque[JSON]
    _next_update_id: int
    _updates_changed: Notifier
    _calls_changed: Notifier
    _chat: Callable[[int | str], ChatState]  # FakeBotAPI._chat
    set_chat: Callable[..., ChatState]  # FakeBotAPI.set_chat
    migrate: Callable[[int, int], None]  # FakeBotAPI.migrate
    _files: FileRegistry

    def _init_updates(self) -> None:
        self._open_queries: set[str] = set()
        self._query_ids = itertools.count(4_000_000_000_000_000_001)
        self.webhook: JSON | None = None  # the setWebhook params, while a webhook is set
        self.allowed_updates: list[str] | None = None  # as last sent with getUpdates

    # ------------------------------------------------------------------ the queue
    def push_update(self, update: JSON) -> JSON:
        """Assign the next ``update_id`` and queue ``update`` for getUpdates; return it."""
        with self._lock:
            update["update_id"] = self._next_update_id
            self._next_update_id += 1
            for kind in ("callback_query", "inline_query"):
                if kind in update:
                    self._open_queries.add(str(update[kind]["id"]))
            self._updates.append(update)
        self._updates_changed.notify()
        self._calls_changed.notify()  # wait_until() conditions may look at the queue
        return update

    def pending_updates(self) -> list[JSON]:
        """Updates not yet confirmed by a getUpdates offset."""
        return list(self._updates)

    def _has_updates(self, offset: Any) -> bool | None:
        last = self._updates[-1]["update_id"] if self._updates else None
        if last is None or (isinstance(offset, int) and offset >= 0 and last < offset):
            return None
        return True

    def _api_getUpdates(self, p: JSON) -> list[JSON]:
        if self.webhook:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = p.get("offset")
        if isinstance(offset, int) and offset < 0:
            while len(self._updates) > -offset:
                self._updates.popleft()
        elif isinstance(offset, int):
            while self._updates and self._updates[0]["update_id"] < offset:
                self._updates.popleft()  # confirmed, as Telegram forgets them
        allowed = p.get("allowed_updates")
        if isinstance(allowed, list):
            self.allowed_updates = allowed or None
        limit = p.get("limit")
        limit = min(max(limit, 1), 100) if isinstance(limit, int) else 100
        result: list[JSON] = []
        for update in list(self._updates):
            kind = next(k for k in update if k != "update_id")
            if self.allowed_updates is not None:
                wanted = kind in self.allowed_updates
            else:
                wanted = kind not in _NOT_BY_DEFAULT
            if not wanted:
                self._updates.remove(update)  # never delivered, like on Telegram
            elif len(result) < limit:
                result.append(update)
        return result

    def _api_setWebhook(self, p: JSON) -> bool:
        url = p.get("url") or ""
        if url and not url.startswith("https://"):
            raise ApiError(
                400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
            )
        self.webhook = dict(p) if url else None
        if p.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _api_deleteWebhook(self, p: JSON) -> bool:
        self.webhook = None
        if p.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _api_getWebhookInfo(self, p: JSON) -> JSON:
        hook = self.webhook or {}
        info: JSON = {
            "url": hook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if hook:
            info["max_connections"] = hook.get("max_connections", 40)
            if hook.get("allowed_updates"):
                info["allowed_updates"] = hook["allowed_updates"]
        return info

    # --------------------------------------------------------------- update builders
    def _remember_user(self, user_id: int, first_name: str, **extra: Any) -> JSON:
        user = user_json(user_id, first_name, **extra)
        self._users[user_id] = user
        return user

    def _incoming(self, where: ChatState, **fields: Any) -> JSON:
        """A message in ``where`` (from a user, channel or service), stored like bot messages."""
        message = {"message_id": where.take_message_id(), **fields}
        message.setdefault("chat", where.json())
        message.setdefault("date", int(time.time()))
        where.messages[message["message_id"]] = message
        return message

    def user_message(
        self,
        text: str,
        user_id: int = 1001,
        chat_id: int | None = None,
        *,
        first_name: str = "Ada",
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "en",
        chat_type: str | None = None,
        reply_to_message_id: int | None = None,
    ) -> JSON:
        """Queue a text message from a user (private chat unless ``chat_id`` says otherwise).

        A leading ``/command`` or ``/command@botname`` gets its bot_command entity.
        """
        return self._from_user(
            {"text": text},
            text,
            user_id,
            chat_id,
            user={"first_name": first_name, "last_name": last_name, "username": username}
            | {"language_code": language_code},
            chat_type=chat_type,
            reply_to_message_id=reply_to_message_id,
        )

    def user_photo(
        self,
        caption: str | None = None,
        user_id: int = 1001,
        chat_id: int | None = None,
        *,
        first_name: str = "Ada",
        language_code: str | None = "en",
        reply_to_message_id: int | None = None,
        content: bytes = b"",
    ) -> JSON:
        """Queue a photo from a user, with a caption if given (a leading ``/command`` gets its
        bot_command caption entity). Its file id can be sent again by id, as on Telegram."""
        fields: JSON = {"photo": self._files.resolve("photo", {"content": content})}
        if caption is not None:
            fields["caption"] = caption
        return self._from_user(
            fields,
            caption or "",
            user_id,
            chat_id,
            user={"first_name": first_name, "language_code": language_code},
            reply_to_message_id=reply_to_message_id,
            entities_key="caption_entities",
        )

    def _from_user(
        self,
        fields: JSON,
        words: str,
        user_id: int,
        chat_id: int | None,
        *,
        user: JSON,
        chat_type: str | None = None,
        reply_to_message_id: int | None = None,
        entities_key: str = "entities",
    ) -> JSON:
        with self._lock:
            sender = self._remember_user(user_id, **user)
            chat = self._chat(user_id if chat_id is None else chat_id)
            if chat_type is not None:
                chat.type = chat_type
            if chat.type == "private" and chat.id == user_id:
                chat.first_name, chat.username = user["first_name"], user.get("username")
            fields = {"from": sender, "chat": chat.json(), **fields}
            match = _COMMAND_RE.match(words)
            if match:
                length = utf16_len(match.group())
                fields[entities_key] = [{"type": "bot_command", "offset": 0, "length": length}]
            if reply_to_message_id is not None and reply_to_message_id in chat.messages:
                fields["reply_to_message"] = chat.messages[reply_to_message_id]
            message = self._incoming(chat, **fields)
        return self.push_update({"message": message})

    def callback_query(
        self,
        data: str,
        user_id: int = 1001,
        message_chat_id: int | None = None,
        message_id: int | None = None,
        *,
        first_name: str = "Ada",
    ) -> JSON:
        """Queue a button press on a bot message (default: the bot's latest in that chat)."""
        with self._lock:
            user = self._users.get(user_id) or self._remember_user(user_id, first_name)
            chat = self._chat(user_id if message_chat_id is None else message_chat_id)
            if message_id is None:
                message_id = chat.last_bot_message_id
            query: JSON = {
                "id": str(next(self._query_ids)),
                "from": user,
                "chat_instance": str(abs(chat.id) * 7919),
                "data": data,
            }
            if message_id is not None:
                # A deleted or unknown message is delivered as an InaccessibleMessage.
                query["message"] = chat.messages.get(message_id) or {
                    "chat": chat.json(),
                    "message_id": message_id,
                    "date": 0,
                }
        return self.push_update({"callback_query": query})

    def inline_query(
        self,
        query: str,
        user_id: int = 1001,
        offset: str = "",
        *,
        first_name: str = "Ada",
        chat_type: str = "private",
    ) -> JSON:
        """Queue an inline query typed by ``user_id``."""
        with self._lock:
            user = self._users.get(user_id) or self._remember_user(user_id, first_name)
            inline = {
                "id": str(next(self._query_ids)),
                "from": user,
                "query": query,
                "offset": offset,
                "chat_type": chat_type,
            }
        return self.push_update({"inline_query": inline})

    def my_chat_member(
        self,
        chat_id: int,
        chat_type: str | None = None,
        old_status: str = "left",
        new_status: str = "member",
        by_user_id: int = 1001,
        *,
        title: str | None = None,
    ) -> JSON:
        """Queue the bot's own membership change (added to / removed from a group or channel)."""
        with self._lock:
            chat = self.set_chat(chat_id, chat_type, title)
            chat.members[self.bot_user["id"]] = new_status
            by = self._users.get(by_user_id) or self._remember_user(by_user_id, "Ada")
            change = {
                "chat": chat.json(),
                "from": by,
                "date": int(time.time()),
                "old_chat_member": member_json(self.bot_user, old_status),
                "new_chat_member": member_json(self.bot_user, new_status),
            }
        return self.push_update({"my_chat_member": change})

    def chat_migration(self, old_id: int, new_id: int, *, apply: bool = True) -> JSON:
        """Queue the service message ``migrate_to_chat_id`` in the old group.

        With ``apply`` the old id also starts failing with ChatMigrated (see ``migrate``).
        """
        with self._lock:
            chat = self.set_chat(old_id, "group")
            message = self._incoming(chat, migrate_to_chat_id=new_id)
            if apply:
                self.migrate(old_id, new_id)
        return self.push_update({"message": message})

    def channel_post(
        self, chat_id: int, text: str, *, title: str = "News", username: str | None = None
    ) -> JSON:
        """Queue a post in a channel the bot is a member of."""
        with self._lock:
            chat = self.set_chat(chat_id, "channel", title, username=username)
            message = self._incoming(chat, sender_chat=chat.json(), text=text)
        return self.push_update({"channel_post": message})
