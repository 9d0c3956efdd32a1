"""Exhaustive analysis of a level: every reachable state, not every path.

A state is what can still change the future or the score: the scene, the perception, the peak
so far (peak-end scoring needs only its value), and the flags and discoveries that some `when`
reads. States are memoised, so the work grows with the number of distinct states, not with the
number of paths (which can be astronomically larger, or infinite when scenes loop).

`score.<level>` conditions depend on earlier levels; the analyser tries every combination of
the values that matter for the thresholds the level names (and −3 and +3), so "reachable" means
"reachable for some earlier scores".
"""

from __future__ import annotations

import itertools
from collections import deque
from dataclasses import dataclass, field

from .conditions import Env
from .diagnostics import Diagnostic, warner
from .engine import Game, clamp
from .model import STEPS, Level, ending_of
from .positions import PositionIndex
from .scoring import fold_peak, mot_score, score_of

DEFAULT_MAX_STATES = 100_000  # the largest shipped level has ~3,000
# The memory bound: a state costs ~0.3 KB, each of its outgoing moves ~0.1 KB more, so the walk
# also stops at this many moves per state on average (~0.2 GB at the default cap, at most).
EDGES_PER_STATE = 4
MAX_SCENARIOS = 4096


@dataclass
class PathInfo:
    choices: list[str]
    score: int
    ending: str
    scores: dict[str, int] = field(default_factory=dict)  # earlier levels' scores assumed

    def as_dict(self) -> dict:
        return {"choices": self.choices, "mot_score": self.score, "ending": self.ending,
                "assumed_scores": self.scores}


@dataclass
class Analysis:
    level: str
    states: int = 0
    complete: bool = True
    endings: dict[str, bool] = field(default_factory=dict)
    unreachable_scenes: list[str] = field(default_factory=list)
    unused_choices: list[tuple[str, str]] = field(default_factory=list)
    stuck_scenes: list[str] = field(default_factory=list)
    # scene → the first state found (so on a shortest path) in which no choice is available
    stuck_states: dict = field(default_factory=dict, repr=False)
    best: PathInfo | None = None
    worst: PathInfo | None = None
    paths: int | None = None  # None: infinitely many (the level loops) or not counted
    ideal: PathInfo | None = None
    ideal_problems: list[tuple[str, str]] = field(default_factory=list)  # (scene, "none"|"many")
    ideal_loops: str | None = None  # the scene where the ideal path comes round again, if it does
    moves: int = 0  # moves between states explored (the walk's other memory bound)
    steps_used: set[str] = field(default_factory=set)
    # The explored graph, for the balancing report (game.balance): state → [(choice, child)],
    # state → (parent state, choice id) for evidence paths, and terminal state → (score, ending).
    edges: dict = field(default_factory=dict, repr=False)
    parent: dict = field(default_factory=dict, repr=False)
    terminals: dict = field(default_factory=dict, repr=False)
    starts: list = field(default_factory=list, repr=False)
    scenarios: list = field(default_factory=list, repr=False)
    balance: object = field(default=None, repr=False)  # game.balance.Balance, when asked for
    live: dict = field(default_factory=dict, repr=False)  # scene → flags a `when` ahead reads

    def main_start(self):
        """The start that assumes the best earlier scores, as the ideal path does."""
        for start in self.starts:
            if all(v == 3 for v in self.scenarios[start[4]].values()):
                return start
        return self.starts[0] if self.starts else None

    def path_to(self, state) -> list[str]:
        """The choice ids of the first path found to `state`."""
        out = []
        while self.parent[state] is not None:
            state, choice = self.parent[state]
            out.append(choice)
        return out[::-1]

    @property
    def unreachable_endings(self) -> list[str]:
        return [e for e, ok in self.endings.items() if not ok]

    def as_dict(self) -> dict:
        return {
            "level": self.level, "states": self.states, "complete": self.complete,
            "endings": {e: ok or (False if self.complete else None) for e, ok in self.endings.items()},
            "unreachable_scenes": self.unreachable_scenes if self.complete else None,
            # Stopped early, nothing is proved about unused choices or paths: null, not a guess.
            "unused_choices": [f"{s}/{c}" for s, c in self.unused_choices] if self.complete else None,
            "stuck_scenes": self.stuck_scenes if self.complete else None,
            "best": self.best.as_dict() if self.best else None,
            "worst": self.worst.as_dict() if self.worst else None,
            "paths": self.paths, "ideal": self.ideal.as_dict() if self.ideal else None,
        }


def _scenarios(level: Level) -> list[dict[str, int]]:
    """Combinations of earlier levels' scores worth trying, from the thresholds in `when`s."""
    values: dict[str, set[int]] = {}
    for condition in conditions_of(level):
        consts = condition.constants()
        for lid in condition.levels():
            vals = values.setdefault(lid, {-3, 3})
            for c in consts:
                vals.update(clamp(c + d) for d in (-1, 0, 1))
    if not values:
        return [{}]
    names = sorted(values)
    pools = [sorted(values[n]) for n in names]
    total = 1
    for pool in pools:
        total *= len(pool)
    if total > MAX_SCENARIOS:
        pools = [sorted({-3, 0, 3} | {v for v in pool if -3 < v < 3 and v % 2 == 0}) for pool in pools]
    combos = itertools.islice(itertools.product(*pools), MAX_SCENARIOS)
    return [dict(zip(names, combo)) for combo in combos]


def conditions_of(level: Level):
    """Every condition of the level: scene variants, choices' `when`, `perception` cases and
    `next` branches."""
    for scene in level.scenes.values():
        for condition, _ in scene.variants:
            yield condition
        for choice in scene.choices:
            if choice.when is not None:
                yield choice.when
            for condition, _ in choice.deltas:
                yield condition
            for condition, _ in choice.branches:
                yield condition


def _distinct(level: Level, scenarios: list[dict[str, int]]) -> list[dict[str, int]]:
    """One scenario per class of earlier scores that no condition can tell apart.

    A comparison that reads only earlier scores (`score.x >= 2`) is decided by the scenario
    alone, so two scenarios that decide every such comparison alike play identically; a
    comparison that also reads the meter or a flag keeps the raw scores it names. A finale that
    names five earlier levels has thousands of combinations but only a few classes. The scenario
    with every earlier score at +3 (the ideal path's) stays its class's representative."""
    from .conditions import _walk

    decided, raw = [], set()

    def visit(node: tuple) -> None:
        if node[0] in ("cmp", "score"):  # a comparison, or a score used as true/false
            kinds = {n[0] for n in _walk(node)}
            levels = {n[1] for n in _walk(node) if n[0] == "score"}
            if levels and kinds & {"flag", "perception"}:
                raw.update(levels)
            elif levels:
                decided.append(node if node[0] == "cmp" else ("cmp", "!=", node, ("int", 0)))
            return
        for child in node[1:]:
            if isinstance(child, tuple):
                visit(child)

    for condition in conditions_of(level):
        visit(condition.tree)
    if not decided and not raw:
        return scenarios[:1] if scenarios else scenarios
    from .conditions import Env, _eval

    best = [s for s in scenarios if s and all(v == 3 for v in s.values())]
    out, seen = [], set()
    for scenario in best + [s for s in scenarios if s not in best]:
        env = Env(flags=frozenset(), perception=0, scores=scenario)
        key = (tuple(_eval(node, env) for node in decided), tuple(scenario.get(x) for x in sorted(raw)))
        if key not in seen:
            seen.add(key)
            out.append(scenario)
    return out


def _live_flags(level: Level, relevant: set[str]) -> dict[str, frozenset]:
    """Per scene, the flags some `when` may still read from there on (in it or in any scene
    reachable from it). A flag nothing ahead reads cannot change the future, so states that
    differ only in such flags are one state: long levels stay small."""
    live = {sid: set() for sid in level.scenes}
    preds: dict[str, set[str]] = {sid: set() for sid in level.scenes}
    for sid, scene in level.scenes.items():
        for choice in scene.choices:
            if choice.when is not None:
                live[sid] |= choice.when.flags() & relevant
            for condition, _ in choice.deltas:  # read here, before the move
                live[sid] |= condition.flags() & relevant
            for condition, _ in choice.branches:  # read here, right after the move
                live[sid] |= condition.flags() & relevant
            for target in choice.targets:
                if target in preds:
                    preds[target].add(sid)
    work = deque(sid for sid, flags in live.items() if flags)
    while work:
        sid = work.popleft()
        for before in preds[sid]:
            if not live[sid] <= live[before]:
                live[before] |= live[sid]
                work.append(before)
    return {sid: frozenset(flags) for sid, flags in live.items()}


def analyse(level: Level, max_states: int = DEFAULT_MAX_STATES,
            scores: dict[str, int] | None = None) -> Analysis:
    """Walk every reachable state. With `scores`, only those earlier-level scores are assumed
    (one player's situation, for advice) instead of every combination that matters."""
    result = Analysis(level.id, endings={e: False for e in level.endings})
    relevant = set()
    for scene in level.scenes.values():
        for choice in scene.choices:
            result.steps_used.add(choice.step)
            if choice.when is not None:
                relevant |= choice.when.flags()
            for condition, _ in choice.deltas + choice.branches:
                relevant |= condition.flags()
    scenarios = [dict(scores)] if scores is not None else _distinct(level, _scenarios(level))
    live = _live_flags(level, relevant)
    none: frozenset = frozenset()

    def destination(condition, target: str) -> tuple:
        """(condition, next scene, ending, flags still read there)."""
        ending = ending_of(target)
        return (condition, None if ending else target, ending, none if ending else live.get(target, none))

    # Per scene: (choice, its when, delta, relevant flags it adds, destinations (branches first,
    # the default last), (scene, choice) for coverage)
    table = {
        sid: [(c, c.when, c.delta, frozenset(c.sets + c.reveals) & relevant,
               tuple(destination(cond, to) for cond, to in c.branches) + (destination(None, c.next),),
               (sid, c.id))
              for c in scene.choices]
        for sid, scene in level.scenes.items()
    }
    # A scene's event moves the meter on every entry: (delta) per scene that has one.
    events = {sid: scene.event.delta for sid, scene in level.scenes.items() if scene.event is not None}
    start_p, start_peak = clamp(level.perception), None
    if level.start in events:  # the level begins by entering its start scene
        entered = clamp(start_p + events[level.start])
        start_p, start_peak = entered, fold_peak(None, start_p, entered)
    starts = [(level.start, start_p, start_peak, none, i) for i in range(len(scenarios))]
    parent: dict[tuple, tuple | None] = {s: None for s in starts}
    edges: dict[tuple, list[tuple]] = {}  # state → [(choice, child)]
    queue = deque(starts)
    seen_scenes: set[str] = set()
    taken: set[tuple[str, str]] = set()
    terminals: dict[tuple, tuple[int, str]] = {}  # end state → (score, ending)
    stuck: dict[str, tuple] = {}
    edge_count = 0
    # A `when` is decided by what it reads: states that agree on that share one verdict.
    # (Keyed by identity: a condition's own hash walks its whole tree every time.)
    whens = [c.when for scene in level.scenes.values() for c in scene.choices if c.when is not None]
    reads_of = {id(w): (i, bool(w.flags()), w.uses_perception(), bool(w.levels()))
                for i, w in enumerate(whens)}
    verdicts: dict[tuple, bool] = {}
    flag_sets: dict[frozenset, frozenset] = {none: none}
    flag_steps: dict[tuple, frozenset] = {}

    def next_flags(flags: frozenset, adds: frozenset, keep: frozenset) -> frozenset:
        """The flags a child state carries, shared: states hold references to one copy of each
        distinct set, and each (set, move, scene) is worked out once. A move that sets a
        thousand flags otherwise gave every one of half a million states its own big set."""
        step = (flags, adds, keep)
        out = flag_steps.get(step)
        if out is None:
            out = (flags | adds) & keep if adds else flags & keep
            out = flag_sets.setdefault(out, out)
            flag_steps[step] = out
        return out

    while queue:
        state = queue.popleft()
        scene, perception, peak, flags, sc = state
        seen_scenes.add(scene)
        env = None
        out = []
        for choice, when, delta, adds, destinations, key in table.get(scene, ()):
            if when is not None:
                index, by_flags, by_meter, by_scores = reads_of[id(when)]
                asked = (index, flags if by_flags else None, perception if by_meter else None,
                         sc if by_scores else None)
                ok = verdicts.get(asked)
                if ok is None:
                    if env is None:
                        env = Env(flags=flags, perception=perception, scores=scenarios[sc])
                    ok = verdicts[asked] = when.evaluate(env)
                if not ok:
                    continue
            taken.add(key)
            if choice.deltas:  # `perception` cases read the state before the move
                delta = choice.delta_for(Env(flags=flags, perception=perception, scores=scenarios[sc]))
            p = perception + delta
            p = 3 if p > 3 else -3 if p < -3 else p  # clamp
            new_peak = fold_peak(peak, perception, p)
            if len(destinations) == 1:
                _, nxt, ending, keep = destinations[0]
            else:  # branches read the state after this move
                after = Env(flags=flags | adds if adds else flags, perception=p, scores=scenarios[sc])
                _, nxt, ending, keep = next(d for d in destinations if d[0] is None or d[0].evaluate(after))
            if ending is not None:
                # Flags no longer matter once the level has ended; whether the last move was a
                # confirm does, for the balancing report.
                end_state = ("end:" + ending, p, new_peak, choice.step == "confirm", sc)
                if end_state not in parent:
                    parent[end_state] = (state, choice.id)
                    terminals[end_state] = (score_of(new_peak, p), ending)
                    result.endings[ending] = True
                out.append((choice, end_state))
                continue
            child_flags = next_flags(flags, adds, keep) if flags or adds else flags
            if nxt in events:  # entering a scene with an event: a moment, not a move
                q = p + events[nxt]
                q = 3 if q > 3 else -3 if q < -3 else q
                new_peak, p = fold_peak(new_peak, p, q), q
            child = (nxt, p, new_peak, child_flags, sc)
            out.append((choice, child))
            if child not in parent:
                parent[child] = (state, choice.id)
                queue.append(child)
        edges[state] = out
        edge_count += len(out)
        if len(parent) > max_states or edge_count > max_states * EDGES_PER_STATE:
            result.complete = False
            break
        edges[state] = out
        if not out and scene in level.scenes:
            stuck.setdefault(scene, state)
    result.states = len(parent)
    result.moves = edge_count
    result.unreachable_scenes = [s for s in level.scenes if s not in seen_scenes]
    result.unused_choices = [(s, c.id) for s, scene in level.scenes.items() for c in scene.choices
                             if (s, c.id) not in taken]
    result.stuck_scenes = sorted(stuck)
    result.stuck_states = stuck

    result.edges, result.parent, result.terminals, result.starts = edges, parent, terminals, starts
    result.scenarios = scenarios
    result.live = live
    if terminals:
        best = max(terminals, key=lambda t: terminals[t][0])
        worst = min(terminals, key=lambda t: terminals[t][0])
        result.best = PathInfo(result.path_to(best), *terminals[best], scenarios[best[4]])
        result.worst = PathInfo(result.path_to(worst), *terminals[worst], scenarios[worst[4]])
    if result.complete:
        result.paths = _count_paths(result.main_start(), edges, terminals)
    _ideal(level, scenarios, result)
    return result


def path_histogram(start, edges: dict, terminals: dict) -> dict[int, int] | None:
    """Distinct choice sequences from `start` to an ending, by MOT score; None when they loop."""
    counts: dict = {}
    on_stack = {start}
    stack = [(start, iter(edges.get(start, ())))]
    while stack:
        node, children = stack[-1]
        advanced = False
        for _, child in children:
            if child in on_stack:
                return None
            if child in counts:
                continue
            if child in terminals:
                counts[child] = {terminals[child][0]: 1}
                continue
            on_stack.add(child)
            stack.append((child, iter(edges.get(child, ()))))
            advanced = True
            break
        if not advanced:
            stack.pop()
            on_stack.discard(node)
            total: dict[int, int] = {}
            for _, child in edges.get(node, ()):
                for score, n in counts.get(child, {}).items():
                    total[score] = total.get(score, 0) + n
            counts[node] = total
    return counts.get(start, {})


def _count_paths(start, edges: dict, terminals: dict) -> int | None:
    """Distinct choice sequences from the start to an ending; None when the graph loops."""
    histogram = path_histogram(start, edges, terminals)
    return None if histogram is None else sum(histogram.values())


def _ideal(level: Level, scenarios: list[dict], result: Analysis) -> None:
    """Follow the ideal choices, assuming the best earlier scores; note scenes that break it."""
    best_scores = {k: 3 for k in scenarios[0]} if scenarios and scenarios[0] else {}
    game = Game(level, best_scores)
    state = game.start()
    seen = set()
    while not state.finished:
        # The ideal pick depends only on this much, so meeting it again means a loop forever.
        here = (state.scene, state.perception, state.flags, state.found)
        if here in seen:
            result.ideal_loops = state.scene
            return
        seen.add(here)
        ideals = [c for c in game.choices(state) if c.ideal]
        if len(ideals) != 1:
            result.ideal_problems.append((state.scene, "none" if not ideals else "many"))
            if not ideals:
                return
        state = game.take(state, ideals[0])
    if state.finished:
        result.ideal = PathInfo([m.choice for m in state.moves], mot_score(clamp(level.perception), state.trace),
                                state.ending, best_scores)


_STEP_ZH = {"explore": "探索", "offer": "提议", "act": "行动", "confirm": "确认"}


def steps_zh(steps) -> str:
    """Steps as the course names them in Chinese, with the key an author writes: 确认（confirm）."""
    return "、".join(f"{_STEP_ZH.get(s, s)}（{s}）" for s in steps)


def stuck_evidence(level: Level, analysis: Analysis, sid: str) -> tuple[str, str]:
    """Why the player can get stuck in scene `sid` (W103), in English and Chinese: a path of
    choice ids from the start that gets there, and for each choice its `when` with the values it
    reads at that point (flags set or not, the perception, earlier scores)."""
    state = analysis.stuck_states.get(sid)
    if state is None:
        return "", ""
    _, perception, _, flags, sc = state
    scores = analysis.scenarios[sc] if analysis.scenarios else {}
    path = analysis.path_to(state)
    en, zh = [], []
    for choice in level.scenes[sid].choices:
        when = choice.when
        if when is None:  # cannot happen in a stuck state; say nothing rather than something wrong
            continue
        facts_en, facts_zh = [], []
        for flag in sorted(when.flags()):
            on = flag in flags
            facts_en.append(f"{flag} {'set' if on else 'not set'}")
            facts_zh.append(f"{flag} {'已设置' if on else '未设置'}")
        if when.uses_perception():
            facts_en.append(f"perception {perception:+d}")
            facts_zh.append(f"客户认知 {perception:+d}")
        for lid in sorted(when.levels()):
            facts_en.append(f"score.{lid} {scores.get(lid, 0):+d}")
            facts_zh.append(f"score.{lid} 为 {scores.get(lid, 0):+d}")
        en.append(f"{choice.id} needs `{when.source}` ({', '.join(facts_en)})")
        zh.append(f"{choice.id} 需要 `{when.source}`（{'，'.join(facts_zh)}）")
    route_en = f"after {' → '.join(path)}" if path else "at the start"
    route_zh = f"走 {' → '.join(path)} 之后" if path else "一开始"
    return (f"{route_en}: " + "; ".join(en), f"{route_zh}：" + "；".join(zh))


def warnings(level: Level, positions: PositionIndex | None, analysis: Analysis) -> list[Diagnostic]:
    """The checker's warnings that need the whole state space (W101–W103, W105–W107, W109)."""
    out: list[Diagnostic] = []
    warn = warner(level, positions, out)

    if not analysis.complete:
        warn("W109", f"stopped after {analysis.states:,} states and {analysis.moves:,} moves (the "
                     "memory bound); reachability and balancing warnings skipped",
             f"分析在 {analysis.states:,} 个状态、{analysis.moves:,} 步之后停止（内存上限）；"
             "已跳过可达性和平衡相关的警告", ("level",))
    elif not analysis.terminals:
        warn("E025", "no ending can be reached: on every path some `when` closes the way out",
             "无法到达任何结局：每条路径上都有某个 `when` 挡住了出路", ("level", "start"), at="value")
    else:
        for sid in analysis.unreachable_scenes:
            warn("W101", f"scene {sid!r} can never be reached", f"场景 {sid!r} 永远无法到达", ("scene", sid))
        for eid in analysis.unreachable_endings:
            warn("W102", f"ending {eid!r} can never be reached", f"结局 {eid!r} 永远无法到达", ("ending", eid))
        for sid in analysis.stuck_scenes:
            why_en, why_zh = stuck_evidence(level, analysis, sid)
            warn("W103", f"in scene {sid!r} every choice can be unavailable: the player gets stuck"
                         + (f" {why_en}" if why_en else ""),
                 f"场景 {sid!r} 中的选项可能全部不可用，玩家会被卡住" + (f"：{why_zh}" if why_zh else ""),
                 ("scene", sid))
    missing = [s for s in STEPS if s not in analysis.steps_used]
    if missing:
        warn("W106", f"the level never uses the step(s): {', '.join(missing)}",
             f"关卡从未用到这些步骤：{steps_zh(missing)}", ("level",))
    if analysis.ideal_loops:
        warn("W116", f"the ideal path comes back to scene {analysis.ideal_loops!r} as it was and "
                     "never reaches an ending: mark a way out `ideal = true`",
             f"理想路径原样回到场景 {analysis.ideal_loops!r}，永远到不了结局："
             "请把一条出路标为 `ideal = true`", ("scene", analysis.ideal_loops))
    for sid, problem in analysis.ideal_problems:
        what = "no available ideal choice" if problem == "none" else "more than one ideal choice"
        what_zh = "没有可用的理想选项" if problem == "none" else "有不止一个理想选项"
        warn("W107", f"scene {sid!r} is on the ideal path but has {what}",
             f"场景 {sid!r} 在理想路径上，但{what_zh}", ("scene", sid))
    if analysis.complete and analysis.ideal and analysis.best and analysis.ideal.score < analysis.best.score:
        warn("W105", f"the ideal path scores {analysis.ideal.score:+d}, but "
                     f"{' → '.join(analysis.best.choices)} scores {analysis.best.score:+d}",
             f"理想路径的 MOT 分数是 {analysis.ideal.score:+d}，而 "
             f"{' → '.join(analysis.best.choices)} 能得到 {analysis.best.score:+d}", ("level",))
    return out
