"""`mot strings`: export → import leaves a file byte-identical, and an edit lands where it belongs.

Levels are copied with their folder into tmp_path (sibling ids matter for `score.<level>`), so the
shipped files are never written.
"""

from __future__ import annotations

import csv
import io
import difflib
import shutil
from pathlib import Path

import pytest

from game.cli import main
from game.commands.check import check
from game.library import load_folder_for

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted((ROOT / "levels").rglob("*.toml"))


def copy(path: Path, tmp_path: Path) -> Path:
    folder = tmp_path / path.parent.name
    shutil.copytree(path.parent, folder, dirs_exist_ok=True)
    return folder / path.name


def export(path: Path, lang: str, out: Path) -> list[dict]:
    assert main(["strings", "export", str(path), "--lang", lang, "--format", "csv", "-o", str(out)]) == 0
    with open(out, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def write_rows(rows: list[dict], out: Path) -> Path:
    with open(out, "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return out


def import_(path: Path, lang: str, table: Path) -> None:
    assert main(["strings", "import", str(path), "--lang", lang, "--format", "csv", str(table)]) == 0


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_round_trip_is_byte_identical(path, lang, tmp_path):
    level = copy(path, tmp_path)
    original = level.read_bytes()
    rows = export(level, lang, tmp_path / "table.csv")
    assert rows, "every file has texts"
    import_(level, lang, tmp_path / "table.csv")
    assert level.read_bytes() == original

    # Rewrite every bilingual text, then put the old translations back: the file comes back too.
    edited = [dict(r, translation=r["translation"] + " ✎\n\"q\" \\") for r in rows if r["translation"]]
    if edited:
        import_(level, lang, write_rows(edited, tmp_path / "edited.csv"))
        assert level.read_bytes() != original
        import_(level, lang, tmp_path / "table.csv")
        assert level.read_bytes() == original


def test_table_columns_order_and_bom(tmp_path):
    level = copy(ROOT / "levels/tutorial/01-first-call.toml", tmp_path)
    out = tmp_path / "zh.csv"
    rows = export(level, "zh", out)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    assert list(rows[0]) == ["id", "scene", "speaker", "source", "translation", "file", "line"]
    assert len({r["id"] for r in rows}) == len(rows)
    lines = [int(r["line"]) for r in rows]
    assert lines == sorted(lines)
    row = next(r for r in rows if r["id"] == "scene.call.choice.ask-impact.text")
    assert (row["scene"], row["speaker"]) == ("call", "Alex Chen")
    assert row["source"].startswith("I'm sorry.") and row["translation"].startswith("真抱歉")
    assert next(r for r in rows if r["id"] == "scene.call.text")["speaker"] == "Grace Wang"
    en = export(level, "en", tmp_path / "en.csv")
    assert next(r for r in en if r["id"] == row["id"])["source"] == row["translation"]


def test_edit_lands_in_place(tmp_path):
    level = copy(ROOT / "levels/tutorial/01-first-call.toml", tmp_path)
    before = level.read_text("utf-8")
    rows = export(level, "zh", tmp_path / "zh.csv")
    target = next(r for r in rows if r["id"] == "scene.needs.choice.promise-thursday.feedback")
    target["translation"] = "新的反馈：\"别\"许诺。"
    import_(level, "zh", write_rows([target], tmp_path / "one.csv"))
    after = level.read_text("utf-8")
    changed = [ln for ln in difflib.ndiff(before.splitlines(), after.splitlines()) if ln[:2] in ("- ", "+ ")]
    assert len(changed) == 2
    assert before.splitlines()[int(target["line"]) - 1] == changed[0][2:]
    loaded = load_folder_for(level)[1][0].level
    choice = loaded.scenes["needs"].choice("promise-thursday")
    assert choice.feedback.get("zh") == "新的反馈：\"别\"许诺。"
    assert choice.feedback.get("en").startswith("It sounds helpful")
    assert check([level.parent])[1] == []


def test_plain_string_becomes_a_table_only_when_needed(tmp_path):
    level = tmp_path / "names.toml"
    level.write_text('#:schema x\n[characters.alex]\nname = "Alex Chen"   # keep this comment\n'
                     'role = "Desk"\n', encoding="utf-8")
    rows = export(level, "zh", tmp_path / "zh.csv")
    assert [(r["id"], r["source"], r["translation"]) for r in rows] == [
        ("characters.alex.name", "Alex Chen", ""), ("characters.alex.role", "Desk", "")]
    rows[0]["translation"] = "Alex Chen"  # a name that stays the same: no table needed
    rows[1]["translation"] = "客服台"
    import_(level, "zh", write_rows(rows, tmp_path / "done.csv"))
    assert level.read_text("utf-8") == ('#:schema x\n[characters.alex]\nname = "Alex Chen"   # keep this comment\n'
                                        'role = { en = "Desk", zh = "客服台" }\n')


def test_unknown_ids_are_reported(tmp_path, capsys):
    level = copy(ROOT / "levels/tutorial/02-follow-up.toml", tmp_path)
    original = level.read_bytes()
    table = write_rows([{"id": "scene.gone.text", "translation": "x"}], tmp_path / "old.csv")
    # exit 1: a row was not imported (the others would be; here there are none, so nothing changes)
    assert main(["strings", "import", str(level), "--lang", "zh", "--format", "csv", str(table)]) == 1
    err = capsys.readouterr().err
    assert "scene.gone.text" in err and "were not imported" in err
    assert level.read_bytes() == original


def test_export_by_level_id_to_stdout(capsys):
    assert main(["strings", "export", "first-call", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("\ufeffid,scene,speaker,source,translation,file,line")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "utf-16", "gbk", "gb18030"])
def test_a_table_saved_by_excel_in_any_encoding_round_trips(tmp_path, encoding):
    """Excel on Chinese Windows saves "CSV" in GBK, "Unicode text" in UTF-16, "CSV UTF-8" with a
    BOM: every one of them imports to the same file."""
    level = copy(ROOT / "levels/tutorial/01-first-call.toml", tmp_path)
    rows = export(level, "zh", tmp_path / "zh.csv")
    target = next(r for r in rows if r["id"] == "scene.needs.choice.promise-thursday.feedback")
    target["translation"] = "新的反馈：别许诺做不到的事。"
    table = tmp_path / f"{encoding}.csv"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(target))
    writer.writeheader()
    writer.writerow(target)
    table.write_bytes(buffer.getvalue().encode(encoding))
    import_(level, "zh", table)
    loaded = load_folder_for(level)[1][0].level
    assert loaded.scenes["needs"].choice("promise-thursday").feedback.get("zh") == "新的反馈：别许诺做不到的事。"


@pytest.mark.parametrize("content", [b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)) * 4,  # an .xlsx
                                     b"\x00\x01\x02binary\xff\xfe"[2:] + b"\x00" * 50])
def test_a_binary_file_is_a_clear_error(tmp_path, capsys, content, monkeypatch):
    monkeypatch.setenv("MOT_LANG", "en")
    level = copy(ROOT / "levels/tutorial/02-follow-up.toml", tmp_path)
    original = level.read_bytes()
    table = tmp_path / "book.csv"
    table.write_bytes(content)
    code = main(["strings", "import", str(level), "--lang", "zh", "--format", "csv", str(table)])
    err = capsys.readouterr().err
    assert code == 1 and "is not a CSV table" in err and "CSV UTF-8" in err
    assert "internal error" not in err and level.read_bytes() == original


def test_the_message_in_chinese(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("MOT_LANG", "zh")
    level = copy(ROOT / "levels/tutorial/02-follow-up.toml", tmp_path)
    table = tmp_path / "book.csv"
    table.write_bytes(b"\x00" * 10)
    assert main(["strings", "import", str(level), "--lang", "zh", "--format", "csv", str(table)]) == 1
    assert "另存为" in capsys.readouterr().err
