"""Issue 16, point 1 and the loader's part of point 2: the TOML mistakes a trainer on a Chinese
keyboard makes are named (which character, where, what to type instead) in English and Chinese;
an unclosed string points at its opening quote; a table written twice is shown as written; a
single-bracket choice among double-bracket ones is E005 at its own header; a plain string in a
bilingual level is W119. Each fixture's position is also its corpus header (test_checker_corpus)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from game import toml_hints
from game.cli import main
from game.commands.check import check
from game.loader import read_toml

BROKEN = Path(__file__).resolve().parent / "broken"
CJK = re.compile("[\u4e00-\u9fff]")

# file, code, line, col, key parts of the English message, key parts of the Chinese one
CASES = [
    ("e001-fullwidth-quotes.toml", "E001", 23, 6,
     ["Chinese opening quotation mark `“` (U+201C) outside a string", "use `\"`"],
     ["字符串外有中文左引号 `“`（U+201C）", "请改用半角的 `\"`"]),
    ("e001-fullwidth-quotes.toml", "E001", 23, 10,
     ["closing quotation mark `”` (U+201D)", "use `\"`"], ["中文右引号 `”`（U+201D）", "`\"`"]),
    ("e001-fullwidth-single-quotes.toml", "E001", 37, 6,
     ["`‘` (U+2018) outside a string", "use `\"`"], ["中文左单引号 `‘`（U+2018）", "`\"`"]),
    ("e001-fullwidth-equals.toml", "E001", 24, 6,
     ["full-width equals sign `＝` (U+FF1D)", "use `=`"], ["全角等号 `＝`（U+FF1D）", "请改用半角的 `=`"]),
    ("e001-fullwidth-comma.toml", "E001", 54, 22,
     ["full-width comma `，` (U+FF0C)", "use `,`"], ["全角逗号 `，`（U+FF0C）", "请改用半角的 `,`"]),
    ("e001-ideographic-comma.toml", "E001", 43, 25,
     ["ideographic comma `、` (U+3001)", "use `,`"], ["顿号 `、`（U+3001）", "请改用半角的 `,`"]),
    ("e001-fullwidth-colon.toml", "E001", 26, 11,
     ["full-width colon `：` (U+FF1A)", "joined by `=`"], ["全角冒号 `：`（U+FF1A）", "半角的 `=`"]),
    ("e001-fullwidth-brackets.toml", "E001", 42, 1,
     ["full-width bracket `［` (U+FF3B)", "use `[`"], ["全角方括号 `［`（U+FF3B）", "`[`"]),
    ("e001-fullwidth-brackets.toml", "E001", 42, 15,
     ["full-width bracket `］` (U+FF3D)", "use `]`"], ["全角方括号 `］`（U+FF3D）", "`]`"]),
    ("e001-lenticular-brackets.toml", "E001", 42, 1,
     ["lenticular bracket `【` (U+3010)", "use `[`"], ["方头括号 `【`（U+3010）", "`[`"]),
    ("e001-fullwidth-braces.toml", "E001", 54, 9,
     ["full-width brace `｛` (U+FF5B)", "use `{`"], ["全角花括号 `｛`（U+FF5B）", "`{`"]),
    ("e001-fullwidth-array.toml", "E001", 27, 11,
     ["full-width bracket `［` (U+FF3B)", "use `[`"], ["全角方括号 `［`（U+FF3B）", "`[`"]),
    ("e001-ideographic-space.toml", "E001", 19, 1,
     ["2 ideographic spaces (U+3000", "use an ordinary space"], ["2 个全角空格（U+3000）", "半角空格"]),
    ("e001-missing-quote-inline.toml", "E001", 43, 15,
     ["a `\"` seems to be missing", "closes at column 31", "column 36 is never closed"],
     ["好像少了一个 `\"`", "第 31 列就结束了", "第 36 列"]),
    ("e001-unterminated-string.toml", "E001", 49, 8,
     ["this string is never closed", "add the missing `\"`"], ["这个字符串没有结束", "补上缺少的 `\"`"]),
    ("e001-scene-header-twice.toml", "E001", 53, 8,
     ["`[scene.monday]` is written twice (first at line 18)"],
     ["`[scene.monday]` 写了两次（第一次在第 18 行）"]),
    ("e001-duplicate-scene.toml", "E001", 82, 8,
     ["`[scene.plan]` is written twice (first at line 37)"], ["`[scene.plan]` 写了两次"]),
    ("e001-duplicate-key.toml", "E001", 45, 1,
     ["`perception` is given a value twice in the same table (first at line 44)"],
     ["`perception` 在同一个表中被赋值了两次（第一次在第 44 行）"]),
    ("e005-single-bracket-choice.toml", "E005", 30, 2,
     ["`[scene.monday.choice]` has single brackets", "`[[scene.monday.choice]]` (line 22)",
      "write every one as `[[scene.monday.choice]]`"],
     ["`[scene.monday.choice]` 只用了单层方括号", "第 22 行的 `[[scene.monday.choice]]`"]),
    ("e005-single-bracket-first-choice.toml", "E005", 22, 2,
     ["`[scene.monday.choice]` has single brackets", "(line 30)"],
     ["只用了单层方括号", "第 30 行"]),
    ("e008-fullwidth-colon-in-next.toml", "E008", 51, 8,
     ["'end：good' names no scene", "`：` is a full-width colon, U+FF1A: use `:`"],
     ["指向的场景不存在", "`：` 是全角冒号，U+FF1A：请改用半角的 `:`"]),
    ("e013-when-fullwidth.toml", "E013", 51, 20,
     ["unexpected character '＞'", "`＞` is a full-width greater-than sign, U+FF1E: use `>`"],
     ["`when` 无法解析", "`＞` 是全角大于号，U+FF1E：请改用半角的 `>`"]),
    ("e001-fullwidth-minus.toml", "E001", 33, 14,
     ["full-width hyphen-minus `－` (U+FF0D)", "use `-`"], ["全角减号 `－`（U+FF0D）", "`-`"]),
    ("w119-plain-string.toml", "W119", 48, 8,
     ["`scene.tuesday.choice[0].text` is a plain string", "Chinese players will read it untranslated",
      '{ en = "…", zh = "…" }'],
     ["`scene.tuesday.choice[0].text` 是普通字符串", "中文玩家会看到没有翻译的英文"]),
]


@pytest.mark.parametrize("name, code, line, col, en, zh", CASES, ids=lambda v: v if isinstance(v, str) else None)
def test_the_mistake_is_named_in_both_languages(name, code, line, col, en, zh):
    _, diagnostics, _ = check([BROKEN / name])
    [d] = [d for d in diagnostics if (d.code, d.line, d.col) == (code, line, col)]
    for part in en:
        assert part in d.text("en"), (part, d.text("en"))
    for part in zh:
        assert part in d.text("zh"), (part, d.text("zh"))


@pytest.mark.parametrize("name", ["e001-fullwidth-comma.toml", "e005-single-bracket-choice.toml",
                                  "w119-plain-string.toml"])
def test_mot_check_prints_them_in_the_language_asked(name, capsys):
    case = next(c for c in CASES if c[0] == name)
    _, code, line, col, en, zh = case
    main(["check", "--lang", "zh", str(BROKEN / name)])
    row = next(r for r in capsys.readouterr().out.splitlines() if f"[{code}]" in r)
    assert row.startswith(f"tests/broken/{name}:{line}:{col}: ") and all(p in row for p in zh)
    main(["check", "--lang", "en", str(BROKEN / name)])
    row = next(r for r in capsys.readouterr().out.splitlines() if f"[{code}]" in r)
    assert all(p in row for p in en)


def test_chinese_punctuation_inside_strings_and_comments_is_fine():
    _, diagnostics, _ = check([BROKEN / "none-chinese-punctuation-in-strings.toml"])
    assert diagnostics == []


def test_every_loader_diagnostic_of_the_corpus_has_chinese():
    """Whatever the broken corpus makes the loader (and the library) say exists in Chinese."""
    _, diagnostics, _ = check([BROKEN])
    missing = [str(d) for d in diagnostics if not CJK.search(d.zh)]
    assert missing == []


# -- the scanner on its own --------------------------------------------------------------------
def explain(source: str) -> list[tuple[int, int, str]]:
    import tomllib

    try:
        tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line, col = (int(m.group(1)), int(m.group(2))) if m else (1, 1)
        message = re.sub(r"\s*\(at .*\)$", "", str(exc))
        return [(h.line, h.col, h.en) for h in toml_hints.explain(source, message, line, col)]
    return []


def test_strings_of_every_kind_keep_their_chinese_punctuation():
    source = ('a = "“，”"\nb = \'【】\'\nc = """\n＝：\n"""\nd = \'\'\'\n［］\n\'\'\'\n'
              '# ，＝\ne = "x\\"，"\nf = ，\n')
    [(line, col, en)] = explain(source)
    assert (line, col) == (11, 5) and "full-width comma" in en


def test_a_string_running_to_the_end_of_its_line_names_a_chinese_closing_quote():
    [(line, col, en)] = explain('id = "ask”\nx = 1\n')
    assert (line, col) == (1, 6)
    assert "never closed" in en and "`”` at column 10 is a Chinese closing quotation mark" in en


def test_a_multiline_string_never_closed_hides_everything_after_it():
    hints = explain('a = """never closed\n，＝\n')
    assert all("full-width" not in en for _, _, en in hints)


def test_headers_written_twice_inside_arrays_of_tables_are_fine():
    source = '[[a]]\n[a.b]\nx = 1\n[[a]]\n[a.b]\nx = 2\n[a.b]\n'
    [(line, col, en)] = explain(source)
    assert (line, col) == (7, 4) and "`[a.b]` is written twice (first at line 5)" in en


def test_every_choice_with_single_brackets_is_told_to_use_double_ones():
    """`[scene.call.choice]` for each choice: not "give one another id", but the double brackets."""
    source = ('[scene.call]\ntext = "Hi"\n[scene.call.choice]\nid = "a"\n'
              '[scene.call.choice]\nid = "b"\n')
    [(line, col, en)] = explain(source)
    assert (line, col) == (5, 13)  # at `choice`, the part written twice
    assert "written with double brackets, `[[scene.call.choice]]`" in en and "another id" not in en
    zh = toml_hints.header_conflict(source, 5).zh
    assert "双层方括号" in zh and "`[[scene.call.choice]]`" in zh


def test_a_list_never_closed_is_told_where_it_opened():
    """A multi-line `next = [` whose `]` is missing: tomllib reads the next header as an item
    ("invalid value" four lines on); a `reveals = [` missing its `]` before the next key
    ("unclosed array" on the next line). Both are told at the `[` that opened the list."""
    source = ('[scene.a]\ntext = "Hi"\n[[scene.a.choice]]\nid = "x"\nnext = [\n'
              '  { to = "end:e" },\n\n[[scene.a.choice]]\nid = "y"\n')
    [(line, col, en)] = explain(source)
    assert (line, col) == (5, 8)
    assert en == "the list `next = [` opened here is never closed: end it with `]` after its last item (before line 8)"
    source = '[scene.a]\ntext = "Hi"\nreveals = ["fair", "boss"\nsets = ["x"]\n'
    [(line, col, en)] = explain(source)
    assert (line, col) == (3, 11) and "`reveals = [` opened here is never closed" in en
    assert toml_hints.unclosed_list(source, 4).zh.startswith("这里开始的列表 `reveals = [` 没有结束")
    # a list closed on its own line, and brackets inside strings and comments, are no list left open
    assert toml_hints.unclosed_list('a = [\n  "x]",  # ]\n]\nb = "[" \n[t]\n', 5) is None


def test_tomllib_messages_are_translated():
    en, zh = toml_hints.translate("Invalid value")
    assert "a text needs quotes" in en and "文本要加引号" in zh
    en, zh = toml_hints.translate("Expected '=' after a key in a key/value pair")
    assert en == "expected `=` after the key" and zh == "键的后面应为 `=`"
    en, zh = toml_hints.translate("something tomllib says one day")
    assert en == "something tomllib says one day" and zh.startswith("TOML 语法错误")


def test_a_megabyte_of_chinese_quotes_is_one_cheap_pass(tmp_path):
    """A hostile line of 1 MB of `“` (and of `，`, `"`, U+3000): a bounded number of findings (in
    linear time: benchmarks/hostile_speed.py times it; tests/test_hostile_files.py caps memory)."""
    for text in ("x = " + "“" * 340_000 + "\n", "x = 1\n" + "，" * 340_000 + "\n",
                 "x = " + '"' * 1_000_000 + "\n", "x = " + "\u3000" * 340_000 + "\n"):
        path = tmp_path / "hostile.toml"
        path.write_text(text, encoding="utf-8")
        data, _, diagnostics = read_toml(path)
        assert data is None and 1 <= len(diagnostics) <= toml_hints.MAX_HINTS
        assert all(d.code == "E001" and d.zh for d in diagnostics)


def test_key_paths_are_never_shown_as_python_tuples():
    en, zh = toml_hints.translate("Cannot mutate immutable namespace ('scene', 'x')")
    assert "`scene.x`" in en and "`scene.x`" in zh and "(" not in en
    en, _ = toml_hints.translate("Cannot declare ('scene', 'a b') twice")
    assert en == 'the table `scene."a b"` is declared twice'
