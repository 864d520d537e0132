"""/mydata sends the chat's stored data as a file; /privacy answers with the newsroom's notice."""

from __future__ import annotations

import json


async def test_mydata_sends_the_chats_settings_topics_and_campaign(application, api, deliver):
    await deliver(api.user_message("/start footer-box", user_id=4500))
    await deliver(api.user_message("/search trams", user_id=4500))
    await deliver(api.user_message("/mydata", user_id=4500))

    [call] = api.calls_to("sendDocument")
    assert call.params["chat_id"] == 4500
    assert call.params["document"]["filename"] == "newsbot-data.json"
    assert call.params["caption"].startswith("Everything this bot keeps about this chat")
    data = json.loads(call.params["document"]["content"])
    assert data["chat"]["id"] == 4500 and data["chat"]["joined_via"] == "footer-box"
    assert data["settings"]["timezone"] == "Europe/Warsaw"
    assert data["settings"]["alerts"] is True
    assert data["topics"] == [
        {"slug": "top", "name": "Top stories", "digest": True, "alerts": True}
    ]
    assert [entry["kind"] for entry in data["remembered"]] == ["lists", "search"]


async def test_in_a_group_only_admins_get_its_data(application, api, deliver):
    group = -4501
    api.set_chat(group, type="supergroup", title="Club")
    api.set_member(group, 73, "member")
    await deliver(api.user_message("/mydata", user_id=73, chat_id=group))
    assert api.calls_to("sendDocument") == []
    assert api.sent_messages(chat_id=group)[-1]["text"] == (
        "Only this group's admins can change its topics and settings."
    )


async def test_privacy_answers_with_the_notice(application, api, deliver):
    await deliver(api.user_message("/privacy", user_id=4502))
    notice = api.sent_messages(chat_id=4502)[-1]["text"]
    assert notice.startswith("<b>Privacy</b>")
    assert "/mydata sends you everything it keeps" in notice
