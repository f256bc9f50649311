"""Diplomatic clearances (airspace/clearances.py): the shipped rules load, every bad rules file
is one FieldError naming the file and the table, and the reference rotation of a Niger Air
Force C-130H (GABS -> GAGO -> GATS -> DRRN -> GABS) needs nothing from the coalition while a
French one does, by dates checked by hand from data/clearances/rules.toml."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from airlift.airspace.clearances import (
    ClearanceLeg,
    ClearanceRules,
    clearances_needed,
    load_rules,
)
from airlift.errors import FieldError

PLANNING = date(2026, 12, 1)


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 12, day, hour, tzinfo=UTC)


# Countries overflown as airspace.countries.countries_of_legs gives them (tests/airspace/
# test_countries.py::test_reference_rotation_in_order checks them on the polygons).
ROTATION = (
    ClearanceLeg(at(20, 6), "MLI", "MLI", ("MLI",)),  # GABS -> GAGO
    ClearanceLeg(at(20, 10), "MLI", "MLI", ("MLI",)),  # GAGO -> GATS
    ClearanceLeg(at(21, 6), "MLI", "NER", ("MLI", "NER")),  # GATS -> DRRN
    ClearanceLeg(at(22, 6), "NER", "MLI", ("NER", "BFA", "MLI")),  # DRRN -> GABS
)


@pytest.fixture(scope="module")
def rules() -> ClearanceRules:
    return load_rules()


def test_shipped_rules_load_with_a_source_each(rules: ClearanceRules) -> None:
    needed = {"MLI", "NER", "BFA", "SEN", "MRT", "DZA", "LBY", "TCD", "NGA", "BEN", "TGO", "GHA"}
    assert needed | {"CIV", "GIN"} <= set(rules.countries)
    for rule in (rules.default, *rules.countries.values()):
        assert rule.source.startswith(("assumption:", "http")), rule.country
    assert rules.rule("MLI").exempt == {"NER", "BFA"}
    assert rules.rule("ESP") is rules.default


def test_coalition_aircraft_need_nothing_among_themselves(rules: ClearanceRules) -> None:
    """Niger's own landings: none; Mali's landings and Burkina Faso's overflight: exempt."""
    assert clearances_needed(ROTATION, "NER", True, False, rules, PLANNING) == ()
    assert clearances_needed(ROTATION, "MLI", True, False, rules, PLANNING) == ()


def test_a_french_military_flight_needs_three(rules: ClearanceRules) -> None:
    """Landing in Mali (first on 20 Dec, 7 days), landing in Niger (21 Dec, 7 days),
    overflying Burkina Faso (22 Dec, 7 days). Mali overflown on GATS -> DRRN is the leg's
    origin, so its landing clearance covers it; Niger likewise on DRRN -> GABS."""
    needs = clearances_needed(ROTATION, "FRA", True, False, rules, PLANNING)
    assert [
        (n.country, n.kind, n.first_use_utc, n.latest_request_date, n.lead_days) for n in needs
    ] == [
        ("MLI", "landing", at(20, 6), date(2026, 12, 13), 7),
        ("NER", "landing", at(21, 6), date(2026, 12, 14), 7),
        ("BFA", "overflight", at(22, 6), date(2026, 12, 15), 7),
    ]
    assert all(n.obtainable and not n.hazardous for n in needs)
    assert needs[2].source.startswith("https://www.americanflightsupport.com")


def test_hazardous_cargo_adds_its_extra_days(rules: ClearanceRules) -> None:
    needs = clearances_needed(ROTATION, "FRA", True, True, rules, PLANNING)
    assert [(n.country, n.latest_request_date, n.lead_days, n.hazardous) for n in needs] == [
        ("MLI", date(2026, 12, 8), 12, True),
        ("NER", date(2026, 12, 9), 12, True),
        ("BFA", date(2026, 12, 10), 12, True),
    ]


def test_too_late_to_ask_is_not_obtainable(rules: ClearanceRules) -> None:
    """Planning on 14 Dec: Mali's landing clearance was due on the 13th, Niger's is due
    today (still obtainable), Burkina Faso's tomorrow."""
    needs = clearances_needed(ROTATION, "FRA", True, False, rules, date(2026, 12, 14))
    assert [(n.country, n.obtainable) for n in needs] == [
        ("MLI", False),
        ("NER", True),
        ("BFA", True),
    ]


def test_civil_and_state_follow_their_own_flag(rules: ClearanceRules) -> None:
    """Over a country of the [default] table (Spain): state aircraft need a clearance,
    civil ones (scheduled-rights overflight) do not; earliest use wins."""
    legs = (
        ClearanceLeg(at(10, 6), "FRA", "MAR", ("FRA", "ESP", "MAR")),
        ClearanceLeg(at(12, 6), "MAR", "FRA", ("MAR", "ESP", "FRA")),
    )
    state = clearances_needed(legs, "FRA", True, False, rules, PLANNING)
    assert [(n.country, n.kind, n.first_use_utc) for n in state] == [
        ("ESP", "overflight", at(10, 6)),
        ("MAR", "landing", at(10, 6)),
    ]
    assert clearances_needed(legs, "FRA", False, False, rules, PLANNING) == ()


def test_landing_uses_the_arrival_time_when_given(rules: ClearanceRules) -> None:
    leg = ClearanceLeg(at(20, 22), "NER", "MLI", ("NER", "MLI"), arrival_utc=at(21, 1))
    (need,) = clearances_needed((leg,), "FRA", True, False, rules, PLANNING)
    assert need.first_use_utc == at(21, 1) and need.latest_request_date == date(2026, 12, 14)


def test_bad_operator_and_naive_times_are_field_errors(rules: ClearanceRules) -> None:
    with pytest.raises(FieldError, match="operator") as err:
        clearances_needed(ROTATION, "France", True, False, rules, PLANNING)
    assert err.value.field == "operator"
    naive = ClearanceLeg(datetime(2026, 12, 20, 6), "MLI", "NER")
    with pytest.raises(FieldError, match="timezone") as err:
        clearances_needed((naive,), "FRA", True, False, rules, PLANNING)
    assert err.value.field == "legs.0.departure_utc"


# --- bad rules files -------------------------------------------------------------------------

GOOD = """\
overflight_lead_days = 5
landing_lead_days = 7
validity_days = 3
state_aircraft = true
civil = false
hazardous_extra_days = 2
exempt = ["NER"]
source = "assumption: a test"
"""


def table(name: str, **changes: str | None) -> str:
    """A [name] table of GOOD with lines replaced (value text) or dropped (None)."""
    lines = []
    for line in GOOD.splitlines():
        key = line.split(" = ")[0]
        if key in changes:
            if changes[key] is not None:
                lines.append(f"{key} = {changes[key]}")
        else:
            lines.append(line)
    lines.extend(f"{k} = {v}" for k, v in changes.items() if k not in GOOD and v is not None)
    return f"[{name}]\n" + "\n".join(lines) + "\n"


BAD = [
    # (the bad table, the table the error names, words of the reason)
    (table("XYZ"), "XYZ", "not an ISO 3166-1 alpha-3"),  # no such country
    (table("mli"), "mli", "not an ISO 3166-1 alpha-3"),  # codes are upper case
    (table("MLI", landing_lead_days="-1"), "MLI", "landing_lead_days must be >= 0"),
    (table("MLI", validity_days="2.5"), "MLI", "validity_days must be a whole number"),
    (table("MLI", validity_days='"3"'), "MLI", "validity_days must be a whole number"),
    (table("MLI", hazardous_extra_days="true"), "MLI", "hazardous_extra_days must be a whole"),
    (table("MLI", overflight_lead_time="5"), "MLI", "unknown key 'overflight_lead_time'"),
    (table("MLI", exempt='["NER", "XXX"]'), "MLI", "exempt: 'XXX' is not an ISO"),
    (table("MLI", exempt='"NER"'), "MLI", "exempt must be a list"),
    (table("MLI", civil=None), "MLI", "civil is missing"),
    (table("MLI", state_aircraft='"yes"'), "MLI", "state_aircraft must be true or false"),
    (table("MLI", source='" "'), "MLI", "source must say"),
]


@pytest.mark.parametrize(("bad", "section", "reason"), BAD)
def test_every_bad_rule_names_file_and_table(
    tmp_path: Path, bad: str, section: str, reason: str
) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(table("default") + "\n" + bad, encoding="utf-8")
    with pytest.raises(FieldError) as err:
        load_rules(path)
    message = str(err.value)
    assert str(path) in message and f"[{section}]" in message and reason in message
    assert "\n" not in message


def test_a_bad_default_table_and_a_missing_one(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(table("default", validity_days="-3"), encoding="utf-8")
    with pytest.raises(FieldError, match=r"rules.toml \[default\]: validity_days must be >= 0"):
        load_rules(path)
    path.write_text(table("MLI"), encoding="utf-8")
    with pytest.raises(FieldError, match=r"rules.toml: a \[default\] table is required"):
        load_rules(path)
    path.write_text("[MLI\n", encoding="utf-8")
    with pytest.raises(FieldError, match=r"rules.toml: not valid TOML"):
        load_rules(path)
