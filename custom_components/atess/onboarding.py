"""Onboarding a fresh OpenAPI account: the requests that add a plant and attach DataLogs.

The docs name these steps ("add Plant", "add DataLog") but show no request body. Every body the
integration sends for them is built here and nowhere else, and every one is inferred (see
"Onboarding requests (inferred)" in docs/cloud-contract.md):

- add plant: ``{"plantName", "timezone", "nominalPower"}``, the names under which the plant
  object is read. ``nominalPower`` goes in watts because the plant object carries watts
  (``Plant.nominal_power_w``); the owner types kilowatts.
- add DataLog: ``{"plantId", "dataLogSn", "validCode"}`` (``validCode`` only when the owner has
  one); the client builds this body from the three values (``AtessClient.async_add_datalog``).
- remove DataLog: ``dataLogSn`` as a query parameter (``AtessClient.async_delete_datalog``).

Whatever the cloud answers is logged at info level: a refusal with its code and msg word for word
(the owner also sees it on the form), an acceptance with the shape of its ``data``. The first
owner's log then says which body the cloud wants.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
import json
from typing import Any
import zoneinfo

from homeassistant.config_entries import ConfigFlowResult
from homeassistant.const import CONF_NAME, CONF_TIME_ZONE, CONF_TOKEN, CONF_URL, UnitOfPower
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowHandler
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.selector import (
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
)

from .account import account_throttle
from .api import AtessClient, AtessConnectionError, AtessError, AtessResponseError, Plant
from .compat import vol
from .const import DEFAULT_URL, LOGGER
from .models import mask_serial

CONF_DATALOG_SN = "datalog_sn"
CONF_VALID_CODE = "valid_code"
CONF_NOMINAL_POWER = "nominal_power"
ERROR_REFUSED = "cloud_refused"
DONE = "✓"
# The DataLog form's fields, in the config flow (onboarding) and in the options
DATALOG_FIELDS = {
    vol.Required(CONF_DATALOG_SN): TextSelector(),
    vol.Optional(CONF_VALID_CODE): TextSelector(),
}


def flow_client(hass: HomeAssistant, data: Mapping[str, Any]) -> AtessClient:
    """A client for a flow, on Home Assistant's shared session and the account's throttle."""
    return AtessClient(
        async_get_clientsession(hass),
        data[CONF_TOKEN],
        base_url=data.get(CONF_URL, DEFAULT_URL),
        throttle=account_throttle(hass, data),
    )


async def async_time_zones(hass: HomeAssistant) -> list[str]:
    """Every IANA zone name, sorted (listing them reads files: not in the event loop)."""
    return sorted(await hass.async_add_executor_job(zoneinfo.available_timezones))


@dataclass(frozen=True, slots=True, kw_only=True)
class PlantRequest:
    """The plant the owner described, not sent yet."""

    name: str
    timezone: str
    nominal_power_kw: float

    @property
    def form_values(self) -> dict[str, Any]:
        """The form's values, to show the form again as the owner filled it."""
        return {
            CONF_NAME: self.name,
            CONF_TIME_ZONE: self.timezone,
            CONF_NOMINAL_POWER: self.nominal_power_kw,
        }

    @property
    def body(self) -> dict[str, Any]:
        """The add-plant body (inferred: see the module docstring)."""
        return {
            "plantName": self.name,
            "timezone": self.timezone,
            "nominalPower": round(self.nominal_power_kw * 1000),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class DatalogRequest:
    """A DataLog to attach: its serial number and, when the owner has one, its validation code."""

    sn: str
    valid_code: str | None = None

    @property
    def form_values(self) -> dict[str, str]:
        """The form's values, to show the form again as the owner filled it."""
        return {CONF_DATALOG_SN: self.sn, CONF_VALID_CODE: self.valid_code or ""}

    @property
    def summary_line(self) -> str:
        """One markdown list item: the serial and the code as they will be sent."""
        code = f" · validCode `{self.valid_code}`" if self.valid_code else ""
        return f"- `{self.sn}`{code}"


def datalog_request(
    user_input: Mapping[str, Any], taken: Sequence[str]
) -> tuple[DatalogRequest | None, str | None]:
    """Read the DataLog form: the request, or the error key of the serial number field."""
    sn = str(user_input[CONF_DATALOG_SN]).strip()
    if not sn:
        return None, "serial_missing"
    if sn in taken:
        return None, "datalog_duplicate"
    code = str(user_input.get(CONF_VALID_CODE) or "").strip()
    return DatalogRequest(sn=sn, valid_code=code or None), None


def summary(
    plant: PlantRequest,
    plant_id: str | None,
    attached: Sequence[DatalogRequest],
    pending: Sequence[DatalogRequest],
) -> dict[str, str]:
    """The confirm step's placeholders: what will be sent, and what already was (marked ✓)."""
    created = f" {DONE} plantId `{plant_id}`" if plant_id else ""
    lines = [f"{log.summary_line} {DONE}" for log in attached]
    lines += [log.summary_line for log in pending]
    return {
        "plant": f"`{json.dumps(plant.body, ensure_ascii=False)}`{created}",
        "power": f"{plant.nominal_power_kw:g}",
        "datalogs": "\n".join(lines),
    }


def _shape(data: Any) -> str:
    """What an accepted request's answer held: an object's keys only (values may locate the plant)."""
    if isinstance(data, dict):
        return "an object with the keys " + ", ".join(sorted(map(str, data)))
    return json.dumps(data, ensure_ascii=False)


def plant_schema(zones: list[str]) -> vol.Schema:
    """The plant's own settings: name, time zone (one of `zones`) and nominal power in kW."""
    return vol.Schema(
        {
            vol.Required(CONF_NAME): TextSelector(),
            vol.Required(CONF_TIME_ZONE): SelectSelector(
                SelectSelectorConfig(options=zones, mode=SelectSelectorMode.DROPDOWN)
            ),
            vol.Required(CONF_NOMINAL_POWER): NumberSelector(
                NumberSelectorConfig(
                    min=0.1,
                    max=1_000_000,
                    step=0.1,
                    mode=NumberSelectorMode.BOX,
                    unit_of_measurement=UnitOfPower.KILO_WATT,
                )
            ),
        }
    )


def refusal(err: AtessError, action: str, errors: dict[str, str]) -> dict[str, str]:
    """Put the form error for a failed request in `errors`; its placeholders.

    A refusal is shown with the cloud's answer (code and msg as the client keeps them) and
    logged at info level: it is what a maintainer needs to correct an inferred body.
    """
    if isinstance(err, AtessConnectionError):
        errors["base"] = "cannot_connect"
        return {"answer": ""}
    LOGGER.info("The ATESS cloud refused to %s: %s", action, err.detail)
    errors["base"] = ERROR_REFUSED
    return {"answer": err.detail}


def show_form(
    flow: FlowHandler[Any, ConfigFlowResult, Any],
    step_id: str,
    schema: vol.Schema,
    values: Mapping[str, Any] | None,
    errors: dict[str, str],
    placeholders: dict[str, str],
) -> ConfigFlowResult:
    """A form filled with the owner's input (or suggestions): a refusal keeps what was typed."""
    return flow.async_show_form(
        step_id=step_id,
        data_schema=flow.add_suggested_values_to_schema(schema, values),
        errors=errors,
        description_placeholders=placeholders,
    )


def created_plant_id(answer: Any) -> str | None:
    """The new plant's id, if the add-plant answer names it (an object, or the bare id)."""
    if isinstance(answer, dict):
        try:
            return Plant.from_api(answer).plant_id
        except AtessResponseError:
            return None
    if isinstance(answer, (str, int)) and not isinstance(answer, bool) and str(answer).strip():
        return str(answer).strip()
    return None


async def async_add_plant(client: AtessClient, request: PlantRequest) -> str | None:
    """Create the plant; its id, found in the answer or else by its name in the plant list."""
    answer = await client.async_add_plant(**request.body)
    LOGGER.info("The ATESS cloud created the plant; its answer's data: %s", _shape(answer))
    if (plant_id := created_plant_id(answer)) is not None:
        return plant_id
    plants = await client.async_get_plants()
    return next((p.plant_id for p in plants if p.name == request.name), None)


async def async_add_datalog(client: AtessClient, plant_id: str, request: DatalogRequest) -> None:
    """Attach a DataLog to a plant."""
    answer = await client.async_add_datalog(plant_id, request.sn, request.valid_code)
    LOGGER.info(
        "The ATESS cloud attached DataLog %s; its answer's data: %s",
        mask_serial(request.sn),
        _shape(answer),
    )


async def async_remove_datalog(client: AtessClient, sn: str) -> None:
    """Detach a DataLog from its plant."""
    await client.async_delete_datalog(sn)
    LOGGER.info("The ATESS cloud detached DataLog %s", mask_serial(sn))
