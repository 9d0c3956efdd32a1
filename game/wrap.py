"""Wrap mixed Chinese and English text to a terminal width, the way a reader expects.

Textual wraps at whitespace only, so a run of Chinese is one long "word". Here every CJK
character is its own break opportunity, Latin words stay whole, widths are measured in cells
(CJK = 2), and the line-breaking rules (禁则) hold: closing punctuation such as `，。、）」`
never starts a line and opening punctuation such as `（「“` never ends one.
"""

from __future__ import annotations

import re

from rich.cells import cell_len

NO_START = set("，。、；：？！）」』》〉】〕…—·,.;:?!)]}%’”〃々〜ー～")
NO_END = set("（「『《〈【〔“‘([{")
# Tokens: a CJK character, a run of spaces, or a run of anything else (a Latin word).
_SINGLE = "\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\u3000-\u303f\u2014\u2018-\u201f\u2026"
_TOKENS = re.compile(f"[{_SINGLE}]| +|[^ {_SINGLE}]+")


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` cells (a single over-wide character may exceed a 1-cell width)."""
    width = max(1, width)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(_wrap_paragraph(paragraph, width))
    return lines


def _split_long(token: str, width: int) -> list[str]:
    parts, current = [], ""
    for ch in token:
        if current and cell_len(current + ch) > width:
            parts.append(current)
            current = ""
        current += ch
    return parts + ([current] if current else [])


def _wrap_paragraph(paragraph: str, width: int) -> list[str]:
    if not paragraph:
        return [""]
    tokens: list[str] = []
    for token in _TOKENS.findall(paragraph):
        tokens.extend(_split_long(token, width) if cell_len(token) > width and not token.isspace() else [token])
    lines: list[list[str]] = [[]]
    used = 0
    for token in tokens:
        size = cell_len(token)
        line = lines[-1]
        if token.isspace():
            if line and used + size <= width:
                line.append(token)
                used += size
            elif line:
                lines.append([])
                used = 0
            continue
        if used + size <= width:
            line.append(token)
            used += size
            continue
        # Break before `token`. Kinsoku: closing punctuation may not start the new line, so
        # carry the previous character along; opening punctuation may not end the old one.
        carry: list[str] = []
        head = token
        while head[0] in NO_START and line and not line[-1].isspace():
            head = line.pop()
            carry.insert(0, head)
        while line and line[-1] and line[-1][-1] in NO_END:
            carry.insert(0, line.pop())
        while line and line[-1].isspace():
            line.pop()
        if not line:  # nothing left to keep: let the punctuation hang instead
            line.extend(carry)
            line.append(token)
            used = sum(cell_len(t) for t in line)
            continue
        lines.append(carry + [token])
        used = sum(cell_len(t) for t in lines[-1])
    return ["".join(line).rstrip() for line in lines]
