"""The newsroom's topics and sources from a TOML file, synchronised into the database."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from digests.models import RemovedSource, Source, Topic

SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")
GENERAL_TOPIC = "general"


class CatalogError(Exception):
    """The topics-and-sources file cannot be read or is invalid; the message says where."""


class TopicSpec(BaseModel):
    """A topic as written in the config file."""

    model_config = ConfigDict(extra="forbid")

    slug: str
    name: str = Field(min_length=1, max_length=128)
    description: str = ""
    keywords: list[str] = Field(default_factory=list)
    categories: list[str] = Field(default_factory=list)
    # A first /start subscribes a chat to every default topic.
    default: bool = False
    # "Top stories": the best `top` items across every topic; such a topic has no rules.
    top: int | None = Field(default=None, ge=1, le=15)

    @model_validator(mode="after")
    def _top_has_no_rules(self) -> TopicSpec:
        if self.top is not None and (self.keywords or self.categories):
            raise ValueError("a top-stories topic (top = N) takes no keywords or categories")
        return self

    @field_validator("slug")
    @classmethod
    def _slug_shape(cls, value: str) -> str:
        # Slugs travel in deep links and callback data, so they stay short and plain.
        if not SLUG.match(value):
            raise ValueError(
                "must be 1-32 characters of a-z, 0-9, _ and -, starting with a letter or digit"
            )
        return value


class SourceSpec(BaseModel):
    """A source as written in the config file."""

    model_config = ConfigDict(extra="forbid")

    url: str = Field(min_length=1, max_length=2048)
    title: str | None = None
    topics: list[str] = Field(default_factory=list)
    priority: int = 0


class Catalog(BaseModel):
    """The whole config file: topics (a general one is always present) and sources."""

    model_config = ConfigDict(extra="forbid")

    topics: list[TopicSpec] = Field(default_factory=list)
    sources: list[SourceSpec] = Field(default_factory=list)

    def topic_slugs(self) -> list[str]:
        """The slugs in file order."""
        return [topic.slug for topic in self.topics]


def load_catalog(path: Path) -> Catalog:
    """Read and validate the config file, adding the general topic when it is missing."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        catalog = Catalog.model_validate(data)
    except OSError as exc:
        raise CatalogError(f"{path}: cannot read: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"{path}: not valid TOML: {exc}") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise CatalogError(f"{path}: {where}: {first['msg']}") from None
    slugs = catalog.topic_slugs()
    duplicates = sorted({slug for slug in slugs if slugs.count(slug) > 1})
    if duplicates:
        raise CatalogError(f"{path}: topic slugs used twice: {', '.join(duplicates)}")
    for source in catalog.sources:
        unknown = sorted(set(source.topics) - set(slugs) - {GENERAL_TOPIC})
        if unknown:
            raise CatalogError(f"{path}: source {source.url}: unknown topics {', '.join(unknown)}")
    if GENERAL_TOPIC not in slugs:
        catalog.topics.append(
            TopicSpec(slug=GENERAL_TOPIC, name="General", description="Everything else.")
        )
    return catalog


async def sync_catalog(*, session: AsyncSession, catalog: Catalog) -> None:
    """Make the topics match the file and add its new sources; removed topics are deactivated."""
    existing = {topic.slug: topic for topic in await session.scalars(select(Topic))}
    for position, spec in enumerate(catalog.topics):
        topic = existing.pop(spec.slug, None)
        if topic is None:
            topic = Topic(slug=spec.slug)
            session.add(topic)
        topic.name = spec.name
        topic.description = spec.description
        topic.keywords = list(spec.keywords)
        topic.categories = list(spec.categories)
        topic.position = position
        topic.active = True
        topic.is_default = spec.default
        topic.top_items = spec.top
    # Subscriptions to a topic dropped from the file are kept, in case it comes back.
    for topic in existing.values():
        topic.active = False
    # A feed removed by hand stays removed: only `sources add` brings it back.
    known_urls = set(await session.scalars(select(Source.url)))
    known_urls |= set(await session.scalars(select(RemovedSource.url)))
    for source in catalog.sources:
        if source.url not in known_urls:
            session.add(
                Source(
                    url=source.url,
                    title=source.title,
                    default_topics=list(source.topics),
                    priority=source.priority,
                    origin="catalog",
                )
            )
    await session.flush()
