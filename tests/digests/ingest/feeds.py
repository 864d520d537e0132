# ruff: noqa: E501  (feed documents read better unwrapped)
"""Small feeds written for these tests (no third-party news text)."""

from __future__ import annotations

RSS20 = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Example Times</title><link>https://example.com/</link><ttl>30</ttl>
<item><title>Council approves new bridge</title><link>https://example.com/a/bridge?utm_source=rss&amp;id=7#top</link>
<guid isPermaLink="false">bridge-1</guid><category>Politics</category>
<description>&lt;p&gt;The city council approved the bridge on Monday. Work starts in spring.&lt;/p&gt;</description>
<pubDate>Mon, 02 Nov 2026 09:30:00 GMT</pubDate></item>
<item><title>Museum opens &amp; draws crowds</title><link>https://example.com/a/museum</link>
<guid isPermaLink="false">museum-1</guid>
<description>The new museum opened to large crowds. Visitors queued for hours.</description>
<pubDate>Mon, 02 Nov 2026 10:00:00 GMT</pubDate></item>
</channel></rss>"""

RSS091 = b"""<?xml version="1.0"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
 "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Old</title><link>https://old.example.com/</link>
<description>d</description><language>en-us</language>
<item><title>Old format story</title><link>https://old.example.com/1</link>
<description>An article in the oldest RSS there is.</description></item>
</channel></rss>"""

RSS10 = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://rdf.example.com/"><title>RDF</title><link>https://rdf.example.com/</link>
<description>d</description></channel>
<item rdf:about="https://rdf.example.com/1"><title>RDF story</title>
<link>https://rdf.example.com/1</link><description>Told in RSS 1.0.</description>
<dc:date>2026-11-02T08:00:00Z</dc:date></item>
</rdf:RDF>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Post</title><id>urn:x</id>
<updated>2026-11-02T12:00:00Z</updated><link href="https://atom.example.com/"/>
<entry><title type="html">Rain &lt;em&gt;expected&lt;/em&gt;</title><id>tag:atom.example.com,2026:1</id>
<link rel="alternate" href="/news/rain"/><updated>2026-11-02T12:00:00Z</updated>
<summary>Short teaser...</summary>
<content type="html">&lt;p&gt;Forecasters expect heavy rain this weekend.&lt;/p&gt;&lt;p&gt;Rivers may rise.&lt;/p&gt;</content>
<category term="Science"/></entry>
</feed>"""

JSON_FEED = b"""{"version": "https://jsonfeed.org/version/1.1", "title": "JSON Daily",
"home_page_url": "https://json.example.com/", "language": "en",
"items": [{"id": "j1", "url": "https://json.example.com/j1", "title": "Trains run late",
"content_html": "<p>Trains ran late all morning.</p>", "date_published": "2026-11-02T07:00:00Z",
"tags": ["transport"], "authors": [{"name": "A. Writer"}]},
{"id": "j2", "content_text": "No URL, no title."}]}"""

HALF_BROKEN = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Broken</title>
<item><title>Good entry one</title><link>https://b.example.com/1</link><description>Fine.</description></item>
<item><title>Good entry two</title><link>https://b.example.com/2</link><description>Also fine &amp; well.</description></item>
<item><title>Broken <b>unclosed</title><link>https://b.example.com/3</link><description>x &nbsp; y</description>
</channel>"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>Bomb</title>
<item><title>&lol9;</title><link>https://bomb.example.com/1</link><description>Survivor.</description></item>
</channel></rss>"""


def quadratic_blowup(size: int = 200_000, refs: int = 20_000) -> bytes:
    """One large 'safe' entity used many times: gigabytes if expanded."""
    value = b"A" * size
    body = b"&a;" * refs
    return (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "' + value + b'">]>'
        b'<rss version="2.0"><channel><item><title>Q</title><link>https://q.example.com/1</link>'
        b"<description>" + body + b"</description></item></channel></rss>"
    )


EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><item><title>Leak &secret;</title>
<link>https://xxe.example.com/1</link><description>&secret;</description></item></channel></rss>"""
