"""Keep translations/<lang>.json in step with strings.json, and check every language.

strings.json is the source; Home Assistant reads translations/<lang>.json. Usage:

    .venv/bin/python scripts/tools/sync_translations.py            # write en.json, check all
    .venv/bin/python scripts/tools/sync_translations.py --check    # check only, write nothing
    .venv/bin/python scripts/tools/sync_translations.py --stats    # share of translated strings
    .venv/bin/python scripts/tools/sync_translations.py --missing de > new-de.json
    .venv/bin/python scripts/tools/sync_translations.py --apply new-de.json --lang de
    .venv/bin/python scripts/tools/sync_translations.py --missing all > new.json
    .venv/bin/python scripts/tools/sync_translations.py --apply new.json

`--missing LANG` prints the keys LANG lacks, with their English text, as a JSON skeleton in
strings.json's shape; translate its values and give it back with `--apply FILE --lang LANG`
(without `--lang`, the file's name is the language: `de.json`). `--apply` merges the file into
translations/LANG.json and writes every key in strings.json's order. `--missing all` prints
every language's gaps at once, as {"de": skeleton, "fr": skeleton, ...}; `--apply` takes such a
file back (its top-level keys are languages) and fills each language.

A check fails (exit status 1) when a language lacks a key of strings.json, has a key strings.json
does not, changes a string's placeholders (`{device}`), or orders its keys differently.
The test suite runs the same check (tests/test_translations.py).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
import re
import sys
from typing import Any

BASE = Path(__file__).resolve().parents[2] / "custom_components" / "atess"
TRANSLATIONS = BASE / "translations"
PLACEHOLDER = re.compile(r"\{(\w+)\}")
# What a translation keeps as it is: ATESS product names, technical abbreviations that the
# device's own manuals and display use in every language, and units. A string made only of
# these (and placeholders, digits, punctuation) has no words to translate: "PBD", "EMS", "{field}".
UNTRANSLATED = (
    "ATESS", "OpenAPI", "DataLogs", "DataLog", "HPS", "PCS", "PBD", "BCU", "MBMS", "BMS", "EMS",
    "MVPV", "SOC", "SCR", "ATS", "PV", "AC", "DC", "URL", "kW", "W", "V", "A", "Hz",
)  # fmt: skip
_UNTRANSLATED = re.compile(r"\b(?:" + "|".join(UNTRANSLATED) + r")\d*\b")
_WORD = re.compile(r"[^\W\d_]{2,}")


def load(path: Path) -> dict[str, Any]:
    """A JSON file as a dict."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def dump(tree: dict[str, Any], path: Path) -> None:
    """Write a tree the way every translation file is written (2 spaces, UTF-8, final newline)."""
    path.write_text(json.dumps(tree, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, str]:
    """Every string of a nested dict under its dotted path, in the tree's order."""
    out: dict[str, str] = {}
    for key, value in tree.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            out |= flatten(value, path)
        else:
            out[path] = value
    return out


def nest(flat: dict[str, str]) -> dict[str, Any]:
    """The nested dict of dotted paths (the inverse of flatten)."""
    tree: dict[str, Any] = {}
    for path, value in flat.items():
        *parents, leaf = path.split(".")
        node = tree
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return tree


def placeholders(text: str) -> list[str]:
    """The placeholders of a string, sorted (a translation may reorder them)."""
    return sorted(PLACEHOLDER.findall(text))


def has_words(text: str) -> bool:
    """Whether a string has anything to translate (see UNTRANSLATED)."""
    return bool(_WORD.search(_UNTRANSLATED.sub(" ", PLACEHOLDER.sub(" ", text))))


def problems(english: dict[str, str], other: dict[str, str], name: str) -> list[str]:
    """What is wrong with one language against strings.json (flattened both)."""
    found = [f"{name}: missing {path}" for path in english if path not in other]
    found += [f"{name}: extra {path}" for path in other if path not in english]
    found += [
        f"{name}: placeholders of {path}: {placeholders(text)} != {placeholders(english[path])}"
        for path, text in other.items()
        if path in english and placeholders(text) != placeholders(english[path])
    ]
    if not found and list(other) != list(english):
        found.append(f"{name}: keys are not in strings.json's order (run --apply to reorder)")
    return found


def translated_share(english: dict[str, str], other: dict[str, str]) -> tuple[int, int]:
    """(strings with words that differ from the English, strings with words)."""
    worded = [path for path, text in english.items() if has_words(text)]
    differ = [path for path in worded if other.get(path, english[path]) != english[path]]
    return len(differ), len(worded)


def languages() -> list[Path]:
    """Every translation file but en.json (which is strings.json, copied)."""
    return sorted(p for p in TRANSLATIONS.glob("*.json") if p.stem != "en")


def check(english: dict[str, str]) -> list[str]:
    """Every problem of every language file, en.json included."""
    found: list[str] = []
    for file in sorted(TRANSLATIONS.glob("*.json")):
        found += problems(english, flatten(load(file)), file.name)
    return found


def missing(english: dict[str, str], language: str) -> dict[str, Any]:
    """The keys a language lacks, with their English text, as a nested skeleton."""
    file = TRANSLATIONS / f"{language}.json"
    have = flatten(load(file)) if file.exists() else {}
    return nest({path: text for path, text in english.items() if path not in have})


def apply(english: dict[str, str], language: str, new: dict[str, str]) -> list[str]:
    """Merge new translations into a language, in strings.json's order; return the problems."""
    file = TRANSLATIONS / f"{language}.json"
    have = flatten(load(file)) if file.exists() else {}
    merged = have | new
    ordered = {path: merged[path] for path in english if path in merged}
    ordered |= {path: text for path, text in merged.items() if path not in english}
    dump(nest(ordered), file)
    return problems(english, ordered, file.name)


def missing_all(english: dict[str, str]) -> dict[str, Any]:
    """Every language's gaps, by language (languages without a gap are left out)."""
    gaps = {file.stem: missing(english, file.stem) for file in languages()}
    return {language: skeleton for language, skeleton in gaps.items() if skeleton}


def apply_file(english: dict[str, str], file: Path, language: str | None) -> list[str]:
    """Apply one language's file, or a file of several languages keyed by language."""
    tree = load(file)
    known = {p.stem for p in languages()}
    if language is None and tree and set(tree) <= known:
        found: list[str] = []
        for name, skeleton in tree.items():
            found += apply(english, name, flatten(skeleton))
        return found
    return apply(english, language or file.stem, flatten(tree))


def main(argv: list[str] | None = None) -> int:
    """Run the mode asked for; 1 when a language has a problem."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="check only, write nothing")
    mode.add_argument("--stats", action="store_true", help="share of translated strings")
    mode.add_argument(
        "--missing", metavar="LANG", help="print LANG's (or all languages') missing keys as JSON"
    )
    mode.add_argument("--apply", metavar="FILE", type=Path, help="merge FILE's translations")
    parser.add_argument("--lang", help="the language of --apply's FILE (default: its name)")
    args = parser.parse_args(argv)
    strings = load(BASE / "strings.json")
    english = flatten(strings)
    if args.missing:
        gaps = missing_all(english) if args.missing == "all" else missing(english, args.missing)
        print(json.dumps(gaps, indent=2, ensure_ascii=False))
        return 0
    if args.apply:
        found = apply_file(english, args.apply, args.lang)
    elif args.stats:
        for file in languages():
            differ, worded = translated_share(english, flatten(load(file)))
            print(f"{file.stem:8} {differ}/{worded} = {100 * differ / worded:.1f} % translated")
        return 0
    else:
        if not args.check:
            dump(strings, TRANSLATIONS / "en.json")
        found = check(english)
    for line in found:
        print(line)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
