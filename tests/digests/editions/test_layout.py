"""Digest rendering: what a reader sees, valid Telegram HTML, split only between items."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.fakeapi import parse_telegram_html
from digests.editions.assemble import Candidate, Limits, RelatedLink, assemble
from digests.editions.layout import DigestView, render_digest, render_nothing_new
from digests.text.render import Renderer
from digests.text.telegram_html import utf16_len

NOW = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)
RENDERER = Renderer()
VIEW = DigestView(
    language="en",
    timezone="Europe/Warsaw",
    edition_at=NOW,
    topic_names={1: "World", 2: "Tech & Science"},
    join_url="https://t.me/newsbot_test_bot?start=t-1-2",
)


def candidate(n, title, summary="", *, topic=1, url=None, related=()):
    return Candidate(
        id=n,
        title=title,
        url=url if url is not None else f"https://news.example/{n}",
        summary=summary,
        source="Desk",
        published_at=NOW - timedelta(minutes=n),
        topics={topic: 1.0},
        related=tuple(related),
    )


def test_a_digest_reads_as_expected():
    digest = assemble(
        [
            candidate(
                1,
                "Parliament passes budget",
                "The vote was 230 to 210.",
                related=[RelatedLink("What the budget means", "https://news.example/9")],
            ),
            candidate(2, "New chip <fast> & cheap", topic=2),
        ],
        [1, 2],
        now=NOW,
    )
    [message] = render_digest(RENDERER, digest, VIEW)
    assert parse_telegram_html(message).splitlines() == [
        "📰 Your digest · Monday, November 30, 2026",
        "World · Tech & Science",
        "",
        "WORLD",
        "1. Parliament passes budget",
        "Desk · 07:59",
        "The vote was 230 to 210.",
        "Related: What the budget means",
        "",
        "TECH & SCIENCE",
        "2. New chip <fast> & cheap",
        "Desk · 07:58",
        "",
        "Know someone who'd like this? Send them this link: it subscribes them to the same topics.",
        "https://t.me/newsbot_test_bot?start=t-1-2",
    ]
    assert '<a href="https://news.example/1">Parliament passes budget</a>' in message


def test_a_link_telegram_would_refuse_is_not_linked():
    digest = assemble([candidate(1, "Click me", url="javascript:alert(1)")], [1], now=NOW)
    [message] = render_digest(RENDERER, digest, VIEW)
    assert "javascript" not in message
    assert "<b>Click me</b>" in message


def test_nothing_new_has_its_own_message():
    [message] = render_nothing_new(RENDERER, VIEW)
    assert message.startswith("Nothing new in your topics since your last digest.")


PIECES = [
    "<",
    ">",
    "&",
    '"',
    "'",
    "/",
    "a",
    " ",
    "=",
    ";",
    "#",
    "</b>",
    "<b>",
    "&amp;",
    "&#x",
    "🇵🇱",
    "👩‍💻",
    "😀",
    "שלום",
    "\u202e",
    "\x00",
    "\n",
]
hostile_text = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(PIECES), max_size=120).map("".join),
    # 10,000-character titles: a short random text repeated.
    st.tuples(st.text(min_size=1, max_size=20), st.integers(500, 10_000)).map(
        lambda pair: (pair[0] * pair[1])[:10_000]
    ),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    articles=st.lists(
        st.tuples(hostile_text, hostile_text, st.integers(1, 2)), min_size=1, max_size=15
    )
)
def test_any_text_renders_to_valid_parts_without_losing_or_cutting_items(articles):
    candidates = [
        candidate(n, title, summary, topic=topic)
        for n, (title, summary, topic) in enumerate(articles, start=1)
    ]
    digest = assemble(candidates, [1, 2], now=NOW, limits=Limits(per_section=15, total=15))
    parts = render_digest(RENDERER, digest, VIEW)
    for part in parts:
        plain = parse_telegram_html(part)  # raises on anything Telegram would refuse
        assert utf16_len(plain) <= 4096
    links = [re.findall(r'<a href="https://news\.example/(\d+)">', part) for part in parts]
    shown = [int(n) for part_links in links for n in part_links]
    assert sorted(shown) == sorted(digest.article_ids) == list(range(1, len(articles) + 1))


def test_a_long_digest_splits_between_items_and_keeps_headings_with_their_first_item():
    candidates = [
        candidate(n, "Headline " * 40, "A sentence of the summary. " * 30, topic=1 + n % 2)
        for n in range(1, 16)
    ]
    digest = assemble(candidates, [1, 2], now=NOW, limits=Limits(per_section=15, total=15))
    parts = render_digest(RENDERER, digest, VIEW)
    assert len(parts) >= 3
    for part in parts:
        assert utf16_len(parse_telegram_html(part)) <= 4096
        assert not part.rstrip().endswith(("<b>WORLD</b>", "<b>TECH &amp; SCIENCE</b>"))
    assert parts[0].startswith("<b>📰 Your digest</b>")
    assert parts[-1].rstrip().endswith("https://t.me/newsbot_test_bot?start=t-1-2")


def test_polish_readers_get_a_polish_digest_with_polish_dates_and_plurals():
    story = [
        Candidate(
            id=n,
            title=f"Szczyt {n}",
            url=f"https://news.example/{n}",
            summary="",
            source=f"Źródło {n}",
            published_at=NOW - timedelta(hours=n),
            topics={1: 1.0},
            story_id=7,
            story_size=6,
        )
        for n in range(1, 7)
    ]
    view = DigestView(
        language="pl", timezone="Europe/Warsaw", edition_at=NOW, topic_names={1: "Świat"}
    )
    [message] = render_digest(RENDERER, assemble(story, [1], now=NOW), view)
    lines = parse_telegram_html(message).splitlines()
    assert lines[0] == "📰 Twój przegląd · poniedziałek, 30 listopada 2026"
    assert lines[5] == "Źródło 1 · 07:00 · +5 innych źródeł"


def test_every_template_string_has_a_polish_translation():
    """`make messages` then translating keeps this green."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.pofile import read_po

    from digests.resources import templates_dir

    options = {"extensions": "jinja2.ext.i18n", "trim_blocks": "True", "lstrip_blocks": "True"}
    method_map = [("**.html", "jinja2"), ("**.txt", "jinja2")]
    in_templates = {
        message[2] if isinstance(message[2], str) else message[2][0]
        for message in extract_from_dir(
            str(templates_dir()), method_map, {"**.html": options, "**.txt": options}
        )
    }
    catalogue = templates_dir() / "locale" / "pl" / "LC_MESSAGES" / "messages.po"
    with catalogue.open("rb") as po:
        translated = {
            (m.id if isinstance(m.id, str) else m.id[0])
            for m in read_po(po)
            if m.id and all(m.string if isinstance(m.string, tuple) else [m.string]) and not m.fuzzy
        }
    assert sorted(in_templates - translated) == []


def test_related_buttons_answer_in_place_or_open_the_bot_from_a_channel():
    from digests.editions.layout import DigestPart, related_buttons

    part = DigestPart("…", article_ids=(7, 9), first_number=4)
    assert related_buttons(part, channel=False, bot_username="nb") == {
        "inline_keyboard": [
            [{"text": "🔗 4", "callback_data": "rl:7"}, {"text": "🔗 5", "callback_data": "rl:9"}]
        ]
    }
    assert related_buttons(part, channel=True, bot_username="nb")["inline_keyboard"][0][1] == {
        "text": "🔗 5",
        "url": "https://t.me/nb?start=r9",
    }
    assert related_buttons(DigestPart("…", (), 1), channel=False, bot_username="nb") is None
