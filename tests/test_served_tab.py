"""A `mot serve` tab reads only the level or campaign it plays (issue 17): what it loads is what
the whole library has for it, and the command the server gives each tab says where it is."""

from __future__ import annotations

import argparse
import shlex

from game.commands.classroom import pick_levels
from game.commands.serve import classroom_command, served_files
from game.library import load_library, load_served


def test_a_served_level_is_the_level_of_the_whole_library():
    library = load_library()
    for level in library.levels:
        path, known = served_files([level])
        served = load_served(path, set(known.split(",")))
        assert [lv.id for lv in served.levels] == [level.id]
        assert served.levels[0] == level  # the same scenes, choices, texts and conditions
        entry, whole = served.campaign_of(level.id), library.campaign_of(level.id)
        assert (entry.campaign.id, entry.campaign.steps) == (whole.campaign.id, whole.campaign.steps)
        assert pick_levels(served, level.id, None) == ([served.levels[0]], None)
        assert pick_levels(served, level.id, whole.campaign.id)[1] is None


def test_a_served_campaign_is_its_folder():
    library = load_library()
    for entry in library.campaigns:
        levels, error = pick_levels(library, None, entry.campaign.id)
        if len(levels) < 2:
            continue
        path, known = served_files(levels)
        assert known is None
        served = load_served(path)
        assert pick_levels(served, None, entry.campaign.id) == (levels, None)


def test_each_tab_is_told_what_it_serves():
    args = argparse.Namespace(room="R", db="x.sqlite3", level="innocent-messenger", campaign=None, lang=None,
                              timer=None, served="/l/who/01-innocent-messenger.toml",
                              served_known="innocent-messenger,the-decision")
    words = shlex.split(classroom_command(args))
    assert words[words.index("--served") + 1] == "/l/who/01-innocent-messenger.toml"
    assert words[words.index("--served-known") + 1] == "innocent-messenger,the-decision"
