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
                "zh": "了解客户的需求与想法：业务上的赢、个人的赢、隐藏的期望，主动倾听"},
    "offer": {"en": "propose an appropriate action — complete, practical, win-win — once the need "
                    "is understood",
              "zh": "在理解需求之后，提出恰当的行动：完整、可行、双赢"},
    "act": {"en": "carry out what was offered: Customer, Contingency, Communicate, Co-ordinate, "
                  "Complete (the 5 Cs)",
            "zh": "兑现提议：客户、应变、沟通、协调、完成（5C）"},
    "confirm": {"en": "check the customer's expectation was met or exceeded — only their "
                      "perception counts",
                "zh": "确认客户的期望已被满足或超越——只有客户的感知才算数"},
}

STRINGS: dict[str, dict[str, str]] = {
    "cli.summary": {"en": "{levels} levels, {errors} errors, {warnings} warnings",
                    "zh": "{levels} 个关卡，{errors} 个错误，{warnings} 个警告"},
    "cli.no_choice": {"en": "choice {choice!r} is not available in scene {scene!r}; available: {available}",
                      "zh": "场景 {scene!r} 中没有可选的 {choice!r}；可选：{available}"},
    "cli.unfinished": {"en": "the level has not ended: scene {scene!r} still waits for a choice "
                             "(available: {available})",
                       "zh": "关卡尚未结束：场景 {scene!r} 还在等待选择（可选：{available}）"},
    "cli.bad_score": {"en": "--score takes LEVEL=N with N from -3 to 3, not {value!r}",
                      "zh": "--score 的格式是 LEVEL=N，N 取 -3 到 3，而不是 {value!r}"},
    "run.move": {"en": "{n}. [{step}] {choice}  ({delta:+d} → {perception:+d} {label})",
                 "zh": "{n}. [{step}] {choice}  （{delta:+d} → {perception:+d} {label}）"},
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


def step_name(step: str, lang: str, campaign_steps=None) -> str:
    """A step's name: the campaign's own wording when it has one, else the standard one."""
    if campaign_steps and step in campaign_steps:
        named = campaign_steps[step].get(lang)
        if named:
            return named
    return STEP_NAMES[step][lang if lang in LANGUAGES else "en"]


def other_language(lang: str) -> str:
    return "en" if lang == "zh" else "zh"
