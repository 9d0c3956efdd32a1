"""Where the project's folders are. Tiny on purpose: the title screen imports it at start-up."""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    return Path(__file__).resolve().parent.parent


def default_levels_dir() -> Path:
    """MOT_LEVELS, else ./levels when run from a checkout, else the levels beside the package."""
    env = os.environ.get("MOT_LEVELS")
    if env:
        return Path(env)
    here = Path.cwd() / "levels"
    if here.is_dir() and (Path.cwd() / "game").is_dir():
        return here
    return project_root() / "levels"


def default_assets_dir() -> Path:
    return project_root() / "assets"


class UnsafeFile(OSError):
    """A file that is not a plain file of a sane size inside its folder: `reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def read_regular(path: Path, limit: int, inside: Path | None = None) -> bytes:
    """The bytes of a regular file, at most `limit` of them, never blocking.

    Why so careful: a level folder is shared, and a `*.toml` there may be a FIFO (reading it
    would hang the game), a link to /dev/zero (whose `st_size` is 0, so a size check up front
    proves nothing), or a link that leaves the folder. The file is opened without blocking, then
    checked on the open descriptor (so it cannot be swapped after the check), and read up to one
    byte past the limit. Raises UnsafeFile (or OSError when it cannot be opened at all)."""
    path = Path(path)
    if inside is not None:
        try:
            real = path.resolve(strict=True)
            home = Path(inside).resolve()
        except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop
            raise UnsafeFile(f"cannot resolve the path: {getattr(exc, 'strerror', None) or exc}") from None
        if not real.is_relative_to(home):
            raise UnsafeFile(f"the file links outside its folder (to {real})")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        import stat

        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = ("a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a device" if stat.S_ISCHR(mode)
                    or stat.S_ISBLK(mode) else "a folder" if stat.S_ISDIR(mode) else "a socket"
                    if stat.S_ISSOCK(mode) else "something else")
            raise UnsafeFile(f"not a regular file: it is {kind}")
        chunks, left = [], limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
    finally:
        os.close(fd)
    if len(data) > limit:
        raise UnsafeFile(f"the file is larger than the limit of {limit:,} bytes")
    return data
