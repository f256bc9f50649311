// Plan page: one mission planned through POST /api/plan, as `airlift plan` plans it. The
// form holds no planning logic: it gathers the inputs, sends them, and shows what the API
// answers: the route on the map, the navigation log, fuel and weights per leg, every limit
// with its margin, and each violation (or refused input) beside the input that causes it.
import {
  ApiError, api, asList, clear, csrfToken, el, localInZone, minutesText, num, qty, qtyCell, say, utc,
} from "./app.js";
import { addBaseMap } from "./basemap.js";
import { addZones } from "./zones.js";

const L = window.L;
const REFERENCE = ["GABS", "GAGO", "GATS", "DRRN", "GABS"];
const form = document.getElementById("plan-form");
const stopsBox = document.getElementById("stops");
const loadsBody = document.getElementById("loads");
const formMsg = document.getElementById("form-msg");
const statusBox = document.getElementById("plan-status");
const $ = (id) => document.getElementById(id);

/** The route being edited: one entry per stop ({code, oat}); loads and winds one per leg. */
let stops = [];
let legs = [];
let manifestItems = [];
let lastBody = null;
let lastPlan = null;

// ------------------------------------------------------------------------------ inputs

function initialStops() {
  const given = new URLSearchParams(location.search).get("stops");
  const codes = given ? given.split(/[\s,]+/).filter(Boolean).slice(0, 30) : REFERENCE;
  stops = codes.map((code) => ({ code, oat: "" }));
  syncLegs();
}

function syncLegs() {
  const n = Math.max(stops.length - 1, 0);
  while (legs.length < n) legs.push({ cargo_kg: "", pallets: "", pax: "", wind: "" });
  legs.length = n;
}

let searchTimer = null;
function suggestAirfields(input, list) {
  clearTimeout(searchTimer);
  const q = input.value.trim();
  if (q.length < 2) return;
  searchTimer = setTimeout(async () => {
    try {
      const found = await api(`/api/airfields/search?q=${encodeURIComponent(q)}&limit=12`);
      clear(list, ...found.map((a) => el("option", {
        value: a.icao, label: `${a.icao}${a.iata ? ` / ${a.iata}` : ""} · ${a.name}${a.country ? ` (${a.country})` : ""}`,
      })));
    } catch { /* type-ahead only: the plan itself reports an unknown airfield */ }
  }, 200);
}

function renderStops() {
  const rows = stops.map((stop, i) => {
    const id = `stop-${i}`;
    const list = el("datalist", { id: `${id}-list` });
    const code = el("input", {
      type: "text", id, value: stop.code, list: `${id}-list`, autocomplete: "off", spellcheck: "false",
      size: "10", "aria-describedby": `${id}-err`, "aria-label": `Stop ${i + 1}: ICAO, IATA or name`,
      oninput: (e) => { stop.code = e.target.value; suggestAirfields(e.target, list); },
      onchange: () => renderLoads(),
    });
    const oat = el("input", {
      type: "number", id: `${id}-oat`, value: stop.oat, step: "1", min: "-60", max: "60",
      placeholder: "auto", "aria-label": `OAT at stop ${i + 1} (°C)`, "aria-describedby": `${id}-err`,
      oninput: (e) => { stop.oat = e.target.value; },
    });
    const move = (d) => () => {
      const j = i + d;
      if (j < 0 || j >= stops.length) return;
      [stops[i], stops[j]] = [stops[j], stops[i]];
      renderStops();
    };
    return el("li", { class: "stop", dataset: { stop: String(i) } },
      el("div", { class: "stop-row" },
        el("span", { class: "stop-n", "aria-hidden": "true" }, String(i + 1)),
        code, list,
        el("label", { class: "oat" }, oat, el("span", { class: "unit" }, "°C")),
        el("button", { type: "button", class: "small icon", title: "Move up", "aria-label": `Move stop ${i + 1} up`, onclick: move(-1), disabled: i === 0 }, "↑"),
        el("button", { type: "button", class: "small icon", title: "Move down", "aria-label": `Move stop ${i + 1} down`, onclick: move(1), disabled: i === stops.length - 1 }, "↓"),
        el("button", {
          type: "button", class: "small icon", title: "Remove", "aria-label": `Remove stop ${i + 1}`,
          disabled: stops.length <= 2,
          onclick: () => { stops.splice(i, 1); legs.splice(Math.min(i, legs.length - 1), 1); syncLegs(); renderStops(); },
        }, "×")),
      el("p", { class: "field-error", id: `${id}-err` }),
      el("div", { class: "suggestions", id: `${id}-sugg` }));
  });
  clear(stopsBox, ...rows);
  renderLoads();
}

function renderLoads() {
  syncLegs();
  const rows = legs.map((leg, i) => {
    const cell = (key, attrs) => el("td", {},
      el("input", {
        type: key === "wind" ? "text" : "number", id: `leg-${i}-${key}`, value: leg[key],
        "aria-label": `Leg ${i + 1} ${attrs.label}`, "aria-describedby": `leg-${i}-err`,
        ...attrs.input, oninput: (e) => { leg[key] = e.target.value; },
      }));
    const from = stops[i].code.trim().toUpperCase() || "?";
    const to = stops[i + 1].code.trim().toUpperCase() || "?";
    return [
      el("tr", { dataset: { leg: String(i) } },
        el("th", { scope: "row", class: "nowrap" }, `${i + 1} ${from}→${to}`),
        cell("cargo_kg", { label: "cargo (kg)", input: { min: "0", step: "100", placeholder: "0" } }),
        cell("pallets", { label: "pallets", input: { min: "0", step: "1", placeholder: "0" } }),
        cell("pax", { label: "passengers", input: { min: "0", step: "1", placeholder: "0" } }),
        cell("wind", { label: "wind (deg/kt)", input: { placeholder: "270/20", size: "7", spellcheck: "false" } })),
      el("tr", { class: "err-row" }, el("td", { colspan: "5" }, el("p", { class: "field-error", id: `leg-${i}-err` }))),
    ];
  });
  clear(loadsBody, ...rows.flat());
}

function loadMode() {
  return form.querySelector('input[name="load-mode"]:checked').value;
}

async function readManifest(file) {
  const box = $("manifest-items");
  manifestItems = [];
  clear(box);
  setError("manifest", "");
  if (!file) return;
  const data = new FormData();
  data.append("file", file);
  try {
    manifestItems = await api("/api/plan/manifest", { method: "POST", form: data });
  } catch (err) {
    setError("manifest", err.message);
    return;
  }
  clear(box, el("div", { class: "table-wrap" }, el("table", {},
    el("thead", {}, el("tr", {}, ...["Item", "From", "To", "Cargo", "Pallets", "Pax", "Description"].map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, ...manifestItems.map((it) => el("tr", {},
      el("td", {}, it.id), el("td", {}, it.origin), el("td", {}, it.destination),
      qtyCell(it.cargo_kg, "kg"), el("td", { class: "num" }, num(it.pallets)), el("td", { class: "num" }, num(it.pax)),
      el("td", {}, it.description || "")))))));
}

function policyValue() {
  const pick = $("policy").value;
  return pick === "custom" ? $("policy-custom").value.trim() : pick;
}

const blank = (v) => v === null || v === undefined || String(v).trim() === "";
const number = (v) => (blank(v) ? undefined : Number(v));

/** The POST /api/plan body; ``oatStops`` maps each ``oat`` entry back to its stop. */
function planBody() {
  const codes = stops.map((s) => s.code.trim());
  const oat = [];
  const oatStops = [];
  stops.forEach((s, i) => {
    if (!blank(s.oat)) { oat.push(`${codes[i].toUpperCase()}=${s.oat}`); oatStops.push(i); }
  });
  const winds = legs.map((l) => l.wind.trim());
  const body = {
    aircraft: $("aircraft").value.trim(),
    stops: codes,
    departure_utc: $("departure").value ? `${$("departure").value}Z` : "",
    policy: policyValue(),
    oat,
    metar: $("metar").value.split("\n").map((s) => s.trim()).filter(Boolean),
    wind: winds.some(Boolean) ? winds.map((w) => w || "0/0") : [],
    closed: $("closed").value.split(",").map((s) => s.trim()).filter(Boolean),
    isa_dev_c: number($("isa").value) ?? 0,
    duty_limit_h: number($("duty").value) ?? 16,
    extra_fuel_kg: number($("extra-fuel").value) ?? 0,
    ground_mode: $("ground-mode").value,
    payload_limit: $("payload-limit").value,
  };
  if (!blank($("fl").value)) body.fl = Number($("fl").value);
  if (!blank($("speed").value)) body.speed = $("speed").value.trim();
  if (!blank($("ground").value)) body.ground_time_min = Number($("ground").value);
  if (!blank($("operator").value)) body.operator = $("operator").value.trim().toUpperCase();
  if (!blank($("planning-date").value)) body.planning_date = $("planning-date").value;
  if (loadMode() === "manifest") {
    body.items = manifestItems;
  } else {
    body.loads = legs.map((l) => ({
      cargo_kg: number(l.cargo_kg) ?? 0, pallets: number(l.pallets) ?? 0, pax: number(l.pax) ?? 0,
    }));
  }
  return { body, oatStops };
}

// ------------------------------------------------------------------ errors at their inputs

const SIMPLE_FIELDS = {
  aircraft: "aircraft", departure_utc: "departure", policy: "policy", metar: "metar", closed: "closed",
  fl: "fl", speed: "speed", isa_dev_c: "isa", duty_limit_h: "duty", ground_time_min: "ground",
  ground_mode: "ground-mode", extra_fuel_kg: "extra-fuel", payload_limit: "payload-limit",
  items: "manifest", file: "manifest", operator: "operator", planning_date: "planning-date",
};

function setError(id, text) {
  const slot = $(`${id}-err`);
  if (slot) slot.textContent = text || "";
  const input = $(id);
  if (input && input.matches("input, select, textarea")) input.toggleAttribute("aria-invalid", Boolean(text));
}

function clearErrors() {
  for (const slot of form.querySelectorAll(".field-error")) slot.textContent = "";
  for (const bad of form.querySelectorAll("[aria-invalid]")) bad.removeAttribute("aria-invalid");
  for (const box of form.querySelectorAll(".suggestions")) clear(box);
  for (const mark of form.querySelectorAll(".violated")) mark.classList.remove("violated");
  say(formMsg, "");
}

/** The id of the input an error's ``field`` (``stops[2]``, ``loads[0].cargo_kg``...) names. */
function inputFor(field, oatStops) {
  if (!field) return null;
  let m = /^stops\[(\d+)\]/.exec(field);
  if (m) return `stop-${m[1]}`;
  m = /^loads\[(\d+)\](?:\.(\w+))?/.exec(field);
  if (m) return { slot: `leg-${m[1]}`, input: `leg-${m[1]}-${m[2] || "cargo_kg"}` };
  m = /^wind\[(\d+)\]/.exec(field);
  if (m) return { slot: `leg-${m[1]}`, input: `leg-${m[1]}-wind` };
  m = /^oat\[(\d+)\]/.exec(field);
  if (m && oatStops[Number(m[1])] !== undefined) {
    const i = oatStops[Number(m[1])];
    return { slot: `stop-${i}`, input: `stop-${i}-oat` };
  }
  const base = field.split(/[[.]/)[0];
  return SIMPLE_FIELDS[base] || (base === "stops" ? "stops" : null);
}

function showError(err, oatStops) {
  const body = err.body && typeof err.body === "object" ? err.body : {};
  const target = inputFor(body.field, oatStops);
  if (!target) {
    say(formMsg, err.message, "bad");
    return;
  }
  const slot = typeof target === "string" ? target : target.slot;
  const input = typeof target === "string" ? target : target.input;
  setError(slot, err.message);
  const field = $(input);
  if (field) {
    field.setAttribute("aria-invalid", "");
    field.focus();
    if (field.closest("details")) field.closest("details").open = true;
  }
  const sugg = $(`${slot}-sugg`);
  if (sugg && Array.isArray(body.suggestions) && body.suggestions.length) {
    const index = Number(slot.split("-")[1]);
    clear(sugg, el("span", { class: "small muted" }, "Did you mean "),
      ...body.suggestions.map((s) => el("button", {
        type: "button", class: "small link",
        onclick: () => { stops[index].code = s.split(" ")[0]; renderStops(); },
      }, s)));
  }
  say(formMsg, `Not planned: ${err.message}`, "bad");
}

/** Where each limit is set: the leg's load, the stop's runway or hours, or the crew duty. */
function violationInput(v) {
  const leg = v.leg;
  const text = String(v.message || "");
  switch (v.limit) {
    case "runway takeoff": return `stop-${leg}`;
    case "runway landing": return `stop-${leg + 1}`;
    case "daylight":
    case "hours": return text.includes("take-off at") ? `stop-${leg}` : `stop-${leg + 1}`;
    case "duty": return "duty";
    case "pallets": return `leg-${leg}-pallets`;
    case "seats": return `leg-${leg}-pax`;
    default: return `leg-${leg}-cargo_kg`;
  }
}

function markViolations(plan) {
  for (const v of plan.violations || []) {
    const id = violationInput(v);
    const slot = id.startsWith("leg-") ? `leg-${v.leg}` : id;
    const box = $(`${slot}-err`);
    if (box) box.textContent = [box.textContent, v.message].filter(Boolean).join(" · ");
    const input = $(id);
    if (input) input.classList.add("violated");
    if (id === "duty") $("more").open = true;
  }
}

// ---------------------------------------------------------------------------- results

let map = null;
let routeLayer = null;

function setupMap() {
  if (!L) return;
  map = L.map("plan-map", { zoomSnap: 0.25, minZoom: 2, maxZoom: 12, worldCopyJump: true });
  map.createPane("base").style.zIndex = 250;
  map.setView([16, 0], 4);
  L.control.scale({ imperial: true, metric: true }).addTo(map);
  routeLayer = L.layerGroup().addTo(map);
  addBaseMap(map, $("plan-map").dataset.tileUrl);
  addZones(map);
}

async function drawRoute(plan) {
  if (!map) return;
  routeLayer.clearLayers();
  const codes = [...new Set(plan.route)];
  const found = await Promise.all(codes.map((c) => api(`/api/airfields/${encodeURIComponent(c)}`).catch(() => null)));
  const where = new Map(found.filter(Boolean).map((a) => [a.icao, a]));
  const points = [];
  for (const leg of plan.legs) {
    const a = where.get(leg.origin);
    const b = where.get(leg.destination);
    if (!a || !b) continue;
    const colour = leg.feasible ? "#1f5fa8" : "#b3261e";
    // Along the routed path where the leg was flown around zones, else the straight line.
    const path = Array.isArray(leg.route) && leg.route.length > 1 ? leg.route : [[a.lat, a.lon], [b.lat, b.lon]];
    const detour = leg.detour_nm > 0 ? `, detour ${qty(leg.detour_nm, "NM", 1)} around ${(leg.zones_avoided || []).join(", ")}` : "";
    L.polyline(path, { color: colour, weight: 4, opacity: 0.85, className: "plan-leg" })
      .bindTooltip(`Leg ${leg.number} ${leg.origin}→${leg.destination}: ${qty(leg.dist_nm, "NM")}, ${minutesText(leg.flight_time_min)}, FL${leg.cruise_fl}${detour}`)
      .addTo(routeLayer);
    points.push(...path);
  }
  for (const a of where.values()) {
    L.circleMarker([a.lat, a.lon], { radius: 6, color: "#17324d", fillColor: "#fff", fillOpacity: 1, weight: 2 })
      .bindTooltip(`${a.icao} ${a.name}`, { permanent: true, direction: "right", className: "plan-stop-label" })
      .addTo(routeLayer);
  }
  if (points.length) map.fitBounds(points, { padding: [30, 30], maxZoom: 7 });
}

/** "1:54": hours and minutes, for tables whose header says (h:mm). */
function hm(min) {
  if (min === null || min === undefined) return "–";
  const m = Math.round(Number(min));
  return `${Math.floor(m / 60)}:${String(m % 60).padStart(2, "0")}`;
}

const td = (text, cls) => el("td", cls ? { class: cls } : {}, text);
const th = (text, unit) => el("th", { scope: "col" }, text, unit ? el("span", { class: "unit" }, ` (${unit})`) : "");

function timeCell(iso, tz) {
  return el("td", { class: "nowrap" }, utc(iso, false), el("br"), el("span", { class: "small muted" }, localInZone(iso, tz) || ""));
}

function bindingCell(leg) {
  const digits = leg.margin_unit === "kg" || leg.margin_unit === "m" ? 0 : 1;
  return el("td", { class: leg.feasible ? "" : "bad" },
    leg.binding_limit || "–", el("br"),
    el("span", { class: "small muted" }, `margin ${qty(leg.margin, leg.margin_unit || "", digits)}`));
}

function renderNavlog(plan) {
  clear($("navlog"),
    el("thead", {}, el("tr", {}, th("Leg"), th("ETD", "UTC / local"), th("ETA", "UTC / local"), th("Dist", "NM"),
      th("FL"), th("Flight", "h:mm"), th("Trip fuel", "kg"), th("Reserve", "kg"), th("Landing fuel", "kg"),
      th("TOW", "kg"), th("Payload", "kg"), th("Binding limit"))),
    el("tbody", {}, ...plan.legs.map((leg) => el("tr", { class: leg.feasible ? "" : "infeasible" },
      el("th", { scope: "row", class: "nowrap" }, `${leg.number} ${leg.origin}→${leg.destination}`),
      timeCell(leg.etd_utc, leg.origin_tz), timeCell(leg.eta_utc, leg.destination_tz),
      qtyCell(leg.dist_nm, "NM"), td(`FL${leg.cruise_fl}`, "num"), td(hm(leg.flight_time_min), "num"),
      qtyCell(leg.trip_fuel_kg, "kg"), qtyCell(leg.reserve_fuel_kg, "kg"), qtyCell(leg.landing_fuel_kg, "kg"),
      qtyCell(leg.tow_kg, "kg"), qtyCell(leg.payload_kg, "kg"), bindingCell(leg)))));
}

function renderWeights(plan) {
  clear($("weights"),
    el("thead", {}, el("tr", {}, th("Leg"), th("Uplift", "kg"), th("Ramp fuel", "kg"), th("Climb", "kg"),
      th("Cruise", "kg"), th("Descent", "kg"), th("Contingency", "kg"), th("Alternate", "kg"), th("Final reserve", "kg"),
      th("Tankered", "kg"), th("ZFW", "kg"), th("LW", "kg"), th("Alternate"), th("Runways"))),
    el("tbody", {}, ...plan.legs.map((leg) => el("tr", {},
      el("th", { scope: "row", class: "nowrap" }, `${leg.number} ${leg.origin}→${leg.destination}`),
      qtyCell(leg.uplift_kg, "kg"), qtyCell(leg.ramp_fuel_kg, "kg"), qtyCell(leg.climb_fuel_kg, "kg"),
      qtyCell(leg.cruise_fuel_kg, "kg"), qtyCell(leg.descent_fuel_kg, "kg"), qtyCell(leg.contingency_fuel_kg, "kg"),
      qtyCell(leg.alternate_fuel_kg, "kg"), qtyCell(leg.final_reserve_kg, "kg"), qtyCell(leg.tankered_kg, "kg"),
      qtyCell(leg.zfw_kg, "kg"), qtyCell(leg.lw_kg, "kg"),
      el("td", { title: leg.alternate_reason || "" }, leg.alternate ? `${leg.alternate} (${qty(leg.alternate_nm, "NM")})` : "none"),
      td(`${leg.takeoff_runway || "–"} / ${leg.landing_runway || "–"}`)))));
}

function renderLimits(plan) {
  clear($("limits"), ...plan.legs.map((leg) => el("details", { class: "leg-limits", open: !leg.feasible },
    el("summary", {}, `Leg ${leg.number} ${leg.origin}→${leg.destination}: `,
      leg.feasible ? el("span", { class: "badge ok" }, "within limits") : el("span", { class: "badge bad" }, "limit broken"),
      ` binding ${leg.binding_limit || "–"}`),
    el("div", { class: "table-wrap" }, el("table", {},
      el("thead", {}, el("tr", {}, th("Limit"), th("Limit value"), th("Actual"), th("Margin"), th("Detail"))),
      el("tbody", {}, ...leg.limits.map((lim) => {
        const digits = lim.unit === "kg" || lim.unit === "m" ? 0 : 1;
        return el("tr", { class: lim.violated ? "violated-row" : "" },
          td(lim.name), td(qty(lim.limit, lim.unit, digits), "num"), td(qty(lim.actual, lim.unit, digits), "num"),
          td(qty(lim.margin, lim.unit, digits), `num ${lim.violated ? "bad" : ""}`), td(lim.detail || ""));
      })))))));
}

/** The diplomatic clearances the plan needs (the brief adds the stored clearance numbers). */
function renderClearances(plan) {
  const needed = plan.clearances || [];
  if (!needed.length) {
    clear($("clearances-needed"));
    return;
  }
  const head = ["Country", "Kind", "First use", "Request by", "In time"];
  clear($("clearances-needed"), el("h3", {}, "Diplomatic clearances"),
    el("div", { class: "table-wrap" }, el("table", { id: "clearance-needs" },
      el("thead", {}, el("tr", {}, head.map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, needed.map((c) => el("tr", {},
        el("td", {}, el("strong", {}, c.country)), el("td", {}, c.kind), el("td", {}, utc(c.first_use_utc)),
        el("td", {}, `${c.latest_request_date} (${c.lead_days} days)`),
        el("td", {}, c.obtainable ? el("span", { class: "badge ok" }, "yes") : el("span", { class: "badge bad" }, "NO"))))))),
    el("p", { class: "small muted" }, "The printable brief shows the clearance numbers recorded on the Airspace page."));
}

function renderResult(plan) {
  lastPlan = plan;
  $("result-empty").hidden = true;
  $("result").hidden = false;
  $("result-title").textContent = `${plan.tail ? `${plan.tail} · ` : ""}${plan.aircraft}: ${plan.route.join(" → ")}`;
  $("result-sub").textContent = `Off-block ${utc(plan.departure_utc)} · fuel policy ${plan.fuel_policy.name}: ${plan.fuel_policy.description}`;
  const broken = plan.violations || [];
  say($("verdict"), plan.feasible
    ? "Feasible: every leg within its limits."
    : `Infeasible: ${broken.length} limit${broken.length === 1 ? "" : "s"} broken (marked at the inputs that set them).`,
  plan.feasible ? "ok" : "bad");
  clear($("violations"), ...broken.map((v) => el("li", {},
    el("strong", {}, v.limit), `: ${v.message} (exceeded by ${qty(v.excess, v.unit, v.unit === "kg" ? 0 : 1)})`)));
  const t = plan.totals;
  const duty = plan.duty || {};
  clear($("totals"), ...[
    ["Distance", qty(t.dist_nm, "NM")], ["Flight time", minutesText(t.flight_time_min)],
    ["Block time", minutesText(t.block_time_min)], ["Trip fuel", qty(t.trip_fuel_kg, "kg")],
    ["Uplift", qty(t.uplift_kg, "kg")],
    ["Crew duty", `${minutesText(duty.minutes)} of ${qty((duty.limit_min || 0) / 60, "h", 1)}`],
  ].map(([k, v]) => el("div", { class: "kpi" }, el("div", { class: "v" }, v), el("div", { class: "k" }, k))));
  renderNavlog(plan);
  renderWeights(plan);
  renderLimits(plan);
  clear($("warnings"), ...(plan.warnings || []).map((w) => el("p", { class: "msg warn" }, w)));
  renderClearances(plan);
  markViolations(plan);
  drawRoute(plan);
  const [first, second] = plan.route;
  if (!$("ml-origin").value) $("ml-origin").value = first;
  if (!$("ml-destination").value) $("ml-destination").value = second;
}

async function submitPlan(event) {
  event.preventDefault();
  clearErrors();
  const { body, oatStops } = planBody();
  say(statusBox, "");
  statusBox.textContent = "Planning…";
  const url = new URL(location.href);
  url.searchParams.set("stops", body.stops.join(","));
  history.replaceState(null, "", url);
  try {
    const plan = await api("/api/plan", { method: "POST", json: body });
    lastBody = body;
    statusBox.textContent = `Planned at ${new Date().toISOString().slice(11, 19)}Z`;
    renderResult(plan);
  } catch (err) {
    statusBox.textContent = "";
    if (err instanceof ApiError) showError(err, oatStops);
    else say(formMsg, err.message, "bad");
  }
}

// ---------------------------------------------------------------------- exports, max load

async function exportPlan(fmt) {
  if (!lastBody) return;
  const path = fmt === "brief" ? "/api/plan/brief" : `/api/plan/export/${fmt}`;
  const resp = await fetch(path, {
    method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken() },
    body: JSON.stringify(lastBody),
  });
  if (!resp.ok) {
    const body = await resp.json().catch(() => ({}));
    say(formMsg, body.detail || `export failed: HTTP ${resp.status}`, "bad");
    return;
  }
  const blob = await resp.blob();
  const href = URL.createObjectURL(blob);
  if (fmt === "brief") {
    window.open(href, "_blank", "noopener");
  } else {
    const disposition = resp.headers.get("content-disposition") || "";
    const name = /filename="([^"]+)"/.exec(disposition);
    const a = el("a", { href, download: name ? name[1] : `plan.${fmt}` });
    document.body.append(a);
    a.click();
    a.remove();
  }
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}

async function askMaxLoad(event) {
  event.preventDefault();
  for (const id of ["ml-origin", "ml-destination", "ml-then"]) setError(id, "");
  const box = $("maxload-result");
  clear(box);
  say($("maxload-msg"), "");
  const { body } = planBody();
  const ask = {
    aircraft: body.aircraft, origin: $("ml-origin").value.trim(), destination: $("ml-destination").value.trim(),
    departure_utc: body.departure_utc, policy: body.policy, metar: body.metar,
    oat: stops.filter((s) => !blank(s.oat)).map((s) => `${s.code.trim().toUpperCase()}=${s.oat}`)
      .filter((o) => [$("ml-origin").value, $("ml-destination").value].some((c) => o.startsWith(`${c.trim().toUpperCase()}=`))),
  };
  if ($("ml-then").value.trim()) ask.then = $("ml-then").value.trim();
  try {
    const r = await api("/api/maxload", { method: "POST", json: ask });
    const rows = Object.entries(r.by_limit).sort((a, b) => (a[1] ?? Infinity) - (b[1] ?? Infinity));
    clear(box,
      el("p", {}, el("strong", {}, qty(r.payload_kg, "kg")), ` from ${ask.origin.toUpperCase()} to ${ask.destination.toUpperCase()}; binding limit: `,
        el("strong", {}, r.binding_limit)),
      el("div", { class: "table-wrap" }, el("table", {},
        el("thead", {}, el("tr", {}, th("Limit"), th("Most payload it allows", "kg"))),
        el("tbody", {}, ...rows.map(([name, kg]) => el("tr", {}, td(name), td(kg === null ? "no bound" : qty(kg, "kg"), "num")))))));
  } catch (err) {
    const field = err.body && err.body.field;
    const id = { origin: "ml-origin", destination: "ml-destination", then: "ml-then" }[field];
    if (id) setError(id, err.message);
    else say($("maxload-msg"), err.message, "bad");
  }
}

// ------------------------------------------------------------------------------ start

async function start() {
  initialStops();
  renderStops();
  setupMap();
  const [types, tails] = await Promise.all([
    api("/api/aircraft").catch(() => []), api("/api/tails").catch(() => []),
  ]);
  clear($("aircraft-list"),
    ...asList(types).map((t) => el("option", { value: t.designator, label: t.name })),
    ...asList(tails).map((t) => el("option", { value: t.registration, label: `${t.registration}: ${t.aircraft_type} (${t.nation})` })));
  $("policy").addEventListener("change", () => {
    $("policy-custom").hidden = $("policy").value !== "custom";
    $("policy-hint").textContent = $("policy").selectedOptions[0].title || "";
  });
  $("policy-hint").textContent = $("policy").selectedOptions[0].title || "";
  $("add-stop").addEventListener("click", () => { stops.push({ code: "", oat: "" }); renderStops(); $(`stop-${stops.length - 1}`).focus(); });
  $("reverse").addEventListener("click", () => { stops.reverse(); legs.reverse(); renderStops(); });
  for (const radio of form.querySelectorAll('input[name="load-mode"]')) {
    radio.addEventListener("change", () => {
      $("legs-box").hidden = loadMode() !== "legs";
      $("manifest-box").hidden = loadMode() !== "manifest";
    });
  }
  $("manifest").addEventListener("change", (e) => readManifest(e.target.files[0]));
  form.addEventListener("submit", submitPlan);
  $("maxload-form").addEventListener("submit", askMaxLoad);
  for (const b of document.querySelectorAll("[data-export]")) b.addEventListener("click", () => exportPlan(b.dataset.export));
  if (new URLSearchParams(location.search).has("go")) form.requestSubmit();
  document.body.dataset.ready = "true";
}

start();
