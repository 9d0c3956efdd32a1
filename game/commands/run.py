"""`mot run LEVEL --choices ID,ID,… [--json] [--lang zh|en] [--score LEVEL=N]`: headless play."""

from __future__ import annotations

import json
import sys

from ..engine import ChoiceUnavailable, Game, State
from . import SEED_HELP, game_for, seed_arg
from ..i18n import STEP_LETTERS, default_language, kind_name, meter_text, step_name, t
from ..scoring import Result, score


def add_parser(parser) -> None:
    parser.add_argument("level", metavar="LEVEL", help="a level id from levels/, or a .toml file")
    parser.add_argument("--choices", default="", help="choice ids, comma-separated, one per scene")
    parser.add_argument("--ideal", action="store_true", help="follow the ideal path instead")
    parser.add_argument("--say", action="append", default=[], metavar="TEXT",
                        help="play the next move by typing it (zh or en), matched in the scene "
                             "reached after --choices (free-answer mode); repeatable")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--lang", choices=("zh", "en"), default=None)
    parser.add_argument("--score", action="append", default=[], metavar="LEVEL=N",
                        help="an earlier level's MOT score, for score.<level> conditions")
    parser.add_argument("--db", default=None, help="record the run into this SQLite database")
    parser.add_argument("--room", default=None, help="classroom room to record into")
    parser.add_argument("--team", default=None, help="team or player name for the record")
    parser.add_argument("--seed", type=seed_arg, default=None, help=SEED_HELP)


def parse_scores(values: list[str], lang: str, command: str = "run") -> dict[str, int] | None:
    scores = {}
    for value in values:
        name, _, number = value.partition("=")
        try:
            n = int(number)
        except ValueError:
            n = None
        if not name or n is None or not -3 <= n <= 3:
            print(f"mot {command}: {t('cli.bad_score', lang, value=value)}", file=sys.stderr)
            return None
        scores[name] = n
    return scores


def offered_orders(game: Game, state) -> list[list[str]]:
    """For each move, the choice ids in the order the player was shown them."""
    seen, out = game.start(), []
    for move in state.moves:
        out.append([c.id for c in game.offered(seen)])
        seen = game.apply(seen, move.choice)
    return out


def result_json(result: Result, state, lang: str, game: Game, kinds=None) -> dict:
    offered = offered_orders(game, state)
    advice = _advice(game, state)
    level = game.level
    return {
        "level": result.level,
        "seed": game.seed,
        "ending": result.ending,
        "path": [{"scene": m.scene, "choice": m.choice, "step": m.step, "delta": m.delta,
                  "perception": m.perception, "offered": shown,
                  "best": advice[i].best.id if i < len(advice) else None,
                  "note": _note(level, m, lang), "said": m.said or None}
                 for i, (m, shown) in enumerate(zip(state.moves, offered))],
        # Scene events (`event = …`): not moves; `after_moves` says where they fall among them.
        "events": [{"scene": e.scene, "text": _event_text(level, e, lang), "delta": e.delta,
                    "before": e.before, "perception": e.perception, "after_moves": e.at}
                   for e in state.events],
        "trace": list(result.trace),
        "peak": result.peak,
        "peak_move": result.peak_move,
        "peak_event": result.peak_event,
        "peak_event_scene": state.events[result.peak_event - 1].scene if result.peak_event else None,
        "start": result.start,
        "end": result.end,
        "mot_score": result.mot_score,
        "label": result.label(lang),
        "adherence": result.adherence.as_dict(),
        "discoveries": {"found": list(result.found), "missed": list(result.missed)},
        # each found discovery with its kind, named as the campaign names it (`[campaign.kinds]`)
        "found_kinds": [{"id": d, "kind": level.discoveries[d].kind,
                         "kind_name": kind_name(level.discoveries[d].kind, lang, kinds)}
                        for d in result.found if d in level.discoveries],
        "word_of_mouth": result.word_of_mouth.as_dict(),
        "points": result.points,
    }


def run(args) -> int:
    from datetime import datetime, timezone

    started_at = datetime.now(timezone.utc)  # recorded with the run (--db, --room)
    lang = args.lang or default_language()
    started = game_for(args, lang, "run")
    if started is None:
        return 1
    game, campaign = started
    level = game.level
    choices = game.ideal_path() if args.ideal else [c for c in args.choices.split(",") if c.strip()]
    try:
        state = game.play([c.strip() for c in choices])
    except ChoiceUnavailable as exc:
        print("mot run: " + t("cli.no_choice", lang, choice=exc.choice, scene=exc.scene,
                              available=", ".join(exc.available) or "—"), file=sys.stderr)
        return 1
    if any(not said.strip() for said in args.say):  # nothing to match: say so, before loading the model
        print("mot run: " + t("run.say_empty", lang), file=sys.stderr)
        return 1
    if args.say and not args.ideal:
        state = _say(game, state, args.say, lang)
        if not isinstance(state, State):
            return state
    if not state.finished:
        available = ", ".join(c.id for c in game.choices(state)) or "—"
        print("mot run: " + t("cli.unfinished", lang, scene=state.scene, available=available),
              file=sys.stderr)
        return 1
    result = score(level, state)
    if args.db or args.room or args.team:
        from ..played import played
        from ..store import StoreError, record_headless  # only when asked: plain runs skip SQLite

        try:
            record_headless(args.db, args.room, args.team, level, state, result, seed=game.seed,
                            started_at=started_at, lang=lang,
                            played=played(level, state, game.scores, campaign))
        except StoreError as error:  # read-only, full, another program's file: said, not a traceback
            print(error.line("run", lang), file=sys.stderr)
            return 1
    if args.json:
        json.dump(result_json(result, state, lang, game, campaign.kinds if campaign else None),
                  sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print(transcript(game, state, result, lang, campaign.steps if campaign else None,
                         campaign.kinds if campaign else None))
    return 0


def _say(game: Game, state: State, texts: list[str], lang: str) -> "State | int":
    """Play each typed answer as the move it matches in the scene reached; an answer that does
    not clearly match (or the extra missing) is said on stderr and gives the exit code."""
    from .match import load_matcher

    matcher = load_matcher("run", lang)
    if matcher is None:
        from .match import UNAVAILABLE_EXIT

        return UNAVAILABLE_EXIT
    for text in texts:
        if state.finished:
            print("mot run: " + t("run.say_ended", lang, said=text), file=sys.stderr)
            return 1
        choices = game.choices(state)
        match = matcher.match(game.level.id, choices, text)
        if match.pick is None:
            scene = game.level.scenes[state.scene]
            if match.candidates:
                named = t("match.or", lang).join(
                    f"{cid} «{scene.choice(cid).text.get(lang)}»" for cid in match.candidates)
                print("mot run: " + t("run.say_ask", lang, said=match.text, scene=state.scene,
                                      candidates=named), file=sys.stderr)
            else:
                print("mot run: " + t("run.say_none", lang, said=match.text, scene=state.scene,
                                      available=", ".join(c.id for c in choices) or "—"),
                      file=sys.stderr)
            return 1
        state = game.apply(state, match.pick, said=match.text)
    return state


def _advice(game: Game, state):
    from ..advice import Coach  # the analyser: only for runs that print advice

    return Coach(game.level, dict(game.scores)).advise(state)


def _event_text(level, event, lang: str) -> str:
    scene = level.scenes.get(event.scene)
    return scene.event.text.get(lang) if scene is not None and scene.event is not None else ""


def _event_lines(level, state, at: int, lang: str) -> list[str]:
    """The scene events met after `at` moves, as transcript lines (not numbered: not moves)."""
    return [t("run.event", lang, text=_event_text(level, e, lang),
              meter=_applied(e.before, e.perception, e.delta, lang))
            for e in state.events if e.at == at]


def _applied(before: int, after: int, delta: int, lang: str, case: str | None = None) -> str:
    """The change actually applied and what it did to the meter: `+1: -1 → +0 …`; a change the
    ±3 bounds cut says so (`-2 (clamped): already at -3 …`), and a conditional `perception`
    says which case applied (`-2 when promised`, `-1 otherwise`)."""
    text = f"{delta:+d}"
    if case is not None:
        text = t("run.delta_case", lang, delta=text, when=case) if case else t("run.delta_default", lang, delta=text)
    if before + delta != after:
        text = t("run.clamped", lang, delta=text)
    return t("run.applied", lang, delta=text, meter=meter_text(before, after, delta, lang))


def _case(game: Game, state, choice) -> str | None:
    """The `when` of the `perception` case that applied from `state` ("" for the last, default
    case), or None when the choice has a plain `perception`."""
    if not choice.deltas:
        return None
    env = game.env(state)
    return next((cond.source for cond, _ in choice.deltas if cond.evaluate(env)), "")


def _note(level, move, lang: str) -> str | None:
    choice = level.scenes[move.scene].choice(move.choice)
    return choice.feedback.get(lang) if choice.feedback else None


def transcript(game: Game, state, result: Result, lang: str, steps_names=None, kinds=None) -> str:
    """The play as read, as an interaction analysis sheet: each scene in the words the player met
    (variants replayed), the move and what it did to the meter, the coach's note and the
    customer's thought, and the best move among those offered there."""
    level = game.level
    advice = _advice(game, state)
    customer = level.character(level.customer)
    lines = [level.title.get(lang), ""]
    seen = game.start()
    for n, move in enumerate(state.moves, 1):
        lines.extend(_event_lines(level, state, n - 1, lang))
        scene = level.scenes[move.scene]
        speaker = level.character(scene.speaker)
        who = f"{speaker.name.get(lang)}: " if speaker else ""
        lines.append(f"{who}{game.scene_text(seen, scene).get(lang)}")
        choice = scene.choice(move.choice)
        case = _case(game, seen, choice)
        seen = game.take(seen, choice)
        step = f"{STEP_LETTERS[move.step]} {step_name(move.step, lang, steps_names)}"
        lines.append(t("run.move", lang, n=n, step=step, choice=choice.text.get(lang),
                       meter=_applied(move.before, move.perception, move.delta, lang, case)))
        if move.said:
            lines.append(t("run.said", lang, said=move.said))
        if choice.feedback:
            lines.append(t("run.coach", lang, note=choice.feedback.get(lang)))
        if choice.thought:
            name = customer.name.get(lang) if customer else ""
            lines.append(t("run.thinks", lang, name=name, thought=choice.thought.get(lang)))
        if n <= len(advice):
            tip = advice[n - 1]
            if tip.was_best:
                lines.append(t("run.was_best", lang))
            elif tip.best_best is not None:
                best_step = f"{STEP_LETTERS[tip.best.step]} {step_name(tip.best.step, lang, steps_names)}"
                yours = "—" if tip.taken_best is None else f"{tip.taken_best:+d}"
                key = "run.best_now" if tip.taken_best == tip.best_best else "run.best"
                lines.append(t(key, lang, step=best_step, choice=tip.best.text.get(lang),
                               score=tip.best_best, yours=yours))
            if tip.door is not None and not tip.was_best:
                lines.append(t("run.door", lang, n=tip.door[0] + 1, choice=tip.door[1].text.get(lang)))
        lines.append("")
    ending = level.endings[state.ending]
    lines.append(t("run.ending", lang, title=ending.title.get(lang)))
    if ending.text:
        lines.append(ending.text.get(lang))
    if result.peak_event:  # the customer remembers something that happened, not a move
        lines.append(t("run.score_event", lang, score=result.mot_score, label=result.label(lang),
                       peak=result.peak, end=result.end, scene=state.events[result.peak_event - 1].scene))
    else:
        lines.append(t("run.score", lang, score=result.mot_score, label=result.label(lang),
                       peak=result.peak, end=result.end))
    badges = " ".join(STEP_LETTERS[s] if ok else "·" for s, ok in result.adherence.badges.items())
    lines.append(t("run.adherence", lang, total=result.adherence.total, badges=badges))
    lines.append(t("run.discoveries", lang, found=len(result.found),
                   total=len(result.found) + len(result.missed)))
    for found in result.found:
        discovery = level.discoveries.get(found)
        if discovery is not None:
            lines.append(t("run.found", lang, kind=kind_name(discovery.kind, lang, kinds),
                           text=discovery.text.get(lang)))
    wom = result.word_of_mouth
    lines.append(t(f"wom.{wom.tone}", lang, n=wom.people_max, lo=wom.people_min, hi=wom.people_max))
    return "\n".join(lines)
