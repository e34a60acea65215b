"""Every language has every key of strings.json, the same placeholders, and is really translated.

The checks are those of scripts/tools/sync_translations.py (imported here, so the test command
fails exactly when the tool would); the tool's own modes (--missing, --apply) are run on a copy.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
import re
import shutil
import sys
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
TOOL = ROOT / "scripts" / "tools" / "sync_translations.py"
LANGUAGES = ["cs", "de", "en", "es", "fr", "it", "nl", "pl", "pt-BR", "zh-Hans"]
# at least this share of the strings that have words differs from the English (issue 24)
TRANSLATED_SHARE = 0.85
# kept as they are in every language, wherever the English has them
KEPT = ("ATESS", "OpenAPI", "DataLog", "HPS", "PCS", "PBD", "BCU", "MBMS", "BMS", "SOC", "kW")


def _load_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("sync_translations", TOOL)
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


sync = _load_tool()
ENGLISH: dict[str, str] = sync.flatten(sync.load(sync.BASE / "strings.json"))


def _language(language: str) -> dict[str, str]:
    flat: dict[str, str] = sync.flatten(sync.load(sync.TRANSLATIONS / f"{language}.json"))
    return flat


def test_the_ten_languages_are_there() -> None:
    assert sorted(p.stem for p in sync.TRANSLATIONS.glob("*.json")) == LANGUAGES


def test_en_json_is_strings_json() -> None:
    assert sync.load(sync.TRANSLATIONS / "en.json") == sync.load(sync.BASE / "strings.json")


def test_the_tool_finds_no_problem() -> None:
    """What the test command checks: keys, placeholders and order of every language."""
    assert sync.check(ENGLISH) == []
    assert sync.main(["--check"]) == 0


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_key_with_the_same_placeholders(language: str) -> None:
    other = _language(language)
    assert list(other) == list(ENGLISH)  # every key, none extra, in strings.json's order
    for path, text in ENGLISH.items():
        assert sync.placeholders(other[path]) == sync.placeholders(text), path


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "en"])
def test_the_language_is_translated(language: str) -> None:
    """>= 85 % of the strings with words differ from the English; names and units are kept."""
    other = _language(language)
    differ, worded = sync.translated_share(ENGLISH, other)
    assert worded > 400
    assert differ / worded >= TRANSLATED_SHARE, f"{language}: {differ}/{worded}"
    for path, text in ENGLISH.items():
        for kept in KEPT:
            if re.search(rf"\b{kept}\b", text):
                assert kept in other[path], f"{language} {path} lost {kept}"
        if not sync.has_words(text):  # "PBD", "EMS", "{field}": nothing to translate
            assert other[path] == text, path


def test_what_has_words() -> None:
    """The documented rule: product names, abbreviations, units and placeholders are not words."""
    assert not sync.has_words("PBD")
    assert not sync.has_words("{field}")
    assert not sync.has_words("DataLog")
    assert not sync.has_words("PV1")
    assert sync.has_words("PV1 power")
    assert sync.has_words("Setting {key}")
    assert sync.has_words("Status")


def test_the_checks_catch_a_missing_key_an_extra_key_a_placeholder_and_the_order() -> None:
    english = {"a.title": "Plant {plant}", "a.text": "Hello", "b": "World"}
    assert sync.problems(english, dict(english), "xx.json") == []
    missing = {"a.title": "Anlage {plant}", "b": "Welt"}
    assert sync.problems(english, missing, "xx.json") == ["xx.json: missing a.text"]
    extra = {"a.title": "Anlage {plant}", "a.text": "Hallo", "b": "Welt", "c": "?"}
    assert sync.problems(english, extra, "xx.json") == ["xx.json: extra c"]
    changed = {"a.title": "Anlage {anlage}", "a.text": "Hallo", "b": "Welt"}
    assert sync.problems(english, changed, "xx.json") == [
        "xx.json: placeholders of a.title: ['anlage'] != ['plant']"
    ]
    reordered = {"b": "Welt", "a.title": "Anlage {plant}", "a.text": "Hallo"}
    assert "order" in sync.problems(english, reordered, "xx.json")[0]


@pytest.fixture
def copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The tool pointed at a copy of the integration's strings and translations."""
    base = tmp_path / "atess"
    (base / "translations").mkdir(parents=True)
    shutil.copy(sync.BASE / "strings.json", base / "strings.json")
    for file in sync.TRANSLATIONS.glob("*.json"):
        shutil.copy(file, base / "translations" / file.name)
    monkeypatch.setattr(sync, "BASE", base)
    monkeypatch.setattr(sync, "TRANSLATIONS", base / "translations")
    return base


def test_missing_then_apply_completes_a_language_in_order(
    copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """New keys in strings.json: --missing lists them in English, --apply merges them in order."""
    strings: dict[str, Any] = json.loads((copy / "strings.json").read_text(encoding="utf-8"))
    strings["issues"]["new_issue"] = {"title": "{device} is new", "description": "Look at it."}
    (copy / "strings.json").write_text(json.dumps(strings), encoding="utf-8")
    assert sync.main([]) == 1  # every language but en now lacks the new keys
    assert "de.json: missing issues.new_issue.title" in capsys.readouterr().out

    assert sync.main(["--missing", "de"]) == 0
    skeleton = json.loads(capsys.readouterr().out)
    assert skeleton == {
        "issues": {"new_issue": {"title": "{device} is new", "description": "Look at it."}}
    }

    skeleton["issues"]["new_issue"] = {"title": "{gerät} ist neu", "description": "Schau es an."}
    wrong = tmp_path / "de.json"
    wrong.write_text(json.dumps(skeleton), encoding="utf-8")
    assert sync.main(["--apply", str(wrong)]) == 1  # a changed placeholder is refused
    assert "placeholders of issues.new_issue.title" in capsys.readouterr().out

    skeleton["issues"]["new_issue"]["title"] = "{device} ist neu"
    fixed = tmp_path / "neu.json"
    fixed.write_text(json.dumps(skeleton), encoding="utf-8")
    assert sync.main(["--apply", str(fixed), "--lang", "de"]) == 0
    german = sync.flatten(sync.load(copy / "translations" / "de.json"))
    english = sync.flatten(strings)
    assert list(german) == list(english)
    assert german["issues.new_issue.title"] == "{device} ist neu"
    assert german["entity.sensor.state_of_charge.name"] == "Ladezustand"  # kept


def test_missing_all_then_apply_fills_every_language(
    copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The final pass after a merge: one file with every language's gaps, applied at once."""
    strings: dict[str, Any] = json.loads((copy / "strings.json").read_text(encoding="utf-8"))
    strings["exceptions"]["new_error"] = {"message": "{key} is broken"}
    (copy / "strings.json").write_text(json.dumps(strings), encoding="utf-8")
    assert sync.main(["--missing", "all"]) == 0
    gaps = json.loads(capsys.readouterr().out)
    assert sorted(gaps) == [lang for lang in LANGUAGES if lang != "en"]
    assert gaps["fr"] == {"exceptions": {"new_error": {"message": "{key} is broken"}}}
    for language, skeleton in gaps.items():
        skeleton["exceptions"]["new_error"]["message"] = f"{{key}} ({language})"
    everything = tmp_path / "new.json"
    everything.write_text(json.dumps(gaps), encoding="utf-8")
    assert sync.main(["--apply", str(everything)]) == 0
    assert sync.main([]) == 0  # en.json rewritten from strings.json, every language complete
    french = sync.flatten(sync.load(copy / "translations" / "fr.json"))
    assert french["exceptions.new_error.message"] == "{key} (fr)"
    assert sync.main(["--missing", "all"]) == 0
    assert json.loads(capsys.readouterr().out) == {}


def test_stats_prints_every_language(capsys: pytest.CaptureFixture[str]) -> None:
    assert sync.main(["--stats"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == [lang for lang in LANGUAGES if lang != "en"]


def test_the_tool_runs_as_a_script() -> None:
    """The command the README gives, as a process: exit status 0 on the shipped files."""
    import subprocess  # noqa: PLC0415

    done = subprocess.run(  # noqa: S603 - our own interpreter and tool
        [sys.executable, str(TOOL), "--check"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout
