"""The balancing report (`mot check --analyse`): what peak-end scoring does with a level.

Authors cannot balance peak-end by hand, so this reads the analyser's state graph and tells:
for every choice the best and worst score still reachable after it; how many distinct paths
reach each score and what a player who picks at random can expect; what naive strategies score
(always the longest text, always the first listed, the step badges in E·O·A·C order); and the
warnings W110–W115 with a path as evidence. It reads the engine's model only: no TOML, no TUI.
"""

from __future__ import annotations

import sys
from collections import defaultdict, deque
from dataclasses import dataclass, field

from .analysis import Analysis, conditions_of, path_histogram
from .diagnostics import Diagnostic, did_you_mean, warner
from .engine import Game
from .model import STEPS, Level
from .positions import PositionIndex

MAX_EXPECTATION_WORK = 20_000_000  # state updates for the random player's expected score
MAX_WALK = 1_000  # moves a strategy may make before it counts as never ending
_RANK = {step: i for i, step in enumerate(STEPS)}  # the badge-reader's order: E, O, A, C


@dataclass
class StrategyResult:
    """What a naive strategy scores. `score` is None when it never ends (the level loops)."""

    name: str
    score: int | None
    ending: str | None
    choices: list[str]
    expected: float | None = None  # for strategies with random tie-breaks
    tied: bool = False  # the longest text: two or more tied for longest somewhere on the way (a guess)

    def as_dict(self) -> dict:
        out = {"score": self.score, "ending": self.ending, "choices": self.choices}
        if self.expected is not None:
            out["expected"] = round(self.expected, 4)
        if self.tied:
            out["tied"] = True
        return out


@dataclass
class Balance:
    level: str
    # (scene, choice) → (best, worst) MOT score still reachable after taking it
    choices: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)
    histogram: dict[int, int] | None = None  # score → distinct paths; None when paths loop
    random_expected: float | None = None
    strategies: dict[str, StrategyResult] = field(default_factory=dict)
    give_away: tuple[int, int] = (0, 0)  # ideal-path scenes whose ideal is alone in its step, of all
    give_away_scenes: list[str] = field(default_factory=list)
    reach: dict = field(default_factory=dict, repr=False)  # state → mask of scores reachable

    def as_dict(self) -> dict:
        return {
            "choices": {f"{s}/{c}": {"best": b, "worst": w} for (s, c), (b, w) in self.choices.items()},
            "histogram": ({f"{k:+d}": v for k, v in sorted(self.histogram.items())}
                          if self.histogram is not None else None),
            "random_expected": None if self.random_expected is None else round(self.random_expected, 4),
            "strategies": {name: s.as_dict() for name, s in self.strategies.items()},
            "give_away": {"scenes": self.give_away[0], "of": self.give_away[1],
                          "where": self.give_away_scenes},
        }


def reachable_scores(analysis: Analysis) -> dict:
    """State → bit mask of the MOT scores still reachable from it (bit s + 3 for score s)."""
    reach: dict = {t: 1 << (score + 3) for t, (score, _) in analysis.terminals.items()}
    preds: dict = defaultdict(list)
    for state, out in analysis.edges.items():
        for _, child in out:
            preds[child].append(state)
    work = deque(reach)
    while work:
        node = work.popleft()
        mask = reach[node]
        for before in preds.get(node, ()):
            old = reach.get(before, 0)
            if old | mask != old:
                reach[before] = old | mask
                work.append(before)
    return reach


def best_of(mask: int) -> int | None:
    return mask.bit_length() - 4 if mask else None


def _best_or_below(mask: int) -> int:
    """The best score in `mask`, or below any score when nothing is reachable."""
    best = best_of(mask)
    return -99 if best is None else best


def worst_of(mask: int) -> int | None:
    return (mask & -mask).bit_length() - 4 if mask else None


def random_expected(start, analysis: Analysis) -> float | None:
    """Expected MOT score of a player who picks uniformly among the available choices.

    Gauss-Seidel sweeps in reverse breadth-first order: one sweep settles a level without loops,
    a few more settle one with loops. None when it does not settle within the work bound.
    """
    edges, terminals = analysis.edges, analysis.terminals
    order, seen, queue = [], {start}, deque([start])
    while queue:
        node = queue.popleft()
        order.append(node)
        for _, child in edges.get(node, ()):
            if child not in seen:
                seen.add(child)
                queue.append(child)
    value = {t: float(s) for t, (s, _) in terminals.items()}
    inner = [n for n in reversed(order) if n not in terminals and edges.get(n)]
    if not inner:
        return value.get(start)
    work = 0
    while work < MAX_EXPECTATION_WORK:
        change = 0.0
        for node in inner:
            out = edges[node]
            new = sum(value.get(child, 0.0) for _, child in out) / len(out)
            change = max(change, abs(new - value.get(node, 0.0)))
            value[node] = new
        work += len(inner)
        if change < 1e-12:
            return value[start]
    return None


def _walk(name: str, start, analysis: Analysis, pick) -> StrategyResult:
    """Follow one deterministic strategy through the state graph."""
    node, choices = start, []
    for _ in range(MAX_WALK):
        if node in analysis.terminals:
            score, ending = analysis.terminals[node]
            return StrategyResult(name, score, ending, choices)
        out = analysis.edges.get(node)
        if not out:
            break
        choice, node = pick(out)
        choices.append(choice.id)
    return StrategyResult(name, None, None, choices)


def _longest(lang: str):
    """Pick the longest text; a tie goes to the first listed, and `pick.tied` remembers it: then
    "always the longest" is no strategy a player could follow, and W112 says nothing."""
    def pick(out):
        longest = max(len(edge[0].text.get(lang)) for edge in out)
        best = [edge for edge in out if len(edge[0].text.get(lang)) == longest]
        pick.tied = pick.tied or len(best) > 1
        return best[0]

    pick.tied = False
    return pick


def _walk_longest(lang: str, start, analysis: Analysis) -> StrategyResult:
    pick = _longest(lang)
    result = _walk(f"longest-{lang}", start, analysis, pick)
    result.tied = pick.tied
    return result


def step_strategy(start, analysis: Analysis) -> StrategyResult:
    """Explore until no explore is offered, then offer, then act, then confirm; among choices of
    the same step the badge-reader guesses, so the result is an expectation (and its best and
    worst case are the score range)."""
    edges, terminals = analysis.edges, analysis.terminals
    memo: dict = {}
    on_stack: set = set()

    def candidates(out, phase):
        ahead = [e for e in out if _RANK[e[0].step] >= phase]
        pool = ahead or out
        low = min(_RANK[e[0].step] for e in pool)
        return [e for e in pool if _RANK[e[0].step] == low], low

    def value(node, phase, depth):
        """(expected, best, worst, a best path) from here, or None when it can loop."""
        if node in terminals:
            s = terminals[node][0]
            return (float(s), s, s, [])
        key = (node, phase)
        if key in memo:
            return memo[key]
        if key in on_stack or depth > MAX_WALK or not edges.get(node):
            return None
        on_stack.add(key)
        picks, new_phase = candidates(edges[node], phase)
        results = []
        for choice, child in picks:
            r = value(child, max(phase, new_phase), depth + 1)
            if r is None:
                on_stack.discard(key)
                return None
            results.append((r, choice.id))
        on_stack.discard(key)
        expected = sum(r[0] for r, _ in results) / len(results)
        (best, best_choice) = max(results, key=lambda rc: rc[0][1])
        out = (expected, best[1], min(r[2] for r, _ in results), [best_choice] + best[3])
        memo[key] = out
        return out

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 4 * MAX_WALK + 100))
    try:
        r = value(start, 0, 0)
    finally:
        sys.setrecursionlimit(limit)
    if r is None:
        return StrategyResult("steps", None, None, [])
    return StrategyResult("steps", r[1], None, r[3], expected=r[0])


def give_away(level: Level, scores: dict) -> tuple[int, int, list[str]]:
    """On the ideal path: scenes where the ideal is the only available choice of its step."""
    game = Game(level, scores)
    state, alone, total, where = game.start(), 0, 0, []
    for _ in range(MAX_WALK):
        if state.finished:
            break
        available = game.choices(state)
        ideal = next((c for c in available if c.ideal), None)
        if ideal is None:
            break
        total += 1
        if sum(c.step == ideal.step for c in available) == 1:
            alone += 1
            where.append(state.scene)
        state = game.take(state, ideal)
    return alone, total, where


def balance(level: Level, analysis: Analysis) -> Balance:
    out = Balance(level.id)
    start = analysis.main_start()
    if start is None:
        return out
    reach = out.reach = reachable_scores(analysis)
    masks: dict[tuple[str, str], int] = {}
    for state, edges in analysis.edges.items():
        for choice, child in edges:
            key = (state[0], choice.id)
            masks[key] = masks.get(key, 0) | reach.get(child, 0)
    out.choices = {key: (best_of(m), worst_of(m))
                   for key in ((s, c.id) for s, scene in level.scenes.items() for c in scene.choices)
                   if (m := masks.get(key))}
    if analysis.complete:
        out.histogram = path_histogram(start, analysis.edges, analysis.terminals)
        out.random_expected = random_expected(start, analysis)
    out.strategies = {
        "longest-en": _walk_longest("en", start, analysis),
        "longest-zh": _walk_longest("zh", start, analysis),
        "first": _walk("first", start, analysis, lambda edges: edges[0]),
        "steps": step_strategy(start, analysis),
    }
    scores = analysis.scenarios[start[4]] if analysis.scenarios else {}
    alone, total, where = give_away(level, scores)
    out.give_away, out.give_away_scenes = (alone, total), where
    return out


def _choice_keypath(level: Level, scene_id: str, choice_id: str) -> tuple:
    scene = level.scenes[scene_id]
    index = next(i for i, c in enumerate(scene.choices) if c.id == choice_id)
    return ("scene", scene_id, "choice", index)


def flag_warnings(level: Level, positions: PositionIndex | None) -> list[Diagnostic]:
    """W115, which needs no analysis: `mot play` shows it too, so a typo in `sets` is seen
    while the author plays the level, not only under `mot check`."""
    out: list[Diagnostic] = []
    warn = warner(level, positions, out)
    read = set().union(*(condition.flags() for condition in conditions_of(level)))
    for sid, scene in level.scenes.items():
        for i, choice in enumerate(scene.choices):
            for j, flag in enumerate(choice.sets):
                if flag not in read:
                    en, zh = unread_flag(f"{sid}/{choice.id}", flag, read)
                    warn("W115", en, zh, ("scene", sid, "choice", i, "sets", j), "value")
    return out


def always_warnings(level: Level, positions: PositionIndex | None, analysis: Analysis) -> list[Diagnostic]:
    """W114 and W115: cheap enough, and wrong enough, for every `mot check`."""
    out = flag_warnings(level, positions)
    warn = warner(level, positions, out)
    if analysis.complete:
        contradicted: dict[str, tuple] = {}
        for state, (score, ending) in analysis.terminals.items():
            tone = level.endings[ending].tone if ending in level.endings else None
            if (tone == "good" and score <= -1) or (tone == "bad" and score >= 1):
                now = contradicted.get(ending)
                if now is None or abs(score) > abs(now[1]):
                    contradicted[ending] = (state, score)
        for ending, (state, score) in contradicted.items():
            tone = level.endings[ending].tone
            path = ' → '.join(analysis.path_to(state))
            warn("W114", f"ending {ending!r} is {tone}, but {path} reaches it with MOT score {score:+d}",
                 f"结局 {ending!r} 的基调是 {_TONE_ZH.get(tone, tone)}（{tone}），但 {path} "
                 f"以 MOT 分数 {score:+d} 到达它", ("ending", ending, "tone"), "key")
    return out


_TONE_ZH = {"good": "好", "mixed": "好坏参半", "bad": "坏"}


def unread_flag(where: str, flag: str, read: set[str]) -> tuple[str, str]:
    """W115's message (English, Chinese): the choice `where` sets `flag` and no `when` reads it.
    A flag some `when` does read and is spelled almost alike is named: the usual cause is a typo
    in `sets` (`overpromissed` for `overpromised`), and the consequence silently never happens."""
    near = did_you_mean(flag, read)
    if near:
        return (f"choice {where} sets flag {flag!r}, which no `when` reads: did you mean {near!r}? "
                f"(the `when`s read {near!r}, so this move's consequence never happens)",
                f"选项 {where} 设置的标记 {flag!r} 没有任何 `when` 读取：是不是想写 {near!r}？"
                f"（`when` 读取的是 {near!r}，所以这一步的后果永远不会发生）")
    return (f"choice {where} sets flag {flag!r}, which no `when` reads: a typo, or a consequence "
            "that never happens",
            f"选项 {where} 设置的标记 {flag!r} 没有任何 `when` 读取：要么是拼写错误，要么是一个永远不会发生的后果")


def applied_delta(analysis: Analysis, state: tuple, choice) -> int:
    """The change `choice` makes from an analyser state (its `perception` cases read it)."""
    if not choice.deltas:
        return choice.delta
    from .conditions import Env

    _, perception, _, flags, sc = state
    return choice.delta_for(Env(flags=flags, perception=perception, scores=analysis.scenarios[sc]))


def report_warnings(level: Level, positions: PositionIndex | None, analysis: Analysis,
                    report: Balance) -> list[Diagnostic]:
    """W110–W113 and W120: the balancing report's warnings, under `mot check --analyse`."""
    out: list[Diagnostic] = []
    if not analysis.complete or not analysis.terminals:
        return out
    warn = warner(level, positions, out)
    best = max(score for score, _ in analysis.terminals.values())
    if min(score for score, _ in analysis.terminals.values()) == best and any(
            len(edges) > 1 for edges in analysis.edges.values()):
        # The other warnings would each say the same thing a narrower way: this one says it all.
        paths = [analysis.path_to(t) for t in analysis.terminals]  # two that part at the first move, if any
        other = next((p for p in paths if p[:1] != paths[0][:1]), paths[-1])
        first, last = ' → '.join(paths[0]), ' → '.join(other)
        warn("W120", f"every way through the level scores {best:+d} (e.g. {first}, and {last}): no choice "
                     "changes the score, so a guesser does as well as a careful learner; let the moves "
                     "that skip a step, or fit the customer less, cost the meter",
             f"这一关的每一条路线都得 {best:+d}（例如 {first}，以及 {last}）：没有一个选择改变分数，"
             "乱猜的人和认真思考的学员得分一样；让跳过步骤或不贴合客户的选项在客户认知上付出代价", ("level",))
        return out
    loose = [t for t, (score, _) in analysis.terminals.items() if score == best and not t[3]]
    if loose:
        path = ' → '.join(analysis.path_to(loose[0]))
        warn("W110", f"the best score {best:+d} is reachable without a final confirm: {path}",
             f"不以确认（confirm）结束也能拿到最好分数 {best:+d}：{path}", ("level",))
    reach = report.reach  # computed once, by `balance`
    trapped: set[tuple[str, str]] = set()
    for state, edges in analysis.edges.items():
        if _best_or_below(reach.get(state, 0)) < 2:
            continue
        for choice, child in edges:
            key = (state[0], choice.id)
            delta = applied_delta(analysis, state, choice)
            if delta >= 0 and key not in trapped and _best_or_below(reach.get(child, 0)) < 2:
                trapped.add(key)
                after = best_of(reach.get(child, 0))
                cap = "no ending" if after is None else f"{after:+d}"
                path = analysis.path_to(state) + [choice.id]
                cap_zh = "到不了任何结局" if after is None else f"最多只能得 {after:+d}"
                warn("W111", f"choice {state[0]}/{choice.id} ({delta:+d}) caps the level at "
                             f"{cap} after {' → '.join(path)}: give the player a way back, or "
                             f"let the meter show the cost",
                     f"选项 {state[0]}/{choice.id}（{delta:+d}）走 {' → '.join(path)} 之后，"
                     f"这一关{cap_zh}：给玩家一条回头路，或让客户认知表显出代价",
                     _choice_keypath(level, state[0], choice.id))
    for name in ("longest-en", "longest-zh"):
        strategy = report.strategies.get(name)
        if strategy is not None and strategy.score == best and not strategy.tied:
            lang = name.rsplit("-", 1)[1]
            lang_zh = "英文" if lang == "en" else "中文"
            warn("W112", f"always picking the longest text ({lang}) reaches the best score {best:+d}: "
                         f"{' → '.join(strategy.choices)}",
                 f"总是选最长的文字（{lang_zh}）就能拿到最好分数 {best:+d}：{' → '.join(strategy.choices)}",
                 ("level",))
            break
    alone, total = report.give_away
    if total and alone * 2 > total:
        scenes = ', '.join(report.give_away_scenes)
        warn("W113", f"on the ideal path the ideal is the only choice of its step in {alone} of {total} "
                     f"scenes ({scenes}): add a tempting choice of the same step",
             f"理想路径上 {total} 个场景中有 {alone} 个（{scenes}），理想选项是其步骤中唯一的选项："
             "加一个同一步骤、同样诱人的选项", ("level",))
    return out
