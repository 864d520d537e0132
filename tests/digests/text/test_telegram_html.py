"""Telegram text helpers: plain text, lengths as Telegram counts them, links it accepts."""

from __future__ import annotations

import pytest

from digests.text.telegram_html import plain_text, safe_url, tracked_url, visible_length


def test_plain_text_reads_the_html():
    assert plain_text("<b>A &amp; B</b> &lt;c&gt;") == "A & B <c>"


def test_visible_length_counts_utf16_units_after_parsing():
    assert visible_length("<b>🗞</b> &amp;") == 4  # the emoji is two units, "&amp;" one


@pytest.mark.parametrize(
    ("url", "web_only", "expected"),
    [
        (" https://news.example/a ", False, "https://news.example/a"),
        ("http://news.example", True, "http://news.example"),
        ("tg://resolve?domain=newsbot", False, "tg://resolve?domain=newsbot"),
        ("tg://resolve?domain=newsbot", True, ""),
        ("javascript:alert(1)", False, ""),
        ("https://", False, ""),
        ("http://[::1", False, ""),
        ("", False, ""),
        (None, False, ""),
    ],
)
def test_safe_url_keeps_only_links_telegram_can_open(url, web_only, expected):
    assert safe_url(url, web_only=web_only) == expected


@pytest.mark.parametrize(
    ("url", "utm", "kind", "expected"),
    [
        ("https://news.example/a", "", "digest", "https://news.example/a"),
        (
            "https://news.example/a",
            "utm_source=telegram&utm_medium={kind}",
            "digest",
            "https://news.example/a?utm_source=telegram&utm_medium=digest",
        ),
        # The link's own parameters stay, first; one it already has is not overridden.
        (
            "https://news.example/a?id=7&utm_source=site#top",
            "utm_source=telegram&utm_medium={kind}",
            "alert",
            "https://news.example/a?id=7&utm_source=site&utm_medium=alert#top",
        ),
        ("", "utm_source=telegram", "digest", ""),
    ],
)
def test_tracked_url_adds_the_newsrooms_campaign_parameters(url, utm, kind, expected):
    assert tracked_url(url, utm, kind) == expected
