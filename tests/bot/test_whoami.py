"""Owners can find their id: /whoami, and the /start answer while the bot has no owners."""

from __future__ import annotations

import pytest

OWNER = 1001  # ADMIN_IDS in the shared settings


async def test_whoami_tells_a_reader_their_id_and_how_to_become_an_owner(api, deliver):
    await deliver(api.user_message("/whoami", user_id=4242))

    [reply] = api.sent_messages(chat_id=4242)
    assert reply["plain_text"].splitlines() == [
        "Your Telegram user id: 4242",
        "To run the desk, the newsroom puts this id in ADMIN_IDS (owners), "
        "or an owner adds you with /admins add 4242.",
    ]
    assert "<code>4242</code>" in reply["text"]


async def test_whoami_tells_an_owner_they_are_one(api, deliver):
    await deliver(api.user_message("/whoami", user_id=OWNER))

    [reply] = api.sent_messages(chat_id=OWNER)
    assert "You are an owner: your id is in ADMIN_IDS." in reply["plain_text"]


async def test_whoami_in_a_group_shows_the_user_and_the_group(api, deliver):
    await deliver(
        api.user_message("/whoami", user_id=4242, chat_id=-100777, chat_type="supergroup")
    )

    [reply] = api.sent_messages(chat_id=-100777)
    assert reply["plain_text"].splitlines()[:2] == [
        "Your Telegram user id: 4242",
        "This chat's id: -100777",
    ]


async def test_start_does_not_mention_ids_once_the_bot_has_owners(api, deliver):
    await deliver(api.user_message("/start", user_id=4242))

    [reply] = api.sent_messages(chat_id=4242)
    assert "ADMIN_IDS" not in reply["text"] and "4242" not in reply["text"]


class TestABotWithoutOwners:
    @pytest.fixture
    def settings(self, settings):
        return settings.model_copy(update={"admin_ids": []})

    async def test_start_in_private_names_the_id_to_put_in_admin_ids(self, api, deliver):
        await deliver(api.user_message("/start", user_id=4242))

        [reply] = api.sent_messages(chat_id=4242)
        assert (
            "This bot has no owners yet. Your Telegram user id is 4242: put it in ADMIN_IDS "
            "and restart newsbot to run the desk (/whoami shows it again)."
        ) in reply["plain_text"]

    async def test_start_in_a_group_does_not(self, api, deliver):
        await deliver(api.user_message("/start", user_id=4242, chat_id=-100777, chat_type="group"))

        [reply] = api.sent_messages(chat_id=-100777)
        assert "ADMIN_IDS" not in reply["plain_text"]
