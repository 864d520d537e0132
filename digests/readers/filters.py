"""A chat's keyword filters: /exclude leaves matching items out, /include keeps only those.

Matching is on whole words of the title and summary, case- and accent-insensitive and
stemmed for the article's language (digests.text.words), the same on every database; a
filter is words or a quoted phrase, never a pattern, so no input can make matching slow.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from digests.errors import FilterLimit
from digests.models import ChatFilter
from digests.text.words import stem, words

EXCLUDE, INCLUDE = "exclude", "include"
MAX_FILTERS = 20  # per chat, both kinds together
MAX_PHRASE = 100
_TERMS = re.compile(r'"([^"]*)"|“([^”]*)”|([^\s,"“”]+)')


def parse_phrases(text: str) -> list[str]:
    """The filters typed after a command: words, or "quoted phrases"; commas separate too."""
    phrases = []
    for quoted, curly, word in _TERMS.findall(text):
        phrase = " ".join(words(quoted or curly or word))[:MAX_PHRASE].strip()
        if phrase and phrase not in phrases:
            phrases.append(phrase)
    return phrases


@dataclass(frozen=True, slots=True)
class FilterSet:
    """A chat's filters, hashable: chats with equal filters share one rendering."""

    exclude: tuple[str, ...] = ()
    include: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.exclude or self.include)

    def allows(self, title: str, summary: str, language: str | None) -> bool:
        """Whether an item with this title and summary passes the filters."""
        if not self:
            return True
        text = _stems(f"{title}\n{summary}", language or "")
        if any(_contains(text, _stems(phrase, language or "")) for phrase in self.exclude):
            return False
        return not self.include or any(
            _contains(text, _stems(phrase, language or "")) for phrase in self.include
        )

    def allows_alert(self, text: str, language: str | None) -> bool:
        """Whether a breaking alert reaches the chat: only /exclude applies to alerts (an
        /include list shapes digests; it would silence every other emergency)."""
        return FilterSet(exclude=self.exclude).allows(text, "", language)


@dataclass(frozen=True, slots=True)
class _Stems:
    sequence: tuple[str, ...]
    present: frozenset[str]


# An article's text is stemmed once however many chats' filters look at it (a digest run
# walks the same few thousand articles for every audience).
@lru_cache(maxsize=50_000)
def _stems(text: str, language: str) -> _Stems:
    sequence = tuple(stem(word, language) for word in words(text))
    return _Stems(sequence, frozenset(sequence))


def _contains(text: _Stems, phrase: _Stems) -> bool:
    size = len(phrase.sequence)
    if not size or not phrase.present <= text.present:
        return False
    if size == 1:
        return True
    words_ = text.sequence
    return any(words_[i : i + size] == phrase.sequence for i in range(len(words_) - size + 1))


async def filters_of(*, session: AsyncSession, chat_ids: Sequence[int]) -> dict[int, FilterSet]:
    """The filters of each chat that has any."""
    found: dict[int, dict[str, list[str]]] = defaultdict(lambda: {EXCLUDE: [], INCLUDE: []})
    for offset in range(0, len(chat_ids), 5000):
        rows = await session.execute(
            select(ChatFilter.chat_id, ChatFilter.kind, ChatFilter.phrase)
            .where(ChatFilter.chat_id.in_(chat_ids[offset : offset + 5000]))
            .order_by(ChatFilter.chat_id, ChatFilter.kind, ChatFilter.phrase)
        )
        for chat_id, kind, phrase in rows:
            found[chat_id][kind].append(phrase)
    return {
        chat_id: FilterSet(exclude=tuple(kinds[EXCLUDE]), include=tuple(kinds[INCLUDE]))
        for chat_id, kinds in found.items()
    }


async def chat_filters(*, session: AsyncSession, chat_id: int) -> FilterSet:
    """One chat's filters (empty when it has none)."""
    return (await filters_of(session=session, chat_ids=[chat_id])).get(chat_id, FilterSet())


async def add_filters(
    *, session: AsyncSession, chat_id: int, kind: str, phrases: Iterable[str], now: datetime
) -> list[str]:
    """Add phrases of a kind; returns those that were new. FilterLimit past MAX_FILTERS."""
    current = await chat_filters(session=session, chat_id=chat_id)
    have = set(current.exclude if kind == EXCLUDE else current.include)
    new = [phrase for phrase in phrases if phrase not in have]
    if len(current.exclude) + len(current.include) + len(new) > MAX_FILTERS:
        raise FilterLimit("too_many_filters", MAX_FILTERS)
    session.add_all(
        ChatFilter(chat_id=chat_id, kind=kind, phrase=phrase, created_at=now) for phrase in new
    )
    await session.flush()
    return new


async def remove_filter(*, session: AsyncSession, chat_id: int, kind: str, phrase: str) -> None:
    """Remove one filter (nothing happens when it is not there)."""
    await session.execute(
        delete(ChatFilter).where(
            ChatFilter.chat_id == chat_id, ChatFilter.kind == kind, ChatFilter.phrase == phrase
        )
    )


async def clear_filters(*, session: AsyncSession, chat_id: int) -> None:
    """Remove every filter of the chat."""
    await session.execute(delete(ChatFilter).where(ChatFilter.chat_id == chat_id))
