"""Who works the desk: owners (ADMIN_IDS), editors they add, and the audit log of both."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from digests.errors import RoleError
from digests.models import AuditEntry, ChatType, Editor


class Role(StrEnum):
    """A user's standing on the desk."""

    OWNER = "owner"
    EDITOR = "editor"
    NONE = "none"


@dataclass(frozen=True)
class DeskRequest:
    """Who asks the desk for what, and from which chat."""

    user_id: int
    action: str
    chat_id: int
    chat_type: str
    # Posted as the group itself (an anonymous admin): there is no user to check.
    anonymous: bool = False
    owners_only: bool = False


@dataclass(frozen=True)
class Access:
    """The user's role, and whether it lets them do what they asked."""

    role: Role
    allowed: bool


async def role_of(*, session: AsyncSession, user_id: int, owners: Collection[int]) -> Role:
    """Owner when listed in ADMIN_IDS, editor when an owner added them, otherwise none."""
    if user_id in owners:
        return Role.OWNER
    if await session.get(Editor, user_id) is not None:
        return Role.EDITOR
    return Role.NONE


async def check_access(
    *,
    session: AsyncSession,
    request: DeskRequest,
    owners: Collection[int],
    group_admin: Callable[[], Awaitable[bool]],
    now: datetime,
) -> Access:
    """Whether the desk does this for this user here; a refusal is audited.

    Owners and editors only (owners alone for `owners_only`); in a group they must also
    administer the group, asked of `group_admin` only when everything else allows it.
    """
    role = await role_of(session=session, user_id=request.user_id, owners=owners)
    allowed = role is not Role.NONE and not request.anonymous
    if allowed and request.owners_only:
        allowed = role is Role.OWNER
    if allowed and request.chat_type != ChatType.PRIVATE:
        allowed = await group_admin()
    if not allowed:
        await audit(
            session=session,
            actor_id=request.user_id,
            action=request.action,
            now=now,
            target=str(request.chat_id),
            allowed=False,
            detail={"role": role.value, "chat_type": request.chat_type},
        )
    return Access(role, allowed)


async def list_editors(*, session: AsyncSession) -> list[Editor]:
    """The editors, oldest first."""
    return list(await session.scalars(select(Editor).order_by(Editor.created_at, Editor.user_id)))


async def add_editor(
    *, session: AsyncSession, user_id: int, added_by: int, owners: Collection[int], now: datetime
) -> Editor:
    """Make a user an editor, audited; owners need no entry and an editor is not added twice."""
    if user_id in owners:
        raise RoleError("already_owner", user_id)
    if await session.get(Editor, user_id) is not None:
        raise RoleError("already_editor", user_id)
    editor = Editor(user_id=user_id, added_by=added_by, created_at=now)
    session.add(editor)
    await audit(
        session=session, actor_id=added_by, action="admins_add", now=now, target=str(user_id)
    )
    return editor


async def remove_editor(
    *,
    session: AsyncSession,
    user_id: int,
    removed_by: int,
    owners: Collection[int],
    now: datetime,
) -> None:
    """Take the desk away from an editor, audited (owners are changed in ADMIN_IDS, not here)."""
    if user_id in owners:
        raise RoleError("owner_fixed", user_id)
    editor = await session.get(Editor, user_id)
    if editor is None:
        raise RoleError("not_editor", user_id)
    await session.delete(editor)
    await audit(
        session=session, actor_id=removed_by, action="admins_remove", now=now, target=str(user_id)
    )


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
