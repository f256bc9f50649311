"""Studies run for real: serial, on LocalClusters (threads and processes), resumed, with a
failing run and with a worker that dies. Each study is 2 runs of the demo week (~1 s each)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

import airlift.scheduling.scheduler
from airlift.studies import Study, run_study
from airlift.studies.design import Run
from airlift.studies.run import run_one

FIGURES = (
    "required_served_pct",
    "tonnes_delivered",
    "pax_delivered",
    "tonnes_late",
    "ton_nm_per_day",
    "flying_hours",
    "flying_h_by_type",
    "unmet_reasons",
)


def figures(results: Path) -> dict[str, tuple[Any, ...]]:
    """Each run's figures by run id (what a seed must fix: not timings, not the worker)."""
    rows = pq.read_table(results).to_pylist()
    return {r["run_id"]: tuple(r[k] for k in FIGURES) for r in rows}


def test_serial_and_distributed_runs_agree(tiny_study: Study, tmp_path: Path) -> None:
    serial = run_study(tiny_study, tmp_path / "serial", serial=True, report=False)
    dask = run_study(tiny_study, tmp_path / "dask", workers=2, processes=False)
    assert len(serial.ran) == len(dask.ran) == 2
    assert figures(serial.results) == figures(dask.results)
    rows = pq.read_table(dask.results).to_pylist()
    assert {r["status"] for r in rows} == {"ok"}
    # A row says how to run it again: its levels and seed.
    assert {(r["levels"], r["seed"]) for r in rows} == {('{"fleet": 6}', 0), ('{"fleet": 8}', 0)}
    assert all(r["fleet_tails"] == json.loads(r["levels"])["fleet"] for r in rows)
    assert dask.summary["runs"] == 2 and dask.summary["failed"] == 0
    page = (tmp_path / "dask" / "report.html").read_text(encoding="utf-8")
    assert page.count("data:image/png;base64,") == 3  # served/fleet, tornado, utilisation
    assert not re.search(r"""(src|href)=["']https?:""", page)  # self-contained: no CDN


def test_resume_skips_finished_runs(tiny_study: Study, tmp_path: Path) -> None:
    first = run_study(tiny_study, tmp_path, workers=1, processes=False, report=False)
    before = figures(first.results)
    (tmp_path / "runs" / "p0001-s0.parquet").unlink()  # as if it crashed before this run
    seen: list[int] = []
    again = run_study(
        tiny_study,
        tmp_path,
        workers=1,
        processes=False,
        resume=True,
        progress=lambda p: seen.append(p.done),
    )
    assert again.kept == ("p0000-s0",) and again.ran == ("p0001-s0",)
    assert seen[0] == 1 and seen[-1] == 2  # the kept run counts as done from the start
    assert figures(again.results) == before


def test_a_failing_run_is_recorded_and_the_study_goes_on(
    tiny_study: Study, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = airlift.scheduling.scheduler.schedule

    def schedule(requests: Any, fleet: tuple[Any, ...], *args: Any, **kwargs: Any) -> Any:
        if len(fleet) == 8:
            raise RuntimeError("engine blew up")
        return real(requests, fleet, *args, **kwargs)

    monkeypatch.setattr(airlift.scheduling.scheduler, "schedule", schedule)
    outcome = run_study(tiny_study, tmp_path, workers=2, processes=False)
    rows = {r["run_id"]: r for r in pq.read_table(outcome.results).to_pylist()}
    assert rows["p0000-s0"]["status"] == "ok"
    assert rows["p0001-s0"]["status"] == "failed"
    assert "RuntimeError: engine blew up" in rows["p0001-s0"]["error"]
    assert outcome.summary["failed"] == 1
    assert "engine blew up" in (tmp_path / "report.html").read_text(encoding="utf-8")


def die_on_fleet_8(study: Study, run: Run) -> dict[str, Any]:
    """A task whose worker process dies under the run with 8 tails."""
    if run.levels["fleet"] == 8:
        os._exit(3)
    return run_one(study, run)


def test_a_worker_that_dies_is_retried_then_recorded(tiny_study: Study, tmp_path: Path) -> None:
    import cloudpickle

    cloudpickle.register_pickle_by_value(__import__(__name__))  # workers cannot import tests
    outcome = run_study(tiny_study, tmp_path, workers=2, processes=True, task=die_on_fleet_8)
    rows = {r["run_id"]: r for r in pq.read_table(outcome.results).to_pylist()}
    assert rows["p0000-s0"]["status"] == "ok"
    assert rows["p0001-s0"]["status"] == "failed"
    assert "KilledWorker" in rows["p0001-s0"]["error"]


def test_stop_then_resume(tiny_study: Study, tmp_path: Path) -> None:
    """A study stopped after its first run (as a web route's stop button or Ctrl-C would)
    keeps that run; resume runs only the other."""
    first = run_study(tiny_study, tmp_path, serial=True, report=False, stop=lambda: True)
    assert first.ran == ("p0000-s0",) and first.summary["runs"] == 1
    again = run_study(tiny_study, tmp_path, workers=1, processes=False, resume=True)
    assert again.kept == ("p0000-s0",) and again.ran == ("p0001-s0",)
    assert again.summary["runs"] == 2
