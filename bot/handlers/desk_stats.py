"""/stats: the desk's figures as a chart (PNG) with a short summary."""

from __future__ import annotations

import asyncio
import logging

from telegram import InputFile, Update

from bot.context import NewsContext
from bot.handlers.desk_access import desk_role
from bot.keyboards import parse_labels
from digests.desk.chart import ChartsUnavailable, draw_chart
from digests.desk.stats import collect_stats
from digests.ids import parse_id
from digests.models import utcnow

DAYS = 14
MAX_DAYS = 90
logger = logging.getLogger(__name__)


async def stats_command(update: Update, context: NewsContext) -> None:
    """/stats [days]: subscribers by topic, joins and leaves by campaign, deliveries, failures."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or not await desk_role(update, context, "stats"):
        return
    language = context.language_for(user.language_code)
    args = context.args or []
    days = parse_id(args[0], maximum=MAX_DAYS) if args else DAYS
    if not days or len(args) > 1:
        text = context.render("desk/stats_usage.html", language=language, maximum=MAX_DAYS)
        await message.reply_text(text)
        return
    async with context.session() as session:
        stats = await collect_stats(session=session, now=utcnow(), days=days)
    labels = parse_labels(context.render("desk/chart_labels.txt", language=language))
    try:
        # Drawing takes a fraction of a second of CPU: off the event loop, so updates keep flowing.
        png = await asyncio.to_thread(draw_chart, stats, labels)
    except ChartsUnavailable as exc:
        logger.warning("/stats without a chart: %s (install newsbot[charts])", exc)
        await message.reply_text(
            context.render("desk/stats_without_chart.html", language=language, stats=stats)
        )
        return
    caption = context.render("desk/stats.html", language=language, stats=stats)
    await message.reply_photo(InputFile(png, filename="stats.png"), caption=caption)
