"""Find every campaign and level under the levels folders; a broken file never hides the others.

Layout: `levels/<campaign>/campaign.toml` plus `levels/<campaign>/NN-<level>.toml`. A folder
without a campaign.toml is still read: its levels form a campaign named after the folder.
The game reads the shipped campaigns first, then the user's own folders (game.paths.levels_dirs);
a user's campaign or level with the id of an earlier one is an error (E007) naming both files.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostic, display_path
from .loader import LoadResult, load_campaign, load_level, read_toml
from .model import Campaign, Level, Text
from .paths import default_assets_dir, default_levels_dir, levels_dirs

CAMPAIGN_FILE = "campaign.toml"
_SAFE_ID = re.compile(r"[^a-z0-9-]+")


@dataclass
class Broken:
    """A file that could not be loaded, with its first error (shown on the campaign map)."""

    path: Path
    diagnostics: list[Diagnostic]
    campaign: str | None = None

    @property
    def first_error(self) -> Diagnostic:
        return next((d for d in self.diagnostics if d.is_error), self.diagnostics[0])


@dataclass
class CampaignEntry:
    campaign: Campaign
    levels: list[Level] = field(default_factory=list)
    broken: list[Broken] = field(default_factory=list)


@dataclass
class Library:
    root: Path  # the first folder read (the shipped campaigns, unless one folder was asked for)
    campaigns: list[CampaignEntry] = field(default_factory=list)
    results: list[LoadResult] = field(default_factory=list)  # every file read, for `mot check`
    roots: list[Path] = field(default_factory=list)  # every folder read, in order

    @property
    def where(self) -> str:
        """The folders read, for messages."""
        return ", ".join(display_path(r) for r in self.roots or [self.root])

    def level(self, level_id: str) -> Level | None:
        return next((lv for c in self.campaigns for lv in c.levels if lv.id == level_id), None)

    def campaign(self, campaign_id: str) -> CampaignEntry | None:
        return next((c for c in self.campaigns if c.campaign.id == campaign_id), None)

    def campaign_of(self, level_id: str) -> CampaignEntry | None:
        return next((c for c in self.campaigns if any(lv.id == level_id for lv in c.levels)), None)

    @property
    def broken(self) -> list[Broken]:
        return [b for c in self.campaigns for b in c.broken]

    @property
    def levels(self) -> list[Level]:
        return [lv for c in self.campaigns for lv in c.levels]


_NAMED = re.compile(r"\d+-([a-z][a-z0-9-]*)")


def _read_levels(folder: Path, inside: Path | None = None) -> dict[Path, tuple]:
    """Parse every level file of a folder once; the ids pre-pass and the loading share it.
    Every file must be a regular file within `inside` (default: the folder itself)."""
    return {file: read_toml(file, inside or folder) for file in sorted(folder.glob("*.toml"))
            if file.name != CAMPAIGN_FILE}


def _ids_of(parsed: dict[Path, tuple]) -> set[str]:
    """The ids of the levels in a folder, for `score.<level>` checks."""
    ids = set()
    for data, _, _ in parsed.values():
        level = data.get("level") if isinstance(data, dict) else None
        if isinstance(level, dict) and isinstance(level.get("id"), str):
            ids.add(level["id"])
    return ids


def _level_ids_in(folder: Path) -> set[str]:
    return _ids_of(_read_levels(folder))


def load_folder(folder: Path, assets: Path | None = None,
                inside: Path | None = None) -> tuple[CampaignEntry, list[LoadResult]]:
    """Load one campaign folder (campaign.toml optional); its files must lie within `inside`
    (default: the folder) once links are followed."""
    assets = assets or default_assets_dir()
    results: list[LoadResult] = []
    campaign: Campaign | None = None
    broken: list[Broken] = []
    campaign_file = folder / CAMPAIGN_FILE
    if campaign_file.exists():
        cres = load_campaign(campaign_file, inside)
        results.append(cres)
        campaign = cres.campaign
        if cres.errors:
            broken.append(Broken(campaign_file, cres.diagnostics))
    if campaign is None:
        cid = _SAFE_ID.sub("-", folder.name.lower()).strip("-") or "levels"
        if not cid[0].isalpha():
            cid = "c-" + cid
        campaign = Campaign(id=cid, title=Text.plain(folder.name), path=folder)
    parsed = _read_levels(folder, inside)
    known = _ids_of(parsed)
    levels: list[Level] = []
    unloaded: dict[Path, str | None] = {}  # a level file that did not load -> its id, if readable
    for file, pre in parsed.items():
        res = load_level(file, known_levels=known, assets=assets, parsed=pre)
        results.append(res)
        if res.level is None:
            broken.append(Broken(file, res.diagnostics, campaign.id))
            # a file too broken to read keeps `mot new`'s name: NN-<level-id>.toml
            named = _NAMED.fullmatch(file.stem)
            unloaded[file] = next(iter(_ids_of({file: pre})), None) or (named[1] if named else None)
            continue
        levels.append(res.level)
    # Membership is checked only against a campaign.toml that loaded (not the folder stand-in).
    _check_campaign_membership(campaign, levels, results, campaign.path == campaign_file, unloaded)
    order = {lid: i for i, lid in enumerate(campaign.levels)}
    levels.sort(key=lambda lv: (order.get(lv.id, len(order)), lv.order, lv.id))
    return CampaignEntry(campaign, levels, broken), results


def _check_campaign_membership(campaign: Campaign, levels: list[Level], results: list[LoadResult],
                               declared: bool, unloaded: dict[Path, str | None] | None = None) -> None:
    """E022 both ways: a listed id no file has, a level the list leaves out. A listed level whose
    file exists but did not load gets no E022 (its own errors say why); when a file is too broken
    to read its id, the E022 says so instead of claiming that no file has the id."""
    if not declared:
        return
    unloaded = unloaded or {}
    cres = results[0]
    by_id = {lv.id: lv for lv in levels}
    broken_ids = _level_ids_in_results(results) | {lid for lid in unloaded.values() if lid}
    unreadable = ", ".join(f.name for f, lid in unloaded.items() if lid is None)
    for i, lid in enumerate(campaign.levels):
        if lid not in by_id and lid not in broken_ids:
            line, col = cres.positions.value(("campaign", "levels", i)) if cres.positions else (1, 1)
            folder = display_path(campaign.path.parent)
            if unreadable:
                message = (f"campaign lists level {lid!r}, but no level that loaded in {folder} has "
                           f"that id; {unreadable} did not load because of its own errors")
                zh = (f"课程列出了关卡 {lid!r}，但 {folder} 中加载成功的关卡都不用这个 id；"
                      f"{unreadable} 因自身的错误没有加载")
            else:
                message = f"campaign lists level {lid!r}, but no file in {folder} has that id"
                zh = f"课程列出了关卡 {lid!r}，但 {folder} 中没有文件用这个 id"
            cres.diagnostics.append(Diagnostic(display_path(cres.path), line, col, "E022", message, zh))
    for res in results[1:]:
        level = res.level
        if level is None:
            continue
        if level.campaign and level.campaign != campaign.id:
            line, col = res.positions.value(("level", "campaign"))
            res.diagnostics.append(Diagnostic(display_path(res.path), line, col, "E022",
                                              f"level says campaign {level.campaign!r}, but its "
                                              f"folder's campaign.toml is {campaign.id!r}",
                                              f"关卡写的课程是 {level.campaign!r}，但所在文件夹的 "
                                              f"campaign.toml 是 {campaign.id!r}"))
        elif level.id not in campaign.levels:
            line, col = res.positions.value(("level", "id"))
            res.diagnostics.append(Diagnostic(display_path(res.path), line, col, "E022",
                                              f"level {level.id!r} is not listed in "
                                              f"{display_path(campaign.path)} `levels`",
                                              f"关卡 {level.id!r} 没有列在 "
                                              f"{display_path(campaign.path)} 的 `levels` 中"))


def flag_duplicate_ids(results: list[LoadResult]) -> list[LoadResult]:
    """E007 on every level whose id an earlier file already has (in any campaign folder): one
    file would silently hide the other. Returns the results that got the error."""
    seen: dict[str, Path] = {}
    flagged = []
    for res in results:
        level = res.level
        if level is None or res.path.name == CAMPAIGN_FILE:
            continue
        first = seen.setdefault(level.id, res.path)
        if first != res.path:
            line, col = res.positions.value(("level", "id")) if res.positions else (1, 1)
            res.diagnostics.append(Diagnostic(display_path(res.path), line, col, "E007",
                                              f"level id {level.id!r} is also the id of "
                                              f"{display_path(first)}: level ids must be unique",
                                              f"关卡 id {level.id!r} 也是 {display_path(first)} 的 id："
                                              "关卡 id 必须唯一"))
            flagged.append(res)
    return flagged


def flag_duplicate_campaigns(results: list[LoadResult]) -> list[LoadResult]:
    """E007 on every campaign.toml whose id an earlier one already has (a user's campaign with a
    shipped campaign's id): the two would be merged silently. Returns the results flagged."""
    seen: dict[str, Path] = {}
    flagged = []
    for res in results:
        if res.campaign is None or res.path.name != CAMPAIGN_FILE:
            continue
        first = seen.setdefault(res.campaign.id, res.path)
        if first != res.path:
            res.diagnostics.append(_duplicate_campaign(res, res.campaign.id, first))
            flagged.append(res)
    return flagged


def _duplicate_campaign(res: LoadResult | None, cid: str, first: Path, where: Path | None = None) -> Diagnostic:
    line, col = res.positions.value(("campaign", "id")) if res is not None and res.positions else (1, 1)
    return Diagnostic(display_path(res.path if res is not None else where), line, col, "E007",
                      f"campaign id {cid!r} is also the id of {display_path(first)}: campaign ids "
                      "must be unique (rename this campaign, or give its folder another name)",
                      f"课程 id {cid!r} 也是 {display_path(first)} 的 id：课程 id 必须唯一"
                      "（给这个课程改名，或给它的文件夹换个名字）")


def _level_ids_in_results(results: list[LoadResult]) -> set[str]:
    return {r.level.id for r in results if r.level is not None}


def load_library(root: Path | None = None, assets: Path | None = None, *,
                 extra: list | tuple = ()) -> Library:
    """With `root`: every campaign folder under that one folder (and loose level files directly in
    it), nothing else. Without: the shipped campaigns, then the user's own folders (`extra`, from
    --levels, then MOT_LEVELS, then `levels` under the user data folder; see game.paths).

    Ids are unique across everything read: a later campaign or level with an earlier one's id
    plays not at all, and is listed as broken with an error (E007) naming both files."""
    roots = [Path(root)] if root else levels_dirs([Path(p) for p in extra if p])
    library = Library(roots[0] if roots else default_levels_dir(), roots=roots)
    owner: dict[str, CampaignEntry] = {}  # campaign id -> the entry that has it
    for top in roots:
        for entry in _load_root(top, assets, library):
            first = owner.setdefault(entry.campaign.id, entry)
            if first is entry:
                library.campaigns.append(entry)
            else:
                _list_under(first, entry, library.results)
    for res in flag_duplicate_ids(library.results):  # the later file is broken, the first plays
        for entry in library.campaigns:
            if res.level in entry.levels:
                entry.levels.remove(res.level)
                entry.broken.append(Broken(res.path, res.diagnostics, entry.campaign.id))
    library.campaigns.sort(key=lambda c: (c.campaign.order, c.campaign.id))
    return library


def _list_under(first: CampaignEntry, dup: CampaignEntry, results: list[LoadResult]) -> None:
    """A campaign with an earlier campaign's id (say, a copy of a shipped campaign in the user's
    folder) plays not at all: its files are listed as broken under the first, with an E007 naming
    both, and the first plays on unchanged. Never merged."""
    where = dup.campaign.path  # its campaign.toml, or its folder when it has none
    res = next((r for r in results if r.path == where), None)
    diagnostic = _duplicate_campaign(res, dup.campaign.id, first.campaign.path or Path(first.campaign.id), where)
    if res is not None:
        res.diagnostics.append(diagnostic)
    files = ([where] if res is not None else []) + [lv.path for lv in dup.levels if lv.path] \
        + [b.path for b in dup.broken if b.path != where]
    for file in files:
        own = next((r.diagnostics for r in results if r.path == file), [])
        first.broken.append(Broken(file, [diagnostic] + [d for d in own if d is not diagnostic],
                                   first.campaign.id))


def _load_root(root: Path, assets: Path | None, library: Library) -> list[CampaignEntry]:
    """The campaign entries of one levels folder (their results go to the library)."""
    if not root.is_dir():
        return []
    folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
    if any(root.glob("*.toml")):
        folders.insert(0, root)
    entries = []
    for folder in folders:
        entry, results = load_folder(folder, assets, inside=root)
        library.results.extend(results)
        # E022 found after loading makes a level broken too.
        for res in results[1:] if (folder / CAMPAIGN_FILE).exists() else results:
            if res.level is not None and res.errors:
                entry.levels.remove(res.level)
                entry.broken.append(Broken(res.path, res.diagnostics, entry.campaign.id))
        if entry.levels or entry.broken:
            entries.append(entry)
    return entries


def resolve_level(spec: str, root: Path | None = None,
                  lang: str | None = None) -> tuple[Level | None, list[Diagnostic], Campaign | None]:
    """A level id from the library, or a path to a .toml file (loaded with its folder's context).

    Returns the level (None if it cannot be played), its diagnostics, and its campaign (for
    the campaign's own step names). An unknown id prints the known ones.
    """
    path = Path(spec)
    if spec.endswith(".toml") or path.is_file():
        if not path.is_file():
            return None, [Diagnostic(spec, 1, 1, "E002", "no such file", "文件不存在")], None
        entry, results = load_folder_for(path)
        res = next(r for r in results if r.path == path)
        return res.level if res.ok else None, res.diagnostics, entry.campaign
    library = load_library(root)
    level = library.level(spec)
    if level is None:
        broken = next((b for b in library.broken if b.path.stem.endswith(spec)), None)
        if broken:
            return None, broken.diagnostics, None
        known = ", ".join(lv.id for lv in library.levels) or "none"
        from .i18n import default_language, t

        print(f"mot: {t('cli.no_level', lang or default_language(), level=spec, where=library.where, known=known)}",
              file=sys.stderr)
        return None, [], None
    return level, [], library.campaign_of(level.id).campaign


def load_folder_for(path: Path) -> tuple[CampaignEntry, list[LoadResult]]:
    """Load a single file with what its folder provides (sibling ids for `score.<level>`)."""
    assets = default_assets_dir()
    parsed = _read_levels(path.parent)
    res = load_level(path, known_levels=_ids_of(parsed), assets=assets, parsed=parsed.get(path))
    campaign = None
    cfile = path.parent / CAMPAIGN_FILE
    if cfile.exists():
        campaign = load_campaign(cfile).campaign
    entry = CampaignEntry(campaign or Campaign(id="file", title=Text.plain(path.stem)),
                          [res.level] if res.level else [])
    return entry, [res]


def load_served(path: Path, known: set[str] | None = None) -> Library:
    """Only what one `mot serve` tab plays: the campaign folder `path`, or the level file `path`
    (with its folder's campaign.toml; `known`: the level ids its `score.<level>` may name, as
    the server's whole load found them). The server has loaded everything the game reads and
    checked the level or campaign against it before any tab starts, so each tab skips reading
    the other campaigns (a tenth of a second of CPU per tab)."""
    path = Path(path)
    if path.is_dir():
        entry, results = load_folder(path, inside=path.parent)
        return Library(path.parent, campaigns=[entry], results=results, roots=[path.parent])
    if known is None:
        known = _level_ids_in(path.parent)
    res = load_level(path, known_levels=known, assets=default_assets_dir())
    cfile = path.parent / CAMPAIGN_FILE
    campaign = load_campaign(cfile, path.parent.parent).campaign if cfile.exists() else None
    if campaign is None:  # the stand-in load_folder gives a folder without campaign.toml
        cid = _SAFE_ID.sub("-", path.parent.name.lower()).strip("-") or "levels"
        campaign = Campaign(id=cid if cid[0].isalpha() else "c-" + cid, title=Text.plain(path.parent.name),
                            path=path.parent)
    entry = CampaignEntry(campaign, [res.level] if res.level is not None else [],
                          [] if res.level is not None else [Broken(path, res.diagnostics, campaign.id)])
    return Library(path.parent.parent, campaigns=[entry], results=[res], roots=[path.parent.parent])
