"""Leases several processes on one database agree on: who is alive, who runs a job now.

A lease is a row (`digests.models.Lease`) its owner renews before it expires. While it is live
nobody else takes it; once it has expired, its owner is provably gone (or stalled, and it then
stops acting on what it held), so another process may take over. Functions take `*, session`
and never commit. The time is the caller's `now`: every process reads the same UTC clock
(keep hosts on NTP; the lease lengths are seconds, skews are milliseconds).
"""

from __future__ import annotations

import os
import secrets
import socket
from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncSession

from digests.db import rows_changed, upsert_into
from digests.models import Lease

INSTANCE_PREFIX = "instance:"
JOB_PREFIX = "job:"


def process_id(role: str) -> str:
    """This process's own name, unique however many run on one host: host, role, pid, random.

    Computed once per process (or per sender in it) and never reused by another: a restarted
    process is a new owner, so nobody mistakes it for the one that crashed.
    """
    suffix = f":{role}:{os.getpid()}:{secrets.token_hex(3)}"
    return socket.gethostname()[: 64 - len(suffix)] + suffix


async def hold_lease(
    *, session: AsyncSession, name: str, owner: str, seconds: float, now: datetime
) -> bool:
    """Take or renew `name` for `owner` until `now + seconds`; False while another holds it."""
    expires = now + timedelta(seconds=seconds)
    renewed = await rows_changed(
        session,
        update(Lease)
        .where(Lease.name == name, (Lease.owner == owner) | (Lease.expires_at <= now))
        .values(owner=owner, expires_at=expires, renewed_at=now),
    )
    if renewed:
        return True
    insert = upsert_into(session, Lease).values(
        name=name, owner=owner, expires_at=expires, renewed_at=now
    )
    return bool(await rows_changed(session, insert.on_conflict_do_nothing()))


async def release_lease(*, session: AsyncSession, name: str, owner: str) -> None:
    """Give `name` up (a clean stop), so nobody waits for it to expire."""
    await session.execute(delete(Lease).where(Lease.name == name, Lease.owner == owner))


async def expire_leases(*, session: AsyncSession, before: datetime) -> int:
    """Delete leases that expired before `before` (their owners are long gone)."""
    return await rows_changed(session, delete(Lease).where(Lease.expires_at < before))


def instance_lease(instance: str) -> str:
    """The lease a sender instance holds while it is alive."""
    return INSTANCE_PREFIX + instance


def job_lease(job: str) -> str:
    """The lease a recurring job's current runner holds."""
    return JOB_PREFIX + job
