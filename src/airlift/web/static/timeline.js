// Timeline page, drawn as SVG by hand (no timeline library: see package.json "//"): one row
// per tail, legs as bars, ground time as thin bars, maintenance hatched, and two kinds of
// conflict in red: legs of one tail overlapping in time, and more aircraft on the ground at
// an airfield than its MOG (counted like the scheduler: arrival to next departure).
import {
  airfieldsByIcao, api, asList, clear, el, localFromIso, localInZone, minutesText, missionHref,
  planning, qty, runId, runPicker, runResult, svg, tailColours, utc,
} from "./app.js";

const box = document.getElementById("timeline");
const msg = document.getElementById("tl-msg");
const rangeBox = document.getElementById("range");
const conflictsBox = document.getElementById("conflicts");
const tip = document.getElementById("tooltip");

const HOUR = 3600000;
const DAY = 24 * HOUR;
const LABEL_W = 170;
const ROW_H = 44;
const HEAD_H = 46;
const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

let airfields = new Map();
let fleet = [];
let scenarios = [];
let state = null; // { run, doc, rows, colours, conflicts, range }

// ---------------------------------------------------------------- tooltip

function showTip(target, lines) {
  clear(tip, lines.map((l, i) => (i === 0 ? el("b", {}, l) : el("div", {}, l))));
  tip.hidden = false;
  const r = target.getBoundingClientRect();
  const w = tip.offsetWidth;
  const h = tip.offsetHeight;
  let left = Math.min(Math.max(8, r.left + r.width / 2 - w / 2), window.innerWidth - w - 8);
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

// ---------------------------------------------------------------- data

const tzOf = (icao) => (airfields.get(icao) || {}).tz;
function timeLine(label, isoUtc, isoLocal, icao) {
  const local = localFromIso(isoLocal) || localInZone(isoUtc, tzOf(icao));
  return `${label} ${utc(isoUtc)}${local ? ` · ${local}` : ""}`;
}

function mogOf(icao, run) {
  const scenario = scenarios.find((s) => String(s.id) === String(run.scenario_id));
  const override = scenario && scenario.overrides && scenario.overrides[icao];
  if (override && override.mog) return Number(override.mog);
  const p = planning(airfields.get(icao));
  return p.mog ? Number(p.mog) : null;
}

/** Rows (one per tail), their legs and ground stays, and the conflicts between them. */
function build(run, doc) {
  const rows = new Map();
  const row = (tail) => {
    if (!rows.has(tail)) rows.set(tail, { tail, sub: "", legs: [], ground: [], unavailable: [] });
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
    legs.forEach((leg, k) => {
      r.legs.push({ m, index, leg, t0: Date.parse(leg.etd_utc), t1: Date.parse(leg.eta_utc), bad: false });
      if (k + 1 < legs.length) {
        const next = legs[k + 1];
        r.ground.push({
          m, index, icao: leg.destination, t0: Date.parse(leg.eta_utc), t1: Date.parse(next.etd_utc),
          arrive: leg, depart: next, bad: false,
        });
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
  return { rows: sorted, conflicts: conflicts.sort((a, b) => a.t - b.t), colours };
}

// ---------------------------------------------------------------- drawing

function ticksFor(t0, t1) {
  const span = t1 - t0;
  if (span <= 1.5 * DAY) return { minor: HOUR, label: 2 * HOUR };
  if (span <= 3 * DAY) return { minor: 3 * HOUR, label: 6 * HOUR };
  return { minor: 6 * HOUR, label: 6 * HOUR };
}

function draw() {
  hideTip();
  const { run, doc, rows, colours, range } = state;
  const [t0, t1] = range;
  const width = Math.max(900, box.clientWidth - 2);
  const plotW = width - LABEL_W - 12;
  const height = HEAD_H + rows.length * ROW_H + 6;
  const x = (t) => LABEL_W + ((Math.min(Math.max(t, t0), t1) - t0) / (t1 - t0)) * plotW;
  const inView = (a, b) => b > t0 && a < t1;
  const root = svg("svg", {
    width, height, viewBox: `0 0 ${width} ${height}`, role: "group",
    "aria-label": `Timeline of run ${runId(run)}: ${rows.length} tails, ${utc(new Date(t0))} to ${utc(new Date(t1))}`,
  });
  root.append(svg("defs", {}, svg("pattern", {
    id: "hatch", width: 6, height: 6, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)",
  }, svg("rect", { width: 3, height: 6, fill: "#c9ced6" }))));

  // Rows background and labels.
  rows.forEach((r, i) => {
    const y = HEAD_H + i * ROW_H;
    root.append(svg("rect", { x: 0, y, width, height: ROW_H, fill: i % 2 ? "#fafbfc" : "#ffffff" }));
    root.append(svg("rect", { x: 8, y: y + 10, width: 5, height: ROW_H - 20, rx: 2, fill: colours.get(r.tail) }));
    root.append(svg("text", { x: 20, y: y + 19, class: "tail-label" }, r.tail));
    root.append(svg("text", { x: 20, y: y + 34, class: "tail-sub" }, r.sub || ""));
  });

  // Time axis: day bands, ticks and grid.
  const { minor, label } = ticksFor(t0, t1);
  for (let t = Math.ceil(t0 / minor) * minor; t <= t1; t += minor) {
    const isDay = t % DAY === 0;
    const xx = x(t);
    root.append(svg("line", {
      x1: xx, x2: xx, y1: HEAD_H - (isDay ? 44 : 10), y2: height,
      stroke: isDay ? "#9aa5b1" : "#e3e7ec", "stroke-width": isDay ? 1.2 : 1,
    }));
    if (t % label === 0 && !isDay && xx < width - 20) {
      root.append(svg("text", { x: xx, y: HEAD_H - 14, "text-anchor": "middle", class: "axis-label" },
        `${String(new Date(t).getUTCHours()).padStart(2, "0")}Z`));
    }
  }
  for (let d = Math.floor(t0 / DAY) * DAY; d < t1; d += DAY) {
    const a = x(Math.max(d, t0));
    const b = x(Math.min(d + DAY, t1));
    if (b - a < 30) continue;
    const date = new Date(d);
    const dayNo = Math.floor((d - Date.parse(doc.start_utc)) / DAY) + 1;
    root.append(svg("text", { x: (a + b) / 2, y: 16, "text-anchor": "middle", class: "day-label" },
      `${DAYS[date.getUTCDay()]} ${date.getUTCDate()} ${date.toLocaleString("en-GB", { month: "short", timeZone: "UTC" })} · day ${dayNo}`));
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
    for (const g of r.ground) {
      if (!inView(g.t0, g.t1)) continue;
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
        x: x(g.t0), y: y + ROW_H / 2 - (g.bad ? 4 : 2), width: Math.max(1.5, x(g.t1) - x(g.t0)),
        height: g.bad ? 8 : 4, fill: g.bad ? "#b3261e" : colour, opacity: g.bad ? 1 : 0.45,
      });
      root.append(withTip(node, lines));
    }
    for (const l of r.legs) {
      if (!inView(l.t0, l.t1)) continue;
      const { leg, m } = l;
      const bx = x(l.t0);
      const bw = Math.max(3, x(l.t1) - bx);
      const lines = [
        `${r.tail} · ${leg.origin} → ${leg.destination} (mission day ${m.day}, leg ${leg.number ?? leg.index + 1} of ${m.plan.legs.length})`,
        timeLine("ETD", leg.etd_utc, leg.etd_local, leg.origin),
        timeLine("ETA", leg.eta_utc, leg.eta_local, leg.destination),
        `flight ${minutesText(leg.flight_time_min)} · ${qty(leg.dist_nm, "NM", 1)}`,
        `load ${qty(leg.cargo_kg, "kg")} · ${qty(leg.pallets, "pallets")} · ${qty(leg.pax, "pax")}`,
        `binding limit ${leg.binding_limit || "–"} (margin ${qty(leg.margin, leg.margin_unit || "", 1)})`,
      ];
      if (l.bad) lines.push("CONFLICT: overlaps another leg of this tail");
      if (leg.feasible === false) lines.push("breaks a limit: see the mission");
      const link = svg("a", {
        href: missionHref(runId(run), l.index), class: "leg", id: `leg-${l.index}-${leg.index}`,
        "aria-label": `${r.tail} ${leg.origin} to ${leg.destination}, departs ${utc(leg.etd_utc)}, arrives ${utc(leg.eta_utc)}${l.bad ? ", conflict" : ""}`,
      });
      link.append(svg("rect", {
        x: bx, y: y + 12, width: bw, height: ROW_H - 24, rx: 3,
        fill: l.bad ? "#fde7e5" : colour, stroke: l.bad || leg.feasible === false ? "#b3261e" : "none",
        "stroke-width": l.bad ? 2.5 : 1.5, class: "leg-bar",
      }));
      const text = `${leg.origin}–${leg.destination}`;
      if (bw > text.length * 7 + 6) {
        link.append(svg("text", { x: bx + bw / 2, y: y + ROW_H / 2 + 4, "text-anchor": "middle", class: "leg-label", style: l.bad ? "fill:#b3261e" : "" }, text));
      } else if (bw > 30) {
        link.append(svg("text", { x: bx + bw / 2, y: y + ROW_H / 2 + 4, "text-anchor": "middle", class: "leg-label", style: l.bad ? "fill:#b3261e" : "" }, leg.destination));
      }
      root.append(withTip(link, lines));
      drawn++;
    }
  });
  clear(box, root);
  box.dataset.legs = String(drawn);
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
  const dayStart = Math.floor(c.t / DAY) * DAY;
  setRange([dayStart, dayStart + DAY], `day-${dayStart}`);
  const node = document.getElementById(c.target);
  if (node) {
    node.scrollIntoView({ block: "nearest", inline: "center" });
    if (node.focus) node.focus();
  }
}

function setRange(range, key) {
  state.range = range;
  for (const b of rangeBox.querySelectorAll("button")) b.setAttribute("aria-pressed", String(b.dataset.key === key));
  draw();
}

function rangeButtons(doc) {
  const start = Date.parse(doc.start_utc);
  const end = start + (doc.days || 1) * DAY;
  const buttons = [el("button", { type: "button", "data-key": "all", onclick: () => setRange([start, end], "all") }, "Whole programme")];
  for (let d = start; d < end; d += DAY) {
    const date = new Date(d);
    buttons.push(el("button", {
      type: "button", "data-key": `day-${d}`, onclick: () => setRange([d, d + DAY], `day-${d}`),
    }, `${DAYS[date.getUTCDay()]} ${date.getUTCDate()}`));
  }
  clear(rangeBox, buttons);
  return [start, end];
}

async function showRun(run) {
  if (!run) {
    msg.className = "msg info";
    msg.textContent = "No finished schedule run yet: start one on the Plans page.";
    clear(box);
    clear(conflictsBox);
    return;
  }
  const doc = await runResult(runId(run));
  state = { run, doc, ...build(run, doc) };
  msg.className = "msg";
  msg.textContent = "";
  const range = rangeButtons(doc);
  setRange(range, "all");
  drawConflicts();
}

async function main() {
  try {
    [airfields, fleet, scenarios] = await Promise.all([
      airfieldsByIcao(),
      api("/api/tails").then((b) => asList(b, "tails")).catch(() => []),
      api("/api/scenarios").then((b) => asList(b, "scenarios")).catch(() => []),
    ]);
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
