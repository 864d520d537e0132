"""Group-admin rights follow reality: kept answers are young, chat_member updates refresh them."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from bot.context import services_of
from bot.permissions import ADMIN, ADMIN_FRESH
from digests.db import session_scope
from digests.models import Alert, ConversationState, utcnow
from tests.bot.test_topics import followed

GROUP = -100_555
OWNER = 1001  # ADMIN_IDS: an owner of the desk
MEMBER = 60
REFUSAL = "Only this group's admins can change its topics and settings."


async def age_kept_answers(application) -> None:
    """ADMIN_FRESH goes by for the kept getChatMember answers."""
    async with session_scope(services_of(application).sessionmaker) as session:
        await session.execute(
            update(ConversationState)
            .where(ConversationState.kind == ADMIN)
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )


def last(api):
    return api.sent_messages(chat_id=GROUP)[-1]["text"]


async def test_answers_are_kept_briefly_and_shared_through_the_store(application, api, deliver):
    api.set_chat(GROUP, "supergroup", "Readers")
    api.set_member(GROUP, MEMBER, "administrator")
    await deliver(api.user_message("/subscribe tech", user_id=MEMBER, chat_id=GROUP))
    await deliver(api.user_message("/subscribe world", user_id=MEMBER, chat_id=GROUP))
    assert len(api.calls_to("getChatMember")) == 1
    async with session_scope(services_of(application).sessionmaker) as session:
        [kept] = await session.scalars(
            select(ConversationState).where(ConversationState.kind == ADMIN)
        )
    assert (kept.chat_id, kept.user_id, kept.payload) == (GROUP, MEMBER, {"admin": True})
    assert kept.expires_at <= utcnow() + ADMIN_FRESH


async def test_a_demoted_admin_loses_the_right_within_the_bound(application, api, deliver):
    api.set_chat(GROUP, "supergroup", "Readers")
    api.set_member(GROUP, MEMBER, "administrator")
    await deliver(api.user_message("/subscribe tech", user_id=MEMBER, chat_id=GROUP))
    assert await followed(application, GROUP) == ["tech"]

    api.set_member(GROUP, MEMBER, "member")  # demoted; the bot is not told
    await age_kept_answers(application)
    await deliver(api.user_message("/subscribe world", user_id=MEMBER, chat_id=GROUP))

    assert last(api) == REFUSAL
    assert await followed(application, GROUP) == ["tech"]


async def test_a_promoted_member_is_not_refused_past_the_bound(application, api, deliver):
    api.set_chat(GROUP, "supergroup", "Readers")
    api.set_member(GROUP, MEMBER, "member")
    await deliver(api.user_message("/subscribe tech", user_id=MEMBER, chat_id=GROUP))
    assert last(api) == REFUSAL

    api.set_member(GROUP, MEMBER, "administrator")
    await age_kept_answers(application)
    await deliver(api.user_message("/subscribe tech", user_id=MEMBER, chat_id=GROUP))

    assert await followed(application, GROUP) == ["tech"]


async def test_a_chat_member_update_refreshes_at_once(application, api, deliver):
    api.set_chat(GROUP, "supergroup", "Readers")
    api.set_member(GROUP, MEMBER, "administrator")
    await deliver(api.user_message("/subscribe tech", user_id=MEMBER, chat_id=GROUP))

    await deliver(api.chat_member(GROUP, MEMBER, "administrator", "member", by_user_id=OWNER))
    await deliver(api.user_message("/subscribe world", user_id=MEMBER, chat_id=GROUP))
    assert last(api) == REFUSAL

    await deliver(api.chat_member(GROUP, MEMBER, "member", "administrator", by_user_id=OWNER))
    await deliver(api.user_message("/subscribe world", user_id=MEMBER, chat_id=GROUP))
    assert sorted(await followed(application, GROUP)) == ["tech", "world"]


async def test_desk_actions_in_a_group_are_always_checked_live(application, api, deliver):
    api.set_chat(GROUP, "supergroup", "Newsroom")
    api.set_member(GROUP, OWNER, "administrator")
    await deliver(api.user_message("/alert From the group", user_id=OWNER, chat_id=GROUP))
    async with session_scope(services_of(application).sessionmaker) as session:
        assert len(list(await session.scalars(select(Alert)))) == 1

    api.set_member(GROUP, OWNER, "member")  # demoted a moment later, nothing aged
    await deliver(api.user_message("/alert Second draft", user_id=OWNER, chat_id=GROUP))

    assert last(api) == "⛔ Not allowed: this is for the newsroom's editors."
    async with session_scope(services_of(application).sessionmaker) as session:
        assert len(list(await session.scalars(select(Alert)))) == 1
    assert len(api.calls_to("getChatMember")) == 2
