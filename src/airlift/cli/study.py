"""``airlift study``: a what-if study (many schedule runs) on Dask, with a progress bar."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from airlift.cli.common import STDOUT, error, out, output_dir, output_file, print_json, write_json
from airlift.errors import InputError

if TYPE_CHECKING:
    from rich.console import Console

    from airlift.studies import Study, StudyOutcome, StudyProgress


def study_cmd(
    study_file: Annotated[
        Path | None,
        typer.Argument(help="Study TOML (default: the shipped demo study).", show_default=False),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            metavar="tcp://HOST:PORT",
            help="Run on an existing Dask "
            "cluster (default: a local cluster, one worker process per core).",
        ),
    ] = None,
    workers: Annotated[
        int | None, typer.Option("--workers", help="Worker processes of the local cluster.")
    ] = None,
    serial: Annotated[
        bool, typer.Option("--serial", help="Run in this process, one run after another.")
    ] = False,
    resume: Annotated[
        bool, typer.Option("--resume", help="Keep finished runs in --out; run the others.")
    ] = False,
    out_folder: Annotated[
        str | None,
        typer.Option(
            "--out",
            metavar="DIR",
            help="Folder for results.parquet and report.html (default ./out/study-<name>/).",
        ),
    ] = None,
    json_: Annotated[
        str | None,
        typer.Option(
            "--json",
            metavar="FILE",
            help="Write the summary JSON (- : standard "
            "output, then nothing else is printed there).",
        ),
    ] = None,
) -> None:
    """Run a what-if study: every combination of its factor levels and seeds is scheduled,
    one row per run in results.parquet, summaries and charts in report.html."""
    from airlift.studies import demo_study_path, load_study
    from airlift.studies.runner import default_out_dir

    # Every option and the whole study file are checked before any run.
    summary_path = output_file("--json", json_, stdout=True)
    if workers is not None and not 1 <= workers <= 256:
        raise InputError(f"--workers must be 1 to 256, got {workers}")
    if workers is not None and scheduler is not None:
        raise InputError(
            "--workers is for the local cluster; with --scheduler the cluster has its own workers"
        )
    if serial and (workers is not None or scheduler is not None):
        raise InputError("--serial runs in this process: no --workers or --scheduler")
    study = load_study(study_file or demo_study_path())
    out_dir = output_dir("--out", out_folder or str(default_out_dir(study)))
    console = out if summary_path is not STDOUT else _stderr()
    try:
        outcome = _run_with_bar(
            study,
            out_dir,
            console,
            scheduler=scheduler,
            workers=workers,
            serial=serial,
            resume=resume,
        )
    except KeyboardInterrupt:
        error(f"interrupted: the finished runs are in {out_dir}; carry on with --resume")
        raise SystemExit(130) from None
    if summary_path is STDOUT:
        print_json(outcome.summary)
        return
    _print_outcome(outcome, console)
    if summary_path is not None:
        write_json(outcome.summary, summary_path)


def _stderr() -> Console:
    from rich.console import Console

    return Console(stderr=True)


def _run_with_bar(study: Study, out_dir: Path, console: Console, **options: object) -> StudyOutcome:
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from airlift.studies.runner import run_study

    with Progress(
        TextColumn("study {task.fields[name]}"),
        BarColumn(),
        TextColumn(
            "{task.fields[done]} done, {task.fields[failed]} failed, {task.fields[left]} left"
        ),
        TimeElapsedColumn(),
        TextColumn("{task.fields[eta]}"),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("", total=None, name=study.name, done=0, failed=0, left="?", eta="")

        def show(p: StudyProgress) -> None:
            eta = "" if p.eta_s is None else f"~{p.eta_s:,.0f} s left"
            bar.update(
                task,
                total=p.total,
                completed=p.done + p.failed,
                done=p.done,
                failed=p.failed,
                left=p.remaining,
                eta=eta,
            )

        return run_study(study, out_dir, progress=show, **options)  # type: ignore[arg-type]


def _print_outcome(outcome: StudyOutcome, console: Console) -> None:
    s = outcome.summary
    kept = f", {len(outcome.kept)} kept from before" if outcome.kept else ""
    console.print(
        f"study {s['study']}: {s['runs']} runs ({len(outcome.ran)} now{kept}), "
        f"{s['failed']} failed, {outcome.wall_s:,.1f} s on {outcome.workers} worker(s)"
    )
    console.print(
        f"required requests served: mean {s['served_pct_mean']} %, "
        f"min {s['served_pct_min']} %, max {s['served_pct_max']} %"
    )
    best = s["smallest_fleet"]
    console.print(
        f"smallest fleet serving {s['target_served_pct']:g} %: "
        + (f"{best['level']} ({best['tails']} tails, {best['served_pct']} %)" if best else "none")
    )
    for message in s["errors"]:
        console.print(f"failed: {message}", markup=False)
    console.print(f"wrote {outcome.results}")
    if outcome.report is not None:
        console.print(f"wrote {outcome.report}")
