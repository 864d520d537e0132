"""The callback context every handler receives: services, a session scope and rendering."""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from telegram import Update
from telegram.ext import Application, CallbackContext, ExtBot

from bot.flood_guard import FloodRule
from bot.updates import chat_of
from digests.config import Settings
from digests.db import session_scope
from digests.leases import process_id
from digests.models import Chat, ChatType, utcnow
from digests.readers.chats import ChatInfo, register_chat
from digests.text.render import Renderer

SERVICES_KEY = "services"


@dataclass
class Services:
    """Long-lived resources: opened in post_init, closed in post_shutdown."""

    settings: Settings
    renderer: Renderer
    engine: AsyncEngine | None = None
    sessionmaker: async_sessionmaker[AsyncSession] | None = None
    menu: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    flood: FloodRule = field(default_factory=lambda: FloodRule(rate=1.0, burst=8, mute_seconds=30))
    # The wall clock the flood buckets are kept on (shared by instances); tests hold it still.
    clock: Callable[[], float] = time.time
    # This process among others on one database: the owner of the job leases it takes.
    instance: str = field(default_factory=lambda: process_id("run"))
    # The content pipeline's long-lived parts, opened in post_init (see bot/jobs.py).
    http: Any = None
    pipeline: Any = None


class NewsContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """CallbackContext with newsbot's services attached."""

    @property
    def services(self) -> Services:
        """The application's services."""
        return services_of(self.application)

    @property
    def settings(self) -> Settings:
        """The settings read at start."""
        return self.services.settings

    def session(self) -> AbstractAsyncContextManager[AsyncSession]:
        """One transaction for this update: committed on success, rolled back on error."""
        sessionmaker = self.services.sessionmaker
        if sessionmaker is None:
            raise RuntimeError("the database is not open: post_init has not run")
        return session_scope(sessionmaker)

    async def current_chat(
        self, session: AsyncSession, update: Update, *, campaign: str | None = None
    ) -> Chat:
        """The update's chat row, registered on first contact (language from the user)."""
        chat, user = chat_of(update), update.effective_user
        registration = await register_chat(
            session=session,
            info=ChatInfo(
                telegram_id=chat.id,
                type=ChatType(chat.type),
                title=chat.title or chat.full_name,
                username=chat.username,
            ),
            language=self.language_for(user.language_code if user else None),
            timezone=self.settings.default_timezone,
            now=utcnow(),
            campaign=campaign,
        )
        return registration.chat

    def render(self, name: str, *, language: str | None = None, **values: Any) -> str:
        """Render a template in a language (the default when None)."""
        return self.services.renderer.render(name, language=language, **values)

    def language_for(self, code: str | None) -> str:
        """The supported language for a user's language_code."""
        return self.services.renderer.language_for(code)

    def commands(self, language: str) -> list[dict[str, str]]:
        """The command menu in a language, for the welcome and help texts."""
        menu = self.services.menu
        return menu.get(language) or menu.get(self.services.renderer.default_language, [])


def services_of(application: Application[Any, Any, Any, Any, Any, Any]) -> Services:
    """The services stored on an application."""
    services = application.bot_data[SERVICES_KEY]
    if not isinstance(services, Services):
        raise RuntimeError("the application was not built by build_application()")
    return services
