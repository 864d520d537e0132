"""`newsbot demo`: the bot, a sample archive and a chat in the terminal, without Telegram.

The real Application polls the project's own fake Bot API (bot/fakeapi) over loopback HTTP,
with the real sender; the person at the keyboard is a Telegram user of that fake. What the bot
sends, edits and answers is shown as readable text, its buttons numbered: typing a number
presses one, anything else is a message to the bot.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any, TextIO

from bot.fakeapi import Call, FakeBotAPI, FakeBotAPIServer
from digests.config import Settings
from digests.editions.preview import to_terminal

DEMO_TOKEN = "123456:DEMO-newsbot-demo"
DEMO_USER = 4242  # the person at the keyboard, an owner of the demo bot (so /desk works)
DEMO_NAME = "You"
QUIT = ("/quit", "/exit")
# What the bot does that a reader sees; the rest (getUpdates, setMyCommands…) is plumbing.
SHOWN = re.compile(r"^(send(?!ChatAction)\w+|editMessage\w+|answerCallbackQuery|deleteMessages?)$")
PUB_DATE = re.compile(rb"<pubDate>([^<]+)</pubDate>")

INTRO = """\
newsbot demo: the bot runs here against a local stand-in for Telegram, with a sample archive.
You are a Telegram user called "You" and an owner of this bot, so the desk's commands work too.
Type /start, /topics, /digest, /search tram, /settings, /desk … ; a number presses that button;
/quit (or Ctrl-D) leaves. Nothing is sent to Telegram and nothing is kept afterwards.
"""


def fresh_sample(feed: bytes, now: datetime) -> bytes:
    """The sample feed re-dated so that its newest story is an hour old, whenever it is run."""
    dates = [parsedate_to_datetime(m.decode()) for m in PUB_DATE.findall(feed)]
    if not dates:
        return feed
    shift = now - timedelta(hours=1) - max(dates)

    def redate(match: re.Match[bytes]) -> bytes:
        when = parsedate_to_datetime(match.group(1).decode()) + shift
        return b"<pubDate>" + format_datetime(when).encode() + b"</pubDate>"

    return PUB_DATE.sub(redate, feed)


@dataclass(frozen=True)
class Button:
    """A pressable button under one of the bot's messages."""

    label: str
    data: str
    message_id: int


@dataclass
class TerminalChat:
    """The person's side of the chat: what they type becomes updates; what the bot does, text."""

    api: FakeBotAPI
    out: TextIO
    ansi: bool = False
    seen: int = 0  # calls already shown
    buttons: list[Button] = field(default_factory=list)

    def say(self, line: str) -> bool:
        """A number presses that button; anything else is a message. Whether the bot got it."""
        text = line.strip()
        if text.isdigit() and self.buttons:
            number = int(text)
            if not 1 <= number <= len(self.buttons):
                self._print(f"(there are buttons 1 to {len(self.buttons)})")
                return False
            button = self.buttons[number - 1]
            self._print(f"(you press “{button.label}”)")
            self.api.callback_query(
                button.data, user_id=DEMO_USER, message_id=button.message_id, first_name=DEMO_NAME
            )
            return True
        self.api.user_message(text, user_id=DEMO_USER, first_name=DEMO_NAME)
        return True

    def show_new(self) -> int:
        """Print what the bot did since the last look; how many calls that was (shown or not,
        getUpdates aside: an answer to a button without a word is an answer too)."""
        calls = self.api.calls
        done = 0
        while self.seen < len(calls) and calls[self.seen].response is not None:
            call = calls[self.seen]
            self.seen += 1
            if call.method != "getUpdates":
                done += 1
            if SHOWN.match(call.method) and (call.response or {}).get("ok"):
                self._show(call)
        return done

    async def settle(self, *, silence: float = 5.0, quiet: float = 0.7) -> None:
        """Wait for the bot's answer: until nothing new for `quiet` seconds after it began,
        or for `silence` seconds if the bot does nothing at all."""
        loop = asyncio.get_running_loop()
        answered, last = False, loop.time()
        while loop.time() - last < (quiet if answered else silence):
            await asyncio.sleep(0.05)
            if self.show_new():
                answered, last = True, loop.time()

    async def watch(self, out: TextIO) -> None:
        """While the person is typing: show what arrives (a scheduled digest, an alert)."""
        while True:
            await asyncio.sleep(0.3)
            if self.show_new():
                out.write("\nyou> ")
                out.flush()

    def _show(self, call: Call) -> None:
        params, method = call.params, call.method
        if method == "answerCallbackQuery":
            if params.get("text"):
                kind = "pop-up" if params.get("show_alert") else "notice"
                self._print(f"newsbot ({kind}): {params['text']}")
            return
        if method.startswith("delete"):
            self._print("(newsbot deleted a message)")
            return
        result = call.response["result"] if isinstance(call.response, dict) else None
        message_id = result.get("message_id") if isinstance(result, dict) else None
        message_id = message_id or params.get("message_id")
        body = params.get("text") or params.get("caption") or ""
        if body and params.get("parse_mode") == "HTML":
            body = to_terminal(str(body), ansi=self.ansi)
        media = method.removeprefix("send").lower() if method.startswith("send") else ""
        head = "newsbot" if method.startswith("send") else "newsbot (edits its message)"
        if media and media != "message":
            head += f" [{media}]"
        self._print(f"{head}:\n{_indent(str(body))}" if body else head)
        self._show_buttons(params.get("reply_markup"), message_id)

    def _show_buttons(self, markup: Any, message_id: Any) -> None:
        if isinstance(markup, str):
            with contextlib.suppress(ValueError):
                markup = json.loads(markup)
        rows = markup.get("inline_keyboard") if isinstance(markup, dict) else None
        if not rows or not isinstance(message_id, int):
            return
        self.buttons = []
        for row in rows:
            cells = []
            for button in row:
                label = str(button.get("text", ""))
                if "callback_data" in button:
                    self.buttons.append(Button(label, button["callback_data"], message_id))
                    cells.append(f"[{len(self.buttons)}] {label}")
                elif "url" in button:
                    cells.append(f"[link] {label} → {button['url']}")
                else:
                    cells.append(f"[–] {label}")
            self._print("    " + "   ".join(cells))

    def _print(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()


def _indent(text: str) -> str:
    return "\n".join("  " + line if line else "" for line in text.splitlines())


async def chat_in_terminal(
    settings: Settings,
    api: FakeBotAPI,
    read_line: Callable[[], str],
    out: TextIO,
    *,
    ansi: bool,
    echoed: bool,
) -> None:
    """Run the bot against `api` on loopback HTTP and relay the person's lines until /quit.

    `echoed`: the terminal shows what the person types (else each line is written out).
    """
    from telegram import Update

    from bot.app import build_application, stop_sender

    async with contextlib.AsyncExitStack() as stack:
        server = await stack.enter_async_context(FakeBotAPIServer(api, token=DEMO_TOKEN))
        application = build_application(
            settings.model_copy(update={"telegram_api_base_url": server.base_url})
        )
        # The order of bot/serve.py, without its signals, health server and polling lock.
        await application.initialize()
        stack.push_async_callback(application.shutdown)
        assert application.post_init is not None and application.post_shutdown is not None
        stack.push_async_callback(application.post_shutdown, application)
        await application.post_init(application)
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(allowed_updates=Update.ALL_TYPES, timeout=1)
        chat = TerminalChat(api, out, ansi=ansi)
        chat.seen = len(api.calls)  # start-up calls are not the person's business
        out.write(INTRO)
        try:
            await _converse(chat, read_line, out, echoed=echoed)
        finally:
            await application.updater.stop()
            await asyncio.gather(application.stop(), stop_sender(application))


async def _converse(
    chat: TerminalChat, read_line: Callable[[], str], out: TextIO, *, echoed: bool
) -> None:
    while True:
        chat.show_new()  # a scheduled digest may have come while the person was typing
        out.write("\nyou> ")
        out.flush()
        watching = asyncio.create_task(chat.watch(out))
        try:
            line = await asyncio.to_thread(read_line)
        finally:
            watching.cancel()
        if not line:  # end of input
            out.write("\n")
            return
        if not echoed:  # piped input: show what was "typed", so the transcript reads right
            out.write(line if line.endswith("\n") else line + "\n")
        if not line.strip():
            continue
        if line.strip().lower() in QUIT:
            return
        if chat.say(line):
            await chat.settle()
