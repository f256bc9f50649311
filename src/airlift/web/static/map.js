// Map page: the offline base map (Natural Earth land and borders from world-atlas, or a tile
// server when the settings name one), theatre airfields coloured by fuel / daylight-only,
// the selected run's legs as one polyline per leg in the tail's colour, and the stored ADS-B
// tracks of its days (GET /api/actuals/tracks) as dashed lines in the same colours; the
// stored airspace zones (GET /api/zones.geojson) as translucent red polygons, and each leg
// along its routed path (the plan's ``route`` points) where it was flown around them.
import {
  api, asList, airfieldsByIcao, briefHref, clear, el, minutesText, missionHref, planning, qty, runPicker, runResult, runId, tailColours, utc, utcLocal,
} from "./app.js";
import { addBaseMap } from "./basemap.js";
import { addZones } from "./zones.js";

const L = window.L;
const mapEl = document.getElementById("map");
const msg = document.getElementById("map-msg");
const tailsBox = document.getElementById("tails");
const daySelect = document.getElementById("day");
const runNote = document.getElementById("run-note");
const baseNote = document.getElementById("basemap-note");
const trackNote = document.getElementById("track-note");
const zoneNote = document.getElementById("zone-note");
const TRACK_GREY = "#59636e"; // a tail seen by ADS-B but flying no mission of the run

const FUEL = "#2e9e4f";
const NO_FUEL = "#f08a24";
const DAYLIGHT_RING = "#5b2a86";

function showMessage(text) {
  msg.hidden = !text;
  msg.textContent = text || "";
}

let map = null;
let routeLayer = null;
let airfields = new Map();
let scenarios = [];
const hiddenTails = new Set();
let current = null; // { run, doc, geo, colours, tracks }

function setupMap() {
  map = L.map(mapEl, { zoomSnap: 0.25, minZoom: 2, maxZoom: 12, worldCopyJump: true });
  map.createPane("base").style.zIndex = 250;
  map.createPane("routes").style.zIndex = 420;
  map.createPane("airfields").style.zIndex = 460;
  map.setView([16, 0], 5);
  L.control.scale({ imperial: true, metric: true }).addTo(map);
  map.createPane("tracks").style.zIndex = 430;
  map.createPane("zones").style.zIndex = 400;
  routeLayer = L.layerGroup().addTo(map);
}

async function baseMap() {
  baseNote.textContent = await addBaseMap(map, mapEl.dataset.tileUrl);
}

function airfieldDetails(af, p) {
  const lines = [
    `${af.icao}${af.name ? ` · ${af.name}` : ""}`,
    p.fuel_available ? "Fuel available" : "No fuel",
    p.daylight_only ? "Daylight-only operations" : "Day and night operations",
    `MOG ${p.mog ?? "–"} aircraft on the ground at once`,
  ];
  if (af.elevation_ft != null) lines.push(`Elevation ${qty(af.elevation_ft, "ft")}`);
  if (Array.isArray(p.hours_utc) && p.hours_utc.length === 2) lines.push(`Open ${p.hours_utc[0]}–${p.hours_utc[1]} UTC`);
  if (p.closed) lines.push("CLOSED: every runway closed");
  if (p.scenarioNote) lines.push(`Scenario: ${p.scenarioNote}`);
  return lines;
}

let airfieldLayer = null;

/** Airfield markers with the planning attributes of the selected run's scenario on top. */
function drawAirfields(overrides = {}) {
  if (airfieldLayer) airfieldLayer.remove();
  const renderer = L.svg({ pane: "airfields" });
  const layer = L.layerGroup();
  for (const af of airfields.values()) {
    if (af.lat == null || af.lon == null) continue;
    const o = overrides[af.icao] || {};
    const p = { ...planning(af) };
    for (const key of ["fuel_available", "daylight_only", "mog", "closed"]) if (o[key] != null) p[key] = o[key];
    if (o.notes) p.scenarioNote = o.notes;
    const pos = [af.lat, af.lon];
    const lines = airfieldDetails(af, p);
    if (p.daylight_only) {
      L.circleMarker(pos, {
        pane: "airfields", renderer, radius: 11, fill: false, color: DAYLIGHT_RING, weight: 3,
        interactive: false, className: "airfield-ring",
      }).addTo(layer);
    }
    const content = () => el("div", { class: "af-tip" }, lines.map((l, i) => (i ? el("div", {}, l) : el("strong", {}, l))));
    L.circleMarker(pos, {
      pane: "airfields", renderer, radius: 7, color: "#1d2733", weight: 1.2,
      fillColor: p.fuel_available ? FUEL : NO_FUEL, fillOpacity: 0.95, className: "airfield",
    }).bindTooltip(content(), { direction: "top", offset: [0, -8] }).addTo(layer);
    // The ICAO label is a keyboard-focusable marker: Tab to it, Enter opens the details.
    const label = L.marker(pos, {
      pane: "airfields", keyboard: true, title: lines.join("\n"),
      icon: L.divIcon({ className: "airfield-label", html: "", iconSize: [40, 14], iconAnchor: [-10, 7] }),
    });
    label.on("add", (e) => {
      const node = e.target.getElement();
      node.textContent = af.icao;
      node.setAttribute("aria-label", lines.join(", "));
      node.setAttribute("role", "button");
    });
    label.bindPopup(content()).addTo(layer);
  }
  airfieldLayer = layer.addTo(map);
}

// ---------------------------------------------------------------- the run's routes

/** "UN1863 class 3, 10,800 kg (R007)" for each hazardous lift on board during the leg. */
function dangerousGoods(mission, leg) {
  const i = leg.index ?? leg.number - 1;
  return (mission.lifts || [])
    .filter((l) => l.hazardous && l.pickup_leg <= i && i <= l.delivery_leg)
    .map((l) => `${l.un_number || "UN number not given"} class ${l.dg_class || "not given"}, ${qty(l.cargo_kg, "kg")} (${l.request_id})`);
}

function legPopup(run, doc, mission, index, leg) {
  const n = mission.plan.legs.length;
  const rows = [
    ["ETD", utcLocal(leg.etd_utc, leg.etd_local)],
    ["ETA", utcLocal(leg.eta_utc, leg.eta_local)],
    ["Distance", qty(leg.dist_nm, "NM", 1)],
    ["Flight time", minutesText(leg.flight_time_min)],
    ["Load", `${qty(leg.cargo_kg, "kg")} · ${qty(leg.pallets, "pallets")} · ${qty(leg.pax, "pax")}`],
    ["Trip fuel", qty(leg.trip_fuel_kg, "kg")],
    ["Fuel uplift", qty(leg.uplift_kg, "kg")],
    ["Take-off weight", qty(leg.tow_kg, "kg")],
    ["Binding limit", `${leg.binding_limit || "–"}, margin ${qty(leg.margin, leg.margin_unit || "", 1)}`],
  ];
  const goods = dangerousGoods(mission, leg);
  if (goods.length) rows.push(["Dangerous goods", goods.join("; ")]);
  return el("div", { class: "leg-popup" },
    el("h3", {}, `${mission.tail} · leg ${leg.number ?? leg.index + 1} of ${n}: ${leg.origin} → ${leg.destination}`),
    el("div", { class: "small muted" }, `${mission.aircraft} · ${mission.nation} · day ${mission.day} (${mission.date})`),
    leg.feasible === false ? el("div", { class: "badge bad" }, "breaks a limit") : "",
    el("table", {}, el("tbody", {}, rows.map(([k, v]) => el("tr", {}, el("th", {}, k), el("td", {}, v))))),
    el("div", { class: "row tight small" },
      el("a", { href: missionHref(runId(run), index) }, "Mission page"),
      el("a", { href: briefHref(runId(run), index), target: "_blank", rel: "noopener" }, "Printable brief")),
  );
}

/** Points of a leg: its routed path (around zones) when the plan has one, else the export's
 * geodesic track, else the straight line. */
function legPoints(geo, mission, leg) {
  if (Array.isArray(leg.route) && leg.route.length > 2) return [leg.route];
  const f = geo.get(`${mission.tail}-day-${mission.day}-leg-${leg.number ?? leg.index + 1}`);
  if (f && f.geometry) {
    const flip = (c) => c.map(([x, y]) => [y, x]);
    if (f.geometry.type === "LineString") return [flip(f.geometry.coordinates)];
    if (f.geometry.type === "MultiLineString") return f.geometry.coordinates.map(flip);
  }
  const a = airfields.get(leg.origin);
  const b = airfields.get(leg.destination);
  if (!a || !b) return [];
  return [[[a.lat, a.lon], [b.lat, b.lon]]];
}

const legsBox = document.getElementById("legs");

/** A button that shows a drawn line and opens its popup: the keyboard way to its figures. */
function lineButton(line, pts, colour, text) {
  return el("li", {}, el("button", {
    type: "button", class: "small",
    onclick: () => {
      const mid = pts[Math.floor(pts.length / 2)];
      map.panTo(mid);
      line.openPopup(mid);
    },
  }, el("span", { class: "line-key", style: `background:${colour}` }), text));
}

/** The selected day's legs, then its tracks as flown, as buttons. */
function listLegs(lines, flown) {
  if (!daySelect.value) {
    clear(legsBox, el("p", { class: "muted" }, "Pick a day to list its legs here (keyboard: Enter opens a leg's figures)."));
    return;
  }
  if (!lines.length) {
    clear(legsBox, el("p", { class: "muted" }, "No legs on this day."));
    return;
  }
  const colour = (tail) => current.colours.get(tail) || TRACK_GREY;
  clear(legsBox,
    el("ul", { class: "leg-list" }, lines.map(({ mission, leg, line, pts }) => lineButton(line, pts,
      colour(mission.tail), `${utc(leg.etd_utc, false)} ${mission.tail} ${leg.origin} → ${leg.destination}`))),
    flown.length ? el("p", { class: "small muted" }, "As flown (ADS-B):") : "",
    flown.length ? el("ul", { class: "leg-list track-list" }, flown.map(({ p, line, pts }) => lineButton(line, pts,
      colour(p.tail), `${utc(p.off_utc || p.seen_from_utc || p.time_utc[0], false)} ${p.tail} ${p.origin || "?"} → ${p.destination || "?"} as flown`))) : "");
}

function drawRoutes() {
  routeLayer.clearLayers();
  if (!current || !map) return;
  const drawn = [];
  const { run, doc, geo, colours } = current;
  const day = daySelect.value;
  const renderer = L.svg({ pane: "routes" });
  const bounds = [];
  doc.missions.forEach((mission, index) => {
    if (hiddenTails.has(mission.tail) || (day && String(mission.day) !== day)) return;
    for (const leg of mission.plan.legs) {
      for (const pts of legPoints(geo, mission, leg)) {
        // A pale casing under the dashes: a track flown along its planned leg stays visible on it.
    L.polyline(pts, {
      pane: "tracks", renderer, color: "#ffffff", weight: 5, opacity: 0.8, interactive: false, className: "track-casing",
    }).addTo(routeLayer);
    const line = L.polyline(pts, {
          pane: "routes", renderer, color: colours.get(mission.tail), weight: 3.5, opacity: 0.85,
          className: `leg-line${leg.feasible === false ? " leg-bad" : ""}`, dashArray: leg.feasible === false ? "6 4" : null,
        });
        line.bindPopup(() => legPopup(run, doc, mission, index, leg), { maxWidth: 360 });
        line.bindTooltip(`${mission.tail}: ${leg.origin} → ${leg.destination}, ${utc(leg.etd_utc)}`, { sticky: true });
        line.on("mouseover", () => line.setStyle({ weight: 6, opacity: 1 }));
        line.on("mouseout", () => line.setStyle({ weight: 3.5, opacity: 0.85 }));
        line.addTo(routeLayer);
        drawn.push({ mission, leg, line, pts });
        bounds.push(...pts);
      }
    }
  });
  const flown = drawTracks(L.svg({ pane: "tracks" }), day, bounds);
  // Not animated: the view is final at once (a click right after a day change hits the leg).
  if (bounds.length) map.fitBounds(bounds, { padding: [30, 30], maxZoom: 7, animate: false });
  drawn.sort((a, b) => Date.parse(a.leg.etd_utc) - Date.parse(b.leg.etd_utc));
  flown.sort((a, b) => Date.parse(a.p.time_utc[0]) - Date.parse(b.p.time_utc[0]));
  listLegs(drawn, flown);
  showMessage(bounds.length ? "" : "No legs for this selection.");
}

/** The popup of a track as flown: tail, airfields, times seen and the source. */
function trackPopup(p) {
  const airfield = (code, unseen) => code || unseen;
  const rows = [
    ["Take-off", p.off_utc ? utc(p.off_utc) : "not seen"],
    ["Landing", p.on_utc ? utc(p.on_utc) : "not seen"],
  ];
  if (p.seen_from_utc) rows.push(["Seen in the air", `${utc(p.seen_from_utc)} to ${utc(p.seen_until_utc)}`]);
  const alts = p.altitude_ft.filter((a) => a != null);
  if (alts.length) rows.push(["Highest altitude", qty(Math.max(...alts), "ft")]);
  rows.push(["Source", `${p.source.toUpperCase()}${p.partial ? " (partial: part of the flight not seen)" : ""}`]);
  return el("div", { class: "leg-popup track-popup" },
    el("h3", {}, `${p.tail} as flown: ${airfield(p.origin, "take-off not seen")} → ${airfield(p.destination, "landing not seen")}`),
    el("table", {}, el("tbody", {}, rows.map(([k, v]) => el("tr", {}, el("th", {}, k), el("td", {}, v))))));
}

/** Draws the selected day's tracks (all days: every track of the run's days); returns them. */
function drawTracks(renderer, day, bounds) {
  const { doc, colours, tracks } = current;
  const date = day ? (doc.missions.find((m) => String(m.day) === day) || {}).date : null;
  const flown = [];
  for (const f of tracks) {
    const p = f.properties;
    if (hiddenTails.has(p.tail) || (day && p.day !== date)) continue;
    const pts = f.geometry.coordinates.map(([lon, lat]) => [lat, lon]);
    const line = L.polyline(pts, {
      pane: "tracks", renderer, color: colours.get(p.tail) || TRACK_GREY, weight: 3, opacity: 1,
      dashArray: "2 6", lineCap: "round", className: "track-line",
    });
    line.bindPopup(() => trackPopup(p), { maxWidth: 360 });
    line.bindTooltip(`${p.tail} as flown (${p.source.toUpperCase()})`, { sticky: true });
    line.on("add", () => {
      const node = line.getElement();
      if (node) {
        node.dataset.tail = p.tail;
        node.dataset.report = String(f.id);
      }
    });
    line.addTo(routeLayer);
    bounds.push(...pts);
    flown.push({ p, line, pts });
  }
  const shown = flown.length;
  trackNote.textContent = tracks.length ? `${shown} ADS-B track${shown === 1 ? "" : "s"} shown` : "No ADS-B tracks stored for this run's days.";
  return flown;
}

function fillTails() {
  const { doc, colours } = current;
  const counts = new Map();
  for (const m of doc.missions) counts.set(m.tail, (counts.get(m.tail) || 0) + 1);
  const types = new Map(doc.missions.map((m) => [m.tail, `${m.aircraft}, ${m.nation}`]));
  clear(tailsBox, [...colours.keys()].map((tail) => {
    const id = `tail-${tail.replace(/[^A-Za-z0-9]/g, "")}`;
    const box = el("input", { type: "checkbox", id, checked: !hiddenTails.has(tail), disabled: !counts.get(tail) });
    box.addEventListener("change", () => {
      if (box.checked) hiddenTails.delete(tail); else hiddenTails.add(tail);
      drawRoutes();
    });
    return el("label", { for: id }, box,
      el("span", { class: "line-key", style: `background:${colours.get(tail)}` }),
      el("span", {}, tail, " ", el("span", { class: "small muted" },
        counts.get(tail) ? `${types.get(tail)} · ${counts.get(tail)} mission${counts.get(tail) === 1 ? "" : "s"}` : "no missions")));
  }));
}

function fillDays(doc) {
  const start = new Date(doc.start_utc);
  const keep = daySelect.value;
  clear(daySelect, el("option", { value: "" }, "All days"),
    Array.from({ length: doc.days || 0 }, (_, i) => {
      const d = new Date(start.getTime() + i * 86400000);
      return el("option", { value: String(i + 1), selected: keep === String(i + 1) }, `Day ${i + 1} · ${utc(d).slice(0, -7)}`);
    }));
}

async function showRun(run, problem = "") {
  if (!run) {
    const text = problem || "No finished schedule run yet: start one on the Plans page.";
    runNote.textContent = text;
    if (map) showMessage(text);
    clear(tailsBox, el("p", { class: "small muted" }, "–"));
    return;
  }
  runNote.textContent = "Loading…";
  showMessage("");
  const [doc, geoDoc, trackDoc] = await Promise.all([
    runResult(runId(run)),
    api(`/api/runs/${runId(run)}/export/geojson`).catch(() => null),
    api(`/api/actuals/tracks?run=${runId(run)}`).catch(() => null),
  ]);
  const geo = new Map(((geoDoc && geoDoc.features) || []).filter((f) => f.id).map((f) => [String(f.id), f]));
  const tails = [...doc.missions.map((m) => m.tail), ...Object.keys((doc.kpis && doc.kpis.utilisation_h_per_day) || {})];
  current = { run, doc, geo, colours: tailColours(tails), tracks: (trackDoc && trackDoc.features) || [] };
  const scenario = scenarios.find((sc) => String(sc.id) === String(run.scenario_id));
  if (map) drawAirfields((scenario && scenario.overrides) || {});
  const k = doc.kpis || {};
  runNote.textContent = `${doc.scenario ? `${doc.scenario}: ` : ""}${doc.missions.length} missions · ${qty(k.tonnes_delivered, "t", 1)} and ${qty(k.pax_delivered, "pax")} delivered · ${qty(k.flying_hours, "flying h", 1)}`;
  fillDays(doc);
  fillTails();
  drawRoutes();
}

async function main() {
  if (!L) {
    showMessage("Map assets are not installed: run make install (npm ci)");
  } else {
    setupMap();
    baseMap();
    addZones(map).then((note) => { zoneNote.textContent = note; });
  }
  try {
    airfields = await airfieldsByIcao();
    if (map) {
      drawAirfields();
      scenarios = await api("/api/scenarios").then((b) => asList(b, "scenarios")).catch(() => []);
      const pts = [...airfields.values()].filter((a) => a.lat != null).map((a) => [a.lat, a.lon]);
      if (pts.length) map.fitBounds(pts, { padding: [30, 30] });
    }
  } catch (err) {
    showMessage(`Airfields not loaded: ${err.message}`);
  }
  daySelect.addEventListener("change", drawRoutes);
  try {
    await runPicker(document.getElementById("run"), showRun);
  } catch (err) {
    runNote.textContent = `Runs not loaded: ${err.message}`;
  }
  document.body.dataset.ready = "true";
}

main();
