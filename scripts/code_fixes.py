"""Write game/assets/code_fixes.json: each diagnostic code's fix, in English and Chinese, from the
code tables of docs/authoring.md and docs/authoring.zh.md (the guides are where fixes are
written; `mot check --explain CODE` prints them from the package, where no docs are installed).

    python scripts/code_fixes.py          # after editing a fix in either guide

tests/test_authoring_guide.py fails when the file and the guides disagree.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROW = re.compile(r"^\| ([EW]\d{3}) \| .*? \| (.*) \|$", re.M)
GUIDES = {"en": ROOT / "docs" / "authoring.md", "zh": ROOT / "docs" / "authoring.zh.md"}
OUT = ROOT / "game" / "assets" / "code_fixes.json"


def fixes_from_guides() -> dict[str, dict[str, str]]:
    """{code: {"en": fix, "zh": fix}} from the two guides' code tables."""
    out: dict[str, dict[str, str]] = {}
    for lang, guide in GUIDES.items():
        for code, fix in ROW.findall(guide.read_text("utf-8")):
            out.setdefault(code, {})[lang] = fix.strip()
    return out


def main() -> None:
    OUT.write_text(json.dumps(fixes_from_guides(), ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                   encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
