"""Plan against actual through the API (``/api/runs/{id}/tracking``) and ADS-B files into the
store (``/api/actuals/import``), on the demo data of a fresh database (SQLite and
PostgreSQL).

The run is the demo week scheduled for 3 s and stored as done under the demo scenario.
Its first mission's leg 1 is reported 25 min late: the API names the delay and carries it
down the tail's day. The ADS-B file is a synthetic OpenSky CSV (``tracking/synthetic.py``):
5U-MBD (icao24 062a01 in the demo fleet) flies Bamako -> Gao, 0a0b0c (no tail of the fleet)
flies Niamey -> Ouagadougou, and TZ-02C (05c102) is seen in cruise only.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest
from run_helpers import DemoEnv, stored_run

from airlift.airfields import theatre
from airlift.tracking import synthetic
from airlift.tracking.adsb import vectors


def _t(iso: str) -> datetime:
    return datetime.fromisoformat(iso.replace("Z", "+00:00"))


def _z(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_unknown_or_unfinished_runs_and_roles(demo_env: DemoEnv, document: dict[str, Any]) -> None:
    client, db_url, headers = demo_env
    queued = stored_run(db_url, None)
    assert client.get(f"/api/runs/{queued}/tracking").status_code == 401
    missing = client.get("/api/runs/99999/tracking", headers=headers["viewer"])
    assert missing.status_code == 404, missing.text
    unfinished = client.get(f"/api/runs/{queued}/tracking", headers=headers["viewer"])
    assert unfinished.status_code == 409
    assert f"schedule run {queued} is queued" in unfinished.json()["detail"]
    export = client.get(f"/api/runs/{queued}/tracking/export/csv", headers=headers["viewer"])
    assert export.status_code == 409
    done = stored_run(db_url, document)
    bad = client.get(
        f"/api/runs/{done}/tracking?as_of=2023-10-27T10:00:00", headers=headers["viewer"]
    )
    assert bad.status_code == 422 and bad.json()["field"] == "as_of"


def test_a_late_departure_is_a_delay_carried_down_the_day(
    demo_env: DemoEnv, document: dict[str, Any]
) -> None:
    client, db_url, headers = demo_env
    run = stored_run(db_url, document)
    mission = next(m for m in document["missions"] if len(m["plan"]["legs"]) >= 2)
    leg = mission["plan"]["legs"][0]
    out = _t(leg["etd_utc"]) + timedelta(minutes=25)
    off = _t(leg["takeoff_utc"]) + timedelta(minutes=25)
    report = {
        "tail": mission["tail"],
        "origin": leg["origin"],
        "destination": leg["destination"],
        "out_utc": _z(out),
        "off_utc": _z(off),
        "run_id": run,
    }
    stored = client.post("/api/actuals", json=report, headers=headers["planner"])
    assert stored.status_code == 201, stored.text
    as_of = _z(off + timedelta(minutes=5))
    resp = client.get(f"/api/runs/{run}/tracking?as_of={as_of}", headers=headers["viewer"])
    assert resp.status_code == 200, resp.text
    doc = resp.json()
    assert doc["as_of_utc"] == as_of and doc["units"]["delay_min"].startswith("min")
    legs = {(x["tail"], x["day"], x["leg"]): x for x in doc["legs"]}
    first = legs[(mission["tail"], mission["day"], 1)]
    assert first["departure_delay_min"] == 25 and first["status"] == "airborne"
    assert first["actual_off_utc"] == _z(off) and first["source"] == "crew"
    second = legs[(mission["tail"], mission["day"], 2)]
    # Leg 1 lands 25 min late: leg 2, not reported, leaves late too (projected).
    assert second["departure_delay_min"] is None and second["status"] == "delayed"
    assert second["delay_min"] > 0
    assert _t(second["projected_out_utc"]) > _t(second["planned_out_utc"])
    assert doc["figures"]["departed"] == 1 and doc["figures"]["on_time_departures"] == 0
    assert doc["figures"]["legs"] == len(doc["legs"])
    assert doc["requests"] and all(r["status"] for r in doc["requests"])
    # A scenario was found and windows came from the stored requests: no such notes.
    assert not any("no scenario given" in n for n in doc["notes"])
    assert not any("no request windows" in n for n in doc["notes"])

    csv_resp = client.get(
        f"/api/runs/{run}/tracking/export/csv?as_of={as_of}", headers=headers["viewer"]
    )
    assert csv_resp.status_code == 200 and csv_resp.headers["content-type"].startswith("text/csv")
    assert "tracking-legs.csv" in csv_resp.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(csv_resp.text)))
    assert len(rows) == len(doc["legs"])
    (row,) = [
        r
        for r in rows
        if (r["tail"], r["day"], r["leg"]) == (mission["tail"], str(mission["day"]), "1")
    ]
    assert float(row["departure_delay_min"]) == 25
    json_resp = client.get(
        f"/api/runs/{run}/tracking/export/json?as_of={as_of}", headers=headers["viewer"]
    )
    assert json_resp.status_code == 200 and json_resp.json() == doc


def _adsb_csv(off: datetime) -> bytes:
    """OpenSky CSV: 5U-MBD Bamako -> Gao from ``off``, a stranger, TZ-02C in cruise only."""
    af = theatre()
    t0 = off.timestamp()
    mbd = synthetic.programme(
        [synthetic.FlownLeg(af["GABS"], af["GAGO"], t0, t0 + 7200, 22000.0, 1200.0, 1200.0)],
        "062a01",
    )
    stranger = synthetic.programme(
        [synthetic.FlownLeg(af["DRRN"], af["DFFD"], t0, t0 + 3000, 18000.0, 900.0, 900.0)],
        "0a0b0c",
    )
    cruise = synthetic.fly(
        synthetic.FlownLeg(af["GABS"], af["GAGO"], t0, t0 + 7000, 20000.0, 1200.0, 1200.0), 10.0
    )
    seen = (cruise[0] > t0 + 2000) & (cruise[0] < t0 + 3200)
    tz = vectors.table(cruise[0][seen], "05c102", *[c[seen] for c in cruise[1:]])
    table = pa.concat_tables([mbd, stranger, tz])
    buffer = io.BytesIO()
    pacsv.write_csv(synthetic.opensky_table(table), buffer)
    return buffer.getvalue()


def test_an_adsb_file_stores_the_fleets_flights_and_warns_of_the_rest(demo_env: DemoEnv) -> None:
    client, _, headers = demo_env
    off = datetime(2023, 10, 27, 7, 5, tzinfo=UTC)
    files = {"file": ("states.csv", _adsb_csv(off), "text/csv")}
    viewer_try = client.post("/api/actuals/import", files=files, headers=headers["viewer"])
    assert viewer_try.status_code == 403
    first = client.post("/api/actuals/import", files=files, headers=headers["planner"])
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["format"] == "adsb" and len(body["created"]) == 2 and body["errors"] == []
    (stranger,) = body["warnings"]  # TZ-02C, seen in cruise only, is stored: no warning
    assert "0a0b0c" in stranger and "not in the stored fleet" in stranger
    leg, cruise = client.get("/api/actuals", headers=headers["viewer"]).json()
    assert cruise["key"] == {"tail": "TZ-02C", "origin": "", "date": "2023-10-27"}
    assert cruise["leg"]["partial"] and cruise["leg"]["off_utc"] is None
    seen_from = _t(cruise["leg"]["seen_from_utc"])
    assert off + timedelta(seconds=2000) <= seen_from <= off + timedelta(seconds=2100)
    assert leg["key"] == {"tail": "5U-MBD", "origin": "GABS", "date": "2023-10-27"}
    assert leg["leg"]["destination"] == "GAGO" and leg["reports"][0]["source"] == "adsb"
    assert abs(_t(leg["leg"]["off_utc"]) - off) <= timedelta(minutes=2)
    assert abs(_t(leg["leg"]["on_utc"]) - (off + timedelta(hours=2))) <= timedelta(minutes=2)

    again = client.post("/api/actuals/import?format=adsb", files=files, headers=headers["planner"])
    assert again.status_code == 200, again.text
    assert again.json()["created"] == [] and again.json()["duplicates"] == 2
    assert len(client.get("/api/actuals", headers=headers["viewer"]).json()) == 2


def test_an_adsb_file_of_strangers_only_stores_nothing(demo_env: DemoEnv) -> None:
    client, _, headers = demo_env
    af = theatre()
    t0 = datetime(2023, 10, 27, 7, 5, tzinfo=UTC).timestamp()
    table = synthetic.programme(
        [synthetic.FlownLeg(af["DRRN"], af["DFFD"], t0, t0 + 3000, 18000.0, 900.0, 900.0)],
        "0a0b0c",
    )
    buffer = io.BytesIO()
    pacsv.write_csv(synthetic.opensky_table(table), buffer)
    files = {"file": ("states.csv", buffer.getvalue(), "text/csv")}
    resp = client.post("/api/actuals/import", files=files, headers=headers["planner"])
    assert resp.status_code == 422, resp.text
    assert resp.json()["detail"] == "no reports to store; 1 warning(s)"
    assert client.get("/api/actuals", headers=headers["viewer"]).json() == []


def test_the_tracks_of_a_runs_days_are_geojson(demo_env: DemoEnv, document: dict[str, Any]) -> None:
    from geojson_pydantic import FeatureCollection

    client, db_url, headers = demo_env
    run = stored_run(db_url, document)
    day = document["missions"][0]["date"]
    off = datetime.fromisoformat(f"{day}T07:05:00+00:00")
    files = {"file": ("states.csv", _adsb_csv(off), "text/csv")}
    stored = client.post("/api/actuals/import?format=adsb", files=files, headers=headers["planner"])
    assert stored.status_code == 200, stored.text

    assert client.get(f"/api/actuals/tracks?run={run}").status_code == 401
    resp = client.get(f"/api/actuals/tracks?run={run}&day={day}", headers=headers["viewer"])
    assert resp.status_code == 200, resp.text
    doc = FeatureCollection.model_validate(resp.json())  # RFC 7946, by geojson-pydantic
    tracks = {f.properties["tail"]: f for f in doc.features if f.properties}
    assert set(tracks) == {"5U-MBD", "TZ-02C"}
    mbd, tz = tracks["5U-MBD"], tracks["TZ-02C"]
    assert mbd.geometry is not None and mbd.geometry.type == "LineString"
    # Lon, lat order: starts at Bamako (GABS, 12.53 N 7.95 W), ends at Gao (16.25 N 0.0 W).
    (lon0, lat0), (lon1, lat1) = mbd.geometry.coordinates[0], mbd.geometry.coordinates[-1]
    bko, gao = theatre()["GABS"], theatre()["GAGO"]
    assert abs(lon0 - bko.lon) < 0.1 and abs(lat0 - bko.lat) < 0.1
    assert abs(lon1 - gao.lon) < 0.1 and abs(lat1 - gao.lat) < 0.1
    props = mbd.properties or {}
    assert props["origin"] == "GABS" and props["destination"] == "GAGO"
    assert props["source"] == "adsb" and props["partial"] is False
    assert abs(_t(props["off_utc"]) - off) <= timedelta(minutes=2)
    assert len(props["altitude_ft"]) == len(mbd.geometry.coordinates) == len(props["time_utc"])
    assert max(a for a in props["altitude_ft"] if a is not None) == pytest.approx(22000, abs=50)
    tz_props = tz.properties or {}
    assert tz_props["partial"] is True and tz_props["origin"] == "" and tz_props["off_utc"] is None

    other = client.get(f"/api/actuals/tracks?run={run}", headers=headers["viewer"])
    assert other.status_code == 200 and len(other.json()["features"]) == 2  # all days
    bad = client.get(f"/api/actuals/tracks?run={run}&day=2001-01-01", headers=headers["viewer"])
    assert bad.status_code == 422 and bad.json()["field"] == "day"
