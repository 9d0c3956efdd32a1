"""A modal with a title and a few paragraphs: the trainer's reveal and discussion prompts."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from ..widgets.prose import Prose
from .base import GameModal


class NoteScreen(GameModal):
    DEFAULT_CSS = """
    NoteScreen { align: center middle; }
    NoteScreen > VerticalScroll { width: 80%; max-width: 90; height: auto; max-height: 80%;
                                  border: thick $accent; background: $surface; padding: 1 2; }
    NoteScreen .h { text-style: bold; color: $accent; margin-bottom: 1; }
    NoteScreen Prose { margin-bottom: 1; }
    """
    BINDINGS = [Binding("escape,enter,space,q", "close", "Close", id="note.close")]

    def __init__(self, title: str, paragraphs: list[str]) -> None:
        super().__init__()
        self.note_title = title
        self.paragraphs = paragraphs

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Content(self.note_title), classes="h")
            for text in self.paragraphs:
                yield Prose(text)

    def action_close(self) -> None:
        self.dismiss(None)


def discussion_note(level, lang: str) -> NoteScreen:
    """The level's discussion questions, each followed by its model answer where it has one."""
    from ...i18n import t

    paragraphs = []
    for n, question in enumerate(level.discuss, 1):
        paragraphs.append(f"{n}. {question.get(lang)}")
        answer = level.answers[n - 1].get(lang) if n <= len(level.answers) else ""
        if answer:
            paragraphs.append(f"{t('class.model_answer', lang)} {answer}")
    return NoteScreen(t("class.discuss", lang), paragraphs or [t("class.no_discuss", lang)])
