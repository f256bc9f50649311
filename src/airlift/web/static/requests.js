// Requests page: the movement requests with filters, the status each got in the run
// every page shows (app.js currentRun), CSV import with row errors, delete (planners).
import {
  airfieldsByIcao, api, asList, clear, currentRun, el, localInZone, qtyCell, runId, runResult, say, utc,
} from "./app.js";
import { importPanel } from "./importer.js";

const table = document.getElementById("table");
const filters = document.getElementById("filters");
const count = document.getElementById("count");
const listMsg = document.getElementById("list-msg");
const canEdit = ["planner", "admin"].includes(document.body.dataset.role);

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
  try {
    await api(`/api/requests/${r.id}?version=${r.version}`, { method: "DELETE" });
    say(listMsg, `Deleted ${refOf(r)}.`, "ok");
    await load();
  } catch (err) {
    say(listMsg, `Not deleted: ${err.message}`, "bad");
  }
}

function render() {
  const shown = requests.filter(matches);
  count.textContent = `${shown.length} of ${requests.length} requests shown${statusRun ? ` · status from run ${runId(statusRun)}` : ""}`;
  if (!requests.length) {
    clear(table, el("p", { class: "msg info", style: "margin: .6rem" }, "No movement requests yet: import a CSV above."));
    return;
  }
  const head = ["Ref", "From", "To", "Cargo", "Pallets", "Pax", "Earliest (UTC · local)", "Latest (UTC · local)", "Priority", "Flags", "Status", "Description"];
  if (canEdit) head.push("Actions");
  clear(table, el("table", { id: "requests-table" },
    el("thead", {}, el("tr", {}, head.map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, shown.map((r) => el("tr", {},
      el("td", { class: "nowrap" }, el("strong", {}, refOf(r))),
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
      canEdit ? el("td", {}, el("button", {
        type: "button", class: "small danger", "aria-label": `Delete request ${refOf(r)}`, onclick: () => remove(r),
      }, "Delete")) : null,
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

(async () => {
  airfields = await airfieldsByIcao().catch(() => new Map());
  await loadStatuses();
  await load();
  document.body.dataset.ready = "true";
})();
