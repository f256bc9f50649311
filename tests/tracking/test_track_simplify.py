"""A detected flight's path kept for the map (``detect.simplify``): at most 200 points, its
ends kept, every dropped report close to the kept line, a straight line two points."""

from __future__ import annotations

import numpy as np
from circuit import Flown

from airlift.scheduling.readers import demo_dir, read_fleet
from airlift.tracking.adsb import vectors
from airlift.tracking.detect import TRACK_POINTS, detect, simplify


def test_the_circuit_legs_keep_a_short_faithful_path(flown: Flown) -> None:
    found = detect(flown.table, read_fleet(demo_dir() / "fleet.csv")).flights
    mbd = [f for f in found if f.registration == "5U-MBD"]
    assert len(mbd) == 4
    for f in mbd:
        track = simplify(f.points)
        assert f.points.num_rows > TRACK_POINTS >= len(track) >= 2  # reports every 5 s
        times = [p[3] for p in track]
        assert times == sorted(times)
        t = vectors.column(f.points, "time")
        lat, lon = vectors.column(f.points, "lat"), vectors.column(f.points, "lon")
        ok = np.isfinite(lat) & np.isfinite(lon)
        assert (track[0][0], track[0][1]) == (round(lat[ok][0], 5), round(lon[ok][0], 5))
        assert track[-1][3] == round(float(t[ok][-1]), 1)
        # Every report lies within 5 km of the kept points' polyline (checked in degrees:
        # 0.05 deg of latitude is 5.6 km; the interpolation at the report's time).
        kept_t = np.array(times)
        lat_at = np.interp(t[ok], kept_t, [p[0] for p in track])
        lon_at = np.interp(t[ok], kept_t, [p[1] for p in track])
        assert np.max(np.hypot(lat[ok] - lat_at, lon[ok] - lon_at)) < 0.05


def test_a_straight_level_line_is_its_two_ends() -> None:
    n = 500
    t = np.arange(n, dtype=float) * 5.0 + 1.7e9  # s
    lat = np.linspace(12.0, 16.0, n)  # deg
    lon = np.linspace(-8.0, -8.0, n)
    table = vectors.table(
        t, "062a01", lat, lon, np.full(n, 20000.0), np.full(n, 250.0), np.zeros(n), np.zeros(n)
    )
    track = simplify(table)
    assert [(p[0], p[1], p[2]) for p in track] == [(12.0, -8.0, 20000), (16.0, -8.0, 20000)]
