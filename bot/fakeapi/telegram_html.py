"""Telegram's ``parse_mode="HTML"`` dialect, re-implemented after tdlib's parser.

The control flow, accepted tags and error wording follow ``do_parse_html`` in
tdlib's ``MessageEntity.cpp`` (which the Bot API server uses), so the fake
rejects exactly what Telegram rejects, with the same messages. One deliberate
difference, on by default: ``strict_ampersand`` also rejects a ``&`` that does
not start a valid reference, which Telegram would keep literally, because an
unescaped ``&`` in our output almost always means a missing ``html.escape``.
"""

from __future__ import annotations

import re
import sys

from .jsontypes import JSON

__all__ = [
    "EntityParseError",
    "parse_telegram_html",
    "parse_telegram_html_entities",
    "utf16_len",
]

_TAGS = frozenset(
    [
        "a",
        "b",
        "strong",
        "i",
        "em",
        "s",
        "strike",
        "del",
        "u",
        "ins",
        "tg-spoiler",
        "tg-emoji",
        "span",
        "pre",
        "code",
        "blockquote",
    ]
)
_SIMPLE_ENTITIES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
}
_NAMED_REFS = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
# tdlib's is_space() counts NUL too: it is the terminator of the C string it scans.
_SPACE = frozenset(" \t\r\n\v\0")
_PLAIN = re.compile(r"[^<&]+")
_ALPHA = re.compile(r"[A-Za-z]*")
_DEC = re.compile(r"[0-9]*")
_HEX = re.compile(r"[0-9A-Fa-f]*")
_NAME_TOKEN = re.compile(r"[A-Za-z0-9.\-]*")


class EntityParseError(ValueError):
    """The text is not valid Telegram HTML; ``str(err)`` is Telegram's wording."""


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, the unit of all Telegram limits and offsets."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def parse_telegram_html(text: str, *, strict_ampersand: bool = True) -> str:
    """Return the plain text Telegram would show for ``text``, or raise EntityParseError."""
    return parse_telegram_html_entities(text, strict_ampersand=strict_ampersand)[0]


def _run_end(pattern: re.Pattern[str], s: str, pos: int, endpos: int = sys.maxsize) -> int:
    """Where the run of ``pattern`` at ``pos`` ends; every caller's pattern matches there."""
    match = pattern.match(s, pos, endpos)
    assert match is not None, f"{pattern.pattern!r} must match at {pos}"
    return match.end()


def _decode_ref(s: str, pos: int) -> tuple[str, int]:
    """Decode the character reference at ``s[pos] == '&'``; ("", pos) when it is not one."""
    if s[pos + 1] == "#":
        hexa = s[pos + 2] == "x"  # tdlib accepts only a lowercase x
        start = pos + 3 if hexa else pos + 2
        end = _run_end(_HEX if hexa else _DEC, s, start)
        digits = s[start:end]
        value = int(digits, 16 if hexa else 10) if digits else 0
        if value == 0 or value >= 0x10FFFF or end - pos >= 10:
            return "", pos
        char = chr(value)
    else:
        end = _run_end(_ALPHA, s, pos + 1)
        char = _NAMED_REFS.get(s[pos + 1 : end], "")
        if not char:
            return "", pos
    return char, end + 1 if s[end] == ";" else end


class _Parser:
    """One parse of one string; ``s`` carries a NUL sentinel like tdlib's CSlice."""

    def __init__(self, text: str, strict_ampersand: bool) -> None:
        self.text = text
        self.s = text + "\0"
        self.strict = strict_ampersand
        self.out: list[str] = []
        self.u16 = 0  # UTF-16 length of "".join(out), i.e. the offset of the next entity
        self.stack: list[tuple[str, str, int, int]] = []  # tag, argument, u16 offset, len(out)
        self.entities: list[JSON] = []

    def fail(self, message: str) -> EntityParseError:
        return EntityParseError(message)

    def byte_offset(self, index: int) -> int:
        return len(self.text[:index].encode("utf-8", "surrogatepass"))

    def ampersand(self, i: int) -> int:
        char, end = _decode_ref(self.s, i)
        if not char:
            if self.strict:
                raise self.fail(
                    f'Character "&" at byte offset {self.byte_offset(i)} does not start an '
                    'HTML entity; escape it as "&amp;"'
                )
            char, end = "&", i + 1
        self.out.append(char)
        self.u16 += 2 if ord(char) > 0xFFFF else 1
        return end

    def run(self) -> tuple[str, list[JSON]]:
        s, n, i = self.s, len(self.text), 0
        while i < n:
            c = s[i]
            if c == "&":
                i = self.ampersand(i)
            elif c != "<":
                end = _run_end(_PLAIN, s, i, n)
                segment = s[i:end]
                self.out.append(segment)
                self.u16 += utf16_len(segment)
                i = end
            elif s[i + 1] == "/":
                i = self.end_tag(i)
            else:
                i = self.start_tag(i)
        if self.stack:
            raise self.fail(f'Can\'t find end tag corresponding to start tag "{self.stack[-1][0]}"')
        for entity in self.entities:
            if entity["type"] == "code":
                entity.pop("language", None)  # a language only survives inside <pre>
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.out), self.entities

    def skip_space(self, i: int) -> int:
        s = self.s
        while s[i] != "\0" and s[i] in _SPACE:
            i += 1
        return i

    def start_tag(self, begin: int) -> int:
        s, i = self.s, begin + 1
        while s[i] not in _SPACE and s[i] != ">":
            i += 1
        if s[i] == "\0":
            raise self.fail(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
        tag = s[begin + 1 : i].lower()
        if tag not in _TAGS:
            raise self.fail(
                f'Unsupported start tag "{tag}" at byte offset {self.byte_offset(begin)}'
            )
        argument = ""
        while s[i] != ">":
            i = self.skip_space(i)
            if s[i] == ">":
                break
            if s[i] == "\0":
                raise self.fail(
                    f'Unclosed start tag "{tag}" at byte offset {self.byte_offset(begin)}'
                )
            name_begin = i
            while s[i] not in _SPACE and s[i] not in "=>":
                i += 1
            name = s[name_begin:i]
            if not name:
                raise self.fail(
                    f'Empty attribute name in the tag "{tag}" at byte offset '
                    f"{self.byte_offset(begin)}"
                )
            i = self.skip_space(i)
            if s[i] != "=":
                if tag == "blockquote" and name == "expandable":
                    argument = "1"  # the only attribute Telegram accepts without a value
                    continue
                if s[i] == "\0":
                    raise self.fail(
                        f'Unclosed start tag "{tag}" at byte offset {self.byte_offset(begin)}'
                    )
                raise self.fail(
                    f'Expected equal sign in declaration of an attribute of the tag "{tag}" '
                    f"at byte offset {self.byte_offset(begin)}"
                )
            i = self.skip_space(i + 1)
            if s[i] == "\0":
                raise self.fail(
                    f'Unclosed start tag "{tag}" at byte offset {self.byte_offset(begin)}'
                )
            value, i = self.attribute_value(i)
            if s[i] == "\0":
                raise self.fail(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
            argument = _tag_argument(tag, name, value, argument)
        if tag == "span" and argument != "spoiler":
            raise self.fail(
                f'Tag "span" must have class "tg-spoiler" at byte offset {self.byte_offset(begin)}'
            )
        self.stack.append((tag, argument, self.u16, len(self.out)))
        return i + 1

    def attribute_value(self, i: int) -> tuple[str, int]:
        s = self.s
        quote = s[i]
        if quote not in "'\"":
            end = _run_end(_NAME_TOKEN, s, i)  # an unquoted HTML name token
            if s[end] not in _SPACE and s[end] != ">":
                raise self.fail(
                    f"Unexpected end of name token at byte offset {self.byte_offset(i)}"
                )
            return s[i:end].lower(), end
        i += 1
        chars: list[str] = []
        while s[i] != quote and s[i] != "\0":
            if s[i] == "&":
                char, end = _decode_ref(s, i)
                if char:
                    chars.append(char)
                    i = end
                    continue
                if self.strict:
                    raise self.fail(
                        f'Character "&" at byte offset {self.byte_offset(i)} does not start an '
                        'HTML entity; escape it as "&amp;"'
                    )
            chars.append(s[i])
            i += 1
        return "".join(chars), i + 1 if s[i] == quote else i

    def end_tag(self, begin: int) -> int:
        s = self.s
        if not self.stack:
            raise self.fail(f"Unexpected end tag at byte offset {self.byte_offset(begin)}")
        i = begin + 2
        while s[i] not in _SPACE and s[i] != ">":
            i += 1
        end_name = s[begin + 2 : i]
        i = self.skip_space(i)
        if s[i] != ">":
            raise self.fail(f"Unclosed end tag at byte offset {self.byte_offset(begin)}")
        tag, argument, offset, out_index = self.stack.pop()
        # tdlib lower-cases start tags but compares end tags verbatim, so <B>x</B> fails.
        if end_name and end_name != tag:
            raise self.fail(
                f"Unmatched end tag at byte offset {self.byte_offset(begin)}, "
                f'expected "</{tag}>", found "</{end_name}>"'
            )
        if self.u16 > offset:  # Telegram silently drops empty entities
            self.add_entity(tag, argument, offset, self.u16 - offset, out_index)
        return i + 1

    def add_entity(self, tag: str, argument: str, offset: int, length: int, index: int) -> None:
        entity: JSON = {"type": _SIMPLE_ENTITIES.get(tag, tag), "offset": offset, "length": length}
        last: JSON = self.entities[-1] if self.entities else {}
        same_span = (last.get("offset"), last.get("length")) == (offset, length)
        if tag == "a":
            url = argument or "".join(self.out[index:])
            if ":" not in url and "." not in url:
                return  # Telegram drops links whose URL does not validate
            entity = {"type": "text_link", "offset": offset, "length": length, "url": url}
        elif tag == "code":
            if same_span and last["type"] == "pre" and argument:
                last["language"] = argument  # <pre><code class="language-x"> is one entity
                return
            entity["type"] = "code"
        elif tag == "pre":
            if same_span and last["type"] == "code" and "language" in last:
                last["type"] = "pre"
                return
        elif tag == "blockquote":
            entity["type"] = "expandable_blockquote" if argument else "blockquote"
        elif tag == "tg-emoji":
            if not argument.isdigit() or not 0 < int(argument) < 2**63:
                raise self.fail("Invalid custom emoji identifier specified")
            entity = {
                "type": "custom_emoji",
                "offset": offset,
                "length": length,
                "custom_emoji_id": argument,
            }
        if tag == "code" and argument:
            entity["language"] = argument  # kept only if a <pre> closes around it
        self.entities.append(entity)


def _tag_argument(tag: str, name: str, value: str, current: str) -> str:
    """The attribute value tdlib keeps for ``tag``; other attributes are ignored."""
    if tag == "a" and name == "href":
        return value
    if tag == "code" and name == "class" and value.startswith("language-"):
        return value[9:]
    if tag == "span" and name == "class" and value.startswith("tg-"):
        return value[3:]
    if tag == "tg-emoji" and name == "emoji-id":
        return value
    return current


def parse_telegram_html_entities(
    text: str, *, strict_ampersand: bool = True
) -> tuple[str, list[JSON]]:
    """Parse Telegram HTML into (plain text, MessageEntity dicts with UTF-16 offsets)."""
    return _Parser(text, strict_ampersand).run()
