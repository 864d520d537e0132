"""FakeBotAPI: the Bot API's behaviour as in-memory state, independent of any transport."""

from __future__ import annotations

import asyncio
import functools
import random
import threading
import time
from bisect import bisect_left
from collections import defaultdict, deque
from collections.abc import Callable
from typing import Any

from .editing import EditingMixin
from .faults import (
    ApiError,
    Blocked,
    Delay,
    Disconnect,
    Fault,
    FaultLike,
    FaultRule,
    InjectedDisconnect,
    InjectedTimeout,
    Kicked,
    Migrated,
    ServerError,
    Timeout,
    error_body,
    make_fault,
)
from .jsontypes import JSON
from .media import MEDIA_KINDS
from .messages import MessagesMixin
from .methods import MethodsMixin
from .params import normalize_params
from .state import Call, ChatState, infer_chat_type, user_json
from .updates import UpdatesMixin
from .waiting import Notifier, WaitingMixin

__all__ = ["FakeBotAPI"]

_NOT_FOUND = error_body(404, "Not Found")
# A Bot API method: the decoded params in, the "result" of its answer out.
MethodHandler = Callable[[JSON], object]
# Methods that deliver something to a chat, hence fail when the bot is blocked there.
_DELIVERING_PREFIXES = ("send", "copymessage", "forwardmessage", "editmessage")


# The methods that send (or change) a message: what the per-second limits count.
MESSAGE_METHOD_PREFIXES = ("send", "edit", "copy", "forward", "deletemessage")


class FakeBotAPI(MessagesMixin, EditingMixin, MethodsMixin, UpdatesMixin, WaitingMixin):
    """In-memory Bot API. Thread-safe: transports may run in another thread than the test."""

    def __init__(
        self,
        *,
        bot_id: int = 7_000_000_001,
        username: str = "newsbot_test_bot",
        first_name: str = "NewsBot",
        strict_html: bool = True,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.clock = clock  # stamps each Call's `at`; a test may pass the sender's clock
        self.bot_user = user_json(bot_id, first_name, username=username, is_bot=True)
        self.strict_html = strict_html  # see telegram_html: reject a bare "&"
        self.calls: list[Call] = []
        self._calls_by_method: defaultdict[str, list[Call]] = defaultdict(list)
        self._sent: list[JSON] = []
        self._chats: dict[int, ChatState] = {}
        self._usernames: dict[str, int] = {}
        self._users: dict[int, JSON] = {}
        self._rules: list[FaultRule] = []
        self._lock = threading.RLock()
        self._calls_changed = Notifier()
        self._updates_changed = Notifier()
        self._updates: deque[JSON] = deque()
        self._next_update_id = 1
        self._handlers: dict[str, tuple[str, MethodHandler]] = {}
        for attr in dir(self):
            if attr.startswith("_api_"):
                name = attr[5:]
                self._handlers[name.lower()] = (name, getattr(self, attr))
        for name in MEDIA_KINDS:  # sendPhoto, sendDocument, ...: one handler for all
            self._handlers[name.lower()] = (name, functools.partial(self._send_media, method=name))
        MethodsMixin._init_methods(self)
        UpdatesMixin._init_updates(self)

    # ----------------------------------------------------------------- configuration
    def set_chat(
        self,
        chat_id: int,
        type: str | None = None,
        title: str | None = None,
        *,
        username: str | None = None,
        first_name: str | None = None,
        is_forum: bool | None = None,
    ) -> ChatState:
        """Create or update a chat; unset fields keep their (inferred) values."""
        with self._lock:
            chat = self._chat(chat_id)
            for key, value in (
                ("type", type),
                ("title", title),
                ("first_name", first_name),
                ("is_forum", is_forum),
            ):
                if value is not None:
                    setattr(chat, key, value)
            if username is not None:
                chat.username = username
                self._usernames[username.lower()] = chat.id
            return chat

    def create_forum_topic(self, chat_id: int) -> int:
        """Make ``chat_id`` a forum supergroup with one more open thread; its thread id."""
        with self._lock:
            chat = self.set_chat(chat_id, "supergroup", is_forum=True)
            thread_id = chat.take_message_id()  # a thread's id is its first message's
            chat.threads[thread_id] = True
            return thread_id

    def close_forum_topic(self, chat_id: int, thread_id: int, *, delete: bool = False) -> None:
        """Close a thread (sends answer TOPIC_CLOSED) or delete it (message thread not found)."""
        with self._lock:
            threads = self._chat(chat_id).threads
            if delete:
                threads.pop(thread_id, None)
            else:
                threads[thread_id] = False

    def set_member(self, chat_id: int, user_id: int, status: str) -> None:
        """Set what getChatMember answers for ``user_id`` in ``chat_id`` (default "member")."""
        with self._lock:
            self._chat(chat_id).members[user_id] = status

    def block(self, chat_id: int, fault: Fault | None = None) -> None:
        """Make every delivery to ``chat_id`` fail: 403 blocked (users) or kicked (groups)."""
        with self._lock:
            chat = self._chat(chat_id)
            chat.blocked = fault or (Blocked() if chat.type == "private" else Kicked(chat.type))

    def unblock(self, chat_id: int) -> None:
        """Undo ``block``."""
        with self._lock:
            self._chat(chat_id).blocked = None

    def migrate(self, chat_id: int, new_chat_id: int) -> None:
        """Upgrade a group: calls on the old id fail with ChatMigrated, the new id works."""
        with self._lock:
            old = self._chat(chat_id)
            old.migrated_to = new_chat_id
            self.set_chat(new_chat_id, "supergroup", old.title)

    def fail_next(
        self,
        n: int = 1,
        fault: FaultLike | None = None,
        *,
        method: str | None = None,
        chat_id: int | str | None = None,
    ) -> None:
        """Answer the next ``n`` matching calls with ``fault`` (default ServerError()).

        With ``method=None`` any method but getUpdates matches (a polling bot would
        otherwise swallow the fault); pass ``method="getUpdates"`` to target polling.
        """
        rule = FaultRule(fault or ServerError(), method and method.lower(), chat_id, n)
        with self._lock:
            self._rules.append(rule)

    def fail_rate(
        self,
        fault: FaultLike,
        rate: float,
        *,
        method: str | None = None,
        chat_id: int | str | None = None,
        seed: int | None = 0,
    ) -> None:
        """Answer each matching call with ``fault`` with probability ``rate`` (seeded RNG)."""
        rule = FaultRule(fault, method and method.lower(), chat_id, None, rate, random.Random(seed))
        with self._lock:
            self._rules.append(rule)

    def clear_faults(self) -> None:
        """Drop all pending ``fail_next`` and ``fail_rate`` rules."""
        with self._lock:
            self._rules.clear()

    # --------------------------------------------------------------------- inspection
    def calls_to(self, method: str) -> list[Call]:
        """Recorded calls of ``method`` (case-insensitive), oldest first."""
        return list(self._calls_by_method.get(method.lower(), ()))

    def most_in_any_window(self, window: float = 1.0, *, chat_id: int | None = None) -> int:
        """The most message-sending calls that arrived in any window [t, t + window).

        What Telegram's limits count: messages sent, edited, copied, forwarded or deleted,
        stamped on arrival; `chat_id` counts one chat's only. Sliding, not per clock second.
        """
        with self._lock:
            times = sorted(
                call.at
                for call in self.calls
                if call.method.lower().startswith(MESSAGE_METHOD_PREFIXES)
                and (chat_id is None or str(call.params.get("chat_id")) == str(chat_id))
            )
        return max((bisect_left(times, t + window) - i for i, t in enumerate(times)), default=0)

    def clear_calls(self) -> None:
        """Forget recorded calls (not messages or chat state)."""
        with self._lock:
            self.calls.clear()
            self._calls_by_method.clear()

    def sent_messages(self, chat_id: int | None = None) -> list[JSON]:
        """Records of messages the bot sent (to ``chat_id`` or anywhere), oldest first.

        Each record is the decoded request params (raw ``text``/``caption``,
        ``parse_mode``, ``reply_markup``, ...) plus ``method``, ``chat_id`` (int),
        ``message_id``, ``date`` and ``plain_text`` (text after entity parsing).
        """
        return list(self._sent_list(chat_id))

    def message(self, chat_id: int, message_id: int) -> JSON | None:
        """The current Message JSON (after edits), or None if deleted or unknown."""
        chat = self._chats.get(chat_id)
        return None if chat is None else chat.messages.get(message_id)

    def was_deleted(self, chat_id: int, message_id: int) -> bool:
        """Whether the bot deleted that message."""
        chat = self._chats.get(chat_id)
        return chat is not None and message_id in chat.deleted

    def chat(self, chat_id: int) -> ChatState:
        """The mutable state of a chat (created with inferred type if unknown)."""
        with self._lock:
            return self._chat(chat_id)

    def _sent_list(self, chat_id: Any) -> list[JSON]:
        if chat_id is None:
            return self._sent
        chat = self._chats.get(chat_id)
        return chat.sent if chat is not None else []

    # ----------------------------------------------------------------------- dispatch
    def handle(self, method: str, params: JSON) -> JSON:
        """Answer one Bot API call with its full JSON body; transport faults raise."""
        call, early = self._begin(method, params)
        if isinstance(early, Delay):
            early = None  # a synchronous caller cannot be delayed
        return early if early is not None else self._finish(call)

    async def handle_async(
        self, method: str, params: JSON, *, max_poll: float | None = None
    ) -> JSON:
        """Like ``handle``, but getUpdates long-polls (up to ``max_poll`` s) and Delay sleeps."""
        call, early = self._begin(method, params)
        if isinstance(early, Delay):
            await asyncio.sleep(early.seconds)
            early = None
        if early is not None:
            return early
        if call.method == "getUpdates" and call.response is None:
            timeout = call.params.get("timeout") or 0
            if isinstance(timeout, int | float) and timeout > 0:
                if max_poll is not None:
                    timeout = min(timeout, max_poll)
                offset = call.params.get("offset")
                await self._updates_changed.wait_until(lambda: self._has_updates(offset), timeout)
        return self._finish(call)

    def _begin(self, method: str, params: JSON) -> tuple[Call, JSON | Delay | None]:
        """Record the call; return (call, early answer: error body, Delay or None)."""
        name, _ = self._handlers.get(method.lower(), (method, None))
        call = Call(name, dict(params), self.clock())
        early: JSON | Delay | None = None
        with self._lock:
            self.calls.append(call)
            self._calls_by_method[name.lower()].append(call)
            try:
                call.params = normalize_params(params)
            except ApiError as exc:
                call.response = early = exc.body()
            else:
                fault = call.fault = self._pick_fault(name.lower(), call.params.get("chat_id"))
                if isinstance(fault, Delay):
                    early = fault
                elif isinstance(fault, Timeout | Disconnect):
                    # No HTTP answer will exist; a marker lets wait_for() see the call.
                    call.response = error_body(0, f"<no response: {type(fault).__name__}>")
                elif fault is not None:
                    call.response = early = fault.body()
        self._calls_changed.notify()
        if isinstance(call.fault, Timeout):
            raise InjectedTimeout(call.fault)
        if isinstance(call.fault, Disconnect):
            raise InjectedDisconnect(call.fault)
        return call, early

    def _pick_fault(self, method_lower: str, chat_id: Any) -> Fault | None:
        for rule in self._rules:
            if rule.matches(method_lower, chat_id) and rule.fire():
                if rule.remaining == 0:
                    self._rules.remove(rule)
                return make_fault(rule.fault)
        if chat_id is None:
            return None
        if isinstance(chat_id, str):
            chat_id = self._usernames.get(chat_id.lstrip("@").lower())
        chat = self._chats.get(chat_id)
        if chat is None:
            return None
        if chat.migrated_to is not None:
            return Migrated(chat.migrated_to)
        if chat.blocked is not None and method_lower.startswith(_DELIVERING_PREFIXES):
            return chat.blocked
        return None

    def _finish(self, call: Call) -> JSON:
        with self._lock:
            entry = self._handlers.get(call.method.lower())
            if entry is None:
                body = _NOT_FOUND
            else:
                try:
                    body = {"ok": True, "result": entry[1](call.params)}
                except ApiError as exc:
                    body = exc.body()
            call.response = body
        self._calls_changed.notify()
        return body

    # ---------------------------------------------------------------------- helpers
    def _chat(self, chat_id: int | str) -> ChatState:
        """Find or create a chat; ``@username`` resolves to a (new) channel."""
        if isinstance(chat_id, str):
            key = chat_id.lstrip("@").lower()
            if key not in self._usernames:
                new_id = -1_001_000_000_000 - len(self._usernames) - 1
                self._chats[new_id] = ChatState(
                    new_id, "channel", chat_id.lstrip("@"), username=chat_id.lstrip("@")
                )
                self._usernames[key] = new_id
            return self._chats[self._usernames[key]]
        chat = self._chats.get(chat_id)
        if chat is None:
            chat = self._chats[chat_id] = ChatState(chat_id, infer_chat_type(chat_id))
            user = self._users.get(chat_id)
            if user is not None:
                chat.first_name, chat.username = user["first_name"], user.get("username")
        return chat

    def _target_chat(self, params: JSON, key: str = "chat_id") -> ChatState:
        """The chat a method addresses, with Telegram's errors for bad ids."""
        chat_id = params.get(key)
        if chat_id is None or chat_id == "":
            raise ApiError(400, f"Bad Request: {key} is empty")
        if isinstance(chat_id, str) and not chat_id.startswith("@"):
            raise ApiError(400, "Bad Request: chat not found")
        return self._chat(chat_id)
