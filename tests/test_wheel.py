"""The wheel plays: built like `pip wheel .` / `pipx install .` would, installed into a fresh venv,
and run from a folder outside the checkout, `mot` has every shipped campaign.

How, offline and without touching the checkout:

- The source tree is copied to a temporary folder first (without .git, .venv, tests, caches):
  an in-tree build writes `build/` and `*.egg-info` into the checkout, which would race other
  test workers and anyone editing it.
- The wheel is built with `pip wheel --no-deps --no-build-isolation`, i.e. with the setuptools
  and wheel already in the test venv (the `test` extra lists them): build isolation would
  download setuptools from an index.
- The fresh venv is made with `--without-pip` and the wheel is installed into it with this venv's
  pip (`pip --python FRESH install --no-deps --no-index WHEEL`): the real install, entry point
  script included, with no network. Its dependencies (Textual, Rich…) come from this venv: one
  `.pth` line adds this venv's site-packages after the fresh venv's own, and `pip check` then
  proves every requirement the wheel declares is met. Not `--system-site-packages`: that would
  expose the base interpreter's packages, not this venv's; nor a wheelhouse: wheels cannot be
  rebuilt offline from installed packages. A `.pth` line adds a folder, and the `.pth` files in
  it (the editable install's finder) are not run, so `import game` can only find the wheel's.
- The build and the venv are made once per test session and shared between xdist workers (a
  lock file in the session's shared temporary folder).

Skipped, with the reason, only where no build is possible: no pip or no venv module.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "game"
SHIPPED_LEVELS = sorted(p for p in (PACKAGE / "levels").rglob("*.toml") if p.name != "campaign.toml")
# Not needed to build: left out of the copy.
IGNORE = shutil.ignore_patterns(".git", ".venv", "venv", "build", "dist", "*.egg-info", "__pycache__",
                                ".pytest_cache", ".ruff_cache", ".import_linter_cache", ".cache",
                                "node_modules", "tests", "benchmarks", "*.sqlite3", "snapshot_report.html")

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("pip") is None or importlib.util.find_spec("venv") is None,
    reason="building and installing the wheel needs pip and the venv module in the test interpreter",
)


def shipped_data() -> set[str]:
    """Every data file of the package (levels, assets, styles), as paths inside the wheel."""
    return {p.relative_to(ROOT).as_posix() for p in PACKAGE.rglob("*")
            if p.is_file() and p.suffix in (".toml", ".txt", ".json", ".tcss") and "__pycache__" not in p.parts}


def run(*args, cwd: Path | None = None, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(a) for a in args], check=False, cwd=cwd, env=env, capture_output=True, text=True,
                          encoding="utf-8", timeout=timeout)
    assert proc.returncode == 0, f"{args} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}"
    return proc


@contextlib.contextmanager
def _locked(path: Path):
    """One xdist worker builds while the others wait, then they reuse its work."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no sharing between workers
        yield
        return
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def build_dir(tmp_path_factory) -> Path:
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    return shared / "mot-wheel-build"


def _source_copy(build: Path) -> Path:
    src = build / "src"
    if not src.is_dir():
        shutil.copytree(ROOT, src, symlinks=True, ignore=IGNORE)
    return src


@pytest.fixture(scope="session")
def wheel(build_dir) -> Path:
    build_dir.mkdir(parents=True, exist_ok=True)
    with _locked(build_dir.parent / "mot-wheel-build.lock"):
        found = sorted((build_dir / "dist").glob("moment_of_truth-*.whl"))
        if not found:
            src = _source_copy(build_dir)
            run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                "-q", "-w", build_dir / "dist", ".", cwd=src)
            found = sorted((build_dir / "dist").glob("moment_of_truth-*.whl"))
    assert len(found) == 1, found
    return found[0]


@pytest.fixture(scope="session")
def sdist(build_dir) -> Path:
    build_dir.mkdir(parents=True, exist_ok=True)
    with _locked(build_dir.parent / "mot-wheel-build.lock"):
        found = sorted((build_dir / "sdist").glob("moment_of_truth-*.tar.gz"))
        if not found:
            src = _source_copy(build_dir)
            # The PEP 517 hook every frontend (python -m build, pip) calls to make the sdist.
            run(sys.executable, "-c", "import sys; from setuptools import build_meta; "
                "build_meta.build_sdist(sys.argv[1])", build_dir / "sdist", cwd=src)
            found = sorted((build_dir / "sdist").glob("moment_of_truth-*.tar.gz"))
    assert len(found) == 1, found
    return found[0]


@pytest.fixture(scope="session")
def installed(wheel, build_dir) -> Path:
    """A fresh venv with the wheel installed: returns its `bin` folder."""
    fresh = build_dir / "venv"
    bindir = fresh / ("Scripts" if os.name == "nt" else "bin")
    with _locked(build_dir.parent / "mot-wheel-build.lock"):
        if not (fresh / "ready").exists():
            shutil.rmtree(fresh, ignore_errors=True)
            run(sys.executable, "-m", "venv", "--without-pip", fresh)
            python = next(p for p in (bindir / "python", bindir / "python.exe") if p.exists())
            run(sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", "--no-index",
                wheel)
            purelib = run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip()
            ours = run(sys.executable, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip()
            Path(purelib, "_mot_test_dependencies.pth").write_text(ours + "\n", encoding="utf-8")
            (fresh / "ready").write_text("", encoding="utf-8")
    return bindir


def outside_env(tmp_path: Path) -> dict:
    """No trace of the checkout: no MOT_LEVELS, no PYTHONPATH, a save folder of its own."""
    env = {k: v for k, v in os.environ.items() if k not in ("MOT_LEVELS", "PYTHONPATH", "PYTHONHOME")}
    env.update(MOT_HOME=str(tmp_path / "home"), NO_COLOR="1", PYTHONIOENCODING="utf-8")
    return env


def test_the_wheel_carries_every_level_and_asset(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = shipped_data() - names
    assert not missing, f"not in the wheel: {sorted(missing)}"
    assert len(SHIPPED_LEVELS) >= 16 and "game/assets/level.schema.json" in names
    assert not any(n.startswith(("levels/", "assets/", "tests/")) for n in names)  # no stray top-level folders


def test_the_sdist_carries_every_level_and_asset(sdist):
    with tarfile.open(sdist) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    missing = (shipped_data() | {"pyproject.toml", "README.md", "MANIFEST.in"}) - names
    assert not missing, f"not in the sdist: {sorted(missing)}"


def test_the_installed_wheel_plays_from_outside_the_checkout(installed, wheel, tmp_path):
    mot = next(p for p in (installed / "mot", installed / "mot.exe") if p.exists())
    python = next(p for p in (installed / "python", installed / "python.exe") if p.exists())
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    env = outside_env(tmp_path)

    # The game, its version and its data come from the wheel, not from this checkout.
    where = run(python, "-c", "import game, importlib.metadata as m; print(game.__file__); "
                "print(m.distribution('moment-of-truth').locate_file(''))", cwd=outside, env=env).stdout
    assert str(ROOT) not in where and str(installed.parent) in where
    # The assets the screens read: the title art, the portraits, the reference cards.
    assets = run(python, "-c", "from game.tui.screens.title import title_art; "
                 "from game.tui.widgets.portrait import read_portrait; from game.reference import cards; "
                 "print(len(title_art().splitlines()), bool(read_portrait('grace')), len(cards()))",
                 cwd=outside, env=env).stdout.split()
    assert int(assets[0]) > 1 and assets[1] == "True" and int(assets[2]) > 0, assets
    # Every requirement the wheel declares is met (by the test venv's packages, see the docstring).
    run(sys.executable, "-m", "pip", "--python", python, "check", cwd=outside, env=env)

    from game.cli import version

    for flag in ("--version", "-V"):
        assert run(mot, flag, cwd=outside, env=env).stdout == f"mot {version()}\n"
    assert wheel.name.startswith(f"moment_of_truth-{version()}-")

    check = run(mot, "check", "--lang", "en", cwd=outside, env=env).stdout
    assert check.splitlines()[-1] == f"{len(SHIPPED_LEVELS)} levels, 0 errors, 0 warnings", check

    played = json.loads(run(mot, "run", "innocent-messenger", "--ideal", "--json", cwd=outside, env=env).stdout)
    assert played["level"] == "innocent-messenger" and played["mot_score"] == 3
