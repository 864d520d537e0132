"""Searching the archive: one `search()` over SQLite FTS5 and PostgreSQL tsvector, ranked by
relevance with recency, with snippets."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Row, text
from sqlalchemy.ext.asyncio import AsyncSession

from digests.archive.search_query import parse_query, to_fts5, to_websearch
from digests.db import is_postgres

# Snippet highlight markers: private-use characters that article text never carries.
MARK_START = "\ue000"
MARK_END = "\ue001"
# Relevance halves when an article is this many days old.
RECENCY_DAYS = 14.0
MAX_LIMIT = 50
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

    def snippet_segments(self) -> list[tuple[str, bool]]:
        """The snippet as (text, highlighted) pieces, for templates to mark up safely."""
        segments: list[tuple[str, bool]] = []
        for index, piece in enumerate(self.snippet.split(MARK_START)):
            if index == 0:
                segments.append((piece, False))
                continue
            marked, _, rest = piece.partition(MARK_END)
            segments.extend([(marked, True), (rest, False)])
        return [(t, h) for t, h in segments if t]


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


TSQUERY = "websearch_to_tsquery('english', :q)"
# PostgreSQL keeps each article's tsvector in article_search (article_id, published_at,
# search_vector), a narrow table kept by a trigger (migration 0006), and finds the newest
# CANDIDATES matches with one of two plans, picked by the planner's own estimates of how many
# articles match. NEWEST_FIRST walks the articles the filters allow newest first, checking each
# one's vector, and stops at CANDIDATES: few reads when the words are common. INDEX_FIRST asks
# the GIN index for every match and reads only those rows: few reads when they are rarer. The
# planner, left to choose, walks newest first far too often, because a vector it checks may be
# a TOAST read it does not count (30,000 articles walked for a word in 3% of them: 125 ms,
# against 5 ms from the index). The tsquery is written inline, never in a CTE, so the estimates
# come from the column's statistics of each word.
# For this transaction: plan each search with its own words (a generic plan cannot see them),
# and in one process (a parallel plan's start-up alone costs more than the search).
PLANNING = (
    "SELECT set_config('plan_cache_mode', 'force_custom_plan', true),"
    " set_config('max_parallel_workers_per_gather', '0', true)"
)
# A row the index finds costs about this many rows of a newest-first walk (measured on 100,000
# articles: 3-5 µs against 1-2.5 µs): the walk reads neighbouring rows of recent pages.
INDEX_ROW_COST = 2.5
SEARCH_ROWS = "(SELECT article_id AS id, published_at, search_vector FROM article_search)"
NEWEST_FIRST = (
    f"SELECT a.id, a.published_at FROM {SEARCH_ROWS} AS a"
    f" WHERE a.search_vector @@ {TSQUERY}{{where}}"
    " ORDER BY a.published_at DESC, a.id DESC LIMIT :candidates"
)
# The index's matches (sequential scans are off for this statement), then the filters: no plan
# can check vectors one by one.
INDEX_FIRST = (
    "SELECT a.id, a.published_at FROM (SELECT article_id AS id, published_at FROM article_search"
    f" WHERE search_vector @@ {TSQUERY} OFFSET 0) AS a WHERE true{{where}}"
    " ORDER BY a.published_at DESC, a.id DESC LIMIT :candidates"
)


def _ranked_sql(recent: str) -> str:
    """The page of `recent` ranked by relevance with recency, with snippets."""
    return (
        f"WITH recent AS MATERIALIZED ({recent}),"
        f" top AS (SELECT r.id, ts_rank_cd(v.search_vector, {TSQUERY}, 1)"
        " / (1.0 + GREATEST(0, EXTRACT(EPOCH FROM (:now - r.published_at))"
        f" / 86400.0) / {RECENCY_DAYS}) AS score"
        " FROM recent AS r JOIN article_search AS v ON v.article_id = r.id"
        " ORDER BY score DESC, r.id DESC LIMIT :limit OFFSET :offset)"
        " SELECT a.id, a.title, a.url, a.summary, a.published_at, top.score,"
        " s.title AS source,"
        f" ts_headline('english', a.summary || ' ' || left(a.text, 3000), {TSQUERY},"
        " :options) AS snip"
        " FROM top JOIN articles AS a ON a.id = top.id"
        " LEFT JOIN sources AS s ON s.id = a.source_id"
        " ORDER BY top.score DESC, a.id DESC"
    )


async def _newest_first(
    session: AsyncSession, where: str, window: str, params: dict[str, Any]
) -> bool:
    """Whether walking articles newest first (within `window`, the `since` filter) finds the
    candidates in fewer reads than the index, by the planner's estimates (nothing is run)."""
    rows = f"SELECT a.id FROM {SEARCH_ROWS} AS a WHERE"
    estimated = (
        f"EXPLAIN (FORMAT JSON) {rows} a.search_vector @@ {TSQUERY}"
        f" UNION ALL {rows} a.search_vector @@ {TSQUERY}{where}"
        f" UNION ALL {rows} true{window}"
    )
    plan = await session.scalar(text(estimated), params)
    if isinstance(plan, str):
        plan = json.loads(plan)
    indexed, found, walked = (
        max(1.0, float(part["Plan Rows"])) for part in plan[0]["Plan"]["Plans"]
    )
    # As far as the planner knows, the matches are spread evenly over the walk.
    return CANDIDATES * walked / found < INDEX_ROW_COST * indexed


async def _postgres(
    session: AsyncSession,
    websearch: str,
    topic: str | None,
    since: datetime | None,
    limit: int,
    offset: int,
    now: datetime,
) -> list[SearchHit]:
    params: dict[str, Any] = {"q": websearch, "limit": limit, "offset": offset, "now": now}
    params["candidates"] = CANDIDATES
    params["options"] = f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=35, MinWords=12"
    where = _filters(topic, since, params)
    window = _filters(None, since, {})
    await session.execute(text(PLANNING))
    if await _newest_first(session, where, window, params):
        sql = _ranked_sql(NEWEST_FIRST.format(where=where))
        return [_hit(row, row.score) for row in await session.execute(text(sql), params)]
    await session.execute(text("SELECT set_config('enable_seqscan', 'off', true)"))
    try:
        sql = _ranked_sql(INDEX_FIRST.format(where=where))
        return [_hit(row, row.score) for row in await session.execute(text(sql), params)]
    finally:
        await session.execute(text("SELECT set_config('enable_seqscan', 'on', true)"))


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
