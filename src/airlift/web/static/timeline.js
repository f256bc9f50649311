// Timeline page, drawn as SVG by hand (no timeline library: see package.json "//"): one row
// per tail with its crew duty shaded behind the flying; over the whole programme one bar per
// mission, in a day one bar per leg, every bar labelled with its route; ground time as thin
// bars, maintenance hatched, and two kinds of conflict in red: legs of one tail overlapping in
// time, and more aircraft on the ground at an airfield than its MOG (counted like the
// scheduler: arrival to next departure). A last lane holds the requests not delivered in full
// across their time windows, with the scheduler's reason. The axis is UTC or the local time of
// a zone the programme's airfields use.
// Under each planned bar a thin bar shows what was flown (GET /api/runs/{id}/tracking, plan
// against actual): reported OUT (else OFF) to IN (else ON), green when the departure was on
// time, red when late, labelled with the delay in min; a leg not yet reported shows its
// projected times (delays carried down the tail's day) as a dashed bar.
// A re-plan proposal is drawn like any run, its changed and new missions outlined and its
// frozen ones faded (each mission's replan.state); the Disruption panel is disruption.js.
import {
  airfieldsByIcao, api, asList, clear, el, localFromIso, localInZone, minutesText, missionHref,
  num, planning, qty, runId, runLabel, runPicker, runResult, svg, tailColours, utc,
} from "./app.js";
import { initDisruption, showDisruption } from "./disruption.js";

const box = document.getElementById("timeline");
const msg = document.getElementById("tl-msg");
const rangeBox = document.getElementById("range");
const conflictsBox = document.getElementById("conflicts");
const unmetBox = document.getElementById("unmet");
const tzSelect = document.getElementById("tz");
const tzNote = document.getElementById("tz-note");
const tip = document.getElementById("tooltip");

const MINUTE = 60000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const LABEL_W = 170;
const ROW_H = 66;
const BAR_Y = 16; // bar top within a row
const BAR_H = 22;
const LANE_H = 26; // one sub-lane of unmet requests
const HEAD_H = 46;
const ACT_Y = BAR_Y + BAR_H + 4; // actual bar top within a row
const ACT_H = 7;
const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n) => String(n).padStart(2, "0");

let airfields = new Map();
let fleet = [];
let scenarios = [];
let requestsById = new Map();
let state = null; // { run, doc, tracking, rows, colours, conflicts, unmet, rangeKey }
/** ``?as_of=`` of the page: plan against actual at that UTC time (default: now). */
const asOf = new URLSearchParams(location.search).get("as_of");

// ---------------------------------------------------------------- tooltip

function showTip(target, lines) {
  clear(tip, lines.map((l, i) => (i === 0 ? el("b", {}, l) : el("div", {}, l))));
  tip.hidden = false;
  const r = target.getBoundingClientRect();
  const w = tip.offsetWidth;
  const h = tip.offsetHeight;
  const left = Math.min(Math.max(8, r.left + r.width / 2 - w / 2), window.innerWidth - w - 8);
  let top = r.top - h - 8;
  if (top < 8) top = r.bottom + 8;
  tip.style.left = `${left}px`;
  tip.style.top = `${top}px`;
}
const hideTip = () => { tip.hidden = true; };

function withTip(node, lines) {
  node.addEventListener("mouseenter", () => showTip(node, lines));
  node.addEventListener("mouseleave", hideTip);
  node.addEventListener("focus", () => showTip(node, lines));
  node.addEventListener("blur", hideTip);
  return node;
}

// ---------------------------------------------------------------- time zones

/** Minutes east of UTC of zone ``tz`` at instant ``t`` (ms); 0 for UTC (tz empty). */
function offsetMin(tz, t) {
  if (!tz) return 0;
  const parts = Object.fromEntries(new Intl.DateTimeFormat("en-US", {
    timeZone: tz, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric",
    hour: "numeric", minute: "numeric", second: "numeric",
  }).formatToParts(new Date(t)).map((p) => [p.type, p.value]));
  const wall = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second);
  return Math.round((wall - Math.floor(t / 1000) * 1000) / MINUTE);
}

function offsetText(minutes) {
  const sign = minutes < 0 ? "−" : "+";
  const m = Math.abs(minutes);
  return `UTC${sign}${pad(Math.floor(m / 60))}:${pad(m % 60)}`;
}

const zone = () => tzSelect.value; // "" = UTC
/** Wall-clock time (ms, read with getUTC*) of instant t on the axis's clock. */
const wall = (t) => t + offsetMin(zone(), t) * MINUTE;
/** The instant whose wall-clock time on the axis's clock is w. */
const instant = (w) => w - offsetMin(zone(), w - offsetMin(zone(), w) * MINUTE) * MINUTE;

const tzOf = (icao) => (airfields.get(icao) || {}).tz;
function timeLine(label, isoUtc, isoLocal, icao) {
  const local = localFromIso(isoLocal) || localInZone(isoUtc, tzOf(icao));
  return `${label} ${utc(isoUtc)}${local ? ` · ${local}` : ""}`;
}

/** The zones of the programme's airfields, most visited first: [[tz, [icao...]], ...]. */
function zonesOf(doc) {
  const visits = new Map();
  for (const m of doc.missions) {
    for (const leg of m.plan.legs) {
      for (const [icao, tz] of [[leg.origin, leg.origin_tz], [leg.destination, leg.destination_tz]]) {
        const z = tzOf(icao) || (tz && tz.includes("/") ? tz : null);
        if (!z) continue;
        if (!visits.has(z)) visits.set(z, new Map());
        visits.get(z).set(icao, (visits.get(z).get(icao) || 0) + 1);
      }
    }
  }
  const total = (codes) => [...codes.values()].reduce((a, b) => a + b, 0);
  return [...visits.entries()]
    .sort((a, b) => total(b[1]) - total(a[1]))
    .map(([tz, codes]) => [tz, [...codes.entries()].sort((a, b) => b[1] - a[1]).map(([c]) => c)]);
}

function fillZones(doc) {
  const keep = tzSelect.value;
  const t = Date.parse(doc.start_utc);
  const zones = zonesOf(doc);
  clear(tzSelect,
    el("option", { value: "" }, "UTC"),
    zones.map(([tz, codes]) => el("option", { value: tz, selected: tz === keep },
      `Local: ${tz} (${offsetText(offsetMin(tz, t))}) · ${codes.slice(0, 4).join(", ")}${codes.length > 4 ? "…" : ""}`)));
  if (![...tzSelect.options].some((o) => o.value === keep)) tzSelect.value = "";
}

function zoneNote(t0) {
  const tz = zone();
  if (!tz) return "Times shown: UTC (Z)";
  const codes = (zonesOf(state.doc).find(([z]) => z === tz) || [tz, []])[1];
  return `Times shown: local time ${tz} (${offsetText(offsetMin(tz, t0))}), the time at ${codes.join(", ")}`;
}

// ---------------------------------------------------------------- data

function mogOf(icao, run) {
  const scenario = scenarios.find((s) => String(s.id) === String(run.scenario_id));
  const override = scenario && scenario.overrides && scenario.overrides[icao];
  if (override && override.mog) return Number(override.mog);
  const p = planning(airfields.get(icao));
  return p.mog ? Number(p.mog) : null;
}

/** Rows (one per tail): missions, legs, ground stays and duty periods; the conflicts between
 * them; the requests not delivered in full. */
function build(run, doc, tracking) {
  const tracked = new Map(((tracking && tracking.legs) || []).map((t) => [`${t.tail}|${t.day}|${t.leg}`, t]));
  const rows = new Map();
  const row = (tail) => {
    if (!rows.has(tail)) rows.set(tail, { tail, sub: "", missions: [], legs: [], ground: [], duty: [], unavailable: [] });
    return rows.get(tail);
  };
  for (const t of fleet) {
    const r = row(t.registration);
    r.sub = `${t.aircraft_type} · ${t.nation}`;
    r.unavailable = (t.unavailable || []).map(([a, b]) => [Date.parse(a), Date.parse(b)]);
  }
  for (const tail of Object.keys((doc.kpis && doc.kpis.utilisation_h_per_day) || {})) row(tail);
  doc.missions.forEach((m, index) => {
    const r = row(m.tail);
    if (!r.sub) r.sub = `${m.aircraft} · ${m.nation}`;
    const legs = m.plan.legs;
    const mission = { m, index, t0: Date.parse(legs[0].etd_utc), t1: Date.parse(legs[legs.length - 1].eta_utc), legs: [], ground: [] };
    r.missions.push(mission);
    const duty = m.plan.duty || {};
    if (duty.start_utc && duty.end_utc) {
      r.duty.push({ m, index, t0: Date.parse(duty.start_utc), t1: Date.parse(duty.end_utc), duty });
    }
    legs.forEach((leg, k) => {
      const l = {
        m, index, mission, leg, t0: Date.parse(leg.etd_utc), t1: Date.parse(leg.eta_utc), bad: false,
        track: tracked.get(`${m.tail}|${m.day}|${leg.number ?? k + 1}`) || null,
      };
      r.legs.push(l);
      mission.legs.push(l);
      if (k + 1 < legs.length) {
        const next = legs[k + 1];
        const g = {
          m, index, icao: leg.destination, t0: Date.parse(leg.eta_utc), t1: Date.parse(next.etd_utc),
          arrive: leg, depart: next, bad: false,
        };
        r.ground.push(g);
        mission.ground.push(g);
      }
    });
  });
  const conflicts = [];
  // 1. One tail in two legs at once.
  for (const r of rows.values()) {
    const legs = [...r.legs].sort((a, b) => a.t0 - b.t0);
    for (let i = 1; i < legs.length; i++) {
      const prev = legs[i - 1];
      const cur = legs[i];
      if (cur.t0 < prev.t1) {
        prev.bad = cur.bad = true;
        conflicts.push({
          kind: "Overlap", tail: r.tail, where: `${cur.leg.origin}`, t: cur.t0,
          text: `${r.tail}: leg ${prev.leg.origin} → ${prev.leg.destination} lands ${utc(prev.leg.eta_utc)}, after the next leg ${cur.leg.origin} → ${cur.leg.destination} leaves ${utc(cur.leg.etd_utc)}`,
          target: `leg-${cur.index}-${cur.leg.index}`,
        });
      }
    }
  }
  // 2. More aircraft on the ground than the MOG.
  const stays = new Map();
  for (const r of rows.values()) for (const g of r.ground) {
    if (!stays.has(g.icao)) stays.set(g.icao, []);
    stays.get(g.icao).push({ ...g, tail: r.tail, ref: g });
  }
  for (const [icao, list] of stays) {
    const mog = mogOf(icao, run);
    if (!mog) continue;
    list.sort((a, b) => a.t0 - b.t0);
    list.forEach((s, n) => {
      const others = list.slice(0, n).filter((o) => o.t0 <= s.t0 && s.t0 < o.t1 && o.tail !== s.tail);
      if (others.length >= mog) {
        s.ref.bad = true;
        for (const o of others) o.ref.bad = true;
        conflicts.push({
          kind: "MOG", tail: s.tail, where: icao, t: s.t0,
          text: `${icao}: ${others.length + 1} aircraft on the ground at ${utc(s.t0 ? new Date(s.t0) : null)} (${[...others.map((o) => o.tail), s.tail].join(", ")}); MOG ${mog}`,
          target: `ground-${s.index}-${s.arrive.index}`,
        });
      }
    });
  }
  const sorted = [...rows.values()].sort((a, b) => a.tail.localeCompare(b.tail));
  const colours = tailColours(sorted.map((r) => r.tail));
  const unmet = (doc.requests || []).filter((s) => s.status !== "delivered").map((s) => {
    const req = requestsById.get(s.request_id);
    return {
      status: s, req,
      t0: req ? Date.parse(req.earliest_utc) : null,
      t1: req ? Date.parse(req.latest_utc) : null,
    };
  }).sort((a, b) => a.status.priority - b.status.priority || String(a.status.request_id).localeCompare(String(b.status.request_id)));
  return { rows: sorted, conflicts: conflicts.sort((a, b) => a.t - b.t), colours, unmet };
}

// ---------------------------------------------------------------- labels

let measureCtx = null;
/** Width in px of ``text`` in the SVG's font at ``size`` px and ``weight``. */
function textWidth(text, size = 11, weight = 600) {
  if (!measureCtx) measureCtx = document.createElement("canvas").getContext("2d");
  measureCtx.font = `${weight} ${size}px ${getComputedStyle(box).fontFamily || "sans-serif"}`;
  return measureCtx.measureText(text).width;
}

/** The first of ``candidates`` that fits in ``width`` px with 4 px each side, else null. */
function fitting(candidates, width, size = 11, weight = 600) {
  return candidates.find((c) => c && textWidth(c, size, weight) + 8 <= width) || null;
}

/** A mission's route label: all stops, else first → last, else the count of stops. */
function routeCandidates(route) {
  const stops = route.length;
  return [route.join("-"), `${route[0]}→${route[stops - 1]}`, `${stops} stops`, `${stops}`];
}

/** A label inside the bar when one fits, else the shortest above it (every bar has one). */
function barLabel(group, candidates, bx, bw, y, cls, outsideClass = "bar-label out") {
  const inside = fitting(candidates, bw);
  if (inside) {
    group.append(svg("text", { x: bx + bw / 2, y: y + BAR_Y + BAR_H / 2 + 4, "text-anchor": "middle", class: cls }, inside));
    return inside;
  }
  const short = candidates[candidates.length - 1];
  group.append(svg("text", { x: bx + bw / 2, y: y + BAR_Y - 3, "text-anchor": "middle", class: outsideClass }, short));
  return short;
}

function hoursText(min, decimals = 1) {
  return qty(Number(min) / 60, "h", decimals);
}

// ---------------------------------------------------------------- drawing

function ticksFor(span) {
  if (span <= 1.5 * DAY) return { minor: HOUR, label: 2 * HOUR };
  if (span <= 3 * DAY) return { minor: 3 * HOUR, label: 6 * HOUR };
  return { minor: 6 * HOUR, label: 6 * HOUR };
}

/** The instants [t0, t1] of the range ``key``: "all", or a scenario day's index (its UTC date,
 * or that date in the axis's local zone). */
function rangeOf(key) {
  const start = Date.parse(state.doc.start_utc);
  const end = start + (state.doc.days || 1) * DAY;
  if (key === "all") return [start, end];
  const day = start + Number(key) * DAY; // 00:00Z of the scenario day
  return [instant(day), instant(day + DAY)];
}

function lanesOf(items) {
  const lanes = [];
  for (const it of items) {
    let lane = lanes.find((l) => l.end <= it.a);
    if (!lane) {
      lane = { end: -Infinity, items: [] };
      lanes.push(lane);
    }
    lane.items.push(it);
    lane.end = it.b + 4; // px between neighbours
  }
  return lanes;
}

function draw() {
  hideTip();
  const { run, doc, rows, colours, unmet, rangeKey } = state;
  const [t0, t1] = rangeOf(rangeKey);
  const byMission = t1 - t0 > 1.5 * DAY;
  const width = Math.max(900, box.clientWidth - 2);
  const plotW = width - LABEL_W - 12;
  const x = (t) => LABEL_W + ((Math.min(Math.max(t, t0), t1) - t0) / (t1 - t0)) * plotW;
  const inView = (a, b) => b > t0 && a < t1;

  // The unmet lane's bars first: their sub-lanes set the height.
  // A window too narrow for its request's name gets the name beside it: room kept for it.
  const unmetItems = unmet.filter((u) => u.t0 != null && inView(u.t0, u.t1))
    .map((u) => {
      const a = x(u.t0);
      const b = Math.max(x(u.t1), a + 6);
      const name = `${u.status.request_id} P${u.status.priority}`;
      const outside = textWidth(name, 11, 400) + 8 > b - a;
      return { u, a, b: outside ? b + textWidth(name, 11, 400) + 6 : b, w: b - a, outside };
    })
    .sort((p, q) => p.a - q.a);
  const lanes = lanesOf(unmetItems);
  const unmetTop = HEAD_H + rows.length * ROW_H;
  const unmetH = 24 + Math.max(1, lanes.length) * LANE_H + 6;
  const height = unmetTop + unmetH + 4;

  const root = svg("svg", {
    width, height, viewBox: `0 0 ${width} ${height}`, role: "group",
    "aria-label": `Timeline of run ${runId(run)}: ${rows.length} tails, ${utc(new Date(t0))} to ${utc(new Date(t1))}; ${zoneNote(t0)}`,
  });
  root.append(svg("defs", {}, svg("pattern", {
    id: "hatch", width: 6, height: 6, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)",
  }, svg("rect", { width: 3, height: 6, fill: "#c9ced6" }))));

  // Rows background and labels.
  rows.forEach((r, i) => {
    const y = HEAD_H + i * ROW_H;
    root.append(svg("rect", { x: 0, y, width, height: ROW_H, fill: i % 2 ? "#fafbfc" : "#ffffff" }));
    root.append(svg("rect", { x: 8, y: y + 12, width: 5, height: ROW_H - 24, rx: 2, fill: colours.get(r.tail) }));
    root.append(svg("text", { x: 20, y: y + 24, class: "tail-label" }, r.tail));
    root.append(svg("text", { x: 20, y: y + 40, class: "tail-sub" }, r.sub || ""));
  });
  root.append(svg("rect", { x: 0, y: unmetTop, width, height: unmetH, fill: "#fffaf2" }));
  root.append(svg("line", { x1: 0, x2: width, y1: unmetTop, y2: unmetTop, stroke: "#a35c00", "stroke-width": 1.5 }));
  root.append(svg("text", { x: 8, y: unmetTop + 18, class: "lane-title" }, `Not delivered (${unmet.length})`));
  root.append(svg("text", { x: 8, y: unmetTop + 34, class: "tail-sub" }, "request windows"));

  // Time axis on the chosen clock: day labels, ticks and grid.
  const zoneLabel = zone() ? offsetText(offsetMin(zone(), t0)) : "UTC";
  root.append(svg("text", { x: 8, y: 16, class: "zone-label" }, zone() ? "Local time" : "UTC"));
  root.append(svg("text", { x: 8, y: 32, class: "axis-label" }, zone() ? zoneLabel : "Z = UTC"));
  const { minor, label } = ticksFor(t1 - t0);
  const w0 = wall(t0);
  const w1 = wall(t1);
  for (let w = Math.ceil(w0 / minor) * minor; w <= w1; w += minor) {
    const t = instant(w);
    const isDay = w % DAY === 0;
    const xx = x(t);
    root.append(svg("line", {
      x1: xx, x2: xx, y1: HEAD_H - (isDay ? 44 : 10), y2: unmetTop,
      stroke: isDay ? "#9aa5b1" : "#e3e7ec", "stroke-width": isDay ? 1.2 : 1,
    }));
    if (w % label === 0 && !isDay && xx < width - 20) {
      const hh = pad(new Date(w).getUTCHours());
      root.append(svg("text", { x: xx, y: HEAD_H - 14, "text-anchor": "middle", class: "axis-label" }, zone() ? `${hh}:00` : `${hh}Z`));
    }
  }
  const startDay = Math.floor(wall(Date.parse(doc.start_utc)) / DAY) * DAY;
  for (let w = Math.floor(w0 / DAY) * DAY; w < w1; w += DAY) {
    const a = x(Math.max(instant(w), t0));
    const b = x(Math.min(instant(w + DAY), t1));
    if (b - a < 30) continue;
    const date = new Date(w);
    const dayNo = Math.round((w - startDay) / DAY) + 1;
    const text = `${DAYS[date.getUTCDay()]} ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} · day ${dayNo}`;
    root.append(svg("text", { x: (a + b) / 2, y: 16, "text-anchor": "middle", class: "day-label" },
      fitting([text, `${DAYS[date.getUTCDay()]} ${date.getUTCDate()}`], b - a, 12) || `${date.getUTCDate()}`));
  }
  root.append(svg("line", { x1: LABEL_W, x2: width, y1: HEAD_H, y2: HEAD_H, stroke: "#9aa5b1" }));
  root.append(svg("line", { x1: LABEL_W, x2: LABEL_W, y1: 0, y2: height, stroke: "#9aa5b1" }));

  let drawn = 0;
  rows.forEach((r, i) => {
    const y = HEAD_H + i * ROW_H;
    const colour = colours.get(r.tail);
    for (const [a, b] of r.unavailable) {
      if (!inView(a, b)) continue;
      const node = svg("rect", {
        x: x(a), y: y + 6, width: Math.max(2, x(b) - x(a)), height: ROW_H - 12, fill: "url(#hatch)",
        tabindex: 0, role: "img", "aria-label": `${r.tail} unavailable ${utc(new Date(a))} to ${utc(new Date(b))}`,
      });
      root.append(withTip(node, [`${r.tail}: unavailable (maintenance)`, `from ${utc(new Date(a))}`, `to ${utc(new Date(b))}`]));
    }
    for (const d of r.duty) drawDuty(root, r, d, x, y, inView);
    for (const g of r.ground) drawGround(root, r, g, x, y, inView, colour, run, byMission);
    if (byMission) {
      for (const mission of r.missions) drawn += drawMission(root, r, mission, x, y, inView, colour, run);
    } else {
      for (const l of r.legs) drawn += drawLeg(root, r, l, x, y, inView, colour, run);
    }
  });
  drawUnmetLane(root, lanes, unmetTop, width, x);
  clear(box, root);
  box.dataset.bars = String(drawn);
  box.dataset.view = byMission ? "missions" : "legs";
  tzNote.textContent = zoneNote(t0);
}

function drawDuty(root, r, d, x, y, inView) {
  if (!inView(d.t0, d.t1)) return;
  const { duty, m } = d;
  const bx = x(d.t0);
  const bw = Math.max(2, x(d.t1) - bx);
  const limit = duty.limit_min != null ? ` of ${hoursText(duty.limit_min)}` : "";
  const lines = [
    `${r.tail} crew duty · mission day ${m.day}`,
    timeLine("report (duty starts)", duty.start_utc, null, m.route[0]),
    timeLine("duty ends", duty.end_utc, null, m.route[m.route.length - 1]),
    `duty ${hoursText(duty.minutes)}${limit}${duty.margin_min != null ? ` · margin ${hoursText(duty.margin_min)}` : ""}`,
    "from report before the first off-block to post-flight after the last on-block",
  ];
  const g = svg("g", {
    class: "duty-band", tabindex: 0, role: "img", "data-minutes": duty.minutes,
    "aria-label": `${r.tail} crew duty ${utc(duty.start_utc)} to ${utc(duty.end_utc)}, ${hoursText(duty.minutes)}${limit}`,
  });
  g.append(svg("rect", { x: bx, y: y + 4, width: bw, height: ROW_H - 8, rx: 3, class: "duty" }));
  const h = hoursText(duty.minutes);
  const text = fitting([`duty ${h}${limit}`, `duty ${h}`, h], bw, 10, 400);
  if (text) g.append(svg("text", { x: bx + 4, y: y + ROW_H - 8, class: "duty-label" }, text));
  root.append(withTip(g, lines));
}

function drawGround(root, r, g, x, y, inView, colour, run, byMission) {
  // Over the whole programme the ground time is drawn inside the mission bar.
  if (byMission || !inView(g.t0, g.t1)) return;
  const lines = [
    `${r.tail} on the ground at ${g.icao}`,
    timeLine("arrives", g.arrive.eta_utc, g.arrive.eta_local, g.icao),
    timeLine("leaves", g.depart.etd_utc, g.depart.etd_local, g.icao),
    `ground time ${minutesText((g.t1 - g.t0) / 60000)}`,
    `MOG ${mogOf(g.icao, run) ?? "–"} aircraft`,
  ];
  if (g.bad) lines.push("CONFLICT: MOG exceeded");
  const node = svg("rect", {
    id: `ground-${g.index}-${g.arrive.index}`, class: `ground${g.bad ? " conflict" : ""}`,
    x: x(g.t0), y: y + BAR_Y + BAR_H / 2 - (g.bad ? 4 : 2), width: Math.max(1.5, x(g.t1) - x(g.t0)),
    height: g.bad ? 8 : 4, fill: g.bad ? "#b3261e" : colour, opacity: g.bad ? 1 : 0.45,
  });
  root.append(withTip(node, lines));
}

function legLines(r, l) {
  const { leg, m } = l;
  const lines = [
    `${r.tail} · ${leg.origin} → ${leg.destination} (mission day ${m.day}, leg ${leg.number ?? leg.index + 1} of ${m.plan.legs.length})`,
    `mission route ${m.route.join("-")}`,
    timeLine("ETD", leg.etd_utc, leg.etd_local, leg.origin),
    timeLine("ETA", leg.eta_utc, leg.eta_local, leg.destination),
    `flight ${minutesText(leg.flight_time_min)} · ${qty(leg.dist_nm, "NM", 1)}`,
    `load ${qty(leg.cargo_kg, "kg")} · ${qty(leg.pallets, "pallets")} · ${qty(leg.pax, "pax")}`,
    `binding limit ${leg.binding_limit || "–"} (margin ${qty(leg.margin, leg.margin_unit || "", 1)})`,
  ];
  if (m.replan) lines.push(replanLine(m));
  if (l.bad) lines.push("CONFLICT: overlaps another leg of this tail");
  if (leg.feasible === false) lines.push("breaks a limit: see the mission");
  return lines;
}

/** A re-plan's mark on a mission's bars: " replan-changed", " replan-new", " replan-frozen". */
function replanClass(m) {
  const st = m.replan && m.replan.state;
  return st && st !== "kept" ? ` replan-${st}` : "";
}

function replanLine(m) {
  if (!m.replan) return null;
  const shift = m.replan.retimed_min ? `, re-timed ${num(m.replan.retimed_min)} min` : "";
  return `re-plan: ${m.replan.state}${shift}`;
}

function drawLeg(root, r, l, x, y, inView, colour, run) {
  if (!inView(l.t0, l.t1)) return 0;
  const { leg } = l;
  const bx = x(l.t0);
  const bw = Math.max(3, x(l.t1) - bx);
  const link = svg("a", {
    href: missionHref(runId(run), l.index), class: `bar leg${replanClass(l.m)}`, id: `leg-${l.index}-${leg.index}`,
    "data-route": `${leg.origin}-${leg.destination}`,
    "aria-label": `${r.tail} ${leg.origin} to ${leg.destination}, departs ${utc(leg.etd_utc)}, arrives ${utc(leg.eta_utc)}${l.bad ? ", conflict" : ""}`,
  });
  link.append(svg("rect", {
    x: bx, y: y + BAR_Y, width: bw, height: BAR_H, rx: 3,
    fill: l.bad ? "#fde7e5" : colour, stroke: l.bad || leg.feasible === false ? "#b3261e" : "none",
    "stroke-width": l.bad ? 2.5 : 1.5, class: "bar-rect",
  }));
  const shown = barLabel(link, [`${leg.origin}-${leg.destination}`, `→${leg.destination}`, leg.destination], bx, bw, y,
    `bar-label${l.bad ? " conflict" : ""}`);
  link.dataset.label = shown;
  root.append(withTip(link, legLines(r, l)));
  if (l.track) drawActual(root, r, [l], x, y, `leg-${l.index}-${leg.index}`);
  return 1;
}

function drawMission(root, r, mission, x, y, inView, colour, run) {
  if (!inView(mission.t0, mission.t1)) return 0;
  const { m, index } = mission;
  const bad = mission.legs.some((l) => l.bad) || mission.ground.some((g) => g.bad);
  const broken = mission.legs.some((l) => l.leg.feasible === false);
  const bx = x(mission.t0);
  const bw = Math.max(3, x(mission.t1) - bx);
  const first = mission.legs[0].leg;
  const last = mission.legs[mission.legs.length - 1].leg;
  const cargo = (m.lifts || []).reduce((s, l) => s + (l.cargo_kg || 0), 0);
  const pax = (m.lifts || []).reduce((s, l) => s + (l.pax || 0), 0);
  const lines = [
    `${r.tail} · mission day ${m.day} (${m.date}) · ${m.plan.legs.length} legs`,
    `route ${m.route.join("-")}`,
    timeLine("first ETD", first.etd_utc, first.etd_local, first.origin),
    timeLine("last ETA", last.eta_utc, last.eta_local, last.destination),
    `flight ${minutesText(m.flight_time_min)}`,
    `load ${qty(cargo, "kg")} · ${qty(pax, "pax")} on ${qty((m.lifts || []).length, "lifts")}`,
  ];
  if (m.replan) lines.push(replanLine(m));
  if (bad) lines.push("CONFLICT: overlap or MOG exceeded: pick the day to see where");
  if (broken) lines.push("breaks a limit: see the mission");
  const link = svg("a", {
    href: missionHref(runId(run), index), class: `bar mission${replanClass(m)}`, id: `mission-${index}`,
    "data-route": m.route.join("-"),
    "aria-label": `${r.tail} mission day ${m.day}, route ${m.route.join(" ")}, ${utc(first.etd_utc)} to ${utc(last.eta_utc)}${bad ? ", conflict" : ""}`,
  });
  link.append(svg("rect", {
    x: bx, y: y + BAR_Y, width: bw, height: BAR_H, rx: 3,
    fill: bad ? "#fde7e5" : colour, stroke: bad || broken ? "#b3261e" : "none",
    "stroke-width": bad ? 2.5 : 1.5, class: "bar-rect",
  }));
  // Ground stops as light notches along the bar's foot (clear of the label), so the legs
  // show inside the mission.
  for (const g of mission.ground) {
    link.append(svg("rect", {
      x: x(g.t0), y: y + BAR_Y + BAR_H - 5, width: Math.max(1, x(g.t1) - x(g.t0)), height: 5,
      fill: g.bad ? "#b3261e" : "#ffffff", opacity: g.bad ? 0.9 : 0.55, "pointer-events": "none",
    }));
  }
  const shown = barLabel(link, routeCandidates(m.route), bx, bw, y, `bar-label${bad ? " conflict" : ""}`);
  link.dataset.label = shown;
  root.append(withTip(link, lines));
  if (mission.legs.some((l) => l.track)) drawActual(root, r, mission.legs.filter((l) => l.track), x, y, `mission-${index}`);
  return 1;
}

// ---------------------------------------------------------------- plan against actual

const isoMs = (iso) => (iso ? Date.parse(iso) : null);
const delayText = (min) => (min == null ? "–" : `${min > 0 ? "+" : min < 0 ? "−" : "±"}${num(Math.abs(min))} min`);

/** What was flown of legs ``ls`` (one leg, or a mission's): reported times where given, else
 * the projected ones. {t0, t1, reported, delay, late, status}. */
function flown(ls) {
  const first = ls[0].track;
  const last = ls[ls.length - 1].track;
  const start = isoMs(first.actual_out_utc || first.actual_off_utc);
  const end = isoMs(last.actual_in_utc || last.actual_on_utc);
  const reported = ls.some((l) => l.track.source);
  const onTime = state.tracking.on_time_min;
  const departed = ls.map((l) => l.track.departure_delay_min).filter((d) => d != null);
  const delay = departed.length ? Math.max(...departed) : Math.max(...ls.map((l) => l.track.delay_min ?? 0));
  const t1 = end ?? isoMs(last.projected_in_utc);
  return {
    t0: start ?? isoMs(first.projected_out_utc), t1,
    // Departed, not yet in: flown up to the report's time, projected after it.
    flownTo: start != null && end == null ? Math.min(Math.max(isoMs(state.tracking.as_of_utc), start), t1) : null,
    reported, departed: departed.length > 0, delay, late: delay > onTime,
  };
}

function actualLines(r, ls, f) {
  const t = state.tracking;
  const lines = [ls.length === 1
    ? `${r.tail} · ${ls[0].leg.origin} → ${ls[0].leg.destination}: ${ls[0].track.status}`
    : `${r.tail} · mission day ${ls[0].m.day}: ${ls.map((l) => l.track.status).join(", ")}`];
  for (const { track: k } of ls) {
    if (ls.length > 1) lines.push(`leg ${k.leg} ${k.origin} → ${k.destination}: ${k.status}`);
    if (k.source) {
      lines.push(`reported (${k.source}): OUT ${utc(k.actual_out_utc)} · OFF ${utc(k.actual_off_utc)} · ON ${utc(k.actual_on_utc)} · IN ${utc(k.actual_in_utc)}`);
      lines.push(`departure ${delayText(k.departure_delay_min)} against plan (planned OUT ${utc(k.planned_out_utc)})${k.arrival_delay_min != null ? ` · arrival ${delayText(k.arrival_delay_min)}` : ""}`);
    } else {
      lines.push(`not reported: projected OUT ${utc(k.projected_out_utc)}, IN ${utc(k.projected_in_utc)} (${delayText(k.delay_min)} against plan)`);
    }
    for (const p of k.problems || []) lines.push(`now breaks a limit: ${p}`);
  }
  lines.push(`on time: departure within ${num(t.on_time_min)} min of plan · as of ${utc(t.as_of_utc)}`);
  return lines;
}

/** The thin bar under a planned bar: what was flown (solid, green on time, red late) or, not
 * yet reported, the projected times (dashed); the delay in min beside it. */
function drawActual(root, r, ls, x, y, id) {
  const f = flown(ls);
  if (f.t0 == null || f.t1 == null) return;
  const bx = x(f.t0);
  const bw = Math.max(3, x(f.t1) - bx);
  const kind = !f.reported ? "projected" : f.late ? "late" : "on-time";
  const label = f.reported || Math.abs(f.delay) >= 1 ? delayText(f.delay) : "";
  const g = svg("g", {
    class: `actual ${kind}`, tabindex: 0, role: "img", id: `actual-${id}`,
    "data-delay-min": String(Math.round(f.delay)), "data-kind": kind,
    "aria-label": actualLines(r, ls, f).join("; "),
  });
  if (f.flownTo != null) {
    const fx = x(f.flownTo);
    g.append(svg("rect", { x: fx, y: y + ACT_Y, width: Math.max(0, bx + bw - fx), height: ACT_H, rx: 2, class: "actual-rest" }));
    g.append(svg("rect", { x: bx, y: y + ACT_Y, width: Math.max(3, fx - bx), height: ACT_H, rx: 2, class: "actual-rect" }));
  } else {
    g.append(svg("rect", { x: bx, y: y + ACT_Y, width: bw, height: ACT_H, rx: 2, class: "actual-rect" }));
  }
  if (label) {
    const text = f.reported ? label : `${label} projected`;
    g.append(svg("text", { x: bx + bw + 3, y: y + ACT_Y + ACT_H, class: "actual-label" }, text));
    g.dataset.label = text;
  }
  root.append(withTip(g, actualLines(r, ls, f)));
}

function unmetLines(u) {
  const s = u.status;
  const req = u.req;
  const lines = [
    `${s.request_id} · ${s.status === "partial" ? `partly delivered (${s.lifts_delivered} of ${s.lifts} lifts)` : "not delivered"} · priority ${s.priority}${s.optional ? " (optional)" : ""}`,
  ];
  if (req) {
    lines.push(`${req.origin} → ${req.destination} · ${qty(req.cargo_kg, "kg")} · ${qty(req.pallets, "pallets")} · ${qty(req.pax, "pax")}`);
    lines.push(`window ${utc(req.earliest_utc)} to ${utc(req.latest_utc)}`);
  }
  lines.push(`reason: ${s.reason || "none given"}`);
  return lines;
}

function drawUnmetLane(root, lanes, top, width, x) {
  if (!lanes.length) {
    root.append(svg("text", { x: LABEL_W + 10, y: top + 30, class: "empty-lane" },
      state.unmet.length ? "No request window in this view: the table below lists them all." : "Every request is delivered in full."));
    return;
  }
  lanes.forEach((lane, k) => {
    const y = top + 12 + k * LANE_H;
    for (const { u, a, w: bw, outside } of lane.items) {
      const s = u.status;
      const w = Math.min(a + bw, width - 4) - a;
      const route = u.req ? ` ${u.req.origin}→${u.req.destination}` : "";
      const link = svg("g", {
        class: "unmet", tabindex: 0, role: "img", id: `unmet-${s.request_id}`, "data-request": s.request_id,
        "aria-label": unmetLines(u).join("; "),
      });
      link.append(svg("rect", { x: a, y, width: Math.max(6, w), height: LANE_H - 6, rx: 3 }));
      const label = fitting([
        `${s.request_id} P${s.priority}${route}: ${s.reason}`,
        `${s.request_id} P${s.priority}${route}`, `${s.request_id} P${s.priority}`, s.request_id,
      ], w, 11, 400);
      if (label) link.append(svg("text", { x: a + 4, y: y + LANE_H / 2 + 1, class: "unmet-label" }, label));
      else if (outside) link.append(svg("text", { x: a + w + 4, y: y + LANE_H / 2 + 1, class: "unmet-label" }, `${s.request_id} P${s.priority}`));
      root.append(withTip(link, unmetLines(u)));
    }
  });
}

function drawUnmetTable() {
  const { unmet } = state;
  document.getElementById("unmet-title").textContent = `Requests not delivered in full (${unmet.length})`;
  if (!unmet.length) {
    clear(unmetBox, el("p", { class: "msg ok" }, "Every request is delivered in full."));
    return;
  }
  clear(unmetBox, el("div", { class: "table-wrap", style: "max-height: 360px" }, el("table", { id: "unmet-table" },
    el("thead", {}, el("tr", {}, ["Request", "Priority", "Status", "Window (UTC)", "Reason"].map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, unmet.map((u) => el("tr", {},
      el("td", {}, el("strong", {}, u.status.request_id), u.req ? el("div", { class: "small muted" }, `${u.req.origin} → ${u.req.destination}`) : ""),
      el("td", { class: "num" }, String(u.status.priority), u.status.optional ? el("div", { class: "small muted" }, "optional") : ""),
      el("td", {}, el("span", { class: `badge ${u.status.status}` }, u.status.status),
        el("div", { class: "small muted" }, `${num(u.status.lifts_delivered)} of ${num(u.status.lifts)} lifts`)),
      el("td", { class: "nowrap small" }, u.req ? [utc(u.req.earliest_utc), el("div", {}, `to ${utc(u.req.latest_utc)}`)] : "request no longer listed"),
      el("td", { class: "reason small" }, u.status.reason || "–")))))));
}

function drawConflicts() {
  const { conflicts } = state;
  document.getElementById("conflicts-title").textContent = `Conflicts (${conflicts.length})`;
  if (!conflicts.length) {
    clear(conflictsBox, el("p", { class: "msg ok" }, "No conflict: no tail is in two legs at once and no airfield exceeds its MOG."));
    return;
  }
  clear(conflictsBox, el("div", { class: "table-wrap" }, el("table", {},
    el("thead", {}, el("tr", {}, ["Kind", "Tail", "Airfield", "Time (UTC · local)", "What"].map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, conflicts.map((c) => el("tr", {},
      el("td", {}, el("span", { class: "badge bad" }, c.kind)),
      el("td", {}, c.tail),
      el("td", {}, c.where),
      el("td", { class: "nowrap" }, utc(new Date(c.t)), el("div", { class: "small muted" }, localInZone(new Date(c.t), tzOf(c.where)))),
      el("td", {}, c.text, " ", el("button", {
        type: "button", class: "small", onclick: () => focusTarget(c),
      }, "Show"))))))));
}

function focusTarget(c) {
  const start = Date.parse(state.doc.start_utc);
  setRange(String(Math.max(0, Math.floor((c.t - start) / DAY))));
  const node = document.getElementById(c.target);
  if (node) {
    node.scrollIntoView({ block: "nearest", inline: "center" });
    if (node.focus) node.focus();
  }
}

function setRange(key) {
  state.rangeKey = key;
  for (const b of rangeBox.querySelectorAll("button")) b.setAttribute("aria-pressed", String(b.dataset.key === key));
  draw();
}

function rangeButtons(doc) {
  const start = Date.parse(doc.start_utc);
  const buttons = [el("button", { type: "button", "data-key": "all", onclick: () => setRange("all") },
    `Whole programme (${doc.days || 1} days)`)];
  for (let k = 0; k < (doc.days || 1); k++) {
    const date = new Date(start + k * DAY);
    buttons.push(el("button", {
      type: "button", "data-key": String(k), onclick: () => setRange(String(k)),
    }, `${DAYS[date.getUTCDay()]} ${date.getUTCDate()}`));
  }
  clear(rangeBox, buttons);
}

async function showRun(run, problem = "") {
  if (!run) {
    state = null;
    msg.className = problem ? "msg bad" : "msg info";
    msg.textContent = problem || "No finished schedule run yet: start one on the Plans page.";
    for (const node of [box, conflictsBox, unmetBox, rangeBox]) clear(node);
    tzNote.textContent = "";
    box.dataset.bars = "0";
    await showDisruption(null, null);
    return;
  }
  const [doc, tracking] = await Promise.all([
    runResult(runId(run)),
    api(`/api/runs/${runId(run)}/tracking${asOf ? `?as_of=${encodeURIComponent(asOf)}` : ""}`)
      .catch((err) => ({ error: err.message })),
  ]);
  const track = tracking.error ? null : tracking;
  state = { run, doc, tracking: track, rangeKey: "all", ...build(run, doc, track) };
  msg.className = tracking.error ? "msg bad" : "msg";
  msg.textContent = tracking.error ? `Plan against actual not shown: ${tracking.error}` : "";
  fillZones(doc);
  rangeButtons(doc);
  setRange("all");
  drawUnmetTable();
  drawConflicts();
  await showDisruption(run, doc);
}

/** Show a re-plan proposal (a run not in the picker yet): picked, in ?run=, not remembered. */
async function showProposal(run) {
  const select = document.getElementById("run");
  if (![...select.options].some((o) => o.value === String(runId(run)))) {
    select.prepend(el("option", { value: runId(run) }, runLabel(run)));
  }
  select.value = String(runId(run));
  const url = new URL(location.href);
  url.searchParams.set("run", String(runId(run)));
  history.replaceState(null, "", url);
  await showRun(run);
  document.getElementById("proposal").scrollIntoView({ block: "start" });
}

async function main() {
  try {
    let requests;
    [airfields, fleet, scenarios, requests] = await Promise.all([
      airfieldsByIcao(),
      api("/api/tails").then((b) => asList(b, "tails")).catch(() => []),
      api("/api/scenarios").then((b) => asList(b, "scenarios")).catch(() => []),
      api("/api/requests").then((b) => asList(b, "requests")).catch(() => []),
    ]);
    requestsById = new Map(requests.map((r) => [r.ref ?? r.id, r]));
    initDisruption({ tails: fleet.map((t) => t.registration), requests: [...requestsById.keys()], showProposal });
    tzSelect.addEventListener("change", () => {
      if (state) setRange(state.rangeKey);
    });
    await runPicker(document.getElementById("run"), showRun);
  } catch (err) {
    msg.className = "msg bad";
    msg.textContent = `Not loaded: ${err.message}`;
  }
  // Redraw when the width changes (not the height: a redraw would drop the keyboard focus).
  let timer = null;
  let width = box.clientWidth;
  window.addEventListener("resize", () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (state && box.clientWidth !== width) {
        width = box.clientWidth;
        draw();
      }
    }, 150);
  });
  document.body.dataset.ready = "true";
}

main();
