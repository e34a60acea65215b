"""The one write path for settings, used by every number/select/text entity and the action.

The cloud accepts 10 setting writes per device per day. A write therefore: is validated first,
is skipped when it changes nothing, waits for any other write to the same device, spends from a
persisted per-device budget of 10 per rolling 24 hours (stricter than "per day", so we never hit
the cloud's own refusal), is sent, is shown at once, and is confirmed by one read-back.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta
import math
import re
from typing import Any

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.event import async_call_later, async_track_point_in_utc_time
from homeassistant.util import dt as dt_util

from .api import (
    AtessAuthError,
    AtessError,
    AtessNotFoundError,
    AtessRateLimitError,
    AtessRouteMissingError,
    AtessWriteLimitError,
    SettingValue,
    Value,
)
from .budget import WriteBudget
from .catalogue import SettingPlatform, SettingSpec
from .catalogue.settings import setting_specs_for
from .const import DOMAIN, LOGGER, SETTINGS_RETRY
from .coordinator import AtessDevice
from .models import mask_serial

READBACK_DELAY = 20.0  # seconds: the cloud passes the write to the device before it reads back
_INT_RE = re.compile(r"^[+-]?\d+$")
MAX_TEXT = 255  # the longest state Home Assistant can show
REFUSED_BEFORE_APPLYING = (
    AtessAuthError,
    AtessNotFoundError,
    AtessRateLimitError,
    AtessRouteMissingError,
)


def _validation_error(translation_key: str, **placeholders: Any) -> ServiceValidationError:
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=translation_key,
        translation_placeholders={k: str(v) for k, v in placeholders.items()},
    )


def validate(key: str, spec: SettingSpec | None, current: Value, value: Any) -> SettingValue:
    """Check a new value against the setting's spec; the value in the cloud's own type."""
    platform = spec.platform if spec else _platform_of(current)
    if platform is SettingPlatform.SELECT and spec is not None:
        if isinstance(value, str) and value in spec.options:
            return spec.options[value]
        number = _to_number(value)
        if number is not None and number in spec.options.values():
            return int(number)
        raise _validation_error(
            "not_an_option", key=key, value=value, options=", ".join(spec.options)
        )
    if platform is SettingPlatform.TEXT:
        text = str(value).strip()
        if len(text) > MAX_TEXT:
            raise _validation_error("text_too_long", key=key, max=MAX_TEXT)
        pattern = spec.pattern if spec is not None else None
        if pattern and pattern_applies(pattern, current) and not re.fullmatch(pattern, text):
            example = current if isinstance(current, str) else pattern
            raise _validation_error("pattern_mismatch", key=key, value=text, example=example)
        return text
    number = _to_number(value)
    if number is None:
        raise _validation_error("not_a_number", key=key, value=value)
    if spec is not None:
        low = spec.native_min if spec.native_min is not None else -math.inf
        high = spec.native_max if spec.native_max is not None else math.inf
        if not low <= number <= high:
            raise _validation_error(
                "out_of_range", key=key, value=value, min=spec.native_min, max=spec.native_max
            )
    if isinstance(current, int) and not isinstance(current, bool) and number == int(number):
        return int(number)
    return number


def pattern_applies(pattern: str, current: Value) -> bool:
    """Whether the catalogue's pattern may be enforced: the cloud's own value fits it.

    The patterns are assumptions about formats the docs do not show; a cloud value in another
    format proves the assumption wrong for this device, and then only the cloud judges.
    """
    return not isinstance(current, str) or re.fullmatch(pattern, current) is not None


def _platform_of(current: Value) -> SettingPlatform:
    if isinstance(current, str):
        return SettingPlatform.TEXT
    return SettingPlatform.NUMBER


def _to_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, str):
        text = value.strip()
        try:
            number = float(text)
        except ValueError:
            return None
        if not math.isfinite(number):
            return None
        return float(int(text)) if _INT_RE.match(text) else number
    return None


def same_value(a: Value, b: Value) -> bool:
    """Whether a write of `b` over `a` would change nothing."""
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(float(a), float(b), rel_tol=0, abs_tol=1e-9)
    return a == b


class AtessWriter:
    """Writes settings of the devices of one entry, within each device's budget."""

    def __init__(self, hass: HomeAssistant, budget: WriteBudget) -> None:
        """Create the writer of one entry."""
        self.hass = hass
        self.budget = budget
        self._locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._listeners: defaultdict[str, list[CALLBACK_TYPE]] = defaultdict(list)
        self._timers: dict[str, CALLBACK_TYPE] = {}
        self._readbacks: dict[str, CALLBACK_TYPE] = {}
        self.pending: dict[str, dict[str, Value]] = defaultdict(dict)

    @callback
    def async_add_listener(self, sn: str, listener: CALLBACK_TYPE) -> Callable[[], None]:
        """Call `listener` when the device's budget or pending values change."""
        self._listeners[sn].append(listener)

        @callback
        def remove() -> None:
            self._listeners[sn].remove(listener)

        return remove

    @callback
    def _notify(self, sn: str) -> None:
        for listener in list(self._listeners[sn]):
            listener()

    def value(self, device: AtessDevice, key: str) -> Value:
        """The value to show: a just-written one until the read-back, else the cloud's."""
        if key in self.pending.get(device.sn, {}):
            return self.pending[device.sn][key]
        data = device.settings.data
        return data.get(key) if data is not None else None

    async def async_write(self, device: AtessDevice, key: str, value: Any) -> None:
        """Validate, de-duplicate, queue, budget, send, show, and schedule the read-back."""
        data = device.settings.data
        if data is None:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="device_not_loaded",
            )
        if key not in data:
            raise _validation_error("unknown_setting", key=key)
        spec = setting_specs_for(device.ref.kind).get(key)
        new = validate(key, spec, data.get(key), value)
        async with self._locks[device.sn]:
            if same_value(self.value(device, key), new):
                LOGGER.debug("Setting %s unchanged; nothing sent", key)
                return
            if self.budget.left(device.sn) == 0:
                self.async_update_issue(device)
                raise _validation_error(
                    "write_quota_spent", next_write=self._next_write_text(device.sn)
                )
            await self.budget.async_spend(device.sn)
            self._notify(device.sn)
            try:
                await device.settings.client_write(key, new)
            except AtessWriteLimitError as err:
                await self.budget.async_exhaust(device.sn)
                self.async_update_issue(device)
                raise _validation_error(
                    "write_quota_spent", next_write=self._next_write_text(device.sn)
                ) from err
            except AtessError as err:
                if isinstance(err, REFUSED_BEFORE_APPLYING):
                    # a definite "no": nothing reached the device, so nothing was spent.
                    # Anything else (timeouts, server errors) may have been applied: it stays
                    # counted, because over-counting costs a write and under-counting a ban.
                    await self.budget.async_refund(device.sn)
                raise HomeAssistantError(
                    translation_domain=DOMAIN,
                    translation_key="write_failed",
                    translation_placeholders={"key": key, "error": str(err)},
                ) from err
            finally:
                self.async_update_issue(device)
            LOGGER.info("Setting %s of %s changed", key, device.ref.kind)
            self.pending[device.sn][key] = new
            self._notify(device.sn)
            device.settings.async_update_listeners()
            self._schedule_readback(device)

    def _next_write_text(self, sn: str) -> str:
        moment = self.budget.next_free(sn)
        # a time, never a word: the text around it is translated, the placeholder is not
        return dt_util.as_local(moment or dt_util.utcnow()).strftime("%Y-%m-%d %H:%M")

    @callback
    def _raise_issue(
        self, issue_id: str, translation_key: str, placeholders: dict[str, str]
    ) -> None:
        """Raise (or update) one of the write warnings in the repairs panel."""
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            issue_id,
            is_fixable=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key=translation_key,
            translation_placeholders=placeholders,
        )

    def _schedule_readback(self, device: AtessDevice) -> None:
        if cancel := self._readbacks.pop(device.sn, None):
            cancel()

        async def _readback(_now: datetime) -> None:
            self._readbacks.pop(device.sn, None)
            await device.settings.async_refresh()
            written = self.pending.pop(device.sn, {})
            data = device.settings.data
            if not device.settings.last_update_success or data is None:
                # keep showing nothing we cannot confirm; the settings poll retries after
                # SETTINGS_RETRY (the settings coordinator's retry after a passing failure)
                LOGGER.warning(
                    "Could not read the settings of %s back after a write; retrying in %d minutes",
                    mask_serial(device.sn),
                    SETTINGS_RETRY.total_seconds() // 60,
                )
                return
            for key, value in written.items():
                issue_id = f"readback_mismatch_{device.sn}_{key}"
                if same_value(data.get(key), value):
                    ir.async_delete_issue(self.hass, DOMAIN, issue_id)
                else:
                    LOGGER.warning(
                        "The cloud reports %s = %s after it accepted %s; showing the cloud's value",
                        key,
                        data.get(key),
                        value,
                    )
                    self._raise_issue(
                        issue_id,
                        "readback_mismatch",
                        {
                            "device": device.sn,
                            "key": key,
                            "written": str(value),
                            "reported": str(data.get(key)),
                        },
                    )
            self._notify(device.sn)
            device.settings.async_update_listeners()

        self._readbacks[device.sn] = async_call_later(self.hass, READBACK_DELAY, _readback)

    @callback
    def async_update_issue(self, device: AtessDevice) -> None:
        """Keep the 'writes spent' repair issue in step with the budget."""
        sn = device.sn
        issue_id = f"write_quota_spent_{sn}"
        if cancel := self._timers.pop(sn, None):
            cancel()
        moment = self.budget.next_free(sn)
        if moment is None:
            ir.async_delete_issue(self.hass, DOMAIN, issue_id)
        else:
            self._raise_issue(
                issue_id,
                "write_quota_spent",
                {
                    "device": device.ref.display_name,
                    "next_write": self._next_write_text(sn),
                },
            )

            @callback
            def _freed(_now: datetime) -> None:
                self._timers.pop(sn, None)
                self.async_update_issue(device)
                self._notify(sn)

            self._timers[sn] = async_track_point_in_utc_time(
                self.hass, _freed, moment + timedelta(seconds=1)
            )
        self._notify(sn)

    @callback
    def async_shutdown(self) -> None:
        """Cancel timers (the entry is unloading); the budget stays persisted."""
        for cancel in [*self._timers.values(), *self._readbacks.values()]:
            cancel()
        self._timers.clear()
        self._readbacks.clear()
