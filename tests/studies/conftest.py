"""Tiny studies of the demo week (2 runs of about a second each: 100 iterations, a 6 s cap:
at least twice what the mission checks after the engine need here, so a busy machine does not
cut them and the answer stays the same on a cluster and serially).

``tiny_study``: fleet of 6 or 8 tails, one seed; ``write_study``: a study file from TOML text
in the test's folder (bad-input cases)."""

from __future__ import annotations

import socket
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from airlift.studies import Study, load_study

TINY = """
name = "tiny"
[base]
time_limit_s = 6
iterations = 100
[design]
kind = "full-factorial"
replications = 1
[[factor]]
name = "fleet"
kind = "fleet_size"
levels = [6, 8]
"""


@pytest.fixture
def write_study(tmp_path: Path) -> Callable[[str], Path]:
    def write(text: str) -> Path:
        path = tmp_path / "study.toml"
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def tiny_file(write_study: Callable[[str], Path]) -> Path:
    return write_study(TINY)


@pytest.fixture
def tiny_study(tiny_file: Path) -> Study:
    return load_study(tiny_file)


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> Callable[..., int]:
    """``cli(*args)``: ``airlift ARGS`` in this process through the real entry point (errors
    one line on stderr, exit 2); its exit status."""
    from airlift.cli import main

    def run(*args: str) -> int:
        monkeypatch.setattr(sys, "argv", ["airlift", *args])
        with pytest.raises(SystemExit) as exit_:
            main()
        return int(exit_.value.code or 0)

    return run


@pytest.fixture
def free_port() -> Callable[[], int]:
    def port() -> int:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return int(s.getsockname()[1])

    return port
