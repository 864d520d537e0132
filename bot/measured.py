"""Where the bot's own work is measured: every update (by kind) and every job run (by name)."""

from __future__ import annotations

import time
from typing import Any

from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_EXECUTED,
    EVENT_JOB_SUBMITTED,
    JobEvent,
    JobExecutionEvent,
    JobSubmissionEvent,
)
from telegram import Update
from telegram.ext import Application, JobQueue

from digests.metrics import HANDLER_SECONDS, JOB_SECONDS, UPDATES


def update_kind(update: object) -> str:
    """The update's type as Telegram names it (message, callback_query, …), else "other"."""
    if isinstance(update, Update):
        for kind in Update.ALL_TYPES:
            if getattr(update, kind, None) is not None:
                return kind
    return "other"


class MeasuredApplication(Application):
    """PTB's Application, counting each update and timing its handlers."""

    async def process_update(self, update: object) -> None:
        """Process as PTB does; count the update and observe how long it took."""
        kind, started = update_kind(update), time.perf_counter()
        try:
            await super().process_update(update)
        finally:
            UPDATES.labels(kind=kind).inc()
            HANDLER_SECONDS.labels(kind=kind).observe(time.perf_counter() - started)


def measure_jobs(jobs: JobQueue[Any]) -> None:
    """Observe each recurring job's run time in newsbot_job_seconds, by the job's name."""
    started: dict[str, float] = {}

    def listen(event: JobEvent) -> None:
        if isinstance(event, JobSubmissionEvent):
            started[event.job_id] = time.perf_counter()
        elif isinstance(event, JobExecutionEvent) and event.job_id in started:
            job = jobs.scheduler.get_job(event.job_id)
            name = job.name if job is not None else event.job_id
            JOB_SECONDS.labels(job=name).observe(time.perf_counter() - started.pop(event.job_id))

    jobs.scheduler.add_listener(listen, EVENT_JOB_SUBMITTED | EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
