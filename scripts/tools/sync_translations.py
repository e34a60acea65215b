"""Copy strings.json to translations/en.json and report keys missing from other languages.

Home Assistant reads translations/<lang>.json; strings.json is the source. Run after editing it:
    .venv/bin/python scripts/tools/sync_translations.py
"""

import json
from pathlib import Path
import sys

BASE = Path(__file__).resolve().parents[2] / "custom_components" / "atess"


def leaves(tree: dict, prefix: str = "") -> set[str]:
    """Dotted paths of every string in a nested dict."""
    out: set[str] = set()
    for key, value in tree.items():
        path = f"{prefix}.{key}" if prefix else key
        out |= leaves(value, path) if isinstance(value, dict) else {path}
    return out


def main() -> int:
    """Write en.json; return 1 if another language has missing or extra keys."""
    strings = json.loads((BASE / "strings.json").read_text(encoding="utf-8"))
    (BASE / "translations" / "en.json").write_text(
        json.dumps(strings, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    want = leaves(strings)
    status = 0
    for file in sorted((BASE / "translations").glob("*.json")):
        have = leaves(json.loads(file.read_text(encoding="utf-8")))
        for path in sorted(want - have):
            print(f"{file.name}: missing {path}")
            status = 1
        for path in sorted(have - want):
            print(f"{file.name}: extra {path}")
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
