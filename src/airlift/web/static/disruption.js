// The timeline's "Disruption" panel (planners and admins): events declared against the
// current programme (/api/runs/{id}/disruptions), a re-plan (/api/runs/{id}/replan) shown as
// a proposal (the diff counts, the requests that change, the proposed programme on the
// timeline with changed, new and frozen missions marked), approved or discarded. A 409 (the
// programme is no longer current: another planner approved first) says to reload.
import { ApiError, api, clear, cutShort, el, num, qty, qtyCell, rememberRun, runId, say, utc } from "./app.js";

const panel = document.getElementById("disruption");
const note = document.getElementById("disruption-note");
const work = document.getElementById("disruption-work");
const kindSelect = document.getElementById("event-kind");
const fieldsBox = document.getElementById("event-fields");
const lineInput = document.getElementById("event-text");
const eventForm = document.getElementById("event-form");
const eventMsg = document.getElementById("event-msg");
const eventList = document.getElementById("event-list");
const replanForm = document.getElementById("replan-form");
const replanMsg = document.getElementById("replan-msg");
const proposalBox = document.getElementById("proposal");

/** An airfield change's optional window: both empty, the whole horizon. */
const WHILE = [["from", "From (UTC; empty: whole horizon)", "time?"], ["until", "Until (UTC)", "time?"]];
function window_(v) {
  if (Boolean(v.from) !== Boolean(v.until)) throw new Error("Give both From and Until, or neither (the whole horizon)");
  return v.from ? ` ${v.from}/${v.until}` : "";
}

/** Each kind's fields: [name, label, type]; type tail | airfield | time | time? | number | ... */
const KINDS = {
  unserviceable: [["tail", "Tail", "tail"], ["from", "From (UTC)", "time"], ["until", "Until (UTC; empty: open)", "time?"]],
  closed: [["airfield", "Airfield (ICAO)", "airfield"], ["from", "From (UTC)", "time"], ["until", "Until (UTC)", "time"]],
  mog: [["airfield", "Airfield (ICAO)", "airfield"], ["n", "MOG, aircraft", "count"], ...WHILE],
  fuel: [["airfield", "Airfield (ICAO)", "airfield"], ["state", "Fuel", ["none", "available"]], ...WHILE],
  hours: [["airfield", "Airfield (ICAO)", "airfield"], ["open", "Opens (UTC)", "hhmm"], ["close", "Closes (UTC)", "hhmm"], ...WHILE],
  cancel: [["request", "Request", "request"]],
  delay: [["tail", "Tail", "tail"], ["leg", "Leg no.", "count"], ["minutes", "Delay, min", "minutes"]],
  "duty-reset": [["tail", "Tail", "tail"], ["at", "Fresh crew from (UTC)", "time"]],
};

const COMPOSE = {
  unserviceable: (v) => `unserviceable ${v.tail} ${v.from}/${v.until}`,
  closed: (v) => `closed ${v.airfield} ${v.from}/${v.until}`,
  mog: (v) => `mog ${v.airfield} ${v.n}${window_(v)}`,
  fuel: (v) => `fuel ${v.airfield} ${v.state}${window_(v)}`,
  hours: (v) => `hours ${v.airfield} ${v.open}-${v.close}${window_(v)}`,
  cancel: (v) => `cancel ${v.request}`,
  delay: (v) => `delay ${v.tail}:${v.leg} ${v.minutes}min`,
  "duty-reset": (v) => `duty-reset ${v.tail} ${v.at}`,
};

const DIFF_COUNTS = [
  ["moved", "moved to other tails"], ["retimed", "re-timed"], ["unmet_new", "newly unmet"],
  ["served_new", "newly served"], ["cancelled", "cancelled"], ["kept", "kept"],
];

let ctx = null; // { run, doc, current, tails, requests, showProposal }

const timeValue = (input) => (input.value ? `${input.value.slice(0, 16)}Z` : "");
const writer = () => ["planner", "admin"].includes(document.body.dataset.role);

function input(name, label, type) {
  const id = `ev-${name}`;
  let control;
  if (Array.isArray(type)) {
    control = el("select", { id, name }, type.map((o) => el("option", { value: o }, o)));
  } else if (type === "tail" || type === "request") {
    const options = type === "tail" ? ctx.tails : ctx.requests;
    control = el("select", { id, name }, options.map((o) => el("option", { value: o }, o)));
  } else if (type.startsWith("time")) {
    control = el("input", { id, name, type: "datetime-local", step: 60, value: defaultTime(name) });
  } else if (type === "count" || type === "minutes") {
    control = el("input", { id, name, type: "number", min: 1, step: 1, value: type === "minutes" ? 60 : 1, class: "short" });
  } else if (type === "hhmm") {
    control = el("input", { id, name, type: "time", value: name === "open" ? "06:00" : "18:00" });
  } else {
    control = el("input", { id, name, type: "text", size: 6, maxlength: 4, autocomplete: "off", class: "upper" });
  }
  control.dataset.kind = typeof type === "string" ? type : "choice";
  return el("div", { class: "field" }, el("label", { for: id }, label), control);
}

/** A day-aligned default for FROM/UNTIL: the programme's first day (UNTIL: the next). */
function defaultTime(name) {
  if (name === "until" || !ctx || !ctx.doc || !ctx.doc.start_utc) return "";
  return ctx.doc.start_utc.slice(0, 16);
}

function drawFields() {
  clear(fieldsBox, (KINDS[kindSelect.value] || []).map(([n, l, t]) => input(n, l, t)));
}

function composed() {
  const line = lineInput.value.trim();
  if (line) return line;
  const values = {};
  for (const control of fieldsBox.querySelectorAll("input, select")) {
    const kind = control.dataset.kind;
    let value = kind.startsWith("time") ? timeValue(control) : control.value.trim();
    if (kind === "airfield") value = value.toUpperCase();
    if (!value && kind !== "time?") throw new Error(`${control.labels[0].textContent}: fill it in`);
    values[control.name] = value;
  }
  return COMPOSE[kindSelect.value](values);
}

async function loadEvents() {
  const events = await api(`/api/runs/${runId(ctx.run)}/disruptions`);
  if (!events.length) {
    clear(eventList, el("p", { class: "small muted" }, "No event declared against this programme."));
    return events;
  }
  clear(eventList, el("div", { class: "table-wrap" }, el("table", { id: "event-table" },
    el("thead", {}, el("tr", {}, ["Event", "Declared by", "At (UTC)", ""].map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, events.map((e) => el("tr", { "data-event": e.id },
      el("td", {}, el("code", {}, e.text)),
      el("td", {}, e.created_by),
      el("td", { class: "nowrap" }, utc(e.created_at)),
      el("td", {}, el("button", {
        type: "button", class: "small", "aria-label": `Withdraw ${e.text}`,
        onclick: () => withdraw(e),
      }, "Delete"))))))));
  return events;
}

async function withdraw(e) {
  try {
    await api(`/api/runs/${runId(ctx.run)}/disruptions/${e.id}`, { method: "DELETE" });
    say(eventMsg, `Withdrawn: ${e.text}`, "ok");
    await loadEvents();
  } catch (err) {
    say(eventMsg, err.message, "bad");
  }
}

async function declare(ev) {
  ev.preventDefault();
  let text;
  try {
    text = composed();
  } catch (err) {
    say(eventMsg, err.message, "bad");
    return;
  }
  try {
    const made = await api(`/api/runs/${runId(ctx.run)}/disruptions`, { method: "POST", json: { text } });
    say(eventMsg, `Declared: ${made.text}`, "ok");
    lineInput.value = "";
    await loadEvents();
  } catch (err) {
    say(eventMsg, conflictText(err), "bad");
  }
}

function conflictText(err) {
  if (err instanceof ApiError && err.status === 409) {
    return `${err.message}. Reload the current programme (the Timeline without ?run=) and declare again.`;
  }
  return err.message;
}

async function replan(ev) {
  ev.preventDefault();
  const body = {
    horizon_min: Number(document.getElementById("replan-horizon").value || 120),
    time_limit_s: Number(document.getElementById("replan-limit").value || 1),
  };
  const now = timeValue(document.getElementById("replan-now"));
  if (now) body.now_utc = now;
  const button = document.getElementById("replan");
  button.disabled = true;
  say(replanMsg, `Re-planning run ${runId(ctx.run)} (up to ${qty(body.time_limit_s, "s", 1)} of search)…`, "info");
  try {
    const answer = await api(`/api/runs/${runId(ctx.run)}/replan`, { method: "POST", json: body });
    say(replanMsg, "", "info");
    await ctx.showProposal(answer.run);
  } catch (err) {
    say(replanMsg, conflictText(err), "bad");
  } finally {
    button.disabled = false;
  }
}

const UNITS = [["_kg", "kg"], ["_t", "t"], ["_h", "h"], ["_min", "min"], ["_pct", "%"], ["_nm", "NM"]];
function figureUnit(name) {
  for (const [suffix, unit] of UNITS) if (name.endsWith(suffix)) return unit;
  if (name.includes("hours")) return "h";
  return "";
}

/** Before, after and change of a figure with its unit (whole numbers without decimals). */
function figureCells(name, f) {
  const unit = f.unit || figureUnit(name);
  const whole = [f.before, f.after, f.change].every((v) => v == null || Number.isInteger(Number(v)));
  return [f.before, f.after, f.change].map((v) => qtyCell(v, unit, whole ? 0 : 1));
}

function tailText(t) {
  const parts = [];
  for (const key of ["cancelled", "changed", "added"]) {
    if ((t[key] || []).length) parts.push(`${key} day ${t[key].join(", ")}`);
  }
  return parts.join("; ");
}

function drawProposal(run, replanDoc) {
  const diff = replanDoc.diff || {};
  const changed = (diff.requests || []).filter((r) => r.change && !["kept", "still_unmet"].includes(r.change));
  const events = (replanDoc.events || []).map((e) => e.text);
  const decided = run.approval !== "proposed";
  const figures = Object.entries(diff.figures || {});
  const tails = diff.tails || [];
  clear(proposalBox,
    el("h3", {}, `Proposal: run ${runId(run)}, a re-plan of run ${run.parent_id}`,
      " ", el("span", { class: `badge ${run.approval === "approved" ? "ok" : decided ? "neutral" : "warn"}` }, run.approval)),
    el("p", { class: "small muted" },
      `From ${utc(replanDoc.now_utc)}, the first ${qty(replanDoc.horizon_min, "min")} frozen; `,
      `solved in ${qty(replanDoc.solve_seconds, "s", 1)}; events: ${events.join(" · ") || "none"}.`,
      " ", cutShort(replanDoc)),
    el("ul", { class: "diff-counts", id: "diff-counts" },
      DIFF_COUNTS.map(([key, what]) => el("li", { "data-count": key },
        el("strong", {}, num(diff[key] ?? 0)), ` ${Number(diff[key]) === 1 ? "request" : "requests"} ${what}`))),
    figures.length ? el("div", { class: "table-wrap" }, el("table", { id: "figure-table" },
      el("thead", {}, el("tr", {}, ["Figure", "Before", "After", "Change"].map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, figures.map(([name, f]) => el("tr", {},
        el("td", {}, name.replaceAll("_", " ")),
        ...figureCells(name, f)))))) : null,
    tails.length ? el("p", { class: "small", id: "replan-tails" }, "Missions by tail (programme day): ",
      tails.map((t) => `${t.tail}: ${tailText(t)}`).join(" · ")) : null,
    changed.length
      ? el("div", { class: "table-wrap", style: "max-height: 320px" }, el("table", { id: "replan-requests" },
        el("thead", {}, el("tr", {}, ["Request", "Change", "Tails before", "Tails after", "Shift", "Reason"].map((h) => el("th", { scope: "col" }, h)))),
        el("tbody", {}, changed.map((r) => el("tr", { "data-request": r.request_id },
          el("td", {}, r.request_id),
          el("td", {}, el("span", { class: `badge ${r.change === "unmet_new" || r.change === "cancelled" ? "bad" : r.change === "served_new" ? "ok" : "warn"}` }, r.change.replaceAll("_", " "))),
          el("td", {}, (r.tails_before || []).join(", ") || "–"),
          el("td", {}, (r.tails_after || []).join(", ") || "–"),
          qtyCell(r.shift_min, "min"),
          el("td", { class: "small" }, r.reason || ""))))))
      : el("p", { class: "small muted" }, "No request changes."),
    decided ? null : el("div", { class: "row" },
      el("button", { type: "button", class: "primary", id: "approve", onclick: () => decide(run, "approve") }, "Approve"),
      el("button", { type: "button", id: "discard", onclick: () => decide(run, "discard") }, "Discard")));
}

async function decide(run, action) {
  try {
    const after = await api(`/api/runs/${runId(run)}/${action}`, { method: "POST" });
    const next = action === "approve" ? runId(after) : run.parent_id;
    rememberRun(next, { inUrl: false });
    location.assign(`/timeline?run=${next}`);
  } catch (err) {
    say(replanMsg, conflictText(err), "bad");
  }
}

/** The timeline shows ``run`` (its document ``doc``): fill the panel for it. */
export async function showDisruption(run, doc) {
  if (!ctx || !writer()) return;
  ctx.run = run;
  ctx.doc = doc;
  clear(proposalBox);
  say(replanMsg, "", "info");
  say(eventMsg, "", "info");
  if (!run) {
    panel.hidden = true;
    return;
  }
  panel.hidden = false;
  if (run.approval === "proposed" || (run.kind === "replan" && doc && doc.replan)) {
    work.hidden = true;
    note.textContent = run.approval === "proposed"
      ? `Run ${runId(run)} is a proposed re-plan of run ${run.parent_id}: approve it to make it the current programme, or discard it.`
      : `Run ${runId(run)} is a re-plan of run ${run.parent_id} (${run.approval}).`;
    if (doc && doc.replan) {
      drawProposal(run, { ...doc.replan, diff: doc.diff || doc.replan.diff || {}, solve_seconds: doc.solve_seconds ?? doc.replan.solve_seconds, cut_short: doc.cut_short });
    }
    if (run.approval === "approved") await showWork(run);
    return;
  }
  await showWork(run);
}

async function showWork(run) {
  let current = null;
  try {
    current = await api("/api/programme/current");
  } catch {
    current = null;
  }
  if (!current || runId(current) !== runId(run)) {
    work.hidden = true;
    note.textContent = "";
    note.append(`Run ${runId(run)} is not the current programme: events and re-plans go against `,
      current ? el("a", { href: `/timeline?run=${runId(current)}` }, `run ${runId(current)}`) : "the current programme", ".");
    return;
  }
  work.hidden = false;
  note.textContent = `Run ${runId(run)} is the current programme. Declare what changed, then re-plan: what has flown or departs within the horizon stays as it is.`;
  drawFields();
  await loadEvents();
}

/** Wire the panel; ``showProposal(run)`` draws a proposal run on the timeline. */
export function initDisruption({ tails, requests, showProposal }) {
  if (!panel || !writer()) return;
  ctx = { run: null, doc: null, tails: [...tails].sort(), requests: [...requests].sort(), showProposal };
  clear(kindSelect, Object.keys(KINDS).map((k) => el("option", { value: k }, k)));
  kindSelect.addEventListener("change", drawFields);
  eventForm.addEventListener("submit", declare);
  replanForm.addEventListener("submit", replan);
}
