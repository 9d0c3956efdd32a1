"""Compiler-style diagnostics with stable codes: `file:line:col: error[E008]: message`.

The code table is the contract with authors: codes never change meaning, and
`docs/authoring.md` explains each one with its fix.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path

CODES: dict[str, str] = {
    "E001": "TOML syntax error",
    "E002": "the file cannot be read as UTF-8 text (binary, too large, or unreadable)",
    "E003": "a required key is missing",
    "E004": "unknown key",
    "E005": "wrong type",
    "E006": "bad id: ids are lowercase letters, digits and hyphens, starting with a letter",
    "E007": "duplicate id",
    "E008": "`next` names no scene or ending",
    "E009": "a choice has no `next`, or its `next` branches (or `perception` cases) lack a final one without `when`",
    "E010": "a scene has no choices",
    "E011": "names no character",
    "E012": "`reveals` names no discovery",
    "E013": "`when` does not parse",
    "E014": "`when` names a flag that nothing sets",
    "E015": "`when` names an unknown level",
    "E016": "perception out of range −3..3",
    "E017": "unknown step: use explore, offer, act or confirm",
    "E018": "asset path leaves assets/",
    "E019": "unsupported format version",
    "E020": "`start` names no scene",
    "E021": "unknown discovery kind",
    "E022": "campaign problem (a listed level is missing, or a level is in the wrong campaign)",
    "E023": "unknown ending tone",
    "E024": "a key or table header has too many dotted parts",
    "E025": "no ending can be reached: every path loops forever",
    "W101": "scene can never be reached",
    "W102": "ending can never be reached",
    "W103": "a reachable state has no available choice (the player is stuck)",
    "W104": "missing translation",
    "W105": "the ideal path does not reach the best score",
    "W106": "the level does not use all four steps",
    "W107": "a scene on the ideal path has no ideal choice, or more than one",
    "W108": "asset file not found",
    "W109": "analysis stopped early: the level has too many states to explore",
    "W110": "the best score is reachable without a final confirm",
    "W111": "a move that does not lower the meter makes +2 unreachable (a silent trap)",
    "W112": "always picking the longest text reaches the best score",
    "W113": "on the ideal path, the ideal is the only choice of its step in more than half the scenes",
    "W114": "an ending's tone is contradicted by a score that reaches it",
    "W115": "a flag is set that no `when` reads",
    "W116": "the ideal path never reaches an ending: it loops",
    "W117": "an example is closer to a sibling choice than to its own (mot check --free)",
    "W118": "two choices offered together are too alike for a typed answer to tell apart (mot check --free)",
    "W119": "a plain string of one language in a level whose other texts have both",
    "W120": "every way through the level scores the same: no choice tests judgment",
}

# The same meanings in Chinese, in the course's terms (docs/authoring.zh.md's code table says the
# same words; tests/test_diagnostics_lang.py holds them together).
CODES_ZH: dict[str, str] = {
    "E001": "TOML 语法错误",
    "E002": "文件无法作为 UTF-8 文本读取（二进制文件、太大或无法读取）",
    "E003": "缺少必填的键",
    "E004": "未知的键",
    "E005": "类型错误",
    "E006": "id 不合法：id 由小写字母、数字和连字符组成，以字母开头",
    "E007": "id 重复",
    "E008": "`next` 指向的场景或结局不存在",
    "E009": "选项没有 `next`，或 `next` 分支列表（或 `perception` 情形列表）的最后一项带有 `when`",
    "E010": "场景没有选项",
    "E011": "指向的人物不存在",
    "E012": "`reveals` 指向的发现不存在",
    "E013": "`when` 无法解析",
    "E014": "`when` 用到的标记没有任何选项设置",
    "E015": "`when` 指向未知的关卡",
    "E016": "客户认知超出 −3..3",
    "E017": "未知的步骤：请用 explore（探索）、offer（提议）、act（行动）或 confirm（确认）",
    "E018": "资源路径超出了 assets/",
    "E019": "不支持的格式版本",
    "E020": "`start` 指向的场景不存在",
    "E021": "未知的发现类型",
    "E022": "课程问题（列出的关卡不存在，或关卡放在了别的课程里）",
    "E023": "未知的结局基调",
    "E024": "键或表头的点分部分太多",
    "E025": "无法到达任何结局：每条路径都无限循环",
    "W101": "场景永远无法到达",
    "W102": "结局永远无法到达",
    "W103": "某个可到达的状态没有可用的选项（玩家被卡住）",
    "W104": "缺少翻译",
    "W105": "理想路径达不到最好分数",
    "W106": "关卡没有用到全部四个步骤",
    "W107": "理想路径上的某个场景没有理想选项，或有不止一个",
    "W108": "找不到资源文件",
    "W109": "分析提前停止：关卡的状态太多，无法全部探索",
    "W110": "不以确认结束也能拿到最好分数",
    "W111": "一个没有降低客户认知的选项让 +2 再也拿不到：无声的陷阱",
    "W112": "总选最长的文字就能拿到最好分数",
    "W113": "理想路径上超过一半的场景里，理想选项是其步骤中唯一的一个",
    "W114": "结局的基调与到达它的分数矛盾",
    "W115": "设置了一个没有任何 `when` 读取的标记",
    "W116": "理想路径永远到不了结局：它在循环",
    "W117": "某个例句离同场景的另一个选项比离它自己的选项更近（mot check --free）",
    "W118": "同时出现的两个选项太相似，自由作答无法区分（mot check --free）",
    "W119": "本关卡的其他文本都有两种语言，这里却是只有一种语言的普通字符串",
    "W120": "每一条路线的分数都一样：没有一个选择在考验判断",
}


def did_you_mean(word: str, candidates) -> str | None:
    """The candidate spelled almost like `word` (a typo: `overpromissed` for `overpromised`), or None."""
    import difflib

    near = difflib.get_close_matches(word, sorted(candidates), n=1, cutoff=0.75)
    return near[0] if near else None


def fix(code: str, lang: str = "en") -> str:
    """How to fix a code, in `lang`: the guides' code tables, shipped as assets/code_fixes.json
    (scripts/code_fixes.py writes it; a test keeps it equal to the guides)."""
    fixes = _fixes().get(code, {})
    return fixes.get(lang) or fixes.get("en", "")


@functools.cache
def _fixes() -> dict:
    import json

    from .paths import package_dir

    try:
        return json.loads((package_dir("assets") / "code_fixes.json").read_text("utf-8"))
    except (OSError, ValueError):
        return {}


def meaning(code: str, lang: str = "en") -> str:
    """What a code means, in `lang`; English where no Chinese was written."""
    if lang == "zh" and code in CODES_ZH:
        return CODES_ZH[code]
    return CODES.get(code, "")


_LONG_RUN = re.compile(r"\S{201,}")  # more than 200 characters without a space: a value, not prose


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    col: int
    code: str
    message: str  # English
    zh: str = ""  # the same message in Chinese (every diagnostic has one; `text()` falls back)

    def __post_init__(self) -> None:
        # Messages quote keys, ids and paths from the file: never a raw control character or an
        # invisible format character on the way to a terminal, in the CLI or the TUI.
        from .model import clean_text

        for name in ("path", "message", "zh"):
            object.__setattr__(self, name, clean_text(getattr(self, name)).replace("\n", " "))
        for name, unit in (("message", "({:,} characters)"), ("zh", "（共 {:,} 个字符）")):
            # a value quoted from the file may be 200,000 characters long: its start, length and end
            object.__setattr__(self, name, _LONG_RUN.sub(
                lambda m: f"{m.group(0)[:60]}…{unit.format(len(m.group(0)))}…{m.group(0)[-20:]}",
                getattr(self, name)))

    @property
    def severity(self) -> str:
        return "error" if self.code.startswith("E") else "warning"

    @property
    def is_error(self) -> bool:
        return self.code.startswith("E")

    def text(self, lang: str = "en") -> str:
        """The message in `lang` ("zh" or "en"); English where no Chinese was written."""
        return self.zh if lang == "zh" and self.zh else self.message

    def render(self, lang: str = "en") -> str:
        """`file:line:col: error[CODE]: message` in `lang` (the code and severity word stay
        ASCII in both, so an author can grep and search for them)."""
        return f"{self.path}:{self.line}:{self.col}: {self.severity}[{self.code}]: {self.text(lang)}"

    def __str__(self) -> str:
        return self.render("en")

    def as_dict(self) -> dict:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "zh": self.zh or self.message,
        }


def display_path(path: Path | str) -> str:
    """A path as the user would type it: relative to the working directory when possible. Links
    are kept when the path is under the working directory as written (a checkout's `levels/` is
    a link to `game/levels/`: an author typed `levels/…` and reads `levels/…`)."""
    path = Path(path)
    try:
        cwd = Path.cwd()
        for candidate, base in ((Path(os.path.abspath(path)), cwd), (path.resolve(), cwd.resolve())):
            if candidate.is_relative_to(base):
                return str(candidate.relative_to(base))
    except (OSError, RuntimeError):  # RuntimeError: a link that leads back to itself
        pass
    return str(path)


def warner(level, positions, out: list):
    """`warn(code, message, zh, keypath, at="key")` for the checks that run after loading: a
    warning about `level` at its key's (or value's) place in the file — 1:1 where positions are
    not known — appended to `out`."""
    shown = display_path(level.path) if level.path else level.id

    def warn(code: str, message: str, zh: str, keypath: tuple, at: str = "key") -> None:
        if positions is None:
            line, col = 1, 1
        else:
            line, col = (positions.value if at == "value" else positions.key)(keypath)
        out.append(Diagnostic(shown, line, col, code, message, zh))

    return warn
