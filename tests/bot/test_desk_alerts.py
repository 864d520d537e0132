"""Breaking alerts from the chat: draft, preview, audience, confirm, progress, cancel."""

from __future__ import annotations

from sqlalchemy import select

from bot.context import NewsContext, services_of
from bot.desk_status import refresh_alert_status
from digests.db import session_scope
from digests.models import Alert, AuditEntry, ChatType, Delivery, Topic
from tests.bot.outbox_steps import send_pending
from tests.factories import add_chat

EDITOR = 1001  # ADMIN_IDS in the test settings


def buttons(message):
    markup = message.get("reply_markup") or {"inline_keyboard": []}
    return [(b["text"], b["callback_data"]) for row in markup["inline_keyboard"] for b in row]


async def readers(application, *, quiet_chat: bool = False):
    """Readers: world+tech, tech, world (alerts off), one who follows nothing, a channel
    following world, and the editor's own chat with alerts off."""
    async with session_scope(services_of(application).sessionmaker) as session:
        topics = {t.slug: t for t in await session.scalars(select(Topic))}
        await add_chat(session, 501, topics=[topics["world"], topics["tech"]])
        quiet = await add_chat(session, 502, topics=[topics["tech"]])
        if quiet_chat:
            # Quiet all day long, whatever the time the test runs at.
            quiet.quiet_start, quiet.quiet_end = "00:00", "23:59"
        off = await add_chat(session, 503, topics=[topics["world"]])
        off.alerts_enabled = False
        # "Everyone" is every private chat and group with alerts on, whatever it follows.
        await add_chat(session, 504)
        await add_chat(
            session, -1_001_000_000_777, topics=[topics["world"]], chat_type=ChatType.CHANNEL
        )
        desk = await add_chat(session, EDITOR)
        desk.alerts_enabled = False
        return topics


async def rows(application, **where):
    async with session_scope(services_of(application).sessionmaker) as session:
        query = select(Delivery).order_by(Delivery.id)
        for key, value in where.items():
            query = query.where(getattr(Delivery, key) == value)
        return list(await session.scalars(query))


async def the_alert(application):
    async with session_scope(services_of(application).sessionmaker) as session:
        return await session.scalar(select(Alert).order_by(Alert.id.desc()))


async def draft(api, deliver, text="/alert Storm hits the coast https://news.example/storm"):
    await deliver(api.user_message(text))
    copy, card = api.sent_messages(chat_id=EDITOR)[-2:]
    return copy, card


async def test_alert_shows_the_exact_message_then_audiences_with_counts(application, api, deliver):
    await readers(application)
    copy, card = await draft(api, deliver)

    assert copy["plain_text"].splitlines() == [
        "🔴 Breaking",
        "",
        "Storm hits the coast https://news.example/storm",
        "",
        "Read more",
    ]
    assert '<a href="https://news.example/storm">Read more</a>' in copy["text"]
    assert copy["link_preview_options"] == {
        "is_disabled": False,
        "url": "https://news.example/storm",
    }
    assert card["plain_text"].splitlines()[:3] == [
        "Alert #1 — draft",
        "The message above is exactly what readers will get.",
        "",
    ]
    assert "Send to: everyone with alerts on — 3 chats." in card["plain_text"]
    labels = [label for label, _ in buttons(card)]
    assert labels[:2] == ["✅ Everyone (3)", "Channels (1)"]
    assert "World (2)" in labels and "Technology (2)" in labels
    assert labels[-2:] == ["✅ Confirm", "✖️ Cancel"]
    assert all(len(data.encode()) <= 64 for _, data in buttons(card))
    assert await rows(application) == []  # nothing queued before Confirm


async def test_formatting_of_a_replied_message_is_kept_and_sanitised(application, api, deliver):
    original = api.user_message("Quake: magnitude 6 near Lima. Live blog", user_id=EDITOR)
    original["message"]["entities"] = [
        {"type": "bold", "offset": 0, "length": 5},
        {"type": "text_link", "offset": 30, "length": 9, "url": "https://news.example/live"},
    ]
    await deliver(original)
    message_id = original["message"]["message_id"]
    await deliver(api.user_message("/alert", reply_to_message_id=message_id))
    copy = api.sent_messages(chat_id=EDITOR)[-2]
    assert "<b>Quake</b>: magnitude 6 near Lima." in copy["text"]
    assert '<a href="https://news.example/live">Live blog</a>' in copy["text"]
    assert copy["link_preview_options"] == {
        "is_disabled": False,
        "url": "https://news.example/live",
    }


async def test_bad_alert_input_gets_a_clear_answer_and_creates_nothing(application, api, deliver):
    await deliver(api.user_message("/alert"))
    assert api.sent_messages(chat_id=EDITOR)[-1]["plain_text"].startswith("Usage: /alert <text>")
    await deliver(api.user_message("/alert Fire link=javascript:alert(1)"))
    assert "not a web address" in api.sent_messages(chat_id=EDITOR)[-1]["plain_text"]
    await deliver(api.user_message("/alert " + "x" * 4100))
    assert "Too long for one Telegram message" in api.sent_messages(chat_id=EDITOR)[-1]["text"]
    assert await the_alert(application) is None


async def test_plain_text_is_escaped(application, api, deliver):
    copy, _ = await draft(api, deliver, "/alert Prices <up> & rising <b>fast</b>")
    assert copy["plain_text"].splitlines()[2] == "Prices <up> & rising <b>fast</b>"


async def test_choose_a_topic_then_confirm_queues_at_top_priority(application, api, deliver):
    topics = await readers(application, quiet_chat=True)
    _, card = await draft(api, deliver)
    tech = topics["tech"].id
    await deliver(api.callback_query(f"al:a:1:t{tech}"))
    redrawn = api.message(EDITOR, card["message_id"])
    assert "Send to: subscribers of Technology — 2 chats." in redrawn["text"]
    assert "1 of them is in its quiet hours now and gets it silently." in redrawn["text"]
    assert "✅ Technology (2)" in [label for label, _ in buttons(redrawn)]

    await deliver(api.callback_query("al:ok:1"))

    queued = await rows(application)
    assert len(queued) == 2
    assert {row.priority for row in queued} == {0}
    assert {row.ref for row in queued} == {"alert:1"}
    silent = {row.payload["disable_notification"] for row in queued}
    assert silent == {True, False}
    status = api.message(EDITOR, card["message_id"])
    assert "Sending…" in status["text"]
    assert "Sent 0 / 2" in status["text"]
    assert buttons(status) == [("⏹ Cancel sending", "al:stop:1")]
    alert = await the_alert(application)
    assert (alert.status, alert.total, alert.audience) == ("sending", 2, "topic")

    await deliver(api.callback_query("al:ok:1"))  # a second tap queues nothing more
    assert len(await rows(application)) == 2


async def test_progress_is_redrawn_then_the_alert_finishes(application, api, deliver):
    await readers(application)
    _, card = await draft(api, deliver)
    await deliver(api.callback_query("al:ok:1"))
    api.block(501)
    sessionmaker = services_of(application).sessionmaker

    await send_pending(sessionmaker, api, limit=2)
    await refresh_alert_status(NewsContext(application))
    midway = api.message(EDITOR, card["message_id"])["text"]
    assert "Sent 1 / 3" in midway
    assert "Failed: 1" in midway and "blocked the bot: 1" in midway
    assert "▓" in midway and "░" in midway

    await send_pending(sessionmaker, api)
    await refresh_alert_status(NewsContext(application))
    final = api.message(EDITOR, card["message_id"])
    assert "Sent." in final["text"] and "Sent 2 / 3" in final["text"]
    assert buttons(final) == []
    alert = await the_alert(application)
    assert alert.status == "sent" and alert.finished_at is not None
    no_topics_copy = api.sent_messages(chat_id=504)[-1]
    assert no_topics_copy["plain_text"].startswith("🔴 Breaking")
    assert api.sent_messages(chat_id=-1_001_000_000_777) == []  # channels only when chosen

    await refresh_alert_status(NewsContext(application))  # finished: nothing more to edit
    assert api.message(EDITOR, card["message_id"]) == final


async def test_cancel_stops_what_is_still_pending(application, api, deliver):
    await readers(application)
    _, card = await draft(api, deliver)
    await deliver(api.callback_query("al:ok:1"))
    sessionmaker = services_of(application).sessionmaker
    await send_pending(sessionmaker, api, limit=1)

    await deliver(api.callback_query("al:stop:1"))

    statuses = sorted(row.status for row in await rows(application))
    assert statuses == ["cancelled", "cancelled", "sent"]
    assert await send_pending(sessionmaker, api) == 0
    await refresh_alert_status(NewsContext(application))
    final = api.message(EDITOR, card["message_id"])["text"]
    assert "Cancelled: what was still queued will not be sent." in final
    assert "Not sent (cancelled): 2" in final
    alert = await the_alert(application)
    assert alert.status == "cancelled" and alert.finished_at is not None


async def test_cancel_on_a_draft_discards_it(application, api, deliver):
    await readers(application)
    _, card = await draft(api, deliver)
    await deliver(api.callback_query("al:no:1"))
    assert "discarded: nothing was sent" in api.message(EDITOR, card["message_id"])["text"]
    await deliver(api.callback_query("al:ok:1"))  # a stale Confirm
    answer = api.calls_to("answerCallbackQuery")[-1].params
    assert answer["text"] == "Alert #1 was already confirmed or discarded."
    assert await rows(application) == []


async def test_a_quiet_chat_gets_the_alert_silently(application, api, deliver):
    await readers(application, quiet_chat=True)
    await draft(api, deliver)
    await deliver(api.callback_query("al:ok:1"))
    await send_pending(services_of(application).sessionmaker, api)
    assert api.sent_messages(chat_id=502)[-1]["disable_notification"] is True
    assert not api.sent_messages(chat_id=501)[-1].get("disable_notification")


async def test_confirm_and_cancel_are_audited(application, api, deliver):
    await readers(application)
    await draft(api, deliver)
    await deliver(api.callback_query("al:ok:1"))
    await deliver(api.callback_query("al:stop:1"))
    async with session_scope(services_of(application).sessionmaker) as session:
        actions = list(await session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions == ["alert_draft", "alert_confirm", "alert_cancel"]


async def test_an_unchanged_progress_message_is_harmless(application, api, deliver):
    await readers(application)
    await draft(api, deliver)
    await deliver(api.callback_query("al:ok:1"))
    await refresh_alert_status(NewsContext(application))
    await refresh_alert_status(NewsContext(application))  # same text: "not modified"
    assert any(
        "not modified" in (call.response or {}).get("description", "")
        for call in api.calls_to("editMessageText")
    )


async def test_the_progress_job_is_registered(application):
    [job] = application.job_queue.get_jobs_by_name("refresh_alert_status")
    assert job.job.trigger.interval.total_seconds() == 3


async def test_a_forged_audience_changes_nothing_and_says_so(application, api, deliver):
    await readers(application)
    _, card = await draft(api, deliver)
    shown = api.message(EDITOR, card["message_id"])
    await deliver(api.callback_query("al:a:1:t999"))
    answer = api.calls_to("answerCallbackQuery")[-1].params
    assert answer["text"] == "That audience cannot be chosen for alert #1 any more."
    assert answer["show_alert"] is True
    assert api.message(EDITOR, card["message_id"]) == shown
    alert = await the_alert(application)
    assert (alert.audience, alert.topic_id) == ("all", None)
    async with session_scope(services_of(application).sessionmaker) as session:
        actions = list(await session.scalars(select(AuditEntry.action)))
    assert actions == ["alert_draft"]  # a refusal is not an action


async def test_refusals_are_worded_in_the_editors_language(application, api, deliver):
    await deliver(api.user_message("/alert_retract 99", language_code="pl"))
    assert api.sent_messages(chat_id=EDITOR)[-1]["plain_text"] == (
        "Nie ma alertu nr 99. Zobacz /alerts."
    )


async def test_a_reader_who_excluded_the_alerts_words_does_not_get_it(application, api, deliver):
    await readers(application)
    await deliver(api.user_message("/exclude storm", user_id=504))
    await draft(api, deliver)
    await deliver(api.callback_query("al:ok:1"))
    await send_pending(services_of(application).sessionmaker, api)
    assert [row.chat_id for row in await rows(application, kind="alert")] == [1, 2]
    assert not any("Breaking" in m["text"] for m in api.sent_messages(chat_id=504))
