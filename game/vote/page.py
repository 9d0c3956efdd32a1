"""The phone's page for vote mode: one HTML document, its CSS and JavaScript inline, no fonts,
no CDN, nothing fetched but the room's own `/join`, `/state` and `/vote`.

Made for a 360-px-wide phone. Its strings are its own, in Chinese and English (the switch at
the top; the choice is kept in localStorage). The token the server gives at join is kept in
localStorage (and the server sets it as a cookie), so a reload is the same participant with the
same vote. Every text from the server — nicknames, the scene, the cards — goes in with
`textContent`, never as HTML.

Voting is two taps: a card, then "Vote" — a vote cannot be changed, so a slip of the thumb
should not cast one.
"""

PAGE = r"""<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Moment of Truth · 关键时刻</title>
<style>
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:17px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"PingFang SC","Microsoft YaHei",sans-serif;
 background:#f4f5f7;color:#1d2430;overflow-wrap:anywhere}
header{display:flex;align-items:center;gap:8px;padding:10px 14px;background:#1f3a5f;color:#fff;position:sticky;top:0;z-index:2}
header .brand{font-weight:700;flex:1;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
header .who{font-size:14px;opacity:.9;max-width:40%;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
button{font:inherit;border-radius:10px;border:0;cursor:pointer}
#lang{background:#fff;color:#1f3a5f;padding:6px 10px;font-size:14px;font-weight:700;min-height:36px}
main{max-width:560px;margin:0 auto;padding:14px}
.card{background:#fff;border-radius:12px;padding:14px;margin:0 0 12px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
h1{font-size:22px;margin:4px 0 12px}
label{display:block;font-weight:600;margin:10px 0 4px}
input{font:inherit;width:100%;padding:12px;border:2px solid #c5ccd6;border-radius:10px;background:#fff;color:inherit}
input#code{font-size:28px;letter-spacing:.3em;text-align:center;font-variant-numeric:tabular-nums}
input:focus{outline:none;border-color:#2f6fbd}
.primary{display:block;width:100%;margin-top:14px;padding:14px;background:#2f6fbd;color:#fff;font-weight:700;min-height:52px}
.primary:disabled{background:#9aa7b8}
.err{color:#b3261e;font-weight:600;min-height:1.4em;margin:8px 0 0}
.muted{color:#5b6675;font-size:15px}
#status{font-weight:700;color:#1f3a5f;margin:0 0 10px}
.speaker{font-weight:700;color:#8a3b12}
.role{font-size:14px;color:#5b6675}
.line{margin:6px 0 0;white-space:pre-wrap}
.event{margin:0 0 8px;font-weight:700;color:#8a5a00;white-space:pre-wrap}.event:empty{display:none}
.choice{display:flex;gap:10px;width:100%;text-align:left;background:#fff;border:2px solid #c5ccd6;color:inherit;
 padding:12px;margin:0 0 10px;min-height:56px;align-items:flex-start}
.choice .n{flex:none;display:inline-flex;width:30px;height:30px;border-radius:50%;background:#1f3a5f;color:#fff;
 align-items:center;justify-content:center;font-weight:700}
.choice.sel{border-color:#2f6fbd;background:#e6f0fb}
.choice.mine{border-color:#1b7f3b;background:#e3f4e8}
.choice.played{border-color:#c77700;background:#fff4e0}
.choice:disabled{cursor:default;color:inherit}
#bar{padding:10px 0 4px}
#bar.voting{position:sticky;bottom:0;background:linear-gradient(rgba(244,245,247,0),#f4f5f7 30%)}
#msg{font-weight:600;margin:4px 0 10px}
#msg.ok{color:#1b7f3b}#msg.bad{color:#b3261e}
.split{margin:6px 0}
.split .row{display:flex;align-items:center;gap:8px;font-size:15px;margin:4px 0}
.split .track{flex:1;height:14px;background:#e1e5ea;border-radius:7px;overflow:hidden}
.split .fill{height:100%;background:#2f6fbd}
.split .k{width:22px;font-weight:700}.split .v{min-width:72px;text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
.label{font-weight:700;color:#5b6675;font-size:14px;margin:10px 0 2px;text-transform:uppercase}
.meter{font-weight:700;font-size:19px}.up{color:#1b7f3b}.down{color:#b3261e}
.hidden{display:none!important}
</style>
</head>
<body>
<header><span class="brand" id="brand"></span><span class="who" id="who"></span><button id="lang" type="button"></button></header>
<main>
 <section id="join" class="card hidden">
  <h1 id="t-join"></h1>
  <p class="muted" id="t-join-help"></p>
  <label for="code" id="t-code"></label>
  <input id="code" inputmode="numeric" autocomplete="off" autocapitalize="characters" maxlength="8" spellcheck="false">
  <label for="nick" id="t-nick"></label>
  <input id="nick" maxlength="24" autocomplete="nickname" spellcheck="false">
  <button class="primary" id="go" type="button"></button>
  <p class="err" id="join-err" role="alert"></p>
 </section>
 <section id="play" class="hidden">
  <p id="status" role="status"></p>
  <div id="outcome" class="card hidden"></div>
  <div id="ending" class="card hidden"></div>
  <div id="split" class="card split hidden"></div>
  <div id="scene" class="card hidden"><p class="event" id="event"></p><div class="speaker" id="speaker"></div><div class="role" id="role"></div><p class="line" id="line"></p></div>
  <div id="choices"></div>
  <div id="bar"><p id="msg" role="alert"></p><button class="primary hidden" id="send" type="button"></button></div>
 </section>
</main>
<script>
"use strict";
const S = {
 zh: {brand:"关键时刻 · 投票", lang:"English", join:"加入课堂投票", joinHelp:"输入投影上显示的加入码，再起一个昵称。",
  code:"加入码", nick:"昵称", go:"加入", needCode:"请输入加入码。", needNick:"请输入昵称。",
  bad_code:"加入码不对，请看投影上的号码。", rate_limited:"尝试次数太多，请 {s} 秒后再试。", bad_name:"这个昵称不能用，请换一个。",
  full:"房间已满。", bad_request:"请求无效，请刷新页面。", network:"连接不上，正在重试……", waiting:"等待培训师开始第一个决定……",
  open:"第 {n} 个决定：请投票", locked:"投票已截止", revealed:"结果揭晓", ended:"本关结束", closing:"投票已结束，谢谢参与！",
  pick:"先点一张卡片，再点“投票”。", send:"投票给 {n}", sent:"已投票：{n}。等待截止……", already:"你已经在这个决定投过票了。",
  closed:"投票已截止，这一票没有计入。", stale:"这个决定已经过去了。", unknown_choice:"没有这张卡片。",
  mine:"你的票：{n}", noVote:"你这次没有投票。", split:"全班的选择（百分比 · 票数）", classPlayed:"全班选择了 {n}：",
  trainerPlayed:"培训师选择了 {n}：", same:"和你的选择一样。", differ:"你选的是 {n}。", meter:"客户认知", coach:"教练点评",
  thinks:"{name} 心里想", score:"关键时刻分数 {s} {label}"},
 en: {brand:"Moment of Truth · Vote", lang:"中文", join:"Join the class vote", joinHelp:"Type the join code shown on the projector and pick a nickname.",
  code:"Join code", nick:"Nickname", go:"Join", needCode:"Type the join code.", needNick:"Pick a nickname.",
  bad_code:"That is not the join code: check the number on the projector.", rate_limited:"Too many tries: wait {s} s and try again.",
  bad_name:"That nickname cannot be used: pick another.", full:"The room is full.", bad_request:"Bad request: reload the page.",
  network:"Cannot reach the room, retrying…", waiting:"Waiting for the trainer to open the first decision…",
  open:"Decision {n}: vote now", locked:"Voting is closed", revealed:"The result", ended:"The level is over",
  closing:"The vote has ended. Thank you!", pick:"Tap a card, then “Vote”.", send:"Vote for {n}", sent:"Voted: {n}. Waiting for the lock…",
  already:"You already voted at this decision.", closed:"Voting is closed: this vote did not count.", stale:"That decision is over.",
  unknown_choice:"There is no such card.", mine:"Your vote: {n}", noVote:"You did not vote this time.", split:"How the class voted (share · votes)",
  classPlayed:"The class played {n}:", trainerPlayed:"The trainer played {n}:", same:"Same as your vote.", differ:"You voted {n}.",
  meter:"Customer perception", coach:"Coach", thinks:"{name} thinks", score:"MOT score {s} {label}"}
};
const $ = id => document.getElementById(id);
const store = {get(k){try{return localStorage.getItem(k)}catch(e){return null}},
  set(k,v){try{localStorage.setItem(k,v)}catch(e){}}, del(k){try{localStorage.removeItem(k)}catch(e){}}};
let lang = store.get("mot.lang") || ((navigator.language||"").toLowerCase().startsWith("zh") ? "zh" : "en");
let token = store.get("mot.token") || "";
let version = -1, state = null, selected = null, msgKey = null, msgVals = null, msgTone = "", pollCtrl = null, joining = false, voting = false;
function tr(key, vals){ let s = (S[lang] && S[lang][key]) || S.en[key] || key;
  for (const k in (vals||{})) s = s.split("{"+k+"}").join(String(vals[k])); return s; }
function el(tag, cls, text){ const e = document.createElement(tag); if (cls) e.className = cls; if (text != null) e.textContent = text; return e; }
function headers(){ const h = {"Content-Type":"application/json"}; if (token) h["X-Mot-Token"] = token; return h; }
function say(key, vals, tone){ msgKey = key; msgVals = vals; msgTone = tone || ""; const m = $("msg");
  m.textContent = key ? tr(key, vals) : ""; m.className = msgTone; }
function statics(){
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  $("brand").textContent = tr("brand"); $("lang").textContent = tr("lang");
  $("t-join").textContent = tr("join"); $("t-join-help").textContent = tr("joinHelp");
  $("t-code").textContent = tr("code"); $("t-nick").textContent = tr("nick"); $("go").textContent = tr("go");
}
function showJoin(){ $("join").classList.remove("hidden"); $("play").classList.add("hidden"); $("who").textContent = ""; }
function showPlay(){ $("join").classList.add("hidden"); $("play").classList.remove("hidden"); }
async function call(method, path, body){
  const r = await fetch(path, {method, headers: headers(), body: body ? JSON.stringify(body) : undefined,
                               credentials: "same-origin", cache: "no-store"});
  let data = {}; try { data = await r.json(); } catch (e) {}
  return {status: r.status, data};
}
async function join(){
  if (joining) return;
  const code = $("code").value.trim(), nick = $("nick").value.trim(), err = $("join-err");
  if (!code) { err.textContent = tr("needCode"); return; }
  if (!nick) { err.textContent = tr("needNick"); return; }
  joining = true; $("go").disabled = true; err.textContent = "";
  try {
    const r = await call("POST", "/join", {code, nickname: nick, lang});
    if (r.status === 200 && r.data.token) {
      token = r.data.token; store.set("mot.token", token); store.set("mot.nick", r.data.nickname || nick);
      version = -1; showPlay(); startPoll();
    } else { err.textContent = tr(r.data.error || "bad_request", {s: r.data.retry_after || 60}); }
  } catch (e) { err.textContent = tr("network"); }
  finally { joining = false; $("go").disabled = false; }
}
function choiceNo(id){ const d = state && state.decision; if (!d) return "";
  const c = d.choices.find(c => c.id === id); return c ? String(c.n) : ""; }
function render(){
  const s = state; if (!s) return;
  if (s.me) $("who").textContent = s.me.nickname;
  const d = s.decision, st = s.status;
  if (s.closing) $("status").textContent = tr("closing");
  else if (st === "waiting" || !d) $("status").textContent = tr("waiting");
  else $("status").textContent = tr(st, {n: d.number});
  const scene = $("scene"), list = $("choices");
  list.textContent = "";
  if (d && st !== "ended") {
    scene.classList.remove("hidden");
    $("speaker").textContent = d.speaker || ""; $("role").textContent = d.role || ""; $("line").textContent = d.text || "";
    $("event").textContent = d.event ? "» " + d.event : "";
    const canVote = st === "open" && !d.mine && !s.closing;
    if (!canVote) selected = null;
    const played = s.outcome ? s.outcome.choice : null;
    for (const c of d.choices) {
      const b = el("button", "choice"); b.type = "button"; b.dataset.id = c.id;
      b.appendChild(el("span", "n", String(c.n))); b.appendChild(el("span", "t", c.text));
      if (c.id === d.mine) b.classList.add("mine");
      if (c.id === selected) b.classList.add("sel");
      if (c.id === played) b.classList.add("played");
      b.disabled = !canVote;
      b.addEventListener("click", () => { selected = c.id; say(null); render(); });
      list.appendChild(b);
    }
    const send = $("send");
    send.classList.toggle("hidden", !canVote);
    $("bar").classList.toggle("voting", canVote);
    send.disabled = !selected || voting;
    send.textContent = selected ? tr("send", {n: choiceNo(selected)}) : tr("pick");
    if (msgTone !== "bad") {
      if (d.mine) say(st === "open" ? "sent" : "mine", {n: choiceNo(d.mine)}, "ok");
      else if (st === "open" && !s.closing) say(selected ? null : "pick");
      else say(st === "open" ? null : "noVote");
    }
  } else { scene.classList.add("hidden"); $("send").classList.add("hidden"); if (msgTone !== "bad") say(null); }
  const split = $("split"); split.textContent = "";
  if (s.split && st !== "ended") {
    split.classList.remove("hidden"); split.appendChild(el("div", "label", tr("split")));
    for (const r of s.split) {
      const row = el("div", "row"); row.appendChild(el("span", "k", String(r.n)));
      const track = el("div", "track"), fill = el("div", "fill");
      fill.style.width = Math.max(0, Math.min(100, Number(r.percent) || 0)) + "%"; track.appendChild(fill);
      row.appendChild(track); row.appendChild(el("span", "v", Number(r.percent) + "% · " + Number(r.count)));
      split.appendChild(row);
    }
  } else split.classList.add("hidden");
  const out = $("outcome"); out.textContent = "";
  if (s.outcome && st === "revealed") {
    const o = s.outcome; out.classList.remove("hidden");
    out.appendChild(el("div", "label", tr(o.majority ? "classPlayed" : "trainerPlayed", {n: o.n})));
    out.appendChild(el("p", "line", o.text));
    if (d && d.mine) out.appendChild(el("p", "muted", d.mine === o.choice ? tr("same") : tr("differ", {n: choiceNo(d.mine)})));
    else out.appendChild(el("p", "muted", tr("noVote")));
    out.appendChild(el("div", "label", tr("meter")));
    out.appendChild(el("div", "meter " + (o.after > o.before ? "up" : o.after < o.before ? "down" : ""), o.meter));
    if (o.coach) { out.appendChild(el("div", "label", tr("coach"))); out.appendChild(el("p", "line", o.coach)); }
    if (o.thought) { out.appendChild(el("div", "label", tr("thinks", {name: o.customer || ""}))); out.appendChild(el("p", "line", o.thought)); }
  } else out.classList.add("hidden");
  const end = $("ending"); end.textContent = "";
  if (s.ending && st === "ended") {
    const e = s.ending; end.classList.remove("hidden");
    end.appendChild(el("h1", null, e.title)); if (e.text) end.appendChild(el("p", "line", e.text));
    end.appendChild(el("p", "meter", tr("score", {s: (e.score > 0 ? "+" : "") + e.score, label: e.label || ""})));
  } else end.classList.add("hidden");
  say(msgKey, msgVals, msgTone);
}
function apply(s){
  const before = state && state.decision ? state.decision.id : null;
  const moved = !state || state.status !== s.status || before !== (s.decision ? s.decision.id : null);
  state = s; version = s.version;
  if (s.me && s.me.token && s.me.token !== token) { token = s.me.token; store.set("mot.token", token); }
  if (s.decision && s.decision.id !== before) { selected = null; say(null); }
  render();
  if (moved) window.scrollTo(0, 0);
}
async function vote(){
  if (voting || !selected || !state || !state.decision) return;
  voting = true; $("send").disabled = true;
  try {
    const r = await call("POST", "/vote", {decision: state.decision.id, choice: selected});
    if (r.status === 401) { return lost(); }
    const err = r.data.error;
    if (r.data.state) apply(r.data.state);
    if (r.status !== 200) say(err || "bad_request", {}, "bad");
    selected = null;
  } catch (e) { say("network", {}, "bad"); }
  finally { voting = false; render(); }
}
function lost(){ token = ""; store.del("mot.token"); state = null; version = -1; showJoin(); }
function sleep(ms){ return new Promise(r => setTimeout(r, ms)); }
let polling = false;
async function startPoll(){
  if (polling) { if (pollCtrl) pollCtrl.abort(); return; }
  polling = true; let delay = 500;
  while (true) {
    const ctrl = new AbortController(); pollCtrl = ctrl;
    let r;
    try {
      r = await fetch("/state?since=" + version + "&lang=" + lang, {headers: headers(), credentials: "same-origin",
                                                                   cache: "no-store", signal: ctrl.signal});
    } catch (e) {
      if (ctrl.signal.aborted) continue;
      $("status").textContent = tr("network"); await sleep(delay); delay = Math.min(delay * 2, 5000); continue;
    }
    if (r.status === 401) { polling = false; lost(); return; }
    if (!r.ok) { await sleep(delay); delay = Math.min(delay * 2, 5000); continue; }
    delay = 500;
    let s; try { s = await r.json(); } catch (e) { continue; }
    showPlay(); apply(s);
    if (s.closing) { polling = false; return; }
  }
}
$("lang").addEventListener("click", () => { lang = lang === "zh" ? "en" : "zh"; store.set("mot.lang", lang); statics();
  if (polling) { version = -1; if (pollCtrl) pollCtrl.abort(); } render(); });
$("go").addEventListener("click", join);
$("nick").addEventListener("keydown", e => { if (e.key === "Enter") join(); });
$("code").addEventListener("keydown", e => { if (e.key === "Enter") $("nick").focus(); });
$("send").addEventListener("click", vote);
const params = new URLSearchParams(location.search);
if (params.get("code")) { $("code").value = params.get("code"); history.replaceState(null, "", location.pathname); }
$("nick").value = store.get("mot.nick") || "";
statics();
(async () => {
  try {
    const r = await call("GET", "/state?since=-1&lang=" + lang);
    if (r.status === 200) { showPlay(); apply(r.data); startPoll(); return; }
    if (r.status === 401) { lost(); return; }
  } catch (e) {}
  if (token) { showPlay(); $("status").textContent = tr("network"); startPoll(); } else showJoin();
})();
</script>
</body>
</html>
"""
