"""Seeded synthetic theatre scenarios on real airfields, for benchmarks and property tests.

Requests follow a hub-and-spoke pattern typical of a theatre: most loads move between the
main bases (fuel, long runways) and the forward strips; windows of one to three days; a mix
of passengers, palletised cargo and small priority loads. The fleet mixes the coalition's
types. Everything is drawn from ``random.Random(seed)``, so a seed fixes the scenario.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from airlift.aircraft import aircraft_type
from airlift.airfields import theatre
from airlift.scheduling.inputs import FleetTail, MovementRequest, Scenario

START = datetime(2023, 10, 27, tzinfo=UTC)
_FLEET_MIX = (
    ("C-130H", "NE", "DRRN"),
    ("C295", "ML", "GABS"),
    ("CN-235", "BF", "DFFD"),
    ("C-130H", "ML", "GABS"),
    ("An-26", "ML", "GABS"),
    ("C295", "BF", "DFFD"),
    ("An-32", "NE", "DRRN"),
)


def fleet(n_tails: int, seed: int = 0) -> tuple[FleetTail, ...]:
    rng = random.Random(seed)
    tails = []
    for i in range(n_tails):
        designator, nation, base = _FLEET_MIX[i % len(_FLEET_MIX)]
        tails.append(
            FleetTail(
                registration=f"SYN-{i + 1:03d}",
                type=aircraft_type(designator),
                nation=nation,
                home_base=base,
                military=rng.random() < 0.9,
            )
        )
    return tuple(tails)


def requests(
    n: int, days: int, seed: int = 0, start: datetime = START
) -> tuple[MovementRequest, ...]:
    rng = random.Random(seed)
    fields = {c: a for c, a in theatre().items() if a.open_runways()}  # plannable only
    hubs = [c for c, a in fields.items() if a.planning.fuel_available]
    spokes = [c for c in fields if c not in hubs]
    out = []
    for i in range(n):
        if rng.random() < 0.7:
            a, b = rng.choice(hubs), rng.choice(spokes + hubs)
        else:
            a, b = rng.choice(spokes), rng.choice(hubs)
        if rng.random() < 0.5:
            a, b = b, a
        if a == b:
            b = rng.choice([h for h in hubs if h != a])
        kind = rng.random()
        if kind < 0.35:  # troops
            cargo, pallets, pax = rng.choice((200, 500, 1000)), 0, rng.randint(8, 40)
        elif kind < 0.8:  # palletised cargo
            pallets = rng.randint(1, 4)
            cargo, pax = pallets * rng.randint(1500, 3200), 0
        else:  # small urgent loads
            cargo, pallets, pax = rng.randint(100, 900), 0, rng.randint(0, 4)
        day = rng.randrange(days)
        early = start + timedelta(days=day, hours=rng.choice((0, 6, 8, 12)))
        late = min(early + timedelta(days=rng.choice((1, 2, 3))), start + timedelta(days=days))
        if late - early < timedelta(hours=12):
            early = late - timedelta(hours=12)
        out.append(
            MovementRequest(
                ref=f"S{i + 1:04d}",
                origin=a,
                destination=b,
                cargo_kg=float(cargo),
                pallets=pallets,
                pax=pax,
                earliest_utc=early,
                latest_utc=late,
                priority=rng.choices((1, 2, 3, 4), weights=(1, 3, 4, 2))[0],
                optional=rng.random() < 0.3,
                hazardous=pallets > 0 and rng.random() < 0.1,
            )
        )
    return tuple(out)


def scenario(
    n_requests: int, n_tails: int, days: int, seed: int = 0
) -> tuple[tuple[MovementRequest, ...], tuple[FleetTail, ...], Scenario]:
    return (
        requests(n_requests, days, seed),
        fleet(n_tails, seed),
        Scenario(f"synthetic-{n_requests}r-{n_tails}t-{days}d-s{seed}", START, days),
    )
