"""Aircraft type catalogue: loading, physical consistency, sourcing of every figure, the data
rules of docs/aircraft-data.md, lookup, malformed type files and the calibration factors.

Malformed files are edits of a shipped file (C-130H.toml, turboprop; C-17A.toml, turbofan),
each breaking one thing, so that each case fails for its own reason.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections import Counter
from functools import cache
from importlib import resources
from typing import Any

import pytest

from airlift.aircraft import (
    AircraftType,
    Calibration,
    aircraft_type,
    catalogue,
    parse_type_file,
)
from airlift.errors import DataFileError, InputError, UnknownAircraft

OLD_TYPES = {"C-130H", "C-130J", "C-130J-30", "C295", "CN-235", "An-26", "An-32", "DHC-6", "C208B"}
NEW_TYPES = {"A400M", "Il-76MD", "C-17A", "DHC-8-100", "L-410"}
TYPES = sorted(catalogue())
"""Designators from the catalogue itself: a new type file is checked without editing this."""
_REF = re.compile(r"\[(\w+)\]")


@cache
def _shipped_texts() -> dict[str, str]:
    """Designator -> TOML text of every shipped type file (the file name need not match)."""
    folder = resources.files("airlift") / "data" / "aircraft"
    texts = {}
    for entry in folder.iterdir():
        if entry.name.endswith(".toml") and entry.name != "calibration.toml":
            text = entry.read_text("utf-8")
            texts[tomllib.loads(text)["designator"]] = text
    return texts


def _calibration_rows() -> dict[str, dict[str, float]]:
    path = resources.files("airlift") / "data" / "aircraft" / "calibration.toml"
    return tomllib.loads(path.read_text("utf-8"))


# --- the catalogue --------------------------------------------------------------------------------


def test_all_fourteen_types_load() -> None:
    assert len(TYPES) == 14
    assert set(TYPES) == OLD_TYPES | NEW_TYPES


@pytest.mark.parametrize("designator", TYPES)
def test_type_is_physically_consistent(designator: str) -> None:
    t = catalogue()[designator]
    assert t.designator == designator
    assert 0 < t.oew_kg < t.mzfw_kg <= t.mtow_kg
    assert 0 < t.mlw_kg <= t.mtow_kg
    if t.assault_landing_weight_kg is not None:
        assert t.oew_kg < t.assault_landing_weight_kg <= t.mlw_kg
    # Max payload cannot exceed what the zero-fuel weight leaves above the empty aircraft
    # (1 kg for rounding of converted pounds).
    assert 0 < t.max_payload_kg <= t.mzfw_kg - t.oew_kg + 1.0
    if t.acl_kg is not None:
        assert 0 < t.acl_kg <= t.max_payload_kg
    assert 0 < t.max_fuel_kg <= t.mtow_kg
    # Wing-relief fuel: both figures or neither, the threshold within the payload.
    assert (t.ballast_cargo_threshold_kg is None) == (t.ballast_min_fuel_kg is None)
    if t.ballast_cargo_threshold_kg is not None:
        assert 0 < t.ballast_cargo_threshold_kg <= t.max_payload_kg
        assert 0 < (t.ballast_min_fuel_kg or 0) < t.max_fuel_kg
    assert t.cruise_tas_kt > 0 and t.ceiling_ft > 0
    assert t.seats > 0 and t.pallet_positions >= 0
    assert 0 < t.ground_time_ero_min <= t.ground_time_expedited_min <= t.ground_time_min
    assert 0 < t.taxi_fuel_kg < t.max_fuel_kg and t.taxi_time_min > 0


@pytest.mark.parametrize("designator", TYPES)
def test_aero_and_engine_are_positive_and_fit_the_propulsion(designator: str) -> None:
    t = catalogue()[designator]
    a, e = t.aero, t.engine
    for name in ("wing_area_m2", "span_m", "oswald", "cd0", "cl_max_clean"):
        assert getattr(a, name) > 0, name
    assert 0 < a.oswald <= 1 and 0 < a.cd0 < 0.1
    # Flaps add lift: clean < take-off < landing.
    assert a.cl_max_clean < a.cl_max_takeoff < a.cl_max_landing
    assert a.mmo is None or 0 < a.mmo < 1
    assert e.kind == t.propulsion and e.count >= 1
    if t.propulsion == "turboprop":
        assert (e.takeoff_power_kw or 0) > 0 and (e.psfc_kg_kwh or 0) > 0
        assert 0 < (e.prop_efficiency or 0) < 1
        assert e.takeoff_thrust_kn is None and e.tsfc_kg_kn_h is None
    else:
        assert t.propulsion == "turbofan"
        assert (e.takeoff_thrust_kn or 0) > 0 and (e.tsfc_kg_kn_h or 0) > 0
        assert e.takeoff_power_kw is None and e.psfc_kg_kwh is None


@pytest.mark.parametrize("designator", TYPES)
def test_ground_time_modes(designator: str) -> None:
    t = catalogue()[designator]
    assert t.ground_time() == t.ground_time("normal") == t.ground_time_min
    assert t.ground_time("expedited") == t.ground_time_expedited_min
    assert t.ground_time("ero") == t.ground_time_ero_min
    with pytest.raises(InputError, match="ground time mode 'hot'"):
        t.ground_time("hot")


# --- sourcing -------------------------------------------------------------------------------------


def _cited(t: AircraftType) -> list[tuple[str, str]]:
    """(what, source) of every sourced entry: figures, aero, engine, published figures."""
    return [
        *t.sources,
        *((f"published[{i}] {p.kind}", p.source) for i, p in enumerate(t.published)),
    ]


@pytest.mark.parametrize("designator", TYPES)
def test_every_entry_of_the_file_keeps_its_source(designator: str) -> None:
    """The loader keeps a source for every entry of [figures], [aero] and [engine]."""
    raw = tomllib.loads(_shipped_texts()[designator])
    named = dict(catalogue()[designator].sources)
    for section in ("figures", "aero", "engine"):
        for key, entry in raw[section].items():
            assert named[key] == entry["source"], f"{designator} {section}.{key}"


@pytest.mark.parametrize("designator", TYPES)
def test_every_source_cites_a_listed_reference(designator: str) -> None:
    """A source is a [ref] listed in [sources], or a derived:/assumption: note; any [ref] a
    note quotes must be listed too."""
    t = catalogue()[designator]
    refs = dict(t.references)
    for what, source in _cited(t):
        keys = _REF.findall(source)
        if not source.startswith(("derived:", "assumption:")):
            assert keys, f"{designator} {what}: {source!r} cites no [ref]"
        for key in keys:
            assert key in refs, f"{designator} {what}: [{key}] missing from [sources]"
    for key, citation in refs.items():
        assert citation.strip(), f"{designator} [{key}] has an empty citation"


@pytest.mark.parametrize("designator", TYPES)
def test_no_reference_is_unused(designator: str) -> None:
    """Every [sources] entry is cited by a source, or by a published figure's conditions,
    exclusion note (the evidence that a figure is for another variant) or finding (the
    evidence for why the model misses it)."""
    t = catalogue()[designator]
    texts = [s for _, s in _cited(t)]
    texts += [" ".join((p.conditions, p.excluded or "", p.finding or "")) for p in t.published]
    cited = {k for text in texts for k in _REF.findall(text)}
    unused = sorted(set(dict(t.references)) - cited, key=lambda k: (len(k), k))
    assert not unused, f"{designator}: unused references {unused}"


# Golden figures copied from the type files (kg, kt, ft, kW, kN, m): exact, with their source.
GOLDEN: list[tuple[str, str, str, float, str]] = [
    ("C-130H", "", "mtow_kg", 70_307, "[1]"),  # 155,000 lb
    ("C-130H", "", "oew_kg", 36_741, "[2]"),  # 81,000 lb
    ("C-130H", "", "max_payload_kg", 19_051, "[4]"),  # 42,000 lb
    ("C-130H", "", "assault_landing_weight_kg", 58_967, "[4]"),  # 130,000 lb
    ("C-130H", "", "max_fuel_kg", 28_900, "[7]"),
    ("C-130H", "", "ceiling_ft", 33_000, "[1]"),
    ("C-130H", "aero", "span_m", 40.41, "[3]"),  # 132 ft 7 in
    ("C-130H", "engine", "takeoff_power_kw", 3_424, "[52]"),  # 4,591 shp
    ("C-130J", "", "mtow_kg", 74_389, "[8]"),  # 164,000 lb
    ("C-130J-30", "", "oew_kg", 35_966, "[9]"),
    ("C295", "", "mtow_kg", 23_200, "[13]"),
    ("CN-235", "", "oew_kg", 10_100, "[18]"),
    ("An-26", "", "mtow_kg", 24_230, "[20]"),
    ("An-32", "", "mtow_kg", 27_000, "[23]"),
    ("DHC-6", "", "mtow_kg", 5_670, "[28]"),  # 12,500 lb
    ("C208B", "", "max_fuel_kg", 1_009, "[1]"),  # 2,224 lb usable
    ("A400M", "", "mtow_kg", 141_000, "[1]"),
    ("A400M", "engine", "takeoff_power_kw", 8_200, "[11]"),  # 11,000 shp
    ("C-17A", "", "mtow_kg", 265_352, "[1]"),  # 585,000 lb
    ("C-17A", "engine", "takeoff_thrust_kn", 179.9, "[1]"),  # 40,440 lbf
    ("Il-76MD", "", "max_fuel_kg", 84_840, "[1]"),  # 109,480 L
    ("DHC-8-100", "", "mtow_kg", 15_649, "[6]"),  # 34,500 lb
    ("L-410", "", "mtow_kg", 6_600, "[1]"),
]


@pytest.mark.parametrize(("designator", "section", "name", "value", "ref"), GOLDEN)
def test_golden_figures(designator: str, section: str, name: str, value: float, ref: str) -> None:
    t = catalogue()[designator]
    holder: Any = getattr(t, section) if section else t
    assert getattr(holder, name) == value
    assert t.source_of(name).startswith(ref)


def test_golden_published_figures() -> None:
    # C-130H.toml: 'range with 40,000 lb payload 2,240 miles' [2] = 1,947 NM, fitted; and the
    # NCAR handbook's 6,300 ft balanced field at 155,000 lb, sea level, 15 °C [48].
    t = catalogue()["C-130H"]
    rng = next(p for p in t.published if p.kind == "range" and p.value == 1947)
    assert (rng.payload_kg, rng.source, rng.holdout, rng.excluded) == (18_144, "[2]", False, None)
    assert rng.unit == "NM" and rng.fitted
    bfl = next(p for p in t.published if p.kind == "balanced_field" and p.value == 1920)
    assert (bfl.weight_kg, bfl.elevation_ft, bfl.oat_c, bfl.surface) == (70_307, 0, 15, "paved")
    assert bfl.source == "[48]" and bfl.unit == "m"


# --- data rules (docs/aircraft-data.md) -----------------------------------------------------------

FEW_FIGURES_OK = {"DHC-6": 5, "C208B": 5}
"""The docs allow 5 published figures for these two (little public data); 8 for the others."""
TOO_FEW_FIGURES = {
    "C-130J": (
        "only 3 of the C-130J's 13 published figures are for the short C-130J; the other 10 "
        "are for the C-130J-30 or the MC-/HC-130J and are excluded (evidence in the file). "
        "The short J needs more public figures"
    ),
}


def _usable(t: AircraftType) -> list[Any]:
    return [p for p in t.published if not p.excluded]


@pytest.mark.parametrize(
    "designator",
    [
        pytest.param(d, marks=pytest.mark.xfail(strict=True, reason=TOO_FEW_FIGURES[d]))
        if d in TOO_FEW_FIGURES
        else d
        for d in TYPES
    ],
)
def test_enough_published_figures_of_enough_kinds(designator: str) -> None:
    usable = _usable(catalogue()[designator])
    assert len(usable) >= FEW_FIGURES_OK.get(designator, 8), [p.kind for p in usable]
    assert len({p.kind for p in usable}) >= 3, Counter(p.kind for p in usable)


@pytest.mark.parametrize("designator", TYPES)
def test_a_third_of_the_figures_is_held_out(designator: str) -> None:
    usable = _usable(catalogue()[designator])
    held_out = [p for p in usable if p.holdout]
    assert 3 * len(held_out) >= len(usable), f"{len(held_out)} of {len(usable)} held out"
    # ... and something is left to calibrate on.
    assert any(p.fitted for p in usable)


@pytest.mark.parametrize("designator", TYPES)
def test_excluded_figures_say_why(designator: str) -> None:
    for p in catalogue()[designator].published:
        if p.excluded is not None:
            assert len(p.excluded.strip()) >= 10, p
        assert p.conditions.strip(), f"{designator} {p.kind} {p.value:g}: no conditions"


# --- calibration ----------------------------------------------------------------------------------


def test_calibration_rows_name_shipped_types() -> None:
    assert set(_calibration_rows()) <= set(TYPES)


@pytest.mark.parametrize("designator", TYPES)
def test_calibration_factors_are_loaded(designator: str) -> None:
    row = _calibration_rows().get(designator, {})
    cal = catalogue()[designator].calibration
    assert cal == Calibration(**{k: float(v) for k, v in row.items()})
    for name in Calibration.__slots__:
        assert 0 < getattr(cal, name) < 10, name


# --- lookup ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "designator"),
    [
        ("C-130H", "C-130H"),  # designator as written
        ("c130h", "C-130H"),  # lower case, no hyphen
        (" c-130h ", "C-130H"),  # surrounding blanks
        ("Hercules", "C-130H"),  # alias
        ("c-130j-30", "C-130J-30"),  # must not stop at the C-130J prefix
        ("super hercules", "C-130J"),  # alias, case-insensitive
        ("twin otter", "DHC-6"),  # alias with a blank
        ("CASA C-295", "C295"),  # alias with punctuation
        ("caravan", "C208B"),
        ("an32", "An-32"),
        ("atlas", "A400M"),
        ("Globemaster", "C-17A"),
        ("c17", "C-17A"),
        ("IL-76", "Il-76MD"),  # the designator's case differs
        ("candid", "Il-76MD"),
        ("Dash 8", "DHC-8-100"),
        ("DHC-8", "DHC-8-100"),  # the file is DHC-8.toml, the designator DHC-8-100
        ("turbolet", "L-410"),
    ],
)
def test_lookup_by_designator_or_alias(query: str, designator: str) -> None:
    assert aircraft_type(query).designator == designator


def test_no_name_is_shared_by_two_types() -> None:
    def norm(name: str) -> str:
        return re.sub(r"[^A-Z0-9]", "", name.upper())

    owners: dict[str, set[str]] = {}
    for t in catalogue().values():
        for name in (t.designator, *t.aliases):
            owners.setdefault(norm(name), set()).add(t.designator)
    assert {k: v for k, v in owners.items() if len(v) > 1} == {}


def test_unknown_type_suggests_close_names() -> None:
    with pytest.raises(UnknownAircraft) as info:
        aircraft_type("C-130K")
    assert info.value.query == "C-130K"
    message = str(info.value)
    assert "C-130K" in message
    assert "C-130H" in message and "C-130J" in message
    # The close matches only, not the whole catalogue.
    assert "DHC-6" not in message


def test_unknown_type_with_no_close_match_still_suggests() -> None:
    with pytest.raises(UnknownAircraft) as info:
        aircraft_type("Concorde")
    assert "Concorde" in str(info.value)
    assert any(d in str(info.value) for d in TYPES)


# --- malformed type files -------------------------------------------------------------------------


def _edit(designator: str, old: str, new: str) -> str:
    """The shipped file with the first ``old`` replaced; fails loudly if ``old`` is not there,
    so that no case passes (or xfails) on an edit that did nothing."""
    text = _shipped_texts()[designator]
    assert old in text, f"{designator}: {old!r} not in the shipped file"
    return text.replace(old, new, 1)


def _figure_line(text: str, name: str) -> str:
    """The one line ``name = { value = ..., source = ... }`` of an entry in a type file."""
    (line,) = [ln for ln in text.splitlines() if ln.startswith(f"{name} = ")]
    return line


def _set(name: str, value: str, designator: str = "C-130H") -> str:
    """C-130H.toml with the entry ``name`` set to ``value`` (the TOML right of ``=``)."""
    text = _shipped_texts()[designator]
    return _edit(designator, _figure_line(text, name), f"{name} = {value}")


def _drop(name: str, designator: str = "C-130H") -> str:
    text = _shipped_texts()[designator]
    return _edit(designator, _figure_line(text, name) + "\n", "")


# The first [[published]] entry of C-130H.toml: 1,947 NM with 18,144 kg [2].
_FIRST = 'value = 1947\npayload_kg = 18144\nsource = "[2]"'


def _first_published(new: str) -> str:
    return _edit("C-130H", _FIRST, new)


BAD_FILES = [
    # not TOML at all: an unterminated string
    pytest.param('designator = "C-130H\n', "not valid TOML", id="bad-toml"),
    # propulsion picks the engine keys and the model: it must be stated
    pytest.param(
        _edit("C-130H", 'propulsion = "turboprop"\n', ""), "propulsion", id="no-propulsion"
    ),
    # a turboprop without its shaft power
    pytest.param(_drop("takeoff_power_kw"), "engine.takeoff_power_kw", id="turboprop-no-power"),
    # a turbofan without its consumption
    pytest.param(_drop("tsfc_kg_kn_h", "C-17A"), "engine.tsfc_kg_kn_h", id="turbofan-no-tsfc"),
    # a turboprop file declared a turbofan: the turbofan keys are missing
    pytest.param(
        _edit("C-130H", 'propulsion = "turboprop"', 'propulsion = "turbofan"'),
        "engine.takeoff_thrust_kn",
        id="wrong-propulsion",
    ),
    pytest.param(
        _edit("C-130H", 'normal_speed = "lrc"', 'normal_speed = "fast"'),
        "normal_speed 'fast'",
        id="unknown-normal-speed",
    ),
    # the published max cruise figure with a made-up schedule
    pytest.param(
        _edit("C-130H", 'speed = "mcr"', 'speed = "fast"'), "speed 'fast'", id="unknown-pub-speed"
    ),
    # a block-time condition on a range figure
    pytest.param(
        _first_published(_FIRST + "\ndistance_nm = 500"), "distance_nm", id="distance-on-range"
    ),
    # a field-length condition on a range figure
    pytest.param(
        _first_published(_FIRST + "\nweight_kg = 5000"), "weight_kg", id="weight-on-range"
    ),
    pytest.param(_first_published(_FIRST + "\nwet = true"), "wet", id="wet-on-range"),
    # NaN and infinity are valid TOML floats
    pytest.param(
        _first_published(_FIRST.replace("1947", "nan")), "published.0.value", id="nan-published"
    ),
    pytest.param(
        _first_published(_FIRST.replace("1947", "inf")), "published.0.value", id="inf-published"
    ),
    pytest.param(
        _first_published(_FIRST.replace("18144", "nan")), "published.0.payload_kg", id="nan-payload"
    ),
    pytest.param(_set("mtow_kg", '{ value = nan, source = "[1]" }'), "mtow_kg", id="nan-mtow"),
    pytest.param(_set("cd0", '{ value = nan, source = "assumption: x" }'), "cd0", id="nan-cd0"),
    # a published figure citing a reference [sources] does not list
    pytest.param(_first_published(_FIRST.replace("[2]", "[99]")), "[99]", id="pub-ref-missing"),
    pytest.param(
        _first_published(_FIRST.replace('"[2]"', '"an almanac"')),
        "published range 1947",
        id="pub-unsourced",
    ),
    pytest.param(
        _edit("C-130H", 'kind = "range"\nvalue = 1947', 'kind = "ferry"\nvalue = 1947'),
        "published.0.kind",
        id="unknown-kind",
    ),
    # a block time is meaningless without its distance
    pytest.param(
        _edit("C-130H", 'kind = "cruise_speed"\nvalue = 325', 'kind = "block_time"\nvalue = 325'),
        "distance_nm",
        id="block-time-no-distance",
    ),
    pytest.param(
        _first_published(_FIRST + "\ntolerance_pct = 0"), "tolerance_pct", id="zero-tolerance"
    ),
    pytest.param(
        _edit("C-130H", 'surface = "paved"', 'surface = "mud"'), "surface", id="unknown-surface"
    ),
    pytest.param(_shipped_texts()["C-130H"].split("[[published]]")[0], "published", id="none"),
    # a required figure is missing
    pytest.param(_drop("mtow_kg"), "mtow_kg", id="missing-figure"),
    pytest.param(_drop("cd0"), "aero.cd0", id="missing-aero"),
    # a figure citing [99], which [sources] does not list
    pytest.param(
        _set("mtow_kg", '{ value = 70307, source = "[99]" }'), "[99]", id="ref-not-in-sources"
    ),
    # a source that is neither a [ref] nor derived:/assumption:
    pytest.param(
        _set("oew_kg", '{ value = 36741, source = "a fact sheet" }'), "oew_kg", id="unsourced"
    ),
    pytest.param(_set("oew_kg", '{ value = 36741, source = "" }'), "oew_kg", id="empty-source"),
    pytest.param(_set("oew_kg", '{ value = 80000, source = "[2]" }'), "OEW", id="oew-above-mtow"),
    pytest.param(
        _set("mzfw_kg", '{ value = 75000, source = "[4]" }'), "MZFW", id="mzfw-above-mtow"
    ),
    # a speed of zero would divide by zero in the model
    pytest.param(
        _set("cruise_tas_kt", '{ value = 0, source = "[6]" }'), "cruise_tas_kt", id="zero-speed"
    ),
    pytest.param(_set("cd0", '{ value = 0, source = "assumption: x" }'), "cd0", id="zero-cd0"),
    pytest.param(_set("count", '{ value = 0, source = "[1]" }'), "count", id="no-engines"),
    # a typo'd key in a figure or at the top (extra fields are forbidden)
    pytest.param(
        _set("mtow_kg", '{ valeu = 70307, source = "[1]" }'), "mtow_kg", id="misspelt-key"
    ),
    pytest.param(
        _edit("C-130H", "military = true", "military = true\nmilitery = true"),
        "militery",
        id="misspelt-top-key",
    ),
]


@pytest.mark.parametrize(("text", "expected"), BAD_FILES)
def test_malformed_type_file_raises_data_file_error(text: str, expected: str) -> None:
    with pytest.raises(DataFileError) as info:
        parse_type_file(text, "aircraft/Broken.toml")
    message = str(info.value)
    assert message.startswith(("aircraft/Broken.toml: ", "aircraft/Broken.toml line ")), message
    assert expected in message
    assert "\n" not in message
    assert ": : " not in message and "Value error" not in message


FIGURES_THAT_BREAK_THE_MODEL = [
    # Figures that parse as numbers but would make the model or the planner compute with
    # nonsense: non-finite values, limits that contradict each other, a condition on the
    # wrong kind of figure, a note citing a reference the file does not list.
    pytest.param(
        _set("ceiling_ft", '{ value = nan, source = "[1]" }'),
        "ceiling_ft",
        id="nan-ceiling",
    ),
    pytest.param(
        _set("mtow_kg", '{ value = inf, source = "[1]" }'),
        "mtow_kg",
        id="inf-mtow",
    ),
    pytest.param(
        _set("seats", '{ value = nan, source = "[1]" }'),
        "seats",
        id="nan-seats",
    ),
    pytest.param(
        _set("ceiling_ft", '{ value = 0, source = "[1]" }'),
        "ceiling_ft",
        id="zero-ceiling",
    ),
    pytest.param(
        _set("mlw_kg", '{ value = 80000, source = "assumption: x" }'),
        "mlw_kg",
        id="mlw-above-mtow",
    ),
    pytest.param(
        _set("assault_landing_weight_kg", '{ value = 75000, source = "[4]" }'),
        "assault",
        id="assault-above-mlw",
    ),
    pytest.param(
        _set("max_fuel_kg", '{ value = 80000, source = "[7]" }'),
        "max_fuel_kg",
        id="fuel-above-mtow",
    ),
    pytest.param(
        _set("max_payload_kg", '{ value = 30000, source = "[4]" }'),
        "max_payload_kg",
        id="payload-above-mzfw",
    ),
    pytest.param(
        _edit("C-130H", "value = 1093\n", "value = 1093\nfactor = 1.5\n"),
        "factor",
        id="factor-on-takeoff",
    ),
    pytest.param(
        _set("mzfw_kg", '{ value = 55792, source = "derived: OEW [98] + payload [4]" }'),
        "[98]",
        id="derived-ref-missing",
    ),
]


@pytest.mark.parametrize(("text", "expected"), FIGURES_THAT_BREAK_THE_MODEL)
def test_figures_that_break_the_model_are_refused(text: str, expected: str) -> None:
    with pytest.raises(DataFileError, match=re.escape(expected)):
        parse_type_file(text, "aircraft/Broken.toml")


@pytest.mark.parametrize("designator", ["C-130H", "C-17A"])
def test_the_unedited_base_files_parse(designator: str) -> None:
    """The malformed cases above are edits of these files, so each fails for its own reason."""
    parsed = parse_type_file(_shipped_texts()[designator], f"{designator}.toml")
    assert parsed == catalogue()[designator]


def test_every_bad_file_case_is_an_edit() -> None:
    base = _shipped_texts()["C-130H"]
    texts = [p.values[0] for p in (*BAD_FILES, *FIGURES_THAT_BREAK_THE_MODEL)]
    assert all(isinstance(t, str) and t != base for t in texts)
    assert len(set(map(str, texts))) == len(texts)


def test_calibration_of_a_type_file_without_a_row_is_neutral() -> None:
    # A user type file (a designator calibration.toml does not know) flies the public figures.
    text = _edit("C-130H", 'designator = "C-130H"', 'designator = "C-130X"')
    t = parse_type_file(text, "aircraft/C-130X.toml")
    assert t.calibration == Calibration()
    assert math.isclose(t.mtow_kg, 70_307)
