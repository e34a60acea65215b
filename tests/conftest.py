"""Shared fixtures: let Home Assistant load custom_components/ in every test."""

import pytest


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Enable custom integrations (a fixture of pytest-homeassistant-custom-component)."""
