"""A user's own levels add to the shipped campaigns: `--levels DIR`, MOT_LEVELS and `levels/` under
the user data folder. A user campaign or level with a shipped one's id never merges silently: it
is an error (E007) naming both files, and the shipped one plays on. `load_library(root)` still
reads that one folder only. The shipped content is package data, found with importlib.resources."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from game.cli import main
from game.commands.new import skeleton
from game.library import load_library
from game.paths import default_assets_dir, default_levels_dir, levels_dirs, package_dir

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = {"tutorial", "who-killed-the-order", "customer-first"}


def own_level(folder: Path, level_id: str, campaign: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"01-{level_id}.toml"
    path.write_text(skeleton(level_id, path, campaign), encoding="utf-8")
    return path


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """Run from outside the checkout, with a save folder (MOT_HOME) of our own."""
    monkeypatch.chdir(tmp_path)
    return Path(tmp_path / "mot-home")  # conftest points MOT_HOME here


def test_the_shipped_content_is_package_data():
    import game

    package = Path(game.__file__).resolve().parent
    assert package_dir("levels") == package / "levels" and default_assets_dir() == package / "assets"
    assert (default_assets_dir() / "reference.toml").is_file()
    assert {p.name for p in package_dir("levels").iterdir()} >= SHIPPED
    # The checkout's root folders are links to the same content, for authors and the docs.
    assert (ROOT / "levels").resolve() == package / "levels" and (ROOT / "assets").resolve() == package / "assets"


def test_the_user_data_folder_adds_a_campaign(home):
    own_level(home / "levels" / "my-course", "late-delivery")
    library = load_library()
    ids = {c.campaign.id for c in library.campaigns}
    assert ids == SHIPPED | {"my-course"} and library.level("late-delivery") is not None
    assert library.level("innocent-messenger") is not None and not library.broken
    assert home / "levels" in library.roots and library.roots[0] == package_dir("levels")


def test_mot_levels_and_the_levels_option_add_too(home, tmp_path, monkeypatch):
    own_level(tmp_path / "env-levels" / "env-course", "from-env")
    own_level(tmp_path / "opt-levels" / "opt-course", "from-option")
    monkeypatch.setenv("MOT_LEVELS", str(tmp_path / "env-levels"))
    library = load_library(extra=[str(tmp_path / "opt-levels")])
    assert {lv.id for lv in library.levels} >= {"from-env", "from-option", "first-call"}
    assert [r.name for r in library.roots[1:]] == ["opt-levels", "env-levels"]
    assert levels_dirs()[0] == package_dir("levels")


def test_an_explicit_root_reads_that_folder_only(home, tmp_path):
    own_level(home / "levels" / "my-course", "late-delivery")
    own_level(tmp_path / "only" / "only-course", "alone")
    library = load_library(tmp_path / "only")
    assert [lv.id for lv in library.levels] == ["alone"] and library.roots == [tmp_path / "only"]


def test_a_copy_of_a_shipped_campaign_is_a_duplicate_not_a_merge(home):
    copy = home / "levels" / "tutorial"
    shutil.copytree(package_dir("levels") / "tutorial", copy)
    own_level(copy, "my-extra", campaign="tutorial")
    library = load_library()
    (tutorial,) = [c for c in library.campaigns if c.campaign.id == "tutorial"]
    assert [lv.id for lv in tutorial.levels] == ["first-call", "follow-up"]
    assert all(lv.path.is_relative_to(package_dir("levels")) for lv in tutorial.levels)
    assert library.level("my-extra") is None  # in a duplicate campaign: listed, not played
    broken = {b.path.name: b for b in tutorial.broken}
    assert set(broken) == {"campaign.toml", "01-first-call.toml", "02-follow-up.toml", "01-my-extra.toml"}
    assert all(b.path.is_relative_to(copy) for b in broken.values())
    first = broken["01-my-extra.toml"].first_error
    assert first.code == "E007" and "campaign id 'tutorial'" in first.message
    assert first.path == "mot-home/levels/tutorial/campaign.toml"  # relative to the working folder
    assert f"is also the id of {package_dir('levels') / 'tutorial' / 'campaign.toml'}:" in first.message


def test_a_user_level_with_a_shipped_id_is_broken_and_names_both(home, capsys):
    own_level(home / "levels" / "my-course", "innocent-messenger")
    library = load_library()
    (mine,) = [c for c in library.campaigns if c.campaign.id == "my-course"]
    (broken,) = mine.broken
    assert broken.first_error.code == "E007" and "01-innocent-messenger.toml" in broken.first_error.message
    assert library.level("innocent-messenger").path.is_relative_to(package_dir("levels"))
    # `mot check` with no path checks what the game reads: the shipped levels and the user's.
    assert main(["check", "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert "error[E007]: level id 'innocent-messenger' is also the id of " in out
    assert out.splitlines()[-1].startswith("17 levels, 1 error")


def test_mot_new_writes_to_the_user_levels_outside_a_checkout(home, capsys):
    assert default_levels_dir() == home / "levels"
    assert main(["new", "late-delivery", "--campaign", "my-course"]) == 0
    path = home / "levels" / "my-course" / "01-late-delivery.toml"
    schema = path.read_text("utf-8").splitlines()[0].removeprefix("#:schema ")
    assert (path.parent / schema).resolve() == default_assets_dir() / "level.schema.json"
    capsys.readouterr()
    assert main(["run", "late-delivery", "--ideal", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["mot_score"] == 3


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version(flag, capsys):
    from importlib.metadata import version

    assert main([flag]) == 0
    assert capsys.readouterr().out == f"mot {version('moment-of-truth')}\n"
