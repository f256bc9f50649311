"""Fidelity of the performance model: every published figure in the type files, under its
stated conditions, through the public functions (`airlift perf ...` answers).

Prints, per figure: published, model, error, fitted / held out / excluded; per type: figures
within their tolerance (10 % unless the file says otherwise) and the worst; the misses with the
finding that explains each; then totals.

    python benchmarks/bench_fidelity.py [TYPE ...]
"""

from __future__ import annotations

import argparse
import math

from rich.console import Console
from rich.table import Table

from airlift.aircraft import catalogue
from airlift.performance.figures import FigureCheck, check_figures


def _fmt(v: float) -> str:
    return "-" if not math.isfinite(v) else f"{v:,.1f}" if v < 100 else f"{v:,.0f}"


def _conditions(c: FigureCheck) -> str:
    f = c.figure
    parts = [
        f"{name}={getattr(f, name):g}"
        if isinstance(getattr(f, name), float)
        else f"{name}={getattr(f, name)}"
        for name in (
            "payload_kg",
            "fuel_kg",
            "weight_kg",
            "fl",
            "speed",
            "reserve_min",
            "distance_nm",
            "elevation_ft",
            "oat_c",
            "surface",
        )
        if getattr(f, name) is not None
    ]
    return " ".join(parts)


def _findings(console: Console, checks: list[tuple[str, FigureCheck]]) -> None:
    """The misses and the finding that explains each (or that none is written yet)."""
    misses = [(d, c) for d, c in checks if not c.figure.excluded and not c.within]
    if not misses:
        return
    table = Table(title="Misses and their findings", title_justify="left")
    for col in ("figure", "error %", "finding"):
        table.add_column(col, justify="right" if col == "error %" else "left")
    for d, c in misses:
        f = c.figure
        err = "-" if not math.isfinite(c.error_pct) else f"{c.error_pct:+.1f}"
        table.add_row(
            f"{d} {f.kind} {f.value:,.0f} {f.unit}",
            err,
            f.finding or c.note or "(no finding written)",
        )
    console.print(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("types", nargs="*")
    args = parser.parse_args()
    types = catalogue()
    chosen = args.types or sorted(types)
    console = Console(width=170)
    summary = Table(title="Per type")
    for col in ("type", "figures", "within tolerance", "held out within", "worst figure"):
        summary.add_column(col, justify="left" if col in ("type", "worst figure") else "right")
    total = within = held = held_in = 0
    errors: list[float] = []
    for d in chosen:
        t = types[d]
        checks = check_figures(t)
        table = Table(title=f"{t.designator}: {t.name}", title_justify="left")
        for col in ("kind", "conditions", "published", "model", "unit", "error %", "role", "ok"):
            table.add_column(
                col, justify="right" if col in ("published", "model", "error %") else "left"
            )
        counted = [c for c in checks if not c.figure.excluded]
        for c in checks:
            err = c.error_pct
            table.add_row(
                c.figure.kind,
                _conditions(c),
                _fmt(c.figure.value),
                _fmt(c.model),
                c.figure.unit,
                "-" if not math.isfinite(err) else f"{err:+.1f}",
                c.role,
                "yes" if c.within else ("-" if c.figure.excluded else "NO"),
            )
        console.print(table)
        ok = [c for c in counted if c.within]
        ho = [c for c in counted if c.figure.holdout]
        worst = max(
            counted,
            key=lambda c: abs(c.error_pct) if math.isfinite(c.error_pct) else math.inf,
            default=None,
        )
        summary.add_row(
            d,
            str(len(counted)),
            f"{len(ok)}/{len(counted)}",
            f"{sum(c.within for c in ho)}/{len(ho)}",
            "-"
            if worst is None
            else f"{worst.figure.kind} {worst.figure.value:,.0f} "
            f"{worst.figure.unit}: {worst.error_pct:+.1f} %",
        )
        total += len(counted)
        within += len(ok)
        held += len(ho)
        held_in += sum(c.within for c in ho)
        errors += [abs(c.error_pct) if math.isfinite(c.error_pct) else 100.0 for c in counted]
    console.print(summary)
    _findings(console, [(d, c) for d in chosen for c in check_figures(types[d])])
    mean = sum(errors) / len(errors) if errors else 0.0
    console.print(
        f"Totals: {within}/{total} figures within tolerance ({held_in}/{held} held out); "
        f"mean absolute error {mean:.1f} %; worst {max(errors, default=0):.1f} % "
        "(a figure the model cannot answer counts as 100 %)"
    )


if __name__ == "__main__":
    main()
