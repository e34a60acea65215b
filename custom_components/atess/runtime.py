"""What a loaded entry holds (`entry.runtime_data`), and the typed config entry alias.

This module sits above the coordinators, the write path and the history importer, which it
bundles; the platforms, the actions and the diagnostics reach everything through it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import callback

from .api import AtessClient
from .coordinator import AtessDevice, AtessInventoryCoordinator
from .history import AtessHistory
from .write import AtessWriter

type AtessConfigEntry = ConfigEntry[AtessRuntimeData]
type DeviceListener = Callable[[AtessDevice], None]


@dataclass
class AtessRuntimeData:
    """The client, the coordinators and the guards of one ATESS account."""

    client: AtessClient
    inventory: AtessInventoryCoordinator
    writer: AtessWriter
    history: AtessHistory
    devices: dict[str, AtessDevice] = field(default_factory=dict)
    _listeners: list[DeviceListener] = field(default_factory=list)

    @callback
    def async_add_device_listener(self, listener: DeviceListener) -> Callable[[], None]:
        """Call `listener` for every device now and for every device that appears later."""
        self._listeners.append(listener)
        for device in list(self.devices.values()):
            listener(device)

        @callback
        def remove() -> None:
            self._listeners.remove(listener)

        return remove

    @callback
    def async_device_added(self, device: AtessDevice) -> None:
        """Tell the platforms about a new device."""
        self.devices[device.sn] = device
        for listener in list(self._listeners):
            listener(device)
