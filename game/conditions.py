"""The `when` language: a tiny boolean expression over flags, perception and earlier scores.

    expr := or          or  := and ("or" and)*        and := not ("and" not)*
    not  := "not" not | cmp                            cmp := atom (OP atom)?
    atom := INT | flag-id | "perception" | "score." level-id | "(" expr ")"

Expressions are parsed once, at load time, into a small tree and evaluated against the game
state. Nothing is ever handed to Python's `eval`: level files are data.
Flags count as 1 when set and 0 when not, so `not met-before` and `met-before == 0` agree.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from typing import Callable, Mapping

MAX_DEPTH = 32
MAX_LENGTH = 2000

_OPS: dict[str, Callable[[int, int], bool]] = {
    "<=": operator.le,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    ">": operator.gt,
}
_TOKEN = re.compile(
    r"\s*(?:(?P<int>-?\d+)|(?P<score>score\.[a-z][a-z0-9-]*)|(?P<name>[a-z][a-z0-9-]*)"
    r"|(?P<op><=|>=|==|!=|<|>)|(?P<paren>[()]))"
)
KEYWORDS = {"and", "or", "not", "perception"}


class ConditionError(ValueError):
    """A `when` that does not parse; `col` is 1-based within the expression. `message` is
    English, `zh` the same in Chinese (the checker prints either)."""

    def __init__(self, message: str, col: int, zh: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.col = col
        self.zh = zh or message

    def text(self, lang: str = "en") -> str:
        return self.zh if lang == "zh" else self.message


@dataclass(frozen=True)
class Env:
    """What a condition can see: flags set so far, current perception, earlier levels' scores."""

    flags: frozenset = frozenset()
    perception: int = 0
    scores: Mapping[str, int] = None  # type: ignore[assignment]

    def score(self, level_id: str) -> int:
        # A level not played yet counts as neutral (0): see docs/level-format.md.
        return (self.scores or {}).get(level_id, 0)


# Tree nodes are tuples: ("int", n) ("flag", id) ("perception",) ("score", level)
# ("not", x) ("and", a, b) ("or", a, b) ("cmp", op, a, b)


@dataclass(frozen=True)
class Condition:
    source: str
    tree: tuple

    def evaluate(self, env: Env) -> bool:
        test = self.__dict__.get("_test")
        if test is None:  # compiled on first use: the analyser asks millions of times
            test = _compile(self.tree)
            object.__setattr__(self, "_test", test)
        return bool(test(env))

    def flags(self) -> set[str]:
        return {node[1] for node in _walk(self.tree) if node[0] == "flag"}

    def levels(self) -> set[str]:
        return {node[1] for node in _walk(self.tree) if node[0] == "score"}

    def uses_perception(self) -> bool:
        return any(node[0] == "perception" for node in _walk(self.tree))

    def constants(self) -> set[int]:
        return {node[1] for node in _walk(self.tree) if node[0] == "int"}


def _walk(node: tuple):
    yield node
    for child in node[1:]:
        if isinstance(child, tuple):
            yield from _walk(child)


def _eval(node: tuple, env: Env) -> int:
    kind = node[0]
    if kind == "int":
        return node[1]
    if kind == "flag":
        return 1 if node[1] in env.flags else 0
    if kind == "perception":
        return env.perception
    if kind == "score":
        return env.score(node[1])
    if kind == "not":
        return 0 if _eval(node[1], env) else 1
    if kind == "and":
        return 1 if _eval(node[1], env) and _eval(node[2], env) else 0
    if kind == "or":
        return 1 if _eval(node[1], env) or _eval(node[2], env) else 0
    if kind == "cmp":
        return 1 if _OPS[node[1]](_eval(node[2], env), _eval(node[3], env)) else 0
    raise AssertionError(f"unknown node {kind}")  # pragma: no cover


def _chain(node: tuple, kind: str) -> list[tuple]:
    """The operands of a chain `a or b or c` (nested two by two in the tree), in order."""
    out, todo = [], [node]
    while todo:
        n = todo.pop()
        if n[0] == kind:
            todo += [n[2], n[1]]
        else:
            out.append(n)
    return out


def _compile(node: tuple) -> Callable[[Env], int]:
    """A closure that computes what `_eval` does, without walking the tree each time; a chain
    of `or`/`and` becomes one loop, and a chain of flags one set operation."""
    kind = node[0]
    if kind == "int":
        value = node[1]
        return lambda env: value
    if kind == "flag":
        name = node[1]
        return lambda env: 1 if name in env.flags else 0
    if kind == "perception":
        return lambda env: env.perception
    if kind == "score":
        level = node[1]
        return lambda env: env.score(level)
    if kind == "not":
        inner = _compile(node[1])
        return lambda env: 0 if inner(env) else 1
    if kind in ("and", "or"):
        parts = _chain(node, kind)
        names = frozenset(p[1] for p in parts if p[0] == "flag")
        rest = [_compile(p) for p in parts if p[0] != "flag"]
        if kind == "or":
            return lambda env: 1 if (not names.isdisjoint(env.flags) or any(f(env) for f in rest)) else 0
        return lambda env: 1 if (names <= env.flags and all(f(env) for f in rest)) else 0
    if kind == "cmp":
        op, left, right = _OPS[node[1]], _compile(node[2]), _compile(node[3])
        return lambda env: 1 if op(left(env), right(env)) else 0
    raise AssertionError(f"unknown node {kind}")  # pragma: no cover


def parse(source: str) -> Condition:
    """Parse a `when` expression, or raise ConditionError pointing at the column."""
    if len(source) > MAX_LENGTH:
        raise ConditionError(f"condition longer than {MAX_LENGTH} characters", 1,
                             f"条件超过 {MAX_LENGTH} 个字符")
    tokens = _tokenize(source)
    parser = _Parser(tokens, len(source))
    tree = parser.expr(0)
    if parser.peek() is not None:
        kind, text, col = parser.peek()
        if text == "(" or kind != "op":
            raise ConditionError(f"unexpected {text!r}; expected `and`, `or` or the end", col,
                                 f"此处不应出现 {text!r}：应为 `and`、`or` 或条件结束")
        raise ConditionError(f"unexpected {text!r}: comparisons do not chain; write "
                             "`perception > 1 and perception < 3`", col,
                             f"此处不应出现 {text!r}：比较不能连写，"
                             "请写成 `perception > 1 and perception < 3`")
    return Condition(source, tree)


def _tokenize(source: str) -> list[tuple[str, str, int]]:
    tokens = []
    pos = 0
    while pos < len(source):
        if source[pos:].strip() == "":
            break
        match = _TOKEN.match(source, pos)
        if not match or match.end() == pos:
            col = pos + 1 + (len(source[pos:]) - len(source[pos:].lstrip()))
            bad = source[col - 1]
            hint, hint_zh = _hint(source, col - 1)
            raise ConditionError(f"unexpected character {bad!r}{hint}", col, f"不应出现的字符 {bad!r}{hint_zh}")
        kind = match.lastgroup
        text = match.group(kind)
        tokens.append((kind, text, match.start(kind) + 1))
        pos = match.end()
    return tokens


def _hint(source: str, i: int) -> tuple[str, str]:
    """What the author probably meant by the character at `source[i]` (English, Chinese)."""
    pair = source[i:i + 2]
    if pair in ("=>", "=<"):
        op = pair[::-1]
        return f": write `{op}`, not `{pair}`", f"：应写 `{op}`，而不是 `{pair}`"
    if pair == "=!":
        return ": write `!=`", "：应写 `!=`"
    bad = source[i]
    if bad == "=":
        return (": to compare, write `==` (`perception == 1`); `=` alone is not a comparison",
                "：比较请写 `==`（如 `perception == 1`）；单独一个 `=` 不是比较")
    if bad == "!":
        return " (use `not`, or `!=` to compare)", "（请用 `not`，比较不等请用 `!=`）"
    if bad in "&|":
        return " (use `and`, `or`, `not`)", "（请用 `and`、`or`、`not`）"
    if bad.isupper():
        return (": flags and level ids are lowercase (letters, digits, hyphens)",
                "：标记和关卡 id 只能用小写字母、数字和连字符")
    if bad == "_":
        return ": ids use hyphens, not underscores", "：id 用连字符 `-`，不用下划线"
    return "", ""


class _Parser:
    def __init__(self, tokens: list, length: int) -> None:
        self.tokens = tokens
        self.i = 0
        self.end_col = length + 1

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self):
        tok = self.peek()
        self.i += 1
        return tok

    def _is(self, word: str) -> bool:
        tok = self.peek()
        return tok is not None and tok[0] == "name" and tok[1] == word

    def expr(self, depth: int) -> tuple:
        if depth > MAX_DEPTH:
            tok = self.peek()
            raise ConditionError("condition nested too deeply", tok[2] if tok else self.end_col,
                                 "条件嵌套太深")
        node = self.and_(depth)
        while self._is("or"):
            self.take()
            node = ("or", node, self.and_(depth))
        return node

    def and_(self, depth: int) -> tuple:
        node = self.not_(depth)
        while self._is("and"):
            self.take()
            node = ("and", node, self.not_(depth))
        return node

    def not_(self, depth: int) -> tuple:
        if self._is("not"):
            self.take()
            if depth > MAX_DEPTH:
                raise ConditionError("condition nested too deeply", self.end_col, "条件嵌套太深")
            return ("not", self.not_(depth + 1))
        return self.cmp(depth)

    def cmp(self, depth: int) -> tuple:
        left = self.atom(depth)
        tok = self.peek()
        if tok is not None and tok[0] == "op":
            self.take()
            return ("cmp", tok[1], left, self.atom(depth))
        return left

    def atom(self, depth: int) -> tuple:
        tok = self.take()
        if tok is None:
            raise ConditionError("the condition ends too early", self.end_col,
                                 "条件提前结束：后面还缺一个标记、数字或 `(`")
        kind, text, col = tok
        if kind == "int":
            return ("int", int(text))
        if kind == "score":
            return ("score", text[len("score."):])
        if kind == "name":
            if text == "perception":
                return ("perception",)
            if text in KEYWORDS:
                raise ConditionError(f"expected a flag, a number or `(`, found `{text}`", col,
                                     f"这里应为标记、数字或 `(`，却是 `{text}`")
            return ("flag", text)
        if text == "(":
            node = self.expr(depth + 1)
            close = self.take()
            if close is None or close[1] != ")":
                raise ConditionError("missing `)`", close[2] if close else self.end_col, "缺少 `)`")
            return node
        raise ConditionError(f"expected a flag, a number or `(`, found {text!r}", col,
                             f"这里应为标记、数字或 `(`，却是 {text!r}")
