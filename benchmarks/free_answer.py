"""Free-answer matching (issue 15) on the project's own paraphrase set, beside a word-free baseline.

The set is benchmarks/data/free_answer.toml: what learners might type at 30 scenes of both
campaigns and the tutorial (Chinese and English, a "hard" subset that avoids the choices' own
words), each with the choice it means, plus inputs no choice fits (off-topic, rude, empty-ish,
another scene's move) that should be refused. Every scene is reached by playing its `choices`
with the real engine, and the texts are matched against the choices available there.

Two encoders run through the same `game.freeanswer.Matcher` (same wordings: each choice's text in
every language plus its `examples`; same cache; same bands logic, `decide`):
- USE: the real matcher, `load_encoder()` (Google's multilingual Universal Sentence Encoder,
  the optional extra), with the shipped `THRESHOLDS`;
- char n-gram: TF-IDF cosine on character 1–3-grams, in plain Python, its IDF fitted on every
  choice text of the shipped levels. Its scores live on another scale, so its thresholds are
  calibrated on the tune half by the rule below (the same rule `--tune` applies to USE).

Halves: the scenes alternate between "tune" (1st, 3rd, …) and "test" (2nd, 4th, …), so thresholds
chosen on one half can be reported on the other.

Calibration rule (both encoders): on the tune half, the grid accept, floor ∈ {0.00, 0.01, …, 1.00}
(floor ≤ accept), margin ∈ {0.00, 0.01, …, 0.10} that maximises the mean utility of the items to
match plus that of the items to refuse, with at most 5% of the items to refuse accepted. Utility:
to match — the right move played +1, a wrong move played −2, asked with the right move offered
+0.5, otherwise 0; to refuse — refused +1, asked 0, played −2.

Rows: top-1 (the best-ranked choice is the expected one, whatever the band) per language and on
the hard subset; step accuracy (the best-ranked choice has the expected step); the zh texts
matched against choices that keep only their English text, and the en texts against only the
Chinese; in the scenes whose choices have `examples`, top-1 with the examples left out and with
them, for the items written before the examples and for those written after (`late`: held out
from them); the bands on the items to match (played right / played wrong / asked / refused); refusal
precision and recall (band none against "no choice fits"); off-topic accepted (played as a move);
load (USE: `load_encoder()` plus the first encode, where the model is actually read; baseline:
fitting the IDF), query latency (one `Matcher.match` with the scene's choices cached, wall and
CPU), peak memory (growth of the process's max RSS during load and queries; the baseline runs
first). Ratios and figures only; no assertions.

    python benchmarks/free_answer.py [--tune] [--misses] [--repeat 3] [--set FILE]

--tune also prints the thresholds the calibration rule finds for USE (all three, and the floor
alone with the shipped accept and margin) and what they give on each half; --misses lists the USE
items whose top-1 or band is wrong. Each query is timed --repeat times (default 3) and its fastest
time kept, as the other benchmarks here do, since the machine is shared. Without the free extra
(`pip install -e '.[free]'`) only the baseline column is printed.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import resource
import statistics
import sys
import time
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from game.engine import Game  # noqa: E402
from game.freeanswer import (  # noqa: E402
    THRESHOLDS, Band, FreeAnswerUnavailable, Matcher, Thresholds, decide, load_encoder, wordings,
)
from game.library import load_library  # noqa: E402
from game.model import Text  # noqa: E402
from game.paths import shipped_levels_dir  # noqa: E402

DEFAULT_SET = HERE / "data" / "free_answer.toml"
MAX_OFFTOPIC_ACCEPTED = 0.05


# ---------------------------------------------------------------- the set

@dataclass(frozen=True)
class Item:
    scene: int  # index of its [[scene]] in the file
    half: str  # "tune" or "test"
    level_id: str
    choices: tuple  # the Choice objects available in the scene reached
    lang: str
    expect: str | None  # a choice id, or None: no choice fits
    expect_step: str | None
    hard: bool
    text: str
    late: bool = False  # written after the examples were added (held out from them)

    @property
    def has_examples(self) -> bool:
        return any(c.examples for c in self.choices)


def load_set(path: Path, library) -> list[Item]:
    with path.open("rb") as f:
        data = tomllib.load(f)
    items = []
    for n, scene in enumerate(data["scene"]):
        level = library.level(scene["level"])
        game = Game(level)
        state = game.play(scene["choices"])
        available = tuple(game.choices(state))
        steps = {c.id: c.step for c in available}
        for raw in scene["items"]:
            expect = None if raw["expect"] == "none" else raw["expect"]
            items.append(Item(n, "tune" if n % 2 == 0 else "test", level.id, available,
                              raw["lang"], expect, steps.get(expect), bool(raw.get("hard")),
                              raw["text"], bool(raw.get("late"))))
    return items


def without_examples(choices: tuple) -> tuple:
    return tuple(dataclasses.replace(c, examples={}) for c in choices)


def only_language(choices: tuple, lang: str) -> tuple:
    """The choices as if their author had written them in `lang` only, without examples."""
    return tuple(dataclasses.replace(c, text=Text({lang: c.text.get(lang)}), examples={})
                 for c in choices)


# ---------------------------------------------------------------- the baseline encoder

class Sparse(dict):
    """A sparse vector (feature → weight) that `game.freeanswer.cosine` can use: `a @ b`."""

    def __matmul__(self, other: "Sparse") -> float:
        small, big = (self, other) if len(self) <= len(other) else (other, self)
        return sum(w * big.get(k, 0.0) for k, w in small.items())


def char_ngrams(text: str, sizes=(1, 2, 3)) -> Counter:
    text = " ".join(text.casefold().split())
    return Counter(text[i:i + n] for n in sizes for i in range(len(text) - n + 1))


class CharNgramEncoder:
    """TF-IDF on character 1–3-grams (sublinear tf, smoothed idf), plain Python."""

    def __init__(self, documents) -> None:
        df: Counter = Counter()
        total = 0
        for doc in documents:
            df.update(set(char_ngrams(doc)))
            total += 1
        self.idf = {g: math.log((1 + total) / (1 + n)) + 1 for g, n in df.items()}
        self.unseen = math.log(1 + total) + 1

    def encode(self, texts):
        return [Sparse({g: (1 + math.log(tf)) * self.idf.get(g, self.unseen)
                        for g, tf in char_ngrams(text).items()}) for text in texts]


def shipped_wordings(library) -> list[str]:
    return [w for level in library.levels for scene in level.scenes.values()
            for choice in scene.choices for w in wordings(choice)]


# ---------------------------------------------------------------- measuring

@dataclass
class Run:
    name: str
    thresholds: Thresholds
    rankings: list  # per item: the ranking tuple
    cross: list  # per item: top-1 choice id against the other language's text only (None: n/a)
    bare: list  # per item: top-1 choice id with the choices' examples left out
    load_wall: float
    load_cpu: float
    wall_ms: list
    cpu_ms: list
    rss_mb: float


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def measure(name: str, load, items: list[Item], thresholds: Thresholds | None,
            repeat: int = 3) -> Run:
    rss0 = max_rss_mb()
    wall0, cpu0 = time.perf_counter(), time.process_time()
    encoder = load()
    encoder.encode(["warm-up"])  # USE reads its weights on the first encode
    load_wall, load_cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    matcher = Matcher(encoder, thresholds or THRESHOLDS)
    for level_id, choices in {i.scene: (i.level_id, i.choices) for i in items}.values():
        matcher.warm(level_id, choices)  # the game warms a level's choices when it starts
    rankings, wall_ms, cpu_ms = [], [], []
    for item in items:
        walls, cpus = [], []
        for _ in range(max(1, repeat)):
            wall, cpu = time.perf_counter(), time.process_time()
            match = matcher.match(item.level_id, item.choices, item.text)
            walls.append((time.perf_counter() - wall) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
        wall_ms.append(min(walls))
        cpu_ms.append(min(cpus))
        rankings.append(match.ranking)
    cross = []
    for item in items:
        if item.expect is None:
            cross.append(None)
            continue
        other = "en" if item.lang == "zh" else "zh"
        ranking = matcher.scores(f"{item.level_id}#{other}", only_language(item.choices, other),
                                 item.text)
        cross.append(ranking[0].choice_id)
    bare = [matcher.scores(f"{i.level_id}#bare", without_examples(i.choices), i.text)[0].choice_id
            if i.has_examples else r[0].choice_id for i, r in zip(items, rankings)]
    return Run(name, thresholds or THRESHOLDS, rankings, cross, bare, load_wall, load_cpu, wall_ms,
               cpu_ms, max_rss_mb() - rss0)


# ---------------------------------------------------------------- scoring

def outcome(item: Item, ranking, thresholds: Thresholds) -> str:
    """right / wrong / ask-right / ask / none for an item to match; none / ask / accepted for an
    item to refuse."""
    band, pick, candidates = decide(ranking, thresholds)
    if item.expect is None:
        return {Band.NONE: "none", Band.ASK: "ask", Band.ACCEPT: "accepted"}[band]
    if band is Band.ACCEPT:
        return "right" if pick == item.expect else "wrong"
    if band is Band.ASK:
        return "ask-right" if item.expect in candidates else "ask"
    return "none"


UTILITY = {"right": 1.0, "wrong": -2.0, "ask-right": 0.5, "ask": 0.0, "none": 0.0}
UTILITY_REFUSE = {"none": 1.0, "ask": 0.0, "accepted": -2.0}


def calibrate(items: list[Item], rankings: list, fixed_accept: float | None = None,
              fixed_margin: float | None = None) -> Thresholds:
    """The calibration rule of the module docstring, on the given items (the tune half);
    `fixed_accept` and `fixed_margin` when given (then only what is left is searched)."""
    rows = []  # (to refuse?, best score, gap to the runner-up, top-1 right?, top-2 right?)
    for item, ranking in zip(items, rankings):
        best = ranking[0].score if ranking else 0.0
        gap = best - ranking[1].score if len(ranking) > 1 else math.inf
        top1 = bool(ranking) and ranking[0].choice_id == item.expect
        top2 = len(ranking) > 1 and ranking[1].choice_id == item.expect
        rows.append((item.expect is None, best, gap, top1, top2))
    n_refuse = sum(r[0] for r in rows) or 1
    n_match = (len(rows) - sum(r[0] for r in rows)) or 1
    grid = [x / 100 for x in range(101)]
    best_value, best_thresholds = -math.inf, THRESHOLDS
    margins = [m / 100 for m in range(11)] if fixed_margin is None else [fixed_margin]
    for margin in margins:
        for accept in grid if fixed_accept is None else [fixed_accept]:
            for floor in grid:
                if floor > accept:
                    break
                value, accepted_off = 0.0, 0
                for refuse, score, gap, top1, top2 in rows:
                    if score < floor:
                        o = "none"
                    elif score >= accept and gap >= margin:
                        o = "accepted" if refuse else ("right" if top1 else "wrong")
                    elif refuse:
                        o = "ask"
                    else:
                        o = "ask-right" if top1 or (gap < margin and top2) else "ask"
                    if refuse:
                        value += UTILITY_REFUSE[o] / n_refuse
                        accepted_off += o == "accepted"
                    else:
                        value += UTILITY[o] / n_match
                if accepted_off / n_refuse <= MAX_OFFTOPIC_ACCEPTED and value > best_value:
                    best_value = value
                    best_thresholds = dataclasses.replace(THRESHOLDS, accept=accept, floor=floor,
                                                          margin=margin)
    return best_thresholds


def ratio(hits: int, total: int) -> str:
    return f"{hits / total:.3f} ({hits}/{total})" if total else "—"


def figures(run: Run, items: list[Item], select=lambda item: True, thresholds=None) -> dict:
    thresholds = thresholds or run.thresholds
    rows = [(i, r, x) for i, r, x in zip(items, run.rankings, run.cross) if select(i)]
    match = [(i, r, x) for i, r, x in rows if i.expect is not None]
    refuse = [(i, r) for i, r, _ in rows if i.expect is None]
    outcomes = Counter(outcome(i, r, thresholds) for i, r, _ in match)
    refused = Counter(outcome(i, r, thresholds) for i, r in refuse)
    top1 = lambda pick: sum(bool(r) and r[0].choice_id == i.expect for i, r, _ in match if pick(i))
    count = lambda pick: sum(1 for i, _, _ in match if pick(i))
    said_none = outcomes["none"] + refused["none"]
    out = {
        "top-1 en": ratio(top1(lambda i: i.lang == "en"), count(lambda i: i.lang == "en")),
        "top-1 zh": ratio(top1(lambda i: i.lang == "zh"), count(lambda i: i.lang == "zh")),
        "top-1 hard en": ratio(top1(lambda i: i.hard and i.lang == "en"),
                               count(lambda i: i.hard and i.lang == "en")),
        "top-1 hard zh": ratio(top1(lambda i: i.hard and i.lang == "zh"),
                               count(lambda i: i.hard and i.lang == "zh")),
        "top-1 all": ratio(top1(lambda i: True), len(match)),
        "step accuracy": ratio(sum(bool(r) and r[0].step == i.expect_step for i, r, _ in match),
                               len(match)),
        "zh typed, English-only choices": ratio(
            sum(x == i.expect for i, _, x in match if i.lang == "zh"), count(lambda i: i.lang == "zh")),
        "en typed, Chinese-only choices": ratio(
            sum(x == i.expect for i, _, x in match if i.lang == "en"), count(lambda i: i.lang == "en")),
        "scenes with examples, written before: top-1 without / with": _with_without(
            run, items, select, lambda i: i.has_examples and not i.late),
        "scenes with examples, written after: top-1 without / with": _with_without(
            run, items, select, lambda i: i.has_examples and i.late),
        "to match: right move played": ratio(outcomes["right"], len(match)),
        "to match: wrong move played": ratio(outcomes["wrong"], len(match)),
        "to match: asked, right one offered": ratio(outcomes["ask-right"], len(match)),
        "to match: asked, right one not offered": ratio(outcomes["ask"], len(match)),
        "to match: refused": ratio(outcomes["none"], len(match)),
        "refusal precision": ratio(refused["none"], said_none),
        "refusal recall": ratio(refused["none"], len(refuse)),
        "off-topic accepted as a move": ratio(refused["accepted"], len(refuse)),
    }
    return out


def _with_without(run: Run, items: list[Item], select, pick) -> str:
    rows = [(i, r, b) for i, r, b in zip(items, run.rankings, run.bare)
            if select(i) and pick(i) and i.expect is not None]
    if not rows:
        return "—"
    bare = sum(b == i.expect for i, _, b in rows)
    full = sum(r[0].choice_id == i.expect for i, r, _ in rows)
    return f"{bare / len(rows):.3f} / {full / len(rows):.3f} (n={len(rows)})"


def table(columns: list[tuple[str, dict]], title: str = "") -> None:
    keys = list(columns[0][1])
    width = max(len(k) for k in keys) + 2
    colw = max(24, *(len(name) + 2 for name, _ in columns))
    if title:
        print(title)
    print(" " * width + "".join(f"{name:>{colw}}" for name, _ in columns))
    for key in keys:
        print(f"{key:<{width}}" + "".join(f"{col.get(key, '—'):>{colw}}" for _, col in columns))


def fmt_thresholds(t: Thresholds) -> str:
    return f"{t.accept:.2f} / {t.floor:.2f} / {t.margin:.2f}"


def cost(run: Run) -> dict:
    p95 = lambda xs: statistics.quantiles(xs, n=20)[-1] if len(xs) >= 2 else xs[0]
    return {
        "thresholds accept / floor / margin": fmt_thresholds(run.thresholds),
        "load, wall / CPU (s)": f"{run.load_wall:.2f} / {run.load_cpu:.2f}",
        "query wall, median / p95 (ms)": f"{statistics.median(run.wall_ms):.1f} / {p95(run.wall_ms):.1f}",
        "query CPU, median / p95 (ms)": f"{statistics.median(run.cpu_ms):.1f} / {p95(run.cpu_ms):.1f}",
        "peak memory, max RSS growth (MB)": f"{run.rss_mb:.0f}",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", type=Path, default=DEFAULT_SET)
    parser.add_argument("--tune", action="store_true",
                        help="also calibrate USE's thresholds on the tune half and report both halves")
    parser.add_argument("--misses", action="store_true", help="list USE's wrong top-1s and bands")
    parser.add_argument("--repeat", type=int, default=3, help="time each query this often, keep the fastest")
    args = parser.parse_args(argv)

    library = load_library(shipped_levels_dir())
    items = load_set(args.set, library)
    tune = [k for k, i in enumerate(items) if i.half == "tune"]
    n_match = sum(i.expect is not None for i in items)
    langs = Counter(i.lang for i in items if i.expect is not None)
    print(f"{args.set.name}: {len(items)} items in {len({i.scene for i in items})} scenes — "
          f"{n_match} to match ({langs['en']} en, {langs['zh']} zh; "
          f"{sum(i.hard for i in items)} hard), {len(items) - n_match} to refuse")

    corpus = shipped_wordings(library)
    base = measure("char n-gram", lambda: CharNgramEncoder(corpus), items, None, args.repeat)
    base.thresholds = calibrate([items[k] for k in tune], [base.rankings[k] for k in tune])
    runs = [base]
    try:
        use = measure("USE", load_encoder, items, THRESHOLDS, args.repeat)
        runs.insert(0, use)
    except FreeAnswerUnavailable as error:
        use = None
        print(f"USE column left out: {error.message('en')}")
    print()
    columns = [(f"{r.name} (shipped)" if r is use else f"{r.name} (calibrated)",
                {**cost(r), **figures(r, items)}) for r in runs]
    table(columns, "all items")
    print()
    halves = []
    for r in runs:
        for half in ("tune", "test"):
            f = figures(r, items, lambda i, h=half: i.half == h)
            halves.append((f"{r.name} {half}", {k: f[k] for k in (
                "top-1 en", "top-1 zh", "top-1 hard en", "top-1 hard zh", "to match: right move played",
                "to match: wrong move played", "refusal recall", "off-topic accepted as a move")}))
    table(halves, "by half (thresholds as above)")
    if use is not None:
        top = [statistics.median(use.cpu_ms), statistics.median(base.cpu_ms)]
        print(f"\nUSE / char n-gram: top-1 all {_top1(use, items) / _top1(base, items):.2f}×, "
              f"median query CPU {top[0] / top[1]:.1f}×")
    if args.tune and use is not None:
        tune_items, tune_rankings = [items[k] for k in tune], [use.rankings[k] for k in tune]
        for what, tuned in (
                ("all three", calibrate(tune_items, tune_rankings)),
                ("the floor only (shipped accept and margin)",
                 calibrate(tune_items, tune_rankings, THRESHOLDS.accept, THRESHOLDS.margin))):
            print(f"\nUSE, {what} calibrated on the tune half: {fmt_thresholds(tuned)} "
                  f"(shipped: {fmt_thresholds(THRESHOLDS)})")
            cols = []
            for half in ("tune", "test", "all"):
                f = figures(use, items, lambda i, h=half: h == "all" or i.half == h, thresholds=tuned)
                cols.append((f"{half}", {k: v for k, v in f.items()
                                         if k.startswith(("to match", "refusal", "off-topic"))}))
            table(cols)
    if args.misses and use is not None:
        print("\nUSE misses (top-1 wrong, or refused/accepted wrongly):")
        for item, ranking in zip(items, use.rankings):
            o = outcome(item, ranking, use.thresholds)
            wrong_top = item.expect is not None and ranking[0].choice_id != item.expect
            if wrong_top or o in ("wrong", "accepted") or (item.expect is not None and o == "none"):
                best = ", ".join(f"{r.choice_id} {r.score:.2f}" for r in ranking[:3])
                print(f"  [{item.half} {item.lang}{' hard' if item.hard else ''}] {item.text!r}: "
                      f"expected {item.expect or 'none'}, {o}; {best}")
    return 0


def _top1(run: Run, items: list[Item]) -> float:
    return sum(i.expect is not None and r[0].choice_id == i.expect
               for i, r in zip(items, run.rankings)) or 1


if __name__ == "__main__":
    sys.exit(main())
