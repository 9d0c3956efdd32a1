"""Whatever a file holds, `mot check` answers with diagnostics and exit status 0 or 1: never a
traceback, never an "internal error". Seeded, so a failure is reproducible by its case number.

Most cases run in-process through `game.cli.main(["check", path])` (fast); a handful go through
`python -m game check` in a subprocess to see exactly what a user would see.
"""

from __future__ import annotations

import json
import random
import re
import string
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from game.cli import main
from game.loader import MAX_FILE_BYTES
from game.positions import PositionIndex

ROOT = Path(__file__).resolve().parent.parent
TUTORIAL = ROOT / "levels" / "tutorial" / "01-first-call.toml"
CASES = 200
SUMMARY = re.compile(r"^\d+ levels?, (\d+) errors?, \d+ warnings?$", re.M)

# Words the loader knows, so random documents reach past "unknown key" into deeper checks.
VOCABULARY = [
    "format", "level", "id", "campaign", "order", "title", "brief", "you", "customer", "start",
    "perception", "discuss", "scorecard", "characters", "name", "role", "portrait", "discovery",
    "kind", "text", "scene", "speaker", "choice", "step", "reveals", "sets", "when", "feedback",
    "thought", "ideal", "next", "ending", "en", "zh", "explore", "offer", "act", "confirm",
    "call", "end:lost", "grace", "alex", "business-win", "trade-fair", "x", "Bad_Id", "",
]
WHEN_WORDS = ["and", "or", "not", "(", ")", "perception", "score.first-call", "score.nope",
              "knows-deadline", "offered-refund", "trade-fair", "ghost", "<", "<=", "==", "!=",
              ">=", ">", "-3", "0", "2", "99999999999999999999", "&&", "||", "!", "==="]


def check_in_process(path: Path, capsys, what: str) -> str:
    """Run `mot check PATH` in-process; it must exit 0 or 1 and print a summary line."""
    code = main(["check", str(path)])
    out, err = capsys.readouterr()
    assert code in (0, 1), f"{what}: exit status {code}\n{err}"
    assert "Traceback" not in out + err, f"{what}:\n{err}"
    assert "internal error" not in err, f"{what}: {err}"
    match = SUMMARY.search(out)
    assert match, f"{what}: no summary line in {out[-300:]!r}"
    assert code == (1 if int(match.group(1)) else 0), what
    return out


def check_subprocess(path: Path, *extra: str) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "game", "check", *extra, str(path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr
    assert "internal error" not in proc.stderr, proc.stderr
    return proc


# -- random TOML ----------------------------------------------------------------------------
def toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)


def toml_string(rng: random.Random) -> str:
    alphabet = string.ascii_letters + string.digits + " -_.:/\\\"'\n\t\x1b\u200f" + "关键时刻顾客"
    text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
    return json.dumps(text, ensure_ascii=False)  # JSON string escapes are valid TOML ones


def random_value(rng: random.Random, depth: int = 0) -> str:
    kind = rng.choice(["int", "int", "str", "str", "bool", "float", "date", "array", "table",
                       "word", "bigint"] if depth < 3 else ["int", "str", "bool", "word"])
    if kind == "int":
        return str(rng.randint(-5, 5))
    if kind == "bigint":
        return str(rng.choice([2**63 - 1, -(2**63), 10**30, 0x7F]))
    if kind == "str":
        return toml_string(rng)
    if kind == "word":
        return json.dumps(rng.choice(VOCABULARY))
    if kind == "bool":
        return rng.choice(["true", "false"])
    if kind == "float":
        return rng.choice(["1.5", "-0.0", "inf", "nan", "1e300", "3.0"])
    if kind == "date":
        return rng.choice(["1979-05-27", "07:32:00", "1979-05-27T07:32:00Z", "1979-05-27 07:32:00.999"])
    if kind == "array":
        return "[" + ", ".join(random_value(rng, depth + 1) for _ in range(rng.randint(0, 3))) + "]"
    items = {rng.choice(VOCABULARY) or "k": random_value(rng, depth + 1) for _ in range(rng.randint(0, 3))}
    return "{ " + ", ".join(f"{toml_key(k)} = {v}" for k, v in items.items()) + " }"


def random_document(rng: random.Random) -> str:
    """A syntactically valid TOML document shaped roughly like a level, with random values."""
    lines = ["format = " + rng.choice(["1", "1", "2", '"1"', "[1]"])]
    tables = ["level", "characters.grace", "characters.alex", "discovery.trade-fair",
              "scene.call", "scene.plan", "ending.lost", "ending.won", "campaign", "level.title"]
    used: set[str] = set()
    for _ in range(rng.randint(0, 8)):
        if rng.random() < 0.3:
            header = f"[[scene.{rng.choice(['call', 'plan'])}.choice]]"
        else:
            name = rng.choice(tables)
            if name in used:
                continue
            used.add(name)
            header = f"[{name}]"
        lines.append("")
        lines.append(header)
        keys = set()
        for _ in range(rng.randint(0, 8)):
            key = rng.choice(VOCABULARY) or "empty"
            if key in keys:
                continue
            keys.add(key)
            if key == "when" and rng.random() < 0.7:
                expr = " ".join(rng.choice(WHEN_WORDS) for _ in range(rng.randint(0, 7)))
                lines.append(f"when = {json.dumps(expr)}")
            else:
                lines.append(f"{toml_key(key)} = {random_value(rng)}")
    return "\n".join(lines) + "\n"


def to_toml(data: dict, prefix: tuple = ()) -> str:
    """A small TOML writer for mutated levels: scalars first, then tables, then arrays of tables."""
    lines, tables, arrays = [], [], []
    for key, value in data.items():
        if isinstance(value, dict):
            tables.append((key, value))
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            arrays.append((key, value))
        else:
            lines.append(f"{toml_key(key)} = {toml_value(value)}")
    out = "\n".join(lines) + "\n"
    for key, value in tables:
        path = prefix + (key,)
        out += f"\n[{'.'.join(map(toml_key, path))}]\n" + to_toml(value, path)
    for key, items in arrays:
        path = prefix + (key,)
        for item in items:
            out += f"\n[[{'.'.join(map(toml_key, path))}]]\n" + to_toml(item, path)
    return out


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value) if value == value and abs(value) != float("inf") else "nan"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items()) + " }"
    return json.dumps(str(value))


WRONG = [0, -7, 4, 1.5, True, "", "Bad Id", "end:nowhere", "../../x", [], [1, "a"], {}, {"en": 3},
         {"fr": "x"}, "not (", "score.first-call >= 2", "perception >= 0", "trade-fair"]


def mutate(data, rng: random.Random, rate: float):
    """Replace leaves (and sometimes whole tables) by values of the wrong type."""
    if isinstance(data, dict):
        out = {}
        for key, value in data.items():
            if rng.random() < rate / 4:
                continue  # drop a key
            out[key] = rng.choice(WRONG) if rng.random() < rate / 4 else mutate(value, rng, rate)
        if rng.random() < rate / 4:
            out[rng.choice(VOCABULARY) or "k"] = rng.choice(WRONG)
        return out
    if isinstance(data, list):
        return [mutate(v, rng, rate) for v in data if rng.random() > rate / 4]
    return rng.choice(WRONG) if rng.random() < rate else data


def mutate_text(source: str, rng: random.Random) -> str:
    """Character- and line-level damage to real level text: the position scanner's nightmare."""
    lines = source.split("\n")
    for _ in range(rng.randint(1, 6)):
        op = rng.choice(["drop-line", "dup-line", "swap-lines", "drop-char", "insert-char", "truncate"])
        i = rng.randrange(len(lines))
        if op == "drop-line" and len(lines) > 1:
            del lines[i]
        elif op == "dup-line":
            lines.insert(i, lines[i])
        elif op == "swap-lines":
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif op in ("drop-char", "insert-char") and lines[i]:
            k = rng.randrange(len(lines[i]))
            char = rng.choice('"\'[]{}=,.#\\\n \t') if op == "insert-char" else ""
            lines[i] = lines[i][:k] + char + lines[i][k + (op == "drop-char"):]
        elif op == "truncate":
            lines = lines[: i + 1]
            lines[-1] = lines[-1][: rng.randrange(len(lines[-1]) + 1)]
    return "\n".join(lines)


# -- the tests ------------------------------------------------------------------------------
def test_random_bytes(tmp_path, capsys):
    rng = random.Random(20240501)
    path = tmp_path / "random.toml"
    for case in range(CASES):
        size = rng.choice([0, 1, 2, 7, 64, 500, 4000])
        if case % 3 == 0:  # random bytes that are valid UTF-8 reach the TOML parser
            data = "".join(chr(rng.choice([rng.randrange(32, 127), rng.randrange(0, 0x2FFF)]))
                           for _ in range(size)).encode("utf-8", "replace")
        else:
            data = bytes(rng.randrange(256) for _ in range(size))
        path.write_bytes(data)
        check_in_process(path, capsys, f"random bytes case {case}")


def test_random_toml(tmp_path, capsys):
    rng = random.Random(1999)
    path = tmp_path / "random.toml"
    parsed = 0
    for case in range(CASES):
        text = random_document(rng)
        path.write_text(text, encoding="utf-8")
        try:
            tomllib.loads(text)
            parsed += 1
        except tomllib.TOMLDecodeError:
            pass
        check_in_process(path, capsys, f"random TOML case {case}:\n{text}")
    assert parsed > CASES * 0.9  # the generator writes real TOML: the checks reach the loader


def test_wrong_types_in_a_valid_level(tmp_path, capsys):
    rng = random.Random(7)
    level = tomllib.loads(TUTORIAL.read_text(encoding="utf-8"))
    path = tmp_path / "01-first-call.toml"
    for case in range(CASES):
        text = to_toml(mutate(level, rng, rate=rng.choice([0.02, 0.1, 0.3, 0.8])))
        path.write_text(text, encoding="utf-8")
        tomllib.loads(text)
        check_in_process(path, capsys, f"mutated level case {case}:\n{text}")


def test_every_value_of_a_valid_level_has_the_wrong_type(tmp_path, capsys):
    level = tomllib.loads(TUTORIAL.read_text(encoding="utf-8"))
    path = tmp_path / "01-first-call.toml"
    for n, wrong in enumerate(WRONG):
        def replace(data):
            if isinstance(data, dict):
                return {k: replace(v) for k, v in data.items()}
            if isinstance(data, list):
                return [replace(v) for v in data]
            return wrong
        path.write_text(to_toml(replace(level)), encoding="utf-8")
        out = check_in_process(path, capsys, f"every value = {wrong!r}")
        assert "error[" in out


def test_damaged_level_text(tmp_path, capsys):
    rng = random.Random(42)
    source = TUTORIAL.read_text(encoding="utf-8")
    path = tmp_path / "01-first-call.toml"
    for case in range(CASES):
        path.write_text(mutate_text(source, rng), encoding="utf-8")
        check_in_process(path, capsys, f"damaged text case {case}")


def test_random_when_expressions(tmp_path, capsys):
    rng = random.Random(3)
    source = TUTORIAL.read_text(encoding="utf-8")
    path = tmp_path / "01-first-call.toml"
    for case in range(CASES // 2):
        expr = " ".join(rng.choice(WHEN_WORDS) for _ in range(rng.randint(0, 12)))
        if rng.random() < 0.2:
            expr = "(" * rng.randint(20, 60) + "perception" + ")" * rng.randint(20, 60)
        text = source.replace('when = "not overpromised"', f"when = {json.dumps(expr)}")
        path.write_text(text, encoding="utf-8")
        check_in_process(path, capsys, f"when case {case}: {expr!r}")


def test_position_scanner_always_terminates():
    """The position scanner also runs on files tomllib rejects (to place duplicate-key errors),
    so it must finish on any token soup. Regression: `x = [1 }` once looped forever, eating
    memory, because a value made only of a separator consumed no token."""
    rng = random.Random(5)
    soup = ["[", "]", "[[", "]]", "{", "}", "=", ",", ".", '"s"', "'l'", '"""m"""', "k", "1",
            "\n", "\n", "#c", " ", "true", "-"]
    for case in range(2000):
        text = "".join(rng.choice(soup) for _ in range(rng.randint(0, 60)))
        index = PositionIndex(text)
        assert len(index._values) <= len(text) + 1, (case, text)
    for text in ["x = [1 }", "x = [}", "x = [,]", "a = [\n}\n", "a = {b = [}}"]:
        PositionIndex(text)


def test_empty_file(tmp_path, capsys):
    """An empty file (or one of comments only) is one error that says how to start."""
    path = tmp_path / "empty.toml"
    for text in (b"", b"# a level, one day\n\n"):
        path.write_bytes(text)
        out = check_in_process(path, capsys, "empty file")
        assert out.count("error[") == 1 and "error[E003]: the file is empty" in out
        assert "`mot new ID -o FILE`" in out


def test_errors_at_one_place_come_in_the_same_order_every_run(tmp_path):
    """Three keys missing at 1:1: the same lines in the same order whatever the process's hash
    seed (they came from a set, and the order changed from run to run)."""
    import os
    import subprocess
    import sys

    path = tmp_path / "bare.toml"
    path.write_text("format = 1\n", encoding="utf-8")
    outs = {subprocess.run([sys.executable, "-m", "game", "check", str(path)], capture_output=True, text=True,
                           env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": str(seed)}).stdout
            for seed in range(6)}
    assert len(outs) == 1
    missing = [line.split("`")[1] for line in outs.pop().splitlines() if "missing the required key" in line]
    assert missing == ["level", "scene", "ending"]  # the order the file format lists them in


@pytest.mark.parametrize("depth", [10, 300, 10_000])
@pytest.mark.parametrize("shape", ["array", "inline-table", "mixed"])
@pytest.mark.parametrize("where", ["top", "title", "choice"])
def test_deep_nesting(tmp_path, capsys, depth, shape, where):
    if shape == "array":
        value = "[" * depth + "1" + "]" * depth
    elif shape == "inline-table":
        value = "{ a = " * depth + "1" + " }" * depth
    else:
        value = "[{ a = " * (depth // 2) + "1" + " }]" * (depth // 2)
    source = TUTORIAL.read_text(encoding="utf-8")
    if where == "top":
        text = source.replace("format = 1", f"format = 1\ndeep = {value}")
    elif where == "title":
        text = source.replace('title = { en = "A First Call", zh = "第一通电话" }', f"title = {value}")
    else:
        text = source.replace("perception = 2\n", f"perception = {value}\n")
    path = tmp_path / "deep.toml"
    path.write_text(text, encoding="utf-8")
    out = check_in_process(path, capsys, f"{shape} nested {depth} deep at {where}")
    assert "error[" in out


def test_largest_allowed_file(tmp_path, capsys):
    """Just under the 1 MB limit (13 times the largest shipped level) still checks cleanly."""
    source = TUTORIAL.read_text(encoding="utf-8")
    brief = "The laptops have not arrived. " * (900 * 1024 // 30)
    path = tmp_path / "big.toml"
    path.write_text(source.replace('brief = { en = "You are Alex Chen', f'brief = {{ en = "{brief}You are Alex Chen'),
                    encoding="utf-8")
    assert 900 * 1024 < path.stat().st_size <= MAX_FILE_BYTES
    out = check_in_process(path, capsys, "0.9 MB level")
    assert "1 level, 0 errors" in out
    # 0.9 MB in 900 discussion questions of 1 KB each, every one missing its Chinese
    question = "What did Grace expect? " * 45
    items = "".join(f'  {{ en = "{i} {question}" }},\n' for i in range(900))
    path.write_text(source.replace("discuss = [\n", "discuss = [\n" + items), encoding="utf-8")
    assert path.stat().st_size > 900 * 1024
    out = check_in_process(path, capsys, "0.9 MB of questions")
    assert out.count("warning[W104]") == 900 and "1 level, 0 errors, 900 warnings" in out


def test_too_big_to_read(tmp_path, capsys):
    path = tmp_path / "huge.toml"
    with path.open("wb") as f:
        f.truncate(MAX_FILE_BYTES + 1)  # sparse: costs no disk and no time
    out = check_in_process(path, capsys, "one byte over the limit")
    assert "error[E002]" in out and "larger than the limit of 1,048,576 bytes" in out


def test_a_handful_through_the_real_command(tmp_path):
    rng = random.Random(11)
    files = {
        "bytes.toml": bytes(rng.randrange(256) for _ in range(300)),
        "empty.toml": b"",
        "deep.toml": ("a = " + "[" * 10_000 + "]" * 10_000).encode(),
        "random.toml": random_document(rng).encode(),
        "wrong.toml": to_toml(mutate(tomllib.loads(TUTORIAL.read_text(encoding="utf-8")), rng, 0.5)).encode(),
        "damaged.toml": mutate_text(TUTORIAL.read_text(encoding="utf-8"), rng).encode(),
    }
    for name, data in files.items():
        folder = tmp_path / name.split(".")[0]
        folder.mkdir()
        (folder / name).write_bytes(data)
        proc = check_subprocess(folder / name)
        assert SUMMARY.search(proc.stdout), (name, proc.stdout, proc.stderr)
        check_subprocess(folder / name, "--format", "json")
    # and all of them at once, as folders of one campaign each
    proc = check_subprocess(tmp_path)
    assert proc.returncode == 1
