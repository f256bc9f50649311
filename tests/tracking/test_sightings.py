"""Sightings against a tiny plan (``sighting_plan.py``): confirmed where the plan has a tail
of what was seen, "unplanned presence" with candidates elsewhere; and photos' EXIF."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from airlift import geo
from airlift.airfields import lookup
from airlift.errors import FieldError
from airlift.tracking.photo import photo_time, read_photo
from airlift.tracking.sightings import (
    AIRBORNE_NM,
    Outcome,
    Sighting,
    check_sighting,
    match_sighting,
)
from sighting_helpers import jpeg, sighting_plan

NOW = datetime(2024, 1, 1, tzinfo=UTC)


def at(hhmm: str) -> datetime:
    return datetime.fromisoformat(f"2023-10-27T{hhmm}+00:00")


def seen(**kw: object) -> Sighting:
    return check_sighting(Sighting(**kw), NOW)  # type: ignore[arg-type]


def test_the_reference_case_a_c130h_at_bamako_while_the_plan_has_them_elsewhere() -> None:
    # 10:05Z: 5U-MBD on the ground at DRRN (until 12:00), 5U-MBH in flight GAGO->GABS.
    result = match_sighting(
        sighting_plan(), seen(at_utc=at("10:05"), aircraft_type="C-130H", airfield="GABS")
    )
    assert result.outcome is Outcome.UNPLANNED
    assert result.confirming == ()
    where = {c.tail: (c.airborne, c.origin) for c in result.candidates}
    assert where == {"5U-MBD": (False, "DRRN"), "5U-MBH": (True, "GAGO")}
    mbd = next(c for c in result.candidates if c.tail == "5U-MBD")
    # GABS-DRRN: about 596 NM on the WGS84 ellipsoid.
    assert mbd.distance_nm == pytest.approx(596, abs=5)
    assert "on the ground at DRRN" in mbd.describe()


def test_a_type_seen_where_the_plan_has_one_confirms_it_by_iata_code_too() -> None:
    # 5U-MBH lands at GABS at 12:00; 12:20 is on its ground time there.
    result = match_sighting(
        sighting_plan(), seen(at_utc=at("12:20"), aircraft_type="c130h", airfield="BKO")
    )
    assert result.outcome is Outcome.CONFIRMED
    assert [p.tail for p in result.confirming] == ["5U-MBH"]
    assert result.candidates == ()


@pytest.mark.parametrize(
    ("hhmm", "outcome"),
    [
        ("07:25", Outcome.CONFIRMED),  # 25 min after 5U-MBH's take-off: within the 30 min tolerance
        ("07:40", Outcome.UNPLANNED),  # 40 min after: it should be in flight to GAGO
    ],
)
def test_the_time_tolerance_at_a_take_off(hhmm: str, outcome: Outcome) -> None:
    result = match_sighting(sighting_plan(), seen(at_utc=at(hhmm), tail="5U-MBH", airfield="GABS"))
    assert result.outcome is outcome


def test_a_tail_seen_is_never_confirmed_by_another_tail_of_its_type() -> None:
    # 5U-MBH is at GABS at 12:20, but 5U-MBD was read on the fin.
    result = match_sighting(
        sighting_plan(), seen(at_utc=at("12:20"), tail="5U-MBD", airfield="GABS")
    )
    assert result.outcome is Outcome.UNPLANNED
    assert {c.tail for c in result.candidates} == {"5U-MBD", "5U-MBH"}


def test_two_tails_of_the_type_on_the_ground_both_confirm_none_picked() -> None:
    doc = sighting_plan()
    doc["missions"][0]["plan"]["legs"][0]["origin"] = "GABS"  # 5U-MBD now waits at GABS
    result = match_sighting(doc, seen(at_utc=at("06:00"), aircraft_type="C-130H", airfield="GABS"))
    assert result.outcome is Outcome.CONFIRMED
    assert {p.tail for p in result.confirming} == {"5U-MBD", "5U-MBH"}


def test_a_position_on_the_planned_track_confirms_a_flight_and_far_off_it_does_not() -> None:
    gago, gabs = lookup("GAGO"), lookup("GABS")
    line = geo._WGS84.InverseLine(gago.lat, gago.lon, gabs.lat, gabs.lon)
    half = line.Position(line.s13 / 2)  # 5U-MBH is half way at 11:00 (10:00-12:00)
    on_track = seen(at_utc=at("11:00"), tail="5U-MBH", lat=half["lat2"], lon=half["lon2"])
    result = match_sighting(sighting_plan(), on_track)
    assert result.outcome is Outcome.CONFIRMED
    assert result.confirming[0].airborne
    assert result.confirming[0].distance_nm == pytest.approx(0, abs=1)
    away = seen(at_utc=at("11:00"), tail="5U-MBH", lat=half["lat2"] + 1.0, lon=half["lon2"])
    far = match_sighting(sighting_plan(), away)  # 1 degree of latitude: 60 NM > AIRBORNE_NM
    assert AIRBORNE_NM < 60
    assert far.outcome is Outcome.UNPLANNED


def test_a_position_at_an_airfield_is_the_airfield() -> None:
    gabs = lookup("GABS")
    result = match_sighting(
        sighting_plan(),
        seen(at_utc=at("12:00"), aircraft_type="C295", lat=gabs.lat, lon=gabs.lon + 0.02),
    )
    assert (
        result.outcome is Outcome.UNPLANNED
    )  # TZ-02C lands at 13:00 (in flight from GATS at 12:00)
    assert [c.tail for c in result.candidates] == ["TZ-02C"]
    assert (
        match_sighting(
            sighting_plan(),
            seen(at_utc=at("13:15"), aircraft_type="C295", lat=gabs.lat, lon=gabs.lon + 0.02),
        ).outcome
        is Outcome.CONFIRMED
    )


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"at_utc": at("10:00"), "airfield": "GABS"}, "tail"),  # neither tail nor type
        ({"at_utc": at("10:00"), "tail": "5U-MBD"}, "airfield"),  # nowhere
        ({"at_utc": at("10:00"), "tail": "5U-MBD", "airfield": "ZZZZ"}, "airfield"),  # unknown
        ({"at_utc": at("10:00"), "tail": "5U-MBD", "lat": 91.0, "lon": 0.0}, "lat"),
        ({"at_utc": at("10:00"), "tail": "5U-MBD", "lat": 10.0, "lon": 181.0}, "lon"),
        ({"at_utc": at("10:00"), "tail": "5U-MBD", "lat": 10.0}, "lon"),  # half a position
        (
            {"at_utc": datetime(2024, 6, 1, tzinfo=UTC), "tail": "5U-MBD", "airfield": "GABS"},
            "at_utc",
        ),
        (
            {"at_utc": datetime(2023, 10, 27), "tail": "5U-MBD", "airfield": "GABS"},
            "at_utc",
        ),  # naive
    ],
)
def test_bad_sightings_name_the_field(kw: dict[str, object], field: str) -> None:
    with pytest.raises(FieldError) as exc:
        check_sighting(Sighting(**kw), NOW)  # type: ignore[arg-type]
    assert exc.value.field == field


# --- photos ----------------------------------------------------------------------------------


def test_a_photo_with_offset_and_gps_gives_time_and_place() -> None:
    data = jpeg("2023:10:27 11:05:00", "+01:00", (12.5335, -7.9499))
    assert len(data) < 4096
    facts = read_photo(data)
    assert facts.at_utc == at("10:05")
    assert facts.lat == pytest.approx(12.5335, abs=1e-4)
    assert facts.lon == pytest.approx(-7.9499, abs=1e-4)  # west is negative
    assert len(facts.sha256) == 64


def test_a_photo_without_offset_has_no_time_until_the_zone_is_named() -> None:
    data = jpeg("2023:10:27 10:05:00")
    facts = read_photo(data)
    assert facts.at_utc is None and facts.local_time is not None
    with pytest.raises(FieldError) as exc:
        photo_time(facts)
    assert exc.value.field == "tz" and "time zone unknown" in exc.value.reason
    assert read_photo(data, tz="Africa/Bamako").at_utc == at("10:05")  # Bamako is UTC+0
    assert read_photo(data, tz="+02:00").at_utc == at("08:05")
    assert read_photo(data).lat is None


def test_not_an_image_is_refused_on_the_photo_field() -> None:
    with pytest.raises(FieldError) as exc:
        read_photo(b"GIF? no: a text file")
    assert exc.value.field == "photo"


def test_a_photo_without_exif_time_asks_for_the_time() -> None:
    with pytest.raises(FieldError) as exc:
        photo_time(read_photo(jpeg()))
    assert exc.value.field == "at_utc"
