"""The app's own static files (``web/static``: its CSS and scripts, 0.3 MB), answered from
memory.

Starlette's ``StaticFiles`` stats, opens, reads and closes the file for every request, each in
a trip to the thread pool; under load every trip waits for a free thread and for the GIL, and
``/static/app.css`` had the worst read p99 of ``bench_api``'s mixed load. The files are part
of the installed package and do not change while the server runs (an edit shows after a
restart), so they are read once, at start-up. Paths that are not a file there (a directory,
a name that does not exist) go to ``StaticFiles`` and get its answers (404, 405)."""

from __future__ import annotations

import hashlib
import mimetypes
from email.utils import formatdate
from pathlib import Path

from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.staticfiles import NotModifiedResponse, StaticFiles
from starlette.types import Scope


class PreloadedStaticFiles(StaticFiles):
    """``StaticFiles`` over ``directory`` with every file under it held in memory."""

    def __init__(self, directory: Path) -> None:
        super().__init__(directory=directory)
        self._files: dict[str, tuple[bytes, dict[str, str]]] = {}
        for path in sorted(directory.rglob("*")):
            if path.is_file():
                content = path.read_bytes()
                media_type = mimetypes.guess_type(path.name)[0] or "text/plain"
                if media_type.startswith("text/") or media_type.endswith("javascript"):
                    media_type += "; charset=utf-8"
                headers = {
                    "content-type": media_type,
                    "etag": f'"{hashlib.md5(content, usedforsecurity=False).hexdigest()}"',
                    "last-modified": formatdate(path.stat().st_mtime, usegmt=True),
                }
                self._files[path.relative_to(directory).as_posix()] = (content, headers)

    async def get_response(self, path: str, scope: Scope) -> Response:
        found = self._files.get(Path(path).as_posix())
        if found is None or scope["method"] not in ("GET", "HEAD"):
            return await super().get_response(path, scope)
        content, headers = found
        response = Response(content, headers=headers)
        if self.is_not_modified(response.headers, Headers(scope=scope)):
            return NotModifiedResponse(response.headers)
        return response


__all__ = ["PreloadedStaticFiles"]
