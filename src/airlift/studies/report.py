"""Summaries of a study's rows, its charts (PNG) and a self-contained HTML report.

Spread is the sample standard deviation over the runs at a level (0 with one run). The
smallest fleet is the fleet factor's level with the fewest tails whose runs serve, on
average, at least ``target_served_pct`` of required requests (averaged over the seeds and
over the other factors' levels in those runs).
"""

from __future__ import annotations

import base64
import io
import json
import statistics
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa
    from matplotlib.figure import Figure

    from airlift.studies.study import Study

FIGURES = {
    "required_served_pct": "required served %",
    "tonnes_delivered": "tonnes delivered",
    "tonnes_late": "tonnes late",
    "ton_nm_per_day": "ton-NM per day",
    "flying_hours": "flying hours",
}
"""The figures summarised per level, with their column headings in the report."""


@dataclass(frozen=True, slots=True)
class LevelStats:
    """One factor level over its ok runs: mean and spread of each figure in FIGURES."""

    factor: str
    level: str
    runs: int
    failed: int
    mean: dict[str, float]
    spread: dict[str, float]
    tails: float


def level_text(level: Any) -> str:
    if isinstance(level, dict):
        return " ".join(f"{k}={v}" for k, v in level.items())
    return f"{level:g}" if isinstance(level, float) else str(level)


def _mean_sd(values: list[float]) -> tuple[float, float]:
    if not values:
        return float("nan"), float("nan")
    return statistics.fmean(values), statistics.stdev(values) if len(values) > 1 else 0.0


def level_stats(study: Study, rows: list[dict[str, Any]]) -> list[LevelStats]:
    """Per factor, per level (in the study's order), over the runs at that level."""
    out = []
    for f in study.factors:
        for level in f.levels:
            key = json.dumps(level, sort_keys=True)
            at = [
                r
                for r in rows
                if json.dumps(json.loads(r["levels"])[f.name], sort_keys=True) == key
            ]
            ok = [r for r in at if r["status"] == "ok"]
            if not at:
                continue
            pairs = {k: _mean_sd([float(r[k]) for r in ok]) for k in FIGURES}
            out.append(
                LevelStats(
                    f.name,
                    level_text(level),
                    len(ok),
                    len(at) - len(ok),
                    {k: v[0] for k, v in pairs.items()},
                    {k: v[1] for k, v in pairs.items()},
                    _mean_sd([float(r["fleet_tails"]) for r in ok])[0],
                )
            )
    return out


def _others(study: Study, levels_json: str) -> str:
    """The levels of every factor but the fleet's, as text: a run's conditions."""
    fleet = study.fleet_factor
    levels = json.loads(levels_json)
    return ", ".join(
        f"{f.name}={level_text(levels[f.name])}" for f in study.factors if f is not fleet
    )


def _smallest(study: Study, rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    factor = study.fleet_factor
    assert factor is not None
    stats = [s for s in level_stats(study, rows) if s.factor == factor.name and s.runs]
    meeting = [s for s in stats if s.mean["required_served_pct"] >= study.target_served_pct]
    if not meeting:
        return None
    best = min(meeting, key=lambda s: s.tails)
    return {
        "factor": factor.name,
        "level": best.level,
        "tails": round(best.tails),
        "served_pct": round(best.mean["required_served_pct"], 2),
    }


def base_conditions(study: Study) -> str:
    fleet = study.fleet_factor
    return ", ".join(
        f"{f.name}={level_text(f.base_level)}" for f in study.factors if f is not fleet
    )


def smallest_fleet(study: Study, rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The fleet level with the fewest tails that serves the target share on average at the
    other factors' base levels (their ``base``, else their first level; a design with no run
    there, such as a Latin hypercube: over all runs). None: no fleet factor, or no level does."""
    if study.fleet_factor is None:
        return None
    base = base_conditions(study)
    at_base = [r for r in rows if _others(study, r["levels"]) == base] or rows
    found = _smallest(study, at_base)
    if found is None:
        return None
    conditions = base if len(at_base) < len(rows) or not base else "all runs"
    return found | {"target_pct": study.target_served_pct, "conditions": conditions or "-"}


def smallest_fleet_by_condition(study: Study, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Per combination of the other factors' levels: the smallest fleet (or None)."""
    if study.fleet_factor is None:
        return {}
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        groups[_others(study, r["levels"])].append(r)
    return {cond or "-": _smallest(study, group) for cond, group in sorted(groups.items())}


def summary(study: Study, table: pa.Table) -> dict[str, Any]:
    """The ``--json`` summary: runs, failed, smallest_fleet and the headline figures."""
    rows = table.to_pylist()
    ok = [r for r in rows if r["status"] == "ok"]
    served = [float(r["required_served_pct"]) for r in ok]
    return {
        "study": study.name,
        "runs": len(rows),
        "failed": len(rows) - len(ok),
        "smallest_fleet": smallest_fleet(study, rows),
        "smallest_fleet_by_condition": smallest_fleet_by_condition(study, rows),
        "target_served_pct": study.target_served_pct,
        "served_pct_mean": round(statistics.fmean(served), 2) if served else None,
        "served_pct_min": round(min(served), 2) if served else None,
        "served_pct_max": round(max(served), 2) if served else None,
        "errors": sorted({r["error"] for r in rows if r["status"] != "ok"})[:5],
    }


# --- charts -------------------------------------------------------------------------------------


def _figure(width: float = 7.5, height: float = 4.2) -> tuple[Figure, Any]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=(width, height), dpi=100)


def _png(fig: Figure) -> bytes:
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def served_by_fleet_png(study: Study, rows: list[dict[str, Any]]) -> bytes | None:
    """Mean served against tails, ± 1 sd, one line per condition of the other factors (at
    most 6; beyond, one line over all runs)."""
    factor = study.fleet_factor
    if factor is None:
        return None
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        groups[_others(study, r["levels"])].append(r)
    if len(groups) > 6:
        groups = {"all runs": rows}
    fig, ax = _figure()
    drawn = False
    for cond, group in sorted(groups.items()):
        points = sorted(
            (s for s in level_stats(study, group) if s.factor == factor.name and s.runs),
            key=lambda s: s.tails,
        )
        if points:
            drawn = True
            ax.errorbar(
                [s.tails for s in points],
                [s.mean["required_served_pct"] for s in points],
                yerr=[s.spread["required_served_pct"] for s in points],
                fmt="o-",
                capsize=4,
                label=cond or "mean ± 1 sd",
            )
    if not drawn:
        return None
    ax.axhline(
        study.target_served_pct,
        color="#b03a2e",
        ls="--",
        label=f"target {study.target_served_pct:g} %",
    )
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(f"tails in the fleet ({factor.name})")
    ax.set_ylabel("required requests served (%), mean ± 1 sd")
    ax.set_title("Served against fleet size")
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right", fontsize=8)
    return _png(fig)


def tornado_png(stats: list[LevelStats], figure: str = "required_served_pct") -> bytes | None:
    """Per factor, the range of its level means: the widest bar is the strongest effect."""
    spans = []
    for name in dict.fromkeys(s.factor for s in stats):
        means = [(s.mean[figure], s.level) for s in stats if s.factor == name and s.runs]
        if means:
            spans.append((name, min(means), max(means)))
    if not spans:
        return None
    spans.sort(key=lambda x: x[2][0] - x[1][0])
    fig, ax = _figure(height=max(2.2, 0.7 * len(spans) + 1.2))
    for i, (_name, low, high) in enumerate(spans):
        ax.barh(i, max(high[0] - low[0], 0.05), left=low[0], color="#2e86c1")
        ax.text(low[0], i, f"{low[1]} ", ha="right", va="center", fontsize=8)
        ax.text(high[0], i, f" {high[1]}", ha="left", va="center", fontsize=8)
    ax.set_yticks(range(len(spans)), [s[0] for s in spans])
    low_x = min(s[1][0] for s in spans)
    high_x = max(s[2][0] for s in spans)
    pad = 0.35 * (high_x - low_x) + 1.0
    ax.set_xlim(low_x - pad, high_x + pad)
    ax.set_xlabel("mean required requests served (%): the factor's worst and best level")
    ax.set_title("Factor effects (tornado)")
    ax.grid(axis="x", alpha=0.3)
    return _png(fig)


def utilisation_png(rows: list[dict[str, Any]]) -> bytes | None:
    by_type: dict[str, list[float]] = defaultdict(list)
    for r in rows:
        if r["status"] == "ok":
            for t, h in json.loads(r["utilisation_by_type"]).items():
                by_type[t].append(float(h))
    if not by_type:
        return None
    types = sorted(by_type)
    pairs = [_mean_sd(by_type[t]) for t in types]
    fig, ax = _figure(height=3.6)
    ax.bar(types, [p[0] for p in pairs], yerr=[p[1] for p in pairs], capsize=4, color="#52be80")
    ax.set_ylabel("flying hours per tail-day")
    ax.set_title("Utilisation per type (mean ± 1 sd over runs)")
    ax.grid(axis="y", alpha=0.3)
    return _png(fig)


# --- HTML ---------------------------------------------------------------------------------------


def _page() -> str:
    from importlib import resources

    return (resources.files("airlift") / "studies" / "templates" / "report.html").read_text(
        encoding="utf-8"
    )


def write_report(study: Study, table: pa.Table, out_dir: Path) -> Path:
    """Write ``report.html`` (charts embedded as base64 PNG: no other file, no CDN)."""
    import jinja2

    rows = table.to_pylist()
    stats = level_stats(study, rows)
    reasons: dict[str, int] = defaultdict(int)
    for r in rows:
        if r["status"] == "ok":
            for reason, n in json.loads(r["unmet_reasons"]).items():
                reasons[reason] += n
    charts = [
        (title, base64.b64encode(png).decode("ascii"))
        for title, png in (
            ("Served against fleet size", served_by_fleet_png(study, rows)),
            ("Factor effects", tornado_png(stats)),
            ("Utilisation per type", utilisation_png(rows)),
        )
        if png is not None
    ]
    html = (
        jinja2.Environment(autoescape=True)
        .from_string(_page())
        .render(
            study=study,
            summary=summary(study, table),
            charts=charts,
            stats=stats,
            figures=FIGURES,
            reasons=sorted(reasons.items(), key=lambda kv: -kv[1]),
            failed=[r for r in rows if r["status"] != "ok"],
        )
    )
    path = out_dir / "report.html"
    path.write_text(html, encoding="utf-8")
    return path
