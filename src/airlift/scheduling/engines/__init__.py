"""Engines that solve a :class:`~airlift.scheduling.problem.Problem`.

``pyvrp`` is the default engine; ``ortools`` is the side-by-side baseline. Each module exposes
``solve(problem, options) -> Solution``; :func:`solve` picks one by name.
"""

from __future__ import annotations

from airlift.scheduling.problem import Problem, Solution, SolveOptions

ENGINES = ("pyvrp", "ortools")


def solve(problem: Problem, options: SolveOptions, engine: str = "pyvrp") -> Solution:
    if engine == "pyvrp":
        from airlift.scheduling.engines import pyvrp_engine

        return pyvrp_engine.solve(problem, options)
    if engine == "ortools":
        from airlift.scheduling.engines import ortools_engine

        return ortools_engine.solve(problem, options)
    raise ValueError(f"Unknown engine {engine!r}; expected one of {', '.join(ENGINES)}.")
