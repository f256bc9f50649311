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
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.text import Text

    from airlift.scheduling.programme import Mission, Programme, RequestStatus

_LegLabel = tuple["Text", str, str, float, float]
"""A leg's label: the text, origin, destination, take-off and landing (h from the start)."""
_RouteLabel = tuple["Text", list[str], float, float]
"""A mission's route label: the text, the stops, and the room it may use (h from the start)."""


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
# Aircraft types: dark Tol colours first, away from the nations' bar fills.
_TYPE_COLOURS = (
    "#332288",
    "#882255",
    "#999933",
    "#44AA99",
    "#AA4499",
    "#117733",
    "#88CCEE",
    "#DDCC77",
    "#CC6677",
)
_GROUND = "#9e9e9e"
_INK = "#212121"
_MUTED = "#424242"

# Layout of the Gantt chart, pixels at 100 dpi.
_ROW_PX = 64
_TOP_PX = 78  # the two-line title
_AXIS_PX = 50  # hour ticks and dates under the bars; the legend is beside the axis label
_LEGEND_PX = 40
_RIGHT_PX = 70  # flying hours per tail
_UNMET_LINE_PX = 19
_UNMET_ROWS_MAX = 12
"""Lines per column of the unmet-requests panel; past this the rest are counted."""

_BAR_H, _GROUND_H, _DUTY_H = 0.5, 0.12, 0.86  # fractions of a row


def _text_colour(hex_colour: str) -> str:
    """Black or white, whichever reads better on ``hex_colour`` (WCAG relative luminance)."""
    rgb = [int(hex_colour[i : i + 2], 16) / 255.0 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    lum = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    return "black" if lum > 0.179 else "white"


def route_labels(route: list[str]) -> list[str]:
    """A mission's route label, longest first: every stop (``GABS-GAGO-GATS``), then the
    first and last stop with the ones between elided (``GABS-…-GABS``)."""
    labels = ["-".join(route)]
    if len(route) > 2:
        labels.append(f"{route[0]}-…-{route[-1]}")
    return labels


def short_reason(status: RequestStatus) -> str:
    """Why a request is not (fully) met, in a few words: its first clause, after the lifts
    delivered of a partial one. The whole reason is in the requests status CSV and JSON."""
    clauses = [c.strip() for c in status.reason.split(";") if c.strip()]
    # "split into N lifts" restates the lift count shown for partial requests.
    clauses = [c for c in clauses if not c.startswith("split into ")] or ["no reason given"]
    if status.status == "partial":
        return f"{status.lifts_delivered} of {status.lifts} lifts delivered; {clauses[0]}"
    return clauses[0]


def gantt_png(p: Programme, path: Path) -> Path:
    """Write :func:`gantt_figure` to ``path`` as a PNG (whatever its suffix)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = gantt_figure(p)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="png")
    plt.close(fig)
    return path


def gantt_figure(p: Programme) -> Figure:
    """The flying programme as a Gantt chart: one row per tail, each leg a bar from take-off
    to landing coloured by the tail's nation, ground time between legs as a thin grey bar,
    the crew duty period as a faint band, the mission's route above it; a square by each
    tail gives its aircraft type; x = UTC over the scenario's days. Below: the legend
    (nations, aircraft types) and a panel of the requests not met, each with a short reason.

    Text artists carry a gid for tests and tools: ``route`` (a mission's route label),
    ``leg`` (a leg's label), ``unmet`` (a line of the unmet panel); a tail's type square
    is a line with gid ``type <aircraft type>``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    missions = sorted(p.missions, key=lambda m: (m.tail, m.day))
    # Rows: every tail of the fleet (idle ones too: the KPIs list them), in registration order.
    info = {m.tail: f"{m.tail} {m.aircraft} ({m.nation})" for m in missions}
    tails = sorted({*p.kpis.utilisation_h_per_day, *info})
    n = max(1, len(tails))
    nations = sorted({m.nation for m in missions})
    types = sorted({m.aircraft for m in missions})
    colour = {x: _NATION_COLOURS[i % len(_NATION_COLOURS)] for i, x in enumerate(nations)}
    type_colour = {x: _TYPE_COLOURS[i % len(_TYPE_COLOURS)] for i, x in enumerate(types)}
    # Most important first: should the panel run out of lines, the rest are the least.
    not_met = sorted(
        (r for r in p.requests if r.status != "delivered"),
        key=lambda r: (r.optional, r.priority, r.request_ref),
    )
    cols, rows = _unmet_grid(len(not_met))

    # A week needs more pixels per hour than a day for its labels to fit.
    width_px = 1600 if p.days <= 3 else min(2600, 1600 + 150 * (p.days - 3))
    labels = [info.get(t, f"{t} (no missions)") for t in tails]
    left_px = 60 + 7 * max(len(s) for s in labels) if labels else 120
    unmet_px = 34 + _UNMET_LINE_PX * max(1, rows)
    main_px = _ROW_PX * n
    height_px = _TOP_PX + main_px + _AXIS_PX + _LEGEND_PX + unmet_px + 10
    fig = plt.figure(figsize=(width_px / 100, height_px / 100), dpi=100)

    def box(top_px: float, h_px: float) -> tuple[float, float, float, float]:
        """An axes' rectangle in figure fractions from its top and height in pixels."""
        w = width_px - left_px - _RIGHT_PX
        return (left_px / width_px, 1 - (top_px + h_px) / height_px, w / width_px, h_px / height_px)

    ax = fig.add_axes(box(_TOP_PX, main_px))
    legs, routes = _draw_missions(ax, p, missions, {t: i for i, t in enumerate(tails)}, colour)
    _time_axis(ax, p)
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_yticks(range(n), labels, fontsize=10)
    ax.tick_params(axis="y", length=0, pad=16)
    _tail_markers(ax, tails, missions, type_colour)
    _flying_hours(ax, p, missions, tails)
    _title(ax, p, len(tails))
    _legend(fig, ax, colour, type_colour, top_px=_TOP_PX + main_px + _AXIS_PX, height_px=height_px)

    panel = fig.add_axes(box(_TOP_PX + main_px + _AXIS_PX + _LEGEND_PX, unmet_px))
    _unmet_panel(panel, p, not_met, cols, rows)

    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    _fit_leg_labels(ax, renderer, legs)
    _fit_route_labels(ax, renderer, routes)
    _fit_unmet_lines(panel, renderer, cols)
    return fig


def _draw_missions(
    ax: Axes,
    p: Programme,
    missions: list[Mission],
    row: dict[str, int],
    colour: dict[str, str],
) -> tuple[list[_LegLabel], list[_RouteLabel]]:
    """Duty band, ground time, leg bars; leg and route labels (empty until fitted)."""
    legs: list[_LegLabel] = []
    routes: list[_RouteLabel] = []
    start = p.start_utc.astimezone(UTC)

    def hours(t: datetime) -> float:
        return (t - start).total_seconds() / 3600.0

    by_tail: dict[str, list[Mission]] = {}
    for m in missions:
        by_tail.setdefault(m.tail, []).append(m)
    for tail_missions in by_tail.values():
        tail_missions.sort(key=lambda m: m.plan.legs[0].takeoff_utc)
        spans = [
            (hours(m.plan.legs[0].takeoff_utc), hours(m.plan.legs[-1].landing_utc))
            for m in tail_missions
        ]
        for i, m in enumerate(tail_missions):
            y = row[m.tail]
            fill = colour[m.nation]
            duty = hours(m.plan.duty_start_utc), hours(m.plan.duty_end_utc)
            ax.broken_barh(
                [(duty[0], duty[1] - duty[0])],
                (y - _DUTY_H / 2, _DUTY_H),
                facecolors=fill,
                alpha=0.08,
                edgecolor=fill,
                linewidth=0.6,
                zorder=1,
            )
            for a, b in pairwise(m.plan.legs):
                t0, t1 = hours(a.landing_utc), hours(b.takeoff_utc)
                ax.broken_barh(
                    [(t0, t1 - t0)], (y - _GROUND_H / 2, _GROUND_H), facecolors=_GROUND, zorder=2
                )
            for leg in m.plan.legs:
                t0, t1 = hours(leg.takeoff_utc), hours(leg.landing_utc)
                ax.broken_barh(
                    [(t0, t1 - t0)],
                    (y - _BAR_H / 2, _BAR_H),
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
                    gid="leg",
                )
                legs.append((text, leg.origin, leg.destination, t0, t1))
            # The route label may use the gaps to the neighbouring missions up to halfway.
            t0, t1 = spans[i]
            before = (spans[i - 1][1] + t0) / 2 if i > 0 else 0.0
            after = (t1 + spans[i + 1][0]) / 2 if i + 1 < len(spans) else 24.0 * p.days
            text = ax.text(
                (t0 + t1) / 2,
                y - _BAR_H / 2 - 0.03,
                "",
                ha="center",
                va="bottom",
                color=_INK,
                zorder=5,
                gid="route",
            )
            routes.append((text, m.route, before, after))
    return legs, routes


def _fit_leg_labels(ax: Axes, renderer: Any, legs: list[_LegLabel]) -> None:
    """Label a leg's bar only where the label fits inside it: on one line, else on two, else
    the destination alone written upwards, else not at all."""
    for text, origin, dest, t0, t1 in legs:
        y = text.get_position()[1]
        (left, bottom), (right, top) = ax.transData.transform(
            [(t0, y + _BAR_H / 2), (t1, y - _BAR_H / 2)]
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


def _fit_route_labels(ax: Axes, renderer: Any, routes: list[_RouteLabel]) -> None:
    """Each mission's route above its bars: the longest form of :func:`route_labels` that
    fits between the neighbouring missions (halfway to each), centred on the mission when it
    can be, else shifted inside that room; none when no form fits."""
    for text, route, before, after in routes:
        x, y = text.get_position()
        (left, _), (centre, _), (right, _) = ax.transData.transform(
            [(before, y), (x, y), (after, y)]
        )
        left, right = left + 3, right - 3
        for label in route_labels(route):
            for size in (8.5, 7.5):
                text.set(text=label, fontsize=size)
                width = text.get_window_extent(renderer).width
                if width <= right - left:
                    px = min(max(centre, left + width / 2), right - width / 2)
                    text.set_x(ax.transData.inverted().transform((px, 0))[0])
                    break
            else:
                continue
            break
        else:
            text.set_visible(False)


def _time_axis(ax: Axes, p: Programme) -> None:
    """Hours along the axis, UTC midnights as heavier gridlines, each scenario day's date
    centred under it."""
    start = p.start_utc.astimezone(UTC)
    x1 = 24.0 * p.days  # x: hours since the scenario's start
    ax.set_xlim(0.0, x1)
    step_h = 3 if p.days <= 3 else 6 if p.days <= 7 else 12 if p.days <= 14 else 24
    offset = (start.replace(hour=0, minute=0, second=0, microsecond=0) - start).total_seconds()
    offset /= 3600.0  # <= 0
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
            xytext=(0, -20),
            textcoords="offset points",
            ha="center",
            va="top",
            fontsize=10,
            fontweight="bold",
        )
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_xlabel("hour (UTC)", fontsize=9, labelpad=22, loc="left")


def _tail_markers(
    ax: Axes, tails: list[str], missions: list[Mission], type_colour: dict[str, str]
) -> None:
    """A square in the aircraft type's colour between each tail's name and the chart."""
    from matplotlib import transforms

    aircraft = {m.tail: m.aircraft for m in missions}
    at_left = transforms.blended_transform_factory(ax.transAxes, ax.transData)
    shift = transforms.ScaledTranslation(-9 / 72, 0, ax.figure.dpi_scale_trans)
    for i, t in enumerate(tails):
        if t in aircraft:
            ax.plot(
                [0.0],
                [i],
                marker="s",
                markersize=9,
                color=type_colour[aircraft[t]],
                transform=at_left + shift,
                clip_on=False,
                gid=f"type {aircraft[t]}",
            )


def _flying_hours(ax: Axes, p: Programme, missions: list[Mission], tails: list[str]) -> None:
    flying_h = dict.fromkeys(tails, 0.0)
    for m in missions:
        flying_h[m.tail] += m.flight_time_min / 60.0
    for i, t in enumerate(tails):
        ax.annotate(
            f"{flying_h[t]:.1f} h",
            (1.0, i),
            xycoords=("axes fraction", "data"),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
            fontsize=9,
            color=_MUTED,
        )
    ax.annotate(
        "flying",
        (1.0, 1.0),
        xycoords="axes fraction",
        xytext=(6, 4),
        textcoords="offset points",
        va="bottom",
        fontsize=9,
        color=_MUTED,
    )


def _title(ax: Axes, p: Programme, n_tails: int) -> None:
    k = p.kpis
    start = p.start_utc.astimezone(UTC)
    ax.set_title(
        f"{p.scenario}: flying programme, {p.days} day{'s' if p.days != 1 else ''} from "
        f"{start:%d %b %Y %H:%MZ}\n"
        f"{k.tonnes_delivered:,.1f} t and {k.pax_delivered:,} pax delivered, "
        f"{k.flying_hours:,.1f} flying h; requests {k.delivered} delivered, "
        f"{k.partial} partial, {k.unmet} unmet; {k.missions} missions, "
        f"{k.tails_used} of {n_tails} tails",
        fontsize=12,
        loc="left",
        pad=12,
    )


def _legend(
    fig: Figure,
    ax: Axes,
    colour: dict[str, str],
    type_colour: dict[str, str],
    *,
    top_px: float,
    height_px: float,
) -> None:
    """One row under the time axis, right of its label: nations (bar colours), aircraft
    types (the squares by the tails), then ground time and crew duty; each group after a
    bold heading."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    def heading(text: str) -> Patch:
        return Patch(visible=False, label=text)

    handles: list[Any] = [heading("nation")]
    handles += [Patch(facecolor=c, label=nation) for nation, c in colour.items()]
    handles += [heading("aircraft type")]
    handles += [
        Line2D([], [], marker="s", markersize=9, linestyle="", color=c, label=t)
        for t, c in type_colour.items()
    ]
    handles += [
        heading("on the ground"),
        Patch(facecolor=_GROUND, label="ground time"),
        Patch(facecolor="#bdbdbd", alpha=0.3, edgecolor="#757575", label="crew duty"),
    ]
    legend = fig.legend(
        handles=handles,
        loc="upper right",
        bbox_to_anchor=(ax.get_position().x1, 1 - top_px / height_px),
        ncol=min(len(handles), 16),
        fontsize=9,
        frameon=False,
        handlelength=1.4,
        columnspacing=1.2,
        borderaxespad=0.0,
        borderpad=0.2,
    )
    for handle, text in zip(handles, legend.get_texts(), strict=True):
        if not handle.get_visible():
            text.set_fontweight("bold")


def _unmet_grid(count: int) -> tuple[int, int]:
    """(columns, lines per column) of the unmet panel for ``count`` requests."""
    cols = 1 if count <= 6 else 2 if count <= 2 * _UNMET_ROWS_MAX else 3
    return cols, min(_UNMET_ROWS_MAX, math.ceil(count / cols))


def _unmet_panel(
    panel: Axes, p: Programme, not_met: list[RequestStatus], cols: int, rows: int
) -> None:
    """The requests not (fully) met, required before optional, priority 1 first: id, status,
    priority and a short reason each, in columns; past the panel's lines, how many more (all
    of them are in the requests status CSV)."""
    panel.set_axis_off()
    panel.set_xlim(0, 1)
    panel.set_ylim(rows + 0.4, -1.2)
    unmet = sum(r.status == "unmet" for r in not_met)
    heading = (
        f"Requests not met: {unmet} unmet, {len(not_met) - unmet} partial, "
        f"of {len(p.requests)} requests (full reasons: airlift schedule --requests-csv)"
        if not_met
        else f"Requests not met: none, all {len(p.requests)} requests delivered"
    )
    panel.text(0, -1, heading, fontsize=10, fontweight="bold", va="center", color=_INK)
    shown = not_met if len(not_met) <= cols * rows else not_met[: cols * rows - 1]
    for i, r in enumerate(shown):
        col, line = divmod(i, rows)
        optional = ", optional" if r.optional else ""
        panel.text(
            col / cols,
            line,
            f"{r.request_ref}  ({r.status}, priority {r.priority}{optional})  {short_reason(r)}",
            fontsize=9,
            va="center",
            color=_INK,
            gid="unmet",
        )
    if len(shown) < len(not_met):
        col, line = divmod(len(shown), rows)
        panel.text(
            col / cols,
            line,
            f"… and {len(not_met) - len(shown)} more",
            fontsize=9,
            va="center",
            color=_MUTED,
            fontstyle="italic",
            gid="unmet",
        )


def _fit_unmet_lines(panel: Axes, renderer: Any, cols: int) -> None:
    """Cut each line of the unmet panel to its column, with an ellipsis."""
    column_px = panel.get_window_extent(renderer).width / cols - 12
    for text in [t for t in panel.texts if t.get_gid() == "unmet"]:
        full = text.get_text()
        keep = len(full)
        while keep > 8 and text.get_window_extent(renderer).width > column_px:
            keep -= 2
            text.set_text(full[:keep].rstrip(" ,;:") + "…")
