"""``airlift serve --workers N``: N HTTP processes on one port, the kernel spreading the
connections among them.

uvicorn's own ``workers`` option shares one listening socket, and whichever process is awake
accepts: a burst of keep-alive connections (a planning cell's browsers after a restart, or the
50 clients of ``benchmarks/bench_api.py``) can all land on one process while the others idle
(measured: 50 of 50 on one of two). Here the ``serve`` process binds one socket per HTTP
process with ``SO_REUSEPORT`` (so a busy port fails at once, in the foreground), and Linux
hashes each new connection to one of them. Where the option does not exist, uvicorn's
``workers`` is used instead.

Each HTTP process is :func:`airlift.web.app.http_worker_app` (settings from the environment,
no run workers: the ``serve`` process runs those). Ctrl-C or SIGTERM stops them all; an HTTP
process whose ``serve`` process died stops by itself.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import socket
import threading
import time
from types import FrameType

from airlift.errors import AirliftError
from airlift.web.settings import Settings

APP = "airlift.web.app:http_worker_app"
STOP_TIMEOUT_S = 15.0


def _bind(host: str, port: int, reuse_port: bool = True) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise AirliftError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def check_free(host: str, port: int) -> None:
    """AirliftError unless ``host:port`` is free. Checked before the server touches the
    database: a second server on the same database must not start at all (its start-up
    would mark the first one's running schedule runs as interrupted), and SO_REUSEPORT would
    even let it share the port."""
    _bind(host, port, reuse_port=False).close()


def _watch_parent() -> None:
    parent = multiprocessing.parent_process()
    while parent is not None and parent.is_alive():
        time.sleep(1.0)
    os.kill(os.getpid(), signal.SIGTERM)  # uvicorn shuts down gracefully


def _http_process(sock: socket.socket) -> None:
    import uvicorn

    threading.Thread(target=_watch_parent, name="watch-serve", daemon=True).start()
    access_log = Settings().access_log
    uvicorn.Server(uvicorn.Config(APP, factory=True, access_log=access_log)).run(sockets=[sock])


def serve_http(host: str, port: int, count: int) -> int:
    """Serve on ``host:port`` with ``count`` HTTP processes until Ctrl-C or SIGTERM; the exit
    status: 0, or 1 when an HTTP process failed."""
    if not hasattr(socket, "SO_REUSEPORT"):
        import uvicorn

        access_log = Settings().access_log
        uvicorn.run(APP, factory=True, host=host, port=port, workers=count, access_log=access_log)
        return 0
    sockets = [_bind(host, port) for _ in range(count)]
    context = multiprocessing.get_context("spawn")
    processes = [
        context.Process(target=_http_process, args=(s,), name=f"airlift-http-{i + 1}")
        for i, s in enumerate(sockets)
    ]
    for process in processes:
        process.start()
    for s in sockets:
        s.close()  # the HTTP processes hold their own copies

    def stop(signum: int, frame: FrameType | None) -> None:
        for process in processes:
            if process.pid is not None and process.is_alive():
                os.kill(process.pid, signal.SIGTERM)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        while any(p.is_alive() for p in processes):
            for process in processes:
                process.join(timeout=0.5)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        deadline = time.monotonic() + STOP_TIMEOUT_S
        for process in processes:
            process.join(timeout=max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join(timeout=2.0)
    # uvicorn re-raises the stop signal once it has shut down: dying of it is a clean exit.
    clean = {0, -signal.SIGTERM, -signal.SIGINT}
    return 0 if all(p.exitcode in clean for p in processes) else 1
