"""Why a TOML file does not parse, said so that a trainer on a Chinese keyboard understands.

`tomllib` says "Invalid value" where a trainer typed `“ask”`, "Unclosed inline table" where a
`，` stood for a `,`, and points a string whose closing `"` is missing many columns after the
place to fix. This module runs only after tomllib has refused a file (the shipped levels, full
of `，` and `“”` inside their strings, never pay for it) and explains the refusal:

- every full-width or Chinese punctuation mark *outside a string* (`“ ” ＝ ， 、 ： ［ ］ 【 】 ｛ ｝`,
  the ideographic space U+3000 …), by name, code point and the ASCII character to type instead.
  Inside a string they are ordinary text and stay allowed;
- a string that is never closed, at its *opening* quote;
- a table written twice, as the author wrote it (`[scene.monday]`, not a Python tuple), and a
  choice written `[scene.x.choice]` among `[[scene.x.choice]]`s, at its own header (E005);
- tomllib's other messages, in Chinese too.

Every scan is one pass of a regular expression whose matches always consume (possessive
repeats, no backtracking), and stops after `MAX_HINTS` findings: a 1 MB line of `“` costs one
match. Pure: no I/O, never raises on any text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from .positions import _key_text, _Tokens

MAX_HINTS = 20  # full-width characters reported per file: enough to fix a paste in one go

# char -> (English name, Chinese name, the ASCII to type instead)
_NAMED: dict[str, tuple[str, str, str]] = {
    "\u201c": ("Chinese opening quotation mark", "中文左引号", '"'),
    "\u201d": ("Chinese closing quotation mark", "中文右引号", '"'),
    "\u2018": ("Chinese opening single quotation mark", "中文左单引号", '"'),
    "\u2019": ("Chinese closing single quotation mark", "中文右单引号", '"'),
    "\u300c": ("corner bracket", "直角引号", '"'),
    "\u300d": ("corner bracket", "直角引号", '"'),
    "\uff02": ("full-width quotation mark", "全角引号", '"'),
    "\uff07": ("full-width apostrophe", "全角单引号", '"'),
    "\uff1d": ("full-width equals sign", "全角等号", "="),
    "\uff0c": ("full-width comma", "全角逗号", ","),
    "\u3001": ("ideographic comma", "顿号", ","),
    "\uff1a": ("full-width colon", "全角冒号", "="),
    "\uff1b": ("full-width semicolon", "全角分号", ","),
    "\uff3b": ("full-width bracket", "全角方括号", "["),
    "\uff3d": ("full-width bracket", "全角方括号", "]"),
    "\u3010": ("lenticular bracket", "方头括号", "["),
    "\u3011": ("lenticular bracket", "方头括号", "]"),
    "\uff5b": ("full-width brace", "全角花括号", "{"),
    "\uff5d": ("full-width brace", "全角花括号", "}"),
    "\uff0e": ("full-width full stop", "全角句点", "."),
    "\u3002": ("ideographic full stop", "中文句号", "."),
    "\uff03": ("full-width number sign", "全角井号", "#"),
    "\uff0b": ("full-width plus sign", "全角加号", "+"),
    "\uff1e": ("full-width greater-than sign", "全角大于号", ">"),
    "\uff1c": ("full-width less-than sign", "全角小于号", "<"),
    "\uff08": ("full-width parenthesis", "全角括号", "("),
    "\uff09": ("full-width parenthesis", "全角括号", ")"),
    "\uff01": ("full-width exclamation mark", "全角感叹号", "!"),
    "\uff0d": ("full-width hyphen-minus", "全角减号", "-"),
    "\u3000": ("ideographic space", "全角空格", " "),
}
_OPENING = {"\u201c": "\u201d", "\u2018": "\u2019", "\u300c": "\u300d", "\uff02": "\uff02", "\uff07": "\uff07"}
_WIDE_CLASS = "\u201c\u201d\u2018\u2019\u300c\u300d\u3000-\u3002\u3010\u3011\uff01-\uff5e"

# One match per piece of the source; every alternative consumes at least one character and none
# can fail after a long scan (an unclosed string runs to the end of its line, or of the file).
_SCAN = re.compile(
    r'''(?P<comment>\#[^\n]*+)
    | (?P<ml>"""(?:[^"\\]++|\\[\s\S]|"(?!""))*+(?:"""\"{0,2}|\Z))
    | (?P<mll>\'\'\'(?:[^']++|'(?!''))*+(?:\'\'\'\'{0,2}|\Z))
    | (?P<basic>"(?:[^"\\\n]++|\\.)*+(?P<bend>"?))
    | (?P<literal>'[^'\n]*+(?P<lend>'?))
    | (?P<wq>[\u201c\u2018\u300c\uff02\uff07])(?P<wbody>[^\n\u201d\u2019\u300d\uff02\uff07]*+)(?P<wend>[\u201d\u2019\u300d\uff02\uff07]?)
    | (?P<wide>\u3000++|[''' + _WIDE_CLASS + r'''])
    | [^"'\#\n''' + _WIDE_CLASS + r''']++
    | [\s\S]''',
    re.VERBOSE,
)


@dataclass(frozen=True)
class Hint:
    """One explanation: where (1-based), which code, and the message in both languages."""
    line: int
    col: int
    code: str
    en: str
    zh: str


class _Lines:
    """Offsets → (line, column), 1-based; columns count characters, as tomllib's do."""

    def __init__(self, source: str) -> None:
        self.source = source
        self._starts: list[int] | None = None

    def at(self, offset: int) -> tuple[int, int]:
        if self._starts is None:
            self._starts = [0] + [m.end() for m in re.finditer("\n", self.source)]
        line = bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1

    def start(self, line: int) -> int:
        self.at(0)
        return self._starts[min(line, len(self._starts)) - 1]


def describe(char: str) -> tuple[str, str, str]:
    """(English name, Chinese name, ASCII replacement) of a full-width or Chinese mark."""
    if char in _NAMED:
        return _NAMED[char]
    if "\uff01" <= char <= "\uff5e":  # the full-width forms of ASCII ! … ~
        return "full-width character", "全角字符", chr(ord(char) - 0xFEE0)
    return "full-width character", "全角字符", ""


def _wide_hint(char: str, line: int, col: int) -> Hint:
    """`char` is one full-width mark, or a run of ideographic spaces."""
    if char[:1] == "\u3000":
        n = len(char)
        many_en = f"{n} ideographic spaces" if n > 1 else "ideographic space"
        many_zh = f" {n} 个全角空格" if n > 1 else "全角空格"
        return Hint(line, col, "E001",
                    f"{many_en} (U+3000, a full-width space) outside a string: use an ordinary "
                    f"space, or delete {'them' if n > 1 else 'it'}",
                    f"字符串外有{many_zh}（U+3000）：请改用半角空格，或删掉")
    en_name, zh_name, ascii_ = describe(char)
    code = f"U+{ord(char):04X}"
    shown = f"`{ascii_}`" if ascii_ else "the ASCII character"
    fix_en = f"use {shown}"
    fix_zh = f"请改用半角的 `{ascii_}`" if ascii_ else "请改用半角字符"
    if char == "\uff1a":  # `key：value` is someone used to YAML or JSON
        fix_en = "a key and its value are joined by `=`"
        fix_zh = "键和值之间请用半角的 `=`"
    return Hint(line, col, "E001",
                f"{en_name} `{char}` ({code}) outside a string: {fix_en} "
                "(switch the keyboard to English punctuation)",
                f"字符串外有{zh_name} `{char}`（{code}）：{fix_zh}（把输入法切换为英文标点）")


def _unclosed_hint(source: str, lines: _Lines, start: int, end: int) -> Hint:
    """A single-line string from `start` that reaches the end of its line (offset `end`)."""
    line, col = lines.at(start)
    body = source[start + 1:end]
    quote = source[start]
    en = f"this string is never closed: add the missing `{quote}` where its text ends"
    zh = f"这个字符串没有结束：在文本结束的地方补上缺少的 `{quote}`"
    wide = re.search("[\u201d\u2019\uff02\u300d]", body)
    if wide:
        wline, wcol = lines.at(start + 1 + wide.start())
        char = wide.group()
        en += f" (the `{char}` at column {wcol} is a {describe(char)[0]}: use `{quote}`)"
        zh += f"（第 {wcol} 列的 `{char}` 是{describe(char)[1]}：请改用 `{quote}`）"
    return Hint(line, col, "E001", en, zh)


def scan(source: str) -> tuple[list[Hint], list[tuple[int, int]]]:
    """Full-width marks outside strings (at most MAX_HINTS), and the single-line strings that
    are never closed, as (offset of the opening quote, offset of the end of the line)."""
    if not re.search(f"[{_WIDE_CLASS}\"']", source):
        return [], []
    lines = _Lines(source)
    hints: list[Hint] = []
    unclosed: list[tuple[int, int]] = []
    for match in _SCAN.finditer(source):
        kind = match.lastgroup
        if kind in ("basic", "literal"):
            if not match.group("bend" if kind == "basic" else "lend"):
                unclosed.append((match.start(), match.end()))
        elif kind in ("wq", "wbody", "wend"):
            hints.append(_wide_hint(match.group("wq"), *lines.at(match.start())))
            if match.group("wend"):
                hints.append(_wide_hint(match.group("wend"), *lines.at(match.end() - 1)))
        elif kind == "wide":
            hints.append(_wide_hint(match.group(), *lines.at(match.start())))
        if len(hints) >= MAX_HINTS or len(unclosed) >= MAX_HINTS:
            break
    return hints[:MAX_HINTS], unclosed


# -- tomllib's own messages --------------------------------------------------------------------
_MESSAGES: list[tuple[re.Pattern, str, str]] = [(re.compile(p), en, zh) for p, en, zh in (
    (r"Invalid value", "invalid value: a text needs quotes (\"…\"), a number none, and true or "
     "false are lowercase", "值无效：文本要加引号（\"…\"），数字不加引号，true 和 false 用小写"),
    (r"Invalid statement", "invalid line: expected `key = value`, a `[table]` header or a "
     "`# comment`", "这一行无法识别：应为 `键 = 值`、`[表]` 表头或 `# 注释`"),
    (r"Expected '=' after a key in a key/value pair", "expected `=` after the key",
     "键的后面应为 `=`"),
    (r"Unclosed inline table", "unclosed inline table: separate its entries with `,` and end it "
     "with `}` on the same line", "内联表没有闭合：各项之间用 `,` 分隔，并在同一行用 `}` 结束"),
    (r"Unclosed array", "unclosed array: separate its items with `,` and end it with `]`",
     "数组没有闭合：各项之间用 `,` 分隔，并用 `]` 结束"),
    (r"Unterminated string", "this string is never closed: add the missing quote",
     "字符串没有结束：补上缺少的引号"),
    (r"Illegal character '\\n'", "this string is never closed before the end of the line: add "
     "the missing quote (a text over several lines is written \"\"\"…\"\"\")",
     "字符串在行尾之前没有结束：补上缺少的引号（多行文本写成 \"\"\"…\"\"\"）"),
    (r"Illegal character (.+)", r"illegal character \1 in a string", r"字符串中有不允许的字符 \1"),
    (r"Expected '\]' at the end of a table declaration", "expected `]` at the end of the table "
     "header", "表头末尾应为 `]`"),
    (r"Expected '\]\]' at the end of an array declaration", "expected `]]` at the end of the "
     "header", "表头末尾应为 `]]`"),
    (r"Invalid initial character for a key part", "a key must start with a letter, a digit, "
     "`_`, `-` or a quote", "键必须以字母、数字、`_`、`-` 或引号开头"),
    (r"Unescaped '\\\\' in a string", "a `\\` in a string must be written `\\\\`",
     "字符串中的 `\\` 要写成 `\\\\`"),
    (r"Invalid hex value|Escaped character is not a Unicode scalar value",
     "bad escape in a string: write `\\\\` for a backslash", "字符串中的转义无效：反斜杠要写成 `\\\\`"),
    (r"Invalid date or datetime", "invalid date or time", "日期或时间无效"),
    (r"Found invalid character (.+)", r"invalid character \1", r"无效的字符 \1"),
    (r"Expected (.+)", r"expected \1", r"此处应为 \1"),
    (r"Cannot overwrite a value", "a key is given a value twice", "同一个键被赋值了两次"),
    (r"Duplicate inline table key (.+)", r"the key \1 appears twice in this inline table",
     r"内联表中的键 \1 出现了两次"),
    (r"Cannot declare (.+) twice", r"the table \1 is declared twice", r"表 \1 声明了两次"),
    (r"Cannot mutate immutable namespace (.+)", r"the inline table \1 cannot be extended by a "
     "header or dotted key", r"内联表 \1 不能再用表头或点分键扩展"),
    (r"Cannot redefine namespace (.+)", r"\1 is already defined", r"\1 已经定义过了"),
)]


_TUPLE = re.compile(r"\(((?:'[^'\n]*'(?:, )?)+),?\)")


def _as_written(match: re.Match) -> str:
    """`('scene', 'monday')` → `scene.monday`: a key path as an author writes it."""
    parts = re.findall(r"'([^'\n]*)'", match.group(1))
    return "`" + ".".join(p if re.fullmatch(r"[A-Za-z0-9_-]+", p) else f'"{p}"' for p in parts) + "`"


def translate(message: str) -> tuple[str, str]:
    """A tomllib message (its position already removed) in English words and in Chinese; key
    paths in Python's tuple notation are shown dotted, as written in the file."""
    message = _TUPLE.sub(_as_written, message)
    for pattern, en, zh in _MESSAGES:
        match = pattern.fullmatch(message)
        if match:
            return match.expand(en), match.expand(zh)
    return message, f"TOML 语法错误：{message}"


# -- tables written twice, as the author wrote them -----------------------------------------------
def _headers(source: str):
    """(is_array, key path, offsets of its first and last key parts, text as written) of every
    header."""
    tk = _Tokens(source)
    depth, line_start = 0, True
    while tk.text:
        text = tk.text
        if text == "[" and depth == 0 and line_start:
            begin = tk.offset
            tk.next()
            is_array = tk.text == "["
            if is_array:
                tk.next()
            first, last, parts = tk.offset, tk.offset, []
            while True:
                key = _key_text(tk.text)
                if key is None:
                    break
                parts.append(key)
                last = tk.offset
                tk.next()
                if tk.text != ".":
                    break
                tk.next()
            closing = "]]" if is_array else "]"
            ok = tk.text == "]" and (not is_array or source.startswith("]]", tk.offset))
            if parts and ok:
                end = tk.offset + len(closing)
                written = source[begin:end]
                yield is_array, tuple(parts), first, last, written
                tk.next()
                if is_array:
                    tk.next()
            line_start = False
            continue
        if text in ("[", "{"):
            depth += 1
        elif text in ("]", "}"):
            depth = max(0, depth - 1)
        line_start = text == "\n"
        tk.next()


def _tidy(written: str) -> str:
    """A header as written, with the blanks inside it removed (`[ scene . x ]` → `[scene.x]`)."""
    return re.sub(r"[ \t]+", "", written)


ARRAY_TABLES = {"choice"}  # the level format's lists of tables: `[[scene.<id>.choice]]`


def header_conflict(source: str, error_line: int) -> Hint | None:
    """A table written twice, or a choice with single brackets among double-bracket ones: the
    conflict tomllib stopped at (the first whose later header is on or before `error_line`)."""
    lines = _Lines(source)
    tables: dict[tuple, tuple[int, str]] = {}  # path -> (offset, as written) of `[path]`
    arrays: dict[tuple, tuple[int, str]] = {}  # path -> first `[[path]]`
    for is_array, path, offset, last, written in _headers(source):
        line, col = lines.at(offset)
        if line > error_line:
            return None
        if is_array:
            for sub in [p for p in tables if len(p) > len(path) and p[:len(path)] == path]:
                del tables[sub]  # `[path.x]` belongs to the previous element: it may come again
            if path in tables:
                return _single_bracket(lines, *tables[path], (offset, written))
            arrays.setdefault(path, (offset, written))
        elif path in arrays:
            return _single_bracket(lines, offset, written, arrays[path])
        elif path in tables:
            line, col = lines.at(last)  # at the id written twice
            first_line = lines.at(tables[path][0])[0]
            shown = _tidy(written)
            if path[-1] in ARRAY_TABLES:  # every choice written `[scene.x.choice]`: double brackets
                return Hint(line, col, "E001",
                            f"`{shown}` is written twice (first at line {first_line}): a scene's choices "
                            f"are a list, each written with double brackets, `[{shown}]`",
                            f"`{shown}` 写了两次（第一次在第 {first_line} 行）：场景的选项是一个列表，"
                            f"每一个都要用双层方括号写成 `[{shown}]`")
            return Hint(line, col, "E001",
                        f"`{shown}` is written twice (first at line {first_line}): each table "
                        "once; give one of them another id, or merge them",
                        f"`{shown}` 写了两次（第一次在第 {first_line} 行）：每个表只能写一次；"
                        "给其中一个换个 id，或把两者合并")
        else:
            tables[path] = (offset, written)
    return None


def _single_bracket(lines: _Lines, offset: int, written: str, other: tuple[int, str]) -> Hint:
    line, col = lines.at(offset)
    shown, double = _tidy(written), _tidy(other[1])
    other_line = lines.at(other[0])[0]
    return Hint(line, col, "E005",
                f"`{shown}` has single brackets, but `{double}` (line {other_line}) makes it an "
                f"array of tables: write every one as `[{shown}]`",
                f"`{shown}` 只用了单层方括号，而第 {other_line} 行的 `{double}` 说明它是表数组："
                f"每一个都要写成 `[{shown}]`")


# -- a list never closed -------------------------------------------------------------------------
_LIST_TOKENS = re.compile(r'"""[\s\S]*?(?:"""|$)|\'\'\'[\s\S]*?(?:\'\'\'|$)|"(?:\\.|[^"\\\n])*"?|'
                          r"'[^'\n]*'?|#[^\n]*|[\[\]{}=\n]")


def unclosed_list(source: str, line: int) -> Hint | None:
    """A list (`key = [`) opened on an earlier line than `line` and still open there: tomllib
    reads the next line, or the next header, as one of its items and says "invalid value" or
    "unclosed array" there. Told at the `[` that opened it."""
    lines = _Lines(source)
    stop = lines.start(line)
    stack: list[tuple[str, int]] = []
    value = False  # after `=`: a `[` opens a list (at the start of a line it is a header)
    for token in _LIST_TOKENS.finditer(source, 0, stop):
        t = token.group()
        if t == "=":
            value = not stack or stack[-1][0] == "{"
        elif t in "[{" and (value or stack):
            stack.append((t, token.start()))
            value = False
        elif t in "]}" and stack and stack[-1][0] == "[]{}"["]}".index(t) * 2]:
            stack.pop()
        elif t == "\n" and not stack:
            value = False
        elif t[0] in "\"'" and not stack:
            value = False
    opened = next((offset for kind, offset in reversed(stack) if kind == "["), None)
    if opened is None:
        return None
    oline, ocol = lines.at(opened)
    key = source[lines.start(oline):opened].split("=")[0].strip()[:60] or "…"
    return Hint(oline, ocol, "E001",
                f"the list `{key} = [` opened here is never closed: end it with `]` after its last item "
                f"(before line {line})",
                f"这里开始的列表 `{key} = [` 没有结束：在最后一项后面加上 `]`（在第 {line} 行之前）")


# -- all together ---------------------------------------------------------------------------------
def explain(source: str, message: str, line: int, col: int,
            duplicate: tuple | None = None) -> list[Hint]:
    """What to tell the author about tomllib's `message` at (line, col): the full-width marks
    outside strings, the unclosed string or the header conflict behind it, or the message itself
    in both languages. `duplicate` is (key path, position[, first position]) of a key given twice,
    when the caller found one (see `PositionIndex.duplicates`). Never empty."""
    wide, unclosed = scan(source)
    lines = _Lines(source)
    first: Hint | None = None
    if message.startswith(("Cannot declare", "Cannot overwrite", "Cannot redefine", "Cannot mutate")):
        first = header_conflict(source, line)
    if first is None and duplicate is not None and duplicate[0] and isinstance(duplicate[0][-1], str):
        key = duplicate[0][-1]
        earlier = duplicate[2] if len(duplicate) > 2 else None
        where = f" (first at line {earlier[0]})" if earlier else ""
        where_zh = f"（第一次在第 {earlier[0]} 行）" if earlier else ""
        first = Hint(*duplicate[1], "E001", f"`{key}` is given a value twice in the same table{where}: "
                                           "keep one of them",
                     f"`{key}` 在同一个表中被赋值了两次{where_zh}：只保留其中一个")
    if first is None:
        first = _string_hint(source, lines, unclosed, line, col)
    if first is None and message.startswith(("Invalid value", "Unclosed array", "Invalid statement")):
        first = unclosed_list(source, line)
    if first is None:
        en, zh = translate(message)
        first = Hint(line, col, "E001", en, zh)
    if wide and (wide[0].line, wide[0].col) <= (first.line, first.col):
        return wide  # the first full-width mark is what tomllib stumbled on
    if first.line == line and unclosed:  # marks after a missing quote are inside the text meant
        wide = [h for h in wide if h.line != line or h.col < first.col]
    before = [h for h in wide if (h.line, h.col) < (first.line, first.col)]
    return before + [first] + [h for h in wide if h not in before]


def _string_hint(source: str, lines: _Lines, unclosed: list, line: int, col: int) -> Hint | None:
    """An error caused by a string never closed on its line, told at its opening quote: either
    the error is inside or right after that string, or it follows a closed string on a line that
    ends inside another (`{ en = "Hello, zh = "你好" }`: the first `"` pair swallowed the `,`)."""
    same_line = [(s, e) for s, e in unclosed if lines.at(s)[0] == line]
    if not same_line:
        return None
    start, end = same_line[0]
    if lines.at(start)[1] <= col:
        previous = _string_before(source, lines, line, col)
        if previous is None or previous >= start:
            return _unclosed_hint(source, lines, start, end)
    previous = _string_before(source, lines, line, col)
    if previous is None:
        return _unclosed_hint(source, lines, start, end)
    pline, pcol = lines.at(previous)
    _, ecol = lines.at(_closing_of(source, previous))
    _, ucol = lines.at(start)
    quote = source[previous]
    return Hint(pline, pcol, "E001",
                f"a `{quote}` seems to be missing: the string opened here closes at column {ecol}, "
                f"and the `{quote}` at column {ucol} is never closed; add the missing `{quote}` where "
                "this text ends",
                f"好像少了一个 `{quote}`：从这里开始的字符串在第 {ecol} 列就结束了，而第 {ucol} 列的 "
                f"`{quote}` 一直没有结束；在这段文本结束的地方补上缺少的 `{quote}`")


def _string_before(source: str, lines: _Lines, line: int, col: int) -> int | None:
    """The opening quote of the closed string that ends just before (line, col), blanks aside."""
    line_start = lines.start(line)
    at = line_start + col - 1
    head = source[line_start:at].rstrip(" \t")
    if not head.endswith(('"', "'")):
        return None
    last = None
    for match in _SCAN.finditer(source, line_start, line_start + len(head)):
        if match.group("bend") or match.group("lend"):
            last = match.start()
    if last is not None and _closing_of(source, last) == line_start + len(head) - 1:
        return last
    return None


def _closing_of(source: str, start: int) -> int:
    match = _SCAN.match(source, start)
    return match.end() - 1 if match else start


def wide_note(text: str) -> tuple[str, str]:
    """(English, Chinese) words to add to a message about an id or a name that holds a
    full-width mark (`"end：lost"`, `"ask，"`): the first such mark and its ASCII fix, or ("", "")."""
    match = _WIDE_IN_TEXT.search(text) if isinstance(text, str) else None
    if match is None:
        return "", ""
    char = match.group()
    en_name, zh_name, ascii_ = describe(char)
    ascii_ = ":" if char == "\uff1a" else ascii_  # inside a string, a colon stays a colon
    code = f"U+{ord(char):04X}"
    if char == "\u3000":
        return (f" (it holds an ideographic space, {code}: use an ordinary space or none)",
                f"（其中有全角空格 {code}：请改用半角空格，或删掉）")
    return (f" (its `{char}` is a {en_name}, {code}: use `{ascii_}`)",
            f"（其中的 `{char}` 是{zh_name}，{code}：请改用半角的 `{ascii_}`）")


_WIDE_IN_TEXT = re.compile(f"[{_WIDE_CLASS}]")
