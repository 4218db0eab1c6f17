// The supervisor's page: one websocket pushes the whole floor as it changes (the server sends
// it when the event bus changed it, and at least every few seconds). No framework, no build
// step; data goes into the page with textContent only (never as HTML).
"use strict";
(function () {
  const app = document.getElementById("app");
  const csrf = app.dataset.csrf;
  const lang = app.dataset.lang;
  const T = JSON.parse(document.getElementById("texts").textContent);
  const t = (s) => T[s] || s;
  const $ = (id) => document.getElementById(id);
  const locale = lang === "en" ? "en-US" : "zh-CN";
  let floor = null;
  let skew = 0; // server clock minus this browser's: durations are counted on the server's
  let backoff = 500;
  let socket = null;

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }
  function notice(text, bad) { const n = $("notice"); n.textContent = text || ""; n.className = bad ? "notice error" : "notice"; }
  function since(iso) { return iso ? Math.max(0, Math.round((Date.now() + skew - Date.parse(iso)) / 1000)) : null; }
  function clock(s) {
    if (s === null || s === undefined) return "—";
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    const two = (n) => String(n).padStart(2, "0");
    return (h ? h + ":" + two(m) : m) + ":" + two(r);
  }
  const pct = (n) => (n === null || n === undefined ? "—" : Number(n).toFixed(2) + "%");
  const secs = (n) => (n === null || n === undefined ? "—" : Number(n).toFixed(0) + t("s"));
  // Times are shown in the contact centre's zone (the server's setting), not the browser's.
  const when = (iso) => new Date(iso).toLocaleTimeString(locale, { timeZone: app.dataset.tz });

  async function act(path, body) {
    try {
      const response = await fetch(path, {
        method: "POST", credentials: "same-origin",
        headers: { "X-CSRF-Token": csrf, "Content-Type": "application/json" },
        body: JSON.stringify(body || {}),
      });
      if (response.status === 401) { location.href = "/auth/login"; return null; }
      const data = await response.json();
      if (!response.ok) { notice(data.detail || response.status, true); return null; }
      notice(t("Done."));
      return data;
    } catch (error) { notice(String(error), true); return null; } finally { loadAudit(); }
  }

  // --- the seat grid ---
  function seatRow(seat) {
    const row = el("tr");
    row.dataset.agent = seat.agent_id;
    row.dataset.campaign = seat.campaign_id;
    row.dataset.team = seat.team;
    row.dataset.state = seat.dead ? "dead" : seat.state;
    row.appendChild(el("td", seat.agent_id));
    row.appendChild(el("td", seat.team || "—"));
    row.appendChild(el("td", seat.campaign_id));
    const state = el("td");
    const badge = el("span", seat.dead ? t("DEAD") : t(seat.state), "badge");
    badge.dataset.state = seat.dead ? "dead" : seat.state;
    state.appendChild(badge);
    if (seat.reason) state.appendChild(el("span", " " + t(seat.reason), "reason"));
    // What the agent did with the call: a held customer is not "talking".
    for (const mark of ["held", "consulting", "muted"]) {
      if (seat[mark] && !seat.dead) { const m = el("span", " " + t("call." + mark), "call-mark"); m.dataset.mark = mark; state.appendChild(m); }
    }
    row.appendChild(state);
    const inState = el("td", clock(since(seat.since)), "tick");
    inState.dataset.since = seat.since;
    row.appendChild(inState);
    row.appendChild(el("td", seat.number || "—", "customer"));
    const talk = el("td", clock(since(seat.call_since)), "tick");
    if (seat.call_since) talk.dataset.since = seat.call_since;
    row.appendChild(talk);
    row.appendChild(el("td", seat.calls_today));
    row.appendChild(el("td", seat.wins_today));
    const spied = el("td", seat.spied_by ? seat.spied_by + " (" + t(seat.spy_mode) + ")" : "", "spied");
    row.appendChild(spied);
    const actions = el("td", null, "actions");
    const onCall = seat.state === "on_call" && !seat.dead && seat.call_id;
    for (const mode of ["listen", "whisper", "barge"]) {
      const button = el("button", t(mode.charAt(0).toUpperCase() + mode.slice(1)));
      button.dataset.spy = mode;
      button.disabled = !onCall; // the server refuses it too (and audits the refusal)
      button.onclick = () => act("/supervisor/api/calls/" + encodeURIComponent(seat.call_id) + "/spy", { mode });
      actions.appendChild(button);
    }
    const reason = () => $("force-reason").value || "supervisor";
    const pause = el("button", t("Pause"));
    pause.dataset.force = "pause";
    pause.onclick = () => act("/supervisor/api/seats/" + encodeURIComponent(seat.agent_id) + "/pause", { reason: reason() });
    const logout = el("button", t("Log out"));
    logout.dataset.force = "logout";
    logout.onclick = () => act("/supervisor/api/seats/" + encodeURIComponent(seat.agent_id) + "/logout", { reason: reason() });
    actions.append(pause, logout);
    row.appendChild(actions);
    return row;
  }

  function renderSeats() {
    const campaign = $("filter-campaign").value, state = $("filter-state").value;
    const team = $("filter-team").value;
    const body = $("seats").tBodies[0];
    body.replaceChildren(...floor.seats
      .filter((s) => !campaign || s.campaign_id === campaign)
      .filter((s) => !team || s.team === team)
      .filter((s) => !state || (state === "dead" ? s.dead : s.state === state && !s.dead))
      .map(seatRow));
  }

  // --- the campaign panel ---
  function fact(list, label, value, cls) {
    list.appendChild(el("dt", label));
    const dd = el("dd", value, cls);
    list.appendChild(dd);
    return dd;
  }
  function campaignCard(c) {
    const card = el("section", null, "card campaign");
    card.dataset.campaign = c.campaign_id;
    card.dataset.status = c.status;
    const head = el("h2", c.name + " (" + c.campaign_id + ") · ");
    head.appendChild(el("span", t(c.status), "status"));
    card.appendChild(head);
    const facts = el("dl", null, "facts grid");
    fact(facts, t("Mode"), t(c.mode));
    fact(facts, t("Dial level"), c.dial_level + " / " + c.dial_level_cap);
    const lines = Object.entries(c.lines).filter(([p]) => p !== "ending").map(([p, n]) => t(p) + " " + n).join(" · ");
    fact(facts, t("Lines in use"), c.lines_in_use + " (" + lines + ")");
    fact(facts, t("Answer rate"), pct(c.answer_rate_pct));
    fact(facts, t("Abandoned today"), pct(c.abandon_today_pct) + " (" + c.abandoned_today + "/" + c.live_answers_today + ")", c.at_cap ? "red" : "");
    fact(facts, t("Abandoned 30 days"), pct(c.abandon_30d_pct) + " · " + t("Cap") + " " + pct(c.abandon_cap_pct), c.abandon_30d_pct >= c.abandon_cap_pct ? "red" : "");
    const seats = Object.entries(c.seats).map(([s, n]) => t(s) + " " + n).join(" · ");
    fact(facts, t("Agents"), c.logged_in + " (" + seats + ")");
    fact(facts, t("Avg talk"), secs(c.avg_talk_s));
    fact(facts, t("Avg customer wait"), secs(c.avg_wait_s));
    fact(facts, t("Avg agent wait"), secs(c.avg_ready_s));
    fact(facts, t("Avg wrap-up"), secs(c.avg_wrap_s));
    fact(facts, t("Avg pause"), secs(c.avg_pause_s));
    fact(facts, t("Leads ready now"), c.leads_ready);
    fact(facts, t("Dialable today"), c.leads_today, c.leads_today ? "" : "red");
    card.appendChild(facts);
    const controls = el("div", null, "seat");
    const path = "/supervisor/api/campaigns/" + encodeURIComponent(c.campaign_id);
    for (const [status, label] of [["running", "Start"], ["paused", "Pause"], ["stopped", "Stop"]]) {
      const button = el("button", t(label));
      button.dataset.status = status;
      button.disabled = c.status === status || c.status === "stopped";
      button.onclick = () => act(path + "/status", { status });
      controls.appendChild(button);
    }
    const mode = el("select");
    mode.dataset.field = "mode";
    for (const m of ["preview", "progressive", "predictive"]) {
      const option = el("option", t(m)); option.value = m; option.selected = m === c.mode; mode.appendChild(option);
    }
    const saveMode = el("button", t("Save"));
    saveMode.onclick = () => act(path + "/mode", { mode: mode.value });
    const cap = el("input");
    Object.assign(cap, { type: "number", min: "1", max: "10", step: "0.1", value: c.dial_level_cap });
    cap.dataset.field = "cap";
    const saveCap = el("button", t("Save"));
    saveCap.onclick = () => act(path + "/dial-level", { cap: Number(cap.value) });
    controls.append(el("span", t("Mode")), mode, saveMode, el("span", t("Dial-level cap")), cap, saveCap);
    card.appendChild(controls);
    return card;
  }

  // --- calls in the IVR: floor-wide (the IVR serves no campaign), by direction ---
  function renderIvr() {
    const ivr = floor.ivr || { total: 0, inbound: 0, reminder: 0 };
    const cell = $("ivr-lines");
    cell.textContent = ivr.total + " (" + t("ivr.inbound") + " " + ivr.inbound + " · " + t("ivr.reminder") + " " + ivr.reminder + ")";
    cell.dataset.total = ivr.total;
  }

  function renderCampaigns() {
    const holder = $("campaigns");
    // Keep a card being edited (its inputs) as it is: redraw only the others.
    const editing = document.activeElement && document.activeElement.closest(".campaign");
    const wanted = $("filter-campaign").value;
    const cards = floor.campaigns.filter((c) => !wanted || c.campaign_id === wanted).map((c) =>
      editing && editing.dataset.campaign === c.campaign_id ? editing : campaignCard(c));
    holder.replaceChildren(...cards);
  }

  // --- alerts and the link ---
  function alertText(a) {
    if (a.kind === "link_down") return t("AMI link down since") + " " + when(a.since) + " (" + clock(since(a.since)) + ")";
    if (a.kind === "no_leads") return a.campaign_id + ": " + t("No dialable leads left");
    if (a.kind === "abandon_near_cap") return a.campaign_id + ": " + t("Abandon rate near the cap") + " " + pct(a.rate_pct) + " / " + pct(a.cap_pct);
    if (a.kind === "abandon_at_cap") return a.campaign_id + ": " + t("Abandon rate at the cap") + " " + pct(a.rate_pct) + " / " + pct(a.cap_pct);
    if (a.kind === "long_state") return a.agent_id + ": " + t("Too long in one state") + " (" + t(a.state) + " " + clock(a.in_state_s) + ")";
    if (a.kind === "dead") return a.agent_id + ": " + t("On a call with no live line (DEAD)");
    return a.kind;
  }
  function renderAlerts() {
    const items = floor.alerts.map((a) => { const li = el("li", alertText(a), "alert"); li.dataset.kind = a.kind; return li; });
    const link = floor.link;
    if (link.up && link.last_up) {
      const li = el("li", t("Link back up; time lost") + " " + clock(link.last_lost_s) + " (" + when(link.last_down) + "–" + when(link.last_up) + ")", "recovered");
      li.dataset.kind = "link_up";
      items.push(li);
    }
    if (!items.length) items.push(el("li", t("No alerts."), "quiet"));
    $("alerts").replaceChildren(...items);
    $("link").dataset.up = link.up ? "1" : "0";
  }

  function render() { if (!floor) return; renderAlerts(); renderIvr(); renderCampaigns(); renderSeats(); }
  function tick() { // durations move on between pushes; nothing is fetched
    for (const cell of document.querySelectorAll("td.tick[data-since]")) cell.textContent = clock(since(cell.dataset.since));
  }

  async function loadAudit() {
    const response = await fetch("/supervisor/api/audit?limit=30", { credentials: "same-origin" });
    if (!response.ok) return;
    const rows = await response.json();
    $("audit").tBodies[0].replaceChildren(...rows.map((r) => {
      const row = el("tr");
      row.dataset.action = r.action;
      row.dataset.outcome = r.outcome;
      for (const v of [when(r.at), r.supervisor, t(r.action), t(r.outcome), r.campaign_id, r.agent_id, r.old_value, r.new_value, r.detail]) row.appendChild(el("td", v));
      return row;
    }));
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + "/ws/supervisor");
    socket.onopen = () => { backoff = 500; $("conn").dataset.up = "1"; $("conn").title = t("Connected"); };
    socket.onmessage = (event) => {
      const message = JSON.parse(event.data);
      if (message.type !== "floor") return;
      skew = Date.parse(message.now) - Date.now();
      floor = message;
      render();
    };
    socket.onclose = () => {
      $("conn").dataset.up = "0"; $("conn").title = t("Reconnecting…");
      setTimeout(connect, backoff + Math.random() * backoff); // jittered back-off
      backoff = Math.min(backoff * 2, 10000);
    };
  }
  window.xubaoFloor = () => floor; // the browser tests read what the page was pushed

  $("filter-campaign").onchange = render;
  $("filter-state").onchange = render;
  $("filter-team").onchange = render;
  $("reassign").onsubmit = (event) => {
    event.preventDefault();
    act("/supervisor/api/leads/" + encodeURIComponent($("reassign-lead").value) + "/reassign", { agent_id: $("reassign-agent").value });
  };
  setInterval(tick, 1000);
  connect();
  loadAudit();
})();
