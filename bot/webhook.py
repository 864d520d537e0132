"""The webhook server: Telegram (through the proxy) POSTs updates to WEBHOOK_URL's path.

newsbot serves the webhook itself instead of python-telegram-bot's built-in server, as PTB's
customwebhookbot example does, for two reasons: that server compares the secret header with
`!=` (a timing side channel this server closes with `hmac.compare_digest`), and it knows
nothing of the path when `url_path` is not passed. A request whose secret is missing or wrong
gets 403 before its body is read, and is never processed; any other path gets 404. A genuine
update goes onto `Application.update_queue` and is answered 200 at once, so Telegram's timeout
never depends on a handler; SIGTERM processes what is queued before the process exits.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from typing import Any

from aiohttp import web
from telegram import Update

logger = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Telegram's updates are a few kilobytes; anything much bigger is not from Telegram.
MAX_BODY = 1024 * 1024


def webhook_app(application: Any, *, path: str, secret: str) -> web.Application:
    """The aiohttp application that accepts updates on `path` with the `secret` header."""
    # Digests of equal length, so not even the secret's length shows in the timing.
    expected = hashlib.sha256(secret.encode()).digest()

    async def receive(request: web.Request) -> web.Response:
        given = hashlib.sha256(request.headers.get(SECRET_HEADER, "").encode()).digest()
        if not hmac.compare_digest(given, expected):
            logger.warning("webhook: refused a request without the secret (403)")
            raise web.HTTPForbidden()
        try:
            data = await request.json()
            update = Update.de_json(data, application.bot)
        except Exception:  # not JSON, or JSON that is not an update: hostile or broken
            raise web.HTTPBadRequest() from None
        await application.update_queue.put(update)
        return web.Response()

    app = web.Application(client_max_size=MAX_BODY)
    app.router.add_post(path, receive)
    return app
