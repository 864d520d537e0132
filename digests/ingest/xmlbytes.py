"""An XML feed's bytes made safe to hand to feedparser (pure, bytes in and out).

Two repairs before parsing, each reported as a problem line naming the entry it touched:
  - a numeric character reference that names no character XML allows (`&#xD800;`,
    `&#x110000;`, `&#99999999999;`, `&#0;`) is replaced by U+FFFD: feedparser raises on them
    (chr() or UTF-8 encoding fails), which failed the whole feed;
  - a feed with more than `max_entries` entries is cut after that many, before feedparser turns
    every one into objects (a 9.5 MB feed of 40,000 items took 27 s to parse).
"""

from __future__ import annotations

import re
from bisect import bisect_right

# &#NNN; or &#xHHH; also as &amp;#...; (escaped HTML, which feedparser unescapes and parses).
CHAR_REF = re.compile(rb"&(?:amp;)?#(?:[xX]([0-9A-Fa-f]{1,16})|([0-9]{1,24}));")
ENTRY_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)[\s>/]", re.IGNORECASE)
ENTRY_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?(?:item|entry)\s*>", re.IGNORECASE)
REPLACEMENT = b"&#xFFFD;"
MAX_REPORTED = 20


def xml_char_allowed(code: int) -> bool:
    """Whether XML 1.0 allows the character (its Char production)."""
    return (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


def _where(starts: list[int], offset: int) -> str:
    index = bisect_right(starts, offset)
    return f"entry {index}" if index else "feed"


def repair_char_refs(data: bytes) -> tuple[bytes, list[str]]:
    """The document with every disallowed character reference replaced, and one problem line
    per entry that had one (`entry N: ...`, numbered as the parser numbers entries)."""
    bad: list[re.Match[bytes]] = []
    for match in CHAR_REF.finditer(data):
        hexadecimal, decimal = match.group(1), match.group(2)
        code = int(hexadecimal, 16) if hexadecimal else int(decimal)
        if not xml_char_allowed(code):
            bad.append(match)
    if not bad:
        return data, []
    starts = [m.start() for m in ENTRY_START.finditer(data)]
    problems: dict[str, str] = {}
    pieces, position = [], 0
    for match in bad:
        pieces.extend([data[position : match.start()], REPLACEMENT])
        position = match.end()
        where = _where(starts, match.start())
        if where not in problems and len(problems) < MAX_REPORTED:
            reference = match.group(0).decode("ascii")[:32]
            problems[where] = (
                f"{where}: an invalid character reference ({reference}) was replaced by U+FFFD"
            )
    pieces.append(data[position:])
    return b"".join(pieces), list(problems.values())


def cap_entries(data: bytes, max_entries: int) -> tuple[bytes, bool]:
    """The document cut after its first `max_entries` entries (the rest of the document after
    the last entry kept, so it still closes), and whether anything was cut."""
    starts = ENTRY_START.finditer(data)
    cut = None
    for count, match in enumerate(starts, start=1):
        if count > max_entries:
            cut = match.start()
            break
    if cut is None:
        return data, False
    last_end = max((m.end() for m in ENTRY_END.finditer(data, cut)), default=len(data))
    tail = data[last_end:]
    return data[:cut] + tail, True
