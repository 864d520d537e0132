"""An edited message is never a command: editing an old /alert or /alert_retract does nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.context import services_of
from digests.db import session_scope
from digests.models import Alert, AuditEntry, Chat, Delivery, Editor, Source, Subscription
from tests.bot.test_desk_alert_changes import sent_alert
from tests.bot.test_desk_alerts import EDITOR

COUNTED = (Alert, AuditEntry, Chat, Delivery, Editor, Source, Subscription)


async def state(application, api):
    """What a command could change: every message sent or edited, and the desk's rows."""
    async with session_scope(services_of(application).sessionmaker) as session:
        counts = [
            await session.scalar(select(func.count()).select_from(model)) for model in COUNTED
        ]
        alerts = [(a.id, a.status, a.text) for a in await session.scalars(select(Alert))]
    calls = [c.method for c in api.calls if c.method not in ("getMe",)]
    return counts, alerts, calls


@pytest.mark.parametrize(
    "command",
    [
        "/desk",
        "/admins add 5555",
        "/admins remove 5555",
        "/alert Storm hits the coast",
        "/alerts",
        "/alert_edit 1 Bridge reopened",
        "/alert_retract 1",
        "/sources",
        "/sources add https://feeds.example/new.xml",
        "/stats 7",
        "/start",
        "/stop",
        "/subscribe tech",
    ],
)
async def test_an_edit_into_a_command_is_ignored(application, api, deliver, command):
    await sent_alert(application, api, deliver)
    sent = api.user_message("a note to self", user_id=EDITOR)
    await deliver(sent)
    before = await state(application, api)

    await deliver(api.user_edit(sent, command))

    assert await state(application, api) == before


async def test_editing_an_old_alert_drafts_no_second_alert(application, api, deliver):
    sent = api.user_message("/alert Storm hits the coast", user_id=EDITOR)
    await deliver(sent)
    before = await state(application, api)
    assert len(before[1]) == 1

    await deliver(api.user_edit(sent, "/alert Storm hits the coast, roads closed"))

    assert await state(application, api) == before


async def test_editing_alert_retract_retracts_nothing(application, api, deliver):
    await sent_alert(application, api, deliver)
    sent = api.user_message("/alert_retract 7", user_id=EDITOR)  # no alert #7: a refusal
    await deliver(sent)
    before = await state(application, api)

    await deliver(api.user_edit(sent, "/alert_retract 1"))

    assert await state(application, api) == before
    assert not api.calls_to("deleteMessage")
