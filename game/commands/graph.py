"""`mot graph LEVEL [--format mermaid|dot] [-o FILE]`: a level's map, for authors and reviewers.

Scenes are boxes (id and speaker), endings are stadiums (Mermaid) or double octagons (dot), the
start has its own marker, and every choice is an edge labelled with its step letter, its
perception change and its id ("E +1 ask-impact"). The choices marked `ideal` are drawn bold and
coloured; choices with a `when` are dashed. Mermaid renders on GitHub and in most Markdown
viewers; dot is for Graphviz (`dot -Tsvg level.dot -o level.svg`).
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..i18n import STEP_LETTERS, default_language
from ..library import resolve_level
from ..model import Choice, Level, ending_of

IDEAL_COLOUR = "#2a9d8f"


def add_parser(parser) -> None:
    parser.add_argument("level", metavar="LEVEL", help="a level id from levels/, or a .toml file")
    parser.add_argument("--format", choices=("mermaid", "dot"), default="mermaid")
    parser.add_argument("-o", "--output", metavar="FILE", help="write here instead of to stdout")
    parser.add_argument("--lang", choices=("zh", "en"), default=None,
                        help="language of speaker names and ending titles")


def run(args) -> int:
    level, diagnostics, _ = resolve_level(args.level)
    if level is None:
        for d in diagnostics:
            print(d, file=sys.stderr)
        return 1
    lang = args.lang or default_language()
    text = (dot if args.format == "dot" else mermaid)(level, lang)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def edge_label(choice: Choice) -> str:
    return f"{STEP_LETTERS[choice.step]} {choice.delta:+d} {choice.id}"


def _scene_lines(level: Level, sid: str, lang: str) -> list[str]:
    speaker = level.character(level.scenes[sid].speaker)
    return [sid] + ([speaker.name.get(lang)] if speaker else [])


def _ending_lines(level: Level, eid: str, lang: str) -> list[str]:
    title = level.endings[eid].title.get(lang)
    return [f"end:{eid}"] + ([title] if title else [])


# --- Mermaid ---------------------------------------------------------------------------------

def _mm(text: str) -> str:
    """Escape text for a quoted Mermaid label (entity codes; '#' first, it starts them)."""
    for raw, code in (("#", "#35;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;")):
        text = text.replace(raw, code)
    return text.replace("\n", " ")


def mermaid(level: Level, lang: str = "en") -> str:
    scene_ids = {sid: f"s{i}" for i, sid in enumerate(level.scenes)}
    ending_ids = {eid: f"e{i}" for i, eid in enumerate(level.endings)}
    out = ["flowchart TD", "  start((start))"]
    for sid, node in scene_ids.items():
        out.append(f'  {node}["{"<br/>".join(_mm(s) for s in _scene_lines(level, sid, lang))}"]')
    for eid, node in ending_ids.items():
        out.append(f'  {node}(["{"<br/>".join(_mm(s) for s in _ending_lines(level, eid, lang))}"])')
    out.append(f"  start --> {scene_ids[level.start]}")
    ideal, edge = [], 0  # edge 0 is the start arrow; linkStyle counts edges in order
    for sid, scene in level.scenes.items():
        for choice in scene.choices:
            for to, label in destinations(choice):
                ending = ending_of(to)
                target = ending_ids[ending] if ending else scene_ids[to]
                arrow = "-.->" if choice.when_source or len(choice.targets) > 1 else "-->"
                edge += 1
                if choice.ideal:
                    ideal.append(edge)
                out.append(f'  {scene_ids[sid]} {arrow}|"{_mm(label)}"| {target}')
    out.append("  classDef ending stroke-width:3px")
    out.append("  class " + ",".join(ending_ids.values()) + " ending")
    if ideal:
        out.append(f"  linkStyle {','.join(map(str, ideal))} stroke:{IDEAL_COLOUR},stroke-width:4px")
    return "\n".join(out) + "\n"


def destinations(choice) -> list[tuple[str, str]]:
    """(target, edge label) for each place a choice can lead: its branches, then its default."""
    if not choice.branches:
        return [(choice.next, edge_label(choice))]
    out = [(to, f"{edge_label(choice)} if {cond.source}") for cond, to in choice.branches]
    return out + [(choice.next, f"{edge_label(choice)} otherwise")]


# --- Graphviz dot ----------------------------------------------------------------------------

def _q(text: str) -> str:
    """A double-quoted dot string; a newline in the text becomes a centred line break."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def dot(level: Level, lang: str = "en") -> str:
    out = [f"digraph {_q(level.id)} {{",
           "  rankdir=TB;",
           '  node [shape=box, style=rounded, fontname="Helvetica"];',
           '  edge [fontname="Helvetica", fontsize=10];',
           '  "start" [shape=circle, style=filled, fillcolor="#dddddd", label="start"];',
           f'  "start" -> {_q("scene:" + level.start)};']
    for sid in level.scenes:
        out.append(f"  {_q('scene:' + sid)} [label={_q(chr(10).join(_scene_lines(level, sid, lang)))}];")
    for eid in level.endings:
        out.append(f"  {_q('end:' + eid)} [shape=doubleoctagon, style=solid, "
                   f"label={_q(chr(10).join(_ending_lines(level, eid, lang)))}];")
    for sid, scene in level.scenes.items():
        for choice in scene.choices:
            for to, label in destinations(choice):
                target = to if ending_of(to) else "scene:" + to
                attrs = [f"label={_q(label)}"]
                if choice.when_source:
                    attrs.append(f"style=dashed, tooltip={_q('when ' + choice.when_source)}")
                elif len(choice.targets) > 1:
                    attrs.append("style=dashed")
                if choice.ideal:
                    attrs.append(f'color="{IDEAL_COLOUR}", fontcolor="{IDEAL_COLOUR}", penwidth=3')
                out.append(f"  {_q('scene:' + sid)} -> {_q(target)} [{', '.join(attrs)}];")
    out.append("}")
    return "\n".join(out) + "\n"
