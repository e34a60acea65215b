"""The client's operation table against docs/cloud-contract.md."""

from __future__ import annotations

from pathlib import Path
import re

import pytest

from custom_components.atess.api import (
    DEVICE_OPERATION_KINDS,
    OPERATIONS,
    DeviceKind,
    OperationKind,
    Source,
    get_operation,
)

CONTRACT = Path(__file__).parents[2] / "docs" / "cloud-contract.md"

_OPERATION_WORDS = {
    "base info": "base_info",
    "base info list": "base_info_list",
    "history": "history",
    "realtime": "realtime",
    "get setting": "get_setting",
    "modify setting": "modify_setting",
}
_SOURCES = {"doc": "doc", "3rd": "third-party", "seed": "seed", "inferred": "inferred"}


def _contract_rows() -> set[tuple[str | None, str, str, tuple[str, ...], str]]:
    """Read the 45 rows of the contract's path table (candidates in order, under /api/v1)."""
    rows: set[tuple[str | None, str, str, tuple[str, ...], str]] = set()
    for line in CONTRACT.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 6 or not cells[3].startswith("`/"):
            continue
        kind, operation, method, paths, _query, source = cells
        candidates = tuple("/api/v1" + path.strip(" `") for path in paths.split(","))
        source = _SOURCES[re.split(r"\W", source)[0]]
        if kind in ("datalog", "plant"):
            rows.add((None, f"{kind}_{operation}", method, candidates, source))
        else:
            rows.add((kind, _OPERATION_WORDS[operation], method, candidates, source))
    return rows


def test_table_matches_the_contract_row_for_row() -> None:
    contract = _contract_rows()
    table = {
        (op.kind, op.operation_kind.value, op.method, op.paths, op.source.value)
        for op in OPERATIONS
    }
    assert len(contract) == 45
    assert table == contract


def test_every_device_kind_has_all_six_operations() -> None:
    assert [kind.value for kind in DeviceKind] == [
        "bcu",
        "mbms",
        "hps_big",
        "hps_small",
        "pbd",
        "pcs",
    ]
    for kind in DeviceKind:
        for operation_kind in DEVICE_OPERATION_KINDS:
            assert get_operation(kind, operation_kind).kind is kind


def test_operation_lookup_accepts_plain_strings_and_labels_itself() -> None:
    realtime = get_operation("hps_big", "realtime")
    assert realtime.path == "/api/v1/hps/data-last"
    assert realtime.source is Source.THIRD_PARTY
    assert realtime.label == "realtime hps_big"
    assert get_operation(None, OperationKind.PLANT_LIST).label == "plant_list"


@pytest.mark.parametrize(
    ("kind", "operation_kind"),
    [("bcu", "plant_list"), (None, "realtime"), ("inverter", "realtime"), ("bcu", "reboot")],
)
def test_operation_lookup_refuses_what_the_api_does_not_have(
    kind: str | None, operation_kind: str
) -> None:
    with pytest.raises(ValueError, match=r"."):
        get_operation(kind, operation_kind)


def test_only_inferred_operations_have_several_candidates_numbered_in_order() -> None:
    several = [op for op in OPERATIONS if len(op.candidates) > 1]
    assert len(several) == 31
    for operation in OPERATIONS:
        assert operation.path == operation.paths[0] == operation.candidates[0].path
        assert all(path.startswith("/api/v1/") for path in operation.paths)
        assert len(set(operation.paths)) == len(operation.paths)
        if len(operation.candidates) == 1:
            assert operation.candidates[0].origin == operation.source.value
            continue
        assert operation.source is Source.INFERRED
        assert [c.origin for c in operation.candidates] == [
            f"candidate {n}" for n in range(1, len(operation.candidates) + 1)
        ]


def test_no_two_operations_share_a_candidate() -> None:
    asked = [(op.method, path) for op in OPERATIONS for path in op.paths]
    assert len(asked) == len(set(asked))


def test_the_alternatives_follow_the_documented_naming() -> None:
    """Spot checks of the reasoning in docs/cloud-contract.md."""
    assert get_operation("hps_big", "base_info_list").paths == (
        "/api/v1/hps/big-base-info/list",
        "/api/v1/hps/base-info/list",
    )
    assert get_operation("hps_small", "base_info_list").paths == (
        "/api/v1/hps/small-base-info/list",
        "/api/v1/hps/base-info-small/list",
    )
    assert get_operation("bcu", "base_info").paths[1] == "/api/v1/bms/bcu-base-info"
    assert get_operation("mbms", "realtime").paths[1] == "/api/v1/mbms/data-last"
    assert get_operation("pcs", "realtime").paths[1] == "/api/v1/pcs/pcs-data-last"
    assert get_operation(None, "plant_add").paths == ("/api/v1/plant", "/api/v1/plant/add")
