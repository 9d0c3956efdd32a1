"""Where the project's folders are. Tiny on purpose: the title screen imports it at start-up.

The shipped campaigns and assets are package data (`game/levels`, `game/assets`), found with
importlib.resources wherever the package is installed: a wheel, pipx, an editable checkout. A
checkout also has `levels` and `assets` at its root, links to the same folders, for authors.
A user's own levels add to the shipped ones: `--levels DIR`, MOT_LEVELS and the `levels` folder
under the user data folder."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path


def project_root() -> Path:
    return Path(__file__).resolve().parent.parent


@cache
def package_dir(name: str) -> Path:
    """A folder shipped inside the `game` package, as a real path. `files()` gives a Traversable;
    installed from a wheel it is already a path, and `as_file` extracts it (for the life of the
    process) when the package is not on disk, such as in a zip."""
    from importlib.resources import as_file, files

    resource = files("game") / name
    if isinstance(resource, Path):
        return resource
    try:
        import atexit
        from contextlib import ExitStack

        stack = ExitStack()
        atexit.register(stack.close)
        return stack.enter_context(as_file(resource))
    except (OSError, AttributeError, TypeError, NotImplementedError):  # pragma: no cover - as_file on a folder needs 3.12
        return Path(__file__).resolve().parent / name


def _checkout_levels() -> Path | None:
    """./levels when run from a checkout (a `game` folder beside it): an author at work."""
    here = Path.cwd() / "levels"
    return here if here.is_dir() and (Path.cwd() / "game").is_dir() else None


def shipped_levels_dir() -> Path:
    """The campaigns that ship with the game: the checkout's when run from one, else the package's."""
    return _checkout_levels() or package_dir("levels")


def _env_levels() -> list[str]:
    """The folders MOT_LEVELS names (several joined by os.pathsep)."""
    return [p for p in os.environ.get("MOT_LEVELS", "").split(os.pathsep) if p]


def user_levels_dirs(extra: list | tuple = ()) -> list[Path]:
    """The user's own level folders, added to the shipped ones: `extra` (--levels), MOT_LEVELS
    (several joined by os.pathsep), then `levels` under the user data folder."""
    from .store import default_data_dir  # only here: the title screen does not need it

    return [Path(p).expanduser() for p in (*extra, *_env_levels())] + [default_data_dir() / "levels"]


def levels_dirs(extra: list | tuple = ()) -> list[Path]:
    """Every folder the game reads levels from, shipped first; each folder once, missing ones left out."""
    out: dict[Path, Path] = {}
    for folder in (shipped_levels_dir(), *user_levels_dirs(extra)):
        try:
            if folder.is_dir():
                out.setdefault(folder.resolve(), folder)
        except (OSError, RuntimeError):  # unreadable, or a link that leads back to itself
            continue
    return list(out.values())


def default_levels_dir() -> Path:
    """Where `mot new --campaign` writes and the default of commands that read one folder:
    MOT_LEVELS (its first folder), else ./levels in a checkout, else the user data folder's
    `levels` (never the installed package)."""
    env = _env_levels()
    if env:
        return Path(env[0]).expanduser()
    here = _checkout_levels()
    if here is not None:
        return here
    from .store import default_data_dir

    return default_data_dir() / "levels"


def default_assets_dir() -> Path:
    return package_dir("assets")


class UnsafeFile(OSError):
    """A file that is not a plain file of a sane size inside its folder: `reason` says why."""

    def __init__(self, reason: str, zh: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.zh = zh or reason  # the same reason in Chinese


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
        except RuntimeError:  # a link that leads, through others, back to itself
            raise UnsafeFile("cannot resolve the path: the link leads back to itself",
                             "无法解析路径：这个链接最终又指回了自己") from None
        except OSError as exc:
            why = exc.strerror or exc
            raise UnsafeFile(f"cannot resolve the path: {why}", f"无法解析路径：{why}") from None
        if not real.is_relative_to(home):
            raise UnsafeFile(f"the file links outside its folder (to {real})",
                             f"文件链接到了所在文件夹之外（指向 {real}）")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        import stat

        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind, kind_zh = (("a named pipe (FIFO)", "命名管道（FIFO）") if stat.S_ISFIFO(mode)
                             else ("a device", "设备") if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
                             else ("a folder", "文件夹") if stat.S_ISDIR(mode)
                             else ("a socket", "套接字") if stat.S_ISSOCK(mode)
                             else ("something else", "其他类型的文件"))
            raise UnsafeFile(f"not a regular file: it is {kind}", f"不是普通文件：它是{kind_zh}")
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
        raise UnsafeFile(f"the file is larger than the limit of {limit:,} bytes",
                         f"文件超过了 {limit:,} 字节的上限")
    return data
