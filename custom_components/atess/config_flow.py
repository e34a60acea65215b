"""Config flow for ATESS Cloud: token, plants (created first on a fresh account); reauth, reconfigure.

What identifies an account: the OpenAPI has no account endpoint, and the token is a secret that
changes when it is renewed, so neither can be the unique id. The plants a token sees are what the
account *is* to the user, and plant ids are stable. The entry's unique id is therefore the
smallest plant id the token sees when the entry is created (ids compare numerically when they
are numbers), and the entry keeps every plant id its tokens have seen (account.py). A token that
sees any of them is the same account: a second entry for it aborts, and a new token (reauth,
reconfigure) is accepted even after the first plant was deleted; a token that sees none of them
belongs to someone else.

A fresh OpenAPI account sees no plant until one is added (the docs' steps 2-3). The flow then
asks for the plant and its DataLogs, shows what it will send, sends it on confirmation (the
bodies are built in onboarding.py), and goes on as for any account. A refusal brings back the
form whose input the cloud refused, with the cloud's own answer.
"""

from __future__ import annotations

from collections.abc import Mapping
import ipaddress
from typing import Any, override

from homeassistant.config_entries import ConfigFlowResult
from homeassistant.const import CONF_TOKEN, CONF_URL
from homeassistant.core import callback
from homeassistant.data_entry_flow import section
from homeassistant.helpers.selector import TextSelector, TextSelectorConfig, TextSelectorType
from yarl import URL

from .account import account_id, same_account, with_plants
from .api import AtessAuthError, AtessConnectionError, AtessError, Plant
from .compat import vol
from .const import CONF_ENERGY_DASHBOARD, CONF_PLANTS, DEFAULT_URL, DOMAIN, LOGGER
from .energy_dashboard import async_dashboard_empty
from .onboarding import flow_client
from .onboarding_flow import AtessOnboardingFlow
from .options_flow import AtessOptionsFlow
from .plant_flow import plant_selector
from .runtime import AtessConfigEntry

SECTION_ADVANCED = "advanced"
TOKEN_SELECTOR = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))
URL_SELECTOR = TextSelector(TextSelectorConfig(type=TextSelectorType.URL))


def url_error(url: str) -> str | None:
    """Why the token must not go to `url`, or None when it may."""
    try:
        parsed = URL(url)
    except ValueError:
        return "invalid_url"
    if parsed.scheme not in ("http", "https") or not parsed.host:
        return "invalid_url"
    if parsed.scheme == "https":
        return None
    # plain http only to this machine (the built-in simulator): elsewhere the token travels in clear
    if parsed.host == "localhost":
        return None
    try:
        return None if ipaddress.ip_address(parsed.host).is_loopback else "insecure_url"
    except ValueError:
        return "insecure_url"


class AtessConfigFlow(AtessOnboardingFlow, domain=DOMAIN):
    """Set up an ATESS account."""

    VERSION = 1
    MINOR_VERSION = 2  # 1.2: the data keeps the plant ids the tokens have seen

    def __init__(self) -> None:
        """Start with nothing known."""
        super().__init__()
        self._plants: list[Plant] = []
        self._chosen: list[str] = []

    @override
    async def _async_fetch_plants(self, data: Mapping[str, Any]) -> tuple[list[Plant], str | None]:
        """Check a token (one cheap call: the plant list); the plants, or an error key."""
        url = data.get(CONF_URL, DEFAULT_URL)
        if error := url_error(url):
            return [], error
        try:
            return await flow_client(self.hass, data).async_validate(), None
        except AtessAuthError:
            return [], "invalid_auth"
        except AtessConnectionError:
            return [], "cannot_connect"
        except AtessError as err:
            LOGGER.warning("The ATESS cloud answered the token check with an error: %s", err)
            return [], "cannot_connect"
        except Exception:  # noqa: BLE001  (the flow must show a form, whatever happened)
            LOGGER.exception("Unexpected error while checking the ATESS token")
            return [], "unknown"

    @override
    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Take the token (and, in advanced mode, the server URL) and check it."""
        errors: dict[str, str] = {}
        if user_input is not None:
            url = user_input.get(SECTION_ADVANCED, {}).get(CONF_URL) or DEFAULT_URL
            data = {
                CONF_TOKEN: user_input[CONF_TOKEN].strip(),
                CONF_URL: url.strip().rstrip("/"),
            }
            plants, error = await self._async_fetch_plants(data)
            if error:
                errors["base"] = error
            else:
                self._data = data
                if not plants:
                    return await self.async_step_create_plant()
                return await self._async_continue(plants)
        schema = vol.Schema(
            {
                vol.Required(CONF_TOKEN): TOKEN_SELECTOR,
                # only for a test server: folded away so that owners are not asked about it
                vol.Required(SECTION_ADVANCED): section(
                    vol.Schema({vol.Required(CONF_URL, default=DEFAULT_URL): URL_SELECTOR}),
                    {"collapsed": True},
                ),
            }
        )
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(schema, user_input),
            errors=errors,
        )

    @override
    async def _async_continue(self, plants: list[Plant]) -> ConfigFlowResult:
        """The token sees plants: one entry per account, then the plant choice if several."""
        await self.async_set_unique_id(account_id(plants))
        self._abort_if_unique_id_configured()
        if any(same_account(e, plants) for e in self._async_current_entries(include_ignore=False)):
            return self.async_abort(reason="already_configured")
        self._plants = plants
        if len(plants) == 1:
            return await self._async_create([plants[0].plant_id])
        return await self.async_step_plants()

    async def async_step_plants(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Choose plants (all by default)."""
        errors: dict[str, str] = {}
        if user_input is not None:
            if user_input[CONF_PLANTS]:
                return await self._async_create(list(user_input[CONF_PLANTS]))
            errors["base"] = "no_plant_selected"
        return self.async_show_form(
            step_id="plants",
            data_schema=vol.Schema(
                {
                    vol.Required(
                        CONF_PLANTS, default=[p.plant_id for p in self._plants]
                    ): plant_selector(self._plants)
                }
            ),
            errors=errors,
        )

    async def _async_create(self, plant_ids: list[str]) -> ConfigFlowResult:
        self._chosen = plant_ids
        return await self.async_step_energy()

    async def async_step_energy(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Offer the Energy dashboard once: ticked when it is still empty."""
        if user_input is None:
            empty = await async_dashboard_empty(self.hass)
            return self.async_show_form(
                step_id="energy",
                data_schema=vol.Schema({vol.Required(CONF_ENERGY_DASHBOARD, default=empty): bool}),
            )
        names = [p.name or p.plant_id for p in self._plants if p.plant_id in self._chosen]
        # the entry's setup adds the sources once the plant totals exist (see __init__.py)
        pending = {CONF_ENERGY_DASHBOARD: True} if user_input[CONF_ENERGY_DASHBOARD] else {}
        return self.async_create_entry(
            title=f"ATESS {', '.join(names)}" if names else "ATESS",
            data=with_plants({**self._data, **pending}, (p.plant_id for p in self._plants)),
            options={CONF_PLANTS: self._chosen},
        )

    async def async_step_reauth(self, entry_data: Mapping[str, Any]) -> ConfigFlowResult:
        """The cloud rejected the token: ask for a new one."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Take a new token for the same account."""
        errors: dict[str, str] = {}
        if user_input is not None:
            entry = self._get_reauth_entry()
            data = {**entry.data, CONF_TOKEN: user_input[CONF_TOKEN].strip()}
            result = await self._async_update_connection(entry, data, errors)
            if result is not None:
                return result
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=vol.Schema({vol.Required(CONF_TOKEN): TOKEN_SELECTOR}),
            errors=errors,
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the token or the server URL."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            data = {
                CONF_TOKEN: user_input[CONF_TOKEN].strip(),
                CONF_URL: user_input[CONF_URL].strip().rstrip("/"),
            }
            result = await self._async_update_connection(entry, data, errors)
            if result is not None:
                return result
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(
                vol.Schema(
                    {
                        vol.Required(CONF_TOKEN): TOKEN_SELECTOR,
                        vol.Required(CONF_URL): URL_SELECTOR,
                    }
                ),
                {CONF_URL: entry.data.get(CONF_URL, DEFAULT_URL), **(user_input or {})},
            ),
            errors=errors,
        )

    @staticmethod
    @callback
    @override
    def async_get_options_flow(config_entry: AtessConfigEntry) -> AtessOptionsFlow:
        """Options: the plant selection, the history depth, the DataLogs."""
        return AtessOptionsFlow()

    async def _async_update_connection(
        self, entry: AtessConfigEntry, data: dict[str, Any], errors: dict[str, str]
    ) -> ConfigFlowResult | None:
        """Check new connection data; it must still see one of the account's plants."""
        plants, error = await self._async_fetch_plants(data)
        if error:
            errors["base"] = error
            return None
        if not same_account(entry, plants):
            return self.async_abort(reason="wrong_account")
        data = with_plants({**entry.data, **data}, (p.plant_id for p in plants))
        return self.async_update_reload_and_abort(entry, data=data)
