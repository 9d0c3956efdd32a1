"""`mot new`: the skeleton checks clean, plays to +3 on its ideal path, and never clobbers a file;
a new campaign folder gets its campaign.toml; what it writes and the shipped levels are stable
under `taplo fmt` with taplo's default settings (when taplo is installed)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from game.cli import main
from game.commands.check import check
from game.library import load_folder_for
from game.loader import load_campaign
from game.model import STEPS

ROOT = Path(__file__).resolve().parent.parent
# taplo from PyPI (`pip install taplo`) puts its binary beside the venv's python.
TAPLO = shutil.which("taplo") or next(
    (str(p) for p in [Path(sys.executable).parent / "taplo"] if p.is_file()), None)
NEEDS_TAPLO = pytest.mark.skipif(TAPLO is None, reason="taplo is not installed (pip install taplo)")

CAMPAIGN = '''# The demo campaign: comments must survive `mot new`.
format = 1

[campaign]
id = "demo"
title = { en = "Demo", zh = "演示" }
levels = [
  # in play order
]
'''


@pytest.fixture
def levels(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MOT_LEVELS", str(tmp_path / "levels"))
    return tmp_path / "levels"


def ideal_run(path, capsys) -> dict:
    capsys.readouterr()
    assert main(["run", str(path), "--ideal", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_new_level_in_a_campaign_checks_clean_and_scores_three(levels, capsys):
    folder = levels / "demo"
    folder.mkdir(parents=True)
    (folder / "campaign.toml").write_text(CAMPAIGN, encoding="utf-8")
    assert main(["new", "late-delivery", "--campaign", "demo"]) == 0
    path = folder / "01-late-delivery.toml"
    assert path.read_text("utf-8").startswith("#:schema ")
    campaign = (folder / "campaign.toml").read_text("utf-8")
    assert "# The demo campaign: comments must survive" in campaign and "# in play order" in campaign
    assert '"late-delivery"' in campaign

    count, diagnostics, reports = check([folder])
    assert count == 1 and diagnostics == []
    assert len(reports[0].endings) >= 2 and all(reports[0].endings.values())
    level = load_folder_for(path)[1][0].level
    assert level.campaign == "demo" and level.order == 1
    assert {c.step for s in level.scenes.values() for c in s.choices} == set(STEPS)
    assert any(c.when is not None for s in level.scenes.values() for c in s.choices)

    result = ideal_run(path, capsys)
    assert result["mot_score"] == 3 and result["adherence"]["total"] == 4


def test_new_level_without_campaign_goes_to_the_working_folder(levels, capsys):
    assert main(["new", "solo"]) == 0
    path = levels.parent / "solo.toml"
    assert check([path])[1] == []
    assert load_folder_for(path)[1][0].level.campaign is None
    assert ideal_run(path, capsys)["mot_score"] == 3


def test_numbering_follows_the_folder(levels):
    folder = levels / "demo"
    folder.mkdir(parents=True)
    (folder / "03-older.toml").write_text("# not a level yet\n", encoding="utf-8")
    assert main(["new", "next-one", "--campaign", "demo"]) == 0
    assert (folder / "04-next-one.toml").is_file()
    assert 'order = 4' in (folder / "04-next-one.toml").read_text("utf-8")


def test_refuses_to_overwrite_without_force(levels, capsys):
    target = levels.parent / "mine.toml"
    target.write_text("# my work\n", encoding="utf-8")
    assert main(["new", "mine", "-o", str(target)]) == 1
    assert "--force" in capsys.readouterr().err
    assert target.read_text("utf-8") == "# my work\n"
    assert main(["new", "mine", "-o", str(target), "--force"]) == 0
    assert 'id = "mine"' in target.read_text("utf-8")


def test_campaign_list_is_not_doubled(levels):
    folder = levels / "demo"
    folder.mkdir(parents=True)
    (folder / "campaign.toml").write_text(CAMPAIGN, encoding="utf-8")
    assert main(["new", "again", "--campaign", "demo"]) == 0
    assert main(["new", "again", "--campaign", "demo", "-o", str(folder / "01-again.toml"), "--force"]) == 0
    assert (folder / "campaign.toml").read_text("utf-8").count('"again"') == 1


@pytest.mark.parametrize("bad", ["Late", "2nd", "late_delivery"])
def test_rejects_a_bad_id(levels, bad, capsys):
    assert main(["new", bad]) == 2
    assert "bad level id" in capsys.readouterr().err


def test_a_file_name_is_taken_as_what_the_author_meant(tmp_path, monkeypatch, capsys):
    """`mot new late-delivery.toml` writes that file with the id late-delivery (it was refused
    as a bad id); a name that is no id even without .toml is still refused, in Chinese too."""
    monkeypatch.chdir(tmp_path)
    assert main(["new", "late-delivery.toml"]) == 0
    assert 'id = "late-delivery"' in (tmp_path / "late-delivery.toml").read_text("utf-8")
    assert main(["check", str(tmp_path / "late-delivery.toml")]) == 0
    capsys.readouterr()
    monkeypatch.setenv("MOT_LANG", "zh")
    assert main(["new", "Late.toml"]) == 2
    assert "关卡 id 'Late.toml' 不合规" in capsys.readouterr().err


def test_new_campaign_gets_its_campaign_toml(levels, capsys):
    assert main(["new", "late-delivery", "--campaign", "my-course"]) == 0
    folder = levels / "my-course"
    out = capsys.readouterr().out
    assert "wrote levels/my-course/campaign.toml" in out.replace(str(levels.parent) + "/", "")
    text = (folder / "campaign.toml").read_text("utf-8")
    assert text.startswith("#:schema ") and text.splitlines()[0].endswith("/assets/campaign.schema.json")
    campaign = load_campaign(folder / "campaign.toml").campaign
    assert (campaign.id, campaign.levels, campaign.show_steps) == ("my-course", ("late-delivery",), False)
    assert (campaign.title.get("en"), campaign.title.get("zh")) == ("My Course", "My Course（课程名称）")
    assert campaign.intro.get("zh") == "用一两句话说明这门课程讲什么。"
    count, diagnostics, _ = check([folder])
    assert (count, diagnostics) == (1, [])

    # The next level joins the campaign file that the first one created (never a second file).
    assert main(["new", "follow-up", "--campaign", "my-course"]) == 0
    assert load_campaign(folder / "campaign.toml").campaign.levels == ("late-delivery", "follow-up")
    count, diagnostics, _ = check([folder])
    assert (count, diagnostics) == (2, [])
    level = next(r.level for r in load_folder_for(folder / "02-follow-up.toml")[1] if r.level.id == "follow-up")
    assert (level.campaign, level.order) == ("my-course", 2)


def test_an_existing_campaign_toml_is_kept(levels):
    folder = levels / "demo"
    folder.mkdir(parents=True)
    (folder / "campaign.toml").write_text(CAMPAIGN, encoding="utf-8")
    assert main(["new", "one", "--campaign", "demo"]) == 0
    assert (folder / "campaign.toml").read_text("utf-8").startswith("# The demo campaign")


def test_new_level_passes_the_analysis_and_every_ending_has_a_tone(levels):
    # The guide says: check with --analyse, give every ending a tone. The skeleton does both:
    # no longest-text give-away (W112), no silent trap (W111), no contradicted tone (W114).
    assert main(["new", "late-delivery", "--campaign", "my-course"]) == 0
    folder = levels / "my-course"
    count, diagnostics, reports = check([folder], balancing=True)
    assert (count, [d.code for d in diagnostics]) == (1, [])
    level = load_folder_for(folder / "01-late-delivery.toml")[1][0].level
    assert {e.id: e.tone for e in level.endings.values()} == {
        "delighted": "good", "quiet": "mixed", "lost": "bad"}
    assert (reports[0].balance.strategies["longest-en"].score,
            reports[0].balance.strategies["longest-zh"].score) == (-1, -1)


def test_new_campaign_toml_shows_kinds_beside_steps(levels):
    assert main(["new", "late-delivery", "--campaign", "my-course"]) == 0
    path = levels / "my-course/campaign.toml"
    text = path.read_text("utf-8")
    assert "# [campaign.steps]\n" in text and "# [campaign.kinds]\n" in text
    assert '# personal-win = { en = "family", zh = "家人" }' in text
    # uncommented, both examples load and check clean
    path.write_text("\n".join(ln[2:] if ln.startswith(("# [campaign.", "# explore", "# personal-win"))
                              else ln for ln in text.splitlines()) + "\n", encoding="utf-8")
    campaign = load_campaign(path).campaign
    assert campaign.kinds["personal-win"].get("zh") == "家人"
    assert check([path.parent], balancing=True)[1] == []


def _taplo_check(*paths) -> subprocess.CompletedProcess:
    # --no-auto-config: taplo's defaults, as an editor uses them in a folder without a config file.
    return subprocess.run([TAPLO, "fmt", "--check", "--no-auto-config", *map(str, paths)],
                          capture_output=True, text=True, timeout=60)


@NEEDS_TAPLO
def test_new_files_are_taplo_stable(levels):
    assert main(["new", "late-delivery", "--campaign", "my-course"]) == 0
    assert main(["new", "solo"]) == 0
    files = [levels / "my-course/01-late-delivery.toml", levels / "my-course/campaign.toml",
             levels.parent / "solo.toml"]
    done = _taplo_check(*files)
    assert done.returncode == 0, done.stderr


@NEEDS_TAPLO
def test_shipped_levels_are_taplo_stable():
    files = sorted((ROOT / "game/levels").rglob("*.toml"))
    assert len(files) >= 19
    done = _taplo_check(*files)
    # taplo names each file it would rewrite
    assert done.returncode == 0, [ln for ln in done.stderr.splitlines() if "ERROR" in ln]
