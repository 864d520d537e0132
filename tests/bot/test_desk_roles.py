"""Who may work the desk: owners, the editors they add, nobody else; groups need admins."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.context import services_of
from digests.db import session_scope
from digests.models import Alert, AuditEntry, Editor

OWNER, STRANGER, EDITOR = 1001, 2002, 3003
GROUP = -100_777


async def audit_rows(application):
    async with session_scope(services_of(application).sessionmaker) as session:
        return list(await session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


async def alert_count(application):
    async with session_scope(services_of(application).sessionmaker) as session:
        return len(list(await session.scalars(select(Alert))))


def last_text(api, chat_id):
    return api.sent_messages(chat_id=chat_id)[-1]["plain_text"]


@pytest.mark.parametrize(
    "command",
    [
        "/alert Hello",
        "/alerts",
        "/alert_edit 1 x",
        "/alert_retract 1",
        "/admins",
        "/admins add 5",
        "/desk",
        "/sources",
        "/sources add https://feeds.example/rss",
        "/stats",
    ],
)
async def test_anyone_else_is_not_allowed_and_audited(application, api, deliver, command):
    await deliver(api.user_message(command, user_id=STRANGER))

    assert last_text(api, STRANGER) == "⛔ Not allowed: this is for the newsroom's editors."
    [entry] = await audit_rows(application)
    assert (entry.actor_id, entry.allowed) == (STRANGER, False)
    assert entry.detail["role"] == "none"
    assert await alert_count(application) == 0


async def test_buttons_check_the_role_too(application, api, deliver):
    await deliver(api.user_message("/alert Storm", user_id=OWNER))
    card = api.sent_messages(chat_id=OWNER)[-1]
    await deliver(
        api.callback_query(
            "al:ok:1", user_id=STRANGER, message_chat_id=OWNER, message_id=card["message_id"]
        )
    )
    answer = api.calls_to("answerCallbackQuery")[-1].params
    assert answer["text"] == "⛔ Not allowed: this is for the newsroom's editors."
    assert answer["show_alert"] is True
    async with session_scope(services_of(application).sessionmaker) as session:
        assert (await session.scalar(select(Alert))).status == "draft"
    assert [(e.action, e.allowed) for e in await audit_rows(application)][-1] == (
        "alert_confirm",
        False,
    )


async def test_owners_add_and_remove_editors(application, api, deliver):
    await deliver(api.user_message(f"/admins add {EDITOR}", user_id=OWNER))
    assert last_text(api, OWNER) == f"✅ {EDITOR} is an editor now."
    await deliver(api.user_message(f"/admins add {EDITOR}", user_id=OWNER))
    assert last_text(api, OWNER) == f"{EDITOR} is an editor already."

    await deliver(api.user_message("/alert Editors can send alerts", user_id=EDITOR))
    assert "Alert #1 — draft" in last_text(api, EDITOR)

    await deliver(api.user_message("/admins", user_id=EDITOR))
    listing = last_text(api, EDITOR)
    assert f"Owners (from ADMIN_IDS): {OWNER}" in listing
    assert f"• {EDITOR} — added by {OWNER}" in listing
    assert "/admins add" not in listing  # editors only see the list

    await deliver(api.user_message(f"/admins remove {OWNER}", user_id=EDITOR))
    assert last_text(api, EDITOR) == "⛔ Not allowed: only owners can add and remove editors."

    await deliver(api.user_message(f"/admins remove {EDITOR}", user_id=OWNER))
    assert last_text(api, OWNER) == f"✅ {EDITOR} is no longer an editor."
    await deliver(api.user_message("/alert Not any more", user_id=EDITOR))
    assert last_text(api, EDITOR) == "⛔ Not allowed: this is for the newsroom's editors."
    async with session_scope(services_of(application).sessionmaker) as session:
        assert list(await session.scalars(select(Editor))) == []
    actions = [(e.action, e.allowed) for e in await audit_rows(application)]
    assert ("admins_add", True) in actions and ("admins_remove", False) in actions


async def test_owners_are_fixed_and_bad_ids_explained(application, api, deliver):
    await deliver(api.user_message(f"/admins remove {OWNER}", user_id=OWNER))
    assert "owners are changed in ADMIN_IDS" in last_text(api, OWNER)
    await deliver(api.user_message(f"/admins add {OWNER}", user_id=OWNER))
    assert "is an owner already" in last_text(api, OWNER)
    await deliver(api.user_message("/admins add @someone", user_id=OWNER))
    assert last_text(api, OWNER).startswith("Usage: /admins, /admins add <user id>")
    await deliver(api.user_message("/admins remove 4242", user_id=OWNER))
    assert last_text(api, OWNER) == "4242 is not an editor."


async def test_in_a_group_desk_commands_need_a_group_admin_too(application, api, deliver):
    api.set_chat(GROUP, "supergroup", "Newsroom")
    api.set_member(GROUP, OWNER, "member")
    await deliver(api.user_message("/alert From the group", user_id=OWNER, chat_id=GROUP))
    assert last_text(api, GROUP) == "⛔ Not allowed: this is for the newsroom's editors."
    assert await alert_count(application) == 0
    assert (await audit_rows(application))[-1].detail["chat_type"] == "supergroup"

    await deliver(api.user_message("/alert Group member", user_id=STRANGER, chat_id=GROUP))
    assert await alert_count(application) == 0

    api.set_member(GROUP, OWNER, "administrator")  # the desk asks Telegram every time
    await deliver(api.user_message("/alert From the group", user_id=OWNER, chat_id=GROUP))
    assert await alert_count(application) == 1


async def test_desk_help_lists_the_commands(application, api, deliver):
    await deliver(api.user_message("/desk", user_id=OWNER))
    text = last_text(api, OWNER)
    assert text.startswith("The desk\n/alert <text> [link=URL]")
    assert "/admins" in text
