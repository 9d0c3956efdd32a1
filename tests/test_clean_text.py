"""Level text is data: the cleaner removes terminal controls and every invisible format
character (Unicode category Cf), and keeps what a reader sees, in both languages."""

from __future__ import annotations

import unicodedata

import pytest

from game.model import clean_text


@pytest.mark.parametrize("char", ["\x1b", "\x07", "\x9b", "\u2028", "\u200b", "\u200d", "\u202e",
                                  "\u2066", "\u2060", "\ufeff", "\u00ad", "\u061c", "\U000e0041"])
def test_invisible_and_control_characters_go(char):
    assert clean_text(f"a{char}b") == "ab"


def test_every_format_character_goes():
    cf = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf"]
    assert len(cf) > 150
    assert clean_text("x" + "".join(cf) + "y") == "xy"


def test_what_a_reader_sees_stays():
    text = "Grace：“电脑呢？” — it's Tuesday. [b]not markup[/b]\nnext line"
    assert clean_text(text) == text
    assert clean_text("tab\there") == "tab    here" and clean_text("a\r\nb") == "a\nb"
