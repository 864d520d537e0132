"""Recurring jobs (PTB's JobQueue): each asks the database what is due now."""

from __future__ import annotations

import logging

from bot.context import NewsContext
from digests.editions.assemble import Limits
from digests.editions.build import BuildCache, BuildOptions, BuildReport, build_due_editions
from digests.models import utcnow

logger = logging.getLogger(__name__)

# One run stops after this many batches so a backlog cannot starve the other jobs.
MAX_DIGEST_BATCHES = 50


def digest_options(context: NewsContext) -> BuildOptions:
    """Digest building options from the settings and the bot's own username."""
    settings = context.settings
    return BuildOptions(
        limits=Limits(
            per_section=settings.digest_items_per_section, total=settings.digest_max_items
        ),
        send_empty=settings.digest_send_empty,
        bot_username=context.bot.username,
    )


async def build_digests(context: NewsContext) -> None:
    """Build and queue every digest that is due, one transaction per batch."""
    options = digest_options(context)
    total, cache, now = BuildReport(), BuildCache(), utcnow()
    for _ in range(MAX_DIGEST_BATCHES):
        async with context.session() as session:
            report = await build_due_editions(
                session=session,
                renderer=context.services.renderer,
                now=now,
                options=options,
                cache=cache,
            )
        total.add(report)
        if report.chats < options.batch_size:
            break
    if total.chats:
        logger.info(
            "digests: %d chats, %d messages queued, %d renderings",
            total.chats,
            total.messages,
            total.renderings,
        )
