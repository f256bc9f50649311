"""What every command shares: the console, JSON output, output paths, errors -> exit 2.

Output paths are checked before any work (a plan, a solve), by :func:`output_file` and
:func:`output_dir`, so that a typo costs a second and not a thirty-second solve:

* a file option (``--json``, ``--csv``, ``--gantt``, ``--plot``...) must name a file in a
  folder that exists: a missing folder is refused, not created (a typo in a folder name
  should not grow a tree); a folder, an empty value, a parent that is a file and an
  unwritable place are refused too; a PNG must be named ``*.png``; ``-`` is standard output
  where the option says so (``plan --json -``, ``perf ... --json -``) and refused elsewhere;
* a folder option (``demo --out``) is created if missing, with its parents; one that is a
  file, or lies under a file, is refused.

Every :class:`~airlift.errors.AirliftError`, and every usage error Typer finds (a bad number,
a missing argument, an unknown option), is one line on stderr and exit status 2 (:func:`run`).
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rich.console import Console

from airlift.errors import AirliftError, InputError

# Piped output (CI logs, files) gets room for the wide tables instead of Rich's 80 columns.
out = Console() if sys.stdout.isatty() else Console(width=160)

STDOUT = Path("-")
"""``--json -``: the document to standard output, nothing else."""

USAGE_EXIT = 2
"""Exit status of bad input, a usage error included (1 is an infeasible plan)."""


def json_text(doc: Any, *, ensure_ascii: bool = False) -> str:
    """The JSON text commands print or write: indent 2, no NaN, a final newline."""
    return json.dumps(doc, indent=2, allow_nan=False, ensure_ascii=ensure_ascii) + "\n"


def print_json(doc: Any, *, ensure_ascii: bool = False) -> None:
    """Write ``doc`` as JSON to standard output (``--json -``)."""
    sys.stdout.write(json_text(doc, ensure_ascii=ensure_ascii))


# --- output paths -------------------------------------------------------------------------------


def output_file(
    option: str, value: str | None, *, stdout: bool = False, suffix: str | None = None
) -> Path | None:
    """The path of a file option, checked before any work (None: not asked for).

    ``stdout``: ``-`` means standard output (returned as :data:`STDOUT`); ``suffix``: the
    name must end in it (``.png``, any case). Raises InputError naming the option."""
    if value is None:
        return None
    if not value.strip():
        hint = " (or - for standard output)" if stdout else ""
        raise InputError(f"{option} is empty: give a file name{hint}")
    if value == "-":
        if stdout:
            return STDOUT
        raise InputError(f"{option} -: standard output is not supported here; give a file name")
    path = Path(value)
    if suffix and path.suffix.lower() != suffix:
        raise InputError(f"{option} {value}: the file name must end in {suffix}")
    if path.is_dir():
        raise InputError(f"{option} {value}: is a folder; give a file name")
    parent = path.parent
    if not parent.exists():
        raise InputError(f"{option} {value}: folder {parent} does not exist (create it first)")
    if not parent.is_dir():
        raise InputError(f"{option} {value}: {parent} is a file, not a folder")
    if path.exists() and not os.access(path, os.W_OK):
        raise InputError(f"{option} {value}: cannot write the file (permission denied)")
    if not path.exists() and not os.access(parent, os.W_OK | os.X_OK):
        raise InputError(f"{option} {value}: cannot write in folder {parent} (permission denied)")
    return path


def output_dir(option: str, value: str) -> Path:
    """The path of a folder option, checked before any work; a missing folder is created
    later by the writer (with its parents). Raises InputError naming the option."""
    if not value.strip():
        raise InputError(f"{option} is empty: give a folder")
    path = Path(value)
    for place in (path, *path.parents):
        if place.exists():
            if not place.is_dir():
                what = "is a file" if place == path else f"lies under {place}, a file"
                raise InputError(f"{option} {value}: {what}, not a folder")
            if not os.access(place, os.W_OK | os.X_OK):
                raise InputError(f"{option} {value}: cannot write in {place} (permission denied)")
            break
    return path


@contextmanager
def writing(option: str, path: Path) -> Iterator[None]:
    """Turn a failed write (a full disk, a folder removed meanwhile) into one line naming the
    option: checked paths can still fail once the work is done."""
    try:
        yield
    except OSError as exc:
        raise InputError(f"{option} {path}: cannot write ({exc.strerror or exc})") from None


def write_json(doc: Any, path: Path, option: str = "--json") -> None:
    """Write ``doc`` as UTF-8 JSON to ``path``; a path that cannot be written is bad input."""
    with writing(option, path):
        path.write_text(json_text(doc), encoding="utf-8")
    out.print(f"wrote {path}")


def write_outputs(outputs: Iterable[tuple[str, Path | None, Callable[[Path], object]]]) -> None:
    """Write each (option, path, writer) asked for (path not None), then say "wrote PATH"."""
    for option, path, write in outputs:
        if path is None:
            continue
        with writing(option, path):
            write(path)
        out.print(f"wrote {path}")


# --- errors -------------------------------------------------------------------------------------


def one_line(text: str) -> str:
    """The message on one line, whatever the user's values held (a newline in a code)."""
    return re.sub(r"\s*[\r\n]+\s*", " ", text).strip()


def error(message: str) -> None:
    """Print ``error: message`` as one line on stderr (no wrapping, no markup)."""
    Console(stderr=True, highlight=False).print(
        f"error: {one_line(message)}", markup=False, soft_wrap=True
    )


def _usage_message(exc: Any) -> str:
    """A Typer/click usage error as one line, with where to find help."""
    message = str(exc.format_message())
    ctx = getattr(exc, "ctx", None)
    if ctx is not None and ctx.command.get_help_option(ctx) is not None:
        message = f"{message.rstrip('.')} (see: {ctx.command_path} {ctx.help_option_names[0]})"
    return message


def run(app: Callable[..., Any]) -> None:
    """Run the Typer app: airlift errors and usage errors (a bad number, a missing argument,
    an unknown option) become one line on stderr and exit status 2; ``--help`` as ever."""
    import typer

    try:
        status = app(standalone_mode=False)
    except AirliftError as exc:
        error(str(exc))
        sys.exit(USAGE_EXIT)
    except typer.Abort:
        error("aborted")
        sys.exit(1)
    except typer.TyperException as exc:  # click's errors: usage errors and the like
        if type(exc).__name__ == "NoArgsIsHelpError":  # the help is shown already
            text = exc.format_message().strip()
            if text:
                out.print(text, markup=False, highlight=False)
        else:
            error(_usage_message(exc))
        sys.exit(USAGE_EXIT)
    sys.exit(status if isinstance(status, int) else 0)
