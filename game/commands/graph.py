"""`mot graph LEVEL [--format mermaid|dot|svg|png] [--lang zh|en] [-o FILE]`: a level's map.

Everything is labelled in the chosen language: a scene shows its speaker and first words (its id
small below), an ending its title, coloured by its tone; every choice is an arrow labelled with
its step, its change in perception and its first words ("探索 +1 · 先问清楚…"). A choice with a
`when` and each branch of a conditional `next` are dashed, their condition written on the arrow
("仅当 …", "如果 …", "否则"). The ideal path is what the engine plays from the start when it always
takes the ideal choice: only the edges it takes are bold and coloured, so of a conditional `next`
only the branch that path really follows is marked; an ideal choice in a scene off that path is
coloured but thin. A legend says all this in the graph's language (in Mermaid, a "Legend"
subgraph with sample arrows drawn the same way; in dot, svg and png, a table beside the start).

Mermaid renders on GitHub and in most Markdown viewers; dot is Graphviz's language; svg and png
run Graphviz's `dot` (a bilingual message says how to get it when it is missing).

Fonts: Graphviz takes a comma-separated family list in `fontname`. The SVG renderer copies it
verbatim into `font-family` (a CSS list: a browser or rsvg uses the first family it has), and
pango (layout and png) resolves it through fontconfig to the first installed family, which then
measures the labels; both fall back per character. So the list names CJK families first, then
DejaVu Sans (common on Linux), then `sans-serif`. "Helvetica" alone is mapped to a Latin font
that measures Chinese wrongly and, in viewers without fallback, draws boxes.

Text from the level is data: node and edge labels are HTML-like labels with `&`, `<`, `>` and `"`
escaped; ids and tooltips are quoted strings with `\\` and `"` escaped (so `\\N` or `\\l` in a
text stays literal).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..analysis import conditions_of
from ..engine import Game
from ..i18n import STEP_NAMES, default_language, step_name, t
from ..library import resolve_level
from . import print_diagnostics
from .run import parse_scores
from ..model import END_PREFIX, Choice, Level, ending_of

IDEAL_COLOUR = "#2a9d8f"
MUTED = "#777777"
EVENT_COLOUR = "#b35c00"
FONTS = ("Noto Sans CJK SC, Source Han Sans SC, WenQuanYi Micro Hei, Microsoft YaHei, "
         "PingFang SC, DejaVu Sans, sans-serif")
TONE_FILL = {"good": "#d8f3dc", "mixed": "#fff3bf", "bad": "#ffd6d6", None: "#ffffff"}
TONES = ("good", "mixed", "bad", None)
SCENE_WIDTH = 30  # terminal-style cells (a CJK character is two) of a scene's first words
CHOICE_WIDTH = 24  # of a choice's first words
DOT_TIMEOUT = 120  # seconds Graphviz may take before mot gives up
FORMATS = ("mermaid", "dot", "svg", "png")


def add_parser(parser) -> None:
    parser.add_argument("level", metavar="LEVEL", help="a level id from levels/, or a .toml file")
    parser.add_argument("--format", choices=FORMATS, default="mermaid",
                        help="mermaid (default), dot, or svg/png drawn with Graphviz's dot")
    parser.add_argument("-o", "--output", metavar="FILE",
                        help="write here instead of to stdout (png: default LEVEL-ID.png)")
    parser.add_argument("--lang", choices=("zh", "en"), default=None,
                        help="language of the labels and the legend")
    parser.add_argument("--score", action="append", default=[], metavar="LEVEL=N",
                        help="an earlier level's MOT score, for `score.<level>` in conditions "
                             "(decides which way the ideal path goes)")


def run(args) -> int:
    lang = args.lang or default_language()
    level, diagnostics, campaign = resolve_level(args.level, lang=lang)
    if level is None:
        print_diagnostics(diagnostics, lang)
        return 1
    scores = None  # the ideal path assumes the best earlier scores unless told
    if args.score:
        scores = parse_scores(args.score, lang, "graph")
        if scores is None:
            return 2
    steps = campaign.steps if campaign is not None else None
    if args.format == "mermaid":
        return _write(mermaid(level, lang, steps, scores), args.output)
    text = dot(level, lang, steps, scores)
    if args.format == "dot":
        return _write(text, args.output)
    return _render(text, args.format, args.output or (f"{level.id}.png" if args.format == "png" else None),
                   lang)


def _write(text: str, output: str | None) -> int:
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def _render(source: str, fmt: str, output: str | None, lang: str) -> int:
    """Run Graphviz's dot on the source; svg to stdout or a file, png to a file."""
    exe = shutil.which("dot")
    if exe is None:
        print(f"mot graph: {t('graph.no_dot', lang, format=fmt)}", file=sys.stderr)
        return 1
    try:
        done = subprocess.run([exe, f"-T{fmt}"], input=source.encode("utf-8"), capture_output=True,
                              timeout=DOT_TIMEOUT)
    except subprocess.TimeoutExpired:
        print(f"mot graph: {t('graph.dot_slow', lang, seconds=DOT_TIMEOUT)}", file=sys.stderr)
        return 1
    if done.returncode != 0:
        error = done.stderr.decode("utf-8", "replace").strip().splitlines()
        print(f"mot graph: {t('graph.dot_failed', lang, error=error[-1] if error else done.returncode)}",
              file=sys.stderr)
        return 1
    if output is None:
        sys.stdout.write(done.stdout.decode("utf-8"))
    else:
        Path(output).write_bytes(done.stdout)
        print(t("graph.wrote", lang, file=output))
    return 0


# --- What the graph shows (shared by both formats) ------------------------------------------

def cells(text: str) -> int:
    """Width in terminal-style cells: a wide (CJK) character counts two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def shorten(text: str, width: int) -> str:
    """The text on one line, at most `width` cells, cut at a word in Latin text, ending in '…'."""
    text = " ".join(text.split())
    if cells(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        used += cells(ch)
        if used > width - 1:
            break
        out.append(ch)
    cut = "".join(out)
    nxt = text[len(cut)]
    if cut and not nxt.isspace() and nxt.isascii() and nxt.isalnum() and " " in cut[width // 3:]:
        cut = cut[:cut.rindex(" ")]  # do not cut a Latin word in half
    return cut.rstrip(" ,.;:!?，。；：、！？") + "…"


def edge_label(choice: Choice, lang: str = "en", steps=None) -> str:
    """"Explore +1 · I'm sorry. What does the…": the step, the change and the first words; a
    conditional change shows every case ("Act -1/-2 · …", the cases on the line below)."""
    change = "/".join(f"{d:+d}" for d in choice.all_deltas)
    return f"{step_name(choice.step, lang, steps)} {change} · {shorten(choice.text.get(lang), CHOICE_WIDTH)}"


def delta_cases(choice: Choice, lang: str) -> str:
    """"-1 if perception >= 1 · -2 otherwise" for a conditional change; "" for a plain one."""
    if not choice.deltas:
        return ""
    cases = [t("graph.delta_if", lang, delta=f"{d:+d}", when=cond.source) for cond, d in choice.deltas]
    return " · ".join(cases + [t("graph.delta_otherwise", lang, delta=f"{choice.delta:+d}")])


@dataclass(frozen=True)
class Edge:
    scene: str
    choice: Choice
    to: str  # a scene id or end:<id>
    label: str  # the choice's line
    condition: str  # "" or the line with the condition (only if… / if… / otherwise)
    dashed: bool
    cases: str  # "" or the line with a conditional change's cases
    ideal: str  # "path": on the ideal path; "off": an ideal choice off it; "": neither

    @property
    def notes(self) -> list[str]:
        """The lines under the choice's line: the change's cases, then the condition."""
        return [line for line in (self.cases, self.condition) if line]


def assumed_scores(level: Level, scores=None) -> dict[str, int]:
    """The earlier levels' scores the ideal path is played with: those given, else the best (+3)
    for every `score.<level>` a condition reads, as `mot check` assumes for the ideal path."""
    if scores is not None:
        return dict(scores)
    return {lid: 3 for condition in conditions_of(level) for lid in sorted(condition.levels())}


def ideal_taken(level: Level, scores=None) -> set[tuple[str, str, str]]:
    """(scene, choice, destination) of every move the engine makes on the ideal path."""
    game = Game(level, assumed_scores(level, scores))
    state = game.start()
    taken = set()
    for choice_id in game.ideal_path():
        scene = state.scene
        state = game.apply(state, choice_id)
        taken.add((scene, choice_id, END_PREFIX + state.ending if state.finished else state.scene))
    return taken


def edges(level: Level, lang: str = "en", steps=None, scores=None) -> list[Edge]:
    """One edge per place each choice can lead: its branches in order, then its default."""
    taken = ideal_taken(level, scores)
    on_path = {(scene, choice) for scene, choice, _ in taken}
    out = []
    for sid, scene in level.scenes.items():
        for choice in scene.choices:
            label = edge_label(choice, lang, steps)
            cases = delta_cases(choice, lang)
            only_if = t("graph.only_if", lang, when=choice.when_source) if choice.when_source else ""
            targets = [(to, t("graph.if", lang, when=cond.source)) for cond, to in choice.branches]
            targets.append((choice.next, t("graph.otherwise", lang) if choice.branches else ""))
            for to, branch in targets:
                if (sid, choice.id, to) in taken:
                    ideal = "path"
                elif choice.ideal and (sid, choice.id) not in on_path:
                    ideal = "off"
                else:
                    ideal = ""
                condition = " · ".join(part for part in (only_if, branch) if part)
                out.append(Edge(sid, choice, to, label, condition, bool(condition), cases, ideal))
    return out


def scene_words(level: Level, sid: str, lang: str) -> str:
    """"Sam Lee: Our order was due…" (narration has no speaker)."""
    scene = level.scenes[sid]
    speaker = level.character(scene.speaker)
    words = shorten(scene.text.get(lang), SCENE_WIDTH)
    if speaker is None:
        return words
    return f"{speaker.name.get(lang)}{'：' if lang == 'zh' else ': '}{words}"


def event_words(level: Level, sid: str, lang: str) -> str:
    """"event -1: The carton is opened: one…" for a scene with an event; "" otherwise."""
    event = level.scenes[sid].event
    if event is None:
        return ""
    return t("graph.event", lang, delta=f"{event.delta:+d}", text=shorten(event.text.get(lang), SCENE_WIDTH))


def _steps_line(lang: str, steps=None) -> str:
    return " · ".join(step_name(s, lang, steps) for s in STEP_NAMES)


# --- Mermaid ---------------------------------------------------------------------------------

def _mm(text: str) -> str:
    """Escape text for a quoted Mermaid label (entity codes; '#' first, it starts them)."""
    for raw, code in (("#", "#35;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;")):
        text = text.replace(raw, code)
    return text.replace("\n", " ")


def mermaid(level: Level, lang: str = "en", steps=None, scores=None) -> str:
    scene_ids = {sid: f"s{i}" for i, sid in enumerate(level.scenes)}
    ending_ids = {eid: f"e{i}" for i, eid in enumerate(level.endings)}
    out = ["flowchart TD", f'  start(("{_mm(t("graph.start", lang))}"))']
    for sid, node in scene_ids.items():
        event = event_words(level, sid, lang)
        event = f"<br/><i>{_mm(event)}</i>" if event else ""
        out.append(f'  {node}["{_mm(scene_words(level, sid, lang))}{event}<br/><small>{_mm(sid)}</small>"]')
    for eid, node in ending_ids.items():
        title = level.endings[eid].title.get(lang) or eid
        out.append(f'  {node}(["{_mm(title)}<br/><small>end:{_mm(eid)}</small>"])')
    out.append(f"  start --> {scene_ids[level.start]}")
    ideal, off, number = [], [], 0  # edge 0 is the start arrow; linkStyle counts edges in order
    for edge in edges(level, lang, steps, scores):
        ending = ending_of(edge.to)
        target = ending_ids[ending] if ending else scene_ids[edge.to]
        label = "<br/>".join(_mm(line) for line in [edge.label, *edge.notes])
        number += 1
        (ideal if edge.ideal == "path" else off if edge.ideal == "off" else []).append(number)
        out.append(f'  {scene_ids[edge.scene]} {"-.->" if edge.dashed else "-->"}|"{label}"| {target}')
    out.extend(_mermaid_legend(lang, steps, assumed_scores(level, scores)))
    ideal.append(number + 1)  # the legend's sample edges: bold, thin, dashed
    off.append(number + 2)
    for tone in TONES[:-1]:
        tone_ids = [ending_ids[e] for e, ending in level.endings.items() if ending.tone == tone]
        out.append(f"  classDef {tone} fill:{TONE_FILL[tone]}")
        out.append(f"  class {','.join(tone_ids + [f'lg_{tone}'])} {tone}")
    out.append(f"  linkStyle {','.join(map(str, ideal))} stroke:{IDEAL_COLOUR},stroke-width:4px")
    out.append(f"  linkStyle {','.join(map(str, off))} stroke:{IDEAL_COLOUR}")
    return "\n".join(out) + "\n"


def _mermaid_legend(lang: str, steps=None, scores=None) -> list[str]:
    """The legend as a subgraph: three sample arrows drawn like the level's (bold and coloured:
    the ideal path; thin and coloured: an ideal choice off it; dashed: a condition), a scene
    with an event, a sample label, and an ending of each tone (classed by the caller)."""
    words = [t("graph.legend.ideal", lang), t("graph.legend.ideal_off", lang),
             t("graph.legend.conditional", lang)]
    event = t("graph.event", lang, delta="-1", text="…")
    out = [f'  subgraph legend["{_mm(t("graph.legend", lang))}"]',
           f'    lg0[" "] -->|"{_mm(words[0])}"| lg1[" "]',
           f'    lg2[" "] -->|"{_mm(words[1])}"| lg3[" "]',
           f'    lg4[" "] -.->|"{_mm(words[2])}"| lg5[" "]',
           f'    lg_event["<i>{_mm(event)}</i><br/>{_mm(t("graph.legend.event", lang))}"]',
           f'    lg_label["{_mm(step_name("explore", lang, steps))} +1 · …<br/>'
           f'{_mm(t("graph.legend.steps", lang, steps=_steps_line(lang, steps)))}"]']
    if scores:
        shown = ", ".join(f"score.{k} = {v:+d}" for k, v in scores.items())
        out.append(f'    lg_scores["{_mm(t("graph.legend.scores", lang, scores=shown))}"]')
    out.append(f'    lg_endings["{_mm(t("graph.legend.endings", lang))}"]')
    out.extend(f'    lg_{tone}(["{_mm(t("graph.tone." + tone, lang))}"])' for tone in TONES[:-1])
    out.append("  end")
    return out


# --- Graphviz dot ----------------------------------------------------------------------------

def _q(text: str) -> str:
    """A double-quoted dot string (ids, tooltips): backslash and quote escaped, one line."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("\r", " ") + '"'


def _h(text: str) -> str:
    """Text inside a dot HTML-like label: markup characters as entities, one line."""
    # Graphviz expands \\N, \\G, \\l… even in HTML labels (entities too); only "\\\\" is a backslash.
    text = text.replace("\\", "\\\\")
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")


def _small(text: str) -> str:
    return f'<font point-size="9" color="{MUTED}">{_h(text)}</font>'


def _legend(lang: str, steps=None, scores=None) -> str:
    def row(sample: str, words: str) -> str:
        return f'<tr><td align="left">{sample}</td><td align="left">{_h(words)}</td></tr>'

    swatches = "".join(
        f'<tr><td bgcolor="{TONE_FILL[tone]}" border="1"> </td>'
        f'<td align="left">{_h(t("graph.tone." + (tone or "none"), lang))}</td></tr>' for tone in TONES)
    rows = [
        f'<tr><td colspan="2" align="left"><b>{_h(t("graph.legend", lang))}</b></td></tr>',
        row(f'<font color="{IDEAL_COLOUR}"><b>━━━</b></font>', t("graph.legend.ideal", lang)),
        row(f'<font color="{IDEAL_COLOUR}">───</font>', t("graph.legend.ideal_off", lang)),
        *([row("", t("graph.legend.scores", lang, scores=", ".join(f"score.{k} = {v:+d}" for k, v in
                                                                  scores.items())))] if scores else []),
        row("- - -", t("graph.legend.conditional", lang)),
        row(f'<font color="{EVENT_COLOUR}"><i>{_h(t("graph.event", lang, delta="-1", text="…"))}</i></font>',
            t("graph.legend.event", lang)),
        row(_h(f"{step_name('explore', lang, steps)} +1 · …"),
            t("graph.legend.steps", lang, steps=_steps_line(lang, steps))),
        f'<tr><td colspan="2" align="left">{_h(t("graph.legend.endings", lang))}</td></tr>',
        swatches,
    ]
    return f'<<table border="0" cellborder="0" cellspacing="2">{"".join(rows)}</table>>'


def dot(level: Level, lang: str = "en", steps=None, scores=None) -> str:
    font = _q(FONTS)
    title = level.title.get(lang) or level.id
    out = [f"digraph {_q(level.id)} {{",
           f"  graph [rankdir=TB, fontname={font}, labelloc=t, fontsize=16, "
           f"label=<<b>{_h(title)}</b>>];",
           f'  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname={font}, fontsize=11];',
           f"  edge [fontname={font}, fontsize=10];",
           f'  "legend" [shape=plaintext, style="", label={_legend(lang, steps, assumed_scores(level, scores))}];',
           f'  "start" [shape=circle, style=filled, fillcolor="#dddddd", label=<{_h(t("graph.start", lang))}>];',
           '  { rank=same; "start"; "legend"; }',
           f'  "start" -> {_q("scene:" + level.start)};']
    for sid in level.scenes:
        event = event_words(level, sid, lang)
        event = f'<br/><font color="{EVENT_COLOUR}"><i>{_h(event)}</i></font>' if event else ""
        out.append(f"  {_q('scene:' + sid)} [label=<{_h(scene_words(level, sid, lang))}{event}<br/>{_small(sid)}>, "
                   f"tooltip={_q(sid)}];")
    for eid, ending in level.endings.items():
        tone = t("graph.tone." + (ending.tone or "none"), lang)
        out.append(f"  {_q('end:' + eid)} [shape=doubleoctagon, fillcolor={_q(TONE_FILL[ending.tone])}, "
                   f"label=<{_h(ending.title.get(lang) or eid)}<br/>{_small('end:' + eid + ' · ' + tone)}>, "
                   f"tooltip={_q('end:' + eid)}];")
    for edge in edges(level, lang, steps, scores):
        target = edge.to if ending_of(edge.to) else "scene:" + edge.to
        label = "".join([_h(edge.label)] + [f"<br/><i>{_h(line)}</i>" for line in edge.notes])
        attrs = [f"label=<{label}>", f"tooltip={_q(edge.scene + ' / ' + edge.choice.id)}"]
        if edge.dashed:
            attrs.append("style=dashed")
        if edge.ideal == "path":
            attrs.append(f'color="{IDEAL_COLOUR}", fontcolor="{IDEAL_COLOUR}", penwidth=3')
        elif edge.ideal == "off":
            attrs.append(f'color="{IDEAL_COLOUR}", fontcolor="{IDEAL_COLOUR}"')
        out.append(f"  {_q('scene:' + edge.scene)} -> {_q(target)} [{', '.join(attrs)}];")
    out.append("}")
    return "\n".join(out) + "\n"
