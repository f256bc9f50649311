"""The CLI through subprocess, as a user runs it: exit codes, one-line errors, outputs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

CIRCUIT = ["GABS", "GAGO", "GATS", "DRRN", "GABS"]
DEPART = ["--depart", "2023-10-27T06:30Z"]
LOADS = ["--load", "8600,3,42", "--load", "5000,2,18", "--load", "1200,1,32", "--load", "5500,2,20"]


def run(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "airlift", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        timeout=120,
        check=False,
    )


def test_plan_reference_circuit_writes_json(tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    r = run(
        "plan",
        *CIRCUIT,
        "--aircraft",
        "5U-MBD",
        *DEPART,
        *LOADS,
        "--ground-mode",
        "expedited",
        "--json",
        str(out),
    )
    assert r.returncode == 0, r.stderr
    assert "FEASIBLE" in r.stdout
    doc = json.loads(out.read_text())
    assert doc["feasible"] is True
    assert [leg["origin"] for leg in doc["legs"]] == CIRCUIT[:-1]


def test_infeasible_plan_exits_1_and_names_the_limit() -> None:
    # 17:30Z off-block: the landing at Tessalit (daylight only) falls after civil dusk.
    r = run("plan", "GAGO", "GATS", "--depart", "2023-10-27T17:30Z")
    assert r.returncode == 1
    assert "daylight exceeded by" in r.stdout


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["plan", "GABS", "GATX", *DEPART], "unknown airfield 'GATX'; did you mean GATS"),
        (["plan", "GABS", "GAGO", "-a", "C-5M", *DEPART], "unknown aircraft type"),
        (["plan", "GABS", "GAGO", *DEPART, "--load", "30000"], "exceeds the C-130H's max payload"),
        (["plan", "GABS", "GAGO", *DEPART, "--load", "-5"], "cargo_kg must be >= 0"),
        (["plan", "GABS", "GAGO", *DEPART, "--load", "nan"], "finite"),
        (["plan", "GABS", "GAGO", *DEPART, "--metar", "GAGO 271200Z garbage"], "METAR"),
        (["plan", "GABS", *DEPART], "at least two stops"),
        (["plan", "GABS", "GATS", *DEPART, "--closed", "GATS"], "every runway is closed"),
        (["plan", "GABS", "GAGO", "--depart", "2023-10-27T06:30"], "no timezone"),
        (["plan", "GABS", "GAGO", *DEPART, "--policy", "ryanair"], "unknown fuel policy"),
        (["plan", "GABS", "GAGO", *DEPART, "--wind", "270-25"], "wind must look like"),
        (["maxload", "GAGO", "GATS", "--oat", "hot"], "OAT must be a number"),
        (["aircraft", "show", "B747"], "unknown aircraft type"),
        (["airfields", "import", "/nonexistent"], "cannot read"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args: list[str], needle: str, tmp_path: Path) -> None:
    r = run(*args, env={"AIRLIFT_DATA_DIR": str(tmp_path)})
    assert r.returncode == 2, (r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert needle in lines[0]
    assert "Traceback" not in r.stderr


def test_a_bad_value_in_a_file_names_the_file_line_and_field(tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("id,origin,destination,cargo_kg\nA,GABS,GAGO,-1\n", encoding="utf-8")
    requests = tmp_path / "requests.csv"
    requests.write_text(
        "id,origin,destination,cargo_kg,pallets,pax,earliest_utc,latest_utc\n"
        "R1,GABS,GAGO,100,0,0,2023-10-27T06:00Z,2023-10-27T18:00Z\n"
        "R2,GABS,GAGO,100,0,x,2023-10-27T06:00Z,2023-10-27T18:00Z\n",
        encoding="utf-8",
    )
    fleet = Path(__file__).parents[2] / "src" / "airlift" / "data" / "demo" / "fleet.csv"
    cases = [
        (
            ["plan", "GABS", "GAGO", *DEPART, "--manifest", str(manifest)],
            f"{manifest} line 2 (A): cargo_kg must be >= 0",
        ),
        (
            ["schedule", str(requests), "--fleet", str(fleet)],
            f"{requests} line 3 (R2): pax must be a number",
        ),
    ]
    for args, needle in cases:
        r = run(*args)
        assert r.returncode == 2, (r.stdout, r.stderr)
        assert r.stderr.startswith(f"error: {needle}"), r.stderr
        assert len(r.stderr.strip().splitlines()) == 1, r.stderr


def test_maxload_names_the_binding_limit() -> None:
    r = run("maxload", "GAGO", "GATS", "--aircraft", "C-130H", "--oat", "45")
    assert r.returncode == 0, r.stderr
    assert "Max load GAGO-GATS:" in r.stdout
    assert "limited by" in r.stdout


def test_aircraft_show_prints_residuals_and_plots(tmp_path: Path) -> None:
    png = tmp_path / "pr.png"
    r = run("aircraft", "show", "C-130H", "--plot", str(png))
    assert r.returncode == 0, r.stderr
    assert "held out" in r.stdout and "%" in r.stdout
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_airfields_search_by_name_and_code() -> None:
    r = run("airfields", "search", "niamey", "--limit", "3")
    assert r.returncode == 0, r.stderr
    first = next(line for line in r.stdout.splitlines() if "DRRN" in line)
    assert "theatre file" in first and "NIM" in first
    empty = run("airfields", "search", "  ")
    assert empty.returncode == 2 and "query is empty" in empty.stderr


def test_airfields_show_gats() -> None:
    r = run("airfields", "show", "GATS")
    assert r.returncode == 0, r.stderr
    assert "Tessalit" in r.stdout and "daylight only" in r.stdout and "fuel NO" in r.stdout


def test_demo_writes_every_format(tmp_path: Path) -> None:
    r = run("demo", "--out", str(tmp_path / "out"), "--no-schedule")
    assert r.returncode == 0, r.stderr
    names = sorted(p.suffix for p in (tmp_path / "out").iterdir())
    assert names == [".csv", ".geojson", ".json", ".kml"]


def test_schedule_demo_week_writes_outputs(tmp_path: Path) -> None:
    out = tmp_path / "p.json"
    gantt = tmp_path / "gantt.png"
    r = run("schedule", "--time-limit", "3s", "--json", str(out), "--gantt", str(gantt))
    assert r.returncode == 0, r.stderr
    doc = json.loads(out.read_text())
    assert doc["feasible"] is True
    assert doc["missions"], "the demo week should fly something"
    statuses = {s["request_id"]: s for s in doc["requests"]}
    assert statuses["R013"]["status"] == "unmet" and statuses["R013"]["reason"]
    assert gantt.read_bytes()[:4] == b"\x89PNG"
    assert "KPIs:" in r.stdout


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["schedule", "--time-limit", "soon"], "--time-limit must look like"),
        (["schedule", "--engine", "gurobi"], "--engine must be one of"),
        (["schedule", "x.csv"], "--fleet is required"),
    ],
)
def test_schedule_bad_options(args: list[str], needle: str) -> None:
    r = run(*args)
    assert r.returncode == 2
    assert needle in r.stderr


def test_console_script_and_module_agree() -> None:
    exe = Path(sys.executable).parent / "airlift"
    if not exe.exists():
        pytest.skip("console script not installed in this environment (pip install -e .)")
    r = subprocess.run(
        [str(exe), "aircraft", "list"], capture_output=True, text=True, check=False, timeout=60
    )
    assert r.returncode == 0
    assert r.stdout == run("aircraft", "list").stdout


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["plan", "GABS", "GAGO", *DEPART, "--duty", "abc"], "'--duty'"),
        (["schedule", "--seed", "1.5"], "'--seed'"),
        (["plan", "GABS", "GAGO", *DEPART, "--jsn", "x.json"], "--jsn"),
        (["schedule", "--seed", "-1"], "--seed must be a whole number 0 to 2147483647"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(args: list[str], needle: str) -> None:
    """Typer's usage errors too: no "Usage:" block and error box, one line with the help hint."""
    r = run(*args)
    assert r.returncode == 2, (r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), r.stderr
    assert needle in lines[0]


def test_help_still_works() -> None:
    r = run("plan", "--help")
    assert r.returncode == 0, r.stderr
    assert "Usage" in r.stdout and "--json" in r.stdout
    bare = run()  # no command: the help, as before
    assert "Commands" in bare.stdout and not bare.stderr.strip()


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["plan", "GABS", "GAGO", *DEPART, "--csv", "{tmp}/missing/legs.csv"], "does not exist"),
        (["plan", "GABS", "GAGO", *DEPART, "--kml", "{tmp}"], "is a folder"),
        (["plan", "GABS", "GAGO", *DEPART, "--csv", "-"], "standard output is not supported"),
        (["schedule", "--json", "{tmp}/missing/p.json"], "--json"),  # before a 30 s solve
        (["schedule", "--time-limit", "2s", "--gantt", "{tmp}/gantt.svg"], "must end in .png"),
        (["aircraft", "show", "C-130H", "--plot", "{tmp}/pr.pdf"], "must end in .png"),
        (["demo", "--no-schedule", "--out", "{tmp}/afile/out"], "not a folder"),
    ],
)
def test_output_paths_are_checked_before_any_work(
    args: list[str], needle: str, tmp_path: Path
) -> None:
    (tmp_path / "afile").write_text("a file\n", encoding="utf-8")
    r = run(*[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert needle in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert not r.stdout.strip(), "the output paths are checked before the work starts"


def test_plan_json_to_stdout_still_works() -> None:
    r = run("plan", "GABS", "GAGO", *DEPART, "--json", "-")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["route"] == ["GABS", "GAGO"]
