"""Listening sockets, bound by the command line before anything starts."""

from __future__ import annotations

import errno
import socket


class ListenError(Exception):
    """A port cannot be listened on; the message is one line naming the variable."""


def bind(host: str, port: int, variable: str) -> socket.socket:
    """A bound, listening TCP socket, or ListenError naming `variable` (the port's setting)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        family, kind, proto, _, address = infos[0]
        sock = socket.socket(family, kind, proto)
    except OSError as exc:
        raise ListenError(f"{variable}: cannot listen on {host}:{port}: {exc.strerror}") from None
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        reason = "the port is already in use" if exc.errno == errno.EADDRINUSE else exc.strerror
        raise ListenError(
            f"{variable}: cannot listen on {host}:{port}: {reason} "
            "(give each process on a host its own port)"
        ) from None
    sock.setblocking(False)
    return sock
