"""User search syntax ("quoted phrase", OR, -exclude) parsed and rewritten safely for
SQLite FTS5 and PostgreSQL websearch_to_tsquery. Pure: no input can yield a syntax error,
because only words (\\w+) ever reach the engines, always inside double quotes."""

from __future__ import annotations

import re
from dataclasses import dataclass

TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
WORD = re.compile(r"\w+", re.UNICODE)
MAX_CLAUSES = 12
MAX_WORDS_PER_PHRASE = 8
MAX_WORD_CHARS = 64

Phrase = tuple[str, ...]


@dataclass(frozen=True)
class ParsedQuery:
    """All `groups` must match (each group: any one of its phrases); no `excluded` may."""

    groups: tuple[tuple[Phrase, ...], ...]
    excluded: tuple[Phrase, ...]

    @property
    def empty(self) -> bool:
        """Nothing positive to look for (an empty or only-excluding query)."""
        return not self.groups


def _phrase(text: str) -> Phrase:
    words = [w[:MAX_WORD_CHARS] for w in WORD.findall(text)]
    return tuple(words[:MAX_WORDS_PER_PHRASE])


def parse_query(text: str) -> ParsedQuery:
    """Parse user syntax: words, "phrases", OR between terms, -word or -"phrase" to exclude."""
    groups: list[list[Phrase]] = []
    excluded: list[Phrase] = []
    join_next = False
    for match in TOKEN.finditer(text[:1000]):
        negative, quoted, bare = match.group(1), match.group(2), match.group(3)
        if bare is not None and bare == "OR":
            join_next = bool(groups)
            continue
        if bare is not None and bare.startswith("-") and len(bare) > 1:
            negative, bare = "-", bare[1:]
        phrase = _phrase(quoted if quoted is not None else bare or "")
        if not phrase:
            continue
        if negative:
            excluded.append(phrase)
        elif join_next:
            groups[-1].append(phrase)
        else:
            groups.append([phrase])
        join_next = False
    return ParsedQuery(
        groups=tuple(tuple(g) for g in groups[:MAX_CLAUSES]),
        excluded=tuple(excluded[:MAX_CLAUSES]),
    )


def _quoted(phrase: Phrase) -> str:
    return '"' + " ".join(phrase) + '"'


def to_fts5(query: ParsedQuery) -> str:
    """An FTS5 MATCH expression; every phrase quoted so no word is read as an operator."""
    parts = []
    for group in query.groups:
        alternatives = [_quoted(p) for p in group]
        parts.append(alternatives[0] if len(group) == 1 else "(" + " OR ".join(alternatives) + ")")
    expression = " AND ".join(parts)
    for phrase in query.excluded:
        expression += " NOT " + _quoted(phrase)
    return expression


def to_websearch(query: ParsedQuery) -> str:
    """Text for PostgreSQL's websearch_to_tsquery (which itself never raises on syntax)."""
    parts = [" OR ".join(_quoted(p) for p in group) for group in query.groups]
    parts.extend("-" + _quoted(p) for p in query.excluded)
    return " ".join(parts)
