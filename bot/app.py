"""The Application: built from settings, and the one place every handler is registered."""

from __future__ import annotations

import logging
from typing import Any
from zoneinfo import ZoneInfo

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest

from bot.context import SERVICES_KEY, NewsContext, Services, services_of
from bot.desk_keyboards import (
    ALERT_AUDIENCE,
    ALERT_CANCEL,
    ALERT_CONFIRM,
    ALERT_DISCARD,
    SOURCE_LIST,
    SOURCE_PAUSE,
    SOURCE_REMOVE,
    SOURCE_REMOVE_YES,
    SOURCE_RESUME,
)
from bot.desk_status import refresh_alert_status
from bot.flood import guard_flood
from bot.flood_guard import FloodRule
from bot.handlers.channels import connect_channel, toggle_channel_topic
from bot.handlers.conversation import cancel_command, end_question, unknown_command
from bot.handlers.desk_admins import admins_command, desk_help
from bot.handlers.desk_alert_changes import (
    alert_edit_command,
    alert_retract_command,
    alerts_command,
)
from bot.handlers.desk_alerts import (
    ALERT_CAPTION,
    alert_audience_button,
    alert_cancel_button,
    alert_command,
    alert_confirm_button,
    alert_discard_button,
)
from bot.handlers.desk_opml import OPML_FILES, opml_document
from bot.handlers.desk_sources import (
    source_list_button,
    source_pause_button,
    source_remove_button,
    source_remove_yes_button,
    source_resume_button,
    sources_command,
)
from bot.handlers.desk_stats import stats_command
from bot.handlers.errors import report_error
from bot.handlers.filters import (
    FILTER_REMOVE,
    exclude_command,
    filter_remove_button,
    filters_command,
    include_command,
)
from bot.handlers.forum import here_command
from bot.handlers.inline import inline_search
from bot.handlers.lookups import (
    LATEST_PAGE,
    SEARCH_PAGE,
    digest_command,
    latest_command,
    latest_page_button,
    related_button,
    related_command,
    search_command,
    search_page_button,
)
from bot.handlers.membership import bot_membership_changed, chat_migrated
from bot.handlers.privacy import my_data, privacy
from bot.handlers.settings import setting_text, settings_button, show_settings
from bot.handlers.start import help_command, start, whoami
from bot.handlers.stop import ask_to_stop, stop_button
from bot.handlers.text import plain_text
from bot.handlers.topics import (
    my_subscriptions,
    show_topics,
    subscribe_command,
    toggle_topic_button,
    unsubscribe_command,
)
from bot.ignored import ignore_unactionable
from bot.jobs import (
    MAINTENANCE_SECONDS,
    build_digests,
    close_content,
    maintenance,
    once_across_instances,
    open_content,
    poll_sources,
)
from bot.keyboards import CHANNEL_TOPIC, SETTINGS, STOP, TOPIC_TOGGLE
from bot.measured import MeasuredApplication, measure_jobs
from bot.menu import build_menus, publish_menus
from bot.permissions import member_changed
from bot.sending import (
    SENDER_FAILED_KEY,
    SENDER_KEY,
    SENDER_REQUEST_KEY,
    STOP_SERVING_KEY,
    start_sender,
)
from digests.config import Settings
from digests.db import create_engine, create_sessionmaker, session_scope
from digests.editions.layout import RELATED_CALLBACK
from digests.ingest.catalog import load_catalog, sync_catalog
from digests.models import utcnow
from digests.readers.bot_identity import remember_bot_username
from digests.text.render import Renderer

logger = logging.getLogger(__name__)

NewsApplication = Application[Any, NewsContext, Any, Any, Any, Any]


def register_handlers(application: NewsApplication) -> None:
    """Every handler, in order. Order matters: the first matching handler in a group wins."""
    application.add_handler(TypeHandler(Update, ignore_unactionable), group=-2)
    application.add_handler(TypeHandler(Update, guard_flood), group=-1)
    application.add_handler(
        ChatMemberHandler(bot_membership_changed, ChatMemberHandler.MY_CHAT_MEMBER)
    )
    application.add_handler(ChatMemberHandler(member_changed, ChatMemberHandler.CHAT_MEMBER))
    application.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, chat_migrated))
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CommandHandler("help", help_command))
    application.add_handler(CommandHandler("whoami", whoami))
    application.add_handler(CommandHandler("topics", show_topics))
    application.add_handler(CallbackQueryHandler(toggle_topic_button, pattern=f"^{TOPIC_TOGGLE}"))
    application.add_handler(CommandHandler("subscribe", subscribe_command))
    application.add_handler(CommandHandler("unsubscribe", unsubscribe_command))
    application.add_handler(CommandHandler("mysubs", my_subscriptions))
    application.add_handler(CommandHandler("connect", connect_channel))
    application.add_handler(CallbackQueryHandler(toggle_channel_topic, pattern=f"^{CHANNEL_TOPIC}"))
    application.add_handler(CommandHandler("stop", ask_to_stop))
    application.add_handler(CommandHandler("exclude", exclude_command))
    application.add_handler(CommandHandler("include", include_command))
    application.add_handler(CommandHandler("filters", filters_command))
    application.add_handler(CallbackQueryHandler(filter_remove_button, pattern=f"^{FILTER_REMOVE}"))
    application.add_handler(CommandHandler("mydata", my_data))
    application.add_handler(CommandHandler("privacy", privacy))
    application.add_handler(CallbackQueryHandler(stop_button, pattern=f"^{STOP}"))
    application.add_handler(CommandHandler("settings", show_settings))
    application.add_handler(CommandHandler("here", here_command))
    application.add_handler(CallbackQueryHandler(settings_button, pattern=f"^{SETTINGS}"))
    application.add_handler(CommandHandler("digest", digest_command))
    application.add_handler(CommandHandler("latest", latest_command))
    application.add_handler(CallbackQueryHandler(latest_page_button, pattern=f"^{LATEST_PAGE}"))
    application.add_handler(CommandHandler("search", search_command))
    application.add_handler(CallbackQueryHandler(search_page_button, pattern=f"^{SEARCH_PAGE}"))
    application.add_handler(CommandHandler("related", related_command))
    application.add_handler(CallbackQueryHandler(related_button, pattern=f"^{RELATED_CALLBACK}"))
    application.add_handler(InlineQueryHandler(inline_search))
    register_desk_handlers(application)
    application.add_handler(CommandHandler("cancel", cancel_command))
    application.add_handler(MessageHandler(filters.LOCATION, setting_text))
    # A command no handler above took: point to /help (in groups only when addressed to us).
    commands = filters.UpdateType.MESSAGE & filters.COMMAND
    application.add_handler(MessageHandler(commands, unknown_command))
    # Last: any other text is a settings answer or, in a private chat, a search.
    application.add_handler(
        MessageHandler(filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND, plain_text)
    )
    # After any command to the bot: a pending settings question is over.
    application.add_handler(MessageHandler(commands, end_question), group=1)
    application.add_error_handler(report_error)


def register_desk_handlers(application: NewsApplication) -> None:
    """The editorial desk's handlers, in their place in register_handlers' order."""
    # The editorial desk: every command and button checks the user's role itself. A
    # UserError a handler lets rise is answered by report_error in errors/<code>.html.
    application.add_handler(CommandHandler("desk", desk_help))
    application.add_handler(CommandHandler("admins", admins_command))
    application.add_handler(CommandHandler("alert", alert_command))
    application.add_handler(
        MessageHandler(
            filters.UpdateType.MESSAGE & filters.PHOTO & filters.CaptionRegex(ALERT_CAPTION),
            alert_command,
        )
    )
    application.add_handler(CommandHandler("alerts", alerts_command))
    application.add_handler(CommandHandler("alert_edit", alert_edit_command))
    application.add_handler(CommandHandler("alert_retract", alert_retract_command))
    # One handler per desk button (a press of no registered pattern is left unanswered).
    application.add_handler(
        CallbackQueryHandler(alert_audience_button, pattern=f"^{ALERT_AUDIENCE}")
    )
    application.add_handler(CallbackQueryHandler(alert_confirm_button, pattern=f"^{ALERT_CONFIRM}"))
    application.add_handler(CallbackQueryHandler(alert_discard_button, pattern=f"^{ALERT_DISCARD}"))
    application.add_handler(CallbackQueryHandler(alert_cancel_button, pattern=f"^{ALERT_CANCEL}"))
    application.add_handler(CommandHandler("sources", sources_command))
    application.add_handler(CallbackQueryHandler(source_pause_button, pattern=f"^{SOURCE_PAUSE}"))
    application.add_handler(CallbackQueryHandler(source_resume_button, pattern=f"^{SOURCE_RESUME}"))
    application.add_handler(CallbackQueryHandler(source_remove_button, pattern=f"^{SOURCE_REMOVE}"))
    application.add_handler(
        CallbackQueryHandler(source_remove_yes_button, pattern=f"^{SOURCE_REMOVE_YES}")
    )
    application.add_handler(
        CallbackQueryHandler(source_list_button, pattern=f"^{SOURCE_LIST}(:|$)")
    )
    application.add_handler(CommandHandler("stats", stats_command))
    application.add_handler(MessageHandler(OPML_FILES, opml_document))


def register_jobs(application: NewsApplication, settings: Settings) -> None:
    """The recurring jobs; schedule state lives in the database, so a restart loses nothing."""
    jobs = application.job_queue
    assert jobs is not None, "python-telegram-bot[job-queue] is required"
    measure_jobs(jobs)
    jobs.run_repeating(
        build_digests, interval=settings.digest_interval_seconds, first=1, name="build-digests"
    )
    jobs.run_repeating(
        poll_sources, interval=settings.poll_interval_seconds, first=5, name="poll-sources"
    )
    # Chats and sources are claimed row by row (SKIP LOCKED) by the two above; these two run
    # in one process at a time, however many share the database (bot/jobs.py).
    progress = settings.alert_progress_seconds
    jobs.run_repeating(
        once_across_instances("refresh_alert_status", refresh_alert_status, hold=3 * progress),
        interval=progress,
        first=1,
        name="refresh_alert_status",
    )
    jobs.run_repeating(
        once_across_instances("maintenance", maintenance, hold=1.5 * MAINTENANCE_SECONDS),
        interval=MAINTENANCE_SECONDS,
        first=60,
        name="maintenance",
    )


async def open_services(application: NewsApplication) -> None:
    """post_init: open the database, load the topic catalogue, publish the command menu."""
    services = services_of(application)
    services.engine = create_engine(services.settings.database_url)
    services.sessionmaker = create_sessionmaker(services.engine)
    catalog = load_catalog(services.settings.config_path)
    async with session_scope(services.sessionmaker) as session:
        await sync_catalog(session=session, catalog=catalog)
        if application.bot.username:  # for `newsbot links`
            await remember_bot_username(
                session=session, username=application.bot.username, now=utcnow()
            )
    open_content(services)
    services.menu = build_menus(services.renderer)
    await publish_menus(application.bot, services.menu, services.renderer.default_language)
    if services.settings.sender_enabled:  # the outbox sender runs beside the handlers
        application.bot_data[SENDER_KEY] = await start_sender(
            services.settings,
            services.sessionmaker,
            role="run",
            request=application.bot_data.get(SENDER_REQUEST_KEY),
            on_failure=lambda: sender_failed(application),
        )
    logger.info("newsbot is up as @%s", application.bot.username)


def sender_failed(application: NewsApplication) -> None:
    """The sender could not recover: stop the bot too, so `newsbot run` exits non-zero."""
    application.bot_data[SENDER_FAILED_KEY] = True
    stop = application.bot_data.get(STOP_SERVING_KEY)
    if stop is not None:
        stop()


async def stop_sender(application: NewsApplication) -> None:
    """On SIGTERM (bot/serve.py) and in post_shutdown: the sender finishes or releases its rows."""
    running = application.bot_data.pop(SENDER_KEY, None)
    if running is not None:
        await running.stop()


async def close_services(application: NewsApplication) -> None:
    """post_shutdown: release what open_services opened."""
    await stop_sender(application)
    services = services_of(application)
    await close_content(services)
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
        .application_class(MeasuredApplication)
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
        settings=settings,
        renderer=renderer or Renderer.from_settings(settings),
        flood=FloodRule(
            rate=settings.flood_rate,
            burst=settings.flood_burst,
            mute_seconds=settings.flood_mute_seconds,
        ),
    )
    register_handlers(application)
    register_jobs(application, settings)
    return application
