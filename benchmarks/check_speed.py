"""How fast is `mot check` on a very large level, compared with just parsing its TOML?

    python benchmarks/check_speed.py [--scenes 5000] [--repeat 3] [--max-ratio 5] [--keep DIR]

Generates one level of N scenes (default 5,000) into a temporary folder: three choices per
scene with mixed steps and deltas, a few flags and `when` conditions, discoveries, bilingual
texts and several endings — shaped like a real level, only much longer. Then it times, best of
`--repeat` runs each:

  (a) parse: `tomllib.loads` of the file's text, nothing else;
  (b) check: what `mot check FILE` does — read, parse, record positions, build and validate the
      level, analyse every reachable state, and derive the warnings.

It prints the time per scene and the ratio check / parse, and exits with status 1 when the
ratio exceeds `--max-ratio` (5×, the target in issue 2), so CI can run it as a guard.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from game.commands.check import check  # noqa: E402

STEPS = ("explore", "offer", "act", "confirm")
ZH_WORDS = "客户 期望 电脑 展会 周四 交货 经理 团队 计划 确认 提议 行动 探索 倾听 承诺".split()
EN_WORDS = ("customer expectation laptop trade fair Thursday delivery manager team plan confirm "
            "offer act explore listen promise deadline loaner director quote").split()
FLAGS = ("knows-deadline", "overpromised", "offered-refund")
ENDINGS = ("delighted", "satisfied", "quiet", "annoyed", "lost")


def sentence(rng: random.Random, words: list[str], n: int, sep: str = " ") -> str:
    return sep.join(rng.choice(words) for _ in range(n))


def text(rng: random.Random, n: int = 12) -> str:
    en = sentence(rng, EN_WORDS, n).capitalize() + "."
    zh = sentence(rng, ZH_WORDS, n // 2, "") + "。"
    return f'{{ en = "{en}", zh = "{zh}" }}'


def generate(scenes: int, seed: int = 1) -> str:
    """A level of `scenes` scenes that checks clean (no errors) and is fully analysable."""
    rng = random.Random(seed)
    out = [
        "#:schema ../../assets/level.schema.json",
        "format = 1",
        "",
        "[level]",
        'id = "benchmark"',
        f"title = {text(rng, 4)}",
        f"brief = {text(rng, 40)}",
        'you = "alex"',
        'customer = "grace"',
        'start = "s0"',
        "perception = -1",
        "discuss = [",
        f"  {text(rng)},",
        f"  {text(rng)},",
        "]",
        "",
        "[characters.alex]",
        'name = "Alex Chen"',
        f"role = {text(rng, 5)}",
        "",
        "[characters.grace]",
        'name = "Grace Wang"',
        f"role = {text(rng, 5)}",
        "",
    ]
    discoveries = [f"d{i}" for i in range(max(3, scenes // 50))]
    kinds = ("business-win", "personal-win", "expectation")
    for i, did in enumerate(discoveries):
        out += [f"[discovery.{did}]", f'kind = "{kinds[i % 3]}"', f"text = {text(rng)}", ""]
    # The flags: set early in the level, read here and there later (one per 100 scenes).
    flag_setters = {rng.randrange(0, max(1, scenes // 10)): flag for flag in FLAGS}
    for i in range(scenes):
        sid = f"s{i}"
        out += [f"[scene.{sid}]"]
        if i % 3 == 0:
            out.append(f'speaker = "{"grace" if i % 2 else "alex"}"')
        out += [f"text = {text(rng, 25)}", ""]
        remaining = scenes - 1 - i
        for c in range(3):
            if remaining == 0:
                nxt = f"end:{ENDINGS[c]}" if c < 2 else f"end:{ENDINGS[2 + rng.randrange(3)]}"
            elif c == 2 and remaining > 1 and rng.random() < 0.3:
                nxt = f"s{i + 2}"  # skip a scene now and then
            else:
                nxt = f"s{i + 1}"
            step = STEPS[(i + c) % 4] if c else STEPS[i % 4]
            delta = (1, 2, 0, -1, -2, 1, 3, -3)[(i * 3 + c * 5 + rng.randrange(2)) % 8]
            out += [f"[[scene.{sid}.choice]]", f'id = "c{c}"', f'step = "{step}"',
                    f"text = {text(rng, 15)}", f"perception = {delta}"]
            if c == 0:
                out.append("ideal = true")
            if c == 1 and i in flag_setters:
                out.append(f'sets = ["{flag_setters[i]}"]')
            if c == 0 and i % 50 == 7:
                out.append(f'reveals = ["{discoveries[(i // 50) % len(discoveries)]}"]')
            if c == 2 and i % 100 == 42:
                flag = rng.choice(FLAGS)
                out.append(f'when = "not {flag} or perception >= 1"')
            elif c == 2 and i % 10 == 5:
                out.append('when = "perception < 2"')
            out += [f"feedback = {text(rng, 20)}", f"thought = {text(rng, 8)}", f'next = "{nxt}"', ""]
    for eid in ENDINGS:
        out += [f"[ending.{eid}]", f"title = {text(rng, 4)}", f"text = {text(rng, 20)}", ""]
    return "\n".join(out)


def best_of(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenes", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--max-ratio", type=float, default=5.0)
    parser.add_argument("--keep", metavar="DIR", help="write the level here instead of a temp dir")
    args = parser.parse_args(argv)

    source = generate(args.scenes)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.keep or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "01-benchmark.toml"
        path.write_text(source, encoding="utf-8")

        levels, diagnostics, reports = check([path])
        errors = [d for d in diagnostics if d.is_error]
        if errors or not reports:
            print("the generated level does not check clean:", *errors[:5], sep="\n  ")
            return 2
        report = reports[0]
        choices = source.count("[[scene.")

        parse = best_of(args.repeat, lambda: tomllib.loads(source))
        full = best_of(args.repeat, lambda: check([path]))

    ratio = full / parse
    n = args.scenes
    print(f"level: {n:,} scenes, {choices:,} choices, {len(source.encode()) / 1e6:.1f} MB, "
          f"{report.states:,} states analysed{'' if report.complete else ' (stopped early)'}, "
          f"{len(diagnostics)} warnings")
    print(f"parse (tomllib.loads)      {parse:7.3f} s   {parse / n * 1e6:7.1f} µs/scene")
    print(f"check (load + analyse)     {full:7.3f} s   {full / n * 1e6:7.1f} µs/scene")
    print(f"ratio check / parse        {ratio:7.2f}×  (limit {args.max_ratio:g}×)")
    if ratio > args.max_ratio:
        print("FAIL: the checker is slower than the limit")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
