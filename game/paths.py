"""Where the project's folders are. Tiny on purpose: the title screen imports it at start-up."""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    return Path(__file__).resolve().parent.parent


def default_levels_dir() -> Path:
    """MOT_LEVELS, else ./levels when run from a checkout, else the levels beside the package."""
    env = os.environ.get("MOT_LEVELS")
    if env:
        return Path(env)
    here = Path.cwd() / "levels"
    if here.is_dir() and (Path.cwd() / "game").is_dir():
        return here
    return project_root() / "levels"


def default_assets_dir() -> Path:
    return project_root() / "assets"
