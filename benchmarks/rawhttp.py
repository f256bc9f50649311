"""A minimal HTTP/1.1 client for load generators: one keep-alive connection, one request at a
time, answers framed by their Content-Length (every airlift API answer with a body has one).

Written by hand on purpose: the load generator shares the 2 cores with the server, so its own
CPU per request must be small beside the server's. httpx (used before) spent about as much CPU
per request as the server did and so inflated every latency it measured.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any, cast

ANSWER_TIMEOUT_S = 30.0
BODYLESS = (204, 304)
"""Statuses that never carry a body (and so may come without Content-Length)."""


class Connection(asyncio.Protocol):
    """One keep-alive connection: ``await send(raw)`` gives the answer's (status, body)."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.waiter: asyncio.Future[tuple[int, bytes]] | None = None
        self.timeout_s = ANSWER_TIMEOUT_S

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass

    def connection_lost(self, exc: Exception | None) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(ConnectionError("server closed the connection"))

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0 or self.waiter is None or self.waiter.done():
            return
        head = bytes(self.buffer[:end]).decode("latin-1").split("\r\n")
        lengths = [
            int(value)
            for name, _, value in (line.partition(":") for line in head[1:])
            if name.strip().lower() == "content-length"
        ]
        status = int(head[0].split(" ", 2)[1])
        if not lengths and status not in BODYLESS:
            self.waiter.set_exception(ConnectionError("answer without Content-Length"))
            return
        total = end + 4 + (lengths[0] if lengths else 0)
        if len(self.buffer) >= total:
            body = bytes(self.buffer[end + 4 : total])
            del self.buffer[:total]
            self.waiter.set_result((status, body))

    async def send(self, raw: bytes) -> tuple[int, bytes]:
        """Send one request; the answer's status and body (TimeoutError after ``timeout_s``).
        A timer rather than ``asyncio.wait_for``, which costs a task per request."""
        assert self.transport is not None
        loop = asyncio.get_running_loop()
        self.waiter = waiter = loop.create_future()
        timer = loop.call_later(self.timeout_s, self._expire, waiter)
        self.transport.write(raw)
        try:
            answer: tuple[int, bytes] = await waiter
            return answer
        finally:
            timer.cancel()

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()

    def _expire(self, waiter: asyncio.Future[tuple[int, bytes]]) -> None:
        if not waiter.done():
            waiter.set_exception(TimeoutError(f"no answer within {self.timeout_s:g} s"))


async def connect(host: str, port: int, timeout_s: float = ANSWER_TIMEOUT_S) -> Connection:
    loop = asyncio.get_running_loop()
    connection = (await loop.create_connection(Connection, host, port))[1]
    connection.timeout_s = timeout_s
    return connection


def encode(
    method: str,
    path: str,
    host: str,
    headers: dict[str, str],
    body: bytes = b"",
    content_type: str = "application/json",
) -> bytes:
    """One request, ready to write."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    if body or method in ("POST", "PUT", "PATCH"):
        lines += [f"Content-Type: {content_type}", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def encode_json(
    method: str, path: str, host: str, headers: dict[str, str], body: Any = None
) -> bytes:
    data = json.dumps(body).encode() if body is not None else b""
    return encode(method, path, host, headers, data)


def encode_upload(
    path: str, host: str, headers: dict[str, str], filename: str, data: bytes, media: str
) -> bytes:
    """POST one file as ``multipart/form-data`` in the field ``file``."""
    boundary = "airlift-load-boundary-7d1f"
    body = (
        (
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            f"Content-Type: {media}\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return encode("POST", path, host, headers, body, f"multipart/form-data; boundary={boundary}")
