"""What every reader shares: bytes in (gzip undone), JSON parsed, errors naming file and place."""

from __future__ import annotations

import gzip
import json
import zlib
from typing import Any

from airlift.errors import FieldError, Where

GZIP_MAGIC = b"\x1f\x8b"


def bad(origin: str, reason: str, row: int | None = None, unit: str = "line") -> FieldError:
    """A file that cannot be read: one line naming the file and, where known, the place."""
    return FieldError(None, reason, Where(origin, row, unit))


def gunzip(data: bytes, origin: str) -> bytes:
    """The content of a gzip file (readsb writes its traces gzipped, named .json)."""
    try:
        return gzip.decompress(data)
    except EOFError:
        raise bad(origin, f"gzip data is truncated ({len(data):,} bytes read)") from None
    except (gzip.BadGzipFile, zlib.error) as exc:
        raise bad(origin, f"gzip data is corrupt ({exc})") from None


def plain(data: bytes, origin: str) -> bytes:
    return gunzip(data, origin) if data[:2] == GZIP_MAGIC else data


def load_json(data: bytes, origin: str) -> Any:
    """Parsed JSON; a syntax error or a truncated file names its line and column."""
    try:
        return json.loads(data)
    except UnicodeDecodeError as exc:
        raise bad(origin, f"not UTF-8 text ({exc.reason})", exc.start, "byte") from None
    except json.JSONDecodeError as exc:
        end = " (the file is truncated?)" if exc.pos >= len(data.rstrip()) else ""
        reason = f"not valid JSON at column {exc.colno}: {exc.msg}{end}"
        raise bad(origin, reason, exc.lineno) from None


def json_object(data: bytes, origin: str, keys: tuple[str, ...]) -> dict[str, Any]:
    """A JSON object with every key in ``keys``."""
    doc = load_json(plain(data, origin), origin)
    if not isinstance(doc, dict):
        raise bad(origin, f"expected a JSON object with {', '.join(keys)}")
    for key in keys:
        if key not in doc:
            raise bad(origin, f"JSON object has no {key!r} key")
    return doc
