// The airfield overrides of a scenario (fleet page): per airfield, on top of the theatre file
// and the global overrides, MOG, fuel, daylight-only, closure, opening hours and planning OAT.
// Stored in the scenario's ``overrides`` (ICAO -> the fields given): a change is a PUT of the
// scenario at the version read.
import { ApiError, api, asList, clear, el, num, say } from "./app.js";
import { canEdit, changedBy, editDialog } from "./forms.js";

const OVERRIDE_FIELDS = [
  { name: "icao", label: "Airfield", kind: "text", hint: "ICAO, IATA or name" },
  { name: "mog", label: "MOG (aircraft on the ground at once)", kind: "number", hint: "empty: theatre value" },
  { name: "fuel_available", label: "Fuel", kind: "tristate", options: ["Theatre value", "Fuel available", "No fuel"] },
  { name: "daylight_only", label: "Operating hours of light", kind: "tristate", options: ["Theatre value", "Daylight only", "Day and night"] },
  { name: "hours_utc", label: "Opening hours (UTC)", kind: "text", hint: "HH:MM-HH:MM, e.g. 06:00-18:00; empty: theatre value" },
  { name: "oat_c", label: "Planning OAT (°C)", kind: "number", hint: "empty: theatre value" },
  { name: "closed", label: "Closed (every runway)", kind: "bool" },
  { name: "notes", label: "Notes", kind: "text", wide: true },
];

/** "overrides.GATS.mog" -> "mog"; "overrides.GATS" (the airfield itself) -> "icao". */
const rename = (path) => {
  const m = /^overrides\.[^.]+(?:\.(.+))?$/.exec(path);
  return m ? m[1] || "icao" : path;
};

/** The fields given (absent ones keep the theatre's or the global override's value). */
function given(values) {
  const out = {};
  for (const [k, v] of Object.entries(values)) {
    if (k === "icao" || v === null || v === "" || (k === "closed" && v === false)) continue;
    out[k] = v;
  }
  return out;
}

const yesNo = (v, yes, no) => (v === true ? yes : v === false ? no : "–");

export async function overridesPanel(root) {
  const select = root.querySelector("#ov-scenario");
  const tableBox = root.querySelector("#ov-table");
  const msg = root.querySelector("#ov-msg");
  const add = root.querySelector("#ov-add");
  let scenario = null;
  let scenarios = [];

  /** The scenario as stored now (also in the picker's list). */
  function keep(stored) {
    scenario = stored;
    scenarios = scenarios.map((s) => (s.id === stored.id ? stored : s));
  }

  async function put(read, overrides) {
    return api(`/api/scenarios/${read.id}`, { method: "PUT", json: { ...read, overrides, version: read.version } });
  }

  async function edit(icao) {
    const values = icao ? { icao, ...scenario.overrides[icao] } : { closed: false };
    const fields = OVERRIDE_FIELDS.map((f) => (f.name === "icao" && icao ? { ...f, readonly: true, hint: undefined } : f));
    let code = icao;
    const done = await editDialog({
      id: "override-form",
      title: icao ? `Override of ${icao} in ${scenario.name}` : `New airfield override in ${scenario.name}`,
      intro: "Empty boxes keep the theatre's (or the global override's) value.",
      fields,
      values,
      rename,
      save: async (typed) => {
        code = (typed.icao || "").trim().toUpperCase();
        const clash = !code ? "give the airfield" : !icao && Object.hasOwn(scenario.overrides, code) ? `${code} has an override already: edit it` : null;
        if (clash) throw new ApiError(422, { field: "icao", detail: clash }, clash);
        // At the version this page read: a change meanwhile is a 409 naming who made it.
        keep(await put(scenario, { ...scenario.overrides, [code]: given(typed) }));
      },
      reload: async () => {
        keep(await api(`/api/scenarios/${scenario.id}`));
        return { icao, ...(scenario.overrides[icao] || {}) };
      },
    });
    if (done) {
      say(msg, `Saved the override of ${code} (scenario version ${scenario.version}).`, "ok");
      render();
    }
  }

  async function remove(icao) {
    if (!confirm(`Remove the override of ${icao} from ${scenario.name}?`)) return;
    const rest = { ...scenario.overrides };
    delete rest[icao];
    try {
      keep(await put(scenario, rest));
      say(msg, `Removed the override of ${icao}.`, "ok");
    } catch (err) {
      const who = changedBy(err);
      say(msg, who ? `Not removed: the scenario was ${who}: reload.` : `Not removed: ${err.message}`, "bad");
      keep(await api(`/api/scenarios/${scenario.id}`));
    }
    render();
  }

  function render() {
    const entries = Object.entries(scenario.overrides || {}).sort(([a], [b]) => a.localeCompare(b));
    add.hidden = !canEdit();
    if (!entries.length) {
      clear(tableBox, el("p", { class: "msg info", style: "margin: .6rem" }, `${scenario.name}: no airfield overrides.`));
      return;
    }
    const head = ["Airfield", "MOG", "Fuel", "Daylight", "Hours (UTC)", "Planning OAT", "Closed", "Notes"];
    if (canEdit()) head.push("Actions");
    clear(tableBox, el("table", { id: "overrides-table", class: "wide", style: "--table-min: 48rem" },
      el("thead", {}, el("tr", {}, head.map((h, i) => el("th", { scope: "col", class: i === 0 ? "sticky-col" : undefined }, h)))),
      el("tbody", {}, entries.map(([code, o]) => el("tr", {},
        el("th", { scope: "row", class: "sticky-col" }, code),
        el("td", { class: "num" }, o.mog == null ? "–" : `${num(o.mog)} aircraft`),
        el("td", {}, yesNo(o.fuel_available, "available", "none")),
        el("td", {}, yesNo(o.daylight_only, "daylight only", "day and night")),
        el("td", { class: "nowrap" }, o.hours_utc || "–"),
        el("td", { class: "num" }, o.oat_c == null ? "–" : `${num(o.oat_c)} °C`),
        el("td", {}, o.closed ? el("span", { class: "badge bad" }, "closed") : "–"),
        el("td", { class: "small" }, o.notes || ""),
        canEdit() ? el("td", { class: "actions" },
          el("button", { type: "button", class: "small", "aria-label": `Edit override of ${code}`, onclick: () => edit(code) }, "Edit"),
          el("button", { type: "button", class: "small danger", "aria-label": `Remove override of ${code}`, onclick: () => remove(code) }, "Remove"),
        ) : null,
      )))));
  }

  try {
    scenarios = asList(await api("/api/scenarios"), "scenarios").sort((a, b) => a.name.localeCompare(b.name));
  } catch (err) {
    say(msg, `Scenarios not loaded: ${err.message}`, "bad");
    return;
  }
  if (!scenarios.length) {
    clear(tableBox, el("p", { class: "msg info", style: "margin: .6rem" }, "No scenario yet: its overrides can be edited once one exists."));
    select.disabled = true;
    return;
  }
  clear(select, scenarios.map((s) => el("option", { value: s.id }, s.name)));
  scenario = scenarios[0];
  select.addEventListener("change", () => {
    scenario = scenarios.find((s) => String(s.id) === select.value);
    say(msg, "");
    render();
  });
  add.addEventListener("click", () => edit(null));
  render();
}
