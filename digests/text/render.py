"""Jinja2 rendering of every user-visible word, per language, into Telegram HTML."""

from __future__ import annotations

import gettext
import io
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from babel.dates import (
    format_date,
    format_skeleton,
    format_time,
    format_timedelta,
    get_day_names,
)
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    pass_environment,
    select_autoescape,
)

from digests.resources import templates_dir
from digests.text.telegram_html import clip, safe_url, tracked_url

if TYPE_CHECKING:
    from digests.config import Settings

DEFAULT_LANGUAGE = "en"


def _load_translations(locale_dir: Path, language: str) -> gettext.NullTranslations:
    # Catalogues are kept as .po text in the repository and compiled in memory at start,
    # so neither a checkout nor a wheel needs a build step for them.
    po_path = locale_dir / language / "LC_MESSAGES" / "messages.po"
    if not po_path.is_file():
        return gettext.NullTranslations()
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


def _language(env: Environment) -> str:
    return str(env.globals["language"])


@pass_environment
def local_date(env: Environment, moment: datetime, tz: str) -> str:
    """A date in the reader's zone and language, e.g. 'Monday, 30 November 2026'."""
    return format_date(moment.astimezone(ZoneInfo(tz)).date(), "full", locale=_language(env))


# Under this, a time is told as how long ago ("3 hours ago"); from it on, as a date.
RELATIVE_UNDER = timedelta(hours=24)


def _day(local: datetime, reference: datetime, language: str) -> str:
    """'Jan 2', or 'Jan 2, 2006' when not in the reference's year."""
    skeleton = "MMMd" if local.year == reference.year else "yMMMd"
    return str(format_skeleton(skeleton, local, locale=language))


@pass_environment
def local_time(
    env: Environment, moment: datetime, tz: str, reference: datetime | None = None
) -> str:
    """A time in the reader's zone: '07:45', or with the day when not on the reference's day
    ('Jan 2, 15:25'), and the year when not in its year ('Jan 2, 2006, 15:25').
    """
    zone = ZoneInfo(tz)
    local = moment.astimezone(zone)
    language = _language(env)
    if reference is None or local.date() == reference.astimezone(zone).date():
        return format_time(local, "HH:mm", locale=language)
    day = _day(local, reference.astimezone(zone), language)
    return f"{day}, {format_time(local, 'HH:mm', locale=language)}"


@pass_environment
def weekday_name(env: Environment, day: int | None) -> str:
    """The weekday's name (0 = Monday) in the template's language."""
    if day is None:
        return ""
    return str(get_day_names("wide", locale=_language(env))[day])


@pass_environment
def age(env: Environment, moment: datetime, now: datetime, tz: str = "UTC") -> str:
    """How long ago, in words, under a day ('3 hours ago'); else the date in the reader's zone
    ('Jan 2'), with the year when it is not this year ('Jan 2, 2006').
    """
    language = _language(env)
    if abs(now - moment) < RELATIVE_UNDER:
        return format_timedelta(moment - now, add_direction=True, threshold=1.0, locale=language)
    zone = ZoneInfo(tz)
    return _day(moment.astimezone(zone), now.astimezone(zone), language)


@pass_environment
def tracked(env: Environment, url: str, kind: str) -> str:
    """An article link with LINK_UTM's parameters, for links shown as `kind`."""
    return tracked_url(url, str(env.globals.get("link_utm", "")), kind)


FILTERS = {
    "tracked": tracked,
    "age": age,
    "weekday_name": weekday_name,
    "local_date": local_date,
    "local_time": local_time,
    "clip": clip,
    "safe_url": safe_url,
}


class Renderer:
    """Renders templates by name and language; one Jinja2 environment per language."""

    def __init__(
        self,
        directory: Path | None = None,
        default_language: str = DEFAULT_LANGUAGE,
        *,
        link_utm: str = "",
    ):
        self.directory = directory or templates_dir()
        self.default_language = default_language
        # LINK_UTM: campaign parameters added to the article links readers click.
        self.link_utm = link_utm
        self._environments: dict[str, Environment] = {}
        locale_dir = self.directory / "locale"
        found = (
            {p.name for p in locale_dir.iterdir() if p.is_dir()} if locale_dir.is_dir() else set()
        )
        self.languages: frozenset[str] = frozenset({DEFAULT_LANGUAGE, *found})

    @classmethod
    def from_settings(cls, settings: Settings) -> Renderer:
        """The shipped templates in the configured default language, with LINK_UTM."""
        return cls(default_language=settings.default_language, link_utm=settings.link_utm)

    def language_for(self, code: str | None) -> str:
        """The supported language closest to an IETF code such as 'pt-br', else the default."""
        if code:
            base = code.replace("_", "-").split("-")[0].lower()
            if base in self.languages:
                return base
        return self.default_language

    def environment(self, language: str) -> Environment:
        """The Jinja2 environment for a language, built on first use."""
        language = language if language in self.languages else self.default_language
        env = self._environments.get(language)
        if env is None:
            env = Environment(
                loader=FileSystemLoader(self.directory),
                autoescape=select_autoescape(["html"], default_for_string=True),
                undefined=StrictUndefined,
                trim_blocks=True,
                lstrip_blocks=True,
                extensions=["jinja2.ext.i18n"],
            )
            env.install_gettext_translations(  # type: ignore[attr-defined]
                _load_translations(self.directory / "locale", language), newstyle=True
            )
            env.globals["language"] = language
            env.globals["link_utm"] = self.link_utm
            env.filters.update(FILTERS)
            self._environments[language] = env
        return env

    def render(self, name: str, *, language: str | None = None, **context: Any) -> str:
        """Render a template to a string with surrounding blank space removed."""
        env = self.environment(language or self.default_language)
        return env.get_template(name).render(**context).strip()
