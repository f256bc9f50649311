// Day board: the planned legs of one UTC day of the run every page shows (app.js
// currentRun), each with its planned and reported times, the status and next action the
// server worked out (/api/actuals/board: tracking/status.py), and for planners a form to
// report the leg (POST /api/actuals; a refused field is shown beside its box). ?day= picks
// the day, ?now= the time the statuses are computed at (tests, replays).
import {
  api, clear, currentRun, el, localFromIso, localInZone, num, qty, rememberRun, runId, runLabel, say, utc,
} from "./app.js";
import { canEdit, editDialog } from "./forms.js";
import { loadSightings } from "./board_sightings.js";

const boardBox = document.getElementById("board");
const msg = document.getElementById("board-msg");
const head = document.getElementById("board-head");
const daySelect = document.getElementById("day");
const unplannedBox = document.getElementById("unplanned");
const params = new URLSearchParams(location.search);
const nowParam = params.get("now");

/** The report form: one line per field the crew gives. Units in the labels. */
const REPORT_FIELDS = [
  { name: "out_utc", label: "OUT: off-block (UTC)", kind: "utc" },
  { name: "off_utc", label: "OFF: take-off (UTC)", kind: "utc" },
  { name: "on_utc", label: "ON: landing (UTC)", kind: "utc" },
  { name: "in_utc", label: "IN: on-block (UTC)", kind: "utc" },
  { name: "fuel_out_kg", label: "Fuel at departure (kg)", kind: "number", hint: "on board at OUT" },
  { name: "fuel_in_kg", label: "Fuel at arrival (kg)", kind: "number", hint: "on board at IN" },
  { name: "destination", label: "Landed at (ICAO)", kind: "text", hint: "another airfield than planned: a diversion" },
  { name: "remarks", label: "Remarks", kind: "textarea" },
];

let run = null;
let board = null;

const slug = (status) => status.replace(/\s+/g, "-");

/** "40 min", "3 h 05 min", "12 d" (as tracking/status.py words its next actions). */
function duration(minutes) {
  const m = Math.round(minutes);
  if (m < 120) return `${num(m)} min`;
  if (m < 48 * 60) return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, "0")} min`;
  return `${num(Math.floor(m / 1440))} d`;
}

function lateText(leg) {
  // Before its ETD plus the tolerance a leg on the ground is not late yet.
  if (leg.late_min === null || leg.late_min === undefined || (leg.status === "planned" && !leg.late)) return "";
  const m = Math.round(leg.late_min);
  if (Math.abs(m) < 1) return el("div", { class: "small" }, "on time");
  if (m < 0) return el("div", { class: "small early" }, `${duration(-m)} early`);
  return el("div", { class: `small${leg.late ? " late" : ""}` }, `${duration(m)} late`);
}

function plannedCell(leg) {
  const p = leg.planned;
  return el("td", { class: "times", "data-label": "Planned (UTC · local)" },
    el("div", {}, `ETD ${utc(p.out_utc, false)}`, el("span", { class: "small muted" }, ` · ${localFromIso(p.etd_local)}`)),
    el("div", { class: "small muted" }, `take-off ${utc(p.off_utc, false)} · landing ${utc(p.on_utc, false)}`),
    el("div", {}, `ETA ${utc(p.in_utc, false)}`, el("span", { class: "small muted" }, ` · ${localFromIso(p.eta_local)}`)));
}

function timeLine(label, iso, tz) {
  if (!iso) return null;
  const local = localInZone(iso, tz);
  return el("div", {}, `${label} ${utc(iso, false)}`, local ? el("span", { class: "small muted" }, ` · ${local}`) : "");
}

function actualCell(leg) {
  const a = leg.actual;
  if (!a) return el("td", { class: "times muted", "data-label": "Reported (UTC · local)" }, "nothing reported");
  const landedTz = a.destination === leg.destination ? leg.destination_tz : null;
  const sources = [...new Set(leg.reports.map((r) => r.source))];
  return el("td", { class: "times", "data-label": "Reported (UTC · local)" },
    timeLine("OUT", a.out_utc, leg.origin_tz),
    timeLine("OFF", a.off_utc, leg.origin_tz),
    timeLine("ON", a.on_utc, landedTz),
    timeLine("IN", a.in_utc, landedTz),
    a.seen_from_utc
      ? el("div", { class: "small" }, `seen in the air ${utc(a.seen_from_utc, false)} to ${utc(a.seen_until_utc, false)} (take-off and landing not seen)`) : "",
    a.fuel_out_kg !== null || a.fuel_in_kg !== null
      ? el("div", { class: "small" }, `fuel on board: ${qty(a.fuel_out_kg, "kg")} at OUT · ${qty(a.fuel_in_kg, "kg")} at IN`) : "",
    a.destination !== leg.destination ? el("div", { class: "small late" }, `landed at ${a.destination}`) : "",
    a.remarks ? el("div", { class: "small muted" }, a.remarks) : "",
    el("div", { class: "src" }, `${leg.reports.length} report${leg.reports.length === 1 ? "" : "s"}: ${sources.join(", ")}`));
}

async function report(leg) {
  const saved = await editDialog({
    id: "report-form",
    title: `Report ${leg.tail} ${leg.origin} → ${leg.destination}`,
    intro: `Mission ${leg.mission}, leg ${leg.leg}; planned ETD ${utc(leg.planned.out_utc)}. Times UTC; leave a time empty if it is not known yet. Each report is kept; the newest crew report wins field by field.`,
    fields: REPORT_FIELDS,
    values: { destination: leg.destination },
    saveLabel: "Store report",
    save: async (values) => {
      await api("/api/actuals", {
        method: "POST",
        json: { ...values, tail: leg.tail, origin: leg.origin, source: "crew", run_id: runId(run) },
      });
    },
  });
  if (!saved) return;
  await load(board.day);
  say(msg, `Stored the report of ${leg.tail} ${leg.origin} → ${leg.destination}.`, "ok");
}

function renderLegs() {
  const editing = canEdit();
  const cols = ["Leg", "Route", "Planned (UTC · local)", "Reported (UTC · local)", "Status", "Next action"];
  if (editing) cols.push("Report");
  if (!board.legs.length) {
    clear(boardBox, el("p", { class: "msg info" }, "No legs planned on this day."));
    return;
  }
  clear(boardBox, el("table", { id: "board-table" },
    el("thead", {}, el("tr", {}, cols.map((c) => el("th", { scope: "col" }, c)))),
    el("tbody", {}, board.legs.map((leg) => el("tr", { "data-leg": `${leg.mission}-${leg.leg}`, "data-status": leg.status },
      el("th", { scope: "row" },
        el("div", {}, leg.tail),
        el("div", { class: "small muted" }, `${leg.aircraft} · mission ${leg.mission} leg ${leg.leg}`)),
      el("td", { "data-label": "Route" }, `${leg.origin} → ${leg.destination}`),
      plannedCell(leg),
      actualCell(leg),
      el("td", { class: "status", "data-label": "Status" }, el("span", { class: `badge st-${slug(leg.status)}` }, leg.status), lateText(leg)),
      el("td", { class: "action", "data-label": "Next action" }, leg.next_action),
      editing ? el("td", { "data-label": "" },
        el("button", {
          type: "button", class: "small", "aria-label": `Report ${leg.tail} mission ${leg.mission} leg ${leg.leg}`,
          onclick: () => report(leg),
        }, "Report")) : null)))));
}

function renderUnplanned() {
  if (!board.unplanned.length) {
    clear(unplannedBox, el("p", { class: "small muted" }, "None: every reported leg of the day matches a planned one."));
    return;
  }
  clear(unplannedBox, el("div", { class: "table-wrap" }, el("table", { id: "unplanned-table" },
    el("thead", {}, el("tr", {}, ["Tail", "Route", "OUT", "OFF", "ON", "IN", "Fuel out", "Fuel in", "Sources"].map((c) => el("th", { scope: "col" }, c)))),
    el("tbody", {}, board.unplanned.map((m) => el("tr", {},
      el("th", { scope: "row" }, m.key.tail),
      el("td", {}, `${m.leg.origin} → ${m.leg.destination}`),
      ["out_utc", "off_utc", "on_utc", "in_utc"].map((k) => el("td", { class: "nowrap" }, utc(m.leg[k], false))),
      el("td", { class: "num" }, qty(m.leg.fuel_out_kg, "kg")),
      el("td", { class: "num" }, qty(m.leg.fuel_in_kg, "kg")),
      el("td", { class: "small" }, [...new Set(m.reports.map((r) => r.source))].join(", ")))))))); 
}

function fillDays() {
  clear(daySelect, board.days.map((d) => el("option", { value: d, selected: d === board.day }, d)));
  daySelect.disabled = board.days.length < 2;
}

async function load(day) {
  const query = new URLSearchParams({ run: runId(run) });
  if (day) query.set("day", day);
  if (nowParam) query.set("now", nowParam);
  try {
    board = await api(`/api/actuals/board?${query}`);
  } catch (err) {
    say(msg, `Board not loaded: ${err.message}`, "bad");
    clear(boardBox);
    return;
  }
  fillDays();
  const counts = {};
  for (const leg of board.legs) counts[leg.status] = (counts[leg.status] || 0) + 1;
  const summary = Object.entries(counts).map(([s, n]) => `${n} ${s}`).join(", ");
  head.textContent = `${runLabel(run)} · ${board.day} · ${board.legs.length} legs planned (${summary || "none"}) · status at ${utc(board.now)}${nowParam ? " (?now=)" : ""}; on time within ${num(board.tolerance_min)} min of the plan`;
  renderLegs();
  renderUnplanned();
  await loadSightings(runId(run), board.day);
}

daySelect.addEventListener("change", async () => {
  const url = new URL(location.href);
  url.searchParams.set("day", daySelect.value);
  history.replaceState(null, "", url);
  say(msg, "");
  await load(daySelect.value);
});

(async () => {
  try {
    const found = await currentRun();
    run = found.run;
    if (!run) {
      say(msg, found.problem || "No finished schedule run yet: start one on the Plans page.", found.problem ? "bad" : "info");
    } else {
      rememberRun(runId(run));
      await load(params.get("day"));
    }
  } catch (err) {
    say(msg, `Board not loaded: ${err.message}`, "bad");
  }
  document.body.dataset.ready = "true";
})();
