"""Chinese and English wrap as a reader expects, on the shipped levels' own texts at every width
a terminal from 80 columns down gives a text column: no line wider than the column, no Latin word
split (unless it alone is wider than the column), no closing punctuation at a line start."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rich.cells import cell_len

from game.library import load_folder
from game.wrap import NO_END, NO_START, wrap

ROOT = Path(__file__).resolve().parent.parent
LATIN_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-]*")


def shipped_texts():
    for campaign in sorted((ROOT / "levels").iterdir()):
        if campaign.is_dir():
            for level in load_folder(campaign)[0].levels:
                yield level.id, level.brief.get("zh")
                for scene in level.scenes.values():
                    yield level.id, scene.text.get("zh")
                    for choice in scene.choices:
                        yield level.id, choice.text.get("zh")
                        yield level.id, choice.feedback.get("zh")
                for character in level.characters.values():
                    yield level.id, character.role.get("zh")


TEXTS = [t for _, t in shipped_texts() if t]


@pytest.mark.parametrize("width", [18, 23, 30, 37, 44, 51])
def test_wrapping_rules_hold_on_every_shipped_chinese_text(width):
    for text in TEXTS:
        words = {w for w in LATIN_WORD.findall(text) if cell_len(w) <= width}
        lines = wrap(text, width)
        for i, line in enumerate(lines):
            assert cell_len(line) <= width, (width, line)
            if i and line:
                assert line[0] not in NO_START or cell_len(lines[i - 1]) + cell_len(line[0]) > width, (width, line)
            if line:
                assert line[-1] not in NO_END or i == len(lines) - 1, (width, line)
        joined = "\n".join(lines)
        for word in words:  # a Latin word that fits is never split across lines
            assert word in joined.replace("\n", "\0") or any(word in ln for ln in lines), (width, word, lines)


def test_a_latin_name_stays_whole_and_punctuation_does_not_lead():
    text = "您好，我是 Michael Yan，请问您是？"
    for width in range(8, 30):
        lines = wrap(text, width)
        assert any("Michael" in ln for ln in lines), (width, lines)  # never "Micha" / "el"
        assert not any(ln.startswith(("，", "？", "。")) for ln in lines[1:]), (width, lines)
