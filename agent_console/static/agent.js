// The agent's page: one websocket (server pings, we answer), the seat, preview dial, the
// screen-pop and the disposition form. No framework, no build step. Data is put in the page
// with textContent only (never as HTML).
"use strict";
(function () {
  const app = document.getElementById("app");
  const csrf = app.dataset.csrf;
  const lang = app.dataset.lang;
  const T = JSON.parse(document.getElementById("texts").textContent);
  const t = (s) => T[s] || s;
  const $ = (id) => document.getElementById(id);
  const money = new Intl.NumberFormat(lang === "en" ? "en-US" : "zh-CN", { style: "currency", currency: "CNY" });
  const yuan = (c) => (c === null || c === undefined ? "—" : money.format(c / 100));
  // Times are shown in the contact centre's zone (the server's setting), not the browser's.
  const zone = { timeZone: app.dataset.tz, dateStyle: "short", timeStyle: "short" };
  const when = (iso) => (iso ? new Date(iso).toLocaleString(lang === "en" ? "en-US" : "zh-CN", zone) : "—");
  let seat = { state: "logged_out" };
  let call = null; // {call_id, attempt_id, lead_id, ended}
  let previewLead = null;
  let socket = null;
  let backoff = 500;
  let skew = 0; // server clock minus this browser's: times in state are counted on the server's

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }
  function notice(text, bad) { const n = $("notice"); n.textContent = text || ""; n.className = bad ? "notice error" : "notice"; }

  async function api(method, path, body) {
    const options = { method, headers: { "X-CSRF-Token": csrf }, credentials: "same-origin" };
    if (body !== undefined) { options.headers["Content-Type"] = "application/json"; options.body = JSON.stringify(body); }
    const response = await fetch(path, options);
    if (response.status === 401) { location.href = "/auth/login"; throw new Error("401"); }
    const data = response.headers.get("content-type", "").includes("json") ? await response.json() : null;
    if (!response.ok) { throw new Error((data && data.detail) || response.status); }
    return data;
  }
  async function act(method, path, body) {
    try { const data = await api(method, path, body); notice(""); return data; }
    catch (error) { notice(error.message, true); return null; }
  }

  // --- seat ---
  function renderSeat(next) {
    if (next.now) { skew = Date.parse(next.now) - Date.now(); }
    seat = next;
    const badge = $("seat-state");
    badge.textContent = t(seat.state);
    badge.dataset.state = seat.state;
    const inCall = seat.state === "on_call" || seat.state === "wrap_up";
    if (!inCall && call && call.disposed) { hidePop(); }
    if (!inCall && call && !seat.call_id) { hidePop(); }
    $("btn-login").disabled = seat.state !== "logged_out";
    $("btn-ready").disabled = seat.state === "logged_out" || seat.state === "ready" || seat.state === "on_call";
    $("btn-pause").disabled = seat.state === "logged_out" || seat.state === "on_call";
    $("btn-logout").disabled = seat.state === "logged_out" || seat.state === "on_call";
    $("btn-dial").disabled = !previewLead || seat.state !== "ready";
    $("btn-hangup").disabled = seat.state !== "on_call";
    tick();
  }
  function tick() {
    const timer = $("seat-timer");
    if (!seat.since || seat.state === "logged_out") { timer.textContent = ""; return; }
    const now = Date.now() + skew;
    const fmt = (s) => { s = Math.max(0, Math.floor(s)); return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0"); };
    if (seat.deadline) {
      const left = (Date.parse(seat.deadline) - now) / 1000;
      timer.textContent = left >= 0 ? t("Remaining") + " " + fmt(left) : t("Over the limit by") + " " + fmt(-left);
      timer.classList.toggle("over", left < 0);
    } else {
      timer.textContent = fmt((now - Date.parse(seat.since)) / 1000);
      timer.classList.remove("over");
    }
  }
  setInterval(tick, 1000); // display only: the heartbeat is the server's ping

  // --- screen-pop ---
  function facts(list, pairs) {
    list.replaceChildren();
    for (const [label, value] of pairs) { list.append(el("dt", t(label)), el("dd", value)); }
  }
  function change(cents) { const s = el("td", (cents > 0 ? "+" : "") + yuan(cents)); s.className = cents > 0 ? "up" : cents < 0 ? "down" : ""; return s; }
  function renderPop(message) {
    const card = message.card, lead = card.lead, q = card.quote;
    call = { call_id: message.call_id, attempt_id: message.attempt_id, lead_id: lead.id, ended: seat.state === "wrap_up", disposed: false };
    $("pop").hidden = false; $("dispo").hidden = false;
    $("pop-title").textContent = lead.customer_name + " · " + lead.plate;
    facts($("pop-customer"), [
      ["Customer", lead.customer_name], ["Phone", lead.phone], ["Plate", lead.plate],
      ["Insurer", lead.insurer], ["Expires", lead.end_date], ["Tenure (years)", lead.tenure_years],
      ["Stage", t(lead.stage)], ["Attempts", lead.attempts + " / " + lead.contacts],
      ["Next contact", when(lead.next_contact_at)], ["Notes", lead.notes || "—"],
    ]);
    const body = $("quote-lines").tBodies[0];
    body.replaceChildren();
    if (q.error) { facts($("quote-facts"), [["Quote", q.error], ["Gifts on offer", q.gifts || "—"]]); }
    else {
      facts($("quote-facts"), [
        ["Vehicle", [q.vehicle.model, q.vehicle.vin].filter(Boolean).join(" · ")],
        ["Seats", q.vehicle.seats ?? "—"], ["First registration", q.vehicle.first_registration || "—"],
        ["Claims last year", q.claim_count + " · " + yuan(q.claim_amount_cents)],
        ["NCD level", q.ncd.last_level + " → " + q.ncd.level + " (×" + q.ncd.coefficient + ")"],
        ["Why", q.ncd.why],
        ["Compulsory insurance", yuan(q.compulsory.last_cents) + " → " + yuan(q.compulsory.new_cents) + " · " + q.compulsory.why],
        ["Vessel tax", yuan(q.vessel_tax.last_cents) + " → " + yuan(q.vessel_tax.new_cents)],
        ["New policy from", q.new_start_date],
        ["Last year's policies", [[t("Commercial"), q.last_policies.commercial], [t("Compulsory"), q.last_policies.compulsory]]
          .filter((p) => p[1]).map((p) => p[0] + " " + p[1]).join(" / ") || "—"],
        ["Gifts on offer", q.gifts || "—"],
      ]);
      for (const line of q.lines) {
        const row = el("tr"); row.append(el("td", line.code), el("td", yuan(line.last_cents)), el("td", yuan(line.new_cents)), change(line.change_cents)); body.append(row);
      }
      const total = el("tr", null, "total");
      total.append(el("th", t("Total")), el("th", yuan(q.total.last_cents)), el("th", yuan(q.total.new_cents)), change(q.total.change_cents));
      body.append(total);
    }
    const claims = $("claims"); claims.replaceChildren();
    for (const c of card.claims) { claims.append(el("li", (c.occurred_on || "—") + " · " + yuan(c.amount_cents))); }
    if (!card.claims.length) { claims.append(el("li", "—")); }
    const history = $("history"); history.replaceChildren();
    for (const h of card.history) {
      const parts = [when(h.started_at), h.outcome ? t(h.outcome) : t("on_call"), h.agent || ""];
      if (h.disposition) { parts.push(t(h.disposition) + (h.decline_reason ? " (" + t(h.decline_reason) + ")" : "")); }
      if (h.notes) { parts.push(h.notes); }
      history.append(el("li", parts.filter(Boolean).join(" · ")));
    }
    if (!card.history.length) { history.append(el("li", t("No calls yet."))); }
    // The work tools (agent_work.js) show the call script and the do-not-call button with it.
    document.dispatchEvent(new CustomEvent("xubao:pop", { detail: { lead_id: lead.id, call_id: message.call_id } }));
  }
  function hidePop() { call = null; $("pop").hidden = true; $("dispo").hidden = true; document.dispatchEvent(new CustomEvent("xubao:pop-hidden")); }

  // --- the socket ---
  function connect() {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + "/ws/agent");
    socket.onopen = () => { backoff = 500; $("conn").dataset.up = "1"; $("conn").title = t("Connected"); };
    socket.onmessage = (event) => {
      const message = JSON.parse(event.data);
      if (message.type === "ping") { socket.send(JSON.stringify({ type: "pong", n: message.n })); }
      else if (message.type === "seat") { renderSeat(message.seat); }
      else if (message.type === "pop") {
        // The pop means the customer is connected: show it now, before the seat row follows.
        if (message.bridged_at && (seat.state === "ready" || seat.state === "reserved")) {
          renderSeat({ ...seat, state: "on_call", since: message.bridged_at, deadline: null, now: null });
        }
        renderPop(message);
      }
      else if (message.type === "call_control") { document.dispatchEvent(new CustomEvent("xubao:call-control", { detail: message })); }
      else if (message.type === "call_ended") { if (call && call.call_id === message.call_id) { call.ended = true; notice(t("Call ended: set the disposition.")); } }
    };
    socket.onclose = () => {
      $("conn").dataset.up = "0"; $("conn").title = t("Reconnecting…");
      // Back-off with jitter: after sleep or a network loss, many agents reconnect at once.
      setTimeout(connect, backoff + Math.random() * backoff);
      backoff = Math.min(backoff * 2, 10000);
    };
  }
  window.xubaoSocket = () => socket; // the browser tests drop it to check the reconnect

  // --- actions ---
  async function seatAction(path, body) { const s = await act("POST", "/agent/api/seat/" + path, body || {}); if (s) renderSeat(s); }
  $("btn-login").onclick = () => seatAction("login", { campaign_id: $("campaign") ? $("campaign").value : null });
  $("btn-ready").onclick = () => seatAction("ready");
  $("btn-pause").onclick = () => seatAction("pause", { code: $("pause-code").value });
  $("btn-logout").onclick = () => seatAction("logout");
  $("btn-hangup").onclick = () => act("POST", "/agent/api/call/hangup");
  $("btn-preview").onclick = async () => {
    const lead = await act("GET", "/agent/api/preview");
    previewLead = lead;
    const box = $("preview-body"); box.replaceChildren();
    if (!lead) { box.append(el("p", t("No lead is due now."))); }
    else {
      const list = el("dl", null, "facts"); box.append(list);
      facts(list, [["Customer", lead.customer_name], ["Phone", lead.phone], ["Plate", lead.plate], ["Expires", lead.end_date + " (T-" + lead.days_left + ")"], ["Why now", lead.reason]]);
      list.dataset.leadId = lead.lead_id;
    }
    renderSeat(seat);
  };
  $("btn-dial").onclick = async () => {
    if (!previewLead) return;
    $("btn-dial").disabled = true;
    notice(t("Dialling…"));
    const placed = await act("POST", "/agent/api/preview/" + previewLead.lead_id + "/dial");
    if (placed) { previewLead = null; $("preview-body").replaceChildren(); }
  };
  const form = $("dispo-form");
  form.addEventListener("change", () => { const k = form.querySelector("input[name=kind]:checked"); form.dataset.kind = k ? k.value : ""; });
  form.onsubmit = async (event) => {
    event.preventDefault();
    if (!call) return;
    const data = new FormData(form);
    const body = { call_id: call.call_id, kind: data.get("kind"), notes: data.get("notes") || "" };
    if (body.kind === "agreed") {
      if (data.get("deal_date")) body.deal_date = data.get("deal_date");
      if (data.get("premium_yuan")) body.premium_cents = Math.round(parseFloat(data.get("premium_yuan")) * 100);
      body.gifts = data.get("gifts") || "";
    }
    if (body.kind === "declined") body.decline_reason = data.get("decline_reason");
    if (body.kind === "callback" && data.get("callback_at")) body.callback_at = data.get("callback_at");
    if (body.kind === "callback") body.callback_kept = data.get("callback_kept") === "on";
    if (data.get("pause_after")) { body.then = "pause"; body.pause_code = $("pause-code").value; }
    const saved = await act("POST", "/agent/api/leads/" + call.lead_id + "/disposition", body);
    if (saved) {
      // Said in the bar that stays: the seat's change may already have closed the pop.
      notice(t("Saved.") + " " + t("Next contact") + ": " + when(saved.next_contact_at));
      form.reset(); form.dataset.kind = "";
      if (seat.state !== "on_call" && seat.state !== "wrap_up") { hidePop(); }
      else if (call) { call.disposed = true; }
    }
  };
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey && event.key === "Enter" && !$("dispo").hidden) { event.preventDefault(); form.requestSubmit(); return; }
    if (!event.altKey) return;
    const key = event.key.toLowerCase();
    if (key === "r") { event.preventDefault(); $("btn-ready").click(); }
    else if (key === "p") { event.preventDefault(); $("btn-pause").click(); }
    else if (key === "d") { event.preventDefault(); $("btn-dial").click(); }
    else if (key === "h") { event.preventDefault(); $("btn-hangup").click(); }
    else if (/^[1-6]$/.test(key) && !$("dispo").hidden) {
      event.preventDefault();
      const radio = form.querySelector("input[data-key='" + key + "']");
      radio.checked = true; form.dispatchEvent(new Event("change"));
    }
  });
  connect();
})();
