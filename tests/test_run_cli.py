"""`mot run`: headless play of the tutorial level, every number worked out by hand from
levels/tutorial/01-first-call.toml (the level starts at perception −1; deltas are the choices'
`perception`; the meter is clamped to −3..3 after each move).

Discoveries, in the file's order: trade-fair (revealed by ask-impact), boss-trust and
working-by-thursday (both revealed by ask-what-success).
Points = 10 × (MOT score + 3) + 5 × adherence + 2 × discoveries found.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from game.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIRST_CALL = ROOT / "levels" / "tutorial" / "01-first-call.toml"
FOLLOW_UP = ROOT / "levels" / "tutorial" / "02-follow-up.toml"
ALL_FOUND = ["trade-fair", "boss-trust", "working-by-thursday"]
# each discovery's kind, and its name (the tutorial campaign does not rename the kinds)
KINDS = {"trade-fair": ("business-win", "business win"), "boss-trust": ("personal-win", "personal win"),
         "working-by-thursday": ("expectation", "expectation")}


def mot(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "game", "run", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)


@pytest.fixture
def run(monkeypatch, capsys):
    """`mot run …` in-process: (exit status, stdout, stderr)."""
    monkeypatch.chdir(ROOT)

    def call(*args: str):
        code = main(["run", *args])
        out, err = capsys.readouterr()
        return code, out, err
    return call


def adherence(e: bool, o: bool, a: bool, c: bool) -> dict:
    return {"explored_first": e, "offered_before_act": o, "acted": a, "confirmed_last": c,
            "total": e + o + a + c}


# Each path: the choices, then the whole expected JSON (path entries checked separately).
# Scoring v2: a moment is a move that changed the meter; peak = the moment with the largest |p|,
# a tie going to the later one; MOT score = (peak + end) / 2, rounded half away from zero.
PATHS = {
    # The ideal path. −1 → ask-impact +1 → 0 → ask-what-success +1 → 1 → loaners-and-note +2 → 3
    # → five-cs +1 → 4, clamped to 3 (no moment) → call-grace +1 → 3 (clamped: no moment).
    # trace 0 1 3 3 3: moments 0, 1, 3; peak 3 (move 3), end 3: (3 + 3) / 2 = 3, delighted.
    # E O A C all lit: explore first, offer before act, acted, confirmed last → 4.
    # All three discoveries. Word of mouth +3 ≥ +2: 2–3 people.
    # Points 10 × 6 + 5 × 4 + 2 × 3 = 86.
    "ideal": (
        ["ask-impact", "ask-what-success", "loaners-and-note", "five-cs", "call-grace"],
        {"ending": "delighted", "trace": [0, 1, 3, 3, 3], "peak": 3, "peak_move": 3, "start": -1,
         "end": 3, "mot_score": 3,
         "label": "delighted", "adherence": adherence(True, True, True, True),
         "discoveries": {"found": ALL_FOUND, "missed": []},
         "word_of_mouth": {"tone": "positive", "people_min": 2, "people_max": 3}, "points": 86},
        [("call", "ask-impact", "explore", 1, 0), ("needs", "ask-what-success", "explore", 1, 1),
         ("plan", "loaners-and-note", "offer", 2, 3), ("deliver", "five-cs", "act", 1, 3),
         ("follow", "call-grace", "confirm", 1, 3)],
    ),
    # The refund and the policy. −1 → offer-refund −1 → −2 → repeat-policy (open because
    # offer-refund set `offered-refund`) −1 → −3 → end:lost.
    # Peak −3 (move 2), end −3 → −3, relationship in crisis. No explore (E dark), an offer and
    # no act (O lit), no act, last move an offer → 1. Nothing found. Tells 12 people.
    # Points 10 × 0 + 5 × 1 + 0 = 5.
    "refund": (
        ["offer-refund", "repeat-policy"],
        {"ending": "lost", "trace": [-2, -3], "peak": -3, "peak_move": 2, "start": -1, "end": -3,
         "mot_score": -3,
         "label": "relationship in crisis", "adherence": adherence(False, True, False, False),
         "discoveries": {"found": [], "missed": ALL_FOUND},
         "word_of_mouth": {"tone": "negative", "people_min": 12, "people_max": 12}, "points": 5},
        [("call", "offer-refund", "offer", -1, -2), ("needs", "repeat-policy", "offer", -1, -3)],
    ),
    # The overpromise. −1 → ask-impact +1 → 0 → promise-thursday −1 → −1 (sets `overpromised`,
    # so five-cs is closed) → wait-for-customs −3 → −4, clamped to −3 → apologise-late
    # (perception < 0) +1 → −2. trace 0 −1 −3 −2: peak −3 (move 3), end −2:
    # (−3 − 2) / 2 = −2.5 → −3 (half away from zero), relationship in crisis.
    # The steps were right (E O A C, 4) — the customer still felt let down.
    # Found trade-fair only. Tells 12. Points 10 × 0 + 5 × 4 + 2 × 1 = 22.
    "overpromise": (
        ["ask-impact", "promise-thursday", "wait-for-customs", "apologise-late"],
        {"ending": "lost", "trace": [0, -1, -3, -2], "peak": -3, "peak_move": 3, "start": -1,
         "end": -2, "mot_score": -3,
         "label": "relationship in crisis", "adherence": adherence(True, True, True, True),
         "discoveries": {"found": ["trade-fair"], "missed": ["boss-trust", "working-by-thursday"]},
         "word_of_mouth": {"tone": "negative", "people_min": 12, "people_max": 12}, "points": 22},
        [("call", "ask-impact", "explore", 1, 0), ("needs", "promise-thursday", "offer", -1, -1),
         ("deliver", "wait-for-customs", "act", -3, -3), ("follow", "apologise-late", "confirm", 1, -2)],
    ),
    # Done but not confirmed. −1 → 0 → 1 → new-date −1 → 0 → five-cs +1 → 1 → close-ticket
    # (perception ≥ 0) −2 → −1 → end:quiet. Every move is a moment; the largest |p| is 1, held by
    # +1 (moves 2, 4) and −1 (move 5): the tie goes to the later −1. End −1 → −1, partly unmet.
    # Last move an act: C dark → 3. All found. Tells 12.
    # Points 10 × 2 + 5 × 3 + 2 × 3 = 41.
    "quiet": (
        ["ask-impact", "ask-what-success", "new-date", "five-cs", "close-ticket"],
        {"ending": "quiet", "trace": [0, 1, 0, 1, -1], "peak": -1, "peak_move": 5, "start": -1,
         "end": -1, "mot_score": -1,
         "label": "partly unmet", "adherence": adherence(True, True, True, False),
         "discoveries": {"found": ALL_FOUND, "missed": []},
         "word_of_mouth": {"tone": "negative", "people_min": 12, "people_max": 12}, "points": 41},
        [("call", "ask-impact", "explore", 1, 0), ("needs", "ask-what-success", "explore", 1, 1),
         ("plan", "new-date", "offer", -1, 0), ("deliver", "five-cs", "act", 1, 1),
         ("follow", "close-ticket", "act", -2, -1)],
    ),
    # A bad start that ends well. −1 → blame-courier −2 → −3 → ask-what-success +1 → −2 →
    # loaners-and-note +2 → 0 → five-cs +1 → 1 → call-grace +1 → 2 → end:remembered (the
    # conditional `next`: blamed). Peak −3 (move 1: no later moment is as strong), end +2:
    # (−3 + 2) / 2 = −0.5 → −1, partly unmet: the customer remembers the worst moment. An act
    # came before the first offer: O dark → 3. Found boss-trust and working-by-thursday, missed
    # trade-fair. −1 tells 12. Points 10 × 2 + 5 × 3 + 2 × 2 = 39.
    "bad-start": (
        ["blame-courier", "ask-what-success", "loaners-and-note", "five-cs", "call-grace"],
        {"ending": "remembered", "trace": [-3, -2, 0, 1, 2], "peak": -3, "peak_move": 1, "start": -1,
         "end": 2, "mot_score": -1,
         "label": "partly unmet", "adherence": adherence(True, False, True, True),
         "discoveries": {"found": ["boss-trust", "working-by-thursday"], "missed": ["trade-fair"]},
         "word_of_mouth": {"tone": "negative", "people_min": 12, "people_max": 12}, "points": 39},
        [("call", "blame-courier", "act", -2, -3), ("needs", "ask-what-success", "explore", 1, -2),
         ("plan", "loaners-and-note", "offer", 2, 0), ("deliver", "five-cs", "act", 1, 1),
         ("follow", "call-grace", "confirm", 1, 2)],
    ),
}


def check_json(data: dict, name: str) -> None:
    choices, expected, path = PATHS[name]
    assert data["level"] == "first-call"
    assert [(p["scene"], p["choice"], p["step"], p["delta"], p["perception"]) for p in data["path"]] == path
    for entry in data["path"]:  # what was shown (a shuffle of what was available), and advice
        assert entry["choice"] in entry["offered"] and entry["best"] in entry["offered"]
    assert isinstance(data["seed"], int)
    rest = {k: v for k, v in data.items() if k not in ("level", "path", "seed")}
    found_kinds = [{"id": d, "kind": KINDS[d][0], "kind_name": KINDS[d][1]}
                   for d in expected["discoveries"]["found"]]
    # the tutorial has no scene events
    assert rest == {**expected, "events": [], "peak_event": None, "peak_event_scene": None,
                    "found_kinds": found_kinds}


@pytest.mark.parametrize("name", list(PATHS))
def test_json_paths_in_process(run, name):
    code, out, err = run("first-call", "--choices", ",".join(PATHS[name][0]), "--json", "--lang", "en")
    assert (code, err) == (0, "")
    check_json(json.loads(out), name)


@pytest.mark.parametrize("name", ["ideal", "refund", "overpromise"])
def test_json_paths_through_the_command(name):
    proc = mot("first-call", "--choices", ",".join(PATHS[name][0]), "--json", "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    check_json(json.loads(proc.stdout), name)


def test_a_path_to_the_file_works_like_the_id(run):
    code, out, _ = run(str(FIRST_CALL.relative_to(ROOT)), "--choices", ",".join(PATHS["refund"][0]),
                       "--json", "--lang", "en")
    assert code == 0
    check_json(json.loads(out), "refund")


def test_ideal_flag_follows_the_ideal_path(run):
    code, out, _ = run("first-call", "--ideal", "--json", "--lang", "en")
    assert code == 0
    check_json(json.loads(out), "ideal")


def test_json_label_in_chinese(run):
    code, out, _ = run("first-call", "--choices", ",".join(PATHS["overpromise"][0]), "--json", "--lang", "zh")
    assert code == 0 and json.loads(out)["label"] == "危机双方的关系"


def test_spaces_around_choice_ids_are_ignored(run):
    code, out, _ = run("first-call", "--choices", " offer-refund , repeat-policy ", "--json", "--lang", "en")
    assert code == 0 and json.loads(out)["trace"] == [-2, -3]


# -- the transcript ------------------------------------------------------------------------------
TRANSCRIPT_EN = """\
A First Call

Grace Wang: Hello, Grace Wang from FILTEX. The twelve laptops for my sales team were promised for Monday. It's Tuesday. Where are they?
1. [O Offer] I can cancel the order and refund you today, no questions asked.  (-1: -1 → -2 unmet)
   Coach: Generous, and too early: an offer before you know the need. A refund does not put laptops on desks by Thursday.
   Grace Wang thinks: I don't want my money back. I want laptops.
   ★ Better here: [E Explore] I'm sorry. Before I chase it: what does the delay mean for your team this week? (both keep +3 within reach; this one also wins the customer now)

Grace Wang: Grace sighs. "Listen. Thursday is the trade fair in Hangzhou. Twelve salespeople and no laptops. And my director thinks I messed up the order."
2. [O Offer] As I said, the refund is the best I can do under our policy.  (-1: -2 → -3 relationship in crisis)
   Coach: "Our policy" puts the company between you and the customer.
   Grace Wang thinks: I'll call TNS.
   ★ Best move here: [E Explore] That sounds stressful. What would make Thursday a success for you? (keeps +3 within reach; yours kept -3)

Ending: A customer who shops around
Next quarter, FILTEX asks TNS for a quote.
MOT score -3 (relationship in crisis) — peak -3, end -3
Model adherence 1/4: · O · ·
Discoveries 0/3
This customer tells 12 people about it.
"""

TRANSCRIPT_ZH = """\
第一通电话

Grace Wang: 你好，我是 FILTEX 的 Grace Wang。给销售团队的十二台电脑说好周一到，今天都周二了，电脑呢？
1. [O 提议] 我可以今天就取消订单、全额退款，没有任何问题。  （-1：-1 → -2 无法符合期望）
   教练：很大方，但太早了：还不了解需求就提议。退款并不能让周四桌上有电脑。
   Grace Wang 心想：我要的不是退款，是电脑。
   ★ 此处更好的一步：[E 探索] 真抱歉。我马上去查——先问一下，这次延误对你们团队这周有什么影响？（两者都仍可达到 +3；这一步当下就赢得了客户）

Grace Wang: Grace 叹了口气：“你听我说。周四是杭州的展会，十二个销售，一台电脑都没有。我们总监还以为是我把订单搞砸了。”
2. [O 提议] 我刚才说了，按公司规定，退款是我能做的最好的了。  （-1：-2 → -3 危机双方的关系）
   教练：“我们公司规定”把公司挡在了你和客户之间。
   Grace Wang 心想：我去找 TNS 好了。
   ★ 此处最好的一步：[E 探索] 听起来压力很大。对你来说，周四怎样才算成功？（仍可达到 +3；你的选择最多 -3）

结局：一位开始货比三家的客户
下个季度，FILTEX 向 TNS 要了报价。
关键时刻分数 -3（危机双方的关系）——峰值 -3，终值 -3
模型遵循度 1/4：· O · ·
发现 0/3
这位客户会把这次经历告诉 12 个人。
"""


def test_transcript_in_english():
    proc = mot("first-call", "--choices", "offer-refund,repeat-policy", "--lang", "en")
    assert proc.returncode == 0 and proc.stderr == ""
    assert proc.stdout == TRANSCRIPT_EN


def test_transcript_in_chinese():
    proc = mot("first-call", "--choices", "offer-refund,repeat-policy", "--lang", "zh")
    assert proc.returncode == 0 and proc.stderr == ""
    assert proc.stdout == TRANSCRIPT_ZH


def test_transcript_of_the_ideal_path(run):
    code, out, _ = run("first-call", "--ideal", "--lang", "en")
    assert code == 0
    lines = out.splitlines()
    assert lines[3] == ("1. [E Explore] I'm sorry. Before I chase it: what does the delay mean for your "
                        "team this week?  (+1: -1 → +0 neutral (no expectation))")
    assert lines[6] == "   ★ The best move here."
    # the meter was already at +3: the transcript must not claim the move changed it, and still
    # says what the move would have done
    assert "5. [C Confirm] Call Grace: did the laptops work for the fair? Is anything still missing " \
           "before Monday?  (+1 (clamped): already at +3 delighted)" in lines
    assert lines[-9:] == [
        "Ending: A customer who tells the story",
        "Grace forwards your note to her director with one line: \"This is why we stay with MYCO.\"",
        "MOT score +3 (delighted) — peak +3, end +3",
        "Model adherence 4/4: E O A C",
        "Discoveries 3/3",
        "   ◆ business win: The sales team needs the laptops for Thursday's trade fair.",
        "   ◆ personal win: Grace's boss thinks she botched the order; she needs to look in control.",
        "   ◆ expectation: Hidden need: not these laptops — any working laptops by Thursday morning.",
        "This customer tells 2–3 people about it.",
    ]


def test_language_from_the_environment(monkeypatch):
    env = {"PATH": "/usr/bin:/bin", "MOT_LANG": "zh"}
    proc = subprocess.run([sys.executable, "-m", "game", "run", "first-call", "--choices",
                           "offer-refund,repeat-policy"], cwd=ROOT, capture_output=True, text=True,
                          env=env, timeout=60)
    assert proc.stdout == TRANSCRIPT_ZH


# -- earlier scores: --score --------------------------------------------------------------------
FOLLOW_UP_TRUSTED = "ask-june,trusted-plan,on-site,confirm-opening"


def test_score_opens_the_finale_condition(run):
    # follow-up starts at 0: ask-june +1 → 1, trusted-plan (score.first-call >= 2) +2 → 3,
    # on-site +1 → 3 (clamped), confirm-opening +1 → 3: peak 3, end 3 → +3. new-office found.
    # Points 10 × 6 + 5 × 4 + 2 × 1 = 82.
    code, out, err = run("follow-up", "--choices", FOLLOW_UP_TRUSTED, "--score", "first-call=2",
                         "--json", "--lang", "en")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["trace"] == [1, 3, 3, 3] and data["mot_score"] == 3 and data["ending"] == "partner"
    assert data["discoveries"] == {"found": ["new-office"], "missed": []}
    assert data["found_kinds"] == [{"id": "new-office", "kind": "business-win", "kind_name": "business win"}]
    assert data["adherence"]["total"] == 4 and data["points"] == 82


@pytest.mark.parametrize("scores", [[], ["--score", "first-call=1"], ["--score", "first-call=-3"]])
def test_without_a_high_enough_earlier_score_the_choice_is_closed(run, scores):
    code, out, err = run("follow-up", "--choices", FOLLOW_UP_TRUSTED, *scores, "--lang", "en")
    assert code == 1 and out == ""
    assert err == "mot run: choice 'trusted-plan' is not available in scene 'plan'; available: plain-quote\n"


def test_score_is_repeatable_and_the_last_one_wins(run):
    code, out, _ = run("follow-up", "--choices", FOLLOW_UP_TRUSTED, "--score", "first-call=-1",
                       "--score", "other=1", "--score", "first-call=3", "--json", "--lang", "en")
    assert code == 0 and json.loads(out)["mot_score"] == 3


@pytest.mark.parametrize("bad", ["first-call=4", "first-call", "=2", "first-call=two", "first-call=-9"])
def test_bad_score_values(run, bad):
    code, out, err = run("follow-up", "--choices", FOLLOW_UP_TRUSTED, "--score", bad, "--lang", "en")
    assert code == 1 and out == ""
    assert err == f"mot run: --score takes LEVEL=N with N from -3 to 3, not {bad!r}\n"


def test_follow_up_by_path_with_score():
    proc = mot(str(FOLLOW_UP.relative_to(ROOT)), "--choices", FOLLOW_UP_TRUSTED, "--score",
               "first-call=2", "--json", "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["mot_score"] == 3


# -- errors --------------------------------------------------------------------------------------
def test_unavailable_choice_names_the_scene_and_the_available_ones():
    proc = mot("first-call", "--choices", "ask-impact,promise-thursday,five-cs", "--lang", "en")
    assert proc.returncode == 1 and proc.stdout == "" and "Traceback" not in proc.stderr
    assert proc.stderr == ("mot run: choice 'five-cs' is not available in scene 'deliver'; "
                           "available: wait-for-customs, come-clean\n")


def test_unavailable_choice_in_chinese(run):
    code, out, err = run("first-call", "--choices", "ask-impact,promise-thursday,five-cs", "--lang", "zh")
    assert code == 1
    assert err == "mot run: 场景 'deliver' 中没有可选的 'five-cs'；可选：wait-for-customs, come-clean\n"


def test_unknown_choice_in_the_first_scene(run):
    code, _, err = run("first-call", "--choices", "hang-up", "--lang", "en")
    assert code == 1
    assert err == ("mot run: choice 'hang-up' is not available in scene 'call'; "
                   "available: ask-impact, offer-refund, blame-courier, ask-order-details\n")


def test_a_choice_after_the_end(run):
    code, _, err = run("first-call", "--choices", "offer-refund,repeat-policy,call-grace", "--lang", "en")
    assert code == 1
    assert err == "mot run: choice 'call-grace' is not available in scene '(ended)'; available: —\n"


def test_too_few_choices(run):
    code, out, err = run("first-call", "--choices", "ask-impact", "--lang", "en")
    assert code == 1 and out == ""
    assert err == ("mot run: the level has not ended: scene 'needs' still waits for a choice "
                   "(available: ask-what-success, promise-thursday, ask-whose-fault)\n")


def test_unknown_level(run):
    code, out, err = run("no-such-level", "--choices", "x", "--lang", "en")
    assert code == 1 and out == ""
    assert err.startswith("mot: no level 'no-such-level' under levels (levels: ") and "first-call" in err


def test_missing_file(run):
    code, _, err = run("levels/tutorial/99-missing.toml", "--choices", "x", "--lang", "en")
    assert code == 1
    assert err == "levels/tutorial/99-missing.toml:1:1: error[E002]: no such file\n"


def test_broken_file_shows_its_diagnostics(run):
    broken = "tests/broken/e008-next-unknown-scene.toml"
    code, out, err = run(broken, "--choices", "ask", "--lang", "en")
    assert code == 1 and out == ""
    assert err.startswith(f"{broken}:46:8: error[E008]: `next` = 'delivr' names no scene")


# -- issue 16: the new format features in the transcript ------------------------------------------
EVENTS = ROOT / "tests" / "fixtures" / "events" / "01-events.toml"  # worked in test_format_more.py


def test_transcript_names_the_case_the_event_peak_and_the_campaigns_kind(run):
    # ask (+1), then `wait`'s event (−1), then close (0): the peak is the event, −1 (event 2).
    code, out, _ = run(str(EVENTS), "--choices", "ask,close", "--lang", "en")
    assert code == 0
    lines = out.splitlines()
    assert "» Three days of silence.  (-1: +0 → -1 partly unmet)" in lines
    assert "2. [A Act] Close the ticket.  (+0: stays at -1 partly unmet)" in lines
    assert "MOT score -1 (partly unmet) — peak -1 (event: wait), end -1" in lines
    # the campaign renames personal-win ([campaign.kinds] personal-win = "family")
    assert lines[lines.index("Discoveries 1/1") + 1] == "   ◆ family: The gift is for her in-laws."
    # call-back's perception cases: −1 after a promise, +2 otherwise (read before the move)
    code, out, _ = run(str(EVENTS), "--choices", "promise,call-back", "--lang", "en")
    assert "2. [C Confirm] Call her back with the new box.  (-1 when overpromised: -1 → -2 unmet)" in out.splitlines()
    code, out, _ = run(str(EVENTS), "--choices", "ask,call-back", "--lang", "zh")
    lines = out.splitlines()
    assert "2. [C 确认] 带着新盒子给她回电话。  （+2（其余情形）：-1 → +1 符合期望）" in lines
    assert "   ◆ 家人：礼物是送给她公婆的。" in lines
    assert "关键时刻分数 +1（符合期望）——峰值 +1，终值 +1" in lines


def test_transcript_says_a_clamped_case_still_applied(run, tmp_path):
    # At −3 a move of −2 changes nothing, but the transcript says which change applied.
    text = EVENTS.read_text("utf-8").replace('perception = [{ when = "overpromised", delta = -1 }',
                                             'perception = [{ when = "overpromised", delta = -2 }')
    text = text.replace('id = "events"', 'id = "events"\nperception = -2', 1)
    (tmp_path / "01-events.toml").write_text(text, encoding="utf-8")
    # −2 → box event −1 → −3; promise +1 → −2; wait event −1 → −3; call-back −2 at −3: clamped
    code, out, err = run(str(tmp_path / "01-events.toml"), "--choices", "promise,call-back", "--lang", "en")
    assert (code, err) == (0, "")
    assert ("2. [C Confirm] Call her back with the new box.  (-2 when overpromised (clamped): "
            "already at -3 relationship in crisis)") in out.splitlines()
    code, out, _ = run(str(tmp_path / "01-events.toml"), "--choices", "promise,call-back", "--lang", "zh")
    assert "（-2（overpromised 成立），超出 ±3 的部分不计：已经是 -3 危机双方的关系）" in out


def test_json_adds_the_event_peak_and_the_kind_names(run):
    code, out, _ = run(str(EVENTS), "--choices", "ask,close", "--json", "--lang", "zh")
    data = json.loads(out)
    assert (data["peak_event"], data["peak_event_scene"], data["peak_move"]) == (2, "wait", None)
    assert data["discoveries"] == {"found": ["in-laws"], "missed": []}  # unchanged
    assert data["found_kinds"] == [{"id": "in-laws", "kind": "personal-win", "kind_name": "家人"}]
