"""The broken-level corpus: every file in tests/broken/ says on its first line what `mot check`
must report about it, and where.

    # expect: E008 74:8
    # expect: E010 48:8, E005 51:16      (several diagnostics, any order)
    # expect: none                       (a file that must stay clean)

`CODE line:col` is 1-based and points at the offending key or value. The list is the *whole*
truth for that file: a diagnostic the header does not name fails the test as much as a missing
one. Files directly in tests/broken/ are checked one by one; each sub-folder is a campaign and is
checked as a folder (E022 needs the campaign.toml beside its levels).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from game.cli import main
from game.commands.check import check
from game.diagnostics import CODES, display_path

ROOT = Path(__file__).resolve().parent.parent
BROKEN = Path(__file__).resolve().parent / "broken"
HEADER = re.compile(rb"# expect: ([^\r\n]*)")
ITEM = re.compile(r"([EW]\d{3}) (\d+):(\d+)\Z")
LINE = re.compile(r"(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning)\[(?P<code>[EW]\d{3})\]: (?P<msg>.+)")

SINGLE = sorted(BROKEN.glob("*.toml"))
FOLDERS = sorted(p for p in BROKEN.iterdir() if p.is_dir())


def expectations(path: Path) -> list[tuple[str, int, int]]:
    """The `# expect:` header of a file (read as bytes: some files are not UTF-8 on purpose)."""
    match = HEADER.match(path.read_bytes())
    assert match, f"{path.name}: the first line must be `# expect: CODE line:col, …` or `# expect: none`"
    body = match.group(1).decode("ascii").strip()
    if body == "none":
        return []
    out = []
    for item in body.split(","):
        m = ITEM.match(item.strip())
        assert m, f"{path.name}: cannot read expectation {item!r}"
        out.append((m.group(1), int(m.group(2)), int(m.group(3))))
    return sorted(out)


def found(diagnostics, path: Path) -> list[tuple[str, int, int]]:
    shown = display_path(path)
    return sorted((d.code, d.line, d.col) for d in diagnostics if d.path == shown)


def all_expected() -> list[tuple[Path, tuple[str, int, int]]]:
    files = SINGLE + [f for folder in FOLDERS for f in sorted(folder.glob("*.toml"))]
    return [(f, e) for f in files for e in expectations(f)]


# -- the corpus itself -------------------------------------------------------------------------
def test_corpus_is_big_enough():
    files = SINGLE + [f for folder in FOLDERS for f in folder.glob("*.toml")]
    assert len(files) >= 30


def test_every_error_code_and_the_warnings_are_covered():
    codes = {e[0] for _, e in all_expected()}
    errors = {c for c in CODES if c.startswith("E")}
    assert errors <= codes, f"no broken file for {sorted(errors - codes)}"
    warnings = {f"W10{i}" for i in range(1, 9)}
    assert warnings <= codes, f"no file for {sorted(warnings - codes)}"
    assert codes <= set(CODES)


@pytest.mark.parametrize("path", SINGLE, ids=lambda p: p.name)
def test_broken_file(path: Path):
    levels, diagnostics, _ = check([path])
    assert levels == 1
    assert found(diagnostics, path) == expectations(path), "\n".join(map(str, diagnostics))
    # Nothing is reported against any other file.
    assert {d.path for d in diagnostics} <= {display_path(path)}


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_broken_campaign_folder(folder: Path):
    _, diagnostics, _ = check([folder])
    files = sorted(folder.glob("*.toml"))
    for file in files:
        assert found(diagnostics, file) == expectations(file), (file.name, [str(d) for d in diagnostics])
    assert {d.path for d in diagnostics} <= {display_path(f) for f in files}


@pytest.mark.parametrize("path,expected", all_expected(), ids=lambda v: getattr(v, "name", None) or f"{v[0]}@{v[1]}:{v[2]}")
def test_position_points_at_a_key_or_value(path: Path, expected):
    """line:col exists in the file and stands on a token (a key, a value, a header name),
    never on blank space, `=` or a header's bracket; E001/E002 may also point at the end of a line."""
    code, line, col = expected
    lines = path.read_bytes().decode("utf-8", "replace").replace("\r\n", "\n").split("\n")
    assert 1 <= line <= len(lines), f"{path.name}: line {line} is beyond the file"
    text = lines[line - 1]
    if code in ("E001", "E002") or (line, col) == (1, 1):
        assert 1 <= col <= len(text) + 1
        return
    assert 1 <= col <= len(text), f"{path.name}:{line}:{col} is past the end of {text!r}"
    char = text[col - 1]
    if code == "E013" and text.rfind('"', 0, col - 1) > text.find("="):  # inside the `when` string:
        assert not char.isspace(), (path.name, text, col)  # on the offending character, even `=`
        return
    assert char not in " \t=]},", f"{path.name}:{line}:{col} points at {char!r} in {text!r}"
    # `[` or `{` only as the start of an array or inline-table value (after `=`, or as an array
    # element after `[` or `,`), never a header's bracket
    before = text[:col - 1].rstrip()
    assert char not in "[{" or before.endswith(("=", ",")) or (char == "{" and before.endswith("[")), \
        (path.name, text, col)


def test_value_positions_point_at_the_value_not_the_table():
    """A spot check by content: the offending value is exactly what the caret is on."""
    cases = {
        "e008-next-unknown-scene.toml": '"delivr"',
        "e016-delta-too-big.toml": "4",
        "e017-unknown-step.toml": '"listen"',
        "e018-portrait-parent.toml": '"../../etc/passwd"',
        "e019-format-2.toml": "2",
        "e020-start-unknown.toml": '"voicemail"',
        "e004-delta-instead-of-perception.toml": "delta",
        "e004-dotted-key.toml": "feedbak",
        "e006-bad-scene-id.toml": "Side_Room",
        "e001-duplicate-key.toml": "perception = 3",
        "e013-when-ampersands.toml": "&&",
        "e013-when-unclosed.toml": '"',  # the end of the expression: where `)` is missing
    }
    for name, start in cases.items():
        path = BROKEN / name
        (code, line, col), *_ = expectations(path)
        text = path.read_text().split("\n")[line - 1]
        assert text[col - 1:].startswith(start), (name, text, col)


def test_second_choice_of_a_scene_is_located():
    """Regression: positions inside the 2nd, 3rd … [[scene.x.choice]] used to fall back to the
    scene's header (the array index was resolved twice)."""
    path = BROKEN / "e007-duplicate-choice-id.toml"
    lines = path.read_text().split("\n")
    (_, line, col), = expectations(path)
    assert lines[line - 1] == 'id = "ask"' and col == 6
    assert lines[:line - 1].count('id = "ask"') == 1  # the first one is above it


# -- the same through the command line -------------------------------------------------------
def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "game", "check", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("name", ["e008-next-unknown-scene.toml", "e002-binary.toml",
                                  "e013-when-ampersands.toml", "w104-missing-translation.toml"])
def test_cli_output_format(name: str):
    path = BROKEN / name
    proc = run_cli(str(path.relative_to(ROOT)))
    assert "Traceback" not in proc.stderr + proc.stdout
    lines = proc.stdout.strip().split("\n")
    got = []
    for text in lines[:-1]:
        m = LINE.fullmatch(text)
        assert m, text
        assert m["path"] == str(path.relative_to(ROOT))
        assert m["sev"] == ("error" if m["code"].startswith("E") else "warning")
        got.append((m["code"], int(m["line"]), int(m["col"])))
    assert sorted(got) == expectations(path)
    errors = sum(c.startswith("E") for c, _, _ in got)
    warns = len(got) - errors
    assert lines[-1] == (f"1 level, {errors} error{'s' * (errors != 1)}, "
                         f"{warns} warning{'s' * (warns != 1)}")
    assert proc.returncode == (1 if errors else 0)


def test_cli_json_format():
    path = BROKEN / "e003-no-format-no-endings.toml"
    proc = run_cli("--format", "json", str(path.relative_to(ROOT)))
    assert proc.returncode == 1
    data = json.loads(proc.stdout)
    assert sorted((d["code"], d["line"], d["col"]) for d in data) == expectations(path)
    assert all(set(d) == {"path", "line", "col", "severity", "code", "message", "zh"} for d in data)
    assert {d["severity"] for d in data} == {"error"}


def test_cli_whole_corpus_at_once():
    """`mot check tests/broken` reports exactly the union of every file's expectations."""
    proc = run_cli("tests/broken")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    lines = proc.stdout.strip().split("\n")
    got = Counter()
    shared = 0  # the corpus files are independent levels that share the id "corpus": checked
    for text in lines[:-1]:  # together, every one after the first is also a duplicate (E007)
        m = LINE.fullmatch(text)
        assert m, text
        if m["code"] == "E007" and "is also the id of" in m["msg"]:
            shared += 1
            continue
        got[(m["path"], m["code"], int(m["line"]), int(m["col"]))] += 1
    want = Counter((str(f.relative_to(ROOT)), *e) for f, e in all_expected())
    assert got == want and shared > 0
    expected_errors = sum(n for k, n in want.items() if k[1].startswith("E"))
    errors = shared + expected_errors
    warns = sum(want.values()) - expected_errors
    levels = sum(1 for f in BROKEN.rglob("*.toml") if f.name != "campaign.toml")
    assert lines[-1] == f"{levels} levels, {errors} errors, {warns} warnings"


def test_in_process_main_exit_codes(capsys):
    assert main(["check", str(BROKEN / "e019-format-2.toml")]) == 1
    assert main(["check", str(BROKEN / "w106-no-confirm.toml")]) == 0  # warnings only
    assert main(["check", str(BROKEN / "e022-campaign" / "01-listed.toml")]) == 0
    out = capsys.readouterr().out
    assert "error[E019]" in out and "warning[W106]" in out


def test_the_format_reference_lists_every_code_with_its_meaning():
    """docs/level-format.md §8 is the code table authors read: one row per code, with the
    meaning exactly as `diagnostics.CODES` has it, and a fix."""
    doc = (ROOT / "docs" / "level-format.md").read_text(encoding="utf-8")
    for code, meaning in CODES.items():
        rows = [line for line in doc.splitlines() if line.startswith(f"| {code} |")]
        assert len(rows) == 1, code
        cells = [c.strip() for c in rows[0].strip("|").split(" | ")]
        assert cells[1] == meaning, code
        assert len(cells) == 3 and len(cells[2]) > 10, code


def test_e022_names_a_listed_level_that_did_not_load_not_a_missing_one():
    """A campaign folder whose level file exists but is broken: the level's own errors, and no
    false "no file has that id" (issue 16: the trainer's full-width `＝` gave both)."""
    folder = BROKEN / "e022-unloaded-levels"
    _, diagnostics, _ = check([folder])
    e022 = [d for d in diagnostics if d.code == "E022"]
    assert len(e022) == 1
    shown = display_path(folder)
    assert e022[0].text("en") == (f"campaign lists level 'renamed', but no level that loaded in {shown} "
                                  "has that id; notes.toml did not load because of its own errors")
    assert e022[0].text("zh") == (f"课程列出了关卡 'renamed'，但 {shown} 中加载成功的关卡都不用这个 id；"
                                  "notes.toml 因自身的错误没有加载")
    assert not any("no file in" in d.text("en") for d in diagnostics)
