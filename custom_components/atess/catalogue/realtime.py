"""The realtime fields per device kind, as Home Assistant sensor descriptions.

Everything here follows /work/shared/atess-api/FIELDS.md (the field catalogue): the `field` is the
probable ATESS spelling (Jackson lower-cases a leading "eX…"/"bX…": `echargeToday`, `bactivePower`),
`key` is that name lower-cased, the unit is the one the cloud is believed to SEND (HA converts), and
`source` names the strongest evidence for the meaning. Nothing here has been checked against a live
payload; entities are only created for keys that the device actually sends (FIELDS.md §1.2-12).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import Final

from homeassistant.components.sensor import SensorDeviceClass, SensorStateClass
from homeassistant.const import (
    PERCENTAGE,
    EntityCategory,
    UnitOfApparentPower,
    UnitOfElectricCurrent,
    UnitOfElectricPotential,
    UnitOfEnergy,
    UnitOfFrequency,
    UnitOfPower,
    UnitOfReactivePower,
    UnitOfTemperature,
    UnitOfTime,
)
from homeassistant.helpers.typing import StateType

from ..api import DeviceKind, Value
from .types import AtessSensorEntityDescription, Source, as_number

D = Source.DOC
T = Source.THIRD_PARTY
A = Source.APP
G = Source.GROWATT
R = Source.REGISTER
N = Source.INFERENCE

KW = UnitOfPower.KILO_WATT
W = UnitOfPower.WATT
KOHM = "kΩ"  # insulation resistance: HA has no device class for it

# Grid energy direction is UNRESOLVED (FIELDS.md §1.2 pitfall 3). The names and the third-party
# client say `egrid*` = import / `etoGrid*` = export (HPS), and by the same name logic
# `grid*` = import / `toGrid*` = export (PCS). The ATESS register map (88/90-91 "from grid",
# 94/96-97 "to grid") together with Growatt's register-pattern PCS example says the OPPOSITE for
# PCS. Once a live check settles it, swap the two prefixes of a kind here and nowhere else: the
# energy counters and their duration twins below are all built from this table.
GRID_DIRECTION: Final[Mapping[DeviceKind, Mapping[str, str]]] = {
    DeviceKind.HPS_BIG: {"import": "egrid", "export": "etoGrid"},
    DeviceKind.HPS_SMALL: {"import": "egrid", "export": "etoGrid"},
    DeviceKind.PCS: {"import": "grid", "export": "toGrid"},
}

# --- code lists (FIELDS.md §11) -----------------------------------------------------------------

# HPS/PCS running state, input register 180
RUN_STATE: Final[Mapping[int, str]] = {
    0: "waiting",
    1: "self_check",
    2: "on_grid",
    3: "fault",
    4: "permanent_fault",
    5: "off_grid",
    6: "single_pv",
    7: "to_off_grid",
    8: "to_on_grid",
}
# PBD running state, input register 206 (that `status` carries it is an inference)
PBD_STATE: Final[Mapping[int, str]] = {
    0: "hold",
    1: "check",
    2: "run",
    3: "error",
    4: "permanent_error",
    6: "single_pv",
}
# HPS/PCS operating mode, input register 192 (that `runModel` carries it is an inference)
RUN_MODE: Final[Mapping[int, str]] = {
    0: "peak",
    1: "flat",
    2: "valley",
    3: "diesel_generator",
    4: "battery_first",
    5: "load_first",
    6: "peak_shaving",
    7: "time_schedule",
    8: "ems",
    9: "dc_source",
    10: "manual_dispatch",
    11: "battery_protect",
    12: "backup_power",
    13: "pcs_dispatch",
    14: "forced_charging",
    15: "smart_meter",
    16: "bat_smart_meter",
    17: "grid_access_control",
}
# the app's flow-diagram flags (A): -1 / 0 / 1
BATTERY_FLOW: Final[Mapping[int, str]] = {-1: "charging", 0: "idle", 1: "discharging"}
GRID_FLOW: Final[Mapping[int, str]] = {-1: "importing", 0: "idle", 1: "exporting"}
ON_OFF: Final[Mapping[int, str]] = {0: "off", 1: "on"}


def _code(value: Value) -> int | None:
    """An integer code, or None (bools and fractional numbers are not codes)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
        return int(number) if number.is_integer() else None
    return None


def enum_value_fn(codes: Mapping[int, str]) -> Callable[[Value], StateType]:
    """Map a code to its option; unknown codes become None."""

    def convert(value: Value) -> StateType:
        code = _code(value)
        return None if code is None else codes.get(code)

    return convert


def power_factor_value(value: Value) -> StateType:
    """`loadPf` most likely arrives as PF x 100 (pitfall 7); values already in 0..1 pass."""
    number = as_number(value)
    if isinstance(number, (int, float)) and abs(number) > 1:
        return number / 100
    return number


def number_in_text(value: Value) -> StateType:
    """A number, also out of a pre-formatted string such as "3.312V" or "25℃"."""
    if isinstance(value, str):
        text = value.strip()
        end = 0
        while end < len(text) and (text[end].isdigit() or text[end] in "+-."):
            end += 1
        try:
            return as_number(float(text[:end]))
        except ValueError:
            return None
    return as_number(value)


# --- builders -----------------------------------------------------------------------------------

type Desc = AtessSensorEntityDescription


def _sensor(
    field: str,
    tk: str,
    source: Source,
    *,
    unit: str | None = None,
    device_class: SensorDeviceClass | None = None,
    state_class: SensorStateClass | None = SensorStateClass.MEASUREMENT,
    precision: int | None = None,
    diag: bool = False,
    value_fn: Callable[[Value], StateType] = as_number,
    options: list[str] | None = None,
    monotonic: bool = False,
) -> Desc:
    """One description; `diag` = diagnostic and disabled by default."""
    return AtessSensorEntityDescription(
        key=field.lower(),
        field=field,
        translation_key=tk,
        source=source,
        native_unit_of_measurement=unit,
        device_class=device_class,
        state_class=state_class,
        suggested_display_precision=precision,
        entity_category=EntityCategory.DIAGNOSTIC if diag else None,
        entity_registry_enabled_default=not diag,
        value_fn=value_fn,
        options=options,
        monotonic=monotonic,
    )


def power(field: str, tk: str, source: Source, unit: str = KW, *, diag: bool = False) -> Desc:
    """Active power, kW unless the cloud is known to send W."""
    precision = 0 if unit == W else 1
    return _sensor(
        field,
        tk,
        source,
        unit=unit,
        device_class=SensorDeviceClass.POWER,
        precision=precision,
        diag=diag,
    )


def apparent(field: str, tk: str, source: Source, *, diag: bool = False) -> Desc:
    """Apparent power in kVA."""
    return _sensor(
        field,
        tk,
        source,
        unit=UnitOfApparentPower.KILO_VOLT_AMPERE,
        device_class=SensorDeviceClass.APPARENT_POWER,
        precision=1,
        diag=diag,
    )


def reactive(field: str, tk: str, source: Source, *, diag: bool = False) -> Desc:
    """Reactive power in kvar."""
    return _sensor(
        field,
        tk,
        source,
        unit=UnitOfReactivePower.KILO_VOLT_AMPERE_REACTIVE,
        device_class=SensorDeviceClass.REACTIVE_POWER,
        precision=1,
        diag=diag,
    )


def energy(field: str, tk: str, source: Source, *, lifetime: bool) -> Desc:
    """An energy counter in kWh; lifetime counters never go down."""
    return _sensor(
        field,
        tk,
        source,
        unit=UnitOfEnergy.KILO_WATT_HOUR,
        device_class=SensorDeviceClass.ENERGY,
        state_class=SensorStateClass.TOTAL_INCREASING,
        precision=1,
        monotonic=lifetime,
    )


def voltage(field: str, tk: str, source: Source, *, diag: bool = False, precision: int = 1) -> Desc:
    """A voltage in V."""
    return _sensor(
        field,
        tk,
        source,
        unit=UnitOfElectricPotential.VOLT,
        device_class=SensorDeviceClass.VOLTAGE,
        precision=precision,
        diag=diag,
    )


def current(field: str, tk: str, source: Source, *, diag: bool = False) -> Desc:
    """A current in A."""
    return _sensor(
        field,
        tk,
        source,
        unit=UnitOfElectricCurrent.AMPERE,
        device_class=SensorDeviceClass.CURRENT,
        precision=1,
        diag=diag,
    )


def frequency(field: str, tk: str, source: Source, *, diag: bool = False) -> Desc:
    """A frequency in Hz."""
    return _sensor(
        field,
        tk,
        source,
        unit=UnitOfFrequency.HERTZ,
        device_class=SensorDeviceClass.FREQUENCY,
        precision=2,
        diag=diag,
    )


def temperature(field: str, tk: str, source: Source, *, diag: bool = True) -> Desc:
    """A temperature in °C; only ambient temperatures are enabled by default."""
    return _sensor(
        field,
        tk,
        source,
        unit=UnitOfTemperature.CELSIUS,
        device_class=SensorDeviceClass.TEMPERATURE,
        precision=1,
        diag=diag,
    )


def soc(field: str, tk: str, source: Source, *, diag: bool = False) -> Desc:
    """A state of charge in %."""
    return _sensor(
        field,
        tk,
        source,
        unit=PERCENTAGE,
        device_class=SensorDeviceClass.BATTERY,
        precision=0,
        diag=diag,
    )


def power_factor(
    field: str,
    tk: str,
    source: Source,
    value_fn: Callable[[Value], StateType] = as_number,
) -> Desc:
    """A power factor, 0..1, no unit."""
    return _sensor(
        field,
        tk,
        source,
        device_class=SensorDeviceClass.POWER_FACTOR,
        precision=2,
        value_fn=value_fn,
    )


def duration(field: str, tk: str, source: Source, unit: UnitOfTime) -> Desc:
    """A duration twin of an energy counter (FIELDS.md §2.7): today in min, total in h."""
    return _sensor(
        field,
        tk,
        source,
        unit=unit,
        device_class=SensorDeviceClass.DURATION,
        state_class=SensorStateClass.TOTAL_INCREASING,
        precision=1,
        diag=True,
    )


def enum(
    field: str, tk: str, source: Source, codes: Mapping[int, str], *, diag: bool = False
) -> Desc:
    """A status or mode code shown as one of its options."""
    return _sensor(
        field,
        tk,
        source,
        device_class=SensorDeviceClass.ENUM,
        state_class=None,
        options=list(codes.values()),
        value_fn=enum_value_fn(codes),
        diag=diag,
    )


def plain(
    field: str,
    tk: str,
    source: Source,
    *,
    unit: str | None = None,
    diag: bool = True,
) -> Desc:
    """A value without a device class.

    Codes, bit words and positions get no state class; a value with a unit HA has no device
    class for (efficiency, insulation resistance) is a measurement.
    """
    state_class = SensorStateClass.MEASUREMENT if unit else None
    return _sensor(field, tk, source, unit=unit, state_class=state_class, diag=diag)


# --- blocks shared by several kinds -------------------------------------------------------------


def self_time() -> Desc:
    """`selfTime`: start-up self-test time in s (A)."""
    return _sensor(
        "selfTime",
        "self_test_time",
        A,
        unit=UnitOfTime.SECONDS,
        device_class=SensorDeviceClass.DURATION,
        diag=True,
    )


def fault_words(count: int) -> tuple[Desc, ...]:
    """`sysFaultWord1…N`: alarm bit words (FIELDS.md §2.1)."""
    return tuple(plain(f"sysFaultWord{n}", f"fault_word_{n}", G) for n in range(1, count + 1))


def temperatures_1_to_6() -> tuple[Desc, ...]:
    """`temp1…6`: module 1-4, transformer, ambient (PCS register correlation, R≈G)."""
    return (
        *(temperature(f"temp{n}", f"module_temperature_{n}", R) for n in range(1, 5)),
        temperature("temp5", "transformer_temperature", R),
        temperature("temp6", "ambient_temperature", R, diag=False),
    )


def cell_extremes(*, diag: bool = True) -> tuple[Desc, ...]:
    """Highest / lowest cell voltage and temperature.

    The register holds mV; whether the cloud sends V or mV is unknown. V is assumed.
    """
    return (
        voltage("maxVolt", "max_cell_voltage", N, precision=3, diag=diag),
        voltage("minVolt", "min_cell_voltage", N, precision=3, diag=diag),
        temperature("maxTemp", "max_cell_temperature", N, diag=diag),
        temperature("minTemp", "min_cell_temperature", N, diag=diag),
    )


def cell_positions() -> tuple[Desc, ...]:
    """Where the extreme cells are (group / box / cell number), FIELDS.md §2.3."""
    return tuple(
        plain(field, tk, N)
        for field, tk in (
            ("maxVoltCell", "max_voltage_cell"),
            ("minVoltCell", "min_voltage_cell"),
            ("maxminVoltCell", "max_min_voltage_cell"),
            ("maxVoltNum", "max_voltage_cell_number"),
            ("minVoltNum", "min_voltage_cell_number"),
            ("minVoltGroup", "min_voltage_group"),
            ("maxTempNum", "max_temperature_cell_number"),
            ("minTempNum", "min_temperature_cell_number"),
            ("minTempGroup", "min_temperature_group"),
            ("maxMinTempCell", "max_min_temperature_cell"),
        )
    )


def bms_block() -> tuple[Desc, ...]:
    """BMS values reported inside an HPS/PCS/PBD record (FIELDS.md §2.3)."""
    return (
        current("maxChargeCurr", "max_charge_current", R, diag=True),
        current("maxDischargeCurr", "max_discharge_current", R, diag=True),
        # register 176 packs two bytes (battery status / system status): a plain code for now
        plain("bmsStatus", "bms_status", G),
        plain("bmsShowStatus", "bms_show_status", G),
        plain("bmsVoltStatus", "bms_voltage_status", G),
        plain("bmsProtection", "bms_protection", G),
        *cell_extremes(),
        *cell_positions(),
    )


def grid_energy(kind: DeviceKind, source: Source) -> tuple[Desc, ...]:
    """Grid import/export counters and their duration twins, per `GRID_DIRECTION`."""
    out: list[Desc] = []
    for direction, prefix in GRID_DIRECTION[kind].items():
        out.append(energy(f"{prefix}Today", f"grid_{direction}_today", source, lifetime=False))
        out.append(energy(f"{prefix}Total", f"grid_{direction}_total", source, lifetime=True))
        out.append(
            duration(f"{prefix}TimeToday", f"grid_{direction}_time_today", N, UnitOfTime.MINUTES)
        )
        out.append(
            duration(f"{prefix}TimeTotal", f"grid_{direction}_time_total", N, UnitOfTime.HOURS)
        )
    return tuple(out)


def app_generation() -> tuple[Desc, ...]:
    """`eToday`/`eTotal`: generation counters of the app's device lists (A)."""
    return (
        energy("eToday", "generation_today", A, lifetime=False),
        energy("eTotal", "generation_total", A, lifetime=True),
    )


# --- HPS central type (FIELDS.md §2, incl. the HPS100HV/150HV table) ----------------------------

_HPS_BIG: tuple[Desc, ...] = (
    # status
    enum("status", "status", R, RUN_STATE),
    enum("runModel", "run_mode", R, RUN_MODE),
    plain("runStatus", "run_status", G),
    plain("typeFlag", "parallel_flag", A),
    self_time(),
    *fault_words(9),
    enum("atsBypass", "ats_bypass", A, ON_OFF, diag=True),
    plain("dgGridSelect", "ac_source_select", G),
    plain("effectiveness", "efficiency", G, unit=PERCENTAGE),
    # PV. The docs' HPS100HV/150HV table (D) says ppv1 = TOTAL PV power and ppv = PV1 power
    # (pitfall 1); Growatt's non-HV meaning is the reverse. We follow the ATESS docs.
    power("ppv1", "pv_power", D),
    power("ppv", "pv1_power", D),
    power("ppv2", "pv2_power", D),
    power("ppv3", "pv3_power", D),
    # HV docs: vpv/vpv2 = PV1 +/- voltage, vpv3 = PV2 + (non-HV: vpv = PV voltage, pitfall 6)
    voltage("vpv", "pv1_positive_voltage", D, diag=True),
    voltage("vpv2", "pv1_negative_voltage", D, diag=True),
    voltage("vpv3", "pv2_positive_voltage", D, diag=True),
    voltage("pv1Volt", "pv1_voltage", D),
    voltage("pv2NegVolt", "pv2_negative_voltage", D, diag=True),
    voltage("pv2Volt", "pv2_voltage", D),
    voltage("pv3PosVolt", "pv3_positive_voltage", D, diag=True),
    voltage("pv3NegVolt", "pv3_negative_voltage", D, diag=True),
    voltage("pv3Volt", "pv3_voltage", D),
    current("ipv", "pv_current", T),
    current("ipv2", "pv2_current", G),
    current("ibuck1", "pv1_inductor_current", D, diag=True),
    current("ibuck2", "pv2_inductor_current", D, diag=True),
    current("bipvBuck3", "pv3_inductor_current", D, diag=True),
    # Growatt's ibuck3 would duplicate the documented bipvBuck3
    current("ibuck3", "pv3_inductor_current_ibuck", G, diag=True),
    current("ibuck4", "pv4_inductor_current", G, diag=True),
    current("ibuck5", "pv5_inductor_current", G, diag=True),
    energy("epvToday", "pv_energy_today", T, lifetime=False),
    energy("epvTotal", "pv_energy_total", G, lifetime=True),
    plain("mvpv", "mvpv", G),
    plain("pvpir1", "pv_positive_insulation", N, unit=KOHM),
    plain("pvnir1", "pv_negative_insulation", N, unit=KOHM),
    plain("insulDetecPosi", "insulation_positive", N, unit=KOHM),
    plain("insulDetecNega", "insulation_negative", N, unit=KOHM),
    # battery. `capacity` is the SOC in %, not a capacity (pitfall 4)
    soc("capacity", "state_of_charge", R),
    soc("soc", "state_of_charge_soc", A, diag=True),
    voltage("vbat", "battery_voltage", G),
    current("ibat", "battery_current", G),
    # A calls it battery power, G "inverter output power"; sign unverified (pitfall 8)
    power("pac", "battery_power", A),
    apparent("pac1", "output_apparent_power_1", G),
    # the app shows pac2 as the load apparent power
    apparent("pac2", "output_apparent_power_2", A),
    enum("batFlag", "battery_flow", A, BATTERY_FLOW),
    energy("echargeToday", "battery_charge_today", T, lifetime=False),
    energy("edischargeToday", "battery_discharge_today", T, lifetime=False),
    energy("ebatChargeTotal", "battery_charge_total", G, lifetime=True),
    energy("ebatDischargeTotal", "battery_discharge_total", G, lifetime=True),
    *bms_block(),
    voltage("bmstv", "bms_total_voltage", N, diag=True),
    current("bmstc", "bms_total_current", N, diag=True),
    plain("batpir", "battery_positive_insulation", N, unit=KOHM),
    plain("batnir", "battery_negative_insulation", N, unit=KOHM),
    # grid / bypass / diesel generator; bactivePower sign unverified (pitfall 8)
    power("bactivePower", "grid_power", A),
    enum("gridFlag", "grid_flow", A, GRID_FLOW),
    frequency("gridFreq", "grid_frequency", G),
    frequency("fac", "ac_frequency", T),
    frequency("bypassFreq", "bypass_frequency", R, diag=True),
    voltage("gvpvuv", "grid_voltage_uv", G),
    voltage("gvpvvw", "grid_voltage_vw", G),
    voltage("gvpvwu", "grid_voltage_wu", G),
    *grid_energy(DeviceKind.HPS_BIG, T),
    power("dgGridPower", "diesel_generator_power", A),
    enum("oilMachineEnable", "diesel_generator_present", A, ON_OFF, diag=True),
    # output / load
    power("loadActivePower", "load_power", T),
    reactive("loadReactivePower", "load_reactive_power", A),
    apparent("loadApparentPower", "load_apparent_power", T),
    power_factor("loadPf", "load_power_factor", A, power_factor_value),
    current("loadIa", "load_current_a", R),
    current("loadIb", "load_current_b", R),
    current("loadIc", "load_current_c", R),
    energy("eloadToday", "load_energy_today", T, lifetime=False),
    energy("eloadTotal", "load_energy_total", G, lifetime=True),
    power_factor("pf", "output_power_factor", R),
    plain("pfSymbol", "power_factor_sign", R),
    voltage("vpvuv", "output_voltage_uv", R),
    voltage("vpvvw", "output_voltage_vw", R),
    voltage("vpvwu", "output_voltage_wu", R),
    voltage("vpvun", "output_voltage_un", G),
    voltage("vpvvn", "output_voltage_vn", G),
    voltage("vpvwn", "output_voltage_wn", G),
    voltage("invuv", "inverter_voltage_uv", G, diag=True),
    voltage("invvw", "inverter_voltage_vw", G, diag=True),
    voltage("invwu", "inverter_voltage_wu", G, diag=True),
    current("ipvu", "output_current_u", G),
    current("ipvv", "output_current_v", G),
    current("ipvw", "output_current_w", G),
    # the third-party client sums these as "PV current": almost certainly wrong
    current("ipva", "inductor_current_a", G, diag=True),
    current("ipvb", "inductor_current_b", G, diag=True),
    current("ipvc", "inductor_current_c", G, diag=True),
    current("inductorCurr", "inductor_current", N, diag=True),
    reactive("rac", "reactive_power", N, diag=True),
    voltage("bvbus", "bus_voltage", D, diag=True),
    voltage("bvbusPosi", "bus_voltage_positive", R, diag=True),
    voltage("bvbusNega", "bus_voltage_negative", R, diag=True),
    *temperatures_1_to_6(),
    temperature("scrtemp", "scr_temperature", N),
    temperature("envTemp", "environment_temperature", A, diag=False),
    *app_generation(),
    # duration twins (grid ones come with grid_energy)
    duration("epvTimeToday", "pv_time_today", N, UnitOfTime.MINUTES),
    duration("epvTimeTotal", "pv_time_total", N, UnitOfTime.HOURS),
    duration("echargeTimeToday", "battery_charge_time_today", N, UnitOfTime.MINUTES),
    duration("edischargeTimeToday", "battery_discharge_time_today", N, UnitOfTime.MINUTES),
    duration("ebatChargeTimeTotal", "battery_charge_time_total", N, UnitOfTime.HOURS),
    duration("ebatDischargeTimeTotal", "battery_discharge_time_total", N, UnitOfTime.HOURS),
    duration("eloadTimeToday", "load_time_today", N, UnitOfTime.MINUTES),
    duration("eloadTimeTotal", "load_time_total", N, UnitOfTime.HOURS),
)

# --- HPS string type (FIELDS.md §3) -------------------------------------------------------------
# The docs give only the first (`bipvBuck1`) and last (`vpvwn`) key; everything else is the §2 key
# of the same name read by the third-party client (T) or assumed by analogy (N).

_HPS_SMALL: tuple[Desc, ...] = (
    current("bipvBuck1", "pv1_inductor_current", D, diag=True),
    *(current(f"bipvBuck{n}", f"pv{n}_inductor_current", N, diag=True) for n in range(2, 6)),
    voltage("vpvun", "output_voltage_un", N),
    voltage("vpvvn", "output_voltage_vn", N),
    voltage("vpvwn", "output_voltage_wn", D),
    # the third-party client calls ppv "the real one" on string type: total PV power here
    power("ppv", "pv_power", T),
    power("ppv1", "pv1_power", T),
    voltage("vpv", "pv_voltage", T),
    current("ipv", "pv_current", T),
    energy("epvToday", "pv_energy_today", T, lifetime=False),
    energy("epvTotal", "pv_energy_total", N, lifetime=True),
    energy("echargeToday", "battery_charge_today", T, lifetime=False),
    energy("edischargeToday", "battery_discharge_today", T, lifetime=False),
    energy("ebatChargeTotal", "battery_charge_total", N, lifetime=True),
    energy("ebatDischargeTotal", "battery_discharge_total", N, lifetime=True),
    *grid_energy(DeviceKind.HPS_SMALL, T),
    energy("eloadToday", "load_energy_today", T, lifetime=False),
    energy("eloadTotal", "load_energy_total", N, lifetime=True),
    frequency("fac", "ac_frequency", T),
    frequency("gridFreq", "grid_frequency", N),
    power("loadActivePower", "load_power", T),
    reactive("loadReactivePower", "load_reactive_power", N),
    apparent("loadApparentPower", "load_apparent_power", N),
    power_factor("loadPf", "load_power_factor", N, power_factor_value),
    current("loadIa", "load_current_a", N),
    current("loadIb", "load_current_b", N),
    current("loadIc", "load_current_c", N),
    enum("status", "status", N, RUN_STATE),
    soc("capacity", "state_of_charge", N),
    soc("soc", "state_of_charge_soc", N, diag=True),
    voltage("vbat", "battery_voltage", N),
    current("ibat", "battery_current", N),
    power("pac", "battery_power", N),
    enum("batFlag", "battery_flow", N, BATTERY_FLOW),
    *fault_words(9),
    *temperatures_1_to_6(),
    temperature("envTemp", "environment_temperature", N, diag=False),
)

# --- PCS (FIELDS.md §4) -------------------------------------------------------------------------

_PCS: tuple[Desc, ...] = (
    enum("status", "status", R, RUN_STATE),
    plain("typeFlag", "parallel_flag", A),
    self_time(),
    *fault_words(8),
    enum("atsBypass", "ats_bypass", A, ON_OFF, diag=True),
    plain("dgGridSelect", "ac_source_select", G),
    # bypass (= grid side in the app's flow diagram); sign unverified (pitfall 8)
    power("bactivePower", "grid_power", A),
    apparent("bapparentPower", "bypass_apparent_power", A),
    reactive("breactivePower", "bypass_reactive_power", A),
    current("bipvu", "bypass_current_u", R),
    current("bipvv", "bypass_current_v", R),
    current("bipvw", "bypass_current_w", R),
    voltage("bvpvuv", "grid_voltage_uv", R),
    voltage("bvpvvw", "grid_voltage_vw", R),
    voltage("bvpvwu", "grid_voltage_wu", R),
    # misleading names (pitfall 5): bvpv/bipv are the BATTERY voltage/current
    voltage("bvpv", "battery_voltage", R),
    current("bipv", "battery_current", R),
    power("pacToBattery", "battery_power", A),
    soc("capacity", "state_of_charge", R),
    power("pcsActivePower", "output_power", R),
    apparent("outApparentPower", "output_apparent_power", R),
    reactive("outReactivePower", "output_reactive_power", R),
    voltage("vacuv", "ac_voltage_uv", R),
    voltage("vacvw", "ac_voltage_vw", R),
    voltage("vacwu", "ac_voltage_wu", R),
    # misleading names (pitfall 5): vacu/vacv/vacw are output CURRENTS (registers 135-137)
    current("vacu", "output_current_u", R),
    current("vacv", "output_current_v", R),
    current("vacw", "output_current_w", R),
    voltage("vpvuv", "output_voltage_uv", R),
    voltage("vpvvw", "output_voltage_vw", R),
    voltage("vpvwu", "output_voltage_wu", R),
    current("i1a", "inductor_current_a", R, diag=True),
    current("i1b", "inductor_current_b", R, diag=True),
    current("i1c", "inductor_current_c", R, diag=True),
    frequency("vacFrequency", "output_frequency", A),
    # Growatt's example sends gridFreq unscaled (210): check on a live payload
    frequency("gridFreq", "grid_frequency", G),
    frequency("bypassFreq", "bypass_frequency", R, diag=True),
    power_factor("pf", "output_power_factor", A),
    plain("pfSymbol", "power_factor_sign", R),
    power("loadActivePower", "load_power", A),
    apparent("loadApparentPower", "load_apparent_power", R),
    reactive("loadReactivePower", "load_reactive_power", R),
    power_factor("loadPf", "load_power_factor", R, power_factor_value),
    current("loadIa", "load_current_a", R),
    current("loadIb", "load_current_b", R),
    current("loadIc", "load_current_c", R),
    energy("loadToday", "load_energy_today", R, lifetime=False),
    energy("loadTotal", "load_energy_total", R, lifetime=True),
    *grid_energy(DeviceKind.PCS, N),
    energy("echargeToday", "battery_charge_today", G, lifetime=False),
    energy("echargeTotal", "battery_charge_total", G, lifetime=True),
    energy("edischargeToday", "battery_discharge_today", G, lifetime=False),
    energy("edischargeTotal", "battery_discharge_total", G, lifetime=True),
    # names only; Growatt's raw keys are misspelt "Gird" (aliases are the reader's job)
    power("pacToGrid", "power_to_grid", N, diag=True),
    power("powerGird", "grid_power_value", N, diag=True),
    power("toPowerGird", "to_grid_power_value", N, diag=True),
    # total PV power is sent in W (Growatt example 108000 for 108 kW; the app formats it as W)
    power("ppv", "pv_power", A, W),
    # may be a daily value: not treated as a lifetime counter
    energy("pvEnergy", "pv_energy", N, lifetime=False),
    # the app formats it as W; the OpenAPI is assumed to send kW like other powers (pitfall 2)
    power("pbdOutPower", "pbd_output_power", A),
    enum("pbdFlag", "pbd_present", A, ON_OFF, diag=True),
    enum("gridInverterFlag", "grid_inverter_present", A, ON_OFF, diag=True),
    enum("oilMachineFlag", "diesel_generator_present", A, ON_OFF, diag=True),
    power("dgGridPower", "diesel_generator_power", A),
    plain("electricState", "electric_state", N),
    voltage("bvbus", "bus_voltage", R, diag=True),
    voltage("bvbusPosi", "bus_voltage_positive", R, diag=True),
    voltage("bvbusNega", "bus_voltage_negative", R, diag=True),
    plain("risoBatp", "battery_positive_insulation", N, unit=KOHM),
    plain("risoBatn", "battery_negative_insulation", N, unit=KOHM),
    plain("gfdi1", "ground_fault_1", N),
    plain("gfdi2", "ground_fault_2", N),
    *bms_block(),
    plain("mvpv", "mvpv", G),
    *temperatures_1_to_6(),
    temperature("envTemp", "environment_temperature", A, diag=False),
    *app_generation(),
    duration("echargeTimeToday", "battery_charge_time_today", N, UnitOfTime.MINUTES),
    duration("echargeTimeTotal", "battery_charge_time_total", N, UnitOfTime.HOURS),
    duration("edischargeTimeToday", "battery_discharge_time_today", N, UnitOfTime.MINUTES),
    duration("edischargeTimeTotal", "battery_discharge_time_total", N, UnitOfTime.HOURS),
    duration("loadTimeToday", "load_time_today", N, UnitOfTime.MINUTES),
    duration("loadTimeTotal", "load_time_total", N, UnitOfTime.HOURS),
)

# --- PBD (FIELDS.md §5) -------------------------------------------------------------------------


def _pv_strings() -> Iterable[Desc]:
    """PBD PV1-5: inductor current, voltage, current, power (kW)."""
    for n in range(1, 6):
        yield current(f"bipvBuck{n}", f"pv{n}_inductor_current", D if n == 1 else G, diag=True)
        yield voltage(f"vpv{n}", f"pv{n}_voltage", D if n == 5 else G)
        yield current(f"ipv{n}", f"pv{n}_current", G)
        yield power(f"ppv{n}", f"pv{n}_power", G)


_PBD: tuple[Desc, ...] = (
    enum("status", "pbd_status", R, PBD_STATE),
    plain("electricState", "electric_state", N),
    plain("typeFlag", "parallel_flag", A),
    self_time(),
    *fault_words(6),
    *_pv_strings(),
    voltage("vpv", "pv_voltage", G),
    current("ipv", "pv_current", G),
    # total PV power is sent in W (Growatt example 189000; the app formats it as W)
    power("ppv", "pv_power", A, W),
    # Growatt's raw key is misspelt `pbdOutPowe`; register "output power" is 0.1 kW
    power("pbdOutPower", "pbd_output_power", A),
    power("pbdBatPower", "battery_power", N),
    voltage("bvout", "dc_output_voltage", G),
    current("biout", "dc_output_current", G),
    voltage("bvbus", "bus_voltage", A),
    voltage("vbat", "battery_voltage", N),
    soc("capacity", "state_of_charge", N),
    energy("epvToday", "pv_energy_today", G, lifetime=False),
    energy("epvTotal", "pv_energy_total", G, lifetime=True),
    energy("eoutToday", "pbd_output_energy_today", G, lifetime=False),
    energy("eoutTotal", "pbd_output_energy_total", G, lifetime=True),
    energy("echargeToday", "battery_charge_today", G, lifetime=False),
    energy("echargeTotal", "battery_charge_total", G, lifetime=True),
    energy("edischargeToday", "battery_discharge_today", G, lifetime=False),
    energy("edischargeTotal", "battery_discharge_total", G, lifetime=True),
    duration("echargeTimeToday", "battery_charge_time_today", A, UnitOfTime.MINUTES),
    duration("echargeTimeTotal", "battery_charge_time_total", N, UnitOfTime.HOURS),
    duration("edischargeTimeToday", "battery_discharge_time_today", N, UnitOfTime.MINUTES),
    duration("edischargeTimeTotal", "battery_discharge_time_total", N, UnitOfTime.HOURS),
    duration("epvTimeToday", "pv_time_today", N, UnitOfTime.MINUTES),
    duration("epvTimeTotal", "pv_time_total", N, UnitOfTime.HOURS),
    temperature("temp", "device_temperature", R),
    temperature("temppvBuckL", "pv_inductor_temperature", N),
    temperature("temppvBuckModule", "pv_module_temperature", N),
    temperature("tempoutBuckL", "output_inductor_temperature", N),
    temperature("tempoutBuckModule", "output_module_temperature", N),
    temperature("envTemp", "environment_temperature", A, diag=False),
    plain("risoPVp", "pv_positive_insulation", N, unit=KOHM),
    plain("risoPVn", "pv_negative_insulation", N, unit=KOHM),
    plain("risoBatp", "battery_positive_insulation", N, unit=KOHM),
    plain("risoBatn", "battery_negative_insulation", N, unit=KOHM),
    plain("risoBusp", "bus_positive_insulation", N, unit=KOHM),
    plain("risoBusn", "bus_negative_insulation", N, unit=KOHM),
    plain("mvpv", "mvpv", G),
    *bms_block(),
    *app_generation(),
)

# --- BCU / MBMS (FIELDS.md §6.2, §7): the app's BMS model; OpenAPI keys not recovered ------------


def _bms_realtime() -> tuple[Desc, ...]:
    """Candidate realtime keys of a battery controller (A), energy counters by analogy (N)."""
    return (
        soc("soc", "state_of_charge", A),
        voltage("vbat", "battery_voltage", A),
        current("cbat", "battery_current", A),
        enum("batFlag", "battery_flow", A, BATTERY_FLOW),
        enum("sysStatus", "battery_system_flow", A, BATTERY_FLOW),
        # at rack level the cell extremes are the headline values: enabled
        *cell_extremes(diag=False),
        # the app's pre-formatted twins ("3.312", "25℃"), parsed to numbers
        _sensor(
            "maxVoltStr",
            "max_cell_voltage_text",
            A,
            unit=UnitOfElectricPotential.VOLT,
            device_class=SensorDeviceClass.VOLTAGE,
            precision=3,
            value_fn=number_in_text,
        ),
        _sensor(
            "minVoltStr",
            "min_cell_voltage_text",
            A,
            unit=UnitOfElectricPotential.VOLT,
            device_class=SensorDeviceClass.VOLTAGE,
            precision=3,
            value_fn=number_in_text,
        ),
        _sensor(
            "maxTempStr",
            "max_cell_temperature_text",
            A,
            unit=UnitOfTemperature.CELSIUS,
            device_class=SensorDeviceClass.TEMPERATURE,
            precision=1,
            value_fn=number_in_text,
        ),
        _sensor(
            "minTempStr",
            "min_cell_temperature_text",
            A,
            unit=UnitOfTemperature.CELSIUS,
            device_class=SensorDeviceClass.TEMPERATURE,
            precision=1,
            value_fn=number_in_text,
        ),
        energy("echargeToday", "battery_charge_today", N, lifetime=False),
        energy("echargeTotal", "battery_charge_total", N, lifetime=True),
        energy("edischargeToday", "battery_discharge_today", N, lifetime=False),
        energy("edischargeTotal", "battery_discharge_total", N, lifetime=True),
    )


SENSORS: Final[Mapping[DeviceKind, tuple[AtessSensorEntityDescription, ...]]] = {
    DeviceKind.BCU: _bms_realtime(),
    DeviceKind.MBMS: _bms_realtime(),
    DeviceKind.HPS_BIG: _HPS_BIG,
    DeviceKind.HPS_SMALL: _HPS_SMALL,
    DeviceKind.PBD: _PBD,
    DeviceKind.PCS: _PCS,
}


# Pitfall 1 of the field catalogue: the docs' table of PV fields is for the HPS100HV/HPS150HV.
# On the other central models Growatt's meaning applies (ppv = total PV power, ppv1 = PV1,
# vpv/vpv2 = PV1/PV2 voltage). Same fields and unique ids, other names. (On HV models vpv, vpv2
# and vpv3 are half-string voltages: disabled diagnostics, like the inductor currents.)
_NON_HV_HPS_BIG: Final[Mapping[str, tuple[str, Source]]] = {
    "ppv": ("pv_power", Source.GROWATT),
    "ppv1": ("pv1_power", Source.GROWATT),
    "vpv": ("pv1_voltage", Source.GROWATT),
    "vpv2": ("pv2_voltage", Source.GROWATT),
}


def descriptions_for(
    kind: DeviceKind, model: str | None = None
) -> dict[str, AtessSensorEntityDescription]:
    """The curated sensors of a device kind (and model), keyed by the lower-cased cloud field.

    The documented HV naming is kept when the model is unknown.
    """
    found = {description.key: description for description in SENSORS.get(kind, ())}
    if kind is DeviceKind.HPS_BIG and model and "HV" not in model.upper():
        for key, (translation_key, source) in _NON_HV_HPS_BIG.items():
            if key in found:
                # the HV half-string voltages are diagnostics; these are the PV voltages
                found[key] = replace(
                    found[key],
                    translation_key=translation_key,
                    source=source,
                    entity_category=None,
                    entity_registry_enabled_default=True,
                )
    return found
