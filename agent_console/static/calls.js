// The agent's call controls (templates/calls_panel.html): hold, mute, transfer (blind or after a
// consultation) and pausing the recording while the customer reads card details. It follows the
// seat badge that agent.js keeps up to date, and asks the server for the seat's call; texts come
// from the page (data-* attributes), data goes in with textContent only.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const panel = $("call-controls");
  const csrf = $("app").dataset.csrf;
  const flags = $("call-flags");
  let callId = null;
  let state = null; // {held, muted, recording_paused, consult}
  let limitS = 120;
  let pausedAt = 0; // this browser's clock when the recording was paused (display only)

  async function api(method, path, body) {
    const options = { method, headers: { "X-CSRF-Token": csrf }, credentials: "same-origin" };
    if (body !== undefined) { options.headers["Content-Type"] = "application/json"; options.body = JSON.stringify(body); }
    const response = await fetch(path, options);
    const data = (response.headers.get("content-type") || "").includes("json") ? await response.json() : null;
    if (!response.ok) { throw new Error((data && data.detail) || response.status); }
    return data;
  }
  function say(text, bad) { const n = $("notice"); n.textContent = text || ""; n.className = bad ? "notice error" : "notice"; }

  function label(button, on) { button.textContent = on ? button.dataset.on : button.dataset.off; button.setAttribute("aria-pressed", on ? "true" : "false"); }
  function render() {
    panel.hidden = !callId;
    if (!callId || !state) return;
    label($("btn-hold"), state.held);
    label($("btn-mute"), state.muted);
    label($("btn-recording"), state.recording_paused);
    const consulting = Boolean(state.consult);
    $("btn-consult-complete").hidden = !consulting;
    $("btn-consult-cancel").hidden = !consulting;
    for (const id of ["btn-transfer", "btn-consult", "btn-hold", "transfer-target"]) { $(id).disabled = consulting; }
    const words = [];
    if (state.held) words.push(flags.dataset.held);
    if (state.muted) words.push(flags.dataset.muted);
    if (state.recording_paused) words.push(flags.dataset.paused);
    if (consulting) words.push(flags.dataset.consult + " " + state.consult.split(":")[1]);
    flags.textContent = words.join(" · ");
    flags.dataset.state = words.length ? "active" : "";
    tick();
  }
  function tick() {
    const left = $("recording-left");
    if (!state || !state.recording_paused) { left.textContent = ""; return; }
    const s = Math.max(0, Math.ceil(limitS - (Date.now() - pausedAt) / 1000));
    left.textContent = panel.dataset.limitLabel + " " + Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }
  setInterval(tick, 1000); // display only: the server resumes the recording at the limit

  async function loadTargets() {
    const select = $("transfer-target");
    const targets = await api("GET", "/agent/api/calls/targets");
    select.replaceChildren();
    const group = (title, items) => {
      if (!items.length) return;
      const node = document.createElement("optgroup"); node.label = title;
      for (const item of items) {
        const option = document.createElement("option");
        option.value = item.value; option.textContent = item.text; node.append(option);
      }
      select.append(node);
    };
    group(select.dataset.agents, targets.agents.map((a) => ({ value: "agent:" + a.id, text: a.name + " (" + a.id + ")" })));
    group(select.dataset.supervisors, targets.supervisors.map((s) => ({ value: "supervisor:" + s.id, text: s.name + " (" + s.id + ")" })));
    if (targets.queue) group(select.dataset.queue, [{ value: "queue:" + targets.queue, text: targets.queue }]);
  }

  // The seat badge changes (agent.js): on a call, find which one and show its controls.
  async function follow() {
    const onCall = $("seat-state").dataset.state === "on_call";
    if (!onCall) { callId = null; state = null; render(); return; }
    if (callId) return;
    try {
      const current = await api("GET", "/agent/api/state");
      if (!current.seat || current.seat.state !== "on_call" || !current.seat.call_id) return;
      const controls = await api("GET", "/agent/api/calls/" + encodeURIComponent(current.seat.call_id));
      callId = current.seat.call_id;
      state = controls; limitS = controls.recording_pause_limit_s;
      const open = controls.recording_pauses.filter((p) => !p.ended_at).pop();
      if (open) pausedAt = Date.parse(open.started_at);
      render();
      await loadTargets();
    } catch (error) { say(error.message, true); }
  }
  // A control changed elsewhere (Asterisk ended a consultation, the recording resumed at its
  // limit, another tab): agent.js hands on the socket's call_control message.
  document.addEventListener("xubao:call-control", (event) => {
    const change = event.detail;
    if (!callId || !state || change.call_id !== callId) return;
    if (change.recording_paused === true && !state.recording_paused) pausedAt = Date.now();
    for (const key of ["held", "muted", "recording_paused", "consult"]) { if (key in change) state[key] = change[key]; }
    render();
  });
  new MutationObserver(follow).observe($("seat-state"), { attributes: true, attributeFilter: ["data-state"] });

  async function control(path, body) {
    if (!callId) return;
    try { state = await api("POST", "/agent/api/calls/" + encodeURIComponent(callId) + "/" + path, body); say(""); render(); }
    catch (error) { say(error.message, true); }
  }
  function target() {
    const value = $("transfer-target").value;
    if (!value) return null;
    const [kind, id] = [value.slice(0, value.indexOf(":")), value.slice(value.indexOf(":") + 1)];
    return { kind, id };
  }
  $("btn-hold").onclick = () => control("hold", { held: !state.held });
  $("btn-mute").onclick = () => control("mute", { muted: !state.muted });
  $("btn-recording").onclick = async () => {
    const pausing = !state.recording_paused;
    await control("recording", { paused: pausing });
    if (pausing && state && state.recording_paused) pausedAt = Date.now();
  };
  $("btn-transfer").onclick = () => { const to = target(); if (to) control("transfer", { ...to, attended: false }); };
  $("btn-consult").onclick = () => { const to = target(); if (to) control("transfer", { ...to, attended: true }); };
  $("btn-consult-complete").onclick = () => control("consult/complete");
  $("btn-consult-cancel").onclick = () => control("consult/cancel");
  document.addEventListener("keydown", (event) => {
    if (!event.altKey || panel.hidden) return;
    const button = { o: "btn-hold", m: "btn-mute", k: "btn-recording", t: "btn-transfer" }[event.key.toLowerCase()];
    if (button && !$(button).disabled) { event.preventDefault(); $(button).click(); }
  });
  follow();
})();
