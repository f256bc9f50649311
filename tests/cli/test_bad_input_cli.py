"""The bad-input corpus of the ``airlift`` command (issue 10, "Bounds at the edges").

The cases are generated from tables of bad values per field type (numbers, dates, airfield
codes, aircraft, fuel policies, seeds, time limits, output paths, files...), each value paired
with every command and option that takes that field type. Every case must end the way the
README promises for bad input:

* no traceback (nothing escapes the entry point but ``SystemExit``);
* exit status 2 (1 is reserved for infeasible plans);
* one line on stderr (blank lines and Rich box borders aside) that names the offending
  option or field, or the file and line.

The cases run in-process through the public entry point (the ``airlift`` console script,
``python -m airlift``) inside Typer's ``CliRunner`` isolation, with ``$AIRLIFT_DATA_DIR`` and
``$AIRLIFT_DB_URL`` in the test's tmp folder. Inputs that may hang or eat memory (1e9 kg,
horizons spanning centuries, a server that might start) run in a subprocess with a timeout and
an address-space cap instead, so that a hang fails its case rather than blocking the suite.
"""

from __future__ import annotations

import faulthandler
import functools
import json
import os
import re
import resource
import subprocess
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

# --- running the command ------------------------------------------------------------------------

SUBPROCESS_TIMEOUT_S = 20
"""A refusal takes about a second; a case still running after this is a hang."""
SUBPROCESS_MEMORY_BYTES = 3 * 1024**3
"""Address-space cap of an isolated case: a runaway allocation fails fast, not the machine."""
IN_PROCESS_GUARD_S = 120
"""Last resort for an in-process case that hangs: the test process dies (xdist reports the
crashed case and goes on with a fresh worker) instead of blocking the suite forever."""


@functools.cache
def _entry_point() -> Callable[[], Any]:
    """The ``airlift`` console script's function, as installed (``airlift.cli:main`` today)."""
    found = [ep for ep in entry_points(group="console_scripts") if ep.name == "airlift"]
    if found:
        return found[0].load()
    from airlift.cli import main  # not installed as a distribution: the source tree's

    return main


@dataclass(frozen=True)
class Outcome:
    code: int
    stdout: str
    stderr: str
    exception: BaseException | None
    traceback: str = ""


def _invoke_in_process(args: list[str], env: dict[str, str], stdin: str | None) -> Outcome:
    runner = CliRunner()
    main = _entry_point()
    with runner.isolation(input=stdin, env=env) as (out, err, _mixed):
        old_argv = sys.argv
        sys.argv = ["airlift", *args]
        code, exception, trace = 0, None, ""
        faulthandler.dump_traceback_later(IN_PROCESS_GUARD_S, exit=True, file=sys.__stderr__)
        try:
            main()
        except SystemExit as exc:
            if exc.code is None:
                code = 0
            elif isinstance(exc.code, int):
                code = exc.code
            else:
                sys.stderr.write(f"{exc.code}\n")
                code = 1
            exception = exc
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # what this corpus hunts: an exception escaping
            code, exception, trace = 1, exc, traceback.format_exc()
        finally:
            faulthandler.cancel_dump_traceback_later()
            sys.argv = old_argv
            sys.stdout.flush()
            sys.stderr.flush()
        stdout = out.getvalue().decode("utf-8", "replace")
        stderr = err.getvalue().decode("utf-8", "replace")
    return Outcome(code, stdout, stderr, exception, trace)


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (SUBPROCESS_MEMORY_BYTES, SUBPROCESS_MEMORY_BYTES))


def _invoke_subprocess(args: list[str], env: dict[str, str], stdin: str | None) -> Outcome:
    full_env = {**os.environ, **env, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    try:
        r = subprocess.run(
            [sys.executable, "-m", "airlift", *args],
            input=stdin or "",
            capture_output=True,
            text=True,
            env=full_env,
            timeout=SUBPROCESS_TIMEOUT_S,
            preexec_fn=_cap_memory,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        shown = " ".join(args)[:300]
        pytest.fail(
            f"hang: `airlift {shown}` gave no answer within {SUBPROCESS_TIMEOUT_S} s "
            f"(stderr so far: {exc.stderr!r:.300})"
        )
    return Outcome(r.returncode, r.stdout, r.stderr, None)


_BOX_CHARS = re.compile(r"[\u2500-\u257f]")
_BORDER_START = ("╭", "╰", "┌", "└", "┏", "┗")


def message_lines(stderr: str) -> list[str]:
    """The lines of an error output as a user reads them: blank lines and box borders dropped,
    the wrapped lines inside one Rich box joined into one."""
    lines: list[str] = []
    in_box = False
    for raw in stderr.splitlines():
        stripped = raw.strip()
        if not stripped:
            in_box = False
            continue
        if stripped.startswith(_BORDER_START):
            in_box = False
            continue
        boxed = stripped.startswith(("│", "┃"))
        text = _BOX_CHARS.sub("", stripped).strip()
        if not text:
            continue
        if boxed and in_box:
            lines[-1] += " " + text
        else:
            lines.append(text)
        in_box = boxed
    return lines


# --- the cases ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One bad input: ``args`` (``{tmp}`` is the case's folder), regexes ``names`` of which
    one must match the error line (case-insensitive), files to create first (a name ending in
    ``/`` is a folder), a command that must succeed first (``before``), stdin."""

    id: str
    args: tuple[str, ...]
    names: tuple[str, ...]
    files: tuple[tuple[str, bytes], ...] = ()
    isolated: bool = False
    before: tuple[str, ...] = ()
    stdin: str | None = None


CASES: list[Case] = []


def add(
    case_id: str,
    args: Iterable[str],
    names: Iterable[str],
    files: dict[str, bytes | str] | None = None,
    **kw: Any,
) -> None:
    encoded = tuple(
        (name, data.encode("utf-8") if isinstance(data, str) else data)
        for name, data in (files or {}).items()
    )
    CASES.append(Case(case_id, tuple(args), tuple(names), encoded, **kw))


# Valid inputs the bad values are put into. Each is checked to be accepted as it is by
# test_baseline_inputs_are_accepted, so a case fails for its bad value only.

DEPART = "--depart=2023-10-27T06:30Z"
PLAN = ("plan", "GABS", "GAGO", DEPART)
MAXLOAD = ("maxload", "GAGO", "GATS")  # Tessalit has no fuel: --then is used
FAST = ("--time-limit=2s", "--iterations=1")

REQUEST_FIELDS = (
    "id",
    "origin",
    "destination",
    "cargo_kg",
    "pallets",
    "pax",
    "earliest_utc",
    "latest_utc",
    "priority",
    "optional",
    "allowed_nations",
    "allowed_types",
    "hazardous",
    "description",
    "dg_class",
    "un_number",
)
REQUEST_ROWS = (
    {
        "id": "R1",
        "origin": "GABS",
        "destination": "GAGO",
        "cargo_kg": "4000",
        "pallets": "2",
        "pax": "10",
        "earliest_utc": "2023-10-27T06:00Z",
        "latest_utc": "2023-10-28T18:00Z",
        "priority": "2",
        "optional": "false",
        "allowed_nations": "",
        "allowed_types": "",
        "hazardous": "false",
        "description": "rations",
        "dg_class": "",
        "un_number": "",
    },
    {
        "id": "R2",
        "origin": "GAGO",
        "destination": "GABS",
        "cargo_kg": "1500",
        "pallets": "0",
        "pax": "20",
        "earliest_utc": "2023-10-28T06:00Z",
        "latest_utc": "2023-10-29T18:00Z",
        "priority": "3",
        "optional": "false",
        "allowed_nations": "",
        "allowed_types": "",
        "hazardous": "false",
        "description": "rotation",
        "dg_class": "",
        "un_number": "",
    },
)
FLEET_FIELDS = (
    "registration",
    "type",
    "nation",
    "home_base",
    "operator",
    "military",
    "unavailable",
    "duty_limit_h",
    "max_flying_h_per_day",
)
FLEET_ROWS = (
    {
        "registration": "5U-MBD",
        "type": "C-130H",
        "nation": "NE",
        "home_base": "DRRN",
        "operator": "Niger AF",
        "military": "true",
        "unavailable": "",
        "duty_limit_h": "16",
        "max_flying_h_per_day": "10",
    },
    {
        "registration": "TZ-02C",
        "type": "C295",
        "nation": "ML",
        "home_base": "GABS",
        "operator": "Mali AF",
        "military": "true",
        "unavailable": "",
        "duty_limit_h": "16",
        "max_flying_h_per_day": "10",
    },
)
SCENARIO = {
    "name": '"Week"',
    "start_utc": '"2023-10-27T00:00:00Z"',
    "days": "3",
    "fuel_policy": '"icao"',
    "night_ops": "false",
}
MANIFEST_FIELDS = ("id", "origin", "destination", "cargo_kg", "pallets", "pax", "description")
MANIFEST_ROWS = (
    {
        "id": "M1",
        "origin": "GABS",
        "destination": "GAGO",
        "cargo_kg": "4000",
        "pallets": "1",
        "pax": "10",
        "description": "rations",
    },
)
AIRPORT_FIELDS = (
    "id",
    "ident",
    "type",
    "name",
    "latitude_deg",
    "longitude_deg",
    "elevation_ft",
    "iso_country",
    "municipality",
    "scheduled_service",
    "icao_code",
    "iata_code",
    "gps_code",
)
AIRPORT_ROWS = (
    {
        "id": "900001",
        "ident": "XOKA",
        "type": "medium_airport",
        "name": "Test Field",
        "latitude_deg": "15.5",
        "longitude_deg": "2.5",
        "elevation_ft": "900",
        "iso_country": "ML",
        "municipality": "Nowhere",
        "scheduled_service": "no",
        "icao_code": "XOKA",
        "iata_code": "",
        "gps_code": "XOKA",
    },
)
RUNWAY_FIELDS = (
    "id",
    "airport_ref",
    "length_ft",
    "width_ft",
    "surface",
    "lighted",
    "closed",
    "le_ident",
    "he_ident",
)
RUNWAY_ROWS = (
    {
        "id": "800001",
        "airport_ref": "900001",
        "length_ft": "8000",
        "width_ft": "150",
        "surface": "ASP",
        "lighted": "0",
        "closed": "0",
        "le_ident": "09",
        "he_ident": "27",
    },
)


def csv_text(fields: Iterable[str], rows: Iterable[dict[str, str]]) -> str:
    fields = list(fields)

    def cell(value: str) -> str:
        return f'"{value}"' if any(c in value for c in ',"\n') else value

    lines = [",".join(fields)]
    lines += [",".join(cell(str(row.get(f, ""))) for f in fields) for row in rows]
    return "\n".join(lines) + "\n"


def with_first(rows: tuple[dict[str, str], ...], **changes: str) -> list[dict[str, str]]:
    return [{**rows[0], **changes}, *rows[1:]]


def requests_csv(**changes: str) -> str:
    return csv_text(REQUEST_FIELDS, with_first(REQUEST_ROWS, **changes))


def requests_json(**changes: Any) -> str:
    def typed(row: dict[str, str]) -> dict[str, Any]:
        out: dict[str, Any] = dict(row)
        for key in ("cargo_kg",):
            out[key] = float(row[key])
        for key in ("pallets", "pax", "priority"):
            out[key] = int(row[key])
        for key in ("optional", "hazardous"):
            out[key] = row[key] == "true"
        out["allowed_nations"] = []
        out["allowed_types"] = []
        return out

    rows = [typed(r) for r in REQUEST_ROWS]
    rows[0].update(changes)
    return json.dumps(rows)


def fleet_csv(**changes: str) -> str:
    return csv_text(FLEET_FIELDS, with_first(FLEET_ROWS, **changes))


def scenario_toml(extra: str = "", **changes: str) -> str:
    keys = {**SCENARIO, **changes}
    return "".join(f"{k} = {v}\n" for k, v in keys.items()) + extra


def manifest_csv(**changes: str) -> str:
    return csv_text(MANIFEST_FIELDS, with_first(MANIFEST_ROWS, **changes))


def airports_csv(**changes: str) -> str:
    return csv_text(AIRPORT_FIELDS, with_first(AIRPORT_ROWS, **changes))


def runways_csv(**changes: str) -> str:
    return csv_text(RUNWAY_FIELDS, with_first(RUNWAY_ROWS, **changes))


def schedule_files(
    requests: str | bytes | None = None,
    fleet: str | bytes | None = None,
    scenario: str | bytes | None = None,
    requests_name: str = "requests.csv",
    fleet_name: str = "fleet.csv",
    scenario_name: str = "scenario.toml",
) -> tuple[tuple[str, ...], dict[str, bytes | str]]:
    """``airlift schedule`` on the three files (the valid ones where None)."""
    files: dict[str, bytes | str] = {
        requests_name: requests_csv() if requests is None else requests,
        fleet_name: fleet_csv() if fleet is None else fleet,
        scenario_name: scenario_toml() if scenario is None else scenario,
    }
    args = (
        "schedule",
        f"{{tmp}}/{requests_name}",
        f"--fleet={{tmp}}/{fleet_name}",
        f"--scenario={{tmp}}/{scenario_name}",
        *FAST,
    )
    return args, files


def schedule_case(
    case_id: str,
    names: Iterable[str],
    isolated: bool = False,
    **kw: Any,
) -> None:
    args, files = schedule_files(**kw)
    add(case_id, args, names, files, isolated=isolated)


# --- numbers ------------------------------------------------------------------------------------

GENERIC_NUMBERS = {
    "nan": "nan",
    "NaN": "NaN",
    "inf": "inf",
    "-inf": "-inf",
    "1e300": "1e300",
    "-1e300": "-1e300",
    "empty": "",
    "abc": "abc",
}
"""Bad for every number."""

NUMBER_OPTIONS: list[tuple[str, tuple[str, ...], str, tuple[str, ...], dict[str, str]]] = [
    # (case prefix, command, option template with {v}, names, extra bad values)
    ("plan-load-cargo", PLAN, "--load={v}", (r"load", r"cargo"), {"neg": "-1", "1e9kg": "1e9"}),
    (
        "plan-load-pallets",
        PLAN,
        "--load=4000,{v}",
        (r"pallets",),
        {"neg": "-1", "frac": "1.5", "1e9": "1e9"},
    ),
    (
        "plan-load-pax",
        PLAN,
        "--load=4000,0,{v}",
        (r"pax",),
        {"neg": "-1", "frac": "1.5", "1e9": "1e9"},
    ),
    ("plan-duty", PLAN, "--duty={v}", (r"duty",), {"neg": "-1", "zero": "0", "1e9": "1e9"}),
    ("plan-ground-time", PLAN, "--ground-time={v}", (r"ground",), {"neg": "-1", "1e9": "1e9"}),
    ("plan-extra-fuel", PLAN, "--extra-fuel={v}", (r"extra", r"fuel"), {"neg": "-1", "1e9": "1e9"}),
    (
        "plan-fl",
        PLAN,
        "--fl={v}",
        (r"(?<![a-z])fl(?![a-z])", r"flight level"),
        {"neg": "-1", "above-ceiling": "400", "1e9": "1e9"},
    ),
    ("plan-isa-dev", PLAN, "--isa-dev={v}", (r"isa",), {"100": "100", "-100": "-100"}),
    ("plan-oat", PLAN, "--oat={v}", (r"oat",), {"100": "100", "-100": "-100"}),
    ("plan-oat-at-stop", PLAN, "--oat=GAGO={v}", (r"oat",), {"100": "100"}),
    ("maxload-oat", MAXLOAD, "--oat={v}", (r"oat",), {"100": "100"}),
    (
        "perf-range-payload",
        ("perf", "range", "C-130H"),
        "--payload={v}",
        (r"payload",),
        {"neg": "-1", "1e9": "1e9", "above-max-payload": "30000"},
    ),
    (
        "perf-range-fuel",
        ("perf", "range", "C-130H", "--payload=5000"),
        "--fuel={v}",
        (r"fuel",),
        {"neg": "-1", "1e9": "1e9", "above-max-fuel": "60000"},
    ),
    (
        "perf-range-reserve",
        ("perf", "range", "C-130H", "--payload=5000"),
        "--reserve-min={v}",
        (r"reserve",),
        {"neg": "-1", "1e9": "1e9"},
    ),
    (
        "perf-range-fl",
        ("perf", "range", "C-130H", "--payload=5000"),
        "--fl={v}",
        (r"(?<![a-z])fl(?![a-z])", r"flight level"),
        {"neg": "-1", "above-ceiling": "400"},
    ),
    (
        "perf-range-isa",
        ("perf", "range", "C-130H", "--payload=5000"),
        "--isa-dev={v}",
        (r"isa",),
        {"100": "100"},
    ),
    (
        "perf-endurance-payload",
        ("perf", "endurance", "C-130H"),
        "--payload={v}",
        (r"payload",),
        {"neg": "-1", "above-max-payload": "30000"},
    ),
    (
        "perf-cruise-weight",
        ("perf", "cruise", "C-130H", "--fl=220"),
        "--weight={v}",
        (r"weight",),
        {"neg": "-1", "1e9": "1e9", "above-mtow": "90000", "below-oew": "1000"},
    ),
    (
        "perf-cruise-fl",
        ("perf", "cruise", "C-130H", "--weight=60000"),
        "--fl={v}",
        (r"(?<![a-z])fl(?![a-z])", r"flight level"),
        {"neg": "-1", "above-ceiling": "400", "1e9": "1e9"},
    ),
    (
        "perf-takeoff-weight",
        ("perf", "takeoff", "C-130H"),
        "--weight={v}",
        (r"weight",),
        {"neg": "-1", "above-mtow": "90000", "below-oew": "1000"},
    ),
    (
        "perf-takeoff-elevation",
        ("perf", "takeoff", "C-130H", "--weight=60000"),
        "--elevation-ft={v}",
        (r"elevation",),
        {"-5000": "-5000", "60000": "60000"},
    ),
    (
        "perf-takeoff-oat",
        ("perf", "takeoff", "C-130H", "--weight=60000"),
        "--oat={v}",
        (r"oat",),
        {"100": "100", "-100": "-100"},
    ),
    (
        "perf-landing-weight",
        ("perf", "landing", "C-130H"),
        "--weight={v}",
        (r"weight",),
        {"neg": "-1", "above-mtow": "90000"},
    ),
    (
        "perf-landing-factor",
        ("perf", "landing", "C-130H", "--weight=50000"),
        "--factor={v}",
        (r"factor",),
        {"neg": "-1", "zero": "0", "0.1": "0.1", "100": "100"},
    ),
]

for prefix, command, template, names, extra in NUMBER_OPTIONS:
    for label, value in {**GENERIC_NUMBERS, **extra}.items():
        add(f"{prefix}[{label}]", (*command, template.format(v=value)), names)

# A few more numeric options with a shorter table.
SHORT_NUMBERS = {"nan": "nan", "inf": "inf", "1e300": "1e300", "empty": "", "abc": "abc"}
for prefix, command, template, names in [
    (
        "perf-endurance-reserve",
        ("perf", "endurance", "C-130H", "--payload=5000"),
        "--reserve-min={v}",
        (r"reserve",),
    ),
    (
        "perf-cruise-isa",
        ("perf", "cruise", "C-130H", "--weight=60000", "--fl=220"),
        "--isa-dev={v}",
        (r"isa",),
    ),
    (
        "perf-landing-elevation",
        ("perf", "landing", "C-130H", "--weight=50000"),
        "--elevation-ft={v}",
        (r"elevation",),
    ),
    ("perf-landing-oat", ("perf", "landing", "C-130H", "--weight=50000"), "--oat={v}", (r"oat",)),
]:
    for label, value in SHORT_NUMBERS.items():
        add(f"{prefix}[{label}]", (*command, template.format(v=value)), names)

# Speed schedules: a name or a TAS in kt.
BAD_SPEEDS = {
    "unknown": "warp",
    "nan": "nan",
    "inf": "inf",
    "1e300": "1e300",
    "neg": "-1",
    "zero": "0",
    "5kt": "5",
    "10000kt": "10000",
    "empty": "",
}
for prefix, command in [
    ("plan-speed", PLAN),
    ("perf-range-speed", ("perf", "range", "C-130H", "--payload=5000")),
    ("perf-cruise-speed", ("perf", "cruise", "C-130H", "--weight=60000", "--fl=220")),
]:
    for label, value in BAD_SPEEDS.items():
        add(f"{prefix}[{label}]", (*command, f"--speed={value}"), (r"speed",))

# Winds: DDD/KK.
BAD_WINDS = {
    "kt-nan": "270/nan",
    "dir-nan": "nan/25",
    "kt-1e300": "270/1e300",
    "dir-400": "400/20",
    "kt-neg": "270/-5",
    "inf": "inf/inf",
    "empty": "",
    "abc": "abc",
    "three-parts": "270/25/3",
}
for prefix, command in [("plan-wind", PLAN), ("maxload-wind", MAXLOAD)]:
    for label, value in BAD_WINDS.items():
        add(f"{prefix}[{label}]", (*command, f"--wind={value}"), (r"wind",))

# Runway surfaces.
for label, value in {"ice": "ice", "empty": "", "nan": "nan"}.items():
    for cmd in ("takeoff", "landing"):
        add(
            f"perf-{cmd}-surface[{label}]",
            ("perf", cmd, "C-130H", "--weight=50000", f"--surface={value}"),
            (r"surface",),
        )

# --- dates --------------------------------------------------------------------------------------

BAD_DATES = {
    "year-1": "0001-01-01T00:00Z",
    "year-9999": "9999-12-31T23:59Z",
    "1969": "1969-07-20T20:17Z",
    "2101": "2101-01-01T00:00Z",
    "month-13": "2023-13-40T06:30Z",
    "hour-25": "2023-10-27T25:00Z",
    "tomorrow": "tomorrow",
    "empty": "",
    "naive": "2023-10-27T06:30",
    "offset-25h": "2023-10-27T06:30+25:00",
    "epoch-seconds": "1698388200",
}
FAR_DATES = ("year-1", "year-9999", "1969", "2101")

for label, value in BAD_DATES.items():
    add(f"plan-depart[{label}]", ("plan", "GABS", "GAGO", f"--depart={value}"), (r"depart",))
    add(f"maxload-depart[{label}]", (*MAXLOAD, f"--depart={value}"), (r"depart",))
    # In files, with a scenario of three days: the bound must come from the field itself.
    schedule_case(
        f"requests-csv-earliest[{label}]",
        (r"earliest_utc",),
        requests=requests_csv(earliest_utc=value),
    )
    schedule_case(
        f"requests-csv-latest[{label}]", (r"latest_utc",), requests=requests_csv(latest_utc=value)
    )
    schedule_case(
        f"requests-json-earliest[{label}]",
        (r"earliest_utc",),
        requests=requests_json(earliest_utc=value),
        requests_name="requests.json",
    )
    schedule_case(
        f"scenario-start[{label}]",
        (r"start_utc",),
        scenario=scenario_toml(start_utc=json.dumps(value)),
    )
    schedule_case(
        f"fleet-unavailable-start[{label}]",
        (r"unavailable",),
        fleet=fleet_csv(unavailable=f"{value}/2023-10-28T00:00Z"),
    )

# Without a scenario the horizon comes from the requests: a window reaching another century
# must be refused, not planned day by day (this hung, growing to GBs).
for label in FAR_DATES:
    value = BAD_DATES[label]
    field = "earliest_utc" if label in ("year-1", "1969") else "latest_utc"
    files: dict[str, bytes | str] = {
        "requests.csv": requests_csv(**{field: value}),
        "fleet.csv": fleet_csv(),
    }
    add(
        f"requests-derived-horizon-{field}[{label}]",
        ("schedule", "{tmp}/requests.csv", "--fleet={tmp}/fleet.csv", *FAST),
        (field,),
        files,
        isolated=True,
    )

# Windows the wrong way round.
schedule_case(
    "requests-csv-latest-before-earliest",
    (r"latest_utc", r"earliest_utc"),
    requests=requests_csv(earliest_utc="2023-10-28T18:00Z", latest_utc="2023-10-27T06:00Z"),
)
schedule_case(
    "fleet-unavailable-reversed",
    (r"unavailable",),
    fleet=fleet_csv(unavailable="2023-10-29T00:00Z/2023-10-28T00:00Z"),
)
schedule_case(
    "fleet-unavailable-year-9999-end",
    (r"unavailable",),
    fleet=fleet_csv(unavailable="2023-10-28T00:00Z/9999-12-31T23:59Z"),
)
schedule_case("fleet-unavailable-garbage", (r"unavailable",), fleet=fleet_csv(unavailable="soon"))

# --- airfield codes -----------------------------------------------------------------------------

BAD_CODES = {
    "unknown": "ZZZZ",
    "empty": "",
    "blank": "   ",
    "sql": "'; DROP TABLE airport; --",
    "200-chars": "A" * 200,
    "non-ascii": "ÄÖÜ€",
    "percent": "%",
    "underscores": "____",
    "newline": "GA\nGO",
}
for label, code in BAD_CODES.items():
    add(f"plan-origin[{label}]", ("plan", code, "GAGO", DEPART), (r"airfield", r"stop"))
    add(f"plan-destination[{label}]", ("plan", "GABS", code, DEPART), (r"airfield", r"stop"))
    add(f"maxload-origin[{label}]", ("maxload", code, "GATS"), (r"airfield", r"origin"))
    add(f"maxload-destination[{label}]", ("maxload", "GAGO", code), (r"airfield", r"destination"))
    add(f"maxload-then[{label}]", (*MAXLOAD, f"--then={code}"), (r"airfield", r"then"))
    add(f"airfields-show[{label}]", ("airfields", "show", code), (r"airfield",))
    add(f"plan-oat-code[{label}]", (*PLAN, f"--oat={code}=40"), (r"oat", r"airfield"))
    add(f"plan-closed-code[{label}]", (*PLAN, f"--closed={code}"), (r"closed", r"airfield"))
    schedule_case(f"requests-origin[{label}]", (r"origin",), requests=requests_csv(origin=code))
    schedule_case(f"fleet-home-base[{label}]", (r"home_base",), fleet=fleet_csv(home_base=code))
    schedule_case(
        f"scenario-airfield-table[{label}]",
        (r"airfield",),
        scenario=scenario_toml(extra=f"[airfield.{json.dumps(code)}]\nmog = 1\n"),
    )
    add(
        f"manifest-origin[{label}]",
        (*PLAN, "--manifest={tmp}/manifest.csv"),
        (r"origin", r"airfield"),
        {"manifest.csv": manifest_csv(origin=code)},
    )

# --- aircraft -----------------------------------------------------------------------------------

BAD_AIRCRAFT = {
    "unknown-type": "B747",
    "unknown-tail": "5U-ZZZ",
    "empty": "",
    "blank": "  ",
    "sql": "C-130H'; DROP TABLE tails; --",
    "200-chars": "X" * 200,
    "non-ascii": "Ç-130H",
    "percent": "%",
}
for label, name in BAD_AIRCRAFT.items():
    names = (r"aircraft", r"type", r"tail")
    add(f"plan-aircraft[{label}]", (*PLAN, f"--aircraft={name}"), names)
    add(f"maxload-aircraft[{label}]", (*MAXLOAD, f"--aircraft={name}"), names)
    add(f"aircraft-show[{label}]", ("aircraft", "show", name), names)
    add(f"perf-range-type[{label}]", ("perf", "range", name, "--payload=5000"), names)
    add(f"perf-cruise-type[{label}]", ("perf", "cruise", name, "--weight=60000", "--fl=200"), names)
    add(f"perf-takeoff-type[{label}]", ("perf", "takeoff", name, "--weight=60000"), names)
    schedule_case(f"fleet-type[{label}]", (r"type",), fleet=fleet_csv(type=name))
    if name.strip():  # an empty allowed_types is the usual "any type"
        schedule_case(
            f"requests-allowed-types[{label}]",
            (r"allowed_types",),
            requests=requests_csv(allowed_types=name),
        )

# --- fuel policies ------------------------------------------------------------------------------

BAD_POLICIES = {
    "reserve-inf": "custom:reserve=inf",
    "reserve-nan": "custom:reserve=nan",
    "reserve-neg": "custom:reserve=-5",
    "reserve-1e300": "custom:reserve=1e300",
    "reserve-abc": "custom:reserve=abc",
    "reserve-no-value": "custom:reserve",
    "contingency-neg": "custom:contingency=-1",
    "contingency-1e6": "custom:contingency=1e6",
    "min-inf": "custom:min=inf",
    "alternate-maybe": "custom:alternate=maybe",
    "bogus-key": "custom:bogus=1",
    "custom-empty": "custom:",
    "unknown": "ryanair",
}
for label, value in BAD_POLICIES.items():
    add(f"plan-policy[{label}]", (*PLAN, f"--policy={value}"), (r"policy",))
    add(f"maxload-policy[{label}]", (*MAXLOAD, f"--policy={value}"), (r"policy",))
    schedule_case(
        f"scenario-fuel-policy[{label}]",
        (r"policy",),
        scenario=scenario_toml(fuel_policy=json.dumps(value)),
    )

# --- seeds, iterations, time limits, engines ----------------------------------------------------

BAD_SEEDS = {
    "neg": "-1",
    "2**32": str(2**32),
    "2**64": str(2**64),
    "-2**63": str(-(2**63)),
    "abc": "abc",
    "frac": "1.5",
    "empty": "",
}
for label, value in BAD_SEEDS.items():
    add(f"schedule-seed[{label}]", ("schedule", *FAST, f"--seed={value}"), (r"seed",))
for label, value in {"zero": "0", "neg": "-1", "frac": "1.5", "abc": "abc"}.items():
    add(
        f"schedule-iterations[{label}]",
        ("schedule", "--time-limit=2s", f"--iterations={value}"),
        (r"iterations",),
    )
BAD_TIME_LIMITS = {
    "zero": "0",
    "neg": "-1",
    "1e9": "1e9",
    "zero-s": "0s",
    "neg-m": "-5m",
    "nan": "nan",
    "inf": "inf",
    "abc": "abc",
    "empty": "",
    "1e300h": "1e300h",
    "25h": "25h",
    "unit-only": "s",
}
for label, value in BAD_TIME_LIMITS.items():
    add(f"schedule-time-limit[{label}]", ("schedule", f"--time-limit={value}"), (r"time.limit",))
for label in ("zero", "nan", "1e9", "empty"):
    add(
        f"demo-time-limit[{label}]",
        ("demo", "--out={tmp}/out", f"--time-limit={BAD_TIME_LIMITS[label]}"),
        (r"time.limit",),
    )
for label, value in {"unknown": "gurobi", "empty": "", "case": "PyVRP "}.items():
    add(f"schedule-engine[{label}]", ("schedule", *FAST, f"--engine={value}"), (r"engine",))

# --- output paths -------------------------------------------------------------------------------

BAD_OUTPUTS = {
    "a-directory": "{tmp}",
    "missing-parent": "{tmp}/missing/out.file",
    "parent-is-a-file": "{tmp}/afile/out.file",
    "empty": "",
}
OUTPUT_OPTIONS = [
    ("plan", PLAN, "--json"),
    ("plan", PLAN, "--csv"),
    ("plan", PLAN, "--geojson"),
    ("plan", PLAN, "--kml"),
    ("schedule", schedule_files()[0], "--json"),
    ("schedule", schedule_files()[0], "--csv"),
    ("schedule", schedule_files()[0], "--requests-csv"),
    ("schedule", schedule_files()[0], "--geojson"),
    ("schedule", schedule_files()[0], "--gantt"),
    ("perf-range", ("perf", "range", "C-130H", "--payload=5000"), "--json"),
    ("perf-takeoff", ("perf", "takeoff", "C-130H", "--weight=60000"), "--json"),
    ("aircraft-show", ("aircraft", "show", "C-130H"), "--plot"),
]
for label, path in BAD_OUTPUTS.items():
    for prefix, command, option in OUTPUT_OPTIONS:
        files = {"afile": "not a folder\n"}
        if prefix == "schedule":
            files.update(schedule_files()[1])
        names = [re.escape(option)]
        if path:  # or the path itself ({tmp}: the case's folder)
            names.append(re.escape(path).replace(re.escape("{tmp}"), "{tmp}"))
        add(f"{prefix}{option}[{label}]", (*command, f"{option}={path}"), names, files)
for label, path in {"a-file": "{tmp}/afile", "under-a-file": "{tmp}/afile/out"}.items():
    add(
        f"demo-out[{label}]",
        ("demo", "--no-schedule", f"--out={path}"),
        (r"--out", r"afile"),
        {"afile": "not a folder\n"},
    )

# --- files --------------------------------------------------------------------------------------
#
# The same garbage fed to every file the command reads: requests (CSV and JSON), fleet (CSV and
# JSON), scenario (TOML), manifest (CSV), OurAirports (airports.csv, runways.csv).

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
BINARY = PNG + bytes(range(256)) * 8
DEEP_ARRAY = "[" * 100_000
DEEP_OBJECT = '{"a":' * 100_000


def csv_garbage(
    fields: tuple[str, ...], rows: tuple[dict[str, str], ...], text_field: str
) -> dict[str, bytes | str]:
    """Broken versions of a CSV file whose ``text_field`` column is free text."""
    first = {**rows[0], text_field: "PLACEHOLDER"}
    base = csv_text(fields, [first, *rows[1:]])
    unclosed = base.replace("PLACEHOLDER", '"unclosed quote swallows the next lines')
    # A second valid-looking row after the unclosed quote: it must not become part of a field.
    unclosed += csv_text(fields, rows).split("\n", 1)[1]
    return {
        "unclosed-quote": unclosed,
        "200kB-field": base.replace("PLACEHOLDER", "x" * 200_000),
        "wrong-header": "foo,bar,baz\n1,2,3\n",
        "header-only": ",".join(fields) + "\n",
        "binary": BINARY,
        "empty": b"",
        "json-content": json.dumps([dict(r) for r in rows]),
        "latin1": base.replace("PLACEHOLDER", "café").encode("latin-1"),
        "nul-byte": base.replace("PLACEHOLDER", "a\x00b"),
        "extra-field": base.replace("PLACEHOLDER", "x,extra"),
    }


JSON_GARBAGE: dict[str, bytes | str] = {
    "deep-array": DEEP_ARRAY,
    "deep-object": DEEP_OBJECT,
    "csv-content": requests_csv(),
    "scalar": "42",
    "null-items": "[null, null]",
    "list-of-lists": "[[1, 2, 3]]",
    "truncated": '[{"id": "R1", "origin": "GA',
    "binary": BINARY,
    "empty": b"",
    "huge-number": '[{"id": "R1", "cargo_kg": 1' + "0" * 5000 + "}]",
}


def file_names(name: str) -> tuple[str, ...]:
    """An error about a file must name it (its line or item where the fault has one)."""
    return (re.escape(name),)


for label, data in csv_garbage(REQUEST_FIELDS, REQUEST_ROWS, "description").items():
    names = (r"line \d+",) if label == "unclosed-quote" else file_names("requests.csv")
    schedule_case(f"requests-csv-file[{label}]", names, requests=data)
for label, data in JSON_GARBAGE.items():
    schedule_case(
        f"requests-json-file[{label}]",
        file_names("requests.json"),
        requests=data,
        requests_name="requests.json",
    )
for label, data in csv_garbage(FLEET_FIELDS, FLEET_ROWS, "operator").items():
    names = (r"line \d+",) if label == "unclosed-quote" else file_names("fleet.csv")
    schedule_case(f"fleet-csv-file[{label}]", names, fleet=data)
for label, data in JSON_GARBAGE.items():
    if label == "csv-content":
        data = fleet_csv()
    schedule_case(
        f"fleet-json-file[{label}]", file_names("fleet.json"), fleet=data, fleet_name="fleet.json"
    )
for label, data in csv_garbage(MANIFEST_FIELDS, MANIFEST_ROWS, "description").items():
    if label == "header-only":
        continue  # a manifest without items: an empty aircraft, not an error
    names = (r"line \d+",) if label == "unclosed-quote" else file_names("manifest.csv")
    add(
        f"manifest-file[{label}]",
        (*PLAN, "--manifest={tmp}/manifest.csv"),
        names,
        {"manifest.csv": data},
    )
SCENARIO_GARBAGE: dict[str, bytes | str] = {
    "not-toml": "this is not toml\n",
    "json-content": json.dumps({"name": "x", "start_utc": "2023-10-27T00:00:00Z", "days": 3}),
    "binary": BINARY,
    "empty": b"",
    "deep-array": "a = " + DEEP_ARRAY + "\n",
    "deep-inline-table": "a = " + "{b = " * 10_000 + "\n",
    "nul-byte": scenario_toml().replace("Week", "We\x00ek"),
}
for label, data in SCENARIO_GARBAGE.items():
    schedule_case(f"scenario-file[{label}]", file_names("scenario.toml"), scenario=data)

# Not what the extension claims, missing, or a folder.
for kind, option_files in {
    "requests": ("requests.csv", "requests.json", "requests.txt"),
    "fleet": ("fleet.csv", "fleet.json", "fleet.xlsx"),
    "scenario": ("scenario.toml", "scenario.json"),
}.items():
    for name in option_files:
        args, files = schedule_files(**{f"{kind}_name": name})
        missing = {k: v for k, v in files.items() if k != name}
        add(f"{kind}-file-missing[{name}]", args, file_names(name), missing)
        add(
            f"{kind}-file-is-a-folder[{name}]", args, file_names(name), {**missing, f"{name}/": b""}
        )
    args, files = schedule_files(**{f"{kind}_name": f"{kind}.png"})
    files[f"{kind}.png"] = PNG
    add(f"{kind}-file-png", args, file_names(f"{kind}.png"), files)
add(
    "manifest-file-missing",
    (*PLAN, "--manifest={tmp}/manifest.csv"),
    file_names("manifest.csv"),
)
add(
    "manifest-file-is-a-folder",
    (*PLAN, "--manifest={tmp}/manifest.csv"),
    file_names("manifest.csv"),
    {"manifest.csv/": b""},
)

# --- field values inside files ------------------------------------------------------------------

REQUEST_VALUES: dict[str, dict[str, str]] = {
    "cargo_kg": {"nan": "nan", "inf": "inf", "neg": "-1", "empty-all": "", "abc": "abc"},
    "pallets": {"frac": "1.5", "neg": "-1", "nan": "nan"},
    "pax": {"neg": "-1", "frac": "1.5", "inf": "inf"},
    "priority": {"zero": "0", "five": "5", "nan": "nan", "abc": "abc"},
    "optional": {"maybe": "maybe"},
    "hazardous": {"perhaps": "perhaps"},
    "dg_class": {"no-such-class": "3.7", "class-1-no-group": "1.4", "1.4-wrong-group": "1.4A"},
    "un_number": {"3-digits": "UN186", "letters": "UNABCD", "5-digits": "UN18630"},
    "allowed_nations": {"digits": "N3", "long": "NEEE"},
    "id": {"empty": ""},
}
for field, values in REQUEST_VALUES.items():
    for label, value in values.items():
        changes = {field: value}
        if label == "empty-all":
            changes.update(pallets="0", pax="0")
        names = (field, r"moves nothing") if label == "empty-all" else (field,)
        schedule_case(f"requests-csv-{field}[{label}]", names, requests=requests_csv(**changes))
schedule_case(
    "requests-csv-same-origin-destination",
    (r"destination",),
    requests=requests_csv(destination="GABS"),
)
schedule_case(
    "requests-csv-duplicate-id", (r"\bid\b", r"duplicate"), requests=requests_csv(id="R2")
)

REQUEST_JSON_VALUES: dict[str, dict[str, Any]] = {
    "cargo_kg": {"text": "heavy", "list": [1], "object": {"kg": 1}, "bool": True, "1e400": 1e400},
    "pallets": {"10**30": 10**30, "text": "two", "float": 1.5},
    "pax": {"neg": -1, "null-all": None},
    "earliest_utc": {"number": 20231027, "null": None, "list": ["2023-10-27T06:00Z"]},
    "origin": {"number": 42, "null": None},
}
for field, json_values in REQUEST_JSON_VALUES.items():
    for label, jvalue in json_values.items():
        changes = {field: jvalue}
        if label == "null-all":
            changes.update(cargo_kg=0.0, pallets=0)
        schedule_case(
            f"requests-json-{field}[{label}]",
            (field, r"moves nothing") if label == "null-all" else (field,),
            requests=requests_json(**changes).replace("Infinity", "1e400"),
            requests_name="requests.json",
        )

# Magnitudes: a request far beyond what the fleet can lift in its window must be refused with
# that reason, not split into millions of lifts (this hung, time limit ignored, GBs of memory).
for field, label, value in [
    ("cargo_kg", "1e9", "1e9"),
    ("cargo_kg", "1e300", "1e300"),
    ("pax", "1e9", "1000000000"),
    ("pallets", "1e9", "1000000000"),
]:
    schedule_case(
        f"requests-csv-{field}[{label}]",
        (field,),
        isolated=True,
        requests=requests_csv(**{field: value}),
    )

FLEET_VALUES: dict[str, dict[str, str]] = {
    "duty_limit_h": {
        "nan": "nan",
        "inf": "inf",
        "neg": "-1",
        "zero": "0",
        "1e300": "1e300",
        "25": "25",
    },
    "max_flying_h_per_day": {"nan": "nan", "25": "25", "neg": "-1"},
    "military": {"maybe": "maybe"},
    "nation": {"digits": "N3", "empty": ""},
    "registration": {"empty": "", "200-chars": "X" * 200},
}
for field, values in FLEET_VALUES.items():
    for label, value in values.items():
        schedule_case(f"fleet-csv-{field}[{label}]", (field,), fleet=fleet_csv(**{field: value}))

SCENARIO_VALUES: dict[str, dict[str, str]] = {
    "days": {
        "zero": "0",
        "neg": "-1",
        "1e9": "1000000000",
        "367": "367",
        "text": '"seven"',
        "nan": "nan",
        "inf": "inf",
        "frac": "1.5",
    },
    "night_ops": {"maybe": '"maybe"'},
    "ground_mode": {"warp": '"warp"'},
}
for field, values in SCENARIO_VALUES.items():
    for label, value in values.items():
        schedule_case(
            f"scenario-{field}[{label}]", (field,), scenario=scenario_toml(**{field: value})
        )
schedule_case("scenario-unknown-key", (r"horizon",), scenario=scenario_toml(horizon="3"))
OVERRIDE_VALUES: dict[str, dict[str, str]] = {
    "mog": {"zero": "0", "neg": "-1", "1e300": "1e300", "nan": "nan", "text": '"two"'},
    "oat_c": {"nan": "nan", "inf": "inf", "100": "100", "text": '"hot"'},
    "hours_utc": {"25h": '"25:00-26:00"', "garbage": '"daytime"'},
    "closed": {"maybe": '"maybe"'},
    "fuel_available": {"number": "2"},
}
for field, values in OVERRIDE_VALUES.items():
    for label, value in values.items():
        schedule_case(
            f"scenario-override-{field}[{label}]",
            (field,),
            scenario=scenario_toml(extra=f"[airfield.GATS]\n{field} = {value}\n"),
        )

MANIFEST_VALUES: dict[str, dict[str, str]] = {
    "cargo_kg": {"nan": "nan", "inf": "inf", "neg": "-1", "1e300": "1e300", "abc": "abc"},
    "pallets": {"frac": "1.5", "neg": "-1"},
    "pax": {"neg": "-1", "inf": "inf"},
    "id": {"empty": ""},
}
for field, values in MANIFEST_VALUES.items():
    for label, value in values.items():
        add(
            f"manifest-{field}[{label}]",
            (*PLAN, "--manifest={tmp}/manifest.csv"),
            (field,),
            {"manifest.csv": manifest_csv(**{field: value})},
        )

# --- METARs -------------------------------------------------------------------------------------

BAD_METARS = {
    "garbage": "GAGO 271200Z garbage",
    "oat-99": "GAGO 271200Z 09012KT 9999 99/M02 Q1008",
    "qnh-9999": "GAGO 271200Z 09012KT 9999 44/M02 Q9999",
    "qnh-0": "GAGO 271200Z 09012KT 9999 44/M02 Q0000",
    "wind-999kt": "GAGO 271200Z 09999KT 9999 44/M02 Q1008",
    "day-99": "GAGO 991299Z 09012KT 9999 44/M02 Q1008",
    "empty": "",
    "2000-chars": "GAGO " * 400,
}
for label, value in BAD_METARS.items():
    # The METAR, or the group of it that is wrong (its temperature, QNH...).
    names = (r"metar", r"oat", r"temperature", r"qnh", r"pressure", r"wind")
    add(f"plan-metar[{label}]", (*PLAN, f"--metar={value}"), names)
    add(f"maxload-metar[{label}]", (*MAXLOAD, f"--metar={value}"), names)

# --- an option for a stop not on the route, a runway that does not exist ------------------------

NOT_ON_ROUTE = "(?i)GATS|not on the route|route"
add("plan-oat-stop-not-on-route", (*PLAN, "--oat=GATS=44"), (NOT_ON_ROUTE,))
add(
    "plan-metar-stop-not-on-route",
    (*PLAN, "--metar=GATS 271200Z 09012KT 9999 44/M02 Q1008"),
    (NOT_ON_ROUTE,),
)
add("plan-closed-stop-not-on-route", (*PLAN, "--closed=GATS"), (NOT_ON_ROUTE,))
add("plan-closed-runway-stop-not-on-route", (*PLAN, "--closed=GATS:08/26"), (NOT_ON_ROUTE,))
add(
    "manifest-stop-not-on-route",
    (*PLAN, "--manifest={tmp}/manifest.csv"),
    (NOT_ON_ROUTE,),
    {"manifest.csv": manifest_csv(destination="GATS")},
)
add("maxload-oat-stop-not-on-route", (*MAXLOAD, "--oat=DRRN=40"), (r"DRRN", r"route"))
add(
    "maxload-metar-stop-not-on-route",
    (*MAXLOAD, "--metar=DRRN 271200Z 09012KT 9999 40/M02 Q1008"),
    (r"DRRN", r"route"),
)
BAD_RUNWAYS = {
    "99X": "GATS:99X",
    "99X/27": "GATS:99X/27",
    "empty-ident": "GATS:",
    "one-end-wrong": "GABS:06/24X",
    "sql": "GATS:'; DROP",
}
for label, spec in BAD_RUNWAYS.items():
    add(
        f"plan-closed-runway[{label}]",
        ("plan", "GABS", "GATS", DEPART, f"--closed={spec}"),
        (r"runway", r"closed"),
    )

# --- OurAirports imports ------------------------------------------------------------------------

OA = "{tmp}/oa"
for label, data in csv_garbage(AIRPORT_FIELDS, AIRPORT_ROWS, "name").items():
    if label in ("json-content", "extra-field", "header-only", "nul-byte"):
        continue  # header-only is a valid (empty) import; the others are covered by requests
    names = (r"line \d+",) if label == "unclosed-quote" else file_names("airports.csv")
    add(
        f"airfields-import-airports[{label}]",
        ("airfields", "import", OA),
        names,
        {"oa/airports.csv": data, "oa/runways.csv": runways_csv()},
    )
for label, data in csv_garbage(RUNWAY_FIELDS, RUNWAY_ROWS, "surface").items():
    if label in ("json-content", "extra-field", "header-only", "latin1", "utf16", "nul-byte"):
        continue
    names = (r"line \d+",) if label == "unclosed-quote" else file_names("runways.csv")
    add(
        f"airfields-import-runways[{label}]",
        ("airfields", "import", OA),
        names,
        {"oa/airports.csv": airports_csv(), "oa/runways.csv": data},
    )
add(
    "airfields-import-no-runways-file",
    ("airfields", "import", OA),
    file_names("runways.csv"),
    {"oa/airports.csv": airports_csv()},
)
for label, source in {
    "empty": "",
    "missing-folder": "{tmp}/nope",
    "a-file": "{tmp}/afile",
    "ftp-url": "ftp://example.invalid/ourairports",
    "refused-url": "http://127.0.0.1:9/ourairports",
}.items():
    add(
        f"airfields-import-source[{label}]",
        ("airfields", "import", source),
        (r"airports\.csv", r"source", r"nope", r"afile", r"ftp", r"127\.0\.0\.1"),
        {"afile": "x\n"},
    )

# A row with non-finite numbers is skipped by the import (and counted: see
# test_ourairports_non_finite_rows_are_skipped_and_counted): the commands after it know no such
# airfield, instead of crashing on it.
for label, changes in {
    "lat-nan": {"latitude_deg": "nan"},
    "lon-nan": {"longitude_deg": "NaN"},
    "lat-inf": {"latitude_deg": "inf"},
    "lon-minus-inf": {"longitude_deg": "-inf"},
    "elevation-nan": {"elevation_ft": "nan"},
}.items():
    files = {"oa/airports.csv": airports_csv(**changes), "oa/runways.csv": runways_csv()}
    before = ("airfields", "import", OA)
    add(
        f"ourairports-{label}-then-show",
        ("airfields", "show", "XOKA"),
        (r"XOKA",),
        files,
        before=before,
    )
    add(
        f"ourairports-{label}-then-plan",
        ("plan", "XOKA", "GAGO", DEPART),
        (r"XOKA",),
        files,
        before=before,
    )
    add(
        f"ourairports-{label}-then-maxload",
        ("maxload", "GAGO", "XOKA"),
        (r"XOKA",),
        files,
        before=before,
    )

# --- users and database -------------------------------------------------------------------------

PASSWORD = "correct horse battery staple\n"
for label, username in {
    "space": "bad user",
    "empty": "",
    "200-chars": "u" * 200,
    "sql": "x'; DROP TABLE users; --",
    "non-ascii": "jürgen€",
}.items():
    add(
        f"users-create-username[{label}]",
        ("users", "create", username, "--password-stdin"),
        (r"username", r"user name", r"login"),
        stdin=PASSWORD,
    )
add(
    "users-create-role",
    ("users", "create", "bob", "--role=emperor", "--password-stdin"),
    (r"role",),
    stdin=PASSWORD,
)
for label, nation in {"digits": "N3", "long": "NEEE"}.items():
    add(
        f"users-create-nation[{label}]",
        ("users", "create", "bob", f"--nation={nation}", "--password-stdin"),
        (r"nation",),
        stdin=PASSWORD,
    )
for label, password in {"empty": "\n", "short": "abc\n", "no-input": ""}.items():
    add(
        f"users-create-admin-password[{label}]",
        ("users", "create-admin", "alice", "--password-stdin"),
        (r"password",),
        stdin=password,
    )
for label, url in {
    "garbage": "garbage",
    "unknown-scheme": "nosuch://x/y",
    "sqlite-a-folder": "sqlite:///{tmp}",
    "sqlite-not-a-database": "sqlite:///{tmp}/afile",
}.items():
    add(
        f"db-upgrade-db[{label}]",
        ("db", "upgrade", f"--db={url}"),
        (r"database", r"--db"),
        {"afile": "not a database, just text " * 100},
    )
    add(
        f"users-create-admin-db[{label}]",
        ("users", "create-admin", "alice", "--password-stdin", f"--db={url}"),
        (r"database", r"--db"),
        {"afile": "not a database, just text " * 100},
        stdin=PASSWORD,
    )

# `serve` in a subprocess: a value that slips through would start a server.
for label, args in {
    "port-zero": ("--port=0",),
    "port-99999": ("--port=99999",),
    "port-abc": ("--port=abc",),
    "workers-zero": ("--workers=0",),
    "workers-1000": ("--workers=1000",),
}.items():
    add(
        f"serve[{label}]",
        ("serve", "--no-demo", "--db=sqlite:///{tmp}/serve.sqlite", *args),
        (r"port", r"workers"),
        isolated=True,
    )

_ids = [c.id for c in CASES]
assert len(_ids) == len(set(_ids)), sorted({i for i in _ids if _ids.count(i) > 1})


# --- the tests ----------------------------------------------------------------------------------


def _materialise(
    case_args: Iterable[str], files: Iterable[tuple[str, bytes]], tmp: Path
) -> list[str]:
    for name, data in files:
        path = tmp / name
        if name.endswith("/"):
            path.mkdir(parents=True, exist_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return [a.replace("{tmp}", str(tmp)) for a in case_args]


@pytest.fixture(scope="module", autouse=True)
def _typer_command_built_once() -> Iterator[None]:
    """Typer builds the click command from the app's signatures on every call (60 ms, most
    of an in-process case): build it once per app for this module's hundreds of runs."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(typer.main, "get_command", functools.cache(typer.main.get_command))
        yield


@pytest.fixture
def cli_env(data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A private user data folder and database, run from the case's tmp folder."""
    env = {
        "AIRLIFT_DATA_DIR": str(data_dir),
        "AIRLIFT_DB_URL": f"sqlite:///{tmp_path / 'airlift.sqlite'}",
        "COLUMNS": "200",
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(tmp_path)
    return env


def _run(case: Case, args: list[str], env: dict[str, str]) -> Outcome:
    if case.isolated:
        return _invoke_subprocess(args, env, case.stdin)
    return _invoke_in_process(args, env, case.stdin)


def _shown(outcome: Outcome) -> str:
    return (
        f"exit {outcome.code}; exception {outcome.exception!r:.300}\n"
        f"--- stderr ---\n{outcome.stderr[-2000:]}\n--- stdout (end) ---\n{outcome.stdout[-800:]}"
        + (f"\n--- traceback (end) ---\n{outcome.traceback[-1500:]}" if outcome.traceback else "")
    )


def assert_refused(outcome: Outcome, names: Iterable[str], tmp: Path) -> None:
    """No traceback, exit 2, one line naming the field."""
    assert "Traceback" not in outcome.stdout + outcome.stderr, _shown(outcome)
    assert outcome.exception is None or isinstance(outcome.exception, SystemExit), _shown(outcome)
    assert outcome.code == 2, _shown(outcome)
    lines = message_lines(outcome.stderr)
    assert len(lines) == 1, f"expected one line, got {len(lines)}:\n" + _shown(outcome)
    patterns = [p.replace("{tmp}", re.escape(str(tmp))) for p in names]
    assert any(re.search(p, lines[0], re.IGNORECASE) for p in patterns), (
        f"the error line names none of {patterns}: {lines[0]!r}"
    )


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_refused_in_one_line(
    case: Case, cli_env: dict[str, str], tmp_path: Path
) -> None:
    args = _materialise(case.args, case.files, tmp_path)
    if case.before:
        before = _invoke_in_process(_materialise(case.before, (), tmp_path), cli_env, None)
        assert before.exception is None or isinstance(before.exception, SystemExit), _shown(before)
        assert before.code in (0, 2), _shown(before)
    assert_refused(_run(case, args, cli_env), case.names, tmp_path)


# --- guards of the corpus itself ----------------------------------------------------------------


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 300


BASELINES: dict[str, tuple[tuple[str, ...], dict[str, bytes | str]]] = {
    "plan": (PLAN, {}),
    "plan-manifest": ((*PLAN, "--manifest={tmp}/manifest.csv"), {"manifest.csv": manifest_csv()}),
    "maxload": (MAXLOAD, {}),
    "perf-range": (("perf", "range", "C-130H", "--payload=5000"), {}),
    "perf-cruise": (("perf", "cruise", "C-130H", "--weight=60000", "--fl=220"), {}),
    "perf-takeoff": (("perf", "takeoff", "C-130H", "--weight=60000"), {}),
    "perf-landing": (("perf", "landing", "C-130H", "--weight=50000"), {}),
    "schedule-csv": schedule_files(),
    "schedule-json": schedule_files(requests=requests_json(), requests_name="requests.json"),
    "airfields-import": (
        ("airfields", "import", OA),
        {"oa/airports.csv": airports_csv(), "oa/runways.csv": runways_csv()},
    ),
}


@pytest.mark.parametrize("name", list(BASELINES))
def test_baseline_inputs_are_accepted(name: str, cli_env: dict[str, str], tmp_path: Path) -> None:
    """The valid inputs the corpus breaks one field at a time: each is accepted as it is, so a
    refused case is refused for its bad value."""
    command, files = BASELINES[name]
    encoded = [(k, v.encode() if isinstance(v, str) else v) for k, v in files.items()]
    outcome = _invoke_in_process(_materialise(command, encoded, tmp_path), cli_env, None)
    assert outcome.code == 0, _shown(outcome)


def test_ourairports_non_finite_rows_are_skipped_and_counted(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    """Rows with NaN or infinite numbers are left out of the cache and counted in the summary."""
    bad = [
        {**AIRPORT_ROWS[0], "id": str(900010 + n), "ident": f"XNF{n}", "icao_code": f"XNF{n}", **c}
        for n, c in enumerate(
            [{"latitude_deg": "nan"}, {"longitude_deg": "inf"}, {"elevation_ft": "-inf"}]
        )
    ]
    files = {
        "oa/airports.csv": csv_text(AIRPORT_FIELDS, [*AIRPORT_ROWS, *bad]).encode(),
        "oa/runways.csv": runways_csv().encode(),
    }
    args = _materialise(("airfields", "import", OA), files.items(), tmp_path)
    outcome = _invoke_in_process(args, cli_env, None)
    assert outcome.code == 0, _shown(outcome)
    assert re.search(r"skipped\D{0,40}3\b|\b3\b\D{0,40}skipped", outcome.stdout), _shown(outcome)
    shown = _invoke_in_process(["airfields", "show", "XOKA"], cli_env, None)
    assert shown.code == 0, _shown(shown)


@pytest.mark.parametrize(
    ("stderr", "expected"),
    [
        ("error: one\n", ["error: one"]),
        ("\n\nerror: one\n\n", ["error: one"]),
        (
            "Usage: airlift x\nTry 'airlift x --help' for help.\n╭─ Error ─╮\n│ bad value │\n"
            "│ wrapped   │\n╰─────────╯\n",
            ["Usage: airlift x", "Try 'airlift x --help' for help.", "bad value wrapped"],
        ),
    ],
)
def test_message_lines(stderr: str, expected: list[str]) -> None:
    assert message_lines(stderr) == expected
