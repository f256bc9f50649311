// Fleet page: tails with their type's headline figures, availability (maintenance windows
// inside the scenario, and now), and use in the run every page shows (app.js currentRun).
// Planners edit a tail's maintenance windows (a national planner: their nation's tails only)
// and the airfield overrides of a scenario (overrides.js).
import { api, asList, clear, currentRun, el, qty, qtyCell, runId, runResult, say, utc } from "./app.js";
import { canEdit, editDialog } from "./forms.js";
import { importPanel } from "./importer.js";
import { overridesPanel } from "./overrides.js";

const table = document.getElementById("table");
const msg = document.getElementById("fleet-msg");
const note = document.getElementById("fleet-note");
const myNation = document.body.dataset.nation || "";

/** The API refuses a national planner another nation's tail: no button for it either. */
const mayEdit = (tail) => canEdit() && (!myNation || document.body.dataset.role === "admin" || tail.nation === myNation);

const AVAILABILITY_FIELDS = [
  { name: "unavailable", label: "Maintenance windows (UTC): the tail flies no mission from the start until the end", kind: "windows" },
];

async function editAvailability(tail) {
  const done = await editDialog({
    id: "tail-form",
    title: `Availability of ${tail.registration}`,
    intro: `${tail.aircraft_type}, ${tail.nation}. Times UTC; empty: available all the time.`,
    fields: AVAILABILITY_FIELDS,
    values: tail,
    // The other fields of the tail go back as they were read.
    save: (values, read) => api(`/api/tails/${tail.id}`, { method: "PUT", json: { ...read, ...values, version: read.version } }),
    reload: () => api(`/api/tails/${tail.id}`),
  });
  if (done) {
    say(msg, `Saved the availability of ${tail.registration}.`, "ok");
    await load();
  }
}

function availability(tail) {
  const windows = (tail.unavailable || []).map(([a, b]) => [new Date(a), new Date(b)]);
  if (!windows.length) return el("td", {}, el("span", { class: "badge ok" }, "available"), el("div", { class: "small muted" }, "no maintenance planned"));
  const now = Date.now();
  const down = windows.some(([a, b]) => a.getTime() <= now && now < b.getTime());
  return el("td", {},
    el("span", { class: `badge ${down ? "bad" : "warn"}` }, down ? "in maintenance now" : "maintenance planned"),
    windows.map(([a, b]) => el("div", { class: "small nowrap" }, `unavailable ${utc(a)} → ${utc(b)}`)));
}

function availabilityCell(tail) {
  const cell = availability(tail);
  if (mayEdit(tail)) {
    cell.append(el("button", {
      type: "button", class: "small", "aria-label": `Edit availability of ${tail.registration}`, onclick: () => editAvailability(tail),
    }, "Edit availability"));
  }
  return cell;
}

async function load() {
  let tails = [];
  try {
    tails = asList(await api("/api/tails"), "tails");
  } catch (err) {
    say(msg, `Tails not loaded: ${err.message}`, "bad");
    return;
  }
  const types = new Map(asList(await api("/api/aircraft").catch(() => []), "aircraft").map((t) => [t.designator, t]));
  let use = new Map();
  let run = null;
  let problem = "";
  try {
    ({ run, problem } = await currentRun());
    if (run) {
      const doc = await runResult(runId(run));
      const util = (doc.kpis && doc.kpis.utilisation_h_per_day) || {};
      for (const t of tails) use.set(t.registration, { util: util[t.registration], missions: 0, hours: 0 });
      for (const m of doc.missions) {
        const u = use.get(m.tail) || { util: util[m.tail], missions: 0, hours: 0 };
        u.missions += 1;
        u.hours += (m.flight_time_min || 0) / 60;
        use.set(m.tail, u);
      }
    }
  } catch {
    use = new Map();
  }
  note.textContent = run ? `Missions and flying hours: run ${runId(run)} (the run every page shows; pick another on the Plans page).`
    : problem || "No finished run yet: missions and flying hours appear after one.";
  if (!tails.length) {
    clear(table, el("p", { class: "msg info", style: "margin: .6rem" }, "No tails yet: an admin imports the fleet CSV below."));
    return;
  }
  const head = ["Tail", "Type", "Nation", "Base", "Operator", "Max payload", "Capacity", "Crew limits", "Availability (UTC)", "Missions", "Flying", "Utilisation"];
  clear(table, el("table", { id: "fleet-table", class: "wide", style: "--table-min: 76rem" },
    el("thead", {}, el("tr", {}, head.map((h, i) => el("th", { scope: "col", class: i === 0 ? "sticky-col" : undefined }, h)))),
    el("tbody", {}, [...tails].sort((a, b) => a.registration.localeCompare(b.registration)).map((t) => {
      const type = types.get(t.aircraft_type) || {};
      const u = use.get(t.registration) || {};
      return el("tr", {},
        el("th", { scope: "row", class: "nowrap sticky-col" }, t.registration),
        el("td", { class: "nowrap" }, t.aircraft_type, t.military ? "" : el("div", { class: "small muted" }, "civil")),
        el("td", {}, t.nation),
        el("td", {}, t.home_base),
        el("td", { class: "small", style: "min-width: 12rem" }, t.operator || ""),
        qtyCell(type.max_payload_kg, "kg"),
        el("td", { class: "small nowrap" }, el("div", {}, qty(type.pallet_positions, "pallet positions")), el("div", {}, qty(type.seats, "seats"))),
        el("td", { class: "small nowrap" }, el("div", {}, `duty day ${qty(t.duty_limit_h, "h", 1)}`), el("div", {}, `flying ${qty(t.max_flying_h_per_day, "h/day", 1)}`)),
        availabilityCell(t),
        el("td", { class: "num" }, u.missions != null ? String(u.missions) : "–"),
        qtyCell(u.hours, "h", 1),
        qtyCell(u.util, "h/day", 1),
      );
    }))));
}

importPanel(document.getElementById("import"), "/api/tails/import", load);
if (document.body.dataset.role !== "admin") document.getElementById("import").hidden = true;
Promise.all([load(), overridesPanel(document.getElementById("overrides"))])
  .finally(() => { document.body.dataset.ready = "true"; });
