"""Charts written to PNG files (matplotlib, Agg backend: no display needed)."""

from __future__ import annotations

from pathlib import Path

from airlift.aircraft import AircraftType
from airlift.performance import calibrate, payload_range_curve


def payload_range_png(t: AircraftType, path: Path) -> Path:
    """The model's payload-range diagram with the published points drawn on it."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    model = calibrate(t)
    ranges, payloads = payload_range_curve(t)
    fig, ax = plt.subplots(figsize=(8, 5), dpi=110)
    ax.plot(
        ranges,
        payloads / 1000.0,
        color="#1f4e79",
        lw=2,
        label=f"model (Breguet, k = {model.k_nm:,.0f} NM, 30 min reserve)",
    )
    groups = (
        ("fitted", model.fitted, "o", "#2e7d32"),
        ("held out", model.held_out, "s", "#ef6c00"),
        ("excluded", model.excluded, "x", "#9e9e9e"),
    )
    for label, points, marker, color in groups:
        if points:
            ax.scatter(
                [p.point.range_nm for p in points],
                [p.point.payload_kg / 1000.0 for p in points],
                marker=marker,
                s=60,
                color=color,
                zorder=3,
                label=f"published, {label}",
            )
            for p in points:
                ax.annotate(
                    f"{p.residual_pct:+.0f} %",
                    (p.point.range_nm, p.point.payload_kg / 1000),
                    textcoords="offset points",
                    xytext=(6, 6),
                    fontsize=8,
                    color=color,
                )
    ax.set_xlabel("range, still air (NM)")
    ax.set_ylabel("payload (t)")
    ax.set_title(f"{t.name}: payload-range (planning estimate)")
    ax.set_xlim(left=0)
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.legend(loc="upper right", fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return path
