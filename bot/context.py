"""The callback context every handler receives: services, a session scope and rendering."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from telegram.ext import Application, CallbackContext, ExtBot

from digests.config import Settings
from digests.db import session_scope
from digests.render import Renderer

SERVICES_KEY = "services"


@dataclass
class Services:
    """Long-lived resources: opened in post_init, closed in post_shutdown."""

    settings: Settings
    renderer: Renderer
    engine: AsyncEngine | None = None
    sessionmaker: async_sessionmaker[AsyncSession] | None = None
    menu: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    # The content pipeline's long-lived parts, opened in post_init (see bot/jobs.py).
    http: Any = None
    pipeline: Any = None


class NewsContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """CallbackContext with newsbot's services attached."""

    @property
    def services(self) -> Services:
        """The application's services."""
        return self.application.bot_data[SERVICES_KEY]

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
    return application.bot_data[SERVICES_KEY]
