"""Hostile level files, generated here (never committed giants): each gives a diagnostic with a
code, exits 0 or 1, stays under 1 GB, never hangs, and loses nothing.

Every attack runs the real `mot check` in a child process whose address space is capped at 1 GB
(RLIMIT_AS): a scanner or parser that grows with the square of its input dies there instead of
passing. The deadline is only a hang detector, generous for a busy machine; how fast these are
is measured by benchmarks/hostile_speed.py.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from game.library import load_library
from game.loader import MAX_FILE_BYTES
from game.positions import MAX_KEY_PARTS

ROOT = Path(__file__).resolve().parent.parent
TUTORIAL = ROOT / "levels" / "tutorial" / "01-first-call.toml"
ONE_GB = 1024 ** 3
HANG = 120  # seconds: only a hang gets near this


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ONE_GB, ONE_GB))


def mot(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "game", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=HANG, preexec_fn=_cap_memory)


def assert_clean_exit(proc: subprocess.CompletedProcess, code: str) -> None:
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr, proc.stderr[-2000:]
    assert f"[{code}]" in proc.stdout, proc.stdout[-2000:]


def level_with(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / "levels" / "attack"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def tutorial_text() -> str:
    return TUTORIAL.read_text(encoding="utf-8")


@pytest.mark.parametrize("shape", ["key", "header", "inline"])
def test_a_key_of_a_hundred_thousand_parts(tmp_path, shape):
    dotted = ".".join(["a"] * 100_000)
    text = {"key": f"{dotted} = 1\n", "header": f"[{dotted}]\n",
            "inline": f"x = {{ {dotted} = 1 }}\n"}[shape] + tutorial_text()
    path = level_with(tmp_path, "01-long.toml", text)
    before = path.read_bytes()
    proc = mot("check", str(path))
    assert_clean_exit(proc, "E024")
    assert proc.returncode == 1
    assert f"100,000 dotted parts; the limit is {MAX_KEY_PARTS}" in proc.stdout
    assert path.read_bytes() == before  # nothing touched


def test_just_under_the_key_limit_is_only_unknown_keys(tmp_path):
    """64 parts are allowed through to the parser: the limit is not a false alarm."""
    dotted = ".".join(["a"] * MAX_KEY_PARTS)
    path = level_with(tmp_path, "01-ok.toml", tutorial_text() + f"\n[{dotted}]\n")
    proc = mot("check", str(path))
    assert "E024" not in proc.stdout and "[E004]" in proc.stdout


def test_dots_inside_strings_are_not_key_parts(tmp_path):
    text = tutorial_text().replace('title = { en = "A First Call"', 'title = { en = "' + "." * 500 + '"', 1)
    path = level_with(tmp_path, "01-dots.toml", text)
    proc = mot("check", str(path))
    assert proc.returncode == 0 and "E024" not in proc.stdout, proc.stdout


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_fifo_named_like_a_level(tmp_path):
    good = level_with(tmp_path, "01-first-call.toml", tutorial_text())
    fifo = good.parent / "02-pipe.toml"
    os.mkfifo(fifo)
    proc = mot("check", str(good.parent))
    assert_clean_exit(proc, "E002")
    assert "named pipe" in proc.stdout
    # The game's map loads the same folder: it lists the pipe as broken and plays the rest.
    library = load_library(tmp_path / "levels")
    assert [lv.id for lv in library.levels] == ["first-call"]
    assert [b.path.name for b in library.broken] == ["02-pipe.toml"]


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_a_link_to_dev_zero(tmp_path):
    folder = level_with(tmp_path, "01-first-call.toml", tutorial_text()).parent
    (folder / "02-zero.toml").symlink_to("/dev/zero")
    proc = mot("check", str(folder))
    assert_clean_exit(proc, "E002")
    library = load_library(tmp_path / "levels")
    assert [b.path.name for b in library.broken] == ["02-zero.toml"]


def test_a_link_that_leaves_the_levels_folder(tmp_path):
    outside = tmp_path / "secret.toml"
    outside.write_text(tutorial_text(), encoding="utf-8")
    folder = level_with(tmp_path, "01-first-call.toml", tutorial_text()).parent
    (folder / "02-elsewhere.toml").symlink_to(outside)
    library = load_library(tmp_path / "levels")
    broken = {b.path.name: b.first_error for b in library.broken}
    assert broken["02-elsewhere.toml"].code == "E002"
    assert "outside its folder" in broken["02-elsewhere.toml"].message
    assert [lv.id for lv in library.levels] == ["first-call"]


def test_links_that_lead_back_to_each_other(tmp_path):
    """Two links pointing at each other beside a good level: each is E002 in both languages,
    the good level is still checked and played (`check` on the level alone, too)."""
    good = level_with(tmp_path, "01-first-call.toml", tutorial_text())
    folder = good.parent
    (folder / "02-loop.toml").symlink_to(folder / "03-loop.toml")
    (folder / "03-loop.toml").symlink_to(folder / "02-loop.toml")
    proc = mot("check", str(folder))
    assert_clean_exit(proc, "E002")
    assert proc.stdout.count("the link leads back to itself") == 2
    assert "这个链接最终又指回了自己" in mot("check", str(folder), "--lang", "zh").stdout
    alone = mot("check", str(good))
    assert alone.returncode == 0 and "internal error" not in alone.stderr
    library = load_library(tmp_path / "levels")
    assert [lv.id for lv in library.levels] == ["first-call"]
    assert sorted(b.path.name for b in library.broken) == ["02-loop.toml", "03-loop.toml"]


def test_a_link_inside_the_folder_is_fine(tmp_path):
    folder = level_with(tmp_path, "01-first-call.toml", tutorial_text()).parent
    (tmp_path / "levels" / "attack" / "shared").mkdir()
    real = folder / "shared" / "copy.txt"
    real.write_text(tutorial_text().replace('id = "first-call"', 'id = "linked"'), encoding="utf-8")
    (folder / "02-linked.toml").symlink_to(real)
    library = load_library(tmp_path / "levels")
    assert sorted(lv.id for lv in library.levels) == ["first-call", "linked"]


def test_a_200000_character_value_is_quoted_short(tmp_path):
    """A `next` of 200,000 letters: the message quotes its start, its length and its end, in a
    line of a few hundred characters (it was the whole value, twice over with the Chinese)."""
    text = tutorial_text().replace('next = "needs"', 'next = "' + "x" * 200_000 + '"', 1)
    path = level_with(tmp_path, "01-long.toml", text)
    for lang, length in (("en", "(200,002 characters)"), ("zh", "（共 200,002 个字符）")):  # with its quotes
        proc = mot("check", str(path), "--lang", lang)
        assert_clean_exit(proc, "E008")
        (line,) = [row for row in proc.stdout.splitlines() if "[E008]" in row]
        assert length in line and len(line) < 500


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_file_is_named_as_such(tmp_path, encoding):
    """What Notepad saves as "Unicode": E002 says UTF-16 and asks for UTF-8, in both languages."""
    folder = tmp_path / "levels" / "attack"
    folder.mkdir(parents=True)
    path = folder / "01-notepad.toml"
    path.write_bytes(("\ufeff" if encoding != "utf-16" else "").encode(encoding) + tutorial_text().encode(encoding))
    proc = mot("check", str(path))
    assert_clean_exit(proc, "E002")
    assert "file is UTF-16 text" in proc.stdout and "save it as UTF-8" in proc.stdout
    assert "UTF-16 编码" in mot("check", str(path), "--lang", "zh").stdout


def test_fifteen_megabytes_of_one_string(tmp_path):
    path = level_with(tmp_path, "01-big.toml", 'x = "' + "a" * (15 * 1024 * 1024) + '"\n')
    proc = mot("check", str(path))
    assert_clean_exit(proc, "E002")
    assert f"larger than the limit of {MAX_FILE_BYTES:,} bytes" in proc.stdout


@pytest.mark.parametrize("kind", ["plain", "escapes"])
def test_the_largest_string_allowed_is_scanned_in_linear_memory(tmp_path, kind):
    """Under the size limit, a string the scanner must step over, then an error it must place."""
    body = "a" * (MAX_FILE_BYTES - 100) if kind == "plain" else "\\n" * ((MAX_FILE_BYTES - 100) // 2)
    path = level_with(tmp_path, "01-big.toml", f'x = "{body}"\nbroken = \n')
    proc = mot("check", str(path))
    assert_clean_exit(proc, "E001")
    assert ":2:" in proc.stdout  # placed on the line after the string


@pytest.mark.parametrize("mark", ["\u201c", "\uff0c", "\u3000"])
def test_a_megabyte_line_of_chinese_punctuation(tmp_path, mark):
    """The full-width scanner (game/toml_hints.py) runs when tomllib refuses a file: a line of
    340,000 `“` (1 MB of UTF-8) is one match, and the findings stop at MAX_HINTS."""
    path = level_with(tmp_path, "01-wide.toml", "x = 1\ny = " + mark * 340_000 + "\n")
    proc = mot("check", str(path))
    assert_clean_exit(proc, "E001")
    assert len(proc.stdout.splitlines()) <= 21 and "U+" in proc.stdout


def test_half_a_million_values_then_an_unknown_key(tmp_path):
    """The position scanner keeps a bounded number of positions: a file of tiny values cannot
    make it hold millions of them."""
    values = ",".join(["1"] * 450_000)
    text = tutorial_text().replace("[level]\n", f"[level]\nnoise = [{values}]\n", 1)
    path = level_with(tmp_path, "01-values.toml", text)
    proc = mot("check", str(path))
    assert_clean_exit(proc, "E004")


def flag_flood(sets: int, small: int) -> str:
    """A 20 KB level where one move sets `sets` flags and a `when` reads 200 of them, while
    `small` more flags toggled in any order make the state space explode."""
    big = [f"f{i}" for i in range(sets)]
    lines = ["format = 1", "[level]", 'id = "flood"', 'title = "Flood"', 'you = "me"', 'customer = "c"',
             'start = "a"', "[characters.me]", 'name = "Me"', "[characters.c]", 'name = "C"',
             "[scene.a]", 'text = "Hub"',
             "[[scene.a.choice]]", 'id = "big"', 'step = "explore"', 'text = "Set many"', "perception = 1",
             "sets = [" + ", ".join(f'"{f}"' for f in big) + "]", 'next = "a"']
    for i in range(small):
        lines += ["[[scene.a.choice]]", f'id = "s{i}"', 'step = "offer"', f'text = "Small {i}"',
                  f"perception = {(-1) ** i}", f'sets = ["x{i}"]', f'when = "not x{i}"', 'next = "a"']
    reads = " or ".join(big[:200] + [f"x{i}" for i in range(small)])
    lines += ["[[scene.a.choice]]", 'id = "done"', 'step = "confirm"', 'text = "Done"', f'when = "{reads}"',
              'next = "end:ok"', "[[scene.a.choice]]", 'id = "act"', 'step = "act"', 'text = "Act"',
              'next = "end:ok"', "[ending.ok]", 'title = "OK"']
    return "\n".join(lines) + "\n"


def test_a_move_that_sets_a_thousand_flags(tmp_path):
    path = level_with(tmp_path, "01-flood.toml", flag_flood(1000, 16))
    assert len(path.read_bytes()) < 25_000
    proc = mot("check", "--analyse", str(path))
    assert_clean_exit(proc, "W109")
    assert proc.returncode == 0
    out = proc.stdout
    # Stopped early: it says so, and claims nothing it did not prove.
    assert "(stopped early)" in out and "paths: not counted" in out
    assert "unbounded" not in out and "choices on no path" not in out and "UNREACHABLE" not in out
    for code in ("W101", "W102", "W103", "W105", "W110", "W111", "W112", "W113"):
        assert f"[{code}]" not in out, code


def test_stopped_early_json_says_null_not_a_guess(tmp_path):
    import json

    path = level_with(tmp_path, "01-flood.toml", flag_flood(50, 16))
    proc = mot("check", "--analyse", "--format", "json", str(path))
    assert proc.returncode == 0, proc.stderr
    (report,) = json.loads(proc.stdout)["levels"]
    assert report["complete"] is False
    assert report["paths"] is None and report["unused_choices"] is None
    assert report["unreachable_scenes"] is None and report["endings"] == {"ok": True}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_portrait_that_is_a_fifo_is_no_portrait(tmp_path, monkeypatch):
    """The scene reads portraits as the loader reads levels: a FIFO never hangs it."""
    from game.tui.widgets import portrait

    (tmp_path / "portraits").mkdir()
    os.mkfifo(tmp_path / "portraits" / "pipe.txt")
    (tmp_path / "portraits" / "ok.txt").write_text("(o_o)\n", encoding="utf-8")
    monkeypatch.setattr(portrait, "default_assets_dir", lambda: tmp_path)
    portrait.read_portrait.cache_clear()
    try:
        assert portrait.read_portrait("pipe") == ""
        assert portrait.read_portrait("ok") == "(o_o)"
    finally:
        portrait.read_portrait.cache_clear()
