"""Fit each type's calibration factors to its published figures that are not held out.

    python -m airlift.performance.calibrate [--write] [TYPE ...]

The public parameters of a type file (drag polar, engine rating, SFC) set the model's shape;
factors (:class:`airlift.aircraft.Calibration`) absorb what public data leave open: zero-lift
drag and specific consumption for cruise, one factor each for take-off and landing
distances. The
fit minimises the squared log error of the fitted figures plus a ridge pull of each log
factor towards 1 (``RIDGE``): with few figures a factor stays near the public value instead
of chasing one number. Held-out and excluded figures never enter the fit. ``--write`` stores
the result in ``data/aircraft/calibration.toml``, which the catalogue loads.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

from airlift.aircraft import AircraftType, Calibration, PublishedFigure, catalogue
from airlift.errors import InputError
from airlift.performance.figures import FIELD_KINDS, model_value

RIDGE = 0.05
"""Weight of the pull towards the public parameters, per log factor squared."""
ROBUST_SCALE = 0.1
CRUISE_FACTORS = ("drag", "fuel")
"""Fitted for cruise: zero-lift drag and specific consumption, the two parameters public
data pin least. Induced drag (span, Oswald) and power (the engine's published rating) stay
as given: fitting them too (tried) lets a few conflicting range figures pull the maximum
cruise speed 10-20 % below the published speeds, and did worse on held-out figures."""
BOUNDS = (0.5, 2.0)


def _loss(
    t: AircraftType, figures: list[PublishedFigure], names: tuple[str, ...], logs: np.ndarray
) -> float:
    cal = replace(
        t.calibration, **{n: float(math.exp(v)) for n, v in zip(names, logs, strict=True)}
    )
    trial = replace(t, calibration=cal)
    total = RIDGE * float(np.sum(logs**2))
    for f in figures:
        try:
            m = model_value(trial, f)
        except Exception:
            return 1e6
        if not math.isfinite(m) or m <= 0:
            return 1e6
        total += _soft_l1(math.log(m / f.value))
    return total


def _soft_l1(r: float) -> float:
    """Robust loss on a log error: quadratic within ~10 %, linear beyond (scipy's "soft_l1",
    scale 0.1). Public figures disagree: one from a source with other, unstated conditions
    must not drag the whole fit as a square would, yet every figure still counts (a Cauchy
    loss, tried, lets a fit with few figures ignore some). Errors show in bench_fidelity."""
    z = (r / ROBUST_SCALE) ** 2
    return 2.0 * ROBUST_SCALE**2 * (math.sqrt(1.0 + z) - 1.0)


def _answerable(t: AircraftType, f: PublishedFigure) -> bool:
    """False where the figure's conditions break a limit of the type (reported, not fitted)."""
    try:
        model_value(t, f)
    except InputError:
        return False
    return True


def fit(t: AircraftType) -> Calibration:
    """The calibration factors for a type, from its fitted figures."""
    from scipy.optimize import minimize

    base = replace(t, calibration=Calibration())
    fitted = [f for f in t.published if f.fitted]
    cruise = [f for f in fitted if f.kind not in FIELD_KINDS and _answerable(base, f)]
    cal = Calibration()
    if cruise:
        res = minimize(
            lambda x: _loss(base, cruise, CRUISE_FACTORS, x),
            np.zeros(len(CRUISE_FACTORS)),
            method="Nelder-Mead",
            options={"xatol": 0.005, "fatol": 1e-5, "maxfev": 400},
        )
        lo, hi = (math.log(b) for b in BOUNDS)
        cal = replace(
            cal,
            **{
                n: round(math.exp(float(np.clip(v, lo, hi))), 4)
                for n, v in zip(CRUISE_FACTORS, res.x, strict=True)
            },
        )
    for name, which in (("takeoff", "takeoff"), ("landing", "landing")):
        figs = [
            f
            for f in fitted
            if f.kind in FIELD_KINDS and FIELD_KINDS[f.kind][0] == which and _answerable(base, f)
        ]
        if figs:
            trial = replace(base, calibration=cal)
            logs = [math.log(f.value / model_value(trial, f)) for f in figs]
            # One multiplicative factor: the median log error (robust to a figure with other
            # conditions), shrunk towards 1 like the ridge fit.
            shrunk = statistics.median(logs) * len(logs) / (len(logs) + RIDGE)
            lo, hi = (math.log(b) for b in BOUNDS)
            factor = math.exp(min(max(shrunk, lo), hi))
            cal = replace(cal, **{name: round(factor, 4)})
    return cal


def write(results: dict[str, Calibration], path: Path) -> None:
    existing: dict[str, Calibration] = {}
    if path.is_file():
        import tomllib

        for key, table in tomllib.loads(path.read_text("utf-8")).items():
            existing[key] = Calibration(**table)
    existing.update(results)
    lines = [
        "# Generated by `python -m airlift.performance.calibrate --write`: factors fitted to",
        "# each type's published figures that are not held out (see docs/aircraft-data.md).",
        "# 1.0 = the public parameters of the type file as given.",
    ]
    for key in sorted(existing):
        c = existing[key]
        lines.append(f'\n["{key}"]')
        for n in Calibration.__slots__:
            lines.append(f"{n} = {getattr(c, n)}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("types", nargs="*")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    types = catalogue()
    chosen = args.types or list(types)
    results = {}
    for d in chosen:
        cal = fit(types[d])
        results[d] = cal
        sys.stdout.write(f"{d}: {cal}\n")
    if args.write:
        from importlib import resources

        path = Path(str(resources.files("airlift") / "data" / "aircraft" / "calibration.toml"))
        write(results, path)
        sys.stdout.write(f"wrote {path}\n")


if __name__ == "__main__":
    main()
