"""Plain data for campaigns and levels: what the loader builds and everything else reads.

Nothing here knows about TOML or Textual. Texts are `Text` values that carry every language the
author wrote; `Text.get(lang)` picks one with a predictable fallback.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Mapping

if TYPE_CHECKING:  # pragma: no cover
    from .conditions import Condition

LANGUAGES = ("zh", "en")
STEPS = ("explore", "offer", "act", "confirm")
DISCOVERY_KINDS = ("business-win", "personal-win", "expectation")
TONES = ("good", "mixed", "bad")  # what an ending means for the customer, checked against its score
ID_PATTERN = re.compile(r"[a-z][a-z0-9-]*\Z")
END_PREFIX = "end:"

# C0/C1 control characters other than newline and tab, and every format character (Unicode
# category Cf: zero-width and joiner marks, bidi controls, soft hyphen, BOM, tag characters…):
# level text must never drive the terminal or hide what it says.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def clean_text(value: str) -> str:
    """Strip terminal control and invisible format characters from level text."""
    text = _CONTROL.sub("", value.replace("\r\n", "\n").replace("\t", "    "))
    if text.isascii():
        return text
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


def clean_name(value: str) -> str:
    """A team, player or room name as typed: cleaned like level text, on one line."""
    return " ".join(clean_text(value).split())


@dataclass(frozen=True)
class Text:
    """A text in one or more languages. A plain TOML string is stored under the key '*'."""

    by_lang: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def plain(cls, value: str) -> "Text":
        return cls({"*": value})

    def get(self, lang: str) -> str:
        """The text in `lang`; else the language-neutral text; else any language written."""
        for key in (lang, "*", *LANGUAGES):
            if self.by_lang.get(key):
                return self.by_lang[key]
        return ""

    def missing(self, languages=LANGUAGES) -> list[str]:
        """Languages this text lacks (a plain string lacks none: it serves every language)."""
        if "*" in self.by_lang:
            return []
        return [lang for lang in languages if not self.by_lang.get(lang)]

    def __bool__(self) -> bool:
        return any(self.by_lang.values())


EMPTY = Text()


@dataclass(frozen=True)
class Character:
    id: str
    name: Text
    role: Text = EMPTY
    portrait: str | None = None  # file name under assets/portraits, without ".txt"


@dataclass(frozen=True)
class Discovery:
    id: str
    kind: str
    text: Text


@dataclass(frozen=True)
class Choice:
    id: str
    step: str
    text: Text
    next: str  # a scene id, or "end:<ending-id>"
    delta: int = 0
    reveals: tuple[str, ...] = ()
    sets: tuple[str, ...] = ()
    when: "Condition | None" = None
    when_source: str = ""
    feedback: Text = EMPTY
    thought: Text = EMPTY
    ideal: bool = False
    # Conditional destinations, tried in order after the move's own effects; `next` is where
    # the choice goes when none holds (`next = [{ when = "…", to = "…" }, …, { to = "…" }]`).
    branches: tuple[tuple["Condition", str], ...] = ()
    # Other ways a learner might say this move, per language (free-answer mode's matcher reads
    # them beside `text`): `examples = { en = [...], zh = [...] }`.
    examples: Mapping[str, tuple[str, ...]] = field(default_factory=dict, hash=False, compare=False)
    # Conditional deltas, tried in order on the state BEFORE the move (what the player sees when
    # choosing, like `when`); `delta` is the change when none holds
    # (`perception = [{ when = "…", delta = N }, …, { delta = N }]`).
    deltas: tuple[tuple["Condition", int], ...] = ()

    def delta_for(self, env) -> int:
        """The change this move makes to the meter, given the state before it."""
        for condition, delta in self.deltas:
            if condition.evaluate(env):
                return delta
        return self.delta

    @property
    def all_deltas(self) -> tuple[int, ...]:
        """Every change this move can make, the cases first and the default last."""
        return tuple(d for _, d in self.deltas) + (self.delta,)

    @property
    def ending(self) -> str | None:
        """The ending id of the default destination, or None when it is a scene."""
        return ending_of(self.next)

    @property
    def targets(self) -> tuple[str, ...]:
        """Every destination this choice can lead to, branches first."""
        return tuple(to for _, to in self.branches) + (self.next,)

    def target(self, env) -> str:
        """Where the choice leads, given the state after its own effects."""
        for condition, to in self.branches:
            if condition.evaluate(env):
                return to
        return self.next


def ending_of(target: str) -> str | None:
    """`end:<id>` → `<id>`; a scene id → None."""
    return target[len(END_PREFIX):] if target.startswith(END_PREFIX) else None


@dataclass(frozen=True)
class SceneEvent:
    """What happens on entering a scene ("the box arrives crushed", "three days of silence"):
    a change to the customer's perception that no move made."""

    delta: int
    text: Text


@dataclass(frozen=True)
class Scene:
    id: str
    text: Text
    choices: tuple[Choice, ...]
    speaker: str | None = None
    # Other wordings of `text` for other situations: the first whose condition holds when the
    # scene is shown is used (`[[scene.<id>.variant]]` with `when` and `text`).
    variants: tuple[tuple["Condition", Text], ...] = ()
    # Something that happens to the customer on entering the scene, not a move the player makes
    # (`event = { perception = N, text = … }`): the meter moves by `delta` on every entry,
    # the start scene's at the start of the level.
    event: "SceneEvent | None" = None

    def choice(self, choice_id: str) -> Choice | None:
        return next((c for c in self.choices if c.id == choice_id), None)

    def text_for(self, env) -> Text:
        """The scene's text as the player sees it, given the state on arrival."""
        for condition, text in self.variants:
            if condition.evaluate(env):
                return text
        return self.text


@dataclass(frozen=True)
class Ending:
    id: str
    title: Text
    text: Text = EMPTY
    tone: str | None = None  # one of TONES, or None when the author did not say


@dataclass
class Level:
    id: str
    title: Text
    start: str
    you: str
    customer: str
    brief: Text = EMPTY
    campaign: str | None = None
    order: int = 0
    perception: int = 0
    discuss: tuple[Text, ...] = ()
    answers: tuple[Text, ...] = ()  # a model answer per question (an empty Text where none)
    scorecard: bool = False
    characters: dict[str, Character] = field(default_factory=dict)
    discoveries: dict[str, Discovery] = field(default_factory=dict)
    scenes: dict[str, Scene] = field(default_factory=dict)
    endings: dict[str, Ending] = field(default_factory=dict)
    path: Path | None = None

    def character(self, char_id: str | None) -> Character | None:
        return self.characters.get(char_id) if char_id else None

    def ideal_choice(self, scene_id: str) -> Choice | None:
        scene = self.scenes.get(scene_id)
        if scene is None:
            return None
        return next((c for c in scene.choices if c.ideal), None)


@dataclass
class Campaign:
    id: str
    title: Text
    intro: Text = EMPTY
    levels: tuple[str, ...] = ()
    steps: Mapping[str, Text] = field(default_factory=dict)  # the campaign's own step names
    kinds: Mapping[str, Text] = field(default_factory=dict)  # … and discovery kind names
    order: int = 0
    path: Path | None = None
    # A campaign that teaches the steps shows them on the cards before the choice (the tutorial);
    # elsewhere a card's step is revealed after the choice, so the badge cannot give the answer.
    show_steps: bool = False
