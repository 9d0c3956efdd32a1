"""The JSON Schemas in assets/ agree with the loader: editors flag what `mot check` would.

Every shipped level and campaign validates; every broken-level fixture whose error is one a
schema can see (a missing or unknown key, a wrong type, a bad id, a value out of range) is
rejected; and fixtures broken only in ways a schema cannot see (a `next` to an unknown scene,
a flag nothing sets, a warning) still validate, so the schema is never stricter than the game.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

jsonschema = pytest.importorskip("jsonschema")

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"
BROKEN = Path(__file__).resolve().parent / "broken"

# Codes a schema can express: required keys, unknown keys, types, id patterns, ranges, enums.
SCHEMA_CODES = {"E003", "E004", "E005", "E006", "E009", "E010", "E016", "E017", "E018", "E019", "E021", "E023"}
# Fixtures of those codes that JSON Schema cannot catch, and why.
SCHEMA_BLIND = {
    "e009-branch-default-first.toml": "a schema can count the branches without `when` but not say which is last",
}
# Not read as TOML at all (E001 syntax, E002 binary or not UTF-8, E024 a key too long to hand to
# the parser): nothing for a schema to read.
UNREADABLE_CODES = {"E001", "E002", "E024"}
# E005 for TOML that tomllib refuses: a `[scene.x.choice]` among `[[scene.x.choice]]` ones.
UNREADABLE = {"e005-single-bracket-choice.toml", "e005-single-bracket-first-choice.toml"}
# Cross-references the schema's id pattern already refuses, and why.
SCHEMA_SEES = {"e008-fullwidth-colon-in-next.toml": "an id pattern refuses the full-width colon in `end：good`"}
HEADER = re.compile(rb"# expect: ([^\r\n]*)")


def validator(name: str):
    schema = json.loads((ASSETS / f"{name}.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


LEVEL = validator("level")
CAMPAIGN = validator("campaign")


def schema_errors(path: Path) -> list[str]:
    data = tomllib.loads(path.read_bytes().decode("utf-8"))
    checker = CAMPAIGN if path.name == "campaign.toml" else LEVEL
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in checker.iter_errors(data)]


def expected_codes(path: Path) -> set[str]:
    body = HEADER.match(path.read_bytes()).group(1).decode("ascii").strip()
    return set() if body == "none" else {item.split()[0] for item in body.split(",")}


SHIPPED = sorted((ROOT / "levels").rglob("*.toml"))
FIXTURES = sorted(BROKEN.rglob("*.toml"))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_shipped_file_validates(path):
    assert schema_errors(path) == []


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_schema_comment_points_at_the_schema(path):
    first = path.read_text("utf-8").splitlines()[0]
    assert first.startswith("#:schema "), "editors read the schema from the first line"
    assert (path.parent / first.split(None, 1)[1]).resolve().is_file()


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: str(p.relative_to(BROKEN)))
def test_broken_fixture(path):
    codes = expected_codes(path)
    if codes & UNREADABLE_CODES or path.name in UNREADABLE:
        pytest.skip("not readable TOML: nothing for a schema to check")
    errors = schema_errors(path)
    if (codes & SCHEMA_CODES and path.name not in SCHEMA_BLIND) or path.name in SCHEMA_SEES:
        assert errors, f"the schema accepts a file `mot check` rejects with {sorted(codes)}"
    else:  # cross-references and warnings: the schema must not be stricter than the loader
        assert errors == []


def test_corpus_covers_every_schema_code():
    seen = set().union(*(expected_codes(p) for p in FIXTURES))
    assert SCHEMA_CODES <= seen
