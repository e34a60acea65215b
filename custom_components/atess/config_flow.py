"""Config flow for ATESS Cloud."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigFlow, ConfigFlowResult
from homeassistant.const import CONF_TOKEN
import probatio as vol

from .const import DOMAIN


class AtessConfigFlow(ConfigFlow, domain=DOMAIN):
    """Ask for the ATESS OpenAPI token."""

    VERSION = 1

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Take the token."""
        if user_input is not None:
            return self.async_create_entry(title="ATESS", data=user_input)
        return self.async_show_form(
            step_id="user", data_schema=vol.Schema({vol.Required(CONF_TOKEN): str})
        )
