"""The Application: built from settings, and the one place every handler is registered."""

from __future__ import annotations

import logging
from typing import Any
from zoneinfo import ZoneInfo

from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CommandHandler,
    ContextTypes,
    Defaults,
)
from telegram.request import BaseRequest

from bot.context import SERVICES_KEY, NewsContext, Services, services_of
from bot.delivery import SENDER_KEY, SENDER_REQUEST_KEY, start_sender
from bot.handlers.errors import report_error
from bot.handlers.start import help_command, start
from bot.menu import build_menus, publish_menus
from digests.catalog import load_catalog, sync_catalog
from digests.config import Settings
from digests.db import create_engine, create_sessionmaker, session_scope
from digests.render import Renderer

logger = logging.getLogger(__name__)

NewsApplication = Application[Any, NewsContext, Any, Any, Any, Any]


def register_handlers(application: NewsApplication) -> None:
    """Every handler, in order. Order matters: the first matching handler in a group wins."""
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CommandHandler("help", help_command))
    application.add_error_handler(report_error)


async def open_services(application: NewsApplication) -> None:
    """post_init: open the database, load the topic catalogue, publish the command menu."""
    services = services_of(application)
    services.engine = create_engine(services.settings.database_url)
    services.sessionmaker = create_sessionmaker(services.engine)
    catalog = load_catalog(services.settings.config_path)
    async with session_scope(services.sessionmaker) as session:
        await sync_catalog(session=session, catalog=catalog)
    services.menu = build_menus(services.renderer)
    await publish_menus(application.bot, services.menu, services.renderer.default_language)
    if services.settings.sender_enabled:  # the outbox sender runs beside the handlers
        application.bot_data[SENDER_KEY] = await start_sender(
            services.settings,
            services.sessionmaker,
            role="run",
            request=application.bot_data.get(SENDER_REQUEST_KEY),
        )
    logger.info("newsbot is up as @%s", application.bot.username)


async def stop_sender(application: NewsApplication) -> None:
    """post_stop (and post_shutdown): let the sender finish or release what is in flight."""
    running = application.bot_data.pop(SENDER_KEY, None)
    if running is not None:
        await running.stop()


async def close_services(application: NewsApplication) -> None:
    """post_shutdown: release what open_services opened."""
    await stop_sender(application)
    services = services_of(application)
    if services.engine is not None:
        await services.engine.dispose()
        services.engine = None


def build_application(
    settings: Settings,
    *,
    renderer: Renderer | None = None,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
) -> NewsApplication:
    """The bot, wired: defaults, rate limiter, services and handlers."""
    builder = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(settings.api_base_url)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                tzinfo=ZoneInfo(settings.default_timezone),
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .rate_limiter(AIORateLimiter(max_retries=3))
        .context_types(ContextTypes(context=NewsContext))
        .post_init(open_services)
        .post_stop(stop_sender)
        .post_shutdown(close_services)
    )
    if request is not None:
        builder = builder.request(request)
    if get_updates_request is not None:
        builder = builder.get_updates_request(get_updates_request)
    application = builder.build()
    # An injected transport (tests) carries the sender's calls too; else it opens aiohttp.
    application.bot_data[SENDER_REQUEST_KEY] = request
    application.bot_data[SERVICES_KEY] = Services(
        settings=settings, renderer=renderer or Renderer(default_language=settings.default_language)
    )
    register_handlers(application)
    return application
