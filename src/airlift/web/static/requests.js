// Requests page: the movement requests with filters, the status each got in the run every
// page shows (app.js currentRun), CSV import with row errors; planners create, edit and
// delete single requests.
import {
  airfieldsByIcao, api, asList, clear, currentRun, el, localInZone, qtyCell, runId, runResult, say, utc,
} from "./app.js";
import { changedBy, editDialog } from "./forms.js";
import { importPanel } from "./importer.js";

/** The request form: one line per field of the API's request schema (a new optional field
 * is one more line here). Units in the labels; the server checks every value. */
const REQUEST_FIELDS = [
  { name: "ref", label: "Ref", kind: "text", hint: "unique, e.g. R058" },
  { name: "origin", label: "Origin", kind: "text", hint: "ICAO, IATA or name" },
  { name: "destination", label: "Destination", kind: "text", hint: "ICAO, IATA or name" },
  { name: "cargo_kg", label: "Cargo (kg)", kind: "number", hint: "gross, without passengers" },
  { name: "pallets", label: "Pallets (463L positions)", kind: "number" },
  { name: "pax", label: "Passengers (pax)", kind: "number" },
  { name: "earliest_utc", label: "Earliest pickup (UTC)", kind: "utc" },
  { name: "latest_utc", label: "Latest delivery (UTC)", kind: "utc" },
  { name: "priority", label: "Priority", kind: "select", numeric: true,
    options: [["1", "1 (most urgent)"], ["2", "2"], ["3", "3"], ["4", "4 (least)"]] },
  { name: "allowed_nations", label: "Only nations", kind: "list", hint: "e.g. NE, ML; empty: any" },
  { name: "allowed_types", label: "Only aircraft types", kind: "list", hint: "e.g. C-130H; empty: any" },
  { name: "optional", label: "Optional (space available)", kind: "bool" },
  { name: "hazardous", label: "Hazardous cargo (military tails only)", kind: "bool" },
  { name: "dg_class", label: "Dangerous-goods class", kind: "text", hint: "e.g. 3, 1.4S; empty: none" },
  { name: "un_number", label: "UN number", kind: "text", hint: "e.g. UN1863; needs the class" },
  { name: "description", label: "Description", kind: "textarea" },
];

const NEW_REQUEST = { cargo_kg: 0, pallets: 0, pax: 0, priority: 3, optional: false, hazardous: false, dg_class: "", un_number: "", description: "" };

const table = document.getElementById("table");
const filters = document.getElementById("filters");
const count = document.getElementById("count");
const listMsg = document.getElementById("list-msg");
const canEdit = ["planner", "admin"].includes(document.body.dataset.role);
const newButton = document.getElementById("new-request");

let requests = [];
let statuses = new Map();
let statusRun = null;
let airfields = new Map();

const refOf = (r) => r.ref ?? r.request_id ?? String(r.id);

function matches(r) {
  const f = Object.fromEntries(new FormData(filters));
  const st = statuses.get(refOf(r));
  if (f.origin && !r.origin.toUpperCase().includes(f.origin.trim().toUpperCase())) return false;
  if (f.destination && !r.destination.toUpperCase().includes(f.destination.trim().toUpperCase())) return false;
  if (f.priority && String(r.priority) !== f.priority) return false;
  if (f.text) {
    const hay = [refOf(r), r.description, st && st.status, st && st.reason, r.hazardous ? "hazardous" : "", r.optional ? "optional" : ""]
      .join(" ").toLowerCase();
    if (!f.text.trim().toLowerCase().split(/\s+/).every((w) => hay.includes(w))) return false;
  }
  return true;
}

function timeCell(iso, icao) {
  const tz = (airfields.get(icao) || {}).tz;
  const local = localInZone(iso, tz);
  return el("td", { class: "nowrap" }, utc(iso), local ? el("div", { class: "small muted" }, `${local} ${icao}`) : "");
}

function statusCell(r) {
  const st = statuses.get(refOf(r));
  if (!st) return el("td", {}, el("span", { class: "badge neutral" }, statusRun ? "not in run" : "not planned"));
  return el("td", {}, el("span", { class: `badge ${st.status}` }, st.status),
    st.reason ? el("div", { class: "small muted" }, st.reason) : "",
    st.tails && st.tails.length ? el("div", { class: "small" }, st.tails.join(", ")) : "");
}

async function remove(r) {
  if (!confirm(`Delete request ${refOf(r)} (${r.origin} → ${r.destination})?`)) return;
  let text = `Deleted ${refOf(r)}.`;
  let kind = "ok";
  try {
    await api(`/api/requests/${r.id}?version=${r.version}`, { method: "DELETE" });
  } catch (err) {
    const who = changedBy(err);
    text = who ? `Not deleted: ${refOf(r)} was ${who}; the list is reloaded.` : `Not deleted: ${err.message}`;
    kind = "bad";
  }
  await load();
  say(listMsg, text, kind);
}

/** Create (``r`` undefined) or edit one request in a dialog; the list reloads once saved. */
async function edit(r) {
  const fresh = async () => api(`/api/requests/${r.id}`);
  let saved = null;
  const done = await editDialog({
    id: "request-form",
    title: r ? `Edit request ${refOf(r)}` : "New movement request",
    intro: "Times UTC. Nothing is stored until the server accepts every field.",
    fields: REQUEST_FIELDS,
    values: r || NEW_REQUEST,
    // Fields the form does not show (added to the API later) go back as they were read.
    save: async (values, read) => {
      saved = r
        ? await api(`/api/requests/${r.id}`, { method: "PUT", json: { ...read, ...values, version: read.version } })
        : await api("/api/requests", { method: "POST", json: values });
    },
    reload: r ? fresh : undefined,
  });
  if (!done) return;
  await load();
  say(listMsg, `${r ? "Saved" : "Created"} ${saved.ref} (version ${saved.version}).`, "ok");
}

function render() {
  const shown = requests.filter(matches);
  count.textContent = `${shown.length} of ${requests.length} requests shown${statusRun ? ` · status from run ${runId(statusRun)}` : ""}`;
  if (!requests.length) {
    clear(table, el("p", { class: "msg info", style: "margin: .6rem" },
      canEdit ? "No movement requests yet: add one or import a CSV above." : "No movement requests yet."));
    return;
  }
  const head = ["Ref", "From", "To", "Cargo", "Pallets", "Pax", "Earliest (UTC · local)", "Latest (UTC · local)", "Priority", "Flags", "Status", "Description"];
  if (canEdit) head.push("Actions");
  clear(table, el("table", { id: "requests-table", class: "wide", style: "--table-min: 92rem" },
    el("thead", {}, el("tr", {}, head.map((h, i) => el("th", { scope: "col", class: i === 0 ? "sticky-col" : undefined }, h)))),
    el("tbody", {}, shown.map((r) => el("tr", {},
      el("th", { scope: "row", class: "nowrap sticky-col" }, refOf(r)),
      el("td", {}, r.origin),
      el("td", {}, r.destination),
      qtyCell(r.cargo_kg, "kg"),
      qtyCell(r.pallets, "pal"),
      qtyCell(r.pax, "pax"),
      timeCell(r.earliest_utc, r.origin),
      timeCell(r.latest_utc, r.destination),
      el("td", { class: "num" }, String(r.priority)),
      el("td", { class: "small" }, [
        r.optional ? el("div", {}, "optional") : "",
        r.hazardous ? el("div", { class: "badge warn" }, "hazardous") : "",
        (r.allowed_nations || []).length ? el("div", {}, `nations: ${r.allowed_nations.join(", ")}`) : "",
        (r.allowed_types || []).length ? el("div", {}, `types: ${r.allowed_types.join(", ")}`) : "",
      ]),
      statusCell(r),
      el("td", { class: "desc small" }, r.description || ""),
      canEdit ? el("td", { class: "actions" },
        el("button", { type: "button", class: "small", "aria-label": `Edit request ${refOf(r)}`, onclick: () => edit(r) }, "Edit"),
        el("button", { type: "button", class: "small danger", "aria-label": `Delete request ${refOf(r)}`, onclick: () => remove(r) }, "Delete"),
      ) : null,
    )))));
}

async function loadStatuses() {
  try {
    statusRun = (await currentRun()).run;
    if (statusRun) {
      const doc = await runResult(runId(statusRun));
      statuses = new Map((doc.requests || []).map((s) => [s.request_id, s]));
    }
  } catch {
    statusRun = null;
  }
}

async function load() {
  try {
    requests = asList(await api("/api/requests"), "requests");
    say(listMsg, "");
  } catch (err) {
    say(listMsg, `Requests not loaded: ${err.message}`, "bad");
  }
  render();
}

filters.addEventListener("input", render);
filters.addEventListener("reset", () => setTimeout(render, 0));
filters.addEventListener("submit", (e) => e.preventDefault());
importPanel(document.getElementById("import"), "/api/requests/import", load);
if (!canEdit) document.getElementById("import").hidden = true;
if (canEdit) {
  newButton.hidden = false;
  newButton.addEventListener("click", () => edit());
}

(async () => {
  airfields = await airfieldsByIcao().catch(() => new Map());
  await loadStatuses();
  await load();
  document.body.dataset.ready = "true";
})();
