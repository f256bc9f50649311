"""``airlift serve --workers N``: N HTTP processes on one port, the ``serve`` process dealing
them the connections in turn.

How connections reach the processes decides the tail latency: every request of a keep-alive
connection goes to the process that accepted it, so a process with more connections makes
each of its clients wait longer. Two ways tried and measured with ``benchmarks/bench_api.py``
(50 keep-alive clients, 2 processes):

* uvicorn's own ``workers`` option: one shared listening socket, and whichever process is
  awake accepts. A burst of connections (a planning cell's browsers after a restart, the 50
  clients) landed 50 of 50 on one process while the other idled.
* one ``SO_REUSEPORT`` socket per process: Linux hashes each connection to one. It landed 29
  against 21, and the busier process's clients waited half as long again (p50 23 against
  15 ms, p99 47 against 32 ms).

So the ``serve`` process accepts every connection itself and passes it to the HTTP processes
round robin (SCM_RIGHTS over a Unix socket pair, as Node's cluster module does): 25 and 25.
A connection costs the ``serve`` process one accept and one send; the requests on it never
pass through it. Where file descriptors cannot be passed (not a Unix), uvicorn's ``workers``
is used instead.

Each HTTP process is :func:`airlift.web.app.http_worker_app` (settings from the environment,
no run workers: the ``serve`` process runs those). Ctrl-C or SIGTERM stops them all (requests
still running after :data:`GRACEFUL_SHUTDOWN_S` are cancelled); an HTTP process whose
``serve`` process died sees its socket pair close and stops by itself.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import socket
import time
from types import FrameType
from typing import Any

import uvicorn

from airlift.errors import AirliftError
from airlift.web.settings import Settings

APP = "airlift.web.app:http_worker_app"
STOP_TIMEOUT_S = 15.0
KEEP_ALIVE_S = 75
"""Seconds an idle keep-alive connection stays open (uvicorn's default is 5 s). A client that
sends its next request just as the server gives up on the connection gets a reset and no
answer (seen under load: a starved event loop reads the request after the timer fired);
75 s is nginx's default and longer than any client or proxy here waits between requests."""
GRACEFUL_SHUTDOWN_S = 3
"""On Ctrl-C or SIGTERM, uvicorn lets requests in progress finish for this long, then cancels
them: a server-sent event stream follows its run until the run ends, which would otherwise
hold the shutdown (and the run's worker is stopped only after it)."""


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise AirliftError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    sock.listen(2048)
    return sock


def check_free(host: str, port: int) -> None:
    """AirliftError unless ``host:port`` is free. Checked before the server touches the
    database: a server that cannot listen must not migrate, load the demo or start run
    workers. (A second server on the same database and another port is fine: it leaves the
    first one's runs alone, ``store/runs.py``.)"""
    _bind(host, port).close()


class DealtServer(uvicorn.Server):
    """uvicorn serving the connections the ``serve`` process sends over ``channel`` (it
    listens on no socket of its own)."""

    def __init__(self, config: uvicorn.Config, channel: socket.socket) -> None:
        super().__init__(config)
        self.channel = channel
        self.connecting: set[asyncio.Task[Any]] = set()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=[])
        if self.should_exit:
            return
        self.channel.setblocking(False)
        asyncio.get_running_loop().add_reader(self.channel.fileno(), self._receive)

    def _protocol(self) -> asyncio.Protocol:
        # What uvicorn's own listening servers build for each connection.
        config = self.config
        made: asyncio.Protocol = config.http_protocol_class(  # type: ignore[call-arg]
            config=config, server_state=self.server_state, app_state=self.lifespan.state
        )
        return made

    def _receive(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            try:
                data, fds, _, _ = socket.recv_fds(self.channel, 1, 1)
            except BlockingIOError:
                return
            if not data:  # the serve process is gone
                loop.remove_reader(self.channel.fileno())
                self.should_exit = True
                return
            for fd in fds:
                sock = socket.socket(fileno=fd)
                task = loop.create_task(loop.connect_accepted_socket(self._protocol, sock))
                self.connecting.add(task)
                task.add_done_callback(self.connecting.discard)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        asyncio.get_running_loop().remove_reader(self.channel.fileno())
        await super().shutdown(sockets)


def _http_process(channel: socket.socket, host: str, port: int) -> None:
    config = uvicorn.Config(
        APP,
        factory=True,
        host=host,
        port=port,
        access_log=Settings().access_log,
        proxy_headers=False,  # the app trusts X-Forwarded-For itself (trusted_proxies)
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
        timeout_keep_alive=KEEP_ALIVE_S,
    )
    DealtServer(config, channel).run()


def _deal(connection: socket.socket, channels: list[socket.socket], turn: int) -> int:
    """Pass ``connection`` to the HTTP process whose turn it is, else to the next one that
    takes it (a process that died or is stuck is skipped); the next turn."""
    for step in range(len(channels)):
        i = (turn + step) % len(channels)
        try:
            socket.send_fds(channels[i], [b"c"], [connection.fileno()])
        except OSError:  # gone (EPIPE), or its queue is full (EAGAIN)
            continue
        return i + 1
    return turn  # nobody took it: closing it tells the client


def serve_http(host: str, port: int, count: int) -> int:
    """Serve on ``host:port`` with ``count`` HTTP processes until Ctrl-C or SIGTERM; the exit
    status: 0, or 1 when an HTTP process failed."""
    listener = _bind(host, port)
    if not hasattr(socket, "send_fds"):
        listener.close()
        access_log = Settings().access_log
        uvicorn.run(
            APP,
            factory=True,
            host=host,
            port=port,
            workers=count,
            access_log=access_log,
            proxy_headers=False,
            timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
            timeout_keep_alive=KEEP_ALIVE_S,
        )
        return 0
    pairs = [socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET) for _ in range(count)]
    context = multiprocessing.get_context("spawn")
    processes = [
        context.Process(
            target=_http_process, args=(theirs, host, port), name=f"airlift-http-{i + 1}"
        )
        for i, (_, theirs) in enumerate(pairs)
    ]
    for process in processes:
        process.start()
    channels = []
    for ours, theirs in pairs:
        theirs.close()  # the HTTP process holds its own copy
        ours.setblocking(False)
        channels.append(ours)
    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        for process in processes:
            if process.pid is not None and process.is_alive():
                os.kill(process.pid, signal.SIGTERM)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    listener.settimeout(0.5)
    turn = 0
    try:
        while not stopping and any(p.is_alive() for p in processes):
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            with connection:
                turn = _deal(connection, channels, turn)
    finally:
        listener.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        stop(signal.SIGTERM, None)
        deadline = time.monotonic() + STOP_TIMEOUT_S
        for process in processes:
            process.join(timeout=max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join(timeout=2.0)
        for channel in channels:
            channel.close()
    # uvicorn re-raises the stop signal once it has shut down: dying of it is a clean exit.
    clean = {0, -signal.SIGTERM, -signal.SIGINT}
    return 0 if all(p.exitcode in clean for p in processes) else 1


__all__ = ["APP", "check_free", "serve_http"]
