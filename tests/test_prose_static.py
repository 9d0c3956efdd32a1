"""Styled lines that hold level text wrap like Prose: Chinese per character with a Latin name
kept whole (Textual's own wrap left "Grace" alone at a line's end and moved the Chinese after
it to the next line), styles kept across the break, a leading badge space kept, and in the
side panel's discoveries a hanging indent under the kind."""

from __future__ import annotations

from textual.content import Content

from game.tui.widgets.prose import ProseStatic, wrap_content
from tests.tui_helpers import choose, make_app, open_first_level, wait_for


def plain(lines) -> list[str]:
    return [line.plain for line in lines]


def test_chinese_after_a_latin_name_fills_the_line():
    """24 cells: the badge (with its leading space), "Grace" whole, Chinese up to the edge; "："
    and "？" never start a line, so "话" and "吗" go down with them."""
    move = Content.assemble((" C 确认 ", "reverse"), " ", ("给 Grace 打电话：展会上电脑用得还好吗？", "bold"))
    assert plain(wrap_content(move, 24)) == [" C 确认  给 Grace 打电", "话：展会上电脑用得还好", "吗？"]


def test_styles_survive_the_break():
    move = Content.assemble(("AB", "reverse"), " ", ("一二三四五六", "bold"))
    lines = wrap_content(move, 8)
    assert plain(lines) == ["AB 一二", "三四五六"]
    assert [(s.start, s.end, s.style) for s in lines[0].spans] == [(0, 2, "reverse"), (3, 5, "bold")]
    assert [(s.start, s.end, s.style) for s in lines[1].spans] == [(0, 4, "bold")]


def test_a_hanging_indent_only_when_asked():
    found = Content("◆ 企业利益\n  销售团队周四参加展会，需要用到这些电脑。")
    assert plain(wrap_content(found, 14, hanging=True)) == [
        "◆ 企业利益", "  销售团队周四", "  参加展会，需", "  要用到这些电", "  脑。"]
    assert plain(wrap_content(found, 14)) == [
        "◆ 企业利益", "  销售团队周四", "参加展会，需要", "用到这些电脑。"]


async def test_the_side_panel_and_the_note_wrap_a_name_with_chinese(tmp_path):
    app = make_app(tmp_path, lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        scene = await open_first_level(pilot)
        ids = [c.id for c in scene.game.offered(scene.state)]
        await choose(pilot, ids.index("ask-impact") + 1)
        found = scene.query_one("#found", ProseStatic)
        await wait_for(pilot, lambda: "1/3" in found.content.plain, what="the discovery")
        shown = [line.plain for line in found._lines(found.content_size.width)]
        assert shown[-1].startswith("  ")  # the discovery's text keeps its indent when it wraps
        move = scene.query_one("#coach-choice", ProseStatic)
        first = move._lines(move.content_size.width)[0].plain
        assert first.startswith(" E 探索  ") and len(first) > len(" E 探索  ")  # the text follows the badge
