"""The repository's blueprints in a real `hass`: listed without error, each made into an automation
through the config API (the request the automation editor sends when it saves), and each on.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
import shutil
import time
from typing import Any

from .conftest import Stack

BLUEPRINTS = Path(__file__).parents[2] / "blueprints" / "automation" / "ha-atess"


def inputs_for(stack: Stack, ids: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Inputs for every blueprint, chosen so that none fires while the test runs."""
    hps, pcs, pbd = (stack.device(kind).serial for kind in ("hps_big", "pcs", "pbd"))
    last_upload = next(e for uid, e in ids.items() if uid.endswith("_last_update"))
    return {
        "tariff_charging_hps.yaml": {
            "valley_period": ids[f"{hps}_setting_valleyperiodtime1"],
            "work_mode": ids[f"{hps}_setting_workmode"],
        },
        "tariff_charging_pcs.yaml": {"active_power": ids[f"{pcs}_setting_activepowersetting"]},
        "storm_reserve.yaml": {
            "warning": ids[f"{hps}_cloud_connection"],  # on, and stays on
            "warning_state": "off",
            "cutoff": ids[f"{hps}_setting_dischargecutoffsoc"],
        },
        "negative_price_export_limit.yaml": {
            "price": ids[f"{hps}_ppv"],  # never below the threshold
            "threshold": -999,
            "output": ids[f"{pbd}_setting_outpowermax"],
        },
        "alerts.yaml": {
            "running_states": [ids[f"{hps}_status"], ids[f"{pcs}_status"]],
            "last_uploads": [last_upload],
        },
    }


async def check_blueprints(stack: Stack, within: float) -> None:
    """Import the blueprints as an import by URL stores them, then save one automation of each."""
    api = stack.api
    folder = stack.config_dir / "blueprints" / "automation" / "ha-atess"
    shutil.copytree(BLUEPRINTS, folder)
    listed = await api.ws_call("blueprint/list", domain="automation")
    inputs = inputs_for(stack, await api.atess_entity_ids())
    for name in inputs:
        entry = listed[f"ha-atess/{name}"]
        assert "error" not in entry, entry
        assert entry["metadata"]["domain"] == "automation"
    assert {p.name for p in BLUEPRINTS.glob("*.yaml")} == set(inputs)

    made: dict[str, str] = {}
    for n, (name, values) in enumerate(inputs.items()):
        automation_id = f"atess_blueprint_{n}"
        body = {
            "alias": f"ATESS blueprint {n}",
            "description": "",
            "use_blueprint": {"path": f"ha-atess/{name}", "input": values},
        }
        saved = await api.expect(
            "POST", f"/api/config/automation/config/{automation_id}", json=body
        )
        assert saved == {"result": "ok"}, (name, saved)
        made[automation_id] = name

    deadline = time.monotonic() + within
    while True:
        states = {
            s["attributes"].get("id"): s["state"]
            for s in (await api.states()).values()
            if s["entity_id"].startswith("automation.")
        }
        if all(states.get(automation_id) == "on" for automation_id in made):
            return
        assert time.monotonic() < deadline, {made[i]: states.get(i) for i in made}
        await asyncio.sleep(0.25)
