// The QA player: the agent's and the customer's sides are two files (they never mix), played
// together. The agent's <audio> is the clock; the customer's follows it. The transcript's
// words light up while they are said, and a click on a word plays from there.
"use strict";
(() => {
  const lead = document.getElementById("audio-agent");
  const follow = document.getElementById("audio-customer");
  if (!lead || !follow) return;
  const words = Array.from(document.querySelectorAll("#transcript .w")).map((el) => ({
    el, s: parseFloat(el.dataset.s), e: parseFloat(el.dataset.e),
  }));
  const turns = Array.from(document.querySelectorAll("#transcript .turn")).map((el) => ({
    el, s: parseFloat(el.dataset.s), e: parseFloat(el.dataset.e),
  }));
  const clock = document.getElementById("qa-time");
  const DRIFT_S = 0.25; // re-align the customer's side when it is further off than this
  let lit = [];
  let litTurn = null;

  const mmss = (t) => `${Math.floor(t / 60)}:${String(Math.floor(t % 60)).padStart(2, "0")}`;

  function highlight() {
    const t = lead.currentTime;
    clock.textContent = mmss(t);
    const now = words.filter((w) => w.s <= t && t < w.e + 0.05);
    if (now.length !== lit.length || now.some((w, i) => w !== lit[i])) {
      lit.forEach((w) => w.el.classList.remove("now"));
      now.forEach((w) => w.el.classList.add("now"));
      lit = now;
    }
    const turn = turns.find((x) => x.s <= t && t <= x.e + 0.05) || null;
    if (turn !== litTurn) {
      if (litTurn) litTurn.el.classList.remove("current");
      if (turn) {
        turn.el.classList.add("current");
        turn.el.scrollIntoView({ block: "nearest" });
      }
      litTurn = turn;
    }
    if (!follow.paused && Math.abs(follow.currentTime - t) > DRIFT_S) follow.currentTime = t;
  }

  function tick() {
    highlight();
    if (!lead.paused) requestAnimationFrame(tick);
  }

  lead.addEventListener("play", () => {
    follow.currentTime = lead.currentTime;
    follow.play().catch(() => {});
    requestAnimationFrame(tick);
  });
  lead.addEventListener("pause", () => follow.pause());
  lead.addEventListener("seeked", () => { follow.currentTime = lead.currentTime; highlight(); });
  lead.addEventListener("timeupdate", highlight);
  lead.addEventListener("ratechange", () => { follow.playbackRate = lead.playbackRate; });
  lead.addEventListener("ended", () => follow.pause());

  document.getElementById("qa-play").addEventListener("click", () => {
    if (lead.paused) lead.play(); else lead.pause();
  });
  document.getElementById("hear-agent").addEventListener("change", (ev) => {
    lead.muted = !ev.target.checked;
  });
  document.getElementById("hear-customer").addEventListener("change", (ev) => {
    follow.muted = !ev.target.checked;
  });
  words.forEach((w) => w.el.addEventListener("click", () => {
    lead.currentTime = w.s;
    highlight();
    if (lead.paused) lead.play();
  }));
})();
