"""Bot API methods about the bot itself, chats, members, callback and inline queries."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable

from .faults import ApiError
from .jsontypes import JSON
from .media import FileRegistry
from .state import ChatState, member_json, user_json

__all__ = ["MethodsMixin"]

_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")
_QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"


def _scope_key(params: JSON) -> tuple[str, str]:
    scope = params.get("scope") or {"type": "default"}
    return json.dumps(scope, sort_keys=True), params.get("language_code") or ""


class MethodsMixin:
    """getMe, commands, descriptions, chats and queries; state lives in FakeBotAPI."""

    bot_user: JSON
    _lock: threading.RLock
    _users: dict[int, JSON]
    _usernames: dict[str, int]
    _open_queries: set[str]
    _target_chat: Callable[..., ChatState]  # FakeBotAPI._target_chat(params, key="chat_id")

    def _init_methods(self) -> None:
        self._files = FileRegistry()
        self.commands: dict[tuple[str, str], list[JSON]] = {}  # (scope JSON, language) -> list
        self.descriptions: dict[tuple[str, str], str] = {}  # (kind, language) -> text
        self.default_menu_button: JSON = {"type": "default"}

    def _api_getMe(self, p: JSON) -> JSON:
        return dict(
            self.bot_user,
            can_join_groups=True,
            can_read_all_group_messages=False,
            supports_inline_queries=True,
            can_connect_to_business=False,
            has_main_web_app=False,
        )

    def _api_logOut(self, p: JSON) -> bool:
        return True

    def _api_close(self, p: JSON) -> bool:
        return True

    def _api_setMyCommands(self, p: JSON) -> bool:
        commands = p.get("commands")
        if not isinstance(commands, list):
            raise ApiError(400, "Bad Request: can't parse commands JSON object")
        if len(commands) > 100:
            raise ApiError(400, "Bad Request: BOT_COMMANDS_TOO_MUCH")
        cleaned = []
        for item in commands:
            command = str(item.get("command", "")).lstrip("/").lower()
            if not _COMMAND_RE.fullmatch(command):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            description = str(item.get("description", ""))
            if not 1 <= len(description) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
            cleaned.append({"command": command, "description": description})
        self.commands[_scope_key(p)] = cleaned
        return True

    def _api_getMyCommands(self, p: JSON) -> list[JSON]:
        return list(self.commands.get(_scope_key(p), []))

    def _api_deleteMyCommands(self, p: JSON) -> bool:
        self.commands.pop(_scope_key(p), None)
        return True

    def _set_text(self, kind: str, p: JSON, limit: int) -> bool:
        value = p.get(kind) or ""
        if len(value) > limit:
            raise ApiError(400, f"Bad Request: bot {kind.replace('_', ' ')} is too long")
        self.descriptions[(kind, p.get("language_code") or "")] = value
        return True

    def _get_text(self, kind: str, p: JSON) -> JSON:
        return {kind: self.descriptions.get((kind, p.get("language_code") or ""), "")}

    def _api_setMyDescription(self, p: JSON) -> bool:
        return self._set_text("description", p, 512)

    def _api_getMyDescription(self, p: JSON) -> JSON:
        return self._get_text("description", p)

    def _api_setMyShortDescription(self, p: JSON) -> bool:
        return self._set_text("short_description", p, 120)

    def _api_getMyShortDescription(self, p: JSON) -> JSON:
        return self._get_text("short_description", p)

    def _api_setMyName(self, p: JSON) -> bool:
        return self._set_text("name", p, 64)

    def _api_getMyName(self, p: JSON) -> JSON:
        return self._get_text("name", p)

    def _api_setChatMenuButton(self, p: JSON) -> bool:
        button = p.get("menu_button") or {"type": "default"}
        if p.get("chat_id") is None:
            self.default_menu_button = button
        else:
            self._target_chat(p).menu_button = button
        return True

    def _api_getChatMenuButton(self, p: JSON) -> JSON:
        if p.get("chat_id") is None:
            return self.default_menu_button
        return self._target_chat(p).menu_button or self.default_menu_button

    def _api_getFile(self, p: JSON) -> JSON:
        return self._files.file(p.get("file_id"))

    def download_file(self, url: str) -> bytes | None:
        """The content at a /file/bot<token>/<path> URL, None when there is none."""
        _, _, rest = url.partition("/file/bot")
        _, _, path = rest.partition("/")
        with self._lock:
            return self._files.download(path)

    def _api_getChat(self, p: JSON) -> JSON:
        chat_id = p.get("chat_id")
        if isinstance(chat_id, str) and chat_id.lstrip("@").lower() not in self._usernames:
            raise ApiError(400, "Bad Request: chat not found")  # as Telegram: no such username
        return self._target_chat(p).full_json()

    def _user(self, user_id: int) -> JSON:
        if user_id == self.bot_user["id"]:
            return self.bot_user
        return self._users.get(user_id) or user_json(user_id)

    def _api_getChatMember(self, p: JSON) -> JSON:
        chat = self._target_chat(p)
        user_id = p.get("user_id")
        if not isinstance(user_id, int):
            raise ApiError(400, "Bad Request: user not found")
        return member_json(self._user(user_id), chat.members.get(user_id, "member"))

    def _api_getChatAdministrators(self, p: JSON) -> list[JSON]:
        chat = self._target_chat(p)
        if chat.type == "private":
            raise ApiError(400, "Bad Request: there are no administrators in the private chat")
        return [
            member_json(self._user(user_id), status)
            for user_id, status in chat.members.items()
            if status in ("creator", "administrator")
        ]

    def _api_getChatMemberCount(self, p: JSON) -> int:
        chat = self._target_chat(p)
        if chat.type == "private":
            return 2
        present = [s for s in chat.members.values() if s not in ("left", "kicked")]
        return max(len(present), 1)

    def _api_leaveChat(self, p: JSON) -> bool:
        self._target_chat(p).members[self.bot_user["id"]] = "left"
        return True

    def _api_answerCallbackQuery(self, p: JSON) -> bool:
        query_id = str(p.get("callback_query_id", ""))
        if query_id not in self._open_queries:
            raise ApiError(400, _QUERY_TOO_OLD)
        if len(p.get("text") or "") > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        self._open_queries.discard(query_id)  # a second answer is refused, as on Telegram
        return True

    def _api_answerInlineQuery(self, p: JSON) -> bool:
        query_id = str(p.get("inline_query_id", ""))
        if query_id not in self._open_queries:
            raise ApiError(400, _QUERY_TOO_OLD)
        results = p.get("results")
        if not isinstance(results, list):
            raise ApiError(400, "Bad Request: can't parse results JSON object")
        if len(results) > 50:
            raise ApiError(400, "Bad Request: RESULTS_TOO_MUCH")
        ids = [str(r.get("id")) for r in results if isinstance(r, dict)]
        if len(set(ids)) != len(results):
            raise ApiError(400, "Bad Request: RESULT_ID_DUPLICATE")
        self._open_queries.discard(query_id)
        return True
