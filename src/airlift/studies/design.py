"""Design points and runs: full factorial, one factor at a time, Latin hypercube.

A design point is one level per factor; a run is a point and a seed (the replications).
Points and runs come out in a fixed order from the study alone, so a run's id names the same
levels and seed every time the study file is read (what ``--resume`` relies on).
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from airlift.studies.study import Level, Study


@dataclass(frozen=True, slots=True)
class Run:
    """One run: ``point`` (the design point's number), its factor levels by factor name,
    the seed. ``run_id`` is stable for the same study file."""

    point: int
    levels: dict[str, Level]
    seed: int

    @property
    def run_id(self) -> str:
        return f"p{self.point:04d}-s{self.seed}"

    @property
    def levels_json(self) -> str:
        return json.dumps(self.levels, sort_keys=True)


def points(study: Study) -> list[dict[str, Level]]:
    """The design points in order (one-at-a-time: the base point first)."""
    factors = study.factors
    kind = study.design.kind
    if kind == "full-factorial":
        return [
            {f.name: level for f, level in zip(factors, combo, strict=True)}
            for combo in itertools.product(*(f.levels for f in factors))
        ]
    if kind == "one-at-a-time":
        base = {f.name: f.base_level for f in factors}
        out = [base]
        for f in factors:
            out += [{**base, f.name: level} for level in f.levels if level != f.base_level]
        return out
    # Latin hypercube over level indices: each factor's levels are strata of [0, 1).
    from scipy.stats import qmc

    sample = qmc.LatinHypercube(d=len(factors), seed=study.design.seed).random(study.design.samples)
    return [
        {
            f.name: f.levels[min(len(f.levels) - 1, int(u * len(f.levels)))]
            for f, u in zip(factors, row, strict=True)
        }
        for row in sample
    ]


def runs(study: Study) -> list[Run]:
    """Every run: each point once per seed of the replications."""
    return [
        Run(i, levels, seed)
        for i, levels in enumerate(points(study))
        for seed in study.design.seeds
    ]


def run_count(study: Study) -> int:
    """How many runs, without listing them (checked before a huge design is built)."""
    sizes = [len(f.levels) for f in study.factors]
    kind = study.design.kind
    if kind == "full-factorial":
        n = 1
        for s in sizes:
            n *= s
    elif kind == "one-at-a-time":
        n = 1 + sum(s - 1 for s in sizes)
    else:
        n = study.design.samples
    return n * study.design.replications
