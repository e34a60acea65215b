"""End-to-end tests run Home Assistant as a separate process, so they need no `hass` fixture."""

import pytest


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """Override the suite's autouse fixture: it would build an in-process `hass` for nothing."""
