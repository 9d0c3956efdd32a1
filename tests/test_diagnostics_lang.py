"""Issue 16: every diagnostic the analyser, the balancing report and the `when` parser emit exists
in English and Chinese; `mot check --lang zh` prints them in Chinese (not only the summary), the
JSON keeps both, and the error screen in the TUI shows them in the player's language (F2).
The new checks: `=` in a `when` suggests `==`; W115 asks "did you mean" for a typo in `sets`;
W103 names a path from the start and what each `when` reads there."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from game.cli import main
from game.commands.check import check
from game.diagnostics import CODES, CODES_ZH, meaning

ROOT = Path(__file__).resolve().parent.parent
BROKEN = ROOT / "tests" / "broken"
CJK = re.compile("[\u4e00-\u9fff]")
# Codes emitted by game/analysis.py, game/balance.py and game/conditions.py (through E013).
ANALYSER_CODES = {"E013", "E025", "W101", "W102", "W103", "W105", "W106", "W107", "W109", "W110",
                  "W111", "W112", "W113", "W114", "W115", "W116", "W120"}

# file, code, line, col, key parts of the English message, key parts of the Chinese one
CASES = [
    ("e013-when-equals.toml", "E013", 73, 20,
     ["unexpected character '='", "write `==` (`perception == 1`)"],
     ["`when` 无法解析", "比较请写 `==`（如 `perception == 1`）"]),
    ("w115-did-you-mean.toml", "W115", 35, 9,
     ["sets flag 'offered-refnd'", "did you mean 'offered-refund'?"],
     ["设置的标记 'offered-refnd' 没有任何 `when` 读取", "是不是想写 'offered-refund'？"]),
    ("e014-when-did-you-mean.toml", "E014", 73, 8,
     ["names the flag 'offered-refnd'", "did you mean 'offered-refund'?"],
     ["`when` 用到的标记 'offered-refnd'", "是不是想写 'offered-refund'？"]),
    ("w103-stuck-flag.toml", "W103", 60, 8,
     ["in scene 'follow'", "after refund → loaners → deliver",
      "call-back needs `not offered-refund` (offered-refund set)",
      "close-ticket needs `offered-refund and perception > 2` (offered-refund set, perception +2)"],
     ["场景 'follow' 中的选项可能全部不可用", "走 refund → loaners → deliver 之后",
      "call-back 需要 `not offered-refund`（offered-refund 已设置）",
      "close-ticket 需要 `offered-refund and perception > 2`（offered-refund 已设置，客户认知 +2）"]),
    ("e004-did-you-mean.toml", "E004", 54, 1, ["unknown key `feedbak` in a choice: did you mean `feedback`?"],
     ["选项中没有键 `feedbak`：是不是想写 `feedback`？"]),
    ("e004-meant-key.toml", "E004", 51, 1, ["unknown key `delta` in a choice: did you mean `perception`?"],
     ["选项中没有键 `delta`：是不是想写 `perception`？"]),
    ("e008-ending-without-prefix.toml", "E008", 57, 8, ["an ending is called that: write \"end:kept\""],
     ["有一个结局叫这个名字：请写成 \"end:kept\""]),
    ("e008-did-you-mean.toml", "E008", 107, 8, ["`next` = 'plna' names no scene: did you mean 'plan'?"],
     ["`next` = 'plna' 指向的场景不存在：是不是想写 'plan'？"]),
    ("e011-did-you-mean.toml", "E011", 44, 11, ["speaker 'grac' names no character: did you mean 'grace'?"],
     ["说话人 'grac' 指向的人物不存在：是不是想写 'grace'？"]),
    ("e017-step-meant.toml", "E017", 49, 8, ["unknown step 'Explore': write 'explore'"],
     ["步骤 'Explore' 不存在：请写 'explore'"]),
    ("w103-stuck.toml", "W103", 59, 8,
     ["after refund → loaners → deliver", "call-back needs `perception >= 3` (perception +2)"],
     ["走 refund → loaners → deliver 之后", "call-back 需要 `perception >= 3`（客户认知 +2）"]),
]


@pytest.mark.parametrize("name, code, line, col, en, zh", CASES, ids=[c[0] for c in CASES])
def test_the_mistake_is_named_in_both_languages(name, code, line, col, en, zh):
    _, diagnostics, _ = check([BROKEN / name])
    [d] = [d for d in diagnostics if d.code == code]
    assert (d.line, d.col) == (line, col)
    for part in en:
        assert part in d.text("en"), (part, d.text("en"))
    for part in zh:
        assert part in d.text("zh"), (part, d.text("zh"))


@pytest.mark.parametrize("name, code, line, col, en, zh", CASES, ids=[c[0] for c in CASES])
def test_mot_check_prints_each_diagnostic_in_the_language_asked(name, code, line, col, en, zh, capsys):
    main(["check", "--lang", "zh", str(BROKEN / name)])
    row = next(r for r in capsys.readouterr().out.splitlines() if f"[{code}]" in r)
    assert row.startswith(f"tests/broken/{name}:{line}:{col}: ") and all(part in row for part in zh)
    assert not any(word in row for word in ("unexpected", "did you mean", "needs", "in scene"))
    main(["check", "--lang", "en", str(BROKEN / name)])
    row = next(r for r in capsys.readouterr().out.splitlines() if f"[{code}]" in r)
    assert all(part in row for part in en) and not CJK.search(row)
    main(["check", "--format", "json", str(BROKEN / name)])
    [d] = [d for d in json.loads(capsys.readouterr().out) if d["code"] == code]
    assert (d["line"], d["col"]) == (line, col)
    assert all(part in d["message"] for part in en) and all(part in d["zh"] for part in zh)


def test_every_analyser_diagnostic_has_chinese():
    """Whatever the corpus and the balancing fixtures make the analyser, the balancing report and
    the `when` parser say has a Chinese text of its own."""
    paths = sorted(BROKEN.glob("*.toml")) + sorted((ROOT / "tests" / "fixtures").rglob("*.toml"))
    seen = set()
    for path in paths:
        _, diagnostics, _ = check([path], balancing=True)
        for d in diagnostics:
            # (the loader's E025, "every path loops forever", is the loader's to translate)
            if d.code in ANALYSER_CODES and not (d.code == "E025" and "loops forever" in d.message):
                seen.add(d.code)
                assert d.zh and d.zh != d.message and CJK.search(d.zh), str(d)
    assert ANALYSER_CODES - {"W109"} <= seen  # W109: test_the_stopped_analysis_says_so_in_chinese


def test_the_summary_and_the_rows_are_chinese(capsys):
    assert main(["check", "--lang", "zh", str(BROKEN / "w103-stuck.toml")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "1 个关卡，0 个错误，2 个警告"
    assert all(CJK.search(row) for row in out)
    assert "warning[W102]: 结局 'quiet' 永远无法到达" in out[1]


def test_every_code_has_a_chinese_meaning_and_the_chinese_guide_says_it():
    assert list(CODES_ZH) == list(CODES)
    guide = (ROOT / "docs" / "authoring.zh.md").read_text(encoding="utf-8")
    cells = dict(re.findall(r"^\| ([EW]\d{3}) \| ([^|]+?) \|", guide, re.M))
    for code, zh in CODES_ZH.items():
        assert CJK.search(zh), code
        if code in cells:  # (that every code has its row: tests/test_authoring_guide.py)
            assert cells[code].removesuffix("（`--analyse`）") == zh, code
    assert meaning("W115", "zh") == "设置了一个没有任何 `when` 读取的标记"
    assert meaning("W115", "en") == "a flag is set that no `when` reads"


def test_explain_a_code(capsys):
    assert main(["check", "--explain", "w103", "--lang", "zh"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "W103（警告）：某个可到达的状态没有可用的选项（玩家被卡住）"
    assert main(["check", "--explain", "E013", "--lang", "en"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "E013 (error): `when` does not parse"
    assert main(["check", "--explain", "X999", "--lang", "en"]) == 2
    err = capsys.readouterr().err
    last_error = max(c for c in CODES if c.startswith("E"))
    assert "no such code: X999" in err and f"E001–{last_error}" in err and "W101–W120" in err  # no placeholders


def test_mot_play_shows_a_typo_in_sets(tmp_path):
    """W115 needs no analysis, so `mot play` counts and names it while the author plays."""
    from game.tui.playtest import PlaytestApp

    path = tmp_path / "typo.toml"
    shutil.copy(BROKEN / "w115-did-you-mean.toml", path)
    level, diagnostics, _ = PlaytestApp(path, lang="zh", shuffle=False)._load()
    assert level is not None
    assert [(d.code, d.line, d.col) for d in diagnostics] == [("W115", 35, 9)]
    assert "是不是想写 'offered-refund'？" in diagnostics[0].text("zh")


async def test_the_error_screen_is_in_the_players_language_and_follows_f2(tmp_path):
    from game.tui.playtest import PlaytestApp
    from game.tui.widgets.prose import Prose
    from game.tui.screens.errors import ErrorsScreen
    from tests.tui_helpers import wait_for, wait_for_screen

    path = tmp_path / "equals.toml"
    shutil.copy(BROKEN / "e013-when-equals.toml", path)
    app = PlaytestApp(path, lang="zh", shuffle=False)

    def shown() -> str:
        return "\n".join(p.text for p in app.screen.query(Prose).filter(".diag"))

    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, ErrorsScreen, focus=False)
        await wait_for(pilot, lambda: "比较请写 `==`" in shown(), what="the Chinese diagnostic")
        assert "equals.toml:73:20: error[E013]: `when` 无法解析：不应出现的字符 '='" in shown()
        await pilot.press("f2")
        await wait_for(pilot, lambda: "to compare, write `==`" in shown(), what="the English diagnostic")
        assert not CJK.search(shown())


def test_the_stopped_analysis_says_so_in_chinese():
    from game.analysis import analyse, warnings
    from game.loader import load_level

    res = load_level(BROKEN / "w103-stuck.toml")
    report = analyse(res.level, max_states=3)
    [d] = [d for d in warnings(res.level, res.positions, report) if d.code == "W109"]
    assert d.text("zh").startswith("分析在 4 个状态") and "已跳过可达性和平衡相关的警告" in d.text("zh")


async def test_the_maps_broken_file_is_in_the_players_language_and_follows_f2(tmp_path):
    from tests.test_tui_safety import broken_library
    from tests.tui_helpers import make_app, open_map, wait_for

    app = make_app(tmp_path, lang="zh", library=broken_library(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_map(pilot)
        await pilot.press("down")  # onto the broken file

        def detail() -> str:
            return app.screen.query_one("#detail-text").text

        await wait_for(pilot, lambda: "02-broken.toml:1:1: error[E003]: " in detail() and CJK.search(detail()),
                       what="the broken file's error in Chinese")
        await pilot.press("f2")
        await wait_for(pilot, lambda: "error[E003]: a level file is missing the required key `scene`" in detail(),
                       what="the broken file's error in English")
        assert app.screen is not None and screen is app.screen


def test_a_step_in_the_courses_chinese_is_named_in_english(tmp_path):
    """`step = "确认"` (the course's word): E017 names the step to write, in both languages."""
    path = tmp_path / "level.toml"
    path.write_text((BROKEN / "e017-step-meant.toml").read_text("utf-8").replace('step = "Explore"', 'step = "确认"'),
                    encoding="utf-8")
    _, diagnostics, _ = check([path])
    [d] = [d for d in diagnostics if d.code == "E017"]
    assert "write 'confirm'" in d.text("en") and "请写 'confirm'" in d.text("zh")
