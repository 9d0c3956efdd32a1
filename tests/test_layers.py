"""The layering is a contract: `lint-imports` (import-linter) checks pyproject.toml's contracts —
the engine and its companions know nothing of Textual, the TUI or the commands; the TUI knows
nothing of TOML; the pure core imports nothing above it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def lint_imports() -> str:
    exe = Path(sys.executable).parent / "lint-imports"
    found = str(exe) if exe.exists() else shutil.which("lint-imports")
    if found is None:
        pytest.fail("import-linter is a test dependency: pip install -e '.[test]'")
    return found


def test_import_contracts_are_kept():
    proc = subprocess.run([lint_imports(), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "0 broken" in proc.stdout


def test_a_broken_contract_is_reported(tmp_path):
    """The check can fail: a config forbidding what the code does import is reported broken."""
    config = tmp_path / "contracts.toml"
    config.write_text('[tool.importlinter]\nroot_package = "game"\n\n'
                      '[[tool.importlinter.contracts]]\nname = "nobody may import the engine"\n'
                      'type = "forbidden"\nsource_modules = ["game.scoring"]\n'
                      'forbidden_modules = ["game.engine"]\n', encoding="utf-8")
    proc = subprocess.run([lint_imports(), "--no-cache", "--config", str(config)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0 and "BROKEN" in proc.stdout
