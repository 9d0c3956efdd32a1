"""The parts of a scene shared by solo play and the classroom: who speaks, the line, the
numbered choices, and the coach's note after a move. Each is a compose fragment
(`yield from dialogue(...)` inside a `compose`), styled by the screen that uses it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Static

from ...engine import Event, Move, State
from ...i18n import meter_text, step_name, t
from ...model import Choice, Level, Scene, Text
from ...reference import cited_by
from .choice_card import ChoiceCard
from .meter import tone
from .portrait import Portrait
from .prose import Prose, ProseStatic
from .step_badges import badge

SCENE_VIEW_CSS = """
#speaker-row { height: auto; margin-bottom: 1; }
#speaker-text { height: auto; width: 1fr; }
#speaker { text-style: bold; color: $accent; }
#role { color: $foreground-muted; }
#narration { text-style: italic; }
#choices { height: auto; }
#coach { height: auto; padding: 0 1; border: round $accent; }
#coach .coach-label { color: $foreground-muted; text-style: bold; }
#coach Prose { margin-bottom: 1; }
#coach #coach-said { margin-bottom: 0; text-style: italic; }
"""


def dialogue(level: Level, scene: Scene, lang: str, text: Text | None = None) -> ComposeResult:
    """Who speaks and what; `text` is the wording the player sees (a variant, or the scene's)."""
    line = (text or scene.text).get(lang)
    speaker = level.character(scene.speaker)
    with Horizontal(id="speaker-row"):
        if speaker and speaker.portrait:
            yield Portrait(speaker.portrait)
        with Vertical(id="speaker-text"):
            if speaker:  # Prose: a name or role in Chinese text must not split a Latin word
                yield Prose(speaker.name.get(lang), id="speaker")
                if speaker.role:
                    yield Prose(speaker.role.get(lang), id="role")
                yield Prose(line, id="line")
            else:
                yield Prose(line, id="narration")


def entered_event(level: Level, state: State) -> Event | None:
    """The scene event that happened on entering `state`'s scene, after its last move (the
    start scene's before the first), or None: what the stage shows above the scene's words."""
    event = state.entered
    if event is None:
        return None
    scene = level.scenes.get(event.scene)
    return event if scene is not None and scene.event is not None else None


def event_text(level: Level, state: State, lang: str, show_meter: bool = True) -> str | None:
    """The event of the scene just entered (`entered_event`) as an event, never as a move:
    "» The box arrives crushed.  (+0 → -1 …)"; `show_meter` False in exam mode."""
    event = entered_event(level, state)
    if event is None:
        return None
    text = level.scenes[event.scene].event.text.get(lang)
    if not show_meter:
        return t("scene.event", lang, text=text)
    return t("run.event", lang, text=text, meter=meter_text(event.before, event.perception, event.delta, lang))


class EventLine(Prose):
    """A scene event's line, in the warning colour: Prose, so Chinese wraps per character and
    no line starts with closing punctuation."""

    def render(self) -> Content:
        return Content.styled(super().render().plain, "bold $warning")


def event_line(level: Level, state: State, lang: str, show_meter: bool = True) -> ComposeResult:
    """`event_text` on the stage, above the scene's words. Solo play, the hot-seat classroom
    and the vote projector all show a scene's event with this."""
    text = event_text(level, state, lang, show_meter)
    if text is not None:
        yield EventLine(text, id="event", classes="event")


def choice_cards(choices: list[Choice], lang: str, steps_names=None, guided: bool = False,
                 show_steps: bool = False) -> ComposeResult:
    """The cards in the order given (the shown order). Without `show_steps` a card shows no
    step: the badge would tell the player which move the model wants before they judge."""
    with Vertical(id="choices"):
        for i, choice in enumerate(choices, 1):
            yield ChoiceCard(i, choice, lang, steps_names, ideal_mark=guided and choice.ideal,
                             show_step=show_steps)
        if not choices:  # a dead end in the level (mot check's W103): say so, never a blank stage
            yield Prose(t("scene.stuck", lang), id="stuck", classes="stuck")


def name_the_step(choice: Choice, lang: str) -> ComposeResult:
    """The move just made, without its step: the learner names it before the note reveals it."""
    with Vertical(id="coach"):
        yield ProseStatic(Content.styled(choice.text.get(lang), "bold"), id="coach-choice")
        yield Static(Content.styled(t("scene.name_step", lang), "bold $accent"), id="name-step")


def coach_note(level: Level, choice: Choice, move: Move, lang: str, steps_names=None,
               show_feedback: bool = True, verdict: bool | None = None,
               after: State | None = None, event_meter: bool = True) -> ComposeResult:
    """The move just made, its effect on the meter, and (unless held back) the coach's note;
    `verdict` says whether the learner named its step right (the name-the-step practice).
    `after`, the state the move led to: when the next scene's event has already moved the
    meter (the classroom's board shows it at once), the event follows the note (`event_line`)."""
    with Vertical(id="coach"):
        if verdict is not None:
            key = "scene.named_right" if verdict else "scene.named_wrong"
            yield Static(Content.styled(t(key, lang, step=step_name(choice.step, lang, steps_names)),
                                        "bold $success" if verdict else "bold $error"), id="named")
        if getattr(move, "said", ""):  # free-answer mode: the learner's words (data, never markup)
            yield Prose(t("say.closest", lang, said=move.said), id="coach-said")
        yield ProseStatic(Content.assemble(badge(choice.step, lang, True, steps_names), " ",
                                      (choice.text.get(lang), "bold")), id="coach-choice")
        if show_feedback:
            yield Static(Content.styled(meter_text(move.before, move.perception, move.delta, lang),
                                        f"bold {tone(move.perception - move.before)}"), id="coach-meter")
            if choice.feedback:
                yield Static(Content(t("scene.coach", lang)), classes="coach-label")
                yield Prose(choice.feedback.get(lang), id="feedback")
                cited = cited_by(choice.feedback)
                if cited:
                    titles = " · ".join(c.title.get(lang) for c in cited)
                    yield Static(Content.styled(t("scene.cites", lang, titles=titles), "italic $secondary"),
                                 id="cites")
            if choice.thought:
                customer = level.character(level.customer)
                name = customer.name.get(lang) if customer else ""
                yield Static(Content(t("scene.thinks", lang, name=name)), classes="coach-label")
                yield Prose(choice.thought.get(lang), id="thought")
        if after is not None:
            yield from event_line(level, after, lang, show_meter=event_meter)
        yield Button(t("scene.continue", lang), id="continue", variant="primary")
