"""Take-off and landing field lengths from point-mass physics: planning estimates, no AFM data.

Textbook methods (Raymer, *Aircraft Design: A Conceptual Approach*, ch. 17; Torenbeek,
*Synthesis of Subsonic Airplane Design*; Gudmundsson, *General Aviation Aircraft Design*):

Ground roll
    ``a = g [(T/W - mu) - rho S (CD - mu CL) V² / (2 W)]`` integrated in closed form,
    ``S = ln((A - B V0²) / (A - B V1²)) / (2 B)``, with the thrust of each segment taken at its
    root-mean-square speed (``0.71 V`` from rest, Raymer's rule), then rotation from V_R to
    V_LOF at constant acceleration.
Air distance
    Raymer's transition arc at load factor 1.2 and the mean of V_LOF and V_2, then a straight
    climb to the screen height.
Balanced field
    V1 solved (safeguarded Newton) where accelerate-stop (2 s at V1, then braking, no reverse)
    equals accelerate-go on the remaining engines to the screen; single-engine types:
    accelerate-stop from V1 = V_R.
Landing
    Raymer: 3° approach at 1.3 V_s, flare arc at 1.23 V_s and n = 1.2, touchdown at 1.15 V_s,
    free roll, then braking without reverse thrust.

Thrust: propellers from actuator-disc (momentum) theory with a figure of merit, which gives
both the static thrust and ``eta P / V`` at speed without a separate cap; turbofans as
``T0 (1 - V / V_jet)`` (momentum theory at constant mass flow). Both engine kinds are
flat-rated: full rating while the density ratio is above that of sea level at ISA+15 °C, then
``(sigma / sigma_flat)^0.75``.

Distances are metres, weights kg, speeds m/s inside. The type's ``calibration.takeoff`` and
``calibration.landing`` multiply the computed distances (1.0 = the physics as it stands).
Outside the model's validity (see :data:`MAX_PRESSURE_ALT_FT` and below) the result carries a
warning; an aircraft that cannot accelerate or climb gets ``math.inf`` and a warning.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from airlift.aircraft import AircraftType
from airlift.atmosphere import RHO0, T0_K, density_ratio, isa_temp_c
from airlift.errors import FieldError
from airlift.units import M_PER_FT, M_PER_NM, check_finite

G = 9.80665  # m/s², standard gravity

# --- speeds (multiples of the stall speed in the configuration) -----------------------------
VR_RATIO = 1.10  # rotation: Raymer's take-off speed 1.1 V_s (CS 25.107(e) asks V_R >= 1.05 V_MC)
VLOF_RATIO = 1.15  # lift-off, between rotation and V_2 (1.15-1.2 V_s in practice)
V2_RATIO = 1.20  # take-off safety speed: Raymer's 1.2 V_s (CS 25.107: >= 1.08-1.13 V_SR)
VREF_RATIO = 1.30
"""Approach speed over V_s in landing configuration, the classic 1.3 (military assault
approaches fly 1.2: lower it for them). Flare and touchdown speeds follow it."""
VFLARE_OVER_VREF = 1.23 / 1.30  # Raymer ch. 17: flare at 1.23 V_s, touchdown at 1.15 V_s
VTD_OVER_VREF = 1.15 / 1.30

# --- geometry of the air segments ----------------------------------------------------------
SCREEN_HEIGHT_M = 50.0 * M_PER_FT  # the 50-ft obstacle of take-off and landing distances
OEI_SCREEN_HEIGHT_CIVIL_M = 35.0 * M_PER_FT  # CS/FAR 25.113: one engine out, to 35 ft
OEI_SCREEN_HEIGHT_MILITARY_M = SCREEN_HEIGHT_M  # assumption: military planning keeps 50 ft
TRANSITION_LOAD_FACTOR = 1.2  # Raymer ch. 17: mean load factor in the transition/flare arc
MAX_CLIMB_ANGLE_RAD = math.radians(12.0)
"""Assumption: pilots hold V_2 + 10 kt at no more than about 15-18° of pitch, so the initial
flight path seldom exceeds 10-12° even when thrust would allow more (light, cold)."""
APPROACH_ANGLE_RAD = math.radians(3.0)  # Raymer ch. 17: 3° approach (steep STOL not modelled)

# --- times --------------------------------------------------------------------------------
SMALL_AIRCRAFT_MTOW_KG = 5700.0  # the CS-23/FAR 23 12,500-lb line between small and large
ROTATION_TIME_LARGE_S = 3.0  # Raymer ch. 17: about 3 s from V_R to lift-off, large aircraft
ROTATION_TIME_SMALL_S = 1.0  # Raymer ch. 17: about 1 s for small aircraft
FREE_ROLL_LARGE_S = 3.0  # Raymer ch. 17: free roll 1-3 s after touchdown before braking
FREE_ROLL_SMALL_S = 1.0
RTO_REACTION_S = 2.0  # CS/FAR 25.109: 2 s at V1 added to accelerate-stop before braking

# --- friction ----------------------------------------------------------------------------
ROLLING_FRICTION: dict[tuple[str, bool], float] = {
    # Raymer's friction table (ch. 17): 0.03-0.05 rolling on dry concrete/asphalt, 0.05 wet,
    # 0.04 firm dirt, 0.05 hard turf, 0.08 wet grass; Torenbeek uses ~0.02 for paved runways.
    ("paved", False): 0.025,
    ("paved", True): 0.03,  # standing water is not modelled: wet adds little rolling drag
    ("unpaved", False): 0.045,  # laterite / gravel, dry: between firm dirt and hard turf
    ("unpaved", True): 0.06,  # wet laterite softens; short of Raymer's wet grass
}
BRAKING_FRICTION: dict[tuple[str, bool], float] = {
    # Effective (anti-skid, whole stop) values, at the low end of Raymer's table (dry paved
    # 0.3-0.5, wet 0.15-0.3, firm dirt 0.3, wet grass 0.2): a planning value, not a test pilot's
    # best stop. Reverse thrust is not credited (civil practice for dispatch).
    ("paved", False): 0.35,
    ("paved", True): 0.20,
    ("unpaved", False): 0.25,
    ("unpaved", True): 0.15,
}

# --- aerodynamics in the take-off and landing configurations ------------------------------
DCD0_GEAR = 0.015  # assumption: extended main and nose gear, Raymer/Roskam 0.015-0.02
DCD0_TAKEOFF_FLAP = 0.010  # assumption: take-off flap setting, a few counts to 0.015
DCD0_LANDING_FLAP = 0.050  # assumption: full landing flap, Roskam's 0.05-0.08 range, low end
DCD0_ENGINE_OUT = 0.003
"""Assumption: feathered propeller (or windmilling fan) plus rudder/aileron trim drag after an
engine failure, a few drag counts."""
GROUND_CL_FRACTION = 0.25
"""Assumption: lift coefficient during the ground run (three-point attitude, flaps down) as a
share of CLmax in that configuration; sets the lift in the friction and drag terms."""
WING_HEIGHT_OVER_SPAN = 0.1  # assumption: high-wing transports, wing ~4 m up on a 40 m span
GROUND_EFFECT = (16.0 * WING_HEIGHT_OVER_SPAN) ** 2 / (1.0 + (16.0 * WING_HEIGHT_OVER_SPAN) ** 2)
"""Induced-drag factor in ground effect, (16 h/b)² / (1 + (16 h/b)²) as in Raymer ch. 12:
0.72 at h/b = 0.1."""

# --- engines ------------------------------------------------------------------------------
FLAT_RATED_SIGMA = T0_K / (T0_K + 15.0)
"""Density ratio at sea level and ISA+15 °C. Assumption: turboprops and fans are flat-rated
to about ISA+15 and keep their full take-off rating while the air is denser than this."""
DENSITY_LAPSE_EXP = 0.75  # the same sigma^0.75 as the cruise model (performance.pointmass)
PROP_DIAMETER_K_M = 0.52
"""Propeller diameter D = K P^0.25 (m, P in kW per engine): Raymer's statistical estimate
(three-blade value); gives 4.0 m for a 3,430 kW T56 (actual 4.1 m) and 2.4 m for a 460 kW
PT6A-27 (actual 2.6 m)."""
PROP_FIGURE_OF_MERIT = 0.80
"""Share of shaft power the actuator disc turns into ideal (induced + useful) power: the
static figure of merit, 0.75-0.85 for good propellers; it also sets eta = 0.80 x the Froude
efficiency in forward flight. Static thrust comes out at about 18 N/kW (3 lbf/shp) for the
C-130 and 25 N/kW for the DHC-6, the usual range for turboprops."""
FAN_JET_VELOCITY_MS = 350.0
"""Mean static exhaust velocity of a transport turbofan (specific thrust): about 340 m/s for
the PW2000/F117 (170-180 kN, ~550 kg/s), 420 m/s for the D-30KP; with constant mass flow the
thrust falls as T0 (1 - V / V_jet), 0.81 T0 at Mach 0.2."""

# --- validity -----------------------------------------------------------------------------
MAX_PRESSURE_ALT_FT = 10_000.0  # flat-rating and drag assumptions unchecked above (La Paz: AFM)
MIN_PRESSURE_ALT_FT = -2_000.0  # below the Dead Sea (-1,400 ft) is an input error
OAT_VALID_C = (-40.0, 55.0)  # flat-rating and friction assumptions hold in this range
OAT_INPUT_C = (-60.0, 60.0)  # as atmosphere.check_oat: beyond is a typing error, not weather
MAX_WEIGHT_OVER_MTOW = 1.2  # beyond, speeds and loads are outside anything the type flies
REVERSE_SHARE = {"turboprop": 0.40, "turbofan": 0.30}
"""Reverse thrust as a share of static take-off thrust, held through the roll. Assumption:
propellers in reverse pitch give 35-50 %, fan cascade reversers 30-40 % (Torenbeek; Raymer
ch. 17), less at low speed for fans; planning values."""
DEFAULT_LANDING_FACTOR = 1.0 / 0.6  # FAR 121.195, EASA CAT.POL.A.230: stop in 60 % of the LDA
WET_LANDING_FACTOR = 1.15  # FAR 121.195(d), CAT.POL.A.235: wet needs 115 % of the dry figure

SURFACES = ("paved", "unpaved")
TAKEOFF_BASES = ("ground_roll", "distance_50ft", "balanced_field")
LANDING_BASES = ("ground_roll", "distance_50ft", "landing_distance")


@dataclass(frozen=True, slots=True)
class TakeoffDistances:
    """Take-off distances in metres, ``balanced_field_m >= distance_50ft_m >= ground_roll_m``.

    ``balanced_field_m`` is accelerate-stop = accelerate-go with one engine inoperative (for a
    single-engine type: accelerate-stop from V1 = V_R), never less than the all-engine distance
    over 50 ft. ``warnings`` says where the model left its validity; ``inf`` means the aircraft
    cannot accelerate or climb in that case.
    """

    ground_roll_m: float
    distance_50ft_m: float
    balanced_field_m: float
    warnings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LandingDistances:
    """Landing distances in metres; ``landing_distance_m = factor * distance_50ft_m``.

    ``factor`` is the one applied: the dry factor asked for, times 1.15 on a wet runway.
    """

    ground_roll_m: float
    distance_50ft_m: float
    landing_distance_m: float
    factor: float
    warnings: tuple[str, ...]


# --- public functions ---------------------------------------------------------------------


def takeoff(
    t: AircraftType,
    weight_kg: float,
    *,
    pressure_alt_ft: float = 0.0,
    oat_c: float | None = None,
    surface: str = "paved",
    wet: bool = False,
) -> TakeoffDistances:
    """Take-off ground roll, distance over 50 ft and balanced field length (m).

    ``weight_kg`` take-off weight; ``pressure_alt_ft`` field pressure altitude (ft);
    ``oat_c`` outside air temperature (°C), None for ISA at that altitude; ``surface``
    ``"paved"`` or ``"unpaved"``; ``wet`` runway wet (rolling and braking friction).
    """
    warnings: list[str] = []
    rho = _density(t, weight_kg, pressure_alt_ft, oat_c, surface, warnings)
    run = _TakeoffRun.of(t, weight_kg * G, rho, surface, wet)
    n = t.engine.count

    # All engines: accelerate to V_R, rotate to V_LOF, transition and climb to 50 ft.
    acc = G * (n * run.thrust(run.vr * math.sqrt(0.5)) / run.w - run.mu)  # at RMS speed
    b = run.drag_b * (run.cd_ground - run.mu * run.cl_ground)
    if acc - b * run.vlof**2 <= 0.0:
        warnings.append(
            f"thrust too low to accelerate to lift-off ({_kt(run.vlof):.0f} kt TAS) at "
            f"{weight_kg:,.0f} kg: no take-off possible"
        )
        return _takeoff_result(t, math.inf, math.inf, math.inf, warnings)
    to_vr = _segment(acc, b, 0.0, run.vr**2)
    ground = to_vr + run.rotation
    d50 = ground + run.air(n, 0.0, SCREEN_HEIGHT_M)
    if math.isinf(d50):
        warnings.append(f"cannot climb with all engines at {weight_kg:,.0f} kg")

    brake_a = -G * run.mu_brake
    brake_b = run.drag_b * (run.cd_ground - run.mu_brake * run.cl_ground)
    if n < 2:  # nothing to continue on: accelerate-stop from V1 = V_R
        bfl = to_vr + run.vr * RTO_REACTION_S + _segment(brake_a, brake_b, run.vr**2, 0.0)
        return _takeoff_result(t, ground, d50, max(bfl, d50), warnings)

    # Engine-out thrust at 0.95 V_R: the RMS speed of a V1 ~ 0.9 V_R .. V_R segment.
    oei_acc = G * ((n - 1) * run.thrust(0.95 * run.vr) / run.w - run.mu)
    oei_b = run.drag_b * (run.cd_ground + DCD0_ENGINE_OUT - run.mu * run.cl_ground)
    screen = OEI_SCREEN_HEIGHT_MILITARY_M if t.military else OEI_SCREEN_HEIGHT_CIVIL_M
    oei_air = run.air(n - 1, DCD0_ENGINE_OUT, screen)
    reaches_vlof = oei_acc - oei_b * run.vlof**2 > 0.0
    if not reaches_vlof or math.isinf(oei_air):
        failed = "climb" if reaches_vlof else "accelerate to lift-off"
        warnings.append(
            f"one engine inoperative, the aircraft cannot {failed} at {weight_kg:,.0f} kg: "
            "no balanced field length"
        )
        return _takeoff_result(t, ground, d50, math.inf, warnings)
    bfl = _balanced(acc, b, oei_acc, oei_b, brake_a, brake_b, run.vr**2, run.rotation + oei_air)
    return _takeoff_result(t, ground, d50, max(bfl, d50), warnings)


def landing(
    t: AircraftType,
    weight_kg: float,
    *,
    pressure_alt_ft: float = 0.0,
    oat_c: float | None = None,
    surface: str = "paved",
    wet: bool = False,
    factor: float | None = None,
    reverse: bool = False,
) -> LandingDistances:
    """Landing ground roll, distance from 50 ft and factored landing distance (m).

    ``factor`` is the dry-runway factor on the distance from 50 ft (default 1/0.6 = 1.667,
    civil dispatch); on a wet runway it is multiplied by 1.15. ``reverse`` credits reverse
    thrust (propeller reverse pitch or fan reversers) from the end of the free roll, as
    military flight manuals do; civil dispatch does not. Other arguments as :func:`takeoff`.
    """
    warnings: list[str] = []
    rho = _density(t, weight_kg, pressure_alt_ft, oat_c, surface, warnings)
    dry_factor = (
        DEFAULT_LANDING_FACTOR if factor is None else check_finite("factor", factor, minimum=1.0)
    )
    applied = dry_factor * (WET_LANDING_FACTOR if wet else 1.0)
    w = weight_kg * G
    a = t.aero
    s = a.wing_area_m2
    vs = math.sqrt(2.0 * w / (rho * s * a.cl_max_landing))
    vref = VREF_RATIO * vs
    vf, vtd = VFLARE_OVER_VREF * vref, VTD_OVER_VREF * vref

    radius = vf * vf / (G * (TRANSITION_LOAD_FACTOR - 1.0))
    flare_height = radius * (1.0 - math.cos(APPROACH_ANGLE_RAD))
    approach = max(SCREEN_HEIGHT_M - flare_height, 0.0) / math.tan(APPROACH_ANGLE_RAD)
    air = approach + radius * math.sin(APPROACH_ANGLE_RAD)
    free_roll = (FREE_ROLL_SMALL_S if _small(t) else FREE_ROLL_LARGE_S) * vtd
    mu_b = BRAKING_FRICTION[surface, wet]
    cl_g = GROUND_CL_FRACTION * a.cl_max_landing
    cd_g = a.cd0 + DCD0_GEAR + DCD0_LANDING_FLAP + GROUND_EFFECT * a.induced_k * cl_g * cl_g
    rev = REVERSE_SHARE[t.propulsion] * t.engine.count * _thrust_model(t, rho)(0.0)
    decel = -G * mu_b - (rev * G / w if reverse else 0.0)
    braking = _segment(decel, G * rho * s * (cd_g - mu_b * cl_g) / (2.0 * w), vtd * vtd, 0.0)

    cal = t.calibration.landing
    ground = (free_roll + braking) * cal
    d50 = ground + air * cal
    return LandingDistances(
        ground_roll_m=ground,
        distance_50ft_m=d50,
        landing_distance_m=applied * d50,
        factor=applied,
        warnings=tuple(warnings),
    )


def max_takeoff_weight_kg(
    t: AircraftType,
    available_m: float,
    *,
    basis: str,
    pressure_alt_ft: float = 0.0,
    oat_c: float | None = None,
    surface: str = "paved",
    wet: bool = False,
) -> float:
    """The highest take-off weight (kg, to 0.25 kg) whose ``basis`` distance fits ``available_m``.

    ``basis``: ``"ground_roll"``, ``"distance_50ft"`` or ``"balanced_field"``. The search
    stops at 1.2 x MTOW (the model's validity; the structural limit is the caller's) and gives
    0.0 when not even a near-empty aircraft fits.
    """
    if basis not in TAKEOFF_BASES:
        raise FieldError("basis", f"basis {basis!r}: use {', '.join(TAKEOFF_BASES)}")
    attr = f"{basis}_m"
    available = check_finite("available_m", available_m)

    def distance(weight: float) -> float:
        d = takeoff(
            t, weight, pressure_alt_ft=pressure_alt_ft, oat_c=oat_c, surface=surface, wet=wet
        )
        return float(getattr(d, attr))

    return _max_weight(distance, available, MAX_WEIGHT_OVER_MTOW * t.mtow_kg)


def max_landing_weight_kg(
    t: AircraftType,
    available_m: float,
    *,
    basis: str,
    pressure_alt_ft: float = 0.0,
    oat_c: float | None = None,
    surface: str = "paved",
    wet: bool = False,
    factor: float | None = None,
    reverse: bool = False,
) -> float:
    """The highest landing weight (kg, to 0.25 kg) whose ``basis`` distance fits ``available_m``.

    ``basis``: ``"ground_roll"``, ``"distance_50ft"`` or ``"landing_distance"`` (factored,
    see :func:`landing`). Searched up to 1.2 x MTOW; 0.0 when nothing fits.
    """
    if basis not in LANDING_BASES:
        raise FieldError("basis", f"basis {basis!r}: use {', '.join(LANDING_BASES)}")
    attr = f"{basis}_m"
    available = check_finite("available_m", available_m)

    def distance(weight: float) -> float:
        d = landing(
            t,
            weight,
            pressure_alt_ft=pressure_alt_ft,
            oat_c=oat_c,
            surface=surface,
            wet=wet,
            factor=factor,
            reverse=reverse,
        )
        return float(getattr(d, attr))

    return _max_weight(distance, available, MAX_WEIGHT_OVER_MTOW * t.mtow_kg)


# --- the pieces ---------------------------------------------------------------------------


def _density(
    t: AircraftType,
    weight_kg: float,
    pressure_alt_ft: float,
    oat_c: float | None,
    surface: str,
    warnings: list[str],
) -> float:
    """Check the inputs, note validity warnings, return the air density (kg/m³)."""
    if check_finite("weight_kg", weight_kg) <= 0.0:
        raise FieldError("weight_kg", f"weight_kg must be > 0, got {weight_kg:g}")
    alt = check_finite("pressure_alt_ft", pressure_alt_ft, minimum=MIN_PRESSURE_ALT_FT)
    oat = isa_temp_c(alt) if oat_c is None else check_finite("oat_c", oat_c, minimum=None)
    if not OAT_INPUT_C[0] <= oat <= OAT_INPUT_C[1]:
        raise FieldError("oat_c", f"oat_c must be between -60 and 60 °C, got {oat:g}")
    if surface not in SURFACES:
        raise FieldError("surface", f"surface {surface!r}: use paved or unpaved")
    if alt > MAX_PRESSURE_ALT_FT:
        warnings.append(
            f"pressure altitude {alt:,.0f} ft is above the model's {MAX_PRESSURE_ALT_FT:,.0f} ft"
        )
    if not OAT_VALID_C[0] <= oat <= OAT_VALID_C[1]:
        warnings.append(
            f"OAT {oat:.0f} °C is outside the model's {OAT_VALID_C[0]:.0f}..{OAT_VALID_C[1]:.0f} °C"
        )
    if weight_kg > MAX_WEIGHT_OVER_MTOW * t.mtow_kg:
        warnings.append(
            f"weight {weight_kg:,.0f} kg is above {MAX_WEIGHT_OVER_MTOW:g} x MTOW "
            f"({MAX_WEIGHT_OVER_MTOW * t.mtow_kg:,.0f} kg), outside the model"
        )
    if surface == "unpaved" and not t.unpaved_approved:
        warnings.append(f"{t.designator} is not approved on unpaved strips")
    return RHO0 * density_ratio(alt, oat)


def _small(t: AircraftType) -> bool:
    return t.mtow_kg <= SMALL_AIRCRAFT_MTOW_KG


def _kt(v_ms: float) -> float:
    return v_ms * 3600.0 / M_PER_NM


@dataclass(slots=True)  # not frozen: a frozen __init__ costs 2 µs of the ~20 µs budget
class _TakeoffRun:
    """What every take-off segment shares: weight N, density kg/m³, speeds m/s, coefficients."""

    t: AircraftType
    w: float
    rho: float
    vr: float
    vlof: float
    vtr: float  # transition: mean of V_LOF and V_2 (Raymer)
    rotation: float  # distance from V_R to V_LOF, m
    mu: float
    mu_brake: float
    cl_ground: float
    cd_ground: float  # gear, take-off flap and induced drag in ground effect
    cd0_air: float  # gear and take-off flap, out of ground effect
    drag_b: float  # g rho S / 2W: times (CD - mu CL) it is the B of a = A - B V²
    thrust: Callable[[float], float]  # one engine, N, at a TAS in m/s

    @classmethod
    def of(cls, t: AircraftType, w: float, rho: float, surface: str, wet: bool) -> _TakeoffRun:
        a = t.aero
        vs = math.sqrt(2.0 * w / (rho * a.wing_area_m2 * a.cl_max_takeoff))
        vr, vlof = VR_RATIO * vs, VLOF_RATIO * vs
        cl_ground = GROUND_CL_FRACTION * a.cl_max_takeoff
        cd0_air = a.cd0 + DCD0_GEAR + DCD0_TAKEOFF_FLAP
        rotation_s = ROTATION_TIME_SMALL_S if _small(t) else ROTATION_TIME_LARGE_S
        return cls(
            t=t,
            w=w,
            rho=rho,
            vr=vr,
            vlof=vlof,
            vtr=0.5 * (VLOF_RATIO + V2_RATIO) * vs,
            rotation=rotation_s * 0.5 * (vr + vlof),
            mu=ROLLING_FRICTION[surface, wet],
            mu_brake=BRAKING_FRICTION[surface, wet],
            cl_ground=cl_ground,
            cd_ground=cd0_air + GROUND_EFFECT * a.induced_k * cl_ground**2,
            cd0_air=cd0_air,
            drag_b=G * rho * a.wing_area_m2 / (2.0 * w),
            thrust=_thrust_model(t, rho),
        )

    def air(self, engines: int, extra_cd0: float, screen_m: float) -> float:
        """Air distance (m) from lift-off to ``screen_m`` on ``engines`` engines."""
        a = self.t.aero
        return _air_distance(
            engines * self.thrust(self.vtr),
            self.w,
            self.rho,
            a.wing_area_m2,
            self.cd0_air + extra_cd0,
            a.induced_k,
            self.vtr,
            screen_m,
        )


def _thrust_model(t: AircraftType, rho: float) -> Callable[[float], float]:
    """Take-off thrust (N) of one engine as a function of true airspeed (m/s) in air ``rho``."""
    e = t.engine
    lapse = min(1.0, math.pow(rho / RHO0 / FLAT_RATED_SIGMA, DENSITY_LAPSE_EXP))
    if t.propulsion == "turbofan":
        static = (e.takeoff_thrust_kn or 0.0) * 1000.0 * lapse
        return lambda v: static * max(0.0, 1.0 - v / FAN_JET_VELOCITY_MS)
    power_kw = e.takeoff_power_kw or 0.0
    if power_kw <= 0.0:  # the loader forbids it; a hand-built type gets "cannot accelerate"
        return lambda v: 0.0
    diameter = PROP_DIAMETER_K_M * math.sqrt(math.sqrt(power_kw))
    c = 2.0 * rho * math.pi * 0.25 * diameter * diameter  # 2 rho A
    p = PROP_FIGURE_OF_MERIT * power_kw * 1000.0 * lapse  # ideal power at the disc, W
    static_induced = math.cbrt(p / c)

    def thrust(v: float) -> float:
        # Actuator disc: thrust T = c x (v + x) and ideal power T (v + x) = p, for the induced
        # velocity x. f(x) = c x (v + x)² - p is convex and rising: Newton from above (both
        # starting guesses bound x from above) converges monotonically.
        x = static_induced if v <= 0.0 else min(static_induced, p / (c * v * v))
        for _ in range(50):
            vx = v + x
            dx = (c * x * vx * vx - p) / (c * vx * (v + 3.0 * x))
            x -= dx
            if dx <= 1e-12 * x:
                break
        return c * x * (v + x)

    return thrust


def _segment(acc: float, b: float, u0: float, u1: float) -> float:
    """Distance (m) to go from V² = ``u0`` to ``u1`` (m²/s²) under a = acc - b V².

    The closed form ln((acc - b u0) / (acc - b u1)) / (2 b); ``inf`` when the acceleration
    reaches zero on the way (the speed is never reached).
    """
    den0, den1 = acc - b * u0, acc - b * u1
    if den0 == 0.0 or den0 * den1 <= 0.0 or (u1 - u0) / den0 < 0.0:
        return math.inf
    y = b * (u1 - u0) / den0
    if abs(y) < 1e-9:  # b ~ 0: constant acceleration, avoid 0/0
        return (u1 - u0) / (2.0 * den0) * (1.0 + 0.5 * y)
    return -math.log1p(-y) / (2.0 * b)


def _air_distance(
    thrust_n: float, w: float, rho: float, s: float, cd0: float, k: float, v: float, h: float
) -> float:
    """Raymer's transition arc (n = 1.2) and climb to height ``h`` (m) at speed ``v`` (m/s)."""
    q = 0.5 * rho * v * v
    cl = w / (q * s)
    sin_gamma = (thrust_n - q * s * (cd0 + k * cl * cl)) / w
    if sin_gamma <= 0.0:
        return math.inf
    gamma = min(math.asin(min(sin_gamma, 1.0)), MAX_CLIMB_ANGLE_RAD)
    radius = v * v / (G * (TRANSITION_LOAD_FACTOR - 1.0))
    h_transition = radius * (1.0 - math.cos(gamma))
    if h_transition >= h:  # the screen is cleared inside the arc
        return math.sqrt(radius * radius - (radius - h) ** 2)
    return radius * math.sin(gamma) + (h - h_transition) / math.tan(gamma)


def _balanced(
    acc: float,
    b: float,
    oei_acc: float,
    oei_b: float,
    brake_a: float,
    brake_b: float,
    ur: float,
    go_fixed: float,
) -> float:
    """Balanced field length (m): V1² in [0, ``ur``] where accelerate-stop = accelerate-go.

    Both share the all-engine run to V1, so the root is of (stop after V1) - (go after V1):
    ``V1 t_react + braking(V1) - [OEI run V1..V_R + go_fixed]``, which rises with V1. When even
    V1 = V_R stops shorter than it goes, V1 = V_R and the go distance decides.
    """

    def excess(u: float) -> float:
        stop = math.sqrt(u) * RTO_REACTION_S + _segment(brake_a, brake_b, u, 0.0)
        return stop - _segment(oei_acc, oei_b, u, ur) - go_fixed

    if excess(ur) <= 0.0:
        return _segment(acc, b, 0.0, ur) + go_fixed
    lo, hi, u = 0.0, ur, ur
    for _ in range(100):
        d = excess(u)
        if d > 0.0:
            hi = u
        else:
            lo = u
        slope = (
            0.5 * RTO_REACTION_S / math.sqrt(u)
            + 0.5 / (brake_b * u - brake_a)
            + 0.5 / (oei_acc - oei_b * u)
        )
        nxt = u - d / slope
        if not lo < nxt < hi:  # keep Newton inside the bracket
            nxt = 0.5 * (lo + hi)
        if abs(nxt - u) <= 1e-13 * ur:
            u = nxt
            break
        u = nxt
    return (
        _segment(acc, b, 0.0, u)
        + math.sqrt(u) * RTO_REACTION_S
        + _segment(brake_a, brake_b, u, 0.0)
    )


def _takeoff_result(
    t: AircraftType, ground: float, d50: float, bfl: float, warnings: list[str]
) -> TakeoffDistances:
    cal = t.calibration.takeoff
    return TakeoffDistances(
        ground_roll_m=ground * cal,
        distance_50ft_m=d50 * cal,
        balanced_field_m=bfl * cal,
        warnings=tuple(warnings),
    )


def _max_weight(distance: Callable[[float], float], available_m: float, hi: float) -> float:
    # Every distance rises with weight: bisection to 0.25 kg.
    if distance(hi) <= available_m:
        return hi
    lo = 0.0
    while hi - lo > 0.25:
        mid = 0.5 * (lo + hi)
        if distance(mid) <= available_m:
            lo = mid
        else:
            hi = mid
    return lo
