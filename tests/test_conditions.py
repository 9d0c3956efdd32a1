"""The `when` language: parsed once into a tree of tuples, evaluated on flags, perception and
earlier levels' scores, and never handed to Python."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import game.conditions as conditions
from game.conditions import MAX_DEPTH, MAX_LENGTH, ConditionError, Env, parse


def holds(source: str, flags=(), perception: int = 0, scores=None) -> bool:
    return parse(source).evaluate(Env(frozenset(flags), perception, scores))


# -- parsing ----------------------------------------------------------------------------------
@pytest.mark.parametrize("source,tree", [
    ("knows", ("flag", "knows")),
    ("knows-deadline", ("flag", "knows-deadline")),
    ("perception", ("perception",)),
    ("score.first-call", ("score", "first-call")),
    ("3", ("int", 3)),
    ("-2", ("int", -2)),
    ("not a", ("not", ("flag", "a"))),
    ("not not a", ("not", ("not", ("flag", "a")))),
    ("a and b", ("and", ("flag", "a"), ("flag", "b"))),
    ("a or b", ("or", ("flag", "a"), ("flag", "b"))),
    # `and` binds tighter than `or`; `not` tighter than `and`; both associate to the left
    ("a or b and c", ("or", ("flag", "a"), ("and", ("flag", "b"), ("flag", "c")))),
    ("a and b or c", ("or", ("and", ("flag", "a"), ("flag", "b")), ("flag", "c"))),
    ("not a and b", ("and", ("not", ("flag", "a")), ("flag", "b"))),
    ("a or b or c", ("or", ("or", ("flag", "a"), ("flag", "b")), ("flag", "c"))),
    ("(a or b) and c", ("and", ("or", ("flag", "a"), ("flag", "b")), ("flag", "c"))),
    ("not (a or b)", ("not", ("or", ("flag", "a"), ("flag", "b")))),
    # a comparison binds tighter than `not`: `not perception > 0` is `not (perception > 0)`
    ("not perception > 0", ("not", ("cmp", ">", ("perception",), ("int", 0)))),
    ("perception >= -1", ("cmp", ">=", ("perception",), ("int", -1))),
    ("perception>-1", ("cmp", ">", ("perception",), ("int", -1))),
    ("score.first-call >= 2", ("cmp", ">=", ("score", "first-call"), ("int", 2))),
    ("met-before == 0", ("cmp", "==", ("flag", "met-before"), ("int", 0))),
    ("a != b", ("cmp", "!=", ("flag", "a"), ("flag", "b"))),
    ("1 < perception", ("cmp", "<", ("int", 1), ("perception",))),
    ("perception <= 2", ("cmp", "<=", ("perception",), ("int", 2))),
    ("  a\tand\n b  ", ("and", ("flag", "a"), ("flag", "b"))),
    ("((a))", ("flag", "a")),
])
def test_parse_tree(source, tree):
    cond = parse(source)
    assert cond.tree == tree
    assert cond.source == source


def test_what_a_condition_reads():
    cond = parse("(knows or trade-fair) and score.first-call >= 2 and perception < 3 and not knows")
    assert cond.flags() == {"knows", "trade-fair"}
    assert cond.levels() == {"first-call"}
    assert cond.uses_perception()
    assert cond.constants() == {2, 3}
    assert not parse("a or b").uses_perception()
    assert parse("a").levels() == set()


# -- evaluation -------------------------------------------------------------------------------
def test_flags_are_one_when_set_and_zero_when_not():
    assert holds("knows", {"knows"}) and not holds("knows")
    assert holds("not knows") and not holds("not knows", {"knows"})
    # `not met-before` and `met-before == 0` agree
    for flags in (set(), {"met-before"}):
        assert holds("not met-before", flags) == holds("met-before == 0", flags)
    assert holds("knows == 1", {"knows"}) and holds("knows == 0") and holds("knows > 0", {"knows"})
    assert holds("a < b", {"b"}) and not holds("a < b", {"a"})
    assert holds("a == b") and holds("a == b", {"a", "b"}) and not holds("a == b", {"a"})


@pytest.mark.parametrize("perception,expected", [(-3, False), (-1, False), (0, True), (2, True), (3, True)])
def test_perception(perception, expected):
    assert holds("perception >= 0", perception=perception) is expected
    assert holds("perception < 0", perception=perception) is not expected


def test_every_comparison_operator():
    table = {"<": (True, False, False), "<=": (True, True, False), ">": (False, False, True),
             ">=": (False, True, True), "==": (False, True, False), "!=": (True, False, True)}
    for op, results in table.items():
        got = tuple(holds(f"perception {op} 0", perception=p) for p in (-1, 0, 1))
        assert got == results, op


def test_scores_of_earlier_levels_and_unplayed_levels_count_zero():
    assert holds("score.first-call >= 2", scores={"first-call": 2})
    assert not holds("score.first-call >= 2", scores={"first-call": 1})
    assert holds("score.first-call == 0")  # not played: neutral 0
    assert holds("score.first-call == 0", scores={"other": 3})
    assert holds("score.first-call < 0", scores={"first-call": -3})
    assert Env().score("anything") == 0


def test_and_or_not_truth_tables():
    for a in (False, True):
        for b in (False, True):
            flags = {name for name, on in (("a", a), ("b", b)) if on}
            assert holds("a and b", flags) == (a and b)
            assert holds("a or b", flags) == (a or b)
            assert holds("not a or b", flags) == ((not a) or b)
            assert holds("not (a or b)", flags) == (not (a or b))


def test_a_number_alone_is_true_unless_zero():
    assert holds("1") and holds("-1") and not holds("0")
    assert holds("perception", perception=-2) and not holds("perception", perception=0)


def test_evaluation_is_pure():
    cond = parse("knows and perception > 0")
    env = Env(frozenset({"knows"}), 1, {"x": 1})
    assert cond.evaluate(env) and cond.evaluate(env)
    assert env.flags == {"knows"} and env.perception == 1 and dict(env.scores) == {"x": 1}


# -- errors, with the column of the problem (1-based, inside the expression) -------------------
@pytest.mark.parametrize("source,col,message", [
    ("a && b", 3, "unexpected character '&' (use `and`, `or`, `not`)"),
    ("a || b", 3, "unexpected character '|' (use `and`, `or`, `not`)"),
    ("!a", 1, "unexpected character '!' (use `not`, or `!=` to compare)"),
    ("  &", 3, "unexpected character '&' (use `and`, `or`, `not`)"),
    ("", 1, "the condition ends too early"),
    ("   ", 4, "the condition ends too early"),
    ("not", 4, "the condition ends too early"),
    ("a or", 5, "the condition ends too early"),
    ("perception >", 13, "the condition ends too early"),
    ("a == ", 6, "the condition ends too early"),
    ("(a", 3, "missing `)`"),
    ("(a or b", 8, "missing `)`"),
    ("(a b)", 4, "missing `)`"),
    ("a b", 3, "unexpected 'b'; expected `and`, `or` or the end"),
    ("x == 1)", 7, "unexpected ')'; expected `and`, `or` or the end"),
    ("1 < 2 < 3", 7, "unexpected '<': comparisons do not chain; write `perception > 1 and perception < 3`"),
    ("and a", 1, "expected a flag, a number or `(`, found `and`"),
    ("a or or b", 6, "expected a flag, a number or `(`, found `or`"),
    (")", 1, "expected a flag, a number or `(`, found ')'"),
    ("( )", 3, "expected a flag, a number or `(`, found ')'"),
    ("Knows", 1, "unexpected character 'K': flags and level ids are lowercase (letters, digits, hyphens)"),
    ("knows_deadline", 6, "unexpected character '_': ids use hyphens, not underscores"),
    ("score.", 6, "unexpected character '.'"),
    ("score.Bad > 1", 6, "unexpected character '.'"),
    ("perception = 1", 12, "unexpected character '=': to compare, write `==` (`perception == 1`); "
                           "`=` alone is not a comparison"),
    ("perception => 1", 12, "unexpected character '=': write `>=`, not `=>`"),
    ("perception =< 0", 12, "unexpected character '=': write `<=`, not `=<`"),
    ("flag.x", 5, "unexpected character '.'"),
    ("a and 'b'", 7, "unexpected character \"'\""),
])
def test_syntax_errors_point_at_the_column(source, col, message):
    with pytest.raises(ConditionError) as info:
        parse(source)
    assert (info.value.col, info.value.message) == (col, message)
    assert str(info.value) == message


@pytest.mark.parametrize("source, col, zh", [
    ("perception = 1", 12, "不应出现的字符 '='：比较请写 `==`（如 `perception == 1`）；单独一个 `=` 不是比较"),
    ("perception => 1", 12, "不应出现的字符 '='：应写 `>=`，而不是 `=>`"),
    ("a && b", 3, "不应出现的字符 '&'（请用 `and`、`or`、`not`）"),
    ("(a", 3, "缺少 `)`"),
    ("a or", 5, "条件提前结束：后面还缺一个标记、数字或 `(`"),
    ("1 < 2 < 3", 7, "此处不应出现 '<'：比较不能连写，请写成 `perception > 1 and perception < 3`"),
    ("a b", 3, "此处不应出现 'b'：应为 `and`、`or` 或条件结束"),
    ("and a", 1, "这里应为标记、数字或 `(`，却是 `and`"),
])
def test_syntax_errors_in_chinese(source, col, zh):
    with pytest.raises(ConditionError) as info:
        parse(source)
    assert (info.value.col, info.value.zh, info.value.text("zh")) == (col, zh, zh)
    assert info.value.text("en") == info.value.message


def test_every_syntax_error_has_chinese():
    """Every raise in the parser passes a Chinese message (a new one cannot forget it)."""
    for source in ("", "a &", "a b", "(a", "Knows", "not " * 40 + "a", "(" * 40 + "a" + ")" * 40,
                   "a or " * 500 + "a", ")", "and", "1 < 2 < 3"):
        with pytest.raises(ConditionError) as info:
            parse(source)
        assert info.value.zh != info.value.message and re.search("[\u4e00-\u9fff]", info.value.zh), source


def test_nesting_and_length_limits():
    ok = "(" * MAX_DEPTH + "a" + ")" * MAX_DEPTH
    assert parse(ok).tree == ("flag", "a")
    with pytest.raises(ConditionError) as info:
        parse("(" * 40 + "a" + ")" * 40)
    assert info.value.message == "condition nested too deeply" and info.value.col == MAX_DEPTH + 2
    with pytest.raises(ConditionError) as info:
        parse("not " * 40 + "a")
    assert info.value.message == "condition nested too deeply"
    with pytest.raises(ConditionError) as info:
        parse("a or " * 500 + "a")
    assert info.value.col == 1 and "longer than" in info.value.message
    assert len("a or " * 399 + "a") <= MAX_LENGTH
    assert len(parse("a or " * 399 + "a").flags()) == 1  # long but flat: fine, no recursion


# -- no eval ------------------------------------------------------------------------------------
@pytest.mark.parametrize("source", [
    "__import__('os').system('echo hacked')",
    "open('/etc/passwd')",
    "a.__class__",
    "[x for x in ()]",
    "lambda: 1",
    "1 if a else 2",
    "a; b",
    "exec",  # just a flag called exec: parsed as a name, never run
])
def test_python_is_never_run(source, capsys):
    try:
        cond = parse(source)
    except ConditionError:
        return
    assert cond.tree == ("flag", source)
    assert cond.evaluate(Env()) is False
    assert capsys.readouterr().out == ""


def test_the_module_uses_no_eval_exec_compile_or_ast():
    code = Path(conditions.__file__).read_text(encoding="utf-8")
    body = re.sub(r'"""[\s\S]*?"""|#[^\n]*', "", code)  # docstrings and comments may mention them
    for word in ("eval", "exec", "compile", "__import__", "getattr"):
        assert not re.search(rf"(?<![\w.]){word}\(", body), word
    assert not re.search(r"^\s*(import|from) ast\b", body, re.M)
