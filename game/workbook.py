"""The trainer's workbook: `mot results --format xlsx -o class.xlsx` (openpyxl, no Textual).

Four sheets, headers in the trainer's language, header rows frozen, columns sized:
- Summary: one row per team (per player outside a room): rank, points counted as the room's
  ranking counts them (`Store.ranking`: each team's first run of a level; later runs are
  practice), each level's MOT score, adherence, discoveries found, turns lost to the timer;
  and a bar chart of points by team.
- Runs: one row per run, with its start and finish as date-time cells (UTC) and its duration.
- Moves: one row per move: the customer's line and the card chosen as the player saw them, in
  the run's language (`game.played`), the step, the meter before and after, the time. A scene
  event (`event = …`, schema 8) is a row of its own between the moves, where the customer
  lived it: no move number and no choice, its words in the line column, "scene event (not a
  move)" as its step, the meter before and after; its time is the move that led into the scene
  (the run's start for the first scene's). So the meter never jumps between two rows unexplained.
- Decisions: one row per scene (and per room vote): how many teams — or voters — took each
  card, the author's ideal marked ✓.

Text typed by learners (team, player and room names) is never read as a formula: a value that
starts with = is stored as a text cell, not a formula, and shows exactly as typed.
"""

from __future__ import annotations

import io
import unicodedata
from datetime import datetime, timedelta
from typing import Iterable, Sequence

from .i18n import step_name, t
from .played import pick, recorded

DATE_FORMAT = "yyyy-mm-dd hh:mm:ss"
DURATION_FORMAT = "[h]:mm:ss"
MAX_WIDTH = 60  # characters; longer text wraps
LINE_WIDTH = 50  # the Moves sheet's customer line and card
CARD_WIDTH = 30  # the Decisions sheet's cards: several side by side
HEADER_WIDTH = 14  # a header wider than its column's data wraps onto a second line
LANG_NAMES = {"en": "English", "zh": "中文"}
HEADER_FILL = "DDE6F0"
FONT = "Calibri"  # openpyxl's default body font
IDEAL_FILL = "D9EAD3"


# -- the rules, as pure functions of the stored runs ---------------------------------------------

def _team(run) -> str:
    return run.team if run.team is not None else run.player


def counted_runs(runs: Sequence) -> list:
    """Each team's first run of each level (by finished_at, then id), per room: the runs that
    score, exactly as `Store.ranking` counts them."""
    seen: set[tuple] = set()
    out = []
    for run in sorted(runs, key=lambda r: (r.finished_at, r.id)):
        key = (run.room, _team(run), run.level_id)
        if key not in seen:
            seen.add(key)
            out.append(run)
    return out


def summary_rows(runs: Sequence) -> list[dict]:
    """Per (room, team): points, runs counted, practice runs, each level's MOT score, adherence,
    discoveries found and turns lost, over its counted runs; in the ranking's order (points,
    then the MOT score of its latest counted run, then name) with a competition rank per room."""
    counted = counted_runs(runs)
    counted_ids = {r.id for r in counted}
    teams: dict[tuple, dict] = {}
    for run in sorted(runs, key=lambda r: (r.finished_at, r.id)):
        row = teams.setdefault((run.room, _team(run)), {
            "room": run.room, "team": _team(run), "points": 0, "runs": 0, "practice": 0,
            "levels": {}, "adherence": 0, "found": 0, "lost_turns": 0, "last": None})
        if run.id not in counted_ids:
            row["practice"] += 1
            continue
        row["points"] += run.points
        row["runs"] += 1
        row["levels"][run.level_id] = run.mot_score
        row["adherence"] += run.adherence
        row["found"] += run.found
        row["lost_turns"] += run.lost_turns or 0
        row["last"] = run  # the latest counted run (finished_at, id order)
    rows = list(teams.values())
    rows.sort(key=lambda r: (r["room"] or "", -r["points"],
                             -(r["last"].mot_score if r["last"] else -99), r["team"]))
    for i, row in enumerate(rows):
        prev = rows[i - 1] if i else None
        if prev is not None and prev["room"] == row["room"]:
            same = (prev["points"], prev["last"] and prev["last"].mot_score) == (
                row["points"], row["last"] and row["last"].mot_score)
            row["rank"] = prev["rank"] if same else (
                sum(1 for r in rows[:i] if r["room"] == row["room"]) + 1)
        else:
            row["rank"] = 1
    return rows


def decision_rows(runs: Sequence, votes: Iterable = (), levels: dict | None = None) -> list[dict]:
    """One row per (level, scene) the counted runs reached: which cards were there (as the
    players saw them), how many teams took each, the author's ideal; then one per scene the
    room voted on, counting voters. Levels and scenes in the order they were first played."""
    levels = levels or {}
    scenes: dict[tuple, dict] = {}

    def scene_row(kind: str, level_id: str, scene: str, order: tuple) -> dict:
        return scenes.setdefault((kind, level_id, scene), {
            "kind": kind, "level": level_id, "scene": scene, "title": {"*": level_id},
            "line": None, "cards": {}, "ideal": set(), "counts": {}, "who": {}, "order": order})

    texts: dict[tuple, dict] = {}  # (level, scene) → card id → map, from every run
    first_seen: dict[str, int] = {}
    for run in sorted(counted_runs(runs), key=lambda r: (r.finished_at, r.id)):
        seen = recorded(run, levels.get(run.level_id), levels.get(f"campaign:{run.campaign_id}"))
        first_seen.setdefault(run.level_id, len(first_seen))
        for move, shown in zip(run.moves, seen.moves):
            row = scene_row("teams", run.level_id, move.scene,
                            (first_seen[run.level_id], move.seq, move.scene))
            row["order"] = min(row["order"], (first_seen[run.level_id], move.seq, move.scene))
            row["title"] = seen.titles.get("level") or row["title"]
            if row["line"] is None and shown.line:
                row["line"] = shown.line
            cards = texts.setdefault((run.level_id, move.scene), {})
            for card_id, text in shown.offered:
                cards.setdefault(card_id, text)
            cards.setdefault(move.choice, shown.choice)
            row["ideal"].update(shown.ideal)
            row["who"].setdefault(move.choice, set()).add((run.room, _team(run)))
    for vote in votes:
        first_seen.setdefault(vote.level_id, len(first_seen))
        row = scene_row("votes", vote.level_id, vote.scene,
                        (first_seen[vote.level_id], vote.decision, vote.scene))
        row["who"].setdefault(vote.choice, set()).add((vote.round, vote.participant))
    out = []
    for (kind, level_id, scene), row in scenes.items():
        twin = scenes.get(("teams", level_id, scene))
        if kind == "votes" and twin is not None:
            row["title"], row["line"], row["ideal"] = twin["title"], twin["line"], twin["ideal"]
        cards = dict(texts.get((level_id, scene), {}))
        level = levels.get(level_id)
        scene_def = level.scenes.get(scene) if level is not None else None
        if scene_def is not None and not cards:  # voted on, never played: the level's own cards
            from .played import language_map

            cards = {c.id: language_map(c.text) for c in scene_def.choices}
            row["ideal"] = {c.id for c in scene_def.choices if c.ideal}
            row["line"] = row["line"] or language_map(scene_def.text)
            row["title"] = language_map(level.title)
        for card_id in row["who"]:
            cards.setdefault(card_id, {"*": card_id})
        row["cards"] = cards
        row["counts"] = {card: len(row["who"].get(card, ())) for card in cards}
        out.append(row)
    out.sort(key=lambda r: (r["order"], r["kind"]))
    return out


# -- the workbook --------------------------------------------------------------------------------

def _naive_utc(text: str | None) -> datetime | None:
    """A stored ISO time as a naive UTC datetime (Excel has no time zones; headers say UTC)."""
    if not text:
        return None
    when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return when.replace(tzinfo=None) - (when.utcoffset() or timedelta(0))


def _width(value) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 19
    text = str(value)
    longest = max((sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
                   for line in text.splitlines() or [""]), default=0)
    return longest


class _Sheet:
    """Rows appended with text cells that never turn into formulas; columns sized at the end."""

    def __init__(self, ws, headers: list[str]) -> None:
        from openpyxl.styles import Alignment, Font, PatternFill

        self.ws = ws
        self.widths: list[int] = []
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.top = Alignment(vertical="top")
        self.ideal_fill = PatternFill("solid", fgColor=IDEAL_FILL)
        self.bold = Font(name=FONT, size=11, bold=True)  # the body's font, not a stand-in serif
        self.append(headers)
        self.widths = [min(HEADER_WIDTH, _width(h)) for h in headers]  # long headers wrap
        for cell in ws[1]:
            cell.font = self.bold
            cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
            cell.alignment = Alignment(vertical="center", wrap_text=True)
        ws.freeze_panes = "A2"
        # Printed (or saved as PDF): landscape, one page wide, the header on every page.
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.print_title_rows = "1:1"

    def append(self, values: list, formats: dict[int, str] | None = None) -> list:
        row = self.ws.max_row + 1 if self.ws.max_row > 1 or self.ws["A1"].value is not None else 1
        cells = []
        for col, value in enumerate(values, 1):
            cell = self.ws.cell(row=row, column=col)
            if isinstance(value, str):
                cell.value = value
                cell.data_type = "s"  # text, even when it starts with = (never a formula)
            else:
                cell.value = value
            if formats and col in formats:
                cell.number_format = formats[col]
            if col > len(self.widths):
                self.widths.extend([0] * (col - len(self.widths)))
            self.widths[col - 1] = max(self.widths[col - 1], _width(value))
            cell.alignment = self.top
            cells.append(cell)
        return cells

    def finish(self, wrap_columns: Iterable[int] = (), max_width: int = MAX_WIDTH) -> None:
        """Size the columns to their text (at most `max_width`; the `wrap_columns` wrap beyond
        it) and give a row the height its wrapped text needs: a spreadsheet opening the file
        (LibreOffice, for one) does not grow rows by itself, and lines would overlap."""
        import math

        from openpyxl.utils import get_column_letter

        wrap_columns = set(wrap_columns)
        widths = {}
        for col, width in enumerate(self.widths, 1):
            letter = get_column_letter(col)
            widths[col] = min(max_width, max(6, width + 2))
            self.ws.column_dimensions[letter].width = widths[col]
        wrapped = [c for c in wrap_columns if c in widths and self.widths[c - 1] + 2 > max_width]
        for row in self.ws.iter_rows(min_row=2):
            lines = 1
            for col in wrapped:
                cell = row[col - 1] if col <= len(row) else None
                if cell is None or cell.value is None:
                    continue
                cell.alignment = self.wrap
                room = max(1, widths[col] - 1)
                lines = max(lines, sum(max(1, math.ceil(_width(part) / room))
                                       for part in str(cell.value).splitlines() or [""]))
            if lines > 1:
                self.ws.row_dimensions[row[0].row].height = 15 * lines
        if self.ws.max_row > 1:
            self.ws.auto_filter.ref = self.ws.dimensions


def _level_title(run, lang: str, levels: dict) -> str:
    """The level's title as the run recorded it, in the trainer's language."""
    seen = recorded(run, levels.get(run.level_id), levels.get(f"campaign:{run.campaign_id}"))
    return pick(seen.titles.get("level"), lang, run.level_id)


def build(runs: Sequence, votes: Iterable = (), lang: str = "en", levels: dict | None = None,
          include_unfinished: bool = False):
    """The workbook (an openpyxl Workbook) for `runs` (every run of the room or filter, so the
    Summary counts exactly what the ranking counts; unfinished ones are listed on Runs and Moves
    only with `include_unfinished`) and the room's `votes`."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference

    levels = levels or {}
    runs = sorted(runs, key=lambda r: (r.finished_at, r.id))
    listed = [r for r in runs if include_unfinished or r.ending is not None]
    wb = Workbook()
    h = lambda key, **kw: t(f"xlsx.{key}", lang, **kw)  # noqa: E731

    # Summary -----------------------------------------------------------------------------
    ws = wb.active
    ws.title = h("summary")
    rows = summary_rows(runs)
    level_ids: list[str] = []
    for run in counted_runs(runs):
        if run.level_id not in level_ids:
            level_ids.append(run.level_id)
    titles = {}
    for run in runs:
        titles.setdefault(run.level_id, _level_title(run, lang, levels))
    rooms = {r["room"] for r in rows}
    with_room = len(rooms) > 1
    headers = [h("rank"), h("team")] + ([h("room")] if with_room else []) + [h("points")]
    headers += [h("level_score", level=titles[lv]) for lv in level_ids]
    headers += [h("adherence"), h("discoveries"), h("lost_turns"), h("runs_counted"),
                h("practice_runs")]
    sheet = _Sheet(ws, headers)
    for row in rows:
        sheet.append([row["rank"], row["team"]] + ([row["room"] or ""] if with_room else [])
                     + [row["points"]] + [row["levels"].get(lv) for lv in level_ids]
                     + [row["adherence"], row["found"], row["lost_turns"], row["runs"],
                        row["practice"]])
    sheet.finish()
    if rows:
        points_col = 4 if with_room else 3
        chart = BarChart()
        chart.type = "bar"  # horizontal: long team names stay readable
        chart.style = 10
        chart.title = h("chart_title")
        chart.y_axis.title = h("points")
        chart.legend = None
        data = Reference(ws, min_col=points_col, min_row=1, max_row=len(rows) + 1)
        cats = Reference(ws, min_col=2, min_row=2, max_row=len(rows) + 1)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(cats)
        chart.x_axis.scaling.orientation = "maxMin"  # the leader on top, as in the table
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        chart.height = max(6.0, 1.0 * len(rows) + 3)
        chart.width = 18.0
        note = ws.cell(row=len(rows) + 3, column=1)
        note.value = t("xlsx.formula", lang)
        ws.add_chart(chart, f"A{len(rows) + 5}")  # under the table: one page wide when printed

    # Runs ------------------------------------------------------------------------------------
    ws = wb.create_sheet(h("runs"))
    counted_ids = {r.id for r in counted_runs(runs)}
    sheet = _Sheet(ws, [h("team"), h("player"), h("room"), h("level"), h("language"), h("mode"),
                        h("ending"), h("mot_score"), h("peak"), h("end"), h("adherence"),
                        h("discoveries"), h("lost_turns"), h("points"), h("counted"),
                        h("started"), h("finished"), h("duration"), h("run_id")])
    for run in listed:
        duration = timedelta(seconds=run.duration_s) if run.duration_s is not None else None
        sheet.append([_team(run), run.player, run.room or "", titles[run.level_id],
                      LANG_NAMES.get(run.lang or "", run.lang or ""),
                      h(f"mode_{run.mode}"), run.ending or h("unfinished"), run.mot_score,
                      run.peak, run.end_value, run.adherence,
                      f"{run.found}/{run.total_discoveries}", run.lost_turns or 0, run.points,
                      h("yes") if run.id in counted_ids else h("practice"),
                      _naive_utc(run.started_at), _naive_utc(run.finished_at), duration, run.uuid],
                     {16: DATE_FORMAT, 17: DATE_FORMAT, 18: DURATION_FORMAT})
    sheet.finish()

    # Moves -----------------------------------------------------------------------------------
    ws = wb.create_sheet(h("moves"))
    sheet = _Sheet(ws, [h("team"), h("level"), h("move_no"), h("scene"), h("line"), h("choice"),
                        h("step"), h("meter_before"), h("meter_after"), h("change"), h("time"),
                        h("said")])
    for run in listed:
        seen = recorded(run, levels.get(run.level_id), levels.get(f"campaign:{run.campaign_id}"))
        run_lang = run.lang or lang
        before = None
        for item in seen.timeline(list(zip(run.moves, seen.moves))):
            if not isinstance(item, tuple):  # a scene event: a row of its own, not a move
                at = run.moves[item.at - 1].at if 0 < item.at <= len(run.moves) else run.started_at
                sheet.append([_team(run), titles[run.level_id], None, item.scene,
                              pick(item.text, run_lang, item.scene), "", t("xlsx.event", run_lang),
                              item.before, item.after, f"{item.before:+d} → {item.after:+d}",
                              _naive_utc(at), ""], {11: DATE_FORMAT})
                before = item.after
                continue
            move, shown = item
            start = move.before if move.before is not None else (
                before if before is not None else max(-3, min(3, move.perception - move.delta)))
            sheet.append([_team(run), titles[run.level_id], move.seq, move.scene,
                          pick(shown.line, run_lang), pick(shown.choice, run_lang, move.choice),
                          step_name(move.step, run_lang), start, move.perception,
                          f"{start:+d} → {move.perception:+d}", _naive_utc(move.at),
                          getattr(move, "said", "") or ""],  # free-answer mode: the learner's words
                         {11: DATE_FORMAT})
            before = move.perception
    sheet.finish(wrap_columns=(5, 6, 12), max_width=LINE_WIDTH)

    # Decisions -------------------------------------------------------------------------------
    ws = wb.create_sheet(h("decisions"))
    decisions = decision_rows(runs, votes, levels)
    most = max((len(r["cards"]) for r in decisions), default=0)
    headers = [h("level"), h("scene"), h("line"), h("counted_by"), h("ideal")]
    for k in range(1, most + 1):
        headers += [h("card", n=k), h("taken")]
    sheet = _Sheet(ws, headers)
    for row in decisions:
        ideal_text = " / ".join(pick(row["cards"].get(c), lang, c) for c in sorted(row["ideal"])
                                if c in row["cards"])
        values = [pick(row["title"], lang, row["level"]), row["scene"], pick(row["line"], lang),
                  h(f"by_{row['kind']}"), ideal_text]
        marks = []
        for card_id, text in row["cards"].items():
            ideal = card_id in row["ideal"]
            values += [("✓ " if ideal else "") + pick(text, lang, card_id), row["counts"][card_id]]
            marks.append(ideal)
        cells = sheet.append(values)
        for k, ideal in enumerate(marks):
            if ideal:
                for cell in cells[5 + 2 * k: 7 + 2 * k]:
                    cell.fill = sheet.ideal_fill
                    cell.font = sheet.bold
    sheet.finish(wrap_columns=[3, 5] + [6 + 2 * k for k in range(most)], max_width=CARD_WIDTH)
    return wb


def workbook_bytes(runs: Sequence, votes: Iterable = (), lang: str = "en",
                   levels: dict | None = None, include_unfinished: bool = False) -> bytes:
    out = io.BytesIO()
    build(runs, votes, lang, levels, include_unfinished).save(out)
    return out.getvalue()
