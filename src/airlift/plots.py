"""Charts written to PNG files (matplotlib, Agg backend: no display needed)."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

from airlift.aircraft import AircraftType
from airlift.errors import InputError
from airlift.performance import SCHEDULES, range_at
from airlift.performance.figures import check_figures

if TYPE_CHECKING:
    from airlift.scheduling.programme import Programme


def payload_range_curve(
    t: AircraftType, speed: str, n: int = 24
) -> tuple[list[float], list[float]]:
    """(range NM, payload kg) along the payload-range boundary at a speed schedule: full
    payload to zero at MTOW with tanks topped up, then the ferry point; 30 min reserve."""
    ranges, payloads = [], []
    for i in range(n + 1):
        p = t.max_payload_kg * (1.0 - i / n)
        try:
            ranges.append(range_at(t, p, speed=speed).range_nm)
        except InputError:
            continue  # no fuel left under MTOW at this payload
        payloads.append(p)
    return [0.0, *ranges], [t.max_payload_kg, *payloads]


def payload_range_png(t: AircraftType, path: Path) -> Path:
    """The model's payload-range diagram at each speed schedule, with the published range
    points drawn on it: fitted, held out and excluded, each with the model's error."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8.5, 5.2), dpi=110)
    styles = {"mrc": "-", "lrc": "--", "mcr": "-.", "max-endurance": ":"}
    for speed in SCHEDULES:
        ranges, payloads = payload_range_curve(t, speed)
        ax.plot(
            ranges,
            [p / 1000.0 for p in payloads],
            styles[speed],
            color="#1f4e79",
            lw=1.8 if speed == t.normal_speed else 1.1,
            label=f"model, {speed}" + (" (normal)" if speed == t.normal_speed else ""),
        )
    checks = [c for c in check_figures(t) if c.figure.kind == "range"]
    groups = (
        ("fitted", "o", "#2e7d32"),
        ("held out", "s", "#ef6c00"),
        ("excluded", "x", "#9e9e9e"),
    )
    for role, marker, color in groups:
        points = [c for c in checks if c.role == role]
        if not points:
            continue
        ax.scatter(
            [c.figure.value for c in points],
            [(c.figure.payload_kg or 0.0) / 1000.0 for c in points],
            marker=marker,
            s=60,
            color=color,
            zorder=3,
            label=f"published, {role}",
        )
        for c in points:
            err = "no answer" if math.isnan(c.model) else f"{c.error_pct:+.0f} %"
            ax.annotate(
                err,
                (c.figure.value, (c.figure.payload_kg or 0.0) / 1000),
                textcoords="offset points",
                xytext=(6, 6),
                fontsize=8,
                color=color,
            )
    ax.set_xlabel("range, still air (NM), 30 min reserve")
    ax.set_ylabel("payload (t)")
    ax.set_title(f"{t.name}: payload-range by speed schedule (planning estimate)")
    ax.set_xlim(left=0)
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.legend(loc="upper right", fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return path


# Okabe-Ito: distinct for the common colour-vision deficiencies; then two Tol colours.
_NATION_COLOURS = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#D55E00",
    "#56B4E9",
    "#F0E442",
    "#332288",
    "#882255",
)
_GROUND = "#9e9e9e"


def _text_colour(hex_colour: str) -> str:
    """Black or white, whichever reads better on ``hex_colour`` (WCAG relative luminance)."""
    rgb = [int(hex_colour[i : i + 2], 16) / 255.0 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    lum = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    return "black" if lum > 0.179 else "white"


def gantt_png(p: Programme, path: Path) -> Path:
    """The flying programme as a Gantt chart: one row per tail, each leg a bar from take-off
    to landing coloured by the tail's nation, ground time between legs as a thin grey bar,
    the crew duty period as a faint band; x = UTC over the scenario's days."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import transforms
    from matplotlib.patches import Patch

    missions = sorted(p.missions, key=lambda m: (m.tail, m.day))
    # Rows: every tail of the fleet (idle ones too: the KPIs list them), in registration order.
    info = {m.tail: f"{m.tail} {m.aircraft} ({m.nation})" for m in missions}
    tails = sorted({*p.kpis.utilisation_h_per_day, *info})
    labels = [info.get(t, f"{t} (no missions)") for t in tails]
    row = {t: i for i, t in enumerate(tails)}
    nations = sorted({m.nation for m in missions})
    colour = {n: _NATION_COLOURS[i % len(_NATION_COLOURS)] for i, n in enumerate(nations)}
    flying_h = {t: 0.0 for t in tails}
    for m in missions:
        flying_h[m.tail] += m.flight_time_min / 60.0

    n = max(1, len(tails))
    width_px, height_px = 1600, 200 + 60 * n
    fig, ax = plt.subplots(figsize=(width_px / 100, height_px / 100), dpi=100)
    start = p.start_utc.astimezone(UTC)
    x1 = 24.0 * p.days  # x: hours since the scenario's start

    def hours(t: datetime) -> float:
        return (t - start).total_seconds() / 3600.0

    bar_h, ground_h, duty_h = 0.56, 0.12, 0.8

    labelled: list[tuple[Any, tuple[str, str], tuple[float, float], int]] = []
    for m in missions:
        y = row[m.tail]
        fill = colour[m.nation]
        duty = hours(m.plan.duty_start_utc), hours(m.plan.duty_end_utc)
        ax.broken_barh(
            [(duty[0], duty[1] - duty[0])],
            (y - duty_h / 2, duty_h),
            facecolors=fill,
            alpha=0.08,
            edgecolor=fill,
            linewidth=0.6,
            zorder=1,
        )
        legs = m.plan.legs
        for a, b in pairwise(legs):
            t0, t1 = hours(a.landing_utc), hours(b.takeoff_utc)
            ax.broken_barh(
                [(t0, t1 - t0)], (y - ground_h / 2, ground_h), facecolors=_GROUND, zorder=2
            )
        for leg in legs:
            t0, t1 = hours(leg.takeoff_utc), hours(leg.landing_utc)
            ax.broken_barh(
                [(t0, t1 - t0)],
                (y - bar_h / 2, bar_h),
                facecolors=fill,
                edgecolor="white",
                linewidth=0.8,
                zorder=3,
            )
            text = ax.text(
                (t0 + t1) / 2,
                y,
                "",
                ha="center",
                va="center",
                color=_text_colour(fill),
                zorder=4,
            )
            labelled.append((text, (leg.origin, leg.destination), (t0, t1), y))

    ax.set_xlim(0.0, x1)
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_yticks(range(n), labels, fontsize=10)
    ax.tick_params(axis="y", length=0)
    for t in tails:
        ax.annotate(
            f"{flying_h[t]:.1f} h",
            (1.0, row[t]),
            xycoords=("axes fraction", "data"),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
            fontsize=9,
            color="#424242",
        )
    ax.annotate(
        "flying",
        (1.0, 1.0),
        xycoords="axes fraction",
        xytext=(6, 4),
        textcoords="offset points",
        va="bottom",
        fontsize=9,
        color="#424242",
    )

    # Hours along the axis, UTC midnights as heavier gridlines, each scenario day's date
    # centred under it.
    step_h = 3 if p.days <= 3 else 6 if p.days <= 7 else 12 if p.days <= 14 else 24
    offset = hours(start.replace(hour=0, minute=0, second=0, microsecond=0))  # <= 0
    first = math.ceil(-offset / step_h - 1e-9) * step_h + offset
    ticks = [first + k * step_h for k in range(int((x1 - first) // step_h) + 1)]
    clock = [round(x - offset) % 24 for x in ticks]
    ax.set_xticks(ticks, [f"{h:02d}" for h in clock], fontsize=8)
    ax.tick_params(axis="x", length=3, color="#bdbdbd")
    for x, h in zip(ticks, clock, strict=True):
        midnight = h == 0
        ax.axvline(
            x,
            color="#616161" if midnight else "#eeeeee",
            linewidth=1.0 if midnight else 0.6,
            zorder=0,
        )
    # Shorter date labels as the days get narrower (the year is in the title).
    date_format = (
        "day {n}  {d:%a %d %b %Y}"
        if p.days <= 3
        else "day {n}  {d:%a %d %b}"
        if p.days <= 6
        else "{d:%a %d %b}"
        if p.days <= 12
        else "{d:%d}"
    )
    for d in range(p.days):
        ax.annotate(
            date_format.format(n=d + 1, d=start + timedelta(days=d)),
            (24.0 * d + 12.0, 0.0),
            xycoords=("data", "axes fraction"),
            xytext=(0, -22),
            textcoords="offset points",
            ha="center",
            va="top",
            fontsize=10,
            fontweight="bold",
        )
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_xlabel("hour (UTC)", fontsize=9, labelpad=26, loc="left")

    k = p.kpis
    ax.set_title(
        f"{p.scenario}: flying programme, {p.days} day{'s' if p.days != 1 else ''} from "
        f"{start:%d %b %Y %H:%MZ}\n"
        f"{k.tonnes_delivered:,.1f} t and {k.pax_delivered:,} pax delivered, "
        f"{k.flying_hours:,.1f} flying h; requests {k.delivered} delivered, "
        f"{k.partial} partial, {k.unmet} unmet; {k.missions} missions, "
        f"{k.tails_used} of {len(tails)} tails",
        fontsize=12,
        loc="left",
    )
    handles = [Patch(facecolor=colour[nat], label=f"{nat} flight") for nat in nations]
    handles += [
        Patch(facecolor=_GROUND, label="ground time"),
        Patch(facecolor="#bdbdbd", alpha=0.3, edgecolor="#757575", label="crew duty"),
    ]
    below = transforms.offset_copy(ax.transAxes, fig=fig, y=-40, units="points")
    ax.legend(
        handles=handles,
        loc="upper right",
        bbox_to_anchor=(1.0, 0.0),
        bbox_transform=below,
        ncol=len(handles),
        fontsize=9,
        frameon=False,
        borderaxespad=0.3,
    )
    fig.tight_layout()

    # Label a bar only where the label fits inside it: on one line, else on two, else the
    # destination alone written upwards, else not at all.
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    for text, (origin, dest), (t0, t1), y in labelled:
        (left, bottom), (right, top) = ax.transData.transform(
            [(t0, y + bar_h / 2), (t1, y - bar_h / 2)]
        )
        room_w, room_h = right - left - 4, abs(top - bottom) - 4
        for label, size, rotation in (
            (f"{origin}→{dest}", 8, 0),
            (f"{origin}→\n{dest}", 7, 0),
            (f"{origin}\n{dest}", 7, 0),
            (f"→{dest}", 7, 90),
        ):
            text.set(text=label, fontsize=size, rotation=rotation, linespacing=1.0)
            box = text.get_window_extent(renderer)
            if box.width <= room_w and box.height <= room_h:
                break
        else:
            text.set_visible(False)

    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="png")  # the path as given, whatever its suffix
    plt.close(fig)
    return path
