"""MVT movement messages: departures and arrivals paired into legs, dates from the day of
month, midnight, diversions, delay codes; errors name the message, the line and the element."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from airlift.errors import FieldError
from airlift.tracking.model import Source
from airlift.tracking.mvt import mvt_from_text

OCT = date(2023, 10, 1)
NOW = datetime(2023, 11, 3, tzinfo=UTC)


def at(day: int, hh: int, mm: int) -> datetime:
    return datetime(2023, 10, day, hh, mm, tzinfo=UTC)


DEPARTURE = """QU BKOKOXH
.GAOKOXH 270640
MVT
5U-MBD/27.GABS
AD0623/0635 EA0848 GAGO
DL72/0012
PX64
SI CARGO LOADED LATE
 RAMP CONGESTED
"""
ARRIVAL = """MVT
XY123/27.5UMBD.GAGO
AA0845/0851
"""


def test_the_departure_and_arrival_of_a_flight_make_one_leg() -> None:
    (leg,) = mvt_from_text(DEPARTURE + ARRIVAL, "ops.mvt", OCT, NOW)
    assert (leg.tail, leg.origin, leg.destination, leg.source) == (
        "5U-MBD",
        "GABS",
        "GAGO",
        Source.MVT,
    )
    assert (leg.out_utc, leg.off_utc) == (at(27, 6, 23), at(27, 6, 35))
    assert (leg.on_utc, leg.in_utc) == (at(27, 8, 45), at(27, 8, 51))
    assert "delay code 72 12 min" in leg.remarks
    assert "64 pax on board" in leg.remarks
    assert "SI CARGO LOADED LATE RAMP CONGESTED" in leg.remarks


def test_a_departure_alone_is_in_the_air_towards_its_estimate() -> None:
    (leg,) = mvt_from_text(DEPARTURE, "ops.mvt", OCT, NOW)
    assert leg.destination == "GAGO" and leg.on_utc is None and leg.in_utc is None


def test_an_arrival_alone_has_no_origin() -> None:
    (leg,) = mvt_from_text(ARRIVAL, "ops.mvt", OCT, NOW)
    assert leg.origin == "" and leg.destination == "GAGO" and leg.tail == "5UMBD"


def test_times_past_midnight_roll_to_the_next_day() -> None:
    text = "MVT\n5U-MBD/27.GAGO\nAD2350/0005 EA0120 GATS\nMVT\n5U-MBD/27.GATS\nAA0118/0125\n"
    (leg,) = mvt_from_text(text, "ops.mvt", OCT, NOW)
    assert leg.out_utc == at(27, 23, 50)
    assert leg.off_utc == at(28, 0, 5)
    assert (leg.on_utc, leg.in_utc) == (at(28, 1, 18), at(28, 1, 25))


def test_a_diversion_lands_where_the_arrival_says() -> None:
    text = DEPARTURE + "MVT\n5U-MBD/27.GATB\nAA0901/0907\n"
    (leg,) = mvt_from_text(text, "ops.mvt", OCT, NOW)
    assert (leg.origin, leg.destination) == ("GABS", "GATB")


def test_the_same_departure_twice_is_a_duplicate() -> None:
    duplicate = r"\(message 2, 5U-MBD\): duplicate report.*on line 3 and line 12"
    with pytest.raises(FieldError, match=duplicate):
        mvt_from_text(DEPARTURE + DEPARTURE, "ops.mvt", OCT, NOW)


@pytest.mark.parametrize(
    ("body", "place", "element", "words"),
    [
        ("5U-MBD/27.GABS\nAD0623/0675", "line 3 (message 1)", "AD", "AD0623/0675: minute 75"),
        ("5U-MBD/27.GABS\nAD2523", "line 3 (message 1)", "AD", "hour 25"),
        ("5U-MBD/32.GABS\nAD0623", "line 2 (message 1)", "flight", "day 32 is not a day"),
        ("5U-MBD/27.GABS\nED0700", "line 3 (message 1)", "ED", "'ED' is not supported"),
        ("5U-MBD/27.GABS\nAD0623 EA0848", "line 3 (message 1)", "EA", "EAhhmm STATION"),
        ("5U-MBD/27.GABS\nAD0623\nDL721/0012", "line 4 (message 1)", "DL", "two characters"),
        ("5U-MBD/27.GABS\nAD0623\nDL7281/0012", "line 4 (message 1)", "DL", "2 delay code(s)"),
        ("5U-MBD.GABS\nAD0623", "line 2 (message 1)", "flight", "REGISTRATION/DD.STATION"),
        ("5U-MBD/27.ZZZZ\nAD0623", "line 2 (message 1)", "station", "unknown airfield"),
        ("5U-MBD/27.GABS\nPX12", "line 1 (message 1)", "AD", "no AD (departure) or AA"),
        # in the future: 28 October 00:00Z is "now"
        ("5U-MBD/29.GABS\nAD0623", "line 3 (message 1)", "AD", "in the future"),
    ],
)
def test_errors_name_message_line_and_element(
    body: str, place: str, element: str, words: str
) -> None:
    with pytest.raises(FieldError) as info:
        mvt_from_text("MVT\n" + body + "\n", "ops.mvt", OCT, at(28, 0, 0))
    message = str(info.value)
    assert message.startswith(f"ops.mvt {place}"), message
    assert info.value.field == element
    assert words in message


def test_the_second_message_is_named() -> None:
    text = "MVT\n5U-MBD/27.GABS\nAD0500/0510\nMVT\n5U-MBD/27.GAGO\nAA0875\n"
    with pytest.raises(FieldError, match=r"^ops.mvt line 6 \(message 2\): AA0875: minute 75"):
        mvt_from_text(text, "ops.mvt", OCT, NOW)


def test_text_before_the_first_message_and_an_empty_file() -> None:
    with pytest.raises(FieldError, match="before the first MVT line"):
        mvt_from_text("HELLO\nMVT\n5U-MBD/27.GABS\nAD0500\n", "ops.mvt", OCT, NOW)
    with pytest.raises(FieldError, match="no MVT message"):
        mvt_from_text("\n\n", "ops.mvt", OCT, NOW)


def test_without_a_month_a_day_is_its_latest_past_date() -> None:
    """On 2 December, a message of the 30th is of 30 November; of the 2nd, of today."""
    now = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
    late = mvt_from_text("MVT\n5U-MBD/30.GABS\nAD0623/0635 EA0848 GAGO\n", "m.mvt", now=now)
    assert late[0].off_utc == datetime(2026, 11, 30, 6, 35, tzinfo=UTC)
    today = mvt_from_text("MVT\n5U-MBD/02.GABS\nAD0623/0635 EA0848 GAGO\n", "m.mvt", now=now)
    assert today[0].off_utc == datetime(2026, 12, 2, 6, 35, tzinfo=UTC)
    # November has no 31st: the latest past 31st on 2 December is 31 October.
    oct31 = mvt_from_text("MVT\n5U-MBD/31.GABS\nAD0623/0635 EA0848 GAGO\n", "m.mvt", now=now)
    assert oct31[0].off_utc == datetime(2026, 10, 31, 6, 35, tzinfo=UTC)
