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

# Ways another cloud could read the same docs (`--dialect`); README "Dialects" says what each does.
DIALECTS: tuple[str, ...] = (
    "alt-routes",
    "no-pcs-realtime",
    "code-200",
    "code-0",
    "data-array",
    "data-paged",
    "text-numbers",
    "fresh-account",
)
# Dialects that contradict each other: at most one of each group.
EXCLUSIVE_DIALECTS: tuple[frozenset[str], ...] = (
    frozenset({"code-200", "code-0"}),
    frozenset({"data-array", "data-paged"}),
)


# How DataLogs upload (model/uploads.py): `aligned` = on the 5-minute grid, visible at once.
UPLOAD_MODELS: tuple[str, ...] = ("aligned", "realistic")
# A missed-upload rate this high would leave the history mostly empty; refuse it.
MAX_MISSED_UPLOAD_RATE = 0.5


def parse_dialects(text: str) -> frozenset[str]:
    """Parse `NAME[,NAME...]`, checking the names; raises ValueError naming the problem."""
    names = frozenset(name.strip() for name in text.split(",") if name.strip())
    check_dialects(names)
    return names


def check_dialects(names: frozenset[str]) -> None:
    """Raise ValueError for an unknown dialect or two that contradict each other."""
    unknown = sorted(names - set(DIALECTS))
    if unknown:
        raise ValueError(f"unknown dialect {', '.join(unknown)} (known: {', '.join(DIALECTS)})")
    for group in EXCLUSIVE_DIALECTS:
        if len(names & group) > 1:
            raise ValueError(f"dialects {' and '.join(sorted(group))} exclude each other")


@dataclass(frozen=True, slots=True)
class SimulatorConfig:
    """Everything that shapes a simulator run; every knob has a default."""

    token: str = "demo-token"  # noqa: S105 - the public demo token, not a secret
    seed: int = 1
    # The fault knobs (FAULT_KNOBS), each rate the share of API requests that get its fault:
    latency: float = 0.0  # seconds added to every request
    error_rate: float = 0.0  # the envelope's failure code instead of the answer
    http_error_rate: float = 0.0  # HTTP 502 or 503 with an HTML page
    throttle_rate: float = 0.0  # HTTP 429 with Retry-After
    malformed_rate: float = 0.0  # a body that is not JSON
    truncated_rate: float = 0.0  # the JSON cut in half
    missing_fields_rate: float = 0.0  # payloads with some fields left out
    extra_fields_rate: float = 0.0  # payloads with fields no client asked for
    string_numbers_rate: float = 0.0  # numbers sent as strings
    timeout_rate: float = 0.0  # held past any client timeout (timeout_seconds)
    plants: int = 1
    devices_per_kind: int = 1
    timezone: str = "Europe/Berlin"
    write_limit_per_day: int = 10
    # How far before the first computed sample the simulated history starts.
    history_days: int = 30
    # An injected timeout holds the request this long: far beyond any sane client timeout.
    timeout_seconds: float = 60.0
    # Names from DIALECTS; empty = the cloud as docs/cloud-contract.md reads it.
    dialects: frozenset[str] = frozenset()
    # Upload timing; None = the model's own default (aligned: none; realistic: 2 %, 5-90 s, 30 ppm).
    upload_model: str = "aligned"
    missed_upload_rate: float | None = None
    visibility_delay: tuple[float, float] | None = None
    clock_drift_ppm: float | None = None

    def __post_init__(self) -> None:
        """Refuse bad dialects and upload knobs at once, not at the first request."""
        check_dialects(frozenset(self.dialects))
        check_upload_knobs(self)

    def fault_knobs(self) -> dict[str, float]:
        """Return the initial fault knobs of this configuration."""
        return {name: float(getattr(self, name)) for name in FAULT_KNOBS}


def check_upload_knobs(config: SimulatorConfig) -> None:
    """Raise ValueError for an unknown upload model or a knob out of range."""
    if config.upload_model not in UPLOAD_MODELS:
        raise ValueError(f"unknown upload model {config.upload_model}")
    rate = config.missed_upload_rate
    if rate is not None and not 0.0 <= rate <= MAX_MISSED_UPLOAD_RATE:
        raise ValueError(f"missed upload rate must be 0..{MAX_MISSED_UPLOAD_RATE}")
    delay = config.visibility_delay
    if delay is not None and not 0.0 <= delay[0] <= delay[1]:
        raise ValueError("visibility delay must be MIN,MAX with 0 <= MIN <= MAX")
    if config.clock_drift_ppm is not None and not 0.0 <= config.clock_drift_ppm <= 1000.0:
        raise ValueError("clock drift must be 0..1000 ppm")


def config_field_names() -> tuple[str, ...]:
    """Return the names of every configuration field (used by the CLI and tests)."""
    return tuple(field.name for field in fields(SimulatorConfig))
