"""Searching the archive: one `search()` over SQLite FTS5 and PostgreSQL tsvector, ranked by
relevance with recency, with snippets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Row, text
from sqlalchemy.ext.asyncio import AsyncSession

from digests.archive.search_query import parse_query, to_fts5, to_websearch
from digests.db import is_postgres
from digests.text.telegram_html import clip, utf16_len

# Snippet highlight markers: private-use characters that article text never carries.
MARK_START = "\ue000"
MARK_END = "\ue001"
# Relevance halves when an article is this many days old.
RECENCY_DAYS = 14.0
MAX_LIMIT = 50
# A snippet's length in UTF-16 units (Telegram's count): five results fit one message.
SNIPPET_UNITS = 400
# Relevance is computed for at most this many of the newest matches. A word found in most of
# the archive would otherwise be scored in every article; with recency in the ranking the
# best results come from the newest matches anyway, and rarer queries are ranked in full.
CANDIDATES = 1000
UNIX_EPOCH_JULIAN_DAY = 2440587.5


@dataclass(frozen=True)
class SearchHit:
    """One result: the article, its score and a snippet with highlight markers."""

    article_id: int
    title: str
    url: str
    summary: str
    published_at: datetime
    score: float
    snippet: str
    source: str = ""

    def snippet_segments(self, limit: int = SNIPPET_UNITS) -> list[tuple[str, bool]]:
        """The snippet as (text, highlighted) pieces, for templates to mark up safely, at most
        `limit` UTF-16 units in all (a snippet of long tokens, `=====` or emoji, is cut)."""
        segments: list[tuple[str, bool]] = []
        for index, piece in enumerate(self.snippet.split(MARK_START)):
            if index == 0:
                segments.append((piece, False))
                continue
            marked, _, rest = piece.partition(MARK_END)
            segments.extend([(marked, True), (rest, False)])
        bounded: list[tuple[str, bool]] = []
        for piece, highlighted in segments:
            if not piece:
                continue
            if utf16_len(piece) > limit:
                lead = " " if piece[:1].isspace() else ""  # clip() trims; keep the word gap
                bounded.append((lead + clip(piece, max(limit - len(lead), 1)), highlighted))
                break
            bounded.append((piece, highlighted))
            limit -= utf16_len(piece)
        return bounded


def _filters(topic: str | None, since: datetime | None, params: dict[str, Any]) -> str:
    clauses = ""
    if since is not None:
        clauses += " AND a.published_at >= :since"
        params["since"] = since if since.tzinfo else since.replace(tzinfo=UTC)
    if topic is not None:
        clauses += (
            " AND EXISTS (SELECT 1 FROM article_topics AS at JOIN topics AS t"
            " ON t.id = at.topic_id WHERE at.article_id = a.id AND t.slug = :topic)"
        )
        params["topic"] = topic
    return clauses


async def _sqlite(
    session: AsyncSession,
    match: str,
    topic: str | None,
    since: datetime | None,
    limit: int,
    offset: int,
    now: datetime,
) -> list[SearchHit]:
    params: dict[str, Any] = {"match": match, "limit": limit, "offset": offset}
    params["now_jd"] = now.timestamp() / 86400.0 + UNIX_EPOCH_JULIAN_DAY
    where = _filters(topic, since, params)
    if "since" in params:
        params["since"] = params["since"].astimezone(UTC).replace(tzinfo=None)
    params["candidates"] = CANDIDATES
    ranked = (
        await session.execute(
            text(
                "SELECT id, score FROM (SELECT a.id AS id, -bm25(articles_fts, 10.0, 4.0, 1.0)"
                " / (1.0 + max(0.0, :now_jd - julianday(a.published_at)) / "
                f"{RECENCY_DAYS}) AS score"
                " FROM articles_fts JOIN articles AS a ON a.id = articles_fts.rowid"
                f" WHERE articles_fts MATCH :match{where}"
                " ORDER BY articles_fts.rowid DESC LIMIT :candidates)"
                " ORDER BY score DESC, id DESC LIMIT :limit OFFSET :offset"
            ),
            params,
        )
    ).all()
    if not ranked:
        return []
    ids = [row.id for row in ranked]
    # Snippets only for the page of results, not for every match.
    placeholders = ", ".join(f":id{i}" for i in range(len(ids)))
    details = {
        row.id: row
        for row in (
            await session.execute(
                text(
                    "SELECT a.id AS id, a.title, a.url, a.summary, a.published_at,"
                    " s.title AS source,"
                    f" snippet(articles_fts, -1, '{MARK_START}', '{MARK_END}', '…', 24) AS snip"
                    " FROM articles_fts JOIN articles AS a ON a.id = articles_fts.rowid"
                    " LEFT JOIN sources AS s ON s.id = a.source_id"
                    f" WHERE articles_fts MATCH :match AND articles_fts.rowid IN ({placeholders})"
                ),
                {"match": match, **{f"id{i}": v for i, v in enumerate(ids)}},
            )
        ).all()
    }
    return [_hit(details[row.id], row.score) for row in ranked if row.id in details]


def _hit(row: Row[Any], score: float) -> SearchHit:
    published = row.published_at
    if isinstance(published, str):
        published = datetime.fromisoformat(published)
    if published.tzinfo is None:
        published = published.replace(tzinfo=UTC)
    return SearchHit(
        article_id=row.id,
        title=row.title,
        url=row.url,
        summary=row.summary,
        published_at=published,
        score=float(score),
        snippet=row.snip or "",
        source=row.source or "",
    )


async def _postgres(
    session: AsyncSession,
    websearch: str,
    topic: str | None,
    since: datetime | None,
    limit: int,
    offset: int,
    now: datetime,
) -> list[SearchHit]:
    params: dict[str, Any] = {
        "q": websearch,
        "limit": limit,
        "offset": offset,
        "now": now,
        "candidates": CANDIDATES,
    }
    where = _filters(topic, since, params)
    options = f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=35, MinWords=12"
    # A generic plan cannot see how many rows the query's words match, and picks a scan of
    # the newest articles that reads the whole table for a rare word; plan each search anew.
    await session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
    rows = (
        await session.execute(
            text(
                "WITH query AS (SELECT websearch_to_tsquery('english', :q) AS q),"
                " recent AS (SELECT a.id, a.search_vector, a.published_at"
                " FROM articles AS a, query WHERE a.search_vector @@ query.q"
                f"{where} ORDER BY a.published_at DESC LIMIT :candidates),"
                " top AS (SELECT recent.id, ts_rank_cd(recent.search_vector, query.q, 1)"
                " / (1.0 + GREATEST(0, EXTRACT(EPOCH FROM (:now - recent.published_at))"
                f" / 86400.0) / {RECENCY_DAYS}) AS score"
                " FROM recent, query ORDER BY score DESC, recent.id DESC"
                " LIMIT :limit OFFSET :offset)"
                " SELECT a.id, a.title, a.url, a.summary, a.published_at, top.score,"
                " s.title AS source,"
                " ts_headline('english', a.summary || ' ' || left(a.text, 3000), query.q,"
                " :options) AS snip"
                " FROM top JOIN articles AS a ON a.id = top.id"
                " LEFT JOIN sources AS s ON s.id = a.source_id, query"
                " ORDER BY top.score DESC, a.id DESC"
            ),
            {**params, "options": options},
        )
    ).all()
    return [_hit(row, row.score) for row in rows]


async def search(
    *,
    session: AsyncSession,
    query: str,
    topic: str | None = None,
    since: datetime | None = None,
    limit: int = 10,
    offset: int = 0,
    now: datetime | None = None,
) -> list[SearchHit]:
    """Articles matching the user's query, best first; [] when the query has nothing to find.

    `offset` pages through the ranked results (at most the newest CANDIDATES matches).
    """
    parsed = parse_query(query)
    if parsed.empty:
        return []
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, min(offset, CANDIDATES))
    now = now or datetime.now(UTC)
    if is_postgres(session):
        return await _postgres(session, to_websearch(parsed), topic, since, limit, offset, now)
    return await _sqlite(session, to_fts5(parsed), topic, since, limit, offset, now)
