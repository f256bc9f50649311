// Airspace page: the stored zones (a table; import a GeoJSON/KML/OpenAIR file, all or
// nothing; delete) and the diplomatic clearance register (add, edit status and number,
// delete). Every write names the version this page read: a change meanwhile is a 409.
import { ApiError, api, clear, el, num, say, utc } from "./app.js";
import { canEdit } from "./forms.js";

const zonesBox = document.getElementById("zones-table");
const zonesMsg = document.getElementById("zones-msg");
const importForm = document.getElementById("zone-import");
const fileBox = document.getElementById("zone-file");
const clForm = document.getElementById("clearance-form");
const clBox = document.getElementById("clearances-table");
const clMsg = document.getElementById("clearances-msg");
const clSave = document.getElementById("cl-save");
const clCancel = document.getElementById("cl-cancel");
const writer = canEdit();

const ft = (v) => (v == null ? null : `${num(v)} ft`);

function band(z) {
  if (z.lower_ft == null && z.upper_ft == null) return "all levels";
  return `${ft(z.lower_ft) || "surface"} to ${ft(z.upper_ft) || "unlimited"}`;
}

function window_(z) {
  if (!z.from_utc && !z.until_utc) return "always";
  return `${z.from_utc ? utc(z.from_utc) : "…"} to ${z.until_utc ? utc(z.until_utc) : "…"}`;
}

const standoff = (z) => (z.standoff_m ? `${num(z.standoff_m / 1852, 1)} NM` : "–");

async function loadZones() {
  const zones = await api("/api/zones");
  if (!zones.length) {
    clear(zonesBox, el("p", { class: "muted", style: "padding:.5rem .75rem" }, "No zones stored: plans fly great circles."));
    return;
  }
  const head = ["Name", "Kind", "Band", "Window (UTC)", "Stand-off", "Note", ""];
  clear(zonesBox, el("table", { id: "zones" },
    el("thead", {}, el("tr", {}, head.map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, zones.map((z) => el("tr", { dataset: { zone: z.name } },
      el("td", {}, el("strong", {}, z.name)),
      el("td", {}, el("span", { class: `zone-kind zone-${z.kind}` }, z.kind)),
      el("td", {}, band(z)),
      el("td", {}, window_(z)),
      el("td", { class: "num" }, standoff(z)),
      el("td", { class: "small" }, z.note || ""),
      el("td", {}, writer ? el("button", {
        type: "button", class: "danger small", "aria-label": `Delete zone ${z.name}`,
        onclick: () => deleteZone(z),
      }, "Delete") : ""))))));
}

async function deleteZone(z) {
  if (!confirm(`Delete the zone ${z.name}? Plans will no longer route around it.`)) return;
  try {
    await api(`/api/zones/${z.id}?version=${z.version}`, { method: "DELETE" });
    say(zonesMsg, `Deleted the zone ${z.name}.`, "ok");
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    say(zonesMsg, `Not deleted: ${err.message}`, "bad");
  }
  await loadZones();
}

importForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (!fileBox.files.length) {
    say(zonesMsg, "Choose a zone file first.", "warn");
    fileBox.focus();
    return;
  }
  const file = fileBox.files[0];
  const form = new FormData();
  form.append("file", file);
  say(zonesMsg, `Importing ${file.name}…`, "info");
  try {
    const stored = await api("/api/zones/import", { method: "POST", form });
    say(zonesMsg, `Imported ${file.name}: ${stored.length} zone${stored.length === 1 ? "" : "s"} stored (${stored.map((z) => z.name).join(", ")}).`, "ok");
    importForm.reset();
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    const field = err.body && err.body.field ? ` (field ${err.body.field})` : "";
    say(zonesMsg, `Nothing stored${field}: ${err.message}`, "bad");
  }
  await loadZones();
});

// ---------------------------------------------------------------- clearances

let editing = null; // the record being edited, as read

function resetForm() {
  editing = null;
  clForm.reset();
  clForm.elements.country.readOnly = false;
  clSave.textContent = "Add the record";
  clCancel.hidden = true;
}

function edit(record) {
  editing = record;
  for (const name of ["country", "kind", "status", "number", "valid_from", "valid_until", "note"]) {
    clForm.elements[name].value = record[name] ?? "";
  }
  clSave.textContent = `Save ${record.country} ${record.kind}`;
  clCancel.hidden = false;
  clForm.elements.status.focus();
}

function validity(c) {
  if (!c.valid_from && !c.valid_until) return "–";
  return `${c.valid_from || "…"} to ${c.valid_until || "…"}`;
}

async function loadClearances() {
  const records = await api("/api/clearances");
  if (!records.length) {
    clear(clBox, el("p", { class: "muted", style: "padding:.5rem .75rem" }, "No clearance records: the brief shows each needed clearance as not recorded."));
    return;
  }
  const head = ["Country", "Kind", "Status", "Number", "Valid (dates)", "Note", ""];
  clear(clBox, el("table", { id: "clearances" },
    el("thead", {}, el("tr", {}, head.map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, records.map((c) => el("tr", {},
      el("td", {}, el("strong", {}, c.country)),
      el("td", {}, c.kind),
      el("td", {}, el("span", { class: `badge ${c.status === "granted" ? "ok" : c.status === "refused" ? "bad" : ""}` }, c.status)),
      el("td", {}, c.number || "–"),
      el("td", {}, validity(c)),
      el("td", { class: "small" }, c.note || ""),
      el("td", {}, writer ? el("div", { class: "row tight" },
        el("button", { type: "button", class: "small", onclick: () => edit(c) }, "Edit"),
        el("button", { type: "button", class: "danger small", onclick: () => deleteClearance(c) }, "Delete")) : ""))))));
}

async function deleteClearance(c) {
  if (!confirm(`Delete the ${c.kind} clearance record of ${c.country}?`)) return;
  try {
    await api(`/api/clearances/${c.id}?version=${c.version}`, { method: "DELETE" });
    say(clMsg, `Deleted the ${c.kind} record of ${c.country}.`, "ok");
    if (editing && editing.id === c.id) resetForm();
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    say(clMsg, `Not deleted: ${err.message}`, "bad");
  }
  await loadClearances();
}

clForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const body = {};
  for (const name of ["country", "kind", "status", "number", "valid_from", "valid_until", "note"]) {
    const value = clForm.elements[name].value.trim();
    body[name] = value === "" && name.startsWith("valid_") ? null : value;
  }
  try {
    const saved = editing
      ? await api(`/api/clearances/${editing.id}`, { method: "PUT", json: { ...body, version: editing.version } })
      : await api("/api/clearances", { method: "POST", json: body });
    say(clMsg, `Saved: ${saved.country} ${saved.kind}, ${saved.status}${saved.number ? ` no. ${saved.number}` : ""}.`, "ok");
    resetForm();
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    const field = err.body && err.body.field;
    say(clMsg, `Not saved${field ? ` (${field})` : ""}: ${err.message}`, "bad");
    if (field && clForm.elements[field]) clForm.elements[field].focus();
  }
  await loadClearances();
});
clCancel.addEventListener("click", resetForm);

async function main() {
  if (!writer) {
    importForm.hidden = true;
    clForm.hidden = true;
  }
  try {
    await Promise.all([loadZones(), loadClearances()]);
  } catch (err) {
    say(zonesMsg, `Not loaded: ${err.message}`, "bad");
  }
  document.body.dataset.ready = "true";
}

main();
