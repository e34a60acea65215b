"""The client against the simulator over loopback: every operation, and every fault knob."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta
import logging
from typing import Any

import pytest

from custom_components.atess.api import (
    OPERATIONS,
    AtessApiError,
    AtessAuthError,
    AtessClient,
    AtessConnectionError,
    AtessError,
    AtessNotFoundError,
    AtessRateLimitError,
    AtessResponseError,
    AtessWriteLimitError,
    DeviceKind,
    HistoryRecord,
    Plant,
)

from .conftest import TOKEN, Simulator

type MakeClient = Callable[..., AtessClient]


async def _writable_setting(client: AtessClient, kind: DeviceKind, sn: str) -> tuple[str, Any]:
    """Pick a setting and its current value: writing it back changes nothing on the device."""
    settings = await client.async_get_settings(kind, sn)
    key = next(k for k, v in settings.values.items() if isinstance(v, (int, float)))
    return key, settings.get(key)


async def test_every_one_of_the_45_operations_works(
    simulator: Simulator, client: AtessClient
) -> None:
    plants = await client.async_validate()
    assert plants
    assert all(isinstance(plant, Plant) for plant in plants)
    plant = await client.async_get_plant(plants[0].plant_id)
    assert plant.plant_id == plants[0].plant_id
    assert plant.timezone

    datalogs = await client.async_get_datalogs(plant.plant_id)
    assert datalogs
    datalog = await client.async_get_datalog(datalogs[0].sn)
    assert datalog.sn == datalogs[0].sn

    devices = await simulator.devices()
    assert {device["kind"] for device in devices} == {kind.value for kind in DeviceKind}
    now = datetime.now()  # noqa: DTZ005 - the cloud takes naive plant-local times
    for kind in DeviceKind:
        device = await simulator.device(kind)
        sn = device["deviceSn"]
        listed = await client.async_get_base_info_list(kind, device["dataLogSn"])
        assert sn in {info.device_sn for info in listed}
        info = await client.async_get_base_info(kind, sn)
        assert (info.device_sn, info.kind) == (sn, kind)
        realtime = await client.async_get_realtime(kind, sn)
        assert realtime.keys()
        assert realtime.sample_time is not None
        page = await client.async_get_history_page(
            kind, sn, now - timedelta(hours=6), now, 1, page_size=10
        )
        assert page.records
        assert all(isinstance(record, HistoryRecord) for record in page.records)
        assert page.records[0].sample_time is not None
        key, value = await _writable_setting(client, kind, sn)
        await client.async_modify_setting(kind, sn, key, value)

    created = await client.async_add_plant(
        plantName="Test plant",
        country="Germany",
        city="Berlin",
        timezone="Europe/Berlin",
        nominalPower=10000,
    )
    new_plants = {p.plant_id for p in await client.async_get_plants()} - {
        p.plant_id for p in plants
    }
    assert len(new_plants) == 1, created
    new_id = new_plants.pop()
    await client.async_modify_plant(new_id, plantName="Renamed")
    assert (await client.async_get_plant(new_id)).name == "Renamed"
    await client.async_add_datalog(new_id, "DLXTEST0001", valid_code="1234")
    assert [d.sn for d in await client.async_get_datalogs(new_id)] == ["DLXTEST0001"]
    await client.async_delete_datalog("DLXTEST0001")
    await client.async_delete_plant(new_id)
    with pytest.raises(AtessNotFoundError):
        await client.async_get_plant(new_id)

    assert simulator.seen >= {(op.method, op.path) for op in OPERATIONS}


async def test_history_iterator_walks_every_page(simulator: Simulator, client: AtessClient) -> None:
    device = await simulator.device("hps_small")
    now = datetime.now()  # noqa: DTZ005
    start = now - timedelta(hours=3)
    first = await client.async_get_history_page(
        "hps_small", device["deviceSn"], start, now, 1, page_size=1000
    )
    expected = [record.sample_time for record in first.records]
    assert 7 < len(expected) < 1000
    walked = [
        record.sample_time
        async for record in client.iter_history(
            "hps_small", device["deviceSn"], start, now, page_size=7
        )
    ]
    assert walked == expected
    assert all(moment is not None and start <= moment <= now for moment in walked)


async def test_bad_token_is_an_auth_error(simulator: Simulator, make_client: MakeClient) -> None:
    client = make_client(simulator.base_url, token="wrong-token")
    with pytest.raises(AtessAuthError) as caught:
        await client.async_validate()
    assert "wrong-token" not in str(caught.value)


async def test_unknown_serial_is_not_found(client: AtessClient) -> None:
    with pytest.raises(AtessNotFoundError, match=r"^realtime pcs failed"):
        await client.async_get_realtime("pcs", "NO-SUCH-SERIAL")


async def test_the_eleventh_write_of_a_day_hits_the_write_limit(
    simulator: Simulator, client: AtessClient
) -> None:
    device = await simulator.device("hps_big")
    key, value = await _writable_setting(client, DeviceKind.HPS_BIG, device["deviceSn"])
    for _ in range(10):
        await client.async_modify_setting("hps_big", device["deviceSn"], key, value)
    with pytest.raises(AtessWriteLimitError, match="10 times per day"):
        await client.async_modify_setting("hps_big", device["deviceSn"], key, value)
    stats = await simulator.stats()
    assert stats["writes_applied"] == {device["deviceSn"]: 10}


@pytest.mark.parametrize(
    ("knob", "error"),
    [
        ("error_rate", AtessApiError),
        ("http_error_rate", AtessApiError),
        ("throttle_rate", AtessRateLimitError),
        ("malformed_rate", AtessResponseError),
        ("truncated_rate", AtessResponseError),
    ],
)
async def test_fault_knobs_become_atess_errors(
    simulator: Simulator, client: AtessClient, knob: str, error: type[AtessError]
) -> None:
    device = await simulator.device("pbd")
    await simulator.faults(**{knob: 1.0})
    with pytest.raises(error) as caught:
        await client.async_get_realtime("pbd", device["deviceSn"])
    assert caught.value.operation == "realtime pbd"
    if isinstance(caught.value, AtessRateLimitError):
        assert caught.value.retry_after is not None
        assert caught.value.retry_after > 0
    if knob == "http_error_rate":
        assert isinstance(caught.value, AtessApiError)
        assert caught.value.code is not None
        assert caught.value.code >= 500


async def test_timeout_fault_is_a_connection_error(
    simulator: Simulator, make_client: MakeClient
) -> None:
    client = make_client(simulator.base_url, request_timeout=0.2)
    device = await simulator.device("bcu")
    await simulator.faults(timeout_rate=1.0)
    with pytest.raises(AtessConnectionError, match=r"^realtime bcu failed: no answer"):
        await client.async_get_realtime("bcu", device["deviceSn"])


@pytest.mark.parametrize(
    "knob", ["string_numbers_rate", "missing_fields_rate", "extra_fields_rate"]
)
async def test_damaged_but_valid_payloads_still_parse(
    simulator: Simulator, client: AtessClient, knob: str
) -> None:
    device = await simulator.device("pcs")
    clean = await client.async_get_realtime("pcs", device["deviceSn"])
    await simulator.faults(**{knob: 1.0})
    damaged = await client.async_get_realtime("pcs", device["deviceSn"])
    assert damaged.keys()
    if knob == "string_numbers_rate":
        assert any(isinstance(value, str) for value in damaged.raw.values())
        numeric = [k for k, v in clean.values.items() if isinstance(v, (int, float))]
        assert numeric
        assert all(isinstance(damaged.get(k), (int, float)) for k in numeric if k in damaged)
    await client.async_get_settings("pcs", device["deviceSn"])
    if knob == "missing_fields_rate":
        # a plant without its id cannot be told apart from a plant that is gone
        with pytest.raises(AtessResponseError, match="unusable"):
            await client.async_get_plants()
    else:
        await client.async_get_plants()


async def test_concurrency_cap_holds_at_the_server(
    simulator: Simulator, make_client: MakeClient
) -> None:
    client = make_client(simulator.base_url, max_concurrency=3)
    device = await simulator.device("pcs")
    await simulator.faults(latency=0.05)
    await asyncio.gather(*(client.async_get_realtime("pcs", device["deviceSn"]) for _ in range(12)))
    assert simulator.max_in_flight == 3


async def test_no_token_in_debug_logs(
    simulator: Simulator, client: AtessClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await client.async_get_plants()
    device = await simulator.device("mbms")
    await simulator.faults(error_rate=1.0)
    with pytest.raises(AtessApiError) as caught:
        await client.async_get_settings("mbms", device["deviceSn"])
    assert "/api/v1/plant/list -> HTTP 200" in caplog.text
    for text in (caplog.text, str(caught.value), repr(caught.value), repr(client)):
        assert TOKEN not in text
