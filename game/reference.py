"""The course's reference cards (assets/reference.toml): the four steps, the scoring table, the
wins, the kinds of expectation, the barriers and habits of listening, the 5 Cs… Shown on the
help screen, and one key away from any coach's note that cites them (a card lists the words
that mark a citation). Pure data: no Textual."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import lru_cache

from .model import Text, clean_text
from .paths import default_assets_dir

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


@dataclass(frozen=True)
class Card:
    id: str
    title: Text
    body: Text
    cites: tuple[str, ...]  # lowercase words or phrases, any language


def _text(value) -> Text:
    if isinstance(value, str):
        return Text.plain(clean_text(value.strip("\n")))
    if isinstance(value, dict):
        return Text({k: clean_text(str(v).strip("\n")) for k, v in value.items() if isinstance(v, str)})
    return Text()


@lru_cache(maxsize=1)
def cards() -> tuple[Card, ...]:
    """Every card, in the file's order; none when the file is missing or unreadable."""
    try:
        data = tomllib.loads((default_assets_dir() / "reference.toml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return ()
    out = []
    for item in data.get("card", []):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            continue
        raw = item.get("cites", {})
        words = [w for ws in (raw.values() if isinstance(raw, dict) else [raw]) for w in ws
                 if isinstance(w, str) and w.strip()] if isinstance(raw, (dict, list)) else []
        out.append(Card(item["id"], _text(item.get("title", item["id"])), _text(item.get("body", "")),
                        tuple(w.lower() for w in words)))
    return tuple(out)


def card(card_id: str) -> Card | None:
    return next((c for c in cards() if c.id == card_id), None)


def cited_by(text: Text) -> list[Card]:
    """The cards a coach's note cites, in either language."""
    haystack = " ".join(v.lower() for v in text.by_lang.values())
    return [c for c in cards() if any(word in haystack for word in c.cites)]
