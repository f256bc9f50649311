"""The study file, its designs and its levels applied to the demo week (no runs, no cluster)."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from airlift.errors import FieldError
from airlift.studies import demo_study_path, load_study
from airlift.studies.apply import apply_levels, check_against_base, group_of
from airlift.studies.design import run_count, runs


def test_demo_study_is_fleet_by_tessalit_by_two_seeds() -> None:
    study = load_study(demo_study_path())
    assert [f.kind for f in study.factors] == ["fleet_size", "closure"]
    assert run_count(study) == len(runs(study)) == 4 * 2 * 2
    assert {r.seed for r in runs(study)} == {0, 1}
    assert len({r.run_id for r in runs(study)}) == 16  # ids are unique, so resume can key on them


def test_one_at_a_time_starts_from_the_base_point(write_study: Callable[[str], Path]) -> None:
    study = load_study(
        write_study("""
[design]
kind = "one-at-a-time"
[[factor]]
name = "fleet"
kind = "fleet_size"
levels = [4, 6, 8]
base = 8
[[factor]]
name = "demand"
kind = "demand_scale"
levels = [1.0, 1.5]
""")
    )
    points = [r.levels for r in runs(study)]
    assert points == [
        {"fleet": 8, "demand": 1.0},
        {"fleet": 4, "demand": 1.0},
        {"fleet": 6, "demand": 1.0},
        {"fleet": 8, "demand": 1.5},
    ]


def test_latin_hypercube_is_reproducible_and_stratified(write_study: Callable[[str], Path]) -> None:
    text = """
[design]
kind = "latin-hypercube"
samples = 6
seed = 7
replications = 2
[[factor]]
name = "fleet"
kind = "fleet_size"
levels = [4, 5, 6]
[[factor]]
name = "mog"
kind = "mog"
airfield = "GATS"
levels = [1, 2]
"""
    first, again = runs(load_study(write_study(text))), runs(load_study(write_study(text)))
    assert first == again and len(first) == 12
    # 6 samples over 3 levels: each level twice (the strata of a Latin hypercube).
    assert Counter(r.levels["fleet"] for r in first if r.seed == 0) == {4: 2, 5: 2, 6: 2}


def test_levels_applied_to_the_demo_week(write_study: Callable[[str], Path]) -> None:
    study = load_study(
        write_study("""
[[factor]]
name = "fleet"
kind = "fleet_size"
levels = [5, 10]
[[factor]]
name = "gats"
kind = "mog"
airfield = "GATS"
levels = [3]
[[factor]]
name = "gatb"
kind = "fuel"
airfield = "GATB"
levels = ["available"]
[[factor]]
name = "demand"
kind = "demand_scale"
levels = [1.5]
[[factor]]
name = "duty"
kind = "duty_limit_h"
type = "C295"
levels = [8.0]
""")
    )
    levels = {"fleet": 5, "gats": 3, "gatb": "available", "demand": 1.5, "duty": 8.0}
    (requests, fleet, scenario), limit_s = apply_levels(study, levels)
    # 5 tails round robin over the 5 (type, nation) groups: one of each.
    assert len(fleet) == 5 and len({group_of(t) for t in fleet}) == 5
    assert scenario.overrides["GATS"].mog == 3
    assert scenario.overrides["GATB"].fuel_available is True
    r001 = next(r for r in requests if r.ref == "R001")
    assert (r001.cargo_kg, r001.pallets) == (45_000.0, 12)  # 30 t on 8 pallets x 1.5
    for t in fleet:
        assert t.duty_limit_h == (8.0 if t.type.designator == "C295" else t.duty_limit_h)
        assert t.max_flying_h_per_day <= t.duty_limit_h
    assert limit_s == study.time_limit_s
    (_, bigger, _), _ = apply_levels(study, levels | {"fleet": 10})
    copies = [t for t in bigger if "#" in t.registration]
    assert len(bigger) == 10 and len(copies) == 2 and all(not t.unavailable for t in copies)


def test_fleet_mix_and_closure(write_study: Callable[[str], Path]) -> None:
    study = load_study(
        write_study("""
[[factor]]
name = "mix"
kind = "fleet_mix"
levels = [{ "C-130H:NE" = 0, "C295:ML" = 4 }]
[[factor]]
name = "tessalit"
kind = "closure"
airfield = "GATS"
levels = ["closed"]
""")
    )
    (_, fleet, scenario), _ = apply_levels(
        study, {"mix": {"C-130H:NE": 0, "C295:ML": 4}, "tessalit": "closed"}
    )
    groups = Counter(group_of(t) for t in fleet)
    assert groups["C-130H:NE"] == 0 and groups["C295:ML"] == 4 and groups["CN-235:BF"] == 2
    assert scenario.overrides["GATS"].closed
    assert scenario.overrides["GATS"].mog == 1  # the demo scenario's own override is kept


BASE = """
[base]
time_limit_s = 3
iterations = 100
"""
FLEET = '[[factor]]\nname = "fleet"\nkind = "fleet_size"\n'

# (study text, the key the error must name, words of the reason)
BAD = [
    # an unknown factor kind
    (
        BASE + '[[factor]]\nname = "x"\nkind = "runway_length"\nlevels = [1]\n',
        "factor.1.kind",
        "unknown factor kind",
    ),
    # a negative fleet
    (BASE + FLEET + "levels = [4, -1]\n", "factor.1.levels", "fleet_size level -1"),
    # MOG 0 at a base (Niamey, home of the C-130Hs)
    (
        BASE + '[[factor]]\nname = "m"\nkind = "mog"\nairfield = "DRRN"\nlevels = [0]\n',
        "factor.1.levels",
        "MOG must be a whole number >= 1",
    ),
    # an unknown airfield
    (
        BASE + '[[factor]]\nname = "c"\nkind = "closure"\nairfield = "ZZZZ"\n'
        'levels = ["open", "closed"]\n',
        "factor.1.airfield",
        "unknown airfield",
    ),
    # an unknown type
    (BASE + FLEET + 'type = "B-52"\nlevels = [1]\n', "factor.1.type", "unknown aircraft type"),
    # a type the base fleet does not have (nothing to copy)
    (BASE + FLEET + 'type = "C-17"\nlevels = [1]\n', "factor.1.type", "no C-17A tail"),
    # an unknown type in a mix
    (
        BASE + '[[factor]]\nname = "mix"\nkind = "fleet_mix"\nlevels = [{ "A400X:NE" = 1 }]\n',
        "factor.1.levels",
        "unknown aircraft type",
    ),
    # demand scale 0 and negative
    (
        BASE + '[[factor]]\nname = "d"\nkind = "demand_scale"\nlevels = [1.0, 0]\n',
        "factor.1.levels",
        "demand_scale level 0",
    ),
    (
        BASE + '[[factor]]\nname = "d"\nkind = "demand_scale"\nlevels = [-0.5]\n',
        "factor.1.levels",
        "demand_scale level -0.5",
    ),
    # an unknown fuel policy
    (
        BASE + '[[factor]]\nname = "p"\nkind = "fuel_policy"\nlevels = ["lots"]\n',
        "factor.1.levels",
        "unknown fuel policy",
    ),
    # an unknown key, a design that does not exist, no factor at all
    (BASE + FLEET + "levels = [4]\nlevel = 3\n", "factor.1.level", "unknown key"),
    ('[design]\nkind = "taguchi"\n' + FLEET + "levels = [4]\n", "design.kind", "kind must be"),
    (BASE, "factor", "at least one [[factor]]"),
    # a base file that does not exist
    (
        '[base]\nrequests = "nope.csv"\nfleet = "nope.csv"\n' + FLEET + "levels = [4]\n",
        "base.requests",
        "does not exist",
    ),
]


@pytest.mark.parametrize(("text", "key", "words"), BAD, ids=[b[1] + ":" + b[2] for b in BAD])
def test_bad_study_is_one_line_naming_file_and_key(
    text: str,
    key: str,
    words: str,
    write_study: Callable[[str], Path],
    cli: Callable[..., int],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    path = write_study(text)
    with pytest.raises(FieldError) as caught:
        check_against_base(load_study(path))
    assert caught.value.field == key
    assert cli("study", str(path), "--serial", "--out", str(tmp_path / "out")) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and err.startswith(f"error: {path}")
    assert words in err and key.split(".")[-1] in err
    assert not (tmp_path / "out").exists()  # refused before anything ran


def test_unreachable_scheduler_is_one_line_quickly(
    tiny_file: Path,
    cli: Callable[..., int],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    free_port: Callable[[], int],
) -> None:
    started = time.perf_counter()
    address = f"tcp://127.0.0.1:{free_port()}"
    status = cli("study", str(tiny_file), "--scheduler", address, "--out", str(tmp_path / "o"))
    err = capsys.readouterr().err.strip()
    assert status == 2 and err.count("\n") == 0
    assert f"--scheduler {address}: cannot connect" in err
    assert time.perf_counter() - started < 20


def test_cli_options_checked(cli: Callable[..., int], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli("study", "--workers", "0") == 2
    assert "--workers must be 1 to 256" in capsys.readouterr().err
    assert cli("study", "--workers", "2", "--scheduler", "tcp://127.0.0.1:1") == 2
    assert "--workers is for the local cluster" in capsys.readouterr().err


def test_own_base_files_relative_to_the_study(tmp_path: Path) -> None:
    import shutil

    from airlift.scheduling.readers import demo_dir

    data = tmp_path / "data"
    data.mkdir()
    for name in ("requests.csv", "fleet.csv", "scenario.toml"):
        shutil.copy(demo_dir() / name, data / name)
    path = tmp_path / "mine.toml"
    path.write_text(
        '[base]\nrequests = "data/requests.csv"\nfleet = "data/fleet.csv"\n'
        'scenario = "data/scenario.toml"\n'
        '[[factor]]\nname = "policy"\nkind = "fuel_policy"\nlevels = ["icao", "usaf-c130"]\n',
        encoding="utf-8",
    )
    study = load_study(path)
    assert study.name == "mine" and study.requests == (data / "requests.csv").resolve()
    (requests, fleet, scenario), _ = apply_levels(study, {"policy": "usaf-c130"})
    assert len(requests) == 57 and len(fleet) == 8 and scenario.fuel_policy == "usaf-c130"
