"""Canonical URLs, HTML to text, content fingerprints."""

from __future__ import annotations

from digests.ingest.normalize import canonical_url, content_hash, html_to_text


def test_canonical_url_drops_tracking_fragment_and_case():
    assert (
        canonical_url("HTTPS://News.Example.COM:443/a/B?utm_source=x&id=3&fbclid=1&gclid=2#frag")
        == "https://news.example.com/a/B?id=3"
    )
    assert canonical_url("http://example.com") == "http://example.com/"
    assert canonical_url("http://example.com:8080/x?b=2&a=1") == "http://example.com:8080/x?b=2&a=1"


def test_html_to_text_decodes_entities_and_drops_scripts():
    html = (
        "<p>Fish &amp; chips</p><script>steal()</script><style>p{}</style>"
        "<p>&#8220;Yes&#8221;&nbsp;ok</p>"
    )
    assert html_to_text(html) == "Fish & chips\n\u201cYes\u201d ok"
    assert html_to_text("AT&amp;amp;T") == "AT&amp;T"


def test_content_hash_ignores_case_spacing_and_punctuation():
    assert content_hash("Title", "Some  text.") == content_hash("title", "some text")
    assert content_hash("Title", "Some text") != content_hash("Title", "Other text")
