"""`mot graph`: Graphviz accepts the dot output; the Mermaid output has the expected shape.

Both are checked on every shipped level and on a level whose names carry quotes, a backslash
and Mermaid's special characters, the cases that break hand-written graph files.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from game.cli import main
from game.commands.graph import dot, edge_label, mermaid
from game.library import load_folder_for

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted(p for p in (ROOT / "levels").rglob("*.toml") if p.name != "campaign.toml")
NEEDS_DOT = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` is not installed")

AWKWARD = '''format = 1
[level]
id = "awkward"
title = "Quotes"
you = "me"
customer = "mike"
start = "hello"
[characters.me]
name = "Me"
[characters.mike]
name = 'Mike "the Fixer" Yan \\ #1 <boss>'
[scene.hello]
speaker = "mike"
text = "Hi."
[[scene.hello.choice]]
id = "ask"
step = "explore"
text = "Ask."
perception = 1
ideal = true
next = "end:good"
[[scene.hello.choice]]
id = "leave"
step = "act"
text = "Leave."
perception = -2
next = "end:bad"
[ending.good]
title = 'A "good" end'
[ending.bad]
title = "Bad"
'''


def load(path: Path):
    """The level, or None when it has errors (`mot check` tests report those, not this file)."""
    return load_folder_for(path)[1][0].level


@pytest.fixture
def awkward(tmp_path):
    path = tmp_path / "awkward.toml"
    path.write_text(AWKWARD, encoding="utf-8")
    level = load(path)
    assert level is not None
    return level


def all_levels(awkward):
    return [lv for lv in map(load, SHIPPED) if lv is not None] + [awkward]


def test_edge_label_shows_step_delta_and_id(awkward):
    ask, leave = awkward.scenes["hello"].choices
    assert (edge_label(ask), edge_label(leave)) == ("E +1 ask", "A -2 leave")


@NEEDS_DOT
def test_graphviz_accepts_dot(awkward, tmp_path):
    for level in all_levels(awkward):
        src = tmp_path / f"{level.id}.dot"
        src.write_text(dot(level), encoding="utf-8")
        done = subprocess.run(["dot", "-Tsvg", str(src)], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0 and not done.stderr, (level.id, done.stderr)
        assert "<svg" in done.stdout


def test_dot_shape(awkward):
    for level in all_levels(awkward):
        text = dot(level)
        choices = [c for s in level.scenes.values() for c in s.choices]
        # one edge per place a choice can lead (a conditional `next` has several), plus the start
        assert text.count(" -> ") == sum(len(c.targets) for c in choices) + 1
        assert text.count("doubleoctagon") == len(level.endings)
        assert text.count("penwidth=3") == sum(len(c.targets) for c in choices if c.ideal)
    assert r'Mike \"the Fixer\" Yan \\ #1 <boss>' in dot(awkward)


def test_mermaid_shape(awkward):
    for level in all_levels(awkward):
        lines = mermaid(level).splitlines()
        assert lines[0] == "flowchart TD"
        scenes = [ln for ln in lines if re.fullmatch(r'  s\d+\[".*"\]', ln)]
        endings = [ln for ln in lines if re.fullmatch(r'  e\d+\(\[".*"\]\)', ln)]
        edges = [ln for ln in lines if re.fullmatch(r'  s\d+ -(->|\.->)\|".*"\| [se]\d+', ln)]
        choices = [c for s in level.scenes.values() for c in s.choices]
        destinations = [c for c in choices for _ in c.targets]  # one edge per place it can lead
        assert (len(scenes), len(endings), len(edges)) == (len(level.scenes), len(level.endings), len(destinations))
        assert "  start --> s%d" % list(level.scenes).index(level.start) in lines
        # The ideal choices are the styled links (edge 0 is the start arrow).
        ideal = [str(i) for i, c in enumerate(destinations, 1) if c.ideal]
        styled = [ln for ln in lines if ln.startswith("  linkStyle ")]
        assert styled == ([f"  linkStyle {','.join(ideal)} stroke:#2a9d8f,stroke-width:4px"] if ideal else [])
        for line in scenes + endings + edges:  # no raw quote inside a label
            assert line.count('"') == 2, line
    assert "Mike #quot;the Fixer#quot; Yan \\ #35;1 #lt;boss#gt;" in mermaid(awkward)


def test_cli_writes_file(tmp_path, capsys):
    out = tmp_path / "level.mmd"
    assert main(["graph", "first-call", "-o", str(out)]) == 0
    assert out.read_text("utf-8").startswith("flowchart TD")
    assert main(["graph", str(ROOT / "levels/tutorial/01-first-call.toml"), "--format", "dot"]) == 0
    assert capsys.readouterr().out.startswith('digraph "first-call" {')


def test_cli_reports_a_broken_level(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text("format = 1\n[level\n", encoding="utf-8")
    assert main(["graph", str(bad)]) == 1
    assert "error[E001]" in capsys.readouterr().err
