"""Words and numbers read right: plurals, pointers to the right command, forgiving input."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.context import services_of
from digests.db import session_scope
from digests.migrate import head_revision
from digests.models import Chat, Topic
from tests.bot.cli.running import newsbot_beside
from tests.factories import add_chat

EDITOR = 1001  # ADMIN_IDS in the test settings


async def one_reader(application) -> int:
    """One chat following Technology (with alerts on): its topic's id."""
    async with session_scope(services_of(application).sessionmaker) as session:
        tech = await session.scalar(select(Topic).where(Topic.slug == "tech"))
        await add_chat(session, 511, topics=[tech])
        return tech.id


async def test_one_chat_is_one_chat_in_the_card_and_the_list(application, api, deliver):
    tech = await one_reader(application)
    await deliver(api.user_message("/alert Storm hits the coast"))
    card = api.sent_messages(chat_id=EDITOR)[-1]
    await deliver(api.callback_query(f"al:a:1:t{tech}"))
    redrawn = api.message(EDITOR, card["message_id"])["text"]
    assert "Send to: subscribers of Technology — 1 chat." in redrawn
    await deliver(api.callback_query("al:ok:1"))
    await deliver(api.user_message("/alerts"))
    listed = api.sent_messages(chat_id=EDITOR)[-1]["plain_text"]
    assert "subscribers of Technology · 1 chat\n" in listed


async def test_plurals_in_polish(application, api, deliver):
    tech = await one_reader(application)
    await deliver(api.user_message("/alert Burza nad wybrzeżem", language_code="pl"))
    card = api.sent_messages(chat_id=EDITOR)[-1]
    await deliver(api.callback_query(f"al:a:1:t{tech}"))
    redrawn = api.message(EDITOR, card["message_id"])["text"]
    assert "— 1 czat." in redrawn


async def test_mysubs_points_to_topics(application, api, deliver):
    await deliver(api.user_message("/mysubs", user_id=520))
    lines = api.sent_messages(chat_id=520)[-1]["text"].splitlines()
    assert lines[0] == "You don't follow any topic yet: choose some with /topics."
    assert lines[-1] == "Change your topics in /topics, digest times and alerts in /settings."


async def test_in_a_group_topics_are_the_groups(application, api, deliver):
    group = -100_520
    api.set_chat(group, type="supergroup", title="Club")
    await deliver(api.user_message("/topics", user_id=521, chat_id=group))
    assert api.sent_messages(chat_id=group)[-1]["text"].startswith("<b>This group's topics</b>")
    await deliver(api.user_message("/topics", user_id=521))
    assert api.sent_messages(chat_id=521)[-1]["text"].startswith("<b>Your topics</b>")


async def test_subscribe_accepts_commas(application, api, deliver):
    await deliver(api.user_message("/subscribe Sport, business", user_id=522))
    text = api.sent_messages(chat_id=522)[-1]["text"]
    assert text.startswith("✅ Now following: ")
    assert "Sport" in text and "Business" in text and "No such topic" not in text


async def _times_answer(api, deliver, user_id, answer):
    await deliver(api.user_message("/settings", user_id=user_id))
    await deliver(api.callback_query("st:times", user_id=user_id))
    await deliver(api.user_message(answer, user_id=user_id))


async def _digest_times(application, telegram_id):
    async with session_scope(services_of(application).sessionmaker) as session:
        chat = await session.scalar(select(Chat).where(Chat.telegram_id == telegram_id))
        return chat.digest_times


async def test_times_as_people_write_them(application, api, deliver):
    await _times_answer(api, deliver, 523, "8am, 8 pm")
    assert await _digest_times(application, 523) == ["08:00", "20:00"]
    await _times_answer(api, deliver, 524, "20.30")
    assert await _digest_times(application, 524) == ["20:30"]
    await _times_answer(api, deliver, 525, "12am 12:30pm")
    assert await _digest_times(application, 525) == ["00:00", "12:30"]


@pytest.mark.parametrize("days", ["400", "abc", "0", "7 8"])
async def test_stats_with_days_it_cannot_use_says_so(application, api, deliver, days):
    await deliver(api.user_message(f"/stats {days}"))
    assert api.calls_to("sendPhoto") == []
    assert api.sent_messages(chat_id=EDITOR)[-1]["text"] == (
        "Usage: /stats [days] — the number of days back, from 1 to 90;"
        " /stats alone shows the last 14."
    )


async def test_stats_for_seven_days(application, api, deliver):
    await deliver(api.user_message("/stats 7"))
    [call] = api.calls_to("sendPhoto")
    assert call.params["caption"].startswith("<b>Stats for the last 7 days</b>")


async def test_latest_of_a_topic_that_does_not_exist(application, api, deliver):
    await deliver(api.user_message("/latest nosuch", user_id=526))
    assert api.sent_messages(chat_id=526)[-1]["text"].startswith("No such topic: nosuch.")


async def test_db_upgrade_on_a_current_database_says_so(tmp_path, database_url):
    upgraded = await newsbot_beside("db", "upgrade", cwd=tmp_path, DATABASE_URL=database_url)
    assert upgraded.returncode == 0, upgraded.stderr
    assert upgraded.stdout.strip().endswith(f"already at {head_revision()}, up to date")


async def test_the_stats_table_lines_up(tmp_path, database_url, application, api, deliver):
    await deliver(api.user_message("/start", user_id=527))
    await deliver(api.user_message("/subscribe tech", user_id=527))
    shown = await newsbot_beside("stats", "--days", "3", cwd=tmp_path, DATABASE_URL=database_url)
    assert shown.returncode == 0, shown.stderr
    rows = [line for line in shown.stdout.splitlines() if line.startswith("  ")]
    figures = [line for line in rows if line.rstrip()[-1].isdigit()]
    assert len(figures) >= 5  # a topic, a campaign, three days
    days = [line for line in figures if line.lstrip()[:4].isdigit()]
    header = next(line for line in rows if line.strip().startswith("day (UTC)"))
    assert {len(line) for line in days} == {len(header)}
    assert {len(line) for line in figures if line not in days} == {len(header) - 9}
