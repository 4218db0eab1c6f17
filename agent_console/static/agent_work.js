// The agent's work tools: search of their own leads with manual dial and callback booking, the
// callbacks due today, the call script beside the quote panel and the do-not-call button.
// Data goes in with textContent; only the call script's steps are HTML, rendered and escaped
// by the server (autoescape) from the script file.
"use strict";
(function () {
  const app = document.getElementById("app");
  const csrf = app.dataset.csrf;
  const lang = app.dataset.lang;
  const T = JSON.parse(document.getElementById("work-texts").textContent);
  const t = (s) => T[s] || s;
  const $ = (id) => document.getElementById(id);
  const zone = { timeZone: app.dataset.tz, dateStyle: "short", timeStyle: "short" };
  const when = (iso) => (iso ? new Date(iso).toLocaleString(lang === "en" ? "en-US" : "zh-CN", zone) : "—");
  const PAGE_SIZE = 10;
  let page = 1;
  let current = null; // the pop's {lead_id, call_id}
  let booking = null; // the lead a callback is being booked for

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
    try {
      const response = await fetch(path, options);
      if (response.status === 401) { location.href = "/auth/login"; return null; }
      const data = (response.headers.get("content-type") || "").includes("json") ? await response.json() : null;
      if (!response.ok) { notice((data && data.detail) || String(response.status), true); return null; }
      return data;
    } catch (error) { notice(error.message, true); return null; }
  }
  function button(label, onclick, cls) { const b = el("button", t(label), cls); b.type = "button"; b.onclick = onclick; return b; }

  // --- my leads ---
  async function search(toPage) {
    page = toPage || 1;
    const q = encodeURIComponent($("work-q").value.trim());
    const found = await api("GET", "/agent/api/work/leads?q=" + q + "&page=" + page + "&page_size=" + PAGE_SIZE);
    if (!found) return;
    const body = $("lead-hits").tBodies[0];
    body.replaceChildren();
    for (const hit of found.hits) {
      const row = el("tr"); row.dataset.leadId = hit.lead_id;
      const status = t(hit.status) + (hit.callback ? " · " + t("Callback pending") : "");
      const actions = el("td");
      if (hit.status === "open") {
        actions.append(button("Dial", () => dial(hit.lead_id), "dial"), " ", button("Call back", () => openBooking(hit), "book"));
      }
      row.append(el("td", hit.customer_name), el("td", hit.phone), el("td", hit.plate),
        el("td", hit.commercial_policy_no || hit.compulsory_policy_no || "—"), el("td", hit.end_date), el("td", status), actions);
      body.append(row);
    }
    if (!found.hits.length) { const row = el("tr"); const cell = el("td", t("No leads found.")); cell.colSpan = 7; row.append(cell); body.append(row); }
    const pages = Math.max(1, Math.ceil(found.total / found.page_size));
    $("hits-page").textContent = t("Page") + " " + found.page + " " + t("of") + " " + pages + " · " + found.total + " " + t("leads");
    $("hits-prev").disabled = found.page <= 1;
    $("hits-next").disabled = found.page >= pages;
  }
  $("lead-search").onsubmit = (event) => { event.preventDefault(); search(1); };
  $("hits-prev").onclick = () => search(page - 1);
  $("hits-next").onclick = () => search(page + 1);

  async function dial(leadId) {
    notice(t("Dialling…"));
    const placed = await api("POST", "/agent/api/work/leads/" + leadId + "/dial");
    if (placed) notice(t("Dialling…") + " #" + leadId);
  }

  // --- callbacks ---
  function openBooking(hit) {
    booking = hit.lead_id;
    const form = $("callback-form");
    form.hidden = false; form.reset();
    $("callback-lead").textContent = hit.customer_name + " · " + hit.plate;
    form.elements.at.focus();
  }
  $("btn-book-cancel").onclick = () => { booking = null; $("callback-form").hidden = true; };
  $("callback-form").onsubmit = async (event) => {
    event.preventDefault();
    if (!booking) return;
    const data = new FormData($("callback-form"));
    const saved = await api("POST", "/agent/api/work/leads/" + booking + "/callback", {
      at: data.get("at"), kept: data.get("kept") === "1", notes: data.get("notes") || "",
    });
    if (saved) {
      notice(t("Callback booked.") + " " + when(saved.due_at));
      booking = null; $("callback-form").hidden = true;
      refreshCallbacks(); search(page);
    }
  };
  async function refreshCallbacks() {
    const rows = await api("GET", "/agent/api/work/callbacks");
    if (!rows) return;
    const list = $("callbacks"); list.replaceChildren();
    for (const r of rows) {
      const item = el("li", null, r.overdue ? "overdue" : ""); item.dataset.leadId = r.lead_id;
      const parts = [t("Due") + " " + when(r.due_at), r.customer_name, r.phone, r.plate, t(r.kept ? "Kept for me" : "For the team")];
      if (r.overdue) parts.push(t("Overdue"));
      item.append(el("span", parts.join(" · ")), " ", button("Dial", () => dial(r.lead_id), "dial"));
      list.append(item);
    }
    if (!rows.length) list.append(el("li", t("No callbacks due today.")));
  }
  $("btn-callbacks").onclick = refreshCallbacks;

  // --- the pop: call script and do-not-call ---
  async function showScript(leadId) {
    const script = await api("GET", "/agent/api/work/leads/" + leadId + "/script");
    if (!script || !current || current.lead_id !== leadId) return;
    $("script-title").textContent = script.title;
    const steps = $("script-steps"); steps.replaceChildren();
    for (const step of script.steps) {
      const item = el("li"); item.append(el("strong", step.title));
      const text = el("p"); text.innerHTML = step.html; // escaped by the server (autoescape)
      item.append(text); steps.append(item);
    }
    $("script").hidden = false;
  }
  document.addEventListener("xubao:pop", (event) => {
    const same = current && current.lead_id === event.detail.lead_id;
    current = event.detail;
    $("btn-dnc").disabled = false;
    if (!same || $("script").hidden) showScript(current.lead_id);
  });
  document.addEventListener("xubao:pop-hidden", () => { current = null; $("script").hidden = true; refreshCallbacks(); });
  $("btn-dnc").onclick = async () => {
    if (!current || !window.confirm(t("Put this customer's number on the do-not-call list for ever?"))) return;
    const done = await api("POST", "/agent/api/work/leads/" + current.lead_id + "/do-not-call", { call_id: current.call_id || null });
    if (!done) return;
    notice(t("Number blocked for ever; the lead is closed.") + " " + done.phone);
    $("btn-dnc").disabled = true;
    // The disposition of the call is "do not call": chosen for the agent, saved by them.
    const radio = document.querySelector("#dispo-form input[value=do_not_call]");
    if (radio) { radio.checked = true; $("dispo-form").dispatchEvent(new Event("change")); }
  };

  document.addEventListener("keydown", (event) => {
    if (!event.altKey) return;
    const key = event.key.toLowerCase();
    if (key === "f") { event.preventDefault(); $("work-q").focus(); $("work-q").select(); }
    else if (key === "b") { event.preventDefault(); refreshCallbacks(); }
    else if (key === "x" && !$("script").hidden) { event.preventDefault(); $("btn-dnc").click(); }
  });
  search(1);
  refreshCallbacks();
})();
