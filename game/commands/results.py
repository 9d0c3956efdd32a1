"""`mot results [--db PATH] [--room NAME] [--player NAME] [--level ID] --format csv|xapi|xlsx|votes
[-o FILE] [--homepage URL] [--unfinished]`: every finished run with its moves, for a spreadsheet
or an LRS; `--format votes` (with `--room`): every vote of the room's vote mode, one CSV row each.
`mot results … --lrs URL --lrs-user U --lrs-password-env VAR [--lrs-batch N]` sends the xAPI
statements to a Learning Record Store instead.
The database is opened read-only: nothing is created, upgraded or moved (`store.open_readonly`);
only `--lrs` writes to it, to remember which statements the LRS confirmed.

A run is *finished* when it reached an ending; `--unfinished` adds the ones stopped before (a
trainer ending the round). Runs come oldest first, moves in the order they were made. Every
export describes a run as it was played (`game.played`, stored with it since schema 6): editing
a level afterwards changes no export of it; older runs are completed from the level as it is.

CSV: UTF-8 with a byte-order mark, so Excel opens Chinese intact; one row per move, the run's
columns repeated on each (a run without moves has one row with empty move columns) — except
`points`, on the run's first row only, so a column sum adds each run once. `lang` is the run's
language, `move_no` the move's number, `moved_at` when it was made, `said` the learner's own
words when the move was typed (free-answer mode), else empty. A scene event (`event = …`,
stored since schema 8) is a row of its own where it happened: empty `move_no` and `choice`,
`step` = event, its `delta` and the `perception` after it, `moved_at` the time of the move that
led into its scene (the run's start for the first scene's). `practice` is 1 for a room's
later run of a team and level (not ranked: the first run counts), else 0. Player, team and room
names are typed by learners: one that starts with = + - @ gets a leading `'`, so a spreadsheet
never runs it as a formula.

xlsx (`-o class.xlsx`): the trainer's workbook, see `game.workbook`: Summary (one row per team,
points as the room's ranking counts them, a bar chart), Runs, Moves and Decisions sheets.

LRS (`--lrs URL --lrs-user U --lrs-password-env VAR`): the xAPI statements POSTed in batches,
see `game.lrs`; what the LRS confirmed is remembered in the store (`sent`), so nothing is sent
twice and a dropped network loses nothing: run the same command again.

xAPI: xAPI 1.0.3 statements, one JSON object per line, ready to POST to an LRS:
- per choice an `answered` statement at the time of the move: the object is the scene as a
  `cmi.interaction` Activity of interactionType `choice`, named by the customer's line as the
  player saw it (every language of the level), its choices the cards available there with
  their texts, and as the correct response the best move offered there (`game.advice`, from
  the player's own state; the author's ideal when the coach cannot say). `result.response` is
  the chosen id, `result.success` whether it was that best move (a move typed in free-answer
  mode: the learner's words and the matched id, `<words> → <id>`, with the words alone in the
  result extension …/xapi/ext/said); the step, delta, perception
  and the meter before are result extensions, the move number (1, 2, …) the context extension
  …/xapi/ext/move;
- per scene event (`event = …`: not a move) an `experienced` statement where it happened, at
  the time of the move that led into its scene (the run's start for the first scene's): the
  object …/levels/<id>/scenes/<scene>/event named by the event's words; the delta, the meter
  before and after (perception) as result extensions, the moves before it as the context
  extension …/xapi/ext/after_moves; ids from `event-1`, `event-2`, … (a move's never change);
- per level a `completed` statement and a `passed` or `failed` one. **Passed means an MOT score
  of at least +1**: the customer's expectation was met (DESIGN §1's scale: +1 "met
  expectations"); 0 and below fail. `result.score` is {raw: MOT score, min: −3, max: 3,
  scaled: raw / 3}; `duration` is ISO 8601 (PT2M13.5S).
- Actors are accounts {homePage, name} on the configurable home page, named by the team (or
  player) — in a room `<room>/<team>` (a `/` or `%` inside either written %2F, %25), so the same
  team name in two classes is two learners; activity and extension ids are IRIs under it
  (…/levels/<id>, …/levels/<id>/scenes/<scene>, …/campaigns/<id>, …/xapi/ext/step);
  `context.registration` is the run's uuid, `context.language` its language (zh-CN, en-US),
  and the campaign is the parent context activity; a practice run (see CSV) has the context
  extension …/xapi/ext/practice = true.
  Statement ids are uuid5 of the run's uuid and the statement's place in the
  run, so exporting twice gives the same ids and an LRS can drop the duplicates. The statements
  are a pure function of the stored run: the same bytes however often, and after level edits.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import uuid as uuidlib
from pathlib import Path
from urllib.parse import quote

from ..i18n import default_language, t
from ..played import SeenEvent, events_of, recorded
from ..played import timeline as played_timeline

DEFAULT_HOMEPAGE = "https://moment-of-truth.local"
PASS_SCORE = 1  # an MOT score of +1 (met expectations) or more passes

VERBS = {
    "answered": "http://adlnet.gov/expapi/verbs/answered",
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "passed": "http://adlnet.gov/expapi/verbs/passed",
    "failed": "http://adlnet.gov/expapi/verbs/failed",
    "terminated": "http://adlnet.gov/expapi/verbs/terminated",
    "experienced": "http://adlnet.gov/expapi/verbs/experienced",
}
LEVEL_TYPE = "http://adlnet.gov/expapi/activities/simulation"
CAMPAIGN_TYPE = "http://adlnet.gov/expapi/activities/course"
INTERACTION_TYPE = "http://adlnet.gov/expapi/activities/cmi.interaction"
LANGUAGE_TAGS = {"en": "en-US", "zh": "zh-CN", "*": "und"}

CSV_COLUMNS = ("run_uuid", "player", "team", "room", "level", "campaign", "mode", "lang",
               "started_at", "finished_at", "duration_s", "ending", "mot_score", "peak", "end",
               "adherence", "points", "practice", "move_no", "scene", "choice", "step", "delta",
               "perception", "moved_at", "said")


# `-o FILE` without --format: the format its suffix names (votes are CSV too: they need --format).
FORMAT_OF_SUFFIX = {".csv": "csv", ".xlsx": "xlsx", ".jsonl": "xapi", ".ndjson": "xapi"}


def add_parser(parser) -> None:
    parser.add_argument("--db", default=None, help="the SQLite database (default: the user's)")
    parser.add_argument("--room", default=None, help="only runs of this classroom room")
    parser.add_argument("--player", default=None, help="only runs of this player (or team)")
    parser.add_argument("--level", default=None, help="only runs of this level id")
    parser.add_argument("--format", choices=("csv", "xapi", "xlsx", "votes"), default=None,
                        help="csv: one row per move (UTF-8 with BOM); xapi: xAPI 1.0.3 "
                             "statements as JSON lines (passed = MOT score ≥ 1); xlsx: the "
                             "trainer's workbook (Summary, Runs, Moves, Decisions); votes: one row "
                             "per vote of the room's vote mode (needs --room)")
    parser.add_argument("-o", "--output", default=None, metavar="FILE",
                        help="write here instead of standard output (without --format, a .csv, "
                             ".xlsx or .jsonl name says the format)")
    parser.add_argument("--homepage", default=DEFAULT_HOMEPAGE, metavar="URL",
                        help=f"xAPI: the home page of actor accounts and activity ids "
                             f"(default {DEFAULT_HOMEPAGE})")
    parser.add_argument("--unfinished", action="store_true",
                        help="also runs that stopped before an ending (xAPI: `terminated`)")
    parser.add_argument("--levels", default=None, metavar="DIR",
                        help="xAPI: a folder of your own levels, read with the shipped campaigns "
                             "for the levels' titles and choices")

    parser.add_argument("--lrs", default=None, metavar="URL",
                        help="send the xAPI statements to this LRS endpoint (…/xAPI/) instead of "
                             "writing them; what it confirmed is remembered, never sent twice")
    parser.add_argument("--lrs-user", default=None, metavar="USER", help="the LRS's basic-auth user")
    parser.add_argument("--lrs-password-env", default=None, metavar="VAR",
                        help="the environment variable holding the LRS's password")
    parser.add_argument("--lrs-batch", type=int, default=None, metavar="N",
                        help="statements per request (default 100)")


def run(args) -> int:
    lang = default_language()
    from ..store import Store, StoreError, default_db_path

    db = Path(args.db) if args.db else default_db_path()
    homepage = args.homepage.rstrip("/")
    if not _is_absolute_iri(homepage):
        print(f"mot results: {t('results.bad_homepage', lang, url=args.homepage)}", file=sys.stderr)
        return 2
    if args.lrs:
        return _send_to_lrs(args, db, homepage, lang)
    if args.format is None and args.output:  # `-o runs.xlsx` says which format is meant
        args.format = FORMAT_OF_SUFFIX.get(Path(args.output).suffix.lower())
    if args.format is None:
        print(f"mot results: {t('results.needs_format', lang)}", file=sys.stderr)
        return 2
    if args.format == "votes":
        return _export_votes(args, db, lang)
    try:  # read-only: a missing, foreign or damaged file is reported, never created or moved
        with Store.open_readonly(db) as store:
            every = store.runs(room=args.room, player=args.player, level=args.level)
            votes = store.votes(args.room, args.level) if args.format == "xlsx" and args.room else []
    except StoreError as error:
        print(error.line("results", lang), file=sys.stderr)
        return 1
    runs = [r for r in every if args.unfinished or r.ending is not None]
    if args.format == "xlsx":
        from ..workbook import workbook_bytes

        data = workbook_bytes(every, votes, lang, _level_lookup(args.levels), args.unfinished)
        count = len(runs)
    elif args.format == "csv":
        data = csv_bytes(runs)
        count = max(0, data.count(b"\r\n") - 1)  # rows, less the header
    else:
        levels = _level_lookup(args.levels)
        lines = [json.dumps(s, ensure_ascii=False, separators=(",", ":"))
                 for s in xapi_statements(runs, homepage, levels)]
        data = "".join(line + "\n" for line in lines).encode("utf-8")
        count = len(lines)
    if args.output and args.output != "-":
        Path(args.output).write_bytes(data)
        key = {"csv": "results.written_csv", "xlsx": "results.written_xlsx"}.get(
            args.format, "results.written_xapi")
        print(t(key, lang, runs=len(runs), n=count, path=args.output), file=sys.stderr)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    return 0


# -- CSV ------------------------------------------------------------------------------------

def _safe_text(value: str | None) -> str:
    """Names typed by learners: never let a spreadsheet read one as a formula."""
    if not value:
        return ""
    return "'" + value if value[0] in "=+-@\t\r" else value


def csv_rows(runs) -> list[list]:
    rows = []
    for r in runs:
        head = [r.uuid, _safe_text(r.player), _safe_text(r.team), _safe_text(r.room), r.level_id,
                r.campaign_id or "", r.mode, r.lang or "", r.started_at or "", r.finished_at,
                "" if r.duration_s is None else _number(r.duration_s), r.ending or "",
                r.mot_score, r.peak, r.end_value, r.adherence, r.points, int(r.practice)]
        later = head[:16] + [""] + head[17:]  # points on the run's first row only
        timeline = played_timeline(events_of(r), list(r.moves))
        if not timeline:
            rows.append(head + [""] * 8)
        for i, m in enumerate(timeline):
            if isinstance(m, SeenEvent):  # a scene event: no move number, no choice
                at = r.moves[m.at - 1].at if 0 < m.at <= len(r.moves) else r.started_at
                rows.append((later if i else head)
                            + ["", m.scene, "", "event", m.delta, m.after, at or "", ""])
                continue
            rows.append((later if i else head)
                        + [m.seq, m.scene, m.choice, m.step, m.delta, m.perception, m.at or "",
                           _safe_text(getattr(m, "said", "") or "")])
    return rows


def csv_bytes(runs) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(csv_rows(runs))
    return out.getvalue().encode("utf-8-sig")


VOTE_COLUMNS = ("room", "round", "level", "decision", "scene", "participant", "choice", "step",
                "voted_at")


def vote_rows(votes, levels: dict | None = None) -> list[list]:
    """One row per vote: the participant by nickname (its token when the nickname is gone), the
    card's step from the level (empty when the level or the card is no longer there)."""
    levels = levels or {}
    rows = []
    for v in votes:
        level = levels.get(v.level_id)
        scene = level.scenes.get(v.scene) if level is not None else None
        choice = scene.choice(v.choice) if scene is not None else None
        rows.append([_safe_text(v.room), v.round, v.level_id, v.decision, v.scene,
                     _safe_text(v.nickname or v.participant), v.choice,
                     choice.step if choice is not None else "", v.voted_at])
    return rows


def _export_votes(args, db: Path, lang: str) -> int:
    from ..store import Store, StoreError

    if not args.room:
        print(f"mot results: {t('vote.needs_room', lang)}", file=sys.stderr)
        return 2
    try:
        with Store.open_readonly(db) as store:
            votes = store.votes(args.room, args.level)
    except StoreError as error:
        print(error.line("results", lang), file=sys.stderr)
        return 1
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(VOTE_COLUMNS)
    writer.writerows(vote_rows(votes, _level_lookup(args.levels)))
    data = out.getvalue().encode("utf-8-sig")
    if args.output and args.output != "-":
        Path(args.output).write_bytes(data)
        print(t("vote.written", lang, n=len(votes), path=args.output), file=sys.stderr)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    return 0


def _number(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


# -- xAPI -----------------------------------------------------------------------------------

def _is_absolute_iri(text: str) -> bool:
    scheme, sep, rest = text.partition(":")
    return bool(sep and scheme and scheme[0].isalpha() and rest
                and all(c.isalnum() or c in "+-." for c in scheme)
                and not any(c.isspace() for c in text))


def iso_duration(seconds: float) -> str:
    """ISO 8601 duration to the hundredth of a second (xAPI's precision): PT2M13.5S."""
    centis = round(max(0.0, seconds) * 100)
    hours, centis = divmod(centis, 360_000)
    minutes, centis = divmod(centis, 6_000)
    secs = f"{centis // 100}.{centis % 100:02d}".rstrip("0").rstrip(".")
    text = "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    if centis or text == "PT":
        text += f"{secs}S"
    return text


def _language_map(text, fallback: str) -> dict[str, str]:
    """A language map (a stored {"en": …, "zh": …, "*": …} or a level's Text) with xAPI's tags."""
    items = getattr(text, "by_lang", text) or {}
    by_lang = {LANGUAGE_TAGS.get(k, k): v for k, v in sorted(items.items()) if v}
    return by_lang or {"und": fallback}


def _level_lookup(levels_dir: str | None) -> dict:
    """level id → Level and "campaign:<id>" → Campaign, from the library; runs of levels
    that are not found still export, with their ids as names."""
    try:
        from ..library import load_library

        library = load_library(extra=[levels_dir] if levels_dir else ())
    except Exception:  # a broken library must not stop an export
        return {}
    found: dict = {lv.id: lv for lv in library.levels}
    found.update({f"campaign:{entry.campaign.id}": entry.campaign for entry in library.campaigns})
    return found


def _registration(run_uuid: str) -> uuidlib.UUID:
    try:
        return uuidlib.UUID(run_uuid)
    except ValueError:  # not a uuid (hand-made data): derive a stable one
        return uuidlib.uuid5(uuidlib.NAMESPACE_URL, f"urn:mot:run:{run_uuid}")


def xapi_statements(runs, homepage: str = DEFAULT_HOMEPAGE, levels: dict | None = None) -> list[dict]:
    homepage = homepage.rstrip("/")
    levels = levels or {}
    statements = []
    for run in runs:
        seen = recorded(run, levels.get(run.level_id), levels.get(f"campaign:{run.campaign_id}"))
        statements.extend(_run_statements(run, homepage, seen))
    return statements


def _scoped(name: str) -> str:
    return name.replace("%", "%25").replace("/", "%2F")


def actor(run, homepage: str = DEFAULT_HOMEPAGE) -> dict:
    """The run's learner: an account named by the team (or player), scoped to its room."""
    who = run.team if run.team is not None and run.room is not None else run.player
    name = f"{_scoped(run.room)}/{_scoped(who)}" if run.room is not None else run.player
    return {"objectType": "Agent", "name": who,
            "account": {"homePage": homepage.rstrip("/"), "name": name}}


def _iri(homepage: str, *parts: str) -> str:
    return "/".join([homepage, *(quote(p, safe="") for p in parts)])


def _run_statements(run, homepage: str, seen) -> list[dict]:
    """The run's statements from what it stored (`seen`: a `game.played.Played`)."""
    registration = _registration(run.uuid)
    ext = lambda name: f"{homepage}/xapi/ext/{name}"  # noqa: E731
    learner = actor(run, homepage)
    level_iri = _iri(homepage, "levels", run.level_id)
    level_activity = {
        "objectType": "Activity", "id": level_iri,
        "definition": {"type": LEVEL_TYPE,
                       "name": _language_map(seen.titles.get("level"), run.level_id)},
    }
    campaign = None
    if run.campaign_id:
        campaign = {"objectType": "Activity", "id": _iri(homepage, "campaigns", run.campaign_id),
                    "definition": {"type": CAMPAIGN_TYPE,
                                   "name": _language_map(seen.titles.get("campaign"),
                                                         run.campaign_id)}}
    extensions = {ext("mode"): run.mode}
    if run.room is not None:
        extensions[ext("room")] = run.room
    if run.team is not None:
        extensions[ext("team")] = run.team
    if run.practice:  # a later run of a level the team already played: not ranked
        extensions[ext("practice")] = True

    def statement(key: str, verb: str, obj: dict, result: dict, timestamp: str, parent: dict | None,
                  grouping: dict | None = None, more: dict | None = None) -> dict:
        context: dict = {"registration": str(registration), "platform": "Moment of Truth"}
        if run.lang:
            context["language"] = LANGUAGE_TAGS.get(run.lang, run.lang)
        context["extensions"] = {**extensions, **(more or {})}
        activities = {}
        if parent:
            activities["parent"] = [parent]
        if grouping:
            activities["grouping"] = [grouping]
        if activities:
            context["contextActivities"] = activities
        return {"id": str(uuidlib.uuid5(registration, key)), "actor": learner,
                "verb": {"id": VERBS[verb], "display": {"en-US": verb}},
                "object": obj, "result": result, "context": context, "timestamp": timestamp}

    out = []
    before = None
    events = 0
    for item in seen.timeline(list(zip(run.moves, seen.moves))):
        if not isinstance(item, tuple):  # a scene event: experienced, never answered
            events += 1
            at = run.moves[item.at - 1].at if 0 < item.at <= len(run.moves) else run.started_at
            obj = {"objectType": "Activity",
                   "id": _iri(homepage, "levels", run.level_id, "scenes", item.scene, "event"),
                   "definition": {"name": _language_map(item.text, f"{run.level_id} · {item.scene}")}}
            result = {"extensions": {ext("delta"): item.delta, ext("before"): item.before,
                                     ext("perception"): item.after}}
            out.append(statement(f"event-{events}", "experienced", obj, result,
                                 at or run.finished_at, level_activity, campaign,
                                 {ext("after_moves"): item.at}))
            before = item.after
            continue
        move, shown = item
        choices = [{"id": cid, "description": _language_map(text, cid)} for cid, text in shown.offered]
        if move.choice not in {c["id"] for c in choices}:  # not recorded (an older run, a gone level)
            choices.append({"id": move.choice, "description": _language_map(shown.choice, move.choice)})
        definition = {"type": INTERACTION_TYPE, "interactionType": "choice",
                      "name": _language_map(shown.line, f"{run.level_id} · {move.scene}"),
                      "choices": choices}
        pattern = [shown.best] if shown.best else list(shown.ideal)
        if pattern:
            definition["correctResponsesPattern"] = pattern
        meter_before = move.before if move.before is not None else before
        result = {"response": move.choice,
                  "extensions": {ext("step"): move.step, ext("delta"): move.delta,
                                 ext("perception"): move.perception}}
        said = getattr(move, "said", None)
        if said:  # typed in free-answer mode: the learner's words, then the move they matched
            result["response"] = f"{said} → {move.choice}"
            result["extensions"][ext("said")] = said
        if meter_before is not None:
            result["extensions"][ext("before")] = meter_before
        if pattern:
            result["success"] = move.choice in pattern
        obj = {"objectType": "Activity", "id": _iri(homepage, "levels", run.level_id, "scenes",
                                                    move.scene),
               "definition": definition}
        out.append(statement(f"move-{move.seq}", "answered", obj, result,
                             move.at or run.finished_at, level_activity, campaign,
                             {ext("move"): move.seq}))
        before = move.perception

    score = {"raw": run.mot_score, "min": -3, "max": 3, "scaled": run.mot_score / 3}
    passed = run.mot_score >= PASS_SCORE
    result = {"score": score, "success": passed, "completion": run.ending is not None,
              "extensions": {ext("adherence"): run.adherence, ext("points"): run.points,
                             ext("peak"): run.peak, ext("end"): run.end_value}}
    if run.ending is not None:
        result["extensions"][ext("ending")] = run.ending
    if run.duration_s is not None:
        result["duration"] = iso_duration(run.duration_s)
    if run.ending is None:
        out.append(statement("terminated", "terminated", level_activity,
                             {k: v for k, v in result.items() if k != "success"},
                             run.finished_at, campaign))
        return out
    out.append(statement("completed", "completed", level_activity, result, run.finished_at, campaign))
    out.append(statement("passed" if passed else "failed", "passed" if passed else "failed",
                         level_activity, result, run.finished_at, campaign))
    return out


# -- sending to an LRS ----------------------------------------------------------------------

def _send_to_lrs(args, db: Path, homepage: str, lang: str) -> int:
    """POST the runs' statements to `--lrs`, skipping what it confirmed before (the store's
    `sent` table) and remembering each confirmed batch at once; a bilingual summary."""
    import os

    from .. import lrs
    from ..store import Store, StoreError

    url = args.lrs
    if not url.lower().startswith(("http://", "https://")) or any(c.isspace() for c in url):
        print(f"mot results: {t('lrs.bad_url', lang, url=url)}", file=sys.stderr)
        return 2
    if not args.lrs_user or not args.lrs_password_env:
        print(f"mot results: {t('lrs.needs_user', lang)}", file=sys.stderr)
        return 2
    password = os.environ.get(args.lrs_password_env)
    if password is None:
        print(f"mot results: {t('lrs.no_password', lang, var=args.lrs_password_env)}", file=sys.stderr)
        return 2
    endpoint = lrs.statements_url(url)
    try:
        Store.open_readonly(db).close()  # missing, damaged, foreign: reported, never replaced
        with Store(db) as store:
            runs = [r for r in store.runs(room=args.room, player=args.player, level=args.level)
                    if args.unfinished or r.ending is not None]
            statements = xapi_statements(runs, homepage, _level_lookup(args.levels))
            done = store.sent_ids(endpoint)
            todo = lrs.pending(statements, done)
            client = lrs.Client(url, args.lrs_user, password)
            outcome = lrs.send(todo, client, batch_size=args.lrs_batch or lrs.BATCH_SIZE,
                               on_confirmed=lambda ids: store.mark_sent(endpoint, ids))
    except StoreError as error:
        print(error.line("results", lang), file=sys.stderr)
        return 1
    print(t("lrs.summary", lang, url=endpoint, sent=len(outcome.sent), already=len(outcome.already),
            refused=len(outcome.refused), skipped=len(statements) - len(todo),
            unsent=len(outcome.unsent)), file=sys.stderr)
    for statement_id, reason in outcome.refused:
        print(t("lrs.refused", lang, id=statement_id, reason=reason), file=sys.stderr)
    if outcome.stopped:
        print(f"mot results: {t('lrs.stopped', lang, reason=outcome.stopped)}", file=sys.stderr)
    return 0 if outcome.ok else 1
