"""`mot classroom`: the game for a trainer and teams.

Two shapes of the same room:
- hot-seat (`--teams "红队,蓝队"`): all teams on one shared screen, taking turns;
- one team per terminal or browser tab (`--team NAME`, or `--ask-team` for `mot serve`): each
  plays the level as usual while its moves and runs go to the room, which `mot scoreboard`
  shows live.
With `--campaign`, hot-seat teams play the levels one round after another, points adding up.

A round a trainer can trust:
- every level of a hot-seat round opens on a briefing ("Round n/N · level · you play …");
- round r starts with team r mod n; the podium of a campaign ranks by the running total;
- the round or campaign is saved to the room (`Store.save_round`) after every move, and
  `mot classroom --room R --resume` takes it up again: same teams, moves, passes and turn;
- Ctrl+Q asks first; a round ended early records each team's run as unfinished
  (`mot results --unfinished`);
- one team per screen: its level in progress is kept in the room (`Store.save_team_progress`),
  a screen that quits mid-level marks the team "left" for the scoreboard, and the team resumes
  where it was when it joins again. `--timer` gives each of its decisions a countdown too.

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

SAVE_VERSION = 1


class ClassroomApp(MotApp):
    CLAIM_REFRESH_SECONDS = 60.0  # well inside store.STALE_AFTER_S

    def __init__(self, *, levels: list[Level], teams: list[str] | None = None, timer: int = 60,
                 ask_team: bool = False, claim_token: str | None = None, resume: dict | None = None,
                 **kwargs) -> None:
        super().__init__(unlock_all=True, **kwargs)
        self.levels = levels
        self.teams = teams or []
        self.timer = timer
        self.ask_team = ask_team
        self.round_index = 0
        self.round: Round | None = None
        self.history: list[dict] = []  # finished rounds: {"level": id, "points": {team: points}}
        self.team_scores: dict[str, dict[str, int]] = {name: {} for name in self.teams}
        self.round_started = datetime.now(timezone.utc)
        self.phase = "briefing"  # hot-seat: "briefing", "playing" or "podium"
        self.pending = False  # hot-seat: a move's note is up; on resume the turn passes on
        self.recorded = False  # hot-seat: this round's unfinished runs are in the room
        self.resume_doc = resume  # a saved hot-seat session (Store.round_state) to take up
        if resume is not None:
            self._load(resume)
        self.library_ready.set()
        self.claim_token = claim_token or uuid.uuid4().hex  # this screen's, in the claims table
        self.claimed: str | None = None  # the team this screen holds in the room
        self.team_entry: dict | None = None  # one team per screen: its level in progress
        self.clock_memory = None  # the team countdown's time left, across a recompose

    @property
    def past_points(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for entry in self.history:
            for team, points in entry["points"].items():
                totals[team] = totals.get(team, 0) + points
        return totals

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
        self._mark_left()
        self.release()

    def _team_mode(self) -> bool:
        return not self.teams and bool(self.room)

    def save_progress(self, level: Level, seed: int | None, state, started_at: datetime) -> None:
        """One team per screen: after every move, its level in progress goes to the room."""
        if not self._team_mode() or self.store is None or not self.team:
            return super().save_progress(level, seed, state, started_at)
        if state.finished:
            return
        self.team_entry = {"level": level.id, "seed": seed, "choices": [m.choice for m in state.moves],
                           "started_at": started_at.isoformat(), "left": False}
        if any(m.said for m in state.moves):  # free-answer mode: the words typed, per choice
            self.team_entry["said"] = [m.said for m in state.moves]
        self.write_later(self.store.save_team_progress, self.room, self.team, self.team_entry)

    def finish_level(self, level: Level, state, started_at: datetime, guided: bool,
                     seed: int | None = None):
        result = super().finish_level(level, state, started_at, guided, seed=seed)
        if self._team_mode() and self.store is not None and self.team and not guided:
            self.team_entry = None
            self.write(self.store.save_team_progress, self.room, self.team, None)
        return result

    def _mark_left(self) -> None:
        """The screen quits mid-level: the scoreboard shows the team as left, and its place is
        kept for when it joins again."""
        entry = self.team_entry  # set after each move of a level, cleared when it ends
        if not self._team_mode() or self.store is None or not self.team or entry is None:
            return
        try:
            self.store.save_team_progress(self.room, self.team, {**entry, "left": True})
        except Exception:  # best effort, like the release of the claim
            pass

    def _team_resume_screen(self):
        """The scene this team left, replayed from its saved choices; None when it has none."""
        if self.store is None or not self.room or not self.team:
            return None
        try:
            entry = self.store.team_progress(self.room).get(self.team)
        except Exception:
            return None
        level = next((lv for lv in self.levels if entry and lv.id == entry.get("level")), None)
        if level is None:
            return None
        choices = entry.get("choices")
        screen = self.replay_scene(level, entry.get("seed"), choices if isinstance(choices, list) else [],
                                   entry.get("started_at"), entry.get("said") or ())
        if not screen:
            return None
        self.team_entry = {**entry, "left": False}
        self.write(self.store.save_team_progress, self.room, self.team, self.team_entry)
        return screen

    def scene_widgets(self, screen):
        """Widgets a scene shows at the top of its side panel: one team per screen with a
        timer gets the discussion countdown for each decision."""
        if not self._team_mode() or self.timer <= 0:
            return []
        from .widgets.countdown import DecisionCountdown

        return [DecisionCountdown(self.timer, label=self.tr("class.discussion"),
                                  expired_label=self.tr("class.decide_now"), id="team-clock")]

    # -- start-up --------------------------------------------------------------------------
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
            return self._session_screen()
        resumed = self._team_resume_screen()
        if resumed is not None:
            return resumed
        from .screens.briefing import BriefingScreen

        return BriefingScreen(self.levels[0])

    # -- hot-seat: rounds, saving, resuming ------------------------------------------------
    def _load(self, doc: dict) -> None:
        """Take up a saved session (see `session_state`); the round itself is rebuilt when its
        screen is made."""
        self.round_index = min(int(doc.get("round_index", 0)), len(self.levels) - 1)
        self.history = [h for h in doc.get("history", []) if isinstance(h, dict)]
        saved_scores = doc.get("team_scores", {})
        self.team_scores = {name: dict(saved_scores.get(name, {})) for name in self.teams}
        self.phase = doc.get("phase", "playing")
        self.pending = bool(doc.get("pending", False))
        self.recorded = bool(doc.get("recorded", False))
        try:
            self.round_started = datetime.fromisoformat(doc["started_at"])
        except (KeyError, TypeError, ValueError):
            pass

    def session_state(self) -> dict:
        """The hot-seat session as plain data: what `--resume` needs to go on."""
        return {"version": SAVE_VERSION, "mode": "hotseat",
                "levels": [lv.id for lv in self.levels], "teams": list(self.teams),
                "timer": self.timer, "exam": self.exam, "free": bool(self.free),
                "round_index": self.round_index,
                "history": self.history, "team_scores": self.team_scores, "phase": self.phase,
                "pending": self.pending, "recorded": self.recorded,
                "started_at": self.round_started.isoformat(),
                "round": self.round.to_dict() if self.round is not None else None}

    def save_session(self, pending: bool | None = None) -> None:
        """After every move, pass, turn and round: the session goes to the room."""
        if pending is not None:
            self.pending = pending
        if self.teams and self.room and self.store is not None:
            self.write(self.store.save_round, self.room, self.session_state())

    def _new_round(self) -> Round:
        level = self.levels[self.round_index]
        saved = (self.resume_doc or {}).get("round")
        if self.resume_doc is not None and isinstance(saved, dict) and saved.get("level") == level.id:
            self.resume_doc = None
            from ..engine import ChoiceUnavailable

            try:
                rnd = Round.from_dict(level, saved, self.team_scores)
                if self.pending and not rnd.over:
                    rnd.next_turn()  # the note of the last move was up: the next team plays
                self.pending = False
                return rnd
            except (ChoiceUnavailable, KeyError, TypeError, ValueError):
                pass  # the level changed since: the round starts again
        self.resume_doc = None
        self.phase, self.recorded, self.pending = "briefing", False, False
        self.round_started = datetime.now(timezone.utc)
        return Round(level, self.teams, self.team_scores, seed=self.play_seed(),
                     first=self.round_index % len(self.teams))

    def _session_screen(self):
        """The screen a hot-seat session opens on: the round's briefing, the round itself when
        resuming one with moves, or its podium when it had ended."""
        self.round = self._new_round()
        level = self.round.level
        if self.room and self.store is not None:
            self.write(self.store.ensure_room, self.room, level_id=level.id)
        if self.phase == "podium" or self.round.over:
            return self._podium_screen()
        if self.phase == "playing" and any(t.state.moves or t.passes for t in self.round.teams):
            return self._round_screen()
        from .screens.round_briefing import RoundBriefingScreen

        self.save_session()
        return RoundBriefingScreen(self.round, self.round_index + 1, len(self.levels))

    def _round_screen(self):
        from .screens.classroom import ClassroomScreen

        level = self.round.level
        self.phase = "playing"
        self.save_session()
        return ClassroomScreen(self.round, timer=self.timer, exam=self.exam, room=self.room,
                               steps_names=self.campaign_steps(level), on_finished=self._team_finished)

    def start_round(self) -> None:
        """From the briefing: the round's first turn."""
        self.round_started = datetime.now(timezone.utc)
        self.switch_screen(self._round_screen())

    def _team_finished(self, team) -> None:
        """A team reached an ending: its run goes into the room at once (nothing waits for the podium)."""
        level = self.round.level
        result = self.record_run(team.name, level, team.state, self.round_started, team=team.name,
                                 seed=self.round.seed)
        self.team_scores.setdefault(team.name, {})[level.id] = result.mot_score

    def _podium_screen(self):
        from .screens.podium import PodiumScreen

        self.phase = "podium"
        if not self.recorded:
            self.recorded = True
            level = self.round.level
            for team in self.round.teams:  # ended early: what each team played, as unfinished runs
                if not team.finished and team.state.moves:
                    self.record_run(team.name, level, team.state, self.round_started, team=team.name,
                                    seed=self.round.seed)
        self.save_session()
        if not self.has_next_round() and self.room and self.store is not None:
            self.write(self.store.finish_round, self.room)
        return PodiumScreen(self.round)

    def show_podium(self) -> None:
        self.switch_screen(self._podium_screen())

    def classroom_totals(self) -> dict[str, int]:
        """Points so far: finished rounds plus this one."""
        totals = self.past_points
        for standing in self.round.standings() if self.round else []:
            totals[standing.team] = totals.get(standing.team, 0) + standing.points
        return totals

    def round_points(self) -> list[tuple[Level, dict[str, int]]]:
        """Each round's points so far, this one last: (level, team → points)."""
        by_id = {lv.id: lv for lv in self.levels}
        rounds = [(by_id[h["level"]], dict(h["points"])) for h in self.history if h.get("level") in by_id]
        if self.round is not None:
            rounds.append((self.round.level, {s.team: s.points for s in self.round.standings()}))
        return rounds

    def is_campaign(self) -> bool:
        return bool(self.teams) and len(self.levels) > 1

    def has_next_round(self) -> bool:
        return bool(self.teams) and self.round_index + 1 < len(self.levels)

    def next_round(self) -> None:
        if not self.has_next_round():
            return
        self.history.append({"level": self.round.level.id,
                             "points": {s.team: s.points for s in self.round.standings()}})
        self.round_index += 1
        self.switch_screen(self._session_screen())

    # -- quitting asks first ---------------------------------------------------------------
    def _in_progress(self) -> bool:
        """Something a Ctrl+Q would interrupt: a hot-seat session with a round or a next round
        to play, or a team's level in progress."""
        if self.teams:
            return self.round is None or self.phase != "podium" or self.has_next_round()
        from .screens.scene import SceneScreen

        return any(isinstance(s, SceneScreen) and s.state is not None and s.state.moves
                   and not s.state.finished for s in self.screen_stack)

    async def action_quit(self) -> None:
        from .screens.confirm import ConfirmScreen

        if isinstance(self.screen, ConfirmScreen) or not self._in_progress():
            self.exit()
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.exit()

        key = "class.quit_question" if self.teams else "class.leave_question"
        self.push_screen(ConfirmScreen(self.tr(key, room=self.room or "", db=self.db_arg())), answer)

    def db_arg(self) -> str:
        """` --db PATH` for a command the trainer is told to type: the round is in this file."""
        import shlex

        return f" --db {shlex.quote(str(self.store.path))}" if self.store is not None else ""
