"""The ATESS Cloud integration: ATESS energy storage systems through the ATESS cloud OpenAPI."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_TOKEN, CONF_URL, EVENT_HOMEASSISTANT_STOP, Platform
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.exceptions import (
    ConfigEntryAuthFailed,
    ConfigEntryNotReady,
    HomeAssistantError,
)
from homeassistant.helpers import (
    config_validation as cv,
    device_registry as dr,
    issue_registry as ir,
)
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.typing import ConfigType
from homeassistant.util import dt as dt_util

from .account import account_throttle, known_plants, with_plants
from .api import AtessAuthError, AtessClient
from .budget import async_get_budget
from .cloud_contract import async_load_route_book, async_remove_route_book
from .compat import remove_entry_device
from .const import (
    CONF_ENERGY_DASHBOARD,
    CONF_HISTORY_DAYS,
    DEFAULT_HISTORY_DAYS,
    DEFAULT_URL,
    DOMAIN,
    LOGGER,
)
from .coordinator import (
    AtessDevice,
    AtessInventoryCoordinator,
    AtessRealtimeCoordinator,
    AtessSettingsCoordinator,
)
from .energy_dashboard import async_configure
from .entity import datalog_device_info, plant_device_info, plant_identifier
from .history import AtessHistory, floor_hour
from .inventory import InventoryMemory
from .models import mask_serial
from .plant_history import async_catch_up_plant
from .runtime import AtessConfigEntry, AtessRuntimeData
from .services import async_setup_services
from .write import AtessWriter

PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.NUMBER,
    Platform.SELECT,
    Platform.SENSOR,
    Platform.TEXT,
]
CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the integration's actions (they exist even while no entry is loaded)."""
    async_setup_services(hass)
    return True


def client_language(hass: HomeAssistant) -> str:
    """The cloud answers messages in English or Chinese."""
    return "zh" if hass.config.language.lower().startswith("zh") else "en"


async def async_setup_entry(hass: HomeAssistant, entry: AtessConfigEntry) -> bool:
    """Set up an ATESS account: inventory first, then every device's coordinators."""
    throttle = account_throttle(hass, entry.data)
    if (until := throttle.quiet_until) is not None:
        # Home Assistant retries a failed setup sooner than the cloud asked (5, 10, 20 s...):
        # each retry ends here, without a request, until the quiet period is over
        raise ConfigEntryNotReady(
            translation_domain=DOMAIN,
            translation_key="throttled_until",
            translation_placeholders={
                "time": dt_util.as_local(dt_util.utc_from_timestamp(until)).isoformat(
                    timespec="seconds"
                )
            },
        )
    try:
        client = AtessClient(
            async_get_clientsession(hass),
            entry.data[CONF_TOKEN],
            base_url=entry.data.get(CONF_URL, DEFAULT_URL),
            language=client_language(hass),
            route_book=await async_load_route_book(hass, entry.entry_id),
            throttle=throttle,
        )
    except AtessAuthError as err:  # a token no HTTP header can carry
        raise ConfigEntryAuthFailed(
            translation_domain=DOMAIN, translation_key="auth_failed"
        ) from err
    writer = AtessWriter(hass, await async_get_budget(hass))
    memory = InventoryMemory(hass, entry.entry_id)
    await memory.async_load()
    inventory = AtessInventoryCoordinator(hass, entry, client, memory)
    history = AtessHistory(
        hass, client, int(entry.options.get(CONF_HISTORY_DAYS, DEFAULT_HISTORY_DAYS))
    )
    runtime = AtessRuntimeData(client, inventory, writer, history)
    entry.runtime_data = runtime
    await inventory.async_config_entry_first_refresh()
    # platforms first: each device's entities are then made as its first record arrives, while
    # the other devices' requests are still on their way
    _async_register_gateways(hass, entry)
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    await _async_sync_devices(hass, entry)

    @callback
    def _on_inventory() -> None:
        if inventory.last_update_success and entry.state is ConfigEntryState.LOADED:
            entry.async_create_task(hass, _async_sync_devices(hass, entry), f"{DOMAIN} device sync")

    entry.async_on_unload(inventory.async_add_listener(_on_inventory))
    entry.async_on_unload(writer.async_shutdown)
    if entry.data.get(CONF_ENERGY_DASHBOARD):
        # not eager: it runs once the entry is loaded
        entry.async_create_task(
            hass, _async_energy_dashboard_once(hass, entry), f"{DOMAIN} energy", eager_start=False
        )
    # Once Home Assistant stops (or the entry unloads), nothing more is asked: refreshes that
    # are due or in flight end quietly instead of meeting a closed session
    entry.async_on_unload(client.close)

    @callback
    def _on_stop(_event: Event) -> None:
        client.close()

    entry.async_on_unload(hass.bus.async_listen(EVENT_HOMEASSISTANT_STOP, _on_stop))
    return True


async def _async_energy_dashboard_once(hass: HomeAssistant, entry: AtessConfigEntry) -> None:
    """What the config flow's box asked for: done once, when every plant's sensors are there."""
    plan = await async_configure(hass, entry)
    if any(plant.missing for plant in plan.plants):
        LOGGER.info(
            "The Energy dashboard waits for the plant totals; tried again at the next start"
        )
        return
    data = {k: v for k, v in entry.data.items() if k != CONF_ENERGY_DASHBOARD}
    hass.config_entries.async_update_entry(entry, data=data)


@callback
def _async_register_gateways(hass: HomeAssistant, entry: AtessConfigEntry) -> None:
    """Put every plant and DataLog in the device registry (their devices hang below them)."""
    data = entry.runtime_data.inventory.data
    registry = dr.async_get(hass)
    for plant in data.plants.values():
        registry.async_get_or_create(config_entry_id=entry.entry_id, **plant_device_info(plant))
    for sn, datalog in data.datalogs.items():
        registry.async_get_or_create(
            config_entry_id=entry.entry_id,
            **datalog_device_info(hass, entry.entry_id, datalog, data.datalog_plant[sn]),
        )


async def _async_sync_devices(hass: HomeAssistant, entry: AtessConfigEntry) -> None:
    """Make the device registry and the coordinators match the inventory.

    New devices get coordinators (and, through the platforms' listeners, entities); devices gone
    from the account leave the device registry with their entities.
    """
    runtime = entry.runtime_data
    data = runtime.inventory.data
    registry = dr.async_get(hass)
    _async_register_gateways(hass, entry)

    new: list[AtessDevice] = []
    for sn, ref in data.devices.items():
        if sn in runtime.devices:
            continue
        new.append(
            AtessDevice(
                ref,
                runtime.inventory,
                AtessRealtimeCoordinator(hass, entry, runtime.client, ref, runtime.inventory),
                AtessSettingsCoordinator(hass, entry, runtime.client, ref),
            )
        )
    first_sync = not runtime.devices
    for device in new:
        if not first_sync:
            LOGGER.info("New %s device %s", device.ref.kind, mask_serial(device.sn))
        runtime.async_device_added(device)
    # One failing device must not fail the entry: async_refresh records the error and the
    # device's entities start unavailable, then recover at the next poll. Settings are not
    # needed to show the device: they load after setup, and their entities appear then.
    await asyncio.gather(*(d.realtime.async_refresh() for d in new))
    for device in new:
        entry.async_create_task(
            hass,
            device.settings.async_refresh(),
            f"{DOMAIN} first settings {mask_serial(device.sn)}",
        )
    for device in new:
        runtime.writer.async_update_issue(device)
        entry.async_on_unload(
            device.realtime.async_add_listener(_history_follower(hass, entry, device))
        )
        _async_schedule_catch_up(hass, entry, device)

    for sn in [sn for sn in runtime.devices if sn not in data.devices]:
        device = runtime.devices.pop(sn)
        LOGGER.info("%s device %s left the account", device.ref.kind, mask_serial(sn))
        await device.realtime.async_shutdown()
        await device.settings.async_shutdown()

    active = {plant_identifier(p) for p in data.plants}
    active |= {(DOMAIN, sn) for sn in data.datalogs}
    active |= {(DOMAIN, sn) for sn in data.devices}
    for device_entry in dr.async_entries_for_config_entry(registry, entry.entry_id):
        if not device_entry.identifiers & active:
            remove_entry_device(registry, device_entry, entry.entry_id)


def _history_follower(
    hass: HomeAssistant, entry: AtessConfigEntry, device: AtessDevice
) -> Callable[[], None]:
    """Feed polled samples to the history importer; catch up when an hour completes."""

    @callback
    def follow() -> None:
        data = device.realtime.data
        if data is None or not device.realtime.last_update_success:
            return
        history = entry.runtime_data.history
        history.note_sample(device, data)
        if history.behind(device, floor_hour(dt_util.utcnow())):
            _async_schedule_catch_up(hass, entry, device)

    return follow


@callback
def _async_schedule_catch_up(
    hass: HomeAssistant, entry: AtessConfigEntry, device: AtessDevice
) -> None:
    """Import missing hours in the background: it never delays setup or polling."""
    if not entry.runtime_data.history.available:
        return

    async def run() -> None:
        try:
            await entry.runtime_data.history.async_catch_up(device)
            await async_catch_up_plant(hass, entry, device.ref.plant_id)
        except HomeAssistantError as err:
            LOGGER.debug("History catch-up of %s postponed: %s", mask_serial(device.sn), err)

    entry.async_create_background_task(hass, run(), f"{DOMAIN} history {mask_serial(device.sn)}")


async def async_migrate_entry(hass: HomeAssistant, entry: AtessConfigEntry) -> bool:
    """Bring an entry of an older release up to date; nothing it holds is dropped."""
    if entry.version > 1:
        return False  # a newer release's entry: cannot be read here
    if entry.minor_version < 2:
        # 1.2: the data keeps the plant ids the account is recognised by (account.py)
        data = with_plants(entry.data, known_plants(entry))
        hass.config_entries.async_update_entry(entry, data=data, minor_version=2)
    return True


async def async_unload_entry(hass: HomeAssistant, entry: AtessConfigEntry) -> bool:
    """Unload an ATESS account."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: AtessConfigEntry) -> None:
    """Forget what the entry kept on disk, and its devices' repair issues."""
    memory = InventoryMemory(hass, entry.entry_id)
    await memory.async_load()
    serials = memory.serials()
    serials |= {
        ident
        for device in dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
        for domain, ident in device.identifiers
        if domain == DOMAIN
    }
    for domain, issue_id in list(ir.async_get(hass).issues):
        if domain == DOMAIN and _issue_of(issue_id, serials, entry.entry_id):
            ir.async_delete_issue(hass, DOMAIN, issue_id)
    await memory.async_remove()
    await async_remove_route_book(hass, entry.entry_id)


def _issue_of(issue_id: str, serials: set[str], entry_id: str) -> bool:
    """Whether a repair issue names the entry or one of its devices (ids end in `_<sn>[_<key>]`)."""
    parts = issue_id.split("_")
    return entry_id in parts or any(sn in parts for sn in serials)


async def async_remove_config_entry_device(
    hass: HomeAssistant, entry: AtessConfigEntry, device_entry: dr.DeviceEntry
) -> bool:
    """Let the user remove a device the account no longer has (an active one would come back)."""
    data = entry.runtime_data.inventory.data
    active = {plant_identifier(p) for p in data.plants}
    active |= {(DOMAIN, sn) for sn in (*data.datalogs, *data.devices)}
    return not device_entry.identifiers & active
