"""What every command shares: the console, JSON output, "wrote" lines, errors -> exit 2."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from rich.console import Console

from airlift.errors import AirliftError, InputError

# Piped output (CI logs, files) gets room for the wide tables instead of Rich's 80 columns.
out = Console() if sys.stdout.isatty() else Console(width=160)

STDOUT = Path("-")
"""``--json -``: the document to standard output, nothing else."""


def json_text(doc: Any, *, ensure_ascii: bool = False) -> str:
    """The JSON text commands print or write: indent 2, no NaN, a final newline."""
    return json.dumps(doc, indent=2, allow_nan=False, ensure_ascii=ensure_ascii) + "\n"


def print_json(doc: Any, *, ensure_ascii: bool = False) -> None:
    """Write ``doc`` as JSON to standard output (``--json -``)."""
    sys.stdout.write(json_text(doc, ensure_ascii=ensure_ascii))


def write_json(doc: Any, path: Path) -> None:
    """Write ``doc`` as UTF-8 JSON to ``path``; a path that cannot be written is bad input."""
    try:
        path.write_text(json_text(doc), encoding="utf-8")
    except OSError as exc:
        raise InputError(f"--json {path}: cannot write ({exc.strerror or exc})") from None
    out.print(f"wrote {path}")


def report_written(paths: Iterable[Path | None]) -> None:
    """One "wrote PATH" line per file written (None or empty: not asked for)."""
    for path in paths:
        if path:
            out.print(f"wrote {path}")


def run(app: Callable[[], Any]) -> None:
    """Run the Typer app, turning airlift errors into one line on stderr and exit status 2."""
    try:
        app()  # standalone: usage errors exit 2 with click's own message
    except AirliftError as exc:
        Console(stderr=True, highlight=False).print(f"error: {exc}", markup=False, soft_wrap=True)
        sys.exit(2)
