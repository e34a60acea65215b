"""The config flow's steps for a fresh OpenAPI account: create the plant, attach its DataLogs.

A fresh account sees no plant until one is added (the docs' steps 2-3, "add Plant" and "add
DataLog"). These steps ask for the plant and its DataLogs, show what will be sent, and send it
only when the owner confirms; the request bodies are built in onboarding.py. A refusal brings
back the form whose input the cloud refused, with the cloud's own answer, the input kept. What
was sent successfully is not sent again (a DataLog refused after the plant was created is sent
alone the next time). Then the config flow goes on as for any account.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.config_entries import ConfigFlow, ConfigFlowResult
from homeassistant.const import CONF_NAME, CONF_TIME_ZONE
from homeassistant.helpers.selector import (
    BooleanSelector,
)

from .api import AtessError, Plant
from .compat import vol
from .onboarding import (
    CONF_DATALOG_SN,
    CONF_NOMINAL_POWER,
    DATALOG_FIELDS,
    ERROR_REFUSED,
    DatalogRequest,
    PlantRequest,
    async_add_datalog,
    async_add_plant,
    async_time_zones,
    datalog_request,
    flow_client,
    plant_schema,
    refusal,
    show_form,
    summary,
)

CONF_ADD_ANOTHER = "add_another"


class AtessOnboardingFlow(ConfigFlow):
    """The onboarding steps; the config flow supplies the token check and what comes after."""

    def __init__(self) -> None:
        """Nothing described, nothing sent."""
        self._data: dict[str, Any] = {}
        # blank until the create_plant step, the only way to the steps that read it
        self._plant = PlantRequest(name="", timezone="UTC", nominal_power_kw=0.0)
        self._plant_id: str | None = None  # set once the cloud has created the plant
        self._attached: list[DatalogRequest] = []
        self._pending: list[DatalogRequest] = []

    async def _async_fetch_plants(self, data: Mapping[str, Any]) -> tuple[list[Plant], str | None]:
        """The plants the token sees, or an error key."""
        raise NotImplementedError

    async def _async_continue(self, plants: list[Plant]) -> ConfigFlowResult:
        """Go on as for an account that has plants."""
        raise NotImplementedError

    async def async_step_create_plant(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The account has no plant: describe the one to create (nothing is sent yet)."""
        errors: dict[str, str] = {}
        if user_input is not None:
            if name := user_input[CONF_NAME].strip():
                self._plant = PlantRequest(
                    name=name,
                    timezone=user_input[CONF_TIME_ZONE],
                    nominal_power_kw=float(user_input[CONF_NOMINAL_POWER]),
                )
                # back here because the cloud refused the plant: the DataLogs are already known
                if self._pending:
                    return await self.async_step_onboard_confirm()
                return await self.async_step_add_datalog()
            errors[CONF_NAME] = "name_missing"
        return await self._async_plant_form(user_input, errors, {"answer": ""})

    async def _async_plant_form(
        self,
        values: Mapping[str, Any] | None,
        errors: dict[str, str],
        placeholders: dict[str, str],
    ) -> ConfigFlowResult:
        schema = plant_schema(await async_time_zones(self.hass))
        suggested = {CONF_TIME_ZONE: self.hass.config.time_zone, **(values or {})}
        return show_form(self, "create_plant", schema, suggested, errors, placeholders)

    async def async_step_add_datalog(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """A DataLog of the new plant: its serial number and, if the owner has one, its code."""
        if user_input is None:
            return self._datalog_form(None, {}, {"answer": ""})
        taken = [log.sn for log in (*self._attached, *self._pending)]
        request, error = datalog_request(user_input, taken)
        if request is None:
            return self._datalog_form(user_input, {CONF_DATALOG_SN: str(error)}, {"answer": ""})
        self._pending.append(request)
        if user_input.get(CONF_ADD_ANOTHER):
            return self._datalog_form(None, {}, {"answer": ""})
        return await self.async_step_onboard_confirm()

    def _datalog_form(
        self,
        values: Mapping[str, Any] | None,
        errors: dict[str, str],
        placeholders: dict[str, str],
    ) -> ConfigFlowResult:
        schema = vol.Schema(
            {
                **DATALOG_FIELDS,
                vol.Required(CONF_ADD_ANOTHER, default=False): BooleanSelector(),
            }
        )
        return show_form(self, "add_datalog", schema, values, errors, placeholders)

    async def async_step_onboard_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show what will be sent; on submit send what is not sent yet, then set up as usual."""
        errors: dict[str, str] = {}
        if user_input is not None:
            client = flow_client(self.hass, self._data)
            if self._plant_id is None:
                try:
                    self._plant_id = await async_add_plant(client, self._plant)
                except AtessError as err:
                    placeholders = refusal(err, "create the plant", errors)
                    if errors["base"] == ERROR_REFUSED:
                        values = self._plant.form_values
                        return await self._async_plant_form(values, errors, placeholders)
                    return self._confirm_form(errors)
                if self._plant_id is None:
                    return self.async_abort(reason="plant_not_listed")
            while self._pending:
                request = self._pending[0]
                try:
                    await async_add_datalog(client, self._plant_id, request)
                except AtessError as err:
                    placeholders = refusal(err, "attach a DataLog", errors)
                    if errors["base"] == ERROR_REFUSED:
                        # the owner corrects it on its form; it comes back to the end of the list
                        self._pending.pop(0)
                        return self._datalog_form(request.form_values, errors, placeholders)
                    return self._confirm_form(errors)
                self._attached.append(self._pending.pop(0))
            plants, error = await self._async_fetch_plants(self._data)
            if plants:
                return await self._async_continue(plants)
            if not error:
                return self.async_abort(reason="plant_not_listed")
            errors["base"] = error
        return self._confirm_form(errors)

    def _confirm_form(self, errors: dict[str, str]) -> ConfigFlowResult:
        return self.async_show_form(
            step_id="onboard_confirm",
            errors=errors,
            description_placeholders=summary(
                self._plant, self._plant_id, self._attached, self._pending
            ),
        )
