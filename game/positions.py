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

_TOKEN = re.compile(
    r"""
    (?P<nl>\n)
  | (?P<ws>[ \t\r]+)
  | (?P<comment>\#[^\n]*)
  | (?P<mlb>\"\"\"(?:\\[\s\S]|[^\\])*?\"\"\"\"{0,2})
  | (?P<mll>'''[\s\S]*?''''{0,2})
  | (?P<str>"(?:[^"\\\n]|\\.)*")
  | (?P<lit>'[^'\n]*')
  | (?P<punct>[\[\]{}=,.])
  | (?P<bare>[A-Za-z0-9_+\-:]+)
  | (?P<other>.)
    """,
    re.VERBOSE,
)

_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


def _key_text(kind: str, text: str) -> str:
    if kind == "bare":
        return text
    if kind == "lit":
        return text[1:-1]
    body = text[1:-1]
    return re.sub(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)", _unescape, body)


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

    keys: dict[tuple, tuple[int, int]]
    values: dict[tuple, tuple[int, int]]
    # Keys and tables defined twice, in document order, with the second one's position.
    duplicates: list[tuple[tuple, tuple[int, int]]]

    def __init__(self, source: str) -> None:
        self._source = source

    def __getattr__(self, name: str):
        # Only reached while `keys`, `values` and `duplicates` do not exist yet.
        if name in ("keys", "values", "duplicates") and "_source" in self.__dict__:
            self._scan(self.__dict__.pop("_source"))
            return self.__dict__[name]
        raise AttributeError(name)

    def _scan(self, source: str) -> None:
        self.keys = {}
        self.values = {}
        self.duplicates = []
        self._defined: set[tuple] = set()
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        tokens = [
            (m.lastgroup, m.group(), m.start())
            for m in _TOKEN.finditer(source)
            if m.lastgroup not in ("ws", "comment")
        ]
        self._tokens = tokens
        self._i = 0
        try:
            self._document()
        except (_Stop, IndexError, RecursionError):
            pass
        del self._tokens, self._defined

    # -- lookups -------------------------------------------------------------------------
    def key(self, path: tuple) -> tuple[int, int]:
        """Position of the key at `path`, or of the closest enclosing thing that was seen."""
        return self._nearest(path, self.keys)

    def value(self, path: tuple) -> tuple[int, int]:
        """Position of the value at `path`, falling back to its key, then to its parents."""
        path = tuple(path)
        if path in self.values:
            return self.values[path]
        return self._nearest(path, self.keys)

    def _nearest(self, path: tuple, table: dict) -> tuple[int, int]:
        path = tuple(path)
        while path:
            if path in table:
                return table[path]
            if path in self.keys:
                return self.keys[path]
            path = path[:-1]
        return (1, 1)

    def _pos(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1

    # -- scanner -------------------------------------------------------------------------
    def _peek(self):
        if self._i < len(self._tokens):
            return self._tokens[self._i]
        return ("eof", "", -1)

    def _next(self):
        tok = self._peek()
        self._i += 1
        return tok

    def _expect(self, text: str):
        tok = self._next()
        if tok[1] != text:
            raise _Stop
        return tok

    def _document(self) -> None:
        table: tuple = ()
        array_counts: dict[tuple, int] = {}
        while self._peek()[0] != "eof":
            kind, text, offset = self._peek()
            if kind == "nl":
                self._next()
                continue
            if text == "[":
                self._next()
                is_array = self._peek()[1] == "["
                if is_array:
                    self._next()
                parts = self._key_path()
                self._expect("]")
                if is_array:
                    self._expect("]")
                table = self._header(parts, array_counts, is_array)
                continue
            self._keyval(table)

    def _header(self, parts: list, array_counts: dict, is_array: bool) -> tuple:
        """Resolve a table header to its key path, inserting the current index after every
        prefix that is an array of tables, and record where each of its keys stands."""
        out: tuple = ()
        last = len(parts) - 1
        for j, (part, offset) in enumerate(parts):
            out = out + (part,)
            pos = self._pos(offset)
            if j < last:
                self.keys.setdefault(out, pos)
                if out in array_counts:
                    out = out + (array_counts[out] - 1,)
                continue
            if is_array:
                self.keys.setdefault(out, pos)
                self._defined.add(out)
                index = array_counts.get(out, 0)
                array_counts[out] = index + 1
                out = out + (index,)
            elif out in self._defined:
                self.duplicates.append((out, pos))
            # An explicit header wins over a position seen earlier as an implicit parent.
            self.keys[out] = pos
            self._defined.add(out)
        return out

    def _key_path(self) -> list[tuple[str, int]]:
        """A dotted key: its parts with the offset of each."""
        parts = []
        while True:
            kind, text, offset = self._next()
            if kind not in ("bare", "str", "lit"):
                raise _Stop
            parts.append((_key_text(kind, text), offset))
            if self._peek()[1] != ".":
                return parts
            self._next()

    def _keyval(self, table: tuple) -> None:
        path, pos = table, None
        for part, offset in self._key_path():
            path, pos = path + (part,), self._pos(offset)
            self.keys.setdefault(path, pos)
        if path in self._defined:
            self.duplicates.append((path, pos))
        self._defined.add(path)
        self._expect("=")
        self._value(path)

    def _value(self, path: tuple) -> None:
        kind, text, offset = self._peek()
        if kind in ("nl", "eof"):
            raise _Stop
        self.values.setdefault(path, self._pos(offset))
        if text == "{":
            self._next()
            while self._peek()[1] != "}":
                if self._peek()[0] in ("nl", "eof"):
                    raise _Stop
                self._keyval(path)
                if self._peek()[1] == ",":
                    self._next()
            self._next()
        elif text == "[":
            self._next()
            index = 0
            while True:
                while self._peek()[0] == "nl":
                    self._next()
                if self._peek()[1] == "]":
                    self._next()
                    return
                self._value(path + (index,))
                index += 1
                while self._peek()[0] == "nl":
                    self._next()
                if self._peek()[1] == ",":
                    self._next()
        else:
            # A scalar: everything up to the end of the line or the next separator. A value
            # that is only a separator (`[1, }`) is not TOML; stop rather than loop on it.
            start = self._i
            while self._peek()[1] not in (",", "]", "}") and self._peek()[0] not in ("nl", "eof"):
                self._next()
            if self._i == start:
                raise _Stop
