"""Where each key and value of a TOML document stands, so every diagnostic can point at it.

`tomllib` gives data but no positions. This scanner runs over the same source with one
regular expression for tokens and records, for every key path, the line and column of the key
and of its value. It is best effort: on anything it does not understand it stops recording, and
callers fall back to the nearest enclosing path that it did see. It never raises.
"""

from __future__ import annotations

import re
import sys
from array import array
from bisect import bisect_right

Path_ = tuple  # a key path: str keys and int array indices

# One match per token: leading blanks and a comment are skipped inside the match. The source is
# scanned with a "\n" appended, so every match ends on a token and no position is retried.
# Strings use possessive repeats (Python 3.11+): a 15 MB string is one cheap match, where a
# backtracking `(?:a|b)*` kept a frame per character (gigabytes). Python 3.10 gets the unrolled
# form, linear in time though not in memory for strings made of escapes.
_POSSESSIVE = sys.version_info >= (3, 11)
_P = "+" if _POSSESSIVE else ""
_TOKEN = re.compile(
    rf"""[ \t\r]*{_P}(?:\#[^\n]*{_P})?
    ( \n
    | \"\"\"[^"\\]*{_P}(?:(?:\\[\s\S]|"(?!""))[^"\\]*{_P})*{_P}\"\"\"\"{{0,2}}
    | '''[^']*{_P}(?:'(?!'')[^']*{_P})*{_P}''''{{0,2}}
    | "[^"\\\n]*{_P}(?:\\.[^"\\\n]*{_P})*{_P}"
    | '[^'\n]*{_P}'
    | [\[\]{{}}=,.]
    | [A-Za-z0-9_+\-:]+{_P}
    | .
    )""",
    re.VERBOSE,
)
_LINE = re.compile(r"[^\n]*")
MAX_KEY_PARTS = 64  # a level needs 4; tomllib slows with the square of a key's parts
_BREAKS = frozenset("\n[]{}=,")
MAX_RECORDED = 50_000  # positions kept per table (a level has a few thousand): huge files stay cheap

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


def long_key(source: str) -> tuple[int, int, int] | None:
    """(line, column, parts) of the first dotted key or table header with more parts than
    MAX_KEY_PARTS, or None. Checked before tomllib sees the text, which would take time and
    memory growing with the square of the parts (100,000 parts: gigabytes).

    Any run `x.y.z…` of tokens counts: outside keys, valid TOML has at most two (`1.5`), and a
    dot inside a string is part of the string's token. Only a file with a line holding that many
    dots is tokenised at all, so levels pay one pass of `str.count`."""
    if not any(source.count(".", m.start(), m.end()) >= MAX_KEY_PARTS for m in _LINE.finditer(source)):
        return None
    tk = _Tokens(source)
    parts, start, after_dot = 0, 0, False
    while tk.text:
        text = tk.text
        if text == ".":
            after_dot = parts > 0
        elif text in _BREAKS:
            parts, after_dot = 0, False
        else:
            if after_dot:
                parts += 1
            else:
                parts, start = 1, tk.offset
            after_dot = False
            if parts > MAX_KEY_PARTS:
                line = source.count("\n", 0, start) + 1
                return line, start - (source.rfind("\n", 0, start) + 1) + 1, _count_parts(source, tk)
        tk.next()
    return None


def _count_parts(source: str, tk: "_Tokens") -> int:
    """How many parts the over-long key has in all (it is reported with its size)."""
    parts = MAX_KEY_PARTS + 1
    tk.next()
    while tk.text == ".":
        tk.next()
        if not tk.text or tk.text in _BREAKS:
            break
        parts += 1
        tk.next()
    return parts


class _Tokens:
    """The source's tokens, one at a time (a list of them would cost more than the file)."""

    __slots__ = ("_matches", "text", "offset", "_end")

    def __init__(self, source: str) -> None:
        self._matches = _TOKEN.finditer(source + "\n")
        self._end = len(source) + 1
        self.next()

    def next(self) -> None:
        match = next(self._matches, None)
        if match is None:  # the end: "" is never a real token
            self.text, self.offset = "", self._end
        else:
            self.text, self.offset = match.group(1), match.start(1)


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
        self._line_starts = array("q", [0])
        self._line_starts.extend(m.end() for m in re.finditer("\n", source))
        tk = _Tokens(source)

        def record(table: dict, path: tuple, offset: int) -> None:
            if len(table) >= MAX_RECORDED:  # a giant file: later positions fall back to parents
                raise _Stop
            table[path] = offset

        def expect(text: str) -> None:
            if tk.text != text:
                raise _Stop
            tk.next()

        def key_path() -> list[tuple[str, int]]:
            """A dotted key: its parts with the offset of each."""
            parts = []
            while True:
                text, offset = (tk.text, tk.offset)
                tk.next()
                key = _key_text(text)
                if key is None:
                    raise _Stop
                parts.append((key, offset))
                if len(parts) > MAX_KEY_PARTS:
                    raise _Stop
                if tk.text != ".":
                    return parts
                tk.next()

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
                record(keys, out, offset)
                defined.add(out)
            return out

        def keyval(table: tuple) -> None:
            path, offset = table, 0
            for part, offset in key_path():
                path = path + (part,)
                if path not in keys:
                    record(keys, path, offset)
            if path in defined:
                duplicates.append((path, offset))
            defined.add(path)
            expect("=")
            value(path)

        def value(path: tuple) -> None:
            text, offset = (tk.text, tk.offset)
            if text == "\n" or text == "":
                raise _Stop
            if path not in values:
                record(values, path, offset)
            if text == "{":
                tk.next()
                while tk.text != "}":
                    if tk.text in ("\n", ""):
                        raise _Stop
                    keyval(path)
                    if tk.text == ",":
                        tk.next()
                tk.next()
            elif text == "[":
                tk.next()
                index = 0
                while True:
                    while tk.text == "\n":
                        tk.next()
                    if tk.text == "]":
                        tk.next()
                        return
                    value(path + (index,))
                    index += 1
                    while tk.text == "\n":
                        tk.next()
                    if tk.text == ",":
                        tk.next()
            else:
                # A scalar: everything up to the end of the line or the next separator. A value
                # that is only a separator (`[1, }`) is not TOML; stop rather than loop on it.
                if text in _VALUE_END:
                    raise _Stop
                tk.next()
                while tk.text not in _VALUE_END:
                    tk.next()

        def document() -> None:
            table: tuple = ()
            array_counts: dict[tuple, int] = {}
            while True:
                text = tk.text
                if text == "":
                    return
                if text == "\n":
                    tk.next()
                elif text == "[":
                    tk.next()
                    is_array = tk.text == "["
                    if is_array:
                        tk.next()
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
