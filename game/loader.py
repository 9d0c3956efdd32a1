"""TOML level and campaign files → model objects, with a diagnostic for everything wrong.

Every problem becomes a `Diagnostic` with the file, line and column of the offending key or
value and a stable code (see `diagnostics.CODES`). The loader never raises on bad input: a file
that is binary, huge, nested ten thousand deep or full of wrong types gives diagnostics, not a
traceback. Text is cleaned of terminal control characters as it is read.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from . import conditions, toml_hints
from .diagnostics import Diagnostic, did_you_mean, display_path
from .i18n import STEP_NAMES
from .model import (
    DISCOVERY_KINDS,
    TONES,
    END_PREFIX,
    ID_PATTERN,
    LANGUAGES,
    STEPS,
    Campaign,
    Character,
    Choice,
    Discovery,
    Ending,
    Level,
    Scene,
    SceneEvent,
    Text,
    clean_text,
    ending_of,
)
from .paths import UnsafeFile, read_regular
from .positions import MAX_KEY_PARTS, PositionIndex, long_key

FORMAT_VERSION = 1
MAX_FILE_BYTES = 1024 * 1024  # 13 times the largest level; tomllib reads any such file in ~1 s

# A step as an author may write it: its Chinese name (as the game shows it), the course's other
# words for it (挖掘、建议、实施、反馈), other English words.
STEP_WORDS = {**{names["zh"]: step for step, names in STEP_NAMES.items()},
              "挖掘": "explore", "建议": "offer", "实施": "act", "反馈": "confirm", "explorer": "explore",
              "exploration": "explore", "proposal": "offer", "propose": "offer", "suggest": "offer",
              "action": "act", "implement": "act", "feedback": "confirm", "confirmation": "confirm",
              "check": "confirm"}

# Keys an author may write for another one (from other tools, or the course's words): what they mean here.
KEY_MEANT = {"delta": "perception", "score": "perception", "meter": "perception", "goto": "next",
             "to": "next", "speaker_id": "speaker", "comment": "feedback", "note": "feedback",
             "explanation": "feedback", "thinks": "thought"}

# Key specs: name -> (type, required). Types: text, str, int, bool, id, ids, texts, table, tables.
LEVEL_FILE = {"format": ("int", True), "level": ("table", True), "characters": ("tables", False),
              "discovery": ("tables", False), "scene": ("tables", True), "ending": ("tables", True)}
LEVEL_KEYS = {"id": ("id", True), "campaign": ("id", False), "order": ("int", False),
              "title": ("text", True), "brief": ("text", False), "you": ("id", True),
              "customer": ("id", True), "start": ("id", True), "perception": ("int", False),
              "discuss": ("texts", False), "scorecard": ("bool", False)}
CHARACTER_KEYS = {"name": ("text", True), "role": ("text", False), "portrait": ("str", False)}
DISCOVERY_KEYS = {"kind": ("str", True), "text": ("text", True)}
SCENE_KEYS = {"speaker": ("id", False), "text": ("text", True), "choice": ("choices", False),
              "variant": ("variants", False), "event": ("table", False)}
EVENT_KEYS = {"perception": ("int", True), "text": ("text", True)}
VARIANT_KEYS = {"when": ("str", True), "text": ("text", True)}
CHOICE_KEYS = {"id": ("id", True), "step": ("str", True), "text": ("text", True),
               "perception": ("delta", False), "reveals": ("ids", False), "sets": ("ids", False),
               "when": ("str", False), "feedback": ("text", False), "thought": ("text", False),
               "ideal": ("bool", False), "next": ("next", False), "examples": ("table", False)}
BRANCH_KEYS = {"when": ("str", False), "to": ("str", True)}
DELTA_KEYS = {"when": ("str", False), "delta": ("int", True)}
ENDING_KEYS = {"title": ("text", True), "text": ("text", False), "tone": ("str", False)}
CAMPAIGN_FILE = {"format": ("int", True), "campaign": ("table", True)}
CAMPAIGN_KEYS = {"id": ("id", True), "title": ("text", True), "intro": ("text", False),
                 "levels": ("ids", True), "steps": ("table", False), "order": ("int", False),
                 "show_steps": ("bool", False), "kinds": ("table", False)}

_TYPE_NAMES = {"text": "a string or a table of languages", "str": "a string", "int": "an integer",
               "bool": "true or false", "id": "an id string", "ids": "a list of id strings",
               "texts": "a list of texts", "table": "a table", "tables": "a table of tables",
               "choices": "an array of tables ([[…choice]])",
               "next": "a scene id, \"end:<ending-id>\", or a list of { when, to } branches",
               "delta": "an integer, or a list of { when, delta } cases ending with { delta = N }",
               "variants": "an array of tables ([[…variant]] with `when` and `text`)"}
_TYPE_NAMES_ZH = {"text": "字符串或语言表（{ en = …, zh = … }）", "str": "字符串", "int": "整数",
                  "bool": " true 或 false", "id": " id 字符串", "ids": " id 字符串的列表",
                  "texts": "文本的列表", "table": "表", "tables": "由表组成的表",
                  "choices": "表数组（[[…choice]]）",
                  "next": "场景 id、\"end:<结局-id>\"，或 { when, to } 分支的列表",
                  "delta": "整数，或以 { delta = N } 结尾的 { when, delta } 情形列表",
                  "variants": "表数组（[[…variant]]，含 `when` 和 `text`）"}
_LANG_ZH = {"en": "英文", "zh": "中文"}
_WHAT_ZH = {"a level file": "关卡文件", "the campaign file": "课程文件", "a choice": "选项",
            "a scene variant": "场景变体", "a `next` branch": "`next` 分支",
            "a `perception` case": "`perception` 情形", "a scene `event`": "场景 `event`",
            "scene": "场景", "character": "人物", "discovery": "发现", "ending": "结局"}
_TOML_ERROR_AT = re.compile(r"\(at line (\d+), column (\d+)\)")
_TOML_ERROR_END = re.compile(r"\(at end of document\)")
_DUPLICATE_ERRORS = ("Cannot overwrite a value", "Cannot declare", "Duplicate inline table key")


@dataclass
class LoadResult:
    path: Path
    diagnostics: list[Diagnostic] = field(default_factory=list)
    level: Level | None = None
    campaign: Campaign | None = None
    positions: PositionIndex | None = None

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    @property
    def ok(self) -> bool:
        return not self.errors


def type_of(value: Any) -> str:
    return {bool: "boolean", int: "integer", float: "float", str: "string", list: "array",
            dict: "table"}.get(type(value), type(value).__name__)


def type_zh(value: Any) -> str:
    """`type_of` in Chinese."""
    return {bool: "布尔值", int: "整数", float: "小数", str: "字符串", list: "数组",
            dict: "表"}.get(type(value), type(value).__name__)


def what_zh(what: str) -> str:
    """A table's description in Chinese (`[scene.x]` and the like stay as they are)."""
    out = _WHAT_ZH.get(what, what)
    return out + " " if out[-1:].isascii() else out  # a space between code and Chinese


class _Reader:
    """Shared helpers for reading one file: diagnostics at positions, typed key access."""

    def __init__(self, path: Path, positions: PositionIndex) -> None:
        self.path = path
        self.shown = display_path(path)
        self.positions = positions
        self.diagnostics: list[Diagnostic] = []
        self.plain: dict[tuple, str] = {}  # key path -> a plain string of one language (W119)
        self.bilingual = 0  # texts with both en and zh

    def report(self, code: str, message: str, keypath: tuple, at: str = "key", col_offset: int = 0,
               zh: str = "") -> None:
        line, col = (self.positions.value if at == "value" else self.positions.key)(keypath)
        self.diagnostics.append(Diagnostic(self.shown, line, col + col_offset, code, message, zh))

    def table(self, data: Any, spec: dict, keypath: tuple, what: str) -> dict:
        """Check a table against a spec; return only the keys whose type is right."""
        if not isinstance(data, dict):
            self.report("E005", f"{what} must be a table, not {type_of(data)}", keypath, "value",
                        zh=f"{what_zh(what)}必须是表，而不是{type_zh(data)}")
            return {}
        good: dict = {}
        for key, value in data.items():
            if key not in spec:
                known = ", ".join(sorted(spec))
                near = KEY_MEANT.get(key) if KEY_MEANT.get(key) in spec else did_you_mean(key, spec)
                hint, hint_zh = (f": did you mean `{near}`?", f"：是不是想写 `{near}`？") if near else ("", "")
                self.report("E004", f"unknown key `{key}` in {what}{hint} (expected one of: {known})", keypath + (key,),
                            zh=f"{what_zh(what)}中没有键 `{key}`{hint_zh}（可用的键：{known}）")
                continue
            kind = spec[key][0]
            if self._type_ok(kind, value, keypath + (key,)):
                good[key] = value
        for key, (kind, required) in spec.items():
            if required and key not in data:
                self.report("E003", f"{what} is missing the required key `{key}`", keypath,
                            zh=f"{what_zh(what)}缺少必填的键 `{key}`")
        return good

    def _type_ok(self, kind: str, value: Any, keypath: tuple) -> bool:
        ok = {
            "str": lambda v: isinstance(v, str),
            "id": lambda v: isinstance(v, str),
            "int": lambda v: type(v) is int,
            "bool": lambda v: isinstance(v, bool),
            "table": lambda v: isinstance(v, dict),
            "tables": lambda v: isinstance(v, dict),
            "text": lambda v: isinstance(v, (str, dict)),
            "ids": lambda v: isinstance(v, list),
            "texts": lambda v: isinstance(v, list),
            "choices": lambda v: isinstance(v, list),
            "next": lambda v: isinstance(v, (str, list)),
            "delta": lambda v: type(v) is int or isinstance(v, list),
            "variants": lambda v: isinstance(v, list),
        }[kind](value)
        if not ok:
            self.report("E005", f"`{keypath[-1]}` must be {_TYPE_NAMES[kind]}, not {type_of(value)}",
                        keypath, "value",
                        zh=f"`{keypath[-1]}` 必须是{_TYPE_NAMES_ZH.get(kind, _TYPE_NAMES[kind])}，"
                           f"而不是{type_zh(value)}")
            return False
        if kind == "id" and not ID_PATTERN.match(value):
            self.report("E006", f"bad id {value!r}: use lowercase letters, digits and hyphens, "
                                "starting with a letter" + toml_hints.wide_note(value)[0], keypath, "value",
                        zh=f"id {value!r} 不合法：只能用小写字母、数字和连字符，并以字母开头"
                           + toml_hints.wide_note(value)[1])
            return False
        if kind == "ids":
            for i, item in enumerate(value):
                if not isinstance(item, str):
                    self.report("E005", f"`{keypath[-1]}` must hold id strings, not {type_of(item)}",
                                keypath + (i,), "value",
                                zh=f"`{keypath[-1]}` 只能包含 id 字符串，而不是{type_zh(item)}")
                    return False
                if not ID_PATTERN.match(item):
                    self.report("E006", f"bad id {item!r} in `{keypath[-1]}`: use lowercase letters, "
                                        "digits and hyphens, starting with a letter"
                                + toml_hints.wide_note(item)[0], keypath + (i,), "value",
                                zh=f"`{keypath[-1]}` 中的 id {item!r} 不合法：只能用小写字母、数字和"
                                   "连字符，并以字母开头" + toml_hints.wide_note(item)[1])
                    return False
        return True

    def text(self, value: Any, keypath: tuple) -> Text:
        """A plain string, or `{ en = …, zh = … }`; warns on a missing language."""
        if isinstance(value, str):
            if keypath[:1] != ("characters",) or keypath[-1:] != ("name",):  # a name is one text
                script = _script(value)
                if script:
                    self.plain[keypath] = script
            return Text.plain(clean_text(value))
        if not isinstance(value, dict):
            self.report("E005", f"`{keypath[-1]}` must be a string or a table of languages, "
                                f"not {type_of(value)}", keypath, "value",
                        zh=f"`{keypath[-1]}` 必须是字符串或语言表，而不是{type_zh(value)}")
            return Text()
        out = {}
        for lang, item in value.items():
            if lang not in LANGUAGES:
                self.report("E004", f"unknown language `{lang}` (use {' or '.join(LANGUAGES)})",
                            keypath + (lang,), zh=f"未知的语言 `{lang}`（请用 {' 或 '.join(LANGUAGES)}）")
            elif not isinstance(item, str):
                self.report("E005", f"`{keypath[-1]}.{lang}` must be a string, not {type_of(item)}",
                            keypath + (lang,), "value",
                            zh=f"`{keypath[-1]}.{lang}` 必须是字符串，而不是{type_zh(item)}")
            else:
                out[lang] = clean_text(item)
        text = Text(out)
        self.bilingual += all(out.get(lang, "").strip() for lang in LANGUAGES)
        for lang in text.missing():
            self.report("W104", f"`{_dotted(keypath)}` has no {lang} text", keypath, "value",
                        zh=f"`{_dotted(keypath)}` 缺少 {lang}（{_LANG_ZH.get(lang, lang)}）文本")
        return text

    def one_language(self) -> list[Diagnostic]:
        """W119 for every plain string of one language in a level where most texts have both:
        players of the other language would read it untranslated (W104 sees only tables)."""
        if self.bilingual <= len(self.plain):
            return []
        saved, self.diagnostics = self.diagnostics, []
        for keypath, script in self.plain.items():
            lang, other, other_zh = ("en", "Chinese", "中文") if script == "en" else ("zh", "English", "英文")
            self.report("W119", f"`{_dotted(keypath)}` is a plain string, but this level's other "
                                f"texts have en and zh: {other} players will read it untranslated; "
                                f"write {{ en = \"…\", zh = \"…\" }}", keypath, "value",
                        zh=f"`{_dotted(keypath)}` 是普通字符串，而本关卡的其他文本都有 en 和 zh："
                           f"{other_zh}玩家会看到没有翻译的{_LANG_ZH[lang]}；请写成 "
                           "{ en = \"…\", zh = \"…\" }")
        found, self.diagnostics = self.diagnostics, saved
        return found

    def texts(self, value: list, keypath: tuple) -> tuple[Text, ...]:
        return tuple(self.text(item, keypath + (i,)) for i, item in enumerate(value))

    def examples(self, value: dict, keypath: tuple) -> dict[str, tuple[str, ...]]:
        """A choice's `examples = { en = [...], zh = [...] }`: other ways a learner might say it
        (free-answer mode), per language; each string cleaned like level text."""
        out: dict[str, tuple[str, ...]] = {}
        for lang, items in value.items():
            here = keypath + (lang,)
            if lang not in LANGUAGES:
                self.report("E004", f"unknown language `{lang}` in `examples` (use "
                                    f"{' or '.join(LANGUAGES)})", here,
                            zh=f"`examples` 中的语言 `{lang}` 不存在（请用 {' 或 '.join(LANGUAGES)}）")
            elif not isinstance(items, list):
                self.report("E005", f"`examples.{lang}` must be a list of strings, not "
                                    f"{type_of(items)}", here, "value",
                            zh=f"`examples.{lang}` 必须是字符串列表，而不是{type_zh(items)}")
            else:
                kept = []
                for i, item in enumerate(items):
                    if not isinstance(item, str):
                        self.report("E005", f"`examples.{lang}` must hold strings, not "
                                            f"{type_of(item)}", here + (i,), "value",
                                    zh=f"`examples.{lang}` 只能包含字符串，而不是{type_zh(item)}")
                    elif clean_text(item).strip():
                        kept.append(clean_text(item).strip())
                out[lang] = tuple(kept)
        return out

    def questions(self, value: list, keypath: tuple) -> tuple[tuple[Text, ...], tuple[Text, ...]]:
        """`discuss`: each entry a text (the question), or `{ q = …, a = … }` with a model
        answer a learner alone can reveal. Returns (questions, answers); EMPTY where none."""
        questions, answers = [], []
        for i, item in enumerate(value):
            here = keypath + (i,)
            if isinstance(item, dict) and ("q" in item or "a" in item):
                for key in item:
                    if key not in ("q", "a"):
                        self.report("E004", f"unknown key `{key}` in a discussion entry (use q and a)",
                                    here + (key,), zh=f"讨论题中没有键 `{key}`（请用 q 和 a）")
                if "q" not in item:
                    self.report("E003", "a discussion entry with an answer `a` needs its question `q`",
                                here, "value", zh="带答案 `a` 的讨论题还需要问题 `q`")
                questions.append(self.text(item.get("q", ""), here + ("q",)))
                answers.append(self.text(item["a"], here + ("a",)) if "a" in item else Text())
            else:
                questions.append(self.text(item, here))
                answers.append(Text())
        return tuple(questions), tuple(answers)


_CJK = re.compile("[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile("[A-Za-z]")


def _script(text: str) -> str:
    """"en" for a text in Latin letters only, "zh" for one in Chinese only, "" for a text in
    both or in neither (a number, "…", a name like "Grace 格蕾丝")."""
    latin, cjk = _LATIN.search(text) is not None, _CJK.search(text) is not None
    return "" if latin == cjk else ("en" if latin else "zh")


def _dotted(keypath: tuple) -> str:
    out = ""
    for part in keypath:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def read_toml(path: Path, inside: Path | None = None) -> tuple[dict | None, PositionIndex | None, list[Diagnostic]]:
    """Read and parse a TOML file; on failure return diagnostics (E001/E002/E024) instead of
    data. With `inside`, the file must be a regular file within that folder (see
    `paths.read_regular`); the text is checked for keys too long to parse before tomllib sees it."""
    shown = display_path(path)
    try:
        raw = read_regular(path, MAX_FILE_BYTES, inside)
    except UnsafeFile as exc:
        return None, None, [Diagnostic(shown, 1, 1, "E002", exc.reason, exc.zh)]
    except OSError as exc:
        return None, None, [Diagnostic(shown, 1, 1, "E002", f"cannot read file: {exc.strerror or exc}",
                                       f"无法读取文件：{exc.strerror or exc}")]
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or (len(raw) >= 4 and raw[1:4:2] == b"\x00\x00"):
        # UTF-16, what Windows Notepad calls "Unicode": every other byte is 0 in plain text
        return None, None, [Diagnostic(shown, 1, 1, "E002", "file is UTF-16 text (\"Unicode\" in Notepad): save "
                                       "it as UTF-8", "文件是 UTF-16 编码（记事本里叫“Unicode”）：请另存为 UTF-8 编码")]
    try:
        source = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, None, [Diagnostic(shown, line, col, "E002", "file is not UTF-8 text: save it as "
                                       "UTF-8 (not GBK)", "文件不是 UTF-8 文本：请另存为 UTF-8 编码"
                                       "（不要用 GBK）")]
    if source.startswith("\ufeff"):
        source = source[1:]
    too_long = long_key(source)
    if too_long is not None:
        line, col, parts = too_long
        return None, None, [Diagnostic(shown, line, col, "E024",
                                       f"a key or table header of {parts:,} dotted parts; "
                                       f"the limit is {MAX_KEY_PARTS}",
                                       f"键或表头有 {parts:,} 个点分部分，上限是 {MAX_KEY_PARTS}")]
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _TOML_ERROR_AT.search(message)
        if match:
            line, col = int(match.group(1)), int(match.group(2))
        else:  # "(at end of document)": point at the end, not at the top
            line = source.count("\n") + 1
            col = len(source) - (source.rfind("\n") + 1) + 1
        duplicate = None
        if message.startswith(_DUPLICATE_ERRORS):
            # tomllib points past the value; point at the key or table defined twice instead.
            index = PositionIndex(source)
            first = next(iter(index.duplicates), None)
            if first is not None and first[1] <= (line, col):
                earlier = index.key(first[0])  # where the key was first given (index keeps the first)
                duplicate = (first[0], first[1], earlier if earlier < first[1] else None)
        message = _TOML_ERROR_AT.sub("", message).strip() or "invalid TOML"
        message = _TOML_ERROR_END.sub("", message).strip() or "invalid TOML"
        # Full-width marks outside strings, unclosed strings, tables written twice: in words.
        return None, None, [Diagnostic(shown, h.line, h.col, h.code, h.en, h.zh)
                            for h in toml_hints.explain(source, message, line, col, duplicate)]
    except RecursionError:
        return None, None, [Diagnostic(shown, 1, 1, "E001", "values are nested too deeply",
                                       "值嵌套得太深")]
    return data, PositionIndex(source), []


def load_level(path: Path, known_levels: set[str] | None = None, assets: Path | None = None,
               parsed: tuple | None = None) -> LoadResult:
    """Load one level file. `known_levels` are the ids `score.<level>` may name; `parsed` is
    what `read_toml(path)` already returned, when the caller read the file before."""
    path = Path(path)
    data, positions, diagnostics = parsed if parsed is not None else read_toml(path, inside=path.parent)
    result = LoadResult(path, list(diagnostics), positions=positions)
    if data is None:
        return result
    reader = _Reader(path, positions)
    try:
        result.level = _LevelBuilder(reader, known_levels or set(), assets).build(data)
    except RecursionError:
        reader.report("E005", "values are nested too deeply", (), zh="值嵌套得太深")
    result.diagnostics.extend(reader.diagnostics)
    if result.level is not None:
        result.diagnostics.extend(reader.one_language())
    if result.level is not None and not result.errors and not _has_way_out(result.level):
        reader.diagnostics = []
        reader.report("E025", "no ending can be reached from the start scene "
                              f"{result.level.start!r}: every path loops forever", ("level", "start"), "value",
                      zh=f"从开始场景 {result.level.start!r} 无法到达任何结局：每条路径都无限循环")
        result.diagnostics.extend(reader.diagnostics)
    if result.errors:
        result.level = None
    return result


def _has_way_out(level: Level) -> bool:
    """Whether some ending can be reached from the start, were every `when` true. If not, no
    player can ever finish (the analyser finds the cases where conditions close the way)."""
    seen, todo = {level.start}, [level.start]
    while todo:
        scene = level.scenes.get(todo.pop())
        for choice in scene.choices if scene else ():
            for target in choice.targets:
                if ending_of(target) is not None:
                    return True
                if target not in seen:
                    seen.add(target)
                    todo.append(target)
    return False


def load_campaign(path: Path, inside: Path | None = None) -> LoadResult:
    path = Path(path)
    data, positions, diagnostics = read_toml(path, inside=inside or path.parent)
    result = LoadResult(path, diagnostics, positions=positions)
    if data is None:
        return result
    reader = _Reader(path, positions)
    top = reader.table(data, CAMPAIGN_FILE, (), "the campaign file")
    _check_format(reader, top)
    if "campaign" in top:
        table = reader.table(top["campaign"], CAMPAIGN_KEYS, ("campaign",), "[campaign]")
        steps = {}
        for step, value in table.get("steps", {}).items():
            if step not in STEPS:
                reader.report("E017", f"unknown step `{step}` in [campaign.steps] "
                                      "(use explore, offer, act or confirm)", ("campaign", "steps", step),
                              zh=f"[campaign.steps] 里的步骤 `{step}` 不存在（请用 explore、offer、act 或 confirm）")
            else:
                steps[step] = reader.text(value, ("campaign", "steps", step))
        kinds = {}
        for kind, value in table.get("kinds", {}).items():
            if kind not in DISCOVERY_KINDS:
                reader.report("E021", f"unknown discovery kind `{kind}` in [campaign.kinds] "
                                      f"(use {', '.join(DISCOVERY_KINDS)})", ("campaign", "kinds", kind),
                              zh=f"[campaign.kinds] 里的发现类型 `{kind}` 不存在"
                                 f"（请用 {', '.join(DISCOVERY_KINDS)}）")
            else:
                kinds[kind] = reader.text(value, ("campaign", "kinds", kind))
        if "id" in table and "title" in table and "levels" in table:
            result.campaign = Campaign(
                id=table["id"], title=reader.text(table["title"], ("campaign", "title")),
                intro=reader.text(table.get("intro", ""), ("campaign", "intro")),
                levels=tuple(table["levels"]), steps=steps, kinds=kinds, order=table.get("order", 0), path=path,
                show_steps=table.get("show_steps", False))
    result.diagnostics.extend(reader.diagnostics)
    if result.errors:
        result.campaign = None
    return result


def _check_format(reader: _Reader, top: dict) -> None:
    if "format" in top and top["format"] != FORMAT_VERSION:
        reader.report("E019", f"format {top['format']} is not supported; this version reads "
                              f"format = {FORMAT_VERSION}", ("format",), "value",
                      zh=f"不支持格式 {top['format']}：这个版本读取 format = {FORMAT_VERSION}")


class _LevelBuilder:
    def __init__(self, reader: _Reader, known_levels: set[str], assets: Path | None) -> None:
        self.r = reader
        self.known_levels = known_levels
        self.assets = assets

    def build(self, data: dict) -> Level | None:
        r = self.r
        if data == {}:  # nothing but blank lines and comments: one error that says how to start
            r.report("E003", "the file is empty: a level needs `format`, `[level]`, `[scene.…]` and "
                             "`[ending.…]`; `mot new ID -o FILE` writes one to start from", (),
                     zh="文件是空的：一个关卡需要 `format`、`[level]`、`[scene.…]` 和 `[ending.…]`；"
                        "`mot new 关卡ID -o 文件` 会写一个可以直接改的起点")
            return None
        top = r.table(data, LEVEL_FILE, (), "a level file")
        _check_format(r, top)
        head = r.table(top.get("level", {}), LEVEL_KEYS, ("level",), "[level]") if "level" in top else {}
        characters = self._characters(top.get("characters", {}))
        discoveries = self._discoveries(top.get("discovery", {}))
        endings = self._endings(top.get("ending", {}))
        scenes_data = self._id_tables(top.get("scene", {}), ("scene",), "scene")
        scene_ids = set(scenes_data)
        all_sets = {flag for s in scenes_data.values() for c in _list(s.get("choice")) if isinstance(c, dict)
                    for flag in _list(c.get("sets")) if isinstance(flag, str)}
        scenes = {}
        for sid, sdata in scenes_data.items():
            scene = self._scene(sid, sdata, scene_ids, endings, characters, discoveries, all_sets,
                                head.get("id"))
            if scene is not None:
                scenes[sid] = scene
        if "perception" in head and not -3 <= head["perception"] <= 3:
            r.report("E016", f"starting perception {head['perception']} is outside −3..3",
                     ("level", "perception"), "value",
                     zh=f"初始客户认知 {head['perception']} 超出了 −3..3 的范围")
        for key in ("you", "customer"):
            if key in head and head[key] not in characters:
                r.report("E011", f"`{key}` = {head[key]!r} names no character "
                                 f"(define [characters.{head[key]}])", ("level", key), "value",
                         zh=f"`{key}` = {head[key]!r} 指向的人物不存在（请定义 [characters.{head[key]}]）")
        if "start" in head and head["start"] not in scene_ids:
            r.report("E020", f"`start` = {head['start']!r} names no scene" + toml_hints.wide_note(head["start"])[0],
                     ("level", "start"), "value",
                     zh=f"`start` = {head['start']!r} 指向的场景不存在" + toml_hints.wide_note(head["start"])[1])
        discuss, answers = r.questions(head.get("discuss", []), ("level", "discuss"))
        if not all(k in head for k in ("id", "title", "start", "you", "customer")):
            return None
        return Level(
            id=head["id"], title=r.text(head["title"], ("level", "title")), start=head["start"],
            you=head["you"], customer=head["customer"],
            brief=r.text(head.get("brief", ""), ("level", "brief")),
            campaign=head.get("campaign"), order=head.get("order", 0),
            perception=head.get("perception", 0),
            discuss=discuss,
            answers=answers,
            scorecard=head.get("scorecard", False),
            characters=characters, discoveries=discoveries, scenes=scenes, endings=endings,
            path=r.path,
        )

    def _id_tables(self, data: dict, keypath: tuple, what: str) -> dict:
        out = {}
        for key, value in data.items():
            if not ID_PATTERN.match(key):
                self.r.report("E006", f"bad {what} id {key!r}: use lowercase letters, digits and "
                                      "hyphens, starting with a letter" + toml_hints.wide_note(key)[0],
                              keypath + (key,),
                              zh=f"{what_zh(what)} id {key!r} 不合法：只能用小写字母、数字和连字符，"
                                 "并以字母开头" + toml_hints.wide_note(key)[1])
                continue
            if not isinstance(value, dict):
                self.r.report("E005", f"[{keypath[0]}.{key}] must be a table, not {type_of(value)}",
                              keypath + (key,), "value",
                              zh=f"[{keypath[0]}.{key}] 必须是表，而不是{type_zh(value)}")
                continue
            out[key] = value
        return out

    def _characters(self, data: dict) -> dict[str, Character]:
        out = {}
        for cid, cdata in self._id_tables(data, ("characters",), "character").items():
            kp = ("characters", cid)
            t = self.r.table(cdata, CHARACTER_KEYS, kp, f"[characters.{cid}]")
            portrait = t.get("portrait")
            if portrait is not None:
                portrait = self._asset(portrait, kp + ("portrait",))
            out[cid] = Character(cid, self.r.text(t.get("name", cid), kp + ("name",)),
                                 self.r.text(t.get("role", ""), kp + ("role",)), portrait)
        return out

    def _asset(self, name: str, keypath: tuple) -> str | None:
        """A portrait name must stay inside assets/portraits; returns the clean name or None."""
        rel = name[:-4] if name.endswith(".txt") else name
        if (not rel or rel.startswith(("/", "\\")) or ".." in Path(rel).parts or ":" in rel
                or "\\" in rel or "\x00" in rel):
            self.r.report("E018", f"portrait {name!r} leaves assets/: give a name such as "
                                  "\"stephen\" for assets/portraits/stephen.txt", keypath, "value",
                          zh=f"肖像 {name!r} 超出了 assets/：只写名字，例如 \"stephen\" 对应 "
                             "assets/portraits/stephen.txt")
            return None
        if self.assets is not None:
            file = self.assets / "portraits" / f"{rel}.txt"
            try:
                inside = file.resolve().is_relative_to(self.assets.resolve())
            except (OSError, RuntimeError):  # RuntimeError: a symlink loop
                inside = False
            if not inside:
                self.r.report("E018", f"portrait {name!r} resolves outside assets/", keypath, "value",
                              zh=f"肖像 {name!r} 指向了 assets/ 之外")
                return None
            if not file.is_file():
                self.r.report("W108", f"portrait file assets/portraits/{rel}.txt not found", keypath, "value",
                              zh=f"找不到肖像文件 assets/portraits/{rel}.txt")
        return rel

    def _discoveries(self, data: dict) -> dict[str, Discovery]:
        out = {}
        for did, ddata in self._id_tables(data, ("discovery",), "discovery").items():
            kp = ("discovery", did)
            t = self.r.table(ddata, DISCOVERY_KEYS, kp, f"[discovery.{did}]")
            kind = t.get("kind")
            if kind is not None and kind not in DISCOVERY_KINDS:
                self.r.report("E021", f"discovery kind {kind!r} is not one of "
                                      f"{', '.join(DISCOVERY_KINDS)}", kp + ("kind",), "value",
                              zh=f"发现类型 {kind!r} 不存在：请用 {'、'.join(DISCOVERY_KINDS)}")
            if "kind" in t and "text" in t:
                out[did] = Discovery(did, kind, self.r.text(t["text"], kp + ("text",)))
        return out

    def _endings(self, data: dict) -> dict[str, Ending]:
        out = {}
        for eid, edata in self._id_tables(data, ("ending",), "ending").items():
            kp = ("ending", eid)
            t = self.r.table(edata, ENDING_KEYS, kp, f"[ending.{eid}]")
            tone = t.get("tone")
            if tone is not None and tone not in TONES:
                self.r.report("E023", f"ending tone {tone!r} is not one of {', '.join(TONES)}",
                              kp + ("tone",), "value",
                              zh=f"结局基调 {tone!r} 不存在：请用 {'、'.join(TONES)}")
                tone = None
            if "title" in t:
                out[eid] = Ending(eid, self.r.text(t["title"], kp + ("title",)),
                                  self.r.text(t.get("text", ""), kp + ("text",)), tone)
        return out

    def _scene(self, sid, sdata, scene_ids, endings, characters, discoveries, all_sets, level_id):
        r = self.r
        kp = ("scene", sid)
        t = r.table(sdata, SCENE_KEYS, kp, f"[scene.{sid}]")
        speaker = t.get("speaker")
        if speaker is not None and speaker not in characters:
            near = did_you_mean(speaker, characters)  # a typo, not a new character
            hint, hint_zh = ((f": did you mean {near!r}?", f"：是不是想写 {near!r}？") if near else
                             (f" (define [characters.{speaker}])", f"（请定义 [characters.{speaker}]）"))
            r.report("E011", f"speaker {speaker!r} names no character{hint}", kp + ("speaker",), "value",
                     zh=f"说话人 {speaker!r} 指向的人物不存在{hint_zh}")
        raw_choices = t.get("choice", [])
        if not raw_choices:
            r.report("E010", f"scene {sid!r} has no choices: add at least one [[scene.{sid}.choice]]", kp,
                     zh=f"场景 {sid!r} 没有选项：至少加一个 [[scene.{sid}.choice]]")
        choices, seen = [], set()
        for i, cdata in enumerate(raw_choices):
            choice = self._choice(kp + ("choice", i), cdata, scene_ids, endings, discoveries,
                                  all_sets, level_id)
            if choice is None:
                continue
            if choice.id in seen:
                r.report("E007", f"duplicate choice id {choice.id!r} in scene {sid!r}",
                         kp + ("choice", i, "id"), "value",
                         zh=f"场景 {sid!r} 中的选项 id {choice.id!r} 重复了")
                continue
            seen.add(choice.id)
            choices.append(choice)
        variants = self._variants(t.get("variant", []), kp + ("variant",), all_sets | set(discoveries),
                                  level_id)
        event = self._event(t["event"], kp + ("event",)) if "event" in t else None
        if "text" not in t or variants is None or ("event" in t and event is None):
            return None
        return Scene(sid, r.text(t["text"], kp + ("text",)), tuple(choices), speaker, variants, event)

    def _variants(self, items: list, kp: tuple, flags: set, level_id):
        """`[[scene.<id>.variant]]`: (condition, text) pairs, or None when one is broken."""
        out, ok = [], True
        for i, item in enumerate(items):
            t = self.r.table(item, VARIANT_KEYS, kp + (i,), "a scene variant")
            if "when" not in t or "text" not in t:
                ok = False
                continue
            condition = self._when(t["when"], kp + (i, "when"), flags, level_id)
            if condition is None:
                ok = False
                continue
            out.append((condition, self.r.text(t["text"], kp + (i, "text"))))
        return tuple(out) if ok else None

    def _choice(self, kp, cdata, scene_ids, endings, discoveries, all_sets, level_id):
        r = self.r
        t = r.table(cdata, CHOICE_KEYS, kp, "a choice")
        if not isinstance(cdata, dict):
            return None
        ok = True
        step = t.get("step")
        if step is not None and step not in STEPS:
            low = str(step).strip().lower()
            meant = STEP_WORDS.get(low) or (low if low in STEPS else None) or did_you_mean(low, STEPS)
            hint, hint_zh = ((f"write {meant!r} (steps are explore, offer, act, confirm)",  # the one meant
                              f"请写 {meant!r}（步骤只能写 explore、offer、act、confirm）") if meant else
                             ("use explore, offer, act or confirm", "请用 explore、offer、act 或 confirm"))
            r.report("E017", f"unknown step {step!r}: {hint}", kp + ("step",), "value",
                     zh=f"步骤 {step!r} 不存在：{hint_zh}")
            ok = False
        delta, deltas = t.get("perception", 0), ()
        if isinstance(delta, list):
            delta, deltas, fine = self._deltas(delta, kp + ("perception",), all_sets | set(discoveries),
                                               level_id)
            ok = ok and fine
        elif not -3 <= delta <= 3:
            r.report("E016", f"perception change {delta:+d} is outside −3..3", kp + ("perception",), "value",
                     zh=f"认知变化 {delta:+d} 超出了 −3..3 的范围")
            ok = False
        nxt, branches = t.get("next"), ()
        if "next" not in cdata:
            r.report("E009", "this choice has no `next`: name a scene, or \"end:<ending-id>\"", kp,
                     zh="这个选项没有 `next`：写一个场景 id，或 \"end:<结局-id>\"")
            ok = False
        elif isinstance(nxt, str):
            ok = self._target(nxt, kp + ("next",), scene_ids, endings) and ok
        elif isinstance(nxt, list):
            nxt, branches, fine = self._branches(nxt, kp + ("next",), scene_ids, endings,
                                                 all_sets | set(discoveries), level_id)
            ok = ok and fine
        for i, did in enumerate(t.get("reveals", [])):
            if did not in discoveries:
                r.report("E012", f"`reveals` names no discovery {did!r} (define [discovery.{did}])",
                         kp + ("reveals", i), "value",
                         zh=f"`reveals` 指向的发现 {did!r} 不存在（请定义 [discovery.{did}]）")
                ok = False
        when = None
        if "when" in t:
            when = self._when(t["when"], kp + ("when",), all_sets | set(discoveries), level_id)
            ok = ok and when is not None
        if not ok or not all(k in t for k in ("id", "step", "text")):
            return None
        return Choice(
            id=t["id"], step=step, text=r.text(t["text"], kp + ("text",)), next=nxt, delta=delta,
            reveals=tuple(t.get("reveals", ())), sets=tuple(t.get("sets", ())),
            when=when, when_source=t.get("when", ""),
            feedback=r.text(t.get("feedback", ""), kp + ("feedback",)),
            thought=r.text(t.get("thought", ""), kp + ("thought",)), ideal=t.get("ideal", False),
            examples=r.examples(t.get("examples", {}), kp + ("examples",)),
            branches=branches, deltas=deltas,
        )

    def _deltas(self, items: list, kp: tuple, flags: set, level_id):
        """`perception = [{ when = "…", delta = N }, …, { delta = N }]`: returns (default,
        cases, ok). The cases read the state before the move, like the choice's `when`."""

        def in_range(delta: int, at: tuple) -> bool:
            if -3 <= delta <= 3:
                return True
            self.r.report("E016", f"perception change {delta:+d} is outside −3..3", at, "value",
                          zh=f"认知变化 {delta:+d} 超出了 −3..3 的范围")
            return False

        default, cases, ok = self._cases(
            items, kp, DELTA_KEYS, "delta", "a `perception` case", in_range, flags, level_id,
            not_last=("only the last `perception` case may have no `when` (the ones after it could "
                      "never apply)", "只有最后一个 `perception` 情形可以不写 `when`（它后面的情形永远用不上）"),
            no_default=("the last `perception` case must be { delta = N } with no `when`: it is the "
                        "change when no condition holds",
                        "最后一个 `perception` 情形必须是不带 `when` 的 { delta = N }：所有条件都不成立时，"
                        "就用它的变化"),
            # A broken last case has its own diagnostic: no second one about the default.
            default_required=not items or isinstance(items[-1], dict) and "when" in items[-1])
        return (default if default is not None else 0), cases, ok

    def _cases(self, items: list, kp: tuple, keys, value_key: str, what: str, check, flags: set,
               level_id, not_last: tuple[str, str], no_default: tuple[str, str],
               default_required: bool = True):
        """The shape conditional `next` and `perception` share: `[{ when = "…", <value_key> = …
        }, …, { <value_key> = … }]`, the last without `when`. `check(value, key_path)` reports a
        bad value and says whether it is usable. Returns (default, ((condition, value), …), ok)."""
        r, ok, cases, default = self.r, True, [], None
        for i, item in enumerate(items):
            t = r.table(item, keys, kp + (i,), what)
            if value_key not in t:
                ok = False
                continue
            ok = check(t[value_key], kp + (i, value_key)) and ok
            if "when" not in t:
                if i != len(items) - 1:
                    r.report("E009", not_last[0], kp + (i,), "value", zh=not_last[1])
                    ok = False
                default = t[value_key]
                continue
            condition = self._when(t["when"], kp + (i, "when"), flags, level_id)
            if condition is None:
                ok = False
            else:
                cases.append((condition, t[value_key]))
        if default is None and default_required:
            r.report("E009", no_default[0], kp, "value", zh=no_default[1])
            ok = False
        return default, tuple(cases), ok

    def _event(self, data: dict, kp: tuple):
        """`event = { perception = N, text = … }`: the scene's event, or None (with a diagnostic
        when it is broken)."""
        t = self.r.table(data, EVENT_KEYS, kp, "a scene `event`")
        if "perception" not in t or "text" not in t:
            return None
        if not -3 <= t["perception"] <= 3:
            self.r.report("E016", f"event perception change {t['perception']:+d} is outside −3..3",
                          kp + ("perception",), "value",
                          zh=f"事件的认知变化 {t['perception']:+d} 超出了 −3..3 的范围")
            return None
        return SceneEvent(t["perception"], self.r.text(t["text"], kp + ("text",)))

    def _target(self, target: str, kp: tuple, scene_ids, endings) -> bool:
        """A destination must name a scene, or an ending as "end:<id>"."""
        if target.startswith(END_PREFIX):
            if target[len(END_PREFIX):] in endings:
                return True
            self.r.report("E008", f"`next` = {target!r} names no ending "
                                  f"(endings: {', '.join(sorted(endings)) or 'none'})"
                          + toml_hints.wide_note(target)[0], kp, "value",
                          zh=f"`next` = {target!r} 指向的结局不存在（结局：{'、'.join(sorted(endings)) or '无'}）"
                             + toml_hints.wide_note(target)[1])
            return False
        if target in scene_ids:
            return True
        if target in endings:  # an ending's id without its prefix
            meant = f"{END_PREFIX}{target}"
            self.r.report("E008", f"`next` = {target!r} names no scene, but an ending is called that: "
                                  f"write \"{meant}\"", kp, "value",
                          zh=f"`next` = {target!r} 指向的场景不存在，但有一个结局叫这个名字：请写成 \"{meant}\"")
            return False
        near = did_you_mean(target, scene_ids)
        if near:
            self.r.report("E008", f"`next` = {target!r} names no scene: did you mean {near!r}?", kp, "value",
                          zh=f"`next` = {target!r} 指向的场景不存在：是不是想写 {near!r}？")
            return False
        self.r.report("E008", f"`next` = {target!r} names no scene; for an ending write "
                              f"\"end:<ending-id>\"" + toml_hints.wide_note(target)[0], kp, "value",
                      zh=f"`next` = {target!r} 指向的场景不存在；结局要写成 \"end:<结局-id>\""
                         + toml_hints.wide_note(target)[1])
        return False

    def _branches(self, items: list, kp: tuple, scene_ids, endings, flags, level_id):
        """`next = [{ when = "…", to = "…" }, …, { to = "…" }]`: returns (default, branches, ok)."""
        return self._cases(
            items, kp, BRANCH_KEYS, "to", "a `next` branch",
            lambda to, at: self._target(to, at, scene_ids, endings), flags, level_id,
            not_last=("only the last `next` branch may have no `when` (the ones after it could never "
                      "be taken)", "只有最后一个 `next` 分支可以不写 `when`（它后面的分支永远不会被走到）"),
            no_default=("the last `next` branch must be { to = \"…\" } with no `when`: it is where the "
                        "choice goes when no condition holds",
                        "最后一个 `next` 分支必须是不带 `when` 的 { to = \"…\" }：所有条件都不成立时，"
                        "选项就去那里"))

    def _when(self, source: str, kp: tuple, flags: set, level_id):
        try:
            cond = conditions.parse(source)
        except conditions.ConditionError as exc:
            # Point inside the string: one past the opening quote, plus the column in the expression.
            wide = toml_hints.wide_note(source)  # `perception ＞ 1` typed on a Chinese keyboard
            self.r.report("E013", f"`when` does not parse: {exc.message}{wide[0]}", kp, "value",
                          col_offset=exc.col, zh=f"`when` 无法解析：{exc.zh}{wide[1]}")
            return None
        ok = True
        for flag in sorted(cond.flags() - flags):
            near = did_you_mean(flag, flags)  # a typo in the `when`: name the flag that is set
            self.r.report("E014", f"`when` names the flag {flag!r}, which no choice sets "
                                  "and no discovery is called" + (f": did you mean {near!r}?" if near else ""),
                          kp, "value",
                          zh=f"`when` 用到的标记 {flag!r} 没有任何选项设置，也不是任何发现的 id"
                             + (f"：是不是想写 {near!r}？" if near else ""))
            ok = False
        for level in sorted(cond.levels()):
            if level == level_id or level not in self.known_levels:
                why = "its own level" if level == level_id else "a level outside this campaign"
                why_zh = "这是本关卡自己" if level == level_id else "这个关卡不在本课程中"
                self.r.report("E015", f"`when` names score.{level}, {why}", kp, "value",
                              zh=f"`when` 用到了 score.{level}，但{why_zh}")
                ok = False
        return cond if ok else None


def _list(value) -> list:
    return value if isinstance(value, list) else []
