"""Command line: `python -m simulator --host 127.0.0.1 --port 8900 --token demo-token ...`."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence
import contextlib
import signal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from aiohttp import web

from simulator.config import (
    DIALECTS,
    FAULT_KNOBS,
    UPLOAD_MODELS,
    SimulatorConfig,
    config_field_names,
    parse_dialects,
)
from simulator.http.app import build_app


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    defaults = SimulatorConfig()
    parser = argparse.ArgumentParser(
        prog="python -m simulator", description="Simulated ATESS cloud OpenAPI."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8900, help="port (0 = any free port)")
    parser.add_argument("--token", default=defaults.token, help="the only accepted Authorization")
    parser.add_argument("--seed", type=int, default=defaults.seed, help="seed of layout and values")
    for knob in FAULT_KNOBS:
        unit = "seconds added to every API request" if knob == "latency" else "probability 0..1"
        parser.add_argument(
            f"--{knob.replace('_', '-')}", type=float, default=getattr(defaults, knob), help=unit
        )
    parser.add_argument("--plants", type=int, default=defaults.plants, help="number of plants")
    parser.add_argument(
        "--devices-per-kind",
        type=int,
        default=defaults.devices_per_kind,
        help="devices of every kind per plant",
    )
    parser.add_argument("--timezone", default=defaults.timezone, help="IANA zone of the plants")
    parser.add_argument(
        "--write-limit-per-day",
        type=int,
        default=defaults.write_limit_per_day,
        help="setting writes allowed per device per plant-local day",
    )
    parser.add_argument(
        "--history-days",
        type=int,
        default=defaults.history_days,
        help="days of history before the first request",
    )
    parser.add_argument(
        "--dialect",
        default="",
        metavar="NAME[,NAME...]",
        help=f"answer like another reading of the docs: {', '.join(DIALECTS)}",
    )
    parser.add_argument(
        "--upload-model",
        choices=UPLOAD_MODELS,
        default=defaults.upload_model,
        help="aligned: records on the 5-minute grid, shown at once; realistic: a phase per "
        "DataLog, a visibility delay, missed uploads, clock drift",
    )
    parser.add_argument(
        "--missed-upload-rate",
        type=float,
        default=None,
        help="share of uploads that never arrive (default: the model's, realistic 0.02)",
    )
    parser.add_argument(
        "--visibility-delay",
        default=None,
        metavar="MIN,MAX",
        help="seconds from sampling to the cloud showing a record (default: realistic 5,90)",
    )
    parser.add_argument(
        "--clock-drift-ppm",
        type=float,
        default=None,
        help="largest DataLog clock drift in ppm (default: realistic 30)",
    )
    args = parser.parse_args(argv)
    try:
        args.visibility_delay = _delay_range(args.visibility_delay)
    except ValueError:
        parser.error("--visibility-delay must be MIN,MAX in seconds")
    try:
        args.dialects = parse_dialects(args.dialect)
    except ValueError as err:
        parser.error(str(err))
    try:
        ZoneInfo(args.timezone)
    except ZoneInfoNotFoundError, ValueError:
        parser.error(f"unknown timezone {args.timezone}")
    if args.plants < 1 or args.devices_per_kind < 0:
        parser.error("--plants must be >= 1 and --devices-per-kind >= 0")
    try:
        config_from_args(args)
    except ValueError as err:
        parser.error(str(err))
    return args


def _delay_range(text: str | None) -> tuple[float, float] | None:
    if text is None:
        return None
    low, high = (float(part) for part in text.split(","))
    return low, high


def config_from_args(args: argparse.Namespace) -> SimulatorConfig:
    """Build the configuration from parsed arguments: each option fills the field of its name."""
    given = vars(args)
    return SimulatorConfig(**{name: given[name] for name in config_field_names() if name in given})


async def serve(config: SimulatorConfig, host: str, port: int) -> None:
    """Serve until SIGINT or SIGTERM."""
    # Cancel handlers of clients that hang up, so held (timeout-fault) requests end with them.
    runner = web.AppRunner(build_app(config), handler_cancellation=True, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    bound_host, bound_port = runner.addresses[0][:2]
    print(f"ATESS cloud simulator listening on http://{bound_host}:{bound_port}", flush=True)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point."""
    args = parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(config_from_args(args), args.host, args.port))


if __name__ == "__main__":
    main()
