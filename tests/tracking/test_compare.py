"""Plan against actual on the demo week: matching, delays carried down a tail's day and
re-checked by the mission planner, diversions, missing legs, duplicates, requests, figures."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from tracking_helpers import flown

from airlift.scheduling.inputs import Scenario
from airlift.scheduling.programme import Programme
from airlift.tracking.compare import compare
from airlift.tracking.legs import PlannedLeg, planned_legs
from airlift.tracking.model import LoadActual, Source

BEFORE = datetime(2023, 10, 26, tzinfo=UTC)


def _report(doc: dict[str, Any], actuals: list[Any], scenario: Scenario, as_of: datetime) -> Any:
    return compare(doc, actuals, scenario=scenario, as_of=as_of)


def _legs_of(report: Any, legs: list[PlannedLeg]) -> list[Any]:
    ids = {(p.mission, p.number) for p in legs}
    return [r for r in report.legs if (r.planned.mission, r.planned.number) in ids]


def test_nothing_reported_before_the_week_everything_planned(
    demo_document: dict[str, Any], demo_scenario: Scenario
) -> None:
    report = _report(demo_document, [], demo_scenario, BEFORE)
    assert {r.status for r in report.legs} == {"planned"}
    assert report.figures.legs == len(planned_legs(demo_document))
    assert report.figures.departed == 0 and report.figures.on_time_pct is None
    assert report.figures.tonnes_delivered == 0.0
    assert report.figures.newly_infeasible == 0


def test_flown_as_planned_every_leg_landed_on_time(
    demo_document: dict[str, Any], demo_scenario: Scenario
) -> None:
    actuals = [flown(p) for p in planned_legs(demo_document)]
    report = _report(demo_document, actuals, demo_scenario, datetime(2023, 11, 4, tzinfo=UTC))
    assert {r.status for r in report.legs} == {"landed"}
    f = report.figures
    assert f.on_time_departures == f.departed == f.legs and f.on_time_pct == 100.0
    # Every planned lift lands where it was going: all the tonnes planned are delivered.
    assert f.tonnes_delivered == f.tonnes_planned > 0
    assert not report.unplanned and not any(r.problems for r in report.legs)


def test_a_late_first_leg_delays_the_rest_of_the_day(
    demo_document: dict[str, Any], demo_scenario: Scenario, three_legs: list[PlannedLeg]
) -> None:
    first = three_legs[0]
    as_of = first.in_utc + timedelta(minutes=45)
    report = _report(demo_document, [flown(first, 40)], demo_scenario, as_of)
    leg1, leg2, leg3 = _legs_of(report, three_legs)[:3]
    assert leg1.status == "landed" and leg1.departure_delay_min == 40.0
    assert leg1.arrival_delay_min == 40.0
    # The next legs are not reported: projected later (by the delay, less any slack in the
    # plan's turnaround), never earlier.
    assert 0 < leg2.projected_delay_min <= 40.0
    assert leg3.projected.out_utc >= three_legs[2].out_utc
    assert leg2.status == "delayed"
    assert report.figures.on_time_departures == 0 and report.figures.departed == 1


def test_a_long_delay_is_rechecked_and_the_broken_limit_named(
    demo_document: dict[str, Any], demo_scenario: Scenario, three_legs: list[PlannedLeg]
) -> None:
    # Six hours late off the first leg: the last leg of a daylight-only day lands after dusk
    # (and the crew runs out of duty day): the planner says which limit, and by how much.
    first = three_legs[0]
    report = _report(demo_document, [flown(first, 360)], demo_scenario, first.in_utc)
    last = _legs_of(report, three_legs)[-1]
    text = " ".join(last.problems)
    assert f"leg {last.planned.number} " in text
    assert "after civil twilight by" in text and " min " in text
    # The leg that has landed is history: no problem is laid on it.
    assert _legs_of(report, three_legs)[0].problems == ()
    assert report.figures.newly_infeasible >= 1


def test_a_diversion(
    demo_document: dict[str, Any], demo_scenario: Scenario, three_legs: list[PlannedLeg]
) -> None:
    first = three_legs[0]
    elsewhere = "GATB" if first.destination != "GATB" else "GAGO"
    report = _report(
        demo_document, [flown(first, destination=elsewhere)], demo_scenario, first.in_utc
    )
    leg1, leg2 = _legs_of(report, three_legs)[:2]
    assert leg1.status == "diverted" and leg1.destination == elsewhere
    assert any(f"diverted to {elsewhere}" in p for p in leg2.problems)


def test_a_missing_report_is_a_leg_not_flown(
    demo_document: dict[str, Any], demo_scenario: Scenario, three_legs: list[PlannedLeg]
) -> None:
    second = three_legs[1]
    report = _report(demo_document, [flown(second)], demo_scenario, second.in_utc)
    leg1, leg2 = _legs_of(report, three_legs)[:2]
    assert leg1.status == "not flown" and leg1.actual is None
    assert leg2.status == "landed"


def test_an_unplanned_leg_is_reported_never_assigned(
    demo_document: dict[str, Any], demo_scenario: Scenario, three_legs: list[PlannedLeg]
) -> None:
    first = three_legs[0]
    stranger = replace(flown(first), tail="XX-ZZZ")
    wrong_origin = replace(flown(first), origin="GAKL")
    report = _report(demo_document, [stranger, wrong_origin], demo_scenario, first.in_utc)
    assert set(report.unplanned) == {stranger, wrong_origin}
    assert all(r.actual is None for r in report.legs)
    assert report.figures.unplanned == 2
    assert sum("matches no planned leg" in n for n in report.notes) == 2


def test_two_sources_of_one_leg_merge_and_a_second_crew_report_is_unplanned(
    demo_document: dict[str, Any], demo_scenario: Scenario, three_legs: list[PlannedLeg]
) -> None:
    first = three_legs[0]
    crew = flown(first, 10, fuel_out_kg=9000.0, fuel_in_kg=9000.0 - first.burn_kg * 1.1)
    mvt = replace(flown(first, 12, source=Source.MVT), remarks="delay code 72 12 min (DL)")
    report = _report(demo_document, [mvt, crew], demo_scenario, first.in_utc)
    leg1 = _legs_of(report, three_legs)[0]
    assert leg1.actual is not None
    assert leg1.departure_delay_min == 10.0  # the crew's times win over the MVT's
    assert leg1.burn_vs_plan_pct == 10.0
    assert "delay code 72" in leg1.actual.remarks
    assert not report.unplanned
    # The same leg from the crew twice (two files): the second one is not merged silently.
    again = _report(demo_document, [crew, flown(first, 11)], demo_scenario, first.in_utc)
    assert len(again.unplanned) == 1


def test_load_against_plan(
    demo_document: dict[str, Any], demo_scenario: Scenario, three_legs: list[PlannedLeg]
) -> None:
    first = three_legs[0]
    loads = (LoadActual("RXX", first.cargo_kg + 500.0, 1, 0),)
    report = _report(demo_document, [flown(first, loads=loads)], demo_scenario, first.in_utc)
    assert _legs_of(report, three_legs)[0].cargo_vs_plan_kg == 500.0


def test_requests_delivered_late_in_transit(
    demo_document: dict[str, Any], demo_scenario: Scenario
) -> None:
    lifts = [(i, x) for i, m in enumerate(demo_document["missions"]) for x in m["lifts"]]
    count = Counter(str(x["request_id"]) for _, x in lifts)
    # A request the programme delivers in one lift: its delivery leg delivers all of it.
    i, lift = next((i, x) for i, x in lifts if count[str(x["request_id"])] == 1)
    ref = str(lift["request_id"])
    legs = [p for p in planned_legs(demo_document) if p.mission == i]
    drop = legs[int(lift["delivery_leg"])]
    flights = [flown(p) for p in legs[: int(lift["delivery_leg"]) + 1]]
    after = drop.in_utc + timedelta(minutes=1)
    on_time = compare(
        demo_document, flights, scenario=demo_scenario, as_of=after, windows={ref: drop.in_utc}
    )
    status = {r.request_ref: r for r in on_time.requests}[ref]
    assert status.status == "delivered" and status.late_min is None
    late = compare(
        demo_document,
        flights,
        scenario=demo_scenario,
        as_of=after,
        windows={ref: drop.in_utc - timedelta(minutes=30)},
    )
    status = {r.request_ref: r for r in late.requests}[ref]
    assert status.status == "late" and status.late_min == 30.0
    # Airborne on the delivery leg: in transit.
    airborne = [*flights[:-1], replace(flights[-1], on_utc=None, in_utc=None)]
    moving = compare(demo_document, airborne, scenario=demo_scenario, as_of=drop.off_utc)
    assert {r.request_ref: r for r in moving.requests}[ref].status == "in transit"


def test_a_programme_object_and_its_document_agree(
    demo_programme: Programme,
    demo_document: dict[str, Any],
    demo_scenario: Scenario,
    three_legs: list[PlannedLeg],
) -> None:
    actuals = [flown(three_legs[0], 30)]
    a = compare(demo_programme, actuals, scenario=demo_scenario, as_of=BEFORE)
    b = compare(demo_document, actuals, scenario=demo_scenario, as_of=BEFORE)
    assert a.figures == b.figures and [r.status for r in a.legs] == [r.status for r in b.legs]


def test_without_a_scenario_the_report_says_so(demo_document: dict[str, Any]) -> None:
    report = compare(demo_document, [], as_of=BEFORE)
    assert any("no scenario given" in n for n in report.notes)
