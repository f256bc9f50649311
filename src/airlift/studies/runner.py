"""Run a study on Dask: futures per run, rows written as runs finish, resume, retries.

Each finished run is written at once to ``OUT/runs/<run_id>.parquet`` (a temporary file
renamed into place, so a crash never leaves half a row); ``OUT/results.parquet`` gathers
them, refreshed every few seconds and at the end (Ctrl-C included). ``resume`` keeps the
rows of finished (``ok``) runs of the same study and runs only the others.

A run that raises is a failed row (``run.run_one`` catches it). A worker that dies under a
run: the scheduler gives the run to another worker once (``allowed-failures`` = 1 on a
cluster we start; an existing cluster keeps its own setting), then the run is recorded as
failed (``KilledWorker``) and the study goes on.

The library entry for a web route is :func:`run_study` with a ``progress`` callback.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from airlift.errors import InputError
from airlift.studies.design import Run, runs
from airlift.studies.run import RESULT_COLUMNS, complete, run_one

if TYPE_CHECKING:
    import pyarrow as pa
    from distributed import Client

    from airlift.studies.study import Study

Task = Callable[["Study", Run], dict[str, Any]]
CONNECT_TIMEOUT_S = 5.0
"""How long to wait for ``--scheduler``: a cluster that does not answer in 5 s is not there."""
GATHER_EVERY_S = 5.0
"""How often results.parquet is rewritten from the per-run files while a study runs."""


@dataclass(frozen=True, slots=True)
class StudyProgress:
    """Where a study stands: runs done (ok), failed, and left of ``total`` (this session's
    runs plus those resumed); ``eta_s`` is None until a run has finished."""

    done: int
    failed: int
    total: int
    elapsed_s: float
    eta_s: float | None

    @property
    def remaining(self) -> int:
        return self.total - self.done - self.failed


@dataclass(frozen=True, slots=True)
class StudyOutcome:
    """A finished study: where its files are, the runs made now and those kept (resume)."""

    out_dir: Path
    results: Path
    report: Path | None
    ran: tuple[str, ...]
    kept: tuple[str, ...]
    wall_s: float
    workers: int
    summary: dict[str, Any] = field(default_factory=dict)


def schema() -> pa.Schema:
    import pyarrow as pa

    return pa.schema([(name, pa.type_for_alias(kind)) for name, kind in RESULT_COLUMNS.items()])


def default_out_dir(study: Study) -> Path:
    return Path("out") / f"study-{study.name}"


def run_study(
    study: Study,
    out_dir: Path | None = None,
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    processes: bool = True,
    serial: bool = False,
    resume: bool = False,
    progress: Callable[[StudyProgress], None] | None = None,
    report: bool = True,
    task: Task = run_one,
    stop: Callable[[], bool] | None = None,
) -> StudyOutcome:
    """Run every run of ``study`` (serially, on a new LocalCluster of ``workers`` processes,
    one per core by default, or on the cluster at ``scheduler``), store the rows in
    ``out_dir`` and write the report. Bad input (a fleet level with nothing to copy, a
    scheduler that does not answer, results of another study) raises InputError first.
    ``stop``: asked after each finished run; True cancels the runs left (they stay to do,
    for a later ``resume``)."""
    from airlift.studies.apply import check_against_base

    started = time.perf_counter()
    out_dir = out_dir or default_out_dir(study)
    check_against_base(study)
    with _client(scheduler, workers, processes, serial) as client:
        parts = out_dir / "runs"
        kept_rows = _kept(study, parts, out_dir) if resume else {}
        if not resume and parts.exists():
            shutil.rmtree(parts)
        parts.mkdir(parents=True, exist_ok=True)
        todo = [r for r in runs(study) if r.run_id not in kept_rows]
        n_workers = 1 if client is None else max(1, len(client.scheduler_info()["workers"]))
        tally = _Tally(len(todo) + len(kept_rows), len(kept_rows), progress)
        ran: list[str] = []
        try:
            rows = (
                _serial(study, todo, task) if client is None else _dask(client, study, todo, task)
            )
            for row in rows:
                _write_part(parts, row)
                ran.append(row["run_id"])
                tally.add(row["status"] == "ok")
                if tally.due():
                    gather(out_dir)
                if stop is not None and stop():
                    break
        finally:
            results = gather(out_dir)
    table = read_results(results)
    from airlift.studies.report import summary, write_report

    page = write_report(study, table, out_dir) if report and table.num_rows else None
    wall = time.perf_counter() - started
    return StudyOutcome(
        out_dir=out_dir,
        results=results,
        report=page,
        ran=tuple(ran),
        kept=tuple(sorted(kept_rows)),
        wall_s=wall,
        workers=n_workers,
        summary=summary(study, table) | {"wall_s": round(wall, 2), "workers": n_workers},
    )


class _Tally:
    def __init__(self, total: int, kept: int, progress: Callable[[StudyProgress], None] | None):
        self.total, self.done, self.failed, self.kept = total, kept, 0, kept
        self.progress = progress
        self.start = self.last = time.perf_counter()
        self.report()

    def add(self, ok: bool) -> None:
        self.done += ok
        self.failed += not ok
        self.report()

    def due(self) -> bool:
        now = time.perf_counter()
        if now - self.last >= GATHER_EVERY_S:
            self.last = now
            return True
        return False

    def report(self) -> None:
        if self.progress is None:
            return
        elapsed = time.perf_counter() - self.start
        finished = self.done + self.failed - self.kept
        left = self.total - self.done - self.failed
        eta = elapsed / finished * left if finished else None
        self.progress(StudyProgress(self.done, self.failed, self.total, elapsed, eta))


@contextmanager
def _client(
    scheduler: str | None, workers: int | None, processes: bool, serial: bool
) -> Iterator[Client | None]:
    """None (serial), a client of the cluster at ``scheduler``, or of a LocalCluster."""
    if serial:
        yield None
        return
    import dask
    from distributed import Client, LocalCluster

    if scheduler is not None:
        try:
            client = Client(scheduler, timeout=f"{CONNECT_TIMEOUT_S}s", set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise InputError(
                f"--scheduler {scheduler}: cannot connect within {CONNECT_TIMEOUT_S:g} s "
                f"({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''})"
            ) from None
        with client:
            yield client
        return
    n = workers or os.cpu_count() or 1
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        cluster = LocalCluster(
            n_workers=n,
            threads_per_worker=1,
            processes=processes,
            # The scheduler's HTTP server (metrics, dashboard) starts whatever this says: on a
            # free loopback port it opens nothing to the network and never clashes on 8787.
            dashboard_address="127.0.0.1:0",
            silence_logs=logging.ERROR,
        )
    with cluster, Client(cluster, set_as_default=False) as client:
        yield client


def _serial(study: Study, todo: list[Run], task: Task) -> Iterator[dict[str, Any]]:
    for run in todo:
        yield task(study, run)


def _dask(client: Client, study: Study, todo: list[Run], task: Task) -> Iterator[dict[str, Any]]:
    """Rows as runs finish. retries=1: a task that raises is tried once more; run_one never
    raises, so this covers what breaks around it (a lost connection to a worker)."""
    from distributed import as_completed
    from distributed.scheduler import KilledWorker

    digest = study.digest()
    futures = {
        client.submit(
            task, study, run, key=f"airlift-study-{digest}-{run.run_id}", pure=False, retries=1
        ): run
        for run in todo
    }
    try:
        for future in as_completed(futures, loop=client.loop):
            run = futures[future]
            try:
                yield future.result()
            except KilledWorker as exc:
                why = f"KilledWorker: its worker died twice under this run ({exc})"
                yield _failed(study, run, why)
            except Exception as exc:  # a run lost to the cluster, not to its inputs
                yield _failed(study, run, f"{type(exc).__name__}: {exc}")
    finally:
        client.cancel(list(futures))


def _failed(study: Study, run: Run, error: str) -> dict[str, Any]:
    return complete(
        {
            "run_id": run.run_id,
            "point": run.point,
            "seed": run.seed,
            "levels": run.levels_json,
            "status": "failed",
            "error": error[:2000],
            "iterations": study.iterations or 0,
            "study_digest": study.digest(),
        }
    )


def _write_part(parts: Path, row: dict[str, Any]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = parts / f"{row['run_id']}.parquet"
    tmp = path.with_suffix(".tmp")
    pq.write_table(pa.Table.from_pylist([row], schema=schema()), tmp)
    os.replace(tmp, path)


def gather(out_dir: Path) -> Path:
    """Write ``results.parquet`` from the per-run files (sorted by run id); its path."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    parts = sorted((out_dir / "runs").glob("*.parquet"))
    tables = [pq.read_table(p, schema=schema()) for p in parts]
    table = pa.concat_tables(tables) if tables else schema().empty_table()
    path = out_dir / "results.parquet"
    tmp = path.with_suffix(".tmp")
    pq.write_table(table, tmp)
    os.replace(tmp, path)
    return path


def read_results(path: Path) -> pa.Table:
    import pyarrow.parquet as pq

    return pq.read_table(path, schema=schema())


def _kept(study: Study, parts: Path, out_dir: Path) -> dict[str, dict[str, Any]]:
    """Rows of finished runs to keep on resume; failed runs are run again. Rows of another
    study (the file changed since) are refused rather than mixed in."""
    import pyarrow.parquet as pq

    rows: dict[str, dict[str, Any]] = {}
    wanted = {r.run_id: r.levels_json for r in runs(study)}
    for path in sorted(parts.glob("*.parquet")) if parts.exists() else []:
        row = pq.read_table(path, schema=schema()).to_pylist()[0]
        if row["study_digest"] != study.digest():
            raise InputError(
                f"--resume: {out_dir} holds results of another study (its file changed since "
                "they were made); give another --out or run without --resume"
            )
        if row["status"] == "ok" and wanted.get(row["run_id"]) == row["levels"]:
            rows[row["run_id"]] = row
        else:
            path.unlink()
    return rows
