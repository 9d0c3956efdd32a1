"""`mot strings export|import LEVEL --lang zh|en --format csv`: a translator's table, and back.

Export writes one row per text, in the order the texts stand in the file: a stable `id` (a key
path with choice ids, e.g. `scene.call.choice.ask-impact.text`), the scene and who speaks, the
`source` (the text in the other language), the current `translation` (may be empty), and the
file and line. The CSV is UTF-8 with a byte-order mark, so Excel opens Chinese correctly.

Import writes the translations back with tomlkit, touching only the values that changed: the
comments, key order and layout of the file stay as the author left them. An empty translation
changes nothing. A plain string becomes `{ en = …, zh = … }` only when the translation differs
from it. A `campaign.toml` works too (title, intro, step names).

A choice's `examples` (other ways to say it, free-answer mode) are one row per choice, id
`scene.<id>.choice.<id>.examples`: the other language's examples as the source and this
language's as the translation, one example per line; import writes the lines back as the list.
"""

from __future__ import annotations

import csv
import io
import sys
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import display_path
from . import print_diagnostics
from ..i18n import default_language, t
from ..library import resolve_level
from ..loader import read_toml
from ..model import LANGUAGES

COLUMNS = ["id", "scene", "speaker", "source", "translation", "file", "line"]
CHOICE_TEXTS = ("text", "feedback", "thought")


def add_parser(parser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="export|import", required=True)
    export = actions.add_parser("export", help="write the level's texts as a CSV table")
    imp = actions.add_parser("import", help="write a CSV table's translations into the level")
    for sub in (export, imp):
        sub.add_argument("level", metavar="LEVEL", help="a level id from levels/, or a .toml file")
        sub.add_argument("--lang", choices=LANGUAGES, required=True, help="the language translated into")
        sub.add_argument("--format", choices=("csv",), default="csv")
    imp.add_argument("file", metavar="FILE", help="the CSV table to read")
    export.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")


@dataclass
class Entry:
    """One text in the file: where it is, what it is, and its value (str or {lang: str})."""

    id: str
    keypath: tuple
    value: object
    scene: str = ""
    speaker: str = ""
    line: int = 0


def run(args) -> int:
    path = level_path(args.level)
    if path is None:
        return 1
    data, positions, diagnostics = read_toml(path)
    if data is None:
        print_diagnostics(diagnostics, default_language())
        return 1
    entries = collect(data, positions)
    if args.action == "export":
        text = export_csv(entries, args.lang, display_path(path))
        if args.output:
            Path(args.output).write_text(text, encoding="utf-8-sig", newline="")
        else:
            sys.stdout.write("\ufeff" + text)
        return 0
    from ..i18n import default_language, t

    ui = default_language()
    text, problem = read_table(Path(args.file))
    if problem is not None:
        print(f"mot strings import: {t(problem, ui, file=args.file)}", file=sys.stderr)
        return 1
    try:
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
    except csv.Error as error:
        print(f"mot strings import: {t('strings.bad_csv', ui, file=args.file, error=error)}", file=sys.stderr)
        return 1
    if rows and not {"id", "translation"} <= set(rows[0]):
        print(f"mot strings import: {t('strings.no_columns', ui, file=args.file)}", file=sys.stderr)
        return 1
    changed, unknown = import_rows(path, entries, rows, args.lang)
    if unknown:  # the other rows are written; these are named, and the exit status says so
        ids = ", ".join(unknown[:10]) + (" …" if len(unknown) > 10 else "")
        print(f"mot strings import: {t('strings.unknown_rows', ui, n=len(unknown), file=display_path(path), ids=ids)}",
              file=sys.stderr)
    print(f"{display_path(path)}: {changed} text(s) updated")
    return 1 if unknown else 0


MAX_TABLE_BYTES = 16 * 1024 * 1024


def read_table(path: Path) -> tuple[str, str | None]:
    """The text of a translator's CSV, whatever Excel saved it as: UTF-8 with or without a BOM,
    UTF-16 ("Unicode text"), or GB18030/GBK (Excel on Chinese Windows). Returns (text, None), or
    ("", the i18n key of what is wrong)."""
    from ..paths import UnsafeFile, read_regular

    try:
        raw = read_regular(path, MAX_TABLE_BYTES)
    except UnsafeFile:
        return "", "strings.not_a_file"
    except OSError:
        return "", "strings.cannot_read"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]
    elif raw.startswith(b"\xef\xbb\xbf"):
        encodings = ["utf-8-sig"]
    elif b"\x00" in raw:
        return "", "strings.binary"  # a spreadsheet file (.xlsx), not its CSV
    else:
        encodings = ["utf-8", "gb18030"]
    for encoding in encodings:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if any(ch < " " and ch not in "\t\r\n" for ch in text):
            return "", "strings.binary"
        return text, None
    return "", "strings.encoding"


def level_path(spec: str) -> Path | None:
    path = Path(spec)
    if spec.endswith(".toml") or path.is_file():
        if path.is_file():
            return path
        print(f"mot strings: {t('strings.no_file', default_language(), path=spec)}", file=sys.stderr)
        return None
    level, diagnostics, _ = resolve_level(spec)
    print_diagnostics(diagnostics, default_language())
    return level.path if level is not None else None


def collect(data: dict, positions) -> list[Entry]:
    """Every text of a level or campaign file, sorted by its position in the file."""
    out: list[Entry] = []

    def add(id_, keypath, value, scene="", speaker=""):
        if isinstance(value, (str, dict)):
            out.append(Entry(id_, keypath, value, scene, speaker))

    head = _table(data.get("level"))
    names = {cid: _any_text(_table(c).get("name")) or cid for cid, c in _table(data.get("characters")).items()}
    campaign = _table(data.get("campaign"))
    for key in ("title", "intro"):
        add(f"campaign.{key}", ("campaign", key), campaign.get(key))
    for step, value in _table(campaign.get("steps")).items():
        add(f"campaign.steps.{step}", ("campaign", "steps", step), value)
    for key in ("title", "brief"):
        add(f"level.{key}", ("level", key), head.get(key))
    for i, value in enumerate(_list(head.get("discuss"))):
        entry = _table(value)
        if "q" in entry or "a" in entry:  # { q = …, a = … }: the question and its model answer
            for part in ("q", "a"):
                if part in entry:
                    add(f"level.discuss.{i}.{part}", ("level", "discuss", i, part), entry[part])
        else:
            add(f"level.discuss.{i}", ("level", "discuss", i), value)
    for cid, char in _table(data.get("characters")).items():
        for key in ("name", "role"):
            add(f"characters.{cid}.{key}", ("characters", cid, key), _table(char).get(key))
    for did, disc in _table(data.get("discovery")).items():
        add(f"discovery.{did}.text", ("discovery", did, "text"), _table(disc).get("text"))
    you, customer = names.get(head.get("you"), ""), names.get(head.get("customer"), "")
    for sid, scene in _table(data.get("scene")).items():
        scene = _table(scene)
        speaker = names.get(scene.get("speaker"), "")
        add(f"scene.{sid}.text", ("scene", sid, "text"), scene.get("text"), sid, speaker)
        for i, variant in enumerate(_list(scene.get("variant"))):
            add(f"scene.{sid}.variant.{i}.text", ("scene", sid, "variant", i, "text"),
                _table(variant).get("text"), sid, speaker)
        for i, choice in enumerate(_list(scene.get("choice"))):
            choice = _table(choice)
            cid = choice.get("id") if isinstance(choice.get("id"), str) else str(i)
            who = {"text": you, "feedback": "coach", "thought": customer}
            for key in CHOICE_TEXTS:
                add(f"scene.{sid}.choice.{cid}.{key}", ("scene", sid, "choice", i, key),
                    choice.get(key), sid, who[key])
            if isinstance(choice.get("examples"), dict):
                add(f"scene.{sid}.choice.{cid}.examples", ("scene", sid, "choice", i, "examples"),
                    choice["examples"], sid, you)
    for eid, ending in _table(data.get("ending")).items():
        for key in ("title", "text"):
            add(f"ending.{eid}.{key}", ("ending", eid, key), _table(ending).get(key))
    for entry in out:
        entry.line = positions.value(entry.keypath)[0]
    return sorted(out, key=lambda e: positions.value(e.keypath))


def _table(value) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _any_text(value) -> str:
    if isinstance(value, str):
        return value
    return next((v for v in _table(value).values() if isinstance(v, str)), "")


def other(lang: str) -> str:
    return next(x for x in LANGUAGES if x != lang)


def split(value, lang: str) -> tuple[str, str]:
    """(source, translation) of a text for a translator into `lang`."""
    if isinstance(value, str):
        return value, ""
    return _cell(value.get(other(lang))), _cell(value.get(lang))


def _cell(value) -> str:
    """A text as a table cell; a list of examples one per line."""
    if isinstance(value, list):
        return "\n".join(item for item in value if isinstance(item, str))
    return value if isinstance(value, str) else ""


def export_csv(entries: list[Entry], lang: str, file: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # "\r\n" rows and quoted multi-line cells, as Excel writes them
    writer.writerow(COLUMNS)
    for e in entries:
        source, translation = split(e.value, lang)
        writer.writerow([e.id, e.scene, e.speaker, source, translation, file, e.line])
    return buffer.getvalue()


def import_rows(path: Path, entries: list[Entry], rows: list[dict], lang: str) -> tuple[int, list[str]]:
    """Write the rows' translations into the file; returns (texts changed, unknown ids)."""
    import tomlkit  # only here: the game itself never writes TOML

    by_id = {e.id: e for e in entries}
    unknown = [r["id"] for r in rows if r.get("id") not in by_id]
    source = path.read_bytes().decode("utf-8")
    bom = "\ufeff" if source.startswith("\ufeff") else ""
    doc = tomlkit.parse(source[len(bom):])
    changed = 0
    for row in rows:
        entry = by_id.get(row.get("id"))
        wanted = (row.get("translation") or "").replace("\r\n", "\n")
        if entry is None or not wanted:
            continue
        if _set(doc, entry, lang, wanted):
            changed += 1
    if changed:
        text = bom + tomlkit.dumps(doc)
        path.write_bytes(text.encode("utf-8"))
    return changed, unknown


def _set(doc, entry: Entry, lang: str, wanted: str) -> bool:
    """Put one translation in place, keeping the string's quoting style; True if it changed."""
    import tomlkit

    *parents, key = entry.keypath
    container = doc
    for part in parents:
        container = container[part]
    item = container[key]
    if key == "examples":  # one example per line → the language's list
        examples = [line.strip() for line in wanted.split("\n") if line.strip()]
        if list(item.get(lang) or []) == examples:
            return False
        item[lang] = examples
        return True
    if isinstance(item, str):  # a plain string: becomes a table only when it must
        if item == wanted:
            return False
        texts = {other(lang): str(item), lang: wanted}
        inline = ", ".join(f"{k} = {_string(texts[k]).as_string()}" for k in ("en", "zh"))
        container[key] = tomlkit.parse(f"x = {{ {inline} }}")["x"]  # keeps the line's comment
        return True
    current = item.get(lang)
    if current == wanted:
        return False
    item[lang] = _string(wanted, current)
    return True


def _string(value: str, like=None):
    """A tomlkit string for `value`, in the same quoting style as `like` when that can hold it."""
    import tomlkit
    from tomlkit.items import String

    literal = multiline = False
    if isinstance(like, String):
        multiline = like.type.is_multiline()
        controls = any(ord(c) < 32 and c not in ("\t\n" if multiline else "\t") for c in value)
        quote = "'''" if multiline else "'"
        literal = like.type.is_literal() and not controls and quote not in value
    return tomlkit.string(value, literal=literal, multiline=multiline)
