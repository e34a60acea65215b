"""The hassfest and HACS rules this project checks itself (hassfest cannot run on these machines).

The rules are the ones listed in the project's quality-scale checklist: manifest keys and order,
URLs, version, iot_class, hacs.json schema, brand images, and the translation files; and what a
published repository needs: a license, a changelog, and workflows that call the validators, the
README's test command, the supported range and the release.
"""

from __future__ import annotations

import json
from pathlib import Path
import re
from typing import Any

from awesomeversion import AwesomeVersion
from PIL import Image
import pytest

ROOT = Path(__file__).resolve().parents[1]
INTEGRATION = ROOT / "custom_components" / "atess"
IOT_CLASSES = {
    "assumed_state",
    "calculated",
    "cloud_polling",
    "cloud_push",
    "local_polling",
    "local_push",
}
INTEGRATION_TYPES = {"device", "entity", "hardware", "helper", "hub", "service", "system"}
MANIFEST_KEYS = {
    "domain",
    "name",
    "after_dependencies",
    "codeowners",
    "config_flow",
    "dependencies",
    "documentation",
    "import_executor",
    "integration_type",
    "iot_class",
    "issue_tracker",
    "loggers",
    "quality_scale",
    "requirements",
    "single_config_entry",
    "version",
}
HACS_KEYS = {
    "name": str,
    "content_in_root": bool,
    "zip_release": bool,
    "filename": str,
    "hide_default_branch": bool,
    "country": (str, list),
    "homeassistant": str,
    "hacs": str,
    "persistent_directory": str,
    "render_readme": bool,
}


def _load(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.fixture(name="manifest")
def manifest_fixture() -> dict[str, Any]:
    """The integration's manifest."""
    return _load(INTEGRATION / "manifest.json")


def test_manifest_keys_are_known_and_sorted_as_hassfest_wants(manifest: dict[str, Any]) -> None:
    """Keys: domain, name, then alphabetical; nothing hassfest does not know."""
    keys = list(manifest)
    assert keys[:2] == ["domain", "name"]
    assert keys[2:] == sorted(keys[2:])
    assert set(keys) <= MANIFEST_KEYS


def test_manifest_values(manifest: dict[str, Any]) -> None:
    """Domain matches the folder; the required values are valid."""
    assert manifest["domain"] == INTEGRATION.name
    assert manifest["name"].strip()
    assert manifest["iot_class"] in IOT_CLASSES
    assert manifest["integration_type"] in INTEGRATION_TYPES
    assert manifest["integration_type"] == "hub"
    assert manifest["iot_class"] == "cloud_polling"
    assert manifest["requirements"] == []
    codeowners = manifest["codeowners"]
    assert codeowners
    assert all(re.fullmatch(r"@[\w-]+(/[\w-]+)?", owner) for owner in codeowners)
    for key in ("documentation", "issue_tracker"):
        assert manifest[key].startswith("https://")
    assert not manifest["documentation"].startswith("https://www.home-assistant.io/integrations")
    version = AwesomeVersion(manifest["version"])
    assert version.strategy != "UnknownVersionStrategy"


# Integrations hassfest lets any integration import without declaring them (entity platforms,
# diagnostics); every other `homeassistant.components.X` needs X in the manifest.
UNDECLARED_OK = {"binary_sensor", "diagnostics", "number", "select", "sensor", "text"}


def test_used_components_are_declared(manifest: dict[str, Any]) -> None:
    """hassfest: components the code imports are dependencies or after_dependencies.

    The recorder is optional (statistics are imported only when it runs), so it is an
    after_dependency: loaded first when configured, never forced on an instance without it.
    """
    used = {
        match
        for path in INTEGRATION.rglob("*.py")
        for match in re.findall(
            r"homeassistant\.components\.(\w+)", path.read_text(encoding="utf-8")
        )
    }
    declared = set(manifest.get("dependencies", [])) | set(manifest.get("after_dependencies", []))
    assert used - UNDECLARED_OK <= declared
    assert "recorder" in manifest["after_dependencies"]
    assert "recorder" not in manifest.get("dependencies", [])


def test_config_flow_flag_needs_a_config_flow_module(manifest: dict[str, Any]) -> None:
    """hassfest: config_flow true requires config_flow.py."""
    assert manifest["config_flow"] is True
    assert (INTEGRATION / "config_flow.py").is_file()


def test_hacs_json_follows_the_hacs_schema() -> None:
    """hacs.json: name required, no unknown keys, right types."""
    hacs = _load(ROOT / "hacs.json")
    assert isinstance(hacs.get("name"), str)
    assert hacs["name"]
    for key, value in hacs.items():
        assert key in HACS_KEYS, f"hacs.json: unknown key {key}"
        assert isinstance(value, HACS_KEYS[key]), f"hacs.json: {key} has the wrong type"
    assert AwesomeVersion(hacs["homeassistant"]).strategy != "UnknownVersionStrategy"


def test_one_integration_and_a_readme_at_the_root() -> None:
    """HACS: exactly one integration under custom_components/, a README at the root."""
    found = [p.name for p in (ROOT / "custom_components").iterdir() if p.is_dir()]
    assert [name for name in found if name != "__pycache__"] == ["atess"]
    assert (ROOT / "README.md").read_text(encoding="utf-8").strip()


@pytest.mark.parametrize(("name", "size"), [("icon.png", 256), ("icon@2x.png", 512)])
def test_brand_icons(name: str, size: int) -> None:
    """Brand images: square PNG, 256 px (512 px for hDPI), with transparency."""
    with Image.open(INTEGRATION / "brand" / name) as image:
        assert image.format == "PNG"
        assert image.size == (size, size)
        assert image.mode == "RGBA"


def _leaves(tree: dict[str, Any], prefix: str = "") -> set[str]:
    out: set[str] = set()
    for key, value in tree.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            out |= _leaves(value, path)
        else:
            out.add(path)
    return out


def test_translations_match_strings() -> None:
    """Every key of strings.json is in each translation, and no translation has extra keys."""
    strings_file = INTEGRATION / "strings.json"
    translations = sorted((INTEGRATION / "translations").glob("*.json"))
    if not strings_file.exists():
        assert not translations
        return
    strings = _leaves(_load(strings_file))
    assert translations, "strings.json without translations/"
    for file in translations:
        assert _leaves(_load(file)) == strings, file.name


QUALITY_RULES = {
    "bronze": [
        "action-setup", "appropriate-polling", "brands", "common-modules", "config-flow",
        "config-flow-test-coverage", "dependency-transparency", "docs-actions", "docs-conditions",
        "docs-high-level-description", "docs-installation-instructions",
        "docs-removal-instructions", "docs-triggers", "entity-event-setup", "entity-unique-id",
        "has-entity-name", "runtime-data", "test-before-configure", "test-before-setup",
        "unique-config-entry",
    ],
    "silver": [
        "action-exceptions", "config-entry-unloading", "docs-configuration-parameters",
        "docs-installation-parameters", "entity-unavailable", "integration-owner",
        "log-when-unavailable", "parallel-updates", "reauthentication-flow", "test-coverage",
    ],
    "gold": [
        "devices", "diagnostics", "discovery", "discovery-update-info", "docs-data-update",
        "docs-examples", "docs-known-limitations", "docs-supported-devices",
        "docs-supported-functions", "docs-troubleshooting", "docs-use-cases", "dynamic-devices",
        "entity-category", "entity-device-class", "entity-disabled-by-default",
        "entity-translations", "exception-translations", "icon-translations",
        "reconfiguration-flow", "repair-issues", "stale-devices",
    ],
    "platinum": ["async-dependency", "inject-websession", "strict-typing"],
}  # fmt: skip


def test_quality_scale_lists_all_54_rules() -> None:
    """Every rule is done, todo, or exempt with a reason."""
    import yaml  # noqa: PLC0415

    rules = yaml.safe_load((INTEGRATION / "quality_scale.yaml").read_text(encoding="utf-8"))
    rules = rules["rules"]
    expected = {rule for tier in QUALITY_RULES.values() for rule in tier}
    assert len(expected) == 54
    assert set(rules) == expected
    for rule, status in rules.items():
        if isinstance(status, dict):
            assert status["status"] in {"done", "todo", "exempt"}, rule
            if status["status"] == "exempt":
                assert status["comment"].strip(), rule
        else:
            assert status in {"done", "todo"}, rule


def test_every_platform_sets_parallel_updates() -> None:
    """parallel-updates: read-only platforms 0, write platforms 1."""
    for name, expected in {
        "sensor": 0,
        "binary_sensor": 0,
        "number": 1,
        "select": 1,
        "text": 1,
    }.items():
        source = (INTEGRATION / f"{name}.py").read_text(encoding="utf-8")
        assert f"PARALLEL_UPDATES = {expected}\n" in source, name


def test_services_are_documented_and_translated() -> None:
    """Every action in services.yaml has a name, a description and translated fields."""
    import yaml  # noqa: PLC0415

    services = yaml.safe_load((INTEGRATION / "services.yaml").read_text(encoding="utf-8"))
    strings = _load(INTEGRATION / "strings.json")["services"]
    icons = _load(INTEGRATION / "icons.json")["services"]
    assert set(services) == set(strings) == set(icons)
    for name, service in services.items():
        assert strings[name]["name"]
        assert strings[name]["description"]
        assert set(service["fields"]) == set(strings[name]["fields"])


def _workflow(name: str) -> dict[Any, Any]:
    import yaml  # noqa: PLC0415

    data = yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def test_validation_workflow_runs_hassfest_and_the_hacs_action() -> None:
    """hassfest and HACS (category integration) on push, pull request and a daily schedule."""
    workflow = _workflow("validate.yml")
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as a boolean
    assert {"push", "pull_request", "schedule"} <= set(triggers)
    uses = {step.get("uses", "").split("@")[0]: step for step in _steps(workflow)}
    assert "home-assistant/actions/hassfest" in uses
    assert uses["hacs/action"]["with"]["category"] == "integration"


def test_test_workflow_runs_the_readme_commands() -> None:
    """CI runs exactly the README's two commands, on push and pull request."""
    workflow = _workflow("tests.yml")
    assert {"push", "pull_request"} <= set(workflow[True])
    runs = [step["run"] for step in _steps(workflow) if "run" in step]
    assert runs == ["scripts/setup", "scripts/test"]
    assert "scripts/setup && scripts/test" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert "scripts/setup && scripts/test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_range_workflow_tests_both_ends_on_a_schedule() -> None:
    """The supported range's two ends run on a schedule, never on push (CI tests the lock)."""
    workflow = _workflow("range.yml")
    assert set(workflow[True]) == {"schedule", "workflow_dispatch"}
    (job,) = workflow["jobs"].values()
    assert job["strategy"]["matrix"]["release"] == ["min", "latest"]
    runs = [step["run"] for step in job["steps"] if "run" in step]
    assert runs == ["scripts/setup", "scripts/test-range ${{ matrix.release }}"]


def test_release_workflow_checks_the_tag_and_the_changelog(manifest: dict[str, Any]) -> None:
    """A version tag publishes a release once it matches manifest.json and the CHANGELOG."""
    workflow = _workflow("release.yml")
    assert set(workflow[True]) == {"push"}
    assert workflow[True]["push"]["tags"]
    script = "\n".join(step.get("run", "") for step in _steps(workflow))
    assert "manifest.json" in script
    assert "CHANGELOG.md" in script
    assert "gh release create" in script
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [Unreleased]" in changelog
    released = re.findall(r"^## \[(\d[^\]]*)\] - \d{4}-\d{2}-\d{2}$", changelog, re.MULTILINE)
    if released:  # the newest release is the manifest's version, or older while unreleased
        assert AwesomeVersion(released[0]) <= AwesomeVersion(manifest["version"])


def test_license_is_named_in_the_readme() -> None:
    """HACS needs a LICENSE; the README says which."""
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    assert "[LICENSE](LICENSE)" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_states_the_supported_range() -> None:
    """The README's minimum is hacs.json's, which HACS enforces."""
    minimum = _load(ROOT / "hacs.json")["homeassistant"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"Home Assistant {minimum} or newer" in readme
    assert f"**{minimum} to " in readme


# What compat.py wraps: elsewhere these would break the releases before the one named.
NEWER_THAN_THE_MINIMUM = {
    "import probatio": "2026.9",
    "import voluptuous": "2026.9 (probatio replaced it)",
    "binary_sensor.const": "2026.10",
    "async_get_device_id_by_identifier": "2026.8",
    "async_get_device_by_identifier": "2026.8",
    "via_device_id=": "2026.8",
}


def test_only_compat_uses_what_older_releases_lack() -> None:
    """Every module but compat.py works on the minimum release (scripts/test-range proves it)."""
    for path in INTEGRATION.rglob("*.py"):
        if path.name == "compat.py":
            continue
        source = path.read_text(encoding="utf-8")
        for needle, release in NEWER_THAN_THE_MINIMUM.items():
            assert needle not in source, f"{path.name}: {needle} needs {release}; use compat.py"
