"""`mot graph`: the exact dot for a small level (labels in zh and en, only the branch the ideal path
takes marked ideal, the legend, hostile text escaped), Graphviz accepts every shipped level, the
Mermaid output has the expected shape, and svg/png are drawn by the real `dot` (or a bilingual
message says it is missing).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from game.cli import main
from game.commands.graph import FONTS, dot, edges, ideal_taken, mermaid, shorten
from game.library import load_folder_for, load_library

ROOT = Path(__file__).resolve().parent.parent
NEEDS_DOT = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` is not installed")

# The ideal first move leads on by a conditional `next`: after its +1 the meter is 1, so the
# SECOND branch holds (not the first, not the default); only that edge is the ideal path. A
# recovery scene off the path has its own ideal choice. Names and titles carry hostile text.
TINY = r'''format = 1
[level]
id = "tiny"
title = { en = "Tiny & <Co>", zh = "小关卡" }
you = "me"
customer = "kim"
start = "hello"

[characters.me]
name = "Me"

[characters.kim]
name = { en = 'Kim "K" <b>Lee</b> \N & co', zh = '金 "K" \N <李>' }

[scene.hello]
speaker = "kim"
text = { en = "My order is late and I need it by Friday for the fair.", zh = "我的订单晚了，周五展会之前必须到，不然就麻烦了。" }

[[scene.hello.choice]]
id = "ask"
step = "explore"
text = { en = "Ask what Friday means for her.", zh = "先问清楚周五对她意味着什么。" }
perception = 1
ideal = true
next = [{ when = "perception >= 2", to = "end:great" }, { when = "perception >= 1", to = "fix" }, { to = "end:meh" }]

[[scene.hello.choice]]
id = "promise"
step = "offer"
text = { en = "Promise Friday.", zh = "承诺周五送到。" }
perception = -1
sets = ["promised"]
next = "recover"

[scene.recover]
text = { en = "Thursday: nothing has shipped.", zh = "周四：什么都还没发。" }

[[scene.recover.choice]]
id = "own-it"
step = "act"
text = { en = "Call her first.", zh = "先给她打电话。" }
perception = 1
ideal = true
next = "fix"

[scene.fix]
text = { en = "The warehouse can help.", zh = "仓库可以帮忙。" }
event = { perception = -1, text = { en = "Three days of <silence>.", zh = "三天过去了，没有消息。" } }

[[scene.fix.choice]]
id = "deliver"
step = "act"
text = { en = "Ship today and send the tracking number.", zh = "今天发货并发送运单号。" }
perception = 1
ideal = true
next = "end:great"

[[scene.fix.choice]]
id = "excuse"
step = "act"
when = "promised"
text = { en = "Say \"it's the courier\" \\ again.", zh = "又说是快递的错。" }
perception = [{ when = "perception >= 1", delta = -1 }, { delta = -2 }]
next = "end:meh"

[ending.great]
tone = "good"
title = { en = "Great", zh = "很好" }

[ending.meh]
tone = "bad"
title = { en = "Meh <sigh>", zh = "唉" }
'''

EN_EDGES = [
    '  "scene:hello" -> "end:great" [label=<Explore +1 · Ask what Friday means…<br/><i>→ if perception &gt;= 2</i>>, '
    'tooltip="hello / ask", style=dashed];',
    '  "scene:hello" -> "scene:fix" [label=<Explore +1 · Ask what Friday means…<br/><i>→ if perception &gt;= 1</i>>, '
    'tooltip="hello / ask", style=dashed, color="#2a9d8f", fontcolor="#2a9d8f", penwidth=3];',
    '  "scene:hello" -> "end:meh" [label=<Explore +1 · Ask what Friday means…<br/><i>→ otherwise</i>>, '
    'tooltip="hello / ask", style=dashed];',
    '  "scene:hello" -> "scene:recover" [label=<Offer -1 · Promise Friday.>, tooltip="hello / promise"];',
    '  "scene:recover" -> "scene:fix" [label=<Act +1 · Call her first.>, tooltip="recover / own-it", '
    'color="#2a9d8f", fontcolor="#2a9d8f"];',
    '  "scene:fix" -> "end:great" [label=<Act +1 · Ship today and send the…>, tooltip="fix / deliver", '
    'color="#2a9d8f", fontcolor="#2a9d8f", penwidth=3];',
    '  "scene:fix" -> "end:meh" [label=<Act -1/-2 · Say &quot;it\'s the courier&quot;…'
    '<br/><i>-1 if perception &gt;= 1 · -2 otherwise</i><br/><i>only if promised</i>>, '
    'tooltip="fix / excuse", style=dashed];',
]

ZH_EDGES = [
    '  "scene:hello" -> "end:great" [label=<探索 +1 · 先问清楚周五对她意味着…<br/><i>→ 如果 perception &gt;= 2</i>>, '
    'tooltip="hello / ask", style=dashed];',
    '  "scene:hello" -> "scene:fix" [label=<探索 +1 · 先问清楚周五对她意味着…<br/><i>→ 如果 perception &gt;= 1</i>>, '
    'tooltip="hello / ask", style=dashed, color="#2a9d8f", fontcolor="#2a9d8f", penwidth=3];',
    '  "scene:hello" -> "end:meh" [label=<探索 +1 · 先问清楚周五对她意味着…<br/><i>→ 否则</i>>, '
    'tooltip="hello / ask", style=dashed];',
    '  "scene:hello" -> "scene:recover" [label=<提议 -1 · 承诺周五送到。>, tooltip="hello / promise"];',
    '  "scene:recover" -> "scene:fix" [label=<行动 +1 · 先给她打电话。>, tooltip="recover / own-it", '
    'color="#2a9d8f", fontcolor="#2a9d8f"];',
    '  "scene:fix" -> "end:great" [label=<行动 +1 · 今天发货并发送运单号。>, tooltip="fix / deliver", '
    'color="#2a9d8f", fontcolor="#2a9d8f", penwidth=3];',
    '  "scene:fix" -> "end:meh" [label=<行动 -1/-2 · 又说是快递的错。'
    '<br/><i>如果 perception &gt;= 1：-1 · 否则：-2</i><br/><i>仅当 promised</i>>, '
    'tooltip="fix / excuse", style=dashed];',
]


def load(path: Path):
    """The level, or None when it has errors (`mot check` tests report those, not this file)."""
    return next(r.level for r in load_folder_for(path)[1] if r.path == path)


@pytest.fixture
def tiny(tmp_path):
    path = tmp_path / "tiny.toml"
    path.write_text(TINY, encoding="utf-8")
    level = load(path)
    assert level is not None
    return level


@pytest.fixture(scope="module")
def shipped():
    levels = load_library(ROOT / "levels").levels
    assert len(levels) >= 16
    return levels


def test_only_the_branch_the_ideal_path_takes_is_ideal(tiny):
    assert ideal_taken(tiny) == {("hello", "ask", "fix"), ("fix", "deliver", "end:great")}
    marks = [(e.scene, e.choice.id, e.to, e.ideal) for e in edges(tiny)]
    assert marks == [("hello", "ask", "end:great", ""), ("hello", "ask", "fix", "path"),
                     ("hello", "ask", "end:meh", ""), ("hello", "promise", "recover", ""),
                     ("recover", "own-it", "fix", "off"), ("fix", "deliver", "end:great", "path"),
                     ("fix", "excuse", "end:meh", "")]


def test_dot_edges_in_english_and_chinese(tiny):
    for lang, expected in (("en", EN_EDGES), ("zh", ZH_EDGES)):
        lines = dot(tiny, lang).splitlines()
        assert [ln for ln in lines if " -> " in ln and not ln.startswith('  "start"')] == expected, lang
        assert '  "start" -> "scene:hello";' in lines


def test_dot_nodes_legend_and_fonts(tiny):
    lines = dot(tiny, "zh").splitlines()
    assert lines[0] == 'digraph "tiny" {'
    assert lines[1] == (f'  graph [rankdir=TB, fontname="{FONTS}", labelloc=t, fontsize=16, '
                        'label=<<b>小关卡</b>>];')
    assert "Helvetica" not in "\n".join(lines)
    # scenes: speaker and first words in the language, the id small below; the name is escaped
    assert ('  "scene:hello" [label=<金 &quot;K&quot; \\\\N &lt;李&gt;：我的订单晚了，周五展会之前必…<br/>'
            '<font point-size="9" color="#777777">hello</font>>, tooltip="hello"];') in lines
    # a scene's event is drawn on its node, in its own colour, not as a move
    assert ('  "scene:fix" [label=<仓库可以帮忙。<br/><font color="#b35c00"><i>事件 -1：三天过去了，没有消息。</i></font>'
            '<br/><font point-size="9" color="#777777">fix</font>>, tooltip="fix"];') in lines
    # endings: title, id and tone, filled by tone
    assert ('  "end:meh" [shape=doubleoctagon, fillcolor="#ffd6d6", label=<唉<br/>'
            '<font point-size="9" color="#777777">end:meh · 坏</font>>, tooltip="end:meh"];') in lines
    legend = next(ln for ln in lines if ln.startswith('  "legend" '))
    for words in ("<b>图例</b>", "理想路径：", "标为理想的选项", "虚线：", "步骤：探索 · 提议 · 行动 · 确认",
                  ">好<", ">喜忧参半<", ">坏<", ">未标注<", "进入场景时发生的事件"):
        assert words in legend, words
    assert '  { rank=same; "start"; "legend"; }' in lines
    english = dot(tiny, "en")
    assert "<b>Legend</b>" in english and "ideal path: what the game plays" in english
    assert "label=<<b>Tiny &amp; &lt;Co&gt;</b>>" in english
    assert "<i>event -1: Three days of &lt;silence&gt;.</i>" in english
    assert ('[label=<Kim &quot;K&quot; &lt;b&gt;Lee&lt;/b&gt; \\\\N &amp; co: My order is late and I need…<br/>'
            in english)


def test_shorten_counts_cjk_as_two_cells_and_keeps_words():
    assert shorten("先问清楚周五对她意味着什么。", 24) == "先问清楚周五对她意味着…"
    assert shorten("Ship today and send the tracking number.", 24) == "Ship today and send the…"
    assert shorten("Short.", 24) == "Short."
    assert shorten("line one\nline two", 30) == "line one line two"


def test_mermaid_labels_and_ideal(tiny):
    lines = mermaid(tiny, "zh").splitlines()
    assert lines[:2] == ["flowchart TD", '  start(("开始"))']
    assert '  s0["金 #quot;K#quot; \\N #lt;李#gt;：我的订单晚了，周五展会之前必…<br/><small>hello</small>"]' in lines
    assert '  s2["仓库可以帮忙。<br/><i>事件 -1：三天过去了，没有消息。</i><br/><small>fix</small>"]' in lines
    assert '  s0 -.->|"探索 +1 · 先问清楚周五对她意味着…<br/>→ 如果 perception #gt;= 1"| s2' in lines
    # edge 0 is the start arrow: 2 and 6 are the ideal path, 5 the ideal choice off it; 8 and 9
    # are the legend's samples of the two (edge 7 is the last of the level's)
    assert lines[-2:] == ["  linkStyle 2,6,8 stroke:#2a9d8f,stroke-width:4px", "  linkStyle 5,9 stroke:#2a9d8f"]
    assert "  classDef good fill:#d8f3dc" in lines and "  class e1,lg_bad bad" in lines
    # the legend (issue 16: the default output had none), in the graph's language
    legend = lines[lines.index('  subgraph legend["图例"]'):lines.index("  end") + 1]
    assert legend[1] == '    lg0[" "] -->|"理想路径：从开始起每一步都选理想选项时，游戏实际走过的路"| lg1[" "]'
    assert legend[2].startswith('    lg2[" "] -->|"细线：标为理想的选项，但所在场景不在理想路径上')
    assert legend[3].startswith('    lg4[" "] -.->|"虚线：')
    assert '    lg_good(["好"])' in legend and '    lg_bad(["坏"])' in legend
    assert any("进入场景时发生的事件" in ln for ln in legend)
    assert sum(" -->|" in ln or " -.->|" in ln for ln in lines) == 7 + 3  # the level's, the legend's


@NEEDS_DOT
def test_graphviz_accepts_every_shipped_level(shipped, tiny):
    for level, lang in [(level, "zh") for level in shipped] + [(tiny, "zh"), (tiny, "en")]:
        done = subprocess.run(["dot", "-Tsvg"], input=dot(level, lang), capture_output=True, text=True,
                              timeout=60)
        assert done.returncode == 0 and not done.stderr, (level.id, lang, done.stderr)
        assert "<svg" in done.stdout


def test_shipped_levels_have_one_ideal_path(shipped):
    for level in shipped:
        found = edges(level)
        choices = [c for s in level.scenes.values() for c in s.choices]
        assert len(found) == sum(len(c.targets) for c in choices)
        path = [e for e in found if e.ideal == "path"]
        # the ideal path (earlier levels assumed at +3) is a chain from the start to an ending:
        # one edge out of each scene it visits
        assert len({e.scene for e in path}) == len(path), level.id
        assert level.start in {e.scene for e in path} and any(e.to.startswith("end:") for e in path), level.id
        text = dot(level)
        assert text.count("penwidth=3") == len(path)
        assert text.count("doubleoctagon") == len(level.endings)


def test_mermaid_shape(shipped, tiny):
    for level in shipped + [tiny]:
        lines = mermaid(level).splitlines()
        scenes = [ln for ln in lines if re.fullmatch(r'  s\d+\[".*"\]', ln)]
        endings = [ln for ln in lines if re.fullmatch(r'  e\d+\(\[".*"\]\)', ln)]
        arrows = [ln for ln in lines if re.fullmatch(r'  s\d+ -(->|\.->)\|".*"\| [se]\d+', ln)]
        assert (len(scenes), len(endings), len(arrows)) == (len(level.scenes), len(level.endings), len(edges(level)))
        for line in scenes + endings + arrows:  # no raw quote inside a label
            assert line.count('"') == 2, line


@NEEDS_DOT
def test_cli_draws_svg_and_png_with_dot(tiny, tmp_path, capsys, monkeypatch):
    assert main(["graph", str(tiny.path), "--format", "svg", "--lang", "zh"]) == 0
    svg = capsys.readouterr().out
    assert svg.startswith("<?xml") and "<svg" in svg
    assert f'font-family="{FONTS}"' in svg
    assert "金 &quot;K&quot; \\N &lt;李&gt;：" in svg and "scene:hello &lt;李&gt;" not in svg and "→ 如果 perception &gt;= 1" in svg
    monkeypatch.chdir(tmp_path)
    assert main(["graph", str(tiny.path), "--format", "png", "--lang", "en"]) == 0
    assert capsys.readouterr().out == "wrote tiny.png\n"
    assert (tmp_path / "tiny.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cli_without_graphviz_says_so_in_both_languages(tiny, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no `dot` here
    assert main(["graph", str(tiny.path), "--format", "svg", "--lang", "en"]) == 1
    assert "--format svg needs Graphviz's `dot`, which is not installed" in capsys.readouterr().err
    assert main(["graph", str(tiny.path), "--format", "png", "--lang", "zh"]) == 1
    assert "--format png 需要 Graphviz 的 `dot` 命令，但本机没有安装" in capsys.readouterr().err
    assert not (tmp_path / "tiny.png").exists()


def test_ideal_path_assumes_the_best_earlier_scores_unless_told(capsys):
    follow_up = str(ROOT / "levels/tutorial/02-follow-up.toml")
    assert main(["graph", follow_up, "--format", "dot", "--lang", "en"]) == 0
    best = capsys.readouterr().out
    assert best.count("penwidth=3") == 4
    assert "the ideal path assumes these earlier scores: score.first-call = +3" in best
    assert main(["graph", follow_up, "--format", "dot", "--score", "first-call=0"]) == 0
    assert capsys.readouterr().out.count("penwidth=3") == 1  # its ideal plan needs a good first call
    assert main(["graph", follow_up, "--score", "first-call=9", "--lang", "en"]) == 2
    assert "mot graph: --score takes LEVEL=N" in capsys.readouterr().err


def test_cli_writes_file(tmp_path, capsys):
    out = tmp_path / "level.mmd"
    assert main(["graph", "first-call", "-o", str(out), "--lang", "en"]) == 0
    assert out.read_text("utf-8").startswith("flowchart TD")
    assert main(["graph", str(ROOT / "levels/tutorial/01-first-call.toml"), "--format", "dot"]) == 0
    assert capsys.readouterr().out.startswith('digraph "first-call" {')


def test_cli_reports_a_broken_level(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text("format = 1\n[level\n", encoding="utf-8")
    assert main(["graph", str(bad)]) == 1
    assert "error[E001]" in capsys.readouterr().err
