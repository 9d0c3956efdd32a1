"""`mot classroom --vote`: the projector's app. The class plays the level as one, deciding each
move by a vote from their phones.

The phones' web server (`game.vote.server.VoteServer`, aiohttp) runs on this app's own asyncio
loop — no thread: it starts when the app mounts, on the socket the command line already bound
(so a busy port was reported before the screen changed), and stops when the app unmounts,
answering every waiting phone that the vote has ended. Store writes of the server go to one
worker thread; the projector's own writes (live row, the run at the ending) are the app's.

With `--campaign`, each level is a round: its votes carry round `round_base + n`, after the
highest round the room already had, so a room used again never mixes two sessions' votes.
"""

from __future__ import annotations

import socket
from datetime import datetime

from ..model import Level
from ..vote.room import VoteRoom
from ..vote.server import VoteServer
from .classroom_app import ClassroomApp

CLASS_TEAM = "全班 · class"  # the team the class's runs and live row are stored under


class VoteApp(ClassroomApp):
    def __init__(self, *, levels: list[Level], vote_room: VoteRoom, public_url: str,
                 sock: socket.socket | None = None, host: str = "127.0.0.1", port: int = 0,
                 round_base: int = 0, poll_timeout: float | None = None, **kwargs) -> None:
        super().__init__(levels=levels, teams=[], timer=0, **kwargs)
        self.vote_room = vote_room
        self.public_url = public_url.rstrip("/")
        self.sock = sock
        self.host = host
        self.port = port
        self.round_base = round_base
        self.class_team = CLASS_TEAM
        options = {} if poll_timeout is None else {"poll_timeout": poll_timeout}
        self.vote_server = VoteServer(vote_room, store=self.store, store_room=self.room or vote_room.name,
                                      secure_cookie=self.public_url.startswith("https:"),
                                      on_store_error=self._store_failed, **options)

    @property
    def join_url(self) -> str:
        """What the QR code holds: the page with the code filled in."""
        return f"{self.public_url}/?code={self.vote_room.code}"

    # -- the server's life is the app's ---------------------------------------------------
    async def on_mount(self) -> None:
        """Before the first screen (Textual runs the base classes' `on_mount` after this one)."""
        self.port = await self.vote_server.start(self.sock, self.host, self.port)
        if self.store is not None:  # for `mot scoreboard` on another screen (`j`)
            self.write(self.store.set_join_info, self.room or self.vote_room.name, self.join_url,
                       self.vote_room.code)

    async def on_unmount(self) -> None:
        await self.vote_server.stop()

    def _store_failed(self, error: Exception) -> None:
        from ..store import StoreError

        def fail():
            raise error

        if isinstance(error, StoreError):
            self.write(fail)  # the app's notice, once per kind of failure

    async def action_quit(self) -> None:
        """Ctrl+Q asks first while the class is still playing (as q does); a second one quits."""
        from .screens.vote import VoteScreen

        playing = self.vote_room.status != "ended" or self.following_level() is not None
        if isinstance(self.screen, VoteScreen) and playing:
            self.screen.action_quit_vote()
        else:
            self.exit()

    # -- levels as rounds -----------------------------------------------------------------
    def first_screen(self):
        from .screens.vote import VoteScreen

        return VoteScreen(self.levels[self.round_index], self.round_base + self.round_index + 1)

    def following_level(self) -> Level | None:
        index = self.round_index + 1
        return self.levels[index] if index < len(self.levels) else None

    def has_next_round(self) -> bool:
        return self.following_level() is not None

    def next_level(self) -> None:
        if self.following_level() is None:
            return
        self.round_index += 1
        self.switch_screen(self.first_screen())

    def finish_vote_level(self, level: Level, state, started_at: datetime, seed: int | None):
        """The class reached an ending: its run goes into the room, as the class's team."""
        return self.record_run(self.class_team, level, state, started_at, team=self.class_team, seed=seed)
