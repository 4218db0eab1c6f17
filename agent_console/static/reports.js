// The report page: fetches the report API with the form's filters and draws each chart as
// hand-written SVG (no library). Every chart mark carries its datum in data-* attributes.
"use strict";
(() => {
  const root = document.getElementById("reports");
  const texts = JSON.parse(document.getElementById("texts").textContent);
  const t = (word) => texts[word] || word;
  const lang = root.dataset.lang === "en" ? "en" : "zh-CN";
  const SVG = "http://www.w3.org/2000/svg";
  const query = new URLSearchParams(new FormData(document.getElementById("filters")));

  // Formatting per locale: yuan from cents, percentages from fractions, h:mm:ss from seconds.
  const yuan = (cents) => cents == null ? "-" :
    (cents / 100).toLocaleString(lang, { style: "currency", currency: "CNY" });
  const pct = (fraction, digits = 1) => fraction == null ? "-" :
    fraction.toLocaleString(lang, { style: "percent", minimumFractionDigits: digits });
  const num = (n, digits = 0) => n == null ? "-" :
    n.toLocaleString(lang, { maximumFractionDigits: digits });
  const clock = (s) => s == null ? "-" :
    `${Math.floor(s / 3600)}:${String(Math.floor(s % 3600 / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;

  function el(tag, attrs = {}, text = null) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    if (text !== null) node.textContent = text;
    return node;
  }

  function frame(id, width, height) {
    const svg = document.getElementById(id);
    svg.replaceChildren();
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    svg.setAttribute("width", "100%");
    return svg;
  }

  function empty(svg, width) {
    svg.setAttribute("viewBox", `0 0 ${width} 40`);
    svg.append(el("text", { x: 8, y: 24, class: "empty" }, t("No rows in this period.")));
  }

  // Horizontal bars, one per item: {key, label, value, text}; the longest bar fills the width.
  function bars(id, items, { width = 720, labelWidth = 150, row = 24, cls = "bar" } = {}) {
    const svg = frame(id, width, Math.max(items.length * row + 8, 40));
    if (!items.length) return empty(svg, width);
    const max = Math.max(...items.map((i) => i.value), 1e-9);
    const span = width - labelWidth - 230;  // room for the value text after the longest bar
    items.forEach((item, n) => {
      const y = 4 + n * row;
      const g = el("g", { class: cls, "data-key": item.key, "data-value": item.value });
      g.append(el("text", { x: labelWidth - 6, y: y + row * 0.65, class: "label", "text-anchor": "end" }, item.label));
      g.append(el("rect", { x: labelWidth, y: y + 3, height: row - 8, width: Math.max(span * item.value / max, item.value ? 1 : 0) }));
      g.append(el("text", { x: labelWidth + span * item.value / max + 6, y: y + row * 0.65, class: "value" }, item.text));
      g.append(el("title", {}, `${item.label}: ${item.text}`));
      svg.append(g);
    });
  }

  function table(id, header, rows) {
    const node = document.getElementById(id);
    node.replaceChildren();
    const head = node.createTHead().insertRow();
    header.forEach((h) => { const th = document.createElement("th"); th.textContent = h; head.append(th); });
    const body = node.createTBody();
    rows.forEach((cells) => {
      const tr = body.insertRow();
      cells.forEach((c) => { tr.insertCell().textContent = c; });
    });
  }

  function drawSeats(doc) {
    const rows = doc.rows.filter((r) => r.agent !== null);
    const ranked = [...rows].sort((a, b) => b.wins - a.wins || b.premium_written_cents - a.premium_written_cents || (a.agent < b.agent ? -1 : 1));
    bars("chart-seats", ranked.map((r) => ({
      key: r.agent, value: r.wins,
      label: r.team ? `${r.agent} · ${r.team}` : r.agent,
      text: `${num(r.wins)} ${t("Renewals won")} · ${yuan(r.premium_written_cents)}`,
    })));
    const line = (r, name) => [name, r.team || (r.agent ? t("(no team)") : ""), clock(r.logged_in_s),
      clock(r.talk_s), clock(r.wrap_s), clock(r.paused_s), num(r.calls_answered), num(r.contacts),
      num(r.quotes), num(r.wins), pct(r.renewal_rate), yuan(r.premium_written_cents),
      yuan(r.avg_premium_cents), num(r.gifts)];
    table("table-seats", ["Agent", "Team", "Logged in", "Talk", "Wrap-up", "Paused", "Calls answered",
      "Contacts", "Quotes", "Renewals won", "Renewal rate", "Premium written",
      "Average premium per customer", "Gifts given"].map(t),
      [...ranked.map((r) => line(r, r.agent)), line({ ...doc.totals, team: "" }, t("Total"))]);
  }

  // The funnel: centred bars narrowing from the renewal list to the renewals won.
  function drawFunnel(doc) {
    const stages = [["listed", "Renewal list"], ["contacted", "Contacted"], ["quoted", "Quoted"],
      ["won", "Won"], ["lost", "Lost"]];
    const width = 520, row = 34, svg = frame("chart-funnel", width, stages.length * row + 8);
    const max = Math.max(doc.listed, 1);
    stages.forEach(([key, word], n) => {
      const value = doc[key], w = Math.max((width - 20) * value / max, value ? 2 : 0);
      const g = el("g", { class: "stage", "data-key": key, "data-value": value });
      g.append(el("rect", { x: (width - w) / 2, y: 4 + n * row, width: w, height: row - 6 }));
      g.append(el("text", { x: width / 2, y: 4 + n * row + row * 0.58, "text-anchor": "middle", class: "inside" },
        `${t(word)} ${num(value)}${key === "listed" ? "" : ` (${pct(doc.listed ? value / doc.listed : null)})`}`));
      svg.append(g);
    });
    const reasons = Object.entries(doc.lost_by_reason).map(([why, n]) => [`${t("Lost")}: ${t(why)}`, num(n)]);
    table("table-funnel", [t("Stage"), t("Leads")], [
      ...stages.map(([key, word]) => [t(word), num(doc[key])]),
      [t("Still open"), num(doc.open)], [t("Renewal rate"), pct(doc.renewal_rate)], ...reasons]);
  }

  const band = (low, high) => high == null ? `${low}+` : (low === high ? `${low}` : `${low}-${high}`);

  function drawCohorts(doc) {
    const cohorts = doc.cohorts;
    bars("chart-cohort-rate", cohorts.map((c) => ({
      key: band(c.tenure_min, c.tenure_max), value: c.renewal_rate || 0,
      label: `${band(c.tenure_min, c.tenure_max)} ${t("years")}`, text: pct(c.renewal_rate),
    })), { width: 480, labelWidth: 90, row: 30, cls: "cohort-rate" });
    // Contacts per win against the target band of each cohort (5+ drawn to the axis end).
    const width = 480, labelWidth = 90, row = 30, svg = frame("chart-cohort-contacts", width, cohorts.length * row + 30);
    const top = Math.max(...cohorts.map((c) => Math.max(c.contacts_per_win || 0, c.target_max_contacts || c.target_min_contacts + 2)), 1);
    const x = (v) => labelWidth + (width - labelWidth - 60) * v / top;
    cohorts.forEach((c, n) => {
      const y = 4 + n * row, key = band(c.tenure_min, c.tenure_max);
      const g = el("g", { class: "cohort-contacts", "data-key": key, "data-value": c.contacts_per_win ?? "",
        "data-target-min": c.target_min_contacts, "data-target-max": c.target_max_contacts ?? "" });
      g.append(el("text", { x: labelWidth - 6, y: y + row * 0.6, class: "label", "text-anchor": "end" }, `${key} ${t("years")}`));
      const hi = c.target_max_contacts ?? top;
      g.append(el("rect", { class: "target", x: x(c.target_min_contacts), y: y + 2, width: Math.max(x(hi) - x(c.target_min_contacts), 2), height: row - 6 }));
      if (c.contacts_per_win != null) {
        g.append(el("rect", { class: "actual", x: labelWidth, y: y + row * 0.35, width: x(c.contacts_per_win) - labelWidth, height: row * 0.3 }));
      }
      g.append(el("text", { x: x(Math.max(c.contacts_per_win || 0, hi)) + 6, y: y + row * 0.6, class: "value" }, num(c.contacts_per_win, 1)));
      g.append(el("title", {}, `${t("Contacts per win")} ${num(c.contacts_per_win, 2)} · ${t("Target contacts")} ${band(c.target_min_contacts, c.target_max_contacts)}`));
      svg.append(g);
    });
    const legend = 4 + cohorts.length * row + 16;
    svg.append(el("rect", { class: "target", x: labelWidth, y: legend - 10, width: 14, height: 10 }));
    svg.append(el("text", { x: labelWidth + 20, y: legend, class: "label" }, t("Target contacts")));
    svg.append(el("rect", { class: "actual", x: labelWidth + 150, y: legend - 8, width: 14, height: 6 }));
    svg.append(el("text", { x: labelWidth + 170, y: legend, class: "label" }, t("Contacts per win")));
    table("table-cohorts", ["Tenure (years)", "Contacts to plan for", "Leads", "Won", "Lost",
      "Contacts", "Renewal rate", "Contacts per win"].map(t),
      cohorts.map((c) => [band(c.tenure_min, c.tenure_max), band(c.target_min_contacts, c.target_max_contacts),
        num(c.leads), num(c.won), num(c.lost), num(c.contacts), pct(c.renewal_rate), num(c.contacts_per_win, 2)]));
    table("table-at-risk", ["Lead", "Plate", "Customer", "Phone", "Expires", "Days left", "Contacts",
      "Target contacts"].map(t), doc.at_risk.map((r) => [r.lead_id, r.plate, r.customer, r.phone,
      r.expires, num(r.days_left), num(r.contacts), num(r.target_contacts)]));
  }

  // The daily abandon rate of 30 days as a line, with the campaign's cap as a dashed line.
  function drawAbandon(doc) {
    const days = doc.trend_30d, cap = doc.abandon_cap_pct;
    const width = 560, height = 220, left = 40, right = 10, top = 10, bottom = 30;
    const svg = frame("chart-abandon", width, height);
    const max = Math.max(cap * 1.5, ...days.map((d) => d.abandon_rate_pct), 1);
    const x = (n) => left + (width - left - right) * (days.length > 1 ? n / (days.length - 1) : 0.5);
    const y = (v) => top + (height - top - bottom) * (1 - v / max);
    for (const tick of [0, max / 2, max]) {
      svg.append(el("line", { class: "grid", x1: left, x2: width - right, y1: y(tick), y2: y(tick) }));
      svg.append(el("text", { x: left - 4, y: y(tick) + 4, "text-anchor": "end", class: "label" }, `${num(tick, 1)}%`));
    }
    const capLine = el("line", { class: "cap", "data-cap": cap, x1: left, x2: width - right, y1: y(cap), y2: y(cap) });
    svg.append(capLine, el("text", { x: width - right, y: y(cap) - 4, "text-anchor": "end", class: "cap-label" }, `${t("Cap")} ${num(cap, 1)}%`));
    svg.append(el("polyline", { class: "rate", points: days.map((d, n) => `${x(n)},${y(d.abandon_rate_pct)}`).join(" ") }));
    days.forEach((d, n) => {
      const dot = el("circle", { class: d.abandon_rate_pct > cap ? "point over" : "point", cx: x(n), cy: y(d.abandon_rate_pct), r: 3,
        "data-day": d.day, "data-rate": d.abandon_rate_pct });
      dot.append(el("title", {}, `${d.day}: ${num(d.abandon_rate_pct, 2)}% (${d.abandoned}/${d.live_answers})`));
      svg.append(dot);
    });
    [0, days.length - 1].forEach((n) => days[n] && svg.append(el("text",
      { x: x(n), y: height - 8, "text-anchor": n ? "end" : "start", class: "label" }, days[n].day)));
    const r = doc.rolling_30d;
    table("table-compliance", [t("Check"), t("Result")], [
      [t("Rolling 30 days"), `${num(r.abandon_rate_pct, 2)}% (${num(r.abandoned)}/${num(r.live_answers)})`],
      [t("Calls outside calling hours"), num(doc.calls_outside_hours.length)],
      [t("Calls to do-not-call numbers"), num(doc.calls_to_do_not_call.length)],
      [t("Calls that rang too briefly"), num(doc.calls_with_short_ring.length)],
      [t("Opt-outs received"), num(doc.calls_opted_out.length)]]);
  }

  async function load(path) {
    const response = await fetch(`/reports/api/${path}?${query}`, { credentials: "same-origin" });
    if (!response.ok) throw new Error(`${path}: ${response.status}`);
    return response.json();
  }

  for (const link of document.querySelectorAll("a[data-export]")) {
    const params = new URLSearchParams(query);
    params.set("format", link.dataset.format);
    link.href = `/reports/api/export/${link.dataset.export}?${params}`;
    link.setAttribute("download", "");
  }

  const parts = [["seats", drawSeats], ["funnel", drawFunnel], ["cohorts", drawCohorts], ["compliance", drawAbandon]];
  Promise.all(parts.map(([path, draw]) => load(path).then(draw).then(() => path))).then(
    () => { root.dataset.loaded = "1"; },
    (error) => {
      const note = document.getElementById("load-error");
      note.textContent = `${t("Could not load the report.")} (${error.message})`;
      note.hidden = false;
      root.dataset.loaded = "error";
    });
})();
