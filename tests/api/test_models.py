"""Parsing of the cloud's payloads into models, without the network."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from custom_components.atess.api import (
    AtessResponseError,
    BaseInfo,
    DataLog,
    DeviceKind,
    HistoryPage,
    HistoryRecord,
    Plant,
    RealtimeData,
    SettingsData,
)
from custom_components.atess.api.models import list_items, parse_list
from custom_components.atess.api.values import (
    parse_bool,
    parse_datetime,
    parse_float,
    parse_int,
    parse_str,
    parse_value,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12.5", 12.5),
        (" 7 ", 7),
        ("-3", -3),
        ("1e3", 1000.0),
        (".5", 0.5),
        ("null", None),
        ("NULL", None),
        ("", None),
        (None, None),
        ("true", True),
        ("False", False),
        (True, True),
        (4, 4),
        (2.25, 2.25),
        (float("nan"), None),
        ("1e999", None),
        ("00:00-06:00", "00:00-06:00"),
        ("HPS150HV", "HPS150HV"),
        ({"a": 1}, None),
        ("9" * 5000, "9" * 5000),
    ],
)
def test_values_parse_numbers_sent_as_strings(raw: object, expected: object) -> None:
    assert parse_value(raw) == expected
    assert type(parse_value(raw)) is type(expected)


def test_scalar_helpers_tolerate_odd_values() -> None:
    assert parse_float("3") == 3.0
    assert parse_float("abc") is None
    assert parse_float(True) is None
    assert parse_float(10**400) is None
    assert parse_int("5.0") == 5
    assert parse_int("5.5") is None
    assert parse_int(False) is None
    assert parse_str(12) == "12"
    assert parse_str("  ") is None
    assert parse_str(True) is None
    assert parse_str([1]) is None
    assert parse_bool(1) is True
    assert parse_bool("0") is False
    assert parse_bool("maybe") is None
    assert parse_bool(" Yes ") is True
    assert parse_bool(2) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2023-10-01 12:30:00", datetime(2023, 10, 1, 12, 30)),  # noqa: DTZ001 - plant-local
        ("2023/10/01 12:30:00", datetime(2023, 10, 1, 12, 30)),  # noqa: DTZ001
        ("2023-10-01T12:30:00Z", datetime(2023, 10, 1, 12, 30, tzinfo=UTC)),
        (1696163400, datetime(2023, 10, 1, 12, 30, tzinfo=UTC)),
        (1696163400000, datetime(2023, 10, 1, 12, 30, tzinfo=UTC)),
        (12, None),
        (10**400, None),
        (float("inf"), None),
        (True, None),
        ("yesterday", None),
        ([], None),
    ],
)
def test_time_stamps_parse_naive_as_plant_local(raw: object, expected: datetime | None) -> None:
    assert parse_datetime(raw) == expected


def test_realtime_keeps_every_field_and_reads_keys_in_any_case() -> None:
    data = RealtimeData.from_api(
        {
            "echargeToday": "12.5",
            "ppv1": 80,
            "valleyPeriodTime1": "00:00-06:00",
            "fault": "null",
            "time": "2024-05-01 10:00:00",
            "lost": "false",
            "cells": [3.2, 3.3],
            "meta": {"a": 1},
        }
    )
    assert data.get("eChargeToday") == 12.5
    assert data.get("ECHARGETODAY") == 12.5
    assert data.get("PPV1") == 80
    assert data.get("valleyPeriodTime1") == "00:00-06:00"
    assert data.get("fault") is None
    assert data.get("missing", 0) == 0
    assert "EchargeToday" in data
    assert 5 not in data
    assert "cells" not in data  # nested values live in raw only
    assert data.raw["cells"] == [3.2, 3.3]
    assert set(data.keys()) == {
        "echargeToday",
        "ppv1",
        "valleyPeriodTime1",
        "fault",
        "time",
        "lost",
    }
    assert data.sample_time == datetime(2024, 5, 1, 10)  # noqa: DTZ001
    assert data.lost is False


def test_exact_spelling_wins_when_two_keys_differ_only_in_case() -> None:
    data = SettingsData.from_api({"eChargeToday": 1, "echargeToday": 2})
    assert data.get("eChargeToday") == 1
    assert data.get("echargeToday") == 2
    assert data.get("ECHARGETODAY") == 1


def test_a_malformed_field_never_loses_the_others() -> None:
    data = RealtimeData.from_api({"time": "not a time", "lost": "perhaps", "soc": "55"})
    assert data.sample_time is None
    assert data.lost is None
    assert data.get("soc") == 55
    assert data.get("time") == "not a time"


def test_null_realtime_is_an_empty_payload_and_a_list_is_a_wrong_shape() -> None:
    assert RealtimeData.from_api(None).keys() == set()
    with pytest.raises(AtessResponseError, match="expected a JSON object, got an array"):
        RealtimeData.from_api([{"ppv": 1}])
    with pytest.raises(AtessResponseError, match="got a string"):
        SettingsData.from_api("x")


def test_history_record_time_falls_back_to_record_time() -> None:
    record = HistoryRecord.from_api({"recordTime": "2024-01-02 03:04:05"})
    assert record.sample_time == datetime(2024, 1, 2, 3, 4, 5)  # noqa: DTZ001
    assert HistoryRecord.from_api({"dataTime": "2024-01-02 03:04:05"}).sample_time is not None
    both = HistoryRecord.from_api({"time": "2024-01-02 00:00:00", "recordTime": "2020-01-01"})
    assert both.sample_time == datetime(2024, 1, 2)  # noqa: DTZ001


def test_plant_reads_every_alias() -> None:
    plant = Plant.from_api(
        {
            "plantID": 42,
            "name": "Home",
            "timeZone": "8",
            "atsTimezoneStr": "Asia/Shanghai",
            "lat": "31.2",
            "plantLng": 121.5,
            "country": "China",
            "city": "Shanghai",
            "nominalPower": "150000",
            "installDate": "2023-04-05",
            "plantAddress": "Road 1",
        }
    )
    assert plant.plant_id == "42"
    assert plant.name == "Home"
    assert plant.timezone == "Asia/Shanghai"  # the IANA name beats the hour offset
    assert (plant.latitude, plant.longitude) == (31.2, 121.5)
    assert plant.nominal_power_w == 150000.0
    assert plant.install_date == date(2023, 4, 5)
    assert plant.address == "Road 1"
    assert plant.raw["city"] == "Shanghai"


def test_plant_without_name_or_valid_coordinates_still_parses() -> None:
    plant = Plant.from_api({"plantId": "p1", "plantLat": 500, "timezone": "8"})
    assert plant.name == "p1"
    assert plant.latitude is None
    assert plant.timezone == "8"
    assert Plant.from_api({}, plant_id="p2").plant_id == "p2"
    with pytest.raises(AtessResponseError, match="no plantId"):
        Plant.from_api({"plantName": "x"})


def test_datalog_and_base_info_read_documented_fields() -> None:
    datalog = DataLog.from_api(
        {
            "dataLogSn": "DLX1",
            "plantId": 7,
            "deviceModel": "ShineWIFI",
            "firmwareVersion": "1.0",
            "lost": 0,
            "lastUpdate": "2024-01-01 00:05:00",
            "interval": "5",
        }
    )
    assert datalog == DataLog(
        sn="DLX1",
        plant_id="7",
        model="ShineWIFI",
        firmware="1.0",
        lost=False,
        last_update=datetime(2024, 1, 1, 0, 5),  # noqa: DTZ001
        interval_minutes=5.0,
        raw=datalog.raw,
    )
    with pytest.raises(AtessResponseError):
        DataLog.from_api({})
    info = BaseInfo.from_api(
        {
            "address": 1,
            "dataLogSn": "DLX1",
            "deviceNo": "2",
            "deviceSn": "BCD1",
            "firmwareVersion": "v1",
            "lost": True,
            "status": 3,
            "systemNo": 0,
            "updateTime": "2024-01-01 00:00:00",
        },
        DeviceKind.BCU,
    )
    assert (info.device_sn, info.kind, info.device_no, info.status, info.lost) == (
        "BCD1",
        DeviceKind.BCU,
        2,
        "3",
        True,
    )
    with pytest.raises(AtessResponseError, match="no deviceSn"):
        BaseInfo.from_api({}, DeviceKind.PCS)


def test_lists_accept_arrays_paging_objects_and_null() -> None:
    assert list_items([1], "x") == [1]
    assert list_items({"datas": [1, 2]}, "x") == [1, 2]
    assert list_items({"List": [3]}, "x") == [3]
    assert list_items({"records": None}, "x") == []
    assert list_items(None, "x") == []
    with pytest.raises(AtessResponseError, match="holds no list"):
        list_items({"total": 1}, "x")
    with pytest.raises(AtessResponseError, match="expected a list"):
        list_items(3, "x")
    plants = parse_list([{"plantId": "a"}, {"id": 2}], Plant.from_api, "p")
    assert [plant.plant_id for plant in plants] == ["a", "2"]
    # One broken item spoils the list: a missing id must not read as "that plant is gone".
    with pytest.raises(AtessResponseError, match="item 1 is unusable"):
        parse_list([{"plantId": "a"}, {"plantName": "no id"}], Plant.from_api, "p")


def test_history_page_takes_positive_paging_numbers_from_the_cloud() -> None:
    page = HistoryPage.from_api(
        {"datas": [{"time": "2024-01-01 00:00:00"}], "pageNo": 0, "pageSize": 0, "total": 0},
        page_no=3,
        page_size=10,
    )
    assert (page.page_no, page.page_size, page.total, len(page.records)) == (3, 10, 0, 1)
    page = HistoryPage.from_api(
        {"datas": [], "pageNo": 2, "pageSize": "50"}, page_no=1, page_size=9
    )
    assert (page.page_no, page.page_size, page.total) == (2, 50, None)
    assert HistoryPage.from_api([{"a": 1}], page_no=1, page_size=5).records[0].get("A") == 1
