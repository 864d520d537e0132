"""Tests of the fake Bot API itself: what tests built on it rely on."""

from __future__ import annotations

import asyncio
import datetime as dtm
import struct
import time
import zlib
from collections.abc import AsyncIterator

import pytest
import telegram
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import Application, ApplicationBuilder, CommandHandler, ContextTypes
from telegram.request import HTTPXRequest

from bot.fakeapi import (
    Blocked,
    ChatNotFound,
    Deactivated,
    Delay,
    Disconnect,
    EntityParseError,
    FakeBotAPI,
    FakeBotAPIServer,
    FloodWait,
    Kicked,
    Migrated,
    RecordingRequest,
    ServerError,
    Timeout,
    bot_for,
    parse_telegram_html,
    parse_telegram_html_entities,
    utf16_len,
)

TOKEN = "123456:fake-token"
USER = 1001
GROUP = -4000000001


@pytest.fixture(autouse=True)
def _timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    # PTB 22 warns when RetryAfter.retry_after is read as an int; opt in to timedelta.
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture
def api() -> FakeBotAPI:
    return FakeBotAPI()


@pytest.fixture
async def bot(api: FakeBotAPI) -> AsyncIterator[telegram.Bot]:
    async with bot_for(api, TOKEN) as bot:
        yield bot


def png(width: int = 3, height: int = 2) -> bytes:
    """A minimal valid PNG of the given size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\0" + b"\0" * width for _ in range(height)))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


# ------------------------------------------------------------------ in-process transport
async def test_bot_sends_a_message_and_gets_a_message_back(
    api: FakeBotAPI, bot: telegram.Bot
) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Open", callback_data="open:1")]])
    message = await bot.send_message(
        USER,
        "<b>Hello</b> &amp; welcome",
        parse_mode="HTML",
        reply_markup=keyboard,
        disable_notification=True,
    )
    assert isinstance(message, telegram.Message)
    assert message.chat.id == USER and message.chat.type == "private"
    assert message.text == "Hello & welcome"
    assert message.entities[0].type == "bold" and message.entities[0].length == 5
    assert message.reply_markup == keyboard
    assert message.from_user.id == api.bot_user["id"] and message.from_user.is_bot

    [sent] = api.sent_messages(USER)
    assert sent["text"] == "<b>Hello</b> &amp; welcome"  # as the bot sent it
    assert sent["plain_text"] == "Hello & welcome"
    assert sent["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "open:1"
    assert sent["disable_notification"] is True
    assert sent["message_id"] == message.message_id
    assert [c.method for c in api.calls] == ["getMe", "sendMessage"]
    assert api.calls_to("sendmessage")[0].params["chat_id"] == USER


async def test_message_ids_increase_per_chat_and_chat_types_are_inferred(
    bot: telegram.Bot,
) -> None:
    first = await bot.send_message(USER, "a")
    second = await bot.send_message(USER, "b")
    group = await bot.send_message(GROUP, "c")
    supergroup = await bot.send_message(-1001234567890, "d")
    assert (first.message_id, second.message_id, group.message_id) == (1, 2, 1)
    assert (group.chat.type, supergroup.chat.type) == ("group", "supergroup")


@pytest.mark.parametrize(
    ("fault", "exc_type", "check"),
    [
        (FloodWait(7), RetryAfter, lambda e: e.retry_after == dtm.timedelta(seconds=7)),
        (Blocked(), Forbidden, lambda e: "blocked by the user" in e.message),
        (Kicked(), Forbidden, lambda e: "kicked from the group chat" in e.message),
        (Deactivated(), Forbidden, lambda e: "deactivated" in e.message),
        (ChatNotFound(), BadRequest, lambda e: e.message == "Chat not found"),
        (Migrated(-1009999), ChatMigrated, lambda e: e.new_chat_id == -1009999),
        (ServerError(502), NetworkError, lambda e: e.message == "Bad Gateway"),
        (Timeout(), TimedOut, lambda e: True),
        (Disconnect(), NetworkError, lambda e: "Connection reset" in e.message),
    ],
)
async def test_each_fault_surfaces_as_the_ptb_exception(
    api: FakeBotAPI, bot: telegram.Bot, fault, exc_type, check
) -> None:
    api.fail_next(fault=fault, method="sendMessage")
    with pytest.raises(exc_type) as info:
        await bot.send_message(USER, "hi")
    assert type(info.value) is exc_type and check(info.value)
    assert api.calls_to("sendMessage")[-1].fault is fault
    assert (await bot.send_message(USER, "again")).text == "again"  # consumed once


async def test_fail_next_matches_method_and_chat_and_skips_get_updates(
    api: FakeBotAPI, bot: telegram.Bot
) -> None:
    api.fail_next(2, Blocked(), chat_id=USER)
    await bot.get_updates()  # untargeted faults never hit polling
    await bot.send_message(USER + 1, "other chat is fine")
    for _ in range(2):
        with pytest.raises(Forbidden):
            await bot.send_message(USER, "x")
    await bot.send_message(USER, "third works")


async def test_block_migrate_and_fail_rate(api: FakeBotAPI, bot: telegram.Bot) -> None:
    api.block(USER)
    api.block(GROUP)
    with pytest.raises(Forbidden, match="blocked by the user"):
        await bot.send_message(USER, "x")
    with pytest.raises(Forbidden, match="kicked from the group"):
        await bot.send_photo(GROUP, png())
    api.unblock(USER)
    await bot.send_message(USER, "back")

    api.migrate(-4000000002, -1004000000002)
    with pytest.raises(ChatMigrated) as info:
        await bot.send_message(-4000000002, "x")
    assert info.value.new_chat_id == -1004000000002
    assert (await bot.send_message(info.value.new_chat_id, "ok")).chat.type == "supergroup"

    def count_failures(seed: int) -> int:
        fake = FakeBotAPI()
        fake.fail_rate(ServerError, 0.3, method="sendMessage", seed=seed)
        replies = [fake.handle("sendMessage", {"chat_id": 1, "text": "x"}) for _ in range(200)]
        return sum(not r["ok"] for r in replies)

    assert count_failures(1) == count_failures(1)
    assert 30 < count_failures(1) < 90


async def test_delay_fault_delays_but_succeeds(api: FakeBotAPI, bot: telegram.Bot) -> None:
    api.fail_next(fault=Delay(0.2), method="sendMessage")
    started = time.monotonic()
    assert (await bot.send_message(USER, "slow")).text == "slow"
    assert time.monotonic() - started >= 0.2


# -------------------------------------------------------------------------- HTML
ALL_TAGS = (
    "<b>b</b><strong>s</strong><i>i</i><em>e</em><u>u</u><ins>n</ins><s>s</s>"
    '<strike>k</strike><del>d</del><a href="https://example.com/?a=1&amp;b=2">a</a>'
    '<code>c</code><pre>p</pre><pre><code class="language-python">x = 1</code></pre>'
    "<blockquote>q</blockquote><blockquote expandable>x</blockquote>"
    '<tg-spoiler>t</tg-spoiler><span class="tg-spoiler">v</span>'
    '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji> &lt;&gt;&quot;&#65;&#x42;'
)


def test_html_accepts_all_allowed_tags_and_reports_entities() -> None:
    text, entities = parse_telegram_html_entities(ALL_TAGS)
    assert text == 'bsieunskdacpx = 1qxtv👍 <>"AB'
    types = [e["type"] for e in entities]
    assert types == [
        "bold",
        "bold",
        "italic",
        "italic",
        "underline",
        "underline",
        "strikethrough",
        "strikethrough",
        "strikethrough",
        "text_link",
        "code",
        "pre",
        "pre",
        "blockquote",
        "expandable_blockquote",
        "spoiler",
        "spoiler",
        "custom_emoji",
    ]
    assert entities[9]["url"] == "https://example.com/?a=1&b=2"
    assert entities[12] == {"type": "pre", "offset": 12, "length": 5, "language": "python"}
    assert entities[17]["length"] == 2  # 👍 is two UTF-16 code units


@pytest.mark.parametrize(
    ("html", "error"),
    [
        ("<div>x</div>", 'Unsupported start tag "div" at byte offset 0'),
        ("ü<br>", 'Unsupported start tag "br" at byte offset 2'),  # byte, not char, offset
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("<b>x</b", "Unclosed end tag at byte offset 4"),
        ("Tom & Jerry", 'Character "&" at byte offset 4 does not start an HTML entity'),
        ("&nbsp;", 'Character "&" at byte offset 0 does not start an HTML entity'),
    ],
)
def test_html_rejects_what_telegram_rejects(html: str, error: str) -> None:
    with pytest.raises(EntityParseError) as info:
        parse_telegram_html(html)
    assert str(info.value).startswith(error)


def test_html_bare_ampersand_is_literal_when_not_strict() -> None:
    assert parse_telegram_html("Tom & Jerry &nbsp;", strict_ampersand=False) == (
        "Tom & Jerry &nbsp;"
    )


async def test_send_message_html_errors_are_bad_requests(
    api: FakeBotAPI, bot: telegram.Bot
) -> None:
    with pytest.raises(BadRequest, match="Can't parse entities: unsupported start tag"):
        await bot.send_message(USER, "<div>news</div>", parse_mode="HTML")
    reply = api.handle("sendMessage", {"chat_id": USER, "text": "<p>x</p>", "parse_mode": "HTML"})
    assert reply == {
        "ok": False,
        "error_code": 400,
        "description": 'Bad Request: can\'t parse entities: Unsupported start tag "p" at byte '
        "offset 0",
    }
    assert api.sent_messages() == []


async def test_text_limit_counts_utf16_units_after_entity_parsing(
    api: FakeBotAPI, bot: telegram.Bot
) -> None:
    emoji = "😀"  # astral plane: two UTF-16 code units
    assert utf16_len(emoji * 2048) == 4096
    ok = await bot.send_message(USER, "<b>" + emoji * 2048 + "</b>", parse_mode="HTML")
    assert ok.text == emoji * 2048
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(USER, emoji * 2048 + "x")
    await bot.send_message(USER, "&amp;" * 4096, parse_mode="HTML")  # 4096 units once decoded
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(USER, "<b></b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match="Message caption is too long"):
        await bot.send_photo(USER, png(), caption=emoji * 513)
    assert (await bot.send_photo(USER, png(), caption=emoji * 512)).caption == emoji * 512


async def test_keyboard_and_inline_query_limits(api: FakeBotAPI, bot: telegram.Bot) -> None:
    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="d" * 65)]])
    with pytest.raises(BadRequest, match="(?i)button_data_invalid"):
        await bot.send_message(USER, "x", reply_markup=too_long)
    fits = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="é" * 32)]])
    await bot.send_message(USER, "x", reply_markup=fits)  # 64 bytes

    query = api.inline_query("news")["inline_query"]["id"]
    results = [
        telegram.InlineQueryResultArticle(str(i), f"t{i}", telegram.InputTextMessageContent("x"))
        for i in range(51)
    ]
    with pytest.raises(BadRequest, match="(?i)results_too_much"):
        await bot.answer_inline_query(query, results)
    assert await bot.answer_inline_query(query, results[:50])
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_inline_query(query, results[:1])  # answered already


async def test_edit_and_delete_keep_state(api: FakeBotAPI, bot: telegram.Bot) -> None:
    sent = await bot.send_message(USER, "v1")
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text("v1", USER, sent.message_id)
    edited = await bot.edit_message_text("<i>v2</i>", USER, sent.message_id, parse_mode="HTML")
    assert edited.text == "v2" and edited.edit_date is not None
    assert api.message(USER, sent.message_id)["text"] == "v2"
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", USER, 999)
    assert await bot.delete_message(USER, sent.message_id)
    assert api.message(USER, sent.message_id) is None and api.was_deleted(USER, sent.message_id)
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(USER, sent.message_id)


@pytest.mark.parametrize(
    ("status", "ptb_type"),
    [
        ("creator", telegram.ChatMemberOwner),
        ("administrator", telegram.ChatMemberAdministrator),
        ("member", telegram.ChatMemberMember),
        ("restricted", telegram.ChatMemberRestricted),
        ("left", telegram.ChatMemberLeft),
        ("kicked", telegram.ChatMemberBanned),
    ],
)
async def test_chat_member_statuses_parse_in_ptb(
    api: FakeBotAPI, bot: telegram.Bot, status: str, ptb_type: type
) -> None:
    api.set_member(GROUP, USER, status)
    member = await bot.get_chat_member(GROUP, USER)
    assert type(member) is ptb_type and member.user.id == USER
    if status in ("creator", "administrator"):
        assert [m.user.id for m in await bot.get_chat_administrators(GROUP)] == [USER]


async def test_other_methods_answer_like_the_bot_api(api: FakeBotAPI, bot: telegram.Bot) -> None:
    api.set_chat(GROUP, "supergroup", "Newsroom")
    chat = await bot.get_chat(GROUP)
    assert (chat.type, chat.title) == ("supergroup", "Newsroom")
    commands = [telegram.BotCommand("start", "Start"), telegram.BotCommand("digest", "Digest")]
    assert await bot.set_my_commands(commands)
    assert await bot.get_my_commands() == tuple(commands)
    assert await bot.delete_my_commands() and await bot.get_my_commands() == ()
    with pytest.raises(BadRequest, match="(?i)bot_command_invalid"):
        await bot.set_my_commands([telegram.BotCommand("no spaces", "x")])
    assert await bot.set_my_description("About")
    assert await bot.set_chat_menu_button(USER, telegram.MenuButtonCommands())
    assert await bot.send_chat_action(USER, "typing")
    assert await bot.set_webhook("https://example.com/hook")
    assert (await bot.get_webhook_info()).url == "https://example.com/hook"
    assert await bot.delete_webhook()
    source = await bot.send_message(USER, "original")
    copy = await bot.copy_message(GROUP, USER, source.message_id)
    forwarded = await bot.forward_message(GROUP, USER, source.message_id)
    assert api.message(GROUP, copy.message_id)["text"] == "original"
    assert forwarded.forward_origin.sender_user.id == api.bot_user["id"]
    assert await bot.leave_chat(GROUP) and await bot.log_out() and await bot.close()
    assert api.handle("noSuchMethod", {}) == {
        "ok": False,
        "error_code": 404,
        "description": "Not Found",
    }


async def test_photo_upload_is_recorded(api: FakeBotAPI, bot: telegram.Bot) -> None:
    image = png(5, 4)
    message = await bot.send_photo(USER, image, caption="<b>pic</b>", parse_mode="HTML")
    assert (message.photo[-1].width, message.photo[-1].height) == (5, 4)
    upload = api.calls_to("sendPhoto")[0].params["photo"]
    assert upload["content"] == image and upload["size"] == len(image)
    again = await bot.send_photo(USER, message.photo[-1].file_id)  # re-send by file id
    assert again.photo[-1].file_id == message.photo[-1].file_id
    with pytest.raises(BadRequest, match="Wrong file identifier"):
        await bot.send_photo(USER, "no-such-file-id")


async def test_a_users_photo_carries_its_caption_command_and_can_be_sent_again(
    api: FakeBotAPI, bot: telegram.Bot
) -> None:
    update = Update.de_json(api.user_photo("/alert Quake", user_id=USER, content=png(7, 3)), bot)
    message = update.message
    assert message is not None and message.caption == "/alert Quake" and message.text is None
    assert [e.type for e in message.caption_entities] == ["bot_command"]
    assert (message.photo[-1].width, message.photo[-1].height) == (7, 3)
    again = await bot.send_photo(USER, message.photo[-1].file_id, caption="<i>again</i>")
    assert again.photo[-1].file_id == message.photo[-1].file_id
    edited = await bot.edit_message_caption(
        USER, again.message_id, caption="<b>edited</b>", parse_mode="HTML"
    )
    assert isinstance(edited, telegram.Message) and edited.caption == "edited"
    plain = Update.de_json(api.user_photo(user_id=USER), bot).message
    assert plain is not None and plain.caption is None and plain.photo


# ------------------------------------------------------------------------- updates
async def test_update_builders_parse_in_ptb(api: FakeBotAPI, bot: telegram.Bot) -> None:
    sent = await bot.send_message(
        USER,
        "pick",
        reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="a")]]),
    )
    api.user_message("/start@newsbot_test_bot now", user_id=USER)
    api.callback_query("a", user_id=USER)
    api.inline_query("q", user_id=USER)
    api.my_chat_member(GROUP, "group", "left", "administrator", by_user_id=USER, title="G")
    api.chat_migration(GROUP, -1004000000001)
    api.channel_post(-1007000000001, "post")
    updates = await bot.get_updates()
    assert [u.update_id for u in updates] == [1, 2, 3, 4, 5, 6]
    message = updates[0].message
    assert message.text.startswith("/start") and message.from_user.first_name == "Ada"
    assert message.entities[0].type == "bot_command" and message.entities[0].length == 23
    assert updates[1].callback_query.message.message_id == sent.message_id
    assert updates[2].inline_query.query == "q"
    assert updates[3].my_chat_member.new_chat_member.status == "administrator"
    assert updates[4].message.migrate_to_chat_id == -1004000000001
    assert updates[5].channel_post.chat.type == "channel"
    assert await bot.answer_callback_query(updates[1].callback_query.id)
    # Confirming with offset drops the older updates, like Telegram.
    assert await bot.get_updates(offset=6) == (updates[5],)
    assert [u["update_id"] for u in api.pending_updates()] == [6]


async def test_application_polls_and_replies_in_process(api: FakeBotAPI) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_message.reply_text(f"Hello, {update.effective_user.first_name}")

    app: Application = (
        ApplicationBuilder()
        .token(TOKEN)
        .request(RecordingRequest(api))
        .get_updates_request(RecordingRequest(api))
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    async with app:
        await app.start()
        await app.updater.start_polling(timeout=10)
        api.user_message("/start", user_id=USER, first_name="Grace")
        reply = await api.wait_for_message(USER, contains="Hello, Grace", timeout=5)
        await app.updater.stop()
        await app.stop()
    assert reply["method"] == "sendMessage" and reply["message_id"] == 2
    assert api.pending_updates() == []  # confirmed on shutdown


async def test_wait_for_sees_past_and_future_calls(api: FakeBotAPI, bot: telegram.Bot) -> None:
    await bot.send_message(USER, "past")
    call = await api.wait_for(lambda c: c.method == "sendMessage")
    assert call.params["text"] == "past"
    later = asyncio.create_task(api.wait_for_message(USER, contains="future", after=1))
    await asyncio.sleep(0.05)
    await bot.send_message(USER, "the future")
    assert (await later)["text"] == "the future"
    with pytest.raises(TimeoutError, match="no message"):
        await api.wait_for_message(USER, contains="never", timeout=0.05)


# ---------------------------------------------------------------------- HTTP server
async def test_bot_over_http(api: FakeBotAPI) -> None:
    async with (
        FakeBotAPIServer(api, token=TOKEN) as server,
        telegram.Bot(TOKEN, base_url=server.base_url) as bot,
    ):
        assert server.base_url == f"http://127.0.0.1:{server.port}/bot"
        assert bot.username == "newsbot_test_bot"  # from getMe during initialize
        message = await bot.send_message(GROUP, "<b>hi</b>", parse_mode="HTML")
        assert (message.chat.id, message.text) == (GROUP, "hi")
        assert api.sent_messages(GROUP)[0]["text"] == "<b>hi</b>"

        api.fail_next(fault=FloodWait(3), method="sendMessage")
        with pytest.raises(RetryAfter) as info:
            await bot.send_message(GROUP, "x")
        assert info.value.retry_after == dtm.timedelta(seconds=3)
        with pytest.raises(BadRequest, match="Message to edit not found"):
            await bot.edit_message_text("x", GROUP, 42)

        photo = await bot.send_photo(USER, png(7, 3), filename="chart.png")
        upload = api.calls_to("sendPhoto")[0].params["photo"]
        assert (upload["filename"], upload["size"]) == ("chart.png", len(png(7, 3)))
        assert photo.photo[-1].width == 7

        started = time.monotonic()
        poll = asyncio.create_task(bot.get_updates(timeout=5))
        await api.wait_until(lambda: api.calls_to("getUpdates"), timeout=15)
        await asyncio.sleep(0.2)
        assert not poll.done()  # really long-polling
        api.user_message("hello", user_id=USER)
        [update] = await asyncio.wait_for(poll, 3)
        assert update.message.text == "hello" and time.monotonic() - started < 3

    async with FakeBotAPIServer(api, token="999:other") as server:
        with pytest.raises(InvalidToken, match="rejected by the server"):
            async with telegram.Bot(TOKEN, base_url=server.base_url):  # getMe on entry
                pass


async def test_transport_faults_over_http(api: FakeBotAPI) -> None:
    request = HTTPXRequest(read_timeout=0.3)
    async with (
        FakeBotAPIServer(api) as server,
        telegram.Bot(TOKEN, base_url=server.base_url, request=request) as bot,
    ):
        api.fail_next(fault=Timeout(), method="sendMessage")
        started = time.monotonic()
        with pytest.raises(TimedOut):
            await bot.send_message(USER, "x")
        assert time.monotonic() - started < 2
        api.fail_next(fault=Disconnect(), method="sendMessage")
        with pytest.raises(NetworkError) as info:
            await bot.send_message(USER, "x")
        assert not isinstance(info.value, TimedOut)
        assert (await bot.send_message(USER, "fine")).text == "fine"


async def test_server_in_a_thread(api: FakeBotAPI) -> None:
    with FakeBotAPIServer(api, token=TOKEN).start_in_thread() as server:
        async with telegram.Bot(TOKEN, base_url=server.base_url) as bot:
            waiter = asyncio.create_task(api.wait_for_message(USER, contains="threaded"))
            await bot.send_message(USER, "threaded hello")
            assert (await waiter)["message_id"] == 1
            found = await asyncio.to_thread(api.wait_for_message_sync, USER, "threaded", 1.0)
            assert found["plain_text"] == "threaded hello"
    assert server._thread is None
