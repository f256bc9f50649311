"""The reference circuit planned, then "flown" as a synthetic ADS-B track.

5U-MBD (icao24 062a01, demo fleet) flies the planned Bamako -> Gao -> Tessalit -> Niamey ->
Bamako circuit with two changes: Gao -> Tessalit diverts to Kidal (GAKL), which then flies
on to Niamey; and the approach into Niamey goes around once (10 min circuit) before landing.
Reports every 5 s in the air, 30 s on the ground, with noise, three airborne blips (false
on-ground flag, zero speed), and gaps: 6 min in cruise, 4 min right after the take-off from
Kidal (hiding it), 25 min of the turnaround at Gao. 5U-MBH (062a02) only taxis at Niamey;
0a0b0c (not in the fleet) flies Niamey -> Ouagadougou; 05c102 (TZ-02C) is seen only in
cruise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
import pyarrow as pa

from airlift import mission_file
from airlift.airfields import theatre
from airlift.mission import plan
from airlift.tracking import synthetic
from airlift.tracking.adsb import vectors


@dataclass(frozen=True)
class Truth:
    """A leg as the synthetic aircraft flew it."""

    icao24: str
    origin: str
    destination: str
    off_utc: datetime
    on_utc: datetime


@dataclass(frozen=True)
class Flown:
    table: pa.Table
    truth: list[Truth]
    go_around_utc: datetime


def _utc(s: float) -> datetime:
    return datetime.fromtimestamp(s, UTC)


def fly_circuit() -> Flown:
    mission = mission_file.build(
        "5U-MBD", ["GABS", "GAGO", "GATS", "DRRN", "GABS"], "2023-10-30T06:00Z"
    )
    legs = plan(mission).legs
    af = theatre()
    flown_legs = []
    shift = 0.0
    for k, leg in enumerate(legs):
        origin = af["GAKL"] if k == 2 else af[leg.origin]
        dest = af["GAKL"] if k == 1 else af[leg.destination]
        off = leg.takeoff_utc.timestamp() + shift
        on = leg.landing_utc.timestamp() + shift
        go_around = k == 2
        if go_around:
            on += synthetic.GO_AROUND_S
            shift = synthetic.GO_AROUND_S
        flown_legs.append(
            synthetic.FlownLeg(
                origin,
                dest,
                off,
                on,
                leg.cruise_fl * 100.0,
                leg.climb_min * 60,
                leg.descent_min * 60,
                go_around,
            )
        )
    mbd = synthetic.programme(flown_legs, "062a01", callsign="NGR101")
    l0, l2 = flown_legs[0], flown_legs[2]
    gaps = [
        (l0.off_s + 3000, l0.off_s + 3360),  # 6 min in cruise
        (l2.off_s - 120, l2.off_s + 240),  # the take-off from Kidal
        (l0.on_s + 600, l0.on_s + 2100),  # 25 min of the Gao turnaround
    ]
    rng = np.random.default_rng(12)
    mbd = synthetic.noisy(mbd, rng, gaps=gaps, blips=3)
    niamey, ouaga = af["DRRN"], af["DFFD"]
    t0 = l0.off_s
    taxi = synthetic.ground(niamey, t0, t0 + 1200, 10.0)
    mbh = vectors.table(*taxi[:1], "062a02", *taxi[1:])
    stranger_leg = synthetic.FlownLeg(
        niamey, ouaga, t0 + 600, t0 + 600 + 3000, 18000.0, 900.0, 900.0
    )
    stranger = synthetic.noisy(synthetic.programme([stranger_leg], "0a0b0c"), rng)
    cruise = synthetic.fly(
        synthetic.FlownLeg(af["GABS"], af["GAGO"], t0, t0 + 7000, 20000.0, 1200.0, 1200.0), 10.0
    )
    seen = (cruise[0] > t0 + 2000) & (cruise[0] < t0 + 3200)
    tz = vectors.table(cruise[0][seen], "05c102", *[c[seen] for c in cruise[1:]])
    table = pa.concat_tables([mbd, mbh, stranger, tz])
    truth = [
        Truth("062a01", f.origin.icao, f.destination.icao, _utc(f.off_s), _utc(f.on_s))
        for f in flown_legs
    ]
    truth.append(Truth("0a0b0c", "DRRN", "DFFD", _utc(stranger_leg.off_s), _utc(stranger_leg.on_s)))
    return Flown(table, truth, _utc(l2.on_s - synthetic.GO_AROUND_S))


TWO_MINUTES = timedelta(minutes=2)
