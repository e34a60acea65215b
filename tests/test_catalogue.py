"""The field catalogue: consistency, units, translations, value conversion."""

from __future__ import annotations

from dataclasses import replace
import json
from pathlib import Path
import re
from typing import Any

from homeassistant.components.number.const import DEVICE_CLASS_UNITS as NUMBER_UNITS
from homeassistant.components.sensor import SensorDeviceClass, SensorStateClass
from homeassistant.components.sensor.const import (
    DEVICE_CLASS_STATE_CLASSES,
    DEVICE_CLASS_UNITS as SENSOR_UNITS,
)
from homeassistant.const import EntityCategory, UnitOfEnergy
import pytest

from custom_components.atess.api import DeviceKind
from custom_components.atess.catalogue import (
    AtessSensorEntityDescription,
    SettingPlatform,
    SettingSpec,
)
from custom_components.atess.catalogue.codes import BATTERY_FLOW, RUN_STATE
from custom_components.atess.catalogue.realtime import SENSORS, descriptions_for, everyday
from custom_components.atess.catalogue.realtime.blocks import GRID_DIRECTION
from custom_components.atess.catalogue.realtime.converters import power_factor_value
from custom_components.atess.catalogue.settings import (
    PERIOD_EXAMPLE,
    SETTINGS,
    setting_specs_for,
)

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "custom_components" / "atess"
FIELDS_DOC = (ROOT / "docs" / "fields.md").read_text(encoding="utf-8")
STRINGS = json.loads((BASE / "strings.json").read_text(encoding="utf-8"))
ZH = json.loads((BASE / "translations" / "zh-Hans.json").read_text(encoding="utf-8"))
ICONS = json.loads((BASE / "icons.json").read_text(encoding="utf-8"))

ALL_SENSORS = [(kind, d) for kind, descriptions in SENSORS.items() for d in descriptions]
ALL_SETTINGS = [(kind, s) for kind, specs in SETTINGS.items() for s in specs]
ENERGY_DASHBOARD_TKS = {
    "pv_energy_total",
    "battery_charge_total",
    "battery_discharge_total",
    "grid_import_total",
    "grid_export_total",
    "load_energy_total",
}


def _ids(item: tuple[DeviceKind, Any]) -> str:
    return f"{item[0]}-{item[1].key}"


def _entry(tree: dict[str, Any], platform: str, tk: str) -> dict[str, Any]:
    entry: dict[str, Any] = tree["entity"][platform][tk]
    return entry


def test_every_kind_is_covered() -> None:
    assert set(SENSORS) == set(DeviceKind)
    assert set(SETTINGS) == set(DeviceKind)
    assert len(SETTINGS[DeviceKind.BCU]) == 35


@pytest.mark.parametrize("kind", list(DeviceKind))
def test_sensor_keys_unique_and_lower_case(kind: DeviceKind) -> None:
    descriptions = SENSORS[kind]
    keys = [d.key for d in descriptions]
    tks = [d.translation_key for d in descriptions]
    assert len(keys) == len(set(keys))
    assert len(tks) == len(set(tks))
    for d in descriptions:
        assert d.key == d.field.lower()
        assert d.translation_key is not None
        assert re.fullmatch(r"[a-z0-9_]+", d.translation_key)
    found = descriptions_for(kind)
    assert list(found) == [d.key for d in descriptions]
    for d in descriptions:
        enabled = d.entity_registry_enabled_default and everyday(d)
        assert found[d.key] == replace(d, entity_registry_enabled_default=enabled)


@pytest.mark.parametrize("kind", list(DeviceKind))
def test_only_what_most_owners_use_is_enabled_by_default(kind: DeviceKind) -> None:
    """Energy counters, state of charge, states and whole-device power flows; not the detail."""
    for model in (None, "HPS150HV", "HPS100"):
        enabled = [
            d for d in descriptions_for(kind, model).values() if d.entity_registry_enabled_default
        ]
        assert enabled, kind
        for d in enabled:
            assert d.device_class in {
                SensorDeviceClass.ENERGY,
                SensorDeviceClass.BATTERY,
                SensorDeviceClass.ENUM,
                SensorDeviceClass.POWER,
            }, (kind, d.key)
            assert not re.match(r"pv\d+_", d.translation_key or ""), (kind, d.key)
        classes = {d.device_class for d in enabled}
        assert SensorDeviceClass.ENERGY in classes
        assert SensorDeviceClass.BATTERY in classes or kind is DeviceKind.PCS


@pytest.mark.parametrize("item", ALL_SENSORS, ids=_ids)
def test_sensor_is_translated(item: tuple[DeviceKind, AtessSensorEntityDescription]) -> None:
    _, d = item
    assert d.translation_key is not None
    for tree in (STRINGS, ZH):
        entry = _entry(tree, "sensor", d.translation_key)
        assert entry["name"]
        for option in d.options or ():
            assert entry["state"][option]


@pytest.mark.parametrize("item", ALL_SENSORS, ids=_ids)
def test_sensor_unit_and_state_class(
    item: tuple[DeviceKind, AtessSensorEntityDescription],
) -> None:
    _, d = item
    dc = d.device_class
    if dc is None:
        return
    if dc is SensorDeviceClass.ENUM:
        assert d.options
        assert d.state_class is None
        assert d.native_unit_of_measurement is None
        return
    assert d.native_unit_of_measurement in SENSOR_UNITS[dc]
    if d.state_class is not None and dc in DEVICE_CLASS_STATE_CLASSES:
        assert d.state_class in DEVICE_CLASS_STATE_CLASSES[dc]
    if dc is SensorDeviceClass.ENERGY:
        assert d.native_unit_of_measurement == UnitOfEnergy.KILO_WATT_HOUR
        assert d.state_class is SensorStateClass.TOTAL_INCREASING


@pytest.mark.parametrize("item", ALL_SENSORS, ids=_ids)
def test_diagnostic_sensors_are_disabled(
    item: tuple[DeviceKind, AtessSensorEntityDescription],
) -> None:
    _, d = item
    if d.entity_category is EntityCategory.DIAGNOSTIC:
        assert d.entity_registry_enabled_default is False


def test_energy_dashboard_counters() -> None:
    seen: set[str] = set()
    for _, d in ALL_SENSORS:
        assert d.translation_key is not None
        if d.translation_key in ENERGY_DASHBOARD_TKS:
            seen.add(d.translation_key)
            assert d.device_class is SensorDeviceClass.ENERGY
            assert d.native_unit_of_measurement == UnitOfEnergy.KILO_WATT_HOUR
            assert d.state_class is SensorStateClass.TOTAL_INCREASING
            assert d.monotonic
            assert d.entity_registry_enabled_default
        if d.device_class is SensorDeviceClass.ENERGY and d.key.endswith("today"):
            assert not d.monotonic
    assert seen == ENERGY_DASHBOARD_TKS


def test_grid_direction_is_one_table() -> None:
    for kind, directions in GRID_DIRECTION.items():
        catalogue = descriptions_for(kind)
        assert set(directions) == {"import", "export"}
        for direction, prefix in directions.items():
            total = catalogue[f"{prefix}Total".lower()]
            assert total.translation_key == f"grid_{direction}_total"
    assert descriptions_for(DeviceKind.HPS_BIG)["egridtotal"].translation_key == (
        "grid_import_total"
    )
    assert descriptions_for(DeviceKind.PCS)["togridtotal"].translation_key == "grid_export_total"


def test_hv_pv_power_naming() -> None:
    big = descriptions_for(DeviceKind.HPS_BIG)
    assert big["ppv1"].translation_key == "pv_power"
    assert big["ppv"].translation_key == "pv1_power"
    assert descriptions_for(DeviceKind.PCS)["ppv"].native_unit_of_measurement == "W"
    assert descriptions_for(DeviceKind.PBD)["ppv"].native_unit_of_measurement == "W"


def test_enum_value_fn() -> None:
    status = descriptions_for(DeviceKind.HPS_BIG)["status"]
    assert status.options == list(RUN_STATE.values())
    assert status.value_fn(2) == "on_grid"
    assert status.value_fn(2.0) == "on_grid"
    assert status.value_fn("5") == "off_grid"
    assert status.value_fn(99) is None
    assert status.value_fn(2.5) is None
    assert status.value_fn(None) is None
    assert status.value_fn(True) is None
    assert status.value_fn("on") is None
    flow = descriptions_for(DeviceKind.BCU)["batflag"]
    assert flow.options == list(BATTERY_FLOW.values())
    assert flow.value_fn(-1) == "charging"
    assert flow.value_fn(0) == "idle"
    assert flow.value_fn(1) == "discharging"
    assert flow.value_fn(2) is None
    for _, d in ALL_SENSORS:
        if d.device_class is SensorDeviceClass.ENUM:
            assert d.options
            assert d.value_fn(0) in {None, *d.options}
            assert d.value_fn(12345) is None


def test_load_power_factor_scaling() -> None:
    for kind in (DeviceKind.HPS_BIG, DeviceKind.HPS_SMALL, DeviceKind.PCS):
        load_pf = descriptions_for(kind)["loadpf"]
        assert load_pf.device_class is SensorDeviceClass.POWER_FACTOR
        assert load_pf.native_unit_of_measurement is None
        assert load_pf.value_fn(100) == 1
        assert load_pf.value_fn(52) == pytest.approx(0.52)
        assert load_pf.value_fn(0.95) == pytest.approx(0.95)
        assert load_pf.value_fn(None) is None
    assert power_factor_value(-98) == pytest.approx(-0.98)


def test_numbers_in_text() -> None:
    bcu = descriptions_for(DeviceKind.BCU)
    assert bcu["maxvoltstr"].value_fn("3.312V") == pytest.approx(3.312)
    assert bcu["maxtempstr"].value_fn("25℃") == 25
    assert bcu["maxtempstr"].value_fn("--") is None
    assert bcu["soc"].value_fn("x") is None


@pytest.mark.parametrize("kind", list(DeviceKind))
def test_setting_keys_unique(kind: DeviceKind) -> None:
    specs = SETTINGS[kind]
    assert len({s.key for s in specs}) == len(specs)
    assert len({s.translation_key for s in specs}) == len(specs)
    assert setting_specs_for(kind) == {s.key: s for s in specs}


@pytest.mark.parametrize("item", ALL_SETTINGS, ids=_ids)
def test_setting_spec_is_consistent(item: tuple[DeviceKind, SettingSpec]) -> None:
    _, spec = item
    platform = spec.platform.value
    for tree in (STRINGS, ZH):
        entry = _entry(tree, platform, spec.translation_key)
        assert entry["name"]
        for option in spec.options:
            assert entry["state"][option]
    if spec.platform is SettingPlatform.NUMBER:
        assert spec.native_min is not None
        assert spec.native_max is not None
        assert spec.step is not None
        assert spec.native_min < spec.native_max
        assert 0 < spec.step <= spec.native_max - spec.native_min
        if spec.device_class is not None:
            assert spec.unit in NUMBER_UNITS[spec.device_class]
        assert not spec.options
        assert spec.pattern is None
    elif spec.platform is SettingPlatform.SELECT:
        assert spec.options
        assert len(set(spec.options.values())) == len(spec.options)
        assert spec.pattern is None
    else:
        assert spec.pattern is not None
        pattern = re.compile(spec.pattern)
        assert pattern.fullmatch(PERIOD_EXAMPLE)
        assert pattern.fullmatch("22:30-23:59")
        assert not pattern.fullmatch("24:00-06:00")
        assert not pattern.fullmatch("00:00")


def test_bcu_thresholds_disabled_by_default() -> None:
    """The BMS's safety thresholds are all there, and not one is enabled by default."""
    bcu = setting_specs_for(DeviceKind.BCU)
    assert len(bcu) == 35  # the documented keys
    for key in (
        "level1CellVoltHighWarning",
        "level2CellVoltHighFault",
        "level3CellVoltHighProtection",
        "level3DischargeTEMPLowProtection",
        "cellFullChargeVoltage",
        "pasBalWaitTimeHour",
    ):
        assert key in bcu, key
    assert [key for key, spec in bcu.items() if spec.entity_registry_enabled_default] == []


def test_work_mode_options() -> None:
    for kind in (DeviceKind.HPS_BIG, DeviceKind.PCS):
        work_mode = setting_specs_for(kind)["workMode"]
        assert work_mode.options["load_first"] == 0
        assert work_mode.options["grid_access_control"] == 12
        assert len(work_mode.options) == 13


@pytest.mark.parametrize(
    ("platform", "tk"),
    [
        ("sensor", "unknown_field"),
        ("sensor", "data_updated"),
        ("sensor", "writes_left"),
        ("sensor", "datalog_last_update"),
        ("sensor", "nominal_power"),
        ("number", "unknown_setting"),
        ("text", "unknown_setting"),
        ("binary_sensor", "cloud_connection"),
        ("binary_sensor", "datalog_connection"),
    ],
)
def test_generic_translations(platform: str, tk: str) -> None:
    assert _entry(STRINGS, platform, tk)["name"]
    assert _entry(ZH, platform, tk)["name"]


def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"\{(\w+)\}", text))


def _leaves(tree: dict[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in tree.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            out |= _leaves(value, path)
        else:
            out[path] = value
    return out


def test_chinese_has_the_same_keys_and_placeholders() -> None:
    english = _leaves(STRINGS)
    chinese = _leaves(ZH)
    assert set(english) == set(chinese)
    for path, text in english.items():
        assert _placeholders(text) == _placeholders(chinese[path]), path


def test_icons_only_where_no_device_class() -> None:
    with_class = {
        d.translation_key
        for _, d in ALL_SENSORS
        if d.device_class not in (None, SensorDeviceClass.ENUM)
    }
    without_class = {
        d.translation_key
        for _, d in ALL_SENSORS
        if d.device_class in (None, SensorDeviceClass.ENUM)
    }
    sensor_icons = set(ICONS["entity"]["sensor"])
    assert not sensor_icons & with_class
    assert without_class <= sensor_icons
    for _, spec in ALL_SETTINGS:
        if spec.platform is SettingPlatform.NUMBER and spec.device_class is not None:
            assert spec.translation_key not in ICONS["entity"]["number"]
        else:
            assert spec.translation_key in ICONS["entity"][spec.platform.value]
    # every action has its icon, and no icon names an action that is gone
    actions = set(
        re.findall(r"^([a-z_]+):", (BASE / "services.yaml").read_text(encoding="utf-8"), re.M)
    )
    assert {"set_setting", "import_history", "configure_energy_dashboard"} <= actions
    assert set(ICONS["services"]) == actions


def test_central_hps_pv_names_follow_the_model() -> None:
    """HV models: ppv1 is the total (the docs); other models: ppv is (Growatt's meaning)."""
    hv = descriptions_for(DeviceKind.HPS_BIG, "HPS150HV")
    assert (hv["ppv1"].translation_key, hv["ppv"].translation_key) == ("pv_power", "pv1_power")
    unknown = descriptions_for(DeviceKind.HPS_BIG, None)
    assert unknown["ppv1"].translation_key == "pv_power"
    plain = descriptions_for(DeviceKind.HPS_BIG, "HPS150")
    assert (plain["ppv"].translation_key, plain["ppv1"].translation_key) == (
        "pv_power",
        "pv1_power",
    )
    assert plain["vpv"].translation_key == "pv1_voltage"
    assert plain["ppv"].key == hv["ppv"].key


# --- docs/fields.md: the evidence for every catalogued field, in the repository -------------------

SENSOR_SECTIONS = {
    DeviceKind.HPS_BIG: "HPS central",
    DeviceKind.HPS_SMALL: "HPS string",
    DeviceKind.PCS: "PCS",
    DeviceKind.PBD: "PBD",
    DeviceKind.BCU: "BMS (BCU and MBMS)",
    DeviceKind.MBMS: "BMS (BCU and MBMS)",
}
SHARED_SECTION = "Shared blocks"
SETTING_SECTIONS = {
    DeviceKind.BCU: "BCU settings",
    DeviceKind.MBMS: "MBMS settings",
    DeviceKind.HPS_BIG: "HPS central settings",
    DeviceKind.HPS_SMALL: "HPS string settings",
    DeviceKind.PBD: "PBD settings",
    DeviceKind.PCS: "PCS settings",
}


def _slug(heading: str) -> str:
    """The anchor GitHub gives a heading."""
    return re.sub(r"[^a-z0-9 _-]", "", heading.lower()).replace(" ", "-")


def _headings() -> list[tuple[int, str]]:
    return [
        (len(m.group(1)), m.group(2))
        for m in re.finditer(r"^(#+) (.+)$", FIELDS_DOC, flags=re.MULTILINE)
    ]


def _section(title: str) -> list[str]:
    """The lines under a heading, up to the next heading of the same or a higher level."""
    lines = FIELDS_DOC.splitlines()
    start = next(i for i, line in enumerate(lines) if re.fullmatch(rf"#+ {re.escape(title)}", line))
    level = len(lines[start]) - len(lines[start].lstrip("#"))
    out: list[str] = []
    for line in lines[start + 1 :]:
        if (m := re.match(r"(#+) ", line)) and len(m.group(1)) <= level:
            break
        out.append(line)
    return out


def _names(cell: str) -> list[str]:
    """The keys of a first cell: `a`, `b`, or a numbered range `x1` … `x9`."""
    names = re.findall(r"`([^`]+)`", cell)
    if "…" in cell and len(names) == 2:
        first, last = (re.fullmatch(r"(\D+)(\d+)", name) for name in names)
        assert first, cell
        assert last, cell
        stem = first.group(1)
        assert last.group(1) == stem, cell
        return [f"{stem}{n}" for n in range(int(first.group(2)), int(last.group(2)) + 1)]
    return names


def _documented(title: str) -> dict[str, str]:
    """Key -> source of every table row of one section."""
    found: dict[str, str] = {}
    column = None
    for line in _section(title):
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if "source" in cells:
            column = cells.index("source")
        elif line.startswith("| `") and column is not None:
            for name in _names(cells[0]):
                assert name not in found, f"{name} twice in {title}"
                found[name] = cells[column].strip("`")
    return found


@pytest.mark.parametrize("item", ALL_SENSORS, ids=_ids)
def test_sensor_is_documented(item: tuple[DeviceKind, AtessSensorEntityDescription]) -> None:
    """Each catalogued field has a row in its family's section (or the shared one), same source."""
    kind, d = item
    family = _documented(SENSOR_SECTIONS[kind])
    source = family.get(d.field) or _documented(SHARED_SECTION).get(d.field)
    assert source == d.source, f"{d.field}: docs/fields.md says {source}"


@pytest.mark.parametrize("item", ALL_SETTINGS, ids=_ids)
def test_setting_is_documented(item: tuple[DeviceKind, SettingSpec]) -> None:
    kind, spec = item
    assert _documented(SETTING_SECTIONS[kind]).get(spec.key) == spec.source


def test_fields_doc_describes_only_catalogued_keys() -> None:
    """No row survives the field it describes."""
    for kind, title in SENSOR_SECTIONS.items():
        assert set(_documented(title)) <= {d.field for d in SENSORS[kind]}, title
    every_field = {d.field for _, d in ALL_SENSORS}
    assert set(_documented(SHARED_SECTION)) <= every_field
    for kind, title in SETTING_SECTIONS.items():
        assert set(_documented(title)) == {s.key for s in SETTINGS[kind]}, title


def test_fields_doc_anchors_exist() -> None:
    """Every `docs/fields.md#…` cited by the code, and every link inside the document, resolves."""
    anchors = {_slug(title) for _, title in _headings()}
    cited = {
        anchor
        for path in BASE.rglob("*.py")
        for anchor in re.findall(r"docs/fields\.md#([a-z0-9-]+)", path.read_text(encoding="utf-8"))
    }
    assert cited, "the catalogue cites docs/fields.md"
    assert cited <= anchors
    assert set(re.findall(r"\]\(#([a-z0-9-]+)\)", FIELDS_DOC)) <= anchors
