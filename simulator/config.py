"""Configuration of one simulator instance: the account layout, the clock and the fault knobs."""

from __future__ import annotations

from dataclasses import dataclass, fields

# Names of the fault knobs, in the order the CLI lists them. `latency` is seconds, the rest are
# probabilities (0..1) drawn per API request.
FAULT_KNOBS: tuple[str, ...] = (
    "latency",
    "error_rate",
    "http_error_rate",
    "throttle_rate",
    "malformed_rate",
    "truncated_rate",
    "missing_fields_rate",
    "extra_fields_rate",
    "string_numbers_rate",
    "timeout_rate",
)


@dataclass(frozen=True, slots=True)
class SimulatorConfig:
    """Everything that shapes a simulator run; every knob has a default."""

    token: str = "demo-token"  # noqa: S105 - the public demo token, not a secret
    seed: int = 1
    latency: float = 0.0
    error_rate: float = 0.0
    http_error_rate: float = 0.0
    throttle_rate: float = 0.0
    malformed_rate: float = 0.0
    truncated_rate: float = 0.0
    missing_fields_rate: float = 0.0
    extra_fields_rate: float = 0.0
    string_numbers_rate: float = 0.0
    timeout_rate: float = 0.0
    plants: int = 1
    devices_per_kind: int = 1
    timezone: str = "Europe/Berlin"
    write_limit_per_day: int = 10
    # How far before the first computed sample the simulated history starts.
    history_days: int = 30
    # An injected timeout holds the request this long: far beyond any sane client timeout.
    timeout_seconds: float = 60.0

    def fault_knobs(self) -> dict[str, float]:
        """Return the initial fault knobs of this configuration."""
        return {name: float(getattr(self, name)) for name in FAULT_KNOBS}


def config_field_names() -> tuple[str, ...]:
    """Return the names of every configuration field (used by the CLI and tests)."""
    return tuple(field.name for field in fields(SimulatorConfig))
