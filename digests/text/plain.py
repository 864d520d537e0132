"""Plain text cut to a budget of characters."""

from __future__ import annotations


def cut(text: str, limit: int) -> tuple[str, bool]:
    """Text cut to at most limit characters at a word boundary; and whether it was cut."""
    if len(text) <= limit:
        return text, False
    head = text[:limit]
    space = head.rfind(" ", limit - 200)
    return (head[:space] if space > 0 else head).rstrip() + "…", True
