"""The account: plants, their datalogs and the devices behind each datalog."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
import random
import string
from zoneinfo import ZoneInfo

from simulator.config import SimulatorConfig
from simulator.jsontypes import JsonObject
from simulator.model import noise
from simulator.model.kinds import DATALOG_OF_KIND, DATALOG_PREFIX, MODELS, SERIAL_PREFIX, DeviceKind

FIRST_PLANT_ID = 1001
DATALOGS_PER_DEMO_PLANT = 2


@dataclass(slots=True)
class Device:
    """One device behind a datalog."""

    sn: str
    kind: DeviceKind
    model: str
    scale: float
    datalog_sn: str
    plant_id: str
    address: int
    device_no: int
    system_no: int
    firmware: str
    key: int


@dataclass(slots=True)
class Datalog:
    """A datalogger (collector) attached to a plant."""

    sn: str
    plant_id: str
    model: str = "DataLog-4G"
    firmware: str = "4.0.1.2"
    # The code printed on the datalog's label; None = the cloud asks for none.
    valid_code: str | None = None


@dataclass(slots=True)
class Plant:
    """A plant (power station). `info` is the object the API shows and edits."""

    plant_id: str
    info: JsonObject
    # The device clock stays on the zone the plant was created with, even if `info` is edited.
    tz: ZoneInfo
    lat: float
    lng: float


def site_coordinates(tz: ZoneInfo, index: int) -> tuple[float, float]:
    """Place a plant where its zone's clock matches the sun (solar noon near 12:00-13:00)."""
    # January gives the standard (winter) offset, which is what longitude follows.
    offset = datetime(2001, 1, 15, 12, tzinfo=tz).utcoffset()
    hours = offset.total_seconds() / 3600.0 if offset is not None else 0.0
    return round(52.52 - 0.37 * index, 4), round(hours * 15.0 - 1.6 + 0.21 * index, 4)


@dataclass(slots=True)
class Account:
    """All state the plant and datalog endpoints expose and change."""

    plants: dict[str, Plant] = field(default_factory=dict)
    datalogs: dict[str, Datalog] = field(default_factory=dict)
    devices: dict[str, Device] = field(default_factory=dict)
    next_plant_id: int = FIRST_PLANT_ID
    # Datalogs on no plant (a fresh account's, or deleted ones) with the devices wired to them:
    # attaching one to a plant brings its devices along.
    stock: dict[str, Datalog] = field(default_factory=dict)
    stock_devices: dict[str, Device] = field(default_factory=dict)

    def datalogs_of(self, plant_id: str) -> list[Datalog]:
        """Return the datalogs of a plant, in creation order."""
        return [log for log in self.datalogs.values() if log.plant_id == plant_id]

    def devices_of(self, datalog_sn: str) -> list[Device]:
        """Return the devices behind a datalog, in creation order."""
        return [dev for dev in self.devices.values() if dev.datalog_sn == datalog_sn]

    def add_plant(self, info: JsonObject, tz: ZoneInfo) -> Plant:
        """Create a plant with the next free id."""
        plant_id = str(self.next_plant_id)
        self.next_plant_id += 1
        lat, lng = site_coordinates(tz, len(self.plants))
        full: JsonObject = {
            "plantId": plant_id,
            "plantName": f"Plant {plant_id}",
            "country": "",
            "city": "",
            "plantAddress": "",
            "plantLat": lat,
            "plantLng": lng,
            "timezone": tz.key,
            "nominalPower": 0,
            "installDate": date.today().isoformat(),  # noqa: DTZ011 - a calendar date only
        }
        full.update(info)
        full["plantId"] = plant_id
        plant = Plant(plant_id, full, tz, lat, lng)
        self.plants[plant_id] = plant
        return plant

    def delete_plant(self, plant_id: str) -> None:
        """Remove a plant; its datalogs go back to the stock with their devices."""
        for log in self.datalogs_of(plant_id):
            self.detach_datalog(log.sn)
        del self.plants[plant_id]

    def detach_datalog(self, sn: str) -> list[Device]:
        """Take a datalog and the devices behind it off its plant; return those devices."""
        log = self.datalogs.pop(sn)
        self.stock[sn] = log
        devices = self.devices_of(sn)
        for device in devices:
            del self.devices[device.sn]
            self.stock_devices[device.sn] = device
        return devices

    def attach_datalog(self, sn: str, plant: Plant) -> list[Device]:
        """Put a datalog from the stock on a plant with its devices; return those devices."""
        log = self.stock.pop(sn)
        log.plant_id = plant.plant_id
        self.datalogs[sn] = log
        devices = [dev for dev in self.stock_devices.values() if dev.datalog_sn == sn]
        for device in devices:
            del self.stock_devices[device.sn]
            device.plant_id = plant.plant_id
            self.devices[device.sn] = device
        return devices


class SerialFactory:
    """Realistic 10-character serials (`TND0D20233`), unique and reproducible from the seed."""

    def __init__(self, seed: int) -> None:
        """Start the serial sequence of a seed."""
        self._rng = random.Random(f"serials:{seed}")  # noqa: S311 - simulation, not security
        self._used: set[str] = set()

    def make(self, prefix: str) -> str:
        """Return a new serial starting with `prefix` (3 characters)."""
        while True:
            letter = self._rng.choice(string.ascii_uppercase)
            digits = "".join(self._rng.choice(string.digits) for _ in range(5))
            serial = f"{prefix}0{letter}{digits}"
            if serial not in self._used:
                self._used.add(serial)
                return serial


def build_account(config: SimulatorConfig) -> Account:
    """Lay out the demo account: per plant two datalogs and N devices of every kind."""
    account = Account()
    serials = SerialFactory(config.seed)
    tz = ZoneInfo(config.timezone)
    rng = random.Random(f"layout:{config.seed}")  # noqa: S311 - simulation, not security
    for plant_number in range(config.plants):
        name = "Demo Plant" if plant_number == 0 else f"Demo Plant {plant_number + 1}"
        install = date(2023, 1, 1) + timedelta(days=rng.randrange(0, 700))
        plant = account.add_plant(
            {
                "plantName": name,
                "country": "Germany",
                "city": tz.key.rsplit("/", 1)[-1].replace("_", " "),
                "plantAddress": f"Solarweg {plant_number + 1}",
                "installDate": install.isoformat(),
            },
            tz,
        )
        logs = [
            Datalog(serials.make(DATALOG_PREFIX), plant.plant_id)
            for _ in range(DATALOGS_PER_DEMO_PLANT)
        ]
        for log in logs:
            log.valid_code = valid_code(config.seed, log.sn)
        for log in logs:
            account.datalogs[log.sn] = log
        nominal = 0.0
        for kind in DeviceKind:
            for number in range(config.devices_per_kind):
                spec = MODELS[kind][number % len(MODELS[kind])]
                sn = serials.make(SERIAL_PREFIX[kind])
                scale = round(spec.scale * rng.uniform(0.95, 1.05), 3)
                if kind in (DeviceKind.HPS_BIG, DeviceKind.HPS_SMALL, DeviceKind.PBD):
                    nominal += spec.scale
                account.devices[sn] = Device(
                    sn=sn,
                    kind=kind,
                    model=spec.name,
                    scale=scale,
                    datalog_sn=logs[DATALOG_OF_KIND[kind]].sn,
                    plant_id=plant.plant_id,
                    address=number + 1,
                    device_no=number + 1,
                    system_no=1 + number // 4,
                    firmware=f"V{rng.randint(1, 3)}.{rng.randint(0, 9)}.{rng.randint(0, 20)}",
                    key=noise.stable_key(config.seed, sn),
                )
        plant.info["nominalPower"] = int(nominal * 1000)
    if "fresh-account" in config.dialects:
        # The same hardware, delivered but not yet registered: no plant, datalogs in stock.
        for plant_id in list(account.plants):
            account.delete_plant(plant_id)
        account.next_plant_id = FIRST_PLANT_ID
    return account


def valid_code(seed: int, datalog_sn: str) -> str:
    """Return the validation code on a demo datalog's label (6 characters, from the seed)."""
    number = noise.stable_key(seed, "valid-code", datalog_sn)
    alphabet = string.ascii_uppercase + string.digits
    return "".join(alphabet[(number >> (6 * n)) % len(alphabet)] for n in range(6))
