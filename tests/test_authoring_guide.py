"""The authoring guide tells the truth: its example level checks clean and plays to the end, its
numbers are the game's numbers, and its code table lists every code the checker can report.

(Playing the example in the TUI with `mot play` is tested with the play-test screen.)
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from game.cli import main
from game.commands.check import check
from game.diagnostics import CODES
from game.engine import Game
from game.library import load_folder_for
from game.scoring import mot_score

DOCS = Path(__file__).resolve().parent.parent / "docs"
GUIDES = [DOCS / "authoring.md", DOCS / "authoring.zh.md"]
EXAMPLE = re.compile(r"<!-- example-level[^\n]*-->\n```toml\n(.*?)\n```", re.S)


def example(guide: Path) -> str:
    found = EXAMPLE.findall(guide.read_text("utf-8"))
    assert len(found) == 1, f"{guide.name}: one ```toml block after <!-- example-level --> expected"
    return found[0] + "\n"


@pytest.fixture
def level_file(tmp_path):
    """The example saved as the guide says, in a fresh folder of its own."""
    path = tmp_path / "my-course" / "01-projector.toml"
    path.parent.mkdir()
    path.write_text(example(GUIDES[0]), encoding="utf-8")
    return path


def test_both_guides_carry_the_same_example():
    assert example(GUIDES[1]) == example(GUIDES[0])


def test_example_checks_clean_and_plays_the_ideal_path(level_file, capsys):
    levels, diagnostics, reports = check([level_file])
    assert levels == 1 and [str(d) for d in diagnostics] == []
    assert main(["check", str(level_file)]) == 0
    capsys.readouterr()
    assert main(["run", str(level_file), "--ideal", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["ending"] == "regular" and result["mot_score"] == 3


def test_analysis_output_in_the_guide_is_real(level_file, capsys):
    text = GUIDES[0].read_text("utf-8")
    shown = re.search(r"```text\n(projector: .*?)\n```", text, re.S).group(1).splitlines()
    assert main(["check", "--analyse", "--lang", "en", str(level_file)]) == 0
    out = [line for line in capsys.readouterr().out.splitlines() if line]
    states = re.compile(r"^projector: [\d,]+ states$")  # the count depends on the analyser's memo key
    assert [states.sub("projector: N states", ln) for ln in out] == [states.sub("projector: N states", ln) for ln in shown]


def test_chinese_guide_quotes_the_chinese_report(level_file, capsys):
    """`mot check --analyse --lang zh` prints the whole report in Chinese (issue 16: only the
    summary was), and the Chinese guide quotes it as it is."""
    text = GUIDES[1].read_text("utf-8")
    shown = re.search(r"```text\n(projector：.*?)\n```", text, re.S).group(1).splitlines()
    assert main(["check", "--analyse", "--lang", "zh", str(level_file)]) == 0
    out = [line for line in capsys.readouterr().out.splitlines() if line]
    states = re.compile(r"^projector：[\d,]+ 个状态$")
    assert [states.sub("projector：N 个状态", ln) for ln in out] == [states.sub("projector：N 个状态", ln) for ln in shown]
    english = re.compile(r"\b(states|ending|reachable|best|worst|ideal|paths|balance|random|always|"
                         r"longest|first|steps|expected|alone|after|levels?|errors?|warnings?)\b")
    # (the per-choice lines, indented six spaces, are only ids and numbers: `after/ask-how: +3 / -1`)
    assert [ln for ln in out if english.search(ln.split("→")[0]) and not ln.startswith(" " * 6)] == []
    assert out[-1] == "1 个关卡，0 个错误，0 个警告"


def test_worked_numbers_are_the_games(level_file):
    level = load_folder_for(level_file)[1][0].level
    rows = re.findall(r"^\| ([a-z-]+(?:, [a-z-]+)+) \(.*?\| ([^|]+) \| [^|]+ \| [^|]+ \| \*\*([+−]?\d)\*\*",
                      GUIDES[0].read_text("utf-8"), re.M)
    assert len(rows) == 4
    for moves, trace, score in rows:
        state = Game(level).play(moves.split(", "))
        assert ", ".join(str(p).replace("-", "−") for p in state.trace) == trace.strip()
        assert mot_score(level.perception, state.trace) == int(score.replace("−", "-"))


@pytest.mark.parametrize("guide", GUIDES, ids=lambda p: p.name)
def test_code_table_lists_every_code(guide):
    listed = re.findall(r"^\| ([EW]\d{3}) \|", guide.read_text("utf-8"), re.M)
    assert listed == list(CODES)


async def test_example_plays_in_mot_play(level_file):
    """Acceptance: the guide's level, written from scratch, plays in `mot play` to its debrief."""
    from game.engine import Game
    from game.loader import load_level
    from game.tui.playtest import PlaytestApp
    from game.tui.screens.debrief import DebriefScreen
    from game.tui.screens.scene import SceneScreen

    level = load_level(level_file).level
    game = Game(level)
    state, keys = game.start(), []
    for choice_id in game.ideal_path():
        keys.append(str([c.id for c in game.choices(state)].index(choice_id) + 1))
        state = game.apply(state, choice_id)
    app = PlaytestApp(level_file, lang="zh", shuffle=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SceneScreen) and app.screen.level.id == level.id
        for key in keys:
            await pilot.press(key, "enter")
            await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        assert app.screen.result.mot_score == 3


def test_the_shipped_fixes_are_the_guides(capsys):
    """`mot check --explain` prints each code's fix from game/assets/code_fixes.json, which must
    say what the two guides' code tables say (run scripts/code_fixes.py after editing them)."""
    import importlib.util
    import json

    from game.cli import main

    spec = importlib.util.spec_from_file_location("code_fixes", DOCS.parent / "scripts" / "code_fixes.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    shipped = json.loads((DOCS.parent / "game" / "assets" / "code_fixes.json").read_text("utf-8"))
    assert shipped == script.fixes_from_guides(), "run scripts/code_fixes.py"
    assert set(shipped) == set(CODES) and all(f.get("en") and f.get("zh") for f in shipped.values())
    assert main(["check", "--explain", "E016", "--lang", "en"]) == 0
    assert f"How to fix it: {shipped['E016']['en']}" in capsys.readouterr().out
    assert main(["check", "--explain", "E016", "--lang", "zh"]) == 0
    assert f"怎么改：{shipped['E016']['zh']}" in capsys.readouterr().out
