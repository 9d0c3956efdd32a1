"""Where each key and value of a TOML document stands, so every diagnostic can point at it.

`tomllib` gives data but no positions. This scanner runs over the same source with one
regular expression for tokens and records, for every key path, the line and column of the key
and of its value. It is best effort: on anything it does not understand it stops recording, and
callers fall back to the nearest enclosing path that it did see. It never raises.
"""

from __future__ import annotations

import re
from bisect import bisect_right

Path_ = tuple  # a key path: str keys and int array indices

# One match per token: leading blanks and a comment are skipped inside the match. The source is
# scanned with a "\n" appended, so every match ends on a token and no position is retried.
_TOKEN = re.compile(
    r"""[ \t\r]*(?:\#[^\n]*)?
    ( \n
    | \"\"\"(?:\\[\s\S]|[^\\])*?\"\"\"\"{0,2}
    | '''[\s\S]*?''''{0,2}
    | "(?:[^"\\\n]|\\.)*"
    | '[^'\n]*'
    | [\[\]{}=,.]
    | [A-Za-z0-9_+\-:]+
    | .
    )""",
    re.VERBOSE,
)
_BARE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_+-:")
_VALUE_END = frozenset((",", "]", "}", "\n", ""))

_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


def _key_text(text: str) -> str | None:
    """The key a token spells (bare, "basic" or 'literal'), or None when it is not a key."""
    first = text[:1]
    if first and first in _BARE:
        return text
    if len(text) < 2 or text[-1] != first or text.startswith(('"""', "'''")):
        return None
    if first == "'":
        return text[1:-1]
    if first == '"':
        body = text[1:-1]
        return re.sub(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)", _unescape, body) if "\\" in body else body
    return None


def _unescape(match: re.Match) -> str:
    code = match.group(1)
    if code[0] in "uU":
        try:
            return chr(int(code[1:], 16))
        except ValueError:
            return ""
    return _ESCAPES.get(code, code)


class _Stop(Exception):
    """Raised inside the scanner when the source stops looking like TOML it understands."""


class PositionIndex:
    """Line and column (both 1-based) of keys and values, by key path.

    The scan is lazy: it runs on the first lookup, so a file that loads without a single
    diagnostic never pays for it (on a large level it costs about as much as parsing).
    """

    def __init__(self, source: str) -> None:
        self._source = source

    def __getattr__(self, name: str):
        # Reached only while the scan has not run: `_keys`, `_values` … do not exist yet.
        if name in ("_keys", "_values", "duplicates", "_line_starts") and "_source" in self.__dict__:
            self._scan(self.__dict__.pop("_source"))
            return self.__dict__[name]
        raise AttributeError(name)

    # -- lookups -------------------------------------------------------------------------
    def key(self, path: tuple) -> tuple[int, int]:
        """Position of the key at `path`, or of the closest enclosing thing that was seen.

        An element of an inline array has no key: its own value (`{ … }`) stands for it.
        """
        path = tuple(path)
        if path and isinstance(path[-1], int) and path not in self._keys and path in self._values:
            return self._pos(self._values[path])
        return self._nearest(path, self._keys)

    def value(self, path: tuple) -> tuple[int, int]:
        """Position of the value at `path`, falling back to its key, then to its parents."""
        path = tuple(path)
        if path in self._values:
            return self._pos(self._values[path])
        return self._nearest(path, self._keys)

    def _nearest(self, path: tuple, table: dict) -> tuple[int, int]:
        keys = self._keys
        while path:
            if path in table:
                return self._pos(table[path])
            if path in keys:
                return self._pos(keys[path])
            path = path[:-1]
        return (1, 1)

    def _pos(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1

    # -- scanner -------------------------------------------------------------------------
    def _scan(self, source: str) -> None:
        """Record the offset of every key and value by key path (converted on lookup)."""
        keys: dict[tuple, int] = {}
        values: dict[tuple, int] = {}
        duplicates: list[tuple[tuple, int]] = []
        defined: set[tuple] = set()
        self._keys, self._values = keys, values
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        toks = [(m.group(1), m.start(1)) for m in _TOKEN.finditer(source + "\n")]
        toks.append(("", len(source) + 1))  # the end: "" is never a real token
        i = 0  # the next token

        def expect(text: str) -> None:
            nonlocal i
            if toks[i][0] != text:
                raise _Stop
            i += 1

        def key_path() -> list[tuple[str, int]]:
            """A dotted key: its parts with the offset of each."""
            nonlocal i
            parts = []
            while True:
                text, offset = toks[i]
                i += 1
                key = _key_text(text)
                if key is None:
                    raise _Stop
                parts.append((key, offset))
                if toks[i][0] != ".":
                    return parts
                i += 1

        def header(parts: list, array_counts: dict, is_array: bool) -> tuple:
            """Resolve a table header to its key path, inserting the current index after every
            prefix that is an array of tables, and record where each of its keys stands."""
            out: tuple = ()
            last = len(parts) - 1
            for j, (part, offset) in enumerate(parts):
                out = out + (part,)
                if j < last:
                    keys.setdefault(out, offset)
                    if out in array_counts:
                        out = out + (array_counts[out] - 1,)
                    continue
                if is_array:
                    keys.setdefault(out, offset)
                    defined.add(out)
                    index = array_counts.get(out, 0)
                    array_counts[out] = index + 1
                    out = out + (index,)
                elif out in defined:
                    duplicates.append((out, offset))
                # An explicit header wins over a position seen earlier as an implicit parent.
                keys[out] = offset
                defined.add(out)
            return out

        def keyval(table: tuple) -> None:
            path, offset = table, 0
            for part, offset in key_path():
                path = path + (part,)
                if path not in keys:
                    keys[path] = offset
            if path in defined:
                duplicates.append((path, offset))
            defined.add(path)
            expect("=")
            value(path)

        def value(path: tuple) -> None:
            nonlocal i
            text, offset = toks[i]
            if text == "\n" or text == "":
                raise _Stop
            if path not in values:
                values[path] = offset
            if text == "{":
                i += 1
                while toks[i][0] != "}":
                    if toks[i][0] in ("\n", ""):
                        raise _Stop
                    keyval(path)
                    if toks[i][0] == ",":
                        i += 1
                i += 1
            elif text == "[":
                i += 1
                index = 0
                while True:
                    while toks[i][0] == "\n":
                        i += 1
                    if toks[i][0] == "]":
                        i += 1
                        return
                    value(path + (index,))
                    index += 1
                    while toks[i][0] == "\n":
                        i += 1
                    if toks[i][0] == ",":
                        i += 1
            else:
                # A scalar: everything up to the end of the line or the next separator. A value
                # that is only a separator (`[1, }`) is not TOML; stop rather than loop on it.
                if text in _VALUE_END:
                    raise _Stop
                i += 1
                while toks[i][0] not in _VALUE_END:
                    i += 1

        def document() -> None:
            nonlocal i
            table: tuple = ()
            array_counts: dict[tuple, int] = {}
            while True:
                text = toks[i][0]
                if text == "":
                    return
                if text == "\n":
                    i += 1
                elif text == "[":
                    i += 1
                    is_array = toks[i][0] == "["
                    if is_array:
                        i += 1
                    parts = key_path()
                    expect("]")
                    if is_array:
                        expect("]")
                    table = header(parts, array_counts, is_array)
                else:
                    keyval(table)

        try:
            document()
        except (_Stop, IndexError, RecursionError):
            pass
        self.duplicates = [(path, self._pos(offset)) for path, offset in duplicates]
