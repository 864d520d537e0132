"""Who works the desk: owners (ADMIN_IDS), editors they add, and the audit log of both."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from digests.models import AuditEntry, Editor


class Role(StrEnum):
    """A user's standing on the desk."""

    OWNER = "owner"
    EDITOR = "editor"
    NONE = "none"


class RoleError(ValueError):
    """An editor change that cannot be made; `code` names the template saying why."""

    def __init__(self, code: str, user_id: int | None = None):
        super().__init__(f"{code}: {user_id}")
        self.code = code
        self.user_id = user_id


async def role_of(*, session: AsyncSession, user_id: int, owners: Collection[int]) -> Role:
    """Owner when listed in ADMIN_IDS, editor when an owner added them, otherwise none."""
    if user_id in owners:
        return Role.OWNER
    if await session.get(Editor, user_id) is not None:
        return Role.EDITOR
    return Role.NONE


async def list_editors(*, session: AsyncSession) -> list[Editor]:
    """The editors, oldest first."""
    return list(await session.scalars(select(Editor).order_by(Editor.created_at, Editor.user_id)))


async def add_editor(
    *, session: AsyncSession, user_id: int, added_by: int, owners: Collection[int], now: datetime
) -> Editor:
    """Make a user an editor; owners need no entry and an editor is not added twice."""
    if user_id in owners:
        raise RoleError("already_owner", user_id)
    if await session.get(Editor, user_id) is not None:
        raise RoleError("already_editor", user_id)
    editor = Editor(user_id=user_id, added_by=added_by, created_at=now)
    session.add(editor)
    await session.flush()
    return editor


async def remove_editor(*, session: AsyncSession, user_id: int, owners: Collection[int]) -> None:
    """Take the desk away from an editor (owners are changed in ADMIN_IDS, not here)."""
    if user_id in owners:
        raise RoleError("owner_fixed", user_id)
    editor = await session.get(Editor, user_id)
    if editor is None:
        raise RoleError("not_editor", user_id)
    await session.delete(editor)
    await session.flush()


async def audit(
    *,
    session: AsyncSession,
    actor_id: int,
    action: str,
    now: datetime,
    target: str | None = None,
    allowed: bool = True,
    detail: dict[str, Any] | None = None,
) -> None:
    """Record who did (or was refused) what on the desk."""
    session.add(
        AuditEntry(
            at=now,
            actor_id=actor_id,
            action=action[:64],
            target=target[:128] if target else None,
            allowed=allowed,
            detail=detail or {},
        )
    )
    await session.flush()
