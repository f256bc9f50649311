// Aircraft performance page: one type's headline figures, the five `airlift perf`
// calculators (the GET /api/perf/* endpoints, with the API's own parameter names), the
// payload-range chart drawn as inline SVG, and the published figures against the model.
// Answers are cached per type (and per question for the chart's curves).
import { ApiError, api, asList, clear, el, num, qty, say, svg } from "./app.js";

const DEFAULT_TYPE = "C-130H";
const SCHEDULES = ["mrc", "lrc", "mcr", "max-endurance"];

const typeSelect = document.getElementById("type");
const pageMsg = document.getElementById("page-msg");
const headline = document.getElementById("headline-body");
const chartBox = document.getElementById("chart");
const chartLegend = document.getElementById("chart-legend");
const figuresBox = document.getElementById("figures");
const figuresCount = document.getElementById("figures-count");
const forms = [...document.querySelectorAll("form[data-calc]")];

let current = ""; // the designator shown
let lastRange = null; // the range calculator's last answer, drawn on the chart
let chartData = null; // what the chart was last drawn from (redrawn on resize)

// ---------------------------------------------------------------- caching

const caches = { detail: new Map(), figures: new Map(), curves: new Map() };

/** One request per key for the page's life; a failed one is forgotten (asked again later). */
function cached(map, key, load) {
  if (!map.has(key)) {
    map.set(key, load().catch((err) => {
      map.delete(key);
      throw err;
    }));
  }
  return map.get(key);
}

const typePath = (d) => `/api/aircraft/${encodeURIComponent(d)}`;
const getDetail = (d) => cached(caches.detail, d, () => api(typePath(d)));
const getFigures = (d) => cached(caches.figures, d, () => api(`${typePath(d)}/figures`));
const getCurve = (d, speed) => cached(caches.curves, `${d}|${speed}`, () =>
  api(`/api/perf/payload-range?${new URLSearchParams({ type: d, speed })}`));

// ---------------------------------------------------------------- numbers and units

/** "NM (still air, brake release to landing)" -> ["NM", "still air, brake release to landing"]. */
function splitUnit(text) {
  const m = /^(.*?)\s*(?:\((.*)\))?$/.exec(text || "");
  return [m[1], m[2] || ""];
}

const DECIMALS = { NM: 0, kg: 0, m: 0, ft: 0, kt: 0, "kg/h": 0, min: 0, "°C": 0, h: 1, "%": 1 };

function decimalsFor(unit, value) {
  if (unit in DECIMALS) return DECIMALS[unit];
  const a = Math.abs(Number(value));
  return a >= 100 ? 0 : a >= 10 ? 1 : 2;
}

const signed = (value, decimals, unit) => {
  const v = Number(value);
  const sign = v > 0 ? "+" : v < 0 ? "−" : "±";
  return `${sign}${num(Math.abs(v), decimals)}${unit ? ` ${unit}` : ""}`;
};

function hoursMinutes(h) {
  const minutes = Math.round(Number(h) * 60);
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

/** A value of a perf answer as text with its unit (`units` is the answer's unit map). */
function valueText(key, value, units = {}) {
  if (value === null || value === undefined) return "–";
  if (key === "speed") return /^\d/.test(String(value)) ? `${value} kt TAS` : String(value);
  if (key === "surface") return String(value);
  if (key === "wet") return value ? "wet" : "dry";
  if (key === "cruise_fl" || key === "fl") return `FL${num(value)}`;
  if (key === "factor") return `×${num(value, 2)}`;
  if (key === "isa_dev_c") return `ISA ${signed(value, 0, "°C")}`;
  if (key === "time_h" || key === "endurance_h") return qty(value, "h", 1);
  const [unit] = splitUnit(units[key] || UNIT_OF[key] || "");
  return qty(value, unit, decimalsFor(unit, value));
}

const UNIT_OF = {
  payload_kg: "kg", fuel_kg: "kg", tow_kg: "kg", weight_kg: "kg", reserve_min: "min", fl: "FL",
  distance_nm: "NM", elevation_ft: "ft", oat_c: "°C", isa_dev_c: "°C",
};

const LABELS = {
  range_nm: "Range", time_h: "Flight time", endurance_h: "Endurance", tas_kt: "True airspeed",
  fuel_flow_kg_h: "Fuel flow", flyable: "Flyable", ground_roll_m: "Ground roll",
  distance_50ft_m: "Distance over 50 ft", balanced_field_m: "Balanced field length",
  landing_distance_m: "Factored landing distance", payload_kg: "Payload",
  fuel_kg: "Fuel at brake release", tow_kg: "Take-off weight", reserve_min: "Reserve",
  reserve_kg: "Reserve fuel", cruise_fl: "Cruise level", fl: "Level", speed: "Speed",
  cruise_tas_kt: "Cruise TAS", isa_dev_c: "Temperature", weight_kg: "Weight",
  elevation_ft: "Elevation", oat_c: "OAT", surface: "Surface", wet: "Runway", factor: "Factor",
  distance_nm: "Distance",
};

const CONTEXT = ["payload_kg", "fuel_kg", "tow_kg", "reserve_min", "reserve_kg", "cruise_fl", "speed", "cruise_tas_kt", "isa_dev_c"];
const FIELD = ["weight_kg", "elevation_ft", "oat_c", "surface", "wet"];
const ANSWERS = {
  range: { main: ["range_nm", "time_h"], rest: CONTEXT },
  endurance: { main: ["endurance_h"], rest: CONTEXT },
  cruise: { main: ["tas_kt", "fuel_flow_kg_h"], rest: ["weight_kg", "cruise_fl", "speed", "isa_dev_c"] },
  takeoff: { main: ["balanced_field_m", "distance_50ft_m", "ground_roll_m"], rest: FIELD },
  landing: { main: ["landing_distance_m", "distance_50ft_m", "ground_roll_m"], rest: [...FIELD, "factor"] },
};
const HOURS = new Set(["time_h", "endurance_h"]);
/** The answer compared with the runway of the airfield picked in the form. */
const RUNWAY_NEED = { takeoff: "balanced_field_m", landing: "landing_distance_m" };

// ---------------------------------------------------------------- type selector

async function loadTypes() {
  let types;
  try {
    types = asList(await api("/api/aircraft"), "aircraft");
  } catch (err) {
    say(pageMsg, `Aircraft types not loaded: ${err.message}`, "bad");
    return false;
  }
  const wanted = new URLSearchParams(location.search).get("type") || DEFAULT_TYPE;
  const hit = types.find((t) => [t.designator, ...(t.aliases || [])].some((n) => n.toLowerCase() === wanted.toLowerCase()))
    || types.find((t) => t.designator === DEFAULT_TYPE) || types[0];
  clear(typeSelect, types.map((t) => el("option", { value: t.designator, selected: t === hit }, `${t.designator} — ${t.name}`)));
  typeSelect.disabled = !types.length;
  typeSelect.addEventListener("change", () => selectType(typeSelect.value));
  if (hit) await selectType(hit.designator);
  return true;
}

async function selectType(designator) {
  current = designator;
  lastRange = null;
  const url = new URL(location.href);
  url.searchParams.set("type", designator);
  history.replaceState(null, "", url);
  for (const form of forms) resetCalc(form);
  say(pageMsg, "");
  await Promise.allSettled([showHeadline(designator), showFigures(designator), showChart(designator)]);
}

// ---------------------------------------------------------------- headline figures

function card(label, value, source) {
  return el("div", { class: "kv", title: source ? `source: ${source}` : undefined },
    el("dt", {}, label), el("dd", {}, value));
}

async function showHeadline(designator) {
  headline.setAttribute("aria-busy", "true");
  let d;
  try {
    d = await getDetail(designator);
  } catch (err) {
    if (designator === current) clear(headline, el("p", { class: "msg bad" }, `Type not loaded: ${err.message}`));
    return;
  } finally {
    headline.removeAttribute("aria-busy");
  }
  if (designator !== current) return;
  fillPlaceholders(d);
  const src = d.sources || {};
  const kg = (key) => qty(d[key], "kg");
  const cal = d.calibration || {};
  const calNames = { drag: "drag", induced: "induced drag", fuel: "fuel flow", power: "power", takeoff: "take-off", landing: "landing" };
  clear(headline,
    el("p", { class: "small muted type-line" },
      `${d.name} · ${d.propulsion} · ${d.military ? "military" : "civil"} · ${qty(d.pallet_positions, "pallet positions")} · ${qty(d.seats, "seats")}`
      + (d.unpaved_approved ? " · unpaved runways approved" : "")),
    el("dl", { class: "kvs" },
      card("MTOW", kg("mtow_kg"), src.mtow_kg),
      card("MLW", kg("mlw_kg"), src.mlw_kg),
      card("Assault landing weight", d.assault_landing_weight_kg == null ? "not published" : kg("assault_landing_weight_kg"), src.assault_landing_weight_kg),
      card("OEW", kg("oew_kg"), src.oew_kg),
      card("Max payload", kg("max_payload_kg"), src.max_payload_kg),
      card("ACL", d.acl_kg == null ? "not published" : kg("acl_kg"), src.acl_kg),
      card("Max fuel", kg("max_fuel_kg"), src.max_fuel_kg),
      card("Ceiling", qty(d.ceiling_ft, "ft"), src.ceiling_ft),
      card("Normal speed schedule", `${valueText("speed", d.normal_speed)} · cruise ${qty(d.cruise_tas_kt, "kt")} TAS`, src.cruise_tas_kt),
      card("Ground time, normal", qty(d.ground_time_min, "min"), src.ground_time_min),
      card("Ground time, expedited", qty(d.ground_time_expedited_min, "min"), src.ground_time_expedited_min),
      card("Ground time, ERO", qty(d.ground_time_ero_min, "min"), src.ground_time_ero_min)),
    el("p", { class: "small calibration" },
      el("strong", {}, "Calibration factors "),
      el("span", { class: "muted" }, "(fitted to the published figures; ×1 = public parameters as given): "),
      Object.entries(cal).map(([k, v], i) => [i ? " · " : "", `${calNames[k] || k} ×${num(v, 3)}`])));
}

function fillPlaceholders(d) {
  const set = (calc, name, text) => {
    const input = document.getElementById(`${calc}-${name}`);
    if (input) input.placeholder = text;
  };
  for (const calc of ["range", "endurance"]) set(calc, "payload_kg", `max ${num(d.max_payload_kg)}`);
  set("cruise", "weight_kg", `MTOW ${num(d.mtow_kg)}`);
  set("takeoff", "weight_kg", `MTOW ${num(d.mtow_kg)}`);
  set("landing", "weight_kg", `MLW ${num(d.mlw_kg)}`);
  for (const option of document.querySelectorAll("option[data-normal]")) {
    option.textContent = `normal (${valueText("speed", d.normal_speed)})`;
  }
}

// ---------------------------------------------------------------- calculators

function fieldOf(form, name) {
  return form.querySelector(`[data-field="${CSS.escape(name)}"]`);
}

function clearErrors(form) {
  for (const p of form.querySelectorAll(".field-error")) p.textContent = "";
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
  typeSelect.removeAttribute("aria-invalid");
}

/** Put a message under the field it names (the form's own line when it names none here). */
function fieldError(form, name, message) {
  const field = name && fieldOf(form, name);
  const slot = field ? field.querySelector(".field-error") : form.querySelector("[data-form-error]");
  slot.textContent = slot.textContent ? `${slot.textContent} ${message}` : message;
  if (!field) {
    if (name === "type") typeSelect.setAttribute("aria-invalid", "true");
    return null;
  }
  const tasBox = name === "speed" && form.querySelector("[data-tas]:not(:disabled)");
  const input = tasBox || field.querySelector("input, select");
  input.setAttribute("aria-invalid", "true");
  return input;
}

function resetCalc(form) {
  clearErrors(form);
  clear(form.closest(".calc").querySelector("[data-result]"));
}

/** The form as the API's query: empty boxes left out (the API's defaults apply). */
function queryOf(form) {
  const query = new URLSearchParams({ type: current });
  const problems = [];
  for (const input of form.querySelectorAll("[name]")) {
    if (input.disabled) continue;
    if (input.type === "checkbox") {
      if (input.checked) query.set(input.name, input.value);
    } else if (input.validity && input.validity.badInput) {
      problems.push([input.name, "Not a number."]);
    } else if (input.name === "speed" && input.value === "tas") {
      const tas = form.querySelector("[data-tas]").value.trim();
      if (tas) query.set("speed", tas);
      else problems.push(["speed", "Type the true airspeed in kt (40 to 600), or pick a schedule."]);
    } else if (input.value.trim() !== "") {
      query.set(input.name, input.value.trim());
    }
  }
  return { query, problems };
}

async function runCalc(form) {
  const calc = form.dataset.calc;
  const out = form.closest(".calc").querySelector("[data-result]");
  const button = form.querySelector("button[type=submit]");
  clearErrors(form);
  const { query, problems } = queryOf(form);
  if (problems.length) {
    const inputs = problems.map(([name, message]) => fieldError(form, name, message));
    (inputs.find(Boolean) || button).focus();
    return;
  }
  const type = current;
  out.setAttribute("aria-busy", "true");
  button.disabled = true;
  clear(out, el("p", { class: "muted small" }, "Computing…"));
  try {
    const answer = await api(`${form.dataset.endpoint}?${query}`);
    if (type !== current) return;
    clear(out, renderAnswer(calc, answer, form));
    if (calc === "range" && answer.range_nm != null) {
      lastRange = answer;
      redrawChart();
    }
  } catch (err) {
    if (type !== current) return;
    clear(out);
    showApiError(form, err);
  } finally {
    button.disabled = false;
    out.removeAttribute("aria-busy");
  }
}

function showApiError(form, err) {
  const body = err instanceof ApiError && err.body && typeof err.body === "object" ? err.body : {};
  if (!(err instanceof ApiError) || err.status !== 422) {
    fieldError(form, null, `Not answered: ${err.message}`);
    return;
  }
  // The first problem as `detail` next to `field`; a request that did not fit the schema
  // also lists the others in `fields`.
  const inputs = [fieldError(form, body.field, body.detail || err.message)];
  for (const f of (body.fields || []).slice(1)) inputs.push(fieldError(form, f.field, `${f.field}: ${f.message}`));
  const first = inputs.find(Boolean);
  if (first) first.focus();
}

function renderAnswer(calc, answer, form) {
  const units = answer.units || {};
  const spec = ANSWERS[calc];
  const main = el("dl", { class: "answer-main" }, spec.main.map((key) => {
    let [, note] = splitUnit(units[key]);
    if (HOURS.has(key) && answer[key] != null) note = `${hoursMinutes(answer[key])}; ${note}`;
    return el("div", { class: "kv", dataset: { key } },
      el("dt", {}, LABELS[key] || key),
      el("dd", {}, valueText(key, answer[key], units)),
      note ? el("dd", { class: "note" }, note) : null);
  }));
  const rest = el("dl", { class: "answer-rest small" }, spec.rest.filter((k) => k in answer).map((key) =>
    el("div", { title: units[key] || undefined }, el("dt", {}, LABELS[key] || key), el("dd", {}, valueText(key, answer[key], units)))));
  const notes = [];
  if (calc === "cruise" && answer.flyable === false) {
    notes.push("The schedule cannot be flown here (too heavy or too high): figures extrapolated.");
  }
  const runway = form.dataset.runwayM ? Number(form.dataset.runwayM) : null;
  const need = RUNWAY_NEED[calc] && answer[RUNWAY_NEED[calc]];
  let runwayLine = null;
  if (runway && need != null) {
    const fits = need <= runway;
    runwayLine = el("p", { class: `msg ${fits ? "ok" : "bad"} small` },
      `${LABELS[RUNWAY_NEED[calc]]} ${qty(need, "m")} ${fits ? "fits" : "exceeds"} the longest open runway at ${form.dataset.runwayAt}, ${qty(runway, "m")}.`);
  }
  const warnings = [...(answer.warnings || []), ...notes];
  return [
    el("p", { class: "small muted answer-for" }, `${answer.type}${answer.speed ? `, ${valueText("speed", answer.speed)}` : ""}`),
    main,
    runwayLine,
    warnings.length ? el("ul", { class: "msg warn small warnings", "aria-label": "Warnings" }, warnings.map((w) => el("li", {}, w))) : null,
    rest,
  ];
}

function wireCalc(form) {
  const speed = form.querySelector("[data-speed]");
  const tas = form.querySelector("[data-tas]");
  if (speed) {
    speed.addEventListener("change", () => {
      tas.disabled = speed.value !== "tas";
      tas.placeholder = tas.disabled ? "pick TAS first" : "e.g. 280";
      if (!tas.disabled) tas.focus();
    });
  }
  const airfield = form.querySelector("[data-airfield]");
  if (airfield) airfield.addEventListener("change", () => pickAirfield(form, airfield));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    runCalc(form);
  });
}

// ---------------------------------------------------------------- airfields (take-off, landing)

let airfieldsLoaded = false;
async function loadAirfieldList() {
  if (airfieldsLoaded) return;
  airfieldsLoaded = true;
  try {
    const list = asList(await api("/api/airfields"), "airfields");
    clear(document.getElementById("airfield-list"),
      list.map((a) => el("option", { value: a.icao }, `${a.name} (${a.icao})`)));
  } catch {
    // The datalist only helps typing: any ICAO code still works.
  }
}

async function pickAirfield(form, input) {
  const code = input.value.trim().toUpperCase();
  const note = fieldOf(form, "airfield").querySelector(".field-error");
  note.textContent = "";
  input.removeAttribute("aria-invalid");
  delete form.dataset.runwayM;
  delete form.dataset.runwayAt;
  if (!code) return;
  try {
    const af = await api(`/api/airfields/${encodeURIComponent(code)}`);
    const open = (af.runways || []).filter((r) => !r.closed && r.length_m);
    const longest = open.sort((a, b) => b.length_m - a.length_m)[0];
    form.querySelector("[name=elevation_ft]").value = String(Math.round(af.elevation_ft));
    if (longest) {
      form.querySelector("[name=surface]").value = longest.paved ? "paved" : "unpaved";
      form.dataset.runwayM = String(longest.length_m);
      form.dataset.runwayAt = af.icao;
    }
    const oat = af.planning && af.planning.planning_oat_c;
    form.querySelector("[name=oat_c]").placeholder = oat != null ? `ISA (planning ${num(oat)})` : "ISA";
    note.className = "field-hint";
    note.textContent = `${af.name}: ${qty(af.elevation_ft, "ft")}`
      + (longest ? `, longest open runway ${longest.ident} ${qty(longest.length_m, "m")} ${longest.paved ? "paved" : "unpaved"}` : ", no runway length known");
  } catch (err) {
    note.className = "field-error";
    const hint = err.body && err.body.suggestions && err.body.suggestions.length ? ` Did you mean ${err.body.suggestions.slice(0, 3).join(", ")}?` : "";
    note.textContent = `${err.message}.${hint}`;
    input.setAttribute("aria-invalid", "true");
  }
}

// ---------------------------------------------------------------- published figures

const ROLE_BADGE = { fitted: "fitted", "held out": "heldout", excluded: "neutral" };

function inputsText(inputs) {
  return Object.entries(inputs || {}).map(([k, v]) => `${(LABELS[k] || k).toLowerCase()} ${valueText(k, v)}`).join(", ");
}

async function showFigures(designator) {
  figuresBox.setAttribute("aria-busy", "true");
  let rows;
  try {
    rows = await getFigures(designator);
  } catch (err) {
    if (designator === current) {
      figuresCount.textContent = "";
      clear(figuresBox, el("p", { class: "msg bad" }, `Figures not loaded: ${err.message}`));
    }
    return;
  } finally {
    figuresBox.removeAttribute("aria-busy");
  }
  if (designator !== current) return;
  const counted = rows.filter((r) => r.role !== "excluded");
  const held = counted.filter((r) => r.role === "held out");
  const ok = (list) => list.filter((r) => r.within === true).length;
  const excluded = rows.length - counted.length;
  figuresCount.textContent = `${ok(counted)} of ${counted.length} within tolerance (held out: ${ok(held)} of ${held.length})`
    + (excluded ? `; ${excluded} excluded, not counted` : "");
  if (!rows.length) {
    clear(figuresBox, el("p", { class: "msg info" }, "No published figures in this type's file."));
    return;
  }
  const head = ["Kind", "Published", "Model", "Error", "Role", "Within tolerance", "Source", "Conditions"];
  clear(figuresBox, el("table", { id: "figures-table" },
    el("caption", { class: "visually-hidden" }, `Published figures of the ${designator} against the model`),
    el("thead", {}, el("tr", {}, head.map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, rows.map((r) => {
      const dec = decimalsFor(r.unit, r.value);
      // Highlighted: a figure the model should meet and misses; excluded ones are greyed.
      const beyond = r.within === false && r.role !== "excluded";
      // data-label: the column's name, shown beside the value where a phone stacks the cells.
      const cell = (i, attrs, ...children) => el("td", { ...attrs, "data-label": head[i] }, ...children);
      return el("tr", { class: [beyond ? "beyond" : "", r.role === "excluded" ? "excluded" : ""].join(" ").trim() || undefined },
        el("th", { scope: "row", class: "nowrap" }, r.kind.replaceAll("_", " ")),
        cell(1, { class: "num" }, qty(r.value, r.unit, dec)),
        r.model == null
          ? cell(2, { class: "small" }, el("span", { class: "badge neutral" }, "no answer"), el("div", { class: "muted" }, r.error || ""))
          : cell(2, { class: "num" }, qty(r.model, r.unit, dec)),
        cell(3, { class: `num${beyond ? " err-beyond" : ""}` },
          r.error_pct == null ? "–" : signed(r.error_pct, 1, "%"),
          el("span", { class: "small muted tolerance" }, ` (tolerance ±${num(r.tolerance_pct, 0)} %)`)),
        cell(4, {}, el("span", { class: `badge ${ROLE_BADGE[r.role] || "neutral"}` }, r.role)),
        cell(5, {}, r.within == null ? el("span", { class: "badge neutral" }, "no answer")
          : el("span", { class: `badge ${r.within ? "ok" : "bad"}` }, r.within ? "yes" : "no")),
        cell(6, { class: "nowrap" }, r.source),
        cell(7, { class: "small conditions" },
          r.excluded ? el("div", { class: "excluded-why" }, `Excluded: ${r.excluded}`) : null,
          r.conditions,
          Object.keys(r.inputs || {}).length ? el("div", { class: "muted" }, `Model inputs: ${inputsText(r.inputs)}`) : null),
      );
    }))));
}

// ---------------------------------------------------------------- payload-range chart

const CURVE_STYLE = {
  mrc: { color: "#1f5fa8", dash: "" },
  lrc: { color: "#c0392b", dash: "9 5" },
  mcr: { color: "#1e7d3c", dash: "12 4 3 4" },
  "max-endurance": { color: "#7b3fa0", dash: "2 4" },
};
const MARKS = {
  fitted: { color: "#1e7d3c", label: "published, fitted" },
  "held out": { color: "#c2570c", label: "published, held out" },
  excluded: { color: "#6b7785", label: "published, excluded" },
};

async function showChart(designator) {
  chartBox.setAttribute("aria-busy", "true");
  chartData = null;
  let done = 0;
  const progress = el("p", { class: "muted chart-loading" }, `Computing the payload–range curves… (0 of ${SCHEDULES.length})`);
  clear(chartBox, progress);
  clear(chartLegend);
  const curves = SCHEDULES.map((speed) => getCurve(designator, speed).then((c) => {
    done += 1;
    progress.textContent = `Computing the payload–range curves… (${done} of ${SCHEDULES.length})`;
    return c;
  }));
  const [got, figures] = await Promise.all([
    Promise.allSettled(curves),
    getFigures(designator).catch(() => []),
  ]);
  chartBox.removeAttribute("aria-busy");
  if (designator !== current) return;
  const ok = got.filter((g) => g.status === "fulfilled").map((g) => g.value);
  const failed = got.filter((g) => g.status === "rejected").map((g) => g.reason.message);
  if (!ok.length) {
    clear(chartBox, el("p", { class: "msg bad" }, `Curves not computed: ${failed[0] || "no answer"}`));
    return;
  }
  const points = figures.filter((f) => f.kind === "range" && f.unit === "NM").map((f) => ({
    x: f.value, y: (f.inputs && f.inputs.payload_kg) || 0, role: f.role, f,
  }));
  chartData = { designator, curves: ok, points, failed };
  redrawChart();
}

function niceStep(span, count) {
  const raw = span / Math.max(count, 1);
  const mag = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) || 10 * mag;
}

const ticks = (max, step) => Array.from({ length: Math.floor(max / step + 1e-9) + 1 }, (_, i) => i * step);

function redrawChart() {
  if (!chartData || chartData.designator !== current) return;
  const { curves, points, failed } = chartData;
  const width = Math.max(280, Math.floor(chartBox.clientWidth));
  const narrow = width < 560;
  const height = narrow ? 300 : 420;
  const m = { left: narrow ? 44 : 56, right: narrow ? 20 : 28, top: 12, bottom: 44 };
  const iw = width - m.left - m.right;
  const ih = height - m.top - m.bottom;
  const mine = lastRange && lastRange.type === current ? lastRange : null;

  const xs = [...curves.flatMap((c) => c.ranges_nm), ...points.map((p) => p.x), mine ? mine.range_nm : 0];
  const ys = [...curves.flatMap((c) => c.payloads_kg), ...points.map((p) => p.y), mine ? mine.payload_kg : 0];
  const xStep = niceStep(Math.max(...xs, 1), narrow ? 5 : 10);
  const yStep = niceStep(Math.max(...ys, 1) / 1000, 5);
  const xMax = Math.ceil((Math.max(...xs, 1) * 1.02) / xStep) * xStep;
  const yMax = Math.ceil((Math.max(...ys, 1) / 1000 * 1.04) / yStep) * yStep;
  const X = (nm) => m.left + (nm / xMax) * iw;
  const Y = (kg) => m.top + ih - (kg / 1000 / yMax) * ih;

  const grid = [
    ticks(xMax, xStep).map((v) => svg("g", { class: "tick" },
      svg("line", { x1: X(v), x2: X(v), y1: m.top, y2: m.top + ih, class: "grid" }),
      svg("text", { x: X(v), y: m.top + ih + 16, "text-anchor": "middle" }, num(v)))),
    ticks(yMax, yStep).map((v) => svg("g", { class: "tick" },
      svg("line", { x1: m.left, x2: m.left + iw, y1: Y(v * 1000), y2: Y(v * 1000), class: "grid" }),
      svg("text", { x: m.left - 6, y: Y(v * 1000) + 4, "text-anchor": "end" }, num(v, yStep < 1 ? 1 : 0)))),
    svg("rect", { x: m.left, y: m.top, width: iw, height: ih, class: "frame" }),
    svg("text", { x: m.left + iw / 2, y: height - 6, "text-anchor": "middle", class: "axis-label" }, "Range (NM, still air)"),
    svg("text", { x: 12, y: m.top + ih / 2, "text-anchor": "middle", class: "axis-label", transform: `rotate(-90 12 ${m.top + ih / 2})` }, "Payload (t)"),
  ];
  const lines = curves.map((c) => {
    const style = CURVE_STYLE[c.speed] || { color: "#1d2733", dash: "" };
    const path = c.ranges_nm.map((r, i) => `${i ? "L" : "M"}${X(r).toFixed(1)},${Y(c.payloads_kg[i]).toFixed(1)}`).join("");
    return svg("path", {
      d: path, class: `curve${c.normal ? " normal" : ""}`, stroke: style.color, "stroke-dasharray": style.dash || undefined,
      dataset: { speed: c.speed },
    }, svg("title", {}, `model, ${c.speed}${c.normal ? " (normal)" : ""}: ${curveSummary(c)}`));
  });
  const marks = points.map((p) => mark(p, X(p.x), Y(p.y)));
  const answer = mine ? svg("g", { class: "answer-mark" },
    svg("path", { d: diamond(X(mine.range_nm), Y(mine.payload_kg), 7) }),
    svg("title", {}, `your range answer: ${qty(mine.range_nm, "NM")} with ${qty(mine.payload_kg, "kg")} (${valueText("speed", mine.speed)})`)) : null;

  const normal = curves.find((c) => c.normal) || curves[0];
  const label = `Payload–range of the ${current}: ${curves.map((c) => `${c.speed}${c.normal ? " (normal)" : ""} ${curveSummary(c)}`).join("; ")}. `
    + `${points.length} published range figures marked.`;
  clear(chartBox,
    svg("svg", { width, height, viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": label }, grid, lines, marks, answer),
    failed.length ? el("p", { class: "msg warn small" }, `Some curves not computed: ${failed.join("; ")}`) : null);
  chartBox.dataset.ready = "true";
  chartBox.dataset.normal = normal ? normal.speed : "";
  drawLegend(curves, points, mine);
}

function curveSummary(c) {
  const top = c.payloads_kg[0];
  const atMax = c.ranges_nm.filter((_, i) => c.payloads_kg[i] >= top - 0.5);
  const ferry = c.ranges_nm[c.ranges_nm.length - 1];
  return `${qty(Math.max(...atMax), "NM")} with the max payload ${qty(top / 1000, "t", 1)}, ${qty(ferry, "NM")} with none`;
}

const diamond = (x, y, r) => `M${x},${y - r}L${x + r},${y}L${x},${y + r}L${x - r},${y}Z`;

function mark(p, x, y) {
  const f = p.f;
  const err = f.error_pct == null ? "no model answer" : `model ${qty(f.model, "NM")}, ${signed(f.error_pct, 1, "%")}`;
  const title = svg("title", {}, `published ${qty(f.value, "NM")} with ${qty(p.y, "kg")} (${f.role}, ${f.source}): ${err}`);
  const color = MARKS[p.role] ? MARKS[p.role].color : "#1d2733";
  const cls = `mark ${p.role.replace(" ", "-")}${f.within === false ? " beyond" : ""}`;
  if (p.role === "held out") {
    return svg("g", { class: cls }, svg("rect", { x: x - 5, y: y - 5, width: 10, height: 10, fill: color }), title);
  }
  if (p.role === "excluded") {
    return svg("g", { class: cls, stroke: color },
      svg("path", { d: `M${x - 5},${y - 5}L${x + 5},${y + 5}M${x - 5},${y + 5}L${x + 5},${y - 5}` }), title);
  }
  return svg("g", { class: cls }, svg("circle", { cx: x, cy: y, r: 5.5, fill: color }), title);
}

function drawLegend(curves, points, mine) {
  const lineKey = (style, normal) => svg("svg", { width: 30, height: 10, "aria-hidden": "true", class: "key" },
    svg("line", { x1: 1, x2: 29, y1: 5, y2: 5, stroke: style.color, "stroke-width": normal ? 3 : 2, "stroke-dasharray": style.dash || undefined }));
  const markKey = (role) => {
    const p = { role, f: { value: 0, role, source: "", error_pct: null }, y: 0 };
    const g = mark(p, 8, 6);
    g.querySelector("title").remove();
    return svg("svg", { width: 16, height: 12, "aria-hidden": "true", class: "key" }, g);
  };
  const roles = ["fitted", "held out", "excluded"].filter((r) => points.some((p) => p.role === r));
  clear(chartLegend,
    curves.map((c) => el("li", {}, lineKey(CURVE_STYLE[c.speed] || {}, c.normal), `model, ${c.speed}${c.normal ? " (normal)" : ""}`)),
    roles.map((r) => el("li", {}, markKey(r), `${MARKS[r].label} (${points.filter((p) => p.role === r).length})`)),
    mine ? el("li", {}, svg("svg", { width: 16, height: 14, "aria-hidden": "true", class: "key" }, svg("path", { d: diamond(8, 7, 6), class: "answer-mark" })),
      `your range answer (${qty(mine.range_nm, "NM")}, ${qty(mine.payload_kg / 1000, "t", 1)})`) : null);
}

let lastWidth = 0;
new ResizeObserver(() => {
  const w = Math.floor(chartBox.clientWidth);
  if (w !== lastWidth) {
    lastWidth = w;
    redrawChart();
  }
}).observe(chartBox);

// ---------------------------------------------------------------- start

for (const form of forms) wireCalc(form);
loadAirfieldList();
loadTypes().finally(() => {
  document.body.dataset.ready = "true";
});
