"""``airlift study`` end to end: ``--json -`` and a real ``dask scheduler`` with two
``dask worker`` processes on loopback, driven through ``--scheduler``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from airlift.studies import Study, run_study

DASK = Path(sys.executable).with_name("dask")
SRC = Path(__file__).resolve().parents[2] / "src"


def test_json_summary_on_stdout(
    tiny_file: Path, cli: Callable[..., int], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert cli("study", str(tiny_file), "--serial", "--out", str(tmp_path), "--json", "-") == 0
    summary = json.loads(capsys.readouterr().out)  # nothing else on stdout
    assert summary["runs"] == 2 and summary["failed"] == 0
    assert "smallest_fleet" in summary and "smallest_fleet_by_condition" in summary
    assert (tmp_path / "results.parquet").is_file() and (tmp_path / "report.html").is_file()


@pytest.fixture
def cluster(free_port: Callable[[], int], tmp_path: Path) -> Iterator[str]:
    """``dask scheduler`` and two ``dask worker`` processes (1 process, 1 thread each, no
    dashboard) on 127.0.0.1; the scheduler's address."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = os.environ | {"PYTHONPATH": f"{SRC}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    log = (tmp_path / "cluster.log").open("wb")
    common = {"env": env, "stdout": log, "stderr": subprocess.STDOUT, "cwd": tmp_path}
    procs = [
        subprocess.Popen(
            [str(DASK), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
            **common,  # type: ignore[call-overload]
        )
    ]
    try:
        procs += [
            subprocess.Popen(
                [
                    str(DASK),
                    "worker",
                    address,
                    "--nworkers",
                    "1",
                    "--nthreads",
                    "1",
                    "--no-dashboard",
                    "--host",
                    "127.0.0.1",
                ],
                **common,  # type: ignore[call-overload]
            )
            for _ in range(2)
        ]
        _wait_for_workers(address, 2)
        yield address
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
        log.close()


def _wait_for_workers(address: str, n: int, timeout_s: float = 60.0) -> None:
    from distributed import Client

    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with Client(address, timeout="2s", set_as_default=False) as client:
                client.wait_for_workers(n, timeout=max(1.0, deadline - time.monotonic()))
                return
        except (OSError, TimeoutError):
            if time.monotonic() > deadline:
                raise


def test_study_on_an_existing_cluster(
    cluster: str, tiny_file: Path, tiny_study: Study, tmp_path: Path
) -> None:
    out = tmp_path / "cluster-out"
    env = os.environ | {"PYTHONPATH": f"{SRC}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "airlift",
            "study",
            str(tiny_file),
            "--scheduler",
            cluster,
            "--out",
            str(out),
            "--json",
            "-",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["runs"] == 2 and summary["failed"] == 0 and summary["workers"] == 2
    rows = pq.read_table(out / "results.parquet").to_pylist()
    assert len({r["worker"] for r in rows}) >= 1
    serial = run_study(tiny_study, tmp_path / "serial", serial=True, report=False)
    keys = ("run_id", "required_served_pct", "tonnes_delivered", "flying_hours", "unmet_reasons")
    mine = sorted(tuple(r[k] for k in keys) for r in pq.read_table(serial.results).to_pylist())
    assert sorted(tuple(r[k] for k in keys) for r in rows) == mine


@pytest.mark.slow
def test_demo_study_without_a_file(
    cli: Callable[..., int],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``airlift study``: the shipped demo study (16 runs, ~20 s on 2 cores) into
    ./out/study-demo/."""
    monkeypatch.chdir(tmp_path)
    assert cli("study", "--json", "-") == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["runs"] == 16 and summary["failed"] == 0
    assert (tmp_path / "out" / "study-demo" / "report.html").is_file()
    assert summary["smallest_fleet"] is None or summary["smallest_fleet"]["tails"] <= 8
