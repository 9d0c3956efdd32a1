"""`mot new LEVEL-ID [--campaign ID] [-o FILE] [--force]`: start a level from a working example.

A blank file teaches nothing, so the skeleton is a small complete level, commented line by line,
in English and Chinese: all four steps, a tempting wrong move with a way back, a `when` condition, a conditional `next`,
three endings with their tones and an ideal path that scores +3. It passes `mot check --analyse`
with no errors and no warnings; the author replaces the story and keeps the shape. With --campaign the file goes to
<levels>/<campaign>/NN-<id>.toml and the id is appended to that folder's campaign.toml (comments
and layout kept, with tomlkit); a new campaign folder gets a campaign.toml listing the level, with
placeholder titles in both languages. <levels> is MOT_LEVELS, else ./levels in a checkout, else
the `levels` folder under the user data folder, which the game reads with the shipped campaigns
(never the installed package's own folder).

Both files are stable under `taplo fmt` with taplo's default settings (comments on their own
lines, so the formatter has nothing to align): an author who formats on save sees no change.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from string import Template

from ..diagnostics import display_path
from ..library import CAMPAIGN_FILE, default_assets_dir, default_levels_dir
from ..model import ID_PATTERN

_NUMBERED = re.compile(r"(\d+)-")

SKELETON = Template('''\
$schema# A new level: replace the story, keep the shape. Check it with `mot check $path`,
# see it with `mot graph $path`, play-test it with `mot play $path`.
# Every text is either "one string" or { en = "English", zh = "中文" }.
format = 1

[level]
# Ids (of the level, characters, scenes, choices…) are lowercase letters, digits and hyphens.
id = "$id"
${campaign_lines}\
title = { en = "A Late Delivery", zh = "迟到的货" }
brief = { en = "You are Lin on the customer desk. Sam Lee, a long-standing customer, is calling about an order that has not arrived.", zh = "你是客服台的林。老客户 Sam Lee 打来电话，他的订单还没有到。" }
# the character the player plays
you = "lin"
# whose perception the meter shows
customer = "sam"
# the first scene
start = "call"
# the customer starts a little unhappy (−3..3)
perception = -1
discuss = [
  { en = "What did Sam need that he did not say at first?", zh = "Sam 一开始没有说出口的需求是什么？" },
]

[characters.lin]
name = "Lin"
role = { en = "Customer desk", zh = "客服台" }

[characters.sam]
name = "Sam Lee"
role = { en = "Office manager, a long-standing customer", zh = "办公室经理，老客户" }

# What the player can find out. kind: business-win | personal-win | expectation
[discovery.monday-launch]
kind = "business-win"
text = { en = "Sam's team launches a new service on Monday and needs the order for it.", zh = "Sam 的团队周一要上线新服务，需要这批货。" }

# ---- Scene 1: Explore. The ideal move asks; the tempting wrong move offers too early. ----
[scene.call]
# omit `speaker` for narration
speaker = "sam"
text = { en = "Our order was due yesterday. Where is it?", zh = "我们的货昨天就该到了，现在在哪儿？" }

[[scene.call.choice]]
id = "ask-impact"
# explore | offer | act | confirm
step = "explore"
text = { en = "I'm sorry. What does the delay mean for you this week?", zh = "很抱歉。这次延误对你们这周有什么影响？" }
# the change in perception, −3..3
perception = 1
reveals = ["monday-launch"]
feedback = { en = "Explore first: you learn what is at stake before offering anything.", zh = "先探索：在提出方案之前，先弄清对方真正在意什么。" }
thought = { en = "Good, someone asks what this costs us.", zh = "总算有人问问这对我们的影响了。" }
# on the ideal path shown in the debrief
ideal = true
# a scene id, or "end:<ending-id>"
next = "offer"

[[scene.call.choice]]
id = "offer-discount"
step = "offer"
text = { en = "I am so sorry for the trouble. I can take 10% off the whole order right away.", zh = "真是抱歉给您添麻烦了。我可以马上给整张订单打九折。" }
# tempting (and the longest text: the ideal should not always be), but an offer before you know the need
perception = -1
feedback = { en = "Generous and too early: a discount does not deliver anything by Monday.", zh = "很大方，但太早了：打折并不能让货在周一前到。" }
thought = { en = "I don't want a discount. I want my order.", zh = "我要的不是折扣，是货。" }
next = "offer"

[[scene.call.choice]]
id = "transfer"
step = "act"
text = { en = "Transfer Sam to the warehouse.", zh = "把电话转给仓库。" }
perception = -2
feedback = { en = "Passing the customer on is acting for the system, not for the customer.", zh = "把客户转走，是在为系统行动，而不是为客户。" }
next = "end:lost"

# ---- Scene 2: Offer. The wrong move feels good now and costs later (a flag). ----
[scene.offer]
text = { en = "The warehouse can ship half today and the rest on Tuesday.", zh = "仓库今天能发一半，剩下的周二发。" }

[[scene.offer.choice]]
id = "split-shipment"
step = "offer"
text = { en = "Offer half today, the items Monday needs first, and the rest on Tuesday.", zh = "提议今天先发周一要用的那一半，其余周二到。" }
perception = 1
feedback = { en = "Complete, practical, win-win: it meets the need you explored.", zh = "完整、可行、双赢：正好满足你探索到的需求。" }
thought = { en = "That works for Monday.", zh = "这样周一就没问题了。" }
ideal = true
next = "act"

[[scene.offer.choice]]
id = "promise-all"
step = "offer"
text = { en = "Promise the whole order by tomorrow.", zh = "承诺明天全部送到。" }
perception = 1
# a flag, for a `when` later on
sets = ["overpromised"]
feedback = { en = "It pleases now, but you promised what the warehouse cannot do.", zh = "一时让人满意，但你承诺了仓库做不到的事。" }
thought = { en = "Tomorrow? Great.", zh = "明天？太好了。" }
next = "act"

# ---- Scene 3: Act. `when` shows a choice only when its condition holds. ----
[scene.act]
text = { en = "Now make it happen.", zh = "现在要兑现了。" }

[[scene.act.choice]]
id = "ship-and-tell"
step = "act"
when = "not overpromised"
text = { en = "Ship the first half, and message Sam the tracking number.", zh = "发出第一批货，并把运单号发给 Sam。" }
perception = 1
feedback = { en = "The 5 Cs: for the Customer, Communicated, Co-ordinated, Completed.", zh = "5C：为了客户、有沟通、有协调、有完成。" }
thought = { en = "They are on it. I didn't have to chase.", zh = "他们在跟进，我都不用催。" }
ideal = true
next = "follow"

[[scene.act.choice]]
id = "scramble"
step = "act"
when = "overpromised"
text = { en = "Chase the warehouse to keep tomorrow's promise.", zh = "催仓库，想办法兑现明天的承诺。" }
perception = -2
feedback = { en = "The promise slips, and Sam learns it from an empty loading bay.", zh = "承诺落空了，Sam 是看着空荡荡的收货区知道的。" }
thought = { en = "Nothing came. Again.", zh = "什么都没来。又是这样。" }
next = "follow"

# a way back from the wrong move: without one, promising caps the level (warning W111)
[[scene.act.choice]]
id = "own-up"
step = "act"
when = "overpromised"
text = { en = "Call Sam now: half tomorrow, the Monday items first; the rest on Tuesday.", zh = "马上打给 Sam：明天先到一半，周一要用的优先，其余周二到。" }
feedback = { en = "Late, but honest: the customer hears the truth from you, not from an empty loading bay.", zh = "晚了些，但很诚实：客户是从你这里听到实情，而不是看着空荡荡的收货区。" }
thought = { en = "Not what he promised. At least he called.", zh = "和他承诺的不一样。至少他打电话来说了。" }
next = "follow"

[[scene.act.choice]]
id = "wait"
step = "act"
text = { en = "Leave it to the warehouse.", zh = "交给仓库去办。" }
perception = -1
feedback = { en = "Hope is not a plan.", zh = "希望不是计划。" }
next = "follow"

# ---- Scene 4: Confirm. Only the customer's perception counts: ask. ----
[scene.follow]
text = { en = "Monday evening.", zh = "周一傍晚。" }

[[scene.follow.choice]]
id = "check-back"
step = "confirm"
text = { en = "Call Sam: did the launch go well? Is anything still missing?", zh = "给 Sam 打电话：上线顺利吗？还缺什么吗？" }
perception = 1
feedback = { en = "Confirm: you hear what Sam thinks, and leave time to fix what fell short.", zh = "确认：听到 Sam 的想法，也留出弥补不足的时间。" }
thought = { en = "They even called to check.", zh = "他们还打电话来确认。" }
ideal = true
# branches tried after the move, the last without `when`: a poor run does not end delighted (W114)
next = [
  { when = "perception >= 2", to = "end:delighted" },
  { to = "end:quiet" },
]

[[scene.follow.choice]]
id = "close-ticket"
step = "act"
text = { en = "Close the ticket.", zh = "关闭工单。" }
perception = -1
feedback = { en = "Done is not confirmed: you do not know what Sam thinks.", zh = "做完不等于确认：你并不知道 Sam 怎么想。" }
next = "end:quiet"

# ---- Endings: a choice leads here with next = "end:<id>". ----
[ending.delighted]
title = { en = "A customer who tells the story", zh = "一位会讲这个故事的客户" }
text = { en = "Sam tells his director: this is why we stay.", zh = "Sam 对总监说：这就是我们一直合作的原因。" }
# what the ending means for the customer: good | mixed | bad
tone = "good"

[ending.quiet]
title = { en = "A quiet customer", zh = "一位沉默的客户" }
tone = "mixed"

[ending.lost]
title = { en = "A customer who shops around", zh = "一位开始货比三家的客户" }
tone = "bad"
''')

CAMPAIGN_SKELETON = Template('''\
${schema}# A campaign: this folder's levels, played in the order of `levels`. Check the folder with
# `mot check $folder`. Replace the placeholder title and intro in both languages.
format = 1

[campaign]
id = "$id"
title = { en = "$title", zh = "$title（课程名称）" }
# shown before the first level
intro = { en = "What this course is about, in one or two sentences.", zh = "用一两句话说明这门课程讲什么。" }
# level ids, in play order; `mot new --campaign $id` adds new levels here
levels = ["$level"]
# true: cards show their step before the choice (for a course that teaches the four steps)
show_steps = false

# Optional: the course's own words for the four steps.
# [campaign.steps]
# explore = { en = "Dig", zh = "挖掘" }

# Optional: the course's own words for the discovery kinds (business-win, personal-win, expectation).
# [campaign.kinds]
# personal-win = { en = "family", zh = "家人" }
''')


def add_parser(parser) -> None:
    parser.add_argument("level_id", metavar="LEVEL-ID", help="the new level's id, e.g. late-delivery")
    parser.add_argument("--campaign", metavar="ID", help="write into <levels>/<ID>/ and list it there (<levels>: MOT_LEVELS, "
                        "./levels in a checkout, else your user data folder's levels/)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write this file instead")
    parser.add_argument("--force", action="store_true", help="overwrite an existing file")


def run(args) -> int:
    from ..i18n import default_language, t

    name = Path(args.level_id)
    if name.suffix == ".toml" and ID_PATTERN.match(name.stem) and not args.output and not args.campaign:
        # `mot new late-delivery.toml`: the file the author named, with its name as the id
        args.level_id, args.output = name.stem, str(name)
    for value, what in ((args.level_id, "level"), (args.campaign, "campaign")):
        if value is not None and not ID_PATTERN.match(value):
            print(f"mot new: {t('new.bad_' + what, default_language(), value=value)}", file=sys.stderr)
            return 2
    folder = default_levels_dir() / args.campaign if args.campaign else None
    path = Path(args.output) if args.output else (
        folder / f"{next_number(folder):02d}-{args.level_id}.toml" if folder else Path(f"{args.level_id}.toml"))
    if path.exists() and not args.force:
        print(f"mot new: {path} exists; use --force to overwrite it", file=sys.stderr)
        return 1
    path.parent.mkdir(parents=True, exist_ok=True)
    number = _NUMBERED.match(path.name)
    path.write_text(skeleton(args.level_id, path, args.campaign, int(number.group(1)) if number else 1),
                    encoding="utf-8")
    print(f"wrote {display_path(path)}")
    campaign_file = path.parent / CAMPAIGN_FILE
    if args.campaign and campaign_file.is_file():
        if add_to_campaign(campaign_file, args.level_id):
            print(f"added {args.level_id!r} to {display_path(campaign_file)}")
    elif args.campaign and not campaign_file.exists():
        campaign_file.write_text(campaign_skeleton(args.campaign, args.level_id, campaign_file),
                                 encoding="utf-8")
        print(f"wrote {display_path(campaign_file)}")
    print(f"next: mot check {display_path(path)}  ·  mot play {display_path(path)}")
    return 0


def next_number(folder: Path | None) -> int:
    """One more than the highest NN- prefix in the folder (1 for an empty or missing folder)."""
    if folder is None or not folder.is_dir():
        return 1
    numbers = [int(m.group(1)) for f in folder.glob("*.toml") if (m := _NUMBERED.match(f.name))]
    return max(numbers, default=0) + 1


def _schema_line(name: str, path: Path) -> str:
    """`#:schema <relative path>` for the file at `path`, or "" when the schema is not shipped."""
    schema = default_assets_dir() / name
    if not schema.is_file():
        return ""
    try:
        ref = Path(os.path.relpath(schema, path.resolve().parent)).as_posix()
    except ValueError:  # another drive on Windows
        ref = schema.as_uri()
    return f"#:schema {ref}\n"


def skeleton(level_id: str, path: Path, campaign: str | None = None, order: int = 1) -> str:
    lines = f'campaign = "{campaign}"\norder = {order}\n' if campaign else ""
    return SKELETON.substitute(schema=_schema_line("level.schema.json", path),
                               path=display_path(path), id=level_id, campaign_lines=lines)


def campaign_skeleton(campaign_id: str, level_id: str, path: Path) -> str:
    """A campaign.toml for a new folder: the id, placeholder texts in both languages, one level."""
    return CAMPAIGN_SKELETON.substitute(
        schema=_schema_line("campaign.schema.json", path), folder=display_path(path.parent),
        id=campaign_id, title=campaign_id.replace("-", " ").title(), level=level_id)


def add_to_campaign(campaign_file: Path, level_id: str) -> bool:
    """Append the id to campaign.toml's `levels`, keeping its comments; False if already there."""
    import tomlkit  # only here: the rest of the game does not need it

    doc = tomlkit.parse(campaign_file.read_text(encoding="utf-8"))
    levels = doc.get("campaign", {}).get("levels")
    if levels is None or level_id in levels:
        return False
    levels.append(level_id)
    campaign_file.write_text(tomlkit.dumps(doc), encoding="utf-8")
    return True
