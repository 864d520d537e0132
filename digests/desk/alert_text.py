"""An alert's text: the editor's words or a formatted message, made into safe Telegram HTML."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from html.parser import HTMLParser

from digests.errors import AlertTextError
from digests.text.telegram_html import safe_url

# Tags Telegram's HTML parse mode accepts, with the attributes each may keep.
_ALLOWED = {
    "b": (),
    "strong": (),
    "i": (),
    "em": (),
    "u": (),
    "ins": (),
    "s": (),
    "strike": (),
    "del": (),
    "tg-spoiler": (),
    "code": ("class",),
    "pre": (),
    "a": ("href",),
    "blockquote": ("expandable",),
    "span": ("class",),
}
_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
_LINK_OPTION = re.compile(r"(?:^|\s)link=(\S+)", re.IGNORECASE)
_CODE_CLASS = re.compile(r"^language-[A-Za-z0-9_+#.-]{1,32}$")


@dataclass(frozen=True)
class AlertDraft:
    """The body of an alert in Telegram HTML, the article it links to and the Telegram file id
    of its photo, if any."""

    body: str
    link: str | None
    photo: str | None = None


class _Sanitiser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        kept = self._attributes(tag, dict(attrs))
        if kept is None:
            return
        self.out.append(f"<{tag}{kept}>")
        self.open.append(tag)

    def _attributes(self, tag: str, attrs: dict[str, str | None]) -> str | None:
        if tag not in _ALLOWED:
            return None
        if tag == "a":
            href = attrs.get("href") or ""
            safe = safe_url(href)
            return f' href="{html.escape(safe)}"' if safe else None
        if tag == "span":
            return ' class="tg-spoiler"' if attrs.get("class") == "tg-spoiler" else None
        if tag == "code" and _CODE_CLASS.match(attrs.get("class") or ""):
            return f' class="{attrs["class"]}"'
        if tag == "blockquote" and "expandable" in attrs:
            return " expandable"
        return ""

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.open:
            return
        # Close whatever was left open inside it, so the output always nests.
        while self.open:
            top = self.open.pop()
            self.out.append(f"</{top}>")
            if top == tag:
                break

    def handle_data(self, data: str) -> None:
        self.out.append(html.escape(data, quote=False))

    def result(self) -> str:
        self.close()
        return "".join(self.out) + "".join(f"</{tag}>" for tag in reversed(self.open))


def sanitise_html(text: str) -> str:
    """Telegram HTML keeping only the tags and attributes Telegram allows; the rest as text."""
    parser = _Sanitiser()
    parser.feed(text)
    return parser.result()


def _take_link_option(arguments: str) -> tuple[str, str | None]:
    match = _LINK_OPTION.search(arguments)
    if match is None:
        return arguments.strip(), None
    link = _web_url(match.group(1))
    if link is None:
        raise AlertTextError("alert_bad_link", match.group(1))
    rest = (arguments[: match.start()] + arguments[match.end() :]).strip()
    return rest, link


def parse_alert(
    arguments: str,
    *,
    replied_html: str | None = None,
    replied_links: Sequence[str] = (),
    require_body: bool = True,
) -> AlertDraft:
    """`/alert <text> [link=URL]`, or `/alert [link=URL]` in reply to a formatted message.

    The link is `link=URL` when given, else the first web address in the text.
    """
    words, link = _take_link_option(arguments)
    if replied_html is not None:
        if words:
            raise AlertTextError("alert_text_and_reply", words)
        body = sanitise_html(replied_html).strip()
        found = [url for url in replied_links if _web_url(url)]
    else:
        body = html.escape(words, quote=False)
        found = _URL.findall(words)
    if not body and require_body:
        raise AlertTextError("alert_usage")
    if link is None and found:
        link = _web_url(found[0].rstrip(".,;:!?)"))
    return AlertDraft(body=body, link=link)


def _web_url(url: str) -> str | None:
    return safe_url(url, web_only=True) or None
