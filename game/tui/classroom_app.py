"""`mot classroom`: the game for a trainer and teams.

Two shapes of the same room:
- hot-seat (`--teams "红队,蓝队"`): all teams on one shared screen, taking turns;
- one team per terminal or browser tab (`--team NAME`, or `--ask-team` for `mot serve`): each
  plays the level as usual while its moves and runs go to the room, which `mot scoreboard`
  shows live.
With `--campaign`, hot-seat teams play the levels one round after another, points adding up.

One screen per team of a room: `claim` takes the team's name in the store (atomically, with this
app's own token) before it plays, a timer keeps the claim fresh, and quitting releases it. A name
already playing elsewhere is refused (the command line says so; the team-name screen asks again
or offers "that's us: resume").
"""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

from textual import work

from ..classroom import Round
from ..model import Level
from .app import MotApp


class ClassroomApp(MotApp):
    CLAIM_REFRESH_SECONDS = 60.0  # well inside store.STALE_AFTER_S

    def __init__(self, *, levels: list[Level], teams: list[str] | None = None, timer: int = 60,
                 ask_team: bool = False, claim_token: str | None = None, **kwargs) -> None:
        super().__init__(unlock_all=True, **kwargs)
        self.levels = levels
        self.teams = teams or []
        self.timer = timer
        self.ask_team = ask_team
        self.round_index = 0
        self.round: Round | None = None
        self.past_points: dict[str, int] = {}
        self.team_scores: dict[str, dict[str, int]] = {name: {} for name in self.teams}
        self.round_started = datetime.now(timezone.utc)
        self.library_ready.set()
        self.claim_token = claim_token or uuid.uuid4().hex  # this screen's, in the claims table
        self.claimed: str | None = None  # the team this screen holds in the room

    # -- one screen per team ---------------------------------------------------------------
    def claim(self, team: str, resume: bool = False) -> bool:
        """Take `team` of the room for this screen; False when another screen is playing it.
        Without a room or a store there is nothing to share, so nothing to refuse."""
        if not self.room or self.store is None:
            return True
        if self.claimed and self.claimed != team:
            self.release()
        if not self.store.claim_team(self.room, team, self.claim_token, resume=resume):
            return False
        self.claimed = team
        return True

    def release(self) -> None:
        """Free the team's name (the game ended or quit). Best effort: a claim that cannot be
        removed goes stale by itself."""
        team, self.claimed = self.claimed, None
        if team and self.room and self.store is not None:
            try:
                self.store.release_team(self.room, team, self.claim_token)
            except Exception:
                pass

    def claim_and_join(self, team: str, resume: bool = False) -> bool:
        """The team-name screen: join under `team` if no other screen plays it (or `resume`)."""
        if not self.claim(team, resume=resume):
            return False
        self.join_as(team)
        return True

    @work(thread=True, exclusive=True, group="claim")
    def refresh_claim(self) -> None:
        """While a team reads a briefing or discusses, its claim stays fresh."""
        if self.claimed and self.room and self.store is not None:
            try:
                self.store.refresh_claim(self.room, self.claimed, self.claim_token)
            except Exception:  # a busy or full disk: the next refresh tries again
                pass

    def on_unmount(self) -> None:
        self.release()

    def get_default_screen(self):
        """A plain base: the classroom's screens are pushed on it, because Textual cannot
        `switch_screen` away from the bottom of the stack (and rounds, teams and briefings do)."""
        from textual.screen import Screen

        return Screen()

    def on_mount(self) -> None:
        super().on_mount()
        self.set_interval(self.CLAIM_REFRESH_SECONDS, self.refresh_claim)
        self.push_screen(self.first_screen())

    def first_screen(self):
        if self.ask_team and not self.team:
            from .screens.team_name import TeamNameScreen

            return TeamNameScreen()
        if self.teams:
            return self._round_screen()
        from .screens.briefing import BriefingScreen

        return BriefingScreen(self.levels[0])

    def _round_screen(self):
        from .screens.classroom import ClassroomScreen

        level = self.levels[self.round_index]
        self.round = Round(level, self.teams, self.team_scores, seed=self.play_seed())
        self.round_started = datetime.now(timezone.utc)
        if self.room and self.store is not None:
            self.store.ensure_room(self.room, level_id=level.id)
        return ClassroomScreen(self.round, timer=self.timer, exam=self.exam, room=self.room,
                               steps_names=self.campaign_steps(level), on_finished=self._team_finished)

    def _team_finished(self, team) -> None:
        """A team reached an ending: its run goes into the room at once (nothing waits for the podium)."""
        level = self.round.level
        result = self.record_run(team.name, level, team.state, self.round_started, team=team.name,
                                 seed=self.round.seed)
        self.team_scores[team.name][level.id] = result.mot_score

    def classroom_totals(self) -> dict[str, int]:
        """Points so far: finished rounds plus this one."""
        totals = dict(self.past_points)
        for standing in self.round.standings() if self.round else []:
            totals[standing.team] = totals.get(standing.team, 0) + standing.points
        return totals

    def has_next_round(self) -> bool:
        return bool(self.teams) and self.round_index + 1 < len(self.levels)

    def next_round(self) -> None:
        if not self.has_next_round():
            return
        self.past_points = self.classroom_totals()
        self.round_index += 1
        self.switch_screen(self._round_screen())
