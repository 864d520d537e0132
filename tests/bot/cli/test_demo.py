"""`newsbot demo`: a person chats with the bot in the terminal, against the loopback fake."""

from __future__ import annotations

import asyncio
import os
import re
import sys

from tests.bot.cli.running import INHERITED_PREFIXES, newsbot

PROMPT = "you> "


def test_a_scripted_conversation_reads_as_a_chat(tmp_path):
    typed = ["/start", "/topics", "3", "/digest", "/search tram", "9", "/quit"]
    ran = newsbot("demo", cwd=tmp_path, _input="\n".join(typed) + "\n")

    assert ran.returncode == 0, ran.stderr
    turns = ran.stdout.split(PROMPT)
    assert "sample archive: 10 invented articles" in turns[0]
    start, topics, press, digest, search, no_button, end = turns[1:]
    assert start.startswith("/start\nnewsbot:\n  👋 Welcome, You!")
    [third] = re.findall(r"\[3\] ▫️ (\w[\w ]*?)   ", topics)  # numbered buttons, as listed
    assert press.startswith(f"3\n(you press “▫️ {third}”)\nnewsbot (notice): ")
    assert "newsbot (edits its message)\n" in press and f"[3] ✅ {third}   " in press
    assert "📰 Your digest" in digest and "1. " in digest
    assert "Northbridge council approves new tram line" in search + digest
    # Links are shown with their address, HTML is gone.
    assert "(https://courier.example/2026/11/" in search and "<a href" not in ran.stdout
    assert "(there are buttons 1 to " in no_button
    assert end == "/quit\n"
    assert list(tmp_path.iterdir()) == []  # nothing kept in the working directory


def test_the_end_of_input_ends_the_demo(tmp_path):
    ran = newsbot("demo", cwd=tmp_path, _input="/help\n")
    assert ran.returncode == 0, ran.stderr
    assert "What I can do" in ran.stdout
    assert ran.stdout.endswith(PROMPT + "\n")


async def test_a_person_types_and_reads_turn_by_turn(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(INHERITED_PREFIXES)}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "demo",
        cwd=tmp_path,
        env=env,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert process.stdin is not None and process.stdout is not None

    async def reply_to(line: str) -> str:
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(line.encode() + b"\n")
        await process.stdin.drain()
        answer = await asyncio.wait_for(process.stdout.readuntil(PROMPT.encode()), 60)
        return answer.decode()

    try:
        intro = await asyncio.wait_for(process.stdout.readuntil(PROMPT.encode()), 60)
        assert b"newsbot demo" in intro
        settings = await reply_to("/settings")
        assert "Digest: every day at 08:00." in settings and "[1] 🕗 Digest times" in settings
        asked = await reply_to("1")
        assert "Send the time or times" in asked
        answered = await reply_to("07:30")
        assert "07:30" in answered
        process.stdin.write(b"/quit\n")
        await process.stdin.drain()
        assert await asyncio.wait_for(process.wait(), 30) == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    stderr = (await process.stderr.read()).decode() if process.stderr else ""
    assert "Traceback" not in stderr
